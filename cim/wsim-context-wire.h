/* wsim-context-wire.h: WsimContext to and from the wire's wsim_context (wsim_service.x).
 * Internal: for the client, which sends a call's context, and the server, which decodes it. */
#pragma once

#include "wsim-context.h"
#include "wsim_service.h"

G_BEGIN_DECLS

/**
 * wsim_context_to_wire:
 * Fills @out with @ctx's values. Returns: nothing; @out's array is (transfer container)
 * (g_free (out->values.values_val)), its names and values point into @ctx, which must
 * outlive @out.
 */
void wsim_context_to_wire (const WsimContext *ctx, wsim_context *out);

/**
 * wsim_context_from_wire:
 * Returns: (transfer full) a context with copies of @w's values, or NULL with
 *   WBEM_E_INVALID_PARAMETER for a value of a type a context cannot carry, an empty name or
 *   a name given twice.
 */
WsimContext *wsim_context_from_wire (const wsim_context *w, GError **error);

G_END_DECLS
