/* test-cli-wql.c: wmisim query with association queries, --ensure-locatable and
 * --direct-read, on docs/examples/sim-assoc.mof served by the embedded server.
 *
 * Owns the proof that the CLI passes ASSOCIATORS OF / REFERENCES OF through and prints what
 * comes back (an endpoint once per association), that a missing source exits 1 with
 * WBEM_E_NOT_FOUND, that ClassDefsOnly and schema queries print class objects, that the two
 * flags reach the server, and that each is refused (exit 2)
 * where it means nothing. */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-test-spawn.h"

TestSuite (cli_wql, .timeout = 30);

/* wmisim on the association sample in root\assoc, then @args; returns the exit status,
 * standard output in *@out and standard error in *@err (both transfer full). */
static int
run_wmisim (const char *const *args, char **out, char **err)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (b, WSIM_WMISIM, "--provider-dir", WSIM_TEST_PROVIDER_DIR, "--mof",
                           WSIM_MOF_ASSOC, "-n", "root\\assoc", NULL);
  g_strv_builder_addv (b, (const char **) args);
  argv = g_strv_builder_end (b);
  return wsim_test_spawn ((const char *const *) argv, NULL, out, err);
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

Test (cli_wql, associators_and_references)
{
  g_autofree char *out = NULL, *err = NULL, *refs = NULL, *refs_err = NULL;
  const char *const assoc[] = { "-f", "csv", "query", "ASSOCIATORS OF {Sim_Team.Name=\"Red\"}", NULL };
  const char *const ref[] = { "-f", "json", "query",
                              "REFERENCES OF {Sim_Person.Name=\"Ann\"} WHERE ResultClass = Sim_Mentor Role = Mentee",
                              NULL };

  cr_assert_eq (run_wmisim (assoc, &out, &err), 0, "%s", err);
  cr_assert_eq (count (out, "Ann,30"), 2, "Ann once per association: %s", out);
  cr_assert_eq (count (out, "Bob,25"), 1, "%s", out);
  cr_assert_eq (run_wmisim (ref, &refs, &refs_err), 0, "%s", refs_err);
  cr_assert_str_eq (refs, "{\"__CLASS\":\"Sim_Mentor\",\"Mentor\":\"Sim_Person.Name=\\\"Cid\\\"\","
                          "\"Mentee\":\"Sim_Person.Name=\\\"Ann\\\"\"}\n");
}

/* ClassDefsOnly and a schema query answer with class objects: printed as MOF. */
Test (cli_wql, class_objects_of_class_defs_only_and_schema_queries)
{
  g_autofree char *defs = NULL, *e1 = NULL, *schema = NULL, *e2 = NULL;
  const char *const q_defs[] = { "query", "ASSOCIATORS OF {Sim_Team.Name=\"Red\"} WHERE ClassDefsOnly", NULL };
  const char *const q_schema[] = { "query", "REFERENCES OF {Sim_Team} WHERE SchemaOnly", NULL };

  cr_assert_eq (run_wmisim (q_defs, &defs, &e1), 0, "%s", e1);
  cr_assert_eq (count (defs, "class Sim_Person\n"), 1, "the endpoints' class, once: %s", defs);
  cr_assert (strstr (defs, "0 instances (1 class objects)") != NULL, "%s", defs);
  cr_assert_eq (run_wmisim (q_schema, &schema, &e2), 0, "%s", e2);
  cr_assert (strstr (schema, "[Association, Description(\"A person is a member of a team\")]\nclass Sim_Member\n")
             != NULL, "%s", schema);
  cr_assert (strstr (schema, "class Sim_Leads : Sim_Member\n") != NULL, "%s", schema);
  cr_assert (strstr (schema, "class Sim_Mentor") == NULL, "no reference to Sim_Team: %s", schema);
}

Test (cli_wql, a_missing_source_exits_1)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *const args[] = { "query", "ASSOCIATORS OF {Sim_Person.Name=\"Zed\"}", NULL };

  cr_assert_eq (run_wmisim (args, &out, &err), 1);
  cr_assert (strstr (out, "final SetStatus: WBEM_E_NOT_FOUND (0x80041002)") != NULL, "%s", out);
  cr_assert (strstr (err, "the source instance of the association query does not exist") != NULL, "%s", err);
}

Test (cli_wql, ensure_locatable_and_direct_read)
{
  g_autofree char *located = NULL, *direct = NULL, *e2 = NULL, *e3 = NULL;
  const char *const q_located[] = { "-f", "csv", "--ensure-locatable", "query",
                                    "SELECT Age FROM Sim_Person WHERE Name = 'Ann'", NULL };
  const char *const q_direct[] = { "-f", "csv", "--direct-read", "enum", "Sim_Member", NULL };

  /* Without the flag Name is empty (test-wql-assoc.c); with it the key comes too. */
  cr_assert_eq (run_wmisim (q_located, &located, &e2), 0, "%s", e2);
  cr_assert_str_eq (located, "Name,Age\nAnn,30\n");
  cr_assert_eq (run_wmisim (q_direct, &direct, &e3), 0, "%s", e3);
  cr_assert_eq (count (direct, "\n"), 4, "a header and the three Sim_Member rows: %s", direct);
  cr_assert_null (strstr (direct, "Term"), "no Sim_Leads row: %s", direct);
}

Test (cli_wql, the_flags_are_refused_where_they_mean_nothing)
{
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL;
  const char *const a1[] = { "--ensure-locatable", "enum", "Sim_Person", NULL };
  const char *const a2[] = { "--direct-read", "get", "Sim_Person.Name=\"Ann\"", NULL };

  cr_assert_eq (run_wmisim (a1, &o1, &e1), 2);
  cr_assert (strstr (e1, "--ensure-locatable does not apply to enum") != NULL, "%s", e1);
  cr_assert_eq (run_wmisim (a2, &o2, &e2), 2);
  cr_assert (strstr (e2, "--direct-read does not apply to get") != NULL, "%s", e2);
}
