/* wmisim-output.c: the instances of a call, printed (see wmisim-output.h). */
#include "wmisim-output.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wsim-json.h"
#include "wsim-system-props.h"
#include "wsim-value.h"

struct _WsimCliPrinter {
  WsimCliFormat          format;
  WsimCliPrinterOptions  opt;
  FILE                  *out;          /* (unowned) */
  WsimClass             *block_class;  /* (owned) (nullable) the class of the block (table,
                                        * csv: a header per class) */
  GPtrArray             *columns;      /* (owned) char* (owned): the block's column names */
  GPtrArray             *rows;         /* (owned) GPtrArray of cell text (table only) */
  guint                  n_printed;    /* instances printed (list, value: the separator) */
};

gboolean
wsim_cli_format_parse (const char *name, WsimCliFormat *out)
{
  static const char *const names[] = { "table", "list", "value", "csv", "json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *out = (WsimCliFormat) i;
        return TRUE;
      }
  return FALSE;
}

guint
wsim_cli_terminal_width (FILE *out)
{
  struct winsize ws = { 0 };

  if (!isatty (fileno (out)))
    return 0;
  if (ioctl (fileno (out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

/* ---- columns and cells ----------------------------------------------------------- */

static char *text_line (const char *text);

static gboolean
strv_contains_nocase (const char *const *strv, const char *name)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (g_ascii_strcasecmp (strv[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* The columns of @cls's objects: the system properties on request; then, for a SELECT list
 * or --property, the keys first when the objects are locatable (each in the class's
 * spelling) and the selected names in their order; else every property. */
static GPtrArray *
columns_of (WsimCliPrinter *pr, WsimClass *cls)
{
  GPtrArray *cols = g_ptr_array_new_with_free_func (g_free);
  const char *const *sys = wsim_system_property_names ();

  for (guint i = 0; pr->opt.sysprops && sys[i] != NULL; i++)
    g_ptr_array_add (cols, g_strdup (sys[i]));
  if (pr->opt.props == NULL)
    {
      for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
        g_ptr_array_add (cols, g_strdup (wsim_class_get_prop (cls, i)->name));
      return cols;
    }
  for (guint i = 0; pr->opt.locatable && i < wsim_class_get_n_props (cls); i++)
    if (wsim_class_get_prop (cls, i)->is_key
        && !strv_contains_nocase (pr->opt.props, wsim_class_get_prop (cls, i)->name))
      g_ptr_array_add (cols, g_strdup (wsim_class_get_prop (cls, i)->name));
  for (guint i = 0; pr->opt.props[i] != NULL; i++)
    {
      gint idx = wsim_class_find_prop (cls, pr->opt.props[i]);

      /* Printed as a column of nulls, and said once per block: a misspelt name is not data. */
      if (idx < 0 && !wsim_is_system_property (pr->opt.props[i]))
        {
          g_autofree char *cls_name = text_line (wsim_class_get_name (cls));
          g_autofree char *prop = text_line (pr->opt.props[i]);

          fprintf (stderr, "wmisim: %s has no property %s\n", cls_name, prop);
        }
      g_ptr_array_add (cols, g_strdup (idx >= 0 ? wsim_class_get_prop (cls, (guint) idx)->name
                                                : pr->opt.props[i]));
    }
  return cols;
}

/* Column @name of @obj (a property or a system property) into @v, NULL when it has none. */
static void
column_value (WsimCliPrinter *pr, WsimObject *obj, const char *name, wsim_value *v)
{
  gint idx = wsim_class_find_prop (wsim_object_get_class (obj), name);

  if (idx >= 0)
    wsim_value_copy (wsim_object_get_value (obj, (guint) idx), v);
  else
    wsim_object_get_system_property (obj, name, pr->opt.ns, pr->opt.server, v);
}

/* Would @u change how a terminal draws the line (not a character of its own)? Controls (C0,
 * DEL, C1: 8-bit CSI and NEL among them), line and paragraph separators, and the bidi
 * marks, embeddings, overrides and isolates. */
static gboolean
is_line_breaker (gunichar u)
{
  return g_unichar_iscntrl (u) || u == 0x2028 || u == 0x2029 || u == 0x061C || u == 0x200E
         || u == 0x200F || (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069);
}

/* @text as one line of valid UTF-8 that draws as itself: \n, \t, \r as C writes them, the
 * other characters is_line_breaker() names as \xHH (below 0x80) or \u{HHHH}; the backslash
 * itself left alone (WMI paths are full of them), invalid bytes replaced with U+FFFD. */
static char *
text_line (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar u = g_utf8_get_char (p);

      if (u == '\n')
        g_string_append (out, "\\n");
      else if (u == '\t')
        g_string_append (out, "\\t");
      else if (u == '\r')
        g_string_append (out, "\\r");
      else if (is_line_breaker (u) && u < 0x80)
        g_string_append_printf (out, "\\x%02X", u);
      else if (is_line_breaker (u))
        g_string_append_printf (out, "\\u{%04X}", u);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

/* A cell's text in table, list and value: NULL is nothing; a value is itself, except one
 * that would read as something else — empty, blanks at an end, or a first character '"' —
 * which is quoted, its quotes doubled, as csv does: "" is the empty string, """""" the
 * two quotes, "  " two blanks (docs/cli.md). */
static char *
cell_text (const wsim_value *v)
{
  g_autofree char *raw = NULL;
  g_autofree char *line = NULL;
  gsize len;
  GString *quoted;

  if (wsim_value_is_null (v))
    return g_strdup ("");
  raw = wsim_value_to_string (v);
  line = text_line (raw);
  len = strlen (line);
  if (len > 0 && line[0] != '"' && line[0] != ' ' && line[len - 1] != ' ')
    return g_steal_pointer (&line);
  quoted = g_string_new ("\"");
  for (const char *c = line; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *c);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

/* Columns on a terminal: a wide character takes two, a combining one none. */
static gsize
display_width (const char *s)
{
  gsize w = 0;

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      w += g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;
    }
  return w;
}

/* @s cut to @width columns, its end marked with "…" when cut. */
static char *
fit (const char *s, gsize width)
{
  GString *out;
  gsize w = 0;

  if (display_width (s) <= width)
    return g_strdup (s);
  out = g_string_new (NULL);
  for (const char *p = s; *p != '\0' && width > 0; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gsize cw = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (w + cw > width - 1)
        break;
      g_string_append_unichar (out, c);
      w += cw;
    }
  /* "longer…", not "longer …": the mark goes on the last character kept. */
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (width > 0)
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* ---- table ------------------------------------------------------------------------ */

/* Prints the block: the class's name, the header and the rows, each column as wide as its
 * widest cell; on a terminal narrower than that, the widest columns give way first (down
 * to 6 columns each) and their cells are cut with "…". */
static void
table_flush (WsimCliPrinter *pr)
{
  guint n = pr->columns != NULL ? pr->columns->len : 0;
  g_autofree gsize *width = g_new0 (gsize, MAX (n, 1));
  gsize total = 0;

  if (pr->rows == NULL || pr->rows->len == 0)
    return;
  for (guint c = 0; c < n; c++)
    {
      g_autofree char *name = text_line (pr->columns->pdata[c]);

      width[c] = display_width (name);
      for (guint r = 0; r < pr->rows->len; r++)
        width[c] = MAX (width[c], display_width (((GPtrArray *) pr->rows->pdata[r])->pdata[c]));
      total += width[c] + (c > 0 ? 2 : 0);
    }
  while (pr->opt.width > 0 && total > pr->opt.width)
    {
      guint widest = 0;

      for (guint c = 1; c < n; c++)
        if (width[c] > width[widest])
          widest = c;
      if (width[widest] <= 6)
        break;
      width[widest]--;
      total--;
    }
  {
    g_autofree char *name = text_line (wsim_class_get_name (pr->block_class));

    fprintf (pr->out, "\n%s\n", name);
  }
  for (guint r = 0; r <= pr->rows->len; r++)
    {
      GString *line = g_string_new (NULL);

      for (guint c = 0; c < n; c++)
        {
          g_autofree char *raw = r == 0 ? text_line (pr->columns->pdata[c]) : NULL;
          const char *text = r == 0 ? raw : ((GPtrArray *) pr->rows->pdata[r - 1])->pdata[c];
          g_autofree char *cell = fit (text, width[c]);

          if (c > 0)
            g_string_append (line, "  ");
          g_string_append (line, cell);
          if (c + 1 < n)
            for (gsize w = display_width (cell); w < width[c]; w++)
              g_string_append_c (line, ' ');
        }
      /* Null cells at the end of a row leave blanks: none at a line's end. */
      fprintf (pr->out, "%s\n", g_strchomp (line->str));
      g_string_free (line, TRUE);
    }
  g_ptr_array_set_size (pr->rows, 0);
}

static void
table_add (WsimCliPrinter *pr, WsimObject *obj)
{
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < pr->columns->len; c++)
    {
      wsim_value v = { 0 };

      column_value (pr, obj, pr->columns->pdata[c], &v);
      g_ptr_array_add (row, cell_text (&v));
      wsim_value_clear (&v);
    }
  g_ptr_array_add (pr->rows, row);
  if (pr->rows->len >= WSIM_CLI_TABLE_BLOCK)
    table_flush (pr);
}

/* ---- list, value, csv --------------------------------------------------------------- */

static void
list_add (WsimCliPrinter *pr, WsimObject *obj, gboolean names)
{
  if (pr->n_printed > 0 && (names || pr->columns->len > 1))
    fputc ('\n', pr->out);
  for (guint c = 0; c < pr->columns->len; c++)
    {
      wsim_value v = { 0 };
      g_autofree char *text = NULL;

      column_value (pr, obj, pr->columns->pdata[c], &v);
      text = cell_text (&v);
      if (names)
        {
          g_autofree char *name = text_line (pr->columns->pdata[c]);

          fprintf (pr->out, "%s=%s\n", name, text);
        }
      else
        fprintf (pr->out, "%s\n", text);
      wsim_value_clear (&v);
    }
}

/* RFC 4180: a field with a comma, a quote, a line break or blanks at its ends is quoted,
 * its quotes doubled; NULL is the empty field and an empty string "" (docs/cli.md). */
static void
csv_field (GString *line, const char *text, gboolean null)
{
  gsize len = strlen (text);

  if (null)
    return;
  if (len > 0 && strpbrk (text, ",\"\r\n") == NULL && text[0] != ' ' && text[len - 1] != ' ')
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *c);
    }
  g_string_append_c (line, '"');
}

static void
csv_add (WsimCliPrinter *pr, WsimObject *obj, gboolean header)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (header)
    {
      for (guint c = 0; c < pr->columns->len; c++)
        {
          g_autofree char *name = g_utf8_make_valid (pr->columns->pdata[c], -1);

          if (c > 0)
            g_string_append_c (line, ',');
          csv_field (line, name, FALSE);
        }
      fprintf (pr->out, "%s\n", line->str);
      g_string_truncate (line, 0);
    }
  for (guint c = 0; c < pr->columns->len; c++)
    {
      wsim_value v = { 0 };

      column_value (pr, obj, pr->columns->pdata[c], &v);
      if (c > 0)
        g_string_append_c (line, ',');
      if (wsim_value_is_null (&v))
        csv_field (line, "", TRUE);
      else
        {
          g_autofree char *raw = wsim_value_to_string (&v);
          g_autofree char *text = g_utf8_make_valid (raw, -1);

          csv_field (line, text, FALSE);
        }
      wsim_value_clear (&v);
    }
  fprintf (pr->out, "%s\n", line->str);
}

/* ---- json ------------------------------------------------------------------------- */

/* One object a line: "__CLASS" (or, on request, every system property) first, then the
 * columns. Names go through the same rules as values (cim/wsim-json.h), so a quote in a
 * name stays in it. */
static void
json_add (WsimCliPrinter *pr, WsimObject *obj)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  if (!pr->opt.sysprops)
    wsim_json_object_set_string (o, "__CLASS", wsim_class_get_name (wsim_object_get_class (obj)));
  for (guint c = 0; c < pr->columns->len; c++)
    {
      wsim_value v = { 0 };

      column_value (pr, obj, pr->columns->pdata[c], &v);
      wsim_json_object_set (o, pr->columns->pdata[c], wsim_json_value_node (&v));
      wsim_value_clear (&v);
    }
  root = json_node_init_object (json_node_alloc (), o);
  wsim_json_append (line, root);
  fprintf (pr->out, "%s\n", line->str);
}

/* ---- the printer ------------------------------------------------------------------ */

WsimCliPrinter *
wsim_cli_printer_new (WsimCliFormat format, const WsimCliPrinterOptions *options, FILE *out)
{
  WsimCliPrinter *pr = g_new0 (WsimCliPrinter, 1);

  pr->format = format;
  pr->opt = *options;
  pr->out = out;
  pr->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  return pr;
}

void
wsim_cli_printer_add (WsimCliPrinter *pr, WsimObject *obj)
{
  WsimClass *cls = wsim_object_get_class (obj);
  gboolean new_block = pr->block_class == NULL
                       || g_ascii_strcasecmp (wsim_class_get_name (cls),
                                              wsim_class_get_name (pr->block_class)) != 0;

  if (new_block)
    {
      if (pr->format == WSIM_CLI_FORMAT_TABLE)
        table_flush (pr);
      g_clear_pointer (&pr->block_class, wsim_class_unref);
      pr->block_class = wsim_class_ref (cls);
      g_clear_pointer (&pr->columns, g_ptr_array_unref);
      pr->columns = columns_of (pr, cls);
    }
  switch (pr->format)
    {
    case WSIM_CLI_FORMAT_TABLE:
      table_add (pr, obj);
      break;
    case WSIM_CLI_FORMAT_LIST:
      list_add (pr, obj, TRUE);
      break;
    case WSIM_CLI_FORMAT_VALUE:
      list_add (pr, obj, FALSE);
      break;
    case WSIM_CLI_FORMAT_CSV:
      csv_add (pr, obj, new_block);
      break;
    case WSIM_CLI_FORMAT_JSON:
      json_add (pr, obj);
      break;
    }
  pr->n_printed++;
}

/* The lone instance a table kept, printed as a list; FALSE if it is not that case. */
static gboolean
table_as_list (WsimCliPrinter *pr)
{
  GPtrArray *row;

  if (!pr->opt.single_as_list || pr->n_printed != 1 || pr->rows->len != 1
      || pr->columns->len <= WSIM_CLI_LIST_COLUMNS)
    return FALSE;
  row = pr->rows->pdata[0];
  fprintf (pr->out, "\n");
  for (guint c = 0; c < pr->columns->len; c++)
    {
      g_autofree char *name = text_line (pr->columns->pdata[c]);

      fprintf (pr->out, "%s=%s\n", name, (const char *) row->pdata[c]);
    }
  g_ptr_array_set_size (pr->rows, 0);
  return TRUE;
}

void
wsim_cli_printer_flush (WsimCliPrinter *pr)
{
  if (pr->format == WSIM_CLI_FORMAT_TABLE && !table_as_list (pr))
    table_flush (pr);
  fflush (pr->out);
}

void
wsim_cli_printer_free (WsimCliPrinter *pr)
{
  if (pr == NULL)
    return;
  wsim_cli_printer_flush (pr);
  g_clear_pointer (&pr->block_class, wsim_class_unref);
  g_clear_pointer (&pr->columns, g_ptr_array_unref);
  g_ptr_array_unref (pr->rows);
  g_free (pr);
}
