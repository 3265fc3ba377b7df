/* test-interop.c: our ONC RPC engine against stock libtirpc, both ways.
 *
 *   tirpc_client  stock libtirpc CLIENT (clnt_vc_create on a connected TCP socket, blocking
 *                 clnt_call) against our WsimRpcServer on its own thread.
 *   wsim_client   our WsimRpcClient against stock libtirpc's svc_vc/svc_run server
 *                 (tirpc-testprog-server, spawned per test and stopped by pid).
 *
 * Every test checks values (sums, bytes, squares, principal strings, status codes and
 * version ranges), not only the absence of an error.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wsim-rpc-error.h"
#include "wsim-test-util.h"
#include "wsim-testprog-server.h"

#ifndef WSIM_TIRPC_SERVER
#error "WSIM_TIRPC_SERVER (path of tirpc-testprog-server) must be defined by the build"
#endif

#define TIRPC_XDR(fn) ((xdrproc_t) (void (*) (void)) (fn))
/* Big enough for a 1 MiB echo in one fragment, each way. */
#define BIG_BUFSZ (1024u * 1024 + 64 * 1024)
#define MIB (1024u * 1024)

static gboolean
under_valgrind (void)
{
  return g_getenv ("WSIM_UNDER_VALGRIND") != NULL;
}

/* Deadlines stretch under valgrind (the test setup multiplies the suite timeout too). */
static guint
scaled_ms (guint ms)
{
  return under_valgrind () ? ms * 10 : ms;
}

static void
fill_pattern (char *p, gsize n, guint seed)
{
  for (gsize i = 0; i < n; i++)
    p[i] = (char) ((i * 31 + seed * 7 + (i >> 8)) & 0xff);
}

/* "uid:gid@host" as libtirpc's authunix_create_default() sends it (effective ids). */
static char *
tirpc_default_principal (void)
{
  char host[256] = "";

  gethostname (host, sizeof host);
  host[sizeof host - 1] = '\0';
  return g_strdup_printf ("%u:%u@%s", (guint) geteuid (), (guint) getegid (), host);
}

/* ====================================================================================
 * (a) stock libtirpc client -> our server
 * ==================================================================================== */

static WsimTestServerThread *srv;

static void
srv_setup (void)
{
  srv = wsim_test_server_thread_start (NULL, NULL);
}

static void
srv_teardown (void)
{
  g_clear_pointer (&srv, wsim_test_server_thread_stop);
}

/* A CLIENT over a TCP socket connected to our server; it closes the socket when
 * destroyed. @bufsz 0 keeps libtirpc's default buffer sizes. */
static CLIENT *
tirpc_client_new (rpcprog_t prog, rpcvers_t vers, u_int bufsz)
{
  struct sockaddr_in sin;
  struct netbuf raddr;
  CLIENT *clnt;
  int fd, one = 1;

  memset (&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  sin.sin_port = htons (wsim_test_port (wsim_test_server_thread_address (srv)));
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  cr_assert_geq (fd, 0, "socket: %s", g_strerror (errno));
  cr_assert_eq (connect (fd, (struct sockaddr *) &sin, sizeof sin), 0, "connect: %s",
                g_strerror (errno));
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  raddr.buf = &sin;
  raddr.len = raddr.maxlen = sizeof sin;
  clnt = clnt_vc_create (fd, &raddr, prog, vers, bufsz, bufsz);
  cr_assert_not_null (clnt, "clnt_vc_create: %s", clnt_spcreateerror ("interop"));
  clnt_control (clnt, CLSET_FD_CLOSE, NULL);
  return clnt;
}

static void
tirpc_client_free (CLIENT *clnt)
{
  if (clnt->cl_auth != NULL)
    auth_destroy (clnt->cl_auth);
  clnt->cl_auth = NULL;
  clnt_destroy (clnt);
}

static struct timeval
tirpc_timeout (void)
{
  struct timeval tv = { (time_t) scaled_ms (10000) / 1000, 0 };

  return tv;
}

static int
tirpc_add (CLIENT *clnt, int a, int b)
{
  wsim_test_pair p = { a, b };
  int sum = 0;
  enum clnt_stat st = clnt_call (clnt, WSIM_TEST_ADD, TIRPC_XDR (xdr_wsim_test_pair),
                                 (caddr_t) &p, TIRPC_XDR (xdr_int), (caddr_t) &sum,
                                 tirpc_timeout ());

  cr_assert_eq (st, RPC_SUCCESS, "ADD: %s", clnt_sperrno (st));
  return sum;
}

static void
tirpc_echo_check (CLIENT *clnt, guint len)
{
  wsim_test_blob in = { 0 }, out = { 0 };
  enum clnt_stat st;

  in.wsim_test_blob_len = len;
  in.wsim_test_blob_val = g_malloc (MAX (len, 1));
  fill_pattern (in.wsim_test_blob_val, len, len);
  st = clnt_call (clnt, WSIM_TEST_ECHO, TIRPC_XDR (xdr_wsim_test_blob), (caddr_t) &in,
                  TIRPC_XDR (xdr_wsim_test_blob), (caddr_t) &out, tirpc_timeout ());
  cr_assert_eq (st, RPC_SUCCESS, "ECHO %u: %s", len, clnt_sperrno (st));
  cr_assert_eq (out.wsim_test_blob_len, len, "ECHO %u came back with %u bytes", len,
                out.wsim_test_blob_len);
  if (len > 0)
    cr_assert_eq (memcmp (out.wsim_test_blob_val, in.wsim_test_blob_val, len), 0,
                  "ECHO %u: bytes differ", len);
  xdr_free (TIRPC_XDR (xdr_wsim_test_blob), (char *) &out);
  g_free (in.wsim_test_blob_val);
}

static char *
tirpc_whoami (CLIENT *clnt)
{
  wsim_test_name name = NULL;
  char *copy;
  enum clnt_stat st = clnt_call (clnt, WSIM_TEST_WHOAMI, TIRPC_XDR (xdr_void), NULL,
                                 TIRPC_XDR (xdr_wsim_test_name), (caddr_t) &name,
                                 tirpc_timeout ());

  cr_assert_eq (st, RPC_SUCCESS, "WHOAMI: %s", clnt_sperrno (st));
  cr_assert_not_null (name);
  copy = g_strdup (name);
  xdr_free (TIRPC_XDR (xdr_wsim_test_name), (char *) &name);
  return copy;
}

/* The procedures every flavor must get through, with their values. */
static void
tirpc_exercise (CLIENT *clnt)
{
  wsim_test_ints sq = { 0 };
  unsigned int n = 300;
  enum clnt_stat st;

  st = clnt_call (clnt, WSIM_TEST_NULL, TIRPC_XDR (xdr_void), NULL, TIRPC_XDR (xdr_void), NULL,
                  tirpc_timeout ());
  cr_assert_eq (st, RPC_SUCCESS, "NULL: %s", clnt_sperrno (st));

  cr_assert_eq (tirpc_add (clnt, 40, 2), 42);
  cr_assert_eq (tirpc_add (clnt, -1000000, 999999), -1);
  cr_assert_eq (tirpc_add (clnt, G_MAXINT32, 1), G_MININT32, "ADD wraps like the handler");

  tirpc_echo_check (clnt, 0);
  tirpc_echo_check (clnt, 1);
  tirpc_echo_check (clnt, 64 * 1024);

  st = clnt_call (clnt, WSIM_TEST_SQUARES, TIRPC_XDR (xdr_u_int), (caddr_t) &n,
                  TIRPC_XDR (xdr_wsim_test_ints), (caddr_t) &sq, tirpc_timeout ());
  cr_assert_eq (st, RPC_SUCCESS, "SQUARES: %s", clnt_sperrno (st));
  cr_assert_eq (sq.wsim_test_ints_len, 300);
  for (guint i = 0; i < 300; i++)
    cr_assert_eq (sq.wsim_test_ints_val[i], (int) (i * i), "SQUARES[%u] = %d", i,
                  sq.wsim_test_ints_val[i]);
  xdr_free (TIRPC_XDR (xdr_wsim_test_ints), (char *) &sq);
}

TestSuite (tirpc_client, .init = srv_setup, .fini = srv_teardown, .timeout = 60);

Test (tirpc_client, auth_none_procedures)
{
  CLIENT *clnt = tirpc_client_new (WSIM_TEST_PROG, WSIM_TEST_V1, 0);
  g_autofree char *who = NULL;

  tirpc_exercise (clnt);
  who = tirpc_whoami (clnt);
  cr_assert_str_eq (who, "", "AUTH_NONE has no principal, got \"%s\"", who);
  tirpc_client_free (clnt);
}

Test (tirpc_client, auth_sys_procedures_and_principal)
{
  CLIENT *clnt = tirpc_client_new (WSIM_TEST_PROG, WSIM_TEST_V1, 0);
  g_autofree char *who = NULL;
  g_autofree char *expect = tirpc_default_principal ();

  clnt->cl_auth = authunix_create_default ();
  cr_assert_not_null (clnt->cl_auth);
  tirpc_exercise (clnt);
  who = tirpc_whoami (clnt);
  cr_assert_str_eq (who, expect);
  tirpc_client_free (clnt);
}

Test (tirpc_client, echo_one_mib)
{
  /* Default buffers: libtirpc sends the 1 MiB call in 64 KiB fragments, so our server
   * reassembles a multi-fragment record; raised buffers: one fragment each way. */
  CLIENT *small = tirpc_client_new (WSIM_TEST_PROG, WSIM_TEST_V1, 0);
  CLIENT *big = tirpc_client_new (WSIM_TEST_PROG, WSIM_TEST_V1, BIG_BUFSZ);

  tirpc_echo_check (small, MIB);
  tirpc_echo_check (big, MIB);
  tirpc_echo_check (big, MIB - 3);   /* a length that needs XDR padding */
  big->cl_auth = authunix_create_default ();
  tirpc_echo_check (big, MIB);
  tirpc_client_free (small);
  tirpc_client_free (big);
}

Test (tirpc_client, unknown_procedure_is_procunavail)
{
  CLIENT *clnt = tirpc_client_new (WSIM_TEST_PROG, WSIM_TEST_V1, 0);
  enum clnt_stat st;

  st = clnt_call (clnt, 99, TIRPC_XDR (xdr_void), NULL, TIRPC_XDR (xdr_void), NULL,
                  tirpc_timeout ());
  cr_assert_eq (st, RPC_PROCUNAVAIL, "got %s", clnt_sperrno (st));
  /* The connection survives an accepted error. */
  cr_assert_eq (tirpc_add (clnt, 2, 3), 5);
  tirpc_client_free (clnt);
}

Test (tirpc_client, unknown_version_is_progversmismatch_with_range)
{
  CLIENT *clnt = tirpc_client_new (WSIM_TEST_PROG, 7, 0);
  struct rpc_err err;
  enum clnt_stat st;

  st = clnt_call (clnt, WSIM_TEST_NULL, TIRPC_XDR (xdr_void), NULL, TIRPC_XDR (xdr_void), NULL,
                  tirpc_timeout ());
  cr_assert_eq (st, RPC_PROGVERSMISMATCH, "got %s", clnt_sperrno (st));
  memset (&err, 0, sizeof err);
  clnt_geterr (clnt, &err);
  cr_assert_eq (err.re_status, RPC_PROGVERSMISMATCH);
  cr_assert_eq (err.re_vers.low, WSIM_TEST_V1);
  cr_assert_eq (err.re_vers.high, WSIM_TEST_V1);
  tirpc_client_free (clnt);
}

Test (tirpc_client, unknown_program_is_progunavail)
{
  CLIENT *clnt = tirpc_client_new (WSIM_TEST_PROG + 1, WSIM_TEST_V1, 0);
  enum clnt_stat st;

  st = clnt_call (clnt, WSIM_TEST_NULL, TIRPC_XDR (xdr_void), NULL, TIRPC_XDR (xdr_void), NULL,
                  tirpc_timeout ());
  cr_assert_eq (st, RPC_PROGUNAVAIL, "got %s", clnt_sperrno (st));
  tirpc_client_free (clnt);
}

Test (tirpc_client, forget_is_systemerror)
{
  CLIENT *clnt = tirpc_client_new (WSIM_TEST_PROG, WSIM_TEST_V1, 0);
  enum clnt_stat st;

  st = clnt_call (clnt, WSIM_TEST_FORGET, TIRPC_XDR (xdr_void), NULL, TIRPC_XDR (xdr_void),
                  NULL, tirpc_timeout ());
  cr_assert_eq (st, RPC_SYSTEMERROR, "got %s", clnt_sperrno (st));
  cr_assert_eq (tirpc_add (clnt, 20, 22), 42);
  tirpc_client_free (clnt);
}

/* ====================================================================================
 * (b) our client -> stock libtirpc server
 * ==================================================================================== */

static WsimTestChild child;
static GMainContext *ctx;
static GSocketAddress *child_addr;
static WsimRpcClient *client;

static void
child_setup (void)
{
  char *argv[] = { (char *) WSIM_TIRPC_SERVER, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint64 port = 0;

  ctx = g_main_context_new ();
  g_main_context_push_thread_default (ctx);
  cr_assert (wsim_test_child_spawn (&child, argv, scaled_ms (10000), &error), "spawn %s: %s",
             WSIM_TIRPC_SERVER, error ? error->message : "");
  cr_assert (g_ascii_string_to_unsigned (child.first_line, 10, 1, 65535, &port, NULL),
             "the server printed \"%s\", not a port", child.first_line);
  child_addr = g_inet_socket_address_new (lo, (guint16) port);
  client = wsim_rpc_client_connect (ctx, child_addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  cr_assert_not_null (client, "connect: %s", error ? error->message : "");
}

static void
child_teardown (void)
{
  g_clear_pointer (&client, wsim_rpc_client_unref);
  g_clear_object (&child_addr);
  wsim_test_child_stop (&child);
  if (ctx != NULL)
    {
      while (g_main_context_iteration (ctx, FALSE))
        ;
      g_main_context_pop_thread_default (ctx);
      g_clear_pointer (&ctx, g_main_context_unref);
    }
}

static gint
call_timeout (void)
{
  return (gint) scaled_ms (10000);
}

static int
wsim_add (WsimRpcClient *c, int a, int b)
{
  wsim_test_pair p = { a, b };
  int sum = 0;
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        WSIM_XDRPROC (xdr_int), &sum, call_timeout (), NULL,
                                        &error),
             "ADD: %s", error ? error->message : "");
  return sum;
}

static void
wsim_echo_check (WsimRpcClient *c, guint len)
{
  wsim_test_blob in = { 0 }, out = { 0 };
  g_autoptr(GError) error = NULL;

  in.wsim_test_blob_len = len;
  in.wsim_test_blob_val = g_malloc (MAX (len, 1));
  fill_pattern (in.wsim_test_blob_val, len, len + 1);
  cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob),
                                        &in, WSIM_XDRPROC (xdr_wsim_test_blob), &out,
                                        call_timeout (), NULL, &error),
             "ECHO %u: %s", len, error ? error->message : "");
  cr_assert_eq (out.wsim_test_blob_len, len, "ECHO %u came back with %u bytes", len,
                out.wsim_test_blob_len);
  if (len > 0)
    cr_assert_eq (memcmp (out.wsim_test_blob_val, in.wsim_test_blob_val, len), 0,
                  "ECHO %u: bytes differ", len);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_blob), &out);
  g_free (in.wsim_test_blob_val);
}

static char *
wsim_whoami (WsimRpcClient *c)
{
  wsim_test_name name = NULL;
  g_autoptr(GError) error = NULL;
  char *copy;

  cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_WHOAMI, WSIM_XDRPROC (xdr_void), NULL,
                                        WSIM_XDRPROC (xdr_wsim_test_name), &name,
                                        call_timeout (), NULL, &error),
             "WHOAMI: %s", error ? error->message : "");
  cr_assert_not_null (name);
  copy = g_strdup (name);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_name), &name);
  return copy;
}

static void
wsim_exercise (WsimRpcClient *c)
{
  g_autoptr(GError) error = NULL;
  wsim_test_ints sq = { 0 };
  unsigned int n = 300;

  cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_NULL, WSIM_XDRPROC (xdr_void), NULL,
                                        WSIM_XDRPROC (xdr_void), NULL, call_timeout (), NULL,
                                        &error),
             "NULL: %s", error ? error->message : "");
  cr_assert_eq (wsim_add (c, 40, 2), 42);
  cr_assert_eq (wsim_add (c, -1000000, 999999), -1);
  cr_assert_eq (wsim_add (c, G_MAXINT32, 1), G_MININT32);
  wsim_echo_check (c, 0);
  wsim_echo_check (c, 1);
  wsim_echo_check (c, 64 * 1024);
  cr_assert (wsim_rpc_client_call_sync (c, WSIM_TEST_SQUARES, WSIM_XDRPROC (xdr_u_int), &n,
                                        WSIM_XDRPROC (xdr_wsim_test_ints), &sq, call_timeout (),
                                        NULL, &error),
             "SQUARES: %s", error ? error->message : "");
  cr_assert_eq (sq.wsim_test_ints_len, 300);
  for (guint i = 0; i < 300; i++)
    cr_assert_eq (sq.wsim_test_ints_val[i], (int) (i * i), "SQUARES[%u] = %d", i,
                  sq.wsim_test_ints_val[i]);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_ints), &sq);
}

/* Expects @proc on @c to fail with WSIM_RPC_ERROR @code; returns the message. */
static char *
wsim_expect_rpc_error (WsimRpcClient *c, guint32 proc, WsimRpcErrorCode code)
{
  g_autoptr(GError) error = NULL;

  cr_assert_not (wsim_rpc_client_call_sync (c, proc, WSIM_XDRPROC (xdr_void), NULL,
                                            WSIM_XDRPROC (xdr_void), NULL, call_timeout (), NULL,
                                            &error),
                 "procedure %u succeeded", proc);
  cr_assert_not_null (error);
  cr_assert (g_error_matches (error, WSIM_RPC_ERROR, code),
             "procedure %u: expected WSIM_RPC_ERROR %d, got %s %d: %s", proc, code,
             g_quark_to_string (error->domain), error->code, error->message);
  return g_strdup (error->message);
}

TestSuite (wsim_client, .init = child_setup, .fini = child_teardown, .timeout = 60);

Test (wsim_client, auth_none_procedures)
{
  g_autofree char *who = NULL;

  wsim_exercise (client);
  who = wsim_whoami (client);
  cr_assert_str_eq (who, "", "AUTH_NONE has no principal, got \"%s\"", who);
}

Test (wsim_client, auth_sys_procedures_and_principal)
{
  g_autoptr(WsimAuth) sys = wsim_auth_sys_new_default ();
  g_autofree char *who = NULL;
  g_autofree char *expect = g_strdup_printf ("%u:%u@%s", (guint) getuid (), (guint) getgid (),
                                             g_get_host_name ());

  wsim_rpc_client_set_auth (client, sys);
  wsim_exercise (client);
  who = wsim_whoami (client);
  cr_assert_str_eq (who, expect);
}

Test (wsim_client, echo_one_mib_in_fragments)
{
  /* libtirpc's default 64 KiB send buffer: the 1 MiB reply arrives as 16+ fragments. */
  g_autoptr(WsimAuth) sys = wsim_auth_sys_new_default ();

  wsim_echo_check (client, MIB);
  wsim_echo_check (client, MIB - 3);
  wsim_rpc_client_set_auth (client, sys);
  wsim_echo_check (client, MIB);
}

#define N_IN_FLIGHT 32

typedef struct {
  guint  done;
  guint  errors;
  int    sums[N_IN_FLIGHT];
  guint  order[N_IN_FLIGHT];   /* completion order: call index */
  guint32 xids[N_IN_FLIGHT];
  guint32 reply_xids[N_IN_FLIGHT];
} InFlight;

typedef struct {
  InFlight *f;
  guint     index;
} InFlightCall;

static void
on_in_flight_reply (WsimRpcClient *c, WsimRpcReply *reply, const GError *error, gpointer data)
{
  InFlightCall *call = data;
  InFlight *f = call->f;
  int sum = 0;

  if (error != NULL || !wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_int), &sum, NULL))
    f->errors++;
  else
    {
      f->sums[call->index] = sum;
      f->reply_xids[call->index] = wsim_rpc_reply_get_xid (reply);
    }
  if (f->done < N_IN_FLIGHT)
    f->order[f->done] = call->index;
  f->done++;
}

static gboolean
in_flight_done (gpointer data)
{
  return ((InFlight *) data)->done == N_IN_FLIGHT;
}

static void
run_in_flight (WsimRpcClient *c)
{
  InFlight f;
  InFlightCall calls[N_IN_FLIGHT];

  memset (&f, 0, sizeof f);
  for (guint i = 0; i < N_IN_FLIGHT; i++)
    {
      wsim_test_pair p = { (int) i, 1000 * (int) i + 7 };

      calls[i].f = &f;
      calls[i].index = i;
      f.xids[i] = wsim_rpc_client_call (c, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        call_timeout (), NULL, on_in_flight_reply, &calls[i]);
    }
  cr_assert_eq (wsim_rpc_client_get_n_pending (c), N_IN_FLIGHT,
                "all %u calls are on the wire at once", N_IN_FLIGHT);
  cr_assert (wsim_test_run_until (ctx, in_flight_done, &f, scaled_ms (10000)),
             "%u of %u calls completed", f.done, N_IN_FLIGHT);
  cr_assert_eq (f.errors, 0);
  for (guint i = 0; i < N_IN_FLIGHT; i++)
    {
      cr_assert_eq (f.sums[i], 1001 * (int) i + 7, "call %u: sum %d", i, f.sums[i]);
      cr_assert_eq (f.reply_xids[i], f.xids[i]);
      /* libtirpc's server handles one connection's records in order. */
      cr_assert_eq (f.order[i], i, "completion %u was call %u", i, f.order[i]);
    }
  cr_assert_eq (wsim_rpc_client_get_n_pending (c), 0);
}

Test (wsim_client, thirty_two_calls_in_flight)
{
  g_autoptr(WsimAuth) sys = wsim_auth_sys_new_default ();

  run_in_flight (client);
  wsim_rpc_client_set_auth (client, sys);
  run_in_flight (client);
  /* The connection is still in step afterwards. */
  cr_assert_eq (wsim_add (client, 1, 2), 3);
}

Test (wsim_client, procedures_not_served_are_proc_unavail)
{
  g_autofree char *m1 = NULL, *m2 = NULL;

  /* FORGET (and DELAY) are not served by the stock server: svcerr_noproc. */
  m1 = wsim_expect_rpc_error (client, WSIM_TEST_FORGET, WSIM_RPC_ERROR_PROC_UNAVAIL);
  m2 = wsim_expect_rpc_error (client, 99, WSIM_RPC_ERROR_PROC_UNAVAIL);
  cr_assert_eq (wsim_add (client, 20, 22), 42);
}

Test (wsim_client, unknown_version_and_program)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) v2 = wsim_rpc_client_connect (ctx, child_addr, WSIM_TEST_PROG, 2,
                                                         &error);
  g_autoptr(WsimRpcClient) p2 = NULL;
  g_autofree char *msg = NULL, *msg2 = NULL;

  cr_assert_not_null (v2, "%s", error ? error->message : "");
  msg = wsim_expect_rpc_error (v2, WSIM_TEST_NULL, WSIM_RPC_ERROR_PROG_MISMATCH);
  /* The range libtirpc answered (its only version, 1) is in the message. */
  cr_assert (strstr (msg, "1..1") != NULL, "message: %s", msg);

  p2 = wsim_rpc_client_connect (ctx, child_addr, WSIM_TEST_PROG + 1, WSIM_TEST_V1, &error);
  cr_assert_not_null (p2, "%s", error ? error->message : "");
  msg2 = wsim_expect_rpc_error (p2, WSIM_TEST_NULL, WSIM_RPC_ERROR_PROG_UNAVAIL);
}
