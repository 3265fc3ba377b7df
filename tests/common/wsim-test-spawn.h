/* wsim-test-spawn.h: running one of the project's programs from a test, to its exit, with
 * what it printed (tests/cli). Header only: the programs' tests link nothing else of ours.
 *
 * Threading: the test's thread; the child is waited for before these return. */
#pragma once

#include <criterion/criterion.h>
#include <glib.h>
#include <sys/wait.h>

/* One run: what the child printed (owned) and how it exited. */
typedef struct {
  char *out;
  char *err;
  int   status;   /* exit status */
} WsimTestRun;

static inline void
wsim_test_run_clear (WsimTestRun *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WsimTestRun, wsim_test_run_clear)

/* Runs @argv (NULL-terminated; argv[0] a path) in @env (NULL: this process's) to its end.
 * The test fails if it cannot start or does not exit by itself (a signal).
 * Returns: its exit status; *@out and *@err (nullable pointers) what it wrote (transfer full). */
static inline int
wsim_test_spawn (const char *const *argv, char **env, char **out, char **err)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  cr_assert (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                           &wait_status, &error),
             "%s: %s", argv[0], error != NULL ? error->message : "");
  cr_assert (WIFEXITED (wait_status), "%s did not exit normally", argv[0]);
  return WEXITSTATUS (wait_status);
}

/* wsim_test_spawn() into a WsimTestRun. */
static inline WsimTestRun
wsim_test_spawn_run (const char *const *argv, char **env)
{
  WsimTestRun r = { 0 };

  r.status = wsim_test_spawn (argv, env, &r.out, &r.err);
  return r;
}
