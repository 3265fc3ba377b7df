/* fuzz-wql.c: the WQL parser (cim/wsim-wql.c) on arbitrary text, as a data query and as an
 * event query; what parses is evaluated once (on a row without properties). */
#include "fuzz-common.h"
#include "wsim-wql.h"

static const wsim_value *
no_property (gpointer row, const char *property)
{
  return NULL;
}

static void
parse_as (WsimWqlQuery *(*parse) (const char *, GError **), const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimWqlQuery) q = parse (text, &error);

  /* Exactly one of a query and an error: a parser that returns neither is a bug. */
  g_assert ((q == NULL) != (error == NULL));
  if (q == NULL)
    return;
  (void) wsim_wql_query_matches (q, no_property, NULL);
  (void) wsim_wql_query_having_matches (q, 1);
  (void) wsim_wql_query_get_target_class (q);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_strdup (data, size);

  parse_as (wsim_wql_parse, text);
  parse_as (wsim_wql_parse_event, text);
  return 0;
}
