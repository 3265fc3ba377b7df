/* test-callback-cache.c: the server's callback connections are bounded by live work (issue
 * 16, point 5): after many short-lived clients, and after clients killed mid-enumeration,
 * the table holds the connections of live calls plus at most WSIM_SERVER_CALLBACK_IDLE_MAX
 * idle ones, and no call is left open; and what else the server keeps comes back to its
 * bounds: no client in the quota's table, no security context of a client gone, a trace
 * within its ring (counts the runtime exposes, not RSS).
 *
 * The server is the harness's (on its own thread, read there through wsim_harness_invoke());
 * the killed clients are real wmisim processes, killed by pid with SIGKILL mid-enumeration.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "wsim-client.h"
#include "wsim-harness.h"
#include "wsim-repository.h"
#include "wsim-server-private.h"
#include "wsim-test-harness.h"
#include "wsim-test-util.h"
#include "wsim-wbem.h"

#define WAIT 20000   /* ms */

static WsimHarness *h;

static void
stop (void)
{
  g_clear_pointer (&h, wsim_harness_free);
}

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (params, "sim-sequence", data);
  return wsim_repository_load_dir (wsim_server_get_repository (server), "root\\cimv2",
                                   WSIM_TEST_PROVIDER_DIR, params, error);
}

static void
count_cb (WsimServer *server, gpointer data)
{
  *(guint *) data = wsim_server_get_n_callback_conns (server);
}

static guint
n_callback_conns (void)
{
  guint n = 0;

  wsim_harness_invoke (h, count_cb, &n);
  return n;
}

static gboolean
no_callback_conns (gpointer data)
{
  return n_callback_conns () == 0;
}

static gboolean
at_most_the_idle_bound (gpointer data)
{
  return n_callback_conns () <= WSIM_SERVER_CALLBACK_IDLE_MAX;
}

static void
quota_clients_cb (WsimServer *server, gpointer data)
{
  *(guint *) data = wsim_server_get_n_quota_clients (server);
}

/* What the server holds once its clients are gone: nothing but what is bounded by design
 * (docs/rpc-engine.md, "Input limits"): no call, no client in the quota's table, no
 * security context, at most the idle callback connections, and a trace within its ring. */
static void
assert_server_holds_only_its_bounds (void)
{
  WsimTraceStats st;
  guint n_quota = G_MAXUINT;

  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, WAIT), "calls left open");
  cr_assert (wsim_harness_run_until (h, at_most_the_idle_bound, NULL, WAIT),
             "%u callback connections", n_callback_conns ());
  wsim_harness_invoke (h, quota_clients_cb, &n_quota);
  cr_assert_eq (n_quota, 0, "%u clients in the quota's table", n_quota);
  wsim_trace_get_stats (wsim_harness_get_trace (h), &st);
  cr_assert_leq (st.n_bytes, st.max_bytes);
  cr_assert_eq (st.max_bytes, WSIM_TRACE_MAX_BYTES);
}

TestSuite (cache, .fini = stop, .timeout = 120);

/* A new client (its own sink host, a new port) makes one enumeration of @n_objects and sees
 * it end. Returns: (transfer full) the client, still connected. */
static WsimClient *
client_finishes_a_call (guint i, guint64 n_objects)
{
  g_autoptr(GError) error = NULL;
  WsimClient *c = wsim_client_connect (wsim_harness_get_context (h), wsim_harness_get_address (h),
                                       &error);
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec;

  cr_assert_not_null (c, "client %u: %s", i, error ? error->message : "");
  s = wsim_client_open_namespace (c, "root\\cimv2", &error);
  cr_assert_not_null (s, "%s", error ? error->message : "");
  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  wsim_test_wait_final (h, rec, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->n_objects, n_objects);
  return c;
}

/* Each client has a sink host of its own (a new port). A client that goes closes its
 * connections and the server drops its entry; one that stays (these do, until the end)
 * kept its entry for good, however long ago its last call ended: now only the bounded idle
 * set is kept. */
Test (cache, finished_calls_of_live_clients_leave_a_bounded_table)
{
  const guint n_clients = 2 * WSIM_SERVER_CALLBACK_IDLE_MAX + 4;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_client_unref);

  h = wsim_test_harness_start (setup, (gpointer) "count=3");
  for (guint i = 0; i < n_clients; i++)
    {
      g_ptr_array_add (clients, client_finishes_a_call (i, 3));
      /* The live call's connection plus the idle ones, never more. */
      cr_assert_leq (n_callback_conns (), WSIM_SERVER_CALLBACK_IDLE_MAX + 1, "client %u", i);
    }
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, WAIT));
  /* The last call's connection is idle too now: the sweep after the call ended sees it. */
  cr_assert (wsim_harness_run_until (h, at_most_the_idle_bound, NULL, WAIT),
             "%u callback connections", n_callback_conns ());
  /* The clients go: their entries with them. */
  g_ptr_array_set_size (clients, 0);
  cr_assert (wsim_harness_run_until (h, no_callback_conns, NULL, WAIT));
}

static void
security_contexts_cb (WsimServer *server, gpointer data)
{
  *(guint *) data = wsim_server_get_n_security_contexts (server);
}

static guint
n_security_contexts (void)
{
  guint n = G_MAXUINT;

  wsim_harness_invoke (h, security_contexts_cb, &n);
  return n;
}

static gboolean
security_contexts_at_most (gpointer data)
{
  return n_security_contexts () <= *(guint *) data;
}

/* Clients that come, make a call, see it end and go, one after another: once they are gone
 * the server holds only its bounds, and each finished call left no more than its few trace
 * events (start, callback, indicate, final: under 1 KiB). */
Test (cache, a_thousand_finished_clients_leave_only_the_bounds, .timeout = 600)
{
  /* Under valgrind a client takes about a second: 100 of them check the same bounds. */
  const guint n_clients = g_getenv ("WSIM_UNDER_VALGRIND") != NULL ? 100 : 1000;
  WsimTraceStats st;
  guint n_contexts;

  h = wsim_test_harness_start (setup, (gpointer) "count=1");
  n_contexts = n_security_contexts ();   /* the harness's own client's */
  for (guint i = 0; i < n_clients; i++)
    wsim_client_unref (client_finishes_a_call (i, 1));
  assert_server_holds_only_its_bounds ();
  cr_assert (wsim_harness_run_until (h, security_contexts_at_most, &n_contexts, WAIT),
             "%u security contexts, %u before the clients", n_security_contexts (), n_contexts);
  cr_assert (wsim_harness_run_until (h, no_callback_conns, NULL, WAIT),
             "the clients' entries went with them");
  wsim_trace_get_stats (wsim_harness_get_trace (h), &st);
  cr_assert_geq (st.n_events + st.n_dropped, 4 * n_clients);
  cr_assert_leq (st.n_bytes, (gsize) n_clients * 1024, "%zu bytes of trace", st.n_bytes);
}

/* wmisim processes enumerating a call that does not end by itself, each killed (SIGKILL, by
 * pid) once it printed its first instance: every call ends, every entry of theirs goes. */
Test (cache, clients_killed_mid_enumeration_leave_nothing_open)
{
  const guint n_killed = 20;

  h = wsim_test_harness_start (setup, (gpointer) "count=100000000;batch=50");
  for (guint i = 0; i < n_killed; i++)
    {
      char *argv[] = { (char *) WSIM_WMISIM, (char *) "-s", (char *) wsim_harness_get_address (h),
                       (char *) "-a", (char *) "none", (char *) "-f", (char *) "csv",
                       (char *) "enum", (char *) "Sim_Sequence", NULL };
      g_autoptr(GError) error = NULL;
      WsimTestChild child = { 0 };

      /* Its first line is the first row: the enumeration is under way. */
      cr_assert (wsim_test_child_spawn (&child, argv, WAIT, &error), "wmisim: %s",
                 error ? error->message : "");
      cr_assert_eq (wsim_harness_get_n_server_calls (h), 1, "client %u's call is open", i);
      cr_assert_eq (kill (child.pid, SIGKILL), 0);
      wsim_test_child_stop (&child);
      cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, WAIT),
                 "client %u's call stayed open", i);
    }
  cr_assert_eq (wsim_harness_get_n_server_calls (h), 0);
  assert_server_holds_only_its_bounds ();
}
