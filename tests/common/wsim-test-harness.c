/* wsim-test-harness.c: the harness helpers the suites share (see wsim-test-harness.h). */
#include "wsim-test-harness.h"

#include "wsim-class-decl.h"

#include <criterion/criterion.h>

#include "wsim-client.h"

WsimHarness *
wsim_test_harness_start (WsimHarnessSetup setup, gpointer data)
{
  g_autoptr(GError) error = NULL;
  WsimHarness *h = wsim_harness_new (setup, data, &error);

  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
  return h;
}

void
wsim_test_harness_stop (WsimHarness **h)
{
  g_clear_pointer (h, wsim_harness_free);
}

WsimServices *
wsim_test_open_ns (WsimHarness *h, const char *ns)
{
  g_autoptr(GError) error = NULL;
  WsimServices *s = wsim_client_open_namespace (wsim_harness_get_client (h), ns, &error);

  cr_assert_not_null (s, "%s: %s", ns, error ? error->message : "");
  return s;
}

void
wsim_test_wait_final (WsimHarness *h, WsimSinkRecorder *rec, WsimHResult want)
{
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WSIM_TEST_LONG_WAIT),
             "no final SetStatus");
  cr_assert_eq (rec->n_final, 1, "one final SetStatus");
  cr_assert_eq (rec->events_after_final, 0, "nothing after it");
  cr_assert_eq (rec->final_hr, want, "final 0x%08X, not 0x%08X", rec->final_hr, want);
}

gboolean
wsim_test_server_idle (gpointer data)
{
  return wsim_harness_get_n_server_calls (data) == 0;
}

char *
wsim_test_class_names (GPtrArray *decls)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < decls->len; i++)
    {
      const char *name = wsim_class_decl_get_name (decls->pdata[i]);

      if (!g_str_has_prefix (name, "__"))
        g_string_append_printf (names, "%s%s", names->len > 0 ? "," : "", name);
    }
  return g_string_free (names, FALSE);
}
