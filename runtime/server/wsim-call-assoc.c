/* wsim-call-assoc.c: the steps of an association query (see the header). */
#include "wsim-call-assoc.h"

#include "wsim-repository-private.h"
#include "wsim-value.h"

typedef enum {
  STEP_SOURCE,      /* is the source there? */
  STEP_ASSOC,       /* the association instances that name it */
  STEP_ENDPOINTS,   /* ASSOCIATORS: the objects they name */
  STEP_DONE,
} Step;

struct _WsimAssocWalk {
  WsimRepository *repo;          /* (unowned) */
  char           *ns;            /* (owned) */
  WsimWqlKind     kind;
  WsimClass      *source_cls;    /* (unowned) the repository's */
  char           *source_keys;   /* (owned) canonical key values of the source */
  WsimObjectPath *source;        /* (owned) its path, for a get() */
  WsimClass      *assoc_class;   /* (unowned) (nullable) */
  WsimClass      *result_class;  /* (unowned) (nullable) */
  char           *role;          /* (owned) (nullable) */
  char           *result_role;   /* (owned) (nullable) */
  gboolean        keys_only;
  char           *required_qualifier;        /* (owned) (nullable) */
  char           *required_assoc_qualifier;  /* (owned) (nullable) */
  GPtrArray      *class_defs;    /* (owned) (nullable) ClassDefsOnly: WsimClassDecl*, refs */
  Step            step;
  guint64         found;         /* STEP_SOURCE: instances with the source's keys */
  /* ASSOCIATORS: endpoint id ("class.keys", casefolded) -> times named; and their classes
   * (unowned), in the order first named. */
  GHashTable     *endpoints;
  GPtrArray      *endpoint_classes;
};

const WsimObjectPath *
wsim_assoc_walk_get_source (WsimAssocWalk *w)
{
  return w->step == STEP_SOURCE ? w->source : NULL;
}

gboolean
wsim_class_decl_has_qualifier (WsimClassDecl *decl, const char *name)
{
  const wsim_class_decl *d = wsim_class_decl_get_wire (decl);

  return wsim_qualifier_find (d->qualifiers.qualifiers_val, d->qualifiers.qualifiers_len, name) != NULL;
}

gboolean
wsim_class_decl_is_association (WsimClassDecl *decl)
{
  const wsim_class_decl *d = wsim_class_decl_get_wire (decl);
  const wsim_qualifier *q = wsim_qualifier_find (d->qualifiers.qualifiers_val,
                                                 d->qualifiers.qualifiers_len, "Association");

  return q != NULL && q->value.type == CIM_BOOLEAN && q->value.wsim_value_u.v_boolean;
}

/* The class object the repository keeps for @cls (borrowed), NULL if none. */
static WsimClassDecl *
decl_of (WsimAssocWalk *w, WsimClass *cls)
{
  return wsim_repository_get_class_decl (w->repo, w->ns, wsim_class_get_name (cls), NULL);
}

/* Does @cls's class object carry @qualifier? TRUE when none is asked for. */
static gboolean
class_has (WsimAssocWalk *w, WsimClass *cls, const char *qualifier)
{
  WsimClassDecl *decl;

  if (qualifier == NULL)
    return TRUE;
  decl = decl_of (w, cls);
  return decl != NULL && wsim_class_decl_has_qualifier (decl, qualifier);
}

static int
compare_pair_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* "name=value,…" casefolded and sorted by name: the same text for the same keys whatever
 * their order and case (WMI compares key strings case-insensitively). */
static char *
keys_text (GPtrArray *pairs)
{
  GString *s = g_string_new (NULL);

  g_ptr_array_sort (pairs, compare_pair_names);
  for (guint i = 0; i < pairs->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, pairs->pdata[i]);
    }
  return g_string_free (s, FALSE);
}

static char *
pair (const char *name, const wsim_value *v)
{
  g_autofree char *text = wsim_value_to_string (v);
  g_autofree char *both = g_strdup_printf ("%s=%s", name, text);

  return g_utf8_casefold (both, -1);
}

static char *
path_keys_text (const WsimObjectPath *path)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; k < wsim_object_path_get_n_keys (path); k++)
    g_ptr_array_add (pairs, pair (wsim_object_path_get_key_name (path, k),
                                  wsim_object_path_get_key_value (path, k)));
  return keys_text (pairs);
}

static char *
object_keys_text (WsimObject *obj)
{
  WsimClass *cls = wsim_object_get_class (obj);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    if (wsim_class_get_prop (cls, i)->is_key)
      g_ptr_array_add (pairs, pair (wsim_class_get_prop (cls, i)->name, wsim_object_get_value (obj, i)));
  return keys_text (pairs);
}

static char *
endpoint_id (const char *class_name, const char *keys)
{
  g_autofree char *folded = g_utf8_casefold (class_name, -1);

  return g_strdup_printf ("%s.%s", folded, keys);
}

WsimAssocWalk *
wsim_assoc_walk_new (WsimRepository *repo, const char *ns, const WsimAssocWalkSpec *spec)
{
  WsimAssocWalk *w = g_new0 (WsimAssocWalk, 1);
  g_autofree char *source_text = wsim_object_path_to_string (spec->source);

  w->repo = repo;
  w->ns = g_strdup (ns);
  w->kind = spec->kind;
  w->source_cls = spec->source_cls;
  w->source_keys = path_keys_text (spec->source);
  /* A copy (the spec's is the server's): the path printed is one the parser reads back. */
  w->source = wsim_object_path_parse (source_text, NULL);
  w->assoc_class = spec->assoc_class;
  w->result_class = spec->result_class;
  w->role = g_strdup (spec->role);
  w->result_role = g_strdup (spec->result_role);
  w->keys_only = spec->keys_only;
  w->required_qualifier = g_strdup (spec->required_qualifier);
  w->required_assoc_qualifier = g_strdup (spec->required_assoc_qualifier);
  if (spec->class_defs_only)
    w->class_defs = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_decl_unref);
  w->step = STEP_SOURCE;
  w->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w->endpoint_classes = g_ptr_array_new ();
  return w;
}

void
wsim_assoc_walk_free (WsimAssocWalk *w)
{
  if (w == NULL)
    return;
  g_free (w->ns);
  g_free (w->source_keys);
  g_clear_pointer (&w->source, wsim_object_path_free);
  g_free (w->role);
  g_free (w->result_role);
  g_free (w->required_qualifier);
  g_free (w->required_assoc_qualifier);
  g_clear_pointer (&w->class_defs, g_ptr_array_unref);
  g_hash_table_unref (w->endpoints);
  g_ptr_array_unref (w->endpoint_classes);
  g_free (w);
}

/* Does the reference @ref name the source? Same keys, and classes of one line (a
 * reference may name the source by a superclass, or the source path by one). */
static gboolean
names_source (WsimAssocWalk *w, const WsimObjectPath *ref)
{
  g_autofree char *keys = path_keys_text (ref);
  const char *ref_class = wsim_object_path_get_class (ref);
  WsimClass *cls;

  if (g_strcmp0 (keys, w->source_keys) != 0)
    return FALSE;
  if (wsim_class_is_a (w->source_cls, ref_class))
    return TRUE;
  cls = wsim_repository_lookup_class (w->repo, w->ns, ref_class, NULL);
  return cls != NULL && wsim_class_is_a (cls, wsim_class_get_name (w->source_cls));
}

/* The reference property @idx of @obj, parsed; NULL when null or not a path. */
static WsimObjectPath *
ref_at (WsimObject *obj, guint idx)
{
  const wsim_value *v = wsim_object_get_value (obj, idx);

  if (v->type != CIM_REFERENCE || v->wsim_value_u.v_reference == NULL)
    return NULL;
  return wsim_object_path_parse (v->wsim_value_u.v_reference, NULL);
}

/* ASSOCIATORS: notes the objects @obj's other references (than @source_idx) name. */
static void
note_endpoints (WsimAssocWalk *w, WsimObject *obj, guint source_idx)
{
  WsimClass *cls = wsim_object_get_class (obj);

  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    {
      const wsim_property_def *def = wsim_class_get_prop (cls, i);
      g_autoptr(WsimObjectPath) ref = NULL;
      g_autofree char *keys = NULL;
      WsimClass *end_cls;
      char *id;

      if (i == source_idx || def->cimtype != CIM_REFERENCE
          || (w->result_role != NULL && g_ascii_strcasecmp (def->name, w->result_role) != 0)
          || (ref = ref_at (obj, i)) == NULL)
        continue;
      end_cls = wsim_repository_lookup_class (w->repo, w->ns, wsim_object_path_get_class (ref), NULL);
      if (end_cls == NULL
          || (w->result_class != NULL && !wsim_class_is_a (end_cls, wsim_class_get_name (w->result_class)))
          || !class_has (w, end_cls, w->required_qualifier))
        continue;
      keys = path_keys_text (ref);
      id = endpoint_id (wsim_class_get_name (end_cls), keys);
      if (!g_hash_table_contains (w->endpoints, id)
          && !g_ptr_array_find (w->endpoint_classes, end_cls, NULL))
        g_ptr_array_add (w->endpoint_classes, end_cls);
      g_hash_table_insert (w->endpoints, id,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (w->endpoints, id)) + 1));
    }
}

/* STEP_ASSOC: how many of @obj's references name the source (the Role one only, if
 * given); ASSOCIATORS notes the endpoints of each. */
static guint
take_association (WsimAssocWalk *w, WsimObject *obj)
{
  WsimClass *cls = wsim_object_get_class (obj);
  guint hits = 0;

  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    {
      const wsim_property_def *def = wsim_class_get_prop (cls, i);
      g_autoptr(WsimObjectPath) ref = NULL;

      if (def->cimtype != CIM_REFERENCE
          || (w->role != NULL && g_ascii_strcasecmp (def->name, w->role) != 0)
          || (ref = ref_at (obj, i)) == NULL || !names_source (w, ref))
        continue;
      hits++;
      if (w->kind == WSIM_WQL_ASSOCIATORS)
        note_endpoints (w, obj, i);
    }
  return hits;
}

static void
clear_non_keys (WsimObject *obj)
{
  WsimClass *cls = wsim_object_get_class (obj);

  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    if (!wsim_class_get_prop (cls, i)->is_key)
      wsim_value_clear (wsim_object_get_value (obj, i));
}

guint
wsim_assoc_walk_take (WsimAssocWalk *w, WsimObject *obj)
{
  guint n = 0;

  switch (w->step)
    {
    case STEP_SOURCE:
      {
        g_autofree char *keys = object_keys_text (obj);

        if (g_strcmp0 (keys, w->source_keys) == 0)
          w->found++;
        return 0;
      }
    case STEP_ASSOC:
      /* REFERENCES OF returns each association instance once, whichever of its
       * references name the source. */
      n = take_association (w, obj) > 0 && w->kind == WSIM_WQL_REFERENCES ? 1 : 0;
      break;
    case STEP_ENDPOINTS:
      {
        g_autofree char *keys = object_keys_text (obj);
        g_autofree char *id = endpoint_id (wsim_class_get_name (wsim_object_get_class (obj)), keys);
        gpointer key, times;

        /* Stolen: a provider that posts the same instance twice does not double it. */
        if (g_hash_table_steal_extended (w->endpoints, id, &key, &times))
          {
            n = GPOINTER_TO_UINT (times);
            g_free (key);
          }
        break;
      }
    default:
      return 0;
    }
  if (n > 0 && w->class_defs != NULL)
    {
      /* ClassDefsOnly: the result's class, once, instead of the result. */
      WsimClassDecl *decl = decl_of (w, wsim_object_get_class (obj));

      if (decl != NULL && !g_ptr_array_find (w->class_defs, decl, NULL))
        g_ptr_array_add (w->class_defs, wsim_class_decl_ref (decl));
      return 0;
    }
  if (n > 0 && w->keys_only)
    clear_non_keys (obj);
  return n;
}

GPtrArray *
wsim_assoc_walk_steal_class_defs (WsimAssocWalk *w)
{
  return g_steal_pointer (&w->class_defs);
}

/* Step 2's classes: the association classes with a provider, narrowed by the query. */
static void
add_association_classes (WsimAssocWalk *w, GPtrArray *classes)
{
  g_autoptr(GPtrArray) all = wsim_repository_list_all_classes (w->repo, w->ns);

  for (guint i = 0; i < all->len; i++)
    {
      WsimClass *cls = all->pdata[i];
      WsimClassDecl *decl = decl_of (w, cls);
      /* RequiredAssocQualifier (ASSOCIATORS) and RequiredQualifier (REFERENCES: its results
       * are the associations) ask it of the association class. */
      const char *wanted = w->kind == WSIM_WQL_ASSOCIATORS ? w->required_assoc_qualifier
                                                           : w->required_qualifier;
      gint role;

      if (decl == NULL || !wsim_class_decl_is_association (decl)
          || wsim_repository_get_provider (w->repo, w->ns, cls) == NULL
          || (w->assoc_class != NULL && !wsim_class_is_a (cls, wsim_class_get_name (w->assoc_class)))
          || !class_has (w, cls, wanted))
        continue;
      role = w->role != NULL ? wsim_class_find_prop (cls, w->role) : -1;
      if (w->role != NULL && (role < 0 || wsim_class_get_prop (cls, (guint) role)->cimtype != CIM_REFERENCE))
        continue;
      g_ptr_array_add (classes, wsim_class_ref (cls));
    }
}

WsimHResult
wsim_assoc_walk_next (WsimAssocWalk *w, GPtrArray *classes, const char **why)
{
  *why = "complete";
  switch (w->step)
    {
    case STEP_SOURCE:
      if (w->found == 0)
        {
          w->step = STEP_DONE;
          *why = "the source instance of the association query does not exist";
          return WBEM_E_NOT_FOUND;
        }
      w->step = STEP_ASSOC;
      add_association_classes (w, classes);
      break;
    case STEP_ASSOC:
      w->step = STEP_DONE;
      if (w->kind == WSIM_WQL_ASSOCIATORS)
        {
          w->step = STEP_ENDPOINTS;
          for (guint i = 0; i < w->endpoint_classes->len; i++)
            if (wsim_repository_get_provider (w->repo, w->ns, w->endpoint_classes->pdata[i]) != NULL)
              g_ptr_array_add (classes, wsim_class_ref (w->endpoint_classes->pdata[i]));
        }
      break;
    default:
      w->step = STEP_DONE;
      break;
    }
  return WBEM_S_NO_ERROR;
}
