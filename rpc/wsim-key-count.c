/* wsim-key-count.c: a table of counts by string key (see wsim-key-count.h). */
#include "wsim-key-count.h"

GHashTable *
wsim_key_count_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

guint
wsim_key_count_get (GHashTable *counts, const char *key)
{
  return key != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) : 0;
}

void
wsim_key_count_add (GHashTable *counts, const char *key, gint delta)
{
  guint n;

  if (key == NULL)
    return;
  n = wsim_key_count_get (counts, key) + (guint) delta;
  if (n == 0)
    g_hash_table_remove (counts, key);
  else
    g_hash_table_insert (counts, g_strdup (key), GUINT_TO_POINTER (n));
}
