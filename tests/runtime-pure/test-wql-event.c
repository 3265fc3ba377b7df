/* test-wql-event.c: wsim-wql's event queries (wsim_wql_parse_event), parsed and matched.
 *
 * Owns the proof that WITHIN (fractional too), GROUP WITHIN, BY and HAVING are read and
 * represented, that each malformed clause fails with Microsoft's status at the exact
 * character position, that the data-query parser still refuses them, that the target
 * class is found only where the WHERE requires it, and that dotted names
 * (TargetInstance.Name) and ISA on an embedded object are resolved by the caller's
 * functions, here over a fake event row.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-value.h"
#include "wsim-wql.h"

TestSuite (wql_event, .timeout = 30);

/* ---------------------------------------------------------------- helpers */

static WsimWqlQuery *
event_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  WsimWqlQuery *q = wsim_wql_parse_event (text, &error);

  cr_assert_not_null (q, "'%s' did not parse: %s", text, error ? error->message : "?");
  cr_assert_null (error);
  cr_assert_eq (wsim_wql_query_get_kind (q), WSIM_WQL_EVENT);
  return q;
}

/* Asserts that @parse refuses @text with @hr at character @pos, the message holding @what. */
static void
assert_refused (WsimWqlQuery *(*parse) (const char *, GError **), const char *text,
                WsimHResult hr, long pos, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = parse (text, &error);
  g_autofree char *at = g_strdup_printf ("at position %ld:", pos);

  cr_assert_null (q, "'%s' parsed but should not", text);
  cr_assert_not_null (error);
  cr_assert_eq (error->domain, WSIM_WBEM_ERROR);
  cr_assert_eq ((WsimHResult) error->code, hr, "'%s': %s", text, error->message);
  cr_assert (strstr (error->message, at) != NULL, "'%s': wanted '%s' in: %s", text, at,
             error->message);
  cr_assert (strstr (error->message, what) != NULL, "'%s': wanted '%s' in: %s", text, what,
             error->message);
}

#define EVENT_REFUSED(text, hr, pos, what) assert_refused (wsim_wql_parse_event, text, hr, pos, what)

/* ---------------------------------------------------------------- intrinsic events */

Test (wql_event, creation_within_and_target_class)
{
  g_autoptr (WsimWqlQuery) q = event_ok ("SELECT * FROM __InstanceCreationEvent WITHIN 2 WHERE "
                                         "TargetInstance ISA 'Win32_Process' AND "
                                         "TargetInstance.Name = 'sleep'");

  cr_assert_str_eq (wsim_wql_query_get_class (q), "__InstanceCreationEvent");
  cr_assert (wsim_wql_query_selects_all (q));
  cr_assert (wsim_wql_query_has_where (q));
  cr_assert_float_eq (wsim_wql_query_get_within (q), 2.0, 1e-12);
  cr_assert_str_eq (wsim_wql_query_get_target_class (q), "Win32_Process");
  cr_assert (wsim_wql_query_is_intrinsic (q));
  cr_assert_eq (wsim_wql_query_get_group_within (q), 0);
  cr_assert_null (wsim_wql_query_get_group_by (q));
  cr_assert_not (wsim_wql_query_has_having (q));
  cr_assert (wsim_wql_query_having_matches (q, 0), "no HAVING delivers every group");
}

Test (wql_event, the_instance_event_classes)
{
  static const char *const classes[] = { "__InstanceDeletionEvent", "__InstanceModificationEvent",
                                         "__InstanceOperationEvent", "__instancecreationevent" };

  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      g_autofree char *text = g_strdup_printf ("select * from %s within 10 where TargetInstance "
                                               "isa \"Win32_Service\"", classes[i]);
      g_autoptr (WsimWqlQuery) q = event_ok (text);

      cr_assert_str_eq (wsim_wql_query_get_class (q), classes[i]);
      cr_assert (wsim_wql_query_is_intrinsic (q), "%s", classes[i]);
      cr_assert_str_eq (wsim_wql_query_get_target_class (q), "Win32_Service");
    }
  {
    g_autoptr (WsimWqlQuery) m = event_ok (
      "SELECT * FROM __InstanceModificationEvent WITHIN 5 WHERE TargetInstance ISA 'Win32_Service' "
      "AND TargetInstance.State <> PreviousInstance.State");

    cr_assert_str_eq (wsim_wql_query_get_target_class (m), "Win32_Service");
  }
  /* A data query still refuses two properties ("WHERE Clause (WMI)"). */
  assert_refused (wsim_wql_parse, "SELECT * FROM Win32_Service WHERE State <> StartMode",
                  WBEM_E_INVALID_QUERY, 44, "expected a constant");
}

Test (wql_event, within_is_fractional_seconds)
{
  static const struct
  {
    const char *within;
    double      seconds;
  } cases[] = {
    { "0.5", 0.5 }, { ".25", 0.25 }, { "1e-3", 0.001 }, { "0x10", 16 }, { "300", 300 },
    { "4294967.295", 4294967.295 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("SELECT * FROM __InstanceDeletionEvent WITHIN %s "
                                               "WHERE TargetInstance ISA 'Win32_Process'",
                                               cases[i].within);
      g_autoptr (WsimWqlQuery) q = event_ok (text);

      cr_assert_float_eq (wsim_wql_query_get_within (q), cases[i].seconds, 1e-9, "%s",
                          cases[i].within);
    }
  {
    g_autoptr (WsimWqlQuery) none = event_ok ("SELECT * FROM __InstanceCreationEvent");

    cr_assert_eq (wsim_wql_query_get_within (none), 0, "0 when there is no WITHIN");
    cr_assert_null (wsim_wql_query_get_target_class (none));
  }
}

Test (wql_event, within_must_be_a_positive_number)
{
  /* 1-based:  SELECT * FROM E WITHIN x: the interval is at 24. */
  EVENT_REFUSED ("SELECT * FROM E WITHIN 0", WBEM_E_INVALID_QUERY, 24,
                 "WITHIN needs a positive number of seconds");
  EVENT_REFUSED ("SELECT * FROM E WITHIN -1", WBEM_E_INVALID_QUERY, 24,
                 "WITHIN needs a positive number of seconds");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 0.0", WBEM_E_INVALID_QUERY, 24,
                 "WITHIN needs a positive number of seconds");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 'x'", WBEM_E_INVALID_QUERY, 24,
                 "expected a number of seconds after WITHIN");
  EVENT_REFUSED ("SELECT * FROM E WITHIN WHERE A = 1", WBEM_E_INVALID_QUERY, 24,
                 "expected a number of seconds after WITHIN");
  EVENT_REFUSED ("SELECT * FROM E WITHIN", WBEM_E_INVALID_QUERY, 23,
                 "expected a number of seconds after WITHIN");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 0.0009", WBEM_E_INVALID_QUERY, 24,
                 "between 0.001 and 4294967.295 seconds");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 4294968", WBEM_E_INVALID_QUERY, 24,
                 "between 0.001 and 4294967.295 seconds");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 1e999", WBEM_E_INVALID_QUERY, 24, "out of range");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 2s", WBEM_E_INVALID_QUERY, 24, "invalid number");
}

Test (wql_event, within_goes_before_where_and_once)
{
  EVENT_REFUSED ("SELECT * FROM E WHERE A = 1 WITHIN 2", WBEM_E_INVALID_QUERY, 29,
                 "WITHIN goes before WHERE");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 1 WITHIN 2", WBEM_E_INVALID_QUERY, 26,
                 "expected WHERE, GROUP or end of query");
  EVENT_REFUSED ("SELECT * FROM E X", WBEM_E_INVALID_QUERY, 17,
                 "expected WITHIN, WHERE, GROUP or end of query");
  EVENT_REFUSED ("SELECT * FROM E WHERE A = 1 B", WBEM_E_INVALID_QUERY, 29,
                 "expected AND, OR, GROUP or end of query");
}

/* ---------------------------------------------------------------- dotted names */

Test (wql_event, dotted_names_in_select_and_where)
{
  g_autoptr (WsimWqlQuery) q = event_ok (
    "SELECT TargetInstance.Name, TargetInstance, TIME_CREATED FROM __InstanceCreationEvent WITHIN 2 "
    "WHERE TargetInstance ISA 'Win32_Process' AND TargetInstance.Owner.Domain = 'W'");
  const char *const *props = wsim_wql_query_get_properties (q);

  cr_assert_not (wsim_wql_query_selects_all (q));
  cr_assert_str_eq (props[0], "TargetInstance.Name");
  cr_assert_str_eq (props[1], "TargetInstance");
  cr_assert_str_eq (props[2], "TIME_CREATED");
  cr_assert_null (props[3]);
  /* No blanks around the dot, and a dot ends in a name. */
  EVENT_REFUSED ("SELECT * FROM E WHERE TargetInstance .Name = 1", WBEM_E_INVALID_QUERY, 38,
                 "unexpected character '.'");
  EVENT_REFUSED ("SELECT * FROM E WHERE TargetInstance. Name = 1", WBEM_E_INVALID_QUERY, 37,
                 "unexpected character '.'");
  EVENT_REFUSED ("SELECT * FROM E WHERE TargetInstance.1 = 1", WBEM_E_INVALID_QUERY, 37,
                 "expected comparison operator");
}

Test (wql_event, event_words_stay_property_names)
{
  g_autoptr (WsimWqlQuery) q = event_ok ("SELECT Within, Group FROM MyEvent WHERE By = 1 AND "
                                         "Having = 2 GROUP WITHIN 1 BY Group");

  cr_assert_str_eq (wsim_wql_query_get_properties (q)[0], "Within");
  cr_assert_str_eq (wsim_wql_query_get_group_by (q)[0], "Group");
}

/* ---------------------------------------------------------------- the data-query parser */

Test (wql_event, data_queries_refuse_event_clauses)
{
  assert_refused (wsim_wql_parse, "SELECT * FROM __InstanceCreationEvent WITHIN 2 WHERE "
                                  "TargetInstance ISA 'Win32_Process'",
                  WBEM_E_INVALID_QUERY, 39, "WITHIN is valid only in an event query");
  assert_refused (wsim_wql_parse, "SELECT * FROM E WHERE A = 1 GROUP WITHIN 2",
                  WBEM_E_INVALID_QUERY, 29, "GROUP is valid only in an event query");
  assert_refused (wsim_wql_parse, "SELECT * FROM E HAVING NumberOfEvents > 1",
                  WBEM_E_INVALID_QUERY, 17, "HAVING is valid only in an event query");
  assert_refused (wsim_wql_parse, "SELECT * FROM E WHERE TargetInstance.Name = 'x'",
                  WBEM_E_INVALID_QUERY, 37, "unexpected character '.'");
  /* And the event parser reads no association query. */
  EVENT_REFUSED ("ASSOCIATORS OF {Win32_Process.Handle=\"1\"}", WBEM_E_INVALID_QUERY, 1,
                 "expected SELECT: an event query is a SELECT statement");
  EVENT_REFUSED ("SELECT * FROM meta_class WITHIN 2", WBEM_E_NOT_EVENT_CLASS, 15,
                 "meta_class is not an event class");
}

/* ---------------------------------------------------------------- GROUP and HAVING */

Test (wql_event, group_within_by_having)
{
  g_autoptr (WsimWqlQuery) q = event_ok (
    "SELECT * FROM __InstanceModificationEvent WITHIN 0.5 WHERE TargetInstance ISA 'Win32_Service' "
    "GROUP WITHIN 600 BY TargetInstance.SourceName, TargetInstance.State HAVING NumberOfEvents > 25");
  const char *const *by = wsim_wql_query_get_group_by (q);

  cr_assert_float_eq (wsim_wql_query_get_within (q), 0.5, 1e-12);
  cr_assert_float_eq (wsim_wql_query_get_group_within (q), 600, 1e-12);
  cr_assert_str_eq (by[0], "TargetInstance.SourceName");
  cr_assert_str_eq (by[1], "TargetInstance.State");
  cr_assert_null (by[2]);
  cr_assert (wsim_wql_query_has_having (q));
  cr_assert_not (wsim_wql_query_having_matches (q, 25));
  cr_assert (wsim_wql_query_having_matches (q, 26));
  cr_assert_str_eq (wsim_wql_query_get_target_class (q), "Win32_Service");
}

Test (wql_event, group_without_where_by_or_having)
{
  g_autoptr (WsimWqlQuery) a = event_ok ("SELECT * FROM EmailEvent GROUP WITHIN 300");
  g_autoptr (WsimWqlQuery) b = event_ok ("SELECT * FROM EmailEvent GROUP WITHIN 300 HAVING "
                                         "NumberOfEvents > 5");

  cr_assert_float_eq (wsim_wql_query_get_group_within (a), 300, 1e-12);
  cr_assert_null (wsim_wql_query_get_group_by (a));
  cr_assert_not (wsim_wql_query_has_having (a));
  cr_assert_eq (wsim_wql_query_get_within (a), 0);
  cr_assert (wsim_wql_query_having_matches (b, 6));
  cr_assert_not (wsim_wql_query_having_matches (b, 5));
}

Test (wql_event, having_is_a_condition_on_number_of_events)
{
  static const struct
  {
    const char *having;
    guint32     n;
    gboolean    delivered;
  } cases[] = {
    { "NumberOfEvents >= 2 AND NumberOfEvents < 4", 1, FALSE },
    { "NumberOfEvents >= 2 AND NumberOfEvents < 4", 2, TRUE },
    { "NumberOfEvents >= 2 AND NumberOfEvents < 4", 4, FALSE },
    { "NumberOfEvents = 1 OR NumberOfEvents = 3", 3, TRUE },
    { "NOT (NumberOfEvents <> 7)", 7, TRUE },
    { "10 < NumberOfEvents", 10, FALSE },
    { "10 < NumberOfEvents", 11, TRUE },
    { "numberofevents != 0x10", 16, FALSE },
    { "NumberOfEvents > 4000000000", 4294967295u, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("SELECT * FROM E GROUP WITHIN 1 HAVING %s",
                                               cases[i].having);
      g_autoptr (WsimWqlQuery) q = event_ok (text);

      cr_assert_eq (wsim_wql_query_having_matches (q, cases[i].n), cases[i].delivered,
                    "HAVING %s with %u", cases[i].having, cases[i].n);
    }
}

Test (wql_event, group_errors_carry_microsofts_codes)
{
  /* "GROUP BY clause was used without the corresponding GROUP WITHIN clause." */
  EVENT_REFUSED ("SELECT * FROM E GROUP BY A", WBEM_E_MISSING_GROUP_WITHIN, 23,
                 "GROUP BY needs GROUP WITHIN");
  EVENT_REFUSED ("SELECT * FROM E WHERE A = 1 BY A", WBEM_E_MISSING_GROUP_WITHIN, 29,
                 "BY needs GROUP WITHIN");
  EVENT_REFUSED ("SELECT * FROM E WITHIN 1 HAVING NumberOfEvents > 1",
                 WBEM_E_MISSING_GROUP_WITHIN, 26, "HAVING needs GROUP WITHIN");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 BY", WBEM_E_MISSING_AGGREGATION_LIST, 34,
                 "expected the properties to group by after BY");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 BY *", WBEM_E_MISSING_AGGREGATION_LIST, 35,
                 "expected the properties to group by after BY");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 BY HAVING NumberOfEvents > 1",
                 WBEM_E_MISSING_AGGREGATION_LIST, 35, "after BY");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 BY A, TargetInstance",
                 WBEM_E_AGGREGATING_BY_OBJECT, 38, "BY TargetInstance names an embedded object");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 BY previousinstance",
                 WBEM_E_AGGREGATING_BY_OBJECT, 35, "embedded object");
  /* The rest is the text's: WBEM_E_INVALID_QUERY. */
  EVENT_REFUSED ("SELECT * FROM E GROUP 5", WBEM_E_INVALID_QUERY, 23, "expected WITHIN after GROUP");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 0", WBEM_E_INVALID_QUERY, 30,
                 "GROUP WITHIN needs a positive number of seconds");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 BY A,", WBEM_E_INVALID_QUERY, 37,
                 "expected property name");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 BY A B", WBEM_E_INVALID_QUERY, 37,
                 "expected a comma, HAVING or end of query");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 X", WBEM_E_INVALID_QUERY, 32,
                 "expected BY, HAVING or end of query");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 HAVING Name = 'x'", WBEM_E_INVALID_QUERY, 39,
                 "HAVING compares NumberOfEvents with an integer");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 HAVING NumberOfEvents > 'x'",
                 WBEM_E_INVALID_QUERY, 56, "HAVING compares NumberOfEvents with an integer");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 HAVING NumberOfEvents > 1.5",
                 WBEM_E_INVALID_QUERY, 56, "with an integer");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 HAVING NumberOfEvents IS NULL",
                 WBEM_E_INVALID_QUERY, 39, "with an integer");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 HAVING NumberOfEvents > 1 X",
                 WBEM_E_INVALID_QUERY, 58, "expected AND, OR or end of query");
  EVENT_REFUSED ("SELECT * FROM E GROUP WITHIN 5 HAVING NumberOfEvents > 1)",
                 WBEM_E_INVALID_QUERY, 57, "unbalanced )");
}

/* ---------------------------------------------------------------- extrinsic events */

Test (wql_event, extrinsic_events_need_no_within)
{
  g_autoptr (WsimWqlQuery) q = event_ok ("SELECT * FROM Win32_ProcessStartTrace WHERE "
                                         "ProcessName = 'sleep'");
  g_autoptr (GError) error = NULL;

  cr_assert_str_eq (wsim_wql_query_get_class (q), "Win32_ProcessStartTrace");
  cr_assert_eq (wsim_wql_query_get_within (q), 0);
  cr_assert_not (wsim_wql_query_is_intrinsic (q));
  cr_assert_null (wsim_wql_query_get_target_class (q));
  /* No WITHIN, no event provider: an extrinsic event needs neither of the server's facts
   * but that its class is an event class. */
  cr_assert (wsim_wql_query_check_event (q, TRUE, FALSE, &error));
  cr_assert_null (error);
  cr_assert_not (wsim_wql_query_check_event (q, FALSE, FALSE, &error));
  cr_assert_eq ((WsimHResult) error->code, WBEM_E_NOT_EVENT_CLASS);
  cr_assert (strstr (error->message, "at position 15: Win32_ProcessStartTrace is not an event class")
             != NULL, "%s", error->message);
}

/* ---------------------------------------------------------------- the server's checks */

Test (wql_event, check_event_needs_within_without_a_provider)
{
  g_autoptr (WsimWqlQuery) bare = event_ok ("SELECT * FROM __InstanceCreationEvent WHERE "
                                            "TargetInstance ISA 'Win32_Process'");
  g_autoptr (WsimWqlQuery) polled = event_ok ("SELECT * FROM __InstanceCreationEvent WITHIN 1 "
                                              "WHERE TargetInstance ISA 'Win32_Process'");
  g_autoptr (WsimWqlQuery) data = event_ok ("SELECT * FROM Win32_Process WITHIN 2");
  g_autoptr (GError) error = NULL;

  /* An event provider serves it: no WITHIN needed. */
  cr_assert (wsim_wql_query_check_event (bare, FALSE, TRUE, &error), "%s",
             error ? error->message : "");
  /* None does: WMI must poll, and WITHIN gives the interval. */
  cr_assert_not (wsim_wql_query_check_event (bare, FALSE, FALSE, &error));
  cr_assert_eq (error->domain, WSIM_WBEM_ERROR);
  cr_assert_eq ((WsimHResult) error->code, WBEMESS_E_REGISTRATION_TOO_PRECISE, "%s",
                error->message);
  cr_assert (strstr (error->message, "at position 15:") != NULL, "%s", error->message);
  cr_assert (strstr (error->message, "Win32_Process") != NULL, "%s", error->message);
  g_clear_error (&error);
  cr_assert (wsim_wql_query_check_event (polled, FALSE, FALSE, &error));
  /* WITHIN on a class that is no event class. */
  cr_assert_not (wsim_wql_query_check_event (data, FALSE, FALSE, &error));
  cr_assert_eq ((WsimHResult) error->code, WBEM_E_NOT_EVENT_CLASS);
}

Test (wql_event, target_class_only_where_required)
{
  static const struct
  {
    const char *where;
    const char *target;
  } cases[] = {
    { "TargetInstance ISA 'A'", "A" },
    { "TargetInstance.Name = 'x' AND targetinstance isa \"A\"", "A" },
    { "(TargetInstance.Name = 'x' AND TargetInstance ISA 'A') AND TIME_CREATED > 0", "A" },
    { "(TargetInstance ISA 'A')", "A" },
    { "TargetInstance ISA 'A' AND TargetInstance ISA 'B'", "A" },
    { "TargetInstance ISA 'A' OR TargetInstance ISA 'B'", NULL },
    { "NOT TargetInstance ISA 'A'", NULL },
    { "(TargetInstance ISA 'A' OR TargetInstance.Name = 'x') AND TIME_CREATED > 0", NULL },
    { "PreviousInstance ISA 'A'", NULL },
    { "TargetInstance.Name = 'A'", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("SELECT * FROM __InstanceOperationEvent WITHIN 1 "
                                               "WHERE %s", cases[i].where);
      g_autoptr (WsimWqlQuery) q = event_ok (text);
      const char *got = wsim_wql_query_get_target_class (q);

      if (cases[i].target == NULL)
        cr_assert_null (got, "%s: got %s", cases[i].where, got);
      else
        cr_assert (got != NULL && strcmp (got, cases[i].target) == 0, "%s: got %s",
                   cases[i].where, got ? got : "(null)");
    }
}

/* ---------------------------------------------------------------- matching an event row */

/* A fake event row: the event's own properties and two embedded objects, each with its
 * class and superclass (the wire has no embedded objects yet: the caller resolves paths). */
typedef struct
{
  const char *classes[3];   /* the object's class, then its superclasses, NULL-ended */
  const char *name;
  gint64      pid;
} FakeObject;

typedef struct
{
  const FakeObject *target;    /* (nullable) */
  const FakeObject *previous;  /* (nullable) */
  wsim_value        value;     /* what the last get returned */
} FakeEvent;

static const FakeObject *
fake_object (FakeEvent *e, const char *name, gsize len)
{
  if (len == strlen ("TargetInstance") && g_ascii_strncasecmp (name, "TargetInstance", len) == 0)
    return e->target;
  if (len == strlen ("PreviousInstance") && g_ascii_strncasecmp (name, "PreviousInstance", len) == 0)
    return e->previous;
  return NULL;
}

static const wsim_value *
fake_get (gpointer row, const char *property)
{
  FakeEvent *e = row;
  const char *dot = strchr (property, '.');
  const FakeObject *o;

  if (dot == NULL || (o = fake_object (e, property, dot - property)) == NULL)
    return NULL;
  wsim_value_clear (&e->value);
  if (g_ascii_strcasecmp (dot + 1, "Name") == 0)
    wsim_value_set_string (&e->value, o->name);
  else if (g_ascii_strcasecmp (dot + 1, "ProcessId") == 0)
    wsim_value_set_sint64 (&e->value, o->pid);
  else
    return NULL;
  return &e->value;
}

static WsimWqlTruth
fake_isa (gpointer row, const char *property, const char *class_name)
{
  const FakeObject *o = property != NULL ? fake_object (row, property, strlen (property)) : NULL;

  if (o == NULL)
    return WSIM_WQL_UNKNOWN;
  for (gsize i = 0; o->classes[i] != NULL; i++)
    if (g_ascii_strcasecmp (o->classes[i], class_name) == 0)
      return WSIM_WQL_TRUE;
  return WSIM_WQL_FALSE;
}

static gboolean
event_matches (const char *text, FakeEvent *e)
{
  g_autoptr (WsimWqlQuery) q = event_ok (text);
  gboolean hit = wsim_wql_query_matches_isa (q, fake_get, fake_isa, e);

  wsim_value_clear (&e->value);
  return hit;
}

Test (wql_event, matches_dotted_names_and_isa_on_the_target)
{
  static const FakeObject sleep_proc = { { "Win32_Process", "CIM_Process", NULL }, "sleep", 42 };
  static const FakeObject bash_proc = { { "Win32_Process", "CIM_Process", NULL }, "bash", 43 };
  static const FakeObject sleep_svc = { { "Win32_Service", NULL }, "sleep", 0 };
  static const char *const query = "SELECT * FROM __InstanceCreationEvent WITHIN 2 WHERE "
                                   "TargetInstance ISA 'Win32_Process' AND "
                                   "TargetInstance.Name = 'sleep'";
  FakeEvent created_sleep = { &sleep_proc, NULL, { 0 } };
  FakeEvent created_bash = { &bash_proc, NULL, { 0 } };
  FakeEvent created_svc = { &sleep_svc, NULL, { 0 } };
  FakeEvent no_target = { NULL, NULL, { 0 } };

  cr_assert (event_matches (query, &created_sleep));
  cr_assert_not (event_matches (query, &created_bash), "another name");
  cr_assert_not (event_matches (query, &created_svc), "another class");
  cr_assert_not (event_matches (query, &no_target), "no embedded object: UNKNOWN");
  /* ISA takes the superclass too, and NOT of an UNKNOWN ISA is still UNKNOWN. */
  cr_assert (event_matches ("SELECT * FROM __InstanceCreationEvent WITHIN 2 WHERE "
                            "TargetInstance ISA 'CIM_Process' AND TargetInstance.ProcessId = 42",
                            &created_sleep));
  cr_assert_not (event_matches ("SELECT * FROM __InstanceCreationEvent WITHIN 2 WHERE "
                                "NOT TargetInstance ISA 'Win32_Process'", &no_target));
  cr_assert (event_matches ("SELECT * FROM __InstanceCreationEvent WITHIN 2 WHERE "
                            "NOT TargetInstance ISA 'Win32_Service'", &created_bash));
  /* An unknown path is UNKNOWN, as an unknown property is. */
  cr_assert_not (event_matches ("SELECT * FROM __InstanceCreationEvent WITHIN 2 WHERE "
                                "TargetInstance.Nope = 1 OR TargetInstance.Nope <> 1",
                                &created_sleep));
}

Test (wql_event, matches_previous_instance_of_a_modification)
{
  static const FakeObject before = { { "Win32_Process", NULL }, "sleep", 42 };
  static const FakeObject after = { { "Win32_Process", NULL }, "sleeping", 42 };
  static const char *const renamed = "SELECT * FROM __InstanceModificationEvent WITHIN 1 WHERE "
                                     "TargetInstance ISA 'Win32_Process' AND "
                                     "PreviousInstance.Name = 'sleep' AND "
                                     "TargetInstance.Name <> PreviousInstance.Name";
  FakeEvent changed = { &after, &before, { 0 } };
  FakeEvent same = { &before, &before, { 0 } };

  cr_assert (event_matches (renamed, &changed));
  cr_assert_not (event_matches (renamed, &same));
}

/* ---------------------------------------------------------------- property check */

static gboolean
has_logged (gpointer cls, const char *property)
{
  GPtrArray *asked = cls;

  g_ptr_array_add (asked, g_strdup (property));
  return g_ascii_strcasecmp (property, "TargetInstance.Nmae") != 0;
}

Test (wql_event, check_properties_gets_dotted_paths_and_the_by_list)
{
  g_autoptr (WsimWqlQuery) q = event_ok (
    "SELECT TargetInstance.Name FROM __InstanceCreationEvent WITHIN 1 WHERE TargetInstance "
    "ISA 'Win32_Process' GROUP WITHIN 5 BY TargetInstance.Nmae");
  g_autoptr (GPtrArray) asked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  cr_assert_not (wsim_wql_query_check_properties (q, has_logged, asked, &error));
  cr_assert_eq ((WsimHResult) error->code, WBEM_E_INVALID_QUERY);
  cr_assert (strstr (error->message, "unknown property 'TargetInstance.Nmae' at position 125")
             != NULL, "%s", error->message);
  cr_assert_eq (asked->len, 3);
  cr_assert_str_eq (g_ptr_array_index (asked, 0), "TargetInstance.Name");
  cr_assert_str_eq (g_ptr_array_index (asked, 1), "TargetInstance");
  cr_assert_str_eq (g_ptr_array_index (asked, 2), "TargetInstance.Nmae");
}

/* ---------------------------------------------------------------- hostile input */

Test (wql_event, a_long_by_list_and_a_deep_path_parse)
{
  GString *s = g_string_new ("SELECT * FROM E GROUP WITHIN 1 BY ");
  g_autofree char *text = NULL;
  g_autofree char *path_text = NULL;
  GString *path = g_string_new ("TargetInstance");

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (s, "%sP%u", i == 0 ? "" : ", ", i);
  text = g_string_free (s, FALSE);
  for (guint i = 0; i < 20000; i++)
    g_string_append (path, ".Embedded");
  path_text = g_strdup_printf ("SELECT * FROM E WHERE %s = 1", path->str);
  g_string_free (path, TRUE);
  {
    g_autoptr (WsimWqlQuery) q = event_ok (text);
    g_autoptr (WsimWqlQuery) p = event_ok (path_text);
    const char *const *by = wsim_wql_query_get_group_by (q);
    guint n = 0;

    while (by[n] != NULL)
      n++;
    cr_assert_eq (n, 20000);
    cr_assert_str_eq (by[19999], "P19999");
    cr_assert (wsim_wql_query_has_where (p));
  }
}
