/* wsim-wql.h: WQL data queries, parsed and evaluated against rows of wsim_value.
 *
 * Owns the query language of ExecQueryAsync: SELECT * | p1, p2 FROM Class [WHERE cond].
 * Keywords are case-insensitive. Conditions: =, <>, !=, <, >, <=, >= between a property
 * and a literal, in either order (two properties or two literals are refused, as WMI
 * refuses them); property [NOT] LIKE with %, _, [abc], [a-z] and [^a-z]; property
 * IS [NOT] NULL; AND, OR, NOT and parentheses, with NOT binding tighter than AND, and AND
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
 * FROM"); WBEM_E_NOT_SUPPORTED, with the position and what was asked, for valid WQL this
 * runtime does not serve yet (ASSOCIATORS OF, REFERENCES OF, the ISA operator);
 * WBEM_E_INVALID_QUERY_TYPE for a language other than WQL.
 */
#pragma once

#include <glib.h>

#include "wsim_cim.h"
#include "wsim-hresult.h"

G_BEGIN_DECLS

/** WSIM_WQL_MAX_NESTING: the deepest nesting of parentheses and NOTs accepted; one more is refused. */
#define WSIM_WQL_MAX_NESTING 255

typedef struct _WsimWqlQuery WsimWqlQuery;

/**
 * WsimWqlGetFunc:
 * @row: the caller's row
 * @property: a property name as written in the query (compare case-insensitively:
 *   WQL names are)
 * Returns: (transfer none) the property's value (CIM_EMPTY for null), or NULL if the
 *   row has no such property. It must stay valid until the callback is called again
 *   or wsim_wql_query_matches returns.
 */
typedef const wsim_value *(*WsimWqlGetFunc) (gpointer row, const char *property);

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

/** wsim_wql_query_free: Frees @q; NULL is allowed. */
void wsim_wql_query_free (WsimWqlQuery *q);

/** wsim_wql_query_get_text: Returns: (transfer none) the query as it was parsed. */
const char *wsim_wql_query_get_text (const WsimWqlQuery *q);

/** wsim_wql_query_get_class: Returns: (transfer none) the class after FROM, as written. */
const char *wsim_wql_query_get_class (const WsimWqlQuery *q);

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
 * wsim_wql_query_check_properties:
 * @has: tells whether the class @cls has a property
 * Checks every property the query names (the SELECT list, then the WHERE clause in
 * order), as WMI does when it executes a query.
 * Returns: TRUE if all exist; otherwise FALSE with WBEM_E_INVALID_QUERY naming the
 *   first unknown property and its position.
 */
gboolean wsim_wql_query_check_properties (const WsimWqlQuery *q, WsimWqlHasFunc has,
                                          gpointer cls, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimWqlQuery, wsim_wql_query_free)

G_END_DECLS
