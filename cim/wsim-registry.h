/* wsim-registry.h: a persistent store of DWORD values under registry key paths, the
 * Windows registry's part that WMI reads (HKLM\Software\Microsoft\WBEM\CIMOM).
 *
 * The store is one file (GKeyFile): a group per key, in which each value is written as a
 * .reg file writes a DWORD:
 *
 *   [HKLM\Software\Microsoft\WBEM\CIMOM]
 *   UnsecAppAccessControlDefault=dword:00000001
 *
 * The file is the state: a WsimRegistry holds only its path, and every get reads the
 * file anew, so a value set by another process (`wmisim reg set`) is seen by the next get,
 * as Windows reads a value when it needs it. An absent file is an empty registry. A set
 * or a delete reads, changes and rewrites the file under an exclusive flock on
 * `<path>.lock`, replacing it by rename (mode 0600; missing parent directories are made
 * 0700): readers take no lock, since they see the old file or the new one whole.
 *
 * Key paths are as the registry spells them and, like it, ignore case: a hive (HKLM, HKCU,
 * HKCR, HKU, HKCC, or its long name such as HKEY_LOCAL_MACHINE), then key names separated
 * by single backslashes, with no trailing backslash. A key name or a value name may not be
 * empty, nor hold '[', ']' or control characters (GKeyFile's syntax has no escape for them
 * in group and key names); a value name may not hold '=', nor begin with '#' or begin or
 * end with a space, nor be "Encoding" (GKeyFile takes that key as the file's charset). The
 * file stores the hive abbreviated and each name as it was first written.
 *
 * Errors are G_IO_ERROR: NOT_FOUND for an absent value (the message names KEY\VALUE),
 * INVALID_ARGUMENT for a malformed key path or value name (the message says what is
 * wrong), INVALID_DATA for a file that is not a registry (the message names the file), and
 * the file system's error when the file cannot be read or written.
 *
 * Threading: any thread, any number at once. The reference count is atomic and the path
 * never changes; there is no cache to guard.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/** The key of WMI's own settings (winmgmt reads its configuration there). */
#define WSIM_REG_KEY_CIMOM "HKLM\\Software\\Microsoft\\WBEM\\CIMOM"

/** DWORD under WSIM_REG_KEY_CIMOM, read each time a sink stub is created: 0 (the default,
 *  also when absent) = the unsecured apartment does not check callbacks, 1 = it checks. */
#define WSIM_REG_UNSECAPP_ACCESS_CONTROL_DEFAULT "UnsecAppAccessControlDefault"

typedef struct _WsimRegistry WsimRegistry;

/**
 * wsim_registry_default_path:
 * Returns: (transfer none) $WSIM_REGISTRY when it is set and not empty, else
 * <g_get_user_state_dir()>/wmisim/registry; an interned string, valid for the life of the
 * process.
 */
const char *wsim_registry_default_path (void);

/**
 * wsim_registry_open:
 * @path: (nullable) the registry file; NULL: wsim_registry_default_path()
 * Binds a registry to a file, which need not exist yet; nothing is read until a get. A
 * relative @path is made absolute now, so the registry keeps naming the same file if the
 * process changes directory.
 * Returns: (transfer full) the registry, or NULL with G_IO_ERROR_INVALID_ARGUMENT for an
 * empty @path.
 */
WsimRegistry *wsim_registry_open (const char *path, GError **error);

/** Returns: @reg, with one more reference. */
WsimRegistry *wsim_registry_ref (WsimRegistry *reg);

/** Drops a reference; the last one frees @reg. NULL is fine. */
void wsim_registry_unref (WsimRegistry *reg);

/** Returns: (transfer none) the absolute path of the registry file. */
const char *wsim_registry_get_path (WsimRegistry *reg);

/**
 * wsim_registry_get_dword:
 * @key: a key path, "HKLM\\Software\\…"
 * @value: the value's name
 * @out: (out) the value's data
 * Reads the file and looks @key\@value up, ignoring case.
 * Returns: TRUE with @out set, or FALSE with NOT_FOUND, INVALID_ARGUMENT, INVALID_DATA
 * (also for a value that is not a dword) or the file's read error.
 */
gboolean wsim_registry_get_dword (WsimRegistry *reg, const char *key, const char *value,
                                  guint32 *out, GError **error);

/**
 * wsim_registry_get_dword_or:
 * Like wsim_registry_get_dword(), for a setting that has a default: absent, malformed or
 * unreadable gives @fallback (why, when it was not absence, goes to the debug log).
 * Returns: the value's data or @fallback.
 */
guint32 wsim_registry_get_dword_or (WsimRegistry *reg, const char *key, const char *value,
                                    guint32 fallback);

/**
 * wsim_registry_set_dword:
 * Sets @key\@value to the DWORD @data, creating the value (and the file) if absent and
 * replacing whatever the value held before. A file that does not parse is left untouched.
 * Returns: FALSE with INVALID_ARGUMENT, INVALID_DATA or the file system's error.
 */
gboolean wsim_registry_set_dword (WsimRegistry *reg, const char *key, const char *value,
                                  guint32 data, GError **error);

/**
 * wsim_registry_delete_value:
 * Removes @key\@value (the key stays, as in the registry).
 * Returns: FALSE with NOT_FOUND when there is no such value, INVALID_ARGUMENT,
 * INVALID_DATA or the file system's error.
 */
gboolean wsim_registry_delete_value (WsimRegistry *reg, const char *key, const char *value,
                                     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimRegistry, wsim_registry_unref)

G_END_DECLS
