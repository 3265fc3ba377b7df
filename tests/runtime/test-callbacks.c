/* test-callbacks.c: callback security end to end: the fallback ladder, the unsecured
 * apartment (a real wmisim-unsecapp helper process per apartment), its access check, the
 * registry value, the stub's lifetime rules, a rogue process calling stubs back, and the
 * ladder matrix whose table docs/security.md shows.
 *
 * Each test has its own Kerberos realm (a KDC on loopback, stopped by pid), NTLM accounts
 * (WSIM\alice; the server calls NTLM clients back as the account they authenticated as),
 * registry file and harness. Everything here is on one machine; the remote cells run across
 * real hosts in tests/hosts.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "wsim-harness.h"
#include "wsim-krb5-realm.h"
#include "wsim-registry.h"
#include "wsim-test-ladder.h"
#include "wsim-unsecapp.h"
#include "wsim-wbem.h"

#define WAIT 20000   /* ms: generous, valgrind runs these too */

static WsimKrb5Realm realm;
static WsimHarness *h;
static char *registry;

typedef struct {
  const char        *sequence;          /* sim-sequence's parameters */
  gboolean           encrypt_cimv2;
  gboolean           hardened_ladder;   /* floor PKT_INTEGRITY, no local rule */
} Setup;

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  const Setup *s = data;
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (params, "sim-sequence", (gpointer) (s->sequence ? s->sequence : "count=3"));
  if (!wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, error))
    return FALSE;
  /* NTLMSSP names no server: the server calls back as the account the client used. */
  wsim_server_set_callback_identity (server, "WSIM\\alice", NULL);
  if (s->hardened_ladder)
    {
      WsimCallbackPolicy p = { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, FALSE };

      if (!wsim_server_set_callback_policy (server, &p, error))
        return FALSE;
    }
  return !s->encrypt_cimv2 || wsim_repository_set_requires_encryption (repo, "root\\cimv2", TRUE, error);
}

static void
start (const Setup *s)
{
  static const Setup plain = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  WsimBlanket b = { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT,
                    (char *) "WSIM", NULL, (char *) "alice" };

  cr_assert (wsim_krb5_realm_start (&realm, &error), "realm: %s", error ? error->message : "");
  registry = g_build_filename (realm.dir, "registry", NULL);
  h = wsim_harness_new_full (setup, (gpointer) (s != NULL ? s : &plain), &b, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
}

static void
stop_all (void)
{
  g_clear_pointer (&h, wsim_harness_free);
  if (registry != NULL)
    g_unlink (registry);
  g_clear_pointer (&registry, g_free);
  wsim_krb5_realm_stop (&realm);
}

TestSuite (callbacks, .fini = stop_all, .timeout = 240);

/* ---- helpers -------------------------------------------------------------------- */

static WsimBlanket
blanket (const char *mech)
{
  if (g_str_equal (mech, "kerberos"))
    return (WsimBlanket) { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE,
                           RPC_C_AUTHN_GSS_KERBEROS, NULL, NULL, NULL };
  return (WsimBlanket) { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT,
                         (char *) "WSIM", NULL, (char *) "alice" };
}

static WsimServices *
open_as (const char *mech)
{
  g_autoptr(GError) error = NULL;
  WsimBlanket b = blanket (mech);
  g_autoptr(WsimClient) client = wsim_client_connect_full (wsim_harness_get_context (h),
                                                           wsim_harness_get_address (h), &b, &error);
  WsimServices *s;

  cr_assert_not_null (client, "%s: %s", mech, error ? error->message : "");
  s = wsim_client_open_namespace (client, "root\\cimv2", &error);
  cr_assert_not_null (s, "%s", error ? error->message : "");
  return s;
}

static WsimUnsecApp *
apartment (WsimAuthnLevel max_level)
{
  g_autoptr(GError) error = NULL;
  WsimUnsecAppOptions o = { .max_level = max_level, .registry = registry };
  WsimUnsecApp *app = wsim_unsecapp_new (wsim_harness_get_context (h), &o, &error);

  cr_assert_not_null (app, "apartment: %s", error ? error->message : "");
  return app;
}

static void
set_registry (guint32 value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRegistry) reg = wsim_registry_open (registry, &error);

  cr_assert_not_null (reg, "%s", error ? error->message : "");
  cr_assert (wsim_registry_set_dword (reg, WSIM_REG_KEY_CIMOM, WSIM_REG_UNSECAPP_ACCESS_CONTROL_DEFAULT,
                                      value, &error), "%s", error ? error->message : "");
}

/* A stub for a new recorder; the stub owns the recorder's sink (ours is dropped). */
static WsimSink *
stub_for (WsimUnsecApp *app, gint32 flags, WsimSinkRecorder **rec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (rec);
  WsimSink *stub = wsim_unsecapp_create_sink_stub (app, sink, flags, &error);

  cr_assert_not_null (stub, "%s", error ? error->message : "");
  return stub;
}

/* Enumerates Sim_Sequence into @sink and waits for the final SetStatus. */
static guint64
enumerate (WsimServices *s, WsimSink *sink, WsimSinkRecorder *rec)
{
  g_autoptr(GError) error = NULL;

  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WAIT), "no final SetStatus");
  return wsim_services_get_last_call_id (s);
}

/* The ladder's attempts for @call_id, as the server traced them (wsim-test-ladder.h). */
static char *
attempts (guint64 call_id)
{
  return wsim_test_ladder_attempts (wsim_harness_get_trace (h), call_id);
}

static gboolean
server_idle (gpointer data)
{
  return wsim_harness_get_n_server_calls (h) == 0;
}

static guint
stub_events (WsimUnsecApp *app, guint64 call_id, WsimTraceKind kind)
{
  return wsim_trace_count (wsim_unsecapp_get_trace (app), call_id, kind);
}

/* The stub's reports travel apart from the callbacks: wait for them to be in. */
typedef struct {
  WsimUnsecApp *app;
  WsimTraceKind kind;
  guint         n;
} StubEvents;

static gboolean
stub_events_reach (gpointer data)
{
  StubEvents *w = data;

  return stub_events (w->app, 0, w->kind) >= w->n;
}

/* ---- the ladder ----------------------------------------------------------------- */

Test (callbacks, local_ntlm_goes_straight_to_none)
{
  g_autoptr(WsimServices) s = NULL;
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autofree char *tried = NULL;

  start (NULL);
  s = open_as ("ntlm");
  tried = attempts (enumerate (s, sink, rec));
  cr_assert_str_eq (tried, "none:ok");
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->n_objects, 3);
}

Test (callbacks, local_kerberos_starts_at_privacy_as_the_server)
{
  g_autoptr(WsimServices) s = NULL;
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *tried = NULL;
  guint64 call;

  start (NULL);
  s = open_as ("kerberos");
  call = enumerate (s, sink, rec);
  tried = attempts (call);
  cr_assert_str_eq (tried, "pktPrivacy:ok");
  events = wsim_trace_get_events (wsim_harness_get_trace (h), call);
  for (guint i = 0; i < events->len; i++)
    {
      WsimTraceEvent *e = events->pdata[i];

      if (e->kind == WSIM_TRACE_CALLBACK)
        {
          cr_assert_str_eq (e->auth.mech, "kerberos");
          cr_assert_str_eq (e->auth.principal, "wbem/localhost@" WSIM_TEST_REALM);
        }
    }
}

Test (callbacks, the_ladder_steps_down_and_keeps_the_level)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) stub = NULL;
  g_autoptr(GPtrArray) events = NULL;
  WsimSinkRecorder *rec;
  g_autofree char *tried = NULL;
  Setup big = { .sequence = "count=20000" };
  guint64 call;
  guint accepted = 0;

  start (&big);
  app = apartment (RPC_C_AUTHN_LEVEL_PKT);
  stub = stub_for (app, WBEM_FLAG_UNSECAPP_CHECK_ACCESS, &rec);
  s = open_as ("kerberos");
  call = enumerate (s, stub, rec);
  tried = attempts (call);
  cr_assert_str_eq (tried, "pktPrivacy:refused pktIntegrity:refused pkt:ok");
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->n_objects, 20000);
  cr_assert_eq (rec->n_final, 1);
  /* Every callback of the call came at the level that worked, from the server. */
  events = wsim_trace_get_events (wsim_unsecapp_get_trace (app), call);
  for (guint i = 0; i < events->len; i++)
    {
      WsimTraceEvent *e = events->pdata[i];

      if (e->kind != WSIM_TRACE_STUB_ACCEPTED)
        continue;
      accepted++;
      cr_assert_eq (e->auth.level, RPC_C_AUTHN_LEVEL_PKT, "%s", e->detail);
      cr_assert_str_eq (e->auth.principal, "wbem/localhost@" WSIM_TEST_REALM);
    }
  cr_assert_geq (accepted, 2, "QUERY and at least one Indicate: %u", accepted);
  cr_assert_eq (stub_events (app, call, WSIM_TRACE_STUB_REFUSED), 2);
}

Test (callbacks, encryption_never_goes_below_privacy_and_the_client_is_told)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) stub = NULL;
  WsimSinkRecorder *rec;
  g_autofree char *tried = NULL;
  Setup enc = { .encrypt_cimv2 = TRUE };
  guint64 call;

  start (&enc);
  app = apartment (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  stub = stub_for (app, WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS, &rec);
  s = open_as ("kerberos");
  call = enumerate (s, stub, rec);
  tried = attempts (call);
  cr_assert_str_eq (tried, "pktPrivacy:refused");
  /* No silent hang: exactly one final SetStatus, on the client's side, and why. */
  cr_assert_eq (rec->final_hr, WBEM_E_ACCESS_DENIED);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->n_objects, 0);
  cr_assert_eq (stub_events (app, call, WSIM_TRACE_STUB_FINAL), 1);
  cr_assert_eq (wsim_trace_count (wsim_harness_get_trace (h), call, WSIM_TRACE_TEARDOWN), 1);
  cr_assert (wsim_harness_run_until (h, server_idle, NULL, WAIT), "the call stayed in the server's table");
}

Test (callbacks, a_hardened_ladder_stops_at_its_floor)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) stub = NULL;
  WsimSinkRecorder *rec;
  g_autofree char *tried = NULL;
  Setup hard = { .hardened_ladder = TRUE };

  start (&hard);
  app = apartment (RPC_C_AUTHN_LEVEL_PKT);
  stub = stub_for (app, WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS, &rec);
  /* NTLM on this machine: no local rule here, and nothing below PKT_INTEGRITY. */
  s = open_as ("ntlm");
  tried = attempts (enumerate (s, stub, rec));
  cr_assert_str_eq (tried, "pktPrivacy:refused pktIntegrity:refused");
  cr_assert_eq (rec->final_hr, WBEM_E_ACCESS_DENIED);
  cr_assert_eq (rec->n_final, 1);
}

Test (callbacks, policy_is_validated)
{
  WsimCallbackPolicy bad = { RPC_C_AUTHN_LEVEL_PKT, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, TRUE };
  g_autoptr(WsimServer) server = wsim_server_new (NULL, wsim_repository_new ());
  g_autoptr(GError) error = NULL;
  WsimCallbackPolicy got;

  cr_assert_not (wsim_server_set_callback_policy (server, &bad, &error));
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
  wsim_server_get_callback_policy (server, &got);
  cr_assert_eq (got.start, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, "Windows' default is kept");
  cr_assert_eq (got.floor, RPC_C_AUTHN_LEVEL_NONE);
  cr_assert (got.local_none);
}

/* ---- the stub: flags, registry, lifetime ---------------------------------------- */

Test (callbacks, the_registry_value_decides_for_default_flags)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) open_stub = NULL;
  g_autoptr(WsimSink) checked_stub = NULL;
  WsimSinkRecorder *open_rec, *checked_rec;
  g_autoptr(GPtrArray) events = NULL;
  guint64 call;

  start (NULL);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  s = open_as ("ntlm");   /* local NTLM: callbacks at NONE */

  /* No value: 0, Windows' default: not checked, and the trace says so. */
  open_stub = stub_for (app, WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS, &open_rec);
  call = enumerate (s, open_stub, open_rec);
  cr_assert_eq (open_rec->final_hr, WBEM_S_NO_ERROR);
  events = wsim_trace_get_events (wsim_unsecapp_get_trace (app), call);
  cr_assert_gt (events->len, 0);
  cr_assert_not_null (strstr (((WsimTraceEvent *) events->pdata[0])->detail, "unauthenticated"),
                      "%s", ((WsimTraceEvent *) events->pdata[0])->detail);

  /* Set to 1: read when the next stub is made, which then checks. */
  set_registry (1);
  checked_stub = stub_for (app, WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS, &checked_rec);
  call = enumerate (s, checked_stub, checked_rec);
  cr_assert_eq (checked_rec->final_hr, WBEM_E_ACCESS_DENIED);
  cr_assert_eq (checked_rec->n_final, 1);
  cr_assert_eq (stub_events (app, call, WSIM_TRACE_STUB_REFUSED), 1);
  /* The first stub was made before: it still does not check. */
  open_rec->n_final = 0;
  enumerate (s, open_stub, open_rec);
  cr_assert_eq (open_rec->final_hr, WBEM_S_NO_ERROR);
}

Test (callbacks, bad_flags_are_refused)
{
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec;

  start (NULL);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  sink = wsim_sink_recorder_new (&rec);
  cr_assert_null (wsim_unsecapp_create_sink_stub (app, sink, 3, &error));
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
  cr_assert_eq (wsim_unsecapp_get_n_stubs (app), 0);
}

Test (callbacks, cancel_needs_the_same_stub)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(WsimSink) stub = NULL;
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec;
  Setup slow = { .sequence = "count=3;delay_ms=60000" };

  start (&slow);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  sink = wsim_sink_recorder_new (&rec);
  stub = wsim_unsecapp_create_sink_stub (app, sink, WBEM_FLAG_UNSECAPP_CHECK_ACCESS, &error);
  cr_assert_not_null (stub);
  s = open_as ("kerberos");
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, stub, NULL), WBEM_S_NO_ERROR);
  /* Your sink itself names no call: the stub made it. */
  cr_assert_eq (wsim_services_cancel_async_call (s, sink), WBEM_E_INVALID_PARAMETER);
  cr_assert_eq (wsim_services_cancel_async_call (s, stub), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WAIT));
  cr_assert_eq (rec->final_hr, WBEM_E_CALL_CANCELLED);
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->events_after_final, 0);
}

/* The seed's good pattern: the sink holds the stub and releases it in its final SetStatus. */
typedef struct {
  WsimSink *stub;   /* (owned) until the final SetStatus, unless @keep */
  gboolean  keep;   /* the bad pattern: hold on after the call */
  guint     finals;
} Holder;

static void
holder_indicate (WsimSink *sink, WsimObject *const *objects, guint n, gpointer data)
{
}

static void
holder_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str, WsimObject *obj, gpointer data)
{
  Holder *holder = data;

  if (flags != WBEM_STATUS_COMPLETE)
    return;
  holder->finals++;
  if (holder->stub != NULL && !holder->keep)
    g_clear_pointer (&holder->stub, wsim_sink_unref);
}

static const WsimSinkOps holder_ops = { holder_indicate, holder_status };

static gboolean
holder_done (gpointer data)
{
  return ((Holder *) data)->finals > 0;
}

static void
run_holder (gboolean keep)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  Holder holder = { .keep = keep };
  WsimSink *sink;

  start (NULL);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  s = open_as ("kerberos");
  sink = wsim_sink_new (&holder_ops, &holder, NULL);
  holder.stub = wsim_unsecapp_create_sink_stub (app, sink, WBEM_FLAG_UNSECAPP_CHECK_ACCESS, &error);
  cr_assert_not_null (holder.stub);
  wsim_sink_unref (sink);   /* the stub owns it now */
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, holder.stub, NULL),
                WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, holder_done, &holder, WAIT));
  cr_assert_eq (holder.finals, 1);
  report = wsim_unsecapp_leak_report (app);
  if (!keep)
    {
      cr_assert_null (report, "%s", report);
      cr_assert_eq (wsim_unsecapp_get_n_stubs (app), 0);
      return;
    }
  /* Held after WMI released the sink, by the sink itself: the cycle the seed warns of. */
  cr_assert_not_null (report);
  cr_assert_not_null (strstr (report, "keep each other alive"), "%s", report);
  cr_assert_eq (wsim_unsecapp_get_n_stubs (app), 1);
  g_clear_pointer (&holder.stub, wsim_sink_unref);   /* break it, for the leak checkers */
}

Test (callbacks, releasing_the_stub_in_the_final_setstatus_is_clean)
{
  run_holder (FALSE);
}

Test (callbacks, a_stub_kept_after_the_call_is_reported_as_a_cycle)
{
  run_holder (TRUE);
}

Test (callbacks, the_helper_exits_with_its_client)
{
  g_autoptr(WsimUnsecApp) app = NULL;
  GPid pid;

  start (NULL);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  pid = wsim_unsecapp_get_pid (app);
  cr_assert_gt (pid, 0);
  cr_assert_eq (kill (pid, 0), 0, "the helper runs");
  g_clear_pointer (&app, wsim_unsecapp_unref);   /* closes its stdin and reaps it */
  cr_assert_eq (kill (pid, 0), -1, "the helper is gone");
}

/* ---- a rogue process ------------------------------------------------------------ */

typedef struct {
  gboolean done;
  GBytes  *out;
  GError  *error;
} Rogue;

static void
on_rogue_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Rogue *r = data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &r->out, NULL, &r->error);
  r->done = TRUE;
}

static gboolean
wsim_test_flag (gpointer flag)
{
  return *(gboolean *) flag;
}

/* Runs the rogue against @app's stub; returns its answers ("0x80041003\n"...). */
static char *
rogue (WsimUnsecApp *app, WsimSink *stub, guint64 call_id, const char *what, const char *const *auth)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sink_id = NULL;
  g_autofree char *call = g_strdup_printf ("%" G_GUINT64_FORMAT, call_id);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char *out = NULL;
  gint status;
  const char *endpoint;
  guint64 id;

  wsim_unsecapp_stub_locate (stub, NULL, &endpoint, &id);
  sink_id = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
  g_ptr_array_add (argv, (gpointer) WSIM_TEST_ROGUE);
  g_ptr_array_add (argv, (gpointer) endpoint);
  g_ptr_array_add (argv, sink_id);
  g_ptr_array_add (argv, call);
  g_ptr_array_add (argv, (gpointer) what);
  for (guint i = 0; auth != NULL && auth[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) auth[i]);
  g_ptr_array_add (argv, NULL);
  /* The rogue is a separate process; what the stub lets through comes to our sinks on the
   * harness's context, so that is iterated while the rogue runs (bounded by run_until). */
  {
    g_autoptr(GSubprocess) p = g_subprocess_newv ((const char *const *) argv->pdata,
                                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
    Rogue r = { 0 };

    cr_assert_not_null (p, "%s", error ? error->message : "");
    g_main_context_push_thread_default (wsim_harness_get_context (h));
    g_subprocess_communicate_async (p, NULL, NULL, on_rogue_done, &r);
    g_main_context_pop_thread_default (wsim_harness_get_context (h));
    cr_assert (wsim_harness_run_until (h, wsim_test_flag, &r.done, WAIT), "the rogue did not finish");
    cr_assert_null (r.error, "%s", r.error ? r.error->message : "");
    status = g_subprocess_get_exit_status (p);
    cr_assert_eq (status, 0, "the rogue failed to reach the stub");
    out = g_strndup (g_bytes_get_data (r.out, NULL), g_bytes_get_size (r.out));
    g_bytes_unref (r.out);
  }
  return out;
}

static void
rogue_run (gboolean check)
{
  static const char *const alice[] = { "pktPrivacy", "kerberos", "alice", "alice@" WSIM_TEST_REALM, NULL };
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) stub = NULL;
  WsimSinkRecorder *rec;
  /* The provider waits long enough for the call to stay open through every attack, also
   * under valgrind; the checking case ends it by cancelling. */
  Setup slow = { .sequence = "count=3;delay_ms=60000" };
  guint64 call;
  struct { const char *what; const char *const *auth; gboolean forged; } attacks[] = {
    { "indicate", NULL, TRUE },    /* a forged call id */
    { "query", NULL, FALSE },      /* the right ids, at NONE */
    { "replay", NULL, FALSE },     /* an Indicate, twice */
    { "indicate", alice, FALSE },  /* authenticated, but as alice, not the server */
    { "final", NULL, FALSE },      /* a forged final SetStatus */
  };
  guint refused = 0, accepted = 0;

  start (&slow);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  stub = stub_for (app, check ? WBEM_FLAG_UNSECAPP_CHECK_ACCESS : WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS, &rec);
  s = open_as ("kerberos");
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, stub, NULL), WBEM_S_NO_ERROR);
  call = wsim_services_get_last_call_id (s);
  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autofree char *answers = rogue (app, stub, attacks[i].forged ? call + 1000 : call,
                                        attacks[i].what, attacks[i].auth);
      g_auto(GStrv) lines = g_strsplit (g_strstrip (answers), "\n", -1);

      for (guint k = 0; lines[k] != NULL; k++)
        {
          gboolean ok = g_str_equal (lines[k], "0x00000000");

          if (check || attacks[i].forged)
            cr_assert_not (ok, "%s %s got through a checking stub", attacks[i].what, lines[k]);
          ok ? accepted++ : refused++;
        }
    }
  if (check)
    {
      /* 100% refused, each traced with who it came from; the call goes on untouched. */
      cr_assert_eq (accepted, 0);
      cr_assert_eq (refused, 6);
      {
        StubEvents w = { app, WSIM_TRACE_STUB_REFUSED, 6 };

        cr_assert (wsim_harness_run_until (h, stub_events_reach, &w, WAIT));
        cr_assert_eq (stub_events (app, 0, WSIM_TRACE_STUB_REFUSED), 6, "each refusal traced once");
      }
      cr_assert_eq (wsim_services_cancel_async_call (s, stub), WBEM_S_NO_ERROR);
      cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WAIT));
      cr_assert_eq (rec->final_hr, WBEM_E_CALL_CANCELLED, "the rogue's final did not end the call");
      cr_assert_eq (rec->n_objects, 0, "nothing of the rogue's reached the sink");
      cr_assert_eq (rec->n_final, 1);
      return;
    }
  /* Not checking: the forged id is still refused (no such call); the rest gets through,
   * marked unauthenticated, and the rogue's final SetStatus ended the call at the sink. */
  cr_assert_eq (refused, 1);
  cr_assert_eq (accepted, 5);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WAIT));
  cr_assert_eq (rec->n_objects, 3, "the rogue's instances reached the sink");
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (rec->objects->pdata[0])), "Rogue_Injected");
  {
    StubEvents w = { app, WSIM_TRACE_STUB_ACCEPTED, 6 };   /* the server's QUERY and the rogue's 5 */
    g_autoptr(GPtrArray) events = NULL;
    guint unauthenticated = 0;

    cr_assert (wsim_harness_run_until (h, stub_events_reach, &w, WAIT));
    events = wsim_trace_get_events (wsim_unsecapp_get_trace (app), call);

    for (guint i = 0; i < events->len; i++)
      {
        WsimTraceEvent *e = events->pdata[i];

        if (e->kind == WSIM_TRACE_STUB_ACCEPTED && strstr (e->detail, "unauthenticated") != NULL)
          unauthenticated++;
      }
    cr_assert_geq (unauthenticated, 4, "QUERY, two Indicates and the final at NONE");
  }
}

Test (callbacks, a_rogue_is_refused_by_a_checking_stub)
{
  rogue_run (TRUE);
}

Test (callbacks, a_rogue_gets_through_when_access_is_not_checked)
{
  rogue_run (FALSE);
}

/* A flood of forged Indicates: a checking stub refuses each, and each refusal is one event in
 * its apartment's trace, a ring; so the client's memory stays within the ring's budget,
 * whatever the count, and the trace counts what it dropped (before the ring, 20,000 forged
 * Indicates grew the client by 5 MB). */
typedef struct {
  WsimTrace *trace;
  guint64    n;
} TraceTotal;

static gboolean
trace_total_reaches (gpointer data)
{
  TraceTotal *w = data;
  WsimTraceStats st;

  wsim_trace_get_stats (w->trace, &st);
  return st.n_events + st.n_dropped >= w->n;
}

Test (callbacks, a_flood_of_forged_callbacks_stays_within_the_trace_s_ring)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) stub = NULL;
  g_autofree char *answers = NULL;
  g_auto(GStrv) lines = NULL;
  WsimSinkRecorder *rec;
  Setup slow = { .sequence = "count=3;delay_ms=60000" };
  const guint n = 300;   /* each a round trip through the helper: valgrind's pace bounds it */
  const gsize budget = 8 * 1024;
  WsimTraceStats before, after;
  WsimTrace *trace;
  guint refused = 0;

  start (&slow);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  trace = wsim_unsecapp_get_trace (app);
  wsim_trace_set_max_bytes (trace, budget);   /* about 30 refusals' worth */
  stub = stub_for (app, WBEM_FLAG_UNSECAPP_CHECK_ACCESS, &rec);
  s = open_as ("kerberos");
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, stub, NULL), WBEM_S_NO_ERROR);
  wsim_trace_get_stats (trace, &before);
  {
    g_autofree char *what = g_strdup_printf ("indicate:%u", n);

    answers = rogue (app, stub, wsim_services_get_last_call_id (s), what, NULL);
  }
  lines = g_strsplit (g_strstrip (answers), "\n", -1);
  for (guint k = 0; lines[k] != NULL; k++)
    if (!g_str_equal (lines[k], "0x00000000"))
      refused++;
  cr_assert_eq (refused, n, "every forged Indicate refused");
  cr_assert_eq (g_strv_length (lines), n);
  cr_assert (wsim_harness_run_until (h, trace_total_reaches,
                                     &(TraceTotal) { trace, before.n_events + before.n_dropped + n },
                                     WAIT), "each refusal reaches the trace");
  wsim_trace_get_stats (trace, &after);
  cr_assert_leq (after.n_bytes, budget, "%zu bytes in a ring of %zu", after.n_bytes, budget);
  cr_assert_lt (after.n_events, n / 4, "%u events kept", after.n_events);
  cr_assert_geq (after.n_dropped, before.n_dropped + n - after.n_events,
                 "%" G_GUINT64_FORMAT " dropped", after.n_dropped);
  /* Every event is kept or counted: the refusals, and the server's own callbacks of the
   * call (its ladder's QUERY and the rows it sends) meanwhile. */
  cr_assert_geq (after.n_events + after.n_dropped, before.n_events + before.n_dropped + n);
  cr_assert_geq (stub_events (app, 0, WSIM_TRACE_STUB_REFUSED), after.n_events - 4,
                 "the newest, the refusals, are the ones kept");
  /* The call goes on untouched and still ends once. */
  cr_assert_eq (wsim_services_cancel_async_call (s, stub), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WAIT));
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->n_objects, 0, "nothing of the rogue's reached the sink");
}

/* A final SetStatus whose error object does not fit the call's classes still ends the call
 * at the sink, with its status and no object: refusing it would lose the final. */
Test (callbacks, a_final_with_a_broken_error_object_still_ends_the_call)
{
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) stub = NULL;
  g_autofree char *answers = NULL;
  WsimSinkRecorder *rec;
  Setup slow = { .sequence = "count=3;delay_ms=60000" };

  start (&slow);
  app = apartment (RPC_C_AUTHN_LEVEL_DEFAULT);
  stub = stub_for (app, WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS, &rec);
  s = open_as ("kerberos");
  cr_assert_eq (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, stub, NULL), WBEM_S_NO_ERROR);
  answers = rogue (app, stub, wsim_services_get_last_call_id (s), "bad-final", NULL);
  cr_assert_str_eq (g_strstrip (answers), "0x00000000", "the final was taken");
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WAIT));
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->final_hr, WBEM_E_FAILED);
  cr_assert_str_eq (rec->final_str_param, "rogue");
  cr_assert_null (rec->final_error, "the object that did not fit was dropped");
}

/* ---- the matrix ----------------------------------------------------------------- */

/* The local half of the matrix (docs/security.md; the remote half runs across real hosts in
 * tests/hosts): one process per {mechanism} x {sink host's highest level}; inside, each of
 * {DEFAULT, CHECK, DONT_CHECK} x {registry 0, 1}. The expected outcome follows the rules
 * docs/security.md states: the rungs are NONE alone for local NTLM, else PKT_PRIVACY down to
 * NONE; a rung is taken if the host does that level and, when the stub checks, it carries an
 * identity (CONNECT or above) — the server's, which it always is here; no rung taken means
 * WBEM_E_ACCESS_DENIED at the sink. */
/* No pointers: Criterion hands parameters to a worker process whose addresses differ. */
typedef struct {
  gboolean       ntlm;
  WsimAuthnLevel max_level;
} Cell;

#define CELL_MECH(c) ((c)->ntlm ? "ntlm" : "kerberos")

ParameterizedTestParameters (callbacks, matrix)
{
  static Cell cells[6];
  static const WsimAuthnLevel maxes[] = {
    RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT, RPC_C_AUTHN_LEVEL_NONE,
  };
  guint n = 0;

  for (guint m = 0; m < 2; m++)
    for (guint x = 0; x < G_N_ELEMENTS (maxes); x++)
      cells[n++] = (Cell) { m == 1, maxes[x] };
  return cr_make_param_array (Cell, cells, n);
}

ParameterizedTest (Cell *c, callbacks, matrix, .timeout = 300)
{
  static const gint32 flags[] = {
    WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS, WBEM_FLAG_UNSECAPP_CHECK_ACCESS,
    WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS,
  };
  static const char *const flag_names[] = { "DEFAULT", "CHECK", "DONT_CHECK" };
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;

  start (NULL);
  app = apartment (c->max_level);
  s = open_as (CELL_MECH (c));
  for (guint reg = 0; reg < 2; reg++)
    for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
      {
        gboolean check = flags[f] == WBEM_FLAG_UNSECAPP_CHECK_ACCESS
                         || (flags[f] == WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS && reg == 1);
        g_autoptr(WsimSink) stub = NULL;
        g_autofree char *want = NULL;
        g_autofree char *got = NULL;
        WsimSinkRecorder *rec;
        WsimHResult want_hr;

        set_registry (reg);
        stub = stub_for (app, flags[f], &rec);
        want = wsim_test_expected_ladder (c->ntlm, c->max_level, check, &want_hr);   /* local */
        got = attempts (enumerate (s, stub, rec));
        printf ("matrix %s local host<=%s %s reg=%u: %s -> %s\n", CELL_MECH (c),
                wsim_authn_level_word (c->max_level), flag_names[f], reg, got,
                rec->final_hr == WBEM_S_NO_ERROR ? "delivered" : "WBEM_E_ACCESS_DENIED");
        cr_assert_str_eq (got, want, "%s local host<=%s %s reg=%u", CELL_MECH (c),
                          wsim_authn_level_word (c->max_level), flag_names[f], reg);
        cr_assert_eq (rec->final_hr, want_hr);
        cr_assert_eq (rec->n_final, 1);
        cr_assert_eq (rec->n_objects, want_hr == WBEM_S_NO_ERROR ? 3 : 0);
      }
}
