/**
 * SECTION:wsim-trace
 * @title: wsim-trace.h
 * @short_description: what happened to each async call, as events a test reads and the CLI prints
 *   as JSON lines
 *
 * One trace per server; each event names its call. The server's thread writes, any
 * thread reads, so the event list is guarded by a mutex.
 *
 * The trace is a ring bounded in bytes, not events (an event's detail and principal vary):
 * it keeps the newest events whose sizes (wsim_trace_event_size()) add up to at most its
 * budget, WSIM_TRACE_MAX_BYTES unless the environment's WSIM_TRACE_MAX_BYTES or
 * wsim_trace_set_max_bytes() says otherwise; each older one is dropped when a new one needs
 * its room, and counted (WsimTraceStats.n_dropped); the newest is always kept. A detail is
 * cut at WSIM_TRACE_MAX_DETAIL bytes, so one event never takes more than a small share of
 * the ring. Whatever a peer does (a client killed mid-enumeration, forged callbacks a stub
 * refuses), a trace costs at most its budget (plus the allocator's overhead on the four
 * blocks of each event: the event, its list link, its detail and its principal).
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-hresult.h"

G_BEGIN_DECLS

/**
 * WSIM_TRACE_MAX_BYTES:
 *
 * The ring's default budget: 2 MiB, about 14,000 events of a typical 150 bytes.
 */
#define WSIM_TRACE_MAX_BYTES  (2u * 1024 * 1024)

/**
 * WSIM_TRACE_MAX_DETAIL:
 *
 * The longest detail kept, in bytes; a longer one is cut (at a character boundary) and ends
 * with "…".
 */
#define WSIM_TRACE_MAX_DETAIL 1024

/**
 * WsimTraceKind:
 * @WSIM_TRACE_START: the call was accepted; detail: method and target
 * @WSIM_TRACE_INDICATE: a batch was delivered; n: instances
 * @WSIM_TRACE_PROGRESS: a PROGRESS SetStatus; hr: its hResult (done | total << 16)
 * @WSIM_TRACE_CANCEL: CancelAsyncCall reached the call
 * @WSIM_TRACE_VIOLATION: the provider broke its contract; detail says how
 * @WSIM_TRACE_FINAL: the final SetStatus; hr and detail: the status and why
 * @WSIM_TRACE_TEARDOWN: the call ended without a SetStatus reaching the sink; detail: why
 * @WSIM_TRACE_REFUSED: a request was refused for its security; hr and detail: why
 * @WSIM_TRACE_CALLBACK: one attempt of the callback ladder (server) to reach the sink host at
 *   one level
 * @WSIM_TRACE_STUB_ACCEPTED: a callback the sink stub (unsecured apartment) took
 * @WSIM_TRACE_STUB_REFUSED: a callback the sink stub refused
 * @WSIM_TRACE_STUB_FINAL: the stub's client ended a call on its own side
 * @WSIM_TRACE_CLIENT_FINAL: the client ended a call on its own side
 * @WSIM_TRACE_CLIENT_ASK: the client asked the server how a quiet call stands, and it is open
 *
 * What a trace event records.
 */
typedef enum {
  WSIM_TRACE_START,      /* the call was accepted; detail: method and target */
  WSIM_TRACE_INDICATE,   /* a batch was delivered; n: instances */
  WSIM_TRACE_PROGRESS,   /* a PROGRESS SetStatus; hr: its hResult (done | total << 16) */
  WSIM_TRACE_CANCEL,     /* CancelAsyncCall reached the call */
  WSIM_TRACE_VIOLATION,  /* the provider broke its contract; detail says how */
  WSIM_TRACE_FINAL,      /* the final SetStatus; hr and detail: the status and why */
  WSIM_TRACE_TEARDOWN,   /* the call ended without a SetStatus reaching the sink; detail: why */
  WSIM_TRACE_REFUSED,    /* a request was refused for its security; hr and detail: why */
  /* The callback ladder (server): one attempt to reach the sink host at one level; auth:
   * the level tried, the mechanism and the principal the server called back as; n: the
   * rung (1 = the first tried); hr: WBEM_S_NO_ERROR when the sink host took it, else the
   * refusal; detail: the outcome and why. */
  WSIM_TRACE_CALLBACK,
  /* The sink stub (unsecured apartment, client side): a callback it took or refused; auth:
   * who called and at which level; n: instances (Indicate); detail: the callback and why. */
  WSIM_TRACE_STUB_ACCEPTED,
  WSIM_TRACE_STUB_REFUSED,
  /* The stub's client ended a call on its own side (every callback level was refused, as
   * the server confirmed): the sink's final SetStatus; hr: the status. */
  WSIM_TRACE_STUB_FINAL,
  /* The client ended a call on its own side, because the server said the call had ended
   * without the sink hearing it, or could no longer be asked (its connection lost, no answer
   * in time): the sink's final SetStatus; hr: the status; detail: why. */
  WSIM_TRACE_CLIENT_FINAL,
  /* The client asked the server how a quiet call stands, and the server said it is open. */
  WSIM_TRACE_CLIENT_ASK,
} WsimTraceKind;

/**
 * WsimTraceAuth:
 * @level: the RPC_C_AUTHN_LEVEL_* on the wire
 * @mech: (nullable) the GSS mechanism's name ("kerberos", "ntlm"); a static string
 * @principal: (nullable) the authenticated principal
 *
 * Who a request came from, or how a callback was made.
 */
typedef struct {
  guint32     level;
  const char *mech;
  const char *principal;
} WsimTraceAuth;

/**
 * WsimTraceEvent:
 * @time_us: when, on the monotonic clock
 * @kind: what happened
 * @call_id: the client's call id
 * @hr: the status, for the kinds that have one
 * @n: a count, for the kinds that have one
 * @detail: (nullable) the detail, owned by the event
 * @has_auth: whether @auth is meaningful
 * @auth: who, for the kinds that say; its principal is owned by the event
 *
 * One event of a #WsimTrace.
 */
typedef struct {
  gint64        time_us;   /* monotonic */
  WsimTraceKind kind;
  guint64       call_id;   /* the client's call id */
  WsimHResult   hr;
  guint64       n;
  char         *detail;    /* (owned) (nullable) */
  gboolean      has_auth;  /* @auth is meaningful */
  WsimTraceAuth auth;      /* its principal is owned by the event */
} WsimTraceEvent;

/**
 * WsimTrace:
 *
 * What happened to each async call, as events.
 */
typedef struct _WsimTrace WsimTrace;

/**
 * wsim_trace_new:
 *
 * Returns an empty trace.
 *
 * Returns: (transfer full) an empty trace.
 */
WSIM_EXPORT
WsimTrace *wsim_trace_new (void);

/**
 * wsim_trace_ref:
 * @trace: a #WsimTrace
 *
 * Returns @trace, with one more reference (any thread: atomic).
 *
 * Returns: (transfer full) @trace, with one more reference (any thread: atomic).
 */
WSIM_EXPORT
WsimTrace *wsim_trace_ref (WsimTrace *trace);

/**
 * wsim_trace_unref:
 * @trace: a #WsimTrace
 *
 * Drops one reference to @trace; the last frees it and its events. NULL is fine.
 */
WSIM_EXPORT
void       wsim_trace_unref (WsimTrace *trace);

/**
 * wsim_trace_add:
 * @trace: a #WsimTrace
 * @kind: what happened
 * @call_id: the call the event belongs to (0: none)
 * @hr: the status the event carries (WBEM_S_NO_ERROR when none)
 * @n: a count the event carries (objects delivered, say; 0 when none)
 * @format: (nullable) a printf() format for the event's detail
 * @...: the arguments @format takes
 *
 * Records an event; @format (nullable) gives its detail. Any thread.
 */
WSIM_EXPORT
void wsim_trace_add (WsimTrace *trace, WsimTraceKind kind, guint64 call_id, WsimHResult hr,
                     guint64 n, const char *format, ...) G_GNUC_PRINTF (6, 7);

/**
 * wsim_trace_add_auth:
 * @trace: a #WsimTrace
 * @kind: what happened
 * @call_id: the call the event belongs to (0: none)
 * @hr: the status the event carries (WBEM_S_NO_ERROR when none)
 * @n: a count the event carries (objects delivered, say; 0 when none)
 * @auth: (nullable) who made the request, or how the callback was authenticated (copied)
 * @format: (nullable) a printf() format for the event's detail
 * @...: the arguments @format takes
 *
 * Like wsim_trace_add(), with who made the request (or how a callback went). Any thread.
 */
WSIM_EXPORT
void wsim_trace_add_auth (WsimTrace *trace, WsimTraceKind kind, guint64 call_id, WsimHResult hr,
                          guint64 n, const WsimTraceAuth *auth, const char *format, ...)
  G_GNUC_PRINTF (7, 8);

/**
 * wsim_trace_get_events:
 * @trace: a #WsimTrace
 * @call_id: the call whose events to copy, or 0 for all
 *
 * Returns copies, oldest first.
 *
 * Returns: (transfer full) (element-type WsimTraceEvent) copies, oldest first.
 */
WSIM_EXPORT
GPtrArray *wsim_trace_get_events (WsimTrace *trace, guint64 call_id);

/**
 * WsimTraceStats:
 * @n_events: events kept now
 * @n_bytes: their sizes added up (wsim_trace_event_size()), at most @max_bytes unless the
 *   newest event alone is over it (it is kept)
 * @max_bytes: the ring's budget
 * @n_dropped: events dropped to make room, since the trace was made
 *
 * How full a trace's ring is.
 */
typedef struct {
  guint   n_events;
  gsize   n_bytes;
  gsize   max_bytes;
  guint64 n_dropped;
} WsimTraceStats;

/**
 * wsim_trace_get_stats:
 * @trace: a #WsimTrace
 * @stats: (out caller-allocates): filled with the ring's numbers, read together
 *
 * Reads how full @trace's ring is. Any thread.
 */
WSIM_EXPORT
void wsim_trace_get_stats (WsimTrace *trace, WsimTraceStats *stats);

/**
 * wsim_trace_set_max_bytes:
 * @trace: a #WsimTrace
 * @max_bytes: the ring's new budget (the newest event is kept even when it alone is over)
 *
 * Changes the budget; events over it are dropped at once, oldest first, and counted. Any
 * thread.
 */
WSIM_EXPORT
void wsim_trace_set_max_bytes (WsimTrace *trace, gsize max_bytes);

/**
 * wsim_trace_event_size:
 * @e: an event of a trace
 *
 * Returns what @e costs the ring.
 *
 * Returns: what @e costs the ring: the event, its list link, its detail and principal.
 */
WSIM_EXPORT
gsize wsim_trace_event_size (const WsimTraceEvent *e);

/**
 * wsim_trace_count:
 * @trace: a #WsimTrace
 * @call_id: the call the event belongs to (0: none)
 * @kind: the kind of event to count
 *
 * Returns how many events of @kind the call has.
 *
 * Returns: how many events of @kind the call has.
 */
WSIM_EXPORT
guint wsim_trace_count (WsimTrace *trace, guint64 call_id, WsimTraceKind kind);

/**
 * wsim_trace_kind_name:
 * @kind: an event kind
 *
 * Returns "start", "indicate", …
 *
 * Returns: (transfer none) "start", "indicate", …
 */
WSIM_EXPORT
const char *wsim_trace_kind_name (WsimTraceKind kind);

/**
 * wsim_trace_to_json_lines:
 * @trace: a #WsimTrace
 * @call_id: the call whose events to write, or 0 for all
 * @out: the string to append to
 *
 * Appends one compact JSON object per line for the events to @out, written by json-glib
 * (docs/cli.md, "JSON", gives the line's keys): strings made valid UTF-8, "call" and "n"
 * numbers, or strings of digits above G_MAXINT64. Any thread.
 */
WSIM_EXPORT
void wsim_trace_to_json_lines (WsimTrace *trace, guint64 call_id, GString *out);

/**
 * wsim_trace_event_free:
 * @e: a #WsimTraceEvent
 *
 * Frees an event copy (one taken out of wsim_trace_get_events()'s
 * array with g_ptr_array_steal_index()). NULL is fine.
 */
WSIM_EXPORT
void wsim_trace_event_free (WsimTraceEvent *e);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimTrace, wsim_trace_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimTraceEvent, wsim_trace_event_free)

G_END_DECLS
