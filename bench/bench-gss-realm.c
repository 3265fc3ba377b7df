/* bench-gss-realm.c: a private Kerberos realm and an NTLM credentials file for the security
 * benchmark (run-gss.sh), kept alive for as long as the script needs them.
 *
 *   bench-gss-realm
 *
 * Starts the test fixture's realm (tests/common/wsim-krb5-realm.c: a temporary directory, a
 * KDC on a free loopback port, keytabs for wbem/localhost and alice, an NTLM_USER_FILE), then
 * prints on stdout one NAME=VALUE line per environment variable a GSS-API process needs to
 * use it, a line KDC_PID=N, and a last line READY. It then waits until its stdin reaches end
 * of file or it gets SIGTERM, SIGINT or SIGHUP, stops the KDC by its pid, removes the
 * directory and exits 0.
 *
 * Why a program rather than shell: the fixture already knows how to build the realm the
 * tests trust, and one copy of that knowledge is enough. Why stdin: a script that dies
 * without running its EXIT trap still closes the pipe, so the realm does not outlive it.
 *
 * Not a test and not installed: see bench/README.md.
 */
#include <stdio.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>

#include "wsim-krb5-realm.h"

/* What wsim_krb5_realm_start() points the process environment at. */
static const char *const realm_env[] = {
  "KRB5_CONFIG", "KRB5_KDC_PROFILE", "KRB5_KTNAME", "KRB5_CLIENT_KTNAME",
  "KRB5CCNAME", "KRB5RCACHETYPE", "NTLM_USER_FILE",
};

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_stdin (gint fd, GIOCondition cond, gpointer loop)
{
  char buf[256];
  ssize_t n = read (fd, buf, sizeof buf);

  /* Anything written is ignored; end of file (or an error) means the script is gone. The
   * source stays: main() removes it with the others once the loop has stopped. */
  if (n <= 0)
    g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
main (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  WsimKrb5Realm realm;
  guint ids[4];

  if (!wsim_krb5_realm_start (&realm, &error))
    {
      fprintf (stderr, "bench-gss-realm: %s\n", error->message);
      wsim_krb5_realm_stop (&realm);
      return 1;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (realm_env); i++)
    printf ("%s=%s\n", realm_env[i], g_getenv (realm_env[i]));
  printf ("KDC_PID=%d\nREADY\n", (int) realm.kdc_pid);
  fflush (stdout);

  ids[0] = g_unix_signal_add (SIGTERM, on_signal, loop);
  ids[1] = g_unix_signal_add (SIGINT, on_signal, loop);
  ids[2] = g_unix_signal_add (SIGHUP, on_signal, loop);
  ids[3] = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  g_main_loop_run (loop);
  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    g_source_remove (ids[i]);

  wsim_krb5_realm_stop (&realm);
  return 0;
}
