/* test-cli-semisync.c: `wmisim enum|query --semisync` prints what the async call prints.
 *
 * wmisim runs as a child process with its embedded server and the test providers; each
 * test runs the same command with and without --semisync and compares. */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-test-spawn.h"

/* Runs wmisim with @args, and --semisync after them when @semisync. */
static WsimTestRun
run (gboolean semisync, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "WSIM_PROVIDER_DIR",
                                         WSIM_TEST_PROVIDER_DIR, TRUE);

  g_ptr_array_add (argv, (gpointer) WSIM_WMISIM);
  if (semisync)
    g_ptr_array_add (argv, (gpointer) "--semisync");
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  return wsim_test_spawn_run ((const char *const *) argv->pdata, env);
}

/* The same output (stdout: the instances; stderr up to the final line, whose count of
 * Indicate calls is the batching's) and exit status, with and without --semisync. */
/* Returns: (transfer none) (nullable) where the counts of @err's "final SetStatus:" line
 * start: after the last "; " of that line. */
static const char *
counts_of (const char *err)
{
  const char *line = strstr (err, "final SetStatus:"), *end, *counts;

  if (line == NULL)
    return NULL;
  end = strchr (line, '\n');
  counts = g_strrstr_len (line, end != NULL ? end - line : -1, "; ");
  return counts;
}

static void
assert_same (const char *const *args, int want_status)
{
  WsimTestRun a = run (FALSE, args), s = run (TRUE, args);

  cr_assert_eq (a.status, want_status, "async exit %d: %s", a.status, a.err);
  cr_assert_eq (s.status, a.status, "semisync exit %d: %s", s.status, s.err);
  cr_assert_str_eq (s.out, a.out);
  {
    /* Up to the final line's counts ("…; N instances in M Indicate calls"), which the
     * batching decides: the two paths batch differently. */
    const char *fa = counts_of (a.err), *fs = counts_of (s.err);

    cr_assert_not_null (fa, "%s", a.err);
    cr_assert_not_null (fs, "%s", s.err);
    cr_assert_eq (fa - a.err, fs - s.err, "async:\n%s\nsemisync:\n%s", a.err, s.err);
    cr_assert (strncmp (a.err, s.err, (gsize) (fa - a.err)) == 0, "async:\n%s\nsemisync:\n%s",
               a.err, s.err);
  }
  wsim_test_run_clear (&a);
  wsim_test_run_clear (&s);
}

Test (semisync, cli_enum_prints_what_async_prints, .timeout = 60)
{
  const char *const args[] = { "--format", "json", "--param", "sim-sequence:count=250",
                               "enum", "Sim_Sequence", NULL };

  assert_same (args, 0);
}

Test (semisync, cli_query_prints_what_async_prints, .timeout = 60)
{
  const char *const args[] = { "--format", "csv", "--param", "sim-sequence:count=30",
                               "query", "SELECT Id, P1 FROM Sim_Sequence WHERE Id >= 7", NULL };

  assert_same (args, 0);
}

Test (semisync, cli_a_failure_prints_what_async_prints, .timeout = 60)
{
  const char *const args[] = { "--format", "json", "--param", "sim-faulty:mode=error",
                               "enum", "Sim_Faulty", NULL };
  WsimTestRun s = run (TRUE, args);

  cr_assert (strstr (s.err, "simulated failure") != NULL, "%s", s.err);
  cr_assert (strstr (s.err, "error object: ") != NULL, "%s", s.err);
  wsim_test_run_clear (&s);
  assert_same (args, 1);
}

Test (semisync, cli_semisync_is_refused_where_it_does_not_apply, .timeout = 60)
{
  const char *const get[] = { "get", "Sim_Sequence.Id=1", NULL };
  const char *const cancel[] = { "--cancel-after", "3", "enum", "Sim_Sequence", NULL };
  WsimTestRun g = run (TRUE, get), c = run (TRUE, cancel);

  cr_assert_eq (g.status, 2, "%s", g.err);
  cr_assert (strstr (g.err, "--semisync does not apply to get") != NULL, "%s", g.err);
  cr_assert_eq (c.status, 2, "%s", c.err);
  cr_assert (strstr (c.err, "--cancel-after") != NULL, "%s", c.err);
  wsim_test_run_clear (&g);
  wsim_test_run_clear (&c);
}
