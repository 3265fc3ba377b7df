/* test-rpcsec.c: RPCSEC_GSS between our client and our server, over Kerberos (a private KDC)
 * and NTLMSSP, at the three services: the exchange, the caller's principal, results intact,
 * a context that belongs to one connection only, DESTROY, and INIT tokens that are garbage. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "wsim-auth-for-level.h"
#include "wsim-auth-gss.h"
#include "wsim-rpc-error.h"
#include "wsim-test-gss.h"
#include "wsim-testprog-server.h"

static WsimTestGss fx;
static WsimTestServerThread *srv;   /* fx's, by their short names */
static GMainContext *ctx;

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_gss_start (&fx, &error), "realm: %s", error ? error->message : "");
  srv = fx.srv;
  ctx = fx.ctx;
}

static void
stop (void)
{
  wsim_test_gss_stop (&fx);
}

TestSuite (rpcsec, .init = start, .fini = stop, .timeout = 60);

static WsimRpcClient *
connect_client (void)
{
  g_autoptr(GError) error = NULL;
  WsimRpcClient *c = wsim_test_gss_connect (&fx, &error);

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

  /* A NULL call first: its void body is protected too, and checking it keeps NTLMSSP's
   * sequence in step (the server once answered it unchecked; the next call then failed). */
  for (int i = 0; i < 2; i++)
    cr_assert (wsim_rpc_client_call_sync (client, NULLPROC, WSIM_XDRPROC (xdr_void), NULL,
                                          WSIM_XDRPROC (xdr_void), NULL, 5000, NULL, &error),
               "NULL: %s", error ? error->message : "");
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
      /* libtirpc's server takes our DESTROY, and its reply verifier (its MIC over the
       * sequence number) checks. */
      cr_assert (wsim_auth_gss_destroy (client, auth, 5000, &error), "service %d: %s", svc,
                 error ? error->message : "");
    }
  wsim_test_child_stop (&child);
}

/* ---- calls our client would never make ----------------------------------------------- */

/* A flavor that sends one fixed RPCSEC_GSS credential and verifier. The credential is
 * encoded by libtirpc's codec, not ours, so what reaches the server is what RFC 2203 says
 * rather than what our client happens to write. */
typedef struct {
  struct rpc_gss_cred cred;
  guint8              handle[16];
  GBytes             *verf;   /* (owned) (nullable) the verifier's body; NULL for AUTH_NONE */
} Forged;

static gboolean
forged_marshal (WsimAuth *auth, WsimXdrBuf *out, gsize header_start, guint32 *seq, GError **error)
{
  Forged *f = wsim_auth_get_data (auth);
  g_autoptr(WsimXdrBuf) body = wsim_xdrbuf_new (0, 64);
  struct opaque_auth cred, verf = { .oa_flavor = 0, .oa_base = (caddr_t) "", .oa_length = 0 };

  cr_assert (wsim_xdrbuf_encode (body, WSIM_XDRPROC (xdr_rpc_gss_cred), &f->cred));
  cred = (struct opaque_auth) { WSIM_RPCSEC_GSS, (caddr_t) body->data, (u_int) body->len };
  if (f->verf != NULL)
    verf = (struct opaque_auth) { WSIM_RPCSEC_GSS, (caddr_t) g_bytes_get_data (f->verf, NULL),
                                  (u_int) g_bytes_get_size (f->verf) };
  cr_assert (wsim_xdrbuf_encode (out, WSIM_XDRPROC (xdr_opaque_auth), &cred));
  cr_assert (wsim_xdrbuf_encode (out, WSIM_XDRPROC (xdr_opaque_auth), &verf));
  *seq = f->cred.gc_seq;
  return TRUE;
}

static void
forged_free (gpointer p)
{
  Forged *f = p;

  g_clear_pointer (&f->verf, g_bytes_unref);
  g_free (f);
}

static const WsimAuthOps forged_ops = {
  .flavor = WSIM_RPCSEC_GSS,
  .name = "forged-rpcsec_gss",
  .marshal = forged_marshal,
  .free_data = forged_free,
};

/* @handle: (nullable) the context handle to name; @verf: (nullable) as in Forged. */
static WsimAuth *
forged_new (rpc_gss_proc_t proc, guint32 seq, rpc_gss_svc_t svc, GBytes *handle, GBytes *verf)
{
  Forged *f = g_new0 (Forged, 1);

  f->cred.gc_v = RPCSEC_GSS_VERSION;
  f->cred.gc_proc = proc;
  f->cred.gc_seq = seq;
  f->cred.gc_svc = svc;
  if (handle != NULL)
    {
      cr_assert_leq (g_bytes_get_size (handle), sizeof f->handle);
      memcpy (f->handle, g_bytes_get_data (handle, NULL), g_bytes_get_size (handle));
      f->cred.gc_ctx.value = f->handle;
      f->cred.gc_ctx.length = g_bytes_get_size (handle);
    }
  f->verf = verf != NULL ? g_bytes_ref (verf) : NULL;
  return wsim_auth_new (&forged_ops, f);
}

/* Makes one call on @client with @auth, then puts the client's flavor back. */
static gboolean
call_with (WsimRpcClient *client, WsimAuth *auth, guint32 proc, xdrproc_t xargs, const void *args,
           xdrproc_t xres, void *res, GError **error)
{
  g_autoptr(WsimAuth) saved = wsim_auth_ref (wsim_rpc_client_get_auth (client));
  gboolean ok;

  wsim_rpc_client_set_auth (client, auth);
  ok = wsim_rpc_client_call_sync (client, proc, xargs, args, xres, res, 5000, NULL, error);
  wsim_rpc_client_set_auth (client, saved);
  return ok;
}

static void
add_works (WsimRpcClient *client, WsimAuth *auth)
{
  g_autoptr(GError) error = NULL;
  wsim_test_pair p = { 19, 23 };
  int sum = 0;

  cr_assert (call_with (client, auth, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                        WSIM_XDRPROC (xdr_int), &sum, &error), "%s", error ? error->message : "");
  cr_assert_eq (sum, 42);
}

/* An ADD whose credential names @handle, signed with a MIC that is not one. */
static GError *
forged_data_call (WsimRpcClient *client, GBytes *handle)
{
  g_autoptr(GBytes) junk_mic = g_bytes_new_static ("not a MIC, not at all..", 24);
  g_autoptr(WsimAuth) forged = forged_new (RPCSEC_GSS_DATA, 1, RPCSEC_GSS_SVC_NONE, handle, junk_mic);
  wsim_test_pair p = { 1, 2 };
  int sum = 0;
  GError *error = NULL;

  cr_assert_not (call_with (client, forged, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                            WSIM_XDRPROC (xdr_int), &sum, &error), "a forged call ran");
  return error;
}

/* ---- DESTROY ------------------------------------------------------------------------ */

static WsimAuth *
establish (WsimRpcClient *client, const WsimGssMech *mech, const char *user, WsimGssService svc)
{
  g_autoptr(GError) error = NULL;
  WsimAuth *auth = wsim_auth_gss_establish (client, mech, "wbem@localhost", user, svc, &error);

  cr_assert_not_null (auth, "%s service %d: %s", wsim_gss_mech_get_name (mech), svc,
                      error ? error->message : "");
  return auth;
}

static void
destroy_ends_the_context (const WsimGssMech *mech, const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) client = connect_client ();
  g_autoptr(WsimAuth) a = establish (client, mech, user, WSIM_GSS_SVC_INTEGRITY);
  g_autoptr(WsimAuth) b = establish (client, mech, user, WSIM_GSS_SVC_PRIVACY);
  g_autoptr(WsimAuth) none = wsim_auth_none_new ();
  g_autoptr(GError) probe_a = NULL, probe_b = NULL;

  cr_assert (wsim_auth_is_gss (a) && !wsim_auth_is_gss (none) && !wsim_auth_is_gss (NULL));
  add_works (client, a);
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 2);

  /* A flavor without a context has nothing to destroy: TRUE, and the server keeps both. */
  cr_assert (wsim_auth_gss_destroy (client, none, 5000, &error), "%s", error ? error->message : "");
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 2);

  /* The reply's verifier is checked as a data call's, so TRUE means the server answered
   * under this context before dropping it; the count shows it dropped only this one. */
  cr_assert (wsim_auth_gss_destroy (client, a, 5000, &error), "%s", error ? error->message : "");
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 1);
  cr_assert (wsim_auth_gss_destroy (client, a, 5000, &error), "a second DESTROY is a no-op");

  /* A call with the destroyed flavor fails before it is sent: the server, which no longer
   * knows the handle, would have answered RPCSEC_GSS_CREDPROBLEM, not CTXPROBLEM. */
  {
    wsim_test_pair p = { 1, 1 };
    int sum = 0;

    cr_assert_not (call_with (client, a, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                              WSIM_XDRPROC (xdr_int), &sum, &error));
    cr_assert (g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM), "%s",
               error->message);
    g_clear_error (&error);
  }
  /* The other context on the connection serves on. */
  add_works (client, b);

  /* The server really forgot a's handle: a call naming it is a credential problem, while the
   * same forgery naming b's live handle gets as far as b's MIC check, a context problem
   * (which ends b too, as a failed MIC does). */
  probe_a = forged_data_call (client, wsim_auth_gss_get_handle (a));
  cr_assert (g_error_matches (probe_a, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CREDPROBLEM), "%s",
             probe_a->message);
  probe_b = forged_data_call (client, wsim_auth_gss_get_handle (b));
  cr_assert (g_error_matches (probe_b, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM), "%s",
             probe_b->message);
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 0);
}

Test (rpcsec, destroy_ends_the_context_kerberos)
{
  destroy_ends_the_context (wsim_gss_mech_kerberos (), NULL);
}

Test (rpcsec, destroy_ends_the_context_ntlmssp)
{
  destroy_ends_the_context (wsim_gss_mech_ntlmssp (), "WSIM\\alice");
}

Test (rpcsec, destroy_on_a_closed_connection_sends_nothing)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) client = connect_client ();
  g_autoptr(WsimAuth) auth = establish (client, wsim_gss_mech_ntlmssp (), "WSIM\\alice", WSIM_GSS_SVC_NONE);

  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 1);
  wsim_rpc_client_close (client);
  /* Nothing could be sent, and nothing needs to be: the server frees the context with the
   * connection. */
  cr_assert (wsim_auth_gss_destroy (client, auth, 5000, &error), "%s", error ? error->message : "");
  cr_assert (wsim_test_gss_wait_n_contexts (&fx, 0, 5000), "the server still keeps %u contexts",
             wsim_test_gss_n_contexts (&fx));
}

/* ---- INIT with a token that is garbage ---------------------------------------------- */

static bool_t
xdr_token (XDR *xdrs, void *token, u_int unused)
{
  return xdr_rpc_gss_init_args (xdrs, token);
}

/* Sends an INIT (or, with @handle, a CONTINUE_INIT) carrying @token on @client, and returns
 * the server's rpc_gss_init_res (free it with xdr_free), asserting the call was accepted. */
static struct rpc_gss_init_res
init_with (WsimRpcClient *client, GBytes *handle, GBytes *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimAuth) forged = forged_new (handle != NULL ? RPCSEC_GSS_CONTINUE_INIT : RPCSEC_GSS_INIT,
                                           0, RPCSEC_GSS_SVC_NONE, handle, NULL);
  gss_buffer_desc arg = { g_bytes_get_size (token), (void *) g_bytes_get_data (token, NULL) };
  struct rpc_gss_init_res res = { 0 };

  cr_assert (call_with (client, forged, NULLPROC, WSIM_XDRPROC (xdr_token), &arg,
                        WSIM_XDRPROC (xdr_rpc_gss_init_res), &res, &error),
             "the server answers a bad token in the result, not with an error: %s",
             error ? error->message : "");
  return res;
}

/* RFC 2203 5.2.3.1: a failed exchange is reported in gr_major. Ours says GSS_S_FAILURE and
 * gives no handle, no token and no window: nothing was kept to continue. */
static void
assert_refused (struct rpc_gss_init_res *res, const char *what)
{
  cr_assert_eq (res->gr_major, GSS_S_FAILURE, "%s: gr_major 0x%x", what, res->gr_major);
  cr_assert_eq (res->gr_ctx.length, 0, "%s: a handle was issued", what);
  cr_assert_eq (res->gr_token.length, 0, "%s: a token came back", what);
  cr_assert_eq (res->gr_win, 0, "%s: a window was granted", what);
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 0, "%s: the server kept a context", what);
  xdr_free (WSIM_XDRPROC (xdr_rpc_gss_init_res), (char *) res);
}

/* The initiator's first token for @mech, as a real client would send it. */
static GBytes *
first_token (const WsimGssMech *mech, const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimGssContext) init = wsim_gss_context_new_initiator (mech, "wbem@localhost", user, &error);
  GBytes *token = NULL;

  cr_assert_not_null (init, "%s", error ? error->message : "");
  cr_assert (wsim_gss_context_step (init, NULL, &token, &error), "%s", error ? error->message : "");
  cr_assert_not_null (token);
  return token;
}

static void
garbage_init_tokens (const WsimGssMech *mech, const char *user)
{
  g_autoptr(WsimRpcClient) client = connect_client ();
  g_autoptr(GBytes) real = first_token (mech, user);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2203);   /* the same bytes every run */
  guint8 noise[256];
  g_autoptr(GBytes) random = NULL, empty = g_bytes_new (NULL, 0), truncated = NULL, nobody = NULL;
  g_autoptr(WsimAuth) auth = NULL;
  guint32 h = GUINT32_TO_BE (0x5eed);

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_rand_int_range (rand, 0, 256);
  random = g_bytes_new (noise, sizeof noise);
  truncated = g_bytes_new_from_bytes (real, 0, g_bytes_get_size (real) / 2);
  nobody = g_bytes_new (&h, 4);

  {
    struct rpc_gss_init_res res = init_with (client, NULL, random);

    assert_refused (&res, "random bytes");
  }
  {
    struct rpc_gss_init_res res = init_with (client, NULL, empty);

    assert_refused (&res, "an empty token");
  }
  {
    struct rpc_gss_init_res res = init_with (client, NULL, truncated);

    assert_refused (&res, "half of a real first token");
  }
  {
    /* A real token, but continuing a context the server never issued. */
    struct rpc_gss_init_res res = init_with (client, nobody, real);

    assert_refused (&res, "CONTINUE_INIT of an unknown handle");
  }
  {
    /* Arguments that are not an opaque token at all (a length and nothing after it). */
    g_autoptr(GError) error = NULL;
    g_autoptr(WsimAuth) forged = forged_new (RPCSEC_GSS_INIT, 0, RPCSEC_GSS_SVC_NONE, NULL, NULL);
    u_int claimed = 1000;

    cr_assert_not (call_with (client, forged, NULLPROC, WSIM_XDRPROC (xdr_u_int), &claimed,
                              WSIM_XDRPROC (xdr_void), NULL, &error));
    cr_assert (g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_GARBAGE_ARGS), "%s", error->message);
    cr_assert_eq (wsim_test_gss_n_contexts (&fx), 0);
  }

  /* The server went through all that unharmed, and the connection still serves: a real
   * context is established on it and carries a call. */
  auth = establish (client, mech, user, WSIM_GSS_SVC_INTEGRITY);
  add_works (client, auth);
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 1);
}

Test (rpcsec, garbage_init_tokens_kerberos)
{
  garbage_init_tokens (wsim_gss_mech_kerberos (), NULL);
}

Test (rpcsec, garbage_init_tokens_ntlmssp)
{
  garbage_init_tokens (wsim_gss_mech_ntlmssp (), "WSIM\\alice");
}

Test (rpcsec, garbage_in_the_second_leg_drops_the_half_built_context)
{
  /* NTLMSSP takes two legs, so its first real token leaves a context half built on the
   * server; garbage as the second must take that context away with it. */
  const char *user = "WSIM\\alice";
  g_autoptr(WsimRpcClient) client = connect_client ();
  g_autoptr(GBytes) real = first_token (wsim_gss_mech_ntlmssp (), user);
  g_autoptr(GBytes) junk = g_bytes_new_static ("NTLMSSP\0 and then nothing sensible", 34);
  g_autoptr(GBytes) handle = NULL;
  g_autoptr(WsimAuth) auth = NULL;
  struct rpc_gss_init_res res = init_with (client, NULL, real);

  cr_assert_eq (res.gr_major, GSS_S_CONTINUE_NEEDED, "gr_major 0x%x", res.gr_major);
  cr_assert_gt (res.gr_ctx.length, 0);
  handle = g_bytes_new (res.gr_ctx.value, res.gr_ctx.length);
  xdr_free (WSIM_XDRPROC (xdr_rpc_gss_init_res), (char *) &res);
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), 1, "the half-built context is kept for the next leg");

  res = init_with (client, handle, junk);
  assert_refused (&res, "garbage as the second leg");

  auth = establish (client, wsim_gss_mech_ntlmssp (), user, WSIM_GSS_SVC_PRIVACY);
  add_works (client, auth);
}

/* ---- half-built contexts are capped per connection ----------------------------------- */

Test (rpcsec, repeated_inits_that_never_complete_are_capped_per_connection)
{
  /* An NTLMSSP NEGOTIATE leaves a context half built; a peer that sends only INITs would
   * otherwise grow the server's table by one each time. */
  const char *user = "WSIM\\alice";
  g_autoptr(WsimRpcClient) client = connect_client ();
  g_autoptr(WsimRpcClient) other = connect_client ();
  g_autoptr(GBytes) real = first_token (wsim_gss_mech_ntlmssp (), user);
  g_autoptr(WsimAuth) auth = NULL;

  for (guint i = 0; i < 50; i++)
    {
      struct rpc_gss_init_res res = init_with (client, NULL, real);

      if (i < WSIM_GSS_MAX_HALF_OPEN)
        {
          cr_assert_eq (res.gr_major, GSS_S_CONTINUE_NEEDED, "INIT %u: gr_major 0x%x", i, res.gr_major);
          xdr_free (WSIM_XDRPROC (xdr_rpc_gss_init_res), (char *) &res);
          continue;
        }
      /* Refused as a failed exchange (RFC 2203 5.2.3.1): no handle, no token, no window. */
      cr_assert_eq (res.gr_major, GSS_S_FAILURE, "INIT %u: gr_major 0x%x", i, res.gr_major);
      cr_assert_eq (res.gr_ctx.length, 0, "INIT %u: a handle was issued", i);
      cr_assert_eq (res.gr_token.length, 0);
      xdr_free (WSIM_XDRPROC (xdr_rpc_gss_init_res), (char *) &res);
    }
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), WSIM_GSS_MAX_HALF_OPEN,
                "the server keeps %u contexts", wsim_test_gss_n_contexts (&fx));

  /* Another connection is not affected, and its context carries a call. */
  auth = establish (other, wsim_gss_mech_ntlmssp (), user, WSIM_GSS_SVC_INTEGRITY);
  add_works (other, auth);
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), WSIM_GSS_MAX_HALF_OPEN + 1);

  /* The half-built ones go with their connection. */
  g_clear_pointer (&client, wsim_rpc_client_unref);
  cr_assert (wsim_test_gss_wait_n_contexts (&fx, 1, 5000), "the server still keeps %u contexts",
             wsim_test_gss_n_contexts (&fx));
}

Test (rpcsec, established_contexts_are_capped_per_connection)
{
  g_autoptr(WsimRpcClient) client = connect_client ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_auth_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < WSIM_GSS_MAX_CONTEXTS; i++)
    g_ptr_array_add (kept, establish (client, wsim_gss_mech_kerberos (), NULL, WSIM_GSS_SVC_INTEGRITY));
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), WSIM_GSS_MAX_CONTEXTS);
  cr_assert_null (wsim_auth_gss_establish (client, wsim_gss_mech_kerberos (), "wbem@localhost", NULL,
                                           WSIM_GSS_SVC_INTEGRITY, &error),
                  "one context more than the cap");
  cr_assert_eq (wsim_test_gss_n_contexts (&fx), WSIM_GSS_MAX_CONTEXTS);
  /* The ones kept still work. */
  add_works (client, kept->pdata[0]);
}
