/* bench-rpc-client.c: the client half of the transport benchmark.
 *
 *   bench-rpc-client --engine wsim|tirpc --port N --mode null|add|echo|pipelined
 *                    [--seconds 2] [--warmup 0.3] [--depth 32] [--size 65536]
 *                    [--level WORD --mech kerberos|ntlm [--user NAME] [--target SVC@HOST]]
 *                    [--stock-gss none|integrity|privacy [--target SVC@HOST]]
 *
 * Runs one workload against bench-rpc-server on 127.0.0.1:N for a fixed time after a
 * warm-up, and prints one line of key=value pairs on stdout, e.g.
 *
 *   engine=wsim mode=null depth=1 size=0 auth=none calls=251234 seconds=2.000 calls_per_s=125617 mb_per_s=0.0
 *
 * mb_per_s is payload bytes per second in each direction (10^6 bytes; 0 for NULL).
 *
 * Workloads:
 *   null       sequential NULL calls: one call, wait for its reply, next call.
 *   add        sequential ADD calls (two ints in, one out, checked): the small call of the
 *              security benchmark, because both servers answer NULLPROC without decoding its
 *              arguments, so under RPCSEC_GSS integrity or privacy a NULL call skips the
 *              server's check of the body.
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
 * Security (the security benchmark, run-gss.sh; the server must serve RPCSEC_GSS):
 *   --level WORD   (wsim) an authentication level (wsim-authn-level.h: none, connect, pkt,
 *                  pktIntegrity, pktPrivacy, ...) put on the connection with
 *                  wsim_auth_for_level() before the warm-up, with --mech's mechanism
 *                  (--user: default credentials for kerberos, WSIM\alice for ntlm).
 *   --stock-gss S  (tirpc) libtirpc's own RPCSEC_GSS client, authgss_create_default() with
 *                  Kerberos at service S, destroyed (RPCSEC_GSS_DESTROY) before the
 *                  connection closes: libtirpc's server keeps a context that was not
 *                  destroyed and confuses the next connection with it.
 * Establishing a context is never timed.
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
#include <gssapi/gssapi.h>
#include <rpc/rpc.h>
#include <rpc/auth_gss.h>

#include "bench-util.h"
#include "wsim-auth-for-level.h"
#include "wsim-auth-gss.h"
#include "wsim-authn-level.h"
#include "wsim-rpc-client.h"
#include "wsim-test-util.h"
#include "wsim-xdrbuf.h"
#include "wsim_testprog.h"

#define TIRPC_BUFSZ  (4u * 1024 * 1024 + 64 * 1024)
#define TIRPC_XDR(fn) ((xdrproc_t) (void (*) (void)) (fn))

typedef enum { MODE_NULL, MODE_ADD, MODE_ECHO, MODE_PIPELINED } Mode;

typedef struct {
  Mode     mode;
  guint    depth;
  guint    size;
  gint64   warmup_us;
  gint64   measure_us;
  guint16  port;
  /* Security: a level (wsim) or a libtirpc RPCSEC_GSS service (tirpc); -1 for neither. */
  gint               level;
  const WsimGssMech *mech;
  const char        *user;
  const char        *target;
  gint               stock_svc;
} Options;

/* The ADD operands; the sum is checked on every reply. */
#define ADD_A 40
#define ADD_B 2

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
    case MODE_ADD: return "add";
    case MODE_ECHO: return "echo";
    case MODE_PIPELINED: return "pipelined";
    }
  return "?";
}

/* ---- our engine ----------------------------------------------------------------- */

typedef struct {
  const Options  *opt;
  GMainContext   *ctx;
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
on_add_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimBench *b = data;
  g_autoptr(GError) local = NULL;
  int sum = 0;

  b->done = TRUE;
  if (error != NULL)
    wsim_note_error (b, error, "ADD call failed");
  else if (!wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_int), &sum, &local))
    wsim_note_error (b, local, "ADD reply does not decode");
  else if (sum != ADD_A + ADD_B)
    {
      fprintf (stderr, "bench-rpc-client: ADD returned %d\n", sum);
      b->failed = TRUE;
    }
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
wsim_one_call (gpointer data)
{
  static wsim_test_pair pair = { ADD_A, ADD_B };
  WsimBench *b = data;

  b->done = FALSE;
  if (b->opt->mode == MODE_ECHO)
    wsim_rpc_client_call (b->client, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob),
                          &b->args, -1, NULL, on_echo_reply, b);
  else if (b->opt->mode == MODE_ADD)
    wsim_rpc_client_call (b->client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &pair,
                          -1, NULL, on_add_reply, b);
  else
    wsim_rpc_client_call (b->client, WSIM_TEST_NULL, WSIM_XDRPROC (xdr_void), NULL, -1,
                          NULL, on_null_reply, b);
  while (!b->done)
    g_main_context_iteration (b->ctx, TRUE);
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
  WsimBench b = { .opt = opt, .ctx = ctx };
  gint64 t0, t_start, now;

  g_main_context_push_thread_default (ctx);
  b.client = wsim_rpc_client_connect (ctx, addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  if (b.client == NULL)
    {
      fprintf (stderr, "bench-rpc-client: connect: %s\n", error->message);
      g_main_context_pop_thread_default (ctx);
      return 1;
    }
  if (opt->level >= 0)
    {
      g_autoptr(WsimAuth) auth = wsim_auth_for_level (b.client, (guint32) opt->level, opt->mech,
                                                      opt->target, opt->user, &error);

      if (auth == NULL)
        {
          fprintf (stderr, "bench-rpc-client: level %s with %s: %s\n",
                   wsim_authn_level_word ((WsimAuthnLevel) opt->level),
                   wsim_gss_mech_get_name (opt->mech), error->message);
          goto fail;
        }
      wsim_rpc_client_set_auth (b.client, auth);
    }
  if (opt->mode == MODE_ECHO)
    {
      payload = bench_make_payload (opt->size);
      b.args.wsim_test_blob_len = opt->size;
      b.args.wsim_test_blob_val = (char *) payload;
      b.res_store = g_malloc (MAX (opt->size, 1));
    }

  if (opt->mode != MODE_PIPELINED)
    {
      if (!bench_run_timed (wsim_one_call, &b, opt->warmup_us, opt->measure_us, &res->calls,
                            &res->elapsed_us))
        goto fail;
    }
  else
    {
      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < opt->depth; i++)
        pipelined_issue (&b);
      while ((now = g_get_monotonic_time ()) - t0 < opt->warmup_us && !b.failed)
        g_main_context_iteration (ctx, TRUE);
      b.measuring = TRUE;
      t_start = g_get_monotonic_time ();
      while ((now = g_get_monotonic_time ()) - t_start < opt->measure_us && !b.failed)
        g_main_context_iteration (ctx, TRUE);
      b.measuring = FALSE;
      res->elapsed_us = g_get_monotonic_time () - t_start;
      res->calls = b.completed;
      /* Drain what is still in flight, so the connection ends cleanly. */
      b.stop_issuing = TRUE;
      while (b.in_flight > 0 && !b.failed)
        g_main_context_iteration (ctx, TRUE);
      if (b.failed)
        goto fail;
    }

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

typedef struct {
  const Options  *opt;
  CLIENT         *clnt;
  wsim_test_blob  args;
  guint8         *res_store;   /* the reused ECHO result buffer */
  gboolean        verified;
} TirpcBench;

/* One clnt_call of the workload, results checked as the wsim side checks them. */
static gboolean
tirpc_one_call (gpointer data)
{
  TirpcBench *t = data;
  static const struct timeval timeout = { 25, 0 };
  static wsim_test_pair pair = { ADD_A, ADD_B };
  wsim_test_blob out = { 0 };
  enum clnt_stat st;
  int sum = 0;

  switch (t->opt->mode)
    {
    case MODE_ECHO:
      out.wsim_test_blob_val = (char *) t->res_store;
      st = clnt_call (t->clnt, WSIM_TEST_ECHO, TIRPC_XDR (xdr_wsim_test_blob), (caddr_t) &t->args,
                      TIRPC_XDR (xdr_wsim_test_blob), (caddr_t) &out, timeout);
      break;
    case MODE_ADD:
      st = clnt_call (t->clnt, WSIM_TEST_ADD, TIRPC_XDR (xdr_wsim_test_pair), (caddr_t) &pair,
                      TIRPC_XDR (xdr_int), (caddr_t) &sum, timeout);
      break;
    default:
      st = clnt_call (t->clnt, NULLPROC, TIRPC_XDR (xdr_void), NULL, TIRPC_XDR (xdr_void), NULL,
                      timeout);
      break;
    }
  if (st != RPC_SUCCESS)
    {
      clnt_perror (t->clnt, "bench-rpc-client: clnt_call");
      return FALSE;
    }
  if (t->opt->mode == MODE_ADD && sum != ADD_A + ADD_B)
    {
      fprintf (stderr, "bench-rpc-client: ADD returned %d\n", sum);
      return FALSE;
    }
  if (t->opt->mode != MODE_ECHO)
    return TRUE;
  if (out.wsim_test_blob_len != t->args.wsim_test_blob_len)
    {
      fprintf (stderr, "bench-rpc-client: ECHO returned %u bytes, sent %u\n",
               out.wsim_test_blob_len, t->args.wsim_test_blob_len);
      return FALSE;
    }
  if (!t->verified)
    {
      if (memcmp (out.wsim_test_blob_val, t->args.wsim_test_blob_val, t->opt->size) != 0)
        {
          fprintf (stderr, "bench-rpc-client: ECHO returned different bytes\n");
          return FALSE;
        }
      t->verified = TRUE;
    }
  return TRUE;
}

/* libtirpc's RPCSEC_GSS client with Kerberos at @svc on @clnt. */
static gboolean
tirpc_stock_gss (CLIENT *clnt, const char *target, rpc_gss_svc_t svc)
{
  /* libtirpc declares krb5oid but does not export it. */
  static gss_OID_desc krb5 = { 9, (void *) "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
  /* Integrity and confidentiality asked for explicitly, as our engine does; no sequence
   * flag (libtirpc's client does not keep GSS-API's sequence). */
  struct rpc_gss_sec sec = { .mech = &krb5, .qop = GSS_C_QOP_DEFAULT, .svc = svc,
                             .cred = GSS_C_NO_CREDENTIAL,
                             .req_flags = GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG };
  AUTH *auth = authgss_create_default (clnt, (char *) target, &sec);

  if (auth == NULL)
    {
      /* rpc_createerr is not always set by a failed authgss_create (libtirpc 1.3.3). */
      fprintf (stderr, "bench-rpc-client: authgss_create_default (%s, service %d) failed\n",
               target, (int) svc);
      return FALSE;
    }
  auth_destroy (clnt->cl_auth);
  clnt->cl_auth = auth;
  return TRUE;
}

static int
run_tirpc (const Options *opt, Result *res)
{
  struct sockaddr_in sin;
  struct netbuf raddr;
  g_autofree guint8 *payload = NULL;
  TirpcBench t = { .opt = opt };
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
  t.clnt = clnt_vc_create (fd, &raddr, WSIM_TEST_PROG, WSIM_TEST_V1, TIRPC_BUFSZ, TIRPC_BUFSZ);
  if (t.clnt == NULL)
    {
      clnt_pcreateerror ("bench-rpc-client: clnt_vc_create");
      close (fd);
      return 1;
    }
  /* The CLIENT closes the descriptor when destroyed. */
  clnt_control (t.clnt, CLSET_FD_CLOSE, NULL);
  if (opt->stock_svc >= 0 && !tirpc_stock_gss (t.clnt, opt->target, (rpc_gss_svc_t) opt->stock_svc))
    goto done;

  if (opt->mode == MODE_ECHO)
    {
      payload = bench_make_payload (opt->size);
      t.res_store = g_malloc (MAX (opt->size, 1));
      t.args.wsim_test_blob_len = opt->size;
      t.args.wsim_test_blob_val = (char *) payload;
    }

  if (bench_run_timed (tirpc_one_call, &t, opt->warmup_us, opt->measure_us, &res->calls,
                       &res->elapsed_us))
    rc = 0;

done:
  /* auth_destroy sends RPCSEC_GSS_DESTROY while the connection is still there. */
  auth_destroy (t.clnt->cl_auth);
  t.clnt->cl_auth = NULL;
  clnt_destroy (t.clnt);
  g_free (t.res_store);
  return rc;
}

/* ---- main ----------------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  g_autofree char *engine = NULL, *mode = NULL, *level = NULL, *mech = NULL, *user = NULL;
  g_autofree char *target = NULL, *stock_gss = NULL;
  g_autofree char *auth_desc = NULL;
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
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode, "null, add, echo or pipelined", "MODE" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "measured time (default 2)", "S" },
    { "warmup", 'w', 0, G_OPTION_ARG_DOUBLE, &warmup, "warm-up time (default 0.3)", "S" },
    { "depth", 'd', 0, G_OPTION_ARG_INT, &depth, "calls in flight, pipelined (default 32)", "N" },
    { "size", 'z', 0, G_OPTION_ARG_INT, &size, "echo payload bytes (default 65536)", "BYTES" },
    { "level", 'l', 0, G_OPTION_ARG_STRING, &level, "wsim: authentication level (none, connect, "
      "pkt, pktIntegrity, pktPrivacy)", "WORD" },
    { "mech", 0, 0, G_OPTION_ARG_STRING, &mech, "wsim: GSS mechanism for --level (kerberos, ntlm)",
      "MECH" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "wsim: initiator name (default: kerberos's "
      "default credentials, WSIM\\alice for ntlm)", "NAME" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, "the server's GSS name (default "
      "wbem@localhost)", "SVC@HOST" },
    { "stock-gss", 0, 0, G_OPTION_ARG_STRING, &stock_gss, "tirpc: libtirpc RPCSEC_GSS (Kerberos) "
      "at service none, integrity or privacy", "SERVICE" },
    { NULL }
  };

  if (!bench_parse_options ("- one transport benchmark workload", entries, &argc, &argv))
    return 2;
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
  else if (g_str_equal (mode, "add"))
    opt.mode = MODE_ADD;
  else if (g_str_equal (mode, "echo"))
    opt.mode = MODE_ECHO;
  else if (g_str_equal (mode, "pipelined"))
    opt.mode = MODE_PIPELINED;
  else
    {
      fprintf (stderr, "--mode null|add|echo|pipelined\n");
      return 2;
    }
  if (seconds <= 0 || warmup < 0 || depth < 1 || depth > 100000
      || size < 0 || size > WSIM_TEST_MAX_ECHO)
    {
      fprintf (stderr, "bad --seconds, --warmup, --depth or --size\n");
      return 2;
    }
  opt.port = (guint16) port;
  opt.level = -1;
  opt.stock_svc = -1;
  opt.target = target != NULL ? target : "wbem@localhost";
  if (level != NULL)
    {
      WsimAuthnLevel l;

      if (!is_wsim || !wsim_authn_level_parse (level, &l) || l == RPC_C_AUTHN_LEVEL_DEFAULT)
        {
          fprintf (stderr, "--level takes a fixed level (not default), with --engine wsim\n");
          return 2;
        }
      opt.mech = wsim_gss_mech_lookup (mech != NULL ? mech : "kerberos");
      if (opt.mech == NULL)
        {
          fprintf (stderr, "--mech kerberos|ntlm\n");
          return 2;
        }
      opt.level = (gint) l;
      opt.user = user != NULL ? user
                 : opt.mech == wsim_gss_mech_ntlmssp () ? "WSIM\\alice" : NULL;
      auth_desc = g_strdup_printf ("%s/%s", wsim_authn_level_word (l),
                                   wsim_gss_mech_get_name (opt.mech));
    }
  if (stock_gss != NULL)
    {
      if (is_wsim)
        {
          fprintf (stderr, "--stock-gss goes with --engine tirpc\n");
          return 2;
        }
      if (g_str_equal (stock_gss, "none"))
        opt.stock_svc = RPCSEC_GSS_SVC_NONE;
      else if (g_str_equal (stock_gss, "integrity"))
        opt.stock_svc = RPCSEC_GSS_SVC_INTEGRITY;
      else if (g_str_equal (stock_gss, "privacy"))
        opt.stock_svc = RPCSEC_GSS_SVC_PRIVACY;
      else
        {
          fprintf (stderr, "--stock-gss none|integrity|privacy\n");
          return 2;
        }
      auth_desc = g_strdup_printf ("rpcsec_gss-%s/kerberos", stock_gss);
    }
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
  printf ("engine=%s mode=%s depth=%u size=%u auth=%s calls=%" G_GUINT64_FORMAT
          " seconds=%.3f calls_per_s=%.0f mb_per_s=%.1f\n", engine, mode_name (opt.mode),
          opt.depth, opt.size, auth_desc != NULL ? auth_desc : "none", res.calls, secs, cps, mbps);
  return 0;
}
