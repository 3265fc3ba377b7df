/* wmisim-semisync.h: `wmisim enum|query --semisync`: the call made semisynchronously. */
#pragma once

#include "wsim-client.h"

/** How many objects each Next asks for (the bench's and Microsoft's samples' batch). */
#define WSIM_CLI_SEMISYNC_BATCH 100

/**
 * wsim_cli_semisync:
 * @query: (nullable) a WQL query (ExecQuery); NULL to enumerate @class_name
 * @flags: the async call's flags; WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_FORWARD_ONLY are
 *   added
 * @sink: where the objects go: each Next's objects as one Indicate, then the final status
 *   (the one Next ended with) as SetStatus, so the async path's printing serves unchanged
 * Reads the enumerator with Next(WBEM_INFINITE, WSIM_CLI_SEMISYNC_BATCH) until it ends.
 * Returns: the immediate HRESULT (on a failure @sink is not called, @error is set).
 */
WsimHResult wsim_cli_semisync (WsimServices *services, const char *class_name, const char *query,
                               gint32 flags, WsimSink *sink, GError **error);
