/* wsim-trace.h: what happened to each async call, as events a test reads and the CLI
 * prints as JSON lines.
 *
 * One trace per server; each event names its call. The server's thread writes, any
 * thread reads, so the event list is guarded by a mutex. It keeps the newest
 * WSIM_TRACE_MAX_EVENTS events; older ones are dropped, and the count of dropped events
 * is kept.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-hresult.h"

G_BEGIN_DECLS

#define WSIM_TRACE_MAX_EVENTS 100000

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
 * WsimTraceAuth: who a request came from, or how a callback was made.
 * @level: the RPC_C_AUTHN_LEVEL_* on the wire
 * @mech: (nullable) the GSS mechanism's name ("kerberos", "ntlm"); a static string
 * @principal: (nullable) the authenticated principal
 */
typedef struct {
  guint32     level;
  const char *mech;
  const char *principal;
} WsimTraceAuth;

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

typedef struct _WsimTrace WsimTrace;

/** Returns: (transfer full) an empty trace. */
WSIM_EXPORT
WsimTrace *wsim_trace_new (void);
/** Returns: (transfer full) @trace, with one more reference (any thread: atomic). */
WSIM_EXPORT
WsimTrace *wsim_trace_ref (WsimTrace *trace);
/** Drops one reference to @trace; the last frees it and its events. NULL is fine. */
WSIM_EXPORT
void       wsim_trace_unref (WsimTrace *trace);

/** Records an event; @format (nullable) gives its detail. Any thread. */
WSIM_EXPORT
void wsim_trace_add (WsimTrace *trace, WsimTraceKind kind, guint64 call_id, WsimHResult hr,
                     guint64 n, const char *format, ...) G_GNUC_PRINTF (6, 7);

/** Like wsim_trace_add(), with who made the request (or how a callback went). Any thread. */
WSIM_EXPORT
void wsim_trace_add_auth (WsimTrace *trace, WsimTraceKind kind, guint64 call_id, WsimHResult hr,
                          guint64 n, const WsimTraceAuth *auth, const char *format, ...)
  G_GNUC_PRINTF (7, 8);

/**
 * wsim_trace_get_events:
 * @call_id: the call whose events to copy, or 0 for all
 * Returns: (transfer full) (element-type WsimTraceEvent) copies, oldest first.
 */
WSIM_EXPORT
GPtrArray *wsim_trace_get_events (WsimTrace *trace, guint64 call_id);

/** Returns: how many events of @kind the call has. */
WSIM_EXPORT
guint wsim_trace_count (WsimTrace *trace, guint64 call_id, WsimTraceKind kind);

/** Returns: (transfer none) "start", "indicate", … */
WSIM_EXPORT
const char *wsim_trace_kind_name (WsimTraceKind kind);

/** Appends one JSON object per line for the events of @call_id (0: all) to @out. */
WSIM_EXPORT
void wsim_trace_to_json_lines (WsimTrace *trace, guint64 call_id, GString *out);

/** wsim_trace_event_free: frees an event copy (one taken out of wsim_trace_get_events()'s
 *  array with g_ptr_array_steal_index()). NULL is fine. */
WSIM_EXPORT
void wsim_trace_event_free (WsimTraceEvent *e);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimTrace, wsim_trace_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimTraceEvent, wsim_trace_event_free)

G_END_DECLS
