/* test-async.c: the IWbemServices async contract, end to end.
 *
 * Every test stands up a harness (server on its own thread, client and sink host on the
 * test's context) and checks what the sink sees: the immediate return, Indicate batches,
 * exactly one final SetStatus and nothing after it, whatever the provider or the peers
 * do; then that the server and the sink host hold nothing afterwards. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wsim-harness.h"
#include "wsim-test-harness.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define LONG_WAIT WSIM_TEST_LONG_WAIT

static const char *faulty_modes[] = { "no_result", "two_results", "post_after_result", "error", "slow" };

/* ---- an in-test provider with a class hierarchy: Test_Base <- Test_Derived ------------ */

static const WsimProvProperty base_props[] = { { "Id", WSIM_PROV_UINT32, 1 }, { "Kind", WSIM_PROV_STRING, 0 } };
static const WsimProvProperty derived_props[] = { { "Extra", WSIM_PROV_SINT64, 0 } };
static const WsimProvClass tree_classes[] = {
  { "Test_Base", NULL, base_props, 2 },
  { "Test_Derived", "Test_Base", derived_props, 1 },
};

static void
tree_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;

  for (int i = 0; i < 2; i++)
    {
      WsimProvInstance *inst = ops->new_instance (ctx, class_name);

      ops->set_uint64 (inst, "Id", (uint64_t) i);
      ops->set_string (inst, "Kind", class_name);
      if (strcmp (class_name, "Test_Derived") == 0)
        ops->set_sint64 (inst, "Extra", -5);
      ops->post_instance (ctx, inst);
    }
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static const WsimProvider tree_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-tree",
  .classes = tree_classes,
  .n_classes = G_N_ELEMENTS (tree_classes),
  .enumerate = tree_enumerate,
};

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (params, "sim-sequence", (gpointer) (data != NULL ? data : "count=10"));
  if (!wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, error)
      || !wsim_repository_register_provider (repo, "root\\test", &tree_provider, NULL, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (faulty_modes); i++)
    {
      g_autofree char *ns = g_strdup_printf ("root\\faulty\\%s", faulty_modes[i]);
      g_autofree char *p = g_strdup_printf ("mode=%s", faulty_modes[i]);
      g_autofree char *path = g_build_filename (WSIM_TEST_PROVIDER_DIR, "wsim-provider-sim-faulty.so", NULL);

      if (!wsim_repository_load_module (repo, ns, path, p, error))
        return FALSE;
    }
  return TRUE;
}

static WsimHarness *h;

static void
start (void)
{
  h = wsim_test_harness_start (setup, NULL);
}

static void
start_with_sequence (const char *params)
{
  g_autoptr(GError) error = NULL;

  h = wsim_harness_new (setup, (gpointer) params, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
}


/* Nothing may be left: no call on the server, no sink or call in the sink host. */
static void
assert_nothing_left (WsimClient *client)
{
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT), "server calls left");
  cr_assert_eq (wsim_sink_host_get_n_calls (wsim_client_get_sink_host (client)), 0);
  cr_assert_eq (wsim_sink_host_get_n_sinks (wsim_client_get_sink_host (client)), 0);
}

static void
stop (void)
{
  wsim_test_harness_stop (&h);
}

TestSuite (async, .fini = stop, .timeout = 120);
TestSuite (query, .fini = stop, .timeout = 120);
TestSuite (review, .fini = stop, .timeout = 120);


static WsimSinkRecorder *
run_enum (WsimServices *services, const char *cls, gint32 flags, WsimSink **out_sink)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);
  WsimHResult hr = wsim_services_create_instance_enum_async (services, cls, flags, sink, NULL);

  cr_assert_eq (hr, WBEM_S_NO_ERROR, "CreateInstanceEnumAsync %s: 0x%08X", cls, hr);
  *out_sink = sink;
  return rec;
}

Test (async, win32_process_lists_this_process, .init = start)
{
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec = run_enum (wsim_harness_get_services (h), "Win32_Process", 0, &sink);
  g_autofree char *me = g_strdup_printf ("%d", getpid ());
  gboolean found = FALSE;

  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_gt (rec->objects->len, 1);
  for (guint i = 0; i < rec->objects->len; i++)
    {
      WsimObject *o = rec->objects->pdata[i];
      g_autofree char *handle = wsim_value_to_string (wsim_object_lookup (o, "Handle"));

      if (g_str_equal (handle, me))
        {
          g_autofree char *name = wsim_value_to_string (wsim_object_lookup (o, "Name"));
          g_autofree char *path = wsim_object_get_path (o);
          g_autofree char *want = g_strdup_printf ("Win32_Process.Handle=\"%s\"", me);

          g_autofree char *comm = NULL;

          /* Under valgrind the process is named after valgrind's tool, so compare with
           * what the kernel says rather than with the program's name. */
          cr_assert (g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL));
          g_strchomp (comm);
          cr_assert_str_eq (name, comm);
          cr_assert_str_eq (path, want);
          found = TRUE;
        }
    }
  cr_assert (found, "this process (%s) is not in Win32_Process", me);
  g_clear_pointer (&sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

Test (async, errors_return_at_once_and_never_call_the_sink, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec, *ok;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(WsimSink) good = NULL;
  g_autoptr(GError) error = NULL;

  cr_assert_eq (wsim_services_create_instance_enum_async (s, "No_Such_Class", 0, sink, NULL),
                WBEM_E_INVALID_CLASS);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Win32_Process", 0x4000, sink, NULL),
                WBEM_E_INVALID_PARAMETER, "flag 0x4000 is not CreateInstanceEnumAsync's");
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Win32_Process",
                                                          WBEM_FLAG_RETURN_IMMEDIATELY, sink, NULL),
                WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Win32_Process", 0, NULL, NULL),
                WBEM_E_INVALID_PARAMETER, "NULL sink");
  cr_assert_null (wsim_client_open_namespace (wsim_harness_get_client (h), "root\\nowhere", &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_NAMESPACE), "%s",
             error->message);

  /* A later call completes; by then anything owed to the refused ones would have come. */
  ok = run_enum (s, "Win32_OperatingSystem", 0, &good);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, ok, LONG_WAIT));
  cr_assert_eq (ok->objects->len, 1);
  cr_assert_eq (rec->n_indicate + rec->n_final + rec->progress->len, 0, "a refused call reached its sink");
  g_clear_pointer (&good, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

/* Arguments longer than the wire's bounds (wsim_cim.x) are refused by the client before any
 * request, with the status the server gives that kind of bad argument and a message naming
 * the bound; the sink is never called and the server never hears of the call. */
Test (async, arguments_longer_than_the_wire_carries_are_refused_before_the_request, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec, *ok;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(WsimSink) good = NULL;
  g_autofree char *name = g_strnfill (WSIM_MAX_NAME + 1, 'A');
  g_autofree char *fits = g_strnfill (WSIM_MAX_NAME, 'A');
  g_autofree char *huge = g_strnfill (WSIM_MAX_STRING + 1, 'A');
  struct { WsimHResult got, want; guint bound; GError *error; } cases[4] = {
    { .want = WBEM_E_INVALID_CLASS, .bound = WSIM_MAX_NAME },
    { .want = WBEM_E_INVALID_OBJECT_PATH, .bound = WSIM_MAX_STRING },
    { .want = WBEM_E_INVALID_QUERY_TYPE, .bound = WSIM_MAX_NAME },
    { .want = WBEM_E_INVALID_QUERY, .bound = WSIM_MAX_STRING },
  };
  guint64 last = wsim_services_get_last_call_id (s);

  cases[0].got = wsim_services_create_instance_enum_async (s, name, 0, sink, &cases[0].error);
  cases[1].got = wsim_services_get_object_async (s, huge, 0, sink, &cases[1].error);
  cases[2].got = wsim_services_exec_query_async (s, name, "SELECT * FROM Win32_Process", 0, sink,
                                                 &cases[2].error);
  cases[3].got = wsim_services_exec_query_async (s, "WQL", huge, 0, sink, &cases[3].error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bound = g_strdup_printf ("at most %u travel on the wire", cases[i].bound);

      cr_assert_eq (cases[i].got, cases[i].want, "case %zu: 0x%08X", i, cases[i].got);
      cr_assert (g_error_matches (cases[i].error, WSIM_WBEM_ERROR, (gint) cases[i].want), "case %zu", i);
      cr_assert (strstr (cases[i].error->message, bound) != NULL, "the bound is named: %s",
                 cases[i].error->message);
      g_clear_error (&cases[i].error);
    }
  cr_assert_eq (wsim_services_get_last_call_id (s), last, "no request was made");
  /* A name at the bound travels: the server answers it (no such class). */
  cr_assert_eq (wsim_services_create_instance_enum_async (s, fits, 0, sink, NULL), WBEM_E_INVALID_CLASS);
  cr_assert_neq (wsim_services_get_last_call_id (s), last, "a name that fits is sent");

  ok = run_enum (s, "Win32_OperatingSystem", 0, &good);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, ok, LONG_WAIT));
  cr_assert_eq (rec->n_indicate + rec->n_final + rec->progress->len, 0, "a refused call reached its sink");
  g_clear_pointer (&good, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

static guint
count_class (WsimSinkRecorder *rec, const char *cls)
{
  guint n = 0;

  for (guint i = 0; i < rec->objects->len; i++)
    n += g_str_equal (wsim_class_get_name (wsim_object_get_class (rec->objects->pdata[i])), cls);
  return n;
}

Test (async, deep_shallow_and_progress, .init = start)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root/test");
  g_autoptr(WsimSink) s1 = NULL, s2 = NULL;
  WsimSinkRecorder *deep = run_enum (s, "Test_Base", WBEM_FLAG_SEND_STATUS, &s1);
  WsimSinkRecorder *shallow = run_enum (s, "test_base", WBEM_FLAG_SHALLOW, &s2);

  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, deep, LONG_WAIT));
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, shallow, LONG_WAIT));
  cr_assert_eq (deep->objects->len, 4);
  cr_assert_eq (count_class (deep, "Test_Derived"), 2);
  cr_assert_eq (shallow->objects->len, 2);
  cr_assert_eq (count_class (shallow, "Test_Derived"), 0);
  /* A derived instance carries the inherited properties first, then its own. */
  {
    WsimObject *d = deep->objects->pdata[3];
    g_autofree char *extra = wsim_value_to_string (wsim_object_lookup (d, "Extra"));
    g_autofree char *kind = wsim_value_to_string (wsim_object_lookup (d, "Kind"));

    cr_assert_str_eq (extra, "-5");
    cr_assert_str_eq (kind, "Test_Derived");
    cr_assert_str_eq (wsim_class_get_prop (wsim_object_get_class (d), 0)->name, "Id");
  }
  /* SEND_STATUS: one PROGRESS between the two classes, LOWORD done 1, HIWORD total 2. */
  cr_assert_eq (deep->progress->len, 1);
  cr_assert_eq (g_array_index (deep->progress, guint32, 0), (2u << 16) | 1u);
  cr_assert_eq (shallow->progress->len, 0, "no progress without WBEM_FLAG_SEND_STATUS");
  cr_assert_eq (deep->events_after_final + shallow->events_after_final, 0);
  g_clear_pointer (&s1, wsim_sink_unref);
  g_clear_pointer (&s2, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

typedef struct {
  WsimSinkRecorder *rec;
  guint64           n;
} AtLeast;

static gboolean
has_objects (gpointer data)
{
  AtLeast *a = data;

  return a->rec->n_objects >= a->n;
}

Test (async, cancel_with_the_same_sink_ends_every_call_made_with_it, .init = start)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\faulty\\slow");
  WsimSinkRecorder *rec, *other;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(WsimSink) stranger = wsim_sink_recorder_new (&other);
  AtLeast three = { rec, 3 };
  guint64 before;

  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, sink, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, sink, NULL), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, has_objects, &three, LONG_WAIT));

  cr_assert_eq (wsim_services_cancel_async_call (s, stranger), WBEM_E_INVALID_PARAMETER,
                "a sink that made no call");
  cr_assert_eq (wsim_services_cancel_async_call (s, NULL), WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (wsim_services_cancel_async_call (s, sink), WBEM_S_NO_ERROR);
  before = rec->n_objects;
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
  cr_assert_eq (rec->n_final, 2, "each call ends once");
  cr_assert_eq (rec->final_hr, WBEM_E_CALL_CANCELLED);
  /* Instances in flight before the cancel may still land; none after both finals. */
  cr_assert_leq (rec->n_objects - before, 8);
  cr_assert_eq (wsim_trace_count (wsim_harness_get_trace (h), 0, WSIM_TRACE_CANCEL), 2);
  cr_assert_eq (wsim_services_cancel_async_call (s, sink), WBEM_E_INVALID_PARAMETER,
                "nothing left to cancel");
  g_clear_pointer (&sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

static gboolean
two_server_calls (gpointer data)
{
  return wsim_harness_get_n_server_calls (data) == 2;
}

/* WsimServerLimits.max_calls_per_client, set through the environment as for wmisimd: the
 * call over the quota is refused at once with WBEM_E_SERVER_TOO_BUSY and its sink never hears
 * of it; the calls under it run and end once each, and the quota frees as calls end. */
Test (async, a_call_over_the_client_s_quota_is_too_busy)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec[3], *busy_rec, *after_rec;
  WsimSink *sinks[3];
  g_autoptr(WsimSink) busy = wsim_sink_recorder_new (&busy_rec);
  g_autoptr(WsimSink) after = wsim_sink_recorder_new (&after_rec);

  g_setenv ("WSIM_SERVER_MAX_CALLS_PER_CLIENT", "3", TRUE);
  start ();
  g_unsetenv ("WSIM_SERVER_MAX_CALLS_PER_CLIENT");
  s = wsim_test_open_ns (h, "root\\faulty\\slow");
  for (guint i = 0; i < 3; i++)
    rec[i] = run_enum (s, "Sim_Faulty", 0, &sinks[i]);
  for (guint i = 0; i < 3; i++)
    cr_assert (wsim_harness_run_until (h, has_objects, &(AtLeast) { rec[i], 1 }, LONG_WAIT),
               "call %u runs", i);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, busy, &error),
                WBEM_E_SERVER_TOO_BUSY, "the fourth open call");
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_SERVER_TOO_BUSY));
  cr_assert_not_null (strstr (error->message, "quota"), "%s", error->message);
  g_clear_error (&error);
  cr_assert_eq (wsim_trace_count (wsim_harness_get_trace (h), 0, WSIM_TRACE_REFUSED), 1,
                "the refusal traced");

  /* One call ends: its place is free for the next. */
  cr_assert_eq (wsim_services_cancel_async_call (s, sinks[0]), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec[0], LONG_WAIT));
  cr_assert (wsim_harness_run_until (h, two_server_calls, h, LONG_WAIT));
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, after, NULL),
                WBEM_S_NO_ERROR, "a place freed by a call that ended");
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, busy, NULL),
                WBEM_E_SERVER_TOO_BUSY, "full again");

  for (guint i = 1; i < 3; i++)
    cr_assert_eq (wsim_services_cancel_async_call (s, sinks[i]), WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_services_cancel_async_call (s, after), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
  for (guint i = 0; i < 3; i++)
    {
      cr_assert_eq (rec[i]->n_final, 1, "call %u ends once", i);
      cr_assert_eq (rec[i]->final_hr, WBEM_E_CALL_CANCELLED);
      cr_assert_gt (rec[i]->n_objects, 0, "call %u ran", i);
      wsim_sink_unref (sinks[i]);
    }
  cr_assert_eq (after_rec->n_final, 1);
  cr_assert_eq (busy_rec->n_final, 0, "a refused call's sink is never called");
  cr_assert_eq (busy_rec->n_objects, 0);
  g_clear_pointer (&busy, wsim_sink_unref);
  g_clear_pointer (&after, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

static WsimSinkRecorder *
faulty (const char *mode, WsimSink **sink, WsimServices **out)
{
  g_autofree char *ns = g_strdup_printf ("root\\faulty\\%s", mode);
  WsimServices *s = wsim_test_open_ns (h, ns);
  WsimSinkRecorder *rec = run_enum (s, "Sim_Faulty", 0, sink);

  *out = s;
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT), "%s", mode);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
  cr_assert_eq (rec->n_final, 1, "%s: one final SetStatus", mode);
  cr_assert_eq (rec->events_after_final, 0, "%s: nothing after it", mode);
  return rec;
}

Test (async, a_faulty_provider_still_yields_exactly_one_final_status, .init = start)
{
  WsimTrace *trace = wsim_harness_get_trace (h);
  g_autoptr(WsimSink) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autoptr(WsimServices) sa = NULL, sb = NULL, sc = NULL, sd = NULL;
  WsimSinkRecorder *r;

  r = faulty ("no_result", &a, &sa);
  cr_assert_eq (r->final_hr, WBEM_E_PROVIDER_FAILURE, "the runtime invents the missing result");
  cr_assert_eq (r->objects->len, 2);

  r = faulty ("two_results", &b, &sb);
  cr_assert_eq (r->final_hr, WBEM_S_NO_ERROR, "the first result stands");
  cr_assert_eq (r->objects->len, 1);

  r = faulty ("post_after_result", &c, &sc);
  cr_assert_eq (r->final_hr, WBEM_S_NO_ERROR);

  r = faulty ("error", &d, &sd);
  cr_assert_eq (r->final_hr, WBEM_E_FAILED);

  /* no_result, the second result, the late instance: each traced. */
  cr_assert_eq (wsim_trace_count (trace, 0, WSIM_TRACE_VIOLATION), 3);
  cr_assert_eq (wsim_trace_count (trace, 0, WSIM_TRACE_FINAL), 4);
  g_clear_pointer (&a, wsim_sink_unref);
  g_clear_pointer (&b, wsim_sink_unref);
  g_clear_pointer (&c, wsim_sink_unref);
  g_clear_pointer (&d, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

/* A failed call's final SetStatus carries the reason as strParam: the provider's own message
 * or the runtime's; a success's carries none (WMI sends none for enumerations). */
Test (async, a_failed_call_s_final_status_carries_the_reason_in_str_param, .init = start)
{
  g_autoptr(WsimSink) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autoptr(WsimServices) sa = NULL, sb = NULL;
  WsimSinkRecorder *r;

  r = faulty ("error", &a, &sa);
  cr_assert_eq (r->final_hr, WBEM_E_FAILED);
  cr_assert_str_eq (r->final_str_param, "simulated failure");
  r = faulty ("no_result", &b, &sb);
  cr_assert_eq (r->final_hr, WBEM_E_PROVIDER_FAILURE);
  cr_assert_str_eq (r->final_str_param, "the provider posted no result", "the runtime's reason");
  r = run_enum (wsim_harness_get_services (h), "Sim_Faulty", 0, &c);   /* no mode in root\cimv2 */
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, r, LONG_WAIT));
  cr_assert_eq (r->final_hr, WBEM_E_INVALID_PARAMETER);
  cr_assert_str_eq (r->final_str_param, "Sim_Faulty: no mode");
  r = run_enum (wsim_harness_get_services (h), "Win32_OperatingSystem", 0, &d);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, r, LONG_WAIT));
  cr_assert_eq (r->final_hr, WBEM_S_NO_ERROR);
  cr_assert_null (r->final_str_param, "a success has no strParam: %s", r->final_str_param);
  g_clear_pointer (&a, wsim_sink_unref);
  g_clear_pointer (&b, wsim_sink_unref);
  g_clear_pointer (&c, wsim_sink_unref);
  g_clear_pointer (&d, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

Test (async, shutdown_ends_open_calls_with_shutting_down, .init = start)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\faulty\\slow");
  g_autoptr(WsimSink) s1 = NULL, s2 = NULL;
  WsimSinkRecorder *r1 = run_enum (s, "Sim_Faulty", 0, &s1);
  WsimSinkRecorder *r2 = run_enum (s, "Sim_Faulty", 0, &s2);
  AtLeast one = { r2, 1 };

  cr_assert (wsim_harness_run_until (h, has_objects, &one, LONG_WAIT));
  wsim_harness_shutdown_server (h);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, r1, LONG_WAIT));
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, r2, LONG_WAIT));
  cr_assert_eq (r1->final_hr, WBEM_E_SHUTTING_DOWN);
  cr_assert_eq (r2->final_hr, WBEM_E_SHUTTING_DOWN);
  cr_assert_eq (r1->n_final + r2->n_final, 2);
  g_clear_pointer (&s1, wsim_sink_unref);
  g_clear_pointer (&s2, wsim_sink_unref);
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT));
  cr_assert_eq (wsim_sink_host_get_n_sinks (wsim_client_get_sink_host (wsim_harness_get_client (h))), 0);
}

typedef struct {
  WsimTrace *trace;
  guint      kind;
} TraceHas;

static gboolean
trace_has (gpointer data)
{
  TraceHas *t = data;

  return wsim_trace_count (t->trace, 0, t->kind) > 0;
}

Test (async, a_vanished_sink_host_tears_the_call_down, .init = start)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  WsimClient *client = wsim_client_connect (ctx, wsim_harness_get_address (h), &error);
  WsimServices *s;
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  TraceHas teardown = { wsim_harness_get_trace (h), WSIM_TRACE_TEARDOWN };

  cr_assert_not_null (client, "%s", error ? error->message : "");
  s = wsim_client_open_namespace (client, "root\\faulty\\slow", &error);
  cr_assert_not_null (s);
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Faulty", 0, sink, NULL), WBEM_S_NO_ERROR);
  /* The client and its sink host go away mid-call (the sink never ran: its context was
   * never iterated). */
  wsim_services_unref (s);
  wsim_client_unref (client);
  cr_assert (wsim_harness_run_until (h, trace_has, &teardown, LONG_WAIT));
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT), "the call is torn down");
  cr_assert_eq (rec->n_final, 0);
}

typedef struct {
  WsimTrace *trace;
  guint      seen_max;
} Window;

static void
count_indicates (WsimServer *server, gpointer data)
{
  Window *w = data;

  w->seen_max = MAX (w->seen_max, wsim_trace_count (w->trace, 0, WSIM_TRACE_INDICATE));
}

Test (async, a_slow_sink_slows_the_provider)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) slow_ctx = g_main_context_new ();
  WsimClient *client;
  WsimServices *s;
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  WsimServerLimits limits;
  Window w;
  gint64 end;

  start_with_sequence ("count=100000;props=10;size=20");
  w.trace = wsim_harness_get_trace (h);
  w.seen_max = 0;
  client = wsim_client_connect (slow_ctx, wsim_harness_get_address (h), &error);
  cr_assert_not_null (client);
  s = wsim_client_open_namespace (client, "root\\cimv2", &error);
  rec->keep_objects = FALSE;
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, NULL), WBEM_S_NO_ERROR);
  /* The sink host answers the ladder's QUERY on the sink's context: let that through. */
  {
    TraceHas settled = { w.trace, WSIM_TRACE_CALLBACK };
    gint64 deadline = g_get_monotonic_time () + LONG_WAIT * 1000;

    while (wsim_trace_count (w.trace, 0, WSIM_TRACE_CALLBACK) == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (slow_ctx, FALSE);
    cr_assert (trace_has (&settled), "the ladder never reached the sink host");
  }

  /* The sink's context is not iterated: the server may have at most its window of
   * Indicate calls out, and the provider must wait rather than fill memory. Watch the
   * server for a while from its own thread. */
  wsim_harness_invoke (h, (WsimHarnessFunc) (void (*) (void)) wsim_server_get_limits, &limits);
  end = g_get_monotonic_time () + 300 * 1000;
  while (g_get_monotonic_time () < end)
    wsim_harness_invoke (h, count_indicates, &w);
  /* The sink may have taken a batch or two while the loop above let the QUERY through;
   * what counts is what went out beyond what it took. */
  cr_assert_geq (w.seen_max, rec->n_indicate + 1);
  cr_assert_leq (w.seen_max - rec->n_indicate, limits.max_indicates_in_flight,
                 "%u Indicate calls sent to a sink that read %u and then nothing", w.seen_max,
                 rec->n_indicate);

  /* Now the sink reads: everything arrives, once. */
  while (!wsim_sink_recorder_is_complete (rec) && g_main_context_iteration (slow_ctx, TRUE))
    ;
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->n_objects, 100000);
  wsim_services_unref (s);
  assert_nothing_left (client);
  wsim_client_unref (client);
}

Test (async, provider_modules_with_a_wrong_abi_or_no_entry_are_refused)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;
  g_autofree char *bad = g_build_filename (WSIM_TEST_PROVIDER_DIR, "test-bad-abi",
                                           "wsim-provider-test-bad-abi.so", NULL);
  g_autofree char *none = g_build_filename (WSIM_TEST_PROVIDER_DIR, "test-no-entry",
                                            "wsim-provider-test-no-entry.so", NULL);

  cr_assert_not (wsim_repository_load_module (repo, "root\\cimv2", bad, NULL, &e1));
  cr_assert (g_error_matches (e1, WSIM_WBEM_ERROR, (gint) WBEM_E_PROVIDER_LOAD_FAILURE));
  cr_assert (strstr (e1->message, "ABI version 999") != NULL, "%s", e1->message);
  cr_assert_not (wsim_repository_load_module (repo, "root\\cimv2", none, NULL, &e2));
  cr_assert (strstr (e2->message, "does not export wsim_provider_entry") != NULL, "%s", e2->message);
  cr_assert_not (wsim_repository_load_module (repo, "root\\cimv2", "/nonexistent.so", NULL, &e3));
  cr_assert_null (wsim_repository_lookup_class (repo, "root\\cimv2", "Sim_Faulty", NULL));
}

/* Parameters for a provider the directory does not have are refused before anything
 * loads, naming what the directory has; parameters for one it has are taken. */
Test (async, load_dir_refuses_parameters_for_a_provider_it_does_not_have)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (params, "sim-sequence", "count=3");
  g_hash_table_insert (params, "sim-sequnce", "count=5");
  cr_assert_not (wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PARAMETER));
  cr_assert (strstr (error->message, "'sim-sequnce'") != NULL, "%s", error->message);
  cr_assert (strstr (error->message, "(it has: ") != NULL && strstr (error->message, "sim-sequence")
             != NULL, "%s", error->message);
  cr_assert_null (wsim_repository_lookup_class (repo, "root\\cimv2", "Sim_Sequence", NULL),
                  "nothing loaded");
  g_hash_table_remove (params, "sim-sequnce");
  g_clear_error (&error);
  cr_assert (wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, &error),
             "%s", error ? error->message : "");
}

/* ---- GetObjectAsync and ExecQueryAsync ------------------------------------------ */

static WsimSinkRecorder *
finished (WsimSinkRecorder *rec)
{
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
  cr_assert_eq (rec->n_final, 1);
  return rec;
}

static char *
prop_text (WsimObject *o, const char *name)
{
  const wsim_value *v = wsim_object_lookup (o, name);

  cr_assert_not_null (v, "no property %s", name);
  return wsim_value_is_null (v) ? g_strdup ("(null)") : wsim_value_to_string (v);
}

Test (query, get_object_by_path, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  g_autoptr(WsimServices) tree = wsim_test_open_ns (h, "root\\test");
  WsimSinkRecorder *found, *missing, *derived;
  g_autoptr(WsimSink) a = wsim_sink_recorder_new (&found);
  g_autoptr(WsimSink) b = wsim_sink_recorder_new (&missing);
  g_autoptr(WsimSink) c = wsim_sink_recorder_new (&derived);
  g_autofree char *path = g_strdup_printf ("Win32_Process.Handle=\"%d\"", getpid ());

  cr_assert_eq (wsim_services_get_object_async (s, path, 0, a, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_services_get_object_async (s, "Win32_Process.Handle=\"999999999\"", 0, b, NULL),
                WBEM_S_NO_ERROR);
  /* Test_Base's provider has no get(): the runtime enumerates and matches the keys, the
   * subclass included. */
  cr_assert_eq (wsim_services_get_object_async (tree, "Test_Base.Id=1", 0, c, NULL), WBEM_S_NO_ERROR);
  finished (found);
  finished (missing);
  finished (derived);
  cr_assert_eq (found->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (found->objects->len, 1);
  {
    g_autofree char *got = wsim_object_get_path (found->objects->pdata[0]);

    cr_assert_str_eq (got, path);
  }
  cr_assert_eq (missing->final_hr, WBEM_E_NOT_FOUND);
  cr_assert_eq (missing->objects->len, 0);
  cr_assert_eq (derived->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (derived->objects->len, 1, "GetObject yields one instance");
  g_clear_pointer (&a, wsim_sink_unref);
  g_clear_pointer (&b, wsim_sink_unref);
  g_clear_pointer (&c, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

Test (query, bad_paths_are_refused_with_their_position, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  struct { const char *path; WsimHResult hr; const char *says; } cases[] = {
    { "Win32_Process.Handle=\"1", WBEM_E_INVALID_OBJECT_PATH, "position 22" },
    { "Win32_Process.=5", WBEM_E_INVALID_OBJECT_PATH, "position 15" },
    { "", WBEM_E_INVALID_OBJECT_PATH, "position" },
    { "Win32_Process.Name=\"x\"", WBEM_E_INVALID_OBJECT_PATH, "Name is not a key" },
    { "No_Such.Id=1", WBEM_E_INVALID_CLASS, "No_Such" },
    { "\\\\.\\root\\nowhere:Win32_Process.Handle=\"1\"", WBEM_E_INVALID_OBJECT_PATH, "nowhere" },
  };
  /* A class path ("Win32_Process") gives the class object now: tests/runtime/test-schema.c. */

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      WsimHResult hr = wsim_services_get_object_async (s, cases[i].path, 0, sink, &error);

      cr_assert_eq (hr, cases[i].hr, "%s: 0x%08X", cases[i].path, hr);
      cr_assert_not_null (error);
      cr_assert (strstr (error->message, cases[i].says) != NULL, "%s: %s", cases[i].path, error->message);
    }
  cr_assert_eq (wsim_services_get_object_async (s, "Win32_Process.Handle=\"1\"", 0x1, sink, NULL),
                WBEM_E_INVALID_PARAMETER, "WBEM_FLAG_SHALLOW is not GetObjectAsync's");
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
  g_clear_pointer (&sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

Test (query, where_filters_and_select_projects)
{
  WsimSinkRecorder *rec, *deep;
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(WsimSink) tree_sink = NULL;
  g_autoptr(WsimServices) tree = NULL;
  g_autoptr(GError) error = NULL;

  start_with_sequence ("count=100;props=3;size=8");
  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_exec_query_async (wsim_harness_get_services (h), "wql",
                                                "SELECT Id, P1 FROM Sim_Sequence WHERE (Id >= 10 AND Id < 20) "
                                                "OR P3 LIKE '%9903'", 0, sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  finished (rec);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  /* Ids 10..19, and Id 99 whose P3 is "00009903". */
  cr_assert_eq (rec->objects->len, 11);
  for (guint i = 0; i < rec->objects->len; i++)
    {
      g_autofree char *id = prop_text (rec->objects->pdata[i], "Id");
      g_autofree char *p1 = prop_text (rec->objects->pdata[i], "P1");
      g_autofree char *p2 = prop_text (rec->objects->pdata[i], "P2");
      g_autofree char *want = g_strdup_printf ("%08d", atoi (id) * 100 + 1);

      cr_assert (atoi (id) == 99 || (atoi (id) >= 10 && atoi (id) < 20), "Id %s", id);
      cr_assert_str_eq (p1, want, "selected");
      cr_assert_str_eq (p2, "(null)", "not selected");
    }

  tree = wsim_test_open_ns (h, "root\\test");
  tree_sink = wsim_sink_recorder_new (&deep);
  cr_assert_eq (wsim_services_exec_query_async (tree, "WQL", "SELECT * FROM Test_Base WHERE Id = 1", 0,
                                                tree_sink, NULL), WBEM_S_NO_ERROR);
  finished (deep);
  cr_assert_eq (deep->objects->len, 2, "a query on a class covers its subclasses");
  g_clear_pointer (&sink, wsim_sink_unref);
  g_clear_pointer (&tree_sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

Test (query, bad_queries_are_refused_with_a_clear_status, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  GString *huge = g_string_new ("SELECT * FROM Win32_Process WHERE ");
  struct { const char *lang, *q; WsimHResult hr; const char *says; } cases[] = {
    { "WQL", "SELECT * FROM Win32_Process WHER Name = 1", WBEM_E_INVALID_QUERY, "position 29" },
    { "WQL", "SELECT FROM Win32_Process", WBEM_E_INVALID_QUERY, "position 8" },
    { "WQL", "SELECT * FROM Win32_Process WHERE Nope = 1", WBEM_E_INVALID_QUERY, "Nope" },
    { "WQL", "SELECT * FROM Nothing", WBEM_E_INVALID_CLASS, "Nothing" },
    { "SQL", "SELECT * FROM Win32_Process", WBEM_E_INVALID_QUERY_TYPE, "SQL" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      WsimHResult hr = wsim_services_exec_query_async (s, cases[i].lang, cases[i].q, 0, sink, &error);

      cr_assert_eq (hr, cases[i].hr, "%s: 0x%08X", cases[i].q, hr);
      cr_assert (strstr (error->message, cases[i].says) != NULL, "%s: %s", cases[i].q, error->message);
    }

  /* A 1 MiB query: accepted and answered when well formed, refused when nested too deep. */
  while (huge->len < 1024 * 1024)
    g_string_append (huge, "ProcessId = 4294967295 OR ");
  g_string_append (huge, "ProcessId = 1");
  {
    WsimSinkRecorder *big;
    g_autoptr(WsimSink) big_sink = wsim_sink_recorder_new (&big);
    g_autoptr(GError) error = NULL;
    g_autofree char *deep = g_strnfill (1024 * 1024, '(');

    cr_assert_eq (wsim_services_exec_query_async (s, "WQL", huge->str, 0, big_sink, &error),
                  WBEM_S_NO_ERROR, "%s", error ? error->message : "");
    finished (big);
    cr_assert_eq (big->objects->len, 1, "only process 1 matches");
    cr_assert_eq (wsim_services_exec_query_async (s, "WQL", deep, 0, sink, &error), WBEM_E_INVALID_QUERY);
    g_clear_pointer (&big_sink, wsim_sink_unref);
  }
  g_string_free (huge, TRUE);
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
  g_clear_pointer (&sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

/* ---- found in review: regressions ------------------------------------------------ */

#include "wsim-address.h"
#include "wsim-rpc-client.h"
#include "wsim_service.h"

static WsimHResult
raw_enum (const char *endpoint, const char *cls, guint64 call_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) addr = wsim_address_parse (wsim_harness_get_address (h), NULL);
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(WsimRpcClient) raw = wsim_rpc_client_connect (ctx, addr, WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &error);
  wsim_open_namespace_args oa = { .namespace_path = (char *) "root\\cimv2" };
  wsim_open_namespace_res ores = { 0 };
  wsim_create_instance_enum_async_args a = { 0 };
  wsim_async_res res = { 0 };
  WsimHResult hr;

  cr_assert_not_null (raw);
  cr_assert (wsim_rpc_client_call_sync (raw, WSIM_OPEN_NAMESPACE, (xdrproc_t) xdr_wsim_open_namespace_args, &oa,
                                        (xdrproc_t) xdr_wsim_open_namespace_res, &ores, 5000, NULL, &error));
  a.ns_handle = ores.ns_handle;
  a.class_name = (char *) cls;
  a.sink.endpoint = (char *) endpoint;
  a.sink.sink_id = 1;
  a.call_id = call_id;
  cr_assert (wsim_rpc_client_call_sync (raw, WSIM_CREATE_INSTANCE_ENUM_ASYNC,
                                        (xdrproc_t) xdr_wsim_create_instance_enum_async_args, &a,
                                        (xdrproc_t) xdr_wsim_async_res, &res, 5000, NULL, &error));
  hr = res.hresult;
  xdr_free ((xdrproc_t) xdr_wsim_async_res, (char *) &res);
  return hr;
}

Test (review, a_sink_nobody_can_call_is_refused_or_torn_down, .init = start)
{
  TraceHas teardown = { wsim_harness_get_trace (h), WSIM_TRACE_TEARDOWN };
  g_autoptr(GPtrArray) events = NULL;

  cr_assert_eq (raw_enum ("not an address", "Win32_Process", 7), WBEM_E_INVALID_PARAMETER);
  /* A well-formed endpoint where nothing listens: the callbacks wait for a connect that
   * fails; the call must still end and leave the table (ASan and valgrind watch it). */
  cr_assert_eq (raw_enum ("tcp:127.0.0.1:1", "Win32_Process", 8), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, trace_has, &teardown, LONG_WAIT));
  cr_assert (wsim_harness_run_until (h, wsim_test_server_idle, h, LONG_WAIT), "the call never left the table");
  events = wsim_trace_get_events (wsim_harness_get_trace (h), 8);
  cr_assert_eq (((WsimTraceEvent *) events->pdata[events->len - 1])->kind, WSIM_TRACE_TEARDOWN);
  /* The callbacks waited for a connect that failed: the trace ends with why. */
  cr_assert (strstr (((WsimTraceEvent *) events->pdata[events->len - 1])->detail, "connect failed") != NULL,
             "%s", ((WsimTraceEvent *) events->pdata[events->len - 1])->detail);
}

typedef struct {
  WsimServices *services;
  guint         finals;
  WsimHResult   chained;
} Chain;

static void
chain_set_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
                  WsimObject *obj, gpointer data)
{
  Chain *c = data;

  if (flags != WBEM_STATUS_COMPLETE)
    return;
  c->finals++;
  /* From inside the final SetStatus: another call with the same sink, refused. */
  c->chained = wsim_services_create_instance_enum_async (c->services, "No_Such_Class", 0, sink, NULL);
}

static const WsimSinkOps chain_ops = { .set_status = chain_set_status };

static gboolean
chain_done (gpointer data)
{
  return ((Chain *) data)->finals > 0;
}

Test (review, a_sink_may_make_calls_from_its_final_set_status, .init = start)
{
  Chain c = { wsim_harness_get_services (h), 0, 0 };
  g_autoptr(WsimSink) sink = wsim_sink_new (&chain_ops, &c, NULL);

  cr_assert_eq (wsim_services_create_instance_enum_async (c.services, "Win32_OperatingSystem", 0, sink, NULL),
                WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, chain_done, &c, LONG_WAIT));
  cr_assert_eq (c.chained, WBEM_E_INVALID_CLASS);
  cr_assert_eq (c.finals, 1);
  g_clear_pointer (&sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

static const WsimProvProperty one_prop[] = { { "Id", WSIM_PROV_UINT32, 1 } };
static const WsimProvClass half_bad[] = {
  { "Good_One", NULL, one_prop, 1 },
  { "Bad_Two", "Nowhere_Base", one_prop, 1 },
};
static const WsimProvider half_bad_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION, .name = "half-bad",
  .classes = half_bad, .n_classes = 2, .enumerate = tree_enumerate,
};

Test (review, a_refused_provider_leaves_no_class_behind)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) error = NULL;

  cr_assert_not (wsim_repository_register_provider (repo, "root\\cimv2", &half_bad_provider, NULL, &error));
  cr_assert (strstr (error->message, "derives from unknown Nowhere_Base") != NULL, "%s", error->message);
  cr_assert_null (wsim_repository_lookup_class (repo, "root\\cimv2", "Good_One", NULL));
  /* The same classes from a sound provider register fine afterwards. */
  cr_assert (wsim_repository_register_provider (repo, "root\\cimv2", &tree_provider, NULL, NULL));
}

/* ---- found by a new user: WQL and object paths through a server ------------------ */

/* Runs @q on @s to its end; returns how many instances the sink received. */
static guint
count_rows (WsimServices *s, const char *q)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;

  cr_assert_eq (wsim_services_exec_query_async (s, "WQL", q, 0, sink, &error), WBEM_S_NO_ERROR,
                "%s: %s", q, error ? error->message : "");
  finished (rec);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR, "%s: 0x%08X", q, rec->final_hr);
  return rec->objects->len;
}

Test (query, equals_null_is_is_null_through_a_server, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);

  /* The harness's Sim_Sequence (count=10) has P1..P10 set and P11..P32 null. */
  cr_assert_eq (count_rows (s, "SELECT Id FROM Sim_Sequence WHERE P20 = NULL"), 10);
  cr_assert_eq (count_rows (s, "SELECT Id FROM Sim_Sequence WHERE NULL = P1"), 0);
  cr_assert_eq (count_rows (s, "SELECT Id FROM Sim_Sequence WHERE P1 <> NULL"), 10);
  cr_assert_eq (count_rows (s, "SELECT Id FROM Sim_Sequence WHERE P20 != NULL OR Id = 3"), 1);
  assert_nothing_left (wsim_harness_get_client (h));
}

/* Refused at once with @hr and a message containing @says; nothing reaches the sink. */
static void
assert_query_refused (WsimServices *s, const char *q, WsimHResult hr, const char *says)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult got = wsim_services_exec_query_async (s, "WQL", q, 0, sink, &error);

  cr_assert_eq (got, hr, "%s: 0x%08X", q, got);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) hr), "%s", q);
  cr_assert (strstr (error->message, says) != NULL, "%s: %s", q, error->message);
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
}

Test (query, a_comparison_needs_a_property_on_one_side_only, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);

  assert_query_refused (s, "SELECT * FROM Win32_Process WHERE Name = Name", WBEM_E_INVALID_QUERY,
                        "position 42: expected a constant");
  assert_query_refused (s, "SELECT * FROM Win32_Process WHERE 1 = 1", WBEM_E_INVALID_QUERY,
                        "position 39: expected a property name");
  assert_query_refused (s, "SELECT * FROM Win32_Process WHERE NULL IS NULL", WBEM_E_INVALID_QUERY,
                        "position 35: expected a property name");
  cr_assert_eq (count_rows (s, "SELECT Handle FROM Win32_Process WHERE 1 = ProcessId"), 1);
  assert_nothing_left (wsim_harness_get_client (h));
}

/* Association queries are served, class objects among their answers (test-wql-assoc.c);
 * here the keywords' misuse is refused at once and a schema query of a namespace without
 * associations gives nothing. */
Test (query, association_queries_for_class_objects, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);

  assert_query_refused (s, "ASSOCIATORS OF {Win32_Process.Handle=\"1\"} WHERE SchemaOnly",
                        WBEM_E_INVALID_QUERY, "SchemaOnly needs a class as the source");
  assert_query_refused (s, "REFERENCES OF {Win32_Process} WHERE ClassDefsOnly", WBEM_E_INVALID_QUERY,
                        "ClassDefsOnly is not valid in a schema query");
  cr_assert_eq (wsim_services_exec_query_async (s, "WQL", "REFERENCES OF {Win32_Process} WHERE SchemaOnly",
                                                0, sink, NULL), WBEM_S_NO_ERROR);
  finished (rec);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len + rec->classes->len, 0);
  assert_nothing_left (wsim_harness_get_client (h));
}

Test (query, get_object_takes_single_quoted_keys, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("Win32_Process.Handle='%d'", getpid ());
  g_autofree char *want = g_strdup_printf ("Win32_Process.Handle=\"%d\"", getpid ());

  cr_assert_eq (wsim_services_get_object_async (s, path, 0, sink, &error), WBEM_S_NO_ERROR,
                "%s: %s", path, error ? error->message : "");
  finished (rec);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  {
    g_autofree char *got = wsim_object_get_path (rec->objects->pdata[0]);

    cr_assert_str_eq (got, want);
  }
  g_clear_pointer (&sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}

/* GetObjectAsync refused at once with @hr and a message containing @says; nothing
 * reaches the sink. */
static void
assert_get_refused (WsimServices *s, const char *path, WsimHResult hr, const char *says)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult got = wsim_services_get_object_async (s, path, 0, sink, &error);

  cr_assert_eq (got, hr, "%s: 0x%08X", path, got);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) hr), "%s", path);
  cr_assert (strstr (error->message, says) != NULL, "%s: %s", path, error->message);
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
}

/* Asserts that GetObjectAsync(@path) on @s yields this process. */
static void
assert_get_finds_me (WsimServices *s, const char *path)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  g_autofree char *me = g_strdup_printf ("%d", getpid ());

  cr_assert_eq (wsim_services_get_object_async (s, path, 0, sink, &error), WBEM_S_NO_ERROR,
                "%s: %s", path, error ? error->message : "");
  finished (rec);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR, "%s: 0x%08X", path, rec->final_hr);
  cr_assert_eq (rec->objects->len, 1, "%s", path);
  {
    g_autofree char *handle = prop_text (rec->objects->pdata[0], "Handle");

    cr_assert_str_eq (handle, me, "%s", path);
  }
}

Test (query, get_object_refuses_a_path_naming_another_server, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  const char *local[] = { ".", "localhost", "LOCALHOST", g_get_host_name () };

  assert_get_refused (s, "\\\\otherhost\\root\\cimv2:Win32_Process.Handle=\"1\"",
                      WBEM_E_INVALID_OBJECT_PATH, "server 'otherhost'");
  assert_get_refused (s, "//10.1.2.3/root/cimv2:Win32_Process.Handle=\"1\"",
                      WBEM_E_INVALID_OBJECT_PATH, "server '10.1.2.3'");
  for (gsize i = 0; i < G_N_ELEMENTS (local); i++)
    {
      g_autofree char *path = g_strdup_printf ("\\\\%s\\root\\cimv2:Win32_Process.Handle=\"%d\"",
                                               local[i], getpid ());

      assert_get_finds_me (s, path);
    }
  assert_nothing_left (wsim_harness_get_client (h));
}

/* Objects come only from the namespace the services were opened on (MS-WMI GetObject).
 * Another namespace, existing or not, is refused alike, naming both; the same one,
 * however written, is served. */
Test (query, get_object_serves_only_the_namespace_of_its_services, .init = start)
{
  WsimServices *s = wsim_harness_get_services (h);
  g_autoptr(WsimServices) tree = wsim_test_open_ns (h, "root\\test");
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  const char *same[] = { "root\\cimv2", "ROOT/CimV2", "\\\\.\\Root\\CIMV2", "//localhost/root/cimv2" };

  assert_get_refused (s, "root\\test:Test_Base.Id=1", WBEM_E_INVALID_OBJECT_PATH,
                      "namespace 'root\\test', but these services are open on 'root\\cimv2'");
  assert_get_refused (s, "\\\\.\\root\\nowhere:Win32_Process.Handle=\"1\"", WBEM_E_INVALID_OBJECT_PATH,
                      "namespace 'root\\nowhere', but these services are open on 'root\\cimv2'");
  assert_get_refused (s, "root:Win32_Process.Handle=\"1\"", WBEM_E_INVALID_OBJECT_PATH,
                      "namespace 'root', but");
  assert_get_refused (tree, "root\\cimv2:Win32_Process.Handle=\"1\"", WBEM_E_INVALID_OBJECT_PATH,
                      "namespace 'root\\cimv2', but these services are open on 'root\\test'");
  for (gsize i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s:Win32_Process.Handle=\"%d\"", same[i], getpid ());

      assert_get_finds_me (s, path);
    }
  cr_assert_eq (wsim_services_get_object_async (tree, "root/TEST:Test_Base.Id=1", 0, sink, NULL),
                WBEM_S_NO_ERROR);
  finished (rec);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  g_clear_pointer (&sink, wsim_sink_unref);
  assert_nothing_left (wsim_harness_get_client (h));
}
