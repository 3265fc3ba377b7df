/* wsim-wql.h: WQL data queries, parsed and evaluated against rows of wsim_value.
 *
 * Owns the query language of ExecQueryAsync: SELECT * | p1, p2 FROM Class [WHERE cond],
 * ASSOCIATORS OF {ObjectPath} [WHERE AssocClass = A ResultClass = R Role = P ResultRole = Q
 * RequiredAssocQualifier = X RequiredQualifier = Y ClassDefsOnly KeysOnly SchemaOnly] and
 * REFERENCES OF {ObjectPath} [WHERE ResultClass = R Role = P RequiredQualifier = Y
 * ClassDefsOnly KeysOnly SchemaOnly] (docs/wql.md). The parser only reads an association
 * query; the server walks the associations (runtime/server/wsim-call-assoc.c).
 * And the event queries of ExecNotificationQueryAsync (wsim_wql_parse_event()):
 * SELECT * | p1, p2 FROM EventClass [WITHIN seconds] [WHERE cond]
 * [GROUP WITHIN seconds [BY p1, p2] [HAVING cond-on-NumberOfEvents]], where property names
 * may be dotted paths into embedded objects (TargetInstance.Name), which the caller's
 * WsimWqlGetFunc resolves (docs/wql.md#event-queries).
 * Keywords are case-insensitive. Conditions: =, <>, !=, <, >, <=, >= between a property
 * and a literal, in either order (two properties or two literals are refused, as WMI
 * refuses them); property [NOT] LIKE with %, _, [abc], [a-z] and [^a-z]; property
 * IS [NOT] NULL; property ISA 'Class' and __THIS ISA 'Class' (asked of the caller through a
 * WsimWqlIsaFunc); AND, OR, NOT and parentheses, with NOT binding tighter than AND, and AND
 * tighter than OR.
 * Literals: '…' or "…" strings (escapes \' \" \\ only), integers (decimal, negative,
 * hex 0x1F), reals (2.5, -1e3), TRUE, FALSE, NULL.
 *
 * Evaluation uses SQL's three-valued logic, as WMI does: a comparison involving null
 * (a null property, the NULL literal, an unknown property, or values of kinds that do
 * not compare, such as a string with a boolean) is UNKNOWN; NOT UNKNOWN is UNKNOWN;
 * only TRUE matches. One exception, WMI's: "x = NULL" is "x IS NULL", and "x <> NULL"
 * and "x != NULL" are "x IS NOT NULL" (NULL on either side); "x < NULL" and the other
 * orderings stay UNKNOWN. String comparisons and LIKE are case-insensitive. Value
 * comparisons follow wsim_value_compare().
 *
 * Hostile input: parsing is a single left-to-right pass that never backtracks, AND/OR
 * chains are n-ary nodes (a WHERE of thousands of ORs is one flat node), and nesting
 * (parentheses and NOTs) is bounded by WSIM_WQL_MAX_NESTING, so neither parsing nor
 * evaluation nor freeing can exhaust the stack.
 *
 * Errors are in WSIM_WBEM_ERROR: WBEM_E_INVALID_QUERY for the text, with the 1-based
 * character position and what was expected ("syntax error at position 23: expected
 * FROM"); WBEM_E_INVALID_QUERY_TYPE for a language other than WQL. What the runtime does
 * not serve of a valid query (ClassDefsOnly, …) is the server's to refuse.
 */
#pragma once

#include <glib.h>

#include "wsim_cim.h"
#include "wsim-hresult.h"

G_BEGIN_DECLS

/** WSIM_WQL_MAX_NESTING: the deepest nesting of parentheses and NOTs accepted; one more is refused. */
#define WSIM_WQL_MAX_NESTING 255

/**
 * WSIM_WQL_MIN_INTERVAL: the shortest WITHIN or GROUP WITHIN accepted, in seconds (one
 * millisecond: what a GLib timeout can wait).
 */
#define WSIM_WQL_MIN_INTERVAL 0.001

/** WSIM_WQL_MAX_INTERVAL: the longest, in seconds (G_MAXUINT32 milliseconds). */
#define WSIM_WQL_MAX_INTERVAL 4294967.295

typedef struct _WsimWqlQuery WsimWqlQuery;
struct _WsimObjectPath;

/**
 * WsimWqlKind:
 * @WSIM_WQL_SELECT: SELECT … FROM … [WHERE …]
 * @WSIM_WQL_ASSOCIATORS: ASSOCIATORS OF {path} [WHERE …]: the endpoints
 * @WSIM_WQL_REFERENCES: REFERENCES OF {path} [WHERE …]: the association instances
 * @WSIM_WQL_EVENT: an event query (only from wsim_wql_parse_event())
 */
typedef enum
{
  WSIM_WQL_SELECT,
  WSIM_WQL_ASSOCIATORS,
  WSIM_WQL_REFERENCES,
  WSIM_WQL_EVENT,
} WsimWqlKind;

/**
 * WMIQ_ASSOCQ_FLAGS: what an association query contains, Microsoft's names and values
 * (wmiutils.h, "WMIQ_ASSOCQ_FLAGS enumeration"); wsim_wql_query_get_features() returns
 * them or-ed.
 */
enum
{
  WMIQ_ASSOCQ_ASSOCIATORS            = 0x1,
  WMIQ_ASSOCQ_REFERENCES             = 0x2,
  WMIQ_ASSOCQ_RESULTCLASS            = 0x4,
  WMIQ_ASSOCQ_ASSOCCLASS             = 0x8,
  WMIQ_ASSOCQ_ROLE                   = 0x10,
  WMIQ_ASSOCQ_RESULTROLE             = 0x20,
  WMIQ_ASSOCQ_REQUIREDQUALIFIER      = 0x40,
  WMIQ_ASSOCQ_REQUIREDASSOCQUALIFIER = 0x80,
  WMIQ_ASSOCQ_CLASSDEFSONLY          = 0x100,
  WMIQ_ASSOCQ_KEYSONLY               = 0x200,
  WMIQ_ASSOCQ_SCHEMAONLY             = 0x400,
};

/**
 * WsimWqlAssocValue: the valued keywords of an association query's WHERE.
 */
typedef enum
{
  WSIM_WQL_ASSOC_CLASS,
  WSIM_WQL_RESULT_CLASS,
  WSIM_WQL_ROLE,
  WSIM_WQL_RESULT_ROLE,
  WSIM_WQL_REQUIRED_QUALIFIER,
  WSIM_WQL_REQUIRED_ASSOC_QUALIFIER,
} WsimWqlAssocValue;

/** WsimWqlTruth: what a WsimWqlIsaFunc answers (WQL's three values). */
typedef enum
{
  WSIM_WQL_FALSE,
  WSIM_WQL_TRUE,
  WSIM_WQL_UNKNOWN,
} WsimWqlTruth;

/**
 * WsimWqlGetFunc:
 * @row: the caller's row
 * @property: a property name as written in the query (compare case-insensitively:
 *   WQL names are). In an event query it may be a dotted path, "TargetInstance.Name":
 *   the property Name of the object embedded in TargetInstance, which the function
 *   resolves (NULL if TargetInstance holds no object or that object has no Name)
 * Returns: (transfer none) the property's value (CIM_EMPTY for null), or NULL if the
 *   row has no such property. It must stay valid until the callback is called again
 *   or wsim_wql_query_matches returns.
 */
typedef const wsim_value *(*WsimWqlGetFunc) (gpointer row, const char *property);

/**
 * WsimWqlIsaFunc:
 * @row: the caller's row
 * @property: (nullable) the property whose embedded object is tested, as written (in an
 *   event query possibly a dotted path, "TargetInstance.Owner"); NULL for
 *   __THIS, the row's object itself (schema queries: SELECT * FROM meta_class WHERE
 *   __THIS ISA 'Class')
 * @class_name: the class after ISA, as written (compare case-insensitively)
 * Returns: WSIM_WQL_TRUE if the object is of @class_name or derives from it,
 *   WSIM_WQL_FALSE if not, WSIM_WQL_UNKNOWN if there is no object (a null property, or
 *   one that holds no embedded object).
 */
typedef WsimWqlTruth (*WsimWqlIsaFunc) (gpointer row, const char *property,
                                        const char *class_name);

/**
 * WsimWqlHasFunc:
 * Returns: TRUE if the class @cls has the property @property (case-insensitively).
 */
typedef gboolean (*WsimWqlHasFunc) (gpointer cls, const char *property);

/**
 * wsim_wql_check_language:
 * @lang: the query language argument of ExecQuery (NULL is refused)
 * Returns: TRUE for "WQL" (any case); otherwise FALSE with WBEM_E_INVALID_QUERY_TYPE.
 */
gboolean wsim_wql_check_language (const char *lang, GError **error);

/**
 * wsim_wql_parse:
 * @text: the query, UTF-8
 * Parses a WQL data query. On a syntax error, sets WBEM_E_INVALID_QUERY with a message
 * naming the 1-based character position and what was expected there; on WQL that is not
 * supported yet, WBEM_E_NOT_SUPPORTED with the position and what it is.
 * Returns: (transfer full) the query, or NULL with @error set.
 */
WsimWqlQuery *wsim_wql_parse (const char *text, GError **error);

/**
 * wsim_wql_parse_event:
 * @text: the query of ExecNotificationQueryAsync, UTF-8
 * Parses an event query: a SELECT whose class is an event class, with the optional WITHIN,
 * GROUP WITHIN, BY and HAVING clauses and dotted property names (TargetInstance.Name).
 * Every SELECT parses as one (an extrinsic event query looks like a data query); the
 * server then checks what the parser cannot know with wsim_wql_query_check_event().
 * Errors: WBEM_E_INVALID_QUERY for the text, as wsim_wql_parse(), a WITHIN that is not a
 * number of seconds within [WSIM_WQL_MIN_INTERVAL, WSIM_WQL_MAX_INTERVAL] among them;
 * WBEM_E_MISSING_GROUP_WITHIN for BY or HAVING without GROUP WITHIN;
 * WBEM_E_MISSING_AGGREGATION_LIST for a BY without properties; WBEM_E_AGGREGATING_BY_OBJECT
 * for BY TargetInstance or BY PreviousInstance; WBEM_E_NOT_EVENT_CLASS for meta_class. Each
 * message names the 1-based character position.
 * Returns: (transfer full) the query, of kind WSIM_WQL_EVENT, or NULL with @error set.
 */
WsimWqlQuery *wsim_wql_parse_event (const char *text, GError **error);

/** wsim_wql_query_free: Frees @q; NULL is allowed. */
void wsim_wql_query_free (WsimWqlQuery *q);

/** wsim_wql_query_get_text: Returns: (transfer none) the query as it was parsed. */
const char *wsim_wql_query_get_text (const WsimWqlQuery *q);

/**
 * wsim_wql_query_get_class:
 * Returns: (transfer none) the class after FROM, as written; for ASSOCIATORS OF and
 *   REFERENCES OF the source path's class.
 */
const char *wsim_wql_query_get_class (const WsimWqlQuery *q);

/** wsim_wql_query_get_kind: Returns: what kind of statement @q is. */
WsimWqlKind wsim_wql_query_get_kind (const WsimWqlQuery *q);

/**
 * wsim_wql_query_get_source:
 * Returns: (transfer none) (nullable) the object path between the braces of ASSOCIATORS
 *   OF / REFERENCES OF (valid as long as @q); NULL for SELECT.
 */
const struct _WsimObjectPath *wsim_wql_query_get_source (const WsimWqlQuery *q);

/**
 * wsim_wql_query_get_features:
 * Returns: the WMIQ_ASSOCQ_* bits of an association query (ASSOCIATORS or REFERENCES, and
 *   one for each keyword its WHERE gives); 0 for SELECT.
 */
guint32 wsim_wql_query_get_features (const WsimWqlQuery *q);

/**
 * wsim_wql_query_get_assoc_value:
 * @which: the keyword
 * @position: (out) (optional) the 1-based character position of the value (0 if absent),
 *   for the server's error messages
 * Returns: (transfer none) (nullable) the name given after "@which =", as written; NULL
 *   if the query does not give it.
 */
const char *wsim_wql_query_get_assoc_value (const WsimWqlQuery *q, WsimWqlAssocValue which,
                                            glong *position);

/**
 * wsim_wql_query_get_properties:
 * Returns: (transfer none) (nullable) the selected property names in query order,
 *   NULL-terminated; NULL for SELECT *.
 */
const char *const *wsim_wql_query_get_properties (const WsimWqlQuery *q);

/** wsim_wql_query_selects_all: Returns: TRUE for SELECT *. */
gboolean wsim_wql_query_selects_all (const WsimWqlQuery *q);

/** wsim_wql_query_has_where: Returns: TRUE if the query has a WHERE clause. */
gboolean wsim_wql_query_has_where (const WsimWqlQuery *q);

/**
 * wsim_wql_query_matches:
 * @get: reads a property of @row
 * Evaluates the WHERE clause on @row (a query without WHERE matches every row).
 * Returns: TRUE only if the condition is TRUE (FALSE and UNKNOWN do not match).
 */
gboolean wsim_wql_query_matches (const WsimWqlQuery *q, WsimWqlGetFunc get, gpointer row);

/**
 * wsim_wql_query_matches_isa:
 * @isa: (nullable) answers the ISA conditions; NULL makes each UNKNOWN
 * As wsim_wql_query_matches(), for a WHERE that may use ISA.
 * Returns: TRUE only if the condition is TRUE.
 */
gboolean wsim_wql_query_matches_isa (const WsimWqlQuery *q, WsimWqlGetFunc get,
                                     WsimWqlIsaFunc isa, gpointer row);

/**
 * wsim_wql_is_this:
 * Returns: TRUE if @property is __THIS (any case), WQL's name for the object itself on the
 *   left of ISA.
 */
gboolean wsim_wql_is_this (const char *property);

/**
 * wsim_wql_query_check_properties:
 * @has: tells whether the class @cls has a property
 * Checks every property the query names (the SELECT list, then the WHERE clause in
 * order, then an event query's BY list), as WMI does when it executes a query; __THIS
 * before ISA is not a property and is not checked. An association query names none.
 * A dotted name (TargetInstance.Name) is given to @has whole.
 * Returns: TRUE if all exist; otherwise FALSE with WBEM_E_INVALID_QUERY naming the
 *   first unknown property and its position.
 */
gboolean wsim_wql_query_check_properties (const WsimWqlQuery *q, WsimWqlHasFunc has,
                                          gpointer cls, GError **error);

/**
 * wsim_wql_query_get_within:
 * Returns: an event query's polling interval (WITHIN) in seconds, possibly fractional
 *   ("WITHIN 0.5" is 0.5); 0 when the query has no WITHIN (and for other kinds). The
 *   parser's bounds make (guint) (seconds * 1000 + 0.5) a millisecond count in
 *   1..G_MAXUINT32, what a poller's timeout takes.
 */
double wsim_wql_query_get_within (const WsimWqlQuery *q);

/**
 * wsim_wql_query_get_group_within:
 * Returns: the grouping interval of GROUP WITHIN in seconds; 0 without GROUP. With GROUP the
 *   query delivers __AggregateEvent instances (GROUP Clause).
 */
double wsim_wql_query_get_group_within (const WsimWqlQuery *q);

/**
 * wsim_wql_query_get_group_by:
 * Returns: (transfer none) (nullable) the properties after GROUP WITHIN n BY, as written
 *   (dotted paths allowed), NULL-terminated; NULL without BY (one group for all events).
 */
const char *const *wsim_wql_query_get_group_by (const WsimWqlQuery *q);

/** wsim_wql_query_has_having: Returns: TRUE if the query has a HAVING clause. */
gboolean wsim_wql_query_has_having (const WsimWqlQuery *q);

/**
 * wsim_wql_query_having_matches:
 * @number_of_events: the NumberOfEvents of a group about to be delivered
 * Evaluates HAVING, which the parser lets compare only NumberOfEvents with integers.
 * Returns: TRUE if the group is delivered: HAVING is TRUE, or the query has none.
 */
gboolean wsim_wql_query_having_matches (const WsimWqlQuery *q, guint32 number_of_events);

/**
 * wsim_wql_query_get_target_class:
 * Returns: (transfer none) (nullable) the class of the "TargetInstance ISA 'Class'" the
 *   WHERE of an event query requires: the whole WHERE or a term of its top-level AND chain
 *   (the first such), not one under OR or NOT; the class whose instances the server polls
 *   or asks an event provider about. NULL if there is none, or for other kinds.
 */
const char *wsim_wql_query_get_target_class (const WsimWqlQuery *q);

/**
 * wsim_wql_query_is_intrinsic:
 * Returns: TRUE if @q is an event query on one of WMI's intrinsic event classes
 *   (__InstanceCreationEvent, __InstanceDeletionEvent, __InstanceModificationEvent,
 *   __InstanceOperationEvent and the __Class… and __Namespace… ones), which WMI makes
 *   itself by polling when no event provider serves the target class.
 */
gboolean wsim_wql_query_is_intrinsic (const WsimWqlQuery *q);

/**
 * wsim_wql_query_check_event:
 * @q: a query of kind WSIM_WQL_EVENT
 * @is_event_class: the FROM class is __Event or derives from it (the server knows the
 *   namespace's classes; an intrinsic class is taken as one whatever this says)
 * @has_event_provider: an event provider serves the query's events (for an intrinsic
 *   event, one registered for wsim_wql_query_get_target_class())
 * Checks what only the server knows, at ExecNotificationQueryAsync.
 * Returns: TRUE if the query can be served; otherwise FALSE with WBEM_E_NOT_EVENT_CLASS for
 *   a class that is not an event class, or WBEMESS_E_REGISTRATION_TOO_PRECISE ("a WITHIN
 *   clause was not used in this query") for an intrinsic event query without WITHIN and
 *   without an event provider; the message names the class's position.
 */
gboolean wsim_wql_query_check_event (const WsimWqlQuery *q, gboolean is_event_class,
                                     gboolean has_event_provider, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimWqlQuery, wsim_wql_query_free)

G_END_DECLS
