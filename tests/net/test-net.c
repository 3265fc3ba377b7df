/* test-net.c: the hosts fixture (wsim-test-net.h), proven with real processes and sockets.
 *
 * Each test makes its own LAN in its own Criterion worker: wmisimd runs on host 0 (10.77.0.1,
 * fd77::1) as a real process, the test thread moves to host 1 and calls it with the wmisim
 * client library, across the bridge. rpcbind runs per host, the KDC in the lan namespace.
 * The suite's fini frees whatever a failed test left, so no namespace outlives a test.
 * Needs root; every test skips, printing why, only where wsim_test_net_available() says no.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wsim-address.h"
#include "wsim-client.h"
#include "wsim-krb5-realm.h"
#include "wsim-rpcbind.h"
#include "wsim-test-net.h"
#include "wsim-test-util.h"
#include "wsim_service.h"

#define WAIT_MS 20000   /* generous: valgrind runs these too */

static WsimTestNet *net;
static WsimKrb5Realm realm;
static GPtrArray *extra_netns;   /* names a test made itself, to delete if it failed */

static void
free_all (void)
{
  if (realm.dir != NULL)
    wsim_krb5_realm_stop (&realm);
  g_clear_pointer (&net, wsim_test_net_free);
  for (guint i = 0; extra_netns != NULL && i < extra_netns->len; i++)
    {
      const char *args[] = { "netns", "del", extra_netns->pdata[i], NULL };

      wsim_test_net_ip (NULL, args, NULL, NULL);
    }
  g_clear_pointer (&extra_netns, g_ptr_array_unref);
}

TestSuite (net, .fini = free_all);

/* ---- helpers ------------------------------------------------------------------------ */

static void
make_net (guint n_hosts)
{
  g_autofree char *why = NULL;
  g_autoptr(GError) error = NULL;

  if (!wsim_test_net_available (&why))
    cr_skip_test ("%s", why);
  net = wsim_test_net_new (n_hosts, &error);
  cr_assert_not_null (net, "fixture: %s", error ? error->message : "");
}

/* wmisimd on @host listening on @listen; Returns: (transfer full) the bound address. */
static char *
start_wmisimd (guint host, const char *listen, gboolean rpcbind, WsimTestChild *child)
{
  char *argv[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                   (char *) "--listen", (char *) listen, rpcbind ? (char *) "--rpcbind" : NULL, NULL };
  g_autoptr(GError) error = NULL;
  char *bound, *space;

  cr_assert (wsim_test_net_spawn (net, host, child, argv, WAIT_MS, &error), "wmisimd: %s",
             error ? error->message : "");
  cr_assert (g_str_has_prefix (child->first_line, "listening on "), "%s", child->first_line);
  bound = g_strdup (child->first_line + strlen ("listening on "));
  if ((space = strchr (bound, ' ')) != NULL)
    *space = '\0';
  return bound;
}

static void
enter (guint node)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_net_enter (net, node, &error), "%s", error ? error->message : "");
}

static void
leave (void)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_net_leave (net, &error), "%s", error ? error->message : "");
}

/* A plain TCP connection to @address ("tcp:HOST:PORT") from the calling thread. */
static GSocketConnection *
tcp_connect (const char *address, guint timeout_s, GError **error)
{
  g_autoptr(GSocketAddress) to = wsim_address_parse (address, error);
  g_autoptr(GSocketClient) c = g_socket_client_new ();

  if (to == NULL)
    return NULL;
  g_socket_client_set_timeout (c, timeout_s);
  return g_socket_client_connect (c, G_SOCKET_CONNECTABLE (to), NULL, error);
}

static char *
local_ip_of (GSocketConnection *conn)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (conn, NULL);

  cr_assert_not_null (local);
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
}

static void
open_cimv2 (const char *address, const WsimBlanket *blanket, WsimAuthnLevel expect)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = wsim_client_connect_full (ctx, address, blanket, &error);
  g_autoptr(WsimServices) services = NULL;

  cr_assert_not_null (client, "connect %s: %s", address, error ? error->message : "");
  cr_assert_eq (wsim_client_get_authn_level (client), expect);
  services = wsim_client_open_namespace (client, "root\\cimv2", &error);
  cr_assert_not_null (services, "OpenNamespace at %s: %s", address, error ? error->message : "");
}

/* "same namespace?" by the namespace files' identity. */
static gboolean
same_ns (const char *path_a, const char *path_b)
{
  struct stat a, b;

  return stat (path_a, &a) == 0 && stat (path_b, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static gboolean
ns_is_fd (const char *path, int fd)
{
  struct stat a, b;

  return stat (path, &a) == 0 && fstat (fd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static char *
proc_ns (GPid pid, const char *kind)
{
  return g_strdup_printf ("/proc/%d/ns/%s", (int) pid, kind);
}

static const WsimBlanket no_auth = { RPC_C_AUTHN_LEVEL_NONE, RPC_C_IMP_LEVEL_IMPERSONATE, RPC_C_AUTHN_DEFAULT,
                                     NULL, NULL, NULL };

/* ---- reachability -------------------------------------------------------------------- */

Test (net, hosts_reach_each_other_over_ipv4_and_ipv6, .timeout = 60)
{
  static const GSocketFamily families[] = { G_SOCKET_FAMILY_IPV4, G_SOCKET_FAMILY_IPV6 };
  WsimTestChild daemon[2];
  char *bound[2];

  make_net (2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *listen = wsim_test_net_tcp_address (net, 0, families[i], 0);

      bound[i] = start_wmisimd (0, listen, FALSE, &daemon[i]);
    }
  enter (1);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketConnection) conn = tcp_connect (bound[i], 5, &error);
      g_autofree char *local = NULL;

      /* The path is the LAN: from host 1's address, to host 0's. */
      cr_assert_not_null (conn, "%s: %s", bound[i], error ? error->message : "");
      local = local_ip_of (conn);
      cr_assert_str_eq (local, wsim_test_net_host_address (net, 1, families[i]));
      /* And the client library end to end, without callbacks. */
      open_cimv2 (bound[i], &no_auth, RPC_C_AUTHN_LEVEL_NONE);
    }
  leave ();
  for (guint i = 0; i < 2; i++)
    {
      int status = wsim_test_net_child_stop (net, &daemon[i]);

      cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0, "wmisimd %u status %d", i, status);
      g_free (bound[i]);
    }
}

typedef struct {
  const char *address;
  gboolean    connected;
  char       *message;
} Dial;

static gboolean
dial (gpointer data, GError **error)
{
  Dial *d = data;
  g_autoptr(GError) local = NULL;
  g_autoptr(GSocketConnection) conn = tcp_connect (d->address, 5, &local);

  d->connected = conn != NULL;
  d->message = local != NULL ? g_strdup (local->message) : NULL;
  return TRUE;
}

Test (net, a_host_does_not_see_another_hosts_loopback, .timeout = 60)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) conn = NULL;
  g_autofree char *bound = NULL;
  WsimTestChild daemon;
  Dial on_0 = { NULL, FALSE, NULL };

  make_net (2);
  bound = start_wmisimd (0, "tcp:127.0.0.1:0", FALSE, &daemon);
  enter (1);
  conn = tcp_connect (bound, 5, &error);
  cr_assert_null (conn, "host 1 reached host 0's loopback at %s", bound);
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED), "%s", error->message);
  leave ();
  /* On host 0 itself the listener is there. */
  on_0.address = bound;
  cr_assert (wsim_test_net_run_in (net, 0, dial, &on_0, &error), "%s", error ? error->message : "");
  cr_assert (on_0.connected, "host 0 cannot reach its own %s: %s", bound, on_0.message);
  g_free (on_0.message);
  wsim_test_net_child_stop (net, &daemon);
}

Test (net, threads_and_processes_live_on_their_host, .timeout = 60)
{
  g_autofree char *self_net = g_strdup_printf ("/proc/%d/task/%d/ns/net", (int) getpid (), (int) gettid ());
  g_autofree char *self_mnt = g_strdup_printf ("/proc/%d/task/%d/ns/mnt", (int) getpid (), (int) gettid ());
  g_autofree char *probe = g_strdup_printf ("/run/wsim-net-probe-%d", (int) getpid ());
  g_autofree char *listen = NULL, *bound = NULL, *child_net = NULL, *child_mnt = NULL;
  g_autofree char *fixture_net = NULL, *fixture_mnt = NULL;
  g_autoptr(GError) error = NULL;
  char *argv[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                   (char *) "--listen", NULL, NULL };
  WsimTestChild mine, theirs;
  int home_net_fd, home_mnt_fd;
  Dial from_0 = { NULL, FALSE, NULL };

  make_net (2);
  home_net_fd = open (self_net, O_RDONLY | O_CLOEXEC);
  home_mnt_fd = open (self_mnt, O_RDONLY | O_CLOEXEC);
  cr_assert (home_net_fd >= 0 && home_mnt_fd >= 0);

  /* A process the fixture spawns is in the host's namespaces, not home's. */
  g_free (start_wmisimd (0, "tcp:127.0.0.1:0", FALSE, &theirs));
  fixture_net = proc_ns (theirs.pid, "net");
  fixture_mnt = proc_ns (theirs.pid, "mnt");
  cr_assert (ns_is_fd (fixture_net, wsim_test_net_get_netns_fd (net, 0)));
  cr_assert (ns_is_fd (fixture_mnt, wsim_test_net_get_mntns_fd (net, 0)));
  cr_assert_not (ns_is_fd (fixture_mnt, home_mnt_fd));

  /* After enter, what the test thread spawns itself (as the library spawns its helpers)
   * is on host 1 too: it can listen on an address only host 1 has. */
  enter (1);
  cr_assert (ns_is_fd (self_net, wsim_test_net_get_netns_fd (net, 1)));
  cr_assert (ns_is_fd (self_mnt, wsim_test_net_get_mntns_fd (net, 1)));
  listen = wsim_test_net_tcp_address (net, 1, G_SOCKET_FAMILY_IPV4, 0);
  argv[4] = listen;
  cr_assert (wsim_test_child_spawn (&mine, argv, WAIT_MS, &error), "%s", error ? error->message : "");
  cr_assert (g_str_has_prefix (mine.first_line, "listening on "), "%s", mine.first_line);
  bound = g_strdup (mine.first_line + strlen ("listening on "));
  child_net = proc_ns (mine.pid, "net");
  child_mnt = proc_ns (mine.pid, "mnt");
  cr_assert (same_ns (child_net, self_net) && same_ns (child_mnt, self_mnt));

  /* /run is the host's own: a file made there on host 1 is on no other node. */
  cr_assert (g_file_set_contents (probe, "host 1\n", -1, &error), "%s", error ? error->message : "");
  leave ();
  cr_assert (ns_is_fd (self_net, home_net_fd) && ns_is_fd (self_mnt, home_mnt_fd));
  cr_assert_not (g_file_test (probe, G_FILE_TEST_EXISTS), "host 1's /run leaked home");
  enter (0);
  cr_assert_not (g_file_test (probe, G_FILE_TEST_EXISTS), "host 1's /run is host 0's");
  enter (1);
  cr_assert (g_file_test (probe, G_FILE_TEST_EXISTS));
  g_unlink (probe);
  leave ();

  /* Host 1's process serves across the LAN. */
  from_0.address = bound;
  cr_assert (wsim_test_net_run_in (net, 0, dial, &from_0, &error), "%s", error ? error->message : "");
  cr_assert (from_0.connected, "host 0 cannot reach %s: %s", bound, from_0.message);
  g_free (from_0.message);

  wsim_test_child_stop (&mine);
  wsim_test_net_child_stop (net, &theirs);
  close (home_net_fd);
  close (home_mnt_fd);
}

/* ---- rpcbind per host ------------------------------------------------------------------ */

Test (net, rpcbind_on_host_a_is_found_from_host_b_and_only_there, .timeout = 90)
{
  const char *a = NULL, *b = NULL;
  g_autofree char *listen = NULL, *bound = NULL, *found = NULL, *b_own = NULL, *b_self = NULL;
  g_autofree char *machine = NULL, *after = NULL, *b_loopback = NULL;
  g_autoptr(GError) error = NULL;
  WsimTestChild daemon;
  GPid rpcbind_a, rpcbind_b;
  int status;

  make_net (2);
  a = wsim_test_net_host_address (net, 0, G_SOCKET_FAMILY_IPV4);
  rpcbind_a = wsim_test_net_start_rpcbind (net, 0, &error);
  cr_assert (rpcbind_a > 0, "rpcbind on host 0: %s", error ? error->message : "");
  rpcbind_b = wsim_test_net_start_rpcbind (net, 1, &error);
  cr_assert (rpcbind_b > 0, "rpcbind on host 1: %s", error ? error->message : "");

  listen = wsim_test_net_tcp_address (net, 0, G_SOCKET_FAMILY_IPV4, 0);
  bound = start_wmisimd (0, listen, TRUE, &daemon);
  cr_assert (g_str_has_suffix (daemon.first_line, " (registered with rpcbind)"), "%s", daemon.first_line);

  enter (1);
  found = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, a, &error);
  cr_assert_not_null (found, "from host 1, at %s: %s", a, error ? error->message : "");
  cr_assert_str_eq (found, bound, "host 0's rpcbind gives the address wmisimd listens on");
  /* Host 1's own rpcbind answers, and has not heard of it: by its address, and by
   * 127.0.0.1, which on host 1 is host 1's (the same text names another rpcbind below). */
  b = wsim_test_net_host_address (net, 1, G_SOCKET_FAMILY_IPV4);
  b_self = wsim_rpcbind_lookup (100000, 4, b, NULL);
  cr_assert_not_null (b_self, "host 1's rpcbind does not answer");
  b_own = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, b, NULL);
  cr_assert_null (b_own, "host 1's rpcbind has host 0's registration: %s", b_own);
  b_loopback = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "127.0.0.1", &error);
  cr_assert_null (b_loopback, "127.0.0.1 on host 1 has host 0's registration: %s", b_loopback);
  cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND), "host 1's rpcbind answers at "
             "127.0.0.1: %s", error->message);
  g_clear_error (&error);
  leave ();
  /* Nor has the machine's rpcbind, if there is one. */
  machine = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, "127.0.0.1", NULL);
  cr_assert_null (machine, "the machine's rpcbind saw the registration: %s", machine);

  /* Unregistered on exit, from host 0's rpcbind. */
  status = wsim_test_net_child_stop (net, &daemon);
  cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0, "wmisimd status %d", status);
  enter (1);
  after = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, a, NULL);
  cr_assert_null (after, "still registered after exit: %s", after);
  leave ();
  cr_assert_geq (wsim_test_net_stop (net, rpcbind_b), 0);
  cr_assert_geq (wsim_test_net_stop (net, rpcbind_a), 0);

  /* Host 0's rpcbind, found before, is gone: asked again (twice), it is said not to answer. */
  enter (1);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GError) gone = NULL;
      g_autofree char *none = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, a, &gone);
      g_autofree char *says = g_strdup_printf ("rpcbind did not answer on %s:111", a);

      cr_assert_null (none, "%s", none);
      cr_assert (gone->domain == G_IO_ERROR && gone->code != G_IO_ERROR_NOT_FOUND, "%s", gone->message);
      cr_assert (strstr (gone->message, says) != NULL, "%s", gone->message);
    }
  leave ();
}

/* ---- a cut cable ----------------------------------------------------------------------- */

static gboolean
connects (gpointer data)
{
  g_autoptr(GSocketConnection) conn = tcp_connect (data, 1, NULL);

  return conn != NULL;
}

Test (net, a_cut_cable_loses_new_connections_until_it_is_back, .timeout = 90)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) before = NULL, during = NULL;
  g_autoptr(GSocket) bind_b = NULL;
  g_autoptr(GSocketAddress) b_any = NULL;
  g_autoptr(GInetAddress) b_ip = NULL;
  g_autofree char *listen = NULL, *bound = NULL;
  WsimTestChild daemon;
  gint64 t0, elapsed_ms;

  make_net (2);
  listen = wsim_test_net_tcp_address (net, 0, G_SOCKET_FAMILY_IPV4, 0);
  bound = start_wmisimd (0, listen, FALSE, &daemon);
  enter (1);
  before = tcp_connect (bound, 5, &error);
  cr_assert_not_null (before, "%s", error ? error->message : "");

  cr_assert (wsim_test_net_set_link (net, 0, FALSE, &error), "%s", error ? error->message : "");
  t0 = g_get_monotonic_time ();
  during = tcp_connect (bound, 2, &error);
  elapsed_ms = (g_get_monotonic_time () - t0) / 1000;
  cr_assert_null (during, "connected to %s with host 0's cable out", bound);
  cr_assert_lt (elapsed_ms, 10000, "the failure took %" G_GINT64_FORMAT " ms", elapsed_ms);
  cr_log_info ("cable out: %s after %" G_GINT64_FORMAT " ms", error->message, elapsed_ms);
  g_clear_error (&error);
  /* Host 1 still has its address (a cut cable does not unconfigure the far host either). */
  b_ip = g_inet_address_new_from_string (wsim_test_net_host_address (net, 1, G_SOCKET_FAMILY_IPV4));
  b_any = g_inet_socket_address_new (b_ip, 0);
  bind_b = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  cr_assert (g_socket_bind (bind_b, b_any, FALSE, NULL));

  cr_assert (wsim_test_net_set_link (net, 0, TRUE, &error), "%s", error ? error->message : "");
  cr_assert (wsim_test_run_until (ctx, connects, bound, WAIT_MS), "no connection once the cable is back");
  leave ();
  wsim_test_net_child_stop (net, &daemon);
}

/* ---- Kerberos across hosts ------------------------------------------------------------- */

Test (net, kerberos_from_host_b_to_host_a_with_the_kdc_on_the_lan, .timeout = 120)
{
  WsimBlanket kerberos = { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_IMP_LEVEL_IMPERSONATE,
                           RPC_C_AUTHN_GSS_KERBEROS, NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL, *bound = NULL, *log_path = NULL, *log = NULL, *ticket = NULL;
  WsimTestChild daemon;

  make_net (2);
  cr_assert (wsim_test_net_start_realm (net, &realm, &error), "realm: %s", error ? error->message : "");
  cr_assert_str_eq (realm.kdc_address, wsim_test_net_infra_address (net, G_SOCKET_FAMILY_IPV4));
  /* wmisimd inherits KRB5_KTNAME: the service keytab, with wbem/10.77.0.1. */
  listen = wsim_test_net_tcp_address (net, 0, G_SOCKET_FAMILY_IPV4, 0);
  bound = start_wmisimd (0, listen, FALSE, &daemon);

  enter (1);
  open_cimv2 (bound, &kerberos, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  leave ();

  /* The KDC, on the lan, gave host 1 a ticket for host 0's service. */
  log_path = g_build_filename (realm.dir, "kdc.log", NULL);
  cr_assert (g_file_get_contents (log_path, &log, NULL, NULL));
  ticket = g_strdup_printf ("%s: ISSUE: ", wsim_test_net_host_address (net, 1, G_SOCKET_FAMILY_IPV4));
  cr_assert (strstr (log, ticket) != NULL, "no ticket issued to host 1:\n%s", log);
  cr_assert (strstr (log, "for wbem/10.77.0.1@" WSIM_TEST_REALM) != NULL, "no ticket for wbem/10.77.0.1:\n%s", log);
  wsim_test_net_child_stop (net, &daemon);
  wsim_krb5_realm_stop (&realm);
}

/* ---- cleaning up ------------------------------------------------------------------------ */

static gboolean
netns_listed (const char *name)
{
  const char *list_args[] = { "netns", "list", NULL };
  g_autofree char *list = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_net_ip (NULL, list_args, &list, &error), "%s", error ? error->message : "");
  lines = g_strsplit (list, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      /* "NAME" or "NAME (id: N)" */
      g_auto(GStrv) words = g_strsplit (*l, " ", 2);

      if (words[0] != NULL && strcmp (words[0], name) == 0)
        return TRUE;
    }
  return FALSE;
}

Test (net, free_leaves_no_namespace_and_no_process, .timeout = 90)
{
  g_autofree char *self_net = g_strdup_printf ("/proc/%d/task/%d/ns/net", (int) getpid (), (int) gettid ());
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  char *sleeper[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                      (char *) "--listen", (char *) "tcp:127.0.0.1:0", NULL };
  WsimTestChild daemon;
  GPid pids[3];
  struct stat home;

  make_net (2);
  cr_assert_eq (stat (self_net, &home), 0);
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (names, g_strdup (wsim_test_net_get_name (net, i)));
  g_ptr_array_add (names, g_strdup (wsim_test_net_get_name (net, WSIM_TEST_NET_LAN)));
  for (guint i = 0; i < names->len; i++)
    cr_assert (netns_listed (names->pdata[i]), "%s is not listed", (char *) names->pdata[i]);

  pids[0] = wsim_test_net_start_rpcbind (net, 0, &error);
  cr_assert (pids[0] > 0, "%s", error ? error->message : "");
  g_free (start_wmisimd (1, "tcp:127.0.0.1:0", FALSE, &daemon));
  pids[1] = daemon.pid;
  pids[2] = wsim_test_net_spawn_daemon (net, WSIM_TEST_NET_LAN, sleeper, &error);
  cr_assert (pids[2] > 0, "%s", error ? error->message : "");

  /* Freed from a thread that is on a host: it comes home first. */
  enter (1);
  g_clear_pointer (&net, wsim_test_net_free);
  {
    struct stat now;

    cr_assert_eq (stat (self_net, &now), 0);
    cr_assert (now.st_ino == home.st_ino && now.st_dev == home.st_dev, "the thread was left on host 1");
  }
  for (guint i = 0; i < names->len; i++)
    cr_assert_not (netns_listed (names->pdata[i]), "%s is still there", (char *) names->pdata[i]);
  for (guint i = 0; i < G_N_ELEMENTS (pids); i++)
    cr_assert (kill (pids[i], 0) != 0 && errno == ESRCH, "pid %d is still alive", (int) pids[i]);
  /* The child's pipe is the test's to close (the fixture stopped the process, by pid). */
  close (daemon.stdout_fd);
  g_free (daemon.first_line);
}

static guint64
own_start_time (void)
{
  g_autofree char *text = NULL;
  const char *p;
  guint64 start = 0;

  cr_assert (g_file_get_contents ("/proc/self/stat", &text, NULL, NULL));
  p = strrchr (text, ')') + 1;
  for (int field = 2; field < 21; field++)
    p = strchr (p + 1, ' ');
  cr_assert_eq (sscanf (p, " %" G_GUINT64_FORMAT, &start), 1);
  return start;
}

Test (net, stale_namespaces_of_dead_runs_are_removed, .timeout = 60)
{
  char *truth[] = { (char *) "/bin/true", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dead = NULL, *live = NULL, *foreign = NULL, *why = NULL;
  GPid gone;

  if (!wsim_test_net_available (&why))
    cr_skip_test ("%s", why);
  /* A pid that was and is no more: a crashed run's namespaces carry such a one. */
  gone = wsim_test_spawn_daemon (truth, &error);
  cr_assert (gone > 0, "%s", error ? error->message : "");
  wsim_test_pid_stop (gone);
  dead = g_strdup_printf ("wsimnet-%d-1-0-h0", (int) gone);
  /* A live owner's (this process, another fixture of it) and another tool's stay. */
  live = g_strdup_printf ("wsimnet-%d-%" G_GUINT64_FORMAT "-999999-h0", (int) getpid (), own_start_time ());
  foreign = g_strdup_printf ("wsimtest-other-%d", (int) getpid ());
  extra_netns = g_ptr_array_new_with_free_func (g_free);
  for (const char *const *n = (const char *const[]) { dead, live, foreign, NULL }; *n != NULL; n++)
    {
      const char *args[] = { "netns", "add", *n, NULL };

      g_ptr_array_add (extra_netns, g_strdup (*n));
      cr_assert (wsim_test_net_ip (NULL, args, NULL, &error), "%s", error ? error->message : "");
    }

  make_net (1);
  cr_assert_not (netns_listed (dead), "the dead run's %s was not removed", dead);
  cr_assert (netns_listed (live), "a live owner's %s was removed", live);
  cr_assert (netns_listed (foreign), "%s is not the fixture's to remove", foreign);
  for (const char *const *n = (const char *const[]) { live, foreign, NULL }; *n != NULL; n++)
    {
      const char *args[] = { "netns", "del", *n, NULL };

      cr_assert (wsim_test_net_ip (NULL, args, NULL, &error), "%s", error ? error->message : "");
    }
  g_clear_pointer (&extra_netns, g_ptr_array_unref);
}
