/* test-callback-auth.c: what the server needs to call a client's sink back over RPCSEC_GSS.
 *
 * The server calls back as itself (its service principal, its key from its keytab), to the
 * client's user principal, from its own loop, which must never block: the initiator options
 * (a keytab, a private credentials cache, a principal as the target), the asynchronous
 * establishment at each authentication level, and the name a server says its caller
 * authenticated to (WsimRpcIdentity.acceptor). Each test has its own realm (KDC stopped by
 * pid), whose service keytab also holds alice's key, as a sink host's acceptor does.
 */
#include <criterion/criterion.h>
#include <krb5.h>
#include <string.h>

#include "wsim-auth-for-level.h"
#include "wsim-auth-gss.h"
#include "wsim-authn-level.h"
#include "wsim-test-gss.h"
#include "wsim-test-proxy.h"
#include "wsim-testprog-server.h"

#define SERVICE "wbem/localhost@" WSIM_TEST_REALM
#define ALICE "alice@" WSIM_TEST_REALM
#define WAIT_MS 10000

static WsimTestGss fx;

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_gss_start (&fx, &error), "realm: %s", error ? error->message : "");
}

static void
stop (void)
{
  wsim_test_gss_stop (&fx);
}

TestSuite (callback, .init = start, .fini = stop, .timeout = 60);

/* The server's options for calling a Kerberos user back: itself, from the service keytab. */
static WsimGssInitiatorOptions
as_the_service (void)
{
  return (WsimGssInitiatorOptions) { .user = SERVICE, .keytab = fx.realm.service_keytab,
                                     .target_is_principal = TRUE };
}

static WsimRpcClient *
connect_client (void)
{
  g_autoptr(GError) error = NULL;
  WsimRpcClient *c = wsim_test_gss_connect (&fx, &error);

  cr_assert_not_null (c, "%s", error ? error->message : "");
  return c;
}

/* ---- the process's credentials caches (libkrb5) ----------------------------------- */

/* Returns: (transfer full) (nullable) the principal whose credentials the cache called @name
 *   holds; NULL for an empty cache. @destroy: destroy the cache then (resolving the name of a
 *   MEMORY cache that does not exist makes an empty one). */
static char *
cache_owner (const char *name, gboolean destroy)
{
  krb5_context k;
  krb5_ccache cc;
  krb5_principal p;
  char *text = NULL, *owner = NULL;

  cr_assert_eq (krb5_init_context (&k), 0);
  cr_assert_eq (krb5_cc_resolve (k, name, &cc), 0, "%s", name);
  if (krb5_cc_get_principal (k, cc, &p) == 0)
    {
      cr_assert_eq (krb5_unparse_name (k, p, &text), 0);
      owner = g_strdup (text);
      krb5_free_unparsed_name (k, text);
      krb5_free_principal (k, p);
    }
  if (destroy)
    krb5_cc_destroy (k, cc);
  else
    krb5_cc_close (k, cc);
  krb5_free_context (k);
  return owner;
}

/* Frees @init, a keytab initiator that has stepped, checking that its private cache held
 * @principal's credentials (NULL: none) and goes with it. */
static void
free_checking_the_cache (WsimGssContext *init, const char *principal)
{
  g_autofree char *name = g_strdup (wsim_gss_context_get_ccache (init));
  g_autofree char *before = NULL, *after = NULL;

  cr_assert (name != NULL && g_str_has_prefix (name, "MEMORY:"), "cache %s", name ? name : "(none)");
  before = cache_owner (name, FALSE);
  cr_assert_str_eq (before != NULL ? before : "(empty)", principal != NULL ? principal : "(empty)",
                    "the cache while its context lives");
  wsim_gss_context_free (init);
  after = cache_owner (name, TRUE);
  cr_assert_null (after, "the cache outlived its context, holding %s's credentials", after);
}

/* Asserts the default cache (KRB5CCNAME) is alice's and holds nobody else's credentials. */
static void
default_cache_is_alices (void)
{
  krb5_context k;
  krb5_ccache cc;
  krb5_principal owner;
  krb5_cc_cursor cursor;
  krb5_creds creds;
  char *name = NULL;
  guint n = 0;

  cr_assert_eq (krb5_init_context (&k), 0);
  cr_assert_eq (krb5_cc_default (k, &cc), 0);
  cr_assert_eq (krb5_cc_get_principal (k, cc, &owner), 0, "the default cache has no principal");
  cr_assert_eq (krb5_unparse_name (k, owner, &name), 0);
  cr_assert_str_eq (name, ALICE);
  krb5_free_unparsed_name (k, name);
  cr_assert_eq (krb5_cc_start_seq_get (k, cc, &cursor), 0);
  while (krb5_cc_next_cred (k, cc, &cursor, &creds) == 0)
    {
      /* MIT keeps configuration entries in a cache, under the cache's own principal too. */
      cr_assert (krb5_principal_compare (k, creds.client, owner), "a credential of another client");
      n++;
      krb5_free_cred_contents (k, &creds);
    }
  krb5_cc_end_seq_get (k, cc, &cursor);
  cr_assert_gt (n, 0);
  krb5_free_principal (k, owner);
  krb5_cc_close (k, cc);
  krb5_free_context (k);
}

static void
exchange (WsimGssContext *init, WsimGssContext *acc)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_gss_exchange (init, acc, &error), "%s", error ? error->message : "");
}

/* alice, from the default cache, to the service: what any client does. */
static void
alice_calls_the_service (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimGssContext) init = wsim_gss_context_new_initiator (wsim_gss_mech_kerberos (),
                                                                   "wbem@localhost", NULL, &error);
  g_autoptr(WsimGssContext) acc = wsim_gss_context_new_acceptor (NULL, NULL, &error);

  cr_assert (init != NULL && acc != NULL, "%s", error ? error->message : "");
  exchange (init, acc);
  cr_assert_str_eq (wsim_gss_context_get_peer (acc), ALICE);
  cr_assert_str_eq (wsim_gss_context_get_self (acc), SERVICE);
  cr_assert_str_eq (wsim_gss_context_get_self (init), ALICE);
}

Test (callback, the_service_calls_the_user_back_from_its_keytab)
{
  g_autoptr(GError) error = NULL;
  WsimGssInitiatorOptions opts = as_the_service ();
  WsimGssContext *init;
  g_autoptr(WsimGssContext) acc = wsim_gss_context_new_acceptor (NULL, NULL, &error);

  cr_assert_not_null (acc, "%s", error ? error->message : "");
  /* alice has called the service: the default cache holds her ticket. */
  alice_calls_the_service ();
  default_cache_is_alices ();

  init = wsim_gss_context_new_initiator_full (wsim_gss_mech_kerberos (), ALICE, &opts, &error);
  cr_assert_not_null (init, "%s", error ? error->message : "");
  /* A sink host's acceptor with the default keytab, which has alice's key, takes a context
   * targeted at alice, and knows the caller as the service. */
  exchange (init, acc);
  cr_assert_str_eq (wsim_gss_context_get_peer (acc), SERVICE);
  cr_assert_str_eq (wsim_gss_context_get_self (acc), ALICE);
  cr_assert_str_eq (wsim_gss_context_get_self (init), SERVICE);

  /* The service's tickets are in a cache of the context's own, gone with it. */
  free_checking_the_cache (init, SERVICE);

  /* The process's default cache was neither read nor written: alice's still, and it works. */
  default_cache_is_alices ();
  alice_calls_the_service ();
}

Test (callback, a_keytab_without_the_key_gives_no_credentials)
{
  g_autoptr(GError) error = NULL;
  /* alice's keytab has no key for the service. */
  WsimGssInitiatorOptions opts = { .user = SERVICE, .keytab = fx.realm.client_keytab,
                                   .target_is_principal = TRUE };

  cr_assert_null (wsim_gss_context_new_initiator_full (wsim_gss_mech_kerberos (), ALICE, &opts, &error));
  cr_assert (g_error_matches (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_NO_CREDENTIALS), "%s", error->message);
  g_clear_error (&error);
  /* Nor does a keytab that is not there. */
  opts.keytab = "FILE:/nonexistent/wsim.keytab";
  cr_assert_null (wsim_gss_context_new_initiator_full (wsim_gss_mech_kerberos (), ALICE, &opts, &error));
  cr_assert (g_error_matches (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_NO_CREDENTIALS), "%s", error->message);
}

Test (callback, ntlm_calls_the_user_back_by_name)
{
  g_autoptr(GError) error = NULL;
  /* gss-ntlmssp takes only host-based targets and NTLMSSP ignores keytabs: both options are
   * given as the server gives them, and must not get in the way. */
  WsimGssInitiatorOptions opts = { .user = "WSIM\\wbem", .keytab = fx.realm.service_keytab,
                                   .target_is_principal = TRUE };
  g_autoptr(WsimGssContext) init = wsim_gss_context_new_initiator_full (wsim_gss_mech_ntlmssp (),
                                                                        "WSIM\\alice", &opts, &error);
  g_autoptr(WsimGssContext) acc = wsim_gss_context_new_acceptor (NULL, NULL, &error);

  cr_assert (init != NULL && acc != NULL, "%s", error ? error->message : "");
  exchange (init, acc);
  cr_assert_str_eq (wsim_gss_context_get_peer (acc), "WSIM\\wbem");
  cr_assert_str_eq (wsim_gss_context_get_self (init), "WSIM\\wbem");
  /* An NTLMSSP acceptor has no name of its own (see wsim_gss_context_get_self()). */
  cr_assert_null (wsim_gss_context_get_self (acc));
}

/* ---- asynchronous establishment ----------------------------------------------------- */

/* What a WsimAuthReadyFunc saw. */
typedef struct {
  guint     n;             /* times it ran */
  gboolean  returned;      /* set by the test once the *_async call has returned */
  gboolean  reentrant;     /* it ran before that */
  gboolean  outside_loop;  /* it ran while fx.ctx was not being iterated */
  GThread  *thread;        /* where it ran */
  WsimAuth *auth;          /* (owned) (nullable) */
  GError   *error;         /* (owned) (nullable) */
} Ready;

static void
on_ready (WsimAuth *auth, const GError *error, gpointer data)
{
  Ready *r = data;

  r->n++;
  r->reentrant |= !r->returned;
  r->outside_loop |= !g_main_context_is_owner (fx.ctx);
  r->thread = g_thread_self ();
  wsim_auth_unref (r->auth);
  r->auth = auth;
  g_clear_error (&r->error);
  if (error != NULL)
    r->error = g_error_copy (error);
}

static void
ready_clear (Ready *r)
{
  g_clear_pointer (&r->auth, wsim_auth_unref);
  g_clear_error (&r->error);
  memset (r, 0, sizeof *r);
}

static gboolean
ready_ran (gpointer data)
{
  return ((Ready *) data)->n > 0;
}

/* Waits for @r's callback and checks how it came: once, from fx.ctx's loop on this thread,
 * after the *_async call had returned. */
static void
await (Ready *r, const char *what)
{
  cr_assert (wsim_test_run_until (fx.ctx, ready_ran, r, WAIT_MS), "%s: done never ran", what);
  cr_assert_eq (r->n, 1, "%s: done ran %u times", what, r->n);
  cr_assert_not (r->reentrant, "%s: done ran inside the *_async call", what);
  cr_assert_not (r->outside_loop, "%s: done ran outside the client's loop", what);
  cr_assert_eq (r->thread, g_thread_self (), "%s: done ran on another thread", what);
  cr_assert ((r->auth == NULL) != (r->error == NULL), "%s: a flavor and an error, or neither", what);
}

#define START(r, call) do { (r)->returned = FALSE; call; (r)->returned = TRUE; } while (0)

static guint
level_seen (WsimRpcClient *client)
{
  g_autoptr(GError) error = NULL;
  unsigned int level = 0;

  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_LEVEL, WSIM_XDRPROC (xdr_void), NULL,
                                        WSIM_XDRPROC (xdr_u_int), &level, 5000, NULL, &error),
             "%s", error ? error->message : "");
  return level;
}

static void
for_level_async_each_level (const WsimGssMech *mech, const WsimGssInitiatorOptions *opts,
                            const char *target, const char *principal)
{
  /* The server sees each level as the level map has it (CALL raised to PKT on a stream),
   * which gss/rpcsec's level_map pins for the synchronous functions. */
  for (WsimAuthnLevel asked = RPC_C_AUTHN_LEVEL_NONE; asked <= RPC_C_AUTHN_LEVEL_PKT_PRIVACY; asked++)
    {
      const char *name = wsim_authn_level_name (asked);
      g_autoptr(GError) error = NULL;
      g_autoptr(WsimRpcClient) client = connect_client ();
      wsim_test_name who = NULL;
      Ready r = { 0 };
      guint seen;

      START (&r, wsim_auth_for_level_async (client, asked, mech, target, opts, on_ready, &r));
      await (&r, name);
      cr_assert_not_null (r.auth, "%s: %s", name, r.error->message);
      cr_assert_eq (wsim_auth_is_gss (r.auth), asked >= RPC_C_AUTHN_LEVEL_CALL, "%s", name);
      wsim_rpc_client_set_auth (client, r.auth);
      seen = level_seen (client);
      cr_assert_eq (seen, wsim_authn_level_on_stream (asked), "%s asked, %s seen", name,
                    wsim_authn_level_name (seen));
      cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_WHOAMI, WSIM_XDRPROC (xdr_void), NULL,
                                            WSIM_XDRPROC (xdr_wsim_test_name), &who, 5000, NULL, &error),
                 "%s: %s", name, error ? error->message : "");
      cr_assert_str_eq (who, asked == RPC_C_AUTHN_LEVEL_NONE ? "" : principal, "%s", name);
      xdr_free (WSIM_XDRPROC (xdr_wsim_test_name), &who);
      /* The loop ran on (the calls above): done still ran once. */
      cr_assert_eq (r.n, 1, "%s", name);
      ready_clear (&r);
    }
}

Test (callback, for_level_async_at_each_level_kerberos)
{
  for_level_async_each_level (wsim_gss_mech_kerberos (), NULL, "wbem@localhost", ALICE);
}

Test (callback, for_level_async_at_each_level_ntlmssp)
{
  WsimGssInitiatorOptions opts = { .user = "WSIM\\alice" };

  for_level_async_each_level (wsim_gss_mech_ntlmssp (), &opts, "wbem@localhost", "WSIM\\alice");
}

Test (callback, for_level_async_as_the_service_to_the_user_kerberos)
{
  /* The callback itself: the test server's acceptor has alice's key, as a sink host has. */
  WsimGssInitiatorOptions opts = as_the_service ();

  for_level_async_each_level (wsim_gss_mech_kerberos (), &opts, ALICE, SERVICE);
}

Test (callback, for_level_async_as_the_service_to_the_user_ntlmssp)
{
  WsimGssInitiatorOptions opts = { .user = "WSIM\\wbem", .target_is_principal = TRUE };

  for_level_async_each_level (wsim_gss_mech_ntlmssp (), &opts, "WSIM\\alice", "WSIM\\wbem");
}

Test (callback, the_clients_flavor_is_untouched_while_establishing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) client = connect_client ();
  WsimAuth *own = wsim_rpc_client_get_auth (client);
  Ready r = { 0 };
  unsigned int level = 0;

  START (&r, wsim_auth_gss_establish_async (client, wsim_gss_mech_ntlmssp (), "wbem@localhost",
                                            &(WsimGssInitiatorOptions) { .user = "WSIM\\alice" },
                                            WSIM_GSS_SVC_PRIVACY, on_ready, &r));
  cr_assert_eq (wsim_rpc_client_get_auth (client), own);
  /* A call made while NTLMSSP's two legs run goes with the client's own flavor: the
   * exchange's control flavor would have made it an INIT whose token is not one. */
  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_LEVEL, WSIM_XDRPROC (xdr_void), NULL,
                                        WSIM_XDRPROC (xdr_u_int), &level, 5000, NULL, &error),
             "%s", error ? error->message : "");
  cr_assert_leq (level, RPC_C_AUTHN_LEVEL_CONNECT);
  await (&r, "privacy");
  cr_assert_not_null (r.auth, "%s", r.error->message);
  cr_assert_eq (wsim_rpc_client_get_auth (client), own);
  wsim_rpc_client_set_auth (client, r.auth);
  cr_assert_eq (level_seen (client), RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  ready_clear (&r);
}

Test (callback, refused_at_once_still_comes_from_the_loop)
{
  g_autoptr(WsimRpcClient) client = connect_client ();
  WsimGssInitiatorOptions opts = as_the_service ();
  Ready r = { 0 };

  /* DEFAULT has no wire form of its own: the runtime negotiates it. */
  START (&r, wsim_auth_for_level_async (client, RPC_C_AUTHN_LEVEL_DEFAULT, wsim_gss_mech_kerberos (),
                                        ALICE, &opts, on_ready, &r));
  await (&r, "DEFAULT");
  cr_assert (g_error_matches (r.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT), "%s",
             r.error ? r.error->message : "no error");
  ready_clear (&r);

  /* Credentials that cannot be had: NTLMSSP knows no such user. */
  START (&r, wsim_auth_for_level_async (client, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, wsim_gss_mech_ntlmssp (),
                                        "wbem@localhost", &(WsimGssInitiatorOptions) { .user = "WSIM\\nobody" },
                                        on_ready, &r));
  await (&r, "unknown NTLM user");
  cr_assert (r.error != NULL && r.error->domain == WSIM_GSS_ERROR, "%s",
             r.error ? r.error->message : "no error");
  ready_clear (&r);
  cr_assert_eq (level_seen (client), RPC_C_AUTHN_LEVEL_NONE, "the client's flavor changed");
}

Test (callback, an_unknown_target_fails_through_done_and_leaves_no_context)
{
  static const struct { const char *target; gboolean principal; gboolean as_service; } rows[] = {
    { "nobody@localhost", FALSE, FALSE },
    { "nobody@" WSIM_TEST_REALM, TRUE, FALSE },
    { "nobody@" WSIM_TEST_REALM, TRUE, TRUE },   /* calling back a user the realm does not know */
  };
  g_autoptr(WsimRpcClient) client = connect_client ();

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      WsimGssInitiatorOptions opts = rows[i].as_service ? as_the_service () : (WsimGssInitiatorOptions) { 0 };
      Ready r = { 0 };

      opts.target_is_principal = rows[i].principal;
      START (&r, wsim_auth_for_level_async (client, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, wsim_gss_mech_kerberos (),
                                            rows[i].target, &opts, on_ready, &r));
      await (&r, rows[i].target);
      /* The KDC refuses the ticket at the first step: nothing reaches the server. */
      cr_assert (g_error_matches (r.error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_CONTEXT), "%s: %s", rows[i].target,
                 r.error ? r.error->message : "no error");
      cr_assert (wsim_test_gss_wait_n_contexts (&fx, 0, 5000), "the server keeps %u contexts",
                 wsim_test_gss_n_contexts (&fx));
      ready_clear (&r);
    }
  cr_assert_eq (level_seen (client), RPC_C_AUTHN_LEVEL_NONE, "the client's flavor changed");
}

/* Flips a byte in the middle of the INIT call's token (the client's first record): the
 * header is 24 bytes, the INIT credential 28 (no handle), the verifier 8, then the token's
 * length and the token. */
static WsimProxyVerdict
spoil_init_token (guint index, guint8 *rec, gsize len, gpointer data)
{
  if (index == 0 && len > 68)
    rec[64 + (len - 64) / 2] ^= 0xff;
  return WSIM_PROXY_FORWARD;
}

Test (callback, a_token_the_server_refuses_fails_through_done)
{
  WsimTestProxy *px = wsim_test_proxy_start (wsim_test_server_thread_address (fx.srv), spoil_init_token, NULL);
  g_autoptr(GError) error = NULL;
  WsimRpcClient *client = wsim_rpc_client_connect (fx.ctx, wsim_test_proxy_address (px), WSIM_TEST_PROG,
                                                   WSIM_TEST_V1, &error);
  Ready r = { 0 };

  cr_assert_not_null (client, "%s", error ? error->message : "");
  START (&r, wsim_auth_gss_establish_async (client, wsim_gss_mech_kerberos (), "wbem@localhost", NULL,
                                            WSIM_GSS_SVC_INTEGRITY, on_ready, &r));
  await (&r, "spoilt INIT");
  cr_assert (g_error_matches (r.error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_CONTEXT), "%s",
             r.error ? r.error->message : "no error: a spoilt ticket was accepted");
  cr_assert (strstr (r.error->message, "server refused") != NULL, "%s", r.error->message);
  cr_assert (wsim_test_gss_wait_n_contexts (&fx, 0, 5000), "the server keeps %u contexts",
             wsim_test_gss_n_contexts (&fx));
  ready_clear (&r);
  wsim_rpc_client_unref (client);
  wsim_test_proxy_stop (px);
}

/* ---- a peer that never answers ------------------------------------------------------ */

/* A socket that listens and is never read: the kernel completes connections to it, and
 * whatever is sent waits in its queue. */
static GSocket *
silent_peer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) lo = wsim_test_loopback ();
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  cr_assert_not_null (s, "%s", error ? error->message : "");
  cr_assert (g_socket_bind (s, lo, TRUE, &error) && g_socket_listen (s, &error), "%s", error->message);
  return s;
}

static WsimRpcClient *
connect_to (GSocket *peer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) addr = g_socket_get_local_address (peer, &error);
  WsimRpcClient *c = addr != NULL ? wsim_rpc_client_connect (fx.ctx, addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error)
                                  : NULL;

  cr_assert_not_null (c, "%s", error ? error->message : "");
  return c;
}

Test (callback, a_peer_that_never_answers_ends_in_a_timeout)
{
  g_autoptr(GSocket) peer = silent_peer ();
  g_autoptr(WsimRpcClient) client = connect_to (peer);
  const WsimGssMech *mechs[] = { wsim_gss_mech_kerberos (), wsim_gss_mech_ntlmssp () };

  /* The server bounds each leg with the client's default timeout. */
  wsim_rpc_client_set_default_timeout (client, 300);
  for (gsize i = 0; i < G_N_ELEMENTS (mechs); i++)
    {
      WsimGssInitiatorOptions opts = { .user = i == 0 ? SERVICE : "WSIM\\wbem",
                                       .keytab = fx.realm.service_keytab, .target_is_principal = TRUE };
      const char *target = i == 0 ? ALICE : "WSIM\\alice";
      gint64 began = g_get_monotonic_time ();
      Ready r = { 0 };

      START (&r, wsim_auth_for_level_async (client, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, mechs[i], target, &opts,
                                            on_ready, &r));
      await (&r, wsim_gss_mech_get_name (mechs[i]));
      cr_assert (g_error_matches (r.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT), "%s: %s",
                 wsim_gss_mech_get_name (mechs[i]), r.error ? r.error->message : "no error");
      cr_assert_geq (g_get_monotonic_time () - began, 300 * 1000, "it ended before the leg's timeout");
      ready_clear (&r);
    }
}

/* Closing or dropping the client ends the exchange in flight: done runs from inside that
 * call, on this thread, with the client's error, and nothing is used after it goes (valgrind
 * and ASan watch). */
Test (callback, closing_or_dropping_the_client_ends_the_exchange)
{
  g_autoptr(GSocket) peer = silent_peer ();

  for (int drop = 0; drop < 2; drop++)
    {
      WsimRpcClient *client = connect_to (peer);
      WsimGssInitiatorOptions opts = as_the_service ();
      Ready r = { 0 };

      START (&r, wsim_auth_for_level_async (client, RPC_C_AUTHN_LEVEL_CONNECT, wsim_gss_mech_kerberos (), ALICE,
                                            &opts, on_ready, &r));
      cr_assert_eq (r.n, 0);
      if (drop)
        wsim_rpc_client_unref (client);
      else
        wsim_rpc_client_close (client);
      cr_assert_eq (r.n, 1, "%s: done ran %u times", drop ? "unref" : "close", r.n);
      cr_assert_not (r.reentrant);
      cr_assert_eq (r.thread, g_thread_self ());
      cr_assert (g_error_matches (r.error, G_IO_ERROR, G_IO_ERROR_CLOSED), "%s",
                 r.error ? r.error->message : "no error");
      if (!drop)
        wsim_rpc_client_unref (client);
      ready_clear (&r);
    }
}

/* ---- what the server says the caller authenticated to ------------------------------ */

/* A program that answers who called it, as the engine's identity has it:
 * "principal|mech|acceptor|level", "-" for a NULL. */
#define IDENTITY_PROG 0x20574D51u

static const char *
or_dash (const char *s)
{
  return s != NULL ? s : "-";
}

static void
h_identity (WsimRpcRequest *req, void *args, gpointer data)
{
  const WsimRpcIdentity *id = wsim_rpc_request_get_identity (req);
  g_autofree char *text = g_strdup_printf ("%s|%s|%s|%u", or_dash (id->principal), or_dash (id->mech),
                                           or_dash (id->acceptor), id->level);
  wsim_test_name name = text;

  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_wsim_test_name), &name);
}

static const WsimRpcProcedure identity_procs[] = {
  { 1, "IDENTITY", WSIM_XDRPROC (xdr_void), 0, h_identity },
};

static const WsimRpcProgram identity_prog = {
  IDENTITY_PROG, 1, "identity", identity_procs, G_N_ELEMENTS (identity_procs),
};

static void
serve_identities (WsimRpcServer *server, gpointer data)
{
  wsim_rpc_server_set_accept_gss (server, TRUE);
  wsim_rpc_server_add_program (server, &identity_prog, NULL);
}

Test (callback, the_server_names_what_the_caller_authenticated_to)
{
  /* @callback: the server's options, as itself (from its keytab for Kerberos) to a user. */
  static const struct {
    const char *mech, *user, *target;
    gboolean    callback;
    guint32     level;
    const char *seen;
  } rows[] = {
    { "kerberos", NULL, "wbem@localhost", FALSE, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, ALICE "|kerberos|" SERVICE "|5" },
    { "kerberos", NULL, "wbem@localhost", FALSE, RPC_C_AUTHN_LEVEL_CONNECT, ALICE "|kerberos|" SERVICE "|2" },
    /* The callback: the acceptor is the user the ticket was for. */
    { "kerberos", SERVICE, ALICE, TRUE, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, SERVICE "|kerberos|" ALICE "|6" },
    { "kerberos", SERVICE, ALICE, TRUE, RPC_C_AUTHN_LEVEL_CONNECT, SERVICE "|kerberos|" ALICE "|2" },
    /* NTLMSSP's acceptor has no name: gss-ntlmssp 1.2.0 does not say. */
    { "ntlm", "WSIM\\alice", "wbem@localhost", FALSE, RPC_C_AUTHN_LEVEL_PKT_PRIVACY, "WSIM\\alice|ntlm|-|6" },
    { "ntlm", "WSIM\\alice", "wbem@localhost", FALSE, RPC_C_AUTHN_LEVEL_CONNECT, "WSIM\\alice|ntlm|-|2" },
    { "ntlm", "WSIM\\wbem", "WSIM\\alice", TRUE, RPC_C_AUTHN_LEVEL_PKT, "WSIM\\wbem|ntlm|-|4" },
    { "kerberos", NULL, "wbem@localhost", FALSE, RPC_C_AUTHN_LEVEL_NONE, "-|-|-|1" },
  };
  WsimTestServerThread *ids = wsim_test_server_thread_start (serve_identities, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WsimRpcClient) client = wsim_rpc_client_connect (fx.ctx, wsim_test_server_thread_address (ids),
                                                                 IDENTITY_PROG, 1, &error);
      WsimGssInitiatorOptions opts = {
        .user = rows[i].user,
        .keytab = rows[i].callback ? fx.realm.service_keytab : NULL,
        .target_is_principal = rows[i].callback,
      };
      wsim_test_name seen = NULL;
      Ready r = { 0 };

      cr_assert_not_null (client, "%s", error ? error->message : "");
      START (&r, wsim_auth_for_level_async (client, rows[i].level, wsim_gss_mech_lookup (rows[i].mech),
                                            rows[i].target, &opts, on_ready, &r));
      await (&r, rows[i].seen);
      cr_assert_not_null (r.auth, "%s: %s", rows[i].seen, r.error->message);
      wsim_rpc_client_set_auth (client, r.auth);
      cr_assert (wsim_rpc_client_call_sync (client, 1, WSIM_XDRPROC (xdr_void), NULL,
                                            WSIM_XDRPROC (xdr_wsim_test_name), &seen, 5000, NULL, &error),
                 "%s: %s", rows[i].seen, error ? error->message : "");
      cr_assert_str_eq (seen, rows[i].seen);
      xdr_free (WSIM_XDRPROC (xdr_wsim_test_name), &seen);
      ready_clear (&r);
    }
  wsim_test_server_thread_stop (ids);
}
