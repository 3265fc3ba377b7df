/* wsim-key-count.h: a table of counts by string key, holding only the keys whose count is
 * not 0 (what a per-peer or per-client cap counts in). Internal.
 *
 * Threading: one thread at a time (a GHashTable).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** Returns: (transfer full) an empty table: string keys (owned) -> counts. */
GHashTable *wsim_key_count_new (void);

/** Returns: @key's count in @counts; 0 for a key not in it, and for a NULL @key. */
guint wsim_key_count_get (GHashTable *counts, const char *key);

/**
 * wsim_key_count_add:
 * @key: (nullable) NULL: counted nowhere, nothing happens
 * Changes @key's count by @delta; a count that reaches 0 leaves the table.
 */
void wsim_key_count_add (GHashTable *counts, const char *key, gint delta);

G_END_DECLS
