/* bench-semisync.c: semisync Next(…, 100) against async, same run, same class (see
 * bench-semisync.h). Alternating the two and keeping each one's best round keeps a noisy
 * neighbour on the shared cpus from favouring whichever ran second. */
#include "bench-semisync.h"

#include <stdio.h>

#include "bench-util.h"

#include "wsim-client.h"
#include "wsim-enumerator.h"
#include "wsim-wbem.h"

static double
async_round (GMainContext *ctx, WsimServices *s, guint count)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  rec->keep_objects = FALSE;
  if (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, &error) != WBEM_S_NO_ERROR)
    g_error ("async: %s", error->message);
  while (!wsim_sink_recorder_is_complete (rec))
    g_main_context_iteration (ctx, TRUE);
  if (rec->final_hr != WBEM_S_NO_ERROR || rec->n_objects != count)
    g_error ("async ended with 0x%08X after %" G_GUINT64_FORMAT " instances", rec->final_hr,
             rec->n_objects);
  return count / ((g_get_monotonic_time () - t0) / 1e6);
}

static double
semisync_round (WsimServices *s, guint count, guint *out_peak)
{
  g_autoptr(WsimEnumerator) e = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  guint64 n = 0;
  WsimHResult hr;

  if (wsim_services_create_instance_enum (s, "Sim_Sequence", WBEM_FLAG_RETURN_IMMEDIATELY
                                          | WBEM_FLAG_FORWARD_ONLY, &e, &error) != WBEM_S_NO_ERROR)
    g_error ("semisync: %s", error->message);
  do
    {
      g_autoptr(GPtrArray) objs = NULL;

      hr = wsim_enumerator_next (e, WBEM_INFINITE, 100, &objs, &error);
      n += objs != NULL ? objs->len : 0;
    }
  while (hr == WBEM_S_NO_ERROR);
  if (hr != WBEM_S_FALSE || n != count)
    g_error ("semisync ended with 0x%08X after %" G_GUINT64_FORMAT " instances", hr, n);
  *out_peak = wsim_enumerator_get_peak_buffered (e);
  return count / ((g_get_monotonic_time () - t0) / 1e6);
}

void
bench_semisync_vs_async (const char *address, guint count, guint rounds)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = NULL;
  g_autoptr(WsimServices) s = NULL;
  double best_async = 0, best_semi = 0;
  guint peak = 0;

  /* The client's sinks (and the enumerator's waits) run on ctx: this thread owns it. */
  g_main_context_push_thread_default (ctx);
  client = wsim_client_connect (ctx, address, &error);
  if (client == NULL || (s = wsim_client_open_namespace (client, "root\\cimv2", &error)) == NULL)
    g_error ("connect: %s", error->message);
  for (guint i = 0; i < rounds; i++)
    {
      best_async = MAX (best_async, async_round (ctx, s, count));
      best_semi = MAX (best_semi, semisync_round (s, count, &peak));
    }
  printf ("enumerate Sim_Sequence %7u async (CreateInstanceEnumAsync)     %10.0f instances/s  best of %u\n",
          count, best_async, rounds);
  printf ("enumerate Sim_Sequence %7u semisync (Next(WBEM_INFINITE, 100)) %10.0f instances/s  "
          "best of %u, %.2f x async, peak %u buffered\n", count, best_semi, rounds,
          best_semi / best_async, peak);
  bench_result ("semisync count=%u async_per_s=%.0f semisync_per_s=%.0f peak_buffered=%u", count,
                best_async, best_semi, peak);
  g_clear_pointer (&s, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  g_main_context_pop_thread_default (ctx);
}
