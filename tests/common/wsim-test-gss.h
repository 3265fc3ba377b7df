/* wsim-test-gss.h: the fixture the RPCSEC_GSS suites share.
 *
 * A private Kerberos realm (and NTLM credentials file), our server on its own thread with
 * RPCSEC_GSS enabled next to AUTH_NONE and AUTH_SYS, and a main context of the test's own for
 * its clients. The server being in the test process is what lets a test count the contexts
 * it keeps and measure the memory they take.
 */
#pragma once

#include "wsim-gss.h"
#include "wsim-krb5-realm.h"
#include "wsim-test-util.h"

G_BEGIN_DECLS

typedef struct {
  WsimKrb5Realm         realm;
  WsimTestServerThread *srv;   /* serves the test program, RPCSEC_GSS enabled */
  GMainContext         *ctx;   /* (owned) for the test's clients */
} WsimTestGss;

/** Starts the realm (its KDC), then the server. FALSE with @error if the realm failed. */
gboolean wsim_test_gss_start (WsimTestGss *fx, GError **error);

/** Stops the server, drains the test's context, stops the KDC by its pid. */
void wsim_test_gss_stop (WsimTestGss *fx);

/** Returns: (transfer full) (nullable) a client of the test program on @fx's context,
 *  connected to the server, with AUTH_NONE. */
WsimRpcClient *wsim_test_gss_connect (WsimTestGss *fx, GError **error);

/** Returns: the RPCSEC_GSS contexts the server keeps now (read on its thread). */
guint wsim_test_gss_n_contexts (WsimTestGss *fx);

/**
 * wsim_test_gss_wait_n_contexts:
 * Iterates @fx's context until the server keeps @n contexts (it frees a connection's when it
 * sees the connection close, which a client's unref does not wait for) or @timeout_ms passes.
 * Returns: TRUE if the count reached @n.
 */
gboolean wsim_test_gss_wait_n_contexts (WsimTestGss *fx, guint n, guint timeout_ms);

/**
 * wsim_test_gss_exchange:
 * Runs the token exchange between @init (an initiator that has not stepped yet) and @acc in
 * this process, with no RPC between them, until both are established (bounded: real
 * mechanisms need one to three legs).
 * Returns: FALSE with @error if a step failed or either side is not established at the end.
 */
gboolean wsim_test_gss_exchange (WsimGssContext *init, WsimGssContext *acc, GError **error);

G_END_DECLS
