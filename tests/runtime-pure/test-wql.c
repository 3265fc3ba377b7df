/* test-wql.c: wsim-wql, the WQL parser and evaluator.
 *
 * Owns the proof that every operator, literal and precedence rule means what WMI
 * means, that NULL follows three-valued logic, that each syntax error names the exact
 * character position, and that hostile input (1 MiB of parentheses, 1 MiB of ORs,
 * pathological LIKE patterns) is refused or handled quickly without exhausting the
 * stack. Rows are small tables of wsim_value looked up case-insensitively.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-value.h"
#include "wsim-wql.h"

/* ---------------------------------------------------------------- a row */

typedef struct
{
  const char *name;
  wsim_value  value;
} Prop;

typedef struct
{
  Prop  props[16];
  guint n;
} Row;

static Row row;

static wsim_value *
row_add (Row *r, const char *name)
{
  r->props[r->n].name = name;
  return &r->props[r->n++].value;
}

/* A Win32_Process-like row; Description is null. */
static void
row_setup (void)
{
  wsim_value *v;

  memset (&row, 0, sizeof row);
  wsim_value_set_string (row_add (&row, "Name"), "notepad.exe");
  v = row_add (&row, "ProcessId");
  v->type = CIM_UINT32;
  v->wsim_value_u.v_uint32 = 1234;
  wsim_value_set_string (row_add (&row, "Handle"), "1234");
  v = row_add (&row, "Priority");
  v->type = CIM_SINT32;
  v->wsim_value_u.v_sint32 = 8;
  wsim_value_set_uint64 (row_add (&row, "Big"), G_MAXUINT64);
  wsim_value_set_sint64 (row_add (&row, "Negative"), -5);
  wsim_value_set_real64 (row_add (&row, "Ratio"), 0.5);
  wsim_value_set_boolean (row_add (&row, "Active"), TRUE);
  wsim_value_set_boolean (row_add (&row, "Hidden"), FALSE);
  row_add (&row, "Description");       /* null */
  wsim_value_set_string (row_add (&row, "Caption"), "It's \"Notepad\" C:\\x");
  wsim_value_set_string (row_add (&row, "Percent"), "100%");
  wsim_value_set_string (row_add (&row, "Empty"), "");
  wsim_value_set_datetime (row_add (&row, "CreationDate"), "20240102030405.000000+000");
}

static void
row_teardown (void)
{
  for (guint i = 0; i < row.n; i++)
    wsim_value_clear (&row.props[i].value);
}

static const wsim_value *
row_get (gpointer data, const char *name)
{
  Row *r = data;

  for (guint i = 0; i < r->n; i++)
    if (g_ascii_strcasecmp (r->props[i].name, name) == 0)
      return &r->props[i].value;
  return NULL;
}

static gboolean
row_has (gpointer data, const char *name)
{
  return row_get (data, name) != NULL;
}

TestSuite (wql, .init = row_setup, .fini = row_teardown);

/* ---------------------------------------------------------------- helpers */

static WsimWqlQuery *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  WsimWqlQuery *q = wsim_wql_parse (text, &error);

  cr_assert_not_null (q, "'%s' did not parse: %s", text, error ? error->message : "?");
  cr_assert_null (error);
  return q;
}

/* Does the row match "SELECT * FROM Win32_Process WHERE <where>"? */
static gboolean
where (const char *cond)
{
  g_autofree char *text = g_strconcat ("SELECT * FROM Win32_Process WHERE ", cond, NULL);
  g_autoptr (WsimWqlQuery) q = parse_ok (text);

  return wsim_wql_query_matches (q, row_get, &row);
}

#define MATCH(cond)    cr_assert (where (cond), "expected a match: %s", cond)
#define NO_MATCH(cond) cr_assert_not (where (cond), "expected no match: %s", cond)

/* Asserts that @text fails with WBEM_E_INVALID_QUERY at character @pos with a message
 * containing @what. */
static void
assert_syntax_error (const char *text, long pos, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = wsim_wql_parse (text, &error);
  g_autofree char *at = g_strdup_printf ("at position %ld:", pos);

  cr_assert_null (q, "'%s' parsed but should not", text);
  cr_assert_not_null (error);
  cr_assert_eq (error->domain, WSIM_WBEM_ERROR);
  cr_assert_eq ((WsimHResult) error->code, WBEM_E_INVALID_QUERY, "'%s': %s", text, error->message);
  cr_assert (strstr (error->message, at) != NULL, "'%s': wanted '%s' in: %s", text, at,
             error->message);
  cr_assert (strstr (error->message, what) != NULL, "'%s': wanted '%s' in: %s", text, what,
             error->message);
}

/* ---------------------------------------------------------------- structure */

Test (wql, select_star)
{
  g_autoptr (WsimWqlQuery) q = parse_ok ("SELECT * FROM Win32_Process");

  cr_assert_str_eq (wsim_wql_query_get_class (q), "Win32_Process");
  cr_assert (wsim_wql_query_selects_all (q));
  cr_assert_null (wsim_wql_query_get_properties (q));
  cr_assert_not (wsim_wql_query_has_where (q));
  cr_assert (wsim_wql_query_matches (q, row_get, &row), "no WHERE matches every row");
}

Test (wql, select_list)
{
  g_autoptr (WsimWqlQuery) q = parse_ok ("SELECT Name,ProcessId , __PATH FROM Win32_Process");
  const char *const *props = wsim_wql_query_get_properties (q);

  cr_assert_not (wsim_wql_query_selects_all (q));
  cr_assert_not_null (props);
  cr_assert_str_eq (props[0], "Name");
  cr_assert_str_eq (props[1], "ProcessId");
  cr_assert_str_eq (props[2], "__PATH");
  cr_assert_null (props[3]);
}

Test (wql, keywords_are_case_insensitive)
{
  g_autoptr (WsimWqlQuery) q =
    parse_ok ("sElEcT name FrOm win32_process wHeRe NAME = 'x' oR NoT name iS nOt NuLl "
              "AnD name LiKe '%' Or active = tRuE");

  cr_assert_str_eq (wsim_wql_query_get_class (q), "win32_process");
  cr_assert_str_eq (wsim_wql_query_get_properties (q)[0], "name");
  cr_assert (wsim_wql_query_matches (q, row_get, &row));
}

Test (wql, whitespace_is_free)
{
  MATCH ("ProcessId=1234");
  MATCH ("\tProcessId\n=\r\n1234  ");
  MATCH ("(ProcessId=1234)AND(Name='notepad.exe')");
}

/* ---------------------------------------------------------------- operators */

Test (wql, each_comparison_operator)
{
  MATCH ("ProcessId = 1234");
  NO_MATCH ("ProcessId = 1235");
  MATCH ("ProcessId <> 1235");
  NO_MATCH ("ProcessId <> 1234");
  MATCH ("ProcessId != 1235");
  NO_MATCH ("ProcessId != 1234");
  MATCH ("ProcessId < 1235");
  NO_MATCH ("ProcessId < 1234");
  MATCH ("ProcessId > 1233");
  NO_MATCH ("ProcessId > 1234");
  MATCH ("ProcessId <= 1234");
  NO_MATCH ("ProcessId <= 1233");
  MATCH ("ProcessId >= 1234");
  NO_MATCH ("ProcessId >= 1235");
}

Test (wql, literal_on_either_side)
{
  MATCH ("1234 = ProcessId");
  MATCH ("1235 > ProcessId");
  NO_MATCH ("1233 > ProcessId");
  MATCH ("'1234' = ProcessId");      /* numeric string against a number */
  MATCH ("1234 > Priority");
}

/* ---------------------------------------------------------------- literals */

Test (wql, string_literals)
{
  MATCH ("Name = 'notepad.exe'");
  MATCH ("Name = \"notepad.exe\"");
  MATCH ("Caption = 'It\\'s \"Notepad\" C:\\\\x'");
  MATCH ("Caption = \"It's \\\"Notepad\\\" C:\\\\x\"");
  MATCH ("Empty = ''");
  NO_MATCH ("Name = ''");
  MATCH ("Name = 'NOTEPAD.EXE'");          /* case-insensitive */
  MATCH ("Name > 'NOTEPAD'");
  MATCH ("CreationDate = '20240102030405.000000+000'");
  MATCH ("CreationDate < '20250101000000.000000+000'");
  MATCH ("Handle = 1234");                 /* string property, numeric literal */
  NO_MATCH ("Name = 1234");                /* not a number: UNKNOWN */
}

Test (wql, integer_literals)
{
  MATCH ("ProcessId = 0x4D2");
  MATCH ("ProcessId = 0X4d2");
  MATCH ("Negative = -5");
  MATCH ("Negative < -0x4");
  MATCH ("Big = 18446744073709551615");
  MATCH ("Big = 0xFFFFFFFFFFFFFFFF");
  MATCH ("Negative > -9223372036854775808");
  MATCH ("Negative < 18446744073709551615");   /* sint64 below the largest uint64 */
  MATCH ("Big > -1");
  NO_MATCH ("Big < -1");
}

Test (wql, real_literals)
{
  MATCH ("Ratio = 0.5");
  MATCH ("Ratio = .5");
  MATCH ("Ratio = 5e-1");
  MATCH ("Ratio = 5.0E-1");
  MATCH ("Ratio > -1e3");
  MATCH ("ProcessId = 1234.0");
  MATCH ("ProcessId < 1234.5");
  MATCH ("ProcessId > 1233.999");
  MATCH ("Negative = -5.0");
}

Test (wql, boolean_and_null_literals)
{
  MATCH ("Active = TRUE");
  MATCH ("Active = true");
  MATCH ("Hidden = FALSE");
  NO_MATCH ("Active = FALSE");
  MATCH ("Hidden < TRUE");
  NO_MATCH ("Active = 1");                 /* booleans compare with booleans only */
  NO_MATCH ("Name = NULL");
  MATCH ("Description = NULL");            /* = NULL is IS NULL */
}

/* ---------------------------------------------------------------- logic */

Test (wql, precedence_not_and_or)
{
  /* TRUE OR (TRUE AND FALSE) = TRUE; (TRUE OR TRUE) AND FALSE = FALSE. */
  MATCH ("Active = TRUE OR Active = TRUE AND Hidden = TRUE");
  NO_MATCH ("(Active = TRUE OR Active = TRUE) AND Hidden = TRUE");
  /* (FALSE AND FALSE) OR TRUE */
  MATCH ("Hidden = TRUE AND Hidden = TRUE OR Active = TRUE");
  /* (NOT FALSE) AND FALSE = FALSE; NOT (FALSE AND FALSE) = TRUE */
  NO_MATCH ("NOT Hidden = TRUE AND Hidden = TRUE");
  MATCH ("NOT (Hidden = TRUE AND Hidden = TRUE)");
  /* (NOT TRUE) OR TRUE */
  MATCH ("NOT Active = TRUE OR Active = TRUE");
  MATCH ("NOT NOT Active = TRUE");
  NO_MATCH ("NOT NOT NOT Active = TRUE");
  MATCH ("((((ProcessId = 1234))))");
  MATCH ("ProcessId = 1 OR ProcessId = 2 OR ProcessId = 1234 OR ProcessId = 3");
  NO_MATCH ("ProcessId = 1234 AND Name = 'x' AND Active = TRUE");
  MATCH ("ProcessId = 1234 AND (Name = 'x' OR Name = 'notepad.exe') AND NOT Hidden = TRUE");
}

Test (wql, null_three_valued_logic)
{
  MATCH ("Description IS NULL");
  NO_MATCH ("Description IS NOT NULL");
  MATCH ("Name IS NOT NULL");
  NO_MATCH ("Name IS NULL");
  NO_MATCH ("Description = 'x'");           /* UNKNOWN */
  NO_MATCH ("Description <> 'x'");          /* UNKNOWN, not TRUE */
  NO_MATCH ("NOT Description = 'x'");       /* NOT UNKNOWN = UNKNOWN */
  NO_MATCH ("NOT (Description = 'x')");
  MATCH ("Description = 'x' OR Active = TRUE");   /* UNKNOWN OR TRUE = TRUE */
  NO_MATCH ("Description = 'x' OR Hidden = TRUE"); /* UNKNOWN OR FALSE = UNKNOWN */
  NO_MATCH ("Description = 'x' AND Active = TRUE"); /* UNKNOWN AND TRUE = UNKNOWN */
}

Test (wql, null_and_false_is_false)
{
  MATCH ("NOT (Description = 'x' AND Hidden = TRUE)");
  MATCH ("NOT (Description = 'x' OR Hidden = TRUE) OR Active = TRUE");
  NO_MATCH ("NOT (Description = 'x' OR Hidden = TRUE)");
  NO_MATCH ("Description LIKE '%'");        /* LIKE on null: UNKNOWN */
  NO_MATCH ("Description NOT LIKE 'x'");
  MATCH ("NOT (Description = 'x' AND Description IS NOT NULL)");
}

Test (wql, unknown_property_is_unknown)
{
  NO_MATCH ("NoSuchProp = 1");
  NO_MATCH ("NOT NoSuchProp = 1");
  NO_MATCH ("NoSuchProp IS NULL");
  NO_MATCH ("NoSuchProp IS NOT NULL");
  MATCH ("NoSuchProp = 1 OR ProcessId = 1234");
}

/* ---------------------------------------------------------------- LIKE */

Test (wql, like_wildcards)
{
  MATCH ("Name LIKE '%'");
  MATCH ("Empty LIKE '%'");
  MATCH ("Empty LIKE '%%'");
  NO_MATCH ("Empty LIKE '_'");
  MATCH ("Empty LIKE ''");
  NO_MATCH ("Name LIKE ''");
  MATCH ("Name LIKE 'notepad.exe'");
  MATCH ("Name LIKE 'NOTEPAD.EXE'");
  MATCH ("Name LIKE 'note%'");
  MATCH ("Name LIKE '%.exe'");
  MATCH ("Name LIKE '%PAD%'");
  MATCH ("Name LIKE 'n%e%e'");
  NO_MATCH ("Name LIKE 'note'");
  NO_MATCH ("Name LIKE '%.dll'");
  MATCH ("Name LIKE '_otepad.exe'");
  MATCH ("Name LIKE 'notepad.ex_'");
  MATCH ("Name LIKE '___________'");        /* 11 characters */
  NO_MATCH ("Name LIKE '__________'");
  NO_MATCH ("Name LIKE '____________'");
  MATCH ("Name LIKE '%_'");
  MATCH ("Name NOT LIKE '%.dll'");
  NO_MATCH ("Name NOT LIKE '%.exe'");
  MATCH ("NOT Name LIKE '%.dll'");
}

Test (wql, like_sets)
{
  MATCH ("Name LIKE '[nm]otepad.exe'");
  MATCH ("Name LIKE '[NM]otepad.exe'");     /* sets are case-insensitive too */
  NO_MATCH ("Name LIKE '[abc]otepad.exe'");
  MATCH ("Name LIKE '[a-z]otepad.exe'");
  MATCH ("Name LIKE '[A-Z]otepad.exe'");
  MATCH ("Name LIKE '[^a-m]otepad.exe'");
  NO_MATCH ("Name LIKE '[^n]otepad.exe'");
  MATCH ("Name LIKE '%[.]exe'");
  MATCH ("Name LIKE '[a-cm-o]%'");
  NO_MATCH ("Name LIKE '[0-9]%'");
  MATCH ("Handle LIKE '[0-9][0-9]%'");
}

Test (wql, like_escaping_with_sets)
{
  MATCH ("Percent LIKE '100[%]'");
  NO_MATCH ("Percent LIKE '1000[%]'");
  MATCH ("Percent LIKE '%[%]'");
  NO_MATCH ("Name LIKE '%[%]%'");
  MATCH ("Caption LIKE 'It[\\']s%'");
  MATCH ("Caption LIKE '%[_\"]Notepad%'");
  NO_MATCH ("Name LIKE 'notepad[_]exe'");
  MATCH ("Name LIKE 'notepad[.]exe'");
  MATCH ("Caption LIKE '%C:\\\\x'");        /* a backslash in the pattern */
  MATCH ("Name LIKE '[]n]otepad.exe'");     /* ']' first in a set is a member */
  MATCH ("Percent LIKE '100[-%]'");         /* '-' next to ']' is a member */
}

Test (wql, like_on_non_strings)
{
  MATCH ("ProcessId LIKE '12%'");
  MATCH ("Active LIKE 'TRUE'");
  MATCH ("CreationDate LIKE '2024%'");
}

Test (wql, like_is_not_exponential)
{
  /* A pattern that makes naive backtracking explode. */
  GString *s = g_string_new (NULL);
  g_autoptr (WsimWqlQuery) q = NULL;
  wsim_value *v;

  for (int i = 0; i < 20000; i++)
    g_string_append_c (s, 'a');
  v = row_add (&row, "Long");
  wsim_value_set_string (v, s->str);
  g_string_free (s, TRUE);

  q = parse_ok ("SELECT * FROM X WHERE Long LIKE '%a%a%a%a%a%a%a%a%a%a%b'");
  /* No clock here: the test's timeout catches backtracking gone exponential. */
  cr_assert_not (wsim_wql_query_matches (q, row_get, &row));
}

/* ---------------------------------------------------------------- errors */

Test (wql, syntax_errors_name_the_position)
{
  assert_syntax_error ("", 1, "expected SELECT");
  assert_syntax_error ("SELEC * FROM X", 1, "expected SELECT");
  assert_syntax_error ("DESCRIBE X", 1, "expected SELECT");
  assert_syntax_error ("SELECT FROM X", 8, "expected property name or *");
  assert_syntax_error ("SELECT a, FROM X", 11, "expected property name");
  assert_syntax_error ("SELECT a b FROM X", 10, "expected FROM");
  assert_syntax_error ("SELECT * Win32_Process", 10, "expected FROM");
  assert_syntax_error ("SELECT *, a FROM X", 9, "expected FROM");
  assert_syntax_error ("SELECT * FROM", 14, "expected class name");
  assert_syntax_error ("SELECT * FROM 5", 15, "expected class name");
  assert_syntax_error ("SELECT * FROM X Y", 17, "expected WHERE or end of query");
  assert_syntax_error ("SELECT * FROM X WHERE", 22, "expected property name or value");
  assert_syntax_error ("SELECT * FROM X WHERE a", 24, "expected comparison operator");
  assert_syntax_error ("SELECT * FROM X WHERE a =", 26, "expected property name or value");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1 b", 29, "expected AND, OR or end of query");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1 AND", 32, "expected property name or value");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1 OR OR b = 2", 32,
                       "expected property name or value");
  assert_syntax_error ("SELECT * FROM X WHERE (a = 1", 29, "expected )");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1)", 28, "unbalanced )");
  assert_syntax_error ("SELECT * FROM X WHERE ()", 24, "expected property name or value");
  assert_syntax_error ("SELECT * FROM X WHERE a = 'abc", 27, "unterminated string");
  assert_syntax_error ("SELECT * FROM X WHERE a = \"abc", 27, "unterminated string");
  assert_syntax_error ("SELECT * FROM X WHERE a = 'ab\\'", 27, "unterminated string");
  assert_syntax_error ("SELECT * FROM X WHERE a = 'a\\qb'", 29, "invalid escape sequence");
  assert_syntax_error ("SELECT * FROM X WHERE a IS 5", 28, "expected NULL");
  assert_syntax_error ("SELECT * FROM X WHERE a IS NOT", 31, "expected NULL");
  assert_syntax_error ("SELECT * FROM X WHERE a LIKE 5", 30, "expected a string pattern");
  assert_syntax_error ("SELECT * FROM X WHERE a NOT 'x'", 29, "expected LIKE");
  assert_syntax_error ("SELECT * FROM X WHERE a LIKE '[abc'", 30, "unterminated [");
  assert_syntax_error ("SELECT * FROM X WHERE a = 12abc", 27, "invalid number");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1.2.3", 27, "invalid number");
  assert_syntax_error ("SELECT * FROM X WHERE a = 0x", 27, "invalid number");
  assert_syntax_error ("SELECT * FROM X WHERE a = 18446744073709551616", 27,
                       "integer out of range");
  assert_syntax_error ("SELECT * FROM X WHERE a = -9223372036854775809", 27,
                       "integer out of range");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1e999", 27, "number out of range");
  assert_syntax_error ("SELECT * FROM X WHERE a # 1", 25, "unexpected character '#'");
  assert_syntax_error ("SELECT * FROM X WHERE a ! 1", 25, "unexpected character '!'");
  assert_syntax_error ("SELECT * FROM X WHERE a = - 1", 27, "unexpected character '-'");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1 = c", 29, "expected AND, OR or end of query");
  assert_syntax_error ("SELECT * FROM X WHERE NOT", 26, "expected property name or value");
}

Test (wql, error_positions_count_characters_not_bytes)
{
  /* 'é' and '€' are 2 and 3 bytes but one character each. */
  assert_syntax_error ("SELECT * FROM X WHERE a = 'é€' b", 32, "expected AND, OR or end of query");
  assert_syntax_error ("SELECT * FROM X WHERE a = 'é' ¤", 31, "unexpected character '¤'");
  assert_syntax_error ("SELECT * FROM X WHERE a = '\xff'", 28, "invalid UTF-8");
}

Test (wql, syntax_error_code_and_format)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = wsim_wql_parse ("SELECT * Win32_Process", &error);

  cr_assert_null (q);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY));
  cr_assert (g_str_has_prefix (error->message, "syntax error at position 10: expected FROM"),
             "%s", error->message);
  cr_assert (strstr (error->message, "0x80041017") != NULL, "%s", error->message);
}

Test (wql, only_wql_is_accepted)
{
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  cr_assert (wsim_wql_check_language ("WQL", NULL));
  cr_assert (wsim_wql_check_language ("wql", NULL));
  cr_assert (wsim_wql_check_language ("WqL", NULL));
  cr_assert_not (wsim_wql_check_language ("SQL", &e1));
  cr_assert (g_error_matches (e1, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY_TYPE));
  cr_assert (strstr (e1->message, "SQL") != NULL, "%s", e1->message);
  cr_assert_not (wsim_wql_check_language ("", &e2));
  cr_assert (g_error_matches (e2, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY_TYPE));
  cr_assert_not (wsim_wql_check_language (NULL, &e3));
  cr_assert (g_error_matches (e3, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY_TYPE));
  cr_assert_not (wsim_wql_check_language ("WQL ", NULL));
}

Test (wql, check_properties_names_the_unknown_one)
{
  g_autoptr (WsimWqlQuery) ok =
    parse_ok ("SELECT Name, ProcessId FROM Win32_Process WHERE name = 'x' OR (NOT Active = TRUE "
              "AND Handle LIKE '1%' AND Description IS NULL)");
  g_autoptr (WsimWqlQuery) bad_select = parse_ok ("SELECT Name, Nope FROM Win32_Process");
  g_autoptr (WsimWqlQuery) bad_where =
    parse_ok ("SELECT * FROM Win32_Process WHERE Name = 'x' OR (Active = TRUE AND Missing > 3)");
  g_autoptr (WsimWqlQuery) bad_rhs = parse_ok ("SELECT * FROM Win32_Process WHERE 5 < Gone");
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  cr_assert (wsim_wql_query_check_properties (ok, row_has, &row, NULL));

  cr_assert_not (wsim_wql_query_check_properties (bad_select, row_has, &row, &e1));
  cr_assert (g_error_matches (e1, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY));
  cr_assert (strstr (e1->message, "'Nope' at position 14") != NULL, "%s", e1->message);

  cr_assert_not (wsim_wql_query_check_properties (bad_where, row_has, &row, &e2));
  cr_assert (g_error_matches (e2, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY));
  cr_assert (strstr (e2->message, "'Missing' at position 68") != NULL, "%s", e2->message);

  cr_assert_not (wsim_wql_query_check_properties (bad_rhs, row_has, &row, &e3));
  cr_assert (strstr (e3->message, "'Gone'") != NULL, "%s", e3->message);
}

/* ---------------------------------------------------------------- hostile input */

static char *
repeat (const char *prefix, const char *unit, gsize total, const char *suffix)
{
  GString *s = g_string_new (prefix);

  while (s->len < total)
    g_string_append (s, unit);
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}


Test (wql, nesting_limit_is_exact)
{
  GString *ok = g_string_new ("SELECT * FROM X WHERE ");
  GString *bad;
  g_autoptr (WsimWqlQuery) q = NULL;
  g_autofree char *text = NULL;

  for (int i = 0; i < WSIM_WQL_MAX_NESTING; i++)
    g_string_append_c (ok, '(');
  g_string_append (ok, "ProcessId = 1234");
  for (int i = 0; i < WSIM_WQL_MAX_NESTING; i++)
    g_string_append_c (ok, ')');
  q = parse_ok (ok->str);
  cr_assert (wsim_wql_query_matches (q, row_get, &row));

  /* One more level: refused at the 256th '(' (position 22 + 256). */
  bad = g_string_new ("SELECT * FROM X WHERE ");
  for (int i = 0; i <= WSIM_WQL_MAX_NESTING; i++)
    g_string_append_c (bad, '(');
  g_string_append (bad, "a = 1");
  for (int i = 0; i <= WSIM_WQL_MAX_NESTING; i++)
    g_string_append_c (bad, ')');
  assert_syntax_error (bad->str, 22 + WSIM_WQL_MAX_NESTING + 1, "");
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (WsimWqlQuery) q2 = wsim_wql_parse (bad->str, &error);

    cr_assert (g_str_has_prefix (error->message, "too deeply nested at position 278"), "%s",
               error->message);
  }

  /* NOTs count as nesting too: 255 parse, 256 do not. */
  text = repeat ("SELECT * FROM X WHERE ", "NOT ", 22 + 4 * WSIM_WQL_MAX_NESTING, "ProcessId = 1");
  g_clear_pointer (&q, wsim_wql_query_free);
  q = parse_ok (text);
  cr_assert (wsim_wql_query_matches (q, row_get, &row), "255 NOTs of FALSE are TRUE");
  g_free (text);
  text = repeat ("SELECT * FROM X WHERE ", "NOT ", 22 + 4 * (WSIM_WQL_MAX_NESTING + 1), "a = 1");
  assert_syntax_error (text, 22 + 4 * WSIM_WQL_MAX_NESTING + 1, "");

  g_string_free (ok, TRUE);
  g_string_free (bad, TRUE);
}

Test (wql, one_mib_of_parentheses_is_refused)
{
  g_autofree char *text = repeat ("SELECT * FROM X WHERE ", "(", 1 << 20, "a = 1");
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = wsim_wql_parse (text, &error);

  cr_assert_null (q);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY));
  cr_assert (strstr (error->message, "too deeply nested at position 278") != NULL, "%s",
             error->message);
}

Test (wql, one_mib_of_nots_is_refused)
{
  g_autofree char *text = repeat ("SELECT * FROM X WHERE ", "NOT (", 1 << 20, "a = 1");
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = wsim_wql_parse (text, &error);

  cr_assert_null (q);
  cr_assert (strstr (error->message, "too deeply nested") != NULL, "%s", error->message);
}

Test (wql, one_mib_of_ors_parses_fast)
{
  GString *s = g_string_new ("SELECT Name FROM Win32_Process WHERE ");
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = NULL;
  gint64 t0, parse_us, match_us;
  guint n = 0;

  while (s->len < (1u << 20))
    {
      g_string_append_printf (s, "%sProcessId = %u", n == 0 ? "" : " OR ", 100000 + n);
      n++;
    }
  g_string_append (s, " OR (Name LIKE 'note%' AND ProcessId = 1234)");
  cr_assert_gt (n, 30000);

  t0 = g_get_monotonic_time ();
  q = wsim_wql_parse (s->str, &error);
  parse_us = g_get_monotonic_time () - t0;
  cr_assert_not_null (q, "%s", error ? error->message : "");

  t0 = g_get_monotonic_time ();
  cr_assert (wsim_wql_query_matches (q, row_get, &row), "the last alternative matches");
  match_us = g_get_monotonic_time () - t0;

  /* Speed is measured, not asserted: the test's timeout catches a parser gone quadratic. */
  cr_log_info ("1 MiB, %u ORs: parse %" G_GINT64_FORMAT " us, match %" G_GINT64_FORMAT " us",
               n, parse_us, match_us);

  /* The same query with an error at its very end reports a position beyond 1 MiB. */
  g_string_append (s, " AND");
  {
    g_autofree char *at = g_strdup_printf ("at position %" G_GSIZE_FORMAT ":", s->len + 1);
    g_autoptr (GError) e2 = NULL;
    g_autoptr (WsimWqlQuery) q2 = wsim_wql_parse (s->str, &e2);

    cr_assert_null (q2);
    cr_assert (strstr (e2->message, at) != NULL, "%s", e2->message);
  }
  g_string_free (s, TRUE);
}

Test (wql, one_mib_of_ands_in_one_group)
{
  GString *s = g_string_new ("SELECT * FROM X WHERE (");
  g_autoptr (WsimWqlQuery) q = NULL;
  guint n = 0;

  while (s->len < (1u << 20))
    {
      g_string_append_printf (s, "%sProcessId <> %u", n == 0 ? "" : " AND ", 100000 + n);
      n++;
    }
  g_string_append (s, ")");
  q = parse_ok (s->str);
  cr_assert (wsim_wql_query_matches (q, row_get, &row));
  g_string_free (s, TRUE);
}

Test (wql, free_null_is_a_no_op)
{
  /* wsim_wql_query_free (NULL) and the autoptr cleanup of NULL do nothing. */
  g_autoptr (WsimWqlQuery) q = NULL;

  wsim_wql_query_free (NULL);
  cr_assert_null (q);
}

/* Random queries: valid ones built from comparisons, AND/OR, NOT and parentheses, then
 * the same with a random fragment inserted at a random place. Whatever parses must
 * evaluate and free cleanly; whatever does not must fail with a positioned
 * WBEM_E_INVALID_QUERY. Fixed seed, so a failure reproduces. */
Test (wql, random_queries_never_crash)
{
  static const char *const cmp[] = {
    "Name = 'notepad.exe'", "ProcessId > 5", "Description IS NULL", "Ratio <= 0.5",
    "Name LIKE '%[^x]_e'", "Active = TRUE", "Big <> -1", "Handle != \"it\\'s\"",
    "Nope = 3", "Empty IS NOT NULL", "Negative >= -0x5",
  };
  static const char *const junk[] = {
    "(", ")", "'", "\"", "\\", "NOT ", "AND ", "OR", "=", "<", "!", "[", "%", "0x", "é",
    "#", " ", "IS", "LIKE", "1.2.3", "-", ",",
  };
  GRand *rand = g_rand_new_with_seed (20240611);
  int parsed = 0, refused = 0;

  for (int iter = 0; iter < 3000; iter++)
    {
      GString *s = g_string_new ("SELECT * FROM X WHERE ");
      int n = g_rand_int_range (rand, 1, 6), open = 0;
      g_autoptr (GError) error = NULL;
      g_autoptr (WsimWqlQuery) q = NULL;

      for (int k = 0; k < n; k++)
        {
          if (k > 0)
            g_string_append (s, g_rand_boolean (rand) ? " AND " : " OR ");
          if (g_rand_int_range (rand, 0, 3) == 0)
            g_string_append (s, "NOT ");
          if (g_rand_int_range (rand, 0, 3) == 0)
            {
              g_string_append (s, "(");
              open++;
            }
          g_string_append (s, cmp[g_rand_int_range (rand, 0, G_N_ELEMENTS (cmp))]);
          if (open > 0 && g_rand_boolean (rand))
            {
              g_string_append (s, ")");
              open--;
            }
        }
      for (; open > 0; open--)
        g_string_append (s, ")");
      if (iter % 2 == 1)
        g_string_insert (s, g_rand_int_range (rand, 0, (gint32) s->len + 1),
                         junk[g_rand_int_range (rand, 0, G_N_ELEMENTS (junk))]);

      q = wsim_wql_parse (s->str, &error);
      if (q != NULL)
        {
          parsed++;
          (void) wsim_wql_query_matches (q, row_get, &row);
          (void) wsim_wql_query_check_properties (q, row_has, &row, NULL);
        }
      else
        {
          refused++;
          cr_assert (iter % 2 == 1, "a generated valid query was refused: '%s': %s", s->str,
                     error->message);
          cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_QUERY),
                     "'%s'", s->str);
          cr_assert (strstr (error->message, "at position ") != NULL, "%s", error->message);
        }
      g_string_free (s, TRUE);
    }
  cr_assert_gt (parsed, 1500);
  cr_assert_gt (refused, 300);
  g_rand_free (rand);
}

/* ---------------------------------------------------------------- found by a user */

/* WMI reads "p = NULL" as "p IS NULL" and "p <> NULL" / "p != NULL" as "p IS NOT NULL",
 * with NULL on either side; ordering against NULL stays UNKNOWN. */
Test (wql, equals_null_is_is_null, .timeout = 30)
{
  g_autoptr (WsimWqlQuery) gone_lhs = parse_ok ("SELECT * FROM X WHERE Gone = NULL");
  g_autoptr (WsimWqlQuery) gone_rhs = parse_ok ("SELECT * FROM X WHERE NULL <> Gone");
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;

  MATCH ("Description = NULL");
  MATCH ("NULL = Description");
  NO_MATCH ("Name = NULL");
  MATCH ("Name <> NULL");
  MATCH ("Name != NULL");
  MATCH ("NULL != Name");
  NO_MATCH ("Description <> NULL");
  NO_MATCH ("Description != NULL");
  MATCH ("NOT Name = NULL");               /* TRUE or FALSE, never UNKNOWN */
  MATCH ("NOT (Description <> NULL)");
  MATCH ("Empty <> NULL");                 /* '' is a value, not null */
  NO_MATCH ("NoSuchProp = NULL");          /* unknown property: UNKNOWN, as for IS NULL */
  NO_MATCH ("NOT NoSuchProp <> NULL");
  NO_MATCH ("Description < NULL");         /* only = and <> mean IS [NOT] NULL */
  NO_MATCH ("NOT Description >= NULL");

  /* The property is still checked against the class, on either side. */
  cr_assert_not (wsim_wql_query_check_properties (gone_lhs, row_has, &row, &e1));
  cr_assert (strstr (e1->message, "'Gone' at position 23") != NULL, "%s", e1->message);
  cr_assert_not (wsim_wql_query_check_properties (gone_rhs, row_has, &row, &e2));
  cr_assert (strstr (e2->message, "'Gone' at position 31") != NULL, "%s", e2->message);
}

/* WMI's WHERE compares a property with a constant: a property on both sides or on
 * neither is refused, at the operand that should be the other kind. IS [NOT] NULL and
 * [NOT] LIKE test a property. */
Test (wql, a_comparison_has_a_property_on_one_side_only, .timeout = 30)
{
  assert_syntax_error ("SELECT * FROM X WHERE Name = Name", 30, "expected a constant");
  assert_syntax_error ("SELECT * FROM X WHERE a < b", 27, "expected a constant");
  assert_syntax_error ("SELECT * FROM X WHERE a = 1 AND (b != c)", 39, "expected a constant");
  assert_syntax_error ("SELECT * FROM X WHERE 1 = 1", 27, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE 'a' <> \"b\"", 30, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE TRUE = FALSE", 30, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE NULL = NULL", 30, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE 0x10 >= -2.5", 31, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE NULL IS NULL", 23, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE 5 IS NOT NULL", 23, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE 'abc' LIKE 'a%'", 23, "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE NOT 'abc' NOT LIKE 'a%'", 27,
                       "expected a property name");
  assert_syntax_error ("SELECT * FROM X WHERE Name = Name", 30,
                       "a property on one side and a constant on the other");

  /* A constant on either side, as before. */
  MATCH ("1234 = ProcessId");
  MATCH ("'NOTEPAD.EXE' = Name");
  MATCH ("TRUE = Active");
}

/* ASSOCIATORS OF, REFERENCES OF and ISA parse (their forms and errors: test-wql-assoc.c). */
Test (wql, associators_references_and_isa_parse, .timeout = 30)
{
  g_autoptr (WsimWqlQuery) a = parse_ok ("ASSOCIATORS OF {Win32_Process.Handle=\"1\"}");
  g_autoptr (WsimWqlQuery) r = parse_ok ("  REFERENCES OF {Win32_Process.Handle=\"1\"}");
  g_autoptr (WsimWqlQuery) i = parse_ok ("SELECT * FROM X WHERE a = 1 OR (NOT b ISA 'Y')");

  cr_assert_eq (wsim_wql_query_get_kind (a), WSIM_WQL_ASSOCIATORS);
  cr_assert_eq (wsim_wql_query_get_kind (r), WSIM_WQL_REFERENCES);
  cr_assert_eq (wsim_wql_query_get_kind (i), WSIM_WQL_SELECT);

  /* The words stay usable as names; other unknown statements are still syntax errors. */
  wsim_wql_query_free (parse_ok ("SELECT Isa, References FROM Associators WHERE Isa = 1"));
  assert_syntax_error ("DELETE FROM X", 1, "expected SELECT");
  assert_syntax_error ("SELECT * FROM X WHERE a ISNT 'x'", 25, "expected comparison operator");
}
