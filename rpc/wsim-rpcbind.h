/* wsim-rpcbind.h: registering a served program with the system's rpcbind (RFC 1833), and
 * finding one registered with a host's rpcbind.
 *
 * Blocking, for a daemon's start and stop, for tools and for tests; not for a main loop
 * that serves latency-sensitive traffic. Registering wraps libtirpc's rpcb_set and
 * rpcb_unset, which talk to the local rpcbind (its Unix socket, else loopback port 111).
 * Looking up does not use libtirpc's client (rpcb_getaddr keeps a process-wide cache of
 * rpcbind addresses by host text, which 1.3.3 frees twice once a cached rpcbind stops
 * answering): it asks the host's rpcbind itself, each time, with the project's engine.
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
 * @host: the host whose rpcbind to ask: an IPv4 or IPv6 literal ("127.0.0.1", "::1" or
 *   "[::1]"); names are not resolved
 *
 * Asks rpcbind at @host port 111 over TCP (RPCBPROC_GETADDR, version 4, else 3 if the
 * rpcbind has no version 4) where @prog / @vers is served over TCP ("tcp", or "tcp6" for an
 * IPv6 @host). Each call makes its own connection on a private main context, and keeps
 * nothing: a stopped rpcbind, or a different rpcbind behind the same text in another network
 * namespace, is simply what the next call meets. Blocks for at most about 20 s (the connect
 * and the call are bounded at 10 s each).
 *
 * Returns: (transfer full) (nullable) the registered address as "tcp:IP:PORT" or
 *   "tcp:[V6]:PORT", or NULL with @error: G_IO_ERROR_NOT_FOUND ("program 0x… version … is
 *   not registered with rpcbind on HOST") when rpcbind answered that it has no such
 *   registration; when rpcbind did not answer, the socket's G_IO_ERROR (refused,
 *   unreachable, G_IO_ERROR_TIMED_OUT, …) with a message naming HOST:111; G_IO_ERROR_FAILED
 *   when what answered there refused GETADDR; G_IO_ERROR_INVALID_DATA when its answer is not
 *   a universal address; G_IO_ERROR_INVALID_ARGUMENT when @host is not an IP literal.
 */
char *wsim_rpcbind_lookup (guint32 prog, guint32 vers, const char *host, GError **error);

G_END_DECLS
