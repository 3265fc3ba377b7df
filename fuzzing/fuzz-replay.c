/* fuzz-replay.c: runs a fuzz target on every file of corpus directories, without libFuzzer.
 *
 * Linked with one target in place of libFuzzer's main(), built with the normal compiler,
 * so the plain, valgrind and ASan+UBSan test setups replay each committed corpus (and the
 * crash regressions in it) on every run. Usage: fuzz-replay-TARGET DIR-OR-FILE...
 * Exits 0 when every input ran; a bug aborts (g_assert) or is reported by the sanitizer.
 */
#include "fuzz-common.h"

#include <stdio.h>

static gboolean
replay_file (const char *path, guint *count)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  /* An exact-size copy, so ASan and valgrind catch a read one past the input. */
  g_autofree guint8 *copy = g_memdup2 (contents, len);
  LLVMFuzzerTestOneInput (copy, len);
  (*count)++;
  return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static gboolean
replay_path (const char *path, guint *count)
{
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return replay_file (path, count);

  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  /* Sorted, so a failure names the same input on every run. */
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    if (!replay_file (names->pdata[i], count))
      return FALSE;
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint count = 0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s DIR-OR-FILE...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    if (!replay_path (argv[i], &count))
      return 1;
  printf ("replayed %u inputs\n", count);
  return count > 0 ? 0 : 1;
}
