/* test-methods.c: ExecMethodAsync end to end (MS-WMI opnum 25), and provider ABI version 2.
 *
 * A harness (server thread, client, sink host) with the sample providers in root\cimv2
 * (sim-methods among them; sim-faulty, still ABI version 1) and, in root\test, an in-test
 * provider that declares a method but cannot run methods, and a version 1 table allocated
 * at exactly version 1's size (so reading past it is an error under ASan and valgrind).
 * Each refusal is asserted with WMI's exact HRESULT and no callback; an accepted call ends
 * with exactly one object (the out-parameters) and exactly one final SetStatus. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "wsim-address.h"
#include "wsim-harness.h"
#include "wsim-test-harness.h"
#include "wsim-rpc-client.h"
#include "wsim-value.h"
#include "wsim-wbem.h"
#include "wsim_service.h"

#define LONG_WAIT WSIM_TEST_LONG_WAIT

/* ---- in-test providers --------------------------------------------------------------- */

static const WsimProvProperty thing_props[] = { { "Id", WSIM_PROV_UINT32, 1 } };
static const WsimProvClass incapable_classes[] = { { "Test_Incapable", NULL, thing_props, 1 } };
static const WsimProvClass old_classes[] = { { "Test_Old", NULL, thing_props, 1 } };
static const WsimProvParam ping_out[] = { { "ReturnValue", WSIM_PROV_UINT32 } };
static const WsimProvMethod incapable_methods[] = {
  { "Test_Incapable", "Ping", 1, NULL, 0, ping_out, 1 },
};

static void
one_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  WsimProvInstance *inst = ctx->ops->new_instance (ctx, class_name);

  ctx->ops->set_uint64 (inst, "Id", 7);
  ctx->ops->post_instance (ctx, inst);
  ctx->ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

/* Declares Ping, has no exec_method(). */
static const WsimProvider incapable_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-incapable",
  .classes = incapable_classes,
  .n_classes = 1,
  .enumerate = one_enumerate,
  .methods = incapable_methods,
  .n_methods = 1,
};

static WsimProvider *old_table;   /* WSIM_PROVIDER_V1_SIZE bytes: a version 1 table */

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);
  const WsimProvider v1 = {
    .abi_version = WSIM_PROVIDER_ABI_VERSION_1, .name = "test-old", .classes = old_classes,
    .n_classes = 1, .enumerate = one_enumerate,
  };

  old_table = g_malloc (WSIM_PROVIDER_V1_SIZE);
  memcpy (old_table, &v1, WSIM_PROVIDER_V1_SIZE);
  return wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, NULL, error)
         && wsim_repository_register_provider (repo, "root\\test", &incapable_provider, NULL, error)
         && wsim_repository_register_provider (repo, "root\\test", old_table, NULL, error);
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
  if (h != NULL)
    {
      cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT), "server calls left");
      wsim_harness_free (h);
    }
  h = NULL;
  g_clear_pointer (&old_table, g_free);
}

TestSuite (methods, .init = start, .fini = stop, .timeout = 60);

/* An in-parameters object: NULL-terminated name, type, text triples (text NULL: null). */
static WsimObject *
in_params (const char *name, ...)
{
  g_autoptr(GArray) defs = g_array_new (FALSE, TRUE, sizeof (wsim_property_def));
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(WsimClass) cls = NULL;
  WsimObject *obj;
  va_list ap;

  va_start (ap, name);
  for (const char *n = name; n != NULL; n = va_arg (ap, const char *))
    {
      wsim_property_def d = { .name = (char *) n, .cimtype = va_arg (ap, guint32) };

      g_array_append_val (defs, d);
      g_ptr_array_add (texts, va_arg (ap, char *));
    }
  va_end (ap);
  cls = wsim_class_new ("__PARAMETERS", NULL, (wsim_property_def *) (void *) defs->data, defs->len, NULL);
  cr_assert_not_null (cls);
  obj = wsim_object_new (cls);
  for (guint i = 0; i < defs->len; i++)
    {
      wsim_value *v = wsim_object_get_value (obj, i);
      wsim_value text = { .type = CIM_STRING };

      if (texts->pdata[i] == NULL)
        continue;
      text.wsim_value_u.v_string = texts->pdata[i];
      cr_assert (wsim_value_convert (&text, g_array_index (defs, wsim_property_def, i).cimtype, v),
                 "%s", (char *) texts->pdata[i]);
    }
  return obj;
}

/* Runs @method on @path in @services; asserts the immediate return is @want. For an
 * accepted call, waits for the end and returns the recorder (the sink in *@out_sink). */
static WsimSinkRecorder *
exec (WsimServices *services, const char *path, const char *method, WsimObject *in, gint32 flags,
      WsimHResult want, WsimSink **out_sink)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_exec_method_async (services, path, method, in, flags, sink, &error);

  cr_assert_eq (hr, want, "%s %s: 0x%08X (%s), want 0x%08X", path, method, hr,
                error ? error->message : "", want);
  if (WSIM_HRESULT_FAILED (hr))
    {
      /* A refusal never calls the sink. */
      cr_assert_eq (rec->n_indicate, 0);
      cr_assert_eq (rec->n_final, 0);
      wsim_sink_unref (sink);
      return NULL;
    }
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->events_after_final, 0);
  *out_sink = sink;
  return rec;
}

static void
refused (WsimServices *services, const char *path, const char *method, WsimObject *in,
         gint32 flags, WsimHResult want)
{
  exec (services, path, method, in, flags, want, NULL);
}

static WsimServices *
test_ns (void)
{
  g_autoptr(GError) error = NULL;
  WsimServices *s = wsim_client_open_namespace (wsim_harness_get_client (h), "root\\test", &error);

  cr_assert_not_null (s, "%s", error ? error->message : "");
  return s;
}

/* ---- the happy paths ----------------------------------------------------------------- */

Test (methods, static_add_returns_one_out_params_object_then_one_final)
{
  g_autoptr(WsimObject) in = in_params ("A", CIM_UINT32, "40", "B", CIM_UINT32, "2", NULL);
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec = exec (wsim_harness_get_services (h), "Sim_Methods", "Add", in, 0,
                                WBEM_S_NO_ERROR, &sink);
  WsimObject *out;
  const wsim_value *rv;

  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  cr_assert_eq (rec->n_indicate, 1);
  out = rec->objects->pdata[0];
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (out)), "__PARAMETERS");
  rv = wsim_object_lookup (out, "ReturnValue");
  cr_assert_not_null (rv);
  cr_assert_eq (rv->type, CIM_UINT32);
  cr_assert_eq (rv->wsim_value_u.v_uint32, 42);
}

/* In-parameters converted to the declared types; an instance method with its keys. */
Test (methods, conversions_send_status_and_an_instance_method)
{
  /* Given as strings and as another integer type: the server converts (VARIANT coercion). */
  g_autoptr(WsimObject) in = in_params ("a", CIM_STRING, "0x10", "b", CIM_SINT64, "1", NULL);
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec = exec (wsim_harness_get_services (h), "Sim_Methods", "add", in,
                                WBEM_FLAG_SEND_STATUS, WBEM_S_NO_ERROR, &sink);

  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  cr_assert_eq (wsim_object_lookup (rec->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 17);

  /* An instance method gets the instance's keys. */
  {
    g_autoptr(WsimObject) in2 = in_params ("Prefix", CIM_STRING, "name: ", NULL);
    g_autoptr(WsimSink) sink2 = NULL;
    WsimSinkRecorder *rec2 = exec (wsim_harness_get_services (h), "Sim_Methods.Name=\"b\"", "Describe",
                                  in2, 0, WBEM_S_NO_ERROR, &sink2);
    g_autofree char *text = NULL;

    cr_assert_eq (rec2->final_hr, WBEM_S_NO_ERROR);
    cr_assert_eq (rec2->objects->len, 1);
    text = wsim_value_to_string (wsim_object_lookup (rec2->objects->pdata[0], "Text"));
    cr_assert_str_eq (text, "name: b");
    cr_assert_eq (wsim_object_lookup (rec2->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 0);
  }
}

Test (methods, provider_errors_end_with_one_final_and_no_object)
{
  g_autoptr(WsimObject) in = in_params ("Prefix", CIM_STRING, "x", NULL);
  g_autoptr(WsimObject) big = in_params ("A", CIM_UINT32, "4294967295", "B", CIM_UINT32, "1", NULL);
  g_autoptr(WsimSink) s1 = NULL, s2 = NULL, s3 = NULL;
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec;

  rec = exec (s, "Sim_Methods", "Frobnicate", NULL, 0, WBEM_S_NO_ERROR, &s1);
  cr_assert_eq (rec->final_hr, WBEM_E_METHOD_NOT_IMPLEMENTED);
  cr_assert_eq (rec->objects->len, 0);
  rec = exec (s, "Sim_Methods.Name=\"zz\"", "Describe", in, 0, WBEM_S_NO_ERROR, &s2);
  cr_assert_eq (rec->final_hr, WBEM_E_NOT_FOUND);
  cr_assert_eq (rec->objects->len, 0);
  rec = exec (s, "Sim_Methods", "Add", big, 0, WBEM_S_NO_ERROR, &s3);
  cr_assert_eq (rec->final_hr, WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (rec->objects->len, 0);
  /* A success without the out-parameters object is the provider's failure, not a success
   * with no ReturnValue. */
  {
    g_autoptr(WsimSink) s4 = NULL;

    rec = exec (s, "Sim_Methods", "Forget", NULL, 0, WBEM_S_NO_ERROR, &s4);
    cr_assert_eq (rec->final_hr, WBEM_E_PROVIDER_FAILURE);
    cr_assert_eq (rec->objects->len, 0);
  }
}

/* ---- refusals: the immediate return, no callback ------------------------------------- */

/* Flags first, then the path, the class and the method. */
Test (methods, bad_flags_class_and_method)
{
  g_autoptr(WsimObject) in = in_params ("A", CIM_UINT32, "1", "B", CIM_UINT32, "2", NULL);
  WsimServices *s = wsim_harness_get_services (h);

  refused (s, "Sim_Methods", "Add", in, WBEM_FLAG_RETURN_IMMEDIATELY, WBEM_E_INVALID_PARAMETER);
  refused (s, "Sim_Methods", "Add", in, WBEM_FLAG_USE_AMENDED_QUALIFIERS, WBEM_E_INVALID_PARAMETER);
  refused (s, "Sim_Methods", "Add", in, 0x4000, WBEM_E_INVALID_PARAMETER);
  refused (s, "No_Such_Class", "Add", in, 0, WBEM_E_INVALID_CLASS);
  refused (s, "Sim_Methods", "Subtract", in, 0, WBEM_E_INVALID_METHOD);
  refused (s, "Sim_Sequence", "Add", in, 0, WBEM_E_INVALID_METHOD);
  refused (s, "Sim_Methods.Nope=\"a\"", "Add", in, 0, WBEM_E_INVALID_OBJECT_PATH);
}

Test (methods, missing_and_extra_in_parameters)
{
  g_autoptr(WsimObject) missing = in_params ("A", CIM_UINT32, "1", NULL);
  g_autoptr(WsimObject) extra = in_params ("A", CIM_UINT32, "1", "B", CIM_UINT32, "2",
                                           "C", CIM_UINT32, "3", NULL);
  g_autoptr(WsimObject) none_wanted = in_params ("X", CIM_STRING, "y", NULL);
  WsimServices *s = wsim_harness_get_services (h);

  refused (s, "Sim_Methods", "Add", missing, 0, WBEM_E_INVALID_METHOD_PARAMETERS);
  refused (s, "Sim_Methods", "Add", NULL, 0, WBEM_E_INVALID_METHOD_PARAMETERS);
  refused (s, "Sim_Methods", "Add", extra, 0, WBEM_E_INVALID_METHOD_PARAMETERS);
  refused (s, "Sim_Methods", "Frobnicate", none_wanted, 0, WBEM_E_INVALID_METHOD_PARAMETERS);
}

/* A parameter named twice can only come from a hand-made request (a __PARAMETERS class
 * cannot hold one name twice): refused, not read as "the last value wins". */
Test (methods, an_in_parameter_given_twice_is_refused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) addr = wsim_address_parse (wsim_harness_get_address (h), NULL);
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(WsimRpcClient) raw = wsim_rpc_client_connect (ctx, addr, WSIM_SERVICE_PROG,
                                                          WSIM_SERVICE_V1, &error);
  wsim_open_namespace_args oa = { .namespace_path = (char *) "root\\cimv2" };
  wsim_open_namespace_res ores = { 0 };
  wsim_property_def props[] = { { .name = (char *) "A", .cimtype = CIM_UINT32 },
                                { .name = (char *) "B", .cimtype = CIM_UINT32 },
                                { .name = (char *) "a", .cimtype = CIM_UINT32 } };
  wsim_value values[3] = { { .type = CIM_UINT32 }, { .type = CIM_UINT32 }, { .type = CIM_UINT32 } };
  wsim_instance row = { .values = { 3, values } };
  wsim_exec_method_async_args a = {
    .object_path = (char *) "Sim_Methods", .method_name = (char *) "Add",
    .in_params_class = { .name = (char *) "__PARAMETERS", .superclass = (char *) "",
                         .props = { 3, props } },
    .in_params = &row, .sink = { .endpoint = (char *) "tcp:127.0.0.1:1", .sink_id = 1 },
    .call_id = 99,
  };
  wsim_async_res res = { 0 };

  cr_assert_not_null (raw, "%s", error ? error->message : "");
  cr_assert (wsim_rpc_client_call_sync (raw, WSIM_OPEN_NAMESPACE,
                                        (xdrproc_t) xdr_wsim_open_namespace_args, &oa,
                                        (xdrproc_t) xdr_wsim_open_namespace_res, &ores, 5000,
                                        NULL, &error));
  a.ns_handle = ores.ns_handle;
  cr_assert (wsim_rpc_client_call_sync (raw, WSIM_EXEC_METHOD_ASYNC,
                                        (xdrproc_t) xdr_wsim_exec_method_async_args, &a,
                                        (xdrproc_t) xdr_wsim_async_res, &res, 5000, NULL, &error),
             "%s", error ? error->message : "");
  cr_assert_eq (res.hresult, WBEM_E_INVALID_DUPLICATE_PARAMETER, "0x%08x", res.hresult);
  cr_assert (strstr (res.message, "given twice") != NULL, "%s", res.message);
  xdr_free ((xdrproc_t) xdr_wsim_async_res, (char *) &res);
  cr_assert_eq (wsim_harness_get_n_server_calls (h), 0);
}

Test (methods, values_the_declared_type_cannot_take_are_type_mismatch)
{
  g_autoptr(WsimObject) describe = in_params ("Prefix", CIM_STRING, "x", NULL);
  g_autoptr(WsimObject) text = in_params ("A", CIM_STRING, "forty", "B", CIM_UINT32, "2", NULL);
  g_autoptr(WsimObject) negative = in_params ("A", CIM_SINT32, "-1", "B", CIM_UINT32, "2", NULL);
  g_autoptr(WsimObject) too_big = in_params ("A", CIM_STRING, "4294967296", "B", CIM_UINT32, "2", NULL);
  g_autoptr(WsimObject) real = in_params ("A", CIM_REAL64, "1.5", "B", CIM_UINT32, "2", NULL);
  WsimServices *s = wsim_harness_get_services (h);

  refused (s, "Sim_Methods", "Add", text, 0, WBEM_E_TYPE_MISMATCH);
  refused (s, "Sim_Methods", "Add", negative, 0, WBEM_E_TYPE_MISMATCH);
  refused (s, "Sim_Methods", "Add", too_big, 0, WBEM_E_TYPE_MISMATCH);
  refused (s, "Sim_Methods", "Add", real, 0, WBEM_E_TYPE_MISMATCH);
  /* An instance method on a class path: the path lacks the keys MS-WMI requires. */
  refused (s, "Sim_Methods", "Describe", describe, 0, WBEM_E_INVALID_OBJECT_PATH);
}

/* ---- ABI version 1 still loads ------------------------------------------------------- */

static WsimSinkRecorder *
enumerate (WsimServices *s, const char *cls, WsimSink **out_sink)
{
  WsimSinkRecorder *rec;

  *out_sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, cls, 0, *out_sink, NULL), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
  return rec;
}

Test (methods, version_1_tables_load_and_a_provider_without_exec_method_is_not_capable)
{
  g_autoptr(WsimServices) s = test_ns ();
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(WsimSink) faulty = NULL;
  WsimSinkRecorder *rec = enumerate (s, "Test_Old", &sink);

  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  /* sim-faulty is a version 1 module: loaded with the directory; without a mode it says so. */
  rec = enumerate (wsim_harness_get_services (h), "Sim_Faulty", &faulty);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->final_hr, WBEM_E_INVALID_PARAMETER);

  /* A provider that declares a method but has no exec_method(); a version 1 provider
   * declares no methods at all. */
  refused (s, "Test_Incapable", "Ping", NULL, 0, WBEM_E_PROVIDER_NOT_CAPABLE);
  refused (s, "Test_Old", "Ping", NULL, 0, WBEM_E_INVALID_METHOD);
}

/* ---- Win32_Process.Create and Terminate, really done --------------------------------- */

static gboolean
process_gone (gpointer data)
{
  return kill ((pid_t) GPOINTER_TO_UINT (data), 0) != 0 && errno == ESRCH;
}

/* Create spawns, Terminate ends it; then Create's ReturnValues for what it cannot do. */
Test (methods, win32_process_create_and_terminate)
{
  g_autoptr(WsimObject) create = in_params ("CommandLine", CIM_STRING, "sleep 30",
                                            "CurrentDirectory", CIM_STRING, "/", NULL);
  g_autoptr(WsimObject) terminate = in_params ("Reason", CIM_UINT32, "0", NULL);
  g_autoptr(WsimSink) s1 = NULL, s2 = NULL;
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec = exec (s, "Win32_Process", "Create", create, 0, WBEM_S_NO_ERROR, &s1);
  g_autofree char *path = NULL;
  guint32 pid;

  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  cr_assert_eq (wsim_object_lookup (rec->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 0);
  pid = wsim_object_lookup (rec->objects->pdata[0], "ProcessId")->wsim_value_u.v_uint32;
  cr_assert_gt (pid, 0);
  cr_assert_eq (kill ((pid_t) pid, 0), 0, "process %u is not there", pid);

  path = g_strdup_printf ("Win32_Process.Handle=\"%u\"", pid);
  rec = exec (s, path, "Terminate", terminate, 0, WBEM_S_NO_ERROR, &s2);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_object_lookup (rec->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 0);
  /* Killed, and reaped by the runtime's watch of the children Create starts: gone. */
  cr_assert (wsim_harness_run_until (h, process_gone, GUINT_TO_POINTER (pid), LONG_WAIT),
             "process %u lingers (a zombie?)", pid);
  cr_assert_eq (kill ((pid_t) pid, 0), -1);
  cr_assert_eq (errno, ESRCH);

  /* The server itself (this process: the harness serves in it) is refused: 2, access denied. */
  {
    g_autofree char *self = g_strdup_printf ("Win32_Process.Handle=\"%d\"", (int) getpid ());
    g_autoptr(WsimSink) s6 = NULL;

    rec = exec (s, self, "Terminate", terminate, 0, WBEM_S_NO_ERROR, &s6);
    cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
    cr_assert_eq (wsim_object_lookup (rec->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 2);
  }

  {
    g_autoptr(WsimObject) no_program = in_params ("CommandLine", CIM_STRING, "/no/such/program",
                                                  "CurrentDirectory", CIM_STRING, "", NULL);
    g_autoptr(WsimObject) no_dir = in_params ("CommandLine", CIM_STRING, "true",
                                              "CurrentDirectory", CIM_STRING, "/no/such/dir", NULL);
    g_autoptr(WsimObject) empty = in_params ("CommandLine", CIM_STRING, "  ",
                                             "CurrentDirectory", CIM_STRING, NULL, NULL);
    g_autoptr(WsimSink) s3 = NULL, s4 = NULL, s5 = NULL;

    /* Microsoft's codes: 9 path not found, 21 invalid parameter; the call itself succeeds. */
    rec = exec (s, "Win32_Process", "Create", no_program, 0, WBEM_S_NO_ERROR, &s3);
    cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
    cr_assert_eq (wsim_object_lookup (rec->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 9);
    cr_assert (wsim_value_is_null (wsim_object_lookup (rec->objects->pdata[0], "ProcessId")));
    rec = exec (s, "Win32_Process", "Create", no_dir, 0, WBEM_S_NO_ERROR, &s4);
    cr_assert_eq (wsim_object_lookup (rec->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 9);
    rec = exec (s, "Win32_Process", "Create", empty, 0, WBEM_S_NO_ERROR, &s5);
    cr_assert_eq (wsim_object_lookup (rec->objects->pdata[0], "ReturnValue")->wsim_value_u.v_uint32, 21);
  }
}
