/* test-rpcsec.c: RPCSEC_GSS between our client and our server, over Kerberos (a private KDC)
 * and NTLMSSP, at the three services: the exchange, the caller's principal, results intact,
 * and a context that belongs to one connection only. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "wsim-auth-gss.h"
#include "wsim-krb5-realm.h"
#include "wsim-rpc-error.h"
#include "wsim-test-util.h"
#include "wsim-testprog-server.h"

static WsimKrb5Realm realm;
static WsimTestServerThread *srv;
static GMainContext *ctx;

static void
enable_gss (WsimRpcServer *server, gpointer data)
{
  wsim_rpc_server_set_auth (server, WSIM_RPCSEC_GSS, wsim_svc_auth_gss ());
}

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_krb5_realm_start (&realm, &error), "realm: %s", error ? error->message : "");
  srv = wsim_test_server_thread_start (enable_gss, NULL);
  ctx = g_main_context_new ();
}

static void
stop (void)
{
  wsim_test_server_thread_stop (srv);
  while (g_main_context_iteration (ctx, FALSE))
    ;
  g_main_context_unref (ctx);
  wsim_krb5_realm_stop (&realm);
}

TestSuite (rpcsec, .init = start, .fini = stop, .timeout = 60);

static WsimRpcClient *
connect_client (void)
{
  g_autoptr(GError) error = NULL;
  WsimRpcClient *c = wsim_rpc_client_connect (ctx, wsim_test_server_thread_address (srv),
                                              WSIM_TEST_PROG, WSIM_TEST_V1, &error);

  cr_assert_not_null (c, "%s", error ? error->message : "");
  return c;
}

static void
calls_work (WsimRpcClient *client, const char *principal)
{
  g_autoptr(GError) error = NULL;
  wsim_test_pair p = { 40, 2 };
  int sum = 0;
  wsim_test_blob in = { 0 }, out = { 0 };
  wsim_test_name name = NULL;

  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error),
             "%s", error ? error->message : "");
  cr_assert_eq (sum, 42);

  in.wsim_test_blob_len = 65536;
  in.wsim_test_blob_val = g_malloc (65536);
  for (guint i = 0; i < 65536; i++)
    in.wsim_test_blob_val[i] = (char) (i * 13);
  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob), &in,
                                        WSIM_XDRPROC (xdr_wsim_test_blob), &out, 5000, NULL, &error),
             "%s", error ? error->message : "");
  cr_assert_eq (out.wsim_test_blob_len, 65536);
  cr_assert_eq (memcmp (out.wsim_test_blob_val, in.wsim_test_blob_val, 65536), 0);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_blob), &out);
  g_free (in.wsim_test_blob_val);

  /* A void-argument call is protected too (its body is the sequence number alone). */
  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_WHOAMI, WSIM_XDRPROC (xdr_void), NULL,
                                        WSIM_XDRPROC (xdr_wsim_test_name), &name, 5000, NULL, &error),
             "%s", error ? error->message : "");
  cr_assert (strstr (name, principal) != NULL, "caller %s, wanted %s", name, principal);
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_name), &name);
}

static void
each_service (const WsimGssMech *mech, const char *user, const char *principal)
{
  for (WsimGssService svc = WSIM_GSS_SVC_NONE; svc <= WSIM_GSS_SVC_PRIVACY; svc++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WsimRpcClient) client = connect_client ();
      g_autoptr(WsimAuth) auth = wsim_auth_gss_establish (client, mech, "wbem@localhost", user, svc, &error);

      cr_assert_not_null (auth, "%s service %d: %s", wsim_gss_mech_get_name (mech), svc,
                          error ? error->message : "");
      cr_assert_eq (wsim_auth_gss_get_service (auth), svc);
      wsim_rpc_client_set_auth (client, auth);
      calls_work (client, principal);
    }
}

Test (rpcsec, kerberos_at_each_service)
{
  each_service (wsim_gss_mech_kerberos (), NULL, "alice@" WSIM_TEST_REALM);
}

Test (rpcsec, ntlmssp_at_each_service)
{
  each_service (wsim_gss_mech_ntlmssp (), "WSIM\\alice", "alice");
}

Test (rpcsec, a_context_belongs_to_its_connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) a = connect_client ();
  g_autoptr(WsimRpcClient) b = connect_client ();
  g_autoptr(WsimAuth) auth = wsim_auth_gss_establish (a, wsim_gss_mech_kerberos (), "wbem@localhost", NULL,
                                                      WSIM_GSS_SVC_INTEGRITY, &error);
  int sum = 0;
  wsim_test_pair p = { 1, 1 };

  cr_assert_not_null (auth, "%s", error ? error->message : "");
  /* The same context on another connection names a handle that server side never made. */
  wsim_rpc_client_set_auth (b, auth);
  cr_assert_not (wsim_rpc_client_call_sync (b, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                            WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error));
  cr_assert (g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CREDPROBLEM), "%s",
             error->message);
  g_clear_error (&error);
  /* On its own connection the same context serves. */
  wsim_rpc_client_set_auth (a, auth);
  cr_assert (wsim_rpc_client_call_sync (a, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error),
             "%s", error ? error->message : "");
  cr_assert_eq (sum, 2);
}

/* ---- stock libtirpc's RPCSEC_GSS client against our server -------------------------- */

#include <netinet/in.h>
#include <rpc/auth_gss.h>
#include <sys/socket.h>
#include <unistd.h>

Test (rpcsec, stock_libtirpc_kerberos_client_at_each_service)
{
  static const rpc_gss_svc_t svcs[] = { RPCSEC_GSS_SVC_NONE, RPCSEC_GSS_SVC_INTEGRITY, RPCSEC_GSS_SVC_PRIVACY };
  guint16 port = wsim_test_port (wsim_test_server_thread_address (srv));

  for (gsize i = 0; i < G_N_ELEMENTS (svcs); i++)
    {
      struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (port),
                                 .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
      /* libtirpc declares krb5oid but does not export it: the Kerberos V5 OID by hand. */
      static gss_OID_desc krb5 = { 9, (void *) "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
      struct rpc_gss_sec sec = { .mech = &krb5, .qop = GSS_C_QOP_DEFAULT, .svc = svcs[i],
                                 .cred = GSS_C_NO_CREDENTIAL, .req_flags = 0 };
      struct timeval tv = { 10, 0 };
      struct netbuf nb = { sizeof sin, sizeof sin, &sin };
      wsim_test_pair p = { 20, 22 };
      int fd = socket (AF_INET, SOCK_STREAM, 0);
      int sum = 0;
      CLIENT *clnt;
      enum clnt_stat st;

      cr_assert_eq (connect (fd, (struct sockaddr *) &sin, sizeof sin), 0);
      clnt = clnt_vc_create (fd, &nb, WSIM_TEST_PROG, WSIM_TEST_V1, 0, 0);
      cr_assert_not_null (clnt);
      clnt->cl_auth = authgss_create_default (clnt, (char *) "wbem@localhost", &sec);
      cr_assert_not_null (clnt->cl_auth, "authgss_create_default failed at service %d", svcs[i]);
      st = clnt_call (clnt, WSIM_TEST_ADD, (xdrproc_t) (void (*) (void)) xdr_wsim_test_pair, (caddr_t) &p,
                      (xdrproc_t) (void (*) (void)) xdr_int, (caddr_t) &sum, tv);
      cr_assert_eq (st, RPC_SUCCESS, "service %d: %s", svcs[i], clnt_sperrno (st));
      cr_assert_eq (sum, 42);
      auth_destroy (clnt->cl_auth);
      clnt_destroy (clnt);
      close (fd);
    }
}

/* ---- attacks through a man in the middle -------------------------------------------- */

#include "wsim-test-proxy.h"

typedef enum { ATTACK_REPLAY, ATTACK_FLIP_LAST, ATTACK_FLIP_SEQ, ATTACK_MAXSEQ } Attack;

typedef struct {
  Attack attack;
  guint  data_calls;   /* RPCSEC_GSS DATA records seen */
  guint  target;       /* which DATA record to attack (0-based) */
} Mitm;

static WsimProxyVerdict
mitm_hook (guint index, guint8 *rec, gsize len, gpointer data)
{
  Mitm *m = data;
  guint32 w[4];

  /* xid, CALL, 2, prog, vers, proc, then the credential: flavor, length, version, gss_proc, seq. */
  if (len < 48)
    return WSIM_PROXY_FORWARD;
  memcpy (w, rec + 24, 16);
  if (GUINT32_FROM_BE (w[0]) != WSIM_RPCSEC_GSS || GUINT32_FROM_BE (w[3]) != 0 /* DATA */)
    return WSIM_PROXY_FORWARD;
  if (m->data_calls++ != m->target)
    return WSIM_PROXY_FORWARD;
  switch (m->attack)
    {
    case ATTACK_REPLAY:
      return WSIM_PROXY_REPLAY;
    case ATTACK_FLIP_LAST:
      rec[len - 1] ^= 0x01;
      break;
    case ATTACK_FLIP_SEQ:
      rec[43] ^= 0x01;
      break;
    case ATTACK_MAXSEQ:
      {
        guint32 big = GUINT32_TO_BE (0x80000000u);

        memcpy (rec + 40, &big, 4);
      }
      break;
    }
  return WSIM_PROXY_FORWARD;
}

static void
read_stats (WsimRpcServer *s, gpointer data)
{
  wsim_rpc_server_get_stats (s, data);
}

static guint64
server_calls (void)
{
  WsimRpcServerStats st;

  wsim_test_server_thread_call (srv, read_stats, &st);
  return st.n_calls;
}

/* Establishes @svc through a proxy running @attack on the first data call, makes one ADD;
 * returns the error (NULL on success). */
static GError *
attacked_call (Attack attack, WsimGssService svc, WsimTestProxy **out_proxy, WsimRpcClient **out_client,
               WsimAuth **out_auth)
{
  static Mitm m;
  GError *error = NULL;
  WsimTestProxy *px;
  WsimRpcClient *client;
  WsimAuth *auth;
  wsim_test_pair p = { 3, 4 };
  int sum = 0;

  m = (Mitm) { .attack = attack, .target = 0 };
  px = wsim_test_proxy_start (wsim_test_server_thread_address (srv), mitm_hook, &m);
  client = wsim_rpc_client_connect (ctx, wsim_test_proxy_address (px), WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  cr_assert_not_null (client, "%s", error ? error->message : "");
  auth = wsim_auth_gss_establish (client, wsim_gss_mech_kerberos (), "wbem@localhost", NULL, svc, &error);
  cr_assert_not_null (auth, "%s", error ? error->message : "");
  wsim_rpc_client_set_auth (client, auth);
  if (wsim_rpc_client_call_sync (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                 WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error))
    cr_assert_eq (sum, 7);
  *out_proxy = px;
  *out_client = client;
  *out_auth = auth;
  return error;
}

static void
attacked_done (WsimTestProxy *px, WsimRpcClient *client, WsimAuth *auth)
{
  wsim_auth_unref (auth);
  wsim_rpc_client_unref (client);
  wsim_test_proxy_stop (px);
}

Test (rpcsec, a_replayed_call_is_dropped)
{
  WsimTestProxy *px;
  WsimRpcClient *client;
  WsimAuth *auth;
  GError *error = attacked_call (ATTACK_REPLAY, WSIM_GSS_SVC_INTEGRITY, &px, &client, &auth);
  wsim_test_pair p = { 1, 1 };
  int sum = 0;

  cr_assert_null (error, "the original call succeeds: %s", error ? error->message : "");
  /* A later call proves the server has read the replay by now: it ran the original only. */
  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error));
  cr_assert_eq (server_calls (), 2, "the replayed call must not run");
  attacked_done (px, client, auth);
}

Test (rpcsec, a_tampered_body_is_refused_at_integrity_and_privacy)
{
  WsimGssService svcs[] = { WSIM_GSS_SVC_INTEGRITY, WSIM_GSS_SVC_PRIVACY };

  for (gsize i = 0; i < G_N_ELEMENTS (svcs); i++)
    {
      WsimTestProxy *px;
      WsimRpcClient *client;
      WsimAuth *auth;
      g_autoptr(GError) error = attacked_call (ATTACK_FLIP_LAST, svcs[i], &px, &client, &auth);

      cr_assert (g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_GARBAGE_ARGS), "service %d: %s",
                 svcs[i], error ? error->message : "no error: the tampered call ran");
      attacked_done (px, client, auth);
    }
  cr_assert_eq (server_calls (), 0, "no tampered call may reach the program");
}

Test (rpcsec, a_tampered_header_or_an_exhausted_sequence_is_a_context_problem)
{
  Attack attacks[] = { ATTACK_FLIP_SEQ, ATTACK_MAXSEQ };

  for (gsize i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      WsimTestProxy *px;
      WsimRpcClient *client;
      WsimAuth *auth;
      g_autoptr(GError) error = attacked_call (attacks[i], WSIM_GSS_SVC_NONE, &px, &client, &auth);

      cr_assert (g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM), "attack %d: %s",
                 attacks[i], error ? error->message : "no error");
      attacked_done (px, client, auth);
    }
  cr_assert_eq (server_calls (), 0);
}

Test (rpcsec, leaving_without_destroy_does_not_poison_the_next_connection)
{
  /* libtirpc's server keeps such contexts by transport pointer and refuses the next client
   * that reuses it; here a context dies with its connection. */
  for (int round = 0; round < 20; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WsimRpcClient) client = connect_client ();
      g_autoptr(WsimAuth) auth = wsim_auth_gss_establish (client, wsim_gss_mech_kerberos (), "wbem@localhost",
                                                          NULL, WSIM_GSS_SVC_INTEGRITY, &error);
      wsim_test_pair p = { round, 1 };
      int sum = 0;

      cr_assert_not_null (auth, "round %d: %s", round, error ? error->message : "");
      wsim_rpc_client_set_auth (client, auth);
      cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                            WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error),
                 "round %d: %s", round, error ? error->message : "");
      cr_assert_eq (sum, round + 1);
    }
}

/* ---- the level map, as the server sees it ------------------------------------------ */

#include "wsim-authn-level.h"

static void
level_map (const WsimGssMech *mech, const char *user, const char *principal)
{
  static const struct { WsimAuthnLevel asked, seen; } rows[] = {
    { RPC_C_AUTHN_LEVEL_NONE, RPC_C_AUTHN_LEVEL_NONE },
    { RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_LEVEL_CONNECT },
    { RPC_C_AUTHN_LEVEL_CALL, RPC_C_AUTHN_LEVEL_PKT },   /* raised on a stream, MS-RPCE */
    { RPC_C_AUTHN_LEVEL_PKT, RPC_C_AUTHN_LEVEL_PKT },
    { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY },
    { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_PRIVACY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WsimRpcClient) client = connect_client ();
      g_autoptr(WsimAuth) auth = wsim_auth_for_level (client, rows[i].asked, mech, "wbem@localhost", user, &error);
      unsigned int level = 0;
      wsim_test_name name = NULL;

      cr_assert_not_null (auth, "%s: %s", wsim_authn_level_name (rows[i].asked), error ? error->message : "");
      wsim_rpc_client_set_auth (client, auth);
      cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_LEVEL, WSIM_XDRPROC (xdr_void), NULL,
                                            WSIM_XDRPROC (xdr_u_int), &level, 5000, NULL, &error),
                 "%s", error ? error->message : "");
      cr_assert_eq (level, rows[i].seen, "%s asked, %s seen", wsim_authn_level_name (rows[i].asked),
                    wsim_authn_level_name (level));
      cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_WHOAMI, WSIM_XDRPROC (xdr_void), NULL,
                                            WSIM_XDRPROC (xdr_wsim_test_name), &name, 5000, NULL, &error));
      if (rows[i].asked == RPC_C_AUTHN_LEVEL_NONE)
        cr_assert_str_eq (name, "", "NONE names nobody");
      else
        cr_assert (strstr (name, principal) != NULL, "%s: caller %s", wsim_authn_level_name (rows[i].asked), name);
      xdr_free (WSIM_XDRPROC (xdr_wsim_test_name), &name);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WsimRpcClient) client = connect_client ();

    cr_assert_null (wsim_auth_for_level (client, RPC_C_AUTHN_LEVEL_DEFAULT, mech, "wbem@localhost", user, &error));
    cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
  }
}

Test (rpcsec, level_map_kerberos)
{
  level_map (wsim_gss_mech_kerberos (), NULL, "alice@" WSIM_TEST_REALM);
}

Test (rpcsec, level_map_ntlmssp)
{
  level_map (wsim_gss_mech_ntlmssp (), "WSIM\\alice", "alice");
}

Test (rpcsec, level_names_parse_both_ways, .init = NULL, .fini = NULL)
{
  WsimAuthnLevel l;

  cr_assert (wsim_authn_level_parse ("pktPrivacy", &l) && l == RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  cr_assert (wsim_authn_level_parse ("PKTINTEGRITY", &l) && l == RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  cr_assert (wsim_authn_level_parse ("RPC_C_AUTHN_LEVEL_CONNECT", &l) && l == RPC_C_AUTHN_LEVEL_CONNECT);
  cr_assert (wsim_authn_level_parse ("pkt_privacy", &l) && l == RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  cr_assert (wsim_authn_level_parse ("3", &l) && l == RPC_C_AUTHN_LEVEL_CALL);
  cr_assert_not (wsim_authn_level_parse ("7", &l));
  cr_assert_not (wsim_authn_level_parse ("secret", &l));
  cr_assert_str_eq (wsim_authn_level_word (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY), "pktIntegrity");
  cr_assert_eq (wsim_authn_level_on_stream (RPC_C_AUTHN_LEVEL_CALL), RPC_C_AUTHN_LEVEL_PKT);
}

/* ---- our client against stock libtirpc's RPCSEC_GSS server --------------------------- */

Test (rpcsec, our_client_against_stock_libtirpc_kerberos_server)
{
  char *argv[] = { (char *) WSIM_TIRPC_SERVER, (char *) "0", (char *) "wbem@localhost", NULL };
  g_autoptr(GError) error = NULL;
  WsimTestChild child;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = NULL;

  cr_assert (wsim_test_child_spawn (&child, argv, 10000, &error), "%s", error ? error->message : "");
  addr = g_inet_socket_address_new (lo, (guint16) atoi (child.first_line));
  for (WsimGssService svc = WSIM_GSS_SVC_NONE; svc <= WSIM_GSS_SVC_PRIVACY; svc++)
    {
      g_autoptr(WsimRpcClient) client = wsim_rpc_client_connect (ctx, addr, WSIM_TEST_PROG, WSIM_TEST_V1, &error);
      g_autoptr(WsimAuth) auth = NULL;
      wsim_test_pair p = { 30, 12 };
      int sum = 0;

      cr_assert_not_null (client, "%s", error ? error->message : "");
      auth = wsim_auth_gss_establish (client, wsim_gss_mech_kerberos (), "wbem@localhost", NULL, svc, &error);
      cr_assert_not_null (auth, "service %d: %s", svc, error ? error->message : "");
      wsim_rpc_client_set_auth (client, auth);
      cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                            WSIM_XDRPROC (xdr_int), &sum, 5000, NULL, &error),
                 "service %d: %s", svc, error ? error->message : "");
      cr_assert_eq (sum, 42);
    }
  wsim_test_child_stop (&child);
}
