/* test-cli.c: wmisim from the outside: what it prints and how it exits. */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  char *out;
  char *err;
  int   status;   /* exit status */
} Run;

static Run
run (const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run r = { 0 };
  const char *a;
  va_list ap;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) WSIM_WMISIM);
  g_ptr_array_add (argv, (gpointer) "--provider-dir");
  g_ptr_array_add (argv, (gpointer) WSIM_TEST_PROVIDER_DIR);
  va_start (ap, first);
  for (a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  cr_assert (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out,
                           &r.err, &wait_status, &error), "%s", error ? error->message : "");
  g_ptr_array_free (argv, TRUE);
  cr_assert (WIFEXITED (wait_status), "wmisim did not exit normally");
  r.status = WEXITSTATUS (wait_status);
  return r;
}

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

Test (cli, enum_json_lists_this_process, .timeout = 30)
{
  Run r = run ("enum", "Win32_Process", "-f", "json", NULL);
  g_autofree char *want = g_strdup_printf ("\"Handle\":\"%d\"", getpid ());
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);
  guint objects = 0;

  cr_assert_eq (r.status, 0, "%s", r.err);
  for (char **l = lines; *l != NULL; l++)
    if (**l == '{')
      {
        cr_assert (g_str_has_prefix (*l, "{\"__CLASS\":\"Win32_Process\""), "%s", *l);
        cr_assert (g_str_has_suffix (*l, "}"));
        objects++;
      }
  cr_assert_gt (objects, 1);
  cr_assert (strstr (r.out, want) != NULL, "this test's own process is missing");
  cr_assert (strstr (r.err, "final SetStatus: WBEM_S_NO_ERROR (0x00000000)") != NULL, "%s", r.err);
  run_clear (&r);
}

Test (cli, csv_has_a_header_and_quotes, .timeout = 30)
{
  Run r = run ("enum", "Sim_Sequence", "-f", "csv", "-p", "sim-sequence:count=3;props=2;size=4", NULL);
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);

  cr_assert_eq (r.status, 0, "%s", r.err);
  cr_assert (g_str_has_prefix (lines[0], "Id,P1,P2,P3"), "%s", lines[0]);
  cr_assert (g_str_has_prefix (lines[1], "0,0001,0002,,"), "%s", lines[1]);
  cr_assert (g_str_has_prefix (lines[3], "2,0201,0202,,"), "%s", lines[3]);
  run_clear (&r);
}

Test (cli, failures_exit_1_with_status_name_and_value, .timeout = 30)
{
  struct { const char *cmd, *arg, *says; } cases[] = {
    { "enum", "No_Such_Class", "WBEM_E_INVALID_CLASS (0x80041010)" },
    { "get", "Win32_Process.Handle=\"1", "WBEM_E_INVALID_OBJECT_PATH (0x8004103A)" },
    { "get", "Win32_Process.Handle=\"999999999\"", "WBEM_E_NOT_FOUND (0x80041002)" },
    { "query", "SELECT * FROM Win32_Process WHER Name = 1", "position 29" },
    { "enum", "Sim_Faulty", "WBEM_E_INVALID_PARAMETER (0x80041008)" },   /* no mode */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run r = run (cases[i].cmd, cases[i].arg, NULL);

      cr_assert_eq (r.status, 1, "%s %s: exit %d", cases[i].cmd, cases[i].arg, r.status);
      cr_assert (strstr (r.err, cases[i].says) != NULL, "%s %s: %s", cases[i].cmd, cases[i].arg, r.err);
      run_clear (&r);
    }
}

Test (cli, cancel_after_cancels_with_the_same_sink, .timeout = 60)
{
  Run r = run ("enum", "Sim_Sequence", "-f", "json", "--cancel-after", "2000", "-p",
               "sim-sequence:count=1000000", NULL);

  cr_assert_eq (r.status, 0, "cancelling on request is success: %s", r.err);
  cr_assert (strstr (r.err, "CancelAsyncCall after") != NULL, "%s", r.err);
  cr_assert (strstr (r.err, "WBEM_E_CALL_CANCELLED (0x80041032)") != NULL, "%s", r.err);
  run_clear (&r);
}

Test (cli, trace_and_query, .timeout = 30)
{
  Run r = run ("query", "SELECT Id FROM Sim_Sequence WHERE Id >= 2", "--trace", "-f", "json",
               "-p", "sim-sequence:count=5", NULL);

  cr_assert_eq (r.status, 0, "%s", r.err);
  cr_assert (strstr (r.out, "{\"__CLASS\":\"Sim_Sequence\",\"Id\":4,\"P1\":null") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "\"Id\":1,") == NULL, "Id 1 does not match");
  cr_assert (strstr (r.err, "\"event\":\"start\"") != NULL, "%s", r.err);
  cr_assert (strstr (r.err, "\"event\":\"final\",\"hresult\":\"0x00000000\"") != NULL, "%s", r.err);
  run_clear (&r);
}

Test (cli, usage_errors_exit_2, .timeout = 30)
{
  Run a = run ("frobnicate", NULL);
  Run b = run ("enum", "X", "-f", "yaml", NULL);
  Run c = run ("enum", "X", "-p", "nocolon", NULL);

  cr_assert_eq (a.status, 2);
  cr_assert (strstr (a.err, "usage") != NULL, "%s", a.err);
  cr_assert_eq (b.status, 2);
  cr_assert (strstr (b.err, "unknown format 'yaml'") != NULL, "%s", b.err);
  cr_assert_eq (c.status, 2);
  run_clear (&a);
  run_clear (&b);
  run_clear (&c);
}

/* Security: wmic's default (PKT_PRIVACY, IMPERSONATE, NTLMSSP over the process's own local
 * account), the level options, a moniker, and how refusals exit. */
Test (cli, security_default_options_and_moniker, .timeout = 60)
{
  g_autofree char *who = g_strdup_printf ("\"principal\":\"WMISIM\\\\%s\"", g_get_user_name ());
  Run def = run ("enum", "Win32_OperatingSystem", "--trace", "-f", "json", NULL);
  Run none = run ("enum", "Win32_OperatingSystem", "--trace", "-f", "json", "-a", "none", NULL);
  Run mon = run ("enum", "Win32_OperatingSystem", "-f", "json", "--moniker",
                 "winmgmts:{impersonationLevel=identify,authenticationLevel=pktIntegrity}!//./root/cimv2",
                 "--trace", NULL);

  cr_assert_eq (def.status, 0, "%s", def.err);
  cr_assert (strstr (def.err, "security: RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE, NTLMSSP")
             != NULL, "%s", def.err);
  cr_assert (strstr (def.err, "\"level\":\"pktPrivacy\",\"mech\":\"ntlm\"") != NULL, "%s", def.err);
  cr_assert (strstr (def.err, who) != NULL, "the server names the caller: %s", def.err);
  cr_assert_eq (none.status, 0, "%s", none.err);
  cr_assert (strstr (none.err, "\"level\":\"none\",\"detail\"") != NULL, "no mechanism, nobody: %s", none.err);
  cr_assert_eq (mon.status, 0, "%s", mon.err);
  cr_assert (strstr (mon.err, "security: RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_IMP_LEVEL_IDENTIFY")
             != NULL, "%s", mon.err);
  cr_assert (strstr (mon.err, "\"level\":\"pktIntegrity\"") != NULL, "%s", mon.err);
  run_clear (&def);
  run_clear (&none);
  run_clear (&mon);
}

Test (cli, security_refusals, .timeout = 60)
{
  Run level = run ("enum", "X", "-a", "pktPrivcy", NULL);
  Run authority = run ("enum", "X", "--authority", "basic:me", NULL);
  Run object = run ("enum", "X", "--moniker", "winmgmts:Win32_Process", NULL);
  Run nobody = run ("enum", "Win32_OperatingSystem", "--user", "WMISIM\\nobody", NULL);

  cr_assert_eq (level.status, 2);
  cr_assert (strstr (level.err, "unknown authentication level 'pktPrivcy'") != NULL, "%s", level.err);
  cr_assert_eq (authority.status, 2);
  cr_assert (strstr (authority.err, "MK_E_SYNTAX (0x800401E4)") != NULL, "%s", authority.err);
  cr_assert_eq (object.status, 2);
  cr_assert (strstr (object.err, "names an object (Win32_Process)") != NULL, "%s", object.err);
  cr_assert_eq (nobody.status, 1);
  cr_assert (strstr (nobody.err, "E_ACCESSDENIED (0x80070005)") != NULL, "%s", nobody.err);
  run_clear (&level);
  run_clear (&authority);
  run_clear (&object);
  run_clear (&nobody);
}
