/* wsim-rpc-client-private.h: what the client's transport is, for the fuzz target of the
 * reply path (fuzzing/fuzz-reply.c), which feeds replies to it without a peer. Internal to
 * rpc/ and fuzzing/; not installed.
 *
 * Threading: as WsimRpcClient's: on its main context.
 */
#pragma once

#include "wsim-conn.h"
#include "wsim-rpc-client.h"

G_BEGIN_DECLS

/**
 * wsim_rpc_client_get_conn:
 * Returns: (transfer none) (nullable) @client's connection, which hands each record it
 *   takes to the client's reply path (wsim_conn_feed()); NULL once closed.
 */
WsimConn *wsim_rpc_client_get_conn (WsimRpcClient *client);

G_END_DECLS
