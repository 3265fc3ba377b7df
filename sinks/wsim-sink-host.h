/* wsim-sink-host.h: the client's endpoint for callbacks: serves the sink program
 * (Indicate, SetStatus) and hands what arrives to the right WsimSink.
 *
 * The client tells the host about each async call before making it (begin_call); the host
 * then accepts callbacks for that sink and call only. Classes arrive once per call and
 * instances as rows, which the host turns back into WsimObjects. When a call's final
 * SetStatus has been delivered the host forgets the call, and when a sink has no call left
 * it drops its reference on the sink. Callbacks for sinks or calls it does not know
 * (finished calls, forged ids) are refused with WBEM_E_ACCESS_DENIED and counted.
 *
 * Threading: the context given at creation; the sinks' ops run there.
 */
#pragma once

#include <gio/gio.h>

#include "wsim-sink.h"

G_BEGIN_DECLS

typedef struct _WsimSinkHost WsimSinkHost;

/**
 * wsim_sink_host_new:
 * @context: (nullable) where callbacks are served and sinks called; NULL for the thread default
 * @address: (nullable) where to listen; NULL for 127.0.0.1 on a free port
 * Returns: (transfer full) (nullable) the host, listening.
 */
WsimSinkHost *wsim_sink_host_new (GMainContext *context, GSocketAddress *address, GError **error);
WsimSinkHost *wsim_sink_host_ref (WsimSinkHost *host);
void          wsim_sink_host_unref (WsimSinkHost *host);

/** Returns: (transfer none) the endpoint string the server calls back ("tcp:127.0.0.1:PORT"). */
const char *wsim_sink_host_get_endpoint (WsimSinkHost *host);

/**
 * wsim_sink_host_begin_call:
 * Expects callbacks for call @call_id to @sink; the host takes a reference on @sink.
 * Returns: the sink's id in this host (the same for every call made with the same sink).
 */
guint64 wsim_sink_host_begin_call (WsimSinkHost *host, WsimSink *sink, guint64 call_id);

/** Forgets a call whose *Async request was refused (its sink is never called). */
void wsim_sink_host_abandon_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id);

/**
 * wsim_sink_host_lookup:
 * Returns: TRUE with *@sink_id set if @sink has calls open in this host.
 */
gboolean wsim_sink_host_lookup (WsimSinkHost *host, WsimSink *sink, guint64 *sink_id);

/** Returns: sinks the host still holds (each has a call whose final SetStatus has not come). */
guint wsim_sink_host_get_n_sinks (WsimSinkHost *host);
/** Returns: calls open (begun and not finished). */
guint wsim_sink_host_get_n_calls (WsimSinkHost *host);
/** Returns: callbacks refused because they named no open call of a known sink. */
guint64 wsim_sink_host_get_n_refused (WsimSinkHost *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimSinkHost, wsim_sink_host_unref)

G_END_DECLS
