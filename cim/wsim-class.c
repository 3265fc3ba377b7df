/* wsim-class.c: CIM classes and instances (see wsim-class.h). */
#include "wsim-class.h"

#include <string.h>

#include "wsim-hresult.h"
#include "wsim-json.h"
#include "wsim-value.h"
#include "wsim_cim.h"

struct _WsimClass {
  gatomicrefcount ref_count;    /* atomic */
  wsim_class_def  def;          /* (owned) flattened: inherited properties first */
  WsimClass      *parent;       /* (owned) (nullable) */
  GHashTable     *index;        /* (owned) name (in def, case-insensitive) -> index + 1 */
};

struct _WsimObject {
  gatomicrefcount ref_count;        /* atomic */
  WsimClass  *cls;              /* (owned) */
  wsim_value *values;           /* (owned) n_props values */
};

/* Property names are compared as WMI does, without regard to case; CIM names are ASCII
 * identifiers, so an ASCII fold needs no allocation (lookups run per row and per WQL
 * comparison). */
static guint
ci_hash (gconstpointer key)
{
  guint h = 5381;

  for (const char *p = key; *p != '\0'; p++)
    h = h * 33 + (guint) g_ascii_tolower (*p);
  return h;
}

static gboolean
ci_equal (gconstpointer a, gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

static gboolean
cimtype_is_valid (guint32 t)
{
  switch (t & ~(guint32) CIM_FLAG_ARRAY)
    {
    case CIM_SINT8: case CIM_UINT8: case CIM_SINT16: case CIM_UINT16: case CIM_SINT32:
    case CIM_UINT32: case CIM_SINT64: case CIM_UINT64: case CIM_REAL32: case CIM_REAL64:
    case CIM_BOOLEAN: case CIM_STRING: case CIM_DATETIME: case CIM_REFERENCE: case CIM_CHAR16:
    case CIM_OBJECT:
      return TRUE;
    default:
      return FALSE;
    }
}

static WsimClass *
class_build (const char *name, const char *superclass, WsimClass *parent,
             const wsim_property_def *inherited, guint n_inherited,
             const wsim_property_def *props, guint n_props, GError **error)
{
  WsimClass *cls;
  guint n = n_inherited + n_props;

  if (name == NULL || *name == '\0')
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_CLASS, "a class needs a name");
      return NULL;
    }
  cls = g_new0 (WsimClass, 1);
  g_atomic_ref_count_init (&cls->ref_count);
  cls->parent = parent != NULL ? wsim_class_ref (parent) : NULL;
  cls->def.name = g_strdup (name);
  cls->def.superclass = g_strdup (superclass != NULL ? superclass : "");
  cls->def.props.props_len = n;
  cls->def.props.props_val = g_new0 (wsim_property_def, MAX (n, 1));
  cls->index = g_hash_table_new (ci_hash, ci_equal);

  for (guint i = 0; i < n; i++)
    {
      const wsim_property_def *src = i < n_inherited ? &inherited[i] : &props[i - n_inherited];
      wsim_property_def *dst = &cls->def.props.props_val[i];

      if (src->name == NULL || *src->name == '\0' || !cimtype_is_valid (src->cimtype))
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_CLASS,
                                  "class %s: property %u has no name or an unknown type", name, i);
          wsim_class_unref (cls);
          return NULL;
        }
      if (g_hash_table_contains (cls->index, src->name))
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_CLASS,
                                  "class %s: property %s defined twice", name, src->name);
          wsim_class_unref (cls);
          return NULL;
        }
      dst->name = g_strdup (src->name);
      g_hash_table_insert (cls->index, dst->name, GUINT_TO_POINTER (i + 1));
      dst->cimtype = src->cimtype;
      dst->is_key = src->is_key;
    }
  return cls;
}

WsimClass *
wsim_class_new (const char *name, WsimClass *parent, const wsim_property_def *props,
                guint n_props, GError **error)
{
  return class_build (name, parent != NULL ? parent->def.name : NULL, parent,
                      parent != NULL ? parent->def.props.props_val : NULL,
                      parent != NULL ? parent->def.props.props_len : 0, props, n_props, error);
}

WsimClass *
wsim_class_new_from_def (const wsim_class_def *def, GError **error)
{
  return class_build (def->name, def->superclass, NULL, NULL, 0, def->props.props_val,
                      def->props.props_len, error);
}

WsimClass *
wsim_class_ref (WsimClass *cls)
{
  g_atomic_ref_count_inc (&cls->ref_count);
  return cls;
}

void
wsim_class_unref (WsimClass *cls)
{
  if (cls == NULL || !g_atomic_ref_count_dec (&cls->ref_count))
    return;
  /* The definition's strings and array are g_malloc'ed: malloc on this platform, so
   * xdr_free's free() releases them (see wsim-value.h). */
  xdr_free ((xdrproc_t) xdr_wsim_class_def, (char *) &cls->def);
  g_hash_table_unref (cls->index);
  wsim_class_unref (cls->parent);
  g_free (cls);
}

const char *
wsim_class_get_name (WsimClass *cls)
{
  return cls->def.name;
}

WsimClass *
wsim_class_get_parent (WsimClass *cls)
{
  return cls->parent;
}

const wsim_class_def *
wsim_class_get_def (WsimClass *cls)
{
  return &cls->def;
}

guint
wsim_class_get_n_props (WsimClass *cls)
{
  return cls->def.props.props_len;
}

const wsim_property_def *
wsim_class_get_prop (WsimClass *cls, guint idx)
{
  g_return_val_if_fail (idx < cls->def.props.props_len, NULL);
  return &cls->def.props.props_val[idx];
}

gint
wsim_class_find_prop (WsimClass *cls, const char *name)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (cls->index, name)) - 1;
}

gboolean
wsim_class_is_a (WsimClass *cls, const char *name)
{
  for (; cls != NULL; cls = cls->parent)
    if (g_ascii_strcasecmp (cls->def.name, name) == 0)
      return TRUE;
  return FALSE;
}

/* ---- instances ------------------------------------------------------------------ */

WsimObject *
wsim_object_new (WsimClass *cls)
{
  return wsim_object_new_take_values (cls, g_new0 (wsim_value, MAX (wsim_class_get_n_props (cls), 1)));
}

WsimObject *
wsim_object_new_take_values (WsimClass *cls, wsim_value *values)
{
  WsimObject *obj = g_new (WsimObject, 1);

  g_atomic_ref_count_init (&obj->ref_count);
  obj->cls = wsim_class_ref (cls);
  obj->values = values;
  return obj;
}

WsimObject *
wsim_object_ref (WsimObject *obj)
{
  g_atomic_ref_count_inc (&obj->ref_count);
  return obj;
}

static void
values_free (wsim_value *values, guint n)
{
  for (guint i = 0; i < n; i++)
    if (values[i].type != CIM_EMPTY)
      xdr_free ((xdrproc_t) xdr_wsim_value, (char *) &values[i]);
  g_free (values);
}

void
wsim_object_unref (WsimObject *obj)
{
  if (obj == NULL || !g_atomic_ref_count_dec (&obj->ref_count))
    return;
  values_free (obj->values, wsim_class_get_n_props (obj->cls));
  wsim_class_unref (obj->cls);
  g_free (obj);
}

WsimClass *
wsim_object_get_class (WsimObject *obj)
{
  return obj->cls;
}

wsim_value *
wsim_object_get_value (WsimObject *obj, guint idx)
{
  g_return_val_if_fail (idx < wsim_class_get_n_props (obj->cls), NULL);
  return &obj->values[idx];
}

const wsim_value *
wsim_object_lookup (WsimObject *obj, const char *name)
{
  gint idx = wsim_class_find_prop (obj->cls, name);

  return idx < 0 ? NULL : &obj->values[idx];
}

wsim_value *
wsim_object_steal_values (WsimObject *obj)
{
  wsim_value *v = obj->values;

  obj->values = g_new0 (wsim_value, MAX (wsim_class_get_n_props (obj->cls), 1));
  return v;
}

char *
wsim_object_get_path (WsimObject *obj)
{
  GString *s = g_string_new (obj->cls->def.name);
  gboolean first = TRUE;

  for (guint i = 0; i < wsim_class_get_n_props (obj->cls); i++)
    {
      const wsim_property_def *p = &obj->cls->def.props.props_val[i];
      g_autofree char *text = NULL;

      if (!p->is_key)
        continue;
      g_string_append_c (s, first ? '.' : ',');
      first = FALSE;
      g_string_append_printf (s, "%s=", p->name);
      text = wsim_value_to_string (&obj->values[i]);
      if (obj->values[i].type == CIM_STRING || obj->values[i].type == CIM_DATETIME
          || obj->values[i].type == CIM_REFERENCE)
        {
          g_string_append_c (s, '"');
          for (const char *c = text; *c != '\0'; c++)
            {
              if (*c == '"' || *c == '\\')
                g_string_append_c (s, '\\');
              g_string_append_c (s, *c);
            }
          g_string_append_c (s, '"');
        }
      else
        g_string_append (s, text);
    }
  if (first)
    g_string_append (s, "=@");
  return g_string_free (s, FALSE);
}

/* ---- embedded objects ----------------------------------------------------------- */

gboolean
wsim_value_set_object (wsim_value *v, WsimObject *obj)
{
  wsim_embedded view;
  wsim_value tmp = { .type = CIM_OBJECT };

  g_return_val_if_fail (v != NULL, FALSE);

  if (obj == NULL)
    {
      wsim_value_clear (v);
      return TRUE;
    }
  /* A borrowed view of the object as the wire holds one; copying it copies everything. */
  view.cls = obj->cls->def;
  view.values.values_len = wsim_class_get_n_props (obj->cls);
  view.values.values_val = obj->values;
  tmp.wsim_value_u.v_object = &view;
  wsim_value_copy (&tmp, v);
  return v->type == CIM_OBJECT;
}

WsimObject *
wsim_value_dup_object (const wsim_value *v, GError **error)
{
  const wsim_embedded *body;
  g_autoptr(WsimClass) cls = NULL;
  wsim_value *values;
  guint n;

  g_return_val_if_fail (v != NULL, NULL);

  if (v->type != CIM_OBJECT || v->wsim_value_u.v_object == NULL)
    {
      wsim_set_error_hresult (error, WBEM_E_TYPE_MISMATCH, "the value is not an embedded object");
      return NULL;
    }
  body = v->wsim_value_u.v_object;
  cls = wsim_class_new_from_def (&body->cls, error);
  if (cls == NULL)
    return NULL;
  n = wsim_class_get_n_props (cls);
  if (body->values.values_len != n)
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_OBJECT,
                              "embedded %s: %u values for %u properties", body->cls.name,
                              body->values.values_len, n);
      return NULL;
    }
  values = g_new0 (wsim_value, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    wsim_value_copy (&body->values.values_val[i], &values[i]);
  return wsim_object_new_take_values (cls, values);
}

void
wsim_object_to_json (WsimObject *obj, GString *out)
{
  g_autoptr(JsonObject) json = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  /* Names come from the wire too: they go through the same rules as values. */
  wsim_json_object_set_string (json, "__CLASS", obj->cls->def.name);
  for (guint i = 0; i < wsim_class_get_n_props (obj->cls); i++)
    wsim_json_object_set (json, obj->cls->def.props.props_val[i].name,
                          wsim_json_value_node (&obj->values[i]));
  node = json_node_init_object (json_node_alloc (), json);
  wsim_json_append (out, node);
}
