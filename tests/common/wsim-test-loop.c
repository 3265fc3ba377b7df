/* wsim-test-loop.c: iterate a main context until a condition holds (see the header). */
#include "wsim-test-loop.h"

static gboolean
keep_source (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
wsim_test_run_until (GMainContext *context, WsimTestCond cond, gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GSource *wake;
  gboolean ok;

  if (context == NULL)
    context = g_main_context_ref_thread_default ();
  else
    g_main_context_ref (context);

  /* A timer that wakes the loop every few milliseconds, so a blocking iteration cannot
   * outlive the deadline and a condition that depends on another thread or process (a
   * server's stats, a daemon's registration) is seen soon after it holds. */
  wake = g_timeout_source_new (MIN (MAX (timeout_ms, 1), 5));
  g_source_set_callback (wake, keep_source, NULL, NULL);
  g_source_attach (wake, context);
  while (!(ok = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (wake);
  g_source_unref (wake);
  g_main_context_unref (context);
  return ok;
}

gboolean
wsim_test_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}
