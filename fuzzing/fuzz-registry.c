/* fuzz-registry.c: the registry file's parser and lookups (cim/wsim-registry.c) on
 * arbitrary file text, in memory (wsim-registry-private.h: the steps a get, set and delete
 * run around reading and writing the file).
 *
 * Every value the text holds is looked up by its group and name when the registry's name
 * rules accept them, then set: the text the set writes must parse again and give back the
 * DWORD set (a set that cannot be read back would lose a setting).
 */
#include "fuzz-common.h"
#include "wsim-registry-private.h"

#define FUZZ_DWORD 0x5eca11edu

static void
fuzz_value (GKeyFile *kf, const char *group, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *canonical = wsim_registry_check_names (group, name, &error);
  g_autoptr (GKeyFile) again = g_key_file_new ();
  g_autofree char *text = NULL;
  guint32 data = FUZZ_DWORD, out = 0;
  gsize len = 0;

  g_assert ((canonical == NULL) != (error == NULL));
  if (canonical == NULL)
    return;
  if (!wsim_registry_find_dword (kf, "fuzz", canonical, name, &out, &error))
    {
      g_assert (error != NULL);
      g_clear_error (&error);
    }
  g_assert (wsim_registry_change (kf, canonical, name, &data, NULL));
  text = g_key_file_to_data (kf, &len, NULL);
  if (!wsim_registry_parse (again, "fuzz (rewritten)", text, len, &error))
    g_error ("a set wrote a file that does not parse: %s\n%s", error->message, text);
  if (!wsim_registry_find_dword (again, "fuzz (rewritten)", canonical, name, &out, &error))
    g_error ("a set does not read back: %s\n%s", error->message, text);
  g_assert_cmpuint (out, ==, FUZZ_DWORD);
  g_assert (wsim_registry_change (again, canonical, name, NULL, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) groups = NULL;

  if (!wsim_registry_parse (kf, "fuzz", (const char *) data, size, &error))
    {
      g_assert (error != NULL);
      return 0;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (char **g = groups; *g != NULL; g++)
    {
      g_auto (GStrv) names = g_key_file_get_keys (kf, *g, NULL, NULL);

      for (char **n = names; n != NULL && *n != NULL; n++)
        fuzz_value (kf, *g, *n);
    }
  return 0;
}
