/* fuzz-object-path.c: the object path parser and printer (cim/wsim-object-path.c). */
#include "fuzz-common.h"
#include "wsim-object-path.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimObjectPath) path = wsim_object_path_parse (text, &error);

  g_assert ((path == NULL) != (error == NULL));
  return 0;
}
