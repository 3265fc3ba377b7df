/* test-nohang.c: every call whose *Async returned WBEM_S_NO_ERROR ends with exactly one final
 * SetStatus, whatever the server does or fails to do, on one machine.
 *
 * The client's watch (runtime/client/wsim-call-watch.c) is what guarantees it when the server
 * cannot: a call the server ended before any callback, a server that stops answering, a
 * server killed mid-call. In-process cases use the harness; a server that dies or stops is
 * a real wmisimd process, stopped by its pid. The same faults across real hosts are in
 * tests/hosts. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "wsim-client.h"
#include "wsim-harness.h"
#include "wsim-krb5-realm.h"
#include "wsim-repository.h"
#include "wsim-test-util.h"
#include "wsim-wbem.h"

#define WAIT_MS 20000

static WsimHarness *h;

static void
stop_harness (void)
{
  g_clear_pointer (&h, wsim_harness_free);
}

typedef struct {
  const char        *params;       /* sim-sequence's */
  gboolean           hardened;
  gboolean           encrypt;      /* root\cimv2 RequiresEncryption */
} Setup;

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  const Setup *s = data;
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  if (s->hardened)
    {
      WsimCallbackPolicy p = { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, FALSE };

      if (!wsim_server_set_callback_policy (server, &p, error))
        return FALSE;
    }
  if (s->params != NULL)
    g_hash_table_insert (params, (gpointer) "sim-sequence", (gpointer) s->params);
  if (!wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, error))
    return FALSE;
  return !s->encrypt || wsim_repository_set_requires_encryption (repo, "root\\cimv2", TRUE, error);
}

static void
start_harness (const Setup *s, WsimAuthnLevel level)
{
  g_autoptr(GError) error = NULL;
  WsimBlanket b = { level, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT, NULL, NULL, NULL };

  h = wsim_harness_new_full (setup, (gpointer) s, &b, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
}

/* The client-final events of @trace for @call_id. */
static guint
n_client_finals (WsimTrace *trace, guint64 call_id, WsimHResult *hr)
{
  g_autoptr(GPtrArray) events = wsim_trace_get_events (trace, call_id);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    {
      WsimTraceEvent *e = events->pdata[i];

      if (e->kind == WSIM_TRACE_CLIENT_FINAL)
        {
          n++;
          *hr = e->hr;
        }
    }
  return n;
}

static gboolean
no_server_calls (gpointer data)
{
  return wsim_harness_get_n_server_calls (h) == 0;
}

static gboolean
nothing_watched (gpointer data)
{
  return wsim_client_get_n_watched_calls (data) == 0;
}

/* Enumerates @cls through @services into a recorder and waits for its final. */
static WsimSinkRecorder *
enumerate_until_final (GMainContext *ctx, WsimServices *services, const char *cls, WsimSink **sink)
{
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec;

  *sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (services, cls, 0, *sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  cr_assert (wsim_test_run_until (ctx, wsim_sink_recorder_is_complete, rec, WAIT_MS),
             "no final SetStatus: the call hangs");
  return rec;
}

/* The first hang: an unauthenticated call and a server whose ladder never goes below
 * PKT_INTEGRITY. The server ends the call before any callback; the client learns it by
 * asking, and gives the sink its one final. */
Test (nohang, unauthenticated_call_with_a_hardened_ladder_ends, .fini = stop_harness, .timeout = 60)
{
  Setup s = { .hardened = TRUE };
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec;
  WsimClient *client;
  WsimHResult hr = 0;
  guint64 call;

  start_harness (&s, RPC_C_AUTHN_LEVEL_NONE);
  client = wsim_harness_get_client (h);
  rec = enumerate_until_final (wsim_harness_get_context (h), wsim_harness_get_services (h),
                               "Win32_OperatingSystem", &sink);
  call = wsim_services_get_last_call_id (wsim_harness_get_services (h));
  cr_assert_eq (rec->final_hr, WBEM_E_ACCESS_DENIED, "0x%08x", rec->final_hr);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->n_objects, 0);
  cr_assert_eq (n_client_finals (wsim_client_get_trace (client), call, &hr), 1,
                "the client delivered it, and said so");
  cr_assert_eq (hr, WBEM_E_ACCESS_DENIED);
  cr_assert (wsim_harness_run_until (h, no_server_calls, NULL, WAIT_MS));
  cr_assert (wsim_harness_run_until (h, nothing_watched, client, WAIT_MS), "the watch forgets it");
  cr_assert_eq (wsim_sink_host_get_n_calls (wsim_client_get_sink_host (client)), 0);
  cr_assert_eq (rec->events_after_final, 0);
}

/* RequiresEncryption with a plain sink host that cannot protect: PKT_PRIVACY is the only rung,
 * the host refuses it, and the sink still hears how the call ended. */
Test (nohang, encrypted_namespace_and_a_host_that_cannot_protect, .fini = stop_harness, .timeout = 60)
{
  Setup s = { .encrypt = TRUE };
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec;
  WsimClient *client;
  WsimHResult hr = 0;

  start_harness (&s, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  client = wsim_harness_get_client (h);
  wsim_sink_host_set_max_level (wsim_client_get_sink_host (client), RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  rec = enumerate_until_final (wsim_harness_get_context (h), wsim_harness_get_services (h),
                               "Win32_OperatingSystem", &sink);
  cr_assert_eq (rec->final_hr, WBEM_E_ACCESS_DENIED, "0x%08x", rec->final_hr);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (n_client_finals (wsim_client_get_trace (client),
                                 wsim_services_get_last_call_id (wsim_harness_get_services (h)), &hr), 1);
  cr_assert (wsim_harness_run_until (h, no_server_calls, NULL, WAIT_MS));
}

/* The watch asks about a quiet call, but a server that says "still open" keeps it open: a
 * provider slower than the inactivity deadline is not cut short. */
Test (nohang, a_slow_provider_is_not_cut_short, .fini = stop_harness, .timeout = 60)
{
  Setup s = { .params = "count=3;delay_ms=1500" };
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = NULL;
  g_autoptr(WsimServices) services = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimBlanket none = { RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT, NULL, NULL, NULL };
  WsimClientOptions o = { .blanket = &none, .call_timeout_ms = 200, .answer_timeout_ms = 5000 };
  WsimSinkRecorder *rec;
  WsimHResult hr = 0;

  start_harness (&s, RPC_C_AUTHN_LEVEL_NONE);
  client = wsim_client_new (wsim_harness_get_context (h), wsim_harness_get_address (h), &o, &error);
  cr_assert_not_null (client, "%s", error ? error->message : "");
  services = wsim_client_open_namespace (client, "root\\cimv2", &error);
  cr_assert_not_null (services, "%s", error ? error->message : "");
  rec = enumerate_until_final (wsim_harness_get_context (h), services, "Sim_Sequence", &sink);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR, "0x%08x", rec->final_hr);
  cr_assert_eq (rec->n_objects, 3);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (n_client_finals (wsim_client_get_trace (client), wsim_services_get_last_call_id (services),
                                 &hr), 0, "the server's own final, not the client's");
  cr_assert_geq (wsim_trace_count (wsim_client_get_trace (client), wsim_services_get_last_call_id (services),
                                   WSIM_TRACE_CLIENT_ASK), 1, "the quiet call was asked about, and went on");
}

/* A sink may drop its client inside the final SetStatus the client itself delivers (the
 * server ended the call before any callback): the client goes in the middle of its watch's
 * work, and nothing it frees is touched afterwards. */
typedef struct {
  WsimClient   *client;     /* (owned) dropped by the sink */
  WsimServices *services;   /* (owned) dropped by the sink */
  gboolean      final;
} Dropper;

static void
dropper_indicate (WsimSink *sink, WsimObject *const *objects, guint n, gpointer data)
{
}

static void
dropper_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str, WsimObject *obj,
                gpointer data)
{
  Dropper *d = data;

  if (flags != WBEM_STATUS_COMPLETE)
    return;
  d->final = TRUE;
  g_clear_pointer (&d->services, wsim_services_unref);
  g_clear_pointer (&d->client, wsim_client_unref);
}

static const WsimSinkOps dropper_ops = { .indicate = dropper_indicate, .set_status = dropper_status };

Test (nohang, a_sink_may_drop_its_client_in_the_final_the_client_delivers, .fini = stop_harness,
      .timeout = 60)
{
  Setup s = { .hardened = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimBlanket none = { RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT, NULL, NULL, NULL };
  WsimClientOptions o = { .blanket = &none };
  Dropper d = { 0 };

  start_harness (&s, RPC_C_AUTHN_LEVEL_NONE);
  d.client = wsim_client_new (wsim_harness_get_context (h), wsim_harness_get_address (h), &o, &error);
  cr_assert_not_null (d.client, "%s", error ? error->message : "");
  d.services = wsim_client_open_namespace (d.client, "root\\cimv2", &error);
  cr_assert_not_null (d.services, "%s", error ? error->message : "");
  sink = wsim_sink_new (&dropper_ops, &d, NULL);
  cr_assert_eq (wsim_services_create_instance_enum_async (d.services, "Win32_OperatingSystem", 0, sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  cr_assert (wsim_harness_run_until (h, wsim_test_flag_is_set, &d.final, WAIT_MS), "no final");
  cr_assert_null (d.client);
  /* Let whatever the watch had queued run out. */
  cr_assert (wsim_harness_run_until (h, no_server_calls, NULL, WAIT_MS));
}

static gboolean
some_instances (gpointer data)
{
  return ((WsimSinkRecorder *) data)->n_objects > 0;
}

/* A sink host that no longer takes a call's callbacks (its client ended the call on its
 * side) makes the server end the call too: the provider is stopped, not left running. */
Test (nohang, a_sink_that_gave_up_stops_the_server_call, .fini = stop_harness, .timeout = 60)
{
  Setup s = { .params = "count=200000;batch=100" };
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec;
  WsimSinkHost *host;
  guint64 sink_id = 0, call;
  gboolean teardown = FALSE;

  start_harness (&s, RPC_C_AUTHN_LEVEL_NONE);
  host = wsim_client_get_sink_host (wsim_harness_get_client (h));
  sink = wsim_sink_recorder_new (&rec);
  rec->keep_objects = FALSE;
  cr_assert_eq (wsim_services_create_instance_enum_async (wsim_harness_get_services (h), "Sim_Sequence",
                                                          0, sink, &error), WBEM_S_NO_ERROR);
  call = wsim_services_get_last_call_id (wsim_harness_get_services (h));
  cr_assert (wsim_harness_run_until (h, some_instances, rec, WAIT_MS), "results flow");
  cr_assert (wsim_sink_host_lookup (host, sink, &sink_id));
  cr_assert (wsim_sink_host_end_call (host, sink_id, call, WBEM_E_CALL_CANCELLED, "given up here"));
  cr_assert_eq (rec->n_final, 1);
  cr_assert (wsim_harness_run_until (h, no_server_calls, NULL, WAIT_MS),
             "the server ended the call when the sink host refused it");
  {
    g_autoptr(GPtrArray) events = wsim_trace_get_events (wsim_harness_get_trace (h), call);

    for (guint i = 0; i < events->len; i++)
      {
        WsimTraceEvent *e = events->pdata[i];

        teardown |= e->kind == WSIM_TRACE_TEARDOWN && e->detail != NULL
                    && strstr (e->detail, "over on the client's side") != NULL;
      }
  }
  cr_assert (teardown, "the server's trace says why it stopped");
  cr_assert_lt (rec->n_objects, 200000, "the provider did not run to its end");
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->events_after_final, 0, "nothing reaches the sink after its final");
}

/* ---- a server process that dies or stops ------------------------------------------ */

typedef struct {
  WsimTestChild  daemon;
  char          *address;
  char          *accounts;      /* (owned) (nullable) the NTLM account file's directory */
  GMainContext  *ctx;
  WsimClient    *client;
  WsimServices  *services;
} Daemon;

/* A wmisimd on loopback and a client of it at @level (NTLMSSP, sharing an account file
 * with the daemon, above NONE). */
static void
daemon_start_at (Daemon *d, const char *params, WsimAuthnLevel level)
{
  char *argv[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                   (char *) "--listen", (char *) "tcp:127.0.0.1:0", (char *) "-p", (char *) params, NULL };
  g_autoptr(GError) error = NULL;
  WsimBlanket b = { level, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT, (char *) "WSIM", NULL,
                    level > RPC_C_AUTHN_LEVEL_NONE ? (char *) "alice" : NULL };
  WsimClientOptions o = { .blanket = &b, .call_timeout_ms = 300, .answer_timeout_ms = 700 };

  if (level > RPC_C_AUTHN_LEVEL_NONE)
    {
      g_autofree char *file = NULL;

      d->accounts = g_dir_make_tmp ("wsim-nohang-XXXXXX", NULL);
      file = wsim_ntlm_creds_setup (d->accounts);
    }
  cr_assert (wsim_test_child_spawn (&d->daemon, argv, WAIT_MS, &error), "wmisimd: %s",
             error ? error->message : "");
  cr_assert (g_str_has_prefix (d->daemon.first_line, "listening on "), "%s", d->daemon.first_line);
  d->address = g_strdup (d->daemon.first_line + strlen ("listening on "));
  d->ctx = g_main_context_new ();
  d->client = wsim_client_new (d->ctx, d->address, &o, &error);
  cr_assert_not_null (d->client, "%s", error ? error->message : "");
  d->services = wsim_client_open_namespace (d->client, "root\\cimv2", &error);
  cr_assert_not_null (d->services, "%s", error ? error->message : "");
}

static void
daemon_start (Daemon *d, const char *params)
{
  daemon_start_at (d, params, RPC_C_AUTHN_LEVEL_NONE);
}

static void
daemon_stop (Daemon *d)
{
  g_clear_pointer (&d->services, wsim_services_unref);
  g_clear_pointer (&d->client, wsim_client_unref);
  if (d->daemon.pid > 0)
    {
      kill (d->daemon.pid, SIGCONT);
      wsim_test_child_stop (&d->daemon);
    }
  g_clear_pointer (&d->ctx, g_main_context_unref);
  g_free (d->address);
  if (d->accounts != NULL)
    {
      g_autofree char *file = g_build_filename (d->accounts, "ntlm-users", NULL);

      g_unlink (file);
      g_rmdir (d->accounts);
      g_free (d->accounts);
    }
}

/* Starts a call whose provider waits a minute before its first instance, sends the server
 * @sig, and checks that the sink gets exactly one final, @want, from the client. */
static void
signal_server_mid_call (int sig, WsimHResult want)
{
  Daemon d = { 0 };
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec;
  WsimHResult hr = 0;

  daemon_start (&d, "sim-sequence:count=3;delay_ms=60000");
  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (d.services, "Sim_Sequence", 0, sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  cr_assert_eq (kill (d.daemon.pid, sig), 0);
  cr_assert (wsim_test_run_until (d.ctx, wsim_sink_recorder_is_complete, rec, WAIT_MS), "hangs");
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->final_hr, want, "0x%08x", rec->final_hr);
  cr_assert_eq (n_client_finals (wsim_client_get_trace (d.client), wsim_services_get_last_call_id (d.services),
                                 &hr), 1);
  cr_assert_eq (hr, want);
  daemon_stop (&d);
}

/* The server process dies with the call open: the watch's connection closes, the client
 * asks again on a new one, nobody answers, and the sink gets RPC_E_DISCONNECTED. */
Test (nohang, server_killed_mid_call, .timeout = 60)
{
  signal_server_mid_call (SIGKILL, RPC_E_DISCONNECTED);
}

/* The server process stops (SIGSTOP) with the call open: its connections stay up but nothing
 * answers; the client's question times out and the sink gets RPC_S_SERVER_UNAVAILABLE. */
Test (nohang, server_stopped_mid_call, .timeout = 60)
{
  signal_server_mid_call (SIGSTOP, RPC_S_SERVER_UNAVAILABLE);
}

/* The server stops before the client's watch has its own connection (an NTLMSSP handshake
 * still to make): the question waits for a connection that cannot be made, and the call
 * still ends, RPC_S_SERVER_UNAVAILABLE. */
Test (nohang, server_stopped_before_the_watch_connects, .timeout = 60)
{
  Daemon d = { 0 };
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec;

  daemon_start_at (&d, "sim-sequence:count=3;delay_ms=60000", RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (d.services, "Sim_Sequence", 0, sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  /* The sinks' context has not run since: the watch's handshake has not even begun. */
  cr_assert_eq (kill (d.daemon.pid, SIGSTOP), 0);
  cr_assert (wsim_test_run_until (d.ctx, wsim_sink_recorder_is_complete, rec, WAIT_MS), "hangs");
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->final_hr, RPC_S_SERVER_UNAVAILABLE, "0x%08x %s", rec->final_hr,
                rec->final_str_param != NULL ? rec->final_str_param : "");
  daemon_stop (&d);
}
