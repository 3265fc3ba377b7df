/* test-hostile-paths.c: hostile object paths and WQL through a real server (issue 16).
 *
 * A path of 110,000 keys (about 1 MB, within the wire's bound) once kept the server's
 * only thread busy for 21 s; the parser is now linear and bounded
 * (WSIM_OBJECT_PATH_MAX_KEYS, WSIM_OBJECT_PATH_MAX_LENGTH), so the call is refused with
 * WBEM_E_INVALID_OBJECT_PATH and the server still answers the next call. The same for a
 * WHERE nested far deeper than WSIM_WQL_MAX_NESTING (WBEM_E_INVALID_QUERY). No timing is
 * asserted: the test's timeout is the bound.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-harness.h"
#include "wsim-object-path.h"
#include "wsim-test-harness.h"
#include "wsim-wbem.h"
#include "wsim-wql.h"

static WsimHarness *h;

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  (void) data;
  return wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, error);
}

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

TestSuite (hostile, .init = start, .fini = stop, .timeout = 60);

/* The server still serves: an ordinary enumeration gets its object and final. */
static void
assert_server_answers (void)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);

  cr_assert_eq (wsim_services_create_instance_enum_async (wsim_harness_get_services (h),
                                                         "Win32_OperatingSystem", 0, sink, NULL),
                WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
}

/* "Win32_Process.K0=1,K1=1,…,KA=1,…" with @n keys: about 9 bytes a key, as the report's. */
static char *
path_of_keys (guint n)
{
  GString *s = g_string_new ("Win32_Process.");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%sK%X=1", i == 0 ? "" : ",", i);
  return g_string_free (s, FALSE);
}

static void
assert_get_refused (const char *path, const char *says)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_get_object_async (wsim_harness_get_services (h), path, 0, sink,
                                                   &error);

  cr_assert_eq (hr, WBEM_E_INVALID_OBJECT_PATH, "0x%08X", hr);
  cr_assert_not_null (error);
  cr_assert (strstr (error->message, says) != NULL, "%s", error->message);
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
}

Test (hostile, a_path_of_110000_keys_is_refused_and_the_server_still_answers)
{
  g_autofree char *path = path_of_keys (110000);

  cr_assert_gt (strlen (path), 900000, "about 1 MB, as the report's");
  cr_assert_lt (strlen (path), WSIM_MAX_STRING, "within the wire's bound: the server must judge it");
  assert_get_refused (path, "more than 256 keys");
  assert_server_answers ();
}

/* One key over the bound, in a short path. */
Test (hostile, a_path_of_one_key_more_than_the_bound_is_refused)
{
  g_autofree char *path = path_of_keys (WSIM_OBJECT_PATH_MAX_KEYS + 1);

  cr_assert_lt (strlen (path), WSIM_OBJECT_PATH_MAX_LENGTH);
  assert_get_refused (path, "more than 256 keys");
  assert_server_answers ();
}

Test (hostile, a_where_nested_100000_deep_is_refused_and_the_server_still_answers)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  GString *q = g_string_new ("SELECT * FROM Win32_Process WHERE ");
  g_autofree char *text = NULL;
  WsimHResult hr;

  for (int i = 0; i < 100000; i++)
    g_string_append_c (q, '(');
  g_string_append (q, "ProcessId = 1");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (q, ')');
  text = g_string_free (q, FALSE);
  hr = wsim_services_exec_query_async (wsim_harness_get_services (h), "WQL", text, 0, sink,
                                       &error);
  cr_assert_eq (hr, WBEM_E_INVALID_QUERY, "0x%08X", hr);
  cr_assert (error != NULL && strstr (error->message, "too deeply nested") != NULL, "%s",
             error != NULL ? error->message : "");
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
  assert_server_answers ();
}
