/* wsim-sink-host-forward.h: a sink host's forwards, for the unsecured apartment's helper
 * (tools/wmisim-unsecapp.c): exports that pass callbacks on to another sink host over the
 * sink program. Private (not installed): it names the RPC engine's client. */
#pragma once

#include "wsim-rpc-client.h"
#include "wsim-sink-host.h"

G_BEGIN_DECLS

/**
 * wsim_sink_host_add_forward:
 * @to: (transfer none) a client of another sink host (the sink program); the host keeps a
 *   reference
 * Exports a forward instead of a sink: callbacks to it that pass the call's access check go
 * on to @to, under the sink id given per call, and @to's answer is the answer. The unsecured
 * apartment's helper makes each stub this way. Returns: the export's id (its "sink id").
 */
guint64 wsim_sink_host_add_forward (WsimSinkHost *host, WsimRpcClient *to);

/**
 * wsim_sink_host_begin_forward_call:
 * Expects callbacks for @call_id to forward @id, going on as @remote_sink_id.
 * Returns: FALSE if @id is no forward of this host.
 */
gboolean wsim_sink_host_begin_forward_call (WsimSinkHost *host, guint64 id, guint64 call_id,
                                            guint64 remote_sink_id, const WsimSinkAccess *access);

/** Removes forward @id and its calls (later callbacks to it are refused). */
void wsim_sink_host_remove_forward (WsimSinkHost *host, guint64 id);

/** Returns: the calls forward @id has open (0 for no such forward). */
guint wsim_sink_host_get_n_forward_calls (WsimSinkHost *host, guint64 id);

G_END_DECLS
