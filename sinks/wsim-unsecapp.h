/**
 * SECTION:wsim-unsecapp
 * @title: wsim-unsecapp.h
 * @short_description: the unsecured apartment (IWbemUnsecuredApartment): sink stubs hosted by a
 *   separate helper process, wmisim-unsecapp, as Windows hosts them in Unsecapp.exe
 *
 * A stub made with wsim_unsecapp_create_sink_stub() stands for your sink in *Async calls:
 * the server calls the stub back (at whatever level its fallback ladder reached), and the
 * stub forwards what it takes to your sink over a private local channel (Unix sockets in a
 * directory only your user can enter). A stub that checks access takes a callback only
 * from the account the call authenticated to (the server's principal), at CONNECT or above,
 * and only for calls it made that are still open; one that does not check takes anything
 * that names an open call — the documented risk. Whether it checks comes from the flags, or
 * for WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS from the registry value
 * HKLM\Software\Microsoft\WBEM\CIMOM\UnsecAppAccessControlDefault, read when the stub is made.
 *
 * Every callback the stub takes or refuses is an event in the apartment's trace
 * (wsim_unsecapp_get_trace(): WSIM_TRACE_STUB_ACCEPTED / _REFUSED, with the caller's level
 * and principal). A call the server ended without reaching the stub (every level refused),
 * or whose server went away, is ended by the stub's client, which watches its calls and
 * asks the server on a connection of its own (wsim-client.h): only the server's answer, or
 * its absence, ends a call, and the sink's final SetStatus is delivered here on the
 * trusted local path (WSIM_TRACE_STUB_FINAL). A forged callback therefore ends nothing.
 *
 * Lifetime, as the seed describes: the stub owns your sink from the moment it is made (drop
 * your reference); pass the stub to the *Async call and to CancelAsyncCall (your sink
 * itself names no call); release the stub when you will not cancel any more — inside the
 * final SetStatus is the good place. A stub still held after its calls are over keeps your
 * sink alive, and if your sink holds the stub that is a cycle nothing breaks:
 * wsim_unsecapp_leak_report() names such stubs.
 *
 * The helper exits when its client goes away (its stdin closes).
 *
 * Threading: the context given at creation; your sinks run there.
 */
#pragma once

#include "wsim-export.h"

#include <gio/gio.h>

#include "wsim-authn-level.h"
#include "wsim-sink-host.h"
#include "wsim-sink.h"
#include "wsim-trace.h"

G_BEGIN_DECLS

/**
 * WsimUnsecAppFlag:
 * @WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS: check callers as the registry says
 * @WBEM_FLAG_UNSECAPP_CHECK_ACCESS: take callbacks only from the call's server
 * @WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS: take callbacks from anyone
 *
 * WBEM_UNSECAPP_FLAG_TYPE, with Microsoft's values.
 */
typedef enum {
  WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS = 0,
  WBEM_FLAG_UNSECAPP_CHECK_ACCESS = 1,
  WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS = 2,
} WsimUnsecAppFlag;

/**
 * WsimUnsecApp:
 *
 * An unsecured apartment: the wmisim-unsecapp helper and its stubs.
 */
typedef struct _WsimUnsecApp WsimUnsecApp;

/**
 * WsimUnsecAppOptions:
 * @listen: (nullable) the one address where the helper listens for servers: "tcp:HOST:PORT"
 *   ("tcp:0.0.0.0:0" for every interface); NULL: 127.0.0.1 on a free port first, then, for
 *   each call, the local address through which the call's client reached its server
 * @max_level: the helper refuses callbacks above it (wsim_sink_host_set_max_level());
 *   0 (DEFAULT) for none
 * @registry: (nullable) the registry file (wsim-registry.h); NULL for the default
 *
 * How wsim_unsecapp_new() starts the helper.
 */
typedef struct {
  const char    *listen;
  WsimAuthnLevel max_level;
  const char    *registry;
} WsimUnsecAppOptions;

/**
 * wsim_unsecapp_new:
 * @context: (nullable) where your sinks are called; NULL for the thread default
 * @options: (nullable) NULL for the defaults
 * @error: return location for a #GError, or %NULL
 *
 * Starts the helper (found as $WSIM_UNSECAPP, else installed, else in the build tree) and
 * waits, bounded, until it is ready.
 *
 * Returns: (transfer full) (nullable) the apartment, or NULL with @error (the helper could
 *   not start or did not answer).
 */
WSIM_EXPORT
WsimUnsecApp *wsim_unsecapp_new (GMainContext *context, const WsimUnsecAppOptions *options,
                                 GError **error);

/**
 * wsim_unsecapp_ref:
 * @app: a #WsimUnsecApp
 *
 * Returns @app, with one more reference.
 *
 * Returns: (transfer full) @app, with one more reference.
 */
WSIM_EXPORT
WsimUnsecApp *wsim_unsecapp_ref (WsimUnsecApp *app);

/**
 * wsim_unsecapp_unref:
 * @app: a #WsimUnsecApp
 *
 * Drops a reference; the last one stops the helper (by closing its stdin, then by its pid).
 */
WSIM_EXPORT
void          wsim_unsecapp_unref (WsimUnsecApp *app);

/**
 * wsim_unsecapp_create_sink_stub:
 * @app: a #WsimUnsecApp
 * @sink: your sink, which the stub holds a reference to
 * @flags: a WsimUnsecAppFlag
 * @error: return location for a #GError, or %NULL
 *
 * IWbemUnsecuredApartment::CreateSinkStub. @flags: a WsimUnsecAppFlag.
 *
 * Returns: (transfer full) (nullable) the stub (a WsimSink to pass to *Async calls and
 *   CancelAsyncCall); it holds @sink. NULL with G_IO_ERROR_INVALID_ARGUMENT for other
 *   flags, or an error from the helper.
 */
WSIM_EXPORT
WsimSink *wsim_unsecapp_create_sink_stub (WsimUnsecApp *app, WsimSink *sink, gint32 flags,
                                          GError **error);

/**
 * wsim_unsecapp_create_object_stub:
 * @app: a #WsimUnsecApp
 * @sink: your sink, which the stub holds a reference to
 * @error: return location for a #GError, or %NULL
 *
 * IUnsecuredApartment::CreateObjectStub: a stub that never checks access.
 *
 * Returns: as for wsim_unsecapp_create_sink_stub().
 */
WSIM_EXPORT
WsimSink *wsim_unsecapp_create_object_stub (WsimUnsecApp *app, WsimSink *sink, GError **error);

/**
 * wsim_unsecapp_get_trace:
 * @app: a #WsimUnsecApp
 *
 * Returns the stubs' trace: what they took and refused, and local finals.
 *
 * Returns: (transfer none) the stubs' trace: what they took and refused, and local finals.
 */
WSIM_EXPORT
WsimTrace *wsim_unsecapp_get_trace (WsimUnsecApp *app);

/**
 * wsim_unsecapp_get_pid:
 * @app: a #WsimUnsecApp
 *
 * Returns the helper's process id.
 *
 * Returns: the helper's process id.
 */
WSIM_EXPORT
GPid wsim_unsecapp_get_pid (WsimUnsecApp *app);

/**
 * wsim_unsecapp_get_endpoint:
 * @app: a #WsimUnsecApp
 *
 * Returns the helper's first endpoint ("tcp:127.0.0.1:PORT", or WsimUnsecAppOptions.listen's);
 * a call through another local address names another (wsim_unsecapp_stub_locate()).
 *
 * Returns: (transfer none) the helper's first endpoint ("tcp:127.0.0.1:PORT", or
 *   WsimUnsecAppOptions.listen's); a call through another local address names another
 *   (wsim_unsecapp_stub_locate()).
 */
WSIM_EXPORT
const char *wsim_unsecapp_get_endpoint (WsimUnsecApp *app);

/**
 * wsim_unsecapp_get_n_stubs:
 * @app: a #WsimUnsecApp
 *
 * Returns the stubs alive now.
 *
 * Returns: the stubs alive now.
 */
WSIM_EXPORT
guint wsim_unsecapp_get_n_stubs (WsimUnsecApp *app);

/**
 * wsim_unsecapp_leak_report:
 * @app: a #WsimUnsecApp
 *
 * Call it once your calls are over.
 *
 * Returns: (transfer full) (nullable) one line per stub
 *   still alive with no call open (each holds its sink: a circular reference if the sink
 *   holds the stub), or NULL when there is none.
 */
WSIM_EXPORT
char *wsim_unsecapp_leak_report (WsimUnsecApp *app);

/* ---- for the client library (wsim-client.c) ------------------------------------- */

/**
 * wsim_sink_is_stub:
 * @sink: a #WsimSink
 *
 * Returns TRUE if @sink is a stub of an unsecured apartment.
 *
 * Returns: TRUE if @sink is a stub of an unsecured apartment.
 */
WSIM_EXPORT
gboolean wsim_sink_is_stub (WsimSink *sink);

/**
 * wsim_unsecapp_stub_get_apartment:
 * @stub: a #WsimSink
 *
 * Returns the apartment @stub belongs to.
 *
 * Returns: (transfer none) the apartment @stub belongs to.
 */
WSIM_EXPORT
WsimUnsecApp *wsim_unsecapp_stub_get_apartment (WsimSink *stub);

/**
 * WsimStubCall:
 * @endpoint: (transfer none) where the server calls the stub (for the request)
 * @stub_id: the stub's id there (the request's sink id)
 * @host: (transfer none) the apartment's sink host, where the stub's callbacks reach your sink
 * @local_sink_id: your sink's id in @host
 *
 * Where a call made with a stub is found.
 */
typedef struct {
  const char   *endpoint;
  guint64       stub_id;
  WsimSinkHost *host;
  guint64       local_sink_id;
} WsimStubCall;

/**
 * wsim_unsecapp_stub_begin_call:
 * @stub: a #WsimSink
 * @call_id: the call's id
 * @principal: (nullable) the principal callbacks are expected from
 * @mech: (nullable) the mechanism callbacks are expected with
 * @near: (nullable) the client's local address of its connection to the server
 * @out: (out caller-allocates) where to call the stub back
 * @error: return location for a #GError, or %NULL
 *
 * Before an *Async call with @stub: the stub takes callbacks for @call_id (checked against
 * @principal and @mech if it checks access), on the helper's listener for servers reached
 * through @near (the client's local address of its connection to the server: the helper is
 * asked to listen there if it does not yet; NULL for the first listener; an apartment made
 * with WsimUnsecAppOptions.listen always uses that one).
 *
 * Returns: FALSE with @error if the helper is gone or cannot listen there; else TRUE with
 *   @out filled.
 */
WSIM_EXPORT
gboolean wsim_unsecapp_stub_begin_call (WsimSink *stub, guint64 call_id, const char *principal,
                                        const char *mech, GSocketAddress *near, WsimStubCall *out,
                                        GError **error);

/**
 * wsim_unsecapp_stub_end_call:
 * @stub: a #WsimSink
 * @call_id: the call's id
 *
 * Forgets @call_id (its request was refused).
 */
WSIM_EXPORT
void wsim_unsecapp_stub_end_call (WsimSink *stub, guint64 call_id);

/**
 * wsim_unsecapp_end_call_locally:
 * @app: a #WsimUnsecApp
 * @stub_id: the stub the call was made with
 * @local_sink_id: your sink's id in the apartment's host
 * @call_id: the call's id
 * @hr: the final status
 * @why: (nullable) the final strParam: why the call ended
 *
 * Ends call @call_id (made with stub @stub_id, your sink @local_sink_id in the apartment's
 * host) on the client's side: your sink gets its final SetStatus(@hr, @why) through the
 * trusted local path, traced as WSIM_TRACE_STUB_FINAL, and the helper takes nothing more for
 * it. For a call the client learnt the server ended without reaching the stub, or can no
 * longer ask about.
 *
 * Returns: FALSE if the call was not open.
 */
WSIM_EXPORT
gboolean wsim_unsecapp_end_call_locally (WsimUnsecApp *app, guint64 stub_id, guint64 local_sink_id,
                                         guint64 call_id, WsimHResult hr, const char *why);

/**
 * wsim_unsecapp_stub_locate:
 * @stub: a #WsimSink
 * @near: (nullable) the local address through which the asker reaches its server (a stub may
 *   serve calls of clients of several servers); NULL: where the stub's last call named it
 * @endpoint: (out) (transfer none) the stub's endpoint
 * @stub_id: (out) the stub's id
 *
 * Names @stub as a request to that server names it (CancelAsyncCall): *@endpoint (transfer
 * none) and *@stub_id.
 */
WSIM_EXPORT
void wsim_unsecapp_stub_locate (WsimSink *stub, GSocketAddress *near, const char **endpoint,
                                guint64 *stub_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimUnsecApp, wsim_unsecapp_unref)

G_END_DECLS
