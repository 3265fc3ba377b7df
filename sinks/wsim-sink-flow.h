/* wsim-sink-flow.h: flow control between a sink and the server's send window. Internal.
 *
 * A sink whose consumer is slower than the provider (a semisynchronous enumerator,
 * wsim-enumerator.h) marks itself held; while it is, the sink host keeps its answers to
 * Indicate calls for that sink instead of sending them. The server counts unanswered
 * Indicate calls per call (WsimServerLimits.max_indicates_in_flight): once its window is
 * full, the provider's post_instance() is told WSIM_PROV_BUSY and it waits for resume(),
 * which the answers released by wsim_sink_flow_set_held (sink, FALSE) bring. So a slow
 * reader holds the provider back; nothing on either side grows with the result's size.
 *
 * A held answer may wait as long as the reader does: the server gives an Indicate no reply
 * timeout, and while one is unanswered it asks this host a NULL after each
 * WsimServerLimits.callback_timeout_ms of silence (the host answers it at once: only the
 * Indicate's answer is held), counting the host gone only when that goes unanswered.
 *
 * Threading: the sink host's context (where the sink's ops run).
 */
#pragma once

#include "wsim-rpc-server.h"
#include "wsim-sink.h"

G_BEGIN_DECLS

/**
 * wsim_sink_flow_set_held:
 * TRUE: the sink host holds its answers to this sink's Indicate calls from now on. FALSE:
 * every held answer (WBEM_S_NO_ERROR) is sent now, oldest first, and later ones go at once.
 * A sink's last reference releases what it holds.
 */
void wsim_sink_flow_set_held (WsimSink *sink, gboolean held);

/** Returns: TRUE while @sink is held. */
gboolean wsim_sink_flow_is_held (WsimSink *sink);

/**
 * wsim_sink_flow_take_reply:
 * For the sink host, after an Indicate was delivered to @sink: if @sink is held, keeps a
 * reference on @req, whose WBEM_S_NO_ERROR answer then goes when the sink is released.
 * Returns: TRUE if it took @req (do not answer it), FALSE if the caller answers now.
 */
gboolean wsim_sink_flow_take_reply (WsimSink *sink, WsimRpcRequest *req);

/** Returns: answers held now (tests). */
guint wsim_sink_flow_get_n_held (WsimSink *sink);

G_END_DECLS
