/* bench-rpc-client.c: the client half of the transport benchmark.
 *
 *   bench-rpc-client --engine wsim|tirpc --port N --mode null|echo|pipelined
 *                    [--seconds 2] [--warmup 0.3] [--depth 32] [--size 65536]
 *
 * Runs one workload against bench-rpc-server on 127.0.0.1:N for a fixed time after a
 * warm-up, and prints one line of key=value pairs on stdout, e.g.
 *
 *   engine=wsim mode=null depth=1 size=0 calls=251234 seconds=2.000 calls_per_s=125617 mb_per_s=0.0
 *
 * mb_per_s is payload bytes per second in each direction (10^6 bytes; 0 for NULL).
 *
 * Workloads:
 *   null       sequential NULL calls: one call, wait for its reply, next call.
 *   echo       sequential ECHO calls of --size bytes (verified on the first reply).
 *   pipelined  (wsim only) NULL calls with --depth calls kept in flight.
 *
 * wsim: one WsimRpcClient on a private GMainContext; sequential = wsim_rpc_client_call()
 *   then g_main_context_iteration() until the callback ran. Results are decoded with
 *   wsim_rpc_reply_decode() into a reused buffer.
 * tirpc: clnt_call() in a loop on a clnt_vc_create() CLIENT (4 MiB + 64 KiB buffers);
 *   results decoded into the same kind of reused buffer. The socket gets TCP_NODELAY,
 *   as our engine's does (libtirpc's server sets it on accepted connections itself).
 *
 * Exit status: 0 on success, 1 when a call failed, 2 on bad usage.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>
#include <rpc/rpc.h>

#include "wsim-rpc-client.h"
#include "wsim-test-util.h"
#include "wsim-xdrbuf.h"
#include "wsim_testprog.h"

#define TIRPC_BUFSZ  (4u * 1024 * 1024 + 64 * 1024)
#define TIRPC_XDR(fn) ((xdrproc_t) (void (*) (void)) (fn))

typedef enum { MODE_NULL, MODE_ECHO, MODE_PIPELINED } Mode;

typedef struct {
  Mode     mode;
  guint    depth;
  guint    size;
  gint64   warmup_us;
  gint64   measure_us;
  guint16  port;
} Options;

typedef struct {
  guint64 calls;       /* completed inside the measured window */
  gint64  elapsed_us;  /* length of the measured window */
} Result;

static const char *
mode_name (Mode m)
{
  switch (m)
    {
    case MODE_NULL: return "null";
    case MODE_ECHO: return "echo";
    case MODE_PIPELINED: return "pipelined";
    }
  return "?";
}

/* The echo payload: a pattern, so a transport that mangles bytes is caught. */
static guint8 *
make_payload (guint size)
{
  guint8 *p = g_malloc (MAX (size, 1));

  for (guint i = 0; i < size; i++)
    p[i] = (guint8) (i * 131u + 7u);
  return p;
}

/* ---- our engine ----------------------------------------------------------------- */

typedef struct {
  const Options  *opt;
  WsimRpcClient  *client;
  wsim_test_blob  args;
  wsim_test_blob  res;          /* the reused result buffer (val preallocated) */
  guint8         *res_store;
  gboolean        done;         /* sequential: the callback ran */
  gboolean        failed;
  gboolean        verified;
  /* pipelined */
  guint           in_flight;
  gboolean        stop_issuing;
  gboolean        measuring;
  guint64         completed;    /* completions while measuring */
} WsimBench;

static void
wsim_note_error (WsimBench *b, const GError *error, const char *what)
{
  if (!b->failed)
    fprintf (stderr, "bench-rpc-client: %s: %s\n", what, error->message);
  b->failed = TRUE;
}

static void
on_null_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimBench *b = data;
  g_autoptr(GError) local = NULL;

  b->done = TRUE;
  if (error != NULL)
    wsim_note_error (b, error, "NULL call failed");
  else if (!wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_void), NULL, &local))
    wsim_note_error (b, local, "NULL reply does not decode");
}

static void
on_echo_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimBench *b = data;
  g_autoptr(GError) local = NULL;

  b->done = TRUE;
  if (error != NULL)
    {
      wsim_note_error (b, error, "ECHO call failed");
      return;
    }
  /* Decode into the preallocated buffer: xdr_bytes uses it when the pointer is set. */
  b->res.wsim_test_blob_len = 0;
  b->res.wsim_test_blob_val = (char *) b->res_store;
  if (!wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_wsim_test_blob), &b->res, &local))
    {
      wsim_note_error (b, local, "ECHO reply does not decode");
      b->res_store = NULL;   /* xdr_free() in the failed decode released it */
      return;
    }
  if (b->res.wsim_test_blob_len != b->args.wsim_test_blob_len)
    {
      fprintf (stderr, "bench-rpc-client: ECHO returned %u bytes, sent %u\n",
               b->res.wsim_test_blob_len, b->args.wsim_test_blob_len);
      b->failed = TRUE;
    }
  else if (!b->verified)
    {
      if (memcmp (b->res.wsim_test_blob_val, b->args.wsim_test_blob_val,
                  b->args.wsim_test_blob_len) != 0)
        {
          fprintf (stderr, "bench-rpc-client: ECHO returned different bytes\n");
          b->failed = TRUE;
        }
      b->verified = TRUE;
    }
}

/* One sequential call: send, then iterate until its callback ran. */
static gboolean
wsim_one_call (WsimBench *b, GMainContext *ctx)
{
  b->done = FALSE;
  if (b->opt->mode == MODE_ECHO)
    wsim_rpc_client_call (b->client, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob),
                          &b->args, -1, NULL, on_echo_reply, b);
  else
    wsim_rpc_client_call (b->client, WSIM_TEST_NULL, WSIM_XDRPROC (xdr_void), NULL, -1,
                          NULL, on_null_reply, b);
  while (!b->done)
    g_main_context_iteration (ctx, TRUE);
  return !b->failed;
}

static void on_pipelined_reply (WsimRpcClient *client, WsimRpcReply *reply,
                                const GError *error, gpointer data);

static void
pipelined_issue (WsimBench *b)
{
  b->in_flight++;
  wsim_rpc_client_call (b->client, WSIM_TEST_NULL, WSIM_XDRPROC (xdr_void), NULL, -1, NULL,
                        on_pipelined_reply, b);
}

static void
on_pipelined_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error,
                    gpointer data)
{
  WsimBench *b = data;
  g_autoptr(GError) local = NULL;

  b->in_flight--;
  if (error != NULL)
    wsim_note_error (b, error, "pipelined NULL call failed");
  else if (!wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_void), NULL, &local))
    wsim_note_error (b, local, "NULL reply does not decode");
  if (b->measuring)
    b->completed++;
  /* Keep the window full: every completion sends the next call. */
  if (!b->stop_issuing && !b->failed)
    pipelined_issue (b);
}

static int
run_wsim (const Options *opt, Result *res)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, opt->port);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *payload = NULL;
  WsimBench b = { .opt = opt };
  gint64 t0, t_start, t_end, now;

  g_main_context_push_thread_default (ctx);
  b.client = wsim_rpc_client_connect (ctx, addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  if (b.client == NULL)
    {
      fprintf (stderr, "bench-rpc-client: connect: %s\n", error->message);
      g_main_context_pop_thread_default (ctx);
      return 1;
    }
  if (opt->mode == MODE_ECHO)
    {
      payload = make_payload (opt->size);
      b.args.wsim_test_blob_len = opt->size;
      b.args.wsim_test_blob_val = (char *) payload;
      b.res_store = g_malloc (MAX (opt->size, 1));
    }

  t0 = g_get_monotonic_time ();
  if (opt->mode != MODE_PIPELINED)
    {
      /* Warm-up, then the measured window; the clock is read once per call. */
      do
        if (!wsim_one_call (&b, ctx))
          goto fail;
      while ((now = g_get_monotonic_time ()) - t0 < opt->warmup_us);
      t_start = now;
      do
        {
          if (!wsim_one_call (&b, ctx))
            goto fail;
          res->calls++;
        }
      while ((now = g_get_monotonic_time ()) - t_start < opt->measure_us);
      t_end = now;
    }
  else
    {
      for (guint i = 0; i < opt->depth; i++)
        pipelined_issue (&b);
      while ((now = g_get_monotonic_time ()) - t0 < opt->warmup_us && !b.failed)
        g_main_context_iteration (ctx, TRUE);
      b.measuring = TRUE;
      t_start = g_get_monotonic_time ();
      while ((now = g_get_monotonic_time ()) - t_start < opt->measure_us && !b.failed)
        g_main_context_iteration (ctx, TRUE);
      b.measuring = FALSE;
      t_end = g_get_monotonic_time ();
      res->calls = b.completed;
      /* Drain what is still in flight, so the connection ends cleanly. */
      b.stop_issuing = TRUE;
      while (b.in_flight > 0 && !b.failed)
        g_main_context_iteration (ctx, TRUE);
      if (b.failed)
        goto fail;
    }
  res->elapsed_us = t_end - t_start;

  wsim_rpc_client_unref (b.client);
  g_free (b.res_store);
  g_main_context_pop_thread_default (ctx);
  return 0;

fail:
  wsim_rpc_client_unref (b.client);
  g_free (b.res_store);
  g_main_context_pop_thread_default (ctx);
  return 1;
}

/* ---- stock libtirpc ------------------------------------------------------------- */

static int
run_tirpc (const Options *opt, Result *res)
{
  static const struct timeval timeout = { 25, 0 };
  struct sockaddr_in sin;
  struct netbuf raddr;
  g_autofree guint8 *payload = NULL;
  g_autofree guint8 *res_store = NULL;
  wsim_test_blob args = { 0 }, out = { 0 };
  gboolean verified = FALSE;
  gint64 t0, t_start, now;
  CLIENT *clnt;
  int fd, one = 1;
  int rc = 1;

  if (opt->mode == MODE_PIPELINED)
    {
      fprintf (stderr, "bench-rpc-client: libtirpc's clnt_call cannot pipeline\n");
      return 2;
    }

  memset (&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  sin.sin_port = htons (opt->port);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0 || connect (fd, (struct sockaddr *) &sin, sizeof sin) < 0)
    {
      perror ("bench-rpc-client: connect");
      if (fd >= 0)
        close (fd);
      return 1;
    }
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  raddr.buf = &sin;
  raddr.len = raddr.maxlen = sizeof sin;
  clnt = clnt_vc_create (fd, &raddr, WSIM_TEST_PROG, WSIM_TEST_V1, TIRPC_BUFSZ, TIRPC_BUFSZ);
  if (clnt == NULL)
    {
      clnt_pcreateerror ("bench-rpc-client: clnt_vc_create");
      close (fd);
      return 1;
    }
  /* The CLIENT closes the descriptor when destroyed. */
  clnt_control (clnt, CLSET_FD_CLOSE, NULL);

  if (opt->mode == MODE_ECHO)
    {
      payload = make_payload (opt->size);
      res_store = g_malloc (MAX (opt->size, 1));
      args.wsim_test_blob_len = opt->size;
      args.wsim_test_blob_val = (char *) payload;
    }

#define TIRPC_ONE_CALL()                                                                   \
  G_STMT_START {                                                                           \
    enum clnt_stat st;                                                                     \
    if (opt->mode == MODE_ECHO)                                                            \
      {                                                                                    \
        out.wsim_test_blob_len = 0;                                                        \
        out.wsim_test_blob_val = (char *) res_store;                                       \
        st = clnt_call (clnt, WSIM_TEST_ECHO, TIRPC_XDR (xdr_wsim_test_blob),              \
                        (caddr_t) &args, TIRPC_XDR (xdr_wsim_test_blob), (caddr_t) &out,   \
                        timeout);                                                          \
        if (st == RPC_SUCCESS && out.wsim_test_blob_len != args.wsim_test_blob_len)        \
          {                                                                                \
            fprintf (stderr, "bench-rpc-client: ECHO returned %u bytes, sent %u\n",        \
                     out.wsim_test_blob_len, args.wsim_test_blob_len);                     \
            goto done;                                                                      \
          }                                                                                \
        if (st == RPC_SUCCESS && !verified)                                                \
          {                                                                                \
            if (memcmp (out.wsim_test_blob_val, payload, opt->size) != 0)                  \
              {                                                                            \
                fprintf (stderr, "bench-rpc-client: ECHO returned different bytes\n");     \
                goto done;                                                                  \
              }                                                                            \
            verified = TRUE;                                                               \
          }                                                                                \
      }                                                                                    \
    else                                                                                   \
      st = clnt_call (clnt, NULLPROC, TIRPC_XDR (xdr_void), NULL, TIRPC_XDR (xdr_void),    \
                      NULL, timeout);                                                      \
    if (st != RPC_SUCCESS)                                                                 \
      {                                                                                    \
        clnt_perror (clnt, "bench-rpc-client: clnt_call");                                 \
        goto done;                                                                          \
      }                                                                                    \
  } G_STMT_END

  t0 = g_get_monotonic_time ();
  do
    TIRPC_ONE_CALL ();
  while ((now = g_get_monotonic_time ()) - t0 < opt->warmup_us);
  t_start = now;
  do
    {
      TIRPC_ONE_CALL ();
      res->calls++;
    }
  while ((now = g_get_monotonic_time ()) - t_start < opt->measure_us);
  res->elapsed_us = now - t_start;
  rc = 0;
#undef TIRPC_ONE_CALL

done:
  clnt_destroy (clnt);
  return rc;
}

/* ---- main ----------------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  g_autofree char *engine = NULL, *mode = NULL;
  g_autoptr(GOptionContext) octx = NULL;
  g_autoptr(GError) error = NULL;
  double seconds = 2.0, warmup = 0.3;
  gint port = 0, depth = 32, size = 65536;
  Options opt = { 0 };
  Result res = { 0 };
  gboolean is_wsim;
  double secs, cps, mbps;
  int rc;
  GOptionEntry entries[] = {
    { "engine", 'e', 0, G_OPTION_ARG_STRING, &engine, "wsim or tirpc", "ENGINE" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "server port on 127.0.0.1", "PORT" },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode, "null, echo or pipelined", "MODE" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "measured time (default 2)", "S" },
    { "warmup", 'w', 0, G_OPTION_ARG_DOUBLE, &warmup, "warm-up time (default 0.3)", "S" },
    { "depth", 'd', 0, G_OPTION_ARG_INT, &depth, "calls in flight, pipelined (default 32)", "N" },
    { "size", 'z', 0, G_OPTION_ARG_INT, &size, "echo payload bytes (default 65536)", "BYTES" },
    { NULL }
  };

  octx = g_option_context_new ("- one transport benchmark workload");
  g_option_context_add_main_entries (octx, entries, NULL);
  if (!g_option_context_parse (octx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (engine == NULL || (!g_str_equal (engine, "wsim") && !g_str_equal (engine, "tirpc")))
    {
      fprintf (stderr, "--engine wsim|tirpc is required\n");
      return 2;
    }
  is_wsim = g_str_equal (engine, "wsim");
  if (port <= 0 || port > 65535)
    {
      fprintf (stderr, "--port is required\n");
      return 2;
    }
  if (mode == NULL || g_str_equal (mode, "null"))
    opt.mode = MODE_NULL;
  else if (g_str_equal (mode, "echo"))
    opt.mode = MODE_ECHO;
  else if (g_str_equal (mode, "pipelined"))
    opt.mode = MODE_PIPELINED;
  else
    {
      fprintf (stderr, "--mode null|echo|pipelined\n");
      return 2;
    }
  if (seconds <= 0 || warmup < 0 || depth < 1 || depth > 100000
      || size < 0 || size > WSIM_TEST_MAX_ECHO)
    {
      fprintf (stderr, "bad --seconds, --warmup, --depth or --size\n");
      return 2;
    }
  opt.port = (guint16) port;
  opt.depth = opt.mode == MODE_PIPELINED ? (guint) depth : 1;
  opt.size = opt.mode == MODE_ECHO ? (guint) size : 0;
  opt.warmup_us = (gint64) (warmup * G_USEC_PER_SEC);
  opt.measure_us = (gint64) (seconds * G_USEC_PER_SEC);

  rc = is_wsim ? run_wsim (&opt, &res) : run_tirpc (&opt, &res);
  if (rc != 0)
    return rc;

  secs = (double) res.elapsed_us / G_USEC_PER_SEC;
  cps = secs > 0 ? (double) res.calls / secs : 0;
  mbps = cps * opt.size / 1e6;
  printf ("engine=%s mode=%s depth=%u size=%u calls=%" G_GUINT64_FORMAT
          " seconds=%.3f calls_per_s=%.0f mb_per_s=%.1f\n",
          engine, mode_name (opt.mode), opt.depth, opt.size, res.calls, secs, cps, mbps);
  return 0;
}
