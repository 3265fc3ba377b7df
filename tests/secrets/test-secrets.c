/* test-secrets.c: no secret outlives its process (docs/security.md, "Private directories").
 *
 * A real wmisim, with the embedded server's NTLMSSP account provisioned (NTLM_USER_FILE
 * unset: wmisim-account-*) and its sink a stub (the helper's wmisim-unsecapp-*), in a
 * private TMPDIR, ends with its call open in each way: it exits by itself (the call
 * succeeds; the call fails), it is sent SIGTERM or SIGINT, it is killed with SIGKILL. The
 * first four must leave nothing behind by themselves: they run with a watchdog that removes
 * nothing ($WSIM_WATCHDOG=/bin/true), so only the process's own cleanup counts. SIGKILL runs
 * nothing in the process: the real watchdog must remove both directories after it. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wsim-test-util.h"

#define WAIT_MS 90000   /* a wmisim under valgrind on a loaded machine starts slowly */

typedef struct {
  char          *tmpdir;   /* (owned) the child's TMPDIR */
  WsimTestChild  child;
} Run;

/* Counts the entries of @dir named wmisim-@kind-* (kind NULL: any wmisim-*). */
static guint
count_dirs (const char *dir, const char *kind)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strdup_printf ("wmisim-%s", kind != NULL ? kind : "");
  const char *name;
  guint n = 0;

  cr_assert_not_null (d, "%s", dir);
  while ((name = g_dir_read_name (d)) != NULL)
    n += g_str_has_prefix (name, prefix);
  return n;
}

static gboolean
no_dirs_left (gpointer data)
{
  return count_dirs (data, NULL) == 0;
}

/* Reads the child's stdout until a line starts with @prefix (bounded). */
static void
read_until_line (Run *r, const char *prefix)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  for (;;)
    {
      GPollFD pfd = { r->child.stdout_fd, G_IO_IN, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char c;

      cr_assert (left > 0 && g_poll (&pfd, 1, (gint) left) > 0, "no \"%s\" line in time", prefix);
      cr_assert_eq (read (r->child.stdout_fd, &c, 1), 1, "wmisim ended before \"%s\"", prefix);
      if (c != '\n')
        {
          g_string_append_c (line, c);
          continue;
        }
      if (g_str_has_prefix (line->str, prefix))
        return;
      g_string_truncate (line, 0);
    }
}

/* Starts wmisim CALL... with a stub sink and NTLMSSP's local account, and returns once its
 * call is open (the "sink: a stub" line follows the call's start) with both directories. */
static void
start (Run *r, gboolean real_watchdog, const char *const *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_get_environ ();

  r->tmpdir = g_dir_make_tmp ("wsim-test-secrets-XXXXXX", &error);
  cr_assert_not_null (r->tmpdir, "%s", error != NULL ? error->message : "");
  env = g_environ_setenv (env, "WSIM_PROVIDER_DIR", WSIM_TEST_PROVIDER_DIR, TRUE);
  env = g_environ_setenv (env, "TMPDIR", r->tmpdir, TRUE);
  env = g_environ_unsetenv (env, "NTLM_USER_FILE");
  env = real_watchdog ? g_environ_unsetenv (env, "WSIM_WATCHDOG")
                      : g_environ_setenv (env, "WSIM_WATCHDOG", "/bin/true", TRUE);
  g_ptr_array_add (argv, (gpointer) WSIM_WMISIM);
  for (const char *const *a = call; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, (gpointer) "--stub");
  g_ptr_array_add (argv, (gpointer) "dont-check");
  g_ptr_array_add (argv, NULL);
  cr_assert (wsim_test_child_spawn_full (&r->child, (char **) argv->pdata, env, NULL, NULL, WAIT_MS,
                                         &error), "wmisim: %s", error->message);
  cr_assert (g_str_has_prefix (r->child.first_line, "security: "), "%s", r->child.first_line);
  cr_assert (strstr (r->child.first_line, "NTLMSSP") != NULL, "%s", r->child.first_line);
  read_until_line (r, "sink: a stub in the unsecured apartment");
  cr_assert_eq (count_dirs (r->tmpdir, "account-"), 1, "no local account in %s", r->tmpdir);
  cr_assert_eq (count_dirs (r->tmpdir, "unsecapp-"), 1, "no apartment directory in %s", r->tmpdir);
}

/* Ends the child with @sig (0: waits for it to exit by itself: its stdout's end of file,
 * bounded, then the reaping) and returns its wait status. */
static int
end (Run *r, int sig)
{
  int status;

  if (sig == 0)
    {
      gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;
      char buf[256];
      gssize n;

      do
        {
          GPollFD pfd = { r->child.stdout_fd, G_IO_IN, 0 };
          gint64 left = (deadline - g_get_monotonic_time ()) / 1000;

          cr_assert (left > 0 && g_poll (&pfd, 1, (gint) left) > 0, "wmisim did not exit in time");
          n = read (r->child.stdout_fd, buf, sizeof buf);
        }
      while (n > 0);
    }
  status = wsim_test_pid_stop_with (r->child.pid, sig);

  r->child.pid = 0;
  wsim_test_child_stop (&r->child);   /* its stdout */
  return status;
}

static void
finish (Run *r)
{
  g_rmdir (r->tmpdir);   /* fails if anything was left: the assertions said what */
  g_free (r->tmpdir);
}

static const char *const call_ok[] = {
  "enum", "Sim_Sequence", "-p", "sim-sequence:count=3;delay_ms=1000", NULL,
};
static const char *const call_fails[] = {   /* WBEM_E_NOT_FOUND after the delay */
  "get", "Sim_Sequence.Id=99", "-p", "sim-sequence:count=3;delay_ms=1000", NULL,
};
static const char *const call_open[] = {   /* open until it is ended */
  "enum", "Sim_Sequence", "-p", "sim-sequence:count=3;delay_ms=600000", NULL,
};

TestSuite (secrets, .timeout = 240);

/* The call ends by itself and so does the tool, with @exit_status. */
static void
check_exit_cleans (const char *const *call, int exit_status)
{
  Run r = { 0 };
  int status;

  start (&r, FALSE, call);
  status = end (&r, 0);
  cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == exit_status, "wait status %#x", status);
  cr_assert_eq (count_dirs (r.tmpdir, NULL), 0, "left in %s", r.tmpdir);
  finish (&r);
}

Test (secrets, exit_normally_removes_both)
{
  check_exit_cleans (call_ok, 0);
}

Test (secrets, error_exit_removes_both)
{
  check_exit_cleans (call_fails, 1);
}

/* The tool takes the signal, cleans up as on any exit, and dies of the same signal. */
static void
check_signal_cleans (int sig)
{
  Run r = { 0 };
  int status;

  start (&r, FALSE, call_open);
  status = end (&r, sig);
  cr_assert (WIFSIGNALED (status) && WTERMSIG (status) == sig, "wait status %#x", status);
  cr_assert_eq (count_dirs (r.tmpdir, NULL), 0, "left in %s", r.tmpdir);
  finish (&r);
}

Test (secrets, sigterm_removes_both)
{
  check_signal_cleans (SIGTERM);
}

Test (secrets, sigint_removes_both)
{
  check_signal_cleans (SIGINT);
}

/* Nothing runs in the process: its watchdogs see their end of file and remove the
 * directories (and the account file's password with them). */
Test (secrets, sigkill_leaves_nothing_once_the_watchdogs_ran)
{
  Run r = { 0 };
  int status;

  start (&r, TRUE, call_open);
  status = end (&r, SIGKILL);
  cr_assert (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL, "wait status %#x", status);
  cr_assert (wsim_test_run_until (NULL, no_dirs_left, r.tmpdir, WAIT_MS), "left in %s", r.tmpdir);
  finish (&r);
}
