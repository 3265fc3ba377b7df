/* fuzz-mof.c: the MOF compiler (cim/wsim-mof.c) on arbitrary source text. */
#include "fuzz-common.h"
#include "wsim-mof.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr (GError) error = NULL;

  g_autoptr (WsimMofResult) res = wsim_mof_compile_string (text, "fuzz.mof", NULL, NULL, &error);
  g_assert ((res == NULL) != (error == NULL));
  return 0;
}
