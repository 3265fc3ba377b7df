/* test-engine.c: our client and our server together, on one main context in this process
 * (and on threads where a test needs two contexts). Covers pipelining and XID matching,
 * per-call timeouts, cancellation, the callback rules, closing, flavors, limits. */
#include <criterion/criterion.h>
#include <gio/gunixsocketaddress.h>
#include <string.h>
#include <unistd.h>

#include "wsim-rpc-error.h"
#include "wsim-test-util.h"
#include "wsim-testprog-server.h"

static GMainContext *ctx;
static WsimRpcServer *server;
static GSocketAddress *addr;
static WsimRpcClient *client;

static void
setup_on (GSocketAddress *listen_on)
{
  g_autoptr(GError) error = NULL;

  ctx = g_main_context_new ();
  g_main_context_push_thread_default (ctx);
  server = wsim_rpc_server_new (ctx);
  wsim_rpc_server_add_program (server, &wsim_testprog_v1, NULL);
  cr_assert (wsim_rpc_server_listen (server, listen_on, &addr, &error), "%s",
             error ? error->message : "");
  client = wsim_rpc_client_connect (ctx, addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  cr_assert_not_null (client, "%s", error ? error->message : "");
}

static void
setup_tcp (void)
{
  g_autoptr(GSocketAddress) lo = wsim_test_loopback ();

  setup_on (lo);
}

static void
teardown (void)
{
  g_clear_pointer (&client, wsim_rpc_client_unref);
  if (server != NULL)
    wsim_rpc_server_shutdown (server);
  g_clear_pointer (&server, wsim_rpc_server_unref);
  g_clear_object (&addr);
  while (g_main_context_iteration (ctx, FALSE))
    ;
  g_main_context_pop_thread_default (ctx);
  g_clear_pointer (&ctx, g_main_context_unref);
}

static int
call_add (int a, int b)
{
  wsim_test_pair p = { a, b };
  int sum = 0;
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair),
                                        &p, WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error),
             "%s", error ? error->message : "");
  return sum;
}

TestSuite (engine, .init = setup_tcp, .fini = teardown, .timeout = 30);

Test (engine, procedures_answer_with_their_values)
{
  g_autoptr(GError) error = NULL;
  wsim_test_blob in = { 0 }, out = { 0 };
  wsim_test_ints sq = { 0 };
  guint n = 1000;

  cr_assert_eq (call_add (40, 2), 42);
  cr_assert_eq (call_add (-7, 7), 0);

  in.wsim_test_blob_len = 70000;
  in.wsim_test_blob_val = g_malloc (in.wsim_test_blob_len);
  for (guint i = 0; i < in.wsim_test_blob_len; i++)
    in.wsim_test_blob_val[i] = (char) (i * 7);
  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob),
                                        &in, WSIM_XDRPROC (xdr_wsim_test_blob), &out, 5000, NULL,
                                        &error));
  cr_assert_eq (out.wsim_test_blob_len, in.wsim_test_blob_len);
  cr_assert_eq (memcmp (out.wsim_test_blob_val, in.wsim_test_blob_val, in.wsim_test_blob_len), 0);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_blob), &out);
  g_free (in.wsim_test_blob_val);

  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_SQUARES, WSIM_XDRPROC (xdr_u_int), &n,
                                        WSIM_XDRPROC (xdr_wsim_test_ints), &sq, 5000, NULL, &error));
  cr_assert_eq (sq.wsim_test_ints_len, 1000);
  cr_assert_eq (sq.wsim_test_ints_val[999], 999 * 999);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_ints), &sq);
}

typedef struct {
  guint  expect;
  guint  got;
  guint  done;
  guint  wrong;
  GArray *order;
} Tally;

static void
on_delay_reply (WsimRpcClient *c, WsimRpcReply *reply, const GError *error, gpointer data)
{
  Tally *t = data;
  unsigned int ms = 0;

  t->done++;
  if (error != NULL || !wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_u_int), &ms, NULL))
    {
      t->wrong++;
      return;
    }
  g_array_append_val (t->order, ms);
}

static gboolean
tally_done (gpointer data)
{
  Tally *t = data;

  return t->done == t->expect;
}

Test (engine, replies_out_of_order_match_their_calls)
{
  Tally t = { .expect = 5, .order = g_array_new (FALSE, FALSE, sizeof (unsigned int)) };
  const unsigned int delays[] = { 250, 200, 150, 100, 50 };

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    wsim_rpc_client_call (client, WSIM_TEST_DELAY, WSIM_XDRPROC (xdr_u_int), &delays[i], 5000,
                          NULL, on_delay_reply, &t);
  cr_assert_eq (wsim_rpc_client_get_n_pending (client), 5);
  cr_assert (wsim_test_run_until (ctx, tally_done, &t, 5000));
  cr_assert_eq (t.wrong, 0);
  /* The server answers by timer, so the shortest delay comes back first; each reply
   * carries its own call's delay, which proves the XID matching. */
  for (guint i = 0; i < 5; i++)
    cr_assert_eq (g_array_index (t.order, unsigned int, i), delays[4 - i]);
  g_array_unref (t.order);
}

typedef struct {
  guint done;
  guint bad;
} Adds;

static void
on_add_reply (WsimRpcClient *c, WsimRpcReply *reply, const GError *error, gpointer data)
{
  Adds *a = data;
  int sum = -1;

  a->done++;
  /* Each call asked for i + 1000 * i; decoding yields the sum for this XID's call. */
  if (error != NULL || !wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_int), &sum, NULL)
      || sum % 1001 != 0)
    a->bad++;
}

static gboolean
adds_done (gpointer data)
{
  return ((Adds *) data)->done == 512;
}

Test (engine, many_calls_in_flight_on_one_connection)
{
  Adds a = { 0 };

  for (int i = 0; i < 512; i++)
    {
      wsim_test_pair p = { i, 1000 * i };

      wsim_rpc_client_call (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p, 5000,
                            NULL, on_add_reply, &a);
    }
  cr_assert_eq (wsim_rpc_client_get_n_pending (client), 512);
  cr_assert (wsim_test_run_until (ctx, adds_done, &a, 10000));
  cr_assert_eq (a.bad, 0);
  cr_assert_eq (wsim_rpc_client_get_n_pending (client), 0);
}

typedef struct {
  guint   calls;
  GError *error;
  gboolean in_call;
  gboolean called_inside;
} One;

static void
on_one (WsimRpcClient *c, WsimRpcReply *reply, const GError *error, gpointer data)
{
  One *o = data;

  o->calls++;
  if (o->in_call)
    o->called_inside = TRUE;
  g_clear_error (&o->error);
  if (error != NULL)
    o->error = g_error_copy (error);
}

static gboolean
one_done (gpointer data)
{
  return ((One *) data)->calls > 0;
}

static void
one_call (One *o, guint32 proc, unsigned int arg, gint timeout_ms, GCancellable *cancellable)
{
  o->in_call = TRUE;
  wsim_rpc_client_call (client, proc, WSIM_XDRPROC (xdr_u_int), &arg, timeout_ms, cancellable,
                        on_one, o);
  o->in_call = FALSE;
}

Test (engine, timeout_fails_the_call_and_the_late_reply_is_dropped)
{
  One o = { 0 };

  one_call (&o, WSIM_TEST_DELAY, 400, 50, NULL);
  cr_assert (wsim_test_run_until (ctx, one_done, &o, 5000));
  cr_assert (g_error_matches (o.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT), "%s",
             o.error ? o.error->message : "no error");
  /* The reply arrives later and must not reach anyone; the connection still works. */
  {
    One late = { 0 };

    one_call (&late, WSIM_TEST_DELAY, 500, 5000, NULL);
    cr_assert (wsim_test_run_until (ctx, one_done, &late, 5000));
    cr_assert_null (late.error);
  }
  cr_assert_eq (o.calls, 1, "a timed-out call completes once");
  cr_assert_eq (call_add (1, 2), 3);
  g_clear_error (&o.error);
}

Test (engine, cancellable_cancels_once_and_never_inside_the_call)
{
  g_autoptr(GCancellable) c1 = g_cancellable_new ();
  g_autoptr(GCancellable) c2 = g_cancellable_new ();
  One o = { 0 }, pre = { 0 };

  one_call (&o, WSIM_TEST_DELAY, 300, 5000, c1);
  g_cancellable_cancel (c1);
  cr_assert_eq (o.calls, 0, "cancellation is delivered from the loop");
  cr_assert (wsim_test_run_until (ctx, one_done, &o, 5000));
  cr_assert (g_error_matches (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

  g_cancellable_cancel (c2);
  one_call (&pre, WSIM_TEST_DELAY, 10, 5000, c2);
  cr_assert_not (pre.called_inside);
  cr_assert (wsim_test_run_until (ctx, one_done, &pre, 5000));
  cr_assert (g_error_matches (pre.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

  /* Let the cancelled call's reply arrive: still exactly one completion. */
  {
    One after = { 0 };

    one_call (&after, WSIM_TEST_DELAY, 350, 5000, NULL);
    cr_assert (wsim_test_run_until (ctx, one_done, &after, 5000));
  }
  cr_assert_eq (o.calls, 1);
  cr_assert_eq (pre.calls, 1);
  g_clear_error (&o.error);
  g_clear_error (&pre.error);
}

static gpointer
cancel_thread (gpointer data)
{
  g_cancellable_cancel (data);
  return NULL;
}

Test (engine, cancellation_from_another_thread)
{
  g_autoptr(GCancellable) c = g_cancellable_new ();
  One o = { 0 };

  one_call (&o, WSIM_TEST_DELAY, 3000, 10000, c);
  g_thread_join (g_thread_new ("canceller", cancel_thread, c));
  cr_assert (wsim_test_run_until (ctx, one_done, &o, 5000));
  cr_assert (g_error_matches (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&o.error);
}

Test (engine, close_fails_pending_calls_once_and_later_calls_from_the_loop)
{
  One a = { 0 }, b = { 0 }, later = { 0 };

  one_call (&a, WSIM_TEST_DELAY, 1000, 5000, NULL);
  one_call (&b, WSIM_TEST_DELAY, 1000, 5000, NULL);
  wsim_rpc_client_close (client);
  cr_assert_eq (a.calls, 1);
  cr_assert_eq (b.calls, 1);
  cr_assert (g_error_matches (a.error, G_IO_ERROR, G_IO_ERROR_CLOSED));
  cr_assert_not (wsim_rpc_client_is_connected (client));

  one_call (&later, WSIM_TEST_DELAY, 1, 5000, NULL);
  cr_assert_not (later.called_inside);
  cr_assert (wsim_test_run_until (ctx, one_done, &later, 5000));
  cr_assert (g_error_matches (later.error, G_IO_ERROR, G_IO_ERROR_CLOSED));
  g_clear_error (&a.error);
  g_clear_error (&b.error);
  g_clear_error (&later.error);
}

Test (engine, last_unref_completes_pending_calls)
{
  One a = { 0 };

  one_call (&a, WSIM_TEST_DELAY, 1000, 5000, NULL);
  g_clear_pointer (&client, wsim_rpc_client_unref);
  cr_assert_eq (a.calls, 1);
  cr_assert (g_error_matches (a.error, G_IO_ERROR, G_IO_ERROR_CLOSED));
  g_clear_error (&a.error);
}

static gboolean
server_has_a_call (gpointer data)
{
  WsimRpcServerStats st;

  wsim_rpc_server_get_stats (data, &st);
  return st.n_calls > 0;
}

Test (engine, server_shutdown_fails_calls_with_a_transport_error)
{
  One a = { 0 };

  one_call (&a, WSIM_TEST_DELAY, 3000, 10000, NULL);
  /* Let the server receive the call before it goes away. */
  cr_assert (wsim_test_run_until (ctx, server_has_a_call, server, 5000));
  wsim_rpc_server_shutdown (server);
  cr_assert (wsim_test_run_until (ctx, one_done, &a, 5000));
  cr_assert_not_null (a.error);
  cr_assert_eq (a.error->domain, G_IO_ERROR, "%s", a.error->message);
  cr_assert_neq (a.error->code, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&a.error);
}

Test (engine, forgotten_request_is_answered_system_err)
{
  One o = { 0 };

  one_call (&o, WSIM_TEST_FORGET, 0, 5000, NULL);
  cr_assert (wsim_test_run_until (ctx, one_done, &o, 5000));
  cr_assert (g_error_matches (o.error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_SYSTEM_ERR), "%s",
             o.error ? o.error->message : "no error");
  g_clear_error (&o.error);
}

static char *
whoami (void)
{
  g_autoptr(GError) error = NULL;
  wsim_test_name name = NULL;
  char *ret;

  if (!wsim_rpc_client_call_sync (client, WSIM_TEST_WHOAMI, WSIM_XDRPROC (xdr_void), NULL,
                                  WSIM_XDRPROC (xdr_wsim_test_name), &name, 5000, NULL, &error))
    return g_strdup_printf ("error: %s", error->message);
  ret = g_strdup (name);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_name), &name);
  return ret;
}

Test (engine, flavors_identify_the_caller)
{
  const guint32 gids[] = { 5, 6 };
  g_autoptr(WsimAuth) sys = wsim_auth_sys_new ("box", 1000, 100, 2, gids);
  g_autofree char *none = whoami ();
  g_autofree char *as_sys = NULL;
  g_autofree char *refused = NULL;

  cr_assert_str_eq (none, "");
  wsim_rpc_client_set_auth (client, sys);
  as_sys = whoami ();
  cr_assert_str_eq (as_sys, "1000:100@box");

  wsim_rpc_server_set_auth (server, AUTH_SYS, NULL);
  refused = whoami ();
  cr_assert (g_str_has_prefix (refused, "error: RPC call failed: authentication error 2"), "%s",
             refused);
}

Test (engine, reply_over_the_clients_limit_closes_the_connection)
{
  One o = { 0 };

  wsim_rpc_client_set_max_record (client, 1024);
  one_call (&o, WSIM_TEST_SQUARES, 1000, 5000, NULL);   /* ~4 KiB of results */
  cr_assert (wsim_test_run_until (ctx, one_done, &o, 5000));
  cr_assert (g_error_matches (o.error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RECORD_TOO_LARGE), "%s",
             o.error ? o.error->message : "no error");
  cr_assert_not (wsim_rpc_client_is_connected (client));
  g_clear_error (&o.error);
}

Test (engine, unix_domain_socket, .init = NULL)
{
  g_autofree char *dir = g_dir_make_tmp ("wsim-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "rpc.sock", NULL);
  g_autoptr(GSocketAddress) ua = g_unix_socket_address_new (path);

  setup_on (ua);
  cr_assert_eq (call_add (20, 22), 42);
  wsim_rpc_server_shutdown (server);
  cr_assert_not (g_file_test (path, G_FILE_TEST_EXISTS), "the socket file is removed at shutdown");
  rmdir (dir);
}

/* Two servers and two clients in one process, each server on its own thread and context:
 * no state is shared (libtirpc keeps its server state process-global). */
static void
limit_small (WsimRpcServer *s, gpointer data)
{
  WsimRpcServerLimits l;

  wsim_rpc_server_get_limits (s, &l);
  l.max_record = GPOINTER_TO_UINT (data);
  wsim_rpc_server_set_limits (s, &l);
}

static void
read_stats (WsimRpcServer *s, gpointer data)
{
  wsim_rpc_server_get_stats (s, data);
}

Test (engine, two_servers_two_clients_independent, .init = NULL)
{
  WsimTestServerThread *t1 = wsim_test_server_thread_start (limit_small, GUINT_TO_POINTER (4096));
  WsimTestServerThread *t2 = wsim_test_server_thread_start (limit_small, GUINT_TO_POINTER (1 << 20));
  g_autoptr(GMainContext) c = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  WsimRpcServerStats s1, s2;
  wsim_test_blob in = { .wsim_test_blob_len = 8000 }, out = { 0 };
  g_autoptr(WsimRpcClient) k1 = NULL, k2 = NULL;

  g_main_context_push_thread_default (c);
  k1 = wsim_rpc_client_connect (c, wsim_test_server_thread_address (t1), WSIM_TEST_PROG,
                                WSIM_TEST_V1, &error);
  k2 = wsim_rpc_client_connect (c, wsim_test_server_thread_address (t2), WSIM_TEST_PROG,
                                WSIM_TEST_V1, &error);
  cr_assert (k1 && k2);
  in.wsim_test_blob_val = g_malloc0 (in.wsim_test_blob_len);

  /* 8000 bytes pass server 2's limit and break server 1's. */
  cr_assert (wsim_rpc_client_call_sync (k2, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob),
                                        &in, WSIM_XDRPROC (xdr_wsim_test_blob), &out, 5000, NULL,
                                        &error));
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_blob), &out);
  cr_assert_not (wsim_rpc_client_call_sync (k1, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob),
                                            &in, WSIM_XDRPROC (xdr_wsim_test_blob), &out, 5000,
                                            NULL, &error));
  cr_assert_eq (error->domain, G_IO_ERROR, "%s", error->message);
  g_free (in.wsim_test_blob_val);

  wsim_test_server_thread_call (t1, read_stats, &s1);
  wsim_test_server_thread_call (t2, read_stats, &s2);
  cr_assert_eq (s1.n_closed_oversize, 1);
  cr_assert_eq (s2.n_closed_oversize, 0);
  cr_assert_eq (s2.n_calls, 1);
  cr_assert_eq (s1.n_calls, 0);

  g_clear_pointer (&k1, wsim_rpc_client_unref);
  g_clear_pointer (&k2, wsim_rpc_client_unref);
  g_main_context_pop_thread_default (c);
  wsim_test_server_thread_stop (t1);
  wsim_test_server_thread_stop (t2);
}

Test (engine, background_connect_queues_calls_until_connected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) bg = wsim_rpc_client_new_for_address (ctx, addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) nobody = g_inet_socket_address_new (lo, 1);
  g_autoptr(WsimRpcClient) refused = wsim_rpc_client_new_for_address (ctx, nobody, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  One a = { 0 }, b = { 0 };
  wsim_test_pair p = { 2, 3 };
  int sum = 0;

  cr_assert_not_null (bg);
  cr_assert_not_null (refused);
  /* Sent before the connection exists: it waits, then goes. */
  cr_assert (wsim_rpc_client_call_sync (bg, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error),
             "%s", error ? error->message : "");
  cr_assert_eq (sum, 5);


  {
    WsimRpcClient *saved = client;

    client = refused;
    one_call (&a, WSIM_TEST_DELAY, 1, 5000, NULL);
    one_call (&b, WSIM_TEST_DELAY, 1, 5000, NULL);
    client = saved;
  }
  cr_assert_not (a.called_inside);
  cr_assert (wsim_test_run_until (ctx, one_done, &a, 5000));
  cr_assert (wsim_test_run_until (ctx, one_done, &b, 5000));
  cr_assert_eq (a.error->domain, G_IO_ERROR, "%s", a.error->message);
  cr_assert (strstr (a.error->message, "connect failed") != NULL, "%s", a.error->message);
  cr_assert_eq (b.calls, 1);
  g_clear_error (&a.error);
  g_clear_error (&b.error);
}
