/* wsim-static-provider.c: the built-in provider of classes whose instances are given, not
 * computed (MOF classes; see wsim-static-provider.h). */
#include "wsim-static-provider.h"

#include "wsim-provider-host.h"
#include "wsim-value.h"

typedef struct {
  GPtrArray *instances;   /* (owned) WsimObject* (owned), immutable once registered */
} StaticState;

/* One call's position (ctx->provider_data): the next instance to look at. */
typedef struct {
  StaticState *state;     /* (unowned) */
  char        *class_name; /* (owned) */
  guint        next;
} StaticCall;

gpointer
wsim_static_provider_state_new (GPtrArray *instances)
{
  StaticState *s = g_new0 (StaticState, 1);

  s->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  for (guint i = 0; instances != NULL && i < instances->len; i++)
    g_ptr_array_add (s->instances, wsim_object_ref (instances->pdata[i]));
  return s;
}

static void
static_unload (void *state)
{
  StaticState *s = state;

  g_ptr_array_unref (s->instances);
  g_free (s);
}

/* Posts a copy of each instance of the call's class until BUSY (resume() goes on), DROPPED
 * or the end (then the result, the last thing done). The copy is made through the ABI's
 * new_instance, and its values copied whole, because the ABI's setters have no arm for
 * arrays, references or char16 and the instance the host made is a WsimObject. */
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

/* No classes of its own: the repository registers the classes with the table. GetObject
 * and WQL are the runtime's filtering over enumerate. */
const WsimProvider wsim_static_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "static",
  .unload = static_unload,
  .enumerate = static_enumerate,
  .resume = static_resume,
  .finish = static_finish,
};
