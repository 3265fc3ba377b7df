/* wsim-test-files.c: temporary directories removed (see the header). */
#include "wsim-test-files.h"

#include <glib/gstdio.h>

void
wsim_test_remove_dir (const char *path)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (path == NULL)
    return;
  d = g_dir_open (path, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (path, name, NULL);

      if (g_unlink (p) != 0)
        g_rmdir (p);
    }
  g_rmdir (path);
}
