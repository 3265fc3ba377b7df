/* test-embedded-e2e.c: embedded objects (CIM_OBJECT) through a real server (suite runtime).
 *
 * Sim_Embedded (providers/sim-embedded) builds its TargetInstance and PreviousInstance with
 * set_object(); the server sends them in Indicate rows, the sink host decodes them, and
 * the client's objects hold them: wsim_value_dup_object() gives the embedded instances back
 * with their class, keys and values, and a null object stays null. */
#include <criterion/criterion.h>

#include "wsim-harness.h"
#include "wsim-test-harness.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define LONG_WAIT WSIM_TEST_LONG_WAIT
#define NS "root\\embedded"

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  g_autofree char *path = g_build_filename (WSIM_TEST_PROVIDER_DIR,
                                            "wsim-provider-sim-embedded.so", NULL);

  return wsim_repository_load_module (wsim_server_get_repository (server), NS, path, "", error);
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

TestSuite (embedded_e2e, .init = start, .fini = stop, .timeout = 60);

/* The embedded instance in @obj's property @prop, checked to be a Sim_Target. */
static WsimObject *
embedded_target (WsimObject *obj, const char *prop)
{
  g_autoptr(GError) error = NULL;
  const wsim_value *v = wsim_object_lookup (obj, prop);
  WsimObject *inner;

  cr_assert_not_null (v, "%s: no such property", prop);
  cr_assert_eq (v->type, CIM_OBJECT, "%s: type 0x%x", prop, (unsigned) v->type);
  inner = wsim_value_dup_object (v, &error);
  cr_assert_not_null (inner, "%s: %s", prop, error ? error->message : "");
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (inner)), "Sim_Target");
  return inner;
}

Test (embedded_e2e, enumeration_carries_embedded_objects)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, NS);
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(WsimObject) first = NULL, second = NULL, previous = NULL;
  g_autofree char *path = NULL, *text = NULL;
  WsimSinkRecorder *rec;
  WsimObject *o0, *o1;

  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Embedded", 0, sink, NULL),
                WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 2);
  o0 = rec->objects->pdata[0];
  o1 = rec->objects->pdata[1];

  /* Id 1: a creation event's shape, TargetInstance set and PreviousInstance null. */
  first = embedded_target (o0, "TargetInstance");
  path = wsim_object_get_path (first);
  cr_assert_str_eq (path, "Sim_Target.Name=\"alpha\"");
  cr_assert_eq (wsim_object_lookup (first, "Size")->wsim_value_u.v_uint32, 1);
  cr_assert (wsim_value_is_null (wsim_object_lookup (o0, "PreviousInstance")));

  /* Id 2: a modification event's, both set, the previous one as it was. */
  second = embedded_target (o1, "TargetInstance");
  previous = embedded_target (o1, "PreviousInstance");
  cr_assert_str_eq (wsim_object_lookup (second, "Name")->wsim_value_u.v_string, "beta \"2\"");
  cr_assert_eq (wsim_object_lookup (second, "Size")->wsim_value_u.v_uint32, 2);
  cr_assert_eq (wsim_object_lookup (previous, "Size")->wsim_value_u.v_uint32, 1);
  text = wsim_value_to_string (wsim_object_lookup (o1, "PreviousInstance"));
  cr_assert_str_eq (text, "instance of Sim_Target { Name = \"beta \\\"2\\\"\"; Size = 1; }");

  g_clear_pointer (&sink, wsim_sink_unref);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
}

Test (embedded_e2e, a_query_filters_rows_that_hold_objects)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, NS);
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(WsimObject) target = NULL;
  WsimSinkRecorder *rec;

  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_exec_query_async (s, "WQL", "SELECT * FROM Sim_Embedded WHERE Id = 2",
                                                0, sink, NULL),
                WBEM_S_NO_ERROR);
  wsim_test_wait_final (h, rec, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  target = embedded_target (rec->objects->pdata[0], "PreviousInstance");
  cr_assert_eq (wsim_object_lookup (target, "Size")->wsim_value_u.v_uint32, 1);
  g_clear_pointer (&sink, wsim_sink_unref);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
}
