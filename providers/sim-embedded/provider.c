/* sim-embedded/provider.c: Sim_Embedded, instances that hold embedded objects (CIM_OBJECT),
 * the shape of an event's TargetInstance and PreviousInstance.
 *
 * Sim_Target (Name key, Size) has two instances, "alpha" (Size 1) and "beta \"2\"" (Size 2).
 * Sim_Embedded (Id key) has two: Id 1 whose TargetInstance is alpha and whose
 * PreviousInstance is null, as a creation event's; Id 2 whose TargetInstance is beta and
 * whose PreviousInstance is beta as it was before (Size 1), as a modification event's.
 */
#include "wsim-provider.h"

#include <strings.h>

#define WSIM_PROVIDER_EXPORT __attribute__((visibility("default")))

static const WsimProvProperty target_props[] = {
  { "Name", WSIM_PROV_STRING, 1 },
  { "Size", WSIM_PROV_UINT32, 0 },
};

static const WsimProvProperty embedded_props[] = {
  { "Id", WSIM_PROV_UINT32, 1 },
  { "TargetInstance", WSIM_PROV_OBJECT, 0 },
  { "PreviousInstance", WSIM_PROV_OBJECT, 0 },
};

static const WsimProvClass embedded_classes[] = {
  { "Sim_Target", NULL, target_props, sizeof target_props / sizeof target_props[0] },
  { "Sim_Embedded", NULL, embedded_props, sizeof embedded_props / sizeof embedded_props[0] },
};

static const struct {
  const char *name;
  unsigned    size;
} targets[] = { { "alpha", 1 }, { "beta \"2\"", 2 } };

/* A Sim_Target instance, or NULL if the runtime refused one (the call then fails). */
static WsimProvInstance *
new_target (WsimProvContext *ctx, const char *name, unsigned size)
{
  const WsimProvContextOps *ops = ctx->ops;
  WsimProvInstance *t = ops->new_instance (ctx, "Sim_Target");

  if (t != NULL && (ops->set_string (t, "Name", name) != 0 || ops->set_uint64 (t, "Size", size) != 0))
    {
      ops->free_instance (t);
      return NULL;
    }
  return t;
}

/* Sim_Embedded Id @id: TargetInstance is targets[@id - 1], PreviousInstance for Id 2 only. */
static int
post_embedded (WsimProvContext *ctx, unsigned id)
{
  const WsimProvContextOps *ops = ctx->ops;
  WsimProvInstance *inst = ops->new_instance (ctx, "Sim_Embedded");
  WsimProvInstance *target = new_target (ctx, targets[id - 1].name, targets[id - 1].size);
  WsimProvInstance *previous = id == 2 ? new_target (ctx, targets[1].name, 1) : NULL;
  int ok = inst != NULL && target != NULL && (id != 2 || previous != NULL)
           && ops->set_uint64 (inst, "Id", id) == 0
           && ops->set_object (inst, "TargetInstance", target) == 0
           && ops->set_object (inst, "PreviousInstance", previous) == 0;

  /* set_object copies: the parts stay ours. */
  if (target != NULL)
    ops->free_instance (target);
  if (previous != NULL)
    ops->free_instance (previous);
  if (!ok)
    {
      if (inst != NULL)
        ops->free_instance (inst);
      return -1;
    }
  ops->post_instance (ctx, inst);
  return 0;
}

/* Few instances: all are posted at once (a BUSY answer needs no resume()). */
static void
embedded_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;

  (void) state;
  for (unsigned i = 0; i < sizeof targets / sizeof targets[0]; i++)
    {
      int failed;

      if (strcasecmp (class_name, "Sim_Target") == 0)
        {
          WsimProvInstance *t = new_target (ctx, targets[i].name, targets[i].size);

          failed = t == NULL;
          if (t != NULL)
            ops->post_instance (ctx, t);
        }
      else
        failed = post_embedded (ctx, i + 1) != 0;
      if (failed)
        {
          ops->post_result (ctx, WSIM_PROV_E_FAILED, "could not build an instance");
          return;
        }
    }
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static const WsimProvider embedded_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "sim-embedded",
  .classes = embedded_classes,
  .n_classes = sizeof embedded_classes / sizeof embedded_classes[0],
  .enumerate = embedded_enumerate,
};

WSIM_PROVIDER_EXPORT const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

WSIM_PROVIDER_EXPORT const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  return runtime_abi_version >= WSIM_PROVIDER_ABI_VERSION ? &embedded_provider : NULL;
}
