/* fuzz-moniker.c: the scripting moniker parser (cim/wsim-moniker.c). */
#include "fuzz-common.h"
#include "wsim-moniker.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr (GError) error = NULL;
  WsimMoniker m = WSIM_MONIKER_INIT;
  gboolean ok = wsim_moniker_parse (text, &m, &error);

  g_assert (ok == (error == NULL));
  if (ok)
    {
      /* A parsed moniker always has a server and a namespace (wsim-moniker.h). */
      g_assert (m.server != NULL && m.namespace_path != NULL);
      WsimBlanket b = WSIM_BLANKET_INIT;
      wsim_moniker_apply (&m, &b);
      wsim_blanket_clear (&b);
    }
  wsim_moniker_clear (&m);
  return 0;
}
