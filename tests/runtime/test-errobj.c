/* test-errobj.c: a failed call's final SetStatus carries an __ExtendedStatus error object.
 *
 * Through the harness, with sim-faulty (which fails with its own message) and the sample
 * providers: the error object names the status, the reason, the method, what the call was
 * about and the provider; a success and a cancel carry none. Every call ends with exactly
 * one final SetStatus. */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-extended-status.h"
#include "wsim-harness.h"
#include "wsim-test-harness.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define LONG_WAIT WSIM_TEST_LONG_WAIT

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autofree char *path = g_build_filename (WSIM_TEST_PROVIDER_DIR, "wsim-provider-sim-faulty.so", NULL);

  return wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, NULL, error)
         && wsim_repository_load_module (repo, "root\\faulty", path, "mode=error", error)
         && wsim_repository_load_module (repo, "root\\slow", path, "mode=slow", error);
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

TestSuite (errobj, .init = start, .fini = stop, .timeout = 60);



static const char *
prop (WsimObject *obj, const char *name)
{
  const wsim_value *v = wsim_object_lookup (obj, name);

  cr_assert_not_null (v, "%s is a property of the error object", name);
  cr_assert_eq (v->type, CIM_STRING, "%s is a string", name);
  return v->wsim_value_u.v_string;
}

static void
assert_error_object (WsimSinkRecorder *rec, const char *description, const char *operation,
                     const char *param, const char *provider)
{
  WsimObject *err = rec->final_error;
  const wsim_value *code;

  cr_assert_not_null (err, "a failed call's final SetStatus carries an error object");
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (err)), "__ExtendedStatus");
  cr_assert_str_eq (wsim_class_get_def (wsim_object_get_class (err))->superclass, "__NotifyStatus");
  code = wsim_object_lookup (err, "StatusCode");
  cr_assert_not_null (code);
  cr_assert_eq (code->type, CIM_UINT32);
  cr_assert_eq (code->wsim_value_u.v_uint32, rec->final_hr, "StatusCode is the final HRESULT");
  cr_assert_str_eq (prop (err, "Description"), description);
  cr_assert_str_eq (prop (err, "Operation"), operation);
  cr_assert_str_eq (prop (err, "ParameterInfo"), param);
  cr_assert_str_eq (prop (err, "ProviderName"), provider);
}

Test (errobj, a_provider_failure_names_the_provider_and_its_message)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\faulty");
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autofree char *line = NULL;

  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, sink, NULL),
                WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_E_FAILED);
  cr_assert_str_eq (rec->final_str_param, "simulated failure", "strParam as before");
  assert_error_object (rec, "simulated failure", "CreateInstanceEnumAsync", "Sim_Faulty",
                       "sim-faulty");
  line = wsim_extended_status_describe (rec->final_error);
  cr_assert_str_eq (line, "Operation CreateInstanceEnumAsync; ParameterInfo \"Sim_Faulty\"; "
                          "ProviderName sim-faulty; Description \"simulated failure\"");
}

Test (errobj, a_failed_query_gives_its_text_as_parameter_info)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\faulty");
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  const char *q = "SELECT * FROM Sim_Faulty";

  cr_assert_eq (wsim_services_exec_query_async (s, "WQL", q, 0, sink, NULL), WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_E_FAILED);
  assert_error_object (rec, "simulated failure", "ExecQueryAsync", q, "sim-faulty");
}

/* Accepted, then not found: the runtime's reason, the path the call was about. */
Test (errobj, get_object_not_found_carries_the_runtime_s_reason_and_the_path)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  const char *path = "Win32_Process.Handle=\"999999999\"";

  cr_assert_eq (wsim_services_get_object_async (wsim_harness_get_services (h), path, 0, sink, NULL),
                WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_E_NOT_FOUND);
  assert_error_object (rec, "no instance has these keys", "GetObjectAsync", path, "win32-process");
}

/* The path's text in ParameterInfo can be longer than the request's: a single-quoted key
 * full of double quotes is written back with each one escaped. Over the wire's string bound
 * it is cut, and the final SetStatus still arrives (it used to fail to encode, and the call
 * ended with no final at all). */
Test (errobj, a_path_longer_than_the_wire_s_bound_is_cut_in_parameter_info)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  GString *path = g_string_new ("Win32_Process.Handle='");
  g_autofree char *text = NULL;
  const char *param;

  for (guint i = 0; i < 700 * 1024; i++)
    g_string_append_c (path, '"');
  g_string_append_c (path, '\'');
  text = g_string_free (path, FALSE);
  cr_assert_eq (wsim_services_get_object_async (wsim_harness_get_services (h), text, 0, sink, NULL),
                WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_E_NOT_FOUND);
  param = prop (rec->final_error, "ParameterInfo");
  cr_assert (strlen (param) > strlen (text), "the written path is the longer one");
  cr_assert_leq (strlen (param), 1048640, "cut to WSIM_MAX_STRING");
  cr_assert (g_str_has_prefix (param, "Win32_Process.Handle=\"\\\""), "%.40s", param);
}

Test (errobj, a_success_carries_no_error_object)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);

  cr_assert_eq (wsim_services_create_instance_enum_async (wsim_harness_get_services (h),
                                                          "Win32_OperatingSystem", 0, sink, NULL),
                WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_S_NO_ERROR);
  cr_assert_null (rec->final_error, "a success has no error object");
  cr_assert_null (wsim_extended_status_describe (rec->final_error));
}

static gboolean
has_objects (gpointer data)
{
  return ((WsimSinkRecorder *) data)->n_objects > 0;
}

/* The client asked for this end: WBEM_E_CALL_CANCELLED has nothing to describe. */
Test (errobj, a_cancelled_call_carries_no_error_object)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\slow");
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);

  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, sink, NULL),
                WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, has_objects, rec, LONG_WAIT));
  cr_assert_eq (wsim_services_cancel_async_call (s, sink), WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_E_CALL_CANCELLED);
  cr_assert_null (rec->final_error);
}

Test (errobj, describe_refuses_other_objects_and_skips_null_properties)
{
  g_autoptr(WsimObject) bare = wsim_extended_status_new (WBEM_E_FAILED, NULL, "GetObjectAsync",
                                                         NULL, NULL);
  g_autofree char *line = wsim_extended_status_describe (bare);
  static const wsim_property_def props[] = { { (char *) "Name", CIM_STRING, FALSE } };
  g_autoptr(WsimClass) other = wsim_class_new ("Other", NULL, props, 1, NULL);
  g_autoptr(WsimObject) o = wsim_object_new (other);

  cr_assert_str_eq (line, "Operation GetObjectAsync");
  cr_assert_null (wsim_extended_status_describe (o), "not an __ExtendedStatus");
  cr_assert (wsim_class_is_a (wsim_extended_status_class (), "__NotifyStatus"));
}
