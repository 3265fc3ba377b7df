/* test-cli-sysprops.c: wmisim --system-properties, on the classes of
 * docs/examples/sim-test.mof served by the embedded server.
 *
 * Owns the proof that the option puts WMI's system properties (__GENUS … __PATH, computed
 * by the client) before the properties in each format, that a WHERE on __CLASS works from
 * the command line, and that the option is refused where it means nothing (ping). */
#include <criterion/criterion.h>
#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "wsim-test-spawn.h"

TestSuite (cli_sysprops, .timeout = 30);

/* Runs wmisim on the example MOF in root\test with @extra arguments (NULL-terminated);
 * returns its exit status, stdout in @out (transfer full). */
static int
wmisim (char **out, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  const char *a = first;
  int status;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) WSIM_WMISIM);
  g_ptr_array_add (argv, (gpointer) "--provider-dir");
  g_ptr_array_add (argv, (gpointer) WSIM_TEST_PROVIDER_DIR);
  g_ptr_array_add (argv, (gpointer) "--mof");
  g_ptr_array_add (argv, (gpointer) WSIM_MOF_EXAMPLE);
  g_ptr_array_add (argv, (gpointer) "-n");
  g_ptr_array_add (argv, (gpointer) "root\\test");
  va_start (ap, first);
  for (; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  status = wsim_test_spawn ((const char *const *) argv->pdata, NULL, out, &err);
  if (status != 0)
    cr_log_info ("wmisim: %s", err);
  return status;
}

Test (cli_sysprops, json_puts_them_first)
{
  g_autofree char *out = NULL;
  g_autofree char *want = g_strdup_printf (
    "{\"__GENUS\":2,\"__CLASS\":\"Sim_Widget\",\"__SUPERCLASS\":\"Sim_Thing\",\"__DYNASTY\":\"Sim_Thing\","
    "\"__RELPATH\":\"Sim_Widget.Name=\\\"gamma\\\"\",\"__PROPERTY_COUNT\":11,"
    "\"__DERIVATION\":[\"Sim_Thing\"],\"__SERVER\":\"%s\",\"__NAMESPACE\":\"root\\\\test\","
    "\"__PATH\":\"\\\\\\\\%s\\\\root\\\\test:Sim_Widget.Name=\\\"gamma\\\"\",\"Name\":\"gamma\",\"Count\":7",
    g_get_host_name (), g_get_host_name ());

  cr_assert_eq (wmisim (&out, "-f", "json", "--system-properties", "enum", "Sim_Thing", NULL), 0);
  cr_assert (strstr (out, want) != NULL, "%s\nwanted %s", out, want);
  cr_assert (strstr (out, "\"__CLASS\":\"Sim_Widget\",\"Name\"") == NULL, "__CLASS once: %s", out);
}

Test (cli_sysprops, csv_header_and_where_on_class)
{
  g_autofree char *out = NULL;
  g_autofree char *plain = NULL;
  g_auto (GStrv) lines = NULL;

  cr_assert_eq (wmisim (&out, "-f", "csv", "--system-properties", "query",
                        "SELECT Name FROM Sim_Thing WHERE __CLASS = 'Sim_Widget' AND __RELPATH = "
                        "'Sim_Widget.Name=\"alpha\"'", NULL), 0);
  lines = g_strsplit (out, "\n", -1);
  cr_assert (g_str_has_prefix (lines[0], "__GENUS,__CLASS,__SUPERCLASS,__DYNASTY,__RELPATH,"
                               "__PROPERTY_COUNT,__DERIVATION,__SERVER,__NAMESPACE,__PATH,Name"), "%s", out);
  cr_assert (g_str_has_suffix (lines[0], ",__PATH,Name"), "the selected column alone: %s", lines[0]);
  cr_assert (g_str_has_prefix (lines[1], "2,Sim_Widget,Sim_Thing,Sim_Thing,\"Sim_Widget.Name=\"\"alpha\"\"\",11,"
                               "{Sim_Thing},"), "%s", out);
  cr_assert_str_eq (lines[2], "", "one row: %s", out);
  /* Without the option the rows are as before. */
  cr_assert_eq (wmisim (&plain, "-f", "csv", "query", "SELECT Name FROM Sim_Thing WHERE __CLASS = 'Sim_Widget'",
                        NULL), 0);
  cr_assert (g_str_has_prefix (plain, "Name\n"), "%s", plain);
}

Test (cli_sysprops, table_and_refusal)
{
  g_autofree char *out = NULL;
  g_autofree char *list = NULL;
  g_autofree char *ping = NULL;

  /* Each column as wide as its widest cell, two blanks between. */
  cr_assert_eq (wmisim (&out, "--system-properties", "-f", "table", "get", "Sim_Widget.Name=\"gamma\"",
                        NULL), 0);
  cr_assert (strstr (out, "\n__GENUS  __CLASS     __SUPERCLASS  ") != NULL, "%s", out);
  cr_assert (strstr (out, "\n2        Sim_Widget  Sim_Thing     ") != NULL, "%s", out);
  /* Without -f, one instance this wide is a list, the system properties first. */
  cr_assert_eq (wmisim (&list, "--system-properties", "get", "Sim_Widget.Name=\"gamma\"", NULL), 0);
  cr_assert (strstr (list, "\n__GENUS=2\n__CLASS=Sim_Widget\n__SUPERCLASS=Sim_Thing\n") != NULL, "%s",
             list);
  cr_assert_eq (wmisim (&ping, "--system-properties", "ping", NULL), 2, "not for ping");
}
