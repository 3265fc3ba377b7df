/* wsim-call-watch.h: the client's side of "every call ends with exactly one final SetStatus"
 * (not installed; used by wsim-client.c).
 *
 * The server promises a final SetStatus for every call it accepts, but it can deliver one
 * only while it runs and can reach the sink host. The watch covers the rest from the client.
 * For each open call it reads when the sink host last heard of it
 * (wsim_sink_host_get_call_activity()); when nothing came for a while it asks the server how
 * the call stands (QUERY_CALLS), on a connection of its own that lives on the sinks' context
 * and never blocks it. A call the server says ended without reaching the sink, a call the
 * server no longer knows, and a call whose server can no longer be asked, each end on the
 * client's side: the watch hands the status to the call's end function, which gives the sink
 * its final SetStatus. The watch's connection closing (the server went away) makes it ask at
 * once.
 *
 * When to ask: a call nothing was heard of yet (not even the ladder's QUERY) after
 * first_check_ms, then after twice as long each time the server answers that it is still
 * open, up to inactivity_ms; a call heard of, inactivity_ms after the last callback. So a
 * healthy call costs nothing on the wire, and a call the server gave up on before any
 * callback ends within a second or two. A call its host suggests is in trouble (a stub's
 * helper refused the last level, or died) is asked about at once, then again soon.
 *
 * Statuses given to the sink (docs/architecture.md says why these):
 *   the server ended the call without reaching the sink   what the server recorded
 *                                                          (WBEM_E_ACCESS_DENIED: no callback
 *                                                          level taken; WBEM_E_TRANSPORT_FAILURE:
 *                                                          a callback failed)
 *   the server is gone, or restarted and no longer knows   RPC_E_DISCONNECTED
 *   the server does not answer within answer_ms            RPC_S_SERVER_UNAVAILABLE
 *
 * Threading: the context given at creation (the client's sinks' context).
 */
#pragma once

#include <gio/gio.h>

#include "wsim-channel.h"
#include "wsim-hresult.h"
#include "wsim-sink-host-watch.h"
#include "wsim-trace.h"

G_BEGIN_DECLS

/** Defaults of WsimCallWatchTimeouts. */
#define WSIM_CALL_WATCH_FIRST_CHECK_MS 1000
#define WSIM_CALL_WATCH_INACTIVITY_MS  30000
#define WSIM_CALL_WATCH_ANSWER_MS      10000

/**
 * WsimCallWatchTimeouts:
 * @first_check_ms: a call nothing was heard of is asked about after this; 0 for the default
 * @inactivity_ms: a call is asked about after this long without a callback; 0 for the default
 * @answer_ms: how long the server has to answer (connect and security exchange included);
 *   0 for the default
 */
typedef struct {
  guint first_check_ms;
  guint inactivity_ms;
  guint answer_ms;
} WsimCallWatchTimeouts;

typedef struct _WsimCallWatch WsimCallWatch;

/**
 * WsimCallWatchEndFunc:
 * Ends the call on the client's side: the sink's final SetStatus(@hr, @why as strParam).
 * Returns: TRUE if the call was still open (a final did not arrive meanwhile).
 */
typedef gboolean (*WsimCallWatchEndFunc) (guint64 call_id, guint64 local_sink_id, WsimHResult hr,
                                          const char *why, gpointer user_data);

/**
 * WsimWatchedCall: what the watch needs to know of one call.
 * @call_id: the client's call id (unique in the process)
 * @endpoint, @sink_id: the sink locator the request named (the server's key for the call)
 * @host: (transfer none) where its callbacks arrive (the watch keeps a reference)
 * @local_sink_id: the sink's id in @host
 * @end, @user_data, @destroy: how to end it; @destroy frees @user_data when the watch
 *   forgets the call
 */
typedef struct {
  guint64              call_id;
  const char          *endpoint;
  guint64              sink_id;
  WsimSinkHost        *host;
  guint64              local_sink_id;
  WsimCallWatchEndFunc end;
  gpointer             user_data;
  GDestroyNotify       destroy;
} WsimWatchedCall;

/**
 * wsim_call_watch_new:
 * @channel: (transfer none) the client's connection, whose server, level and credentials the
 *   watch's own connection copies; it must outlive the watch
 * @trace: (transfer none) where the watch records why it asked and what it concluded
 */
WsimCallWatch *wsim_call_watch_new (GMainContext *context, WsimChannel *channel, WsimTrace *trace,
                                    const WsimCallWatchTimeouts *timeouts);

/** Forgets every call without ending it (the client is going away) and closes the connection. */
void wsim_call_watch_free (WsimCallWatch *watch);

/** Watches a call whose *Async request the server accepted (@call is copied). */
void wsim_call_watch_add (WsimCallWatch *watch, const WsimWatchedCall *call);

/** Returns: calls watched now (closed ones are forgotten at the watch's next look). */
guint wsim_call_watch_get_n_calls (WsimCallWatch *watch);

G_END_DECLS
