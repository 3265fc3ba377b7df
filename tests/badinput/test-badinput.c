/* test-badinput.c: malformed and hostile input at the RPC layer, each case its own test.
 *
 * Our server runs on its own thread (wsim_test_server_thread_start), in this process, so
 * its statistics and its memory (VmRSS) can be read. The hostile peers are raw sockets
 * sending hand-built records; every wait is a poll() with a deadline or a bounded
 * iteration of a main context, never a sleep.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wsim-rpc-error.h"
#include "wsim-test-util.h"
#include "wsim-testprog-server.h"

#define KIB 1024u
#define MIB (1024u * 1024)

/* RFC 5531 numbers, spelled out so the raw records below read as the wire does. */
#define MSGT_CALL        0u
#define MSGT_REPLY       1u
#define RS_ACCEPTED      0u
#define RS_DENIED        1u
#define AS_SUCCESS       0u
#define AS_PROG_UNAVAIL  1u
#define AS_PROG_MISMATCH 2u
#define AS_PROC_UNAVAIL  3u
#define AS_GARBAGE_ARGS  4u
#define AS_SYSTEM_ERR    5u
#define RJ_RPC_MISMATCH  0u
#define RJ_AUTH_ERROR    1u
#define AUTH_STAT_BADCRED      1u
#define AUTH_STAT_REJECTEDCRED 2u
#define AUTH_STAT_GSS_CREDPROBLEM 13u   /* RFC 2203 */
#define LAST_FRAG        0x80000000u

/* A second program, local to these tests, whose procedure takes an array: the test
 * program has none (its arrays are results only). */
#define SUM_PROG  0x20574D5Fu
#define SUM_VERS  1u
#define SUM_PROC  1u

static gboolean
under_valgrind (void)
{
  return g_getenv ("WSIM_UNDER_VALGRIND") != NULL;
}

static guint
scaled_ms (guint ms)
{
  return under_valgrind () ? ms * 10 : ms;
}

static gint64
now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

/* ---- the server --------------------------------------------------------------------- */

static void
h_sum (WsimRpcRequest *req, void *args, gpointer data)
{
  const wsim_test_ints *v = args;
  guint32 sum = 0;
  int res;

  for (guint i = 0; i < v->wsim_test_ints_len; i++)
    sum += (guint32) v->wsim_test_ints_val[i];
  res = (int) sum;
  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_int), &res);
}

static const WsimRpcProcedure sum_procs[] = {
  { SUM_PROC, "SUM", WSIM_XDRPROC (xdr_wsim_test_ints), sizeof (wsim_test_ints), h_sum },
};

static const WsimRpcProgram sum_prog = {
  .prog = SUM_PROG, .vers = SUM_VERS, .name = "badinput-sum",
  .procs = sum_procs, .n_procs = G_N_ELEMENTS (sum_procs),
};

/* What a test wants of its server: limits to change (0 = keep the default). */
typedef struct {
  guint idle_timeout_ms;
  gsize out_high_watermark;
  guint max_connections;
  gboolean no_flood_guards;     /* no per-peer cap, no silent deadline (tests/flood has those) */
  gboolean accept_gss;          /* RPCSEC_GSS too (no context is made: the raw calls name none) */
} ServerWish;

static void
server_setup (WsimRpcServer *server, gpointer data)
{
  const ServerWish *w = data;
  WsimRpcServerLimits limits;

  wsim_rpc_server_add_program (server, &sum_prog, NULL);
  wsim_rpc_server_get_limits (server, &limits);
  if (w != NULL && w->idle_timeout_ms != 0)
    limits.idle_timeout_ms = w->idle_timeout_ms;
  if (w != NULL && w->out_high_watermark != 0)
    limits.out_high_watermark = w->out_high_watermark;
  if (w != NULL && w->max_connections != 0)
    limits.max_connections = w->max_connections;
  if (w != NULL && w->no_flood_guards)
    limits.max_per_peer = limits.silent_timeout_ms = 0;
  wsim_rpc_server_set_limits (server, &limits);
  if (w != NULL && w->accept_gss)
    wsim_rpc_server_set_accept_gss (server, TRUE);
}

static WsimTestServerThread *srv;
static GMainContext *ctx;        /* the test thread's, for our clients */
static GArray *raw_fds;          /* raw sockets to close at the end */

static void
start_server (const ServerWish *wish)
{
  static ServerWish copy;

  copy = wish != NULL ? *wish : (ServerWish) { 0 };
  srv = wsim_test_server_thread_start (server_setup, &copy);
}

static void
get_stats_cb (WsimRpcServer *server, gpointer data)
{
  wsim_rpc_server_get_stats (server, data);
}

static void
get_limits_cb (WsimRpcServer *server, gpointer data)
{
  wsim_rpc_server_get_limits (server, data);
}

static WsimRpcServerStats
stats (void)
{
  WsimRpcServerStats st;

  memset (&st, 0, sizeof st);
  wsim_test_server_thread_call (srv, get_stats_cb, &st);
  return st;
}

typedef gboolean (*StatsPred) (const WsimRpcServerStats *st, gpointer data);

typedef struct {
  StatsPred          pred;
  gpointer           data;
  WsimRpcServerStats last;
} StatsWait;

static gboolean
stats_wait_cond (gpointer data)
{
  StatsWait *w = data;

  w->last = stats ();
  return w->pred (&w->last, w->data);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Re-reads the server's stats every 5 ms (a timer on the test context wakes the bounded
 * loop) until @pred holds or @timeout_ms passes. Returns the last stats in @out. */
static gboolean
wait_stats (StatsPred pred, gpointer data, guint timeout_ms, WsimRpcServerStats *out)
{
  StatsWait w = { pred, data, { 0 } };
  GSource *t = g_timeout_source_new (5);
  gboolean ok;

  g_source_set_callback (t, tick, NULL, NULL);
  g_source_attach (t, ctx);
  ok = wsim_test_run_until (ctx, stats_wait_cond, &w, timeout_ms);
  g_source_destroy (t);
  g_source_unref (t);
  if (out != NULL)
    *out = w.last;
  return ok;
}

static gboolean
pred_accepted_at_least (const WsimRpcServerStats *st, gpointer data)
{
  return st->n_accepted >= GPOINTER_TO_UINT (data);
}

static gboolean
pred_connections_equal (const WsimRpcServerStats *st, gpointer data)
{
  return st->n_connections == GPOINTER_TO_UINT (data);
}

static gboolean
pred_in_progress_equal (const WsimRpcServerStats *st, gpointer data)
{
  return st->n_in_progress == GPOINTER_TO_UINT (data);
}

static gboolean
pred_closed_idle (const WsimRpcServerStats *st, gpointer data)
{
  return st->n_closed_idle >= 1;
}

static void
fixture_init (void)
{
  ctx = g_main_context_new ();
  g_main_context_push_thread_default (ctx);
  raw_fds = g_array_new (FALSE, FALSE, sizeof (int));
}

static void
fixture_fini (void)
{
  for (guint i = 0; raw_fds != NULL && i < raw_fds->len; i++)
    if (g_array_index (raw_fds, int, i) >= 0)
      close (g_array_index (raw_fds, int, i));
  g_clear_pointer (&raw_fds, g_array_unref);
  g_clear_pointer (&srv, wsim_test_server_thread_stop);
  if (ctx != NULL)
    {
      while (g_main_context_iteration (ctx, FALSE))
        ;
      g_main_context_pop_thread_default (ctx);
      g_clear_pointer (&ctx, g_main_context_unref);
    }
}

/* ---- raw sockets -------------------------------------------------------------------- */

static int
raw_connect_to (guint16 port)
{
  struct sockaddr_in sin;
  int fd, one = 1;

  memset (&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  sin.sin_port = htons (port);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  cr_assert_geq (fd, 0, "socket: %s", g_strerror (errno));
  cr_assert_eq (connect (fd, (struct sockaddr *) &sin, sizeof sin), 0, "connect: %s",
                g_strerror (errno));
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  g_array_append_val (raw_fds, fd);
  return fd;
}

static int
raw_connect (void)
{
  return raw_connect_to (wsim_test_port (wsim_test_server_thread_address (srv)));
}

/* Closes a raw socket and forgets it. */
static void
raw_close (int fd)
{
  for (guint i = 0; i < raw_fds->len; i++)
    if (g_array_index (raw_fds, int, i) == fd)
      g_array_index (raw_fds, int, i) = -1;
  close (fd);
}

/* Sends all of @len bytes within @timeout_ms (non-blocking sends, poll in between). */
static gboolean
raw_send_all (int fd, const void *data, gsize len, guint timeout_ms)
{
  const guint8 *p = data;
  gint64 deadline = now_ms () + timeout_ms;

  while (len > 0)
    {
      ssize_t n = send (fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);

      if (n > 0)
        {
          p += n;
          len -= (gsize) n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          struct pollfd pfd = { fd, POLLOUT, 0 };
          gint64 left = deadline - now_ms ();

          if (left <= 0 || poll (&pfd, 1, (int) left) <= 0)
            return FALSE;
          continue;
        }
      return FALSE;
    }
  return TRUE;
}

typedef enum { RAW_OK, RAW_EOF, RAW_TIMEOUT, RAW_ERROR } RawStatus;

/* Reads exactly @len bytes before @deadline (ms, monotonic); *@err gets errno on RAW_ERROR. */
static RawStatus
raw_recv_exact (int fd, void *buf, gsize len, gint64 deadline, int *err)
{
  guint8 *p = buf;

  while (len > 0)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 left = deadline - now_ms ();
      ssize_t n;

      if (left <= 0)
        return RAW_TIMEOUT;
      if (poll (&pfd, 1, (int) left) == 0)
        return RAW_TIMEOUT;
      n = recv (fd, p, len, MSG_DONTWAIT);
      if (n == 0)
        return RAW_EOF;
      if (n < 0)
        {
          if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            continue;
          if (err != NULL)
            *err = errno;
          return RAW_ERROR;
        }
      p += n;
      len -= (gsize) n;
    }
  return RAW_OK;
}

/* Reads one record (all its fragments) into @rec (emptied first). */
static RawStatus
raw_recv_record (int fd, GByteArray *rec, guint timeout_ms)
{
  gint64 deadline = now_ms () + timeout_ms;
  gboolean last = FALSE;

  g_byte_array_set_size (rec, 0);
  while (!last)
    {
      guint32 hdr, flen;
      gsize at = rec->len;
      RawStatus s = raw_recv_exact (fd, &hdr, 4, deadline, NULL);

      if (s != RAW_OK)
        return s;
      hdr = GUINT32_FROM_BE (hdr);
      last = (hdr & LAST_FRAG) != 0;
      flen = hdr & ~LAST_FRAG;
      cr_assert_leq (rec->len + flen, 16 * MIB, "reply fragment of %u bytes", flen);
      g_byte_array_set_size (rec, at + flen);
      if (flen > 0 && (s = raw_recv_exact (fd, rec->data + at, flen, deadline, NULL)) != RAW_OK)
        return s;
    }
  return RAW_OK;
}

/* Waits until the server ends the connection: RAW_EOF, or RAW_ERROR with ECONNRESET in
 * *@err; anything the server sends meanwhile is discarded. */
static RawStatus
raw_wait_closed (int fd, guint timeout_ms, int *err)
{
  gint64 deadline = now_ms () + timeout_ms;
  guint8 junk[4096];

  for (;;)
    {
      RawStatus s = raw_recv_exact (fd, junk, 1, deadline, err);

      if (s != RAW_OK)
        return s;
    }
}

/* TRUE when nothing is readable and the peer has not hung up, right now. */
static gboolean
raw_is_quiet_and_open (int fd)
{
  struct pollfd pfd = { fd, POLLIN | POLLRDHUP, 0 };

  return poll (&pfd, 1, 0) == 0;
}

/* ---- building calls ----------------------------------------------------------------- */

static void
put32 (GByteArray *b, guint32 v)
{
  v = GUINT32_TO_BE (v);
  g_byte_array_append (b, (const guint8 *) &v, 4);
}

static void
put_opaque (GByteArray *b, const void *data, guint32 len)
{
  static const guint8 zeros[4];

  put32 (b, len);
  g_byte_array_append (b, data, len);
  g_byte_array_append (b, zeros, (4 - len % 4) % 4);
}

/* A record with its mark reserved, holding a call header with an empty credential of
 * @flavor and an AUTH_NONE verifier. Append the arguments, then record_finish(). */
static GByteArray *
call_new (guint32 xid, guint32 rpcvers, guint32 prog, guint32 vers, guint32 proc,
          guint32 flavor)
{
  GByteArray *b = g_byte_array_new ();

  put32 (b, 0);   /* the record mark, set by record_finish() */
  put32 (b, xid);
  put32 (b, MSGT_CALL);
  put32 (b, rpcvers);
  put32 (b, prog);
  put32 (b, vers);
  put32 (b, proc);
  put32 (b, flavor);
  put32 (b, 0);
  put32 (b, 0);   /* verifier AUTH_NONE, empty */
  put32 (b, 0);
  return b;
}

static GByteArray *
call_testprog (guint32 xid, guint32 proc)
{
  return call_new (xid, 2, WSIM_TEST_PROG, WSIM_TEST_V1, proc, 0);
}

static GByteArray *
record_finish (GByteArray *b)
{
  guint32 mark = GUINT32_TO_BE ((guint32) (b->len - 4) | LAST_FRAG);

  memcpy (b->data, &mark, 4);
  return b;
}

/* A whole record around arbitrary bytes. */
static GByteArray *
record_of (const void *data, gsize len)
{
  GByteArray *b = g_byte_array_new ();

  put32 (b, 0);
  g_byte_array_append (b, data, (guint) len);
  return record_finish (b);
}

/* ---- decoding replies --------------------------------------------------------------- */

typedef struct {
  guint32       xid;
  guint32       mtype;
  guint32       reply_stat;
  guint32       verf_flavor;
  guint32       accept_stat;      /* MSG_ACCEPTED */
  guint32       reject_stat;      /* MSG_DENIED */
  guint32       low, high;        /* PROG_MISMATCH or RPC_MISMATCH */
  guint32       auth_stat;        /* AUTH_ERROR */
  const guint8 *results;          /* SUCCESS: what follows the accept_stat */
  gsize         results_len;
  gsize         trailing;         /* other replies: bytes after the last field (0) */
} RawReply;

typedef struct {
  const guint8 *p;
  gsize         left;
} Cursor;

static guint32
get32 (Cursor *c)
{
  guint32 v;

  cr_assert_geq (c->left, 4, "reply ends early");
  memcpy (&v, c->p, 4);
  c->p += 4;
  c->left -= 4;
  return GUINT32_FROM_BE (v);
}

/* Decodes a reply record by hand, field by field (RFC 5531 section 9). */
static RawReply
reply_parse (const GByteArray *rec)
{
  Cursor c = { rec->data, rec->len };
  RawReply r;

  memset (&r, 0, sizeof r);
  r.xid = get32 (&c);
  r.mtype = get32 (&c);
  cr_assert_eq (r.mtype, MSGT_REPLY, "msg_type %u is not REPLY", r.mtype);
  r.reply_stat = get32 (&c);
  if (r.reply_stat == RS_ACCEPTED)
    {
      guint32 vlen;

      r.verf_flavor = get32 (&c);
      vlen = get32 (&c);
      cr_assert_leq (vlen, 400, "verifier of %u bytes", vlen);
      vlen = (vlen + 3) & ~3u;
      cr_assert_geq (c.left, vlen);
      c.p += vlen;
      c.left -= vlen;
      r.accept_stat = get32 (&c);
      if (r.accept_stat == AS_SUCCESS)
        {
          r.results = c.p;
          r.results_len = c.left;
          return r;
        }
      if (r.accept_stat == AS_PROG_MISMATCH)
        {
          r.low = get32 (&c);
          r.high = get32 (&c);
        }
    }
  else
    {
      cr_assert_eq (r.reply_stat, RS_DENIED, "reply_stat %u", r.reply_stat);
      r.reject_stat = get32 (&c);
      if (r.reject_stat == RJ_RPC_MISMATCH)
        {
          r.low = get32 (&c);
          r.high = get32 (&c);
        }
      else
        {
          cr_assert_eq (r.reject_stat, RJ_AUTH_ERROR, "reject_stat %u", r.reject_stat);
          r.auth_stat = get32 (&c);
        }
    }
  r.trailing = c.left;
  return r;
}

/* Sends @call (freed) and reads one reply record into @rec; returns it parsed. */
static RawReply
raw_call (int fd, GByteArray *call, GByteArray *rec)
{
  RawStatus s;

  cr_assert (raw_send_all (fd, call->data, call->len, scaled_ms (5000)), "send failed");
  g_byte_array_unref (call);
  s = raw_recv_record (fd, rec, scaled_ms (5000));
  cr_assert_eq (s, RAW_OK, "no reply record (status %d)", s);
  return reply_parse (rec);
}

static void
assert_accepted (const RawReply *r, guint32 xid, guint32 accept_stat)
{
  cr_assert_eq (r->xid, xid, "reply xid %08x, call xid %08x", r->xid, xid);
  cr_assert_eq (r->reply_stat, RS_ACCEPTED, "reply_stat %u", r->reply_stat);
  cr_assert_eq (r->verf_flavor, 0, "verifier flavor %u", r->verf_flavor);
  cr_assert_eq (r->accept_stat, accept_stat, "accept_stat %u, expected %u", r->accept_stat,
                accept_stat);
  if (accept_stat != AS_SUCCESS)
    cr_assert_eq (r->trailing, 0, "%zu bytes after the reply", r->trailing);
}

/* A NULL call on @fd answers SUCCESS with no results. */
static void
raw_null_ok (int fd, guint32 xid)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  RawReply r = raw_call (fd, record_finish (call_testprog (xid, WSIM_TEST_NULL)), rec);

  assert_accepted (&r, xid, AS_SUCCESS);
  cr_assert_eq (r.results_len, 0);
}

/* ---- our client ----------------------------------------------------------------------- */

static WsimRpcClient *
client_new (void)
{
  g_autoptr(GError) error = NULL;
  WsimRpcClient *c = wsim_rpc_client_connect (ctx, wsim_test_server_thread_address (srv),
                                              WSIM_TEST_PROG, WSIM_TEST_V1, &error);

  cr_assert_not_null (c, "connect: %s", error ? error->message : "");
  return c;
}

static int
client_add (WsimRpcClient *c, int a, int b)
{
  wsim_test_pair p = { a, b };
  int sum = 0;
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        WSIM_XDRPROC (xdr_int), &sum, (gint) scaled_ms (5000),
                                        NULL, &error),
             "ADD: %s", error ? error->message : "");
  return sum;
}

static void
client_null_ok (WsimRpcClient *c, guint timeout_ms)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_NULL, WSIM_XDRPROC (xdr_void), NULL,
                                        WSIM_XDRPROC (xdr_void), NULL, (gint) timeout_ms, NULL,
                                        &error),
             "NULL: %s", error ? error->message : "");
}

typedef struct {
  gboolean done;
  GError  *error;
  gint64   at_ms;
} Outcome;

static void
on_outcome (WsimRpcClient *c, WsimRpcReply *reply, const GError *error, gpointer data)
{
  Outcome *o = data;

  o->done = TRUE;
  o->at_ms = now_ms ();
  if (error != NULL)
    o->error = g_error_copy (error);
}

static gsize
vmrss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;
  gsize kib = 0;

  cr_assert (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  cr_assert_not_null (line);
  cr_assert_eq (sscanf (line, "VmRSS: %zu kB", &kib), 1);
  return kib;
}

TestSuite (badinput, .init = fixture_init, .fini = fixture_fini, .timeout = 60);

/* ==== 1. a truncated record ========================================================== */

Test (badinput, truncated_record_then_close)
{
  WsimRpcServerStats st;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(WsimRpcClient) c = NULL;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  /* A fragment header promising 100 bytes, 40 of them, then the client goes. */
  put32 (b, LAST_FRAG | 100);
  for (guint i = 0; i < 10; i++)
    put32 (b, 0x11111111u * i);
  cr_assert (raw_send_all (fd, b->data, b->len, scaled_ms (2000)));
  raw_close (fd);

  cr_assert (wait_stats (pred_connections_equal, GUINT_TO_POINTER (0), scaled_ms (5000), &st),
             "the truncated connection is still open (%u)", st.n_connections);
  cr_assert_eq (st.n_accepted, 1);
  cr_assert_eq (st.n_calls, 0);
  cr_assert_eq (st.n_garbage, 0, "a partial record is not a garbage record");
  cr_assert_eq (st.n_in_progress, 0);

  c = client_new ();
  client_null_ok (c, scaled_ms (5000));
  cr_assert_eq (client_add (c, 19, 23), 42);
  st = stats ();
  cr_assert_eq (st.n_accepted, 2);
  cr_assert_eq (st.n_connections, 1);
  cr_assert_eq (st.n_calls, 1);
}

/* ==== 2. garbage records ============================================================== */

Test (badinput, garbage_records_are_dropped_and_the_connection_goes_on)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  GRand *rand = g_rand_new_with_seed (20240611);
  const gsize sizes[] = { 64, 200, 8, 0, 12 };
  WsimRpcServerStats st;
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  /* Random bytes in well-formed records; none is a CALL: word 1 (msg_type) is forced
   * away from 0 when the record is long enough to have one. */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *junk = g_malloc (MAX (sizes[i], 1));
      g_autoptr(GByteArray) one = NULL;

      for (gsize k = 0; k < sizes[i]; k++)
        junk[k] = (guint8) g_rand_int (rand);
      if (sizes[i] >= 8)
        {
          guint32 mt = GUINT32_TO_BE (g_rand_int_range (rand, 1, G_MAXINT32));

          memcpy (junk + 4, &mt, 4);
        }
      one = record_of (junk, sizes[i]);
      g_byte_array_append (wire, one->data, one->len);
    }
  g_rand_free (rand);
  /* A REPLY sent to the server is not a call either. */
  {
    g_autoptr(GByteArray) reply = g_byte_array_new ();

    put32 (reply, 0);
    put32 (reply, 0x1234);
    put32 (reply, MSGT_REPLY);
    put32 (reply, RS_ACCEPTED);
    put32 (reply, 0);
    put32 (reply, 0);
    put32 (reply, AS_SUCCESS);
    record_finish (reply);
    g_byte_array_append (wire, reply->data, reply->len);
  }
  cr_assert (raw_send_all (fd, wire->data, wire->len, scaled_ms (5000)));

  /* The same connection: a valid NULL call gets its reply, and it is the first record
   * back (the garbage got none). */
  r = raw_call (fd, record_finish (call_testprog (0xA0000001u, WSIM_TEST_NULL)), rec);
  assert_accepted (&r, 0xA0000001u, AS_SUCCESS);
  cr_assert_eq (r.results_len, 0);

  st = stats ();
  cr_assert_eq (st.n_garbage, G_N_ELEMENTS (sizes) + 1, "n_garbage %" G_GUINT64_FORMAT,
                st.n_garbage);
  cr_assert_eq (st.n_connections, 1);
  cr_assert_eq (st.n_accepted, 1);
  cr_assert (raw_is_quiet_and_open (fd), "a reply to garbage, or the connection closed");
}

Test (badinput, call_header_cut_short_is_garbage_args_with_its_xid)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  GByteArray *b;
  WsimRpcServerStats st;
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();

  /* Cut right after the procedure number: no credential, no verifier. */
  b = g_byte_array_new ();
  put32 (b, 0);
  put32 (b, 0xB0000001u);
  put32 (b, MSGT_CALL);
  put32 (b, 2);
  put32 (b, WSIM_TEST_PROG);
  put32 (b, WSIM_TEST_V1);
  put32 (b, WSIM_TEST_ADD);
  r = raw_call (fd, record_finish (b), rec);
  assert_accepted (&r, 0xB0000001u, AS_GARBAGE_ARGS);

  /* A credential that claims 400 bytes and brings 8. */
  b = g_byte_array_new ();
  put32 (b, 0);
  put32 (b, 0xB0000002u);
  put32 (b, MSGT_CALL);
  put32 (b, 2);
  put32 (b, WSIM_TEST_PROG);
  put32 (b, WSIM_TEST_V1);
  put32 (b, WSIM_TEST_NULL);
  put32 (b, 1);
  put32 (b, 400);
  put32 (b, 0xdeadbeef);
  put32 (b, 0xdeadbeef);
  r = raw_call (fd, record_finish (b), rec);
  assert_accepted (&r, 0xB0000002u, AS_GARBAGE_ARGS);

  /* Still in step. */
  raw_null_ok (fd, 0xB0000004u);
  st = stats ();
  cr_assert_eq (st.n_garbage, 2);
  cr_assert_eq (st.n_calls, 0);
  cr_assert_eq (st.n_in_progress, 0);
  cr_assert_eq (st.n_connections, 1);
}

/* ==== 3. a 2 GiB fragment header ======================================================= */

static void
oversize_header (guint32 header)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(WsimRpcClient) c = NULL;
  WsimRpcServerStats st;
  gsize rss0, rss1;
  RawStatus s;
  int other, fd, err = 0;

  start_server (NULL);
  other = raw_connect ();
  raw_null_ok (other, 0xC0000001u);
  /* Warm the server thread's read path (its 64 KiB scratch buffer) before measuring. */
  c = client_new ();
  {
    wsim_test_blob in = { 0 }, out = { 0 };
    g_autoptr(GError) error = NULL;

    in.wsim_test_blob_len = 200 * KIB;
    in.wsim_test_blob_val = g_malloc0 (in.wsim_test_blob_len);
    cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob),
                                          &in, WSIM_XDRPROC (xdr_wsim_test_blob), &out,
                                          (gint) scaled_ms (5000), NULL, &error),
               "%s", error ? error->message : "");
    cr_assert_eq (out.wsim_test_blob_len, 200 * KIB);
    xdr_free (WSIM_XDRPROC (xdr_wsim_test_blob), &out);
    g_free (in.wsim_test_blob_val);
  }
  rss0 = vmrss_kib ();

  fd = raw_connect ();
  put32 (b, header);
  for (guint i = 0; i < 256; i++)
    put32 (b, 0x5a5a5a5au);
  cr_assert (raw_send_all (fd, b->data, b->len, scaled_ms (2000)));
  s = raw_wait_closed (fd, scaled_ms (5000), &err);
  cr_assert (s == RAW_EOF || (s == RAW_ERROR && err == ECONNRESET),
             "the server did not close the connection (status %d, %s)", s, g_strerror (err));

  cr_assert (wait_stats (pred_connections_equal, GUINT_TO_POINTER (2), scaled_ms (5000), &st),
             "%u connections", st.n_connections);
  cr_assert_eq (st.n_closed_oversize, 1);
  cr_assert_eq (st.n_accepted, 3);
  cr_assert_eq (st.n_garbage, 0);

  /* Other clients are unaffected: the raw one on its connection, ours on its own. */
  raw_null_ok (other, 0xC0000002u);
  cr_assert_eq (client_add (c, 1, 2), 3);
  rss1 = vmrss_kib ();
  cr_log_info ("header %08x: VmRSS %zu KiB before, %zu KiB after", header, rss0, rss1);
  /* Nothing was allocated for the 2 GiB promise. */
  cr_assert_lt (rss1, rss0 + 4 * 1024 + (under_valgrind () ? 12 * 1024 : 0),
                "VmRSS went from %zu KiB to %zu KiB", rss0, rss1);
}

Test (badinput, fragment_header_of_2gib_not_last)
{
  oversize_header (0x7FFFFFFFu);
}

Test (badinput, fragment_header_of_2gib_last)
{
  oversize_header (0xFFFFFFFFu);
}

/* ==== 4. arrays longer than the record ================================================= */

Test (badinput, declared_lengths_beyond_the_record_are_garbage_args)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  const guint32 echo_lens[] = { 0x00FFFFFFu, 0x003FFFF0u, 0xFFFFFFFFu };
  const guint32 sum_counts[] = { 0x00FFFFFFu, 60000, 0x40000001u };
  WsimRpcServerStats st;
  GByteArray *b;
  RawReply r;
  guint32 xid = 0xD0000000u;
  int fd;

  start_server (NULL);
  fd = raw_connect ();

  /* ECHO: an opaque<> whose length word exceeds the record (over and under the
   * 4 MiB bound of wsim_test_blob), with 8 bytes of data. */
  for (guint i = 0; i < G_N_ELEMENTS (echo_lens); i++)
    {
      b = call_testprog (++xid, WSIM_TEST_ECHO);
      put32 (b, echo_lens[i]);
      put32 (b, 0x01020304);
      put32 (b, 0x05060708);
      r = raw_call (fd, record_finish (b), rec);
      assert_accepted (&r, xid, AS_GARBAGE_ARGS);
    }

  /* int<65536>: element counts over and under the bound, 2 elements present. */
  for (guint i = 0; i < G_N_ELEMENTS (sum_counts); i++)
    {
      b = call_new (++xid, 2, SUM_PROG, SUM_VERS, SUM_PROC, 0);
      put32 (b, sum_counts[i]);
      put32 (b, 1);
      put32 (b, 2);
      r = raw_call (fd, record_finish (b), rec);
      assert_accepted (&r, xid, AS_GARBAGE_ARGS);
    }

  /* SQUARES with its unsigned int missing. */
  r = raw_call (fd, record_finish (call_testprog (++xid, WSIM_TEST_SQUARES)), rec);
  assert_accepted (&r, xid, AS_GARBAGE_ARGS);

  /* The connection is still usable, with real values. */
  b = call_testprog (++xid, WSIM_TEST_ECHO);
  put_opaque (b, "badinput", 8);
  r = raw_call (fd, record_finish (b), rec);
  assert_accepted (&r, xid, AS_SUCCESS);
  cr_assert_eq (r.results_len, 12);
  cr_assert_eq (GUINT32_FROM_BE (*(const guint32 *) r.results), 8);
  cr_assert_eq (memcmp (r.results + 4, "badinput", 8), 0);

  b = call_new (++xid, 2, SUM_PROG, SUM_VERS, SUM_PROC, 0);
  put32 (b, 4);
  put32 (b, 10);
  put32 (b, 20);
  put32 (b, 30);
  put32 (b, (guint32) -18);
  r = raw_call (fd, record_finish (b), rec);
  assert_accepted (&r, xid, AS_SUCCESS);
  cr_assert_eq (r.results_len, 4);
  cr_assert_eq (GUINT32_FROM_BE (*(const guint32 *) r.results), 42);

  st = stats ();
  cr_assert_eq (st.n_calls, 2, "only the two valid calls reach a handler");
  cr_assert_eq (st.n_connections, 1);
  cr_assert_eq (st.n_in_progress, 0);
}

/* ==== 5. statuses, field by field ====================================================== */

Test (badinput, unknown_program_is_prog_unavail)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  r = raw_call (fd, record_finish (call_new (0xE0000001u, 2, 0x30000001u, 1, 0, 0)), rec);
  assert_accepted (&r, 0xE0000001u, AS_PROG_UNAVAIL);
  raw_null_ok (fd, 0xE0000002u);
}

Test (badinput, unknown_version_is_prog_mismatch_1_1)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  r = raw_call (fd, record_finish (call_new (0xE0000011u, 2, WSIM_TEST_PROG, 2, 0, 0)), rec);
  cr_assert_eq (r.xid, 0xE0000011u);
  cr_assert_eq (r.reply_stat, RS_ACCEPTED);
  cr_assert_eq (r.accept_stat, AS_PROG_MISMATCH);
  cr_assert_eq (r.low, 1);
  cr_assert_eq (r.high, 1);
  cr_assert_eq (r.trailing, 0);
  raw_null_ok (fd, 0xE0000012u);
}

Test (badinput, unknown_procedure_is_proc_unavail)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  r = raw_call (fd, record_finish (call_testprog (0xE0000021u, 99)), rec);
  assert_accepted (&r, 0xE0000021u, AS_PROC_UNAVAIL);
  raw_null_ok (fd, 0xE0000022u);
}

Test (badinput, add_with_four_bytes_is_garbage_args)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  GByteArray *b;
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  b = call_testprog (0xE0000031u, WSIM_TEST_ADD);
  put32 (b, 7);
  r = raw_call (fd, record_finish (b), rec);
  assert_accepted (&r, 0xE0000031u, AS_GARBAGE_ARGS);

  b = call_testprog (0xE0000032u, WSIM_TEST_ADD);
  put32 (b, 7);
  put32 (b, 35);
  r = raw_call (fd, record_finish (b), rec);
  assert_accepted (&r, 0xE0000032u, AS_SUCCESS);
  cr_assert_eq (r.results_len, 4);
  cr_assert_eq (GUINT32_FROM_BE (*(const guint32 *) r.results), 42);
}

Test (badinput, rpc_version_3_is_rpc_mismatch_2_2)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  r = raw_call (fd, record_finish (call_new (0xE0000041u, 3, WSIM_TEST_PROG, 1, 0, 0)), rec);
  cr_assert_eq (r.xid, 0xE0000041u);
  cr_assert_eq (r.reply_stat, RS_DENIED);
  cr_assert_eq (r.reject_stat, RJ_RPC_MISMATCH);
  cr_assert_eq (r.low, 2);
  cr_assert_eq (r.high, 2);
  cr_assert_eq (r.trailing, 0);
  raw_null_ok (fd, 0xE0000042u);
}

Test (badinput, unknown_auth_flavor_is_auth_rejectedcred)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  r = raw_call (fd, record_finish (call_new (0xE0000051u, 2, WSIM_TEST_PROG, 1, 0, 99)), rec);
  cr_assert_eq (r.xid, 0xE0000051u);
  cr_assert_eq (r.reply_stat, RS_DENIED);
  cr_assert_eq (r.reject_stat, RJ_AUTH_ERROR);
  cr_assert_eq (r.auth_stat, AUTH_STAT_REJECTEDCRED);
  cr_assert_eq (r.trailing, 0);
  raw_null_ok (fd, 0xE0000052u);
}

/* RFC 5531: opaque_auth's body is at most 400 bytes. One of 401, whole in its record, is a
 * bad credential (AUTH_BADCRED), not garbage; the connection stays in step. */
Test (badinput, credential_over_400_bytes_is_auth_badcred)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  GByteArray *b = call_new (0xB1000001u, 2, WSIM_TEST_PROG, WSIM_TEST_V1, WSIM_TEST_NULL, 0);
  RawReply r;
  int fd;

  start_server (NULL);
  fd = raw_connect ();
  g_byte_array_set_size (b, 7 * 4);   /* up to the credential's flavor: AUTH_SYS, 401 bytes */
  put32 (b, 1);
  put32 (b, 401);
  for (guint i = 0; i < 101; i++)   /* 401 bytes and their padding */
    put32 (b, 0);
  put32 (b, 0);   /* verifier AUTH_NONE, empty */
  put32 (b, 0);
  r = raw_call (fd, record_finish (b), rec);
  cr_assert_eq (r.xid, 0xB1000001u);
  cr_assert_eq (r.reply_stat, RS_DENIED, "reply_stat %u accept_stat %u", r.reply_stat, r.accept_stat);
  cr_assert_eq (r.reject_stat, RJ_AUTH_ERROR);
  cr_assert_eq (r.auth_stat, AUTH_STAT_BADCRED, "auth_stat %u", r.auth_stat);
  cr_assert_eq (r.trailing, 0);
  raw_null_ok (fd, 0xB1000002u);
  cr_assert_eq (stats ().n_calls, 0);
}

/* RFC 2203 5.3.3.3: a DATA call whose handle the server does not know is
 * RPCSEC_GSS_CREDPROBLEM; a handle of a size no handle of ours has (0, 8, 12 bytes) is such
 * a handle, not a malformed credential. */
Test (badinput, gss_handle_of_the_wrong_size_is_credproblem)
{
  static const guint32 sizes[] = { 0, 8, 12 };
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  ServerWish wish = { .accept_gss = TRUE };
  int fd;

  start_server (&wish);
  fd = raw_connect ();
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint32 xid = 0xB2000001u + i;
      GByteArray *b = call_new (xid, 2, WSIM_TEST_PROG, WSIM_TEST_V1, WSIM_TEST_NULL, 0);
      RawReply r;

      /* rpc_gss_cred_vers_1_t: version 1, RPCSEC_GSS_DATA, seq 1, rpc_gss_svc_none, handle. */
      g_byte_array_set_size (b, 7 * 4);
      put32 (b, 6);   /* RPCSEC_GSS */
      put32 (b, 20 + sizes[i]);
      put32 (b, 1);
      put32 (b, 0);
      put32 (b, 1);
      put32 (b, 1);
      put32 (b, sizes[i]);
      for (guint k = 0; k < sizes[i] / 4; k++)
        put32 (b, 0x01020304u);
      put32 (b, 6);   /* verifier: a "MIC" the server must not get as far as checking */
      put32 (b, 4);
      put32 (b, 0);
      r = raw_call (fd, record_finish (b), rec);
      cr_assert_eq (r.xid, xid);
      cr_assert_eq (r.reply_stat, RS_DENIED, "handle of %u bytes: reply_stat %u", sizes[i], r.reply_stat);
      cr_assert_eq (r.reject_stat, RJ_AUTH_ERROR);
      cr_assert_eq (r.auth_stat, AUTH_STAT_GSS_CREDPROBLEM, "handle of %u bytes: auth_stat %u",
                    sizes[i], r.auth_stat);
    }
  raw_null_ok (fd, 0xB2000010u);
  cr_assert_eq (stats ().n_calls, 0);
}

Test (badinput, forgotten_request_is_system_err)
{
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  g_autoptr(WsimRpcClient) c = NULL;
  g_autoptr(GError) error = NULL;
  WsimRpcServerStats st;
  RawReply r;
  int fd;

  start_server (NULL);
  c = client_new ();
  cr_assert_not (wsim_rpc_client_call_sync (c, WSIM_TEST_FORGET, WSIM_XDRPROC (xdr_void), NULL,
                                            WSIM_XDRPROC (xdr_void), NULL,
                                            (gint) scaled_ms (5000), NULL, &error));
  cr_assert (g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_SYSTEM_ERR), "got %s %d: %s",
             g_quark_to_string (error->domain), error->code, error->message);
  cr_assert_eq (client_add (c, 40, 2), 42);

  fd = raw_connect ();
  r = raw_call (fd, record_finish (call_testprog (0xE0000061u, WSIM_TEST_FORGET)), rec);
  assert_accepted (&r, 0xE0000061u, AS_SYSTEM_ERR);
  raw_null_ok (fd, 0xE0000062u);
  st = stats ();
  cr_assert_eq (st.n_in_progress, 0);
  cr_assert_eq (st.n_calls, 3);
}

/* ==== 6. a peer that goes away mid-call ================================================ */

Test (badinput, server_stopped_mid_call_fails_the_call_with_io_error)
{
  g_autoptr(WsimRpcClient) c = NULL;
  Outcome o = { 0 };
  unsigned int ms = 5000;
  gint64 t0;

  start_server (NULL);
  c = client_new ();
  client_null_ok (c, scaled_ms (5000));
  wsim_rpc_client_call (c, WSIM_TEST_DELAY, WSIM_XDRPROC (xdr_u_int), &ms,
                        (gint) scaled_ms (20000), NULL, on_outcome, &o);
  cr_assert (wait_stats (pred_in_progress_equal, GUINT_TO_POINTER (1), scaled_ms (5000), NULL),
             "the DELAY call never reached the server");
  t0 = now_ms ();
  /* NOTE: the DELAY handler's timer still holds the request when the server thread's
   * context is dropped; see the report about tests/common/wsim-testprog-server.c. */
  g_clear_pointer (&srv, wsim_test_server_thread_stop);

  cr_assert (wsim_test_run_until (ctx, wsim_test_flag_is_set, &o.done, scaled_ms (3000)),
             "the pending call did not complete after the server went away");
  cr_assert_not_null (o.error);
  cr_assert (g_error_matches (o.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED),
             "got %s %d: %s", g_quark_to_string (o.error->domain), o.error->code,
             o.error->message);
  cr_assert_lt (o.at_ms - t0, (gint64) scaled_ms (3000), "took %" G_GINT64_FORMAT " ms",
                o.at_ms - t0);
  cr_assert_not (wsim_rpc_client_is_connected (c));
  cr_assert_eq (wsim_rpc_client_get_n_pending (c), 0);
  g_clear_error (&o.error);
}

/* A listening socket in the test plays a server that misbehaves. */
static int
raw_listen (guint16 *port)
{
  struct sockaddr_in sin;
  socklen_t len = sizeof sin;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);

  cr_assert_geq (fd, 0);
  memset (&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  cr_assert_eq (bind (fd, (struct sockaddr *) &sin, sizeof sin), 0);
  cr_assert_eq (listen (fd, 4), 0);
  cr_assert_eq (getsockname (fd, (struct sockaddr *) &sin, &len), 0);
  *port = ntohs (sin.sin_port);
  g_array_append_val (raw_fds, fd);
  return fd;
}

static int
raw_accept (int lfd)
{
  struct pollfd pfd = { lfd, POLLIN, 0 };
  int fd;

  cr_assert_eq (poll (&pfd, 1, (int) scaled_ms (5000)), 1, "no connection to accept");
  fd = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC);
  cr_assert_geq (fd, 0, "accept: %s", g_strerror (errno));
  g_array_append_val (raw_fds, fd);
  return fd;
}

typedef enum { PEER_CLOSES, PEER_HALF_REPLY_THEN_CLOSES, PEER_RESETS } PeerMisdeed;

static void
raw_server_misbehaves (PeerMisdeed misdeed)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(WsimRpcClient) c = NULL;
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  wsim_test_pair p = { 1, 2 };
  Outcome o = { 0 }, later = { 0 };
  guint16 port;
  guint32 xid, w;
  gint64 t0;
  int lfd, fd;

  lfd = raw_listen (&port);
  addr = g_inet_socket_address_new (lo, port);
  c = wsim_rpc_client_connect (ctx, addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  cr_assert_not_null (c, "%s", error ? error->message : "");
  xid = wsim_rpc_client_call (c, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                              (gint) scaled_ms (20000), NULL, on_outcome, &o);

  fd = raw_accept (lfd);
  cr_assert_eq (raw_recv_record (fd, rec, scaled_ms (5000)), RAW_OK);
  /* It is our call: xid, CALL, version 2, the program, the procedure, then a, b. */
  cr_assert_eq (rec->len, 48);
  memcpy (&w, rec->data, 4);
  cr_assert_eq (GUINT32_FROM_BE (w), xid);
  memcpy (&w, rec->data + 20, 4);
  cr_assert_eq (GUINT32_FROM_BE (w), WSIM_TEST_ADD);

  if (misdeed == PEER_HALF_REPLY_THEN_CLOSES)
    {
      g_autoptr(GByteArray) half = g_byte_array_new ();

      put32 (half, LAST_FRAG | 28);
      put32 (half, xid);
      put32 (half, MSGT_REPLY);
      put32 (half, RS_ACCEPTED);
      cr_assert (raw_send_all (fd, half->data, half->len, scaled_ms (2000)));
    }
  if (misdeed == PEER_RESETS)
    {
      struct linger lg = { 1, 0 };

      setsockopt (fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
  t0 = now_ms ();
  raw_close (fd);

  cr_assert (wsim_test_run_until (ctx, wsim_test_flag_is_set, &o.done, scaled_ms (3000)),
             "the call did not complete after the server closed");
  cr_assert_not_null (o.error, "the call succeeded");
  cr_assert_eq (o.error->domain, G_IO_ERROR, "got %s %d: %s", g_quark_to_string (o.error->domain),
                o.error->code, o.error->message);
  cr_assert_eq (o.error->code, G_IO_ERROR_CONNECTION_CLOSED, "got G_IO_ERROR %d: %s",
                o.error->code, o.error->message);
  cr_assert_lt (o.at_ms - t0, (gint64) scaled_ms (2000));
  cr_assert_not (wsim_rpc_client_is_connected (c));

  /* A later call fails the same way, from the loop, promptly. */
  wsim_rpc_client_call (c, WSIM_TEST_NULL, WSIM_XDRPROC (xdr_void), NULL,
                        (gint) scaled_ms (20000), NULL, on_outcome, &later);
  cr_assert_not (later.done, "the callback ran inside wsim_rpc_client_call()");
  cr_assert (wsim_test_run_until (ctx, wsim_test_flag_is_set, &later.done, scaled_ms (2000)));
  cr_assert (g_error_matches (later.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED));
  g_clear_error (&o.error);
  g_clear_error (&later.error);
}

Test (badinput, raw_server_closes_after_reading_the_call)
{
  raw_server_misbehaves (PEER_CLOSES);
}

Test (badinput, raw_server_closes_in_the_middle_of_its_reply)
{
  raw_server_misbehaves (PEER_HALF_REPLY_THEN_CLOSES);
}

Test (badinput, raw_server_resets_after_reading_the_call)
{
  raw_server_misbehaves (PEER_RESETS);
}

/* ==== 7. 2,000 idle connections ========================================================= */

#define N_IDLE 2000

Test (badinput, two_thousand_idle_connections_are_evicted, .timeout = 120)
{
  g_autoptr(WsimRpcClient) c = NULL;
  WsimRpcServerLimits limits;
  WsimRpcServerStats st;
  guint fd_limit = wsim_test_raise_fd_limit (8192);
  int *fds = g_new (int, N_IDLE);
  gint64 t0, took;
  int err = 0;

  /* Every raw socket is from 127.0.0.1 and sends nothing: only the overall cap is under
   * test here (the per-peer cap and the silent deadline are in tests/flood). */
  ServerWish wish = { .no_flood_guards = TRUE };

  /* This process holds both ends: 2,000 raw sockets plus up to 1,024 server ones. */
  cr_assert_geq (fd_limit, N_IDLE + 1024 + 128, "RLIMIT_NOFILE is only %u", fd_limit);
  start_server (&wish);
  wsim_test_server_thread_call (srv, get_limits_cb, &limits);
  cr_assert_eq (limits.max_connections, 1024);

  for (guint i = 0; i < N_IDLE; i++)
    fds[i] = raw_connect ();
  cr_assert (wait_stats (pred_accepted_at_least, GUINT_TO_POINTER (N_IDLE), scaled_ms (30000),
                         &st),
             "only %" G_GUINT64_FORMAT " of %u connections accepted", st.n_accepted, N_IDLE);
  cr_assert_eq (st.n_connections, 1024);
  cr_assert_eq (st.n_closed_evicted, N_IDLE - 1024);

  t0 = now_ms ();
  c = client_new ();
  client_null_ok (c, scaled_ms (2000));
  took = now_ms () - t0;
  cr_assert_lt (took, (gint64) scaled_ms (2000), "the new client waited %" G_GINT64_FORMAT " ms",
                took);
  cr_assert_eq (client_add (c, 2000, 24), 2024);

  st = stats ();
  cr_assert_leq (st.n_connections, limits.max_connections);
  cr_assert_eq (st.n_connections, 1024);
  cr_assert_gt (st.n_closed_evicted, 0);
  cr_assert_eq (st.n_closed_evicted, N_IDLE + 1 - 1024);
  cr_assert_eq (st.n_accepted, N_IDLE + 1);
  cr_assert_eq (st.n_closed_idle, 0);

  /* The least recently active went first: the oldest is closed, the newest is not. */
  cr_assert_eq (raw_wait_closed (fds[0], scaled_ms (2000), &err), RAW_EOF);
  cr_assert (raw_is_quiet_and_open (fds[N_IDLE - 1]));
  g_free (fds);
}

/* ==== 8. a peer that stalls mid-record ================================================== */

static void
send_half_record (int fd)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();

  put32 (b, LAST_FRAG | 100);
  put32 (b, 0xF0000001u);
  put32 (b, MSGT_CALL);
  put32 (b, 2);
  put32 (b, WSIM_TEST_PROG);
  put32 (b, WSIM_TEST_V1);
  for (guint i = 0; i < 7; i++)
    put32 (b, 0);
  cr_assert_eq (b->len, 4 + 48);
  cr_assert (raw_send_all (fd, b->data, b->len, scaled_ms (2000)));
}

Test (badinput, stalled_peer_does_not_delay_another_client)
{
  g_autoptr(WsimRpcClient) c = NULL;
  WsimRpcServerStats st;
  gint64 worst = 0, total0;
  int staller;
  /* The staller never finishes its first record: past the silent deadline (slow under
   * valgrind) it would go, and this test is about its not delaying anyone meanwhile. */
  ServerWish wish = { .no_flood_guards = TRUE };

  start_server (&wish);
  staller = raw_connect ();
  send_half_record (staller);
  cr_assert (wait_stats (pred_accepted_at_least, GUINT_TO_POINTER (1), scaled_ms (5000), NULL));

  c = client_new ();
  total0 = now_ms ();
  for (guint i = 0; i < 100; i++)
    {
      gint64 t0 = now_ms ();

      client_null_ok (c, scaled_ms (2000));
      worst = MAX (worst, now_ms () - t0);
    }
  cr_assert_lt (worst, (gint64) scaled_ms (500), "a NULL call took %" G_GINT64_FORMAT " ms",
                worst);
  cr_assert_lt (now_ms () - total0, (gint64) scaled_ms (5000));
  cr_assert_eq (client_add (c, 50, 50), 100);

  /* The staller is still there, and still not answered. */
  st = stats ();
  cr_assert_eq (st.n_connections, 2);
  cr_assert_eq (st.n_closed_idle, 0);
  cr_assert_eq (st.n_calls, 1);
  cr_assert (raw_is_quiet_and_open (staller));
}

Test (badinput, stalled_peer_is_reaped_after_the_idle_timeout)
{
  ServerWish wish = { .idle_timeout_ms = 200 };
  g_autoptr(WsimRpcClient) c = NULL;
  WsimRpcServerStats st;
  gint64 t0, reaped;
  int staller, err = 0;

  start_server (&wish);
  staller = raw_connect ();
  t0 = now_ms ();
  send_half_record (staller);

  cr_assert (wait_stats (pred_closed_idle, NULL, scaled_ms (5000), &st),
             "the staller was not reaped");
  reaped = now_ms () - t0;
  /* Not before the idle timeout, and not much after it (the reaper runs every 50 ms). */
  cr_assert_geq (reaped, 190, "reaped after %" G_GINT64_FORMAT " ms", reaped);
  cr_assert_eq (st.n_closed_idle, 1);
  cr_assert_eq (st.n_connections, 0);
  cr_assert_eq (raw_wait_closed (staller, scaled_ms (2000), &err), RAW_EOF);

  /* The server still serves. */
  c = client_new ();
  cr_assert_eq (client_add (c, 200, 1), 201);
}

/* ==== 9. back-pressure ================================================================= */

#define BP_PAYLOAD  (64 * KIB)
#define BP_MAX_CALLS 4000
#define BP_WATERMARK (256 * KIB)
/* A reply: mark 4 + xid, REPLY, ACCEPTED, verf (2 words), SUCCESS 24 + length 4 + data. */
#define BP_REPLY_LEN (4 + 24 + 4 + BP_PAYLOAD)

static GByteArray *
bp_call (guint32 xid, guint32 index)
{
  GByteArray *b = call_testprog (xid, WSIM_TEST_ECHO);
  gsize at;

  put32 (b, BP_PAYLOAD);
  at = b->len;
  g_byte_array_set_size (b, at + BP_PAYLOAD);
  for (gsize i = 0; i < BP_PAYLOAD; i++)
    b->data[at + i] = (guint8) (i * 13 + index);
  index = GUINT32_TO_BE (index);
  memcpy (b->data + at, &index, 4);
  return record_finish (b);
}

static void
bp_check_reply (const GByteArray *rec, guint32 xid, guint32 index)
{
  RawReply r = reply_parse (rec);
  guint32 w;

  assert_accepted (&r, xid, AS_SUCCESS);
  cr_assert_eq (r.results_len, 4 + BP_PAYLOAD);
  memcpy (&w, r.results, 4);
  cr_assert_eq (GUINT32_FROM_BE (w), BP_PAYLOAD);
  memcpy (&w, r.results + 4, 4);
  cr_assert_eq (GUINT32_FROM_BE (w), index, "reply %u carries the payload of call %u", index,
                GUINT32_FROM_BE (w));
  for (gsize i = 4; i < BP_PAYLOAD; i += 997)
    cr_assert_eq (r.results[4 + i], (guint8) (i * 13 + index));
}

/* ENGINE BUG (rpc/wsim-conn.c, wsim_conn_send): the watermark is only evaluated by
 * conn_update_events() after a whole corked read batch (READS_PER_WAKE x 64 KiB of input),
 * so up to four 64 KiB replies are queued past it and max_queued_bytes reaches ~504 KiB
 * against this 256 KiB watermark (measured: 9 of 15 runs over the bound below). Setting
 * wm_paused in wsim_conn_send() once queued > high_watermark stops the batch at the next
 * record (measured with that fix: at most watermark + one reply, 15 of 15 runs pass).
 * This test fails, intermittently, until the fix lands. */
Test (badinput, back_pressure_bounds_queued_replies, .timeout = 120)
{
  ServerWish wish = { .out_high_watermark = BP_WATERMARK };
  g_autoptr(GByteArray) rec = g_byte_array_new ();
  GByteArray *call = NULL;
  WsimRpcServerLimits limits;
  WsimRpcServerStats st;
  const guint32 base = 0x9B000000u;
  /* The watermark, the reply that crossed it and one more in the batch, headers. */
  const gsize bound = BP_WATERMARK + 2 * BP_REPLY_LEN + 1024;
  guint n_complete = 0;
  gsize off = 0;
  gboolean stuck = FALSE;
  int fd, small = 64 * KIB;

  start_server (&wish);
  wsim_test_server_thread_call (srv, get_limits_cb, &limits);
  cr_assert_eq (limits.out_high_watermark, BP_WATERMARK);
  fd = raw_connect ();
  /* Small client buffers: the kernel holds less, the server's limits show sooner. */
  setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);

  /* Pipeline ECHO 64 KiB calls, never reading, until sending blocks for good. */
  while (n_complete < BP_MAX_CALLS && !stuck)
    {
      ssize_t n;

      if (call == NULL)
        {
          call = bp_call (base + n_complete, n_complete);
          off = 0;
        }
      n = send (fd, call->data + off, call->len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0)
        {
          off += (gsize) n;
          if (off == call->len)
            {
              g_clear_pointer (&call, g_byte_array_unref);
              n_complete++;
            }
          continue;
        }
      cr_assert (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR),
                 "send: %s", g_strerror (errno));
      if (errno == EINTR)
        continue;
      {
        /* EAGAIN: does it persist? */
        struct pollfd pfd = { fd, POLLOUT, 0 };

        if (poll (&pfd, 1, (int) scaled_ms (500)) == 0)
          stuck = TRUE;
      }
    }
  cr_assert (stuck, "the server read %u calls of 64 KiB without a reply being read: "
             "no back-pressure", n_complete);
  cr_assert_gt (n_complete, 4);

  st = stats ();
  cr_log_info ("back-pressure: %u calls sent whole, %" G_GUINT64_FORMAT " dispatched, "
               "max_queued_bytes %zu (bound %zu)", n_complete, st.n_calls, st.max_queued_bytes,
               bound);
  cr_assert_leq (st.max_queued_bytes, bound, "max_queued_bytes %zu > bound %zu "
                 "(watermark %u)", st.max_queued_bytes, bound, BP_WATERMARK);
  cr_assert_leq (st.queued_bytes, bound);
  cr_assert_leq (st.n_in_progress, limits.max_in_progress);
  cr_assert_lt (st.n_calls, (guint64) n_complete, "the server stopped reading (%" G_GUINT64_FORMAT
                " of %u calls dispatched)", st.n_calls, n_complete);

  /* Now read: every call sent whole gets its reply, in order, with its XID. */
  for (guint i = 0; i < n_complete; i++)
    {
      RawStatus s = raw_recv_record (fd, rec, scaled_ms (5000));

      cr_assert_eq (s, RAW_OK, "reply %u of %u: status %d", i, n_complete, s);
      bp_check_reply (rec, base + i, i);
    }
  /* The call cut short by back-pressure completes too. */
  if (call != NULL)
    {
      cr_assert (raw_send_all (fd, call->data + off, call->len - off, scaled_ms (5000)));
      g_clear_pointer (&call, g_byte_array_unref);
      cr_assert_eq (raw_recv_record (fd, rec, scaled_ms (5000)), RAW_OK);
      bp_check_reply (rec, base + n_complete, n_complete);
      n_complete++;
    }
  cr_assert (raw_is_quiet_and_open (fd), "a reply nobody asked for");

  st = stats ();
  cr_assert_eq (st.n_calls, n_complete);
  cr_assert_leq (st.max_queued_bytes, bound, "max_queued_bytes %zu > bound %zu",
                 st.max_queued_bytes, bound);
  cr_assert_eq (st.n_in_progress, 0);
  cr_assert_eq (st.n_connections, 1);
}
