/* test-trace-diagram.c: `wmisim trace`: a trace's JSON lines read back (strictly) and drawn
 * as a text or SVG sequence diagram (tools/wsim-trace-diagram.h), and the command itself on
 * a real trace. */
#include <criterion/criterion.h>
#include <gio/gio.h>
#include <string.h>

#include "wsim-trace-diagram.h"
#include "wsim-trace.h"

/* A ladder as the callback ladder records it: every level from the client's down, refused
 * until pkt; then the stub delivers. */
static const char ladder[] =
  "{\"t_us\":5000,\"call\":7,\"event\":\"start\",\"hresult\":\"0x00000000\",\"status\":\"WBEM_S_NO_ERROR\","
  "\"n\":0,\"level\":\"pktPrivacy\",\"mech\":\"kerberos\",\"principal\":\"alice@SIM.TEST\","
  "\"detail\":\"CreateInstanceEnumAsync root\\\\cimv2:Win32_Process flags 0x0\"}\n"
  "{\"t_us\":5100,\"call\":7,\"event\":\"callback\",\"hresult\":\"0x80070005\",\"status\":\"E_ACCESSDENIED\","
  "\"n\":1,\"level\":\"pktPrivacy\",\"mech\":\"kerberos\",\"principal\":\"host/srv\","
  "\"detail\":\"level too high\"}\n"
  "{\"t_us\":5200,\"call\":7,\"event\":\"callback\",\"hresult\":\"0x80070005\",\"status\":\"E_ACCESSDENIED\","
  "\"n\":2,\"level\":\"pktIntegrity\",\"mech\":\"kerberos\",\"principal\":\"host/srv\"}\n"
  "{\"t_us\":5300,\"call\":7,\"event\":\"callback\",\"hresult\":\"0x00000000\",\"status\":\"WBEM_S_NO_ERROR\","
  "\"n\":3,\"level\":\"pkt\",\"mech\":\"kerberos\",\"principal\":\"host/srv\"}\n"
  "{\"t_us\":5400,\"call\":7,\"event\":\"stub-accepted\",\"hresult\":\"0x00000000\",\"n\":4,"
  "\"level\":\"pkt\",\"principal\":\"host/srv\",\"detail\":\"Indicate\"}\n"
  "{\"t_us\":5500,\"call\":7,\"event\":\"final\",\"hresult\":\"0x00000000\",\"status\":\"WBEM_S_NO_ERROR\","
  "\"n\":4,\"detail\":\"complete\"}\n";

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = NULL;

  cr_assert (wsim_trace_diagram_parse (text, strlen (text), &events, &error), "%s",
             error != NULL ? error->message : "");
  cr_assert_not_null (events);
  return events;
}

static char *
draw_text (const char *text, guint64 call)
{
  g_autoptr(GPtrArray) events = parse_ok (text);
  GString *out = g_string_new (NULL);

  wsim_trace_diagram_render_text (events, call, out);
  return g_string_free (out, FALSE);
}

/* Asserts that the first line of @out that has @needle matches @line_re, and the line
 * under it (the arrow under a label) @next_re; NULL matches anything. */
static void
assert_rows (const char *out, const char *needle, const char *line_re, const char *next_re)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  for (char **l = lines; *l != NULL; l++)
    if (strstr (*l, needle) != NULL)
      {
        cr_assert (line_re == NULL || g_regex_match_simple (line_re, l[0], 0, 0),
                   "'%s' does not match %s", l[0], line_re);
        cr_assert (next_re == NULL || (l[1] != NULL && g_regex_match_simple (next_re, l[1], 0, 0)),
                   "under '%s': '%s' does not match %s", l[0], l[1], next_re);
        return;
      }
  cr_assert_fail ("no line has '%s':\n%s", needle, out);
}

/* Lifelines and arrows in a row of the diagram: client, server, stub, sink. */
#define ROW_SERVER_TO_STUB_REFUSED "^ *\\| +\\|-+>x\\| +\\|$"
#define ROW_SERVER_TO_STUB         "^ *\\| +\\|-+>\\| +\\|$"
#define ROW_CLIENT_TO_SERVER       "^ *\\|-+>\\| +\\| +\\|$"
#define ROW_STUB_TO_SINK           "^ *\\| +\\| +\\|-+>\\|$"
#define ROW_STUB_TO_SINK_UNAUTH    "^ *\\| +\\| +\\|~+>\\|$"
#define ROW_CLIENT_TO_SINK         "^ *\\|-+>\\|$"

Test (trace, ladder_attempts_in_order_with_level_and_outcome, .timeout = 30)
{
  g_autofree char *out = draw_text (ladder, 0);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  const char *first = strstr (out, "#1 try pktPrivacy (kerberos, as host/srv): refused: E_ACCESSDENIED");
  const char *second = strstr (out, "#2 try pktIntegrity (kerberos, as host/srv): refused: E_ACCESSDENIED");
  const char *third = strstr (out, "#3 try pkt (kerberos, as host/srv): accepted");

  cr_assert (first != NULL && second != NULL && third != NULL, "%s", out);
  cr_assert (first < second && second < third, "the rungs are out of order:\n%s", out);
  cr_assert (strstr (first, " - level too high") != NULL, "%s", out);
  assert_rows (out, "#1 try", NULL, ROW_SERVER_TO_STUB_REFUSED);
  assert_rows (out, "#2 try", NULL, ROW_SERVER_TO_STUB_REFUSED);
  assert_rows (out, "#3 try", NULL, ROW_SERVER_TO_STUB);
  assert_rows (out, "CreateInstanceEnumAsync", "\\[pktPrivacy kerberos alice@SIM\\.TEST\\]$",
               ROW_CLIENT_TO_SERVER);
  assert_rows (out, "Indicate [pkt host/srv]", NULL, ROW_STUB_TO_SINK);
  cr_assert (strstr (out, "UNAUTHENTICATED") == NULL, "an authenticated callback:\n%s", out);
  cr_assert (g_str_has_prefix (out, "call 7\n"), "%s", out);
  cr_assert (strstr (lines[2], "0.000") != NULL && strstr (lines[4], "0.100") != NULL, "%s", out);
}

Test (trace, stub_accepted_without_authentication_is_marked, .timeout = 30)
{
  static const char *const cases[] = {
    "{\"t_us\":1,\"call\":1,\"event\":\"stub-accepted\",\"hresult\":\"0x00000000\",\"n\":2,"
    "\"level\":\"none\",\"detail\":\"Indicate\"}\n",
    /* a level, but nobody named */
    "{\"t_us\":1,\"call\":1,\"event\":\"stub-accepted\",\"hresult\":\"0x00000000\",\"n\":2,"
    "\"level\":\"connect\",\"detail\":\"Indicate\"}\n",
    /* a principal at level none is still no authentication */
    "{\"t_us\":1,\"call\":1,\"event\":\"stub-accepted\",\"hresult\":\"0x00000000\",\"n\":2,"
    "\"level\":\"none\",\"principal\":\"bob\",\"detail\":\"Indicate\"}\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = draw_text (cases[i], 0);

      assert_rows (out, "UNAUTHENTICATED Indicate", NULL, ROW_STUB_TO_SINK_UNAUTH);
    }
}

Test (trace, stub_refused_names_the_caller, .timeout = 30)
{
  g_autofree char *out = draw_text (
    "{\"t_us\":1,\"call\":1,\"event\":\"stub-refused\",\"hresult\":\"0x80070005\",\"n\":0,"
    "\"level\":\"connect\",\"principal\":\"EVIL\\\\mallory\",\"detail\":\"Indicate\"}\n"
    "{\"t_us\":2,\"call\":1,\"event\":\"stub-refused\",\"hresult\":\"0x80070005\",\"n\":0,"
    "\"level\":\"none\",\"detail\":\"SetStatus\"}\n", 0);

  /* a mark on the stub's lifeline, not an arrow */
  assert_rows (out, "refused Indicate from EVIL\\mallory at connect", "^0\\.000 +\\| +\\| +x refused",
               "^0\\.001 +\\| +\\| +x refused SetStatus from anonymous at none$");
}

Test (trace, events_are_sorted_by_time_stably, .timeout = 30)
{
  g_autofree char *out = draw_text (
    "{\"t_us\":3000,\"call\":1,\"event\":\"final\",\"hresult\":\"0x00000000\",\"status\":\"WBEM_S_NO_ERROR\",\"n\":1}\n"
    "{\"t_us\":1000,\"call\":1,\"event\":\"start\",\"hresult\":\"0x00000000\",\"n\":0,\"detail\":\"GetObjectAsync\"}\n"
    "{\"t_us\":2000,\"call\":1,\"event\":\"indicate\",\"hresult\":\"0x00000000\",\"n\":1,\"detail\":\"first\"}\n"
    "{\"t_us\":2000,\"call\":1,\"event\":\"indicate\",\"hresult\":\"0x00000000\",\"n\":2,\"detail\":\"second\"}\n",
    0);
  const char *start = strstr (out, "GetObjectAsync"), *first = strstr (out, "Indicate n=1 (first)");
  const char *second = strstr (out, "Indicate n=2 (second)");
  const char *final = strstr (out, "SetStatus(final WBEM_S_NO_ERROR)");

  cr_assert (start && first && second && final, "%s", out);
  cr_assert (start < first && first < second && second < final, "%s", out);
  cr_assert (strstr (out, "\n0.000 ") != NULL && strstr (out, "\n2.000 ") != NULL, "%s", out);
}

Test (trace, call_filter_and_grouping, .timeout = 30)
{
  static const char two[] =
    "{\"t_us\":10,\"call\":2,\"event\":\"start\",\"hresult\":\"0x00000000\",\"n\":0,\"detail\":\"second call\"}\n"
    "{\"t_us\":5,\"call\":1,\"event\":\"start\",\"hresult\":\"0x00000000\",\"n\":0,\"detail\":\"first call\"}\n"
    "{\"t_us\":20,\"call\":1,\"event\":\"cancel\",\"hresult\":\"0x00000000\",\"n\":0}\n"
    "{\"t_us\":30,\"call\":2,\"event\":\"teardown\",\"hresult\":\"0x800706BA\",\"n\":0,\"detail\":\"the sink host is gone\"}\n";
  g_autofree char *all = draw_text (two, 0);
  g_autofree char *only2 = draw_text (two, 2);
  g_autofree char *none = draw_text (two, 9);
  const char *h1 = strstr (all, "call 1\n"), *h2 = strstr (all, "\ncall 2\n");

  /* grouped: call 1 started first, and its cancel comes before call 2's header */
  cr_assert (h1 != NULL && h2 != NULL && h1 < h2, "%s", all);
  cr_assert (strstr (all, "CancelAsyncCall") < h2, "%s", all);
  cr_assert (strstr (only2, "call 1") == NULL && strstr (only2, "first call") == NULL, "%s", only2);
  cr_assert (strstr (only2, "second call") != NULL, "%s", only2);
  assert_rows (only2, "teardown", "^0\\.020 +\\| +\\* teardown: the sink host is gone +\\|$", NULL);
  cr_assert_str_eq (none, "no events for call 9\n");
}

Test (trace, malformed_lines_are_invalid_data_with_the_line, .timeout = 30)
{
  static const char good[] = "{\"t_us\":1,\"call\":1,\"event\":\"start\",\"hresult\":\"0x0\",\"n\":0}\n";
  static const struct { const char *line, *says; } cases[] = {
    { "{\"t_us\":1 \"call\":1}", "line 2, column 9: Parse error: unexpected number" },
    { "{\"t_us\":1,\"call\":1,\"hresult\":\"0x0\",\"n\":0}", "line 2: no \"event\"" },
    { "{\"t_us\":1,\"call\":1,\"ev", "line 2, column " },   /* truncated */
    { "{\"t_us\":1,\"call\":1,\"event\":\"start\",\"hresult\":\"0x0\",\"n\":0", "line 2, column 56: Parse error" },
    { "{\"t_us\":1.5,\"call\":1}", "\"t_us\": expected a string or an integer" },
    { "{\"t_us\":1,\"call\":-1}", "out of range" },
    { "{\"t_us\":1,\"call\":\"-1\"}", "out of range" },
    { "{\"t_us\":1,\"call\":\"x\"}", "out of range" },
    { "{\"t_us\":\"1\",\"call\":1}", "wants an integer" },
    { "{\"t_us\":1,\"detail\":\"\\ud800\"}", "Parse error" },
    /* json-glib 1.6 lets a lone surrogate through as bytes that are not UTF-8. */
    { "{\"t_us\":1,\"call\":1,\"event\":\"x\",\"hresult\":\"0x0\",\"n\":0,\"detail\":\"\\udc00x\"}",
      "\"detail\": a string that is not UTF-8" },
    { "{\"t_us\":1,\"detail\":\"\xff\"}", "UTF-8" },
    { "{\"t_us\":1,\"call\":1,\"event\":\"x\",\"hresult\":\"0x0\",\"n\":0,\"detail\":true}",
      "expected a string or an integer" },
    { "{\"t_us\":1,\"call\":1,\"event\":\"\",\"hresult\":\"0x0\",\"n\":0}", "empty" },
    { "{\"t_us\":1,\"call\":1,\"event\":\"x\",\"hresult\":\"5\",\"n\":0}", "\"hresult\"" },
    { "{\"t_us\":1,\"call\":1,\"event\":\"x\",\"hresult\":\"0x123456789\",\"n\":0}", "\"hresult\"" },
    { "{\"t_us\":1,\"call\":1,\"event\":\"x\",\"hresult\":\"0x0\",\"n\":0} }", "expected end of file" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (good, cases[i].line, NULL);
      g_autoptr(GError) error = NULL;
      GPtrArray *events = NULL;

      cr_assert_not (wsim_trace_diagram_parse (text, strlen (text), &events, &error), "%s",
                     cases[i].line);
      cr_assert_null (events);
      cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA), "%s", cases[i].line);
      cr_assert (g_str_has_prefix (error->message, "line 2"), "%s: %s", cases[i].line, error->message);
      cr_assert (strstr (error->message, cases[i].says) != NULL, "%s: '%s' lacks '%s'", cases[i].line,
                 error->message, cases[i].says);
    }
}

Test (trace, strings_decode_and_other_lines_are_skipped, .timeout = 30)
{
  /* As `wmisim enum --trace` prints it: the table and the final line on the same stream. */
  g_autoptr(GPtrArray) events = parse_ok (
    "security: RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_IMP_LEVEL_IMPERSONATE, NTLMSSP\n"
    "\n"
    "final SetStatus: WBEM_S_NO_ERROR (0x00000000): the call succeeded\n"
    "  { \"t_us\" : -4 , \"call\":\"18446744073709551615\",\"event\":\"start\",\"hresult\":\"0xFFFFFFFF\","
    "\"n\":0,\"future\":\"x\",\"count\":3,"
    "\"detail\":\"q\\\" b\\\\ n\\n \\u00e9 \\ud83d\\ude00 \\/\"}\r\n");
  const WsimTraceDiagramEvent *e;

  cr_assert_eq (events->len, 1);
  e = events->pdata[0];
  cr_assert_eq (e->t_us, -4);
  cr_assert_eq (e->call, G_MAXUINT64);
  cr_assert_eq (e->hresult, 0xFFFFFFFFu);
  cr_assert_eq (e->line, 4);
  cr_assert_null (e->status);
  cr_assert_str_eq (e->kind, "start");
  cr_assert_str_eq (e->detail, "q\" b\\ n\n \xc3\xa9 \xf0\x9f\x98\x80 /");
}

/* ASCII and "…" only, at most 120 columns, cut with "…". */
Test (trace, text_is_ascii_within_120_columns, .timeout = 30)
{
  g_autofree char *big = g_strnfill (300, 'd');
  g_autofree char *text = g_strdup_printf (
    "{\"t_us\":1,\"call\":1,\"event\":\"start\",\"hresult\":\"0x0\",\"n\":0,\"detail\":\"\\u00e9%s\"}\n"
    "{\"t_us\":2,\"call\":1,\"event\":\"callback\",\"hresult\":\"0x80070005\",\"n\":1,\"level\":\"pkt\","
    "\"detail\":\"%s\"}\n"
    "{\"t_us\":3,\"call\":1,\"event\":\"stub-final\",\"hresult\":\"0x80041032\",\"status\":\"WBEM_E_CALL_CANCELLED\",\"n\":0}\n",
    big, big);
  g_autofree char *out = draw_text (text, 0);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  for (char **l = lines; *l != NULL; l++)
    {
      cr_assert_leq (g_utf8_strlen (*l, -1), 120, "%s", *l);
      for (const char *p = *l; *p != '\0'; p = g_utf8_next_char (p))
        cr_assert (g_utf8_get_char (p) < 0x80 || g_utf8_get_char (p) == 0x2026, "%s", *l);
    }
  assert_rows (out, "?ddd", "^.{119}(?<=d)…$", NULL);
  /* a callback's detail is shortened, its outcome kept */
  cr_assert (strstr (out, "#1 try pkt: refused: 0x80070005 - ddd") != NULL, "%s", out);
  assert_rows (out, "SetStatus(final WBEM_E_CALL_CANCELLED) (local)", NULL, ROW_STUB_TO_SINK);
}

Test (trace, unknown_kinds_are_notes, .timeout = 30)
{
  g_autofree char *out = draw_text (
    "{\"t_us\":1,\"call\":1,\"event\":\"frobnicate\",\"hresult\":\"0x0\",\"n\":0,\"detail\":\"new\"}\n"
    "{\"t_us\":2,\"call\":1,\"event\":\"violation\",\"hresult\":\"0x0\",\"n\":0,\"detail\":\"a second result\"}\n"
    "{\"t_us\":3,\"call\":1,\"event\":\"progress\",\"hresult\":\"0x00050002\",\"n\":0}\n", 0);

  cr_assert (strstr (out, "* unknown event 'frobnicate': new") != NULL, "%s", out);
  cr_assert (strstr (out, "* violation: a second result") != NULL, "%s", out);
  cr_assert (strstr (out, "SetStatus(progress 2/5)") != NULL, "%s", out);
}

/* The client's own events: a question answered "open" goes to the server; a final it
 * delivered itself goes to the sink. */
Test (trace, the_client_s_questions_and_own_finals, .timeout = 30)
{
  g_autofree char *out = draw_text (
    "{\"t_us\":1,\"call\":1,\"event\":\"client-ask\",\"hresult\":\"0x0\",\"n\":0,"
    "\"detail\":\"asked the server: the call is open\"}\n"
    "{\"t_us\":2,\"call\":1,\"event\":\"client-final\",\"hresult\":\"0x80010108\","
    "\"status\":\"RPC_E_DISCONNECTED\",\"n\":0,\"detail\":\"the server is gone\"}\n", 0);

  cr_assert (strstr (out, "unknown event") == NULL, "%s", out);
  assert_rows (out, "QueryCalls: open", NULL, ROW_CLIENT_TO_SERVER);
  assert_rows (out, "SetStatus(final RPC_E_DISCONNECTED) (local)", NULL, ROW_CLIENT_TO_SINK);
}

/* ---- SVG ---- */

typedef struct {
  GString *text;      /* all character data, unescaped */
  guint    n_svg, n_line, n_marker, n_red;
} SvgSeen;

static void
on_start (GMarkupParseContext *ctx, const char *name, const char **names, const char **values,
          gpointer data, GError **error)
{
  SvgSeen *s = data;

  s->n_svg += g_str_equal (name, "svg");
  s->n_line += g_str_equal (name, "line");
  s->n_marker += g_str_equal (name, "marker");
  for (gsize i = 0; names[i] != NULL; i++)
    if ((g_str_equal (names[i], "stroke") || g_str_equal (names[i], "fill"))
        && g_str_equal (values[i], "#c62828"))
      s->n_red++;
}

static void
on_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  g_string_append_len (((SvgSeen *) data)->text, text, (gssize) len);
}

static SvgSeen
parse_svg (const char *jsonl, guint64 call)
{
  static const GMarkupParser parser = { .start_element = on_start, .text = on_text };
  g_autoptr(GPtrArray) events = parse_ok (jsonl);
  g_autoptr(GString) svg = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  SvgSeen seen = { .text = g_string_new (NULL) };
  GMarkupParseContext *ctx = g_markup_parse_context_new (&parser, 0, &seen, NULL);

  wsim_trace_diagram_render_svg (events, call, svg);
  cr_assert (g_str_has_prefix (svg->str, "<svg xmlns=\"http://www.w3.org/2000/svg\""), "%s", svg->str);
  cr_assert (g_markup_parse_context_parse (ctx, svg->str, (gssize) svg->len, &error)
             && g_markup_parse_context_end_parse (ctx, &error), "%s\n%s", error->message, svg->str);
  g_markup_parse_context_free (ctx);
  cr_assert_eq (seen.n_svg, 1);
  return seen;
}

Test (trace, svg_is_well_formed_and_escapes_text, .timeout = 30)
{
  g_autofree char *text = g_strconcat (ladder,
    "{\"t_us\":6000,\"call\":7,\"event\":\"stub-refused\",\"hresult\":\"0x80070005\",\"n\":0,"
    "\"level\":\"none\",\"principal\":\"a<b&c\\\"d\",\"detail\":\"<script>&\\\"x\\\"\"}\n"
    "{\"t_us\":6100,\"call\":7,\"event\":\"stub-accepted\",\"hresult\":\"0x0\",\"n\":0,"
    "\"level\":\"none\",\"detail\":\"Indicate ]]> \\u00e9\"}\n"
    "{\"t_us\":6200,\"call\":8,\"event\":\"whatever\",\"hresult\":\"0x0\",\"n\":0}\n", NULL);
  g_autoptr(GPtrArray) events = parse_ok (text);
  g_autoptr(GString) svg = g_string_new (NULL);
  SvgSeen seen = parse_svg (text, 0);

  cr_assert (strstr (seen.text->str, "refused <script>&\"x\" from a<b&c\"d at none") != NULL, "%s",
             seen.text->str);
  cr_assert (strstr (seen.text->str, "UNAUTHENTICATED Indicate ]]> \xc3\xa9") != NULL, "%s",
             seen.text->str);
  cr_assert (strstr (seen.text->str, "#3 try pkt (kerberos, as host/srv): accepted") != NULL);
  cr_assert (strstr (seen.text->str, "unknown event 'whatever'") != NULL);
  cr_assert (strstr (seen.text->str, "client") != NULL && strstr (seen.text->str, "sink") != NULL);
  cr_assert_geq (seen.n_marker, 3);
  cr_assert_geq (seen.n_line, 8 + 6);   /* two calls' lifelines, six arrows at least */
  cr_assert_geq (seen.n_red, 3);        /* two refused rungs and the stub's refusal */
  wsim_trace_diagram_render_svg (events, 0, svg);
  cr_assert (strstr (svg->str, "<script>") == NULL && strstr (svg->str, "&lt;script&gt;&amp;&quot;") != NULL);
  cr_assert (strstr (svg->str, "#ef6c00") != NULL, "the unauthenticated callback is orange");
  g_string_free (seen.text, TRUE);

  seen = parse_svg (text, 42);   /* nothing to draw is still a document */
  cr_assert (strstr (seen.text->str, "no events for call 42") != NULL, "%s", seen.text->str);
  g_string_free (seen.text, TRUE);
}

/* ---- the command ---- */

typedef struct {
  char *out;
  char *err;
  int   status;
} Run;

/* Runs wmisim with @input (nullable) on its standard input. */
static Run
run_wmisim (const char *input, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Run r = { 0 };

  g_ptr_array_add (argv, (gpointer) WSIM_WMISIM);
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDIN_PIPE
                            | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  cr_assert_not_null (proc, "%s", error != NULL ? error->message : "");
  cr_assert (g_subprocess_communicate_utf8 (proc, input, NULL, &r.out, &r.err, &error), "%s",
             error != NULL ? error->message : "");
  cr_assert (g_subprocess_get_if_exited (proc), "wmisim did not exit normally");
  r.status = g_subprocess_get_exit_status (proc);
  return r;
}

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

Test (trace, cli_draws_a_real_trace_piped_in, .timeout = 60)
{
  static const char *const enum_args[] = { "--provider-dir", WSIM_TEST_PROVIDER_DIR, "enum",
                                           "Win32_OperatingSystem", "--trace", NULL };
  static const char *const trace_args[] = { "trace", NULL };
  static const char *const svg_args[] = { "trace", "--svg", "--call", "1", "-", NULL };
  Run e = run_wmisim (NULL, enum_args);
  Run t, s;

  /* With the table format, --trace prints the trace on standard output, after the table. */
  cr_assert_eq (e.status, 0, "%s", e.err);
  cr_assert (strstr (e.out, "\"event\":\"start\"") != NULL, "%s", e.out);
  t = run_wmisim (e.out, trace_args);
  cr_assert_eq (t.status, 0, "%s", t.err);
  assert_rows (t.out, "CreateInstanceEnumAsync root\\cimv2:Win32_OperatingSystem", NULL,
               ROW_CLIENT_TO_SERVER);
  assert_rows (t.out, "SetStatus(final WBEM_S_NO_ERROR): complete", NULL, ROW_SERVER_TO_STUB);
  s = run_wmisim (e.out, svg_args);
  cr_assert_eq (s.status, 0, "%s", s.err);
  cr_assert (g_str_has_prefix (s.out, "<svg ") && strstr (s.out, "SetStatus(final WBEM_S_NO_ERROR)"),
             "%s", s.out);
  run_clear (&e);
  run_clear (&t);
  run_clear (&s);
}

Test (trace, cli_errors_exit_1_and_usage_errors_exit_2, .timeout = 30)
{
  static const char *const plain[] = { "trace", NULL };
  static const char *const missing[] = { "trace", "/nonexistent/trace.jsonl", NULL };
  static const char *const usage[][5] = {
    { "trace", "a", "b", NULL },
    { "trace", "--bogus", NULL },
    { "trace", "--call", "-1", NULL },
    { "trace", "--call", "x", NULL },
  };
  Run bad = run_wmisim ("{\"t_us\":1,\"call\":1,\"event\":\"start\",\"hresult\":\"0x0\",\"n\":0}\n{\"t_us\":",
                        plain);
  Run gone = run_wmisim ("", missing);
  Run empty = run_wmisim ("", plain);

  cr_assert_eq (bad.status, 1);
  cr_assert (strstr (bad.err, "standard input: line 2, column 8: Parse error: unexpected end of file") != NULL, "%s", bad.err);
  cr_assert_str_empty (bad.out);
  cr_assert_eq (gone.status, 1);
  cr_assert (strstr (gone.err, "/nonexistent/trace.jsonl") != NULL, "%s", gone.err);
  cr_assert_eq (empty.status, 0, "%s", empty.err);
  cr_assert_str_eq (empty.out, "no events\n");
  for (gsize i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      Run u = run_wmisim ("", usage[i]);

      cr_assert_eq (u.status, 2, "%s %s: exit %d", usage[i][1], usage[i][2], u.status);
      cr_assert (strstr (u.err, "usage: wmisim trace") != NULL, "%s", u.err);
      run_clear (&u);
    }
  run_clear (&bad);
  run_clear (&gone);
  run_clear (&empty);
}

/* --mermaid: a sequenceDiagram whose every line is a statement Mermaid knows (participant,
 * note, message), refusals crossed at the lane that refused, the unauthenticated callback
 * dashed, and the trace's text unable to end a message or open HTML. */
Test (trace, mermaid_is_a_sequence_diagram_and_escapes_text, .timeout = 30)
{
  g_autofree char *text = g_strconcat (ladder,
    "{\"t_us\":6000,\"call\":7,\"event\":\"stub-refused\",\"hresult\":\"0x80070005\",\"n\":0,"
    "\"level\":\"none\",\"principal\":\"a;b#c\",\"detail\":\"<script>x\\ny\"}\n"
    "{\"t_us\":6100,\"call\":7,\"event\":\"stub-accepted\",\"hresult\":\"0x0\",\"n\":0,"
    "\"level\":\"none\",\"detail\":\"Indicate\"}\n", NULL);
  g_autoptr(GPtrArray) events = parse_ok (text);
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  g_autoptr(GRegex) entity = g_regex_new ("#(\\d+|lt|gt);", 0, 0, NULL);
  guint crossed = 0, dashed = 0;

  wsim_trace_diagram_render_mermaid (events, 0, out);
  cr_assert (g_str_has_prefix (out->str, "sequenceDiagram\n    participant client\n    participant server\n"
                               "    participant stub\n    participant sink\n    Note over client,sink: call 7\n"),
             "%s", out->str);
  lines = g_strsplit (out->str, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      /* Outside entity codes (#59; #35; #lt; #gt;) no ";" "<" ">" is left in a label. */
      const char *label = strstr (lines[i], ": ");
      g_autofree char *plain = g_regex_replace (entity, label != NULL ? label : "", -1, 0, "", 0,
                                                NULL);

      cr_assert (g_regex_match_simple ("^    (participant [a-z]+|Note over [a-z]+(,[a-z]+)?: .+|"
                                       "[a-z]+(->>|-->>|-x)[a-z]+: [0-9]+\\.[0-9]{3} ms .+)$",
                                       lines[i], 0, 0), "not a statement: '%s'", lines[i]);
      cr_assert (strpbrk (plain, ";<>") == NULL, "unescaped: '%s'", lines[i]);
      crossed += strstr (lines[i], "-x") != NULL;
      dashed += strstr (lines[i], "-->>") != NULL;
    }
  cr_assert_eq (crossed, 2, "the two refused rungs: %s", out->str);
  cr_assert_eq (dashed, 1, "the callback taken without authentication: %s", out->str);
  cr_assert (strstr (out->str, "    server-xstub: 0.100 ms ") != NULL, "%s", out->str);
  cr_assert (strstr (out->str, "#lt;script#gt;x y") != NULL, "%s", out->str);
  cr_assert (strstr (out->str, "a#59;b#35;c") != NULL, "%s", out->str);
}

/* What the writer (cim/wsim-trace.c) prints from hostile strings — a class name and a
 * principal from the client, a provider's message: quotes, control characters, bytes that
 * are not UTF-8, a call id above G_MAXINT64 — the reader takes back, each invalid byte as
 * U+FFFD and everything else as it was. */
Test (trace, hostile_strings_round_trip, .timeout = 30)
{
  static const char detail[] = "ExecQueryAsync SELECT * FROM Sim_\"x\xff\\\" \x01\x1f\x7f\n"
                               "{\"t_us\":0} provider said \xc3( \xed\xa0\x80 \xe2\x80\xa8 end";
  static const char principal[] = "evil\"@\x02REALM\xfe";
  g_autoptr(WsimTrace) trace = wsim_trace_new ();
  WsimTraceAuth auth = { .level = 6, .mech = "kerberos", .principal = principal };
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *want_detail = g_utf8_make_valid (detail, -1);
  g_autofree char *want_principal = g_utf8_make_valid (principal, -1);
  g_autoptr(GPtrArray) events = NULL;
  const WsimTraceDiagramEvent *e;

  wsim_trace_add_auth (trace, WSIM_TRACE_START, G_MAXUINT64, 0, 0, &auth, "%s", detail);
  wsim_trace_add (trace, WSIM_TRACE_FINAL, G_MAXINT64, 0x80041001, G_MAXUINT64, "%s", detail);
  wsim_trace_to_json_lines (trace, 0, lines);
  cr_assert (g_utf8_validate (lines->str, -1, NULL), "%s", lines->str);
  events = parse_ok (lines->str);
  cr_assert_eq (events->len, 2, "%s", lines->str);
  e = events->pdata[0];
  cr_assert_eq (e->call, G_MAXUINT64);
  cr_assert_str_eq (e->kind, "start");
  cr_assert_str_eq (e->detail, want_detail);
  cr_assert_str_eq (e->principal, want_principal);
  cr_assert_str_eq (e->mech, "kerberos");
  e = events->pdata[1];
  cr_assert_eq (e->call, (guint64) G_MAXINT64);
  cr_assert_eq (e->n, G_MAXUINT64);
  cr_assert_eq (e->hresult, 0x80041001u);
  cr_assert_str_eq (e->status, "WBEM_E_FAILED");
  cr_assert_str_eq (e->detail, want_detail);
  cr_assert_eq (e->line, 2);
}
