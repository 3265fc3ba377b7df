/* test-trace-ring.c: the trace is a ring bounded in bytes (cim/wsim-trace.h): the oldest
 * events go first, each one counted, the newest is always kept, and a long detail is cut. */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-trace.h"

TestSuite (trace_ring, .timeout = 30);

/* The stats agree with the events the trace hands out. */
static void
assert_consistent (WsimTrace *t)
{
  g_autoptr(GPtrArray) events = wsim_trace_get_events (t, 0);
  WsimTraceStats st;
  gsize bytes = 0;

  wsim_trace_get_stats (t, &st);
  for (guint i = 0; i < events->len; i++)
    bytes += wsim_trace_event_size (events->pdata[i]);
  cr_assert_eq (st.n_events, events->len);
  cr_assert_eq (st.n_bytes, bytes);
  cr_assert_leq (st.n_bytes, st.max_bytes, "%zu bytes kept in a ring of %zu", st.n_bytes,
                 st.max_bytes);
}

Test (trace_ring, a_full_ring_drops_the_oldest_and_counts_them)
{
  g_autoptr(WsimTrace) t = wsim_trace_new ();
  WsimTraceAuth who = { .level = 6, .mech = "kerberos", .principal = "wbem/host@WSIM.TEST" };
  g_autoptr(GPtrArray) events = NULL;
  WsimTraceStats st;
  const guint n = 5000;

  wsim_trace_get_stats (t, &st);
  cr_assert_eq (st.max_bytes, WSIM_TRACE_MAX_BYTES, "the default budget");
  wsim_trace_set_max_bytes (t, 64 * 1024);
  for (guint i = 1; i <= n; i++)
    wsim_trace_add_auth (t, WSIM_TRACE_STUB_REFUSED, i, 0x80041003, 1, &who,
                         "Indicate of call %u refused: not the server", i);
  assert_consistent (t);
  wsim_trace_get_stats (t, &st);
  cr_assert_gt (st.n_dropped, 0);
  cr_assert_eq (st.n_events + st.n_dropped, n, "every event is kept or counted");
  /* Nearly full: what is left is less than one event. */
  cr_assert_gt (st.n_bytes + 200, st.max_bytes);
  events = wsim_trace_get_events (t, 0);
  cr_assert_eq (((WsimTraceEvent *) events->pdata[events->len - 1])->call_id, n, "the newest kept");
  cr_assert_eq (((WsimTraceEvent *) events->pdata[0])->call_id, st.n_dropped + 1,
                "the oldest went first");
  cr_assert_eq (wsim_trace_count (t, 0, WSIM_TRACE_STUB_REFUSED), st.n_events);
}

Test (trace_ring, a_smaller_budget_drops_at_once_and_keeps_the_newest)
{
  g_autoptr(WsimTrace) t = wsim_trace_new ();
  WsimTraceStats st;

  for (guint i = 1; i <= 100; i++)
    wsim_trace_add (t, WSIM_TRACE_INDICATE, i, 0, 4, "batch %u", i);
  wsim_trace_get_stats (t, &st);
  cr_assert_eq (st.n_events, 100);
  cr_assert_eq (st.n_dropped, 0);
  wsim_trace_set_max_bytes (t, 1);
  wsim_trace_get_stats (t, &st);
  cr_assert_eq (st.n_events, 1, "the newest is kept even alone over the budget");
  cr_assert_eq (st.n_dropped, 99);
  cr_assert_eq (wsim_trace_count (t, 100, WSIM_TRACE_INDICATE), 1);
}

Test (trace_ring, a_long_detail_is_cut)
{
  g_autoptr(WsimTrace) t = wsim_trace_new ();
  g_autofree char *big = g_strnfill (100000, 'x');
  g_autofree char *accents = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) several = g_string_new (NULL);
  const WsimTraceEvent *e;

  for (guint i = 0; i < 1000; i++)
    g_string_append (several, "\u00e9");   /* two bytes each: a cut may not split one */
  accents = g_string_free (g_steal_pointer (&several), FALSE);
  wsim_trace_add (t, WSIM_TRACE_VIOLATION, 1, 0, 0, "%s", big);
  wsim_trace_add (t, WSIM_TRACE_VIOLATION, 2, 0, 0, "a%s", accents);
  wsim_trace_add (t, WSIM_TRACE_VIOLATION, 3, 0, 0, "short");
  events = wsim_trace_get_events (t, 0);
  e = events->pdata[0];
  cr_assert_lt (strlen (e->detail), WSIM_TRACE_MAX_DETAIL);
  cr_assert (g_str_has_suffix (e->detail, "\u2026"));
  cr_assert (g_str_has_prefix (e->detail, "xxxx"));
  e = events->pdata[1];
  cr_assert_lt (strlen (e->detail), WSIM_TRACE_MAX_DETAIL);
  cr_assert (g_utf8_validate (e->detail, -1, NULL), "cut at a character's start");
  cr_assert_str_eq (((WsimTraceEvent *) events->pdata[2])->detail, "short");
  assert_consistent (t);
}

Test (trace_ring, the_environment_sets_the_default_budget)
{
  g_autoptr(WsimTrace) t = NULL;
  WsimTraceStats st;

  g_setenv ("WSIM_TRACE_MAX_BYTES", "4096", TRUE);
  t = wsim_trace_new ();
  g_unsetenv ("WSIM_TRACE_MAX_BYTES");
  wsim_trace_get_stats (t, &st);
  cr_assert_eq (st.max_bytes, 4096);
  for (guint i = 0; i < 1000; i++)
    wsim_trace_add (t, WSIM_TRACE_START, i + 1, 0, 0, "CreateInstanceEnumAsync root/cimv2:X");
  assert_consistent (t);
  wsim_trace_get_stats (t, &st);
  cr_assert_gt (st.n_dropped, 900);
}
