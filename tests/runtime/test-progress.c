/* test-progress.c: a provider's report_progress() end to end (suite progress).
 *
 * Sim_Sequence reports after every instance (progress=1). With WBEM_FLAG_SEND_STATUS the
 * sink receives PROGRESS SetStatus calls, LOWORD done and HIWORD total, in order and before
 * exactly one final; without the flag none. The runtime keeps at most one in flight, so a
 * provider reporting on every instance of one step sends far fewer than it reports. */
#include <criterion/criterion.h>

#include "wsim-harness.h"
#include "wsim-test-harness.h"
#include "wsim-wbem.h"

#define LONG_WAIT WSIM_TEST_LONG_WAIT

/* Namespace -> Sim_Sequence's parameters. */
static const char *const sequences[][2] = {
  { "root\\stepwise", "count=50;props=0;progress=1;batch=1" },   /* yields between instances */
  { "root\\burst", "count=1000;props=0;progress=1" },            /* posts until BUSY */
};

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autofree char *path = g_build_filename (WSIM_TEST_PROVIDER_DIR, "wsim-provider-sim-sequence.so", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (sequences); i++)
    if (!wsim_repository_load_module (repo, sequences[i][0], path, sequences[i][1], error))
      return FALSE;
  return TRUE;
}

static WsimHarness *h;

static void
start (void)
{
  h = wsim_test_harness_start (setup, NULL);
}

static void
stop (void)
{
  wsim_test_harness_stop (&h);
}

TestSuite (progress, .init = start, .fini = stop, .timeout = 60);


/* Enumerates Sim_Sequence in @ns with @flags to the end; the recorder is the sink's. */
static WsimSinkRecorder *
run_sequence (const char *ns, gint32 flags, WsimSink **out_sink)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimServices) s = wsim_client_open_namespace (wsim_harness_get_client (h), ns, &error);
  WsimSinkRecorder *rec;

  cr_assert_not_null (s, "%s: %s", ns, error ? error->message : "");
  *out_sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", flags, *out_sink, NULL),
                WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->events_after_final, 0, "nothing after the final, progress neither");
  return rec;
}

/* The progress received: LOWORD rising, never past @total, HIWORD @total throughout. */
static void
assert_progress (WsimSinkRecorder *rec, guint total)
{
  guint last = 0;

  cr_assert_gt (rec->progress->len, 0, "progress reaches the sink");
  for (guint i = 0; i < rec->progress->len; i++)
    {
      guint32 hr = g_array_index (rec->progress, guint32, i);
      guint done = hr & 0xFFFFu;

      cr_assert_eq (hr >> 16, total, "progress %u: HIWORD %u", i, hr >> 16);
      cr_assert_gt (done, last, "progress %u: LOWORD %u after %u", i, done, last);
      cr_assert_leq (done, total);
      last = done;
    }
}

Test (progress, send_status_stepwise)
{
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec = run_sequence ("root/stepwise", WBEM_FLAG_SEND_STATUS, &sink);

  cr_assert_eq (rec->n_objects, 50);
  assert_progress (rec, 50);
  /* Nothing was in flight for the first report: it goes as it was made. */
  cr_assert_eq (g_array_index (rec->progress, guint32, 0), (50u << 16) | 1u);
  g_clear_pointer (&sink, wsim_sink_unref);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
}

/* A report on every instance does not flood the sink host: one in flight, the newest waits. */
Test (progress, coalesced)
{
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec = run_sequence ("root/burst", WBEM_FLAG_SEND_STATUS, &sink);

  cr_assert_eq (rec->n_objects, 1000);
  assert_progress (rec, 1000);
  cr_assert_lt (rec->progress->len, 1000, "%u PROGRESS calls for 1000 reports", rec->progress->len);
  cr_log_info ("coalesced: %u PROGRESS calls for 1000 reports", rec->progress->len);
  g_clear_pointer (&sink, wsim_sink_unref);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
}

Test (progress, none_without_send_status)
{
  g_autoptr(WsimSink) s1 = NULL, s2 = NULL;
  WsimSinkRecorder *stepwise = run_sequence ("root/stepwise", 0, &s1);
  WsimSinkRecorder *burst = run_sequence ("root/burst", 0, &s2);

  cr_assert_eq (stepwise->n_objects, 50);
  cr_assert_eq (burst->n_objects, 1000);
  cr_assert_eq (stepwise->progress->len + burst->progress->len, 0);
  g_clear_pointer (&s1, wsim_sink_unref);
  g_clear_pointer (&s2, wsim_sink_unref);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
}
