/* wsim-test-harness.h: what the suites that drive an in-process harness (server thread,
 * client, sink host) share: starting one, opening a namespace, and waiting for a call's
 * final SetStatus with the contract checked. Each function asserts with Criterion, so it is
 * for Criterion tests only; a failed assertion ends the test with the reason.
 *
 * Threading: the test's thread (the one that iterates the harness's client context). */
#pragma once

#include "wsim-harness.h"
#include "wsim-sink.h"

/* Generous waits: valgrind runs the suites too. */
#define WSIM_TEST_LONG_WAIT 20000   /* ms */

/**
 * wsim_test_harness_start:
 * Starts a harness whose server @setup fills (with @data).
 * Returns: (transfer full) the harness; never NULL (asserts instead).
 */
WsimHarness *wsim_test_harness_start (WsimHarnessSetup setup, gpointer data);

/** Frees @h (may be NULL) and sets *@h to NULL: a suite's .fini. */
void wsim_test_harness_stop (WsimHarness **h);

/**
 * wsim_test_open_ns:
 * Returns: (transfer full) services on @ns through @h's client; never NULL (asserts).
 */
WsimServices *wsim_test_open_ns (WsimHarness *h, const char *ns);

/**
 * wsim_test_wait_final:
 * Iterates @h's context until @rec's call has its final SetStatus (WSIM_TEST_LONG_WAIT at
 * most), then asserts the contract: exactly one final, nothing after it, status @want.
 */
void wsim_test_wait_final (WsimHarness *h, WsimSinkRecorder *rec, WsimHResult want);

/**
 * wsim_test_class_names:
 * @decls: (element-type WsimClassDecl) class objects, as a sink received them
 * Returns: (transfer full) their names, comma-separated, in order, leaving out WMI's system
 *   classes (names that start with "__"), which every namespace has (tests/events checks
 *   those).
 */
char *wsim_test_class_names (GPtrArray *decls);

/** A WsimHarnessCond: TRUE when the harness @data (a WsimHarness) has no call open. */
gboolean wsim_test_server_idle (gpointer data);
