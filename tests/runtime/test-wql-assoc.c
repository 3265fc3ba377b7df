/* test-wql-assoc.c: ASSOCIATORS OF, REFERENCES OF, ISA, projections and DIRECT_READ through
 * a server (suite wql-assoc).
 *
 * Owns the proof that association queries walk the association classes of a namespace
 * whoever provides them (the MOF's static classes of docs/examples/sim-assoc.mof and a C
 * provider's Sim_Wears), narrowed by AssocClass, ResultClass, Role and ResultRole, with
 * KeysOnly, RequiredQualifier and RequiredAssocQualifier; that an association class is one
 * with the Association qualifier (a MOF class with references but without it is not; a C
 * provider's class with references is declared one); that ClassDefsOnly gives the results'
 * class objects and a class as the source a schema query's; that an endpoint comes once
 * per association; that bad queries are refused with WMI's statuses; that a projection is a partial instance (keys and __PATH
 * only under WBEM_FLAG_ENSURE_LOCATABLE); and that DIRECT_READ leaves out subclasses.
 */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wsim-harness.h"
#include "wsim-system-props.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define LONG_WAIT 20000   /* ms: generous, valgrind runs these too */

/* A C provider's association in the MOF's namespace: Ann wears badge B1. */
static const WsimProvProperty badge_props[] = { { "Id", WSIM_PROV_STRING, 1 } };
static const WsimProvProperty wears_props[] = {
  { "Owner", WSIM_PROV_REFERENCE, 1 }, { "Badge", WSIM_PROV_REFERENCE, 1 },
};
static const WsimProvClass badge_classes[] = {
  { "Sim_Badge", NULL, badge_props, 1 },
  { "Sim_Wears", NULL, wears_props, 2 },
};

static void
badge_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;
  WsimProvInstance *inst = ops->new_instance (ctx, class_name);

  if (strcmp (class_name, "Sim_Badge") == 0)
    ops->set_string (inst, "Id", "B1");
  else
    {
      ops->set_string (inst, "Owner", "Sim_Person.Name='Ann'");
      ops->set_string (inst, "Badge", "Sim_Badge.Id=\"B1\"");
    }
  ops->post_instance (ctx, inst);
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

/* get(): the association query asks it for its source (Sim_Badge.Id="B1" only). */
static void
badge_get (void *state, WsimProvContext *ctx, const char *class_name, const WsimProvKey *keys,
           size_t n_keys)
{
  const WsimProvContextOps *ops = ctx->ops;

  if (strcmp (class_name, "Sim_Badge") == 0 && n_keys == 1 && strcmp (keys[0].value, "B1") == 0)
    {
      WsimProvInstance *inst = ops->new_instance (ctx, class_name);

      ops->set_string (inst, "Id", "B1");
      ops->post_instance (ctx, inst);
      ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
      return;
    }
  ops->post_result (ctx, WSIM_PROV_E_NOT_FOUND, "test-badges: no such badge");
}

static const WsimProvider badge_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-badges",
  .classes = badge_classes,
  .n_classes = G_N_ELEMENTS (badge_classes),
  .enumerate = badge_enumerate,
  .get = badge_get,
};

/* A class with a reference but no [Association]: not an association, so no association
 * query sees its instance (which names Ann). */
static const char note_mof[] =
  "#pragma namespace(\"\\\\\\\\.\\\\root\\\\assoc\")\n"
  "class Sim_Note { [key] string Id; Sim_Person ref About; };\n"
  "instance of Sim_Note { Id = \"n1\"; About = \"Sim_Person.Name=\\\"Ann\\\"\"; };\n";

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);
  g_autofree char *note = NULL;
  gint fd = g_file_open_tmp ("wsim-note-XXXXXX.mof", &note, error);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  close (fd);
  ok = g_file_set_contents (note, note_mof, -1, error)
       && wsim_repository_load_mof (repo, WSIM_MOF_ASSOC, error)
       && wsim_repository_load_mof (repo, note, error)
       && wsim_repository_register_provider (repo, "root\\assoc", &badge_provider, NULL, error);
  g_unlink (note);
  return ok;
}

static WsimHarness *h;
static WsimServices *ns;

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  h = wsim_harness_new (setup, NULL, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
  ns = wsim_client_open_namespace (wsim_harness_get_client (h), "root\\assoc", &error);
  cr_assert_not_null (ns, "root\\assoc: %s", error ? error->message : "");
}

static void
stop (void)
{
  g_clear_pointer (&ns, wsim_services_unref);
  wsim_harness_free (h);
  h = NULL;
}

TestSuite (wql_assoc, .init = start, .fini = stop, .timeout = 60);

static gint
cmp_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Runs @q with @flags to its end; the recorder, or NULL with *@hr the immediate refusal. */
static WsimSinkRecorder *
run (const char *q, gint32 flags, WsimHResult *hr, WsimSink **sink_out)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);

  *hr = wsim_services_exec_query_async (ns, "WQL", q, flags, sink, NULL);
  if (*hr != WBEM_S_NO_ERROR)
    {
      wsim_sink_unref (sink);
      return NULL;
    }
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT), "%s", q);
  cr_assert_eq (rec->n_final, 1);
  *hr = rec->final_hr;
  *sink_out = sink;
  return rec;
}

/* The objects' relative paths, sorted and joined by " "; NULL with *@hr on a failure. */
static char *
paths_of (const char *q, gint32 flags, WsimHResult *hr)
{
  WsimSink *sink = NULL;
  WsimSinkRecorder *rec = run (q, flags, hr, &sink);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (rec == NULL)
    return NULL;
  if (*hr == WBEM_S_NO_ERROR)
    for (guint i = 0; i < rec->objects->len; i++)
      g_ptr_array_add (paths, wsim_object_get_path (rec->objects->pdata[i]));
  wsim_sink_unref (sink);
  if (*hr != WBEM_S_NO_ERROR)
    return NULL;
  g_ptr_array_sort (paths, cmp_strings);
  g_ptr_array_add (paths, NULL);
  return g_strjoinv (" ", (char **) paths->pdata);
}

static void
assert_paths (const char *q, const char *want)
{
  WsimHResult hr;
  g_autofree char *got = paths_of (q, 0, &hr);

  cr_assert_eq (hr, WBEM_S_NO_ERROR, "%s: 0x%08X", q, hr);
  cr_assert_str_eq (got, want, "%s", q);
}

/* @q is refused at once with @want, its message containing @what. */
static void
assert_refused (const char *q, WsimHResult want, const char *what)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_exec_query_async (ns, "WQL", q, 0, sink, &error);

  cr_assert_eq (hr, want, "%s: 0x%08X, wanted 0x%08X", q, hr, want);
  cr_assert_not_null (error, "%s", q);
  cr_assert (strstr (error->message, what) != NULL, "%s: wanted '%s' in: %s", q, what, error->message);
  cr_assert_eq (rec->n_final, 0, "a refused call has no callback");
}

#define ANN "Sim_Person.Name=\"Ann\""
#define BOB "Sim_Person.Name=\"Bob\""
#define CID "Sim_Person.Name=\"Cid\""
#define RED "Sim_Team.Name=\"Red\""
#define BLUE "Sim_Team.Name=\"Blue\""
#define B1 "Sim_Badge.Id=\"B1\""

Test (wql_assoc, associators_of_walks_every_association_from_any_provider)
{
  /* Teams by Sim_Member and Sim_Leads (Red twice: two associations), people by Sim_Mentor
   * at either end, and the C provider's badge. */
  assert_paths ("ASSOCIATORS OF {" ANN "}", B1 " " BOB " " CID " " BLUE " " RED " " RED);
  assert_paths ("associators of {Sim_Team.Name='Red'}", ANN " " ANN " " BOB);
  assert_paths ("ASSOCIATORS OF {" BLUE "}", ANN " " CID);
  assert_paths ("ASSOCIATORS OF {Sim_Person.Name=\"Dee\"}", "");
  assert_paths ("ASSOCIATORS OF {" B1 "}", ANN);
}

/* A provider with get() is asked for the source rather than enumerated; its "not found"
 * ends the call. */
static void
source_got (void)
{
  WsimHResult hr;
  WsimSink *sink = NULL;
  WsimSinkRecorder *rec = run ("REFERENCES OF {Sim_Badge.Id=\"B2\"}", 0, &hr, &sink);

  assert_paths ("REFERENCES OF {" B1 "}", "Sim_Wears.Owner=\"Sim_Person.Name='Ann'\",Badge=\"Sim_Badge.Id=\\\"B1\\\"\"");
  cr_assert_not_null (rec);
  cr_assert_eq (hr, WBEM_E_NOT_FOUND, "0x%08X", hr);
  cr_assert_str_eq (rec->final_str_param, "test-badges: no such badge", "the provider's get() said so");
  wsim_sink_unref (sink);
}

static void associators_narrowed (void);
static void keys_only (void);
static void isa_this (void);

/* One server for several checks: each test is a process of its own with a server, which
 * valgrind makes slow. */
Test (wql_assoc, associators_of_narrowed_by_assoc_class_result_class_and_roles_keys_only_isa)
{
  associators_narrowed ();
  keys_only ();
  isa_this ();
}

static void
associators_narrowed (void)
{
  /* AssocClass takes the class and its subclasses (Sim_Leads is a Sim_Member). */
  assert_paths ("ASSOCIATORS OF {" BLUE "} WHERE AssocClass = Sim_Member", ANN " " CID);
  assert_paths ("ASSOCIATORS OF {" BLUE "} WHERE AssocClass = Sim_Leads", CID);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE ResultClass = Sim_Team", BLUE " " RED " " RED);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE resultclass = sim_person assocclass = sim_mentor",
                BOB " " CID);
  /* Role: the source's end; ResultRole: the endpoint's. */
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE Role = Mentor", BOB);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE ResultRole = Mentor", CID);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE Role = Member ResultRole = Team AssocClass = Sim_Leads", RED);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE Role = Nope", "");
}

static void source_got (void);

Test (wql_assoc, references_of_gives_the_associations_and_the_source_is_got_if_it_can_be)
{
  source_got ();
  assert_paths ("REFERENCES OF {" ANN "}",
                "Sim_Leads.Member=\"Sim_Person.Name=\\\"Ann\\\"\",Team=\"Sim_Team.Name=\\\"Red\\\"\" "
                "Sim_Member.Member=\"Sim_Person.Name=\\\"Ann\\\"\",Team=\"Sim_Team.Name=\\\"Blue\\\"\" "
                "Sim_Member.Member=\"Sim_Person.Name=\\\"Ann\\\"\",Team=\"Sim_Team.Name=\\\"Red\\\"\" "
                "Sim_Mentor.Mentor=\"Sim_Person.Name=\\\"Ann\\\"\",Mentee=\"Sim_Person.Name=\\\"Bob\\\"\" "
                "Sim_Mentor.Mentor=\"Sim_Person.Name=\\\"Cid\\\"\",Mentee=\"Sim_Person.Name=\\\"Ann\\\"\" "
                "Sim_Wears.Owner=\"Sim_Person.Name='Ann'\",Badge=\"Sim_Badge.Id=\\\"B1\\\"\"");
  assert_paths ("REFERENCES OF {" ANN "} WHERE ResultClass = Sim_Mentor Role = Mentee",
                "Sim_Mentor.Mentor=\"Sim_Person.Name=\\\"Cid\\\"\",Mentee=\"Sim_Person.Name=\\\"Ann\\\"\"");
  assert_paths ("REFERENCES OF {" RED "} WHERE ResultClass = Sim_Leads",
                "Sim_Leads.Member=\"Sim_Person.Name=\\\"Ann\\\"\",Team=\"Sim_Team.Name=\\\"Red\\\"\"");
  assert_paths ("REFERENCES OF {Sim_Person.Name=\"Dee\"}", "");
}

/* Every delivered object, with @prop null (KeysOnly) or not. */
static void
assert_prop_null (const char *q, const char *prop, gboolean null, guint count)
{
  WsimHResult hr;
  WsimSink *sink = NULL;
  WsimSinkRecorder *rec = run (q, 0, &hr, &sink);

  cr_assert_not_null (rec, "%s: 0x%08X", q, hr);
  cr_assert_eq (hr, WBEM_S_NO_ERROR, "%s: 0x%08X", q, hr);
  cr_assert_eq (rec->objects->len, count, "%s: %u objects", q, rec->objects->len);
  for (guint i = 0; i < rec->objects->len; i++)
    {
      const wsim_value *v = wsim_object_lookup (rec->objects->pdata[i], prop);

      cr_assert_not_null (v, "%s: no %s", q, prop);
      cr_assert_eq (wsim_value_is_null (v), null, "%s: %s", q, prop);
    }
  wsim_sink_unref (sink);
}

static void
keys_only (void)
{
  assert_prop_null ("ASSOCIATORS OF {" RED "} WHERE KeysOnly", "Age", TRUE, 3);
  assert_prop_null ("ASSOCIATORS OF {" RED "} WHERE KeysOnly", "Name", FALSE, 3);
  assert_prop_null ("ASSOCIATORS OF {" RED "}", "Age", FALSE, 3);
  assert_prop_null ("REFERENCES OF {" BLUE "} WHERE KeysOnly ResultClass = Sim_Member", "Since", TRUE, 2);
  assert_prop_null ("REFERENCES OF {" BLUE "} WHERE ResultClass = Sim_Member KeysOnly", "Team", FALSE, 2);
}

Test (wql_assoc, refusals_and_missing_sources)
{
  WsimHResult hr;
  g_autofree char *none = paths_of ("ASSOCIATORS OF {Sim_Person.Name=\"Zed\"}", 0, &hr);

  /* The source must exist: the call is accepted and ends with WBEM_E_NOT_FOUND. */
  cr_assert_null (none);
  cr_assert_eq (hr, WBEM_E_NOT_FOUND, "0x%08X", hr);
  g_free (paths_of ("REFERENCES OF {" BOB "x}", 0, &hr));
  cr_assert_eq (hr, WBEM_E_INVALID_QUERY, "0x%08X", hr);

  assert_refused ("ASSOCIATORS OF {Nope.Name=\"x\"}", WBEM_E_INVALID_CLASS, "Nope");
  assert_refused ("ASSOCIATORS OF {Sim_Person.Nope=\"x\"}", WBEM_E_INVALID_OBJECT_PATH, "Nope");
  assert_refused ("ASSOCIATORS OF {" ANN "} WHERE AssocClass = Sim_Nope", WBEM_E_INVALID_CLASS,
                  "unknown class 'Sim_Nope' at position 59 (AssocClass)");
  assert_refused ("ASSOCIATORS OF {" ANN "} WHERE Role = X ResultClass = Sim_Nope",
                  WBEM_E_INVALID_CLASS, "unknown class 'Sim_Nope' at position 69 (ResultClass)");
  assert_refused ("REFERENCES OF {" ANN "} WHERE ResultClass = Nope", WBEM_E_INVALID_CLASS,
                  "at position 59 (ResultClass)");
  /* "Schema Associations": a schema query's source is a class, and ClassDefsOnly is not
   * valid in one. */
  assert_refused ("ASSOCIATORS OF {" ANN "} WHERE SchemaOnly", WBEM_E_INVALID_QUERY,
                  "SchemaOnly needs a class as the source");
  assert_refused ("REFERENCES OF {Sim_Person} WHERE ClassDefsOnly", WBEM_E_INVALID_QUERY,
                  "ClassDefsOnly is not valid in a schema query");
  assert_refused ("REFERENCES OF {Sim_Nope} WHERE SchemaOnly", WBEM_E_INVALID_CLASS, "Sim_Nope");
  assert_refused ("ASSOCIATORS OF {" ANN "} WHERE ClassDefsOnly ResultClass = Sim_Team",
                  WBEM_E_INVALID_QUERY, "syntax error at position 74: ClassDefsOnly and ResultClass cannot be used together");
  assert_refused ("ASSOCIATORS {" ANN "}", WBEM_E_INVALID_QUERY, "position 13: expected OF");
  assert_refused ("REFERENCES OF {" ANN "} WHERE AssocClass = Sim_Member", WBEM_E_INVALID_QUERY,
                  "position 45: AssocClass is not valid in REFERENCES OF");
}

static void
isa_this (void)
{
  assert_paths ("SELECT * FROM Sim_Member WHERE __THIS ISA 'Sim_Leads'",
                "Sim_Leads.Member=\"Sim_Person.Name=\\\"Ann\\\"\",Team=\"Sim_Team.Name=\\\"Red\\\"\" "
                "Sim_Leads.Member=\"Sim_Person.Name=\\\"Cid\\\"\",Team=\"Sim_Team.Name=\\\"Blue\\\"\"");
  assert_paths ("SELECT * FROM Sim_Person WHERE NOT __this isa \"Sim_Person\"", "");
  assert_paths ("SELECT * FROM Sim_Team WHERE __THIS ISA 'Sim_Team' AND Name = 'Red'", RED);
  /* An ISA on a property asks for an embedded object, which the wire does not carry:
   * UNKNOWN, so nothing matches (and NOT UNKNOWN neither). */
  assert_paths ("SELECT * FROM Sim_Team WHERE Motto ISA 'Sim_Team'", "");
  assert_paths ("SELECT * FROM Sim_Team WHERE NOT Motto ISA 'Sim_Team'", "");
  assert_refused ("SELECT * FROM Sim_Team WHERE Nope ISA 'Sim_Team'", WBEM_E_INVALID_QUERY,
                  "unknown property 'Nope' at position 30");
}

/* @q's one object. Returns: (transfer full) it. */
static WsimObject *
one_object (const char *q, gint32 flags)
{
  WsimHResult hr;
  WsimSink *sink = NULL;
  WsimSinkRecorder *rec = run (q, flags, &hr, &sink);
  WsimObject *obj;

  cr_assert_not_null (rec, "%s: 0x%08X", q, hr);
  cr_assert_eq (hr, WBEM_S_NO_ERROR, "%s: 0x%08X", q, hr);
  cr_assert_eq (rec->objects->len, 1, "%s", q);
  obj = wsim_object_ref (rec->objects->pdata[0]);
  wsim_sink_unref (sink);
  return obj;
}

/* @prop of @obj as text, "NULL" for null; system properties computed as the client does. */
static char *
text_of (WsimObject *obj, const char *prop)
{
  wsim_value v = { 0 };
  char *out;

  if (!wsim_object_get_system_property (obj, prop, "root\\assoc", "here", &v))
    wsim_value_copy (wsim_object_lookup (obj, prop), &v);
  out = wsim_value_is_null (&v) ? g_strdup ("NULL") : wsim_value_to_string (&v);
  wsim_value_clear (&v);
  return out;
}

#define EXPECT(obj, prop, want)                                   \
  do {                                                            \
    g_autofree char *got_ = text_of (obj, prop);                  \
    cr_assert_str_eq (got_, want, "%s", prop);                    \
  } while (0)

static void direct_read (void);

Test (wql_assoc, a_projection_is_a_partial_instance_and_direct_read_leaves_out_subclasses)
{
  const char *q = "SELECT Age FROM Sim_Person WHERE Name = 'Ann'";
  g_autoptr(WsimObject) partial = one_object (q, 0);
  g_autoptr(WsimObject) locatable = one_object (q, WBEM_FLAG_ENSURE_LOCATABLE);
  g_autoptr(WsimObject) with_key = one_object ("SELECT Name FROM Sim_Person WHERE Age = 30", 0);
  g_autoptr(WsimObject) half_key = one_object ("SELECT Member, Since FROM Sim_Leads WHERE Term = 2", 0);

  /* Only what was selected: no key, so no __RELPATH or __PATH. */
  EXPECT (partial, "Age", "30");
  EXPECT (partial, "Name", "NULL");
  EXPECT (partial, "__RELPATH", "NULL");
  EXPECT (partial, "__PATH", "NULL");
  EXPECT (partial, "__CLASS", "Sim_Person");
  /* ENSURE_LOCATABLE: the keys come too, and the paths with them. */
  EXPECT (locatable, "Name", "Ann");
  EXPECT (locatable, "Age", "30");
  EXPECT (locatable, "__RELPATH", ANN);
  EXPECT (locatable, "__PATH", "\\\\here\\root\\assoc:" ANN);
  /* Selecting the key is enough; a key of two parts needs both. */
  EXPECT (with_key, "__RELPATH", ANN);
  EXPECT (with_key, "Age", "NULL");
  EXPECT (half_key, "__RELPATH", "NULL");
  EXPECT (half_key, "Since", "2019");
  EXPECT (half_key, "Team", "NULL");
  direct_read ();
}

static void
direct_read (void)
{
  WsimHResult hr;
  g_autofree char *deep = paths_of ("SELECT * FROM Sim_Member", 0, &hr);
  g_autofree char *direct = paths_of ("SELECT * FROM Sim_Member", WBEM_FLAG_DIRECT_READ, &hr);
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);

  cr_assert_eq (hr, WBEM_S_NO_ERROR);
  cr_assert (strstr (deep, "Sim_Leads.") != NULL, "%s", deep);
  cr_assert (strstr (direct, "Sim_Leads.") == NULL, "%s", direct);
  cr_assert (strstr (direct, "Sim_Member.") != NULL, "%s", direct);

  cr_assert_eq (wsim_services_create_instance_enum_async (ns, "Sim_Member", WBEM_FLAG_DIRECT_READ,
                                                          sink, NULL), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 3, "the three Sim_Member instances, not the Sim_Leads ones");
}

/* @q's class objects' names, sorted and joined by " " (no instance may come). */
static char *
class_names_of (const char *q)
{
  WsimHResult hr;
  WsimSink *sink = NULL;
  WsimSinkRecorder *rec = run (q, 0, &hr, &sink);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  char *out;

  cr_assert_not_null (rec, "%s: 0x%08X", q, hr);
  cr_assert_eq (hr, WBEM_S_NO_ERROR, "%s: 0x%08X", q, hr);
  cr_assert_eq (rec->objects->len, 0, "%s: class objects only", q);
  for (guint i = 0; i < rec->classes->len; i++)
    g_ptr_array_add (names, (gpointer) wsim_class_decl_get_name (rec->classes->pdata[i]));
  g_ptr_array_sort (names, cmp_strings);
  g_ptr_array_add (names, NULL);
  out = g_strjoinv (" ", (char **) names->pdata);
  wsim_sink_unref (sink);
  return out;
}

static void
assert_classes (const char *q, const char *want)
{
  g_autofree char *got = class_names_of (q);

  cr_assert_str_eq (got, want, "%s", q);
}

#define WEARS "Sim_Wears.Owner=\"Sim_Person.Name='Ann'\",Badge=\"Sim_Badge.Id=\\\"B1\\\"\""

static void class_defs_only (void);
static void schema_queries (void);

/* [Association] decides; RequiredQualifier and RequiredAssocQualifier read the class
 * objects' qualifiers (the MOF's Description; a provider's class is [dynamic]). */
Test (wql_assoc, association_qualifier_required_qualifiers_class_defs_and_schema_queries)
{
  WsimClassDecl *wears = NULL;
  WsimHResult hr;
  g_autofree char *refs = paths_of ("REFERENCES OF {" ANN "}", 0, &hr);

  /* Sim_Note has a reference to Ann but no [Association]. */
  cr_assert_eq (hr, WBEM_S_NO_ERROR);
  cr_assert (strstr (refs, "Sim_Note") == NULL, "%s", refs);
  assert_paths ("ASSOCIATORS OF {Sim_Note.Id=\"n1\"}", "");
  /* The C provider's class with references is declared [Association]. */
  {
    WsimSinkRecorder *rec;
    g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
    const wsim_class_decl *w;

    cr_assert_eq (wsim_services_get_object_async (ns, "Sim_Wears", 0, sink, NULL), WBEM_S_NO_ERROR);
    cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
    cr_assert_eq (rec->classes->len, 1);
    wears = rec->classes->pdata[0];
    w = wsim_class_decl_get_wire (wears);
    cr_assert_not_null (wsim_qualifier_find (w->qualifiers.qualifiers_val, w->qualifiers.qualifiers_len,
                                             "Association"));
  }

  assert_paths ("REFERENCES OF {" ANN "} WHERE RequiredQualifier = Dynamic", WEARS);
  assert_paths ("REFERENCES OF {" RED "} WHERE RequiredQualifier = description",
                "Sim_Leads.Member=\"Sim_Person.Name=\\\"Ann\\\"\",Team=\"Sim_Team.Name=\\\"Red\\\"\" "
                "Sim_Member.Member=\"Sim_Person.Name=\\\"Ann\\\"\",Team=\"Sim_Team.Name=\\\"Red\\\"\" "
                "Sim_Member.Member=\"Sim_Person.Name=\\\"Bob\\\"\",Team=\"Sim_Team.Name=\\\"Red\\\"\"");
  assert_paths ("REFERENCES OF {" ANN "} WHERE RequiredQualifier = Nope", "");
  /* RequiredQualifier of ASSOCIATORS: the endpoint's class (Sim_Badge is [dynamic]). */
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE RequiredQualifier = Dynamic", B1);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE RequiredAssocQualifier = Dynamic", B1);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE RequiredAssocQualifier = Association",
                B1 " " BOB " " CID " " BLUE " " RED " " RED);
  assert_paths ("ASSOCIATORS OF {" ANN "} WHERE RequiredAssocQualifier = Description",
                BOB " " CID " " BLUE " " RED " " RED);
  assert_paths ("ASSOCIATORS OF {" RED "} WHERE RequiredAssocQualifier = Description "
                "RequiredQualifier = Dynamic", "");
  class_defs_only ();
  schema_queries ();
}

/* ClassDefsOnly: the class of each result, once ("ASSOCIATORS OF Statement",
 * "REFERENCES OF Statement"). */
static void
class_defs_only (void)
{
  assert_classes ("ASSOCIATORS OF {" ANN "} WHERE ClassDefsOnly", "Sim_Badge Sim_Person Sim_Team");
  assert_classes ("ASSOCIATORS OF {" BLUE "} WHERE ClassDefsOnly", "Sim_Person");
  assert_classes ("ASSOCIATORS OF {" ANN "} WHERE ClassDefsOnly AssocClass = Sim_Mentor", "Sim_Person");
  assert_classes ("REFERENCES OF {" ANN "} WHERE ClassDefsOnly",
                  "Sim_Leads Sim_Member Sim_Mentor Sim_Wears");
  assert_classes ("REFERENCES OF {" BLUE "} WHERE ClassDefsOnly Role = Team", "Sim_Leads Sim_Member");
  assert_classes ("REFERENCES OF {Sim_Person.Name=\"Dee\"} WHERE ClassDefsOnly", "");
}

/* A class as the source: the schema ("Schema Associations"), from typed references. */
static void
schema_queries (void)
{
  assert_classes ("REFERENCES OF {Sim_Team} WHERE SchemaOnly", "Sim_Leads Sim_Member");
  assert_classes ("REFERENCES OF {Sim_Person} WHERE SchemaOnly", "Sim_Leads Sim_Member Sim_Mentor");
  assert_classes ("REFERENCES OF {Sim_Person} WHERE SchemaOnly Role = Mentee", "Sim_Mentor");
  assert_classes ("REFERENCES OF {Sim_Person} WHERE SchemaOnly ResultClass = Sim_Leads", "Sim_Leads");
  assert_classes ("REFERENCES OF {Sim_Person}", "Sim_Leads Sim_Member Sim_Mentor");
  /* Each endpoint class once per association class. */
  assert_classes ("ASSOCIATORS OF {Sim_Team} WHERE SchemaOnly", "Sim_Person Sim_Person");
  assert_classes ("ASSOCIATORS OF {Sim_Team} WHERE SchemaOnly AssocClass = Sim_Leads", "Sim_Person");
  assert_classes ("ASSOCIATORS OF {Sim_Person} WHERE SchemaOnly", "Sim_Person Sim_Team Sim_Team");
  assert_classes ("ASSOCIATORS OF {Sim_Person} WHERE SchemaOnly ResultRole = Team", "Sim_Team Sim_Team");
  assert_classes ("ASSOCIATORS OF {Sim_Person} WHERE SchemaOnly ResultClass = Sim_Person", "Sim_Person");
  assert_classes ("ASSOCIATORS OF {Sim_Person} WHERE SchemaOnly RequiredQualifier = Nope", "");
  assert_classes ("ASSOCIATORS OF {Sim_Person} WHERE SchemaOnly RequiredAssocQualifier = Description",
                  "Sim_Person Sim_Team Sim_Team");
  assert_classes ("ASSOCIATORS OF {Sim_Badge} WHERE SchemaOnly", "");
}
