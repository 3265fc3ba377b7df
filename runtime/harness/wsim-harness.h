/**
 * SECTION:wsim-harness
 * @title: wsim-harness.h
 * @short_description: a whole WMI in one process, for tests and for the CLI's default mode
 *
 * One call stands up a server (on its own thread and GMainContext, as winmgmt is its own
 * process), lets a setup function register providers on it, connects a client over
 * loopback TCP and opens root\cimv2. The client's sinks run on the harness's context,
 * which the caller iterates with wsim_harness_run_until() (a condition and a timeout,
 * never a sleep).
 *
 * Threading: create, use and free a harness on one thread; setup and invoke functions run
 * on the server's thread while the caller waits.
 */
#pragma once

#include "wsim-export.h"

#include "wsim-client.h"
#include "wsim-server.h"

G_BEGIN_DECLS

/**
 * WsimHarness:
 *
 * A server and a client in one process (wsim_harness_new()).
 */
typedef struct _WsimHarness WsimHarness;

/**
 * WsimHarnessSetup:
 * @server: the harness's server
 * @data: the harness's data
 * @error: return location for a #GError
 *
 * Runs on the server thread: register providers, set limits. Return FALSE with @error to fail.
 */
typedef gboolean (*WsimHarnessSetup) (WsimServer *server, gpointer data, GError **error);
/**
 * WsimHarnessFunc:
 * @server: the harness's server
 * @data: wsim_harness_invoke()'s data
 *
 * Runs on the server thread (wsim_harness_invoke).
 */
typedef void (*WsimHarnessFunc) (WsimServer *server, gpointer data);
/**
 * WsimHarnessCond:
 * @data: wsim_harness_run_until()'s data
 *
 * A condition wsim_harness_run_until() waits for.
 *
 * Returns: TRUE when it holds.
 */
typedef gboolean (*WsimHarnessCond) (gpointer data);

/**
 * wsim_harness_new:
 * @setup: (nullable) called on the server thread before it listens (set the server's
 *   security there: wsim_server_set_security())
 * @data: passed to @setup (borrowed for the call)
 * @error: return location for a #GError, or %NULL
 *
 * The client connects with the process default blanket (wsim-security.h). When the machine
 * has no NTLM accounts set up (NTLM_USER_FILE unset), one is provisioned for the process
 * (wsim-local-account.h), so the default blanket works with nothing configured; that sets
 * an environment variable, so create the first harness before starting other threads.
 *
 * Returns: (transfer full) (nullable) the harness, or NULL with @error.
 */
WSIM_EXPORT
WsimHarness *wsim_harness_new (WsimHarnessSetup setup, gpointer data, GError **error);

/**
 * wsim_harness_new_full:
 * @setup: as for wsim_harness_new()
 * @data: as for wsim_harness_new()
 * @blanket: (nullable) how the harness's client authenticates; NULL for the process default
 * @error: return location for a #GError, or %NULL
 *
 * Like wsim_harness_new().
 *
 * Returns: as for wsim_harness_new().
 */
WSIM_EXPORT
WsimHarness *wsim_harness_new_full (WsimHarnessSetup setup, gpointer data,
                                    const WsimBlanket *blanket, GError **error);

/**
 * WsimHarnessOptions:
 * @setup: as for wsim_harness_new()
 * @data: as for wsim_harness_new()
 * @listen: (nullable) where the server listens ("tcp:10.0.0.1:0", "unix:PATH"); NULL for
 *   127.0.0.1 on a free port. The server's thread is started from the calling thread, so it
 *   lives in that thread's network namespace (a test's "host"), wherever the caller goes next.
 * @client: (nullable) how the harness's client connects (its blanket, callback address,
 *   call timeout); NULL for the defaults
 *
 * How wsim_harness_new_with_options() builds the harness.
 */
typedef struct {
  WsimHarnessSetup         setup;
  gpointer                 data;
  const char              *listen;
  const WsimClientOptions *client;
} WsimHarnessOptions;

/**
 * wsim_harness_new_with_options:
 * @options: a #WsimHarnessOptions
 * @error: return location for a #GError, or %NULL
 *
 * wsim_harness_new() with @options (nullable: the defaults).
 *
 * Returns: as for wsim_harness_new().
 */
WSIM_EXPORT
WsimHarness *wsim_harness_new_with_options (const WsimHarnessOptions *options, GError **error);

/**
 * wsim_harness_free:
 * @h: a #WsimHarness
 *
 * Stops the client, then the server, joins the thread. NULL is fine.
 */
WSIM_EXPORT
void wsim_harness_free (WsimHarness *h);

/**
 * wsim_harness_get_context:
 * @h: a #WsimHarness
 *
 * Returns the client's context (where sinks run).
 *
 * Returns: (transfer none) the client's context (where sinks run).
 */
WSIM_EXPORT
GMainContext *wsim_harness_get_context (WsimHarness *h);

/**
 * wsim_harness_get_client:
 * @h: a #WsimHarness
 *
 * Returns the client.
 *
 * Returns: (transfer none) the client.
 */
WSIM_EXPORT
WsimClient *wsim_harness_get_client (WsimHarness *h);

/**
 * wsim_harness_get_services:
 * @h: a #WsimHarness
 *
 * Returns root\cimv2.
 *
 * Returns: (transfer none) root\cimv2.
 */
WSIM_EXPORT
WsimServices *wsim_harness_get_services (WsimHarness *h);

/**
 * wsim_harness_get_trace:
 * @h: a #WsimHarness
 *
 * Returns the server's trace (readable from any thread).
 *
 * Returns: (transfer none) the server's trace (readable from any thread).
 */
WSIM_EXPORT
WsimTrace *wsim_harness_get_trace (WsimHarness *h);

/**
 * wsim_harness_get_address:
 * @h: a #WsimHarness
 *
 * Returns the server's address, "tcp:127.0.0.1:PORT" (or where WsimHarnessOptions.listen put
 * it).
 *
 * Returns: (transfer none) the server's address, "tcp:127.0.0.1:PORT" (or where
 *   WsimHarnessOptions.listen put it).
 */
WSIM_EXPORT
const char *wsim_harness_get_address (WsimHarness *h);

/**
 * wsim_harness_run_until:
 * @h: a #WsimHarness
 * @cond: the condition to wait for
 * @data: passed to @cond
 * @timeout_ms: how long to iterate at most, in milliseconds
 *
 * Iterates the client's context until @cond holds or @timeout_ms passes; returns whether it held.
 *
 * Returns: whether @cond held.
 */
WSIM_EXPORT
gboolean wsim_harness_run_until (WsimHarness *h, WsimHarnessCond cond, gpointer data,
                                 guint timeout_ms);

/**
 * wsim_harness_invoke:
 * @h: a #WsimHarness
 * @fn: the function to run
 * @data: passed to @fn
 *
 * Runs @fn on the server thread and waits for it.
 */
WSIM_EXPORT
void wsim_harness_invoke (WsimHarness *h, WsimHarnessFunc fn, gpointer data);

/**
 * wsim_harness_get_n_server_calls:
 * @h: a #WsimHarness
 *
 * Returns calls the server has not ended (read on the server thread).
 *
 * Returns: calls the server has not ended (read on the server thread).
 */
WSIM_EXPORT
guint wsim_harness_get_n_server_calls (WsimHarness *h);

/**
 * wsim_harness_shutdown_server:
 * @h: a #WsimHarness
 *
 * Starts shutting the server down (its open calls end with WBEM_E_SHUTTING_DOWN) and returns
 * at once: iterate the harness's context to receive the final SetStatus calls.
 */
WSIM_EXPORT
void wsim_harness_shutdown_server (WsimHarness *h);

G_END_DECLS
