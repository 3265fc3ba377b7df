/* wsim-test-mof-file.h: a MOF source in a file of its own, for the tests that load MOF by
 * path (suite mof). Header only: the tests that use it link nothing else of tests/common. */
#pragma once

#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>

/* Writes @text to t.mof in a new temporary directory. Returns: (transfer full) the path,
 * to remove with wsim_test_mof_drop(). */
static inline char *
wsim_test_mof_write (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wsim-mof-XXXXXX", &error);
  char *path;

  cr_assert_not_null (dir, "%s", error ? error->message : "");
  path = g_build_filename (dir, "t.mof", NULL);
  cr_assert (g_file_set_contents (path, text, -1, &error), "%s", error ? error->message : "");
  return path;
}

/* Removes the file and its directory and frees @path. */
static inline void
wsim_test_mof_drop (char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
}
