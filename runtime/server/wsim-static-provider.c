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

/* Is @obj of @want's class, with @want's key values? */
static gboolean
same_keys (WsimObject *obj, WsimObject *want)
{
  WsimClass *cls = wsim_object_get_class (want);

  if (g_ascii_strcasecmp (wsim_class_get_name (wsim_object_get_class (obj)),
                          wsim_class_get_name (cls)) != 0)
    return FALSE;
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

guint32
wsim_static_state_put (gpointer state, WsimObject *obj, guint32 flags)
{
  StaticState *s = state;
  WsimClass *cls = wsim_object_get_class (obj);
  guint n = wsim_class_get_n_props (cls);
  WsimObject *copy = wsim_object_new (cls);

  for (guint i = 0; i < n; i++)
    wsim_value_copy (wsim_object_get_value (obj, i), wsim_object_get_value (copy, i));
  for (guint k = 0; k < s->instances->len; k++)
    if (same_keys (s->instances->pdata[k], obj))
      {
        if (flags & WBEM_FLAG_CREATE_ONLY)
          {
            wsim_object_unref (copy);
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
      return WBEM_E_NOT_FOUND;
    }
  g_ptr_array_add (s->instances, copy);
  wsim_repository_store_instance_changed (s->repo, s->ns, NULL, copy);
  return WBEM_S_NO_ERROR;
}

guint32
wsim_static_state_delete (gpointer state, const char *class_name, const WsimProvKey *keys,
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
        {
          wsim_repository_store_instance_changed (s->repo, s->ns, obj, NULL);
          g_ptr_array_remove_index (s->instances, k);
          return WBEM_S_NO_ERROR;
        }
    }
  return WBEM_E_NOT_FOUND;
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
  guint32 hr = wsim_static_state_put (state, wsim_prov_host_instance_object ((WsimProvInstance *) inst),
                                      flags);

  ctx->ops->post_result (ctx, hr, hr == WBEM_E_ALREADY_EXISTS ? "an instance with these keys exists"
                         : hr == WBEM_E_NOT_FOUND ? "no instance has these keys" : NULL);
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
