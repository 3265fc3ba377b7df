/* wsim-address.h: the textual form of an endpoint, shared by the tools and the wire.
 *
 * "tcp:HOST:PORT" (HOST an IPv4 literal, or an IPv6 literal in brackets) or
 * "unix:PATH". The same strings travel in the wire protocol to name a sink host.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * wsim_address_parse:
 * @text: "tcp:127.0.0.1:4000", "tcp:[::1]:4000" or "unix:/run/wmisim.sock"
 * @error: return location for a GError (G_IO_ERROR_INVALID_ARGUMENT)
 * Returns: (transfer full) (nullable) the address.
 */
GSocketAddress *wsim_address_parse (const char *text, GError **error);

/**
 * wsim_address_to_string:
 * Returns: (transfer full) the textual form of @address, the inverse of wsim_address_parse().
 */
char *wsim_address_to_string (GSocketAddress *address);

/**
 * wsim_address_to_string_as_reached:
 * @bound: the address a listener is bound to
 * @near: (nullable) this side's address of a connection to the peer who will connect
 * The endpoint to name to that peer: @bound's text, except that a listener on every
 * interface (0.0.0.0 or ::) is named by @near's IP address with @bound's port, since the
 * peer already reaches this host there.
 * Returns: (transfer full) the endpoint text.
 */
char *wsim_address_to_string_as_reached (GSocketAddress *bound, GSocketAddress *near);

/**
 * wsim_address_is_this_host:
 * Is @address on this machine, as this process's network namespace sees it? A Unix socket
 * is; an IP address is if it is loopback (127.0.0.0/8, ::1, and their IPv4-mapped forms) or
 * assigned to one of this host's interfaces now (getifaddrs(), read at each call, so an
 * address added later counts). Nothing else is: not a name, not a guess from the text.
 */
gboolean wsim_address_is_this_host (GSocketAddress *address);

G_END_DECLS
