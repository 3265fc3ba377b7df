/* test-security.c: authentication levels through the runtime, end to end.
 *
 * A private Kerberos realm (KDC on loopback, stopped by pid) and an NTLM account file are
 * set up for each test; the harness serves Sim_Sequence on its own thread. Each test checks
 * what a WMI client would see (the level its proxy got, the status of a refused request)
 * and what the server knows (the trace names the level, mechanism and principal of each
 * call, and says why it refused one). */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-harness.h"
#include "wsim-krb5-realm.h"
#include "wsim-wbem.h"

#define WAIT 20000   /* ms: generous, valgrind runs these too */

static WsimKrb5Realm realm;
static WsimHarness *h;

static void
start_realm (void)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_krb5_realm_start (&realm, &error), "realm: %s", error ? error->message : "");
}

static void
stop_all (void)
{
  g_clear_pointer (&h, wsim_harness_free);
  wsim_krb5_realm_stop (&realm);
}

TestSuite (security, .init = start_realm, .fini = stop_all, .timeout = 120);

/* ---- fixtures ------------------------------------------------------------------- */

typedef struct {
  WsimServerSecurity security;
  gboolean           encrypt_cimv2;   /* root\cimv2 RequiresEncryption */
} ServerSetup;

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  const ServerSetup *s = data;
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (params, "sim-sequence", "count=3");
  if (!wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, params, error)
      || !wsim_repository_load_dir (repo, "root\\open", WSIM_TEST_PROVIDER_DIR, params, error))
    return FALSE;
  if (s == NULL)
    return TRUE;
  return wsim_server_set_security (server, &s->security, error)
         && (!s->encrypt_cimv2 || wsim_repository_set_requires_encryption (repo, "root\\cimv2", TRUE, error));
}

/* The harness's own client is at NONE unless the server would refuse it (then at
 * PKT_PRIVACY); tests make the clients they study. */
static void
start_server (const ServerSetup *s)
{
  g_autoptr(GError) error = NULL;
  WsimBlanket b = { RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT,
                    (char *) "WSIM", NULL, (char *) "alice" };

  if (s != NULL && (s->security.hardening || s->security.min_level > RPC_C_AUTHN_LEVEL_NONE
                    || s->encrypt_cimv2))
    b.authn_level = RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
  h = wsim_harness_new_full (setup, (gpointer) s, &b, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
}

static WsimBlanket
kerberos (WsimAuthnLevel level)
{
  return (WsimBlanket) { level, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_GSS_KERBEROS, NULL, NULL, NULL };
}

static WsimBlanket
ntlm (WsimAuthnLevel level)
{
  return (WsimBlanket) { level, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT, (char *) "WSIM", NULL,
                         (char *) "alice" };
}

static WsimClient *
connect_as (const WsimBlanket *b, GError **error)
{
  return wsim_client_connect_full (wsim_harness_get_context (h), wsim_harness_get_address (h), b, error);
}

/* Enumerates Sim_Sequence through @services; returns the call id. */
static guint64
enumerate (WsimServices *services)
{
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  WsimSinkRecorder *rec;

  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (services, "Sim_Sequence", 0, sink, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, WAIT));
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->n_objects, 3);
  cr_assert_eq (rec->n_final, 1);
  return wsim_services_get_last_call_id (services);
}

/* The latest event of @kind for @call_id (0: any call), copied; fails if there is none. */
static WsimTraceEvent *
find_event (WsimTraceKind kind, guint64 call_id)
{
  g_autoptr(GPtrArray) events = wsim_trace_get_events (wsim_harness_get_trace (h), call_id);

  for (guint i = events->len; i-- > 0;)
    {
      WsimTraceEvent *e = events->pdata[i];

      if (e->kind == kind)
        return g_ptr_array_steal_index (events, i);
    }
  cr_assert_fail ("no %s event for call %" G_GUINT64_FORMAT, wsim_trace_kind_name (kind), call_id);
  return NULL;
}


/* ---- each level, each mechanism ------------------------------------------------- */

static void
each_level (WsimBlanket (*blanket) (WsimAuthnLevel), const char *mech, const char *principal)
{
  static const struct { WsimAuthnLevel asked, got; } rows[] = {
    { RPC_C_AUTHN_LEVEL_NONE, RPC_C_AUTHN_LEVEL_NONE },
    { RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_LEVEL_CONNECT },
    { RPC_C_AUTHN_LEVEL_CALL, RPC_C_AUTHN_LEVEL_PKT },   /* raised on a stream (MS-RPCE) */
    { RPC_C_AUTHN_LEVEL_PKT, RPC_C_AUTHN_LEVEL_PKT },
    { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY },
    { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_PRIVACY },
  };

  start_server (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      WsimBlanket b = blanket (rows[i].asked);
      g_autoptr(WsimClient) client = connect_as (&b, &error);
      g_autoptr(WsimServices) services = NULL;
      g_autoptr(WsimTraceEvent) start = NULL;
      guint64 id;

      cr_assert_not_null (client, "%s: %s", wsim_authn_level_name (rows[i].asked), error ? error->message : "");
      cr_assert_eq (wsim_client_get_authn_level (client), rows[i].got);
      services = wsim_client_open_namespace (client, "root\\cimv2", &error);
      cr_assert_not_null (services, "%s", error ? error->message : "");
      cr_assert_eq (wsim_services_get_authn_level (services), rows[i].got);
      id = enumerate (services);
      start = find_event (WSIM_TRACE_START, id);
      cr_assert (start->has_auth);
      cr_assert_eq (start->auth.level, rows[i].got, "%s: the server saw %s",
                    wsim_authn_level_name (rows[i].asked), wsim_authn_level_name (start->auth.level));
      if (rows[i].got == RPC_C_AUTHN_LEVEL_NONE)
        {
          cr_assert_null (start->auth.principal, "nobody is known at NONE");
          cr_assert_null (start->auth.mech);
        }
      else
        {
          cr_assert_str_eq (start->auth.principal, principal);
          cr_assert_str_eq (start->auth.mech, mech);
        }
    }
}

Test (security, each_level_kerberos)
{
  each_level (kerberos, "kerberos", "alice@" WSIM_TEST_REALM);
}

Test (security, each_level_ntlm)
{
  each_level (ntlm, "ntlm", "WSIM\\alice");
}

/* ---- DEFAULT ------------------------------------------------------------------- */

Test (security, default_negotiates_the_servers_level_never_none)
{
  static const struct {
    WsimServerSecurity server;
    WsimAuthnLevel     got;
  } rows[] = {
    { { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_NONE, FALSE }, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY },
    { { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_NONE, FALSE }, RPC_C_AUTHN_LEVEL_PKT_PRIVACY },
    { { RPC_C_AUTHN_LEVEL_NONE, RPC_C_AUTHN_LEVEL_NONE, FALSE }, RPC_C_AUTHN_LEVEL_CONNECT },
    { { RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_AUTHN_LEVEL_NONE, FALSE }, RPC_C_AUTHN_LEVEL_CONNECT },
    { { RPC_C_AUTHN_LEVEL_CALL, RPC_C_AUTHN_LEVEL_NONE, FALSE }, RPC_C_AUTHN_LEVEL_PKT },
    { { RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_LEVEL_NONE, TRUE }, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY },
    { { RPC_C_AUTHN_LEVEL_PKT, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, FALSE }, RPC_C_AUTHN_LEVEL_PKT_PRIVACY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      ServerSetup s = { rows[i].server, FALSE };
      g_autoptr(GError) error = NULL;
      WsimBlanket b = ntlm (RPC_C_AUTHN_LEVEL_DEFAULT);
      g_autoptr(WsimClient) client = NULL;
      g_autoptr(WsimServices) services = NULL;
      g_autoptr(WsimTraceEvent) start = NULL;

      start_server (&s);
      client = connect_as (&b, &error);
      cr_assert_not_null (client, "row %zu: %s", i, error ? error->message : "");
      cr_assert_eq (wsim_client_get_authn_level (client), rows[i].got, "row %zu: got %s", i,
                    wsim_authn_level_name (wsim_client_get_authn_level (client)));
      services = wsim_client_open_namespace (client, "root\\cimv2", &error);
      cr_assert_not_null (services, "row %zu: %s", i, error ? error->message : "");
      start = find_event (WSIM_TRACE_START, enumerate (services));
      cr_assert_eq (start->auth.level, rows[i].got, "row %zu: the negotiated level is what travels", i);
      g_clear_pointer (&services, wsim_services_unref);
      g_clear_pointer (&client, wsim_client_unref);
      g_clear_pointer (&h, wsim_harness_free);
    }
}

/* ---- the process default and the proxy blanket ---------------------------------- */

Test (security, process_default_is_set_once)
{
  WsimBlanket b = ntlm (RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  WsimBlanket bad = ntlm (RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = NULL;
  g_auto(WsimBlanket) got = WSIM_BLANKET_INIT;

  bad.authn_level = 7;
  cr_assert_not (wsim_security_initialize (&bad, &error));
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT), "%s", error->message);
  g_clear_error (&error);

  cr_assert (wsim_security_initialize (&b, &error), "%s", error ? error->message : "");
  cr_assert_not (wsim_security_initialize (&b, &error), "CoInitializeSecurity works once");
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) RPC_E_TOO_LATE), "%s", error->message);
  g_clear_error (&error);

  wsim_security_get_default (&got);
  cr_assert_eq (got.authn_level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  cr_assert_str_eq (got.user, "alice");

  start_server (NULL);
  client = wsim_client_connect (wsim_harness_get_context (h), wsim_harness_get_address (h), &error);
  cr_assert_not_null (client, "%s", error ? error->message : "");
  cr_assert_eq (wsim_client_get_authn_level (client), RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                "a client without a blanket of its own takes the process default");
}

Test (security, proxy_blanket_overrides_for_that_proxy_only)
{
  g_autoptr(GError) error = NULL;
  WsimServices *plain;
  g_autoptr(WsimServices) raised = NULL;
  WsimBlanket privacy = ntlm (RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  WsimBlanket wrong = ntlm (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  g_auto(WsimBlanket) got = WSIM_BLANKET_INIT;
  g_autoptr(WsimTraceEvent) a = NULL, b = NULL;

  start_server (NULL);
  plain = wsim_harness_get_services (h);
  raised = wsim_client_open_namespace (wsim_harness_get_client (h), "root\\cimv2", &error);
  cr_assert_not_null (raised);
  cr_assert_eq (wsim_services_get_authn_level (raised), RPC_C_AUTHN_LEVEL_NONE);

  cr_assert (wsim_services_set_blanket (raised, &privacy, &error), "%s", error ? error->message : "");
  cr_assert_eq (wsim_services_get_authn_level (raised), RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  wsim_services_get_blanket (raised, &got);
  cr_assert_str_eq (got.user, "alice");
  a = find_event (WSIM_TRACE_START, enumerate (raised));
  b = find_event (WSIM_TRACE_START, enumerate (plain));
  cr_assert_eq (a->auth.level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  cr_assert_str_eq (a->auth.principal, "WSIM\\alice");
  cr_assert_eq (b->auth.level, RPC_C_AUTHN_LEVEL_NONE, "the other proxy keeps the client's blanket");

  /* A blanket that cannot authenticate leaves the proxy as it was. */
  wrong.user = (char *) "mallory";
  cr_assert_not (wsim_services_set_blanket (raised, &wrong, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) E_ACCESSDENIED), "%s", error->message);
  cr_assert (strstr (error->message, "ntlm") != NULL, "%s", error->message);
  cr_assert_eq (wsim_services_get_authn_level (raised), RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  enumerate (raised);
}

Test (security, unknown_credentials_are_access_denied)
{
  g_autoptr(GError) error = NULL;
  WsimBlanket nobody = ntlm (RPC_C_AUTHN_LEVEL_PKT);
  WsimBlanket elsewhere = kerberos (RPC_C_AUTHN_LEVEL_PKT);

  start_server (NULL);
  nobody.user = (char *) "nobody";
  cr_assert_null (connect_as (&nobody, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) E_ACCESSDENIED), "%s", error->message);
  g_clear_error (&error);
  /* A server principal the realm does not know. */
  elsewhere.server_principal = (char *) "no-such-host";
  cr_assert_null (connect_as (&elsewhere, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) E_ACCESSDENIED), "%s", error->message);
  cr_assert (strstr (error->message, "kerberos") != NULL, "%s", error->message);
}

/* ---- what the server asks -------------------------------------------------------- */

/* Opening root\cimv2 at @level: NULL with the refusal in @error, or the services. */
static WsimServices *
open_at (WsimBlanket b, GError **error)
{
  g_autoptr(WsimClient) client = connect_as (&b, error);

  cr_assert_not_null (client, "%s", (error && *error) ? (*error)->message : "");
  return wsim_client_open_namespace (client, "root\\cimv2", error);
}

/* @services lowered to @b: an async call is refused at once with @hr; its sink is never
 * called (the sink host holds no call for it). */
static void
assert_call_refused (WsimServices *services, WsimBlanket b, WsimHResult hr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec;
  WsimSinkHost *host = wsim_client_get_sink_host (wsim_harness_get_client (h));

  cr_assert (wsim_services_set_blanket (services, &b, &error), "%s", error ? error->message : "");
  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (services, "Sim_Sequence", 0, sink, &error), hr,
                "%s", error ? error->message : "no error");
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) hr));
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
  cr_assert_eq (wsim_sink_host_get_n_calls (host), 0);
  cr_assert_eq (wsim_trace_count (wsim_harness_get_trace (h), wsim_services_get_last_call_id (services),
                                  WSIM_TRACE_REFUSED), 1);
}

static void
assert_refused (WsimBlanket b, WsimHResult hr, const char *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimServices) services = open_at (b, &error);
  g_autoptr(WsimTraceEvent) refused = NULL;

  cr_assert_null (services, "%s must be refused", wsim_authn_level_name (b.authn_level));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) hr), "%s: %s",
             wsim_authn_level_name (b.authn_level), error->message);
  refused = find_event (WSIM_TRACE_REFUSED, 0);
  cr_assert_eq (refused->hr, hr);
  cr_assert_eq (refused->auth.level, wsim_authn_level_on_stream (b.authn_level));
  if (principal != NULL)
    cr_assert_str_eq (refused->auth.principal, principal, "the trace names who was refused");
}

Test (security, server_minimum_level)
{
  ServerSetup s = { { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, FALSE }, FALSE };
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimServices) ok = NULL;

  start_server (&s);
  assert_refused (kerberos (RPC_C_AUTHN_LEVEL_PKT), WBEM_E_ACCESS_DENIED, "alice@" WSIM_TEST_REALM);
  ok = open_at (kerberos (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY), &error);
  cr_assert_not_null (ok, "%s", error ? error->message : "");
  enumerate (ok);
}

Test (security, hardening_refuses_below_integrity)
{
  ServerSetup s = { { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_NONE, TRUE }, FALSE };
  const WsimAuthnLevel below[] = { RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_LEVEL_CALL, RPC_C_AUTHN_LEVEL_PKT };
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimServices) ok = NULL;

  start_server (&s);
  assert_refused (ntlm (RPC_C_AUTHN_LEVEL_NONE), E_ACCESSDENIED, NULL);
  /* A refused caller learns nothing else: not even which namespaces exist. */
  {
    WsimBlanket low = ntlm (RPC_C_AUTHN_LEVEL_CONNECT);
    g_autoptr(WsimClient) client = connect_as (&low, &error);

    cr_assert_not_null (client, "%s", error ? error->message : "");
    cr_assert_null (wsim_client_open_namespace (client, "root\\no\\such", &error));
    cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) E_ACCESSDENIED), "%s", error->message);
    g_clear_error (&error);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (below); i++)
    assert_refused (ntlm (below[i]), E_ACCESSDENIED, "WSIM\\alice");
  ok = open_at (ntlm (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY), &error);
  cr_assert_not_null (ok, "%s", error ? error->message : "");
  enumerate (ok);
  /* Every request is checked, not only the opening one. */
  assert_call_refused (ok, ntlm (RPC_C_AUTHN_LEVEL_CONNECT), E_ACCESSDENIED);
}

Test (security, namespace_requiring_encryption)
{
  ServerSetup s = { { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_NONE, FALSE }, TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimServices) sealed = NULL;
  g_autoptr(WsimClient) client = NULL;
  g_autoptr(WsimServices) open_ns = NULL;
  WsimBlanket integrity = kerberos (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);

  start_server (&s);
  assert_refused (kerberos (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY), WBEM_E_ENCRYPTED_CONNECTION_REQUIRED,
                  "alice@" WSIM_TEST_REALM);
  assert_refused (ntlm (RPC_C_AUTHN_LEVEL_NONE), WBEM_E_ENCRYPTED_CONNECTION_REQUIRED, NULL);
  sealed = open_at (kerberos (RPC_C_AUTHN_LEVEL_PKT_PRIVACY), &error);
  cr_assert_not_null (sealed, "%s", error ? error->message : "");
  enumerate (sealed);
  /* The proxy lowered afterwards: its calls are refused, and the sink is never called. */
  assert_call_refused (sealed, integrity, WBEM_E_ENCRYPTED_CONNECTION_REQUIRED);
  /* Another namespace is not affected. */
  client = connect_as (&integrity, &error);
  cr_assert_not_null (client, "%s", error ? error->message : "");
  open_ns = wsim_client_open_namespace (client, "root\\open", &error);
  cr_assert_not_null (open_ns, "%s", error ? error->message : "");
  enumerate (open_ns);
}

/* ---- contexts the server forgets ------------------------------------------------ */

static void
forget_contexts (WsimServer *server, gpointer data)
{
  wsim_server_forget_security_contexts (server);
}

static void
count_contexts (WsimServer *server, gpointer data)
{
  *(guint *) data = wsim_server_get_n_security_contexts (server);
}

static guint
n_contexts (void)
{
  guint n = 0;

  wsim_harness_invoke (h, count_contexts, &n);
  return n;
}

static gboolean
two_contexts (gpointer data)
{
  return n_contexts () == 2;
}

/* A server that forgot the context refuses the next call with CREDPROBLEM before running it;
 * the client makes a new context and the call again, and the caller sees nothing. */
static void
forgotten_context (WsimBlanket b)
{
  g_autoptr(GError) error = NULL;
  WsimClient *client;
  WsimServices *services;

  client = connect_as (&b, &error);
  cr_assert_not_null (client, "%s", error ? error->message : "");
  services = wsim_client_open_namespace (client, "root\\cimv2", &error);
  cr_assert_not_null (services, "%s", error ? error->message : "");
  enumerate (services);
  /* The harness's own client is at NONE: ours, and our watch's connection (made at the first
   * call, without waiting for it), which asks about calls the sink hears nothing of. */
  cr_assert (wsim_harness_run_until (h, two_contexts, NULL, WAIT), "%u contexts", n_contexts ());
  wsim_harness_invoke (h, forget_contexts, NULL);
  cr_assert_eq (n_contexts (), 0);
  enumerate (services);
  cr_assert_eq (n_contexts (), 1, "a new context was made; the watch had nothing to ask");
  wsim_services_unref (services);
  wsim_client_unref (client);   /* DESTROYs it */
  cr_assert_eq (n_contexts (), 0);
}

Test (security, forgotten_context_is_made_again)
{
  start_server (NULL);
  forgotten_context (kerberos (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY));
  forgotten_context (ntlm (RPC_C_AUTHN_LEVEL_PKT_PRIVACY));
}
