/* test-wire-levels.c: the level map, checked on the wire. For each authentication level a
 * call carrying a marker string is captured with tshark on loopback (a filter on the test
 * server's port), and the capture is dissected: the credential's flavor and RPCSEC_GSS
 * service must be the level's, and the marker must be readable in the capture at every
 * level below PKT_PRIVACY and absent at PKT_PRIVACY; the credential is read by the wmisim
 * dissector (tools/wireshark/wmisim.lua) through tshark. tshark is stopped by its pid, with
 * SIGINT, once a final knock on the port shows that all the traffic is in. DEFAULT is
 * checked through the runtime: a client asking DEFAULT must put the level the server
 * answered to NEGOTIATE_SECURITY on the wire. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "wsim-auth-for-level.h"
#include "wsim-auth-gss.h"
#include "wsim-address.h"
#include "wsim-authn-level.h"
#include "wsim-harness.h"
#include "wsim-krb5-realm.h"
#include "wsim-test-capture.h"
#include "wsim-test-util.h"
#include "wsim-testprog-server.h"
#include "wsim_service.h"

#define MARKER "MARKER-WSIM-7f3a-LEVEL"

static WsimKrb5Realm realm;
static WsimTestServerThread *srv;
static GMainContext *ctx;
static char *dir;

static void
enable_gss (WsimRpcServer *server, gpointer data)
{
  wsim_rpc_server_set_accept_gss (server, TRUE);
}

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  if (geteuid () != 0)
    cr_skip_test ("capturing on loopback needs root");
  cr_assert (wsim_krb5_realm_start (&realm, &error), "realm: %s", error ? error->message : "");
  srv = wsim_test_server_thread_start (enable_gss, NULL);
  ctx = g_main_context_new ();
  dir = g_dir_make_tmp ("wsim-capture-XXXXXX", NULL);
}

static void
stop (void)
{

  wsim_test_server_thread_stop (srv);
  while (g_main_context_iteration (ctx, FALSE))
    ;
  g_main_context_unref (ctx);
  wsim_krb5_realm_stop (&realm);
  if (g_getenv ("WSIM_KEEP_CAPTURES") == NULL)
    wsim_test_remove_dir (dir);
  g_free (dir);
}

TestSuite (wirelevels, .init = start, .fini = stop, .timeout = 120);

typedef struct {
  guint flavor;
  guint service;   /* 0: no RPCSEC_GSS service field */
} CallCred;

/* The credential of the first call of @prog's procedure @proc in @file, as the wmisim
 * dissector (tools/wireshark/wmisim.lua, docs/wireshark.md) shows it through tshark: its
 * flavor and RPCSEC_GSS service. The test program is not one of wmisim's; its number is
 * given to the dissector with its "programs" preference. */
static CallCred
dissect_call (const char *file, guint32 prog, guint32 proc)
{
  g_autofree char *filter = g_strdup_printf ("wmisim.msgtype == 0 && wmisim.prog == %u && wmisim.proc == %u",
                                             prog, proc);
  g_autofree char *lua = g_strdup_printf ("lua_script:%s", WSIM_DISSECTOR);
  g_autofree char *programs = g_strdup_printf ("wmisim.programs:%u", (guint) WSIM_TEST_PROG);
  char *argv[] = { (char *) "/usr/bin/tshark", (char *) "-n", (char *) "-r", (char *) file, (char *) "-X", lua,
                   (char *) "-o", programs, (char *) "-o", (char *) "tcp.try_heuristic_first:TRUE",
                   (char *) "-Y", filter, (char *) "-T", (char *) "fields", (char *) "-E", (char *) "occurrence=f",
                   (char *) "-e", (char *) "wmisim.auth.flavor", (char *) "-e", (char *) "wmisim.gss.service", NULL };
  g_autofree char *out = NULL;
  g_auto (GStrv) fields = NULL;
  CallCred cc = { 999, 0 };
  int status = 0;

  cr_assert (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, NULL));
  cr_assert (g_spawn_check_wait_status (status, NULL), "tshark failed on %s", file);
  *strchrnul (out, '\n') = '\0';   /* the first call */
  fields = g_strsplit (out, "\t", -1);
  cr_assert (g_strv_length (fields) == 2 && *fields[0] != '\0', "no call of procedure %u in the capture", proc);
  cc.flavor = (guint) g_ascii_strtoull (fields[0], NULL, 10);
  cc.service = (guint) g_ascii_strtoull (fields[1], NULL, 10);   /* "": not RPCSEC_GSS, 0 */
  if (cc.flavor == WSIM_RPCSEC_GSS)
    cr_assert_neq (cc.service, 0, "an RPCSEC_GSS credential without its service");
  return cc;
}

static gboolean
file_contains (const char *file, const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  cr_assert (g_file_get_contents (file, &data, &len, NULL));
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

static void
one_level (WsimAuthnLevel level, guint want_flavor, guint want_service)
{
  g_autofree char *file = g_strdup_printf ("%s/%s.pcapng", dir, wsim_authn_level_word (level));
  guint16 port = wsim_test_port (wsim_test_server_thread_address (srv));
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) client = NULL;
  g_autoptr(WsimAuth) auth = NULL;
  wsim_test_blob in = { .wsim_test_blob_len = sizeof MARKER - 1, .wsim_test_blob_val = (char *) MARKER };
  wsim_test_blob out = { 0 };
  g_autofree char *filter = g_strdup_printf ("tcp port %u", port);
  WsimTestCapture capture = wsim_test_capture_start (file, filter, "127.0.0.1", port);
  CallCred cc;

  client = wsim_rpc_client_connect (ctx, wsim_test_server_thread_address (srv), WSIM_TEST_PROG, WSIM_TEST_V1, &error);
  cr_assert_not_null (client);
  auth = wsim_auth_for_level (client, level, wsim_gss_mech_kerberos (), "wbem@localhost", NULL, &error);
  cr_assert_not_null (auth, "%s", error ? error->message : "");
  wsim_rpc_client_set_auth (client, auth);
  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ECHO, WSIM_XDRPROC (xdr_wsim_test_blob), &in,
                                        WSIM_XDRPROC (xdr_wsim_test_blob), &out, 5000, NULL, &error),
             "%s", error ? error->message : "");
  xdr_free (WSIM_XDRPROC (xdr_wsim_test_blob), &out);
  g_clear_pointer (&client, wsim_rpc_client_unref);
  wsim_test_capture_stop (&capture);

  cc = dissect_call (file, WSIM_TEST_PROG, WSIM_TEST_ECHO);
  cr_assert_eq (cc.flavor, want_flavor, "%s: flavor %u on the wire", wsim_authn_level_name (level), cc.flavor);
  cr_assert_eq (cc.service, want_service, "%s: service %u on the wire", wsim_authn_level_name (level), cc.service);
  cr_assert_eq (file_contains (file, MARKER), level != RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
                "%s: the marker %s the capture", wsim_authn_level_name (level),
                level == RPC_C_AUTHN_LEVEL_PKT_PRIVACY ? "must not be in" : "must be in");
}

Test (wirelevels, each_level_is_distinct_on_the_wire)
{
  one_level (RPC_C_AUTHN_LEVEL_NONE, 0, 0);
  one_level (RPC_C_AUTHN_LEVEL_CONNECT, 0, 0);
  one_level (RPC_C_AUTHN_LEVEL_CALL, 6, 1);
  one_level (RPC_C_AUTHN_LEVEL_PKT, 6, 1);
  one_level (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 6, 2);
  one_level (RPC_C_AUTHN_LEVEL_PKT_PRIVACY, 6, 3);
}

/* ---- DEFAULT, through the runtime ------------------------------------------------- */

static gboolean
server_default (WsimServer *server, gpointer data, GError **error)
{
  WsimServerSecurity sec = { *(const WsimAuthnLevel *) data, RPC_C_AUTHN_LEVEL_NONE, FALSE };
  WsimRepository *repo = wsim_server_get_repository (server);

  return wsim_repository_add_namespace (repo, "root\\cimv2", error)
         && wsim_server_set_security (server, &sec, error);
}

/* A server whose DEFAULT is @server_level; a Kerberos client asking DEFAULT sends a query
 * carrying the marker. NEGOTIATE_SECURITY goes unauthenticated, the query at the level. */
static void
default_row (WsimAuthnLevel server_level, guint want_service)
{
  g_autofree char *file = g_strdup_printf ("%s/default-%s.pcapng", dir, wsim_authn_level_word (server_level));
  g_autoptr(GError) error = NULL;
  WsimBlanket none = { RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_GSS_KERBEROS,
                       NULL, NULL, NULL };
  WsimBlanket asks_default = none;
  WsimHarness *h = wsim_harness_new_full (server_default, &server_level, &none, &error);
  guint16 port;
  WsimTestCapture capture;
  CallCred negotiate, query;

  cr_assert_not_null (h, "%s", error ? error->message : "");
  {
    g_autoptr(GSocketAddress) where = wsim_address_parse (wsim_harness_get_address (h), NULL);

    port = wsim_test_port (where);
  }
  {
    g_autofree char *filter = g_strdup_printf ("tcp port %u", port);

    capture = wsim_test_capture_start (file, filter, "127.0.0.1", port);
  }
  asks_default.authn_level = RPC_C_AUTHN_LEVEL_DEFAULT;
  {
    g_autoptr(WsimClient) client = wsim_client_connect_full (wsim_harness_get_context (h),
                                                             wsim_harness_get_address (h), &asks_default, &error);
    g_autoptr(WsimServices) services = NULL;

    cr_assert_not_null (client, "%s", error ? error->message : "");
    services = wsim_client_open_namespace (client, "root\\cimv2", &error);
    cr_assert_not_null (services, "%s", error ? error->message : "");
    /* Refused (no such class), but only after it crossed the wire. */
    wsim_services_exec_query_async (services, "WQL", "SELECT * FROM Nothing WHERE Name = '" MARKER "'",
                                    0, NULL, NULL);
  }
  wsim_test_capture_stop (&capture);
  wsim_harness_free (h);

  negotiate = dissect_call (file, WSIM_SERVICE_PROG, WSIM_NEGOTIATE_SECURITY);
  cr_assert_eq (negotiate.flavor, 0, "NEGOTIATE_SECURITY goes before any context");
  query = dissect_call (file, WSIM_SERVICE_PROG, WSIM_EXEC_QUERY_ASYNC);
  cr_assert_eq (query.flavor, WSIM_RPCSEC_GSS, "DEFAULT: flavor %u on the wire", query.flavor);
  cr_assert_eq (query.service, want_service, "DEFAULT against a %s server: service %u",
                wsim_authn_level_name (server_level), query.service);
  cr_assert_eq (file_contains (file, MARKER), want_service != 3);
}

Test (wirelevels, default_is_the_servers_level_on_the_wire)
{
  default_row (RPC_C_AUTHN_LEVEL_PKT_PRIVACY, 3);
  default_row (RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, 2);
}
