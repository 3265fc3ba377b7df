/* wsim-rpc-client.c: the pipelined ONC RPC client (see wsim-rpc-client.h).
 *
 * Pending calls live in a table keyed by XID. Every way a call can end (reply, timeout,
 * cancellation, connection loss, close) goes through call_complete(), which removes the
 * call from the table first: whoever removes it delivers, so a call completes once.
 *
 * Timeouts use one timer per client, armed for the earliest deadline. It is lowered
 * when a call with an earlier deadline is sent and otherwise left alone; when it fires
 * it fails the expired calls and re-arms for the next deadline. With the usual single
 * timeout value, the timer is touched only when it fires.
 *
 * Failures that happen inside wsim_rpc_client_call() are delivered from an idle source
 * (the "never from inside the call" rule); so are cancellations, because a GCancellable
 * may fire on another thread.
 *
 * A record that is not a reply at all closes the connection with WSIM_RPC_ERROR_DECODE:
 * the peer is not an ONC RPC server, and waiting for its replies would wait forever.
 */
#include "wsim-rpc-client.h"
#include "wsim-rpc-client-private.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "wsim-address.h"
#include "wsim-conn.h"
#include "wsim-rpc-error.h"

typedef struct _PendingCall PendingCall;

struct _PendingCall {
  WsimRpcClient    *client;          /* (unowned) valid while the call is not freed */
  guint32           xid;
  guint32           seq;             /* the flavor's per-call value */
  gint64            deadline;        /* monotonic µs; G_MAXINT64 for none */
  WsimRpcReplyFunc  callback;
  gpointer          user_data;
  GCancellable     *cancellable;     /* (owned) (nullable) */
  gulong            cancel_id;
  WsimAuth         *auth;            /* (owned) the flavor the call was sent with */
  GError           *deferred_error;  /* (owned) (nullable) a failure to deliver from idle */
};

struct _WsimRpcReply {
  PendingCall   *call;
  XDR           *xdrs;               /* positioned at the results */
  gboolean       decoded;
};

struct _WsimRpcClient {
  gatomicrefcount ref_count;          /* atomic */
  GMainContext  *context;            /* (owned) */
  WsimConn      *conn;               /* (owned) (nullable after close) */
  guint32        prog, vers;
  guint32        next_xid;
  guint          default_timeout_ms; /* for calls made with -1 */
  WsimAuth      *auth;               /* (owned) */
  GHashTable    *pending;            /* xid -> (owned) PendingCall*: calls on the wire */
  GSource       *timer;              /* (owned) ready time = earliest deadline */
  gint64         timer_at;           /* G_MAXINT64 when unarmed */
  GError        *closed_error;       /* (owned) (nullable) why the connection ended */
  WsimRpcClosedFunc closed_func;     /* (nullable) told when the peer ends the connection */
  gpointer       closed_data;
  GDestroyNotify closed_destroy;

  /* Completions to run from the loop: calls that failed inside wsim_rpc_client_call()
   * (PendingCall* with deferred_error) and cancellations ((xid << 1) | 1). Cancellation
   * handlers run on any thread, so the queue is guarded by @lock and @deferred_source
   * is woken with g_source_set_ready_time(), which is thread-safe. */
  GMutex         lock;
  GQueue         deferred;           /* (owned) */
  GSource       *deferred_source;    /* (owned) */
};

static void client_arm_timer (WsimRpcClient *client, gint64 deadline);

static void
pending_call_free (PendingCall *call)
{
  if (call->cancellable != NULL)
    {
      /* Waits for a handler running on another thread, so the handler never sees
       * a freed call. */
      if (call->cancel_id != 0)
        g_cancellable_disconnect (call->cancellable, call->cancel_id);
      g_object_unref (call->cancellable);
    }
  wsim_auth_unref (call->auth);
  g_clear_error (&call->deferred_error);
  g_free (call);
}

/* Delivers the outcome of a call already out of the table, then frees it. */
static void
call_complete (WsimRpcClient *client, PendingCall *call, WsimRpcReply *reply, const GError *error)
{
  call->callback (client, reply, error, call->user_data);
  pending_call_free (call);
}

/* Runs the deferred completions queued so far. */
static void
client_run_deferred (WsimRpcClient *client)
{
  for (;;)
    {
      PendingCall *call;
      gpointer item;

      g_mutex_lock (&client->lock);
      item = g_queue_pop_head (&client->deferred);
      g_mutex_unlock (&client->lock);
      if (item == NULL)
        break;

      if (GPOINTER_TO_SIZE (item) & 1)
        {
          /* A cancellation; the call may have completed meanwhile. */
          guint32 xid = (guint32) (GPOINTER_TO_SIZE (item) >> 1);
          g_autoptr(GError) error = NULL;

          if (!g_hash_table_steal_extended (client->pending, GUINT_TO_POINTER (xid), NULL,
                                            (gpointer *) &call))
            continue;
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "RPC call cancelled");
          call_complete (client, call, NULL, error);
        }
      else
        {
          call = item;
          call_complete (client, call, NULL, call->deferred_error);
        }
    }
}

static gboolean
deferred_dispatch (GSource *source, GSourceFunc cb, gpointer data)
{
  WsimRpcClient *client = data;

  g_source_set_ready_time (source, -1);
  wsim_rpc_client_ref (client);
  client_run_deferred (client);
  wsim_rpc_client_unref (client);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs deferred_source_funcs = {
  .dispatch = deferred_dispatch,
};

static void
client_defer (WsimRpcClient *client, gpointer item)
{
  g_mutex_lock (&client->lock);
  g_queue_push_tail (&client->deferred, item);
  g_mutex_unlock (&client->lock);
  g_source_set_ready_time (client->deferred_source, 0);
}

static void
call_fail_later (WsimRpcClient *client, PendingCall *call, GError *error)
{
  call->deferred_error = error;
  client_defer (client, call);
}

static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  PendingCall *call = data;

  client_defer (call->client, GSIZE_TO_POINTER (((gsize) call->xid << 1) | 1));
}

/* Fails every pending call with @error (connection lost or client closed). */
static void
client_fail_all (WsimRpcClient *client, const GError *error)
{
  GHashTableIter iter;
  PendingCall *call;
  GPtrArray *calls = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, client->pending);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &call))
    {
      g_ptr_array_add (calls, call);
      g_hash_table_iter_steal (&iter);
    }
  for (guint i = 0; i < calls->len; i++)
    call_complete (client, calls->pdata[i], NULL, error);
  g_ptr_array_free (calls, TRUE);
}

static void
client_set_closed (WsimRpcClient *client, const GError *error)
{
  if (client->closed_error == NULL)
    client->closed_error = g_error_copy (error);
  if (client->conn != NULL)
    {
      wsim_conn_close (client->conn);
      g_clear_pointer (&client->conn, wsim_conn_unref);
    }
  if (client->timer != NULL)
    {
      g_source_destroy (client->timer);
      g_clear_pointer (&client->timer, g_source_unref);
    }
  client_fail_all (client, client->closed_error);
}

/* The peer ended the connection, or made it useless: fail what is in flight, then tell the
 * owner (wsim_rpc_client_set_closed_func()). */
static void
client_peer_ended (WsimRpcClient *client, const GError *error)
{
  wsim_rpc_client_ref (client);
  client_set_closed (client, error);
  if (client->closed_func != NULL)
    client->closed_func (client, client->closed_error, client->closed_data);
  wsim_rpc_client_unref (client);
}

/* ---- replies -------------------------------------------------------------------- */

static void
reply_error (GError **error, guint32 code, const char *what)
{
  g_set_error (error, WSIM_RPC_ERROR, code, "RPC call failed: %s", what);
}

/* What a decoded reply header says about the call: nothing (success), or why not. */
static void
reply_error_from_msg (PendingCall *call, struct rpc_msg *msg, GError **error)
{
  if (msg->rm_reply.rp_stat == MSG_DENIED)
    {
      if (msg->rjcted_rply.rj_stat == RPC_MISMATCH)
        g_set_error (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPC_MISMATCH,
                     "RPC call failed: server speaks RPC versions %u..%u",
                     (guint) msg->rjcted_rply.rj_vers.low, (guint) msg->rjcted_rply.rj_vers.high);
      else
        g_set_error (error, WSIM_RPC_ERROR,
                     wsim_rpc_error_from_auth_stat (msg->rjcted_rply.rj_why),
                     "RPC call failed: authentication error %u", (guint) msg->rjcted_rply.rj_why);
      return;
    }
  switch (msg->acpted_rply.ar_stat)
    {
    case SUCCESS:
      break;
    case PROG_UNAVAIL:
      reply_error (error, WSIM_RPC_ERROR_PROG_UNAVAIL, "program unavailable");
      return;
    case PROG_MISMATCH:
      g_set_error (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_PROG_MISMATCH,
                   "RPC call failed: program version mismatch (server has %u..%u)",
                   (guint) msg->acpted_rply.ar_vers.low, (guint) msg->acpted_rply.ar_vers.high);
      return;
    case PROC_UNAVAIL:
      reply_error (error, WSIM_RPC_ERROR_PROC_UNAVAIL, "procedure unavailable");
      return;
    case GARBAGE_ARGS:
      reply_error (error, WSIM_RPC_ERROR_GARBAGE_ARGS, "server could not decode the arguments");
      return;
    default:
      reply_error (error, WSIM_RPC_ERROR_SYSTEM_ERR, "system error on the server");
      return;
    }
  if (wsim_auth_get_ops (call->auth)->validate != NULL)
    wsim_auth_get_ops (call->auth)->validate (call->auth, &msg->acpted_rply.ar_verf, call->seq,
                                              error);
}

static void
on_record (WsimConn *conn, const guint8 *rec, gsize len, gpointer user_data)
{
  WsimRpcClient *client = user_data;
  guint8 verf_body[MAX_AUTH_BYTES];
  struct rpc_msg msg;
  PendingCall *call;
  guint32 xid, w[6];
  XDR xdrs;
  g_autoptr(GError) error = NULL;

  if (len >= sizeof w)
    memcpy (w, rec, sizeof w);
  else if (len >= 8)
    memcpy (w, rec, 8);
  if (len < 8 || GUINT32_FROM_BE (w[1]) != REPLY)
    {
      /* A server only ever sends replies: this peer does not speak ONC RPC (or lost the
       * record framing). None of our calls will be answered, so they fail now, with why,
       * instead of waiting for a reply that cannot come. */
      g_autoptr(GError) garbage = g_error_new (WSIM_RPC_ERROR, WSIM_RPC_ERROR_DECODE,
                                               "the server sent a record of %" G_GSIZE_FORMAT
                                               " bytes that is not an ONC RPC reply", len);

      client_peer_ended (client, garbage);
      return;
    }
  xid = GUINT32_FROM_BE (w[0]);
  if (!g_hash_table_steal_extended (client->pending, GUINT_TO_POINTER (xid), NULL,
                                    (gpointer *) &call))
    return;  /* a late reply to a call that timed out or was cancelled */

  memset (&msg, 0, sizeof msg);
  msg.acpted_rply.ar_verf.oa_base = (caddr_t) verf_body;
  msg.acpted_rply.ar_results.where = NULL;
  msg.acpted_rply.ar_results.proc = WSIM_XDRPROC (xdr_void);

  /* The common reply (accepted, empty verifier, SUCCESS) is read by hand: it is on every
   * call's path. Anything else goes through libtirpc's xdr_replymsg. */
  if (len >= sizeof w && GUINT32_FROM_BE (w[2]) == MSG_ACCEPTED
      && w[4] == 0 && GUINT32_FROM_BE (w[5]) == SUCCESS)
    {
      msg.acpted_rply.ar_verf.oa_flavor = (enum_t) GUINT32_FROM_BE (w[3]);
      msg.acpted_rply.ar_stat = SUCCESS;
      xdrmem_create (&xdrs, (char *) rec + 24, (u_int) (len - 24), XDR_DECODE);
      reply_error_from_msg (call, &msg, &error);
    }
  else
    {
      xdrmem_create (&xdrs, (char *) rec, (u_int) len, XDR_DECODE);
      if (!xdr_replymsg (&xdrs, &msg) || msg.rm_direction != REPLY)
        reply_error (&error, WSIM_RPC_ERROR_DECODE, "reply header does not decode");
      else
        reply_error_from_msg (call, &msg, &error);
    }

  if (error != NULL)
    call_complete (client, call, NULL, error);
  else
    {
      WsimRpcReply reply = { call, &xdrs, FALSE };

      call_complete (client, call, &reply, NULL);
    }
  xdr_destroy (&xdrs);
}

static void
on_closed (WsimConn *conn, const GError *error, gpointer user_data)
{
  WsimRpcClient *client = user_data;
  g_autoptr(GError) closed = NULL;

  if (error == NULL)
    closed = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                  "connection closed by the server");
  client_peer_ended (client, error != NULL ? error : closed);
}

static const WsimConnCallbacks client_conn_callbacks = {
  .record = on_record,
  .closed = on_closed,
};

gboolean
wsim_rpc_reply_decode (WsimRpcReply *reply, xdrproc_t xres, void *res, GError **error)
{
  WsimAuth *auth = reply->call->auth;
  const WsimAuthOps *ops = auth != NULL ? wsim_auth_get_ops (auth) : NULL;

  g_return_val_if_fail (!reply->decoded, FALSE);
  reply->decoded = TRUE;
  if (ops != NULL && ops->unwrap != NULL)
    return ops->unwrap (auth, reply->xdrs, reply->call->seq, xres, res, error);
  if (!xres (reply->xdrs, res, 0))
    {
      xdr_free (xres, res);
      g_set_error_literal (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_DECODE,
                           "RPC results do not decode");
      return FALSE;
    }
  return TRUE;
}

guint32
wsim_rpc_reply_get_xid (WsimRpcReply *reply)
{
  return reply->call->xid;
}

/* ---- timeouts ------------------------------------------------------------------- */

static gboolean
on_timer (gpointer data)
{
  WsimRpcClient *client = data;
  gint64 now = g_get_monotonic_time (), next = G_MAXINT64;
  GHashTableIter iter;
  PendingCall *call;
  GPtrArray *expired = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, client->pending);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &call))
    {
      if (call->deadline <= now)
        {
          g_ptr_array_add (expired, call);
          g_hash_table_iter_steal (&iter);
        }
      else
        next = MIN (next, call->deadline);
    }
  client->timer_at = G_MAXINT64;
  g_source_set_ready_time (client->timer, -1);
  if (next != G_MAXINT64)
    client_arm_timer (client, next);

  wsim_rpc_client_ref (client);
  for (guint i = 0; i < expired->len; i++)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                     "RPC call timed out");
      call_complete (client, expired->pdata[i], NULL, error);
    }
  g_ptr_array_free (expired, TRUE);
  wsim_rpc_client_unref (client);
  return G_SOURCE_CONTINUE;
}

static void
client_arm_timer (WsimRpcClient *client, gint64 deadline)
{
  if (deadline >= client->timer_at || client->timer == NULL)
    return;
  client->timer_at = deadline;
  g_source_set_ready_time (client->timer, deadline);
}

/* ---- calls ---------------------------------------------------------------------- */

guint32
wsim_rpc_client_call (WsimRpcClient *client, guint32 proc, xdrproc_t xargs, const void *args,
                      gint timeout_ms, GCancellable *cancellable, WsimRpcReplyFunc callback,
                      gpointer user_data)
{
  PendingCall *call;
  const WsimAuthOps *ops;
  WsimXdrBuf *buf;
  guint32 hdr[6];
  GError *error = NULL;

  g_return_val_if_fail (client != NULL && callback != NULL, 0);

  call = g_new0 (PendingCall, 1);
  call->client = client;
  call->xid = client->next_xid++;
  call->callback = callback;
  call->user_data = user_data;
  call->auth = wsim_auth_ref (client->auth);
  if (timeout_ms < 0)
    timeout_ms = (gint) MIN (client->default_timeout_ms, (guint) G_MAXINT);
  call->deadline = timeout_ms == 0 ? G_MAXINT64
                                   : g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (client->conn == NULL)
    {
      call_fail_later (client, call, g_error_copy (client->closed_error));
      return call->xid;
    }
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      call_fail_later (client, call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                          "RPC call cancelled"));
      return call->xid;
    }

  /* Header: xid, CALL, RPC version 2, prog, vers, proc; then cred, verf, args. */
  buf = wsim_xdrbuf_new (4, 256);
  hdr[0] = GUINT32_TO_BE (call->xid);
  hdr[1] = GUINT32_TO_BE (CALL);
  hdr[2] = GUINT32_TO_BE (RPC_MSG_VERSION);
  hdr[3] = GUINT32_TO_BE (client->prog);
  hdr[4] = GUINT32_TO_BE (client->vers);
  hdr[5] = GUINT32_TO_BE (proc);
  wsim_xdrbuf_append (buf, hdr, sizeof hdr);
  ops = wsim_auth_get_ops (call->auth);
  if (!ops->marshal (call->auth, buf, 4, &call->seq, &error))
    {
      wsim_xdrbuf_free (buf);
      call_fail_later (client, call, error);
      return call->xid;
    }
  if (ops->wrap != NULL ? !ops->wrap (call->auth, buf, call->seq, xargs, args, &error)
                        : !wsim_xdrbuf_encode (buf, xargs, args))
    {
      wsim_xdrbuf_free (buf);
      if (error == NULL)
        error = g_error_new_literal (WSIM_RPC_ERROR, WSIM_RPC_ERROR_ENCODE,
                                     "RPC arguments do not encode");
      call_fail_later (client, call, error);
      return call->xid;
    }

  g_hash_table_insert (client->pending, GUINT_TO_POINTER (call->xid), call);
  if (cancellable != NULL)
    {
      call->cancellable = g_object_ref (cancellable);
      call->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                               call, NULL);
    }
  client_arm_timer (client, call->deadline);
  wsim_conn_send (client->conn, buf);
  return call->xid;
}

/* ---- lifecycle ------------------------------------------------------------------ */

static gboolean
timer_dispatch (GSource *source, GSourceFunc cb, gpointer data)
{
  return cb (data);
}

static GSourceFuncs timer_source_funcs = {
  .dispatch = timer_dispatch,
};

void
wsim_rpc_client_set_version (WsimRpcClient *client, guint32 vers)
{
  client->vers = vers;   /* read when a call is encoded, on the client's thread */
}

WsimRpcClient *
wsim_rpc_client_new_for_socket (GMainContext *context, GSocket *socket, guint32 prog,
                                guint32 vers)
{
  WsimRpcClient *client;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  client = g_new0 (WsimRpcClient, 1);
  g_atomic_ref_count_init (&client->ref_count);
  client->context = context != NULL ? g_main_context_ref (context)
                                    : g_main_context_ref_thread_default ();
  client->prog = prog;
  client->vers = vers;
  client->next_xid = g_random_int ();
  client->default_timeout_ms = WSIM_RPC_DEFAULT_TIMEOUT_MS;
  client->auth = wsim_auth_none_new ();
  client->pending = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_mutex_init (&client->lock);
  g_queue_init (&client->deferred);

  /* Neither source holds a reference on the client: the client destroys them. */
  client->deferred_source = g_source_new (&deferred_source_funcs, sizeof (GSource));
  g_source_set_callback (client->deferred_source, NULL, client, NULL);
  g_source_set_static_name (client->deferred_source, "wsim-rpc-client-deferred");
  g_source_attach (client->deferred_source, client->context);

  client->timer_at = G_MAXINT64;
  client->timer = g_source_new (&timer_source_funcs, sizeof (GSource));
  g_source_set_callback (client->timer, on_timer, client, NULL);
  g_source_set_static_name (client->timer, "wsim-rpc-client-timer");
  g_source_attach (client->timer, client->context);

  client->conn = wsim_conn_new (client->context, socket, WSIM_RPC_DEFAULT_MAX_RECORD,
                                &client_conn_callbacks, client);
  return client;
}

/* A refused or failed connect names the address it tried: "connection refused" alone
 * does not say which of several servers (or which typo) it was. */
static void
prefix_connect_error (GError **error, GSocketAddress *address)
{
  g_autofree char *text = wsim_address_to_string (address);

  g_prefix_error (error, "connect failed (%s): ", text);
}

WsimRpcClient *
wsim_rpc_client_connect (GMainContext *context, GSocketAddress *address, guint32 prog,
                         guint32 vers, GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  GSocketFamily family;

  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);
  family = g_socket_address_get_family (address);
  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM,
                         family == G_SOCKET_FAMILY_UNIX ? G_SOCKET_PROTOCOL_DEFAULT
                                                        : G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_timeout (socket, 10);
  if (family != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  if (!g_socket_connect (socket, address, NULL, error))
    {
      prefix_connect_error (error, address);
      return NULL;
    }
  g_socket_set_timeout (socket, 0);
  return wsim_rpc_client_new_for_socket (context, socket, prog, vers);
}

WsimRpcClient *
wsim_rpc_client_new_for_address (GMainContext *context, GSocketAddress *address, guint32 prog,
                                 guint32 vers, GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local = NULL;
  GSocketFamily family;
  WsimRpcClient *client;
  gboolean pending = FALSE;

  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);
  family = g_socket_address_get_family (address);
  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM,
                         family == G_SOCKET_FAMILY_UNIX ? G_SOCKET_PROTOCOL_DEFAULT
                                                        : G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  if (family != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  if (!g_socket_connect (socket, address, NULL, &local))
    {
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          /* Refused at once: a client whose calls fail from the loop, like any other. */
          client = wsim_rpc_client_new_for_socket (context, socket, prog, vers);
          prefix_connect_error (&local, address);
          client_set_closed (client, local);
          return client;
        }
      pending = TRUE;
    }
  client = wsim_rpc_client_new_for_socket (context, socket, prog, vers);
  if (pending)
    wsim_conn_set_connecting (client->conn);
  return client;
}

WsimRpcClient *
wsim_rpc_client_ref (WsimRpcClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  g_atomic_ref_count_inc (&client->ref_count);
  return client;
}

void
wsim_rpc_client_close (WsimRpcClient *client)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (client != NULL);
  if (client->conn == NULL)
    return;
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "RPC client closed");
  client_set_closed (client, error);
}

void
wsim_rpc_client_unref (WsimRpcClient *client)
{
  if (client == NULL || !g_atomic_ref_count_dec (&client->ref_count))
    return;

  /* Keep the client alive while the callbacks below run: they may take and drop
   * references of their own. */
  g_atomic_ref_count_init (&client->ref_count);
  wsim_rpc_client_close (client);
  client_run_deferred (client);
  g_assert (g_hash_table_size (client->pending) == 0);
  if (!g_atomic_ref_count_dec (&client->ref_count))
    return;   /* a callback kept a reference; the last unref finishes the job */

  g_source_destroy (client->deferred_source);
  g_source_unref (client->deferred_source);
  if (client->timer != NULL)
    {
      g_source_destroy (client->timer);
      g_source_unref (client->timer);
    }
  if (client->closed_destroy != NULL)
    client->closed_destroy (client->closed_data);
  g_hash_table_unref (client->pending);
  g_mutex_clear (&client->lock);
  wsim_auth_unref (client->auth);
  g_clear_error (&client->closed_error);
  g_main_context_unref (client->context);
  g_free (client);
}

void
wsim_rpc_client_set_auth (WsimRpcClient *client, WsimAuth *auth)
{
  g_return_if_fail (client != NULL && auth != NULL);
  wsim_auth_ref (auth);
  wsim_auth_unref (client->auth);
  client->auth = auth;
}

WsimAuth *
wsim_rpc_client_get_auth (WsimRpcClient *client)
{
  return client->auth;
}

void
wsim_rpc_client_set_default_timeout (WsimRpcClient *client, guint timeout_ms)
{
  g_return_if_fail (client != NULL && timeout_ms > 0);
  client->default_timeout_ms = timeout_ms;
}

void
wsim_rpc_client_set_max_record (WsimRpcClient *client, guint32 max_record)
{
  g_return_if_fail (client != NULL && max_record >= 64);
  if (client->conn != NULL)
    wsim_conn_set_max_record (client->conn, max_record);
}

guint
wsim_rpc_client_get_n_pending (WsimRpcClient *client)
{
  return g_hash_table_size (client->pending);
}

gboolean
wsim_rpc_client_is_connected (WsimRpcClient *client)
{
  return client->conn != NULL;
}

GMainContext *
wsim_rpc_client_get_context (WsimRpcClient *client)
{
  return client->context;
}

GSocketAddress *
wsim_rpc_client_get_local_address (WsimRpcClient *client, GError **error)
{
  GSocket *socket = client->conn != NULL ? wsim_conn_get_socket (client->conn) : NULL;

  if (socket == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "the connection is closed");
      return NULL;
    }
  return g_socket_get_local_address (socket, error);
}

void
wsim_rpc_client_set_closed_func (WsimRpcClient *client, WsimRpcClosedFunc func, gpointer user_data,
                                 GDestroyNotify destroy)
{
  if (client->closed_destroy != NULL)
    client->closed_destroy (client->closed_data);
  client->closed_func = func;
  client->closed_data = user_data;
  client->closed_destroy = destroy;
}

/* ---- synchronous helper --------------------------------------------------------- */

typedef struct {
  gboolean  done;
  gboolean  ok;
  xdrproc_t xres;
  void     *res;
  GError   *error;
} SyncCall;

static void
on_sync_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  SyncCall *s = data;

  s->done = TRUE;
  if (error != NULL)
    s->error = g_error_copy (error);
  else
    s->ok = wsim_rpc_reply_decode (reply, s->xres, s->res, &s->error);
}

gboolean
wsim_rpc_client_call_sync (WsimRpcClient *client, guint32 proc, xdrproc_t xargs,
                           const void *args, xdrproc_t xres, void *res, gint timeout_ms,
                           GCancellable *cancellable, GError **error)
{
  SyncCall s = { .xres = xres, .res = res };

  g_return_val_if_fail (client != NULL, FALSE);
  wsim_rpc_client_call (client, proc, xargs, args, timeout_ms, cancellable, on_sync_reply, &s);
  /* Bounded: the call has a timeout unless the caller asked for none, and every
   * other way it can end (close, cancel) also completes it. */
  while (!s.done)
    g_main_context_iteration (client->context, TRUE);
  if (!s.ok)
    g_propagate_error (error, s.error);
  return s.ok;
}

WsimConn *
wsim_rpc_client_get_conn (WsimRpcClient *client)
{
  return client->conn;
}
