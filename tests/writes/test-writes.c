/* test-writes.c: PutInstanceAsync and DeleteInstanceAsync (MS-WMI opnums 15 and 17) end to
 * end, and the repository's store (docs/writes.md).
 *
 * A harness whose root\test holds static classes (Sim_Stored with one instance, Sim_Counter)
 * kept in a temporary directory, the sample providers in root\cimv2 (Win32_OperatingSystem
 * cannot write) and a version 1 provider in root\old. Each refusal is asserted with WMI's
 * exact HRESULT and no callback; each accepted call with no object and exactly one final
 * SetStatus. The store outlives the server (restart tests), and a writer killed with
 * SIGKILL at varied points leaves exactly one of its committed states. */
#include <criterion/criterion.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wsim-context.h"
#include "wsim-extended-status.h"
#include "wsim-test-files.h"
#include "wsim-test-harness.h"
#include "wsim-test-writes.h"
#include "wsim-test-payload.h"

/* ---- fixture ----------------------------------------------------------------------- */

static const WsimProvProperty old_props[] = { { "Id", WSIM_PROV_UINT32, 1 } };
static const WsimProvClass old_classes[] = { { "Test_Old", NULL, old_props, 1 } };

static void
old_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  ctx->ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static WsimProvider *old_table;   /* WSIM_PROVIDER_V1_SIZE bytes: a version 1 table */
static char *dir;                 /* the store's directory */
static WsimHarness *h;

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  const WsimProvider v1 = {
    .abi_version = WSIM_PROVIDER_ABI_VERSION_1, .name = "test-old", .classes = old_classes,
    .n_classes = 1, .enumerate = old_enumerate,
  };

  if (old_table == NULL)
    old_table = g_malloc (WSIM_PROVIDER_V1_SIZE);
  memcpy (old_table, &v1, WSIM_PROVIDER_V1_SIZE);
  return wsim_repository_register_provider (wsim_server_get_repository (server), "root\\old",
                                            old_table, NULL, error)
         && writes_setup (server, data, error);
}

static WsimHarness *
harness_start (void)
{
  return wsim_test_harness_start (setup, dir);
}

/* Stops @harness once its server has no call open (nothing left to write). */
static void
harness_stop (WsimHarness *harness)
{
  cr_assert (wsim_harness_run_until (harness, wsim_test_server_idle, harness, WRITES_WAIT),
             "server calls left");
  wsim_harness_free (harness);
}

/* Restarts the suite's server on the same directory; *@s becomes services on root\test of
 * the new one. */
static void
restart (WsimServices **s)
{
  g_clear_pointer (s, wsim_services_unref);
  harness_stop (h);
  h = harness_start ();
  *s = wsim_test_open_ns (h, "root\\test");
}

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  dir = g_dir_make_tmp ("wsim-writes-XXXXXX", &error);
  cr_assert_not_null (dir, "%s", error ? error->message : "");
  h = harness_start ();
}

static void
stop (void)
{
  if (h != NULL)
    harness_stop (h);
  h = NULL;
  if (dir != NULL)
    wsim_test_remove_dir (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&old_table, g_free);
}

TestSuite (writes, .init = start, .fini = stop, .timeout = 60);

/* ---- calls ------------------------------------------------------------------------- */

/* Checks an *Async call's immediate return @hr against @want; a refusal must not have
 * called the sink; an accepted call is waited for: one final, no object, nothing after. */
static WsimHResult
finish (WsimHarness *harness, WsimHResult hr, GError *error, WsimSink *sink,
        WsimSinkRecorder *rec, WsimHResult want, const char *what, char **out_str_param)
{
  cr_assert_eq (hr, want, "%s: 0x%08X (%s), want 0x%08X", what, hr, error ? error->message : "",
                want);
  if (WSIM_HRESULT_FAILED (hr))
    {
      /* The refusal says why, and never calls the sink. */
      cr_assert_not_null (error);
      cr_assert_eq (error->code, (gint) want);
      cr_assert (wsim_harness_run_until (harness, wsim_test_server_idle, harness, WRITES_WAIT));
      cr_assert_eq (rec->n_indicate, 0);
      cr_assert_eq (rec->n_final, 0);
      wsim_sink_unref (sink);
      return hr;
    }
  cr_assert (wsim_harness_run_until (harness, wsim_sink_recorder_is_complete, rec, WRITES_WAIT),
             "%s: no final", what);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->n_indicate, 0, "%s: a write indicates nothing", what);
  cr_assert_eq (rec->events_after_final, 0);
  hr = rec->final_hr;
  if (out_str_param != NULL)
    *out_str_param = g_strdup (rec->final_str_param);
  wsim_sink_unref (sink);
  return hr;
}

/* PutInstanceAsync of @obj: the immediate HRESULT must be @want; returns the final status
 * (or the refusal), the final's strParam in *@out_path. */
static WsimHResult
put_in (WsimHarness *harness, WsimServices *s, WsimObject *obj, gint32 flags, WsimHResult want,
        char **out_path)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_put_instance_async (s, obj, flags, sink, &error);

  return finish (harness, hr, error, sink, rec, want, "put", out_path);
}

static WsimHResult
put (WsimObject *obj, gint32 flags, WsimHResult want, char **out_path)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");

  return put_in (h, s, obj, flags, want, out_path);
}

static WsimHResult
del_in (WsimHarness *harness, WsimServices *s, const char *path, gint32 flags, WsimHResult want)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_delete_instance_async (s, path, flags, sink, &error);

  return finish (harness, hr, error, sink, rec, want, path, NULL);
}

/* GetObjectAsync of @path: its immediate HRESULT; accepted, the call is waited for (*@out_sink
 * holds the recorder *@rec; transfer full). */
static WsimHResult
get_call (WsimHarness *harness, WsimServices *s, const char *path, WsimSink **out_sink,
          WsimSinkRecorder **rec)
{
  g_autoptr(GError) error = NULL;
  WsimHResult hr;

  *out_sink = wsim_sink_recorder_new (rec);
  hr = wsim_services_get_object_async (s, path, 0, *out_sink, &error);
  if (!WSIM_HRESULT_FAILED (hr))
    cr_assert (wsim_harness_run_until (harness, wsim_sink_recorder_is_complete, *rec, WRITES_WAIT));
  return hr;
}

/* GetObjectAsync of @path: the one object (transfer full), or NULL for WBEM_E_NOT_FOUND. */
static WsimObject *
get_in (WsimHarness *harness, WsimServices *s, const char *path)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = NULL;
  WsimHResult hr = get_call (harness, s, path, &sink, &rec);

  cr_assert_eq (hr, WBEM_S_NO_ERROR, "get %s: 0x%08X", path, hr);
  if (rec->final_hr == WBEM_E_NOT_FOUND)
    {
      cr_assert_eq (rec->objects->len, 0);
      return NULL;
    }
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR, "get %s: 0x%08X", path, rec->final_hr);
  cr_assert_eq (rec->objects->len, 1);
  return wsim_object_ref (rec->objects->pdata[0]);
}

static guint32
get_size (WsimHarness *harness, WsimServices *s, const char *path)
{
  g_autoptr(WsimObject) obj = get_in (harness, s, path);

  cr_assert_not_null (obj, "%s: not found", path);
  cr_assert_eq (wsim_object_lookup (obj, "Size")->type, CIM_UINT32);
  return wsim_object_lookup (obj, "Size")->wsim_value_u.v_uint32;
}

/* ---- the happy paths ----------------------------------------------------------------- */

Test (writes, create_update_delete_with_the_new_path)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) a = writes_text_object ("Sim_Stored", "Name", "a", "Size", "7",
                                                "Note", "n", NULL);
  g_autoptr(WsimObject) a2 = writes_text_object ("Sim_Stored", "Name", "A", "Size", "8", NULL);
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;

  /* The final's strParam is the new instance's path (IWbemObjectSink::SetStatus). */
  cr_assert_eq (put_in (h, s, a, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, &path), WBEM_S_NO_ERROR);
  cr_assert_str_eq (path, "Sim_Stored.Name=\"a\"");
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"a\""), 7);
  /* Keys compare as WMI's do, without case: "A" is the same instance. */
  cr_assert_eq (put_in (h, s, a2, WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_SEND_STATUS, WBEM_S_NO_ERROR,
                        &path2), WBEM_S_NO_ERROR);
  cr_assert_str_eq (path2, "Sim_Stored.Name=\"A\"");
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"a\""), 8);
  /* A full-instance update: Note, not given, is null now. */
  {
    g_autoptr(WsimObject) got = get_in (h, s, "Sim_Stored.Name=\"a\"");

    cr_assert (wsim_value_is_null (wsim_object_lookup (got, "Note")));
  }
  /* CREATE_OR_UPDATE both ways. */
  cr_assert_eq (put_in (h, s, a, WBEM_FLAG_CREATE_OR_UPDATE, WBEM_S_NO_ERROR, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"a\""), 7);
  cr_assert_eq (del_in (h, s, "Sim_Stored.Name=\"a\"", 0, WBEM_S_NO_ERROR), WBEM_S_NO_ERROR);
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"a\""));
  cr_assert_eq (put_in (h, s, a, WBEM_FLAG_CREATE_OR_UPDATE, WBEM_S_NO_ERROR, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"a\""), 7);
  /* The MOF-style seed instance is deletable as any other. */
  cr_assert_eq (del_in (h, s, "Sim_Stored.Name=\"seed\"", WBEM_FLAG_SEND_STATUS, WBEM_S_NO_ERROR),
                WBEM_S_NO_ERROR);
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"seed\""));
}

/* ---- what only the provider knows: the final SetStatus ----------------------------- */

Test (writes, exists_and_missing_end_in_the_final_status)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) seed = writes_text_object ("Sim_Stored", "Name", "seed", "Size", "5", NULL);
  g_autoptr(WsimObject) ghost = writes_text_object ("Sim_Stored", "Name", "ghost", NULL);
  g_autofree char *why = NULL;

  cr_assert_eq (put_in (h, s, seed, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, &why),
                WBEM_E_ALREADY_EXISTS);
  cr_assert_not_null (why);
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"seed\""), 1, "a refused put changed nothing");
  cr_assert_eq (put_in (h, s, ghost, WBEM_FLAG_UPDATE_ONLY, WBEM_S_NO_ERROR, NULL), WBEM_E_NOT_FOUND);
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"ghost\""));
  cr_assert_eq (del_in (h, s, "Sim_Stored.Name=\"ghost\"", 0, WBEM_S_NO_ERROR), WBEM_E_NOT_FOUND);
}

/* ---- refusals: the immediate HRESULT, no callback ---------------------------------- */

Test (writes, bad_puts_are_refused_with_wmi_statuses)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimServices) cimv2 = wsim_test_open_ns (h, "root\\cimv2");
  g_autoptr(WsimServices) old = wsim_test_open_ns (h, "root\\old");
  g_autoptr(WsimObject) nokey = writes_text_object ("Sim_Stored", "Size", "3", NULL);
  g_autoptr(WsimObject) nullkey = writes_text_object ("Sim_Stored", "Name", NULL, NULL);
  g_autoptr(WsimObject) unknown = writes_text_object ("Sim_Nothing", "Name", "x", NULL);
  g_autoptr(WsimObject) extra = writes_text_object ("Sim_Stored", "Name", "x", "Colour", "red", NULL);
  g_autoptr(WsimObject) mistyped = writes_text_object ("Sim_Stored", "Name", "x", "Size", "big", NULL);
  g_autoptr(WsimObject) good = writes_text_object ("Sim_Stored", "Name", "x", NULL);
  g_autoptr(WsimObject) os = writes_text_object ("Win32_OperatingSystem", "Name", "x", NULL);
  g_autoptr(WsimObject) v1 = writes_text_object ("Test_Old", "Id", "1", NULL);

  put_in (h, s, nokey, 0, WBEM_E_ILLEGAL_NULL, NULL);
  put_in (h, s, nullkey, 0, WBEM_E_ILLEGAL_NULL, NULL);
  put_in (h, s, unknown, 0, WBEM_E_INVALID_CLASS, NULL);
  put_in (h, s, extra, 0, WBEM_E_INVALID_PARAMETER, NULL);
  put_in (h, s, mistyped, 0, WBEM_E_TYPE_MISMATCH, NULL);
  /* UPDATE_ONLY with CREATE_ONLY; a flag PutInstanceAsync does not take. */
  put_in (h, s, good, WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY, WBEM_E_INVALID_PARAMETER, NULL);
  put_in (h, s, good, WBEM_FLAG_RETURN_IMMEDIATELY, WBEM_E_INVALID_PARAMETER, NULL);
  put_in (h, s, good, WBEM_FLAG_DIRECT_READ, WBEM_E_INVALID_PARAMETER, NULL);
  /* A provider that cannot write: one of version 2 without put_instance, one of version 1. */
  put_in (h, cimv2, os, 0, WBEM_E_PROVIDER_NOT_CAPABLE, NULL);
  put_in (h, old, v1, 0, WBEM_E_PROVIDER_NOT_CAPABLE, NULL);
  /* A partial-instance update (__PUT_EXTENSIONS in the context) is refused, not written
   * whole with the properties it leaves out reset. */
  {
    g_autoptr(WsimContext) ctx = wsim_context_new ();
    wsim_value yes = { .type = CIM_BOOLEAN, .wsim_value_u.v_boolean = TRUE };

    cr_assert (wsim_context_set_value (ctx, "__PUT_EXTENSIONS", &yes, NULL));
    wsim_services_set_context (s, ctx);
    put_in (h, s, good, 0, WBEM_E_PROVIDER_NOT_CAPABLE, NULL);
    wsim_services_set_context (s, NULL);
  }
  /* None of them wrote anything. */
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"x\""));
  /* A NULL instance is refused before any request. */
  {
    g_autoptr(GError) error = NULL;

    cr_assert_eq (wsim_services_put_instance_async (s, NULL, 0, NULL, &error),
                  WBEM_E_INVALID_PARAMETER);
  }
}

Test (writes, bad_deletes_are_refused_with_wmi_statuses)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimServices) cimv2 = wsim_test_open_ns (h, "root\\cimv2");
  g_autoptr(WsimServices) old = wsim_test_open_ns (h, "root\\old");

  del_in (h, s, "Sim_Nothing.Name=\"x\"", 0, WBEM_E_INVALID_CLASS);
  del_in (h, s, "Sim_Stored", 0, WBEM_E_INVALID_OBJECT_PATH);
  del_in (h, s, "Sim_Stored.Colour=\"red\"", 0, WBEM_E_INVALID_OBJECT_PATH);
  del_in (h, s, "Sim_Stored.Name=", 0, WBEM_E_INVALID_OBJECT_PATH);
  del_in (h, s, "Sim_Stored.Name=\"seed\"", WBEM_FLAG_USE_AMENDED_QUALIFIERS,
          WBEM_E_INVALID_PARAMETER);
  del_in (h, s, "Sim_Stored.Name=\"seed\"", WBEM_FLAG_CREATE_ONLY, WBEM_E_INVALID_PARAMETER);
  del_in (h, cimv2, "Win32_OperatingSystem.Name=\"x\"", 0, WBEM_E_PROVIDER_NOT_CAPABLE);
  del_in (h, old, "Test_Old.Id=1", 0, WBEM_E_PROVIDER_NOT_CAPABLE);
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"seed\""), 1, "nothing was deleted");
}

/* ---- the store ---------------------------------------------------------------------- */

/* A server restarted on the same directory serves what the last one committed: puts,
 * updates and deletes (the deleted seed does not come back from the classes' own list). */
Test (writes, the_store_outlives_the_server)
{
  g_autoptr(WsimObject) b = writes_text_object ("Sim_Stored", "Name", "b", "Size", "2",
                                                "Note", "kept \"quoted\" é", NULL);
  g_autoptr(WsimObject) c = writes_text_object ("Sim_Stored", "Name", "c", "Size", "3", NULL);
  g_autofree char *file = g_build_filename (dir, "repository.dat", NULL);
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimObject) got = NULL;
  g_autofree char *note = NULL;

  put (b, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL);
  put (c, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL);
  s = wsim_test_open_ns (h, "root\\test");
  del_in (h, s, "Sim_Stored.Name=\"seed\"", 0, WBEM_S_NO_ERROR);
  cr_assert (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  restart (&s);
  got = get_in (h, s, "Sim_Stored.Name=\"b\"");
  cr_assert_not_null (got);
  note = wsim_value_to_string (wsim_object_lookup (got, "Note"));
  cr_assert_str_eq (note, "kept \"quoted\" é");
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"c\""), 3);
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"seed\""));
  /* And on: a change after the restart survives the next one. */
  del_in (h, s, "Sim_Stored.Name=\"c\"", 0, WBEM_S_NO_ERROR);
  restart (&s);
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"c\""));
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"b\""), 2);
}

/* Many puts in flight at once: every one succeeds (some share a write), all are there
 * after a restart. */
Test (writes, puts_in_flight_share_writes_and_all_last)
{
  enum { N = 40 };
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  WsimSinkRecorder *recs[N];
  WsimSink *sinks[N];

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *name = g_strdup_printf ("n%u", i);
      g_autofree char *size = g_strdup_printf ("%u", i * 10);
      g_autoptr(WsimObject) obj = writes_text_object ("Sim_Stored", "Name", name, "Size", size, NULL);
      g_autoptr(GError) error = NULL;

      sinks[i] = wsim_sink_recorder_new (&recs[i]);
      cr_assert_eq (wsim_services_put_instance_async (s, obj, WBEM_FLAG_CREATE_ONLY, sinks[i],
                                                      &error), WBEM_S_NO_ERROR);
    }
  for (guint i = 0; i < N; i++)
    {
      cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, recs[i], WRITES_WAIT));
      cr_assert_eq (recs[i]->final_hr, WBEM_S_NO_ERROR);
      cr_assert_eq (recs[i]->n_final, 1);
      cr_assert_eq (recs[i]->n_indicate, 0);
      wsim_sink_unref (sinks[i]);
    }
  restart (&s);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("Sim_Stored.Name=\"n%u\"", i);

      cr_assert_eq (get_size (h, s, path), i * 10);
    }
}

/* A damaged file is refused, not taken for an empty repository. */
Test (writes, a_corrupt_store_is_refused)
{
  g_autofree char *file = g_build_filename (dir, "repository.dat", NULL);
  g_autoptr(WsimObject) b = writes_text_object ("Sim_Stored", "Name", "b", NULL);
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(WsimClass) stored = writes_stored_class ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  put (b, 0, WBEM_S_NO_ERROR, NULL);
  cr_assert (g_file_get_contents (file, &data, &len, NULL));
  data[len / 2] ^= 0x01;
  cr_assert (g_file_set_contents (file, data, (gssize) len, NULL));
  cr_assert (wsim_repository_register_static (repo, "root\\test", &stored, 1, NULL, NULL));
  cr_assert_not (wsim_repository_open_store (repo, dir, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_FAILED), "%s",
             error ? error->message : "");
  cr_assert (strstr (error->message, "checksum") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* An instance of a class the repository no longer has as a static class. */
  {
    g_autoptr(WsimRepository) bare = wsim_repository_new ();

    g_clear_pointer (&data, g_free);
    cr_assert (g_file_get_contents (file, &data, &len, NULL));
    data[len / 2] ^= 0x01;
    cr_assert (g_file_set_contents (file, data, (gssize) len, NULL));
    cr_assert_not (wsim_repository_open_store (bare, dir, &error));
    cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_CLASS), "%s",
               error ? error->message : "");
  }
}

/* ---- kill the writer ------------------------------------------------------------------ */

static char *class_mof (WsimHarness *harness, WsimServices *s, const char *name);

/* The Counter the store in dir holds (0: none), its Payload checked against it, and the
 * class Sim_Gen saved with it (Counter's default the same; no class with no Counter). */
static guint
stored_counter (void)
{
  WsimHarness *reader = harness_start ();
  g_autoptr(WsimServices) s = wsim_test_open_ns (reader, "root\\test");
  g_autoptr(WsimObject) obj = get_in (reader, s, "Sim_Counter.Name=\"k\"");
  g_autofree char *gen = class_mof (reader, s, "Sim_Gen");
  guint counter = 0;

  if (obj != NULL)
    {
      g_autofree char *want = NULL;
      const wsim_value *payload = wsim_object_lookup (obj, "Payload");

      counter = wsim_object_lookup (obj, "Counter")->wsim_value_u.v_uint32;
      want = payload_for (counter);
      cr_assert_eq (payload->type, CIM_STRING);
      cr_assert_str_eq (payload->wsim_value_u.v_string, want, "Payload of another state");
    }
  if (counter == 0)
    cr_assert_null (gen, "a class without its instance: %s", gen);
  else
    {
      g_autofree char *want = g_strdup_printf ("Counter = %u;", counter);

      cr_assert_not_null (gen, "the instance of state %u without its class", counter);
      cr_assert (strstr (gen, want) != NULL, "state %u, its class: %s", counter, gen);
    }
  g_clear_pointer (&s, wsim_services_unref);
  harness_stop (reader);
  return counter;
}

/* The writer (store-writer), a separate process, puts Counter = base+1, base+2, ... and
 * says each one it committed; after reading @k of those lines the test kills it with
 * SIGKILL. The store must then hold exactly a committed state: the last one reported, or
 * the one that was being committed (written and renamed, not yet reported). */
static guint
kill_writer_after (guint base, guint k, guint count)
{
  g_autofree char *sbase = g_strdup_printf ("%u", base);
  g_autofree char *scount = g_strdup_printf ("%u", count);
  char *argv[] = { (char *) WSIM_TEST_STORE_WRITER, dir, sbase, scount, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  gint out_fd;
  FILE *out;
  guint last = base;
  char line[64];
  int status;

  cr_assert (g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                       &pid, NULL, &out_fd, NULL, &error),
             "%s", error ? error->message : "");
  out = fdopen (out_fd, "r");
  for (guint i = 0; i < k && fgets (line, sizeof line, out) != NULL; i++)
    last = (guint) strtoul (line, NULL, 10);
  cr_assert_eq (kill (pid, SIGKILL), 0, "%s", g_strerror (errno));
  cr_assert_eq (waitpid (pid, &status, 0), pid);
  /* It died of the signal, or had finished every put (k = count). */
  cr_assert (WIFSIGNALED (status) || (WIFEXITED (status) && WEXITSTATUS (status) == 0));
  fclose (out);
  g_spawn_close_pid (pid);
  {
    guint now = stored_counter ();

    cr_assert (now == last || now == last + 1, "killed after %u: the store holds %u", last, now);
    return now;
  }
}

Test (writes, kill_the_writer, .timeout = 120)
{
  /* Kill points: before anything was reported (possibly before the first write), after
   * one, then at spread counts; each round starts from the state the last one left. */
  static const guint ks[] = { 0, 1, 2, 5, 3, 8, 1, 13 };
  guint base = 0;

  /* The suite's own server holds the directory too: only the writer and the readers may. */
  harness_stop (h);
  h = NULL;
  for (guint r = 0; r < G_N_ELEMENTS (ks); r++)
    base = kill_writer_after (base, ks[r], ks[r] + 20);
}

/* A server shut down while puts wait for their write: each still ends with exactly one final
 * (its success, once on disk, or a failure), and what succeeded is in the store. */
Test (writes, shutdown_with_writes_in_flight)
{
  enum { N = 16 };
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  WsimSinkRecorder *recs[N];
  WsimSink *sinks[N];
  guint ok = 0;

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *name = g_strdup_printf ("s%u", i);
      g_autoptr(WsimObject) obj = writes_text_object ("Sim_Stored", "Name", name, NULL);
      g_autoptr(GError) error = NULL;

      sinks[i] = wsim_sink_recorder_new (&recs[i]);
      cr_assert_eq (wsim_services_put_instance_async (s, obj, 0, sinks[i], &error), WBEM_S_NO_ERROR);
    }
  /* Once the first is through, the others are running or waiting for a save. */
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, recs[0], WRITES_WAIT));
  wsim_harness_shutdown_server (h);
  for (guint i = 0; i < N; i++)
    {
      cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, recs[i], WRITES_WAIT));
      cr_assert_eq (recs[i]->n_final, 1);
      cr_assert_eq (recs[i]->events_after_final, 0);
      /* Or the client's own end for a call whose server went before it could call back
       * (RPC_E_DISCONNECTED, wsim-call-watch.c). */
      cr_assert (recs[i]->final_hr == WBEM_S_NO_ERROR || recs[i]->final_hr == WBEM_E_SHUTTING_DOWN
                 || recs[i]->final_hr == RPC_E_DISCONNECTED, "0x%08X", recs[i]->final_hr);
      ok += recs[i]->final_hr == WBEM_S_NO_ERROR;
    }
  restart (&s);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("Sim_Stored.Name=\"s%u\"", i);
      g_autoptr(WsimObject) got = get_in (h, s, path);

      /* Nothing a client was told succeeded is lost. */
      if (recs[i]->final_hr == WBEM_S_NO_ERROR)
        cr_assert_not_null (got, "%s succeeded but is not in the store", path);
      wsim_sink_unref (sinks[i]);
    }
  cr_log_info ("%u of %d puts succeeded before the shutdown", ok, N);
}

/* ---- classes in the store (PutClassAsync, DeleteClassAsync) ---------------------------- */

/* PutClassAsync of @d in root\test: accepted, and its one final is @want. */
static void
put_class (WsimServices *s, WsimClassDecl *d, gint32 flags, WsimHResult want)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_put_class_async (s, d, flags, sink, &error);

  cr_assert_eq (hr, WBEM_S_NO_ERROR, "put class: %s", error ? error->message : "");
  cr_assert_eq (finish (h, hr, error, sink, rec, WBEM_S_NO_ERROR, "put class", NULL), want);
}

static void
delete_class (WsimServices *s, const char *name)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_delete_class_async (s, name, 0, sink, &error);

  cr_assert_eq (finish (h, hr, error, sink, rec, WBEM_S_NO_ERROR, name, NULL), WBEM_S_NO_ERROR);
}

/* The class object @name of root\test as MOF (transfer full), NULL if there is no such class. */
static char *
class_mof (WsimHarness *harness, WsimServices *s, const char *name)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = NULL;
  WsimHResult hr = get_call (harness, s, name, &sink, &rec);
  GString *out;

  if (hr == WBEM_E_INVALID_CLASS || hr == WBEM_E_NOT_FOUND)
    return NULL;
  cr_assert_eq (hr, WBEM_S_NO_ERROR, "get class %s: 0x%08X", name, hr);
  if (rec->final_hr == WBEM_E_INVALID_CLASS || rec->final_hr == WBEM_E_NOT_FOUND)
    return NULL;
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR, "get class %s: 0x%08X", name, rec->final_hr);
  cr_assert_eq (rec->classes->len, 1);
  out = g_string_new (NULL);
  wsim_class_decl_to_mof (rec->classes->pdata[0], out);
  return g_string_free (out, FALSE);
}

static const char made_mof[] =
  "#pragma namespace(\"root\\\\test\")\n"
  "[Description(\"made by PutClass\")]\n"
  "class Sim_Made { [key] uint32 Id; string Note = \"default note\"; };\n"
  "class Sim_MadeSub : Sim_Made { sint64 Extra = -5; };\n";

/* A put class, its subclass and their instances are there after a restart, the class
 * objects as they were (MOF compared whole); a class change after the restart lasts too. */
Test (writes, put_classes_outlive_the_server)
{
  g_autoptr(GPtrArray) decls = writes_mof_classes (made_mof);
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) a = writes_text_object ("Sim_Made", "Id", "1", "Note", "one", NULL);
  g_autoptr(WsimObject) b = writes_text_object ("Sim_MadeSub", "Id", "2", "Extra", "7", NULL);
  g_autoptr(WsimObject) got_a = NULL;
  g_autoptr(WsimObject) got_b = NULL;
  g_autofree char *base_before = NULL, *sub_before = NULL, *base_after = NULL;
  g_autofree char *sub_after = NULL, *note = NULL;

  put_class (s, decls->pdata[0], WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR);
  put_class (s, decls->pdata[1], WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR);
  put_in (h, s, a, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL);
  put_in (h, s, b, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL);
  base_before = class_mof (h, s, "Sim_Made");
  sub_before = class_mof (h, s, "Sim_MadeSub");
  restart (&s);
  base_after = class_mof (h, s, "Sim_Made");
  sub_after = class_mof (h, s, "Sim_MadeSub");
  cr_assert_not_null (base_after, "the put class is gone after the restart");
  cr_assert_str_eq (base_after, base_before);
  cr_assert_not_null (sub_after, "the put subclass is gone after the restart");
  cr_assert_str_eq (sub_after, sub_before);
  got_a = get_in (h, s, "Sim_Made.Id=1");
  cr_assert_not_null (got_a);
  note = wsim_value_to_string (wsim_object_lookup (got_a, "Note"));
  cr_assert_str_eq (note, "one");
  got_b = get_in (h, s, "Sim_MadeSub.Id=2");
  cr_assert_not_null (got_b);
  cr_assert_eq (wsim_object_lookup (got_b, "Extra")->wsim_value_u.v_sint64, 7);
  /* Deleted after the restart (instances first: a class with instances is kept). */
  del_in (h, s, "Sim_MadeSub.Id=2", 0, WBEM_S_NO_ERROR);
  delete_class (s, "Sim_MadeSub");
  restart (&s);
  g_clear_pointer (&sub_after, g_free);
  sub_after = class_mof (h, s, "Sim_MadeSub");
  cr_assert_null (sub_after, "a deleted class came back");
  g_clear_pointer (&got_a, wsim_object_unref);
  got_a = get_in (h, s, "Sim_Made.Id=1");
  cr_assert_not_null (got_a);
}

/* DeleteClass then restart: the class stays deleted; a class put again after its delete,
 * with another layout, comes back with the new one. */
Test (writes, deleted_classes_stay_deleted)
{
  g_autoptr(GPtrArray) v1 = writes_mof_classes ("class Sim_Gone { [key] string K; };\n");
  g_autoptr(GPtrArray) v2 = writes_mof_classes ("class Sim_Gone { [key] string K; "
                                                "uint8 Added = 3; };\n");
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autofree char *mof = NULL;

  put_class (s, v1->pdata[0], 0, WBEM_S_NO_ERROR);
  restart (&s);
  delete_class (s, "Sim_Gone");
  restart (&s);
  mof = class_mof (h, s, "Sim_Gone");
  cr_assert_null (mof, "deleted, yet after a restart: %s", mof);
  put_class (s, v2->pdata[0], WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR);
  restart (&s);
  mof = class_mof (h, s, "Sim_Gone");
  cr_assert_not_null (mof);
  cr_assert (strstr (mof, "Added = 3") != NULL, "%s", mof);
}

/* A put class of the name of one the server loads at start (here the registered Sim_Counter;
 * a --mof class is the same): the stored one replaces it at each start (docs/schema.md). */
Test (writes, a_stored_class_replaces_the_loaded_one)
{
  g_autoptr(GPtrArray) decls = writes_mof_classes ("class Sim_Counter { [key] string Name; "
                                                   "uint32 Counter; string Payload; "
                                                   "string Since = \"put\"; };\n");
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autofree char *mof = NULL;

  put_class (s, decls->pdata[0], WBEM_FLAG_UPDATE_ONLY, WBEM_S_NO_ERROR);
  restart (&s);
  mof = class_mof (h, s, "Sim_Counter");
  cr_assert_not_null (mof);
  cr_assert (strstr (mof, "Since = \"put\"") != NULL, "%s", mof);
}

/* ---- defaults: what the put does not give is the class's default ------------------------ */

static char *
get_text (const char *path, const char *prop)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) obj = get_in (h, s, path);

  cr_assert_not_null (obj, "%s: not found", path);
  return wsim_value_is_null (wsim_object_lookup (obj, prop))
           ? NULL : wsim_value_to_string (wsim_object_lookup (obj, prop));
}

/* As WMI's SpawnInstance then Put: a created instance takes the defaults of what it does not
 * set; an update writes the instance whole, so a property it does not set is the default
 * again, not the value stored before (docs/writes.md, "Defaults"). */
Test (writes, a_put_takes_the_class_defaults)
{
  g_autoptr(GPtrArray) decls = writes_mof_classes (made_mof);
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) bare = writes_text_object ("Sim_MadeSub", "Id", "5", NULL);
  g_autoptr(WsimObject) set = writes_text_object ("Sim_MadeSub", "Id", "5", "Note", "mine", NULL);
  g_autofree char *note = NULL, *extra = NULL, *note2 = NULL, *note3 = NULL;

  put_class (s, decls->pdata[0], 0, WBEM_S_NO_ERROR);
  put_class (s, decls->pdata[1], 0, WBEM_S_NO_ERROR);
  put (bare, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL);
  note = get_text ("Sim_MadeSub.Id=5", "Note");
  extra = get_text ("Sim_MadeSub.Id=5", "Extra");
  cr_assert_str_eq (note, "default note");      /* inherited from Sim_Made */
  cr_assert_str_eq (extra, "-5");
  put (set, WBEM_FLAG_UPDATE_ONLY, WBEM_S_NO_ERROR, NULL);
  note2 = get_text ("Sim_MadeSub.Id=5", "Note");
  cr_assert_str_eq (note2, "mine");
  put (bare, WBEM_FLAG_UPDATE_ONLY, WBEM_S_NO_ERROR, NULL);
  note3 = get_text ("Sim_MadeSub.Id=5", "Note");
  cr_assert_str_eq (note3, "default note");
}

/* ---- a failed write's error object ------------------------------------------------------- */

/* The ParameterInfo of the error object a write's failed final carries (transfer full). */
static char *
failed_write_param (WsimHResult (*call) (WsimServices *, gconstpointer, WsimSink *, GError **),
                    gconstpointer what, WsimHResult want)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  const wsim_value *v;

  cr_assert_eq (call (s, what, sink, &error), WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WRITES_WAIT));
  cr_assert_eq (rec->final_hr, want, "0x%08X", rec->final_hr);
  cr_assert_not_null (rec->final_error);
  v = wsim_object_lookup (rec->final_error, "ParameterInfo");
  cr_assert_not_null (v);
  return wsim_value_to_string (v);
}

static WsimHResult
start_put_create_only (WsimServices *s, gconstpointer obj, WsimSink *sink, GError **error)
{
  return wsim_services_put_instance_async (s, (WsimObject *) obj, WBEM_FLAG_CREATE_ONLY, sink,
                                           error);
}

static WsimHResult
start_delete (WsimServices *s, gconstpointer path, WsimSink *sink, GError **error)
{
  return wsim_services_delete_instance_async (s, path, 0, sink, error);
}

/* ParameterInfo names the instance the write was about (its path), not only its class. */
Test (writes, a_failed_write_names_the_instance)
{
  g_autoptr(WsimObject) seed = writes_text_object ("Sim_Stored", "Name", "seed", NULL);
  g_autofree char *put_param = failed_write_param (start_put_create_only, seed,
                                                   WBEM_E_ALREADY_EXISTS);
  g_autofree char *del_param = failed_write_param (start_delete, "Sim_Stored.Name=\"none\"",
                                                   WBEM_E_NOT_FOUND);

  cr_assert_str_eq (put_param, "Sim_Stored.Name=\"seed\"");
  cr_assert_str_eq (del_param, "Sim_Stored.Name=\"none\"");
}

/* ---- a save that fails -------------------------------------------------------------- */

/* Makes the store's next save fail: its new file's name is taken by a directory (open()
 * of it for writing is EISDIR). (transfer full) the directory's path, to remove. */
static char *
block_saves (void)
{
  char *tmp = g_build_filename (dir, "repository.dat.tmp", NULL);

  cr_assert_eq (g_mkdir (tmp, 0700), 0, "%s: %s", tmp, g_strerror (errno));
  return tmp;
}

/* A write whose save fails is told WBEM_E_FAILED, and is not there: not served, and not
 * saved by the next write that succeeds (an update gets its old value back, a delete its
 * instance). Nothing of it comes back after a restart. */
Test (writes, a_failed_save_takes_the_write_back)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) a = writes_text_object ("Sim_Stored", "Name", "a", "Size", "1", NULL);
  g_autoptr(WsimObject) a9 = writes_text_object ("Sim_Stored", "Name", "a", "Size", "9", NULL);
  g_autoptr(WsimObject) b = writes_text_object ("Sim_Stored", "Name", "b", "Size", "2", NULL);
  g_autoptr(WsimObject) c = writes_text_object ("Sim_Stored", "Name", "c", "Size", "3", NULL);
  g_autofree char *blocker = NULL;

  put_in (h, s, a, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL);
  blocker = block_saves ();
  cr_assert_eq (put_in (h, s, b, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL), WBEM_E_FAILED);
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"b\""), "a failed create is served");
  cr_assert_eq (put_in (h, s, a9, WBEM_FLAG_UPDATE_ONLY, WBEM_S_NO_ERROR, NULL), WBEM_E_FAILED);
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"a\""), 1, "a failed update is served");
  cr_assert_eq (del_in (h, s, "Sim_Stored.Name=\"a\"", 0, WBEM_S_NO_ERROR), WBEM_E_FAILED);
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"a\""), 1, "a failed delete took it");
  /* The next save that works writes what is served, and only that. */
  cr_assert_eq (g_rmdir (blocker), 0);
  cr_assert_eq (put_in (h, s, c, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL), WBEM_S_NO_ERROR);
  restart (&s);
  cr_assert_null (get_in (h, s, "Sim_Stored.Name=\"b\""), "a failed create was saved later");
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"a\""), 1);
  cr_assert_eq (get_size (h, s, "Sim_Stored.Name=\"c\""), 3);
}

/* Writes in flight together when their shared save fails: every one is told WBEM_E_FAILED
 * (one final each), none is served; the failure's message says what the store could not do. */
Test (writes, writes_sharing_a_failed_save_all_fail)
{
  enum { N = 12 };
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autofree char *blocker = block_saves ();
  WsimSinkRecorder *recs[N];
  WsimSink *sinks[N];

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u", i);
      g_autoptr(WsimObject) obj = writes_text_object ("Sim_Stored", "Name", name, NULL);
      g_autoptr(GError) error = NULL;

      sinks[i] = wsim_sink_recorder_new (&recs[i]);
      cr_assert_eq (wsim_services_put_instance_async (s, obj, WBEM_FLAG_CREATE_ONLY, sinks[i],
                                                      &error), WBEM_S_NO_ERROR);
    }
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("Sim_Stored.Name=\"f%u\"", i);

      cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, recs[i], WRITES_WAIT));
      cr_assert_eq (recs[i]->final_hr, WBEM_E_FAILED, "put %u: 0x%08X", i, recs[i]->final_hr);
      cr_assert_eq (recs[i]->n_final, 1);
      /* A put's success carries its path in strParam; this one does not. */
      cr_assert (recs[i]->final_str_param == NULL
                 || strstr (recs[i]->final_str_param, "Name=") == NULL,
                 "a failed put names its path as made: %s", recs[i]->final_str_param);
      cr_assert_not_null (recs[i]->final_error);
      {
        g_autofree char *line = wsim_extended_status_describe (recs[i]->final_error);

        cr_assert (strstr (line, "repository.dat.tmp") != NULL, "%s", line);
      }
      wsim_sink_unref (sinks[i]);
      cr_assert_null (get_in (h, s, path));
    }
  cr_assert_eq (g_rmdir (blocker), 0);
}

/* PutClass and DeleteClass whose save fails: the class is as it was, served and after a
 * restart. */
Test (writes, a_failed_save_takes_the_class_change_back)
{
  g_autoptr(GPtrArray) v1 = writes_mof_classes ("class Sim_Kept { [key] string K; };\n");
  g_autoptr(GPtrArray) v2 = writes_mof_classes ("class Sim_Kept { [key] string K; uint8 New; };\n");
  g_autoptr(GPtrArray) other = writes_mof_classes ("class Sim_Never { [key] string K; };\n");
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autofree char *blocker = NULL;
  g_autofree char *mof = NULL;
  g_autofree char *never = NULL;

  put_class (s, v1->pdata[0], 0, WBEM_S_NO_ERROR);
  blocker = block_saves ();
  put_class (s, v2->pdata[0], 0, WBEM_E_FAILED);
  put_class (s, other->pdata[0], 0, WBEM_E_FAILED);
  {
    WsimSinkRecorder *rec;
    WsimSink *sink = wsim_sink_recorder_new (&rec);
    g_autoptr(GError) error = NULL;
    WsimHResult hr = wsim_services_delete_class_async (s, "Sim_Kept", 0, sink, &error);

    cr_assert_eq (finish (h, hr, error, sink, rec, WBEM_S_NO_ERROR, "delete class", NULL),
                  WBEM_E_FAILED);
  }
  mof = class_mof (h, s, "Sim_Kept");
  cr_assert_not_null (mof, "a failed DeleteClass took the class");
  cr_assert (strstr (mof, "New") == NULL, "a failed PutClass changed the class: %s", mof);
  never = class_mof (h, s, "Sim_Never");
  cr_assert_null (never, "a failed PutClass made the class");
  cr_assert_eq (g_rmdir (blocker), 0);
  restart (&s);
  g_clear_pointer (&mof, g_free);
  mof = class_mof (h, s, "Sim_Kept");
  cr_assert_not_null (mof);
  cr_assert (strstr (mof, "New") == NULL, "%s", mof);
  never = class_mof (h, s, "Sim_Never");
  cr_assert_null (never);
}

/* ---- class hierarchies --------------------------------------------------------------- */

static const char shapes_mof[] =
  "[Abstract] class Sim_Shape { [key] uint32 Id; };\n"
  "class Sim_Circle : Sim_Shape { uint32 R; };\n"
  "class Sim_Square : Sim_Shape { uint32 Side; };\n";

/* The one-line description of the final's error object of a put of @obj (its final status
 * must be @want). (transfer full) */
static char *
put_error_line (WsimServices *s, WsimObject *obj, gint32 flags, WsimHResult want)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;

  cr_assert_eq (wsim_services_put_instance_async (s, obj, flags, sink, &error), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WRITES_WAIT));
  cr_assert_eq (rec->final_hr, want, "put: 0x%08X, want 0x%08X", rec->final_hr, want);
  cr_assert_not_null (rec->final_error);
  return wsim_extended_status_describe (rec->final_error);
}

/* An abstract class takes no instance; keys are unique under the class that defines them
 * (an instance changes class only by a delete and a create); a path through the base class
 * names the subclass's instance, for GetObject and for DeleteInstance. */
Test (writes, a_hierarchy_shares_its_keys)
{
  g_autoptr(GPtrArray) decls = writes_mof_classes (shapes_mof);
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) shape = writes_text_object ("Sim_Shape", "Id", "1", NULL);
  g_autoptr(WsimObject) circle = writes_text_object ("Sim_Circle", "Id", "1", "R", "5", NULL);
  g_autoptr(WsimObject) square = writes_text_object ("Sim_Square", "Id", "1", "Side", "2", NULL);
  g_autoptr(WsimObject) got = NULL;
  g_autofree char *line = NULL;

  for (guint i = 0; i < decls->len; i++)
    put_class (s, decls->pdata[i], WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR);
  cr_assert_eq (put_in (h, s, shape, 0, WBEM_E_INVALID_OPERATION, NULL), WBEM_E_INVALID_OPERATION);
  cr_assert_eq (put_in (h, s, circle, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL), WBEM_S_NO_ERROR);
  /* The keys are Sim_Shape's: a square of Id 1 would replace the circle. Refused, whatever
   * the flags, and the refusal names the instance that holds them. */
  line = put_error_line (s, square, WBEM_FLAG_CREATE_OR_UPDATE, WBEM_E_ALREADY_EXISTS);
  cr_assert (strstr (line, "Sim_Circle") != NULL, "%s", line);
  g_clear_pointer (&line, g_free);
  line = put_error_line (s, square, WBEM_FLAG_CREATE_ONLY, WBEM_E_ALREADY_EXISTS);
  g_clear_pointer (&line, g_free);
  /* The circle is untouched, and found through the base class's path. */
  got = get_in (h, s, "Sim_Shape.Id=1");
  cr_assert_not_null (got, "the base-class path does not find the subclass's instance");
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (got)), "Sim_Circle");
  cr_assert_eq (wsim_object_lookup (got, "R")->wsim_value_u.v_uint32, 5);
  cr_assert_null (get_in (h, s, "Sim_Square.Id=1"));
  /* The other subclass's path does not name it; the base class's deletes it. */
  cr_assert_eq (del_in (h, s, "Sim_Square.Id=1", 0, WBEM_S_NO_ERROR), WBEM_E_NOT_FOUND);
  cr_assert_eq (del_in (h, s, "Sim_Shape.Id=1", 0, WBEM_S_NO_ERROR), WBEM_S_NO_ERROR);
  cr_assert_null (get_in (h, s, "Sim_Circle.Id=1"), "deleted through the base class, yet there");
  /* Deleted, the keys are free: the instance is made again as the other class. */
  cr_assert_eq (put_in (h, s, square, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL), WBEM_S_NO_ERROR);
  g_clear_pointer (&got, wsim_object_unref);
  got = get_in (h, s, "Sim_Shape.Id=1");
  cr_assert_not_null (got);
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (got)), "Sim_Square");
}

/* A failed PutClass of a class the server loads at start (a registered or --mof class, which
 * the store never keeps) leaves it out of the store when taken back: the next good save
 * must not pin the loaded class's old definition on disk. */
Test (writes, a_failed_change_to_a_loaded_class_is_not_stored)
{
  g_autoptr(GPtrArray) v2 = writes_mof_classes ("class Sim_Counter { [key] string Name; "
                                                "uint32 Counter; string Payload; uint8 More; };\n");
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) b = writes_text_object ("Sim_Stored", "Name", "b", NULL);
  g_autofree char *file = g_build_filename (dir, "repository.dat", NULL);
  g_autofree char *blocker = block_saves ();
  g_autofree char *data = NULL;
  gsize len = 0;

  put_class (s, v2->pdata[0], WBEM_FLAG_UPDATE_ONLY, WBEM_E_FAILED);
  {
    g_autofree char *mof = class_mof (h, s, "Sim_Counter");

    cr_assert_not_null (mof, "taking the change back lost the loaded class");
    cr_assert (strstr (mof, "More") == NULL, "%s", mof);
  }
  cr_assert_eq (g_rmdir (blocker), 0);
  cr_assert_eq (put_in (h, s, b, WBEM_FLAG_CREATE_ONLY, WBEM_S_NO_ERROR, NULL), WBEM_S_NO_ERROR);
  cr_assert (g_file_get_contents (file, &data, &len, NULL));
  /* memmem: the file is binary (XDR), with NULs before any name. */
  cr_assert_null (memmem (data, len, "Sim_Counter", strlen ("Sim_Counter")),
                  "the loaded class is in the store after its failed change was taken back");
}

/* An event class (WMI's, or a provider's derived from __ExtrinsicEvent) has no instances to
 * write: an event is delivered, never stored (docs/events.md). */
Test (writes, an_event_class_takes_no_instance)
{
  g_autoptr(WsimObject) event = writes_text_object ("__InstanceCreationEvent", "TIME_CREATED", "1",
                                                    NULL);

  cr_assert_eq (put (event, 0, WBEM_E_INVALID_OPERATION, NULL), WBEM_E_INVALID_OPERATION);
}
