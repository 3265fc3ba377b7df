/* wsim-rpc-server-private.h: what the server's dispatch (wsim-rpc-server.c) and its requests
 * (wsim-rpc-request.c) share. Internal to rpc/; not installed.
 *
 * A WsimRpcServerConn is the server's side of one accepted connection: the transport
 * (WsimConn) plus what the engine keeps for the connection's life: the flavors' state and
 * the identity its peer proved. Requests hold references on it.
 *
 * Threading: the server's thread only; the reference counts are not atomic.
 */
#pragma once

#include "wsim-conn.h"
#include "wsim-rpc-server.h"

G_BEGIN_DECLS

typedef struct _WsimRpcServerConn WsimRpcServerConn;

struct _WsimRpcServerConn {
  grefcount       ref_count;      /* requests hold references */
  WsimRpcServer  *server;         /* (unowned) (nullable) NULL once closed */
  WsimConn       *conn;           /* (owned) */
  guint64         id;
  GList           link;           /* in the server's connection queue, data = this */
  guint           n_in_progress;
  gboolean        closed;
  gboolean        heard;          /* delivered a whole record: no longer silent */
  gboolean        authenticated;  /* proved a level above NONE: never evicted for a newcomer */
  gint64          accepted_at;    /* monotonic µs, for the silent deadline */
  char           *peer_key;       /* (owned) the per-peer cap's key: "ip:ADDR" or "uid:N" */
  GHashTable     *auth_state;     /* (owned) (nullable) flavor -> (owned) state of that flavor */
  GSocketAddress *peer;           /* (owned) (nullable) who connected, read at accept */
  GSocketAddress *local;          /* (owned) (nullable) the address it connected to */
  gint64          peer_uid;       /* the kernel's word for a Unix-socket peer (SO_PEERCRED),
                                   * read at accept; -1 for TCP or when unknown */
  /* Who the peer proved it is (wsim_rpc_request_set_connection_identity()), kept here and
   * not by the flavor that proved it so that AUTH_NONE can read it without calling it: */
  char           *peer_principal; /* (owned) (nullable) */
  const char     *peer_mech;      /* (nullable) static */
  char           *peer_acceptor;  /* (owned) (nullable) */
};

struct _WsimRpcRequest {
  grefcount              ref_count;   /* the server's thread only */
  WsimRpcServerConn     *sconn;       /* (owned) */
  guint32                xid, prog, vers, proc;
  const WsimSvcAuthOps  *auth;        /* (unowned) (nullable) static; NULL until found, or
                                       * once it refused the call */
  WsimRpcIdentity        identity;    /* principal and acceptor point into the two below */
  char                  *principal;   /* (owned) (nullable) */
  char                  *acceptor;    /* (owned) (nullable) */
  gpointer               auth_data;   /* (owned) freed with @auth_data_destroy */
  GDestroyNotify         auth_data_destroy;
  /* The call as it came, for the flavor's check() only (dispatch's buffers): */
  const struct opaque_auth *cred;     /* (unowned) (nullable) */
  const struct opaque_auth *verf;     /* (unowned) (nullable) */
  const guint8          *header;      /* (unowned) (nullable) XID through the credential */
  gsize                  header_len;
  const guint8          *raw_args;    /* (unowned) (nullable) */
  gsize                  raw_args_len;
  gboolean               replied;
  gboolean               counted;     /* counts in n_in_progress */
};

/* Connections (wsim-rpc-server.c). */
WsimRpcServerConn *wsim_rpc_server_conn_ref (WsimRpcServerConn *sconn);
void wsim_rpc_server_conn_unref (WsimRpcServerConn *sconn);
/* A request of @sconn's is in progress from now on, or no longer: the counters and the
 * back-pressure (WsimRpcServerLimits.max_in_progress) follow. */
void wsim_rpc_server_conn_request_started (WsimRpcServerConn *sconn);
void wsim_rpc_server_conn_request_done (WsimRpcServerConn *sconn);
/* The state @flavor keeps on @sconn (wsim_rpc_request_get_conn_state() and _set_). */
gpointer wsim_rpc_server_conn_get_auth_state (WsimRpcServerConn *sconn, guint32 flavor);
void wsim_rpc_server_conn_set_auth_state (WsimRpcServerConn *sconn, guint32 flavor,
                                          gpointer state, GDestroyNotify destroy);

/* Makes @fd (transfer full), a connected non-blocking stream socket, a connection of
 * @server, as its listener does with each one it accepts (the caps may refuse it).
 * Returns: (transfer none) (nullable) the connection, owned by @server until it closes;
 * NULL when refused (@fd is closed). Bytes fed to its transport (wsim_conn_feed() on
 * @conn) are dispatched as if read from @fd: how fuzzing/fuzz-request.c drives dispatch
 * without a peer. */
WsimRpcServerConn *wsim_rpc_server_adopt_fd (WsimRpcServer *server, int fd);
/* Closes @sconn as the server closes a connection (its peer left, a cap, the reaper):
 * its flavors' state goes, requests still running find it closed. Idempotent. */
void wsim_rpc_server_conn_close (WsimRpcServerConn *sconn);

/* Requests (wsim-rpc-request.c), for dispatch. */

/* A request for call @xid on @sconn, with one reference, counted in progress, its identity
 * AUTH_NONE at RPC_C_AUTHN_LEVEL_NONE until a flavor says otherwise. */
WsimRpcRequest *wsim_rpc_request_new (WsimRpcServerConn *sconn, guint32 xid);
/* Marks @req answered without sending anything (the flavor replied itself, or the call is
 * dropped). */
void wsim_rpc_request_finish_silently (WsimRpcRequest *req);
/* MSG_DENIED: RPC_MISMATCH with @a..@b, or AUTH_ERROR with the auth_stat @a. */
void wsim_rpc_request_reply_denied (WsimRpcRequest *req, guint32 reject_stat, guint32 a,
                                    guint32 b);
/* PROG_MISMATCH with the range of versions served. */
void wsim_rpc_request_reply_prog_mismatch (WsimRpcRequest *req, guint32 low, guint32 high);

G_END_DECLS
