/* test-wmisimd.c: the daemon, from outside.
 *
 * rpcbind is real: each test that needs it runs in its own Criterion worker, moves that
 * worker into new network and mount namespaces (a private loopback and a private /run, so
 * rpcbind's port 111 and its socket never touch the machine's), starts rpcbind there, and
 * stops it by its pid. Needs root, as CI has. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <rpc/rpc.h>

#include "wsim-address.h"
#include "wsim-client.h"
#include "wsim-krb5-realm.h"
#include "wsim-rpc-server.h"
#include "wsim-rpcbind.h"
#include "wsim-test-util.h"
#include "wsim-unsecapp.h"
#include "wsim-xdrbuf.h"
#include "wsim_service.h"

#define WAIT_MS 10000

static void
private_network_and_run (void)
{
  g_autoptr(GError) error = NULL;

  if (geteuid () != 0)
    cr_skip_test ("needs root for network and mount namespaces");
  cr_assert (wsim_test_private_network (&error), "%s", error ? error->message : "");
}

static GPid
start_rpcbind (void)
{
  g_autoptr(GError) error = NULL;
  GPid pid = wsim_test_start_rpcbind (WAIT_MS, &error);

  cr_assert (pid > 0, "rpcbind: %s", error ? error->message : "");
  return pid;
}

/* Starts wmisimd with @argv (NULL-terminated); returns (transfer full) where it listens. */
static char *
start_daemon_argv (WsimTestChild *child, char **argv)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_child_spawn (child, argv, WAIT_MS, &error), "wmisimd: %s",
             error ? error->message : "");
  cr_assert (g_str_has_prefix (child->first_line, "listening on "), "%s", child->first_line);
  return g_strdup (child->first_line + strlen ("listening on "));
}

static char *
start_daemon (WsimTestChild *child, const char *listen, gboolean rpcbind)
{
  char *argv[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                   (char *) "--listen", (char *) listen, rpcbind ? (char *) "--rpcbind" : NULL, NULL };

  return start_daemon_argv (child, argv);
}

/* The daemon and its clients share an NTLM account file, as Windows machines share a
 * domain; the daemon inherits NTLM_USER_FILE. Returns the directory to remove. */
static char *
share_ntlm_accounts (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("wsim-daemon-ntlm-XXXXXX", &error);
  g_autofree char *file = NULL;

  cr_assert_not_null (dir, "%s", error ? error->message : "");
  file = wsim_ntlm_creds_setup (dir);
  return dir;
}

static void
remove_ntlm_accounts (char *dir)
{
  g_autofree char *file = g_build_filename (dir, "ntlm-users", NULL);

  g_unlink (file);
  g_rmdir (dir);
  g_free (dir);
}

/* One enumeration of Win32_OperatingSystem through a client at @address as @blanket says:
 * its requests must travel at @level, and it must end with @final_hr after @n_objects. */
static void
enumerate_os_as (const char *address, const WsimBlanket *blanket, WsimAuthnLevel level,
                 WsimHResult final_hr, guint n_objects)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = wsim_client_connect_full (ctx, address, blanket, &error);
  g_autoptr(WsimServices) services = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec;

  cr_assert_not_null (client, "%s: %s", address, error ? error->message : "");
  cr_assert_eq (wsim_client_get_authn_level (client), level, "the level is %d",
                wsim_client_get_authn_level (client));
  services = wsim_client_open_namespace (client, "root\\cimv2", &error);
  cr_assert_not_null (services);
  sink = wsim_sink_recorder_new (&rec);
  cr_assert_eq (wsim_services_create_instance_enum_async (services, "Win32_OperatingSystem", 0, sink,
                                                          NULL), WBEM_S_NO_ERROR);
  cr_assert (wsim_test_run_until (ctx, wsim_sink_recorder_is_complete, rec, WAIT_MS));
  cr_assert_eq (rec->final_hr, final_hr, "0x%08x", rec->final_hr);
  cr_assert_eq (rec->objects->len, n_objects);
}

/* One enumeration through a client at @address: the daemon serves, at the level it
 * negotiates (the client asks DEFAULT), over NTLMSSP. */
static void
enumerate_os (const char *address)
{
  WsimBlanket alice = { RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT,
                        (char *) "WSIM", NULL, (char *) "alice" };

  enumerate_os_as (address, &alice, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, WBEM_S_NO_ERROR, 1);
}

Test (wmisimd, registers_with_rpcbind_and_unregisters_on_exit, .timeout = 60)
{
  WsimTestChild daemon;
  g_autofree char *bound = NULL, *found = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  GPid rpcbind;
  int status;
  char *accounts;

  private_network_and_run ();
  rpcbind = start_rpcbind ();
  cr_assert_null (wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "127.0.0.1", NULL));

  accounts = share_ntlm_accounts ();
  bound = start_daemon (&daemon, "tcp:127.0.0.1:0", TRUE);
  cr_assert (g_str_has_suffix (bound, " (registered with rpcbind)"), "%s", bound);
  *strchr (bound, ' ') = '\0';
  found = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "127.0.0.1", &error);
  cr_assert_not_null (found, "%s", error ? error->message : "");
  cr_assert_str_eq (found, bound, "rpcbind gives the address the daemon listens on");
  {
    /* Every version served is registered: V2 (calls with a context) too. */
    g_autofree char *v2 = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V2, "127.0.0.1", &error);

    cr_assert_not_null (v2, "V2: %s", error ? error->message : "");
    cr_assert_str_eq (v2, bound);
  }
  enumerate_os (found);

  status = wsim_test_child_stop (&daemon);
  cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0, "wmisimd status %d", status);
  after = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "127.0.0.1", NULL);
  cr_assert_null (after, "still registered after exit: %s", after);
  g_free (after);
  after = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V2, "127.0.0.1", NULL);
  cr_assert_null (after, "V2 still registered after exit: %s", after);
  wsim_test_pid_stop (rpcbind);
  remove_ntlm_accounts (accounts);
}

/* A listening TCP socket on @family's loopback, port chosen by the kernel, for rpcbind to
 * give out; NULL when this namespace has no such loopback (no IPv6). */
static GSocket *
loopback_listener (GSocketFamily family)
{
  g_autoptr(GSocket) s = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (family);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);

  if (s == NULL || !g_socket_bind (s, any, FALSE, NULL) || !g_socket_listen (s, NULL))
    return NULL;
  return g_steal_pointer (&s);
}

static void
assert_found (const char *host, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, host, &error);

  cr_assert_not_null (found, "on %s: %s", host, error ? error->message : "");
  cr_assert_str_eq (found, expected, "rpcbind on %s gives the registered address", host);
}

static void
assert_not_registered (guint32 prog, const char *host)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = wsim_rpcbind_lookup (prog, 1, host, &error);
  g_autofree char *says = g_strdup_printf ("program 0x%08x version 1 is not registered with rpcbind on %s",
                                           prog, host);

  cr_assert_null (found, "%s", found);
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND), "%s", error->message);
  cr_assert_str_eq (error->message, says);
}

static void
assert_rpcbind_silent (const char *host, const char *endpoint)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, host, &error);
  g_autofree char *says = g_strdup_printf ("rpcbind did not answer on %s", endpoint);

  cr_assert_null (found, "%s", found);
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED),
             "a stopped rpcbind is a refused connection, not a missing registration: %s", error->message);
  cr_assert (strstr (error->message, says) != NULL, "%s", error->message);
}

/* Registers @listener (which serves nothing, but is a real TCP endpoint for rpcbind to
 * hand out). Returns: its address text. */
static char *
register_listener (GSocket *listener)
{
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (listener, NULL);
  g_autoptr(GError) error = NULL;

  cr_assert_not_null (address);
  cr_assert (wsim_rpcbind_set (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, address, &error), "%s",
             error ? error->message : "");
  return wsim_address_to_string (address);
}

/* A lookup asks the rpcbind that answers now. libtirpc 1.3.3's rpcb_getaddr cached
 * rpcbind's address by host text, and once that rpcbind was gone freed the stale entry
 * twice: the first lookup after the stop aborted the process ("free(): double free
 * detected in tcache 2"). */
Test (wmisimd, a_lookup_after_rpcbind_stopped_says_so, .timeout = 60)
{
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *registered = NULL;
  GPid rpcbind;

  private_network_and_run ();
  rpcbind = start_rpcbind ();   /* asked for itself at 127.0.0.1 until it answers */
  listener = loopback_listener (G_SOCKET_FAMILY_IPV4);
  cr_assert_not_null (listener);
  registered = register_listener (listener);
  assert_found ("127.0.0.1", registered);
  assert_not_registered (WSIM_SERVICE_PROG + 1, "127.0.0.1");

  cr_assert_geq (wsim_test_pid_stop (rpcbind), 0);
  assert_rpcbind_silent ("127.0.0.1", "127.0.0.1:111");
  assert_rpcbind_silent ("127.0.0.1", "127.0.0.1:111");
}

/* The same over IPv6: asked at ::1, rpcbind answers over tcp6 with the tcp6 registration. */
Test (wmisimd, a_lookup_over_ipv6_and_after_rpcbind_stopped, .timeout = 60)
{
  g_autoptr(GSocket) v4 = NULL, v6 = NULL;
  g_autofree char *v4_text = NULL, *v6_text = NULL;
  GPid rpcbind;

  private_network_and_run ();
  v6 = loopback_listener (G_SOCKET_FAMILY_IPV6);
  if (v6 == NULL)
    cr_skip_test ("no ::1 in a new network namespace here (IPv6 disabled)");
  rpcbind = start_rpcbind ();
  v4 = loopback_listener (G_SOCKET_FAMILY_IPV4);
  cr_assert_not_null (v4);
  v4_text = register_listener (v4);
  v6_text = register_listener (v6);
  assert_found ("::1", v6_text);
  assert_found ("[::1]", v6_text);
  assert_found ("127.0.0.1", v4_text);
  assert_not_registered (WSIM_SERVICE_PROG + 1, "::1");

  cr_assert_geq (wsim_test_pid_stop (rpcbind), 0);
  assert_rpcbind_silent ("::1", "[::1]:111");
  assert_rpcbind_silent ("::1", "[::1]:111");
}

/* ---- a stand-in for rpcbind on port 111 ----------------------------------------------
 * What the machine's rpcbind (version 4) never shows: an rpcbind with version 3 only, one
 * whose answer is not a universal address, and something at port 111 that is not rpcbind. */

#define BAD_UADDR_PROG (WSIM_SERVICE_PROG + 2)

static void
h_v3_getaddr (WsimRpcRequest *req, void *args, gpointer user_data)
{
  const RPCB *q = args;
  const char *uaddr = "";

  if (q->r_prog == WSIM_SERVICE_PROG && q->r_vers == WSIM_SERVICE_V1)
    uaddr = "127.0.0.1.19.137";   /* port 19 * 256 + 137 = 5001 */
  else if (q->r_prog == BAD_UADDR_PROG)
    uaddr = "127.0.0.1.19";       /* one number short */

  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_wrapstring), &uaddr);
}

static const WsimRpcProcedure v3_procs[] = {
  { RPCBPROC_GETADDR, "GETADDR", WSIM_XDRPROC (xdr_rpcb), sizeof (RPCB), h_v3_getaddr },
};

static const WsimRpcProgram rpcbind_v3 = {
  RPCBPROG, RPCBVERS, "rpcbind", v3_procs, G_N_ELEMENTS (v3_procs)
};

/* Listens at 127.0.0.1:111 too; with @data, serves rpcbind version 3 there. */
static void
listen_at_111 (WsimRpcServer *server, gpointer data)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) at = g_inet_socket_address_new (lo, 111);
  g_autoptr(GError) error = NULL;

  if (data != NULL)
    wsim_rpc_server_add_program (server, &rpcbind_v3, NULL);
  /* On the server thread: g_error, as the helper's own listen does, not a Criterion assert. */
  if (!wsim_rpc_server_listen (server, at, NULL, &error))
    g_error ("cannot listen at 127.0.0.1:111: %s", error->message);
}

Test (wmisimd, a_lookup_falls_back_to_rpcbind_version_3_and_says_what_went_wrong, .timeout = 60)
{
  WsimTestServerThread *t;
  g_autofree char *found = NULL, *bad = NULL, *not_rpcbind = NULL;
  g_autoptr(GError) error = NULL, not_rpcbind_error = NULL;

  private_network_and_run ();
  t = wsim_test_server_thread_start (listen_at_111, GINT_TO_POINTER (TRUE));
  /* Version 4 is refused with PROG_MISMATCH; version 3 answers. */
  found = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "127.0.0.1", &error);
  cr_assert_str_eq (found, "tcp:127.0.0.1:5001", "%s", error ? error->message : "");
  assert_not_registered (WSIM_SERVICE_PROG + 1, "127.0.0.1");
  bad = wsim_rpcbind_lookup (BAD_UADDR_PROG, 1, "127.0.0.1", &error);
  cr_assert_null (bad, "%s", bad);
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA), "%s", error->message);
  cr_assert (strstr (error->message, "'127.0.0.1.19'") != NULL, "%s", error->message);
  wsim_test_server_thread_stop (t);

  /* An ONC RPC server at port 111 that has no rpcbind program (PROG_UNAVAIL). */
  t = wsim_test_server_thread_start (listen_at_111, NULL);
  not_rpcbind = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "127.0.0.1",
                                     &not_rpcbind_error);
  wsim_test_server_thread_stop (t);
  cr_assert_null (not_rpcbind, "%s", not_rpcbind);
  cr_assert (g_error_matches (not_rpcbind_error, G_IO_ERROR, G_IO_ERROR_FAILED), "%s",
             not_rpcbind_error->message);
  cr_assert (strstr (not_rpcbind_error->message, "rpcbind on 127.0.0.1:111 did not answer GETADDR")
             != NULL, "%s", not_rpcbind_error->message);

  /* Not an address: nothing is asked. */
  g_clear_error (&error);
  cr_assert_null (wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "hosta", &error));
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT), "%s", error->message);
}

/* Registering keeps libtirpc's rpcb_set and rpcb_unset. They reach the local rpcbind by
 * its Unix socket, and only when that fails by loopback TCP through the same address cache
 * as rpcb_getaddr, but with no universal address in the entry (the part 1.3.3 frees twice).
 * Either way, a stopped rpcbind is an error, not a crash, however often asked. */
Test (wmisimd, registering_after_rpcbind_stopped_says_so, .timeout = 60)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  private_network_and_run ();
  listener = loopback_listener (G_SOCKET_FAMILY_IPV4);
  cr_assert_not_null (listener);
  address = g_socket_get_local_address (listener, NULL);
  for (int hide_socket = 0; hide_socket < 2; hide_socket++)
    {
      GPid rpcbind = start_rpcbind ();
      g_autoptr(GError) error = NULL;

      if (hide_socket)
        /* A /run of our own over rpcbind's: its socket is out of sight, TCP is not. */
        cr_assert_eq (mount ("tmpfs", "/run", "tmpfs", 0, "mode=0755"), 0, "%s", g_strerror (errno));
      cr_assert (wsim_rpcbind_set (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, address, &error), "%s",
                 error ? error->message : "");
      cr_assert_geq (wsim_test_pid_stop (rpcbind), 0);
      for (int i = 0; i < 2; i++)
        {
          g_autoptr(GError) set_error = NULL, unset_error = NULL;

          cr_assert_not (wsim_rpcbind_unset (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &unset_error));
          cr_assert (strstr (unset_error->message, "rpcbind did not unregister") != NULL, "%s",
                     unset_error->message);
          cr_assert_not (wsim_rpcbind_set (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, address, &set_error));
          cr_assert (strstr (set_error->message, "is rpcbind running?") != NULL, "%s", set_error->message);
        }
      if (hide_socket)
        cr_assert_eq (umount ("/run"), 0, "%s", g_strerror (errno));
    }
}

Test (wmisimd, without_rpcbind_it_says_so_and_exits, .timeout = 60)
{
  char *argv[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                   (char *) "--rpcbind", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  private_network_and_run ();   /* and no rpcbind in it */
  cr_assert (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == 1, "status %d", status);
  cr_assert (strstr (err, "is rpcbind running?") != NULL, "%s", err);
  cr_assert_str_eq (out, "", "it must not claim to listen");
}

/* A server reached by a Unix socket calls back on Unix sockets: the client's sink host and a
 * stub's helper each listen on one of their own, and the calls end as they should. */
static void
callbacks_over_unix_sockets (const char *address)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  WsimBlanket alice = { RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_WINNT,
                        (char *) "WSIM", NULL, (char *) "alice" };
  g_autoptr(WsimClient) client = wsim_client_connect_full (ctx, address, &alice, &error);
  g_autoptr(WsimServices) services = NULL;
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) sink = NULL;
  g_autoptr(WsimSink) stub = NULL;
  const char *endpoint;
  guint64 stub_id;
  WsimSinkRecorder *rec;

  cr_assert_not_null (client, "%s", error ? error->message : "");
  cr_assert (g_str_has_prefix (wsim_client_get_callback_endpoint (client), "unix:"), "%s",
             wsim_client_get_callback_endpoint (client));
  services = wsim_client_open_namespace (client, "root\\cimv2", &error);
  cr_assert_not_null (services, "%s", error ? error->message : "");
  app = wsim_unsecapp_new (ctx, NULL, &error);
  cr_assert_not_null (app, "%s", error ? error->message : "");
  sink = wsim_sink_recorder_new (&rec);
  stub = wsim_unsecapp_create_sink_stub (app, sink, WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS, &error);
  cr_assert_not_null (stub, "%s", error ? error->message : "");
  cr_assert_eq (wsim_services_create_instance_enum_async (services, "Win32_OperatingSystem", 0, stub,
                                                          &error), WBEM_S_NO_ERROR, "%s",
                error ? error->message : "");
  wsim_unsecapp_stub_locate (stub, NULL, &endpoint, &stub_id);
  cr_assert (g_str_has_prefix (endpoint, "unix:"), "the stub for this server: %s", endpoint);
  cr_assert (wsim_test_run_until (ctx, wsim_sink_recorder_is_complete, rec, WAIT_MS));
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR, "0x%08x", rec->final_hr);
  cr_assert_eq (rec->objects->len, 1);
}

Test (wmisimd, serves_on_a_unix_socket_and_cleans_up, .timeout = 60)
{
  g_autofree char *dir = g_dir_make_tmp ("wsim-daemon-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "wmisim.sock", NULL);
  g_autofree char *listen = g_strconcat ("unix:", path, NULL);
  g_autofree char *bound = NULL;
  WsimTestChild daemon;
  int status;
  char *accounts = share_ntlm_accounts ();

  bound = start_daemon (&daemon, listen, FALSE);
  cr_assert_str_eq (bound, listen);
  enumerate_os (bound);
  callbacks_over_unix_sockets (bound);
  status = wsim_test_child_stop (&daemon);
  cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0, "wmisimd status %d", status);
  cr_assert_not (g_file_test (path, G_FILE_TEST_EXISTS), "the socket file is removed on exit");
  rmdir (dir);
  remove_ntlm_accounts (accounts);
}

/* --callback-level LEVEL is the whole ladder: a call made at NONE (no mechanism, so no rung
 * above NONE can be tried) has none left and ends refused, where the default ladder would
 * have called it back at NONE. */
Test (wmisimd, callback_level_is_the_only_rung, .timeout = 60)
{
  char *argv[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                   (char *) "--callback-level", (char *) "pktPrivacy", NULL };
  WsimBlanket none = { RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_DEFAULT,
                       NULL, NULL, NULL };
  WsimTestChild daemon;
  g_autofree char *bound = start_daemon_argv (&daemon, argv);
  int status;

  enumerate_os_as (bound, &none, RPC_C_AUTHN_LEVEL_NONE, WBEM_E_ACCESS_DENIED, 0);
  status = wsim_test_child_stop (&daemon);
  cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0, "wmisimd status %d", status);
}

Test (wmisimd, refuses_bad_arguments, .timeout = 30)
{
  char *bad_listen[] = { (char *) WSIM_WMISIMD, (char *) "--listen", (char *) "udp:1.2.3.4:5", NULL };
  char *bad_unix_rpcbind[] = { (char *) WSIM_WMISIMD, (char *) "--listen", (char *) "unix:/tmp/x.sock",
                               (char *) "--rpcbind", NULL };
  char *bad_dir[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) "/nonexistent", NULL };
  char *bad_callbacks[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                            (char *) "--callback-level", (char *) "default", NULL };
  char **cases[] = { bad_listen, bad_unix_rpcbind, bad_dir, bad_callbacks };
  const char *says[] = { "bad address", "needs a TCP listener", "provider directory", "callback ladder" };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;

      cr_assert (g_spawn_sync (NULL, cases[i], NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
      cr_assert (WIFEXITED (status) && WEXITSTATUS (status) != 0, "case %zu exited %d", i, status);
      cr_assert (strstr (err, says[i]) != NULL, "case %zu: %s", i, err);
    }
}
