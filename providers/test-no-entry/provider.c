/* test-no-entry/provider.c: a provider module without the entry point, for the runtime's
 * load-refusal test. It makes the common mistake: wsim_provider_entry is defined but the
 * module is built with hidden visibility and the function lacks the export attribute, so
 * dlsym() cannot find it. The one exported symbol has a different name, so the module is
 * a valid shared object that exports something.
 */
#include "wsim-provider.h"

static const WsimProvProperty no_entry_props[] = {
  { "Id", WSIM_PROV_UINT32, 1 },
};

static const WsimProvClass no_entry_classes[] = {
  { "Sim_NoEntry", NULL, no_entry_props, sizeof no_entry_props / sizeof no_entry_props[0] },
};

static const WsimProvider no_entry_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-no-entry",
  .classes = no_entry_classes,
  .n_classes = sizeof no_entry_classes / sizeof no_entry_classes[0],
};

/* Hidden: not in the dynamic symbol table. */
const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  return &no_entry_provider;
}

/* Exported under a name the runtime does not look for. */
__attribute__((visibility("default"))) const WsimProvider *wsim_provider_entry_v0 (void);

__attribute__((visibility("default"))) const WsimProvider *
wsim_provider_entry_v0 (void)
{
  return wsim_provider_entry (WSIM_PROVIDER_ABI_VERSION);
}
