/* wsim-sink-programs.h: the RPC programs the sinks layer serves, for the fuzz target of the
 * request path (fuzzing/fuzz-request.c), which decodes every procedure's arguments as they
 * do. Internal; not installed.
 *
 * Threading: the tables are static and never change: any thread.
 */
#pragma once

#include "wsim-rpc-server.h"

G_BEGIN_DECLS

/** wsim_sink_host_program: Returns: (transfer none) the sink program (WSIM_SINK_PROG) a
 *  WsimSinkHost serves; its handlers take a WsimSinkHost as their data. */
const WsimRpcProgram *wsim_sink_host_program (void);

/** wsim_unsecapp_report_program: Returns: (transfer none) the program
 *  (WSIM_UNSECAPP_REPORT_PROG) on which the unsecured apartment hears its helper's reports;
 *  its handler takes a WsimUnsecApp as its data. */
const WsimRpcProgram *wsim_unsecapp_report_program (void);

G_END_DECLS
