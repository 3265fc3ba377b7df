/* wsim-class-decl.c: class objects, a class's whole declaration (see wsim-class-decl.h). */
#include "wsim-class-decl.h"

#include <string.h>
#include <rpc/rpc.h>

#include "wsim-json.h"
#include "wsim-value.h"
#include "wsim_cim.h"
#include "wsim-xdr-copy.h"

struct _WsimClassDecl {
  gatomicrefcount ref_count;   /* atomic */
  wsim_class_decl wire;        /* (owned) released with xdr_free */
};

/* XDR refuses to encode a NULL string: every string a caller left NULL becomes "". */
static void
no_null (char **s)
{
  if (*s == NULL)
    *s = g_strdup ("");
}

static void
no_null_qualifiers (wsim_qualifier *qs, u_int n)
{
  for (u_int i = 0; i < n; i++)
    no_null (&qs[i].name);
}

static void
normalize (wsim_class_decl *w)
{
  no_null (&w->name);
  no_null (&w->superclass);
  no_null (&w->namespace_path);
  for (u_int i = 0; i < w->derivation.derivation_len; i++)
    no_null (&w->derivation.derivation_val[i]);
  no_null_qualifiers (w->qualifiers.qualifiers_val, w->qualifiers.qualifiers_len);
  for (u_int i = 0; i < w->props.props_len; i++)
    {
      wsim_property_decl *p = &w->props.props_val[i];

      no_null (&p->name);
      no_null (&p->ref_class);
      no_null (&p->class_origin);
      no_null_qualifiers (p->qualifiers.qualifiers_val, p->qualifiers.qualifiers_len);
    }
  for (u_int i = 0; i < w->methods.methods_len; i++)
    {
      wsim_method_decl *m = &w->methods.methods_val[i];

      no_null (&m->name);
      no_null (&m->class_origin);
      no_null_qualifiers (m->qualifiers.qualifiers_val, m->qualifiers.qualifiers_len);
      for (u_int j = 0; j < m->params.params_len; j++)
        {
          no_null (&m->params.params_val[j].name);
          no_null (&m->params.params_val[j].ref_class);
          no_null_qualifiers (m->params.params_val[j].qualifiers.qualifiers_val,
                              m->params.params_val[j].qualifiers.qualifiers_len);
        }
    }
}

WsimClassDecl *
wsim_class_decl_new_take (wsim_class_decl *wire)
{
  WsimClassDecl *d = g_new0 (WsimClassDecl, 1);

  g_atomic_ref_count_init (&d->ref_count);
  d->wire = *wire;
  memset (wire, 0, sizeof *wire);
  normalize (&d->wire);
  return d;
}

WsimClassDecl *
wsim_class_decl_new_copy (const wsim_class_decl *wire)
{
  wsim_class_decl copy = { 0 };

  if (!wsim_xdr_copy ((xdrproc_t) xdr_wsim_class_decl, wire, &copy))
    {
      xdr_free ((xdrproc_t) xdr_wsim_class_decl, (char *) &copy);
      memset (&copy, 0, sizeof copy);
      copy.name = g_strdup (wire->name != NULL ? wire->name : "");
    }
  return wsim_class_decl_new_take (&copy);
}

void
wsim_class_decl_copy_wire (WsimClassDecl *decl, wsim_class_decl *out)
{
  g_autoptr(WsimClassDecl) copy = wsim_class_decl_new_copy (&decl->wire);

  *out = copy->wire;
  memset (&copy->wire, 0, sizeof copy->wire);
}

WsimClassDecl *
wsim_class_decl_ref (WsimClassDecl *decl)
{
  g_atomic_ref_count_inc (&decl->ref_count);
  return decl;
}

void
wsim_class_decl_unref (WsimClassDecl *decl)
{
  if (decl == NULL || !g_atomic_ref_count_dec (&decl->ref_count))
    return;
  xdr_free ((xdrproc_t) xdr_wsim_class_decl, (char *) &decl->wire);
  g_free (decl);
}

const wsim_class_decl *
wsim_class_decl_get_wire (WsimClassDecl *decl)
{
  return &decl->wire;
}

const char *
wsim_class_decl_get_name (WsimClassDecl *decl)
{
  return decl->wire.name;
}

const char *
wsim_class_decl_get_superclass (WsimClassDecl *decl)
{
  return decl->wire.superclass;
}

const wsim_qualifier *
wsim_qualifier_find (const wsim_qualifier *qs, guint n, const char *name)
{
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (qs[i].name, name) == 0)
      return &qs[i];
  return NULL;
}

/* ---- deriving ------------------------------------------------------------------ */

/* The qualifiers of @parent that reach a subclass (PROPAGATE_TO_DERIVED_CLASS), marked
 * propagated, then the own ones (*@len, *@val): an own qualifier of the same name replaces
 * the inherited one. */
static void
merge_qualifiers (const wsim_qualifier *inherited, guint n_inherited, u_int *len,
                  wsim_qualifier **val)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (wsim_qualifier));

  for (guint i = 0; i < n_inherited; i++)
    {
      wsim_qualifier q = { 0 };

      if (!(inherited[i].flavor & WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS)
          || wsim_qualifier_find (*val, *len, inherited[i].name) != NULL)
        continue;
      q.name = g_strdup (inherited[i].name);
      q.flavor = inherited[i].flavor | WBEM_FLAVOR_ORIGIN_PROPAGATED;
      wsim_value_copy (&inherited[i].value, &q.value);
      g_array_append_val (out, q);
    }
  for (guint i = 0; i < *len; i++)
    g_array_append_val (out, (*val)[i]);
  g_free (*val);
  *len = out->len;
  *val = (wsim_qualifier *) (void *) g_array_free (out, FALSE);
}

#define MERGE_QUALIFIERS(inh, n, field) \
  merge_qualifiers ((inh), (n), &(field).qualifiers_len, &(field).qualifiers_val)

static void
copy_property (const wsim_property_decl *src, wsim_property_decl *dst)
{
  wsim_xdr_copy ((xdrproc_t) xdr_wsim_property_decl, src, dst);
}

static void
copy_method (const wsim_method_decl *src, wsim_method_decl *dst)
{
  wsim_xdr_copy ((xdrproc_t) xdr_wsim_method_decl, src, dst);
}

/* The index in @a (elements of @size bytes whose first member is their name, as every
 * *_decl is) of the member named @name, case-insensitively; a->len when there is none. */
static guint
index_of (GArray *a, gsize size, const char *name)
{
  for (guint j = 0; j < a->len; j++)
    if (g_ascii_strcasecmp (*(char **) (void *) (a->data + j * size), name) == 0)
      return j;
  return a->len;
}

/* An own member's class_origin: as given, else @fallback. */
static void
set_origin (char **origin, const char *fallback)
{
  if (*origin != NULL && (*origin)[0] != '\0')
    return;
  g_free (*origin);
  *origin = g_strdup (fallback);
}

G_STATIC_ASSERT (G_STRUCT_OFFSET (wsim_property_decl, name) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (wsim_method_decl, name) == 0);

WsimClassDecl *
wsim_class_decl_derive (WsimClassDecl *parent, wsim_class_decl *wire, const char *ns)
{
  const wsim_class_decl *pw = parent != NULL ? &parent->wire : NULL;
  GArray *props = g_array_new (FALSE, TRUE, sizeof (wsim_property_decl));
  GArray *methods = g_array_new (FALSE, TRUE, sizeof (wsim_method_decl));
  GPtrArray *deriv = g_ptr_array_new ();

  g_free (wire->superclass);
  wire->superclass = g_strdup (pw != NULL ? pw->name : "");
  g_free (wire->namespace_path);
  wire->namespace_path = g_strdup (ns != NULL ? ns : "");
  for (guint i = 0; i < wire->derivation.derivation_len; i++)
    g_free (wire->derivation.derivation_val[i]);
  g_free (wire->derivation.derivation_val);
  if (pw != NULL)
    {
      g_ptr_array_add (deriv, g_strdup (pw->name));
      for (guint i = 0; i < pw->derivation.derivation_len; i++)
        g_ptr_array_add (deriv, g_strdup (pw->derivation.derivation_val[i]));
      MERGE_QUALIFIERS (pw->qualifiers.qualifiers_val, pw->qualifiers.qualifiers_len,
                        wire->qualifiers);
      for (guint i = 0; i < pw->props.props_len; i++)
        {
          wsim_property_decl p = { 0 };

          copy_property (&pw->props.props_val[i], &p);
          g_array_append_val (props, p);
        }
      for (guint i = 0; i < pw->methods.methods_len; i++)
        {
          wsim_method_decl m = { 0 };

          copy_method (&pw->methods.methods_val[i], &m);
          g_array_append_val (methods, m);
        }
    }
  wire->derivation.derivation_len = deriv->len;
  g_ptr_array_add (deriv, NULL);
  wire->derivation.derivation_val = (wsim_name *) g_ptr_array_free (deriv, FALSE);

  for (guint i = 0; i < wire->props.props_len; i++)
    {
      wsim_property_decl *own = &wire->props.props_val[i];
      guint at = index_of (props, sizeof *own, own->name);

      /* An override keeps the origin of the property it overrides. */
      set_origin (&own->class_origin, at < props->len
                                        ? g_array_index (props, wsim_property_decl, at).class_origin
                                        : wire->name);
      if (own->ref_class == NULL)
        own->ref_class = g_strdup ("");
      if (at < props->len)
        {
          wsim_property_decl *old = &g_array_index (props, wsim_property_decl, at);

          MERGE_QUALIFIERS (old->qualifiers.qualifiers_val, old->qualifiers.qualifiers_len,
                            own->qualifiers);
          xdr_free ((xdrproc_t) xdr_wsim_property_decl, (char *) old);
          *old = *own;
        }
      else
        g_array_append_val (props, *own);
    }
  g_free (wire->props.props_val);
  wire->props.props_len = props->len;
  wire->props.props_val = (wsim_property_decl *) (void *) g_array_free (props, FALSE);

  for (guint i = 0; i < wire->methods.methods_len; i++)
    {
      wsim_method_decl *own = &wire->methods.methods_val[i];
      guint at = index_of (methods, sizeof *own, own->name);

      set_origin (&own->class_origin, wire->name);
      if (at < methods->len)
        {
          wsim_method_decl *old = &g_array_index (methods, wsim_method_decl, at);

          xdr_free ((xdrproc_t) xdr_wsim_method_decl, (char *) old);
          *old = *own;
        }
      else
        g_array_append_val (methods, *own);
    }
  g_free (wire->methods.methods_val);
  wire->methods.methods_len = methods->len;
  wire->methods.methods_val = (wsim_method_decl *) (void *) g_array_free (methods, FALSE);
  return wsim_class_decl_new_take (wire);
}

/* ---- system properties --------------------------------------------------------- */

gboolean
wsim_class_decl_get_system_property (WsimClassDecl *decl, const char *name, const char *server,
                                     wsim_value *out)
{
  const wsim_class_decl *w = &decl->wire;
  guint nd = w->derivation.derivation_len;

  wsim_value_clear (out);
  if (g_ascii_strcasecmp (name, "__CLASS") == 0 || g_ascii_strcasecmp (name, "__RELPATH") == 0)
    wsim_value_set_string (out, w->name);
  else if (g_ascii_strcasecmp (name, "__SUPERCLASS") == 0)
    wsim_value_set_string (out, w->superclass[0] != '\0' ? w->superclass : NULL);
  else if (g_ascii_strcasecmp (name, "__DYNASTY") == 0)
    wsim_value_set_string (out, nd > 0 ? w->derivation.derivation_val[nd - 1] : w->name);
  else if (g_ascii_strcasecmp (name, "__DERIVATION") == 0)
    {
      char **val = g_new0 (char *, MAX (nd, 1));

      for (guint i = 0; i < nd; i++)
        val[i] = g_strdup (w->derivation.derivation_val[i]);
      out->type = WSIM_CIM_STRING_ARRAY;
      out->wsim_value_u.a_string.a_string_len = nd;
      out->wsim_value_u.a_string.a_string_val = val;
    }
  else if (g_ascii_strcasecmp (name, "__GENUS") == 0)
    wsim_value_set_integer (out, CIM_SINT32, TRUE, WBEM_GENUS_CLASS, 0);
  else if (g_ascii_strcasecmp (name, "__PROPERTY_COUNT") == 0)
    wsim_value_set_integer (out, CIM_SINT32, TRUE, (gint64) w->props.props_len, 0);
  else if (g_ascii_strcasecmp (name, "__NAMESPACE") == 0)
    wsim_value_set_string (out, w->namespace_path[0] != '\0' ? w->namespace_path : NULL);
  else if (g_ascii_strcasecmp (name, "__SERVER") == 0)
    wsim_value_set_string (out, server);
  else if (g_ascii_strcasecmp (name, "__PATH") == 0)
    {
      if (server != NULL && w->namespace_path[0] != '\0')
        {
          g_autofree char *full = g_strdup_printf ("\\\\%s\\%s:%s", server, w->namespace_path,
                                                   w->name);

          wsim_value_set_string (out, full);
        }
    }
  else
    return FALSE;
  return TRUE;
}

/* ---- MOF and JSON -------------------------------------------------------------- */

/* A value as a MOF literal: strings quoted with escapes, arrays in braces. */
static void
mof_literal (const wsim_value *v, GString *out)
{
  guint32 scalar = v->type & ~CIM_FLAG_ARRAY;

  if (v->type == CIM_EMPTY)
    {
      g_string_append (out, "NULL");
      return;
    }
  if (scalar == CIM_STRING || scalar == CIM_DATETIME || scalar == CIM_REFERENCE
      || scalar == CIM_CHAR16)
    {
      /* JSON's string escapes are MOF's for the characters that matter (\" \\ \n). */
      if (v->type & CIM_FLAG_ARRAY)
        {
          g_autoptr(GString) json = g_string_new (NULL);

          wsim_value_to_json (v, json);
          g_string_append_c (out, '{');
          g_string_append_len (out, json->str + 1, (gssize) json->len - 2);
          g_string_append_c (out, '}');
        }
      else
        wsim_value_to_json (v, out);
      return;
    }
  {
    g_autofree char *s = wsim_value_to_string (v);

    g_string_append (out, s);
  }
}

static const char *
flavor_words (guint flavor, char *buf, gsize len)
{
  buf[0] = '\0';
  /* MOF's defaults (EnableOverride, ToSubclass, NotToInstance: "Qualifier Flavors",
   * Microsoft Learn) are not written. */
  if (!(flavor & WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS))
    g_strlcat (buf, " Restricted", len);
  if (flavor & WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE)
    g_strlcat (buf, " ToInstance", len);
  if (flavor & WBEM_FLAVOR_NOT_OVERRIDABLE)
    g_strlcat (buf, " DisableOverride", len);
  if (flavor & WBEM_FLAVOR_AMENDED)
    g_strlcat (buf, " Amended", len);
  return buf;
}

static void
mof_qualifiers (const wsim_qualifier *qs, guint n, gboolean skip_propagated, GString *out,
                const char *after)
{
  guint written = 0;

  for (guint i = 0; i < n; i++)
    {
      char fl[64];

      if (skip_propagated && (qs[i].flavor & WBEM_FLAVOR_ORIGIN_PROPAGATED))
        continue;
      g_string_append (out, written++ == 0 ? "[" : ", ");
      g_string_append (out, qs[i].name);
      if (!(qs[i].value.type == CIM_BOOLEAN && qs[i].value.wsim_value_u.v_boolean))
        {
          gboolean array = (qs[i].value.type & CIM_FLAG_ARRAY) != 0;

          if (!array)
            g_string_append_c (out, '(');
          mof_literal (&qs[i].value, out);
          if (!array)
            g_string_append_c (out, ')');
        }
      flavor_words (qs[i].flavor, fl, sizeof fl);
      if (fl[0] != '\0' && !(qs[i].flavor & WBEM_FLAVOR_ORIGIN_PROPAGATED)
          && g_ascii_strcasecmp (qs[i].name, "key") != 0
          && g_ascii_strcasecmp (qs[i].name, "abstract") != 0)
        g_string_append_printf (out, ":%s", fl);
    }
  if (written > 0)
    g_string_append_printf (out, "]%s", after);
}

static void
mof_type (guint32 cimtype, const char *ref_class, GString *out)
{
  if ((cimtype & ~CIM_FLAG_ARRAY) == CIM_REFERENCE && ref_class != NULL && ref_class[0] != '\0')
    g_string_append_printf (out, "%s ref", ref_class);
  else if ((cimtype & ~CIM_FLAG_ARRAY) == CIM_OBJECT && ref_class != NULL && ref_class[0] != '\0')
    g_string_append (out, ref_class);   /* a strongly typed embedded object */
  else
    {
      const char *t = wsim_cimtype_name (cimtype & ~CIM_FLAG_ARRAY);

      g_string_append (out, t != NULL ? t : "object");
    }
}

void
wsim_class_decl_to_mof (WsimClassDecl *decl, GString *out)
{
  const wsim_class_decl *w = &decl->wire;

  mof_qualifiers (w->qualifiers.qualifiers_val, w->qualifiers.qualifiers_len, TRUE, out, "\n");
  g_string_append_printf (out, "class %s", w->name);
  if (w->superclass[0] != '\0')
    g_string_append_printf (out, " : %s", w->superclass);
  g_string_append (out, "\n{\n");
  for (guint i = 0; i < w->props.props_len; i++)
    {
      const wsim_property_decl *p = &w->props.props_val[i];

      g_string_append (out, "  ");
      mof_qualifiers (p->qualifiers.qualifiers_val, p->qualifiers.qualifiers_len, FALSE, out, " ");
      mof_type (p->cimtype, p->ref_class, out);
      g_string_append_printf (out, " %s%s", p->name, (p->cimtype & CIM_FLAG_ARRAY) ? "[]" : "");
      if (p->default_value.type != CIM_EMPTY)
        {
          g_string_append (out, " = ");
          mof_literal (&p->default_value, out);
        }
      g_string_append_c (out, ';');
      if (g_ascii_strcasecmp (p->class_origin, w->name) != 0)
        g_string_append_printf (out, "  // from %s", p->class_origin);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < w->methods.methods_len; i++)
    {
      const wsim_method_decl *m = &w->methods.methods_val[i];

      g_string_append (out, "  ");
      mof_qualifiers (m->qualifiers.qualifiers_val, m->qualifiers.qualifiers_len, FALSE, out, " ");
      if (m->return_type == CIM_EMPTY)
        g_string_append (out, "void");
      else
        mof_type (m->return_type, NULL, out);
      g_string_append_printf (out, " %s(", m->name);
      for (guint j = 0; j < m->params.params_len; j++)
        {
          const wsim_param_decl *a = &m->params.params_val[j];

          if (j > 0)
            g_string_append (out, ", ");
          mof_qualifiers (a->qualifiers.qualifiers_val, a->qualifiers.qualifiers_len, FALSE, out,
                          " ");
          mof_type (a->cimtype, a->ref_class, out);
          g_string_append_printf (out, " %s%s", a->name, (a->cimtype & CIM_FLAG_ARRAY) ? "[]" : "");
        }
      g_string_append (out, ");");
      if (g_ascii_strcasecmp (m->class_origin, w->name) != 0)
        g_string_append_printf (out, "  // from %s", m->class_origin);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "};\n");
}

static JsonNode *
json_qualifiers (const wsim_qualifier *qs, guint n)
{
  g_autoptr(JsonObject) o = json_object_new ();

  for (guint i = 0; i < n; i++)
    wsim_json_object_set (o, qs[i].name, wsim_json_value_node (&qs[i].value));
  return json_node_init_object (json_node_alloc (), o);
}

static void
json_set_type (JsonObject *o, const char *member, guint32 cimtype)
{
  const char *t = wsim_cimtype_name (cimtype);

  wsim_json_object_set_string (o, member, t != NULL ? t : "object");
}

static JsonNode *
json_boolean (gboolean b)
{
  return json_node_init_boolean (json_node_alloc (), b);
}

static JsonNode *
json_property (const wsim_property_decl *p)
{
  g_autoptr(JsonObject) o = json_object_new ();

  wsim_json_object_set_string (o, "name", p->name);
  json_set_type (o, "type", p->cimtype);
  wsim_json_object_set_string (o, "origin", p->class_origin);
  wsim_json_object_set (o, "qualifiers",
                        json_qualifiers (p->qualifiers.qualifiers_val, p->qualifiers.qualifiers_len));
  wsim_json_object_set (o, "default", wsim_json_value_node (&p->default_value));
  return json_node_init_object (json_node_alloc (), o);
}

static JsonNode *
json_method (const wsim_method_decl *m)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonArray) params = json_array_new ();

  wsim_json_object_set_string (o, "name", m->name);
  json_set_type (o, "returns", m->return_type);
  wsim_json_object_set (o, "static", json_boolean (m->is_static));
  for (guint j = 0; j < m->params.params_len; j++)
    {
      const wsim_param_decl *a = &m->params.params_val[j];
      g_autoptr(JsonObject) po = json_object_new ();

      wsim_json_object_set_string (po, "name", a->name);
      json_set_type (po, "type", a->cimtype);
      wsim_json_object_set (po, "in", json_boolean (a->is_in));
      wsim_json_object_set (po, "out", json_boolean (a->is_out));
      json_array_add_element (params, json_node_init_object (json_node_alloc (), po));
    }
  wsim_json_object_set (o, "parameters", json_node_init_array (json_node_alloc (), params));
  return json_node_init_object (json_node_alloc (), o);
}

void
wsim_class_decl_to_json (WsimClassDecl *decl, GString *out)
{
  const wsim_class_decl *w = &decl->wire;
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonArray) props = json_array_new ();
  g_autoptr(JsonArray) methods = json_array_new ();
  g_autoptr(JsonNode) root = NULL;

  wsim_json_object_set (o, "__GENUS", json_node_init_int (json_node_alloc (), WBEM_GENUS_CLASS));
  wsim_json_object_set_string (o, "__CLASS", w->name);
  wsim_json_object_set (o, "__SUPERCLASS", w->superclass[0] != '\0'
                        ? wsim_json_string_node (w->superclass)
                        : json_node_init_null (json_node_alloc ()));
  wsim_json_object_set (o, "qualifiers",
                        json_qualifiers (w->qualifiers.qualifiers_val, w->qualifiers.qualifiers_len));
  for (guint i = 0; i < w->props.props_len; i++)
    json_array_add_element (props, json_property (&w->props.props_val[i]));
  wsim_json_object_set (o, "properties", json_node_init_array (json_node_alloc (), props));
  for (guint i = 0; i < w->methods.methods_len; i++)
    json_array_add_element (methods, json_method (&w->methods.methods_val[i]));
  wsim_json_object_set (o, "methods", json_node_init_array (json_node_alloc (), methods));
  root = json_node_init_object (json_node_alloc (), o);
  wsim_json_append (out, root);
}
