/* wsim-registry-private.h: the registry file's parser and lookups, on a file's text in
 * memory. Internal; not installed.
 *
 * wsim-registry.c's get, set and delete are these steps around reading and writing the
 * file; fuzzing/fuzz-registry.c runs the same steps on text it makes up.
 *
 * Threading: any thread; @kf is the caller's, one thread at a time.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * wsim_registry_check_names:
 * Checks @key (a key path) and @value (a value name) as wsim-registry.h spells them.
 * Returns: (transfer full) @key with its hive abbreviated, or NULL with
 *   G_IO_ERROR_INVALID_ARGUMENT saying what is wrong.
 */
char *wsim_registry_check_names (const char *key, const char *value, GError **error);

/**
 * wsim_registry_parse:
 * @origin: what the text is, for messages (the file's path)
 * @text: (array length=len) the registry file's contents, not necessarily NUL-terminated
 * Loads @text into the empty @kf.
 * Returns: FALSE with G_IO_ERROR_INVALID_DATA (naming @origin) for text that is not UTF-8
 *   or not a key file.
 */
gboolean wsim_registry_parse (GKeyFile *kf, const char *origin, const char *text, gsize len,
                              GError **error);

/**
 * wsim_registry_find_dword:
 * @canonical: a key path as wsim_registry_check_names() returned it
 * @value: a value name it accepted
 * Looks @canonical\@value up in @kf, ignoring case.
 * Returns: TRUE with *@out set, or FALSE with G_IO_ERROR_NOT_FOUND, or INVALID_DATA (naming
 *   @origin) for a value that is not a dword.
 */
gboolean wsim_registry_find_dword (GKeyFile *kf, const char *origin, const char *canonical,
                                   const char *value, guint32 *out, GError **error);

/**
 * wsim_registry_change:
 * @canonical, @value: as for wsim_registry_find_dword()
 * @data: (nullable) the DWORD to set; NULL deletes the value
 * Changes @kf as a set or a delete changes the file: an existing key and value keep the
 * spelling the file gave them.
 * Returns: FALSE with G_IO_ERROR_NOT_FOUND for a delete of an absent value.
 */
gboolean wsim_registry_change (GKeyFile *kf, const char *canonical, const char *value,
                               const guint32 *data, GError **error);

G_END_DECLS
