/* wsim-rpc-client.h: an ONC RPC client on a GLib main context.
 *
 * One client is one connection (TCP or Unix-domain stream, RFC 5531 record marking) bound
 * to one program and version. Calls are asynchronous and pipelined: any number may be in
 * flight, replies are matched by XID, each call has its own timeout and may be cancelled
 * with a GCancellable.
 *
 * Lifecycle rule (as libuv's): the reply callback of a call runs exactly once, whatever
 * happens (reply, RPC error, timeout, cancellation, lost connection, client closed), and
 * never before wsim_rpc_client_call() has returned.
 *
 * Threading: a client belongs to the GMainContext it was created with. Call its functions
 * from the thread that iterates that context; callbacks run there. The refcount is atomic,
 * and a GCancellable may be cancelled from any thread.
 */
#pragma once

#include <gio/gio.h>
#include <rpc/rpc.h>

#include "wsim-auth-client.h"

G_BEGIN_DECLS

typedef struct _WsimRpcClient WsimRpcClient;
typedef struct _WsimRpcReply WsimRpcReply;

/** Default per-call timeout when a call passes -1, unless wsim_rpc_client_set_default_timeout()
 *  set another. */
#define WSIM_RPC_DEFAULT_TIMEOUT_MS 25000
/** Default largest record a client accepts in a reply. */
#define WSIM_RPC_DEFAULT_MAX_RECORD (4u * 1024 * 1024)

/**
 * WsimRpcReplyFunc:
 * @client: the client
 * @reply: (nullable) the reply, valid only during the callback; NULL when @error is set
 * @error: (nullable) why the call failed; G_IO_ERROR_CANCELLED, G_IO_ERROR_TIMED_OUT,
 *   a G_IO_ERROR from the socket (G_IO_ERROR_CONNECTION_CLOSED when the peer went away),
 *   or a WSIM_RPC_ERROR for a non-SUCCESS reply
 * @user_data: the data given to wsim_rpc_client_call()
 */
typedef void (*WsimRpcReplyFunc) (WsimRpcClient *client, WsimRpcReply *reply,
                                  const GError *error, gpointer user_data);

/**
 * wsim_rpc_client_connect:
 * @context: (nullable) the main context the client lives on; NULL for the thread default
 * @address: a GInetSocketAddress (TCP) or GUnixSocketAddress
 * @prog: the program number to call
 * @vers: the program version
 * @error: return location for a GError
 *
 * Connects (blocking, with a 10 s limit: meant for loopback and Unix sockets) and
 * returns a client with AUTH_NONE.
 *
 * Returns: (transfer full) (nullable) the client, or NULL with @error set.
 */
WsimRpcClient *wsim_rpc_client_connect (GMainContext *context, GSocketAddress *address,
                                        guint32 prog, guint32 vers, GError **error);

/**
 * wsim_rpc_client_new_for_address:
 * @context: (nullable) main context; NULL for the thread default
 * @address: a GInetSocketAddress or GUnixSocketAddress
 * Starts a non-blocking connect and returns at once: calls made meanwhile wait for the
 * connection (their timeouts run), and fail with the connect error if it fails. For code
 * on a main loop that must not block (a server calling a client back).
 * Returns: (transfer full) (nullable) the client, NULL only if no socket could be made.
 */
WsimRpcClient *wsim_rpc_client_new_for_address (GMainContext *context, GSocketAddress *address,
                                                guint32 prog, guint32 vers, GError **error);

/**
 * wsim_rpc_client_new_for_socket:
 * @context: (nullable) main context; NULL for the thread default
 * @socket: (transfer none) a connected stream socket; the client takes a reference
 * @prog, @vers: program and version
 * Returns: (transfer full) the client.
 */
WsimRpcClient *wsim_rpc_client_new_for_socket (GMainContext *context, GSocket *socket,
                                               guint32 prog, guint32 vers);

/** wsim_rpc_client_ref: Returns: @client, with one more reference. */
WsimRpcClient *wsim_rpc_client_ref (WsimRpcClient *client);

/**
 * wsim_rpc_client_unref:
 * Drops a reference; the last one closes the connection, and every call still in flight
 * completes with G_IO_ERROR_CLOSED before this returns. NULL is fine.
 */
void wsim_rpc_client_unref (WsimRpcClient *client);

/**
 * wsim_rpc_client_close:
 * Closes the connection now; calls in flight complete with G_IO_ERROR_CLOSED (from this
 * function), later calls fail the same way (from the main loop). Idempotent.
 */
void wsim_rpc_client_close (WsimRpcClient *client);

/**
 * wsim_rpc_client_set_auth:
 * @auth: (transfer none) the flavor for calls made from now on; the client takes a reference.
 */
void wsim_rpc_client_set_auth (WsimRpcClient *client, WsimAuth *auth);

/** wsim_rpc_client_get_auth: Returns: (transfer none) the current flavor. */
WsimAuth *wsim_rpc_client_get_auth (WsimRpcClient *client);

/**
 * wsim_rpc_client_set_default_timeout:
 * @timeout_ms: more than 0
 * Sets the timeout of calls made from now on with -1 (WSIM_RPC_DEFAULT_TIMEOUT_MS until set),
 * among them those made for the caller by other layers, such as the legs of an RPCSEC_GSS
 * exchange (wsim_auth_gss_establish_async()): a server calling a client back bounds how
 * long each step may wait on that client this way.
 */
void wsim_rpc_client_set_default_timeout (WsimRpcClient *client, guint timeout_ms);

/**
 * wsim_rpc_client_set_max_record:
 * Sets the largest reply record accepted; a larger one closes the connection and fails
 * every call in flight with WSIM_RPC_ERROR_RECORD_TOO_LARGE.
 */
void wsim_rpc_client_set_max_record (WsimRpcClient *client, guint32 max_record);

/**
 * wsim_rpc_client_call:
 * @client: the client
 * @proc: the procedure number
 * @xargs: XDR routine for @args (xdr_void for none)
 * @args: (nullable) the arguments, encoded before this returns (the caller keeps them)
 * @timeout_ms: the call's timeout; -1 for the client's default
 *   (wsim_rpc_client_set_default_timeout()), 0 for none
 * @cancellable: (nullable) cancels the call from any thread; the callback then gets
 *   G_IO_ERROR_CANCELLED (a reply arriving later is discarded)
 * @callback: runs exactly once on the client's context, never from inside this call
 * @user_data: for @callback
 *
 * Sends a call. Its XID is returned (useful for traces); matching and timeouts are
 * the engine's job.
 *
 * Returns: the call's XID.
 */
guint32 wsim_rpc_client_call (WsimRpcClient *client, guint32 proc, xdrproc_t xargs,
                              const void *args, gint timeout_ms, GCancellable *cancellable,
                              WsimRpcReplyFunc callback, gpointer user_data);

/**
 * wsim_rpc_reply_decode:
 * @reply: the reply given to a WsimRpcReplyFunc
 * @xres: XDR routine for the results
 * @res: zeroed storage for the results; free them later with xdr_free(@xres, @res)
 * @error: return location for a GError (WSIM_RPC_ERROR_DECODE)
 * Decodes the results through the call's flavor (which may unwrap and verify them).
 * Call it at most once, inside the callback.
 * Returns: TRUE on success.
 */
gboolean wsim_rpc_reply_decode (WsimRpcReply *reply, xdrproc_t xres, void *res, GError **error);

/** wsim_rpc_reply_get_xid: Returns: the XID of the call this reply answers. */
guint32 wsim_rpc_reply_get_xid (WsimRpcReply *reply);

/**
 * wsim_rpc_client_call_sync:
 * Makes a call and iterates the client's context until it completes. For tools and tests;
 * it must run on the thread that owns the context, and never inside a callback of the
 * same context that another caller is waiting on.
 * @res: zeroed storage for the results (free with xdr_free) when this returns TRUE.
 * Returns: TRUE on success, FALSE with @error set as for WsimRpcReplyFunc.
 */
gboolean wsim_rpc_client_call_sync (WsimRpcClient *client, guint32 proc, xdrproc_t xargs,
                                    const void *args, xdrproc_t xres, void *res,
                                    gint timeout_ms, GCancellable *cancellable, GError **error);

/**
 * wsim_rpc_client_set_version:
 * The program version the calls made from now on carry (a client of a program with several
 * versions, e.g. WSIM_SERVICE_V2 for a call with a context, then back).
 */
void wsim_rpc_client_set_version (WsimRpcClient *client, guint32 vers);

/** wsim_rpc_client_get_n_pending: Returns: calls sent and not yet completed. */
guint wsim_rpc_client_get_n_pending (WsimRpcClient *client);

/** wsim_rpc_client_is_connected: Returns: FALSE once the connection closed or failed. */
gboolean wsim_rpc_client_is_connected (WsimRpcClient *client);

/** wsim_rpc_client_get_context: Returns: (transfer none) the client's main context. */
GMainContext *wsim_rpc_client_get_context (WsimRpcClient *client);

/**
 * wsim_rpc_client_get_local_address:
 * Returns: (transfer full) (nullable) this side's address of the connection (for a TCP
 *   client, the local IP the route to the peer chose), or NULL with @error once closed.
 */
GSocketAddress *wsim_rpc_client_get_local_address (WsimRpcClient *client, GError **error);

/**
 * WsimRpcClosedFunc:
 * @error: why: G_IO_ERROR_CONNECTION_CLOSED for an orderly close by the peer, else the
 *   socket's error (a failed non-blocking connect among them)
 */
typedef void (*WsimRpcClosedFunc) (WsimRpcClient *client, const GError *error, gpointer user_data);

/**
 * wsim_rpc_client_set_closed_func:
 * Calls @func (on the client's context, once) when the peer or the socket ends the
 * connection, after the calls in flight have completed; not when the owner closes or drops
 * the client. For an owner that must learn of a lost peer while it has no call in flight.
 * @destroy frees @user_data when replaced or when the client goes.
 */
void wsim_rpc_client_set_closed_func (WsimRpcClient *client, WsimRpcClosedFunc func,
                                      gpointer user_data, GDestroyNotify destroy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimRpcClient, wsim_rpc_client_unref)

G_END_DECLS
