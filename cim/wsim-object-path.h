/**
 * SECTION:wsim-object-path
 * @title: wsim-object-path.h
 * @short_description: WMI object paths, parsed and printed
 *
 * Owns the syntax that names a class or an instance (GetObjectAsync, DeleteInstanceAsync,
 * the strParam of PutInstanceAsync's final SetStatus, CIM_REFERENCE values):
 *
 *     [\\server\namespace\path:]Class[.Key=value[,Key2=value…]]
 *     [\\server\namespace\path:]Class=@              (a singleton instance)
 *     namespace\path:Class…                           (a namespace, no server)
 *
 * Both '\' and '/' separate the server and namespace parts. A key value is a string in
 * double or single quotes (escapes \\, \" and \' in either, as in C; printed
 * double-quoted), a decimal integer (negative allowed) or TRUE/FALSE. Names are
 * identifiers (letters, digits, '_'); a server is letters, digits, '.', '-' and '_'
 * ("." is the local machine). No blanks outside quotes.
 *
 * Errors are WBEM_E_INVALID_OBJECT_PATH in WSIM_WBEM_ERROR, with the 1-based character
 * position and what was expected there.
 *
 * Hostile input: parsing is one pass, linear in the length (duplicate keys are found
 * with a hash set), and bounded: a path longer than WSIM_OBJECT_PATH_MAX_LENGTH bytes or
 * with more than WSIM_OBJECT_PATH_MAX_KEYS keys is refused with WBEM_E_INVALID_OBJECT_PATH
 * ("… at position N: more than 256 keys"). Microsoft documents no bound of its own; these
 * are far above any real class (Microsoft's classes have one to a few keys).
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-cim-types.h"
#include "wsim-hresult.h"

G_BEGIN_DECLS

/**
 * WSIM_OBJECT_PATH_MAX_KEYS:
 *
 * The most keys a path may carry; one more is refused.
 */
#define WSIM_OBJECT_PATH_MAX_KEYS 256

/**
 * WSIM_OBJECT_PATH_MAX_LENGTH:
 *
 * The longest path accepted, in bytes (1 MiB, about what the
 * wire's string bound carries: a long string key is legitimate); a longer one is refused
 * before it is read further.
 */
#define WSIM_OBJECT_PATH_MAX_LENGTH 1048576

/**
 * WsimObjectPath:
 *
 * A parsed object path (wsim_object_path_parse()).
 */
typedef struct _WsimObjectPath WsimObjectPath;

/**
 * wsim_object_path_parse:
 * @text: the path, UTF-8
 * @error: return location for a #GError, or %NULL
 *
 * Returns the parsed path, or NULL with @error set (WBEM_E_INVALID_OBJECT_PATH, "invalid object
 * path at position N: expected …").
 *
 * Returns: (transfer full) the parsed path, or NULL with @error set
 *   (WBEM_E_INVALID_OBJECT_PATH, "invalid object path at position N: expected …").
 */
WSIM_EXPORT
WsimObjectPath *wsim_object_path_parse (const char *text, GError **error);

/**
 * wsim_object_path_free:
 * @path: a #WsimObjectPath
 *
 * Frees @path; NULL is allowed.
 */
WSIM_EXPORT
void wsim_object_path_free (WsimObjectPath *path);

/**
 * wsim_object_path_get_server:
 * @path: a #WsimObjectPath
 *
 * Returns the server, or NULL for a path without one.
 *
 * Returns: (transfer none) (nullable) the server, or NULL for a path without one.
 */
WSIM_EXPORT
const char *wsim_object_path_get_server (const WsimObjectPath *path);

/**
 * wsim_object_path_server_is_local:
 * @server: (nullable) a server part, as wsim_object_path_get_server() returns it
 *
 * Returns TRUE if @server names this machine: NULL (a path without a server means the local
 * one), ".", "localhost" or this host's name as g_get_host_name() gives it, any case. Other
 * names for it (addresses, aliases, the short form of a fully qualified name) are not
 * recognised and count as another server.
 *
 * Returns: TRUE if @server names this machine: NULL (a path without a server means the
 *   local one), ".", "localhost" or this host's name as g_get_host_name() gives it, any
 *   case. Other names for it (addresses, aliases, the short form of a fully qualified
 *   name) are not recognised and count as another server.
 */
WSIM_EXPORT
gboolean wsim_object_path_server_is_local (const char *server);

/**
 * wsim_object_path_get_namespace:
 * @path: a #WsimObjectPath
 *
 * Returns the namespace with '\' separators ("root\cimv2"), or NULL for a relative path.
 *
 * Returns: (transfer none) (nullable) the namespace with '\' separators ("root\cimv2"),
 *   or NULL for a relative path.
 */
WSIM_EXPORT
const char *wsim_object_path_get_namespace (const WsimObjectPath *path);

/**
 * wsim_object_path_get_class:
 * @path: a #WsimObjectPath
 *
 * Returns the class name.
 *
 * Returns: (transfer none) the class name.
 */
WSIM_EXPORT
const char *wsim_object_path_get_class (const WsimObjectPath *path);

/**
 * wsim_object_path_is_singleton:
 * @path: a #WsimObjectPath
 *
 * Returns TRUE for "Class=@".
 *
 * Returns: TRUE for "Class=@".
 */
WSIM_EXPORT
gboolean wsim_object_path_is_singleton (const WsimObjectPath *path);

/**
 * wsim_object_path_is_class:
 * @path: a #WsimObjectPath
 *
 * Returns TRUE if the path names a class (no keys, not a singleton).
 *
 * Returns: TRUE if the path names a class (no keys, not a singleton).
 */
WSIM_EXPORT
gboolean wsim_object_path_is_class (const WsimObjectPath *path);

/**
 * wsim_object_path_get_n_keys:
 * @path: a #WsimObjectPath
 *
 * Returns the number of keys, in the order written.
 *
 * Returns: the number of keys, in the order written.
 */
WSIM_EXPORT
guint wsim_object_path_get_n_keys (const WsimObjectPath *path);

/**
 * wsim_object_path_get_key_name:
 * @path: a #WsimObjectPath
 * @i: a key's index, below the path's number of keys
 *
 * Returns the name of key @i (< n_keys).
 *
 * Returns: (transfer none) the name of key @i (< n_keys).
 */
WSIM_EXPORT
const char *wsim_object_path_get_key_name (const WsimObjectPath *path, guint i);

/**
 * wsim_object_path_get_key_text:
 * @path: a #WsimObjectPath
 * @i: a key's index, below the path's number of keys
 *
 * Returns key @i's value as text: a string's contents unescaped, an integer in decimal, "TRUE"
 * or "FALSE".
 *
 * Returns: (transfer none) key @i's value as text: a string's contents unescaped, an
 *   integer in decimal, "TRUE" or "FALSE".
 */
WSIM_EXPORT
const char *wsim_object_path_get_key_text (const WsimObjectPath *path, guint i);

/**
 * wsim_object_path_get_key_value:
 * @path: a #WsimObjectPath
 * @i: a key's index, below the path's number of keys
 *
 * Returns key @i's value: CIM_STRING for a quoted string, CIM_SINT64 for an integer (CIM_UINT64
 * above G_MAXINT64), CIM_BOOLEAN for TRUE/FALSE.
 *
 * Returns: (transfer none) key @i's value: CIM_STRING for a quoted string, CIM_SINT64
 *   for an integer (CIM_UINT64 above G_MAXINT64), CIM_BOOLEAN for TRUE/FALSE.
 */
WSIM_EXPORT
const wsim_value *wsim_object_path_get_key_value (const WsimObjectPath *path, guint i);

/**
 * wsim_object_path_lookup_key:
 * @path: a #WsimObjectPath
 * @name: the key's name
 *
 * Returns the value of the key named @name (case-insensitive), or NULL.
 *
 * Returns: (transfer none) (nullable) the value of the key named @name
 *   (case-insensitive), or NULL.
 */
WSIM_EXPORT
const wsim_value *wsim_object_path_lookup_key (const WsimObjectPath *path, const char *name);

/**
 * wsim_object_path_to_string:
 * @path: a #WsimObjectPath
 *
 * The canonical form: "\\server\ns:" (or "ns:") when present, the class, then "=@" or
 * the keys sorted by name (case-insensitively, as WMI's __RELPATH lists them),
 * strings quoted and escaped: Win32_Process.Handle="42". Two paths naming the same
 * object with keys in a different order print the same.
 *
 * Returns: (transfer full) the path.
 */
WSIM_EXPORT
char *wsim_object_path_to_string (const WsimObjectPath *path);

/**
 * wsim_object_path_to_relpath:
 * @path: a #WsimObjectPath
 *
 * Returns the canonical form without server and namespace (__RELPATH).
 *
 * Returns: (transfer full) the canonical form without server and namespace (__RELPATH).
 */
WSIM_EXPORT
char *wsim_object_path_to_relpath (const WsimObjectPath *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimObjectPath, wsim_object_path_free)

G_END_DECLS
