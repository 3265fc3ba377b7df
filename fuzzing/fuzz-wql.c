/* fuzz-wql.c: the WQL parser (cim/wsim-wql.c) on arbitrary text. */
#include "fuzz-common.h"
#include "wsim-wql.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = wsim_wql_parse (text, &error);

  /* Exactly one of a query and an error: a parser that returns neither is a bug. */
  g_assert ((q == NULL) != (error == NULL));
  return 0;
}
