/* wsim-unsecapp.h: the unsecured apartment (IWbemUnsecuredApartment): sink stubs hosted by
 * a separate helper process, wmisim-unsecapp, as Windows hosts them in Unsecapp.exe.
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
 * and principal). When the server's last rung is refused, the client asks the server on
 * its own connection how the call ended; only if the server confirms that no level was
 * taken does the sink get its final SetStatus(WBEM_E_ACCESS_DENIED), delivered here
 * (WSIM_TRACE_STUB_FINAL). A forged "last rung" therefore ends nothing.
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

#include <gio/gio.h>

#include "wsim-authn-level.h"
#include "wsim-sink.h"
#include "wsim-trace.h"

G_BEGIN_DECLS

/** WBEM_UNSECAPP_FLAG_TYPE, with Microsoft's values. */
typedef enum {
  WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS = 0,
  WBEM_FLAG_UNSECAPP_CHECK_ACCESS = 1,
  WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS = 2,
} WsimUnsecAppFlag;

typedef struct _WsimUnsecApp WsimUnsecApp;

/**
 * WsimUnsecAppOptions:
 * @listen: (nullable) where the helper listens for the server: "tcp:HOST:PORT"; NULL for
 *   127.0.0.1 on a free port ("tcp:127.0.0.2:0" puts it on what the server treats as
 *   another host)
 * @max_level: the helper refuses callbacks above it (wsim_sink_host_set_max_level());
 *   0 (DEFAULT) for none
 * @registry: (nullable) the registry file (wsim-registry.h); NULL for the default
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
 * Starts the helper (found as $WSIM_UNSECAPP, else installed, else in the build tree) and
 * waits, bounded, until it is ready.
 * Returns: (transfer full) (nullable) the apartment, or NULL with @error (the helper could
 *   not start or did not answer).
 */
WsimUnsecApp *wsim_unsecapp_new (GMainContext *context, const WsimUnsecAppOptions *options,
                                 GError **error);
WsimUnsecApp *wsim_unsecapp_ref (WsimUnsecApp *app);
/** Drops a reference; the last one stops the helper (by closing its stdin, then by its pid). */
void          wsim_unsecapp_unref (WsimUnsecApp *app);

/**
 * wsim_unsecapp_create_sink_stub:
 * IWbemUnsecuredApartment::CreateSinkStub. @flags: a WsimUnsecAppFlag.
 * Returns: (transfer full) (nullable) the stub (a WsimSink to pass to *Async calls and
 *   CancelAsyncCall); it holds @sink. NULL with G_IO_ERROR_INVALID_ARGUMENT for other
 *   flags, or an error from the helper.
 */
WsimSink *wsim_unsecapp_create_sink_stub (WsimUnsecApp *app, WsimSink *sink, gint32 flags,
                                          GError **error);

/** IUnsecuredApartment::CreateObjectStub: a stub that never checks access. */
WsimSink *wsim_unsecapp_create_object_stub (WsimUnsecApp *app, WsimSink *sink, GError **error);

/** Returns: (transfer none) the stubs' trace: what they took and refused, and local finals. */
WsimTrace *wsim_unsecapp_get_trace (WsimUnsecApp *app);

/** Returns: the helper's process id. */
GPid wsim_unsecapp_get_pid (WsimUnsecApp *app);

/** Returns: (transfer none) where the server calls the stubs ("tcp:127.0.0.1:PORT"). */
const char *wsim_unsecapp_get_endpoint (WsimUnsecApp *app);

/** Returns: the stubs alive now. */
guint wsim_unsecapp_get_n_stubs (WsimUnsecApp *app);

/**
 * wsim_unsecapp_leak_report:
 * Call it once your calls are over. Returns: (transfer full) (nullable) one line per stub
 *   still alive with no call open (each holds its sink: a circular reference if the sink
 *   holds the stub), or NULL when there is none.
 */
char *wsim_unsecapp_leak_report (WsimUnsecApp *app);

/* ---- for the client library (wsim-client.c) ------------------------------------- */

/**
 * WsimStubVerifyFunc:
 * Asks the server, on the client's own connection, whether call @call_id ended because no
 * callback level was taken. Returns: TRUE with *@hr and *@message (transfer full) if so.
 */
typedef gboolean (*WsimStubVerifyFunc) (guint64 call_id, WsimHResult *hr, char **message,
                                        gpointer user_data);

/** Returns: TRUE if @sink is a stub of an unsecured apartment. */
gboolean wsim_sink_is_stub (WsimSink *sink);

/**
 * wsim_unsecapp_stub_begin_call:
 * Before an *Async call with @stub: the stub takes callbacks for @call_id (checked against
 * @principal and @mech if it checks access). @verify (with @data, freed by @destroy when
 * the call is forgotten) is how the stub's client learns that the server gave up.
 * Returns: FALSE with @error if the helper is gone; else *@endpoint (transfer none) and
 *   *@stub_id name the stub for the request.
 */
gboolean wsim_unsecapp_stub_begin_call (WsimSink *stub, guint64 call_id, const char *principal,
                                        const char *mech, WsimStubVerifyFunc verify,
                                        gpointer data, GDestroyNotify destroy,
                                        const char **endpoint, guint64 *stub_id, GError **error);

/** Forgets @call_id (its request was refused). */
void wsim_unsecapp_stub_end_call (WsimSink *stub, guint64 call_id);

/** Names @stub for CancelAsyncCall. */
void wsim_unsecapp_stub_locate (WsimSink *stub, const char **endpoint, guint64 *stub_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimUnsecApp, wsim_unsecapp_unref)

G_END_DECLS
