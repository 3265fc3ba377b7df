/* wsim-channel.h: one authenticated connection from a client to the service program (not
 * installed; used by wsim-client.c).
 *
 * A channel is what a blanket becomes on the wire: the connection, the authentication level
 * it was opened at (DEFAULT negotiated with the server first), and the flavor that gives it
 * (wsim_auth_for_level()). It keeps itself usable: a connection the server closed is made
 * again with a new context, and a call refused because the server no longer knows the
 * context (RPCSEC_GSS_CREDPROBLEM, _CTXPROBLEM: evicted, expired, sequence exhausted) is
 * made once more on a new one; both are safe because such a call never ran. Freeing a
 * channel DESTROYs its context.
 *
 * Threading: the channel's calls run on @context (a client's private context), from the
 * thread that owns the client.
 */
#pragma once

#include <gio/gio.h>

#include "wsim-rpc-client.h"
#include "wsim-security.h"

G_BEGIN_DECLS

typedef struct _WsimChannel WsimChannel;

/**
 * wsim_channel_open:
 * @context: the private context the channel's calls iterate
 * @address: the server
 * @blanket: how to authenticate (copied)
 * Returns: (transfer full) (nullable) the channel, or NULL with @error: a transport error,
 *   E_ACCESSDENIED in WSIM_WBEM_ERROR when authentication failed (the message says why), or
 *   WBEM_E_TRANSPORT_FAILURE when the peer's answers during authentication were not ONC RPC.
 */
WsimChannel *wsim_channel_open (GMainContext *context, GSocketAddress *address,
                                const WsimBlanket *blanket, GError **error);

/** wsim_channel_free: DESTROYs the context (a bounded wait), closes the connection. NULL is fine. */
void wsim_channel_free (WsimChannel *ch);

/** wsim_channel_call: a synchronous call on the channel (see above for the retries). */
gboolean wsim_channel_call (WsimChannel *ch, guint32 proc, xdrproc_t xargs, const void *args,
                            xdrproc_t xres, void *res, GError **error);

/** wsim_channel_call_version: wsim_channel_call() as version @vers of the service program. */
gboolean wsim_channel_call_version (WsimChannel *ch, guint32 vers, guint32 proc, xdrproc_t xargs,
                                    const void *args, xdrproc_t xres, void *res, GError **error);

/** Returns: the level the channel's calls travel at (DEFAULT resolved, CALL raised to PKT). */
WsimAuthnLevel wsim_channel_get_level (WsimChannel *ch);

/** Returns: (transfer none) the blanket the channel was opened with. */
const WsimBlanket *wsim_channel_get_blanket (WsimChannel *ch);

/** Returns: (transfer none) "kerberos" or "ntlm": the mechanism the channel uses (also at NONE, where nothing is sent). */
const char *wsim_channel_get_mech_name (WsimChannel *ch);

/**
 * wsim_channel_get_server_principal:
 * Whom the channel's calls authenticated to, as a sink stub checks callbacks against it:
 * with Kerberos the server's host-based name ("wbem@localhost", which the mechanism's
 * mutual authentication proved); with NTLMSSP, which names no server, the account the
 * calls authenticated as (the blanket's user, else the embedded mode's local account):
 * the server, which verified that account, calls back as it.
 * Returns: (transfer none) (nullable) NULL at NONE, or with NTLMSSP's default credentials
 *   and no local account.
 */
const char *wsim_channel_get_server_principal (WsimChannel *ch);

/**
 * wsim_channel_get_local_address:
 * Returns: (transfer full) (nullable) this side's address of the channel's connection: the
 *   address the server sees the client at, where the client's callbacks can be reached.
 */
GSocketAddress *wsim_channel_get_local_address (WsimChannel *ch, GError **error);

/** Returns: (transfer none) the server's address. */
GSocketAddress *wsim_channel_get_address (WsimChannel *ch);

/**
 * WsimChannelConnectFunc:
 * @client: (transfer full) (nullable) the new connection, authenticated; NULL with @error
 */
typedef void (*WsimChannelConnectFunc) (WsimRpcClient *client, const GError *error, gpointer user_data);

/**
 * wsim_channel_connect_async:
 * Makes another connection to @ch's server on @context, authenticated as @ch is (its
 * resolved level, mechanism, target and user), without blocking: the connect and each leg of
 * the security exchange run on @context, each bounded by @timeout_ms. @done runs once, on
 * @context, never from inside this call. For a client's watch over its calls, which must
 * not wait on the client's private context.
 */
void wsim_channel_connect_async (WsimChannel *ch, GMainContext *context, guint timeout_ms,
                                 WsimChannelConnectFunc done, gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimChannel, wsim_channel_free)

G_END_DECLS
