/* wsim-trace-diagram.h: a call trace, read back from its JSON lines, drawn as a sequence
 * diagram (`wmisim trace`).
 *
 * The input is what wsim_trace_to_json_lines() writes: one flat JSON object per line, one
 * event each, from one or more traces concatenated. The diagram has four lanes, left to
 * right: client, server, stub (the sink stub of the unsecured apartment) and sink; every
 * event becomes an arrow between two neighbouring lanes or a mark on one lane (see
 * wsim_trace_diagram_render_text()).
 *
 * Pure functions of their arguments: no I/O, no globals, any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * WsimTraceDiagramEvent: one trace event as read from its JSON line.
 * @t_us: "t_us", the monotonic time in microseconds
 * @call: "call", the client's call id
 * @kind: (owned) "event": "start", "callback", … or a kind this reader does not know
 * @hresult: "hresult"
 * @status: (owned) (nullable) "status", the HRESULT's symbolic name
 * @n: "n": instances, or the rung of a callback attempt
 * @level: (owned) (nullable) "level", the authentication level ("pktPrivacy", "none", …)
 * @mech: (owned) (nullable) "mech", the GSS mechanism
 * @principal: (owned) (nullable) "principal"
 * @detail: (owned) (nullable) "detail"
 * @line: the input line it came from (1 = the first)
 *
 * Strings are valid UTF-8 with no NUL.
 */
typedef struct {
  gint64   t_us;
  guint64  call;
  char    *kind;
  guint32  hresult;
  char    *status;
  guint64  n;
  char    *level;
  char    *mech;
  char    *principal;
  char    *detail;
  guint    line;
} WsimTraceDiagramEvent;

/** wsim_trace_diagram_event_free: frees an event and its strings. NULL is fine. */
void wsim_trace_diagram_event_free (WsimTraceDiagramEvent *event);

/**
 * wsim_trace_diagram_parse:
 * @text: the JSON lines (need not be NUL-terminated)
 * @len: the length of @text in bytes
 * @out_events: (out) (transfer full) (element-type WsimTraceDiagramEvent): the events in
 *   input order (the renderers sort them); the array frees them
 * @error: G_IO_ERROR_INVALID_DATA, "line N: why", for the first bad line; when the line is
 *   not JSON, "line N, column C: " and json-glib's own message
 *
 * A line whose first non-blank character is '{' must be one JSON object, read by
 * json-glib: "t_us" (an integer), "call" and "n" (integers, 0 or more, or strings of
 * decimal digits: the writer's form above G_MAXINT64), "event" (not empty) and "hresult"
 * ("0x" and up to eight hex digits) are required; "status", "level", "mech", "principal"
 * and "detail" are optional strings; other keys are skipped, whatever their value (a
 * newer writer may add some). What json-glib 1.6 decides stands: a key given twice keeps
 * its last value, "\u0000" ends a string, an integer beyond 64 bits wraps. Any other
 * line — blank, or the table, "security:" and "final SetStatus:" lines
 * `wmisim enum --trace` prints on the same stream as the trace — is not an event and is
 * skipped, so that command's output can be piped in as it is.
 *
 * Returns: TRUE, or FALSE with @error set and @out_events untouched.
 */
gboolean wsim_trace_diagram_parse (const char *text, gsize len, GPtrArray **out_events,
                                   GError **error);

/**
 * wsim_trace_diagram_render_text:
 * @events: (element-type WsimTraceDiagramEvent): the events, in any order (not modified)
 * @call: the call to draw, or 0 for every call
 * @out: where the diagram is appended
 *
 * Draws the events as text for a terminal: ASCII and "…" only, no line longer than 120
 * columns (text that would be is cut with "…"). The events are sorted by time (stably) and
 * grouped by call, the calls in the order they started, each under a "call N" header with
 * the lane names; the times on the left are in milliseconds since the first event drawn.
 * An arrow takes two lines, its label and then the arrow ("x" at the lane that refused
 * it, "~" for a callback the stub took without authentication); a mark on one lane takes
 * one. With no event to draw it appends one line saying so.
 */
void wsim_trace_diagram_render_text (GPtrArray *events, guint64 call, GString *out);

/**
 * wsim_trace_diagram_render_svg:
 * @events: (element-type WsimTraceDiagramEvent): the events, in any order (not modified)
 * @call: the call to draw, or 0 for every call
 * @out: where the document is appended
 *
 * Draws the same diagram as wsim_trace_diagram_render_text() as one self-contained SVG
 * document (no external style or font): lane headers and lifelines per call, arrows with
 * arrowheads, refusals in red with a cross at the lane that refused, callbacks taken
 * without authentication in orange and dashed. All text from the trace is XML-escaped.
 */
void wsim_trace_diagram_render_svg (GPtrArray *events, guint64 call, GString *out);

/**
 * wsim_trace_diagram_render_mermaid:
 * @events: (element-type WsimTraceDiagramEvent): the events, in any order (not modified)
 * @call: the call to draw, or 0 for every call
 * @out: where the diagram is appended
 *
 * Draws the same diagram as a Mermaid sequence diagram, to paste into Markdown between
 * ```mermaid fences: the four lanes as participants, a note per call, each step's time in
 * its message; refusals end in a cross at the lane that refused ("-x"), callbacks taken
 * without authentication are dashed ("-->>"), marks on one lane are notes. Mermaid's
 * entity codes stand for ";", "#", "<" and ">" in labels; labels hold no control character.
 */
void wsim_trace_diagram_render_mermaid (GPtrArray *events, guint64 call, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimTraceDiagramEvent, wsim_trace_diagram_event_free)

G_END_DECLS
