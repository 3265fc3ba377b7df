/* test-cli-mof.c: MOF-defined classes served for real: wmisim's embedded server and
 * wmisimd loaded with --mof, and wmisim mofcomp.
 *
 * wmisim and wmisimd run as child processes; the classes and instances come from
 * docs/examples/sim-test.mof (and small files written here for the errors). */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wsim-test-mof-file.h"
#include "wsim-test-spawn.h"

/* Runs @prog with @args (NULL-terminated), the test providers on $WSIM_PROVIDER_DIR. */
static WsimTestRun
run_prog (const char *prog, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "WSIM_PROVIDER_DIR",
                                         WSIM_TEST_PROVIDER_DIR, TRUE);

  g_ptr_array_add (argv, (gpointer) prog);
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  return wsim_test_spawn_run ((const char *const *) argv->pdata, env);
}

TestSuite (cli_mof, .timeout = 30);

Test (cli_mof, enum_mof_class)
{
  const char *args[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "-f", "json", "enum",
                         "Sim_Thing", NULL };
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, args);

  cr_assert_eq (r.status, 0, "%s", r.err);
  /* Enumerating the abstract base reaches the subclass's instances, each whole. */
  cr_assert (strstr (r.out, "{\"__CLASS\":\"Sim_Widget\",\"Name\":\"alpha\",\"Count\":3,"
                     "\"Enabled\":true,\"Weight\":1.5,\"Offset\":-2,"
                     "\"Serial\":\"18446744073709551615\",\"Grade\":\"A\","
                     "\"Made\":\"20240101120000.000000+000\",\"Tags\":[\"red\",\"small\"],"
                     "\"Levels\":[1,2,3],\"Owner\":null}") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "\"Name\":\"beta \\\"quoted\\\"\",\"Count\":1,\"Enabled\":false")
             != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "\"Owner\":\"Sim_Widget.Name=\\\"alpha\\\"\"") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "\"Name\":\"gamma\",\"Count\":7") != NULL, "%s", r.out);
  cr_assert (strstr (r.err, "3 instances") != NULL, "%s", r.err);
}

Test (cli_mof, query_and_get)
{
  const char *q[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "-f", "csv", "query",
                      "SELECT Name FROM Sim_Widget WHERE Count > 2 AND Enabled = TRUE", NULL };
  const char *g[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "-f", "json", "get",
                      "Sim_Widget.Name=\"gamma\"", NULL };
  const char *missing[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "get",
                            "Sim_Widget.Name=\"delta\"", NULL };
  g_auto (WsimTestRun) rq = run_prog (WSIM_WMISIM, q);
  g_auto (WsimTestRun) rg = run_prog (WSIM_WMISIM, g);
  g_auto (WsimTestRun) rm = run_prog (WSIM_WMISIM, missing);

  cr_assert_eq (rq.status, 0, "%s", rq.err);
  /* Only the selected column: the rest of the partial instance was not asked for. */
  cr_assert_str_eq (rq.out, "Name\nalpha\ngamma\n");
  cr_assert (strstr (rq.out, "beta") == NULL, "%s", rq.out);
  cr_assert_eq (rg.status, 0, "%s", rg.err);
  cr_assert (strstr (rg.out, "\"Name\":\"gamma\",\"Count\":7,\"Enabled\":true") != NULL, "%s",
             rg.out);
  cr_assert_neq (rm.status, 0);
  cr_assert (strstr (rm.out, "WBEM_E_NOT_FOUND") != NULL || strstr (rm.err, "WBEM_E_NOT_FOUND") != NULL,
             "%s%s", rm.out, rm.err);
}

/* A MOF class deriving from a provider's class: both are served, each by its own. */
Test (cli_mof, derives_from_provider_class)
{
  char *path = wsim_test_mof_write ("class Sim_Special : Sim_Sequence { string Note; };\n"
                          "instance of Sim_Special { Id = 1000; Note = \"from MOF\"; };\n"
                          "#pragma namespace(\"root\\\\cimv2\")\n"
                          "class Sim_Special : Sim_Sequence { string Note; };\n"
                          "instance of Sim_Special { Id = 1000; Note = \"from MOF\"; };\n");
  const char *args[] = { "--mof", path, "-p", "sim-sequence:count=2", "-f", "json", "enum",
                         "Sim_Sequence", NULL };
  g_auto (WsimTestRun) r = { 0 };

  /* In root\default (no pragma yet) there is no Sim_Sequence: refused where it is named. */
  r = run_prog (WSIM_WMISIM, args);
  cr_assert_eq (r.status, 1, "%s", r.out);
  cr_assert (strstr (r.err, ":1:21: superclass Sim_Sequence of Sim_Special is not declared")
             != NULL, "%s", r.err);
  cr_assert (strstr (r.err, "WBEMMOF_E_INVALID_CLASS_DECLARATION") != NULL, "%s", r.err);
  wsim_test_run_clear (&r);
  g_assert_true (g_file_set_contents (path,
                 "#pragma namespace(\"root\\\\cimv2\")\n"
                 "class Sim_Special : Sim_Sequence { string Note; };\n"
                 "instance of Sim_Special { Id = 1000; Note = \"from MOF\"; };\n", -1, NULL));
  r = run_prog (WSIM_WMISIM, args);
  cr_assert_eq (r.status, 0, "%s", r.err);
  cr_assert (strstr (r.out, "{\"__CLASS\":\"Sim_Sequence\",\"Id\":\"1\",") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "{\"__CLASS\":\"Sim_Special\",\"Id\":\"1000\",") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "\"Note\":\"from MOF\"") != NULL, "%s", r.out);
  wsim_test_mof_drop (path);
}

Test (cli_mof, start_up_error)
{
  char *path = wsim_test_mof_write ("class A {\n  [key] string K;\n};\ninstance of A { K = 5; };\n");
  const char *cli[] = { "--mof", path, "enum", "A", NULL };
  const char *daemon[] = { "--listen", "tcp:127.0.0.1:0", "--mof", path, NULL };
  g_autofree char *where = g_strdup_printf ("%s:4:21: ", path);
  g_auto (WsimTestRun) rc = run_prog (WSIM_WMISIM, cli);
  g_auto (WsimTestRun) rd = run_prog (WSIM_WMISIMD, daemon);

  cr_assert_eq (rc.status, 1);
  cr_assert (strstr (rc.err, where) != NULL, "%s", rc.err);
  cr_assert (strstr (rc.err, "WBEMMOF_E_TYPE_MISMATCH") != NULL, "%s", rc.err);
  cr_assert_eq (rd.status, 1);
  cr_assert (strstr (rd.err, where) != NULL, "%s", rd.err);
  wsim_test_mof_drop (path);
}

/* --mof configures the embedded server: with another one it is a usage error. */
Test (cli_mof, not_with_another_server)
{
  const char *args[] = { "--server", "tcp:127.0.0.1:1", "--mof", WSIM_MOF_EXAMPLE, "enum", "A",
                         NULL };
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, args);

  cr_assert_eq (r.status, 2);
  cr_assert (strstr (r.err, "--mof does not apply to another server") != NULL, "%s", r.err);
}

Test (cli_mof, mofcomp)
{
  const char *ok[] = { "mofcomp", WSIM_MOF_EXAMPLE, NULL };
  char *path = wsim_test_mof_write ("#pragma namespace(\"root\\\\x\")\nclass B : Nowhere { };\n");
  const char *bad[] = { "mofcomp", path, NULL };
  const char *none[] = { "mofcomp", NULL };
  g_autofree char *where = g_strdup_printf ("%s:2:11: ", path);
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, ok);
  g_auto (WsimTestRun) rb = run_prog (WSIM_WMISIM, bad);
  g_auto (WsimTestRun) rn = run_prog (WSIM_WMISIM, none);

  cr_assert_eq (r.status, 0, "%s", r.err);
  cr_assert (strstr (r.out, ": 1 namespace, 2 classes, 3 instances\n") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "namespace root\\test\n") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "  class Sim_Widget : Sim_Thing: 11 properties (9 own), 1 method, "
                     "3 instances\n") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "  instance Sim_Widget.Name=\"gamma\"\n") != NULL, "%s", r.out);
  cr_assert_eq (rb.status, 1);
  cr_assert (strstr (rb.err, where) != NULL, "%s", rb.err);
  cr_assert (strstr (rb.err, "Nowhere") != NULL, "%s", rb.err);
  cr_assert_eq (rn.status, 2);
  wsim_test_mof_drop (path);
}

/* Runs wmisim with @args, which must fail with exit @status saying @text on stderr. */
static void
refused (const char *const *args, int status, const char *text)
{
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, args);

  cr_assert_eq (r.status, status, "%s", r.err);
  cr_assert (strstr (r.err, text) != NULL, "%s", r.err);
}

/* wmisim put and delete on a MOF class, each run a process of its own sharing one
 * --repository: what one run wrote the next one reads (docs/writes.md). Three embedded
 * servers: a longer timeout, for valgrind. */
Test (cli_mof, put_and_delete_persist_across_runs, .timeout = 90)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wsim-cli-repo-XXXXXX", &error);
  g_autofree char *repo = g_build_filename (dir, "repo", NULL);
  g_autofree char *file = g_build_filename (repo, "repository.dat", NULL);
  const char *put[] = { "--mof", WSIM_MOF_EXAMPLE, "--repository", repo, "-n", "root\\test",
                        "put", "Sim_Widget", "Name=delta", "Count=4", "Weight=2.5",
                        "--create-only", NULL };
  const char *del[] = { "--mof", WSIM_MOF_EXAMPLE, "--repository", repo, "-n", "root\\test",
                        "delete", "Sim_Widget.Name=\"delta\"", NULL };
  const char *both[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "put", "Sim_Widget",
                         "Name=e", "--create-only", "--update-only", NULL };
  const char *elsewhere[] = { "--server", "tcp:127.0.0.1:1", "--repository", repo, "delete",
                              "Sim_Widget.Name=\"delta\"", NULL };

  cr_assert_not_null (dir, "%s", error ? error->message : "");
  {
    g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, put);

    cr_assert_eq (r.status, 0, "%s", r.err);
    /* The new path alone on its line, from the final SetStatus's strParam. */
    cr_assert (strstr (r.out, "Instance put successful; its path:\nSim_Widget.Name=\"delta\"\n")
               != NULL, "%s", r.out);
  }
  /* Another process, the same directory: the instance is there. */
  refused (put, 1, "WBEM_E_ALREADY_EXISTS (0x80041019)");
  {
    g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, del);

    cr_assert_eq (r.status, 0, "%s", r.err);
    cr_assert (strstr (r.out, "Instance deletion successful.") != NULL, "%s", r.out);
  }
  /* The other refusals (NOT_FOUND, PROVIDER_NOT_CAPABLE, …) are tests/writes'; the CLI's
   * own usage errors: */
  refused (both, 2, "exclude each other");
  refused (elsewhere, 2, "--repository does not apply to another server");
  g_unlink (file);
  g_rmdir (repo);
  g_rmdir (dir);
}

/* `wmisim put` gives only Name: Count and Enabled are Sim_Widget's defaults (Sim_Thing's
 * Count = 1, Enabled = TRUE), as WMI's SpawnInstance then Put (docs/writes.md, "Defaults"). */
Test (cli_mof, put_takes_the_class_defaults, .timeout = 60)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wsim-cli-repo-XXXXXX", &error);
  g_autofree char *repo = g_build_filename (dir, "repo", NULL);
  g_autofree char *file = g_build_filename (repo, "repository.dat", NULL);
  const char *put[] = { "--mof", WSIM_MOF_EXAMPLE, "--repository", repo, "-n", "root\\test",
                        "put", "Sim_Widget", "Name=w9", NULL };
  const char *get[] = { "--mof", WSIM_MOF_EXAMPLE, "--repository", repo, "-n", "root\\test",
                        "-f", "table", "get", "Sim_Widget.Name=\"w9\"", NULL };

  cr_assert_not_null (dir, "%s", error ? error->message : "");
  {
    g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, put);

    cr_assert_eq (r.status, 0, "%s", r.err);
  }
  {
    g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, get);
    g_auto (GStrv) lines = NULL;
    g_auto (GStrv) head = NULL;
    g_auto (GStrv) row = NULL;

    cr_assert_eq (r.status, 0, "%s", r.err);
    lines = g_strsplit (r.out, "\n", -1);
    for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
      if (g_str_has_prefix (lines[i], "Name ") && g_str_has_prefix (lines[i + 1], "w9 "))
        {
          head = g_regex_split_simple ("\\s+", g_strstrip (lines[i]), 0, 0);
          row = g_regex_split_simple ("\\s+", g_strstrip (lines[i + 1]), 0, 0);
        }
    cr_assert_not_null (row, "%s", r.out);
    cr_assert_str_eq (head[1], "Count", "%s", r.out);
    cr_assert_str_eq (row[1], "1", "%s", r.out);
    cr_assert_str_eq (head[2], "Enabled", "%s", r.out);
    cr_assert_str_eq (row[2], "TRUE", "%s", r.out);
  }
  g_unlink (file);
  g_rmdir (repo);
  g_rmdir (dir);
}

/* ---- the schema commands: get CLASS, classes, namespaces (docs/cli.md, "Schema") ---- */

Test (cli_mof, get_class_prints_its_definition_as_mof)
{
  const char *args[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "get", "Sim_Widget", NULL };
  const char *missing[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "get", "No_Such", NULL };
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, args);
  g_auto (WsimTestRun) m = run_prog (WSIM_WMISIM, missing);

  cr_assert_eq (r.status, 0, "%s", r.err);
  cr_assert (strstr (r.out, "class Sim_Widget : Sim_Thing\n{\n"
                            "  [key, read] string Name;  // from Sim_Thing\n"
                            "  [read, Description(\"How many\")] uint32 Count = 1;  // from Sim_Thing\n"
                            "  [read, write] boolean Enabled = TRUE;\n") != NULL, "%s", r.out);
  cr_assert (strstr (r.out, "  [static] uint32 Reset([in] string Reason, [out] uint32 Previous);\n"
                            "};\n") != NULL, "%s", r.out);
  cr_assert_neq (m.status, 0);
  cr_assert (strstr (m.err, "WBEM_E_INVALID_CLASS") != NULL, "%s", m.err);
}

Test (cli_mof, classes_shallow_deep_and_json)
{
  const char *roots[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "classes", NULL };
  const char *deep[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "-f", "csv", "classes",
                         "--deep", NULL };
  const char *json[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "-f", "json", "classes",
                         "Sim_Thing", NULL };
  const char *bad[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "classes", "No_Such", NULL };
  const char *misplaced[] = { "enum", "Win32_Process", "--deep", NULL };
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, roots);
  g_auto (WsimTestRun) d = run_prog (WSIM_WMISIM, deep);
  g_auto (WsimTestRun) j = run_prog (WSIM_WMISIM, json);
  g_auto (WsimTestRun) b = run_prog (WSIM_WMISIM, bad);
  g_auto (WsimTestRun) x = run_prog (WSIM_WMISIM, misplaced);

  cr_assert_eq (r.status, 0, "%s", r.err);
  /* The roots: WMI's __SystemClass (every namespace has it), then the MOF's. */
  cr_assert (g_regex_match_simple ("^Name +Superclass\n__SystemClass *\nSim_Thing *\n", r.out,
                                   G_REGEX_MULTILINE, 0), "%s", r.out);
  cr_assert (strstr (r.out, "Sim_Widget") == NULL, "shallow: roots only: %s", r.out);
  cr_assert_eq (d.status, 0, "%s", d.err);
  cr_assert (g_str_has_prefix (d.out, "Name,Superclass\n__SystemClass,\n__IndicationRelated,__SystemClass\n"),
             "%s", d.out);
  cr_assert (g_str_has_suffix (d.out, "\nSim_Thing,\nSim_Widget,Sim_Thing\n"), "%s", d.out);
  cr_assert_eq (j.status, 0, "%s", j.err);
  cr_assert (g_str_has_prefix (j.out, "{\"__GENUS\":1,\"__CLASS\":\"Sim_Widget\","
                               "\"__SUPERCLASS\":\"Sim_Thing\""), "%s", j.out);
  cr_assert_neq (b.status, 0);
  cr_assert (strstr (b.err, "WBEM_E_INVALID_CLASS") != NULL, "%s", b.err);
  cr_assert_eq (x.status, 2, "--deep is for classes only: %s", x.err);
}

Test (cli_mof, namespaces_lists_the_children)
{
  const char *args[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root", "-f", "csv", "namespaces", NULL };
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, args);

  cr_assert_eq (r.status, 0, "%s", r.err);
  cr_assert (strstr (r.out, "Name\ncimv2\ntest\n") != NULL, "%s", r.out);
}

/* Class objects through a stub of the unsecured apartment: the helper forwards
 * INDICATE_CLASSES as it forwards INDICATE. */
Test (cli_mof, classes_through_a_stub)
{
  const char *args[] = { "--mof", WSIM_MOF_EXAMPLE, "-n", "root\\test", "--stub", "dont-check",
                         "classes", "--deep", NULL };
  g_auto (WsimTestRun) r = run_prog (WSIM_WMISIM, args);

  cr_assert_eq (r.status, 0, "%s", r.err);
  /* A table row: the name, blanks to the column of superclasses (as wide as the longest
   * name: the system classes' are longer), the superclass. */
  cr_assert (g_regex_match_simple ("^Sim_Widget +Sim_Thing$", r.out, G_REGEX_MULTILINE, 0), "%s", r.out);
  cr_assert (strstr (r.out, "stub: took Indicate (classes)") != NULL, "%s", r.out);
}
