/* test-wql-assoc-parse.c: the WQL parser alone on ASSOCIATORS OF, REFERENCES OF and ISA
 * (suite wql-assoc).
 *
 * Owns the proof that each form parses into what the server reads (kind, source path,
 * WMIQ_ASSOCQ_* features, keyword values and their positions), that each malformed one
 * is WBEM_E_INVALID_QUERY at the exact character, and that ISA asks its callback (with
 * NULL for __THIS) and stays UNKNOWN without one.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-object-path.h"
#include "wsim-value.h"
#include "wsim-wql.h"

static WsimWqlQuery *
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  WsimWqlQuery *q = wsim_wql_parse (text, &error);

  cr_assert_not_null (q, "'%s': %s", text, error != NULL ? error->message : "");
  return q;
}

/* @text is refused with @hr, the message naming @pos and containing @what. */
static void
refused (const char *text, WsimHResult hr, long pos, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = wsim_wql_parse (text, &error);
  g_autofree char *at = g_strdup_printf ("at position %ld: ", pos);

  cr_assert_null (q, "'%s' parsed", text);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) hr), "'%s': %s", text,
             error != NULL ? error->message : "no error");
  cr_assert (strstr (error->message, at) != NULL, "'%s': wanted '%s' in: %s", text, at, error->message);
  cr_assert (strstr (error->message, what) != NULL, "'%s': wanted '%s' in: %s", text, what,
             error->message);
}

Test (wql_assoc_parse, associators_of_with_every_keyword)
{
  g_autoptr (WsimWqlQuery) q =
    parse ("associators of { Win32_LogicalDisk.DeviceID=\"C:\" }  where AssocClass = Win32_SystemDevices "
           "ResultClass=Win32_ComputerSystem ROLE = PartComponent ResultRole = GroupComponent "
           "RequiredQualifier = Dynamic RequiredAssocQualifier = Association KeysOnly");
  glong pos = 0;

  cr_assert_eq (wsim_wql_query_get_kind (q), WSIM_WQL_ASSOCIATORS);
  cr_assert_str_eq (wsim_wql_query_get_class (q), "Win32_LogicalDisk");
  cr_assert_str_eq (wsim_object_path_get_key_text (wsim_wql_query_get_source (q), 0), "C:");
  cr_assert_eq (wsim_wql_query_get_features (q),
                WMIQ_ASSOCQ_ASSOCIATORS | WMIQ_ASSOCQ_ASSOCCLASS | WMIQ_ASSOCQ_RESULTCLASS
                  | WMIQ_ASSOCQ_ROLE | WMIQ_ASSOCQ_RESULTROLE | WMIQ_ASSOCQ_REQUIREDQUALIFIER
                  | WMIQ_ASSOCQ_REQUIREDASSOCQUALIFIER | WMIQ_ASSOCQ_KEYSONLY);
  cr_assert_str_eq (wsim_wql_query_get_assoc_value (q, WSIM_WQL_ASSOC_CLASS, &pos), "Win32_SystemDevices");
  cr_assert_eq (pos, 72);
  cr_assert_str_eq (wsim_wql_query_get_assoc_value (q, WSIM_WQL_RESULT_CLASS, NULL), "Win32_ComputerSystem");
  cr_assert_str_eq (wsim_wql_query_get_assoc_value (q, WSIM_WQL_ROLE, NULL), "PartComponent");
  cr_assert_str_eq (wsim_wql_query_get_assoc_value (q, WSIM_WQL_RESULT_ROLE, NULL), "GroupComponent");
  cr_assert_str_eq (wsim_wql_query_get_assoc_value (q, WSIM_WQL_REQUIRED_QUALIFIER, NULL), "Dynamic");
  cr_assert_str_eq (wsim_wql_query_get_assoc_value (q, WSIM_WQL_REQUIRED_ASSOC_QUALIFIER, NULL),
                    "Association");
  cr_assert (wsim_wql_query_selects_all (q));
  cr_assert_not (wsim_wql_query_has_where (q), "no SELECT-style condition");
}

Test (wql_assoc_parse, references_of_and_bare_forms)
{
  g_autoptr (WsimWqlQuery) r = parse ("REFERENCES OF {Adapter.Name=\"AHA-294X\"} WHERE ClassDefsOnly");
  g_autoptr (WsimWqlQuery) bare = parse ("REFERENCES OF {Sim_Person.Name='a}b'}");
  g_autoptr (WsimWqlQuery) cls = parse ("ASSOCIATORS OF {Adapter} WHERE SchemaOnly");
  g_autoptr (WsimWqlQuery) full =
    parse ("ASSOCIATORS OF {\\\\.\\root\\cimv2:Win32_Process.Handle=\"4\"}");
  glong pos = 7;

  cr_assert_eq (wsim_wql_query_get_kind (r), WSIM_WQL_REFERENCES);
  cr_assert_eq (wsim_wql_query_get_features (r), WMIQ_ASSOCQ_REFERENCES | WMIQ_ASSOCQ_CLASSDEFSONLY);
  cr_assert_null (wsim_wql_query_get_assoc_value (r, WSIM_WQL_RESULT_CLASS, &pos));
  cr_assert_eq (pos, 0);
  /* A brace inside a quoted key does not end the path. */
  cr_assert_str_eq (wsim_object_path_get_key_text (wsim_wql_query_get_source (bare), 0), "a}b");
  cr_assert_eq (wsim_wql_query_get_features (bare), WMIQ_ASSOCQ_REFERENCES);
  cr_assert (wsim_object_path_is_class (wsim_wql_query_get_source (cls)));
  cr_assert_str_eq (wsim_object_path_get_namespace (wsim_wql_query_get_source (full)), "root\\cimv2");
  /* The words stay names in a SELECT. */
  wsim_wql_query_free (parse ("SELECT Role, KeysOnly FROM ResultClass WHERE AssocClass = 1"));
}

Test (wql_assoc_parse, syntax_errors_name_the_position)
{
  refused ("ASSOCIATORS", WBEM_E_INVALID_QUERY, 12, "expected OF");
  refused ("ASSOCIATORS {X.K=1}", WBEM_E_INVALID_QUERY, 13, "expected OF");
  refused ("REFERENCES OFF {X.K=1}", WBEM_E_INVALID_QUERY, 12, "expected OF");
  refused ("ASSOCIATORS OF X.K=1", WBEM_E_INVALID_QUERY, 16, "expected { and an object path");
  refused ("ASSOCIATORS OF {X.K=1", WBEM_E_INVALID_QUERY, 16, "unterminated {");
  refused ("ASSOCIATORS OF {X.K='}", WBEM_E_INVALID_QUERY, 16, "unterminated {");
  refused ("ASSOCIATORS OF {}", WBEM_E_INVALID_QUERY, 17, "expected an object path");
  refused ("ASSOCIATORS OF {X.K = 1}", WBEM_E_INVALID_QUERY, 17, "the object path is not valid");
  refused ("ASSOCIATORS OF {X.K=1} AssocClass = A", WBEM_E_INVALID_QUERY, 24, "expected WHERE");
  refused ("ASSOCIATORS OF {X.K=1} WHERE", WBEM_E_INVALID_QUERY, 29, "expected AssocClass");
  refused ("ASSOCIATORS OF {X.K=1} WHERE Nope", WBEM_E_INVALID_QUERY, 30, "expected AssocClass");
  refused ("ASSOCIATORS OF {X.K=1} WHERE AssocClass A", WBEM_E_INVALID_QUERY, 41, "expected = after AssocClass");
  refused ("ASSOCIATORS OF {X.K=1} WHERE AssocClass =", WBEM_E_INVALID_QUERY, 42, "expected a class name");
  refused ("ASSOCIATORS OF {X.K=1} WHERE Role = 'x'", WBEM_E_INVALID_QUERY, 37, "expected a property name");
  refused ("ASSOCIATORS OF {X.K=1} WHERE RequiredQualifier = 5", WBEM_E_INVALID_QUERY, 50,
           "expected a qualifier name");
  refused ("ASSOCIATORS OF {X.K=1} WHERE Role = A, ResultRole = B", WBEM_E_INVALID_QUERY, 38,
           "expected AssocClass");
  refused ("ASSOCIATORS OF {X.K=1} WHERE KeysOnly keysonly", WBEM_E_INVALID_QUERY, 39, "KeysOnly given twice");
  refused ("REFERENCES OF {X.K=1} WHERE ResultRole = A", WBEM_E_INVALID_QUERY, 29,
           "ResultRole is not valid in REFERENCES OF");
  refused ("REFERENCES OF {X.K=1} WHERE RequiredAssocQualifier = A", WBEM_E_INVALID_QUERY, 29,
           "RequiredAssocQualifier is not valid in REFERENCES OF");
  refused ("REFERENCES OF {X.K=1} WHERE Nope", WBEM_E_INVALID_QUERY, 29, "expected ClassDefsOnly");
  refused ("ASSOCIATORS OF {X.K=1} WHERE ResultClass = Y ClassDefsOnly", WBEM_E_INVALID_QUERY, 44,
           "ClassDefsOnly and ResultClass cannot be used together");
  refused ("REFERENCES OF {X} WHERE ClassDefsOnly SchemaOnly", WBEM_E_INVALID_QUERY, 49,
           "ClassDefsOnly is not valid with SchemaOnly");
  refused ("SELECT * FROM X WHERE a ISA", WBEM_E_INVALID_QUERY, 28, "expected a class name in quotes after ISA");
  refused ("SELECT * FROM X WHERE a ISA Y", WBEM_E_INVALID_QUERY, 29, "expected a class name in quotes");
  refused ("SELECT * FROM X WHERE a ISA ''", WBEM_E_INVALID_QUERY, 29, "expected a class name in quotes");
  refused ("SELECT * FROM X WHERE 'a' ISA 'Y'", WBEM_E_INVALID_QUERY, 23, "expected a property name or __THIS");
  refused ("SELECT * FROM X WHERE a IS 'Y'", WBEM_E_INVALID_QUERY, 28, "expected NULL");
  refused ("DELETE FROM X", WBEM_E_INVALID_QUERY, 1, "expected SELECT, ASSOCIATORS or REFERENCES");
}

/* ---------------------------------------------------------------- ISA */

typedef struct {
  const char *cls;        /* the object's class ... */
  const char *parent;     /* ... and its superclass */
  const char *asked_prop; /* what the callback was last asked */
  gboolean    asked_this;
} IsaRow;

static const wsim_value *
no_props (gpointer row, const char *property)
{
  return NULL;
}

static WsimWqlTruth
row_isa (gpointer data, const char *property, const char *class_name)
{
  IsaRow *r = data;

  r->asked_this = property == NULL;
  r->asked_prop = property;
  if (property != NULL)
    return WSIM_WQL_UNKNOWN;
  return g_ascii_strcasecmp (class_name, r->cls) == 0 || g_ascii_strcasecmp (class_name, r->parent) == 0
           ? WSIM_WQL_TRUE : WSIM_WQL_FALSE;
}

static gboolean
has_only_name (gpointer cls, const char *property)
{
  return g_ascii_strcasecmp (property, "Name") == 0;
}

Test (wql_assoc_parse, isa_asks_the_callback)
{
  IsaRow row = { "CIM_Processor", "CIM_LogicalDevice", NULL, FALSE };
  g_autoptr (WsimWqlQuery) q = parse ("SELECT * FROM meta_class WHERE __this ISA \"cim_logicaldevice\"");
  g_autoptr (WsimWqlQuery) other = parse ("SELECT * FROM X WHERE __THIS ISA 'Win32_Service'");
  g_autoptr (WsimWqlQuery) not_other = parse ("SELECT * FROM X WHERE NOT __THIS ISA 'Win32_Service'");
  g_autoptr (WsimWqlQuery) prop = parse ("SELECT * FROM X WHERE Name isa 'CIM_Processor'");
  g_autoptr (WsimWqlQuery) not_prop = parse ("SELECT * FROM X WHERE NOT Name ISA 'CIM_Processor'");
  g_autoptr (GError) error = NULL;

  cr_assert (wsim_wql_query_matches_isa (q, no_props, row_isa, &row));
  cr_assert (row.asked_this, "__THIS is asked as NULL");
  cr_assert_not (wsim_wql_query_matches_isa (other, no_props, row_isa, &row));
  cr_assert (wsim_wql_query_matches_isa (not_other, no_props, row_isa, &row));
  /* UNKNOWN (no embedded object) matches neither way. */
  cr_assert_not (wsim_wql_query_matches_isa (prop, no_props, row_isa, &row));
  cr_assert_str_eq (row.asked_prop, "Name");
  cr_assert_not (wsim_wql_query_matches_isa (not_prop, no_props, row_isa, &row));
  /* Without a callback ISA is UNKNOWN. */
  cr_assert_not (wsim_wql_query_matches (q, no_props, &row));
  cr_assert_not (wsim_wql_query_matches (not_other, no_props, &row));
  /* __THIS is no property to check; the property before ISA is one. */
  cr_assert (wsim_wql_query_check_properties (q, has_only_name, NULL, &error));
  cr_assert (wsim_wql_query_check_properties (prop, has_only_name, NULL, &error));
  cr_assert (wsim_wql_is_this ("__This"));
  cr_assert_not (wsim_wql_is_this ("__THIS_"));
  cr_assert_not (wsim_wql_is_this (NULL));
}

Test (wql_assoc_parse, isa_unknown_property_is_named)
{
  g_autoptr (WsimWqlQuery) q = parse ("SELECT * FROM X WHERE Name = 'a' AND Obj ISA 'Y'");
  g_autoptr (GError) error = NULL;

  cr_assert_not (wsim_wql_query_check_properties (q, has_only_name, NULL, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY));
  cr_assert (strstr (error->message, "unknown property 'Obj' at position 38") != NULL, "%s", error->message);
}
