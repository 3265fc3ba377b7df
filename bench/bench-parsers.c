/* bench-parsers.c: is each text parser linear in its input? (issue 16, point 5)
 *
 * Feeds the object-path parser, WQL (data and event queries) and the moniker parser inputs
 * of 1x, 10x and 100x a
 * base size, times each (bench_run_timed), and prints the time per parse and the ratio
 * from one size to the next: about 10 when linear, about 100 when quadratic. The inputs
 * stay within each parser's bound (WSIM_OBJECT_PATH_MAX_KEYS, WSIM_MONIKER_MAX_BYTES) so
 * what is timed is parsing, not refusing. MOF is not here: it has no parser yet.
 *
 *   bench-parsers [--seconds S]
 *
 * After the table, one "RESULT measure=parser name=NAME us_1x=… us_10x=… us_100x=…" line per
 * parser (bench_result()), for bench/run-all.sh.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "wsim-moniker.h"
#include "wsim-object-path.h"
#include "wsim-wql.h"

typedef struct
{
  const char *text;
  gboolean (*parse) (const char *text);
} Input;

static gboolean
parse_path (const char *text)
{
  g_autoptr (GError) error = NULL;
  WsimObjectPath *p = wsim_object_path_parse (text, &error);

  if (p == NULL)
    fprintf (stderr, "object path: %s\n", error->message);
  wsim_object_path_free (p);
  return p != NULL;
}

static gboolean
parse_wql_with (WsimWqlQuery *(*parse) (const char *, GError **), const char *text)
{
  g_autoptr (GError) error = NULL;
  WsimWqlQuery *q = parse (text, &error);

  if (q == NULL)
    fprintf (stderr, "WQL: %s\n", error->message);
  wsim_wql_query_free (q);
  return q != NULL;
}

static gboolean
parse_wql (const char *text)
{
  return parse_wql_with (wsim_wql_parse, text);
}

static gboolean
parse_wql_event (const char *text)
{
  return parse_wql_with (wsim_wql_parse_event, text);
}

static gboolean
parse_moniker (const char *text)
{
  g_autoptr (GError) error = NULL;
  WsimMoniker m = WSIM_MONIKER_INIT;
  gboolean ok = wsim_moniker_parse (text, &m, &error);

  if (!ok)
    fprintf (stderr, "moniker: %s\n", error->message);
  wsim_moniker_clear (&m);
  return ok;
}

static gboolean
step (gpointer data)
{
  const Input *in = data;

  return in->parse (in->text);
}

/* Win32_Process.K0="v0",…: two keys a unit. */
static char *
make_path (guint units)
{
  GString *s = g_string_new ("Win32_Process.");

  for (guint i = 0; i < 2 * units; i++)
    g_string_append_printf (s, "%sK%u=\"v%u\"", i == 0 ? "" : ",", i, i);
  return g_string_free (s, FALSE);
}

/* A WHERE of ten comparisons a unit, ORed, a parenthesis and a LIKE among them. */
static char *
make_wql (guint units)
{
  GString *s = g_string_new ("SELECT Name, ProcessId FROM Win32_Process WHERE ");

  for (guint i = 0; i < 10 * units; i++)
    g_string_append_printf (s, "%s(ProcessId = %u AND Name LIKE \"p%%%u\")", i == 0 ? "" : " OR ",
                            i, i);
  return g_string_free (s, FALSE);
}

/* An event query: ten dotted comparisons a unit in the WHERE, ten dotted names a unit in
 * GROUP BY, then a HAVING. */
static char *
make_wql_event (guint units)
{
  GString *s = g_string_new ("SELECT * FROM __InstanceModificationEvent WITHIN 0.5 WHERE "
                             "TargetInstance ISA 'Win32_Process'");

  for (guint i = 0; i < 10 * units; i++)
    g_string_append_printf (s, " AND TargetInstance.P%u <> PreviousInstance.P%u", i, i);
  g_string_append (s, " GROUP WITHIN 60 BY ");
  for (guint i = 0; i < 10 * units; i++)
    g_string_append_printf (s, "%sTargetInstance.P%u", i == 0 ? "" : ", ", i);
  g_string_append (s, " HAVING NumberOfEvents > 5");
  return g_string_free (s, FALSE);
}

/* A settings block, then a namespace of ~30 bytes a unit. */
static char *
make_moniker (guint units)
{
  GString *s = g_string_new ("winmgmts:{impersonationLevel=impersonate}!\\\\server\\root");

  for (guint i = 0; i < units; i++)
    g_string_append_printf (s, "\\namespace_part_number_%05u", i);
  g_string_append (s, ":Win32_Process");
  return g_string_free (s, FALSE);
}

int
main (int argc, char **argv)
{
  double seconds = 0.3;
  const GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "measured time per input (0.3)", "S" },
    { NULL }
  };
  static const struct
  {
    const char *name;
    const char *key;   /* its name in the RESULT line: one word */
    char *(*make) (guint units);
    gboolean (*parse) (const char *text);
  } parsers[] = {
    { "object path", "object_path", make_path, parse_path },
    { "WQL", "wql", make_wql, parse_wql },
    { "WQL event", "wql_event", make_wql_event, parse_wql_event },
    { "moniker", "moniker", make_moniker, parse_moniker },
  };
  static const guint sizes[] = { 1, 10, 100 };
  char *results[G_N_ELEMENTS (parsers)];

  if (!bench_parse_options ("- time each parser at 1x, 10x, 100x input", entries, &argc, &argv))
    return 2;
  printf ("%-12s %6s %9s %12s %8s\n", "parser", "size", "bytes", "us/parse", "ratio");
  for (gsize p = 0; p < G_N_ELEMENTS (parsers); p++)
    {
      double us[G_N_ELEMENTS (sizes)];

      for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
        {
          g_autofree char *text = parsers[p].make (sizes[k]);
          Input in = { text, parsers[p].parse };
          guint64 steps = 0;
          gint64 elapsed = 0;
          double per;

          if (!bench_run_timed (step, &in, (gint64) (seconds * 1e5), (gint64) (seconds * 1e6), &steps,
                                &elapsed))
            return 1;
          per = (double) elapsed / (double) steps;
          if (k == 0)
            printf ("%-12s %5ux %9zu %12.2f %8s\n", parsers[p].name, sizes[k], strlen (text), per, "-");
          else
            printf ("%-12s %5ux %9zu %12.2f %8.1f\n", parsers[p].name, sizes[k], strlen (text), per,
                    per / us[k - 1]);
          us[k] = per;
        }
      results[p] = g_strdup_printf ("parser name=%s us_1x=%.2f us_10x=%.2f us_100x=%.2f",
                                    parsers[p].key, us[0], us[1], us[2]);
    }
  for (gsize p = 0; p < G_N_ELEMENTS (parsers); p++)
    {
      bench_result ("%s", results[p]);
      g_free (results[p]);
    }
  return 0;
}
