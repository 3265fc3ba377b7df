/* wsim-rpcbind.h: registering a served program with the system's rpcbind (RFC 1833).
 *
 * Thin, blocking wrappers over libtirpc's rpcbind client (rpcb_set, rpcb_unset,
 * rpcb_getaddr), for a daemon's start and stop and for tests. They talk to the local
 * rpcbind (its Unix socket, else loopback port 111) and must not be called from a main
 * loop that serves latency-sensitive traffic.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * wsim_rpcbind_set:
 * @address: the TCP address the program is served on (IPv4 or IPv6)
 * Returns: FALSE with G_IO_ERROR_FAILED if rpcbind refused or could not be reached.
 */
gboolean wsim_rpcbind_set (guint32 prog, guint32 vers, GSocketAddress *address, GError **error);

/**
 * wsim_rpcbind_unset:
 * Removes every registration of @prog / @vers. Returns: FALSE with an error if rpcbind refused.
 */
gboolean wsim_rpcbind_unset (guint32 prog, guint32 vers, GError **error);

/**
 * wsim_rpcbind_lookup:
 * @host: the host whose rpcbind to ask ("127.0.0.1")
 * Returns: (transfer full) (nullable) the registered TCP address as "tcp:HOST:PORT", or NULL
 *   (with G_IO_ERROR_NOT_FOUND) when @prog / @vers is not registered.
 */
char *wsim_rpcbind_lookup (guint32 prog, guint32 vers, const char *host, GError **error);

G_END_DECLS
