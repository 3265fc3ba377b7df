/* sim-faulty/provider.c: Sim_Faulty, a provider that breaks the contract in one chosen
 * way, so the runtime's guards can be seen at work. Parameter `mode`:
 *   no_result          posts 2 instances and never a result
 *   two_results        posts 1 instance, then a result S_OK, then a result E_FAILED
 *   post_after_result  posts a result S_OK, then 1 instance in the same breath (a timer
 *                      would never fire: the runtime ends the call at its result)
 *   error              posts a result E_FAILED "simulated failure" (no instance)
 *   slow               posts 1 instance every 10 ms until cancelled, never a result
 * A missing or unknown mode ends the call with WBEM_E_INVALID_PARAMETER.
 *
 * It has no resume(): as the ABI allows, it does not stop on BUSY. Only `slow` keeps
 * state (FaultyCall, in ctx->provider_data, freed in finish()).
 */
#include "wsim-provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WSIM_PROVIDER_EXPORT __attribute__((visibility("default")))

#define CLASS_NAME "Sim_Faulty"
#define SLOW_PERIOD_MS 10

enum { P_ID, P_NOTE, N_PROPS };

static const WsimProvProperty faulty_props[N_PROPS] = {
  [P_ID]   = { "Id",   WSIM_PROV_UINT32, 1 },
  [P_NOTE] = { "Note", WSIM_PROV_STRING, 0 },
};

static const WsimProvClass faulty_classes[] = {
  { CLASS_NAME, NULL, faulty_props, N_PROPS },
};

/* A `slow` call: how many instances it has posted. */
typedef struct {
  uint32_t posted;
} FaultyCall;

/* Posts instance @id with @note; returns what post_instance() said, or DROPPED when the
 * instance could not be built. */
static WsimProvStatus
post_one (WsimProvContext *ctx, uint32_t id, const char *note)
{
  const WsimProvContextOps *ops = ctx->ops;
  WsimProvInstance *inst = ops->new_instance (ctx, CLASS_NAME);
  if (inst == NULL)
    return WSIM_PROV_DROPPED;
  if (ops->set_uint64_at (inst, P_ID, id) != 0 || ops->set_string_at (inst, P_NOTE, note) != 0)
    {
      ops->free_instance (inst);
      return WSIM_PROV_DROPPED;
    }
  return ops->post_instance (ctx, inst);
}


static void
slow_tick (WsimProvContext *ctx, void *data)
{
  FaultyCall *fc = ctx->provider_data;
  if (fc == NULL || ctx->ops->is_cancelled (ctx))
    return;

  char note[32];
  snprintf (note, sizeof note, "slow #%u", (unsigned) fc->posted);
  WsimProvStatus st = post_one (ctx, fc->posted, note);
  if (st == WSIM_PROV_DROPPED)
    return;
  fc->posted++;
  ctx->ops->call_later (ctx, SLOW_PERIOD_MS, slow_tick, NULL);
}

static void
faulty_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;
  const char *mode = ops->get_param (ctx, "mode");

  if (mode == NULL)
    ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "Sim_Faulty: no mode");
  else if (strcmp (mode, "no_result") == 0)
    {
      post_one (ctx, 1, "no_result #1");
      post_one (ctx, 2, "no_result #2");
    }
  else if (strcmp (mode, "two_results") == 0)
    {
      post_one (ctx, 1, "two_results");
      ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
      ops->post_result (ctx, WSIM_PROV_E_FAILED, "second result");
    }
  else if (strcmp (mode, "post_after_result") == 0)
    {
      ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
      post_one (ctx, 1, "after the result");
    }
  else if (strcmp (mode, "error") == 0)
    ops->post_result (ctx, WSIM_PROV_E_FAILED, "simulated failure");
  else if (strcmp (mode, "slow") == 0)
    {
      FaultyCall *fc = calloc (1, sizeof *fc);
      if (fc == NULL)
        {
          ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "Sim_Faulty: out of memory");
          return;
        }
      ctx->provider_data = fc;
      ops->call_later (ctx, SLOW_PERIOD_MS, slow_tick, NULL);
    }
  else
    ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "Sim_Faulty: unknown mode");
}

static void
faulty_finish (void *state, WsimProvContext *ctx)
{
  free (ctx->provider_data);
  ctx->provider_data = NULL;
}

static const WsimProvider faulty_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION_1,   /* kept at version 1: proves v1 tables load */
  .name = "sim-faulty",
  .classes = faulty_classes,
  .n_classes = sizeof faulty_classes / sizeof faulty_classes[0],
  .enumerate = faulty_enumerate,
  .finish = faulty_finish,
};

WSIM_PROVIDER_EXPORT const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

WSIM_PROVIDER_EXPORT const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  return &faulty_provider;
}
