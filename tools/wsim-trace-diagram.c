/* wsim-trace-diagram.c: trace JSON lines to a sequence diagram (see wsim-trace-diagram.h).
 *
 * Three parts: the parser (json-glib reads each line; this file takes the fields of the
 * flat objects wsim_trace_to_json_lines() writes and checks them), the steps (what each event draws: lanes, look, label — decided once, so the two
 * renderers cannot disagree), and the renderers (text grid, SVG).
 */
#include "wsim-trace-diagram.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* ---- the parser -------------------------------------------------------------------- */

void
wsim_trace_diagram_event_free (WsimTraceDiagramEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->kind);
  g_free (event->status);
  g_free (event->level);
  g_free (event->mech);
  g_free (event->principal);
  g_free (event->detail);
  g_free (event);
}

typedef enum { FIELD_INT64, FIELD_UINT64, FIELD_STRING, FIELD_HRESULT } FieldType;

static const struct {
  const char *key;
  FieldType   type;
  gsize       offset;
  gboolean    required;
} fields[] = {
  { "t_us", FIELD_INT64, G_STRUCT_OFFSET (WsimTraceDiagramEvent, t_us), TRUE },
  { "call", FIELD_UINT64, G_STRUCT_OFFSET (WsimTraceDiagramEvent, call), TRUE },
  { "event", FIELD_STRING, G_STRUCT_OFFSET (WsimTraceDiagramEvent, kind), TRUE },
  { "hresult", FIELD_HRESULT, G_STRUCT_OFFSET (WsimTraceDiagramEvent, hresult), TRUE },
  { "status", FIELD_STRING, G_STRUCT_OFFSET (WsimTraceDiagramEvent, status), FALSE },
  { "n", FIELD_UINT64, G_STRUCT_OFFSET (WsimTraceDiagramEvent, n), TRUE },
  { "level", FIELD_STRING, G_STRUCT_OFFSET (WsimTraceDiagramEvent, level), FALSE },
  { "mech", FIELD_STRING, G_STRUCT_OFFSET (WsimTraceDiagramEvent, mech), FALSE },
  { "principal", FIELD_STRING, G_STRUCT_OFFSET (WsimTraceDiagramEvent, principal), FALSE },
  { "detail", FIELD_STRING, G_STRUCT_OFFSET (WsimTraceDiagramEvent, detail), FALSE },
};

static gboolean
fail (GError **error, guint line, const char *key, const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "line %u: \"%s\": %s", line, key, why);
  return FALSE;
}

static gboolean
holds (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A uint64 field: an integer, or (above G_MAXINT64, which json-glib's integers cannot
 * hold) its decimal digits in a string, as wsim_trace_to_json_lines() writes it. */
static gboolean
read_uint64 (JsonNode *node, guint64 *out)
{
  const char *digits;

  if (holds (node, G_TYPE_INT64))
    {
      gint64 i = json_node_get_int (node);

      *out = (guint64) i;
      return i >= 0;
    }
  digits = json_node_get_string (node);
  return g_ascii_isdigit (digits[0])
         && g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64, out, NULL);
}

/* Stores member @f of the event's object @o in @e. */
static gboolean
store_field (JsonObject *o, gsize f, WsimTraceDiagramEvent *e, GError **error)
{
  JsonNode *node = json_object_get_member (o, fields[f].key);
  gpointer dest = G_STRUCT_MEMBER_P (e, fields[f].offset);
  gboolean is_string = holds (node, G_TYPE_STRING);
  const char *text = is_string ? json_node_get_string (node) : NULL;
  guint64 u;

  if (!is_string && !holds (node, G_TYPE_INT64))
    return fail (error, e->line, fields[f].key, "expected a string or an integer");
  /* json-glib 1.6 lets a lone surrogate escape through as bytes that are not UTF-8. */
  if (is_string && !g_utf8_validate (text, -1, NULL))
    return fail (error, e->line, fields[f].key, "a string that is not UTF-8");
  switch (fields[f].type)
    {
    case FIELD_STRING:
      if (!is_string)
        return fail (error, e->line, fields[f].key, "this key wants a string");
      if (*text == '\0' && dest == &e->kind)
        return fail (error, e->line, fields[f].key, "an empty \"event\"");
      *(char **) dest = g_strdup (text);
      break;
    case FIELD_HRESULT:
      if (!is_string)
        return fail (error, e->line, fields[f].key, "this key wants a string");
      if (!g_str_has_prefix (text, "0x") || strlen (text) < 3 || strlen (text) > 10
          || !g_ascii_string_to_unsigned (text + 2, 16, 0, G_MAXUINT32, &u, NULL))
        return fail (error, e->line, fields[f].key,
                     "an \"hresult\" is \"0x\" and one to eight hex digits");
      *(guint32 *) dest = (guint32) u;
      break;
    case FIELD_INT64:
      if (is_string)
        return fail (error, e->line, fields[f].key, "this key wants an integer");
      *(gint64 *) dest = json_node_get_int (node);
      break;
    case FIELD_UINT64:
      if (!read_uint64 (node, dest))
        return fail (error, e->line, fields[f].key,
                     "an integer out of range (0 or more), or a string of its digits");
      break;
    }
  return TRUE;
}

/* One line that opens an object: json-glib reads it, the fields are taken from it. */
static WsimTraceDiagramEvent *
read_event (const char *text, gsize len, guint line, GError **error)
{
  g_autoptr(WsimTraceDiagramEvent) e = g_new0 (WsimTraceDiagramEvent, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonObject *o;

  e->line = line;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      /* json-glib 1.6 says "<data>:1:COLUMN: Parse error: …" (its line is always 1: one
       * line is parsed at a time); the user wants the input's line. */
      const char *why = local->message;

      if (g_str_has_prefix (why, "<data>:1:") && g_ascii_isdigit (why[strlen ("<data>:1:")]))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "line %u, column %s", line,
                     why + strlen ("<data>:1:"));
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "line %u: %s", line, why);
      return NULL;
    }
  /* The line opens with '{': what json-glib read is an object. */
  o = json_node_get_object (json_parser_get_root (parser));
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      if (!json_object_has_member (o, fields[f].key))
        {
          if (!fields[f].required)
            continue;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "line %u: no \"%s\"", line,
                       fields[f].key);
          return NULL;
        }
      if (!store_field (o, f, e, error))
        return NULL;
    }
  return g_steal_pointer (&e);   /* other keys: a newer writer's, skipped */
}

gboolean
wsim_trace_diagram_parse (const char *text, gsize len, GPtrArray **out_events, GError **error)
{
  g_autoptr(GPtrArray) events =
    g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_trace_diagram_event_free);
  const char *end = text + len, *next;
  guint line = 1;

  for (const char *l = text; l < end; l = next, line++)
    {
      const char *nl = memchr (l, '\n', (gsize) (end - l));
      const char *p = l, *stop = nl != NULL ? nl : end;
      WsimTraceDiagramEvent *e;

      next = nl != NULL ? nl + 1 : end;
      while (p < stop && (*p == ' ' || *p == '\t'))
        p++;
      if (p >= stop || *p != '{')
        continue;   /* not an event: see the header */
      if ((e = read_event (l, (gsize) (stop - l), line, error)) == NULL)
        return FALSE;
      g_ptr_array_add (events, e);
    }
  *out_events = g_steal_pointer (&events);
  return TRUE;
}

/* ---- the steps: what each event draws ------------------------------------------------ */

typedef enum { LANE_CLIENT, LANE_SERVER, LANE_STUB, LANE_SINK, N_LANES } Lane;

static const char *const lane_names[N_LANES] = { "client", "server", "stub", "sink" };

typedef enum {
  LOOK_PLAIN,     /* a request, a callback taken, a result */
  LOOK_REFUSED,   /* refused: a cross at the lane that refused; red */
  LOOK_UNAUTH,    /* a callback the stub took without authentication; orange, dashed */
  LOOK_NOTE,      /* what the server noted: a teardown, a violation, an unknown kind */
  N_LOOKS
} Look;

typedef struct {
  const WsimTraceDiagramEvent *event;   /* (unowned) */
  Lane  from, to;   /* neighbours for an arrow; equal for a mark on one lane */
  Lane  cross;      /* LOOK_REFUSED: the lane that refused */
  Look  look;
  char *label;      /* (owned) UTF-8 with no control character */
} Step;

static void
step_free (Step *s)
{
  g_free (s->label);
  g_free (s);
}

/* A callback's detail is shortened so that the attempt and its outcome, which come first,
 * are what a reader's eye catches on every rung of the ladder. */
#define CALLBACK_DETAIL_CHARS 40

static void
append_status (GString *label, const WsimTraceDiagramEvent *e)
{
  if (e->status != NULL)
    g_string_append (label, e->status);
  else
    g_string_append_printf (label, "0x%08X", e->hresult);
}

/* " [level mech principal]" with the parts the event has; nothing when it has none. */
static void
append_auth (GString *label, const WsimTraceDiagramEvent *e, gboolean with_mech)
{
  const char *parts[] = { e->level, with_mech ? e->mech : NULL, e->principal };
  const char *sep = " [";

  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      {
        g_string_append_printf (label, "%s%s", sep, parts[i]);
        sep = " ";
      }
  if (!g_str_equal (sep, " ["))
    g_string_append_c (label, ']');
}

/* @sep and the detail, when the event has one; @max_chars > 0 shortens it with "…". */
static void
append_detail (GString *label, const WsimTraceDiagramEvent *e, const char *sep, glong max_chars)
{
  if (e->detail == NULL)
    return;
  g_string_append (label, sep);
  if (max_chars > 0 && g_utf8_strlen (e->detail, -1) > max_chars)
    {
      g_autofree char *cut = g_utf8_substring (e->detail, 0, max_chars - 1);

      g_string_append_printf (label, "%s…", cut);
    }
  else
    g_string_append (label, e->detail);
}

static void
fill_start (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  g_string_append (label, e->detail != NULL ? e->detail : "start");
  append_auth (label, e, TRUE);
}

static void
fill_refused (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  s->cross = LANE_SERVER;
  g_string_append (label, "refused: ");
  append_status (label, e);
  append_detail (label, e, ": ", 0);
  append_auth (label, e, TRUE);
}

static void
fill_callback (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  if (e->n > 0)
    g_string_append_printf (label, "#%" G_GUINT64_FORMAT " ", e->n);
  g_string_append_printf (label, "try %s", e->level != NULL ? e->level : "?");
  if (e->mech != NULL || e->principal != NULL)
    g_string_append_printf (label, " (%s%s%s%s)", e->mech != NULL ? e->mech : "",
                            e->mech != NULL && e->principal != NULL ? ", " : "",
                            e->principal != NULL ? "as " : "",
                            e->principal != NULL ? e->principal : "");
  if (e->hresult == 0)
    g_string_append (label, ": accepted");
  else
    {
      s->look = LOOK_REFUSED;
      s->cross = LANE_STUB;
      g_string_append (label, ": refused: ");
      append_status (label, e);
    }
  append_detail (label, e, " - ", CALLBACK_DETAIL_CHARS);
}

static void
fill_stub_accepted (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  /* First in the label, so that no cut can hide it. */
  if (e->principal == NULL || (e->level != NULL && g_str_equal (e->level, "none")))
    {
      s->look = LOOK_UNAUTH;
      g_string_append (label, "UNAUTHENTICATED ");
    }
  g_string_append (label, e->detail != NULL ? e->detail : "callback");
  append_auth (label, e, FALSE);
}

static void
fill_stub_refused (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  s->cross = LANE_STUB;
  g_string_append_printf (label, "refused %s from %s", e->detail != NULL ? e->detail : "a callback",
                          e->principal != NULL ? e->principal : "anonymous");
  if (e->level != NULL)
    g_string_append_printf (label, " at %s", e->level);
}

static void
fill_local_final (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  g_string_append (label, "SetStatus(final ");
  append_status (label, e);
  g_string_append (label, ") (local)");
}

static void
fill_indicate (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  g_string_append_printf (label, "Indicate n=%" G_GUINT64_FORMAT, e->n);
  if (e->detail != NULL)
    g_string_append_printf (label, " (%s)", e->detail);
}

static void
fill_progress (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  /* A PROGRESS SetStatus's hResult is LOWORD done, HIWORD total. */
  g_string_append_printf (label, "SetStatus(progress %u/%u)", e->hresult & 0xFFFF, e->hresult >> 16);
}

static void
fill_final (Step *s, const WsimTraceDiagramEvent *e, GString *label)
{
  g_string_append (label, "SetStatus(final ");
  append_status (label, e);
  g_string_append_c (label, ')');
  append_detail (label, e, ": ", 0);
}

typedef void (*StepFill) (Step *s, const WsimTraceDiagramEvent *e, GString *label);

/* Each kind's lanes and look; its label is @fill's, or, with no @fill, @word and the
 * detail. A fill may change the look (a callback's depends on its outcome). */
typedef struct {
  const char *kind;
  Lane        from, to;
  Look        look;
  StepFill    fill;
  const char *word;
} StepKind;

static const StepKind step_kinds[] = {
  { "start", LANE_CLIENT, LANE_SERVER, LOOK_PLAIN, fill_start, NULL },
  { "refused", LANE_SERVER, LANE_CLIENT, LOOK_REFUSED, fill_refused, NULL },
  { "callback", LANE_SERVER, LANE_STUB, LOOK_PLAIN, fill_callback, NULL },
  { "stub-accepted", LANE_STUB, LANE_SINK, LOOK_PLAIN, fill_stub_accepted, NULL },
  { "stub-refused", LANE_STUB, LANE_STUB, LOOK_REFUSED, fill_stub_refused, NULL },
  { "stub-final", LANE_STUB, LANE_SINK, LOOK_PLAIN, fill_local_final, NULL },
  { "client-final", LANE_CLIENT, LANE_SINK, LOOK_PLAIN, fill_local_final, NULL },
  { "client-ask", LANE_CLIENT, LANE_SERVER, LOOK_PLAIN, NULL, "QueryCalls: open" },
  { "indicate", LANE_SERVER, LANE_STUB, LOOK_PLAIN, fill_indicate, NULL },
  { "progress", LANE_SERVER, LANE_STUB, LOOK_PLAIN, fill_progress, NULL },
  { "final", LANE_SERVER, LANE_STUB, LOOK_PLAIN, fill_final, NULL },
  { "teardown", LANE_SERVER, LANE_SERVER, LOOK_NOTE, NULL, "teardown" },
  { "cancel", LANE_CLIENT, LANE_SERVER, LOOK_PLAIN, NULL, "CancelAsyncCall" },
  { "violation", LANE_SERVER, LANE_SERVER, LOOK_NOTE, NULL, "violation" },
};

/* Control characters (a detail may hold a "\n") would break a line of text or the XML. */
static char *
label_clean (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar u = g_utf8_get_char (p);

      if (u < 0x20 || u == 0x7F || u == 0xFFFE || u == 0xFFFF)
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

static Step *
step_new (const WsimTraceDiagramEvent *e)
{
  Step *s = g_new0 (Step, 1);
  g_autoptr(GString) label = g_string_new (NULL);
  const StepKind *k = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (step_kinds) && k == NULL; i++)
    if (g_str_equal (e->kind, step_kinds[i].kind))
      k = &step_kinds[i];
  s->event = e;
  /* A kind from a newer writer: a note on the server's lane, never a failure. */
  s->from = k != NULL ? k->from : LANE_SERVER;
  s->to = k != NULL ? k->to : LANE_SERVER;
  s->look = k != NULL ? k->look : LOOK_NOTE;
  if (k != NULL && k->fill != NULL)
    k->fill (s, e, label);
  else
    {
      if (k != NULL)
        g_string_append (label, k->word);
      else
        g_string_append_printf (label, "unknown event '%s'", e->kind);
      append_detail (label, e, ": ", 0);
    }
  s->label = label_clean (label->str);
  return s;
}

static gint
by_time (gconstpointer a, gconstpointer b)
{
  const WsimTraceDiagramEvent *x = *(WsimTraceDiagramEvent *const *) a;
  const WsimTraceDiagramEvent *y = *(WsimTraceDiagramEvent *const *) b;

  return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

static gint
by_call_rank (gconstpointer a, gconstpointer b, gpointer ranks)
{
  const WsimTraceDiagramEvent *x = *(WsimTraceDiagramEvent *const *) a;
  const WsimTraceDiagramEvent *y = *(WsimTraceDiagramEvent *const *) b;
  guint rx = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, &x->call));
  guint ry = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, &y->call));

  return rx < ry ? -1 : rx > ry;
}

/* The steps to draw, element-type Step: the events of @call (0: all) by time, grouped by
 * call, the calls in the order of their first event. Both sorts are stable (GLib
 * guarantees it), so events with the same time keep their input order. The first step
 * has the earliest time. */
static GPtrArray *
steps_for (GPtrArray *events, guint64 call)
{
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(GHashTable) ranks = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);

  for (guint i = 0; i < events->len; i++)
    {
      WsimTraceDiagramEvent *e = events->pdata[i];

      if (call == 0 || e->call == call)
        g_ptr_array_add (chosen, e);
    }
  g_ptr_array_sort (chosen, by_time);
  for (guint i = 0; i < chosen->len; i++)
    {
      WsimTraceDiagramEvent *e = chosen->pdata[i];

      /* Ranks count from 1: a missing key reads as 0. */
      if (!g_hash_table_contains (ranks, &e->call))
        g_hash_table_insert (ranks, &e->call, GUINT_TO_POINTER (g_hash_table_size (ranks) + 1));
    }
  g_ptr_array_sort_with_data (chosen, by_call_rank, ranks);
  for (guint i = 0; i < chosen->len; i++)
    g_ptr_array_add (steps, step_new (chosen->pdata[i]));
  return steps;
}

/* The index just past the run of steps of step @i's call. */
static guint
group_end (GPtrArray *steps, guint i)
{
  guint64 call = ((Step *) steps->pdata[i])->event->call;

  while (i < steps->len && ((Step *) steps->pdata[i])->event->call == call)
    i++;
  return i;
}

/* Milliseconds since @t0 (at most @t_us) to the microsecond, in integers so the text never
 * depends on floating-point formatting; unsigned, so that no pair of times can overflow. */
static char *
time_text (gint64 t_us, gint64 t0)
{
  guint64 d = (guint64) t_us - (guint64) t0;

  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%03u", d / 1000, (guint) (d % 1000));
}

static char *
nothing_to_draw (guint64 call)
{
  return call == 0 ? g_strdup ("no events")
                   : g_strdup_printf ("no events for call %" G_GUINT64_FORMAT, call);
}

/* ---- text ------------------------------------------------------------------------------ */

#define TEXT_COLUMNS  120
#define TEXT_LANE_GAP 24
/* Stands for "…" in a row (one column, three bytes) until the row is written out; label
 * text never holds it (label_clean()). */
#define TEXT_ELLIPSIS '\x01'

typedef struct {
  int  time_width;   /* the time column */
  char row[TEXT_COLUMNS];
} TextGrid;

static int
lane_column (const TextGrid *g, Lane lane)
{
  return g->time_width + 4 + (int) lane * TEXT_LANE_GAP;
}

/* A fresh row: the lifelines, and @time (nullable) right-aligned in the time column. */
static void
row_start (TextGrid *g, const char *time)
{
  memset (g->row, ' ', sizeof g->row);
  for (Lane l = 0; l < N_LANES; l++)
    g->row[lane_column (g, l)] = '|';
  if (time != NULL)
    memcpy (g->row + g->time_width - strlen (time), time, strlen (time));
}

/* Writes @text from @col on, over whatever is there; one '?' for each character that is
 * not ASCII, so that one character stays one column; cut with "…" at the right edge. */
static void
row_put_text (TextGrid *g, int col, const char *text)
{
  const char *p = text;

  for (; *p != '\0' && col < TEXT_COLUMNS; p = g_utf8_next_char (p), col++)
    g->row[col] = (guchar) *p < 0x80 ? *p : '?';
  if (*p != '\0')
    g->row[TEXT_COLUMNS - 1] = TEXT_ELLIPSIS;
}

/* The arrow from lifeline to lifeline, its head at the target; a refusal puts "x" next to
 * the lifeline of the lane that refused, so "-->x|" reads "got there and was refused". */
static void
row_put_arrow (TextGrid *g, const Step *s)
{
  int from = lane_column (g, s->from), to = lane_column (g, s->to);
  int lo = MIN (from, to), hi = MAX (from, to), dir = to > from ? -1 : 1;
  int head = to + dir;

  for (int c = lo + 1; c < hi; c++)
    g->row[c] = s->look == LOOK_UNAUTH ? '~' : '-';
  if (s->look == LOOK_REFUSED && s->cross == s->to)
    {
      g->row[head] = 'x';
      head += dir;
    }
  else if (s->look == LOOK_REFUSED)
    g->row[from - dir] = 'x';
  g->row[head] = dir < 0 ? '>' : '<';
}

static void
row_emit (const TextGrid *g, GString *out)
{
  int len = TEXT_COLUMNS;

  while (len > 0 && g->row[len - 1] == ' ')
    len--;
  for (int c = 0; c < len; c++)
    {
      if (g->row[c] == TEXT_ELLIPSIS)
        g_string_append (out, "…");
      else
        g_string_append_c (out, g->row[c]);
    }
  g_string_append_c (out, '\n');
}

static void
text_header (TextGrid *g, guint64 call, gboolean first, GString *out)
{
  g_string_append_printf (out, "%scall %" G_GUINT64_FORMAT "\n", first ? "" : "\n", call);
  memset (g->row, ' ', sizeof g->row);
  memcpy (g->row + g->time_width - 2, "ms", 2);
  for (Lane l = 0; l < N_LANES; l++)
    memcpy (g->row + lane_column (g, l) - strlen (lane_names[l]) / 2, lane_names[l],
            strlen (lane_names[l]));
  row_emit (g, out);
}

void
wsim_trace_diagram_render_text (GPtrArray *events, guint64 call, GString *out)
{
  g_autoptr(GPtrArray) steps = steps_for (events, call);
  TextGrid g = { .time_width = 2 };
  gint64 t0;

  if (steps->len == 0)
    {
      g_autofree char *none = nothing_to_draw (call);

      g_string_append_printf (out, "%s\n", none);
      return;
    }
  t0 = ((Step *) steps->pdata[0])->event->t_us;
  for (guint i = 0; i < steps->len; i++)
    {
      g_autofree char *t = time_text (((Step *) steps->pdata[i])->event->t_us, t0);

      g.time_width = MAX (g.time_width, (int) strlen (t));
    }
  for (guint i = 0; i < steps->len; i++)
    {
      const Step *s = steps->pdata[i];
      g_autofree char *t = time_text (s->event->t_us, t0);
      int col = lane_column (&g, MIN (s->from, s->to));

      if (i == 0 || s->event->call != ((Step *) steps->pdata[i - 1])->event->call)
        text_header (&g, s->event->call, i == 0, out);
      row_start (&g, t);
      if (s->from == s->to)
        {
          g.row[col] = s->look == LOOK_REFUSED ? 'x' : '*';
          row_put_text (&g, col + 2, s->label);
          row_emit (&g, out);
          continue;
        }
      row_put_text (&g, col + 2, s->label);
      row_emit (&g, out);
      row_start (&g, NULL);
      row_put_arrow (&g, s);
      row_emit (&g, out);
    }
}

/* ---- SVG --------------------------------------------------------------------------------- */

#define SVG_WIDTH      1280
#define SVG_LANE_X0    170
#define SVG_LANE_GAP   220
#define SVG_CHAR_WIDTH 7.3     /* 12px monospace, a little over what fonts take */
#define SVG_HEADER     52      /* "call N" and the lane boxes */
#define SVG_ARROW_ROW  34      /* the label, and the arrow under it */
#define SVG_MARK_ROW   24

static const char *const look_colors[N_LOOKS] = { "#222222", "#c62828", "#ef6c00", "#6a1b9a" };

static int
lane_x (Lane lane)
{
  return SVG_LANE_X0 + (int) lane * SVG_LANE_GAP;
}

/* <text> at (@x, @y), @text escaped and cut with "…" where it would leave the picture. */
static void
svg_text (GString *out, int x, int y, const char *attrs, const char *text)
{
  glong room = (glong) ((SVG_WIDTH - 10 - x) / SVG_CHAR_WIDTH);
  g_autofree char *cut = NULL, *escaped = NULL;

  if (g_utf8_strlen (text, -1) > room)
    {
      g_autofree char *head = g_utf8_substring (text, 0, room - 1);

      cut = g_strconcat (head, "…", NULL);
    }
  escaped = g_markup_escape_text (cut != NULL ? cut : text, -1);
  g_string_append_printf (out, "<text x=\"%d\" y=\"%d\" %s>%s</text>\n", x, y, attrs, escaped);
}

static void
svg_cross (GString *out, int x, int y)
{
  g_string_append_printf (out, "<path d=\"M%d,%d L%d,%d M%d,%d L%d,%d\" stroke=\"%s\" "
                          "stroke-width=\"2.5\"/>\n", x - 6, y - 6, x + 6, y + 6, x - 6, y + 6,
                          x + 6, y - 6, look_colors[LOOK_REFUSED]);
}

static void
svg_group_header (GString *out, guint64 call, int y, int y_end)
{
  g_autofree char *title = g_strdup_printf ("call %" G_GUINT64_FORMAT, call);

  svg_text (out, 10, y + 18, "class=\"call\"", title);
  for (Lane l = 0; l < N_LANES; l++)
    {
      g_string_append_printf (out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999999\" "
                              "stroke-dasharray=\"4 4\"/>\n", lane_x (l), y + SVG_HEADER - 6,
                              lane_x (l), y_end);
      g_string_append_printf (out, "<rect x=\"%d\" y=\"%d\" width=\"100\" height=\"22\" rx=\"4\" "
                              "fill=\"#eeeeee\" stroke=\"#555555\"/>\n", lane_x (l) - 50, y + 24);
      svg_text (out, lane_x (l), y + 39, "class=\"lane\"", lane_names[l]);
    }
}

static void
svg_step (GString *out, const Step *s, const char *time, int y)
{
  const char *color = look_colors[s->look];
  int from = lane_x (s->from), to = lane_x (s->to);
  g_autofree char *time_label = g_strdup_printf ("%s ms", time);
  g_autofree char *attrs = g_strdup_printf ("fill=\"%s\"", color);

  svg_text (out, 10, y + 16, "class=\"time\"", time_label);
  if (s->from == s->to)
    {
      if (s->look == LOOK_REFUSED)
        svg_cross (out, from, y + 12);
      else
        g_string_append_printf (out, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\"/>\n", from,
                                y + 12, color);
      svg_text (out, from + 12, y + 16, attrs, s->label);
      return;
    }
  svg_text (out, MIN (from, to) + 8, y + 14, attrs, s->label);
  /* A refused arrow stops short of the cross at the lane that refused it. */
  if (s->look == LOOK_REFUSED)
    {
      svg_cross (out, lane_x (s->cross), y + 24);
      if (s->cross == s->to)
        to += to > from ? -10 : 10;
    }
  g_string_append_printf (out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                          "stroke-width=\"1.5\"%s marker-end=\"url(#head-%d)\"/>\n", from, y + 24,
                          to, y + 24, color,
                          s->look == LOOK_UNAUTH ? " stroke-dasharray=\"6 3\"" : "", s->look);
}

static int
step_height (const Step *s)
{
  return s->from == s->to ? SVG_MARK_ROW : SVG_ARROW_ROW;
}

void
wsim_trace_diagram_render_svg (GPtrArray *events, guint64 call, GString *out)
{
  g_autoptr(GPtrArray) steps = steps_for (events, call);
  g_autoptr(GString) body = g_string_new (NULL);
  int y = 10;
  gint64 t0 = steps->len > 0 ? ((Step *) steps->pdata[0])->event->t_us : 0;

  if (steps->len == 0)
    {
      g_autofree char *none = nothing_to_draw (call);

      svg_text (body, 10, 30, "class=\"time\"", none);
      y = 50;
    }
  for (guint i = 0; i < steps->len; i = group_end (steps, i))
    {
      guint end = group_end (steps, i);
      int height = SVG_HEADER;

      for (guint k = i; k < end; k++)
        height += step_height (steps->pdata[k]);
      svg_group_header (body, ((Step *) steps->pdata[i])->event->call, y, y + height);
      y += SVG_HEADER;
      for (guint k = i; k < end; k++)
        {
          const Step *s = steps->pdata[k];
          g_autofree char *t = time_text (s->event->t_us, t0);

          svg_step (body, s, t, y);
          y += step_height (s);
        }
      y += 16;
    }

  g_string_append_printf (out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                          "viewBox=\"0 0 %d %d\">\n<title>wmisim trace</title>\n<style>\n"
                          "text { font-family: monospace; font-size: 12px; }\n"
                          /* a white halo, so that a label reads over the lifelines it crosses */
                          "text { paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }\n"
                          ".time { fill: #777777; }\n"
                          ".call { font-size: 14px; font-weight: bold; }\n"
                          ".lane { text-anchor: middle; font-weight: bold; }\n"
                          "</style>\n<defs>\n", SVG_WIDTH, y, SVG_WIDTH, y);
  for (int l = 0; l < N_LOOKS; l++)
    g_string_append_printf (out, "<marker id=\"head-%d\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                            "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
                            "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>\n", l,
                            look_colors[l]);
  g_string_append_printf (out, "</defs>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
                          "%s</svg>\n", body->str);
}

/* ---- Mermaid ------------------------------------------------------------------------------ */

/* A label as Mermaid reads one: its entity codes for the characters that end a message or
 * start a comment or an entity (";", "#"), and for "<" and ">" (HTML in a label). */
static void
mermaid_text (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case ';': g_string_append (out, "#59;"); break;
      case '#': g_string_append (out, "#35;"); break;
      case '<': g_string_append (out, "#lt;"); break;
      case '>': g_string_append (out, "#gt;"); break;
      default: g_string_append_c (out, *p); break;
      }
}

void
wsim_trace_diagram_render_mermaid (GPtrArray *events, guint64 call, GString *out)
{
  g_autoptr(GPtrArray) steps = steps_for (events, call);
  gint64 t0;

  g_string_append (out, "sequenceDiagram\n");
  for (Lane l = 0; l < N_LANES; l++)
    g_string_append_printf (out, "    participant %s\n", lane_names[l]);
  if (steps->len == 0)
    {
      g_autofree char *none = nothing_to_draw (call);

      g_string_append_printf (out, "    Note over client,sink: ");
      mermaid_text (out, none);
      g_string_append_c (out, '\n');
      return;
    }
  t0 = ((Step *) steps->pdata[0])->event->t_us;
  for (guint i = 0; i < steps->len; i++)
    {
      const Step *s = steps->pdata[i];
      g_autofree char *t = time_text (s->event->t_us, t0);

      if (i == 0 || s->event->call != ((Step *) steps->pdata[i - 1])->event->call)
        g_string_append_printf (out, "    Note over client,sink: call %" G_GUINT64_FORMAT "\n",
                                s->event->call);
      if (s->from == s->to)
        g_string_append_printf (out, "    Note over %s: %s ms ", lane_names[s->from], t);
      else
        {
          /* The cross goes on the lane that refused; a callback taken without authentication
           * is dashed, as in the SVG. */
          gboolean reverse = s->look == LOOK_REFUSED && s->cross == s->from;
          const char *arrow = s->look == LOOK_REFUSED ? "-x" : s->look == LOOK_UNAUTH ? "-->>" : "->>";

          g_string_append_printf (out, "    %s%s%s: %s ms ", lane_names[reverse ? s->to : s->from],
                                  arrow, lane_names[reverse ? s->from : s->to], t);
        }
      mermaid_text (out, s->label);
      g_string_append_c (out, '\n');
    }
}
