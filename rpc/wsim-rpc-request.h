/* wsim-rpc-request.h: one call a WsimRpcServer received, as its handler and its flavor see it.
 *
 * A request is made by the server's dispatch for each call record and handed first to the
 * call's server flavor (wsim-auth-server.h), then to the program's handler. Both see the call
 * only through this interface: the handler reads who called and replies; the flavor reads
 * the credential and verifier, keeps its per-call and per-connection state here, and says
 * who authenticated.
 *
 * Lifecycle: the request holds a reference on its connection, so a reply owed on a
 * connection that has closed finds it closed and is dropped instead of written.
 *
 * Threading: a request belongs to its server's GMainContext; call everything here from the
 * thread that iterates it.
 */
#pragma once

#include <gio/gio.h>
#include <rpc/rpc.h>

G_BEGIN_DECLS

typedef struct _WsimRpcRequest WsimRpcRequest;

/**
 * WsimRpcIdentity: who made a call, as the flavor established it.
 * @flavor: AUTH_NONE (0), AUTH_SYS (1), RPCSEC_GSS (6), …
 * @principal: (nullable) a printable name: "uid:gid@machine" for AUTH_SYS, the GSS
 *   principal for RPCSEC_GSS, NULL for AUTH_NONE
 * @mech: (nullable) the GSS mechanism that authenticated the caller ("kerberos", "ntlm"),
 *   also at CONNECT; NULL for AUTH_NONE and AUTH_SYS. A static string.
 * @acceptor: (nullable) the name the caller's context was accepted under, also at CONNECT
 *   (that of the connection's first context): for Kerberos the service principal the
 *   caller's ticket was for ("wbem/localhost@WSIM.TEST"), which tells which key of the keytab
 *   accepted it. NULL for AUTH_NONE and AUTH_SYS, and for NTLMSSP, whose acceptor has no
 *   name of its own (wsim_gss_context_get_self()).
 * @uid, @gid: AUTH_SYS ids, G_MAXUINT32 otherwise
 * @level: the RPC_C_AUTHN_LEVEL_* the call came at (wsim-authn-level.h): NONE for AUTH_NONE
 *   and AUTH_SYS (a claim is not authentication), CONNECT for AUTH_NONE on a connection
 *   whose peer proved itself at connect, PKT / PKT_INTEGRITY / PKT_PRIVACY for RPCSEC_GSS
 */
typedef struct {
  guint32     flavor;
  const char *principal;
  const char *mech;
  const char *acceptor;
  guint32     uid;
  guint32     gid;
  guint32     level;
} WsimRpcIdentity;

/* ---- for handlers --------------------------------------------------------------- */

/** wsim_rpc_request_ref: Returns: @req with one more reference. */
WsimRpcRequest *wsim_rpc_request_ref (WsimRpcRequest *req);

/** wsim_rpc_request_unref: drops a reference (see WsimRpcHandler for the last one). */
void wsim_rpc_request_unref (WsimRpcRequest *req);

/**
 * wsim_rpc_request_reply:
 * Sends the SUCCESS reply with @res encoded by @xres (through the call's flavor).
 * A reply to a request whose connection has closed is dropped quietly.
 * Returns: FALSE if @xres refused to encode @res (SYSTEM_ERR is sent instead).
 */
gboolean wsim_rpc_request_reply (WsimRpcRequest *req, xdrproc_t xres, const void *res);

/**
 * wsim_rpc_request_reply_error:
 * @accept_stat: PROC_UNAVAIL, GARBAGE_ARGS or SYSTEM_ERR
 * Sends an accepted-but-failed reply.
 */
void wsim_rpc_request_reply_error (WsimRpcRequest *req, enum accept_stat accept_stat);

/** wsim_rpc_request_get_xid: Returns: the call's XID. */
guint32 wsim_rpc_request_get_xid (WsimRpcRequest *req);

/** wsim_rpc_request_get_proc: Returns: the procedure number. */
guint32 wsim_rpc_request_get_proc (WsimRpcRequest *req);

/** wsim_rpc_request_get_identity: Returns: (transfer none) who made the call. */
const WsimRpcIdentity *wsim_rpc_request_get_identity (WsimRpcRequest *req);

/** wsim_rpc_request_get_connection_id: Returns: a number naming the request's connection,
 *  unique within the server's life (to tell callers apart). */
guint64 wsim_rpc_request_get_connection_id (WsimRpcRequest *req);

/** wsim_rpc_request_get_context: Returns: (transfer none) the main context the request
 *  belongs to (for handlers that reply later from a timer or another source). */
GMainContext *wsim_rpc_request_get_context (WsimRpcRequest *req);

/**
 * wsim_rpc_request_get_peer_address:
 * Returns: (transfer none) (nullable) the address of the peer that made the request's
 *   connection (a GInetSocketAddress, or a GUnixSocketAddress, often unnamed), as read when
 *   the connection was accepted; NULL if the socket could not say.
 */
GSocketAddress *wsim_rpc_request_get_peer_address (WsimRpcRequest *req);

/** wsim_rpc_request_get_local_address: Returns: (transfer none) (nullable) the address the
 *  request's connection was made to (this server's side of it). */
GSocketAddress *wsim_rpc_request_get_local_address (WsimRpcRequest *req);

/**
 * wsim_rpc_request_get_peer_uid:
 * Returns: the uid of the process that connected, for a Unix-socket connection, as the
 *   kernel gave it when the connection was accepted (SO_PEERCRED; not a claim such as
 *   AUTH_SYS's); -1 for a TCP connection or when the kernel does not say.
 */
gint64 wsim_rpc_request_get_peer_uid (WsimRpcRequest *req);

/**
 * wsim_rpc_request_get_peer_key:
 * Returns: (transfer none) (nullable) the peer the request's connection counts under for
 *   the per-peer cap: "ip:ADDR" (any port) or, for a Unix socket, "uid:N"; NULL when the
 *   socket says neither. Valid while the request is.
 */
const char *wsim_rpc_request_get_peer_key (WsimRpcRequest *req);

/** wsim_rpc_request_is_connected: Returns: FALSE once the request's connection closed. */
gboolean wsim_rpc_request_is_connected (WsimRpcRequest *req);

/* ---- for server flavors (wsim-auth-server.h) ----------------------------------- */

/**
 * wsim_rpc_request_get_credential:
 * The call's credential, decoded (flavor, length, body), for the flavor's check().
 * Returns: (transfer none) the credential; valid only while check() runs.
 */
const struct opaque_auth *wsim_rpc_request_get_credential (WsimRpcRequest *req);

/**
 * wsim_rpc_request_get_verifier:
 * Returns: (transfer none) the call's verifier, decoded; valid only while check() runs.
 */
const struct opaque_auth *wsim_rpc_request_get_verifier (WsimRpcRequest *req);

/**
 * wsim_rpc_request_get_header:
 * The call header as it came, from the XID through the credential: what RPCSEC_GSS's
 * verifier is a MIC over (RFC 2203 5.3.1).
 * Returns: (transfer none) the bytes, with their length in *@len; valid only while check()
 *   runs.
 */
const guint8 *wsim_rpc_request_get_header (WsimRpcRequest *req, gsize *len);

/**
 * wsim_rpc_request_get_raw_args:
 * For flavors that answer control calls themselves: the encoded arguments of the call, valid
 * only while the flavor's check() runs.
 * Returns: (transfer none) (nullable) the bytes, with their length in *@len.
 */
const guint8 *wsim_rpc_request_get_raw_args (WsimRpcRequest *req, gsize *len);

/**
 * wsim_rpc_request_set_identity:
 * For the flavor that authenticated the call: records who made it, and at which
 * authentication level; @principal is copied.
 */
void wsim_rpc_request_set_identity (WsimRpcRequest *req, guint32 flavor, const char *principal,
                                    guint32 uid, guint32 gid, guint32 level);

/**
 * wsim_rpc_request_set_mechanism:
 * For the flavor that authenticated the call: names the GSS mechanism behind the identity;
 * @mech (nullable) is a static string.
 */
void wsim_rpc_request_set_mechanism (WsimRpcRequest *req, const char *mech);

/**
 * wsim_rpc_request_set_acceptor:
 * For the flavor that authenticated the call: names what the caller authenticated to
 * (WsimRpcIdentity.acceptor); @acceptor (nullable) is copied.
 */
void wsim_rpc_request_set_acceptor (WsimRpcRequest *req, const char *acceptor);

/**
 * wsim_rpc_request_set_auth_data:
 * For server flavors: per-request data (freed with @destroy with the request, or when
 * replaced).
 */
void wsim_rpc_request_set_auth_data (WsimRpcRequest *req, gpointer data, GDestroyNotify destroy);

/** wsim_rpc_request_get_auth_data: Returns: (transfer none) what set_auth_data stored. */
gpointer wsim_rpc_request_get_auth_data (WsimRpcRequest *req);

/**
 * wsim_rpc_request_set_connection_identity:
 * @principal: (nullable) who the peer proved it is; copied
 * @mech: (nullable) the GSS mechanism's name ("kerberos", "ntlm"); a static string
 * @acceptor: (nullable) the name the peer was accepted under; copied
 *
 * For the flavor that authenticated the peer of the request's connection itself (a
 * security context completed on it): records who connected, for calls on the connection
 * that carry no proof of their own (RPC_C_AUTHN_LEVEL_CONNECT). The engine keeps it with
 * the connection, until it closes. Only the first identity is kept: once a principal is
 * recorded, later calls change nothing. Nothing is kept on a closed connection.
 */
void wsim_rpc_request_set_connection_identity (WsimRpcRequest *req, const char *principal,
                                               const char *mech, const char *acceptor);

/**
 * wsim_rpc_request_get_connection_principal:
 * Returns: (transfer none) (nullable) who proved itself on the request's connection first
 *   (wsim_rpc_request_set_connection_identity()), NULL if nobody did.
 */
const char *wsim_rpc_request_get_connection_principal (WsimRpcRequest *req);

/** wsim_rpc_request_get_connection_mech: Returns: (nullable) the mechanism's name of that
 *  first identity, a static string. */
const char *wsim_rpc_request_get_connection_mech (WsimRpcRequest *req);

/** wsim_rpc_request_get_connection_acceptor: Returns: (transfer none) (nullable) the name
 *  that first identity was accepted under (WsimRpcIdentity.acceptor). */
const char *wsim_rpc_request_get_connection_acceptor (WsimRpcRequest *req);

/**
 * wsim_rpc_request_get_conn_state:
 * For server flavors: state kept per connection and flavor (security contexts), freed with
 * the connection when it closes. Each flavor keeps its own; none reads another's.
 * Returns: (transfer none) (nullable) what set_conn_state stored for @flavor on the request's
 *   connection.
 */
gpointer wsim_rpc_request_get_conn_state (WsimRpcRequest *req, guint32 flavor);

/** wsim_rpc_request_set_conn_state: stores @state (freed with @destroy when the connection
 *  closes or the state is replaced; at once if the connection has closed already). */
void wsim_rpc_request_set_conn_state (WsimRpcRequest *req, guint32 flavor, gpointer state,
                                      GDestroyNotify destroy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimRpcRequest, wsim_rpc_request_unref)

G_END_DECLS
