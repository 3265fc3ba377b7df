/* test-semisync.c: semisynchronous enumerators (IEnumWbemClassObject) and synchronous calls.
 *
 * A harness (server thread, client, sink host) with the sample providers: Sim_Sequence of
 * 25 instances in root\cimv2 and of 1,000,000 in root\big, Sim_Faulty failing (root\faulty)
 * and never finishing (root\slow), Sim_Methods. The server batches 100 rows per Indicate,
 * so the results here take several batches. Each rule of docs/semisync.md has a test:
 * Next's statuses, Skip, NextAsync, Reset and Clone (and their refusals when forward-only),
 * bad input, a call's failure with its error object, the bound on what a slow reader
 * buffers while the provider is held (BUSY), Next from another thread, and synchronous
 * GetObject and ExecMethod with their failures and timeout. */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-enumerator.h"
#include "wsim-harness.h"
#include "wsim-sync.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define LONG_WAIT 20000   /* ms: generous, valgrind runs these too */
#define BATCH_ROWS 100
#define SEMI (WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_FORWARD_ONLY)

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *faulty = g_build_filename (WSIM_TEST_PROVIDER_DIR, "wsim-provider-sim-faulty.so", NULL);
  g_autofree char *seq = g_build_filename (WSIM_TEST_PROVIDER_DIR, "wsim-provider-sim-sequence.so", NULL);
  WsimServerLimits limits;

  wsim_server_get_limits (server, &limits);
  limits.batch_rows = BATCH_ROWS;
  if (data != NULL)
    limits.callback_timeout_ms = GPOINTER_TO_UINT (data);
  wsim_server_set_limits (server, &limits);
  g_hash_table_insert (params, "sim-sequence", "count=25;props=2;size=4");
  return wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, error)
         && wsim_repository_load_module (repo, "root\\big", seq, "count=1000000;props=2;size=4", error)
         && wsim_repository_load_module (repo, "root\\faulty", faulty, "mode=error", error)
         && wsim_repository_load_module (repo, "root\\slow", faulty, "mode=slow", error);
}

static WsimHarness *h;

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  h = wsim_harness_new (setup, NULL, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
}

static gboolean
server_idle (gpointer data)
{
  return wsim_harness_get_n_server_calls (data) == 0;
}

static void
stop (void)
{
  if (h != NULL)
    {
      WsimSinkHost *host = wsim_client_get_sink_host (wsim_harness_get_client (h));

      cr_assert (wsim_harness_run_until (h, server_idle, h, LONG_WAIT), "server calls left");
      cr_assert_eq (wsim_sink_host_get_n_calls (host), 0, "sink host calls left");
      wsim_harness_free (h);
    }
  h = NULL;
}

TestSuite (semisync, .init = start, .fini = stop, .timeout = 60);

static WsimServices *
open_ns (const char *ns)
{
  g_autoptr(GError) error = NULL;
  WsimServices *s = wsim_client_open_namespace (wsim_harness_get_client (h), ns, &error);

  cr_assert_not_null (s, "%s: %s", ns, error ? error->message : "");
  return s;
}

static WsimEnumerator *
enum_ok (WsimServices *s, const char *cls, gint32 flags)
{
  g_autoptr(GError) error = NULL;
  WsimEnumerator *e = NULL;

  cr_assert_eq (wsim_services_create_instance_enum (s, cls, flags, &e, &error), WBEM_S_NO_ERROR,
                "%s", error ? error->message : "");
  cr_assert_not_null (e);
  return e;
}

static guint64
id_of (WsimObject *obj)
{
  const wsim_value *v = wsim_object_lookup (obj, "Id");

  cr_assert_not_null (v);
  return v->wsim_value_u.v_uint64;
}

/* Next, asserting its status and how many came; returns the objects. */
static GPtrArray *
next_expect (WsimEnumerator *e, gint32 timeout, guint32 count, WsimHResult want, guint want_n)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *objs = NULL;
  WsimHResult hr = wsim_enumerator_next (e, timeout, count, &objs, &error);

  cr_assert_eq (hr, want, "Next: 0x%08X, not 0x%08X (%s)", hr, want, error ? error->message : "");
  cr_assert_not_null (objs);
  cr_assert_eq (objs->len, want_n, "Next returned %u objects, not %u", objs->len, want_n);
  return objs;
}

static void
assert_ids (GPtrArray *objs, guint64 first)
{
  for (guint i = 0; i < objs->len; i++)
    cr_assert_eq (id_of (objs->pdata[i]), first + i, "object %u", i);
}

/* ---- Next ----------------------------------------------------------------------------- */

Test (semisync, next_returns_count_then_s_false_at_the_end)
{
  g_autoptr(WsimEnumerator) e = enum_ok (wsim_harness_get_services (h), "Sim_Sequence", SEMI);
  g_autoptr(GPtrArray) a = next_expect (e, WBEM_INFINITE, 10, WBEM_S_NO_ERROR, 10);
  g_autoptr(GPtrArray) b = next_expect (e, WBEM_INFINITE, 10, WBEM_S_NO_ERROR, 10);
  g_autoptr(GPtrArray) c = next_expect (e, WBEM_INFINITE, 10, WBEM_S_FALSE, 5);
  g_autoptr(GPtrArray) d = next_expect (e, WBEM_INFINITE, 10, WBEM_S_FALSE, 0);

  assert_ids (a, 0);
  assert_ids (b, 10);
  assert_ids (c, 20);
  cr_assert (wsim_enumerator_is_complete (e));
  /* Forward-only: what was read is gone. */
  cr_assert_eq (wsim_enumerator_get_n_buffered (e), 0);
}

Test (semisync, without_return_immediately_the_call_returns_complete)
{
  g_autoptr(WsimEnumerator) e = enum_ok (wsim_harness_get_services (h), "Sim_Sequence", 0);
  g_autoptr(GPtrArray) all = NULL;

  cr_assert (wsim_enumerator_is_complete (e), "a synchronous call returns with its result");
  cr_assert_eq (wsim_enumerator_get_n_buffered (e), 25);
  all = next_expect (e, WBEM_NO_WAIT, 100, WBEM_S_FALSE, 25);
  assert_ids (all, 0);
}

Test (semisync, exec_query_semisync)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimEnumerator) e = NULL;
  g_autoptr(GPtrArray) objs = NULL;

  cr_assert_eq (wsim_services_exec_query (wsim_harness_get_services (h), "WQL",
                                          "SELECT Id FROM Sim_Sequence WHERE Id >= 20", SEMI, &e,
                                          &error), WBEM_S_NO_ERROR);
  objs = next_expect (e, WBEM_INFINITE, 100, WBEM_S_FALSE, 5);
  assert_ids (objs, 20);
}

Test (semisync, next_times_out_while_the_result_is_unfinished)
{
  g_autoptr(WsimServices) s = open_ns ("root\\slow");
  g_autoptr(WsimEnumerator) e = enum_ok (s, "Sim_Faulty", SEMI);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) some = NULL;
  g_autoptr(GError) error = NULL;

  /* WBEM_NO_WAIT returns what is there; the slow provider never ends. */
  cr_assert_eq (wsim_enumerator_next (e, WBEM_NO_WAIT, 1000, &none, &error), WBEM_S_TIMEDOUT);
  cr_assert_leq (none->len, 1000);
  /* 1,000 objects take it 10 s: 30 ms is too short for them. */
  cr_assert_eq (wsim_enumerator_next (e, 30, 1000, &some, &error), WBEM_S_TIMEDOUT);
  cr_assert_lt (some->len, 1000);
  cr_assert_eq (wsim_enumerator_skip (e, 30, 1000, NULL), WBEM_S_TIMEDOUT);
  cr_assert_not (wsim_enumerator_is_complete (e));
  /* Closing cancels the call: stop() checks the server let it go. */
  wsim_enumerator_close (e);
}

/* ---- Skip ----------------------------------------------------------------------------- */

Test (semisync, skip_moves_ahead_and_says_s_false_at_the_end)
{
  g_autoptr(WsimEnumerator) e = enum_ok (wsim_harness_get_services (h), "Sim_Sequence", SEMI);
  g_autoptr(GPtrArray) rest = NULL;

  cr_assert_eq (wsim_enumerator_skip (e, WBEM_INFINITE, 20, NULL), WBEM_S_NO_ERROR);
  rest = next_expect (e, WBEM_INFINITE, 3, WBEM_S_NO_ERROR, 3);
  assert_ids (rest, 20);
  cr_assert_eq (wsim_enumerator_skip (e, WBEM_INFINITE, 100, NULL), WBEM_S_FALSE);
  cr_assert_eq (wsim_enumerator_skip (e, WBEM_INFINITE, 1, NULL), WBEM_S_FALSE);
}

/* ---- Reset and Clone -------------------------------------------------------------------- */

Test (semisync, reset_and_clone_of_a_bidirectional_enumerator)
{
  g_autoptr(WsimEnumerator) e = enum_ok (wsim_harness_get_services (h), "Sim_Sequence",
                                         WBEM_FLAG_RETURN_IMMEDIATELY);
  g_autoptr(WsimEnumerator) c = NULL;
  g_autoptr(GPtrArray) a = next_expect (e, WBEM_INFINITE, 10, WBEM_S_NO_ERROR, 10);
  g_autoptr(GPtrArray) from_clone = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) rest = NULL;

  cr_assert_eq (wsim_enumerator_clone (e, &c), WBEM_S_NO_ERROR);
  cr_assert_not_null (c);
  from_clone = next_expect (c, WBEM_INFINITE, 5, WBEM_S_NO_ERROR, 5);
  assert_ids (from_clone, 10);   /* the clone starts where its source was */
  cr_assert_eq (wsim_enumerator_reset (e), WBEM_S_NO_ERROR);
  again = next_expect (e, WBEM_INFINITE, 3, WBEM_S_NO_ERROR, 3);
  assert_ids (again, 0);
  /* The clone kept its own position. */
  rest = next_expect (c, WBEM_INFINITE, 100, WBEM_S_FALSE, 10);
  assert_ids (rest, 15);
}

Test (semisync, forward_only_refuses_reset_and_clone)
{
  g_autoptr(WsimEnumerator) e = enum_ok (wsim_harness_get_services (h), "Sim_Sequence", SEMI);
  WsimEnumerator *c = (WsimEnumerator *) 0x1;

  cr_assert_eq (wsim_enumerator_reset (e), WBEM_E_INVALID_OPERATION);
  cr_assert_eq (wsim_enumerator_clone (e, &c), WBEM_E_INVALID_OPERATION);
  cr_assert_null (c);
  /* Still usable. */
  g_ptr_array_unref (next_expect (e, WBEM_INFINITE, 100, WBEM_S_FALSE, 25));
}

/* ---- NextAsync ------------------------------------------------------------------------ */

Test (semisync, next_async_delivers_to_a_sink_in_order)
{
  g_autoptr(WsimEnumerator) e = enum_ok (wsim_harness_get_services (h), "Sim_Sequence", SEMI);
  WsimSinkRecorder *r1, *r2, *r3;
  g_autoptr(WsimSink) s1 = wsim_sink_recorder_new (&r1);
  g_autoptr(WsimSink) s2 = wsim_sink_recorder_new (&r2);
  g_autoptr(WsimSink) s3 = wsim_sink_recorder_new (&r3);
  g_autoptr(GPtrArray) objs = NULL;
  g_autoptr(GError) error = NULL;

  cr_assert_eq (wsim_enumerator_next_async (e, 10, s1), WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_enumerator_next_async (e, 100, s2), WBEM_S_NO_ERROR);
  cr_assert_eq (r1->n_final, 0, "nothing is delivered before NextAsync returns");
  /* Next waits its turn: a NextAsync is pending. */
  cr_assert_eq (wsim_enumerator_next (e, WBEM_NO_WAIT, 1, &objs, &error), WBEM_E_INVALID_OPERATION);
  cr_assert_null (objs);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, r2, LONG_WAIT));
  cr_assert_eq (r1->n_final, 1);
  cr_assert_eq (r1->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (r1->objects->len, 10);
  assert_ids (r1->objects, 0);
  cr_assert_eq (r2->n_final, 1);
  cr_assert_eq (r2->final_hr, WBEM_S_FALSE, "the result ended before 100");
  cr_assert_eq (r2->objects->len, 15);
  assert_ids (r2->objects, 10);
  /* Nothing remains: S_FALSE, and the sink is never called. */
  cr_assert_eq (wsim_enumerator_next_async (e, 1, s3), WBEM_S_FALSE);
  cr_assert_eq (r3->n_final + r3->n_indicate, 0);
}

Test (semisync, closing_answers_pending_next_async_with_cancelled)
{
  g_autoptr(WsimServices) s = open_ns ("root\\slow");
  g_autoptr(WsimEnumerator) e = enum_ok (s, "Sim_Faulty", SEMI);
  WsimSinkRecorder *r;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&r);

  cr_assert_eq (wsim_enumerator_next_async (e, 1000000, sink), WBEM_S_NO_ERROR);
  wsim_enumerator_close (e);
  cr_assert_eq (r->n_final, 1);
  cr_assert_eq (r->final_hr, WBEM_E_CALL_CANCELLED);
}

/* A NextAsync sink that closes its enumerator from its first Indicate. */
typedef struct {
  WsimEnumerator *e;
  guint           n_indicate;
  guint           n_final;
  WsimHResult     hr;
} Closer;

static void
closer_indicate (WsimSink *sink, WsimObject *const *objects, guint n, gpointer data)
{
  Closer *c = data;

  c->n_indicate++;
  wsim_enumerator_close (c->e);
}

static void
closer_set_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
                   WsimObject *obj_param, gpointer data)
{
  Closer *c = data;

  c->n_final++;
  c->hr = hr;
}

static const WsimSinkOps closer_ops = { closer_indicate, closer_set_status };

static gboolean
closer_done (gpointer data)
{
  return ((Closer *) data)->n_final > 0;
}

Test (semisync, a_next_async_sink_may_close_its_enumerator)
{
  g_autoptr(WsimServices) s = open_ns ("root\\slow");
  g_autoptr(WsimEnumerator) e = enum_ok (s, "Sim_Faulty", SEMI);
  Closer c = { .e = e };
  g_autoptr(WsimSink) sink = wsim_sink_new (&closer_ops, &c, NULL);

  cr_assert_eq (wsim_enumerator_next_async (e, 1000, sink), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, closer_done, &c, LONG_WAIT));
  cr_assert_eq (c.n_indicate, 1);
  cr_assert_eq (c.n_final, 1);
  cr_assert_eq (c.hr, WBEM_E_CALL_CANCELLED);
}

/* ---- bad input ---------------------------------------------------------------------------- */

Test (semisync, bad_input_has_clear_statuses)
{
  WsimServices *s = wsim_harness_get_services (h);
  g_autoptr(WsimEnumerator) e = enum_ok (s, "Sim_Sequence", SEMI);
  WsimSinkRecorder *r;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&r);
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
  GPtrArray *objs = NULL;
  WsimEnumerator *none = (WsimEnumerator *) 0x1;

  cr_assert_eq (wsim_enumerator_next (e, WBEM_INFINITE, 0, &objs, &e1), WBEM_E_INVALID_PARAMETER);
  cr_assert (g_error_matches (e1, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PARAMETER));
  cr_assert_null (objs);
  cr_assert_eq (wsim_enumerator_skip (e, WBEM_INFINITE, 0, NULL), WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (wsim_enumerator_next_async (e, 0, sink), WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (wsim_enumerator_next_async (e, 1, NULL), WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (wsim_enumerator_next (e, -2, 1, &objs, NULL), WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (wsim_enumerator_skip (e, -2, 1, NULL), WBEM_E_INVALID_PARAMETER);

  /* A huge count costs only the objects that exist (ASan and valgrind would see 32 GiB). */
  {
    g_autoptr(GPtrArray) all = next_expect (e, WBEM_INFINITE, G_MAXUINT32, WBEM_S_FALSE, 25);

    assert_ids (all, 0);
  }

  /* Used after its explicit release. */
  wsim_enumerator_close (e);
  wsim_enumerator_close (e);   /* twice is harmless */
  cr_assert_eq (wsim_enumerator_next (e, WBEM_INFINITE, 1, &objs, &e2), RPC_E_DISCONNECTED);
  cr_assert (g_error_matches (e2, WSIM_WBEM_ERROR, (gint) RPC_E_DISCONNECTED));
  cr_assert_null (objs);
  cr_assert_eq (wsim_enumerator_skip (e, WBEM_INFINITE, 1, NULL), RPC_E_DISCONNECTED);
  cr_assert_eq (wsim_enumerator_next_async (e, 1, sink), RPC_E_DISCONNECTED);
  cr_assert_eq (wsim_enumerator_reset (e), RPC_E_DISCONNECTED);
  cr_assert_eq (wsim_enumerator_clone (e, &none), RPC_E_DISCONNECTED);
  cr_assert_null (none);
  cr_assert_eq (r->n_final + r->n_indicate, 0);

  /* A refused call returns no enumerator. */
  none = (WsimEnumerator *) 0x1;
  cr_assert_eq (wsim_services_create_instance_enum (s, "No_Such_Class", SEMI, &none, &e3),
                WBEM_E_INVALID_CLASS);
  cr_assert_null (none);
  cr_assert (g_error_matches (e3, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_CLASS));
}

Test (semisync, a_failed_call_is_returned_by_next_with_its_error_object)
{
  g_autoptr(WsimServices) s = open_ns ("root\\faulty");
  g_autoptr(WsimEnumerator) e = enum_ok (s, "Sim_Faulty", SEMI);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  g_autoptr(GError) sync_error = NULL;
  g_autoptr(GPtrArray) objs = NULL;
  g_autoptr(GPtrArray) again = NULL;
  WsimEnumerator *sync = (WsimEnumerator *) 0x1;
  WsimObject *err;

  cr_assert_eq (wsim_enumerator_next (e, WBEM_INFINITE, 10, &objs, &error), WBEM_E_FAILED);
  cr_assert_eq (objs->len, 0);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_FAILED));
  cr_assert (strstr (error->message, "simulated failure") != NULL, "%s", error->message);
  err = wsim_enumerator_get_error_object (e);
  cr_assert_not_null (err, "the error object comes with the failure");
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (err)), "__ExtendedStatus");
  /* Every later Next says it again. */
  cr_assert_eq (wsim_enumerator_next (e, WBEM_NO_WAIT, 10, &again, &again_error), WBEM_E_FAILED);

  /* Synchronously, the failure is the call's return and there is no enumerator. */
  cr_assert_eq (wsim_services_create_instance_enum (s, "Sim_Faulty", 0, &sync, &sync_error),
                WBEM_E_FAILED);
  cr_assert_null (sync);
  cr_assert (strstr (sync_error->message, "simulated failure") != NULL, "%s", sync_error->message);
}

/* ---- flow control: a slow reader holds the provider ----------------------------------------- */

typedef struct {
  WsimTrace *trace;
  guint64    sent;    /* instances the server sent in Indicate calls */
  guint      calls;   /* calls open on the server */
  guint      window;
} ServerView;

static void
look_at_server (WsimServer *server, gpointer data)
{
  ServerView *v = data;
  g_autoptr(GPtrArray) events = wsim_trace_get_events (v->trace, 0);
  WsimServerLimits limits;

  v->sent = 0;
  for (guint i = 0; i < events->len; i++)
    {
      WsimTraceEvent *ev = events->pdata[i];

      if (ev->kind == WSIM_TRACE_INDICATE)
        v->sent += ev->n;
    }
  v->calls = wsim_server_get_n_calls (server);
  wsim_server_get_limits (server, &limits);
  v->window = limits.max_indicates_in_flight;
}

Test (semisync, a_slow_reader_holds_the_provider_and_buffers_at_most_the_bound)
{
  enum { BOUND = 500, READS = 40, PER_READ = 50 };
  g_autoptr(WsimServices) s = open_ns ("root\\big");
  g_autoptr(WsimEnumerator) e = enum_ok (s, "Sim_Sequence", SEMI);
  ServerView v = { .trace = wsim_harness_get_trace (h) };
  guint64 read = 0;
  guint limit;

  wsim_enumerator_set_max_buffered (e, BOUND);
  for (int round = 0; round < READS; round++)
    {
      g_autoptr(GPtrArray) objs = next_expect (e, WBEM_INFINITE, PER_READ, WBEM_S_NO_ERROR, PER_READ);

      assert_ids (objs, read);
      read += objs->len;
      /* The reader is slow: it lets the buffer fill before it reads again. */
      cr_assert (wsim_harness_run_until (h, (WsimHarnessCond) wsim_enumerator_is_holding, e, LONG_WAIT),
                 "the enumerator never held the server back");
      wsim_harness_invoke (h, look_at_server, &v);
      limit = BOUND + v.window * BATCH_ROWS;
      cr_assert_leq (wsim_enumerator_get_n_buffered (e), limit);
      /* Everything the server sent is read, buffered or in one of its window's calls. */
      cr_assert_leq (v.sent, read + limit, "the server sent %" G_GUINT64_FORMAT " for %"
                     G_GUINT64_FORMAT " read", v.sent, read);
      cr_assert_eq (v.calls, 1, "the call stays open with its provider held");
    }
  cr_assert_leq (wsim_enumerator_get_peak_buffered (e), limit, "peak %u",
                 wsim_enumerator_get_peak_buffered (e));
  cr_assert_not (wsim_enumerator_is_complete (e));
  /* The reader goes: the call is cancelled and the provider stops (stop() checks). */
  wsim_enumerator_close (e);
  cr_assert (wsim_harness_run_until (h, server_idle, h, LONG_WAIT));
}

#define QUICK_TIMEOUT 300   /* ms: the server's callback timeout in the next test */

static void
start_quick_timeout (void)
{
  g_autoptr(GError) error = NULL;

  h = wsim_harness_new (setup, GUINT_TO_POINTER (QUICK_TIMEOUT), &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
}

static gboolean
time_has_come (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* A reader that pauses longer than the server's callback timeout keeps its enumeration: the
 * held Indicate has no timeout of its own, the server asks the live sink host a NULL
 * instead (it used to count the host as gone and tear the call down). */
Test (semisync, a_pause_longer_than_the_callback_timeout_loses_nothing, .init = start_quick_timeout)
{
  g_autoptr(WsimServices) s = open_ns ("root\\big");
  g_autoptr(WsimEnumerator) e = enum_ok (s, "Sim_Sequence", SEMI);
  ServerView v = { .trace = wsim_harness_get_trace (h) };
  gint64 until;
  guint64 read = 0;

  wsim_enumerator_set_max_buffered (e, 200);
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) objs = next_expect (e, WBEM_INFINITE, 50, WBEM_S_NO_ERROR, 50);

      assert_ids (objs, read);
      read += objs->len;
      cr_assert (wsim_harness_run_until (h, (WsimHarnessCond) wsim_enumerator_is_holding, e, LONG_WAIT),
                 "the enumerator never held the server back");
      /* The reader is away for ten of the server's callback timeouts. */
      until = g_get_monotonic_time () + 10 * QUICK_TIMEOUT * 1000;
      cr_assert (wsim_harness_run_until (h, time_has_come, &until, LONG_WAIT));
      wsim_harness_invoke (h, look_at_server, &v);
      cr_assert_eq (v.calls, 1, "the call is still open after the pause");
    }
  {
    g_autoptr(GPtrArray) objs = next_expect (e, WBEM_INFINITE, 500, WBEM_S_NO_ERROR, 500);

    assert_ids (objs, read);
  }
  wsim_enumerator_close (e);
  cr_assert (wsim_harness_run_until (h, server_idle, h, LONG_WAIT));
}

/* ---- threading: Next from a thread that does not run the context ---------------------------- */

typedef struct {
  WsimEnumerator *e;
  WsimHResult     hr;
  guint           n;
  guint64         first;
  gint            done;
} ThreadRead;

static gpointer
read_in_thread (gpointer data)
{
  ThreadRead *t = data;
  GPtrArray *objs = NULL;

  t->hr = wsim_enumerator_next (t->e, WBEM_INFINITE, 1000, &objs, NULL);
  t->n = objs->len;
  t->first = objs->len > 0 ? id_of (objs->pdata[0]) : G_MAXUINT64;
  g_ptr_array_unref (objs);
  g_atomic_int_set (&t->done, 1);
  return NULL;
}

static gboolean
thread_done (gpointer data)
{
  return g_atomic_int_get (&((ThreadRead *) data)->done) != 0;
}

Test (semisync, next_from_another_thread_waits_for_the_deliveries)
{
  g_autoptr(WsimEnumerator) e = enum_ok (wsim_harness_get_services (h), "Sim_Sequence", SEMI);
  ThreadRead t = { .e = e };
  GThread *thread;

  /* This thread owns the context while it runs it: the reader waits on the deliveries. */
  g_main_context_acquire (wsim_harness_get_context (h));
  thread = g_thread_new ("reader", read_in_thread, &t);
  cr_assert (wsim_harness_run_until (h, thread_done, &t, LONG_WAIT));
  g_main_context_release (wsim_harness_get_context (h));
  g_thread_join (thread);
  cr_assert_eq (t.hr, WBEM_S_FALSE);
  cr_assert_eq (t.n, 25);
  cr_assert_eq (t.first, 0);
}

/* ---- synchronous GetObject and ExecMethod --------------------------------------------------- */

Test (semisync, sync_get_object)
{
  WsimServices *s = wsim_harness_get_services (h);
  g_autoptr(WsimObject) obj = NULL;
  g_autoptr(WsimObject) missing = NULL;
  g_autoptr(WsimObject) err = NULL;
  g_autoptr(WsimObject) bad = NULL;
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

  cr_assert_eq (wsim_services_get_object (s, "Sim_Sequence.Id=3", 0, LONG_WAIT, &obj, NULL, &e1),
                WBEM_S_NO_ERROR);
  cr_assert_not_null (obj);
  cr_assert_eq (id_of (obj), 3);
  cr_assert_eq (wsim_services_get_object (s, "Sim_Sequence.Id=99", 0, LONG_WAIT, &missing, &err, &e2),
                WBEM_E_NOT_FOUND);
  cr_assert_null (missing);
  cr_assert_not_null (err, "a failure brings its error object");
  cr_assert (g_error_matches (e2, WSIM_WBEM_ERROR, (gint) WBEM_E_NOT_FOUND));
  /* The immediate return's failure. */
  cr_assert_eq (wsim_services_get_object (s, "Sim_Sequence.Id=", 0, LONG_WAIT, &bad, NULL, &e3),
                WBEM_E_INVALID_OBJECT_PATH);
  cr_assert_null (bad);
}

Test (semisync, sync_get_object_times_out_and_cancels)
{
  g_autoptr(WsimServices) s = open_ns ("root\\slow");
  g_autoptr(WsimObject) obj = NULL;
  g_autoptr(GError) error = NULL;

  /* The slow provider posts an instance every 10 ms and never ends: Id 999999 is hours away. */
  cr_assert_eq (wsim_services_get_object (s, "Sim_Faulty.Id=999999", 0, 50, &obj, NULL, &error),
                WBEM_E_TIMED_OUT);
  cr_assert_null (obj);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_TIMED_OUT));
  /* stop() checks the cancel reached the server. */
}

static WsimObject *
add_params (guint32 a, guint32 b)
{
  const wsim_property_def defs[] = { { (char *) "A", CIM_UINT32, FALSE }, { (char *) "B", CIM_UINT32, FALSE } };
  g_autoptr(WsimClass) cls = wsim_class_new ("__PARAMETERS", NULL, defs, 2, NULL);
  WsimObject *obj = wsim_object_new (cls);

  wsim_value_set_integer (wsim_object_get_value (obj, 0), CIM_UINT32, FALSE, 0, a);
  wsim_value_set_integer (wsim_object_get_value (obj, 1), CIM_UINT32, FALSE, 0, b);
  return obj;
}

Test (semisync, sync_exec_method)
{
  WsimServices *s = wsim_harness_get_services (h);
  g_autoptr(WsimObject) in = add_params (40, 2);
  g_autoptr(WsimObject) out = NULL;
  g_autoptr(WsimObject) none = NULL;
  g_autoptr(WsimObject) err = NULL;
  g_autoptr(WsimObject) refused = NULL;
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
  const wsim_value *rv;

  cr_assert_eq (wsim_services_exec_method (s, "Sim_Methods", "Add", in, 0, LONG_WAIT, &out, NULL, &e1),
                WBEM_S_NO_ERROR, "%s", e1 ? e1->message : "");
  cr_assert_not_null (out);
  rv = wsim_object_lookup (out, "ReturnValue");
  cr_assert_not_null (rv);
  cr_assert_eq (rv->wsim_value_u.v_uint32, 42);
  /* A failure the provider reports in the final SetStatus, with its error object. */
  cr_assert_eq (wsim_services_exec_method (s, "Sim_Methods", "Frobnicate", NULL, 0, LONG_WAIT, &none,
                                           &err, &e2), WBEM_E_METHOD_NOT_IMPLEMENTED);
  cr_assert_null (none);
  cr_assert_not_null (err);
  /* A refusal in the immediate return. */
  cr_assert_eq (wsim_services_exec_method (s, "Sim_Methods", "Subtract", in, 0, LONG_WAIT, &refused,
                                           NULL, &e3), WBEM_E_INVALID_METHOD);
  cr_assert_null (refused);
  cr_assert (g_error_matches (e3, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_METHOD));
}
