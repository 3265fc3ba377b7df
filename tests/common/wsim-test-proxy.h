/* wsim-test-proxy.h: a man in the middle for security tests.
 *
 * A TCP proxy on its own thread between one client and a server: it forwards the server's
 * bytes untouched and hands each record the client sends to a hook, which may pass it,
 * replay it, or change it, before it goes on. Records are taken as RFC 5531 single-fragment
 * records, which is what the project's client sends. Loopback only; stopped and joined by
 * wsim_test_proxy_stop().
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  WSIM_PROXY_FORWARD,   /* pass the (possibly modified) record on */
  WSIM_PROXY_REPLAY,    /* pass it on twice */
} WsimProxyVerdict;

/**
 * WsimProxyHook:
 * @index: 0 for the client's first record, 1 for the next, …
 * @rec: the record's body (without the record mark); the hook may change its bytes
 * Runs on the proxy's thread.
 */
typedef WsimProxyVerdict (*WsimProxyHook) (guint index, guint8 *rec, gsize len, gpointer data);

typedef struct _WsimTestProxy WsimTestProxy;

/** Starts a proxy to @upstream; clients connect to wsim_test_proxy_address(). */
WsimTestProxy *wsim_test_proxy_start (GSocketAddress *upstream, WsimProxyHook hook, gpointer data);
/** Returns: (transfer none) the address to connect to. */
GSocketAddress *wsim_test_proxy_address (WsimTestProxy *proxy);
/** Closes both sides, joins the thread, frees the proxy. */
void wsim_test_proxy_stop (WsimTestProxy *proxy);

G_END_DECLS
