/* wsim-sink-host-watch.h: what a sink host tells the client's watch over its calls
 * (runtime/client/wsim-call-watch.c) and what a sink stub's apartment tells the host about a
 * call (sinks/wsim-unsecapp.c). Private (not installed, not exported): a user's sinks learn a
 * call's end from its final SetStatus, and the watch is the library's own business. */
#pragma once

#include "wsim-sink-host.h"

G_BEGIN_DECLS

/**
 * wsim_sink_host_get_call_activity:
 * When the host last heard of call @call_id of sink @sink_id: the client's watch over its
 * calls (no callback for too long makes it ask the server) reads it.
 * Returns: FALSE if the call is not open; else TRUE with *@last_activity the monotonic time
 *   (µs) of the last callback taken for it (or of wsim_sink_host_touch_call()), 0 for none.
 */
gboolean wsim_sink_host_get_call_activity (WsimSinkHost *host, guint64 sink_id, guint64 call_id,
                                           gint64 *last_activity);

/**
 * WsimSinkHostCallEvent:
 * @WSIM_SINK_HOST_CALL_SUSPECT: something suggests the call is in trouble
 *   (wsim_sink_host_call_attention())
 * @WSIM_SINK_HOST_CALL_ENDED: the call is over at this host (its final delivered, ended or
 *   abandoned here, or the host going); the watcher is told once, and then never again
 */
typedef enum {
  WSIM_SINK_HOST_CALL_SUSPECT,
  WSIM_SINK_HOST_CALL_ENDED,
} WsimSinkHostCallEvent;

/** WsimSinkHostCallFunc: @host is NULL for WSIM_SINK_HOST_CALL_ENDED (it may be going). The
 *  function must not call back into the host for this call. */
typedef void (*WsimSinkHostCallFunc) (WsimSinkHost *host, guint64 sink_id, guint64 call_id,
                                      WsimSinkHostCallEvent event, gpointer user_data);

/**
 * wsim_sink_host_set_call_watcher:
 * Whom to tell (@func, NULL for nobody) of an open call's trouble and of its end: the
 * client's watch over its calls. Nothing happens for a call that is not open.
 */
void wsim_sink_host_set_call_watcher (WsimSinkHost *host, guint64 sink_id, guint64 call_id,
                                      WsimSinkHostCallFunc func, gpointer user_data);

/** wsim_sink_host_call_attention: tells the call's watcher that it looks in trouble (a sink
 *  stub's apartment, when its helper refused what the server said was its last level, or
 *  died). */
void wsim_sink_host_call_attention (WsimSinkHost *host, guint64 sink_id, guint64 call_id);

/** wsim_sink_host_touch_call: records activity for an open call that was seen elsewhere (a
 *  sink stub's helper took the server's QUERY, which it answers itself). */
void wsim_sink_host_touch_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id);

G_END_DECLS
