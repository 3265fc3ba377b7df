/* wsim-testprog-server.h: the test program (wsim_testprog.x) served by our engine. */
#pragma once

#include "wsim-rpc-server.h"
#include "wsim_testprog.h"

/** The program table; handlers need no user data. */
extern const WsimRpcProgram wsim_testprog_v1;

/** Drops the DELAY timers pending on @context (a stopping server thread calls it): their
 *  requests go, and with them the references that keep the context alive. */
void wsim_testprog_cancel_pending (GMainContext *context);
