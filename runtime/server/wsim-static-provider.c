/* wsim-static-provider.c: the built-in provider of classes whose instances are given, not
 * computed (MOF classes; see wsim-static-provider.h). */
#include "wsim-static-provider.h"

#include "wsim-provider-host.h"
#include "wsim-repository-store.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

typedef struct {
  GPtrArray      *instances; /* (owned) WsimObject* (owned); an instance is never changed in
                              * place (a put replaces it), so a call's copy stays consistent */
  WsimRepository *repo;      /* (unowned) it owns the registration that owns this state */
  char           *ns;        /* (owned) */
} StaticState;

/* One call's position (ctx->provider_data): the next instance to look at. */
typedef struct {
  StaticState *state;     /* (unowned) */
  char        *class_name; /* (owned) */
  guint        next;
} StaticCall;

gpointer
wsim_static_provider_state_new (WsimRepository *repo, const char *ns, GPtrArray *instances)
{
  StaticState *s = g_new0 (StaticState, 1);

  s->repo = repo;
  s->ns = g_strdup (ns);
  s->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  for (guint i = 0; instances != NULL && i < instances->len; i++)
    g_ptr_array_add (s->instances, wsim_object_ref (instances->pdata[i]));
  return s;
}

gboolean
wsim_static_provider_has_instances (gpointer state, const char *class_name)
{
  StaticState *s = state;

  for (guint i = 0; i < s->instances->len; i++)
    if (g_ascii_strcasecmp (wsim_class_get_name (wsim_object_get_class (s->instances->pdata[i])),
                            class_name) == 0)
      return TRUE;
  return FALSE;
}

static void
static_unload (void *state)
{
  StaticState *s = state;

  g_ptr_array_unref (s->instances);
  g_free (s->ns);
  g_free (s);
}

const char *
wsim_static_state_get_ns (gpointer state)
{
  return ((StaticState *) state)->ns;
}

GPtrArray *
wsim_static_state_get_instances (gpointer state)
{
  return ((StaticState *) state)->instances;
}

/* Do @a and @b declare the same keys (by name)? */
static gboolean
same_key_names (WsimClass *a, WsimClass *b)
{
  guint na = 0, nb = 0;

  for (guint i = 0; i < wsim_class_get_n_props (a); i++)
    if (wsim_class_get_prop (a, i)->is_key)
      {
        gint j = wsim_class_find_prop (b, wsim_class_get_prop (a, i)->name);

        if (j < 0 || !wsim_class_get_prop (b, (guint) j)->is_key)
          return FALSE;
        na++;
      }
  for (guint i = 0; i < wsim_class_get_n_props (b); i++)
    nb += wsim_class_get_prop (b, i)->is_key ? 1 : 0;
  return na > 0 && na == nb;
}

/* The class that defines @cls's keys: its highest ancestor with the same keys. Instances of
 * the classes below one key-defining class share one key space, as in WMI's repository (an
 * instance path through the base class names the subclass's instance). */
static WsimClass *
key_class (WsimClass *cls)
{
  WsimClass *root = cls;

  for (WsimClass *p = wsim_class_get_parent (cls); p != NULL && same_key_names (p, cls);
       p = wsim_class_get_parent (p))
    root = p;
  return root;
}

/* Has @obj @want's key values (the keys of @want's class)? */
static gboolean
has_keys_of (WsimObject *obj, WsimObject *want)
{
  WsimClass *cls = wsim_object_get_class (want);

  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    {
      const wsim_property_def *def = wsim_class_get_prop (cls, i);
      const wsim_value *have;
      int cmp;

      if (!def->is_key)
        continue;
      have = wsim_object_lookup (obj, def->name);
      if (have == NULL || !wsim_value_compare (have, wsim_object_get_value (want, i), &cmp)
          || cmp != 0)
        return FALSE;
    }
  return TRUE;
}

/* Is @obj of @want's class, with @want's key values? */
static gboolean
same_keys (WsimObject *obj, WsimObject *want)
{
  return g_ascii_strcasecmp (wsim_class_get_name (wsim_object_get_class (obj)),
                             wsim_class_get_name (wsim_object_get_class (want))) == 0
         && has_keys_of (obj, want);
}

/* An instance, of another class than @obj's but under the same key-defining class, with
 * @obj's keys, in any static state of @s's namespace; NULL if none. (transfer none) */
static WsimObject *
key_taken_elsewhere (StaticState *s, WsimObject *obj)
{
  g_autoptr(GPtrArray) states = wsim_repository_static_states (s->repo);
  WsimClass *cls = wsim_object_get_class (obj);
  const char *root = wsim_class_get_name (key_class (cls));

  for (guint i = 0; i < states->len; i++)
    {
      GPtrArray *insts = wsim_static_state_get_instances (states->pdata[i]);

      if (g_ascii_strcasecmp (wsim_static_state_get_ns (states->pdata[i]), s->ns) != 0)
        continue;
      for (guint k = 0; k < insts->len; k++)
        {
          WsimClass *other = wsim_object_get_class (insts->pdata[k]);

          if (g_ascii_strcasecmp (wsim_class_get_name (other), wsim_class_get_name (cls)) != 0
              && g_ascii_strcasecmp (wsim_class_get_name (key_class (other)), root) == 0
              && has_keys_of (insts->pdata[k], obj))
            return insts->pdata[k];
        }
    }
  return NULL;
}

guint32
wsim_static_state_put (gpointer state, WsimObject *obj, guint32 flags, char **why)
{
  StaticState *s = state;
  WsimClass *cls = wsim_object_get_class (obj);
  guint n = wsim_class_get_n_props (cls);
  WsimObject *taken = key_taken_elsewhere (s, obj);
  WsimObject *copy;

  /* "Changing the Inheritance of an Instance": an instance changes class only by a delete
   * and a create; a put of these keys as another class would replace the instance of the
   * first, so it is refused rather than made to lose that one. */
  if (taken != NULL)
    {
      g_autofree char *path = wsim_object_get_path (taken);

      if (why != NULL)
        *why = g_strdup_printf ("%s is an instance of %s with these keys: delete it before "
                                "creating it as %s", path,
                                wsim_class_get_name (wsim_object_get_class (taken)),
                                wsim_class_get_name (cls));
      return WBEM_E_ALREADY_EXISTS;
    }
  copy = wsim_object_new (cls);
  for (guint i = 0; i < n; i++)
    wsim_value_copy (wsim_object_get_value (obj, i), wsim_object_get_value (copy, i));
  for (guint k = 0; k < s->instances->len; k++)
    if (same_keys (s->instances->pdata[k], obj))
      {
        if (flags & WBEM_FLAG_CREATE_ONLY)
          {
            wsim_object_unref (copy);
            if (why != NULL)
              *why = g_strdup ("an instance with these keys exists");
            return WBEM_E_ALREADY_EXISTS;
          }
        /* Replaced, not changed in place: an enumeration holding the old one is unaffected. */
        wsim_repository_store_instance_changed (s->repo, s->ns, s->instances->pdata[k], copy);
        wsim_object_unref (s->instances->pdata[k]);
        s->instances->pdata[k] = copy;
        return WBEM_S_NO_ERROR;
      }
  if (flags & WBEM_FLAG_UPDATE_ONLY)
    {
      wsim_object_unref (copy);
      if (why != NULL)
        *why = g_strdup ("no instance has these keys");
      return WBEM_E_NOT_FOUND;
    }
  g_ptr_array_add (s->instances, copy);
  wsim_repository_store_instance_changed (s->repo, s->ns, NULL, copy);
  return WBEM_S_NO_ERROR;
}

gint
wsim_static_state_find (gpointer state, const char *class_name, const WsimProvKey *keys,
                        gsize n_keys)
{
  StaticState *s = state;

  for (guint k = 0; k < s->instances->len; k++)
    {
      WsimObject *obj = s->instances->pdata[k];
      gboolean match = g_ascii_strcasecmp (wsim_class_get_name (wsim_object_get_class (obj)),
                                           class_name) == 0;

      for (gsize i = 0; match && i < n_keys; i++)
        {
          const wsim_value *have = wsim_object_lookup (obj, keys[i].name);
          wsim_value want = { 0 };
          int cmp;

          /* The path's text against the stored value: wsim_value_compare reads a string as
           * a number when the other side is one, and folds case for strings (WMI's keys). */
          wsim_value_set_string (&want, keys[i].value);
          match = have != NULL && wsim_value_compare (have, &want, &cmp) && cmp == 0;
          wsim_value_clear (&want);
        }
      if (match)
        return (gint) k;
    }
  return -1;
}

guint32
wsim_static_state_delete (gpointer state, const char *class_name, const WsimProvKey *keys,
                          gsize n_keys)
{
  StaticState *s = state;
  gint k = wsim_static_state_find (state, class_name, keys, n_keys);

  if (k < 0)
    return WBEM_E_NOT_FOUND;
  wsim_repository_store_instance_changed (s->repo, s->ns, s->instances->pdata[k], NULL);
  g_ptr_array_remove_index (s->instances, (guint) k);
  return WBEM_S_NO_ERROR;
}

/* Posts a copy of each instance of the call's class until BUSY (resume() goes on), DROPPED
 * or the end (then the result, the last thing done). A put or delete between two steps of
 * a paused enumeration moves the cursor's position in the list: that enumeration may then
 * miss or repeat one instance (each one it posts is whole: a put replaces, never edits).
 * The copy is made through the ABI's new_instance, and its values copied whole, because
 * the ABI's setters have no arm for arrays, references or char16 and the instance the host
 * made is a WsimObject. */
static void
static_step (WsimProvContext *ctx)
{
  const WsimProvContextOps *ops = ctx->ops;
  StaticCall *c = ctx->provider_data;

  if (ops->is_cancelled (ctx))
    return;
  while (c->next < c->state->instances->len)
    {
      WsimObject *src = c->state->instances->pdata[c->next++];
      WsimProvInstance *inst;
      WsimObject *dst;
      WsimProvStatus st;

      if (g_ascii_strcasecmp (wsim_class_get_name (wsim_object_get_class (src)), c->class_name) != 0)
        continue;
      inst = ops->new_instance (ctx, c->class_name);
      if (inst == NULL)
        {
          ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "static: cannot create an instance");
          return;
        }
      dst = wsim_prov_host_instance_object (inst);
      for (guint i = 0; i < wsim_class_get_n_props (wsim_object_get_class (src)); i++)
        wsim_value_copy (wsim_object_get_value (src, i), wsim_object_get_value (dst, i));
      st = ops->post_instance (ctx, inst);
      if (st == WSIM_PROV_BUSY || st == WSIM_PROV_DROPPED)
        return;
    }
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static void
static_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  StaticCall *c = g_new0 (StaticCall, 1);

  c->state = state;
  c->class_name = g_strdup (class_name);
  ctx->provider_data = c;
  static_step (ctx);
}

static void
static_resume (void *state, WsimProvContext *ctx)
{
  if (ctx->provider_data != NULL)
    static_step (ctx);
}

static void
static_finish (void *state, WsimProvContext *ctx)
{
  StaticCall *c = ctx->provider_data;

  if (c != NULL)
    g_free (c->class_name);
  g_clear_pointer (&ctx->provider_data, g_free);
}

/* The store has the change; the call holds its success back until the store says it is
 * durable (wsim-call.c), so the provider can post its result at once. */
static void
static_put (void *state, WsimProvContext *ctx, const char *class_name,
            const WsimProvInstance *inst, uint32_t flags)
{
  g_autofree char *why = NULL;
  guint32 hr = wsim_static_state_put (state, wsim_prov_host_instance_object ((WsimProvInstance *) inst),
                                      flags, &why);

  ctx->ops->post_result (ctx, hr, why);
}

static void
static_delete (void *state, WsimProvContext *ctx, const char *class_name, const WsimProvKey *keys,
               size_t n_keys)
{
  guint32 hr = wsim_static_state_delete (state, class_name, keys, n_keys);

  ctx->ops->post_result (ctx, hr, hr == WBEM_E_NOT_FOUND ? "no instance has these keys" : NULL);
}

/* No classes of its own: the repository registers the classes with the table. GetObject
 * and WQL are the runtime's filtering over enumerate. */
const WsimProvider wsim_static_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "static",
  .unload = static_unload,
  .enumerate = static_enumerate,
  .resume = static_resume,
  .finish = static_finish,
  .put_instance = static_put,
  .delete_instance = static_delete,
};
