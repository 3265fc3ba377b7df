/* test-cli-output.c: what wmisim prints, format by format (tools/wmisim-output.c).
 *
 * Owns the proof that each format prints tests/cli/golden/sim-out.FORMAT for the classes of
 * tests/cli/golden/sim-out.mof (an empty string and a NULL, a comma and quotes, a line
 * break, wide characters), that a table fits a terminal by cutting with "…" and never cuts
 * otherwise, that --property picks columns, and that names from the wire stay data in
 * json and csv, and that embedded objects print as instance text. wmisim runs as a child process; the printer is also driven directly, into
 * memory, for widths no pipe has. */
#include <criterion/criterion.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "wmisim-output.h"
#include "wsim-test-spawn.h"
#include "wsim-value.h"

TestSuite (cli_output, .timeout = 60);

/* wmisim on sim-out.mof in root\test with @args; stdout (transfer full). */
static char *
wmisim (const char *const *args)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_strv_builder_add_many (b, WSIM_WMISIM, "--provider-dir", WSIM_TEST_PROVIDER_DIR, "--mof",
                           WSIM_GOLDEN_DIR "/sim-out.mof", "-n", "root\\test", NULL);
  g_strv_builder_addv (b, (const char **) args);
  argv = g_strv_builder_end (b);
  status = wsim_test_spawn ((const char *const *) argv, NULL, &out, &err);
  cr_assert_eq (status, 0, "%s", err);
  return out;
}

static char *
golden (const char *format)
{
  g_autofree char *path = g_strdup_printf ("%s/sim-out.%s", WSIM_GOLDEN_DIR, format);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  cr_assert (g_file_get_contents (path, &text, NULL, &error), "%s", error ? error->message : "");
  return text;
}

/* list, value, csv and json: stdout is the data alone, exactly the golden file. */
Test (cli_output, each_format_prints_its_golden_file)
{
  static const char *const formats[] = { "list", "value", "csv", "json" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const char *args[] = { "-f", formats[i], "enum", "Sim_Out", NULL };
      g_autofree char *out = wmisim (args);
      g_autofree char *want = golden (formats[i]);

      cr_assert_str_eq (out, want, "-f %s:\n%s", formats[i], out);
    }
}

/* Embedded objects (sim-embedded's Sim_Embedded, through the embedded server) print as
 * one-line MOF instance text; a null one as nothing, as any null. */
Test (cli_output, embedded_objects_print_as_instance_text)
{
  const char *const argv[] = { WSIM_WMISIM, "--provider-dir", WSIM_TEST_PROVIDER_DIR, "-f", "list",
                               "enum", "Sim_Embedded", NULL };
  g_autofree char *out = NULL, *err = NULL, *want = NULL;

  cr_assert (g_file_get_contents (WSIM_GOLDEN_DIR "/sim-embedded.list", &want, NULL, NULL));
  cr_assert_eq (wsim_test_spawn (argv, NULL, &out, &err), 0, "%s", err);
  cr_assert_str_eq (out, want, "-f list:\n%s", out);
}

/* The table is the golden block between the call's story lines, uncut on a pipe. */
Test (cli_output, a_table_on_a_pipe_is_never_cut)
{
  const char *args[] = { "-f", "table", "enum", "Sim_Out", NULL };
  g_autofree char *out = wmisim (args);
  g_autofree char *want = golden ("table");

  cr_assert (strstr (out, want) != NULL, "want\n%s\nin\n%s", want, out);
  cr_assert (strstr (out, "…") == NULL, "cut on a pipe:\n%s", out);
}

/* NULL and "" differ in every format that prints text: nothing against "" in a table, an
 * empty field against "" in csv, null against "" in json. */
Test (cli_output, null_is_not_an_empty_string)
{
  const char *csv_args[] = { "-f", "csv", "get", "Sim_Out.Name=\"a\"", NULL };
  const char *null_args[] = { "-f", "csv", "get", "Sim_Out.Name=\"b, \\\"q\\\"\"", NULL };
  g_autofree char *empty = wmisim (csv_args);
  g_autofree char *null = wmisim (null_args);

  cr_assert_str_eq (empty, "Name,Note,N\na,\"\",1\n");
  cr_assert_str_eq (null, "Name,Note,N\n\"b, \"\"q\"\"\",,22\n");
}

/* --property: those columns, in that order, for enum and get; refused for a query. */
Test (cli_output, property_picks_the_columns)
{
  const char *args[] = { "-f", "csv", "--property", "N", "--property", "name", "enum", "Sim_Out",
                         NULL };
  g_autofree char *out = wmisim (args);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_autofree char *qout = NULL, *qerr = NULL;

  cr_assert (g_str_has_prefix (out, "N,Name\n1,a\n22,"), "%s", out);
  g_strv_builder_add_many (b, WSIM_WMISIM, "--provider-dir", WSIM_TEST_PROVIDER_DIR, "--mof",
                           WSIM_GOLDEN_DIR "/sim-out.mof", "-n", "root\\test", "--property", "N",
                           "query", "SELECT * FROM Sim_Out", NULL);
  argv = g_strv_builder_end (b);
  cr_assert_eq (wsim_test_spawn ((const char *const *) argv, NULL, &qout, &qerr), 2);
  cr_assert (strstr (qerr, "--property") != NULL, "%s", qerr);
}

/* ---- the printer itself ---------------------------------------------------------- */

/* A class with one key and a long string, two objects; @name is the second property's name. */
static GPtrArray *
objects (const char *name)
{
  wsim_property_def props[] = {
    { (char *) "Id", CIM_UINT32, TRUE },
    { (char *) name, CIM_STRING, FALSE },
  };
  g_autoptr(WsimClass) cls = wsim_class_new ("Sim_Long", NULL, props, 2, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);

  for (guint i = 0; i < 2; i++)
    {
      WsimObject *obj = wsim_object_new (cls);

      wsim_object_get_value (obj, 0)->type = CIM_UINT32;
      wsim_object_get_value (obj, 0)->wsim_value_u.v_uint32 = i + 1;
      wsim_value_set_string (wsim_object_get_value (obj, 1),
                             i == 0 ? "a value far longer than the terminal is wide" : "short");
      g_ptr_array_add (out, obj);
    }
  return out;
}

/* What a printer of @format with @width prints for objects (@name). (transfer full) */
static char *
print (WsimCliFormat format, guint width, const char *name)
{
  g_autoptr(GPtrArray) objs = objects (name);
  WsimCliPrinterOptions po = { .ns = "root\\test", .server = "vm", .width = width };
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  {
    g_autoptr(WsimCliPrinter) pr = wsim_cli_printer_new (format, &po, f);

    for (guint i = 0; i < objs->len; i++)
      wsim_cli_printer_add (pr, objs->pdata[i]);
  }
  fclose (f);
  return buf;
}

/* Strings print as themselves unless they would read as something else: "" is the empty
 * string, """""" two quotes, "  " two blanks; characters that would move or reverse the
 * line (C1 controls, separators, bidi overrides) and a class name's line break are escaped. */
Test (cli_output, values_read_as_themselves)
{
  static const char *const values[] = { "", "\"\"", "  ", "x\xe2\x80\xaey", "a\xc2\x9b" "2J",
                                        "line\xe2\x80\xa8sep" };
  static const char *const want[] = { "Text=\"\"\n", "Text=\"\"\"\"\"\"\n", "Text=\"  \"\n",
                                      "Text=x\\u{202E}y\n", "Text=a\\u{009B}2J\n",
                                      "Text=line\\u{2028}sep\n" };
  wsim_property_def props[] = { { (char *) "Text", CIM_STRING, FALSE } };
  g_autoptr(WsimClass) cls = wsim_class_new ("Sim_X\nforged", NULL, props, 1, NULL);
  WsimCliPrinterOptions po = { .ns = "root\\test" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(WsimObject) obj = wsim_object_new (cls);
      char *buf = NULL;
      size_t len = 0;
      FILE *f = open_memstream (&buf, &len);
      g_autofree char *out = NULL;

      wsim_value_set_string (wsim_object_get_value (obj, 0), values[i]);
      {
        g_autoptr(WsimCliPrinter) pr = wsim_cli_printer_new (WSIM_CLI_FORMAT_LIST, &po, f);

        wsim_cli_printer_add (pr, obj);
      }
      fclose (f);
      out = buf;
      cr_assert_str_eq (out, want[i], "value %u", i);
    }
  {
    g_autoptr(WsimObject) obj = wsim_object_new (cls);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream (&buf, &len);
    g_autofree char *out = NULL;

    wsim_value_set_string (wsim_object_get_value (obj, 0), "v");
    {
      g_autoptr(WsimCliPrinter) pr = wsim_cli_printer_new (WSIM_CLI_FORMAT_TABLE, &po, f);

      wsim_cli_printer_add (pr, obj);
    }
    fclose (f);
    out = buf;
    cr_assert_str_eq (out, "\nSim_X\\nforged\nText\nv\n");
  }
}

/* On a terminal of 24 columns the long column gives way, its cells cut with "…"; every
 * line fits. */
Test (cli_output, a_table_fits_the_terminal)
{
  g_autofree char *out = print (WSIM_CLI_FORMAT_TABLE, 24, "Text");
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  cr_assert (strstr (out, "1   a value far longer…") != NULL, "%s", out);
  cr_assert (strstr (out, "2   short") != NULL, "%s", out);
  for (guint i = 0; lines[i] != NULL; i++)
    cr_assert_leq (g_utf8_strlen (lines[i], -1), 24, "too wide: '%s'", lines[i]);
}

/* A name from the wire with a quote is a key's text in json, a quoted field in csv, an
 * escaped line in a table: never syntax. */
Test (cli_output, names_stay_data)
{
  g_autofree char *json = print (WSIM_CLI_FORMAT_JSON, 0, "x\",\"forged\":true,\"y");
  g_autofree char *csv = print (WSIM_CLI_FORMAT_CSV, 0, "a,b\nc");
  g_autofree char *table = print (WSIM_CLI_FORMAT_TABLE, 0, "a\nb");

  cr_assert (strstr (json, "\"x\\\",\\\"forged\\\":true,\\\"y\":") != NULL, "%s", json);
  cr_assert (strstr (json, "\"forged\":true") == NULL, "%s", json);
  cr_assert (g_str_has_prefix (csv, "Id,\"a,b\nc\"\n"), "%s", csv);
  cr_assert (strstr (table, "Id  a\\nb") != NULL, "%s", table);
}

/* @text is one JSON object that json-glib reads back with __CLASS @cls and @prop = @value. */
static void
assert_reads_back (const char *text, const char *cls, const char *prop, const char *value)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  cr_assert (g_utf8_validate (text, -1, NULL), "%s", text);
  cr_assert (json_parser_load_from_data (parser, text, -1, &error), "%s: %s", error->message, text);
  o = json_node_get_object (json_parser_get_root (parser));
  cr_assert_eq (json_object_get_size (o), 2, "%s", text);
  cr_assert_str_eq (json_object_get_string_member (o, "__CLASS"), cls);
  cr_assert_str_eq (json_object_get_string_member (o, prop), value);
}

/* Bytes from the wire that JSON cannot carry as they are (a quote, control characters,
 * bytes that are not UTF-8) in the class name, a property's name and a value: -f json's
 * line and wsim_object_to_json() are still one JSON object json-glib reads back, each
 * invalid byte as U+FFFD. */
Test (cli_output, hostile_strings_stay_json)
{
  static const char cls_name[] = "Sim_\"x\xff\x01", prop_name[] = "P\"\n\xfe",
                    value[] = "v\",\"forged\":1}\x01\x1f\xc3(";
  wsim_property_def props[] = { { (char *) prop_name, CIM_STRING, FALSE } };
  g_autoptr(WsimClass) cls = wsim_class_new (cls_name, NULL, props, 1, NULL);
  g_autoptr(WsimObject) obj = wsim_object_new (cls);
  WsimCliPrinterOptions po = { .ns = "root\\test", .server = "vm" };
  g_autofree char *want_cls = g_utf8_make_valid (cls_name, -1);
  g_autofree char *want_prop = g_utf8_make_valid (prop_name, -1);
  g_autofree char *want_value = g_utf8_make_valid (value, -1);
  g_autofree char *out = NULL;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  wsim_value_set_string (wsim_object_get_value (obj, 0), value);
  {
    g_autoptr(WsimCliPrinter) pr = wsim_cli_printer_new (WSIM_CLI_FORMAT_JSON, &po, f);

    wsim_cli_printer_add (pr, obj);
  }
  fclose (f);
  out = buf;
  cr_assert_eq (strchr (out, '\n') - out, (ptrdiff_t) strlen (out) - 1, "one line: %s", out);
  assert_reads_back (out, want_cls, want_prop, want_value);
  {
    g_autoptr(GString) direct = g_string_new (NULL);

    wsim_object_to_json (obj, direct);
    assert_reads_back (direct->str, want_cls, want_prop, want_value);
  }
}
