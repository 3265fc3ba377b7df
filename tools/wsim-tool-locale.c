/* wsim-tool-locale.c: see wsim-tool-locale.h. */
#include "wsim-tool-locale.h"

#include <locale.h>
#include <glib.h>

void
wsim_tool_use_utf8 (void)
{
  /* g_get_charset() notices the change: it recomputes when the locale's charset differs. */
  if (setlocale (LC_CTYPE, "") == NULL || !g_get_charset (NULL))
    setlocale (LC_CTYPE, "C.UTF-8");
}
