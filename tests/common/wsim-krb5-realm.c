/* wsim-krb5-realm.c: a private Kerberos realm for tests (see wsim-krb5-realm.h). */
#include "wsim-krb5-realm.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "wsim-test-util.h"

/* The tools may live in /usr/sbin, outside a test runner's PATH. */
static const char *
tool (const char *name)
{
  static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *p = g_build_filename (dirs[i], name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_EXECUTABLE))
        return g_intern_string (p);
    }
  return name;
}

static gboolean
run (GError **error, const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  gboolean ok;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) tool (first));
  va_start (ap, first);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  ok = g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, error)
       && g_spawn_check_wait_status (status, error);
  if (!ok && error != NULL && *error != NULL)
    g_prefix_error (error, "%s: %s ", first, err != NULL ? err : "");
  g_ptr_array_free (argv, TRUE);
  return ok;
}

/* A port free on @address for both UDP and TCP (the KDC listens on both). */
static guint16
free_port (const char *address)
{
  g_autoptr(GInetAddress) ip = g_inet_address_new_from_string (address);

  if (ip == NULL)
    return 0;
  for (int attempt = 0; attempt < 50; attempt++)
    {
      GSocketFamily family = g_inet_address_get_family (ip);
      g_autoptr(GSocket) tcp = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GSocket) udp = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (ip, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GSocketAddress) same = NULL;
      guint16 port;

      if (tcp == NULL || udp == NULL)
        return 0;
      if (!g_socket_bind (tcp, any, FALSE, NULL) || (bound = g_socket_get_local_address (tcp, NULL)) == NULL)
        continue;
      port = wsim_test_port (bound);
      same = g_inet_socket_address_new (ip, port);
      if (g_socket_bind (udp, same, FALSE, NULL))
        return port;
    }
  return 0;
}

static gboolean
kdc_answers (gpointer data)
{
  WsimKrb5Realm *r = data;
  g_autoptr(GSocketClient) c = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;

  g_socket_client_set_timeout (c, 1);
  conn = g_socket_client_connect_to_host (c, r->kdc_address, r->port, NULL, NULL);
  return conn != NULL;
}

/* Finding the port and waiting for the KDC happen where the KDC runs: its address may
 * exist only in its network namespace. */
static gboolean
find_port (gpointer data, GError **error)
{
  WsimKrb5Realm *r = data;

  r->port = free_port (r->kdc_address);
  if (r->port == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "no free port for the KDC on %s",
                 r->kdc_address);
  return r->port != 0;
}

static gboolean
wait_for_kdc_on (WsimKrb5Realm *r, GMainContext *ctx, GError **error)
{
  if (wsim_test_run_until (ctx, kdc_answers, r, 10000))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the KDC did not answer on %s port %u",
               r->kdc_address, r->port);
  return FALSE;
}

/* On the caller's thread: its default context, as the realm always did. */
static gboolean
wait_for_kdc_here (gpointer data, GError **error)
{
  return wait_for_kdc_on (data, NULL, error);
}

/* On a thread in the KDC's namespace: a context of its own. */
static gboolean
wait_for_kdc_there (gpointer data, GError **error)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();

  return wait_for_kdc_on (data, ctx, error);
}

static gboolean
where_the_kdc_runs (int netns_fd, WsimTestThreadFunc fn, WsimKrb5Realm *r, GError **error)
{
  if (netns_fd < 0)
    return fn (r, error);
  return wsim_test_in_namespaces (netns_fd, -1, fn, r, error);
}

static void
enter_netns (gpointer data)
{
  /* In the forked child, before exec: a bare syscall. A failure leaves the KDC where it
   * cannot be reached, which wait_for_kdc reports. */
  if (setns (GPOINTER_TO_INT (data), CLONE_NEWNET) != 0)
    _exit (127);
}

/* "host:port" as krb5.conf and kdc.conf want it: IPv6 literals in brackets. */
static char *
host_port (const char *address, guint16 port)
{
  return strchr (address, ':') != NULL ? g_strdup_printf ("[%s]:%u", address, port)
                                       : g_strdup_printf ("%s:%u", address, port);
}

char *
wsim_ntlm_creds_setup (const char *dir)
{
  char *path = g_build_filename (dir, "ntlm-users", NULL);

  g_file_set_contents (path, "WSIM:alice:alice-ntlm-secret\nWSIM:wbem:wbem-ntlm-secret\n", -1, NULL);
  g_setenv ("NTLM_USER_FILE", path, TRUE);
  return path;
}

gboolean
wsim_krb5_realm_start (WsimKrb5Realm *r, GError **error)
{
  return wsim_krb5_realm_start_full (r, NULL, error);
}

gboolean
wsim_krb5_realm_start_full (WsimKrb5Realm *r, const WsimKrb5RealmConfig *config, GError **error)
{
  static const WsimKrb5RealmConfig defaults = WSIM_KRB5_REALM_CONFIG_INIT;
  g_autofree char *kdc_conf = NULL, *ccache = NULL, *db = NULL, *where = NULL;
  g_autofree char *stash = NULL, *acl = NULL, *pidfile = NULL, *text = NULL;
  char *kdc_argv[6];

  if (config == NULL)
    config = &defaults;
  memset (r, 0, sizeof *r);
  r->kdc_address = g_strdup (config->kdc_address != NULL ? config->kdc_address : "127.0.0.1");
  r->dir = g_dir_make_tmp ("wsim-krb5-XXXXXX", error);
  if (r->dir == NULL)
    return FALSE;
  if (!where_the_kdc_runs (config->kdc_netns_fd, find_port, r, error))
    return FALSE;
  where = host_port (r->kdc_address, r->port);
  r->krb5_conf = g_build_filename (r->dir, "krb5.conf", NULL);
  kdc_conf = g_build_filename (r->dir, "kdc.conf", NULL);
  db = g_build_filename (r->dir, "principal", NULL);
  stash = g_build_filename (r->dir, "stash", NULL);
  acl = g_build_filename (r->dir, "kadm5.acl", NULL);
  pidfile = g_build_filename (r->dir, "kdc.pid", NULL);
  ccache = g_strdup_printf ("FILE:%s/ccache", r->dir);
  r->service_keytab = g_build_filename (r->dir, "service.keytab", NULL);
  r->client_keytab = g_build_filename (r->dir, "client.keytab", NULL);

  text = g_strdup_printf ("[libdefaults]\n"
                          "  default_realm = %1$s\n  dns_lookup_realm = false\n  dns_lookup_kdc = false\n"
                          "  rdns = false\n  dns_canonicalize_hostname = false\n  ignore_acceptor_hostname = false\n"
                          "  udp_preference_limit = 1\n"
                          "[realms]\n  %1$s = {\n    kdc = %2$s\n  }\n"
                          "[domain_realm]\n  localhost = %1$s\n  .localhost = %1$s\n",
                          WSIM_TEST_REALM, where);
  if (!g_file_set_contents (r->krb5_conf, text, -1, error))
    return FALSE;
  g_free (text);
  text = g_strdup_printf ("[kdcdefaults]\n  kdc_listen = %2$s\n  kdc_tcp_listen = %2$s\n"
                          "[realms]\n  %1$s = {\n    database_name = %3$s\n    key_stash_file = %4$s\n"
                          "    acl_file = %5$s\n    kdc_listen = %2$s\n    kdc_tcp_listen = %2$s\n"
                          "  }\n[logging]\n  kdc = FILE:%6$s/kdc.log\n",
                          WSIM_TEST_REALM, where, db, stash, acl, r->dir);
  if (!g_file_set_contents (kdc_conf, text, -1, error) || !g_file_set_contents (acl, "", -1, error))
    return FALSE;
  g_clear_pointer (&text, g_free);

  g_setenv ("KRB5_CONFIG", r->krb5_conf, TRUE);
  g_setenv ("KRB5_KDC_PROFILE", kdc_conf, TRUE);
  g_setenv ("KRB5_KTNAME", r->service_keytab, TRUE);
  g_setenv ("KRB5_CLIENT_KTNAME", r->client_keytab, TRUE);
  g_setenv ("KRB5CCNAME", ccache, TRUE);
  g_setenv ("KRB5RCACHETYPE", "none", TRUE);

  if (!run (error, "kdb5_util", "create", "-s", "-r", WSIM_TEST_REALM, "-P", "wsim-master-pw", NULL)
      || !run (error, "kadmin.local", "-r", WSIM_TEST_REALM, "-q", "addprinc -randkey alice", NULL)
      || !run (error, "kadmin.local", "-r", WSIM_TEST_REALM, "-q", "addprinc -randkey wbem/localhost", NULL)
      || !run (error, "kadmin.local", "-r", WSIM_TEST_REALM, "-q",
               (text = g_strdup_printf ("ktadd -k %s wbem/localhost", r->service_keytab)), NULL))
    return FALSE;
  g_clear_pointer (&text, g_free);
  for (const char *const *s = config->services; s != NULL && *s != NULL; s++)
    {
      g_autofree char *add = g_strdup_printf ("addprinc -randkey %s", *s);
      g_autofree char *kt = g_strdup_printf ("ktadd -k %s %s", r->service_keytab, *s);

      if (!run (error, "kadmin.local", "-r", WSIM_TEST_REALM, "-q", add, NULL)
          || !run (error, "kadmin.local", "-r", WSIM_TEST_REALM, "-q", kt, NULL))
        return FALSE;
    }
  if (!run (error, "kadmin.local", "-r", WSIM_TEST_REALM, "-q",
            (text = g_strdup_printf ("ktadd -k %s alice", r->client_keytab)), NULL))
    return FALSE;
  g_clear_pointer (&text, g_free);
  /* alice's key in the service keytab too, as a sink host's acceptor has it when the server
   * calls the user back (a context targeted at alice@WSIM.TEST). -norandkey copies the key
   * the client keytab has: ktadd without it would make a new one and void that keytab. */
  if (!run (error, "kadmin.local", "-r", WSIM_TEST_REALM, "-q",
            (text = g_strdup_printf ("ktadd -k %s -norandkey alice", r->service_keytab)), NULL))
    return FALSE;

  kdc_argv[0] = (char *) tool ("krb5kdc");
  kdc_argv[1] = (char *) "-n";
  kdc_argv[2] = (char *) "-r";
  kdc_argv[3] = (char *) WSIM_TEST_REALM;
  kdc_argv[4] = NULL;
  r->kdc_pid = config->kdc_netns_fd < 0
                 ? wsim_test_spawn_daemon (kdc_argv, error)
                 : wsim_test_spawn_daemon_full (kdc_argv, NULL, G_SPAWN_DEFAULT, enter_netns,
                                                GINT_TO_POINTER (config->kdc_netns_fd), error);
  if (r->kdc_pid == 0)
    return FALSE;
  if (config->kdc_netns_fd < 0 ? !wait_for_kdc_here (r, error)
                                : !where_the_kdc_runs (config->kdc_netns_fd, wait_for_kdc_there, r, error))
    return FALSE;
  r->ntlm_file = wsim_ntlm_creds_setup (r->dir);
  return TRUE;
}

void
wsim_krb5_realm_stop (WsimKrb5Realm *r)
{
  if (r->kdc_pid > 0)
    wsim_test_pid_stop (r->kdc_pid);
  r->kdc_pid = 0;
  if (r->dir != NULL)
    wsim_test_remove_dir (r->dir);
  g_clear_pointer (&r->dir, g_free);
  g_clear_pointer (&r->service_keytab, g_free);
  g_clear_pointer (&r->client_keytab, g_free);
  g_clear_pointer (&r->ntlm_file, g_free);
  g_clear_pointer (&r->kdc_address, g_free);
  g_clear_pointer (&r->krb5_conf, g_free);
}
