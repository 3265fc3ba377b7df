/* wsim-rpc-server.c: listeners, connections and call dispatch (see wsim-rpc-server.h).
 *
 * Connections sit in one queue ordered by when each last delivered a record, least
 * recent first: the idle reaper and the eviction at the connection cap both start at
 * the head. Which connection a cap closes (server_pick_victim()) is the connection policy
 * of docs/rpc-engine.md, "Connection limits": silent ones first, then unauthenticated idle
 * ones; authenticated ones and those with a request in progress never. A request holds a reference on its connection, so a reply owed on a
 * connection that has closed finds it closed and is dropped instead of written.
 *
 * Dispatch decodes the call header (by hand: it is the hot path) into stack buffers, asks
 * the flavor to authenticate, finds the program, version and procedure, decodes the
 * arguments (through the flavor) and calls the handler. The requests and their replies
 * are in wsim-rpc-request.c.
 */
#include "wsim-rpc-server.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>

#include "wsim-auth-gss.h"
#include "wsim-authn-level.h"
#include "wsim-conn.h"
#include "wsim-key-count.h"
#include "wsim-rpc-error.h"
#include "wsim-rpc-server-private.h"

#define ACCEPTS_PER_WAKE 64
#define MAX_FLAVORS      8

typedef struct {
  guint64               key;          /* prog << 32 | vers */
  const WsimRpcProgram *program;      /* (unowned) static */
  gpointer              user_data;
} ProgramEntry;

typedef struct {
  WsimRpcServer *server;              /* (unowned) */
  GSocket       *socket;              /* (owned) */
  GSource       *source;              /* (owned) */
  char          *unix_path;           /* (owned) (nullable) removed at shutdown */
} Listener;

struct _WsimRpcServer {
  gatomicrefcount      ref_count;     /* atomic */
  GMainContext        *context;       /* (owned) */
  WsimRpcServerLimits  limits;
  WsimRpcServerStats   stats;
  GPtrArray           *listeners;     /* (owned) Listener* */
  GQueue               conns;         /* WsimRpcServerConn* (owned), least recently active first */
  GHashTable          *programs;      /* guint64 key -> (owned) ProgramEntry* */
  struct {
    guint32               flavor;
    const WsimSvcAuthOps *ops;        /* (unowned) static */
  }                    auth[MAX_FLAVORS];
  guint                n_auth;
  GSource             *reaper;        /* (owned) (nullable) */
  GHashTable          *per_peer;      /* (owned) peer_key (owned) -> open connections (guint) */
  int                  spare_fd;      /* (owned) /dev/null, given up to refuse a newcomer when
                                       * out of descriptors (-1 if it could not be opened) */
  guint64              next_conn_id;
  gboolean             shut_down;
  WsimRpcConnClosedFunc conn_closed;  /* (nullable) told of each connection that ends */
  gpointer             conn_closed_data;
};

static void server_arm_reaper (WsimRpcServer *server);

/* ---- the per-peer count ----------------------------------------------------------- */

/* The key a peer's connections are counted under: its IP address (any port: one host is
 * one peer), or for a Unix socket the uid the kernel vouches for. NULL when unknown (an
 * unnamed peer without credentials): such connections are counted by the overall cap only. */
static char *
peer_key_for (GSocketAddress *peer, gint64 peer_uid)
{
  if (peer != NULL && G_IS_INET_SOCKET_ADDRESS (peer))
    {
      g_autofree char *ip = g_inet_address_to_string (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer)));

      return g_strconcat ("ip:", ip, NULL);
    }
  if (peer_uid >= 0)
    return g_strdup_printf ("uid:%" G_GINT64_FORMAT, peer_uid);
  return NULL;
}


/* ---- connections ---------------------------------------------------------------- */

WsimRpcServerConn *
wsim_rpc_server_conn_ref (WsimRpcServerConn *sconn)
{
  g_ref_count_inc (&sconn->ref_count);
  return sconn;
}

void
wsim_rpc_server_conn_unref (WsimRpcServerConn *sconn)
{
  if (!g_ref_count_dec (&sconn->ref_count))
    return;
  g_clear_pointer (&sconn->auth_state, g_hash_table_unref);
  g_free (sconn->peer_principal);
  g_free (sconn->peer_acceptor);
  g_clear_object (&sconn->peer);
  g_clear_object (&sconn->local);
  g_free (sconn->peer_key);
  wsim_conn_unref (sconn->conn);
  g_free (sconn);
}

static void
sconn_update_paused (WsimRpcServerConn *sconn)
{
  if (sconn->server != NULL)
    wsim_conn_set_read_paused (sconn->conn,
                               sconn->n_in_progress >= sconn->server->limits.max_in_progress);
}

void
wsim_rpc_server_conn_request_started (WsimRpcServerConn *sconn)
{
  sconn->n_in_progress++;
  sconn->server->stats.n_in_progress++;
  sconn_update_paused (sconn);
}

void
wsim_rpc_server_conn_request_done (WsimRpcServerConn *sconn)
{
  sconn->n_in_progress--;
  /* A closed connection's requests left the server's count when it closed. */
  if (sconn->server != NULL)
    {
      sconn->server->stats.n_in_progress--;
      sconn_update_paused (sconn);
    }
}

void
wsim_rpc_server_conn_close (WsimRpcServerConn *sconn)
{
  WsimRpcServer *server = sconn->server;

  if (sconn->closed)
    return;
  sconn->closed = TRUE;
  server->stats.max_queued_bytes = MAX (server->stats.max_queued_bytes,
                                        wsim_conn_get_max_queued_bytes (sconn->conn));
  wsim_conn_close (sconn->conn);
  /* Security contexts die with their connection (libtirpc keeps them and poisons the next
   * connection that reuses the address). Requests still running hold what they need. */
  g_clear_pointer (&sconn->auth_state, g_hash_table_unref);
  /* … and so does what the first of them proved. */
  g_clear_pointer (&sconn->peer_principal, g_free);
  sconn->peer_mech = NULL;
  g_clear_pointer (&sconn->peer_acceptor, g_free);
  g_queue_unlink (&server->conns, &sconn->link);
  wsim_key_count_add (server->per_peer, sconn->peer_key, -1);
  server->stats.n_in_progress -= sconn->n_in_progress;
  sconn->server = NULL;
  if (server->conn_closed != NULL && !server->shut_down)
    server->conn_closed (server, sconn->id, server->conn_closed_data);
  wsim_rpc_server_conn_unref (sconn);
}

/* ---- flavor state kept per connection ------------------------------------------ */

typedef struct {
  gpointer       state;
  GDestroyNotify destroy;
} ConnState;

static void
conn_state_free (gpointer p)
{
  ConnState *cs = p;

  if (cs->destroy != NULL)
    cs->destroy (cs->state);
  g_free (cs);
}

gpointer
wsim_rpc_server_conn_get_auth_state (WsimRpcServerConn *sconn, guint32 flavor)
{
  ConnState *cs = sconn->auth_state != NULL
                  ? g_hash_table_lookup (sconn->auth_state, GUINT_TO_POINTER (flavor)) : NULL;

  return cs != NULL ? cs->state : NULL;
}

void
wsim_rpc_server_conn_set_auth_state (WsimRpcServerConn *sconn, guint32 flavor, gpointer state,
                                     GDestroyNotify destroy)
{
  ConnState *cs = g_new0 (ConnState, 1);

  cs->state = state;
  cs->destroy = destroy;
  if (sconn->closed)
    {
      conn_state_free (cs);
      return;
    }
  if (sconn->auth_state == NULL)
    sconn->auth_state = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, conn_state_free);
  g_hash_table_replace (sconn->auth_state, GUINT_TO_POINTER (flavor), cs);
}

void
wsim_rpc_server_foreach_conn_state (WsimRpcServer *server, guint32 flavor, GFunc func,
                                    gpointer user_data)
{
  g_return_if_fail (server != NULL && func != NULL);
  for (GList *l = server->conns.head; l != NULL; l = l->next)
    {
      gpointer state = wsim_rpc_server_conn_get_auth_state (l->data, flavor);

      if (state != NULL)
        func (state, user_data);
    }
}

/* ---- dispatch ------------------------------------------------------------------- */

static const WsimSvcAuthOps *
server_find_auth (WsimRpcServer *server, guint32 flavor)
{
  for (guint i = 0; i < server->n_auth; i++)
    if (server->auth[i].flavor == flavor)
      return server->auth[i].ops;
  return NULL;
}

static const WsimRpcProcedure *
program_find_proc (const WsimRpcProgram *program, guint32 proc)
{
  for (gsize i = 0; i < program->n_procs; i++)
    if (program->procs[i].proc == proc)
      return &program->procs[i];
  return NULL;
}

/* PROG_UNAVAIL, or PROG_MISMATCH with the range of versions served for @prog. */
static void
reply_unknown_program (WsimRpcServer *server, WsimRpcRequest *req)
{
  GHashTableIter iter;
  ProgramEntry *e;
  guint32 low = G_MAXUINT32, high = 0;

  g_hash_table_iter_init (&iter, server->programs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
    if (e->program->prog == req->prog)
      {
        low = MIN (low, e->program->vers);
        high = MAX (high, e->program->vers);
      }
  if (low == G_MAXUINT32)
    wsim_rpc_request_reply_error (req, PROG_UNAVAIL);
  else
    wsim_rpc_request_reply_prog_mismatch (req, low, high);
}

/* Reads one opaque_auth (flavor, length, body) at *pos into @oa, whose oa_base has
 * MAX_AUTH_BYTES of room. A body longer than RFC 5531 allows (opaque body<400>) sets
 * *@too_long: the caller answers it as a bad credential or verifier, not as garbage. */
static gboolean
read_opaque_auth (const guint8 *rec, gsize len, gsize *pos, struct opaque_auth *oa,
                  gboolean *too_long)
{
  guint32 w[2];

  if (len - *pos < 8)
    return FALSE;
  memcpy (w, rec + *pos, 8);
  oa->oa_flavor = (enum_t) GUINT32_FROM_BE (w[0]);
  oa->oa_length = GUINT32_FROM_BE (w[1]);
  *pos += 8;
  *too_long = oa->oa_length > MAX_AUTH_BYTES;
  if (*too_long || len - *pos < RNDUP (oa->oa_length))
    return FALSE;
  memcpy (oa->oa_base, rec + *pos, oa->oa_length);
  *pos += RNDUP (oa->oa_length);
  return TRUE;
}

/* The call header (RFC 5531 call_body), decoded by hand: it is on every call's path and
 * this is a third of the instructions libtirpc's xdr_callmsg takes. The message type and
 * RPC version have been checked by the caller. Sets *@pos past the verifier; on failure
 * *@auth_stat is AUTH_BADCRED or AUTH_BADVERF for a body over 400 bytes, else AUTH_OK. */
static gboolean
decode_call_header (const guint8 *rec, gsize len, struct rpc_msg *msg, gsize *pos,
                    guint32 *auth_stat)
{
  guint32 w[6];
  gboolean too_long = FALSE;

  if (len < 24)
    return FALSE;
  memcpy (w, rec, sizeof w);
  msg->rm_xid = GUINT32_FROM_BE (w[0]);
  msg->rm_direction = CALL;
  msg->rm_call.cb_rpcvers = GUINT32_FROM_BE (w[2]);
  msg->rm_call.cb_prog = GUINT32_FROM_BE (w[3]);
  msg->rm_call.cb_vers = GUINT32_FROM_BE (w[4]);
  msg->rm_call.cb_proc = GUINT32_FROM_BE (w[5]);
  *pos = 24;
  *auth_stat = AUTH_OK;
  if (!read_opaque_auth (rec, len, pos, &msg->rm_call.cb_cred, &too_long))
    {
      *auth_stat = too_long ? AUTH_BADCRED : AUTH_OK;
      return FALSE;
    }
  if (!read_opaque_auth (rec, len, pos, &msg->rm_call.cb_verf, &too_long))
    {
      *auth_stat = too_long ? AUTH_BADVERF : AUTH_OK;
      return FALSE;
    }
  return TRUE;
}

static void
server_dispatch (WsimRpcServerConn *sconn, const guint8 *rec, gsize len)
{
  WsimRpcServer *server = sconn->server;
  guint8 cred_body[MAX_AUTH_BYTES], verf_body[MAX_AUTH_BYTES];
  guint64 args_small[32];
  struct rpc_msg msg;
  WsimRpcRequest *req;
  const ProgramEntry *entry;
  const WsimRpcProcedure *proc;
  guint64 key;
  guint32 w[3], auth_stat = AUTH_FAILED, header_stat = AUTH_OK;
  gsize body = 0;
  gboolean header_ok;
  WsimSvcAuthResult auth_result;
  XDR xdrs;

  /* An RPC version we do not speak still gets its RPC_MISMATCH (xdr_callmsg would
   * just fail on it). A record that is not a call at all is dropped, as the protocol
   * has no reply for it. */
  if (len >= 12)
    memcpy (w, rec, sizeof w);
  if (len < 12 || GUINT32_FROM_BE (w[1]) != CALL)
    {
      server->stats.n_garbage++;
      return;
    }

  req = wsim_rpc_request_new (sconn, GUINT32_FROM_BE (w[0]));

  if (GUINT32_FROM_BE (w[2]) != RPC_MSG_VERSION)
    {
      wsim_rpc_request_reply_denied (req, RPC_MISMATCH, RPC_MSG_VERSION, RPC_MSG_VERSION);
      wsim_rpc_request_unref (req);
      return;
    }

  memset (&msg, 0, sizeof msg);
  msg.rm_call.cb_cred.oa_base = (caddr_t) cred_body;
  msg.rm_call.cb_verf.oa_base = (caddr_t) verf_body;
  header_ok = decode_call_header (rec, len, &msg, &body, &header_stat);
  /* The arguments follow the header. */
  xdrmem_create (&xdrs, (char *) rec + (header_ok ? body : len),
                 (u_int) (header_ok ? len - body : 0), XDR_DECODE);
  if (!header_ok)
    {
      /* A header that does not decode has no procedure to blame: its arguments,
       * whatever they are, are garbage; but a credential or verifier that is only too
       * long is answered as RFC 5531 names it (the record is in step: it was read whole). */
      server->stats.n_garbage++;
      if (header_stat != AUTH_OK)
        wsim_rpc_request_reply_denied (req, AUTH_ERROR, header_stat, 0);
      else
        wsim_rpc_request_reply_error (req, GARBAGE_ARGS);
      goto out;
    }
  req->prog = msg.rm_call.cb_prog;
  req->vers = msg.rm_call.cb_vers;
  req->proc = msg.rm_call.cb_proc;

  req->auth = server_find_auth (server, msg.rm_call.cb_cred.oa_flavor);
  if (req->auth == NULL)
    {
      wsim_rpc_request_reply_denied (req, AUTH_ERROR, AUTH_REJECTEDCRED, 0);
      goto out;
    }
  /* The call as it came, lent to the flavor for check() only: it lives in this frame. */
  req->cred = &msg.rm_call.cb_cred;
  req->verf = &msg.rm_call.cb_verf;
  req->header = rec;
  req->header_len = 32 + RNDUP (msg.rm_call.cb_cred.oa_length);
  req->raw_args = rec + body;
  req->raw_args_len = len - body;
  auth_result = req->auth->check (req, &auth_stat);
  /* A call at a level above NONE, or a context that proved its peer (set through the
   * request on an INIT or CONTINUE the flavor answered itself), makes the connection one
   * the caps never close for a newcomer. */
  if ((auth_result == WSIM_SVC_AUTH_OK && req->identity.level > RPC_C_AUTHN_LEVEL_NONE)
      || sconn->peer_principal != NULL)
    sconn->authenticated = TRUE;
  req->cred = req->verf = NULL;
  req->header = req->raw_args = NULL;
  req->header_len = req->raw_args_len = 0;
  switch (auth_result)
    {
    case WSIM_SVC_AUTH_OK:
      break;
    case WSIM_SVC_AUTH_DENIED:
      req->auth = NULL;   /* its verifier belongs to a call it refused */
      wsim_rpc_request_reply_denied (req, AUTH_ERROR, auth_stat, 0);
      goto out;
    case WSIM_SVC_AUTH_REPLIED:
    case WSIM_SVC_AUTH_DROP:
      wsim_rpc_request_finish_silently (req);
      goto out;
    }

  key = ((guint64) req->prog << 32) | req->vers;
  entry = g_hash_table_lookup (server->programs, &key);
  if (entry == NULL)
    {
      reply_unknown_program (server, req);
      goto out;
    }
  proc = program_find_proc (entry->program, req->proc);
  if (proc == NULL)
    {
      /* A protected NULL call still carries a (void) body: checking it refuses a tampered
       * one and keeps a sequenced mechanism (NTLMSSP) in step with the client. */
      if (req->proc == NULLPROC && req->auth->unwrap != NULL
          && !req->auth->unwrap (req, &xdrs, WSIM_XDRPROC (xdr_void), NULL))
        wsim_rpc_request_reply_error (req, GARBAGE_ARGS);
      else if (req->proc == NULLPROC)
        wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_void), NULL);
      else
        wsim_rpc_request_reply_error (req, PROC_UNAVAIL);
      goto out;
    }

  {
    void *args = proc->args_size <= sizeof args_small ? (void *) args_small
                                                      : g_malloc (proc->args_size);
    gboolean ok;

    memset (args, 0, MAX (proc->args_size, 1));
    ok = req->auth->unwrap != NULL ? req->auth->unwrap (req, &xdrs, proc->xargs, args)
                                   : proc->xargs (&xdrs, args, 0);
    if (!ok)
      wsim_rpc_request_reply_error (req, GARBAGE_ARGS);
    else
      {
        server->stats.n_calls++;
        proc->handler (req, args, entry->user_data);
      }
    /* Frees what a failed decode left half-built too. */
    xdr_free (proc->xargs, args);
    if (args != (void *) args_small)
      g_free (args);
  }

out:
  xdr_destroy (&xdrs);
  wsim_rpc_request_unref (req);
}

static void
on_conn_record (WsimConn *conn, const guint8 *rec, gsize len, gpointer user_data)
{
  WsimRpcServerConn *sconn = user_data;
  WsimRpcServer *server = sconn->server;

  if (server == NULL)
    return;
  sconn->heard = TRUE;
  /* Most recently active goes last: the reaper and the evictor start at the head. */
  g_queue_unlink (&server->conns, &sconn->link);
  g_queue_push_tail_link (&server->conns, &sconn->link);
  wsim_rpc_server_conn_ref (sconn);
  server_dispatch (sconn, rec, len);
  wsim_rpc_server_conn_unref (sconn);
}

static void
on_conn_closed (WsimConn *conn, const GError *error, gpointer user_data)
{
  WsimRpcServerConn *sconn = user_data;

  if (sconn->server == NULL)
    return;
  if (error != NULL && g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RECORD_TOO_LARGE))
    sconn->server->stats.n_closed_oversize++;
  wsim_rpc_server_conn_close (sconn);
}

static const WsimConnCallbacks server_conn_callbacks = {
  .record = on_conn_record,
  .closed = on_conn_closed,
};

/* ---- accepting and reaping ------------------------------------------------------ */

/* A connection the caps may close for a newcomer: not authenticated, nothing in progress. */
static gboolean
sconn_is_evictable (const WsimRpcServerConn *s)
{
  return !s->authenticated && s->n_in_progress == 0;
}

/* The connection a cap closes, among all (@peer_key NULL) or one peer's: the oldest silent
 * one, else the least recently active evictable one; NULL when every candidate is
 * protected. The queue is least recently active first, and a silent connection never
 * moves in it, so the first silent one met is the oldest. */
static WsimRpcServerConn *
server_pick_victim (WsimRpcServer *server, const char *peer_key)
{
  WsimRpcServerConn *idle = NULL;

  for (GList *l = server->conns.head; l != NULL; l = l->next)
    {
      WsimRpcServerConn *s = l->data;

      if (!sconn_is_evictable (s)
          || (peer_key != NULL && g_strcmp0 (s->peer_key, peer_key) != 0))
        continue;
      if (!s->heard)
        return s;
      if (idle == NULL)
        idle = s;
    }
  return idle;
}

static gboolean
server_evict_one (WsimRpcServer *server, const char *peer_key)
{
  WsimRpcServerConn *victim = server_pick_victim (server, peer_key);

  if (victim == NULL)
    return FALSE;
  server->stats.n_closed_evicted++;
  wsim_rpc_server_conn_close (victim);
  return TRUE;
}

/* Makes room for a connection from @peer_key under both caps; FALSE when only protected
 * connections stand in the way (the newcomer is then refused). */
static gboolean
server_make_room (WsimRpcServer *server, const char *peer_key)
{
  if (server->limits.max_per_peer > 0 && peer_key != NULL)
    while (wsim_key_count_get (server->per_peer, peer_key) >= server->limits.max_per_peer)
      if (!server_evict_one (server, peer_key))
        return FALSE;
  while (g_queue_get_length (&server->conns) >= server->limits.max_connections)
    if (!server_evict_one (server, NULL))
      return FALSE;
  return TRUE;
}

WsimRpcServerConn *
wsim_rpc_server_adopt_fd (WsimRpcServer *server, int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, &error);
  WsimRpcServerConn *sconn;

  if (socket == NULL)
    {
      close (fd);
      return NULL;
    }
  if (g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  sconn = g_new0 (WsimRpcServerConn, 1);
  g_ref_count_init (&sconn->ref_count);
  sconn->server = server;
  sconn->id = ++server->next_conn_id;
  sconn->link.data = sconn;
  /* Read once, while the socket is new: who is on the other end decides, e.g., whether a
   * caller is on this machine, and must not depend on the connection still being open. */
  sconn->peer = g_socket_get_remote_address (socket, NULL);
  sconn->local = g_socket_get_local_address (socket, NULL);
  sconn->peer_uid = -1;
  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_UNIX)
    {
      /* SO_PEERCRED: who connected, as the kernel says (not a claim of the peer's). */
      g_autoptr(GCredentials) cred = g_socket_get_credentials (socket, NULL);

      if (cred != NULL && g_credentials_get_unix_user (cred, NULL) != (uid_t) -1)
        sconn->peer_uid = g_credentials_get_unix_user (cred, NULL);
    }
  sconn->peer_key = peer_key_for (sconn->peer, sconn->peer_uid);
  /* A Unix-socket peer of our own uid is who the kernel says (SO_PEERCRED), and could do as
   * we do anyway: a helper's private sockets, whose peers may connect long before they
   * speak, are not a flood's to take. */
  if (sconn->peer_uid >= 0 && sconn->peer_uid == (gint64) getuid ())
    sconn->authenticated = TRUE;
  if (!server_make_room (server, sconn->peer_key))
    {
      /* Every connection in the way is protected: the newcomer goes, not one of them. */
      server->stats.n_refused++;
      g_socket_close (socket, NULL);
      g_clear_object (&sconn->peer);
      g_clear_object (&sconn->local);
      g_free (sconn->peer_key);
      g_free (sconn);
      return NULL;
    }
  sconn->accepted_at = g_get_monotonic_time ();
  sconn->conn = wsim_conn_new (server->context, socket, server->limits.max_record,
                               &server_conn_callbacks, sconn);
  wsim_conn_set_out_high_watermark (sconn->conn, server->limits.out_high_watermark);
  g_queue_push_tail_link (&server->conns, &sconn->link);
  wsim_key_count_add (server->per_peer, sconn->peer_key, +1);
  server->stats.n_accepted++;
  return sconn;
}

/* Out of descriptors with only protected connections (or none) to close: the newcomer is
 * refused through the spare descriptor, accepted and closed at once. Left in the backlog it
 * would wake the listener again at once, for ever. */
static gboolean
server_refuse_one (WsimRpcServer *server, Listener *l)
{
  int fd;

  if (server->spare_fd < 0)
    return FALSE;
  close (server->spare_fd);
  fd = accept4 (g_socket_get_fd (l->socket), NULL, NULL, SOCK_CLOEXEC);
  if (fd >= 0)
    {
      close (fd);
      server->stats.n_refused++;
    }
  server->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd >= 0;
}

static gboolean
on_listener_ready (GSocket *socket, GIOCondition cond, gpointer data)
{
  Listener *l = data;
  WsimRpcServer *server = l->server;
  gboolean evicted = FALSE;

  for (int i = 0; i < ACCEPTS_PER_WAKE; i++)
    {
      int fd = accept4 (g_socket_get_fd (l->socket), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

      if (fd >= 0)
        {
          wsim_rpc_server_adopt_fd (server, fd);
          continue;
        }
      if (errno == EINTR)
        continue;
      if ((errno == EMFILE || errno == ENFILE) && !evicted)
        {
          /* Out of descriptors: make room by closing the stalest connection, once per
           * wake-up, so a flood cannot lock out every new client. */
          evicted = server_evict_one (server, NULL);
          if (evicted)
            continue;
        }
      if ((errno == EMFILE || errno == ENFILE) && server_pick_victim (server, NULL) == NULL
          && server_refuse_one (server, l))
        continue;
      break;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_reap (gpointer data)
{
  WsimRpcServer *server = data;
  gint64 now = g_get_monotonic_time ();
  gint64 limit = (gint64) server->limits.idle_timeout_ms * 1000;
  gint64 silent = (gint64) server->limits.silent_timeout_ms * 1000;
  GList *l = server->conns.head;

  while (l != NULL)
    {
      WsimRpcServerConn *s = l->data;

      l = l->next;
      if (limit > 0 && s->n_in_progress == 0
          && now - wsim_conn_get_last_activity (s->conn) >= limit)
        {
          server->stats.n_closed_idle++;
          wsim_rpc_server_conn_close (s);
        }
      else if (silent > 0 && !s->heard && !s->authenticated && now - s->accepted_at >= silent)
        {
          server->stats.n_closed_silent++;
          wsim_rpc_server_conn_close (s);
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
server_arm_reaper (WsimRpcServer *server)
{
  guint interval, shortest = 0;

  if (server->reaper != NULL)
    {
      g_source_destroy (server->reaper);
      g_clear_pointer (&server->reaper, g_source_unref);
    }
  if (server->limits.idle_timeout_ms > 0)
    shortest = server->limits.idle_timeout_ms;
  if (server->limits.silent_timeout_ms > 0 && (shortest == 0 || server->limits.silent_timeout_ms < shortest))
    shortest = server->limits.silent_timeout_ms;
  if (shortest == 0 || server->shut_down)
    return;
  interval = CLAMP (shortest / 4, 10, 30000);
  server->reaper = g_timeout_source_new (interval);
  g_source_set_callback (server->reaper, on_reap, server, NULL);
  g_source_set_static_name (server->reaper, "wsim-rpc-server-reaper");
  g_source_attach (server->reaper, server->context);
}

/* ---- the server ----------------------------------------------------------------- */

/* The server flavors of every server the library makes, in one place, so that no user of
 * the engine installs a flavor's ops itself. The GSS ones wait for
 * wsim_rpc_server_set_accept_gss(): a server that never asks refuses RPCSEC_GSS
 * (AUTH_REJECTEDCRED): only servers that authenticate their callers take GSS contexts. */
static const struct {
  guint32                 flavor;
  const WsimSvcAuthOps *(*ops) (void);
  gboolean                gss;
} default_flavors[] = {
  { AUTH_NONE, wsim_svc_auth_none, FALSE },
  { AUTH_SYS, wsim_svc_auth_sys, FALSE },
  { WSIM_RPCSEC_GSS, wsim_svc_auth_gss, TRUE },
};

/* The environment's word on the connection policy's defaults (wsim-rpc-server.h): how tests
 * lower the caps of servers they do not build themselves, helper processes included. */
static void
limits_from_env (WsimRpcServerLimits *limits)
{
  static const struct {
    const char *name;
    gsize       offset;
    guint       min;
  } vars[] = {
    { "WSIM_RPC_MAX_CONNECTIONS", G_STRUCT_OFFSET (WsimRpcServerLimits, max_connections), 1 },
    { "WSIM_RPC_MAX_PER_PEER", G_STRUCT_OFFSET (WsimRpcServerLimits, max_per_peer), 0 },
    { "WSIM_RPC_SILENT_TIMEOUT_MS", G_STRUCT_OFFSET (WsimRpcServerLimits, silent_timeout_ms), 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *v = g_getenv (vars[i].name);
      guint64 n;

      if (v != NULL && g_ascii_string_to_unsigned (v, 10, vars[i].min, G_MAXUINT, &n, NULL))
        G_STRUCT_MEMBER (guint, limits, vars[i].offset) = (guint) n;
    }
}

WsimRpcServer *
wsim_rpc_server_new (GMainContext *context)
{
  WsimRpcServer *server = g_new0 (WsimRpcServer, 1);

  g_atomic_ref_count_init (&server->ref_count);
  server->context = context != NULL ? g_main_context_ref (context)
                                    : g_main_context_ref_thread_default ();
  server->limits = (WsimRpcServerLimits) {
    .max_record = 4u * 1024 * 1024,
    .max_connections = 1024,
    .idle_timeout_ms = 120000,
    .out_high_watermark = 1024 * 1024,
    .max_in_progress = 128,
    .max_per_peer = 512,
    .silent_timeout_ms = 5000,
  };
  limits_from_env (&server->limits);
  server->listeners = g_ptr_array_new ();
  g_queue_init (&server->conns);
  server->programs = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  server->per_peer = wsim_key_count_new ();
  server->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  for (guint i = 0; i < G_N_ELEMENTS (default_flavors); i++)
    if (!default_flavors[i].gss)
      wsim_rpc_server_set_auth (server, default_flavors[i].flavor, default_flavors[i].ops ());
  server_arm_reaper (server);
  return server;
}

WsimRpcServer *
wsim_rpc_server_ref (WsimRpcServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);
  g_atomic_ref_count_inc (&server->ref_count);
  return server;
}

void
wsim_rpc_server_unref (WsimRpcServer *server)
{
  if (server == NULL || !g_atomic_ref_count_dec (&server->ref_count))
    return;
  wsim_rpc_server_shutdown (server);
  g_ptr_array_unref (server->listeners);
  g_hash_table_unref (server->programs);
  g_hash_table_unref (server->per_peer);
  if (server->spare_fd >= 0)
    close (server->spare_fd);
  g_main_context_unref (server->context);
  g_free (server);
}

void
wsim_rpc_server_shutdown (WsimRpcServer *server)
{
  g_return_if_fail (server != NULL);
  if (server->shut_down)
    return;
  server->shut_down = TRUE;
  for (guint i = 0; i < server->listeners->len; i++)
    {
      Listener *l = server->listeners->pdata[i];

      g_source_destroy (l->source);
      g_source_unref (l->source);
      g_socket_close (l->socket, NULL);
      g_object_unref (l->socket);
      if (l->unix_path != NULL)
        unlink (l->unix_path);
      g_free (l->unix_path);
      g_free (l);
    }
  g_ptr_array_set_size (server->listeners, 0);
  while (server->conns.head != NULL)
    wsim_rpc_server_conn_close (server->conns.head->data);
  server_arm_reaper (server);
}

void
wsim_rpc_server_set_conn_closed_func (WsimRpcServer *server, WsimRpcConnClosedFunc func,
                                      gpointer user_data)
{
  server->conn_closed = func;
  server->conn_closed_data = user_data;
}

void
wsim_rpc_server_get_limits (WsimRpcServer *server, WsimRpcServerLimits *out)
{
  *out = server->limits;
}

void
wsim_rpc_server_set_limits (WsimRpcServer *server, const WsimRpcServerLimits *limits)
{
  g_return_if_fail (server != NULL && limits != NULL);
  g_return_if_fail (limits->max_record >= 64 && limits->max_connections > 0
                    && limits->max_in_progress > 0);
  server->limits = *limits;
  for (GList *l = server->conns.head; l != NULL; l = l->next)
    {
      WsimRpcServerConn *s = l->data;

      wsim_conn_set_out_high_watermark (s->conn, limits->out_high_watermark);
      sconn_update_paused (s);
    }
  server_arm_reaper (server);
}

void
wsim_rpc_server_get_stats (WsimRpcServer *server, WsimRpcServerStats *out)
{
  *out = server->stats;
  out->n_connections = g_queue_get_length (&server->conns);
  out->queued_bytes = 0;
  out->n_authenticated = 0;
  for (GList *l = server->conns.head; l != NULL; l = l->next)
    {
      WsimRpcServerConn *s = l->data;

      if (s->authenticated)
        out->n_authenticated++;

      out->queued_bytes += wsim_conn_get_queued_bytes (s->conn);
      out->max_queued_bytes = MAX (out->max_queued_bytes,
                                   wsim_conn_get_max_queued_bytes (s->conn));
    }
}

void
wsim_rpc_server_add_program (WsimRpcServer *server, const WsimRpcProgram *program,
                             gpointer user_data)
{
  ProgramEntry *e;

  g_return_if_fail (server != NULL && program != NULL);
  e = g_new0 (ProgramEntry, 1);
  e->key = ((guint64) program->prog << 32) | program->vers;
  e->program = program;
  e->user_data = user_data;
  g_return_if_fail (!g_hash_table_contains (server->programs, &e->key));
  g_hash_table_insert (server->programs, &e->key, e);
}

void
wsim_rpc_server_set_accept_gss (WsimRpcServer *server, gboolean accept)
{
  g_return_if_fail (server != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (default_flavors); i++)
    if (default_flavors[i].gss)
      wsim_rpc_server_set_auth (server, default_flavors[i].flavor,
                                accept ? default_flavors[i].ops () : NULL);
}

void
wsim_rpc_server_set_auth (WsimRpcServer *server, guint32 flavor, const WsimSvcAuthOps *ops)
{
  g_return_if_fail (server != NULL);
  for (guint i = 0; i < server->n_auth; i++)
    if (server->auth[i].flavor == flavor)
      {
        server->auth[i] = server->auth[--server->n_auth];
        break;
      }
  if (ops == NULL)
    return;
  g_return_if_fail (server->n_auth < MAX_FLAVORS);
  server->auth[server->n_auth].flavor = flavor;
  server->auth[server->n_auth].ops = ops;
  server->n_auth++;
}

gboolean
wsim_rpc_server_listen (WsimRpcServer *server, GSocketAddress *address,
                        GSocketAddress **out_address, GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  GSocketFamily family;
  g_autofree char *unix_path = NULL;
  Listener *l;

  g_return_val_if_fail (server != NULL && G_IS_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (!server->shut_down, FALSE);
  family = g_socket_address_get_family (address);
  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM,
                         family == G_SOCKET_FAMILY_UNIX ? G_SOCKET_PROTOCOL_DEFAULT
                                                        : G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (family == G_SOCKET_FAMILY_UNIX)
    {
      struct stat st;

      unix_path = g_strdup (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)));
      if (lstat (unix_path, &st) == 0 && S_ISSOCK (st.st_mode))
        unlink (unix_path);
    }
  /* A deep backlog: connection floods are handled by eviction, not by the kernel
   * refusing the next honest client. */
  g_socket_set_listen_backlog (socket, 4096);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  if (out_address != NULL && (*out_address = g_socket_get_local_address (socket, error)) == NULL)
    return FALSE;

  l = g_new0 (Listener, 1);
  l->server = server;
  l->socket = g_steal_pointer (&socket);
  l->unix_path = g_steal_pointer (&unix_path);
  l->source = g_socket_create_source (l->socket, G_IO_IN, NULL);
  g_source_set_callback (l->source, (GSourceFunc) (void (*) (void)) on_listener_ready, l, NULL);
  g_source_set_static_name (l->source, "wsim-rpc-server-listener");
  g_source_attach (l->source, server->context);
  g_ptr_array_add (server->listeners, l);
  return TRUE;
}

GMainContext *
wsim_rpc_server_get_context (WsimRpcServer *server)
{
  return server->context;
}
