/* wsim-rpc-server.h: an ONC RPC server on a GLib main context.
 *
 * A server listens on any number of TCP or Unix-domain stream sockets and serves the
 * programs registered on it. Nothing is process-global: two servers in one process
 * are independent. Dispatch never blocks the loop: a handler gets a WsimRpcRequest
 * (wsim-rpc-request.h) and replies at once or later (keep a reference), exactly once.
 *
 * Defences (all in WsimRpcServerLimits): a maximum record size (a larger record closes
 * that connection cleanly, nothing is allocated for it); back-pressure (a connection
 * whose queued replies exceed the high watermark, or that has too many requests in
 * progress, is not read until it drains, so a peer that stops reading cannot make the
 * server's memory grow); an idle timeout (connections with no traffic and no request in
 * progress are closed; a peer that stalls mid-record counts as idle); a silent deadline
 * (a connection that has not delivered one whole record this long after it was accepted
 * is closed, even where the idle timeout is off); and a connection cap, overall and per
 * peer. At a cap a connection is closed to admit the new one, chosen in this order: the
 * oldest silent one (no record yet), then the least recently active unauthenticated one
 * with nothing in progress. A protected connection (authenticated: a call whose flavor
 * proved a level above NONE, an established GSS context, or a Unix-socket peer of the
 * server's own uid; or with a request in progress) is never closed for a newcomer: when only protected ones are left, the new
 * connection is refused (closed at once). docs/rpc-engine.md, "Connection limits".
 *
 * Threading: a server and its requests belong to the GMainContext given at creation.
 * Call everything from the thread that iterates it; handlers run there.
 */
#pragma once

#include <gio/gio.h>
#include <rpc/rpc.h>

#include "wsim-rpc-request.h"
#include "wsim-auth-server.h"
#include "wsim-xdrbuf.h"

G_BEGIN_DECLS

typedef struct _WsimRpcServer WsimRpcServer;

/**
 * WsimRpcHandler:
 * @req: the request; borrowed for the call, wsim_rpc_request_ref() it to reply later
 * @args: the decoded arguments, owned by the engine and freed when the handler returns
 *   (copy what you keep)
 * @user_data: the data given with the program
 * Must answer with wsim_rpc_request_reply() or wsim_rpc_request_reply_error(), now or
 * later. A request whose last reference goes without a reply is answered SYSTEM_ERR.
 */
typedef void (*WsimRpcHandler) (WsimRpcRequest *req, void *args, gpointer user_data);

/**
 * WsimRpcProcedure:
 * @proc: procedure number
 * @name: for traces
 * @xargs: XDR routine of the arguments
 * @args_size: sizeof the decoded argument type (0 for void)
 * @handler: the handler
 */
typedef struct {
  guint32        proc;
  const char    *name;
  xdrproc_t      xargs;
  gsize          args_size;
  WsimRpcHandler handler;
} WsimRpcProcedure;

/**
 * WsimRpcProgram:
 * @prog, @vers: program and version
 * @name: for traces
 * @procs: the procedures (a static table). Procedure 0 answers with void when absent,
 *   as every ONC RPC program must.
 * @n_procs: entries in @procs
 */
typedef struct {
  guint32                 prog;
  guint32                 vers;
  const char             *name;
  const WsimRpcProcedure *procs;
  gsize                   n_procs;
} WsimRpcProgram;

/**
 * WsimRpcServerLimits: the server's defences; see the file comment.
 * @max_record: largest request record in bytes (default 4 MiB)
 * @max_connections: connection cap (default 1024)
 * @idle_timeout_ms: idle connections are closed after this (default 120000; 0 never)
 * @out_high_watermark: queued reply bytes per connection before it stops being read
 *   (default 1 MiB)
 * @max_in_progress: requests per connection awaiting their reply before it stops being
 *   read (default 128)
 * @max_per_peer: connections from one peer (one IP address; for a Unix socket one uid)
 *   (default 512, half the cap, so one peer cannot take every slot; 0: no per-peer cap)
 * @silent_timeout_ms: an unauthenticated connection that has delivered no whole record this
 *   long after it was accepted is closed (default 5000; 0 never)
 *
 * The environment variables WSIM_RPC_MAX_CONNECTIONS, WSIM_RPC_MAX_PER_PEER and
 * WSIM_RPC_SILENT_TIMEOUT_MS, read by wsim_rpc_server_new(), replace the defaults of the
 * three (tests lower them; a helper process inherits them). wsim_rpc_server_set_limits()
 * still overrides them.
 */
typedef struct {
  guint32 max_record;
  guint   max_connections;
  guint   idle_timeout_ms;
  gsize   out_high_watermark;
  guint   max_in_progress;
  guint   max_per_peer;
  guint   silent_timeout_ms;
} WsimRpcServerLimits;

/**
 * WsimRpcServerStats: counters for tests and monitoring.
 * @n_connections: open connections now
 * @n_in_progress: requests awaiting their reply now
 * @queued_bytes: reply bytes queued and not yet written, all connections
 * @max_queued_bytes: the most @queued_bytes has been
 * @n_accepted, @n_closed_idle, @n_closed_evicted, @n_closed_oversize: connections
 * @n_closed_silent: connections closed at the silent deadline
 * @n_refused: connections closed at accept: at a cap, or out of descriptors, with only
 *   protected connections left
 * @n_authenticated: open connections that are authenticated now
 * @n_calls: calls dispatched to a handler
 * @n_garbage: records that were not an RPC call and were dropped
 */
typedef struct {
  guint   n_connections;
  guint   n_in_progress;
  gsize   queued_bytes;
  gsize   max_queued_bytes;
  guint64 n_accepted;
  guint64 n_closed_idle;
  guint64 n_closed_evicted;
  guint64 n_closed_oversize;
  guint64 n_closed_silent;
  guint64 n_refused;
  guint   n_authenticated;
  guint64 n_calls;
  guint64 n_garbage;
} WsimRpcServerStats;

/**
 * wsim_rpc_server_new:
 * @context: (nullable) the main context to serve on; NULL for the thread default
 * Returns: (transfer full) a server with default limits, AUTH_NONE and AUTH_SYS accepted.
 */
WsimRpcServer *wsim_rpc_server_new (GMainContext *context);

/** wsim_rpc_server_ref: Returns: @server with one more reference. */
WsimRpcServer *wsim_rpc_server_ref (WsimRpcServer *server);

/** wsim_rpc_server_unref: drops a reference; the last one shuts the server down. NULL is fine. */
void wsim_rpc_server_unref (WsimRpcServer *server);

/** wsim_rpc_server_get_limits: copies the limits in force into @out. */
void wsim_rpc_server_get_limits (WsimRpcServer *server, WsimRpcServerLimits *out);

/** wsim_rpc_server_set_limits: sets the limits; they apply to connections accepted later
 *  and, for the idle timeout and watermarks, to open ones. */
void wsim_rpc_server_set_limits (WsimRpcServer *server, const WsimRpcServerLimits *limits);

/** wsim_rpc_server_get_stats: copies the counters into @out. */
void wsim_rpc_server_get_stats (WsimRpcServer *server, WsimRpcServerStats *out);

/**
 * wsim_rpc_server_add_program:
 * @program: (not nullable) a static table that outlives the server
 * @user_data: passed to the handlers
 * A program number and version may be added once.
 */
void wsim_rpc_server_add_program (WsimRpcServer *server, const WsimRpcProgram *program,
                                  gpointer user_data);

/**
 * wsim_rpc_server_set_accept_gss:
 * @accept: TRUE to accept RPCSEC_GSS (wsim_svc_auth_gss(): any mechanism the machine has),
 *   FALSE to refuse it again
 * A new server accepts AUTH_NONE and AUTH_SYS only (the engine's table of default flavors);
 * this is how a server that authenticates its callers turns RPCSEC_GSS on.
 */
void wsim_rpc_server_set_accept_gss (WsimRpcServer *server, gboolean accept);

/**
 * wsim_rpc_server_set_auth:
 * @flavor: the flavor number
 * @ops: (nullable) its server side; NULL refuses the flavor (AUTH_REJECTEDCRED)
 */
void wsim_rpc_server_set_auth (WsimRpcServer *server, guint32 flavor, const WsimSvcAuthOps *ops);

/**
 * wsim_rpc_server_listen:
 * @address: a GInetSocketAddress (port 0 picks a free one) or a GUnixSocketAddress
 *   (a stale socket file at that path is replaced)
 * @out_address: (out) (optional) (transfer full) the bound address
 * @error: return location for a GError
 * Returns: TRUE when listening.
 */
gboolean wsim_rpc_server_listen (WsimRpcServer *server, GSocketAddress *address,
                                 GSocketAddress **out_address, GError **error);

/** WsimRpcConnClosedFunc: connection @conn_id (wsim_rpc_request_get_connection_id()) ended. */
typedef void (*WsimRpcConnClosedFunc) (WsimRpcServer *server, guint64 conn_id, gpointer user_data);

/**
 * wsim_rpc_server_set_conn_closed_func:
 * Calls @func (NULL: nobody) each time a connection ends, whatever ended it (the peer, an
 * error, the idle reaper, eviction), but not at wsim_rpc_server_shutdown(). For a server
 * whose peers are known processes (a helper's connections): their going is news.
 */
void wsim_rpc_server_set_conn_closed_func (WsimRpcServer *server, WsimRpcConnClosedFunc func,
                                           gpointer user_data);

/**
 * wsim_rpc_server_shutdown:
 * Stops listening and closes every connection; replies still owed are dropped.
 * Idempotent; the server can be unreffed afterwards at any time.
 */
void wsim_rpc_server_shutdown (WsimRpcServer *server);

/** wsim_rpc_server_get_context: Returns: (transfer none) the server's main context. */
GMainContext *wsim_rpc_server_get_context (WsimRpcServer *server);

/**
 * wsim_rpc_server_foreach_conn_state:
 * For server flavors: calls @func (state, @user_data) for what @flavor stored with
 * wsim_rpc_request_set_conn_state() on each open connection that has any, to count or
 * inspect it (how many security contexts a server keeps). @func must not close connections.
 */
void wsim_rpc_server_foreach_conn_state (WsimRpcServer *server, guint32 flavor, GFunc func,
                                         gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimRpcServer, wsim_rpc_server_unref)

G_END_DECLS
