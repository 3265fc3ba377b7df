/* test-bad-abi/provider.c: a provider module built for an ABI the runtime does not know
 * (abi_version 999). It exists only so the runtime's loader can be seen refusing it; its
 * table is otherwise well formed, so the version is the only reason to refuse.
 */
#include "wsim-provider.h"

#define WSIM_PROVIDER_EXPORT __attribute__((visibility("default")))

static const WsimProvProperty bad_abi_props[] = {
  { "Id", WSIM_PROV_UINT32, 1 },
};

static const WsimProvClass bad_abi_classes[] = {
  { "Sim_BadAbi", NULL, bad_abi_props, sizeof bad_abi_props / sizeof bad_abi_props[0] },
};

static void
bad_abi_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  /* Never reached by a correct runtime; answer sanely if it is. */
  ctx->ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "bad-ABI test provider");
}

static const WsimProvider bad_abi_provider = {
  .abi_version = 999,
  .name = "test-bad-abi",
  .classes = bad_abi_classes,
  .n_classes = sizeof bad_abi_classes / sizeof bad_abi_classes[0],
  .enumerate = bad_abi_enumerate,
};

WSIM_PROVIDER_EXPORT const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

WSIM_PROVIDER_EXPORT const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  return &bad_abi_provider;
}
