/**
 * SECTION:wsim-sink-host
 * @title: wsim-sink-host.h
 * @short_description: the client's endpoint for callbacks: serves the sink program (Indicate,
 *   SetStatus) and hands what arrives to the right WsimSink
 *
 * The client tells the host about each async call before making it (begin_call); the host
 * then accepts callbacks for that sink and call only. Classes arrive once per call and
 * instances as rows, which the host turns back into WsimObjects. When a call's final
 * SetStatus has been delivered the host forgets the call, and when a sink has no call left
 * it drops its reference on the sink. Callbacks for sinks or calls it does not know
 * (finished calls, forged ids) are refused with WBEM_E_ACCESS_DENIED and counted.
 *
 * Security: the host takes callbacks at any level, RPCSEC_GSS included (Kerberos keys from
 * KRB5_KTNAME, NTLMSSP from NTLM_USER_FILE), and answers the server's QUERY (the first
 * callback of a call, where the server's fallback ladder learns whether a level is taken).
 * A call begun with an access check (WsimSinkAccess) takes callbacks only from the account
 * its request authenticated to, at CONNECT or above; the unsecured apartment's stubs
 * (wsim-unsecapp.h) use that. wsim_sink_host_set_max_level() makes a host refuse levels
 * above one, as a host that cannot do them would. Forwards (the unsecured apartment's helper)
 * are declared in wsim-sink-host-forward.h, which is private.
 *
 * Threading: the context given at creation; the sinks' ops run there.
 */
#pragma once

#include "wsim-export.h"

#include <gio/gio.h>

#include "wsim-authn-level.h"
#include "wsim-sink.h"

G_BEGIN_DECLS

/**
 * WsimSinkHost:
 *
 * The client's endpoint for callbacks.
 */
typedef struct _WsimSinkHost WsimSinkHost;

/**
 * wsim_sink_host_new:
 * @context: (nullable) where callbacks are served and sinks called; NULL for the thread default
 * @address: (nullable) where to listen; NULL for 127.0.0.1 on a free port
 * @error: return location for a #GError, or %NULL
 *
 * Returns the host, listening.
 *
 * Returns: (transfer full) (nullable) the host, listening.
 */
WSIM_EXPORT
WsimSinkHost *wsim_sink_host_new (GMainContext *context, GSocketAddress *address, GError **error);

/**
 * wsim_sink_host_ref:
 * @host: a #WsimSinkHost
 *
 * Returns @host, with one more reference.
 *
 * Returns: (transfer full) @host, with one more reference.
 */
WSIM_EXPORT
WsimSinkHost *wsim_sink_host_ref (WsimSinkHost *host);

/**
 * wsim_sink_host_unref:
 * @host: a #WsimSinkHost
 *
 * Drops one reference to @host; the last frees it. NULL is fine.
 */
WSIM_EXPORT
void          wsim_sink_host_unref (WsimSinkHost *host);

/**
 * wsim_sink_host_get_endpoint:
 * @host: a #WsimSinkHost
 *
 * Returns the endpoint string the server calls back ("tcp:127.0.0.1:PORT"): the address the
 * host was created listening on, as bound.
 *
 * Returns: (transfer none) the endpoint string the server calls back ("tcp:127.0.0.1:PORT"):
 *   the address the host was created listening on, as bound.
 */
WSIM_EXPORT
const char *wsim_sink_host_get_endpoint (WsimSinkHost *host);

/**
 * wsim_sink_host_get_context:
 * @host: a #WsimSinkHost
 *
 * Returns the context the host serves on (where its sinks run).
 *
 * Returns: (transfer none) the context the host serves on (where its sinks run).
 */
WSIM_EXPORT
GMainContext *wsim_sink_host_get_context (WsimSinkHost *host);

/**
 * wsim_sink_host_add_listener:
 * @host: a #WsimSinkHost
 * @address: the address to listen on
 * @endpoint: (out) (optional) (transfer full) the bound address as an endpoint string
 * @error: return location for a #GError, or %NULL
 *
 * Listens on @address too (a helper that serves stubs for clients reaching servers through
 * different local addresses).
 *
 * Returns: FALSE with @error; else TRUE with *@endpoint
 *   (optional, transfer full) the bound address as an endpoint string.
 */
WSIM_EXPORT
gboolean wsim_sink_host_add_listener (WsimSinkHost *host, GSocketAddress *address, char **endpoint,
                                      GError **error);

/**
 * WsimSinkAccess:
 * @check: FALSE: any caller that names the open call is taken (WMI's default, and the
 *   documented risk); TRUE: only @principal, authenticated (CONNECT or above) by @mech
 * @principal: (nullable) the account the client's call authenticated to: a Kerberos
 *   principal ("wbem/localhost@WSIM.TEST"; the host-based form "wbem@localhost" matches it
 *   in any realm) or an NTLM account ("WSIM\\alice"); compared without regard to case.
 *   NULL: nobody passes the check
 * @mech: (nullable) the mechanism that must have authenticated it ("kerberos", "ntlm");
 *   NULL for any
 *
 * Who may call a call's callbacks (the sink stub's access check).
 */
typedef struct {
  gboolean    check;
  const char *principal;
  const char *mech;
} WsimSinkAccess;

/**
 * wsim_sink_host_begin_call:
 * @host: a #WsimSinkHost
 * @sink: the sink
 * @call_id: the call's id
 *
 * Expects callbacks for call @call_id to @sink, from any caller; the host takes a reference
 * on @sink.
 *
 * Returns: the sink's id in this host (the same for every call made with the same
 *   sink while it has calls open).
 */
WSIM_EXPORT
guint64 wsim_sink_host_begin_call (WsimSinkHost *host, WsimSink *sink, guint64 call_id);

/**
 * wsim_sink_host_begin_call_full:
 * @host: a #WsimSinkHost
 * @sink: the sink
 * @call_id: the call's id
 * @access: (nullable) who may call back (copied); NULL: anyone, as wsim_sink_host_begin_call()
 *
 * Returns as wsim_sink_host_begin_call().
 *
 * Returns: as wsim_sink_host_begin_call().
 */
WSIM_EXPORT
guint64 wsim_sink_host_begin_call_full (WsimSinkHost *host, WsimSink *sink, guint64 call_id,
                                        const WsimSinkAccess *access);

/**
 * wsim_sink_host_end_call:
 * @host: a #WsimSinkHost
 * @sink_id: the sink's id in this host (wsim_sink_host_begin_call())
 * @call_id: the call's id
 * @hr: the final status
 * @message: (nullable) the final strParam
 *
 * Ends call @call_id of sink @sink_id on this side: the sink gets its final
 * SetStatus(@hr, @message as strParam) now, as if the server had sent it, and later
 * callbacks for the call are refused. For a call the server ended without being able to
 * call back (its client learnt it on its own connection).
 *
 * Returns: FALSE if no such call
 *   is open.
 */
WSIM_EXPORT
gboolean wsim_sink_host_end_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id,
                                  WsimHResult hr, const char *message);

/**
 * wsim_sink_host_set_max_level:
 * @host: a #WsimSinkHost
 * @level: the highest level taken
 *
 * Refuses callbacks (QUERY included) that come above @level with E_ACCESSDENIED, as a host
 * that cannot do higher levels would; RPC_C_AUTHN_LEVEL_PKT_PRIVACY (the default) refuses none.
 */
WSIM_EXPORT
void wsim_sink_host_set_max_level (WsimSinkHost *host, WsimAuthnLevel level);

/**
 * WsimSinkHostEvent:
 * @accepted: TRUE if taken
 * @hr: what the host answered
 * @detail: which callback and why it was taken or refused
 * @n: instances, for an Indicate
 * @last_rung: a QUERY the server said it would not go below
 * @sink_id: the sink's id in the host
 * @call_id: the call's id
 * @level: who called, as the wire says: the level
 * @mech: (nullable) the mechanism; NULL when unauthenticated
 * @principal: (nullable) the principal; NULL when unauthenticated
 *
 * A callback the host took or refused.
 */
typedef struct {
  gboolean     accepted;
  guint64      sink_id;
  guint64      call_id;
  WsimHResult  hr;
  guint32      level;
  const char  *mech;
  const char  *principal;
  const char  *detail;
  guint64      n;
  gboolean     last_rung;
} WsimSinkHostEvent;

/**
 * WsimSinkHostEventFunc:
 * @host: the sink host
 * @event: (transfer none) the callback
 * @user_data: wsim_sink_host_set_event_func()'s data
 *
 * Told of each callback a sink host takes or refuses.
 */
typedef void (*WsimSinkHostEventFunc) (WsimSinkHost *host, const WsimSinkHostEvent *event,
                                       gpointer user_data);

/**
 * wsim_sink_host_set_event_func:
 * @host: a #WsimSinkHost
 * @func: (nullable) the function; NULL to stop
 * @user_data: passed to @func
 * @destroy: (nullable) frees @user_data
 *
 * Calls @func (on the host's context) for every callback the host takes or refuses; NULL
 * to stop. @destroy frees @user_data when replaced or when the host goes.
 */
WSIM_EXPORT
void wsim_sink_host_set_event_func (WsimSinkHost *host, WsimSinkHostEventFunc func,
                                    gpointer user_data, GDestroyNotify destroy);

/**
 * wsim_sink_host_abandon_call:
 * @host: a #WsimSinkHost
 * @sink_id: the sink's id in this host (wsim_sink_host_begin_call())
 * @call_id: the call's id
 *
 * Forgets a call whose *Async request was refused (its sink is never called).
 */
WSIM_EXPORT
void wsim_sink_host_abandon_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id);

/**
 * wsim_sink_host_lookup:
 * @host: a #WsimSinkHost
 * @sink: the sink
 * @sink_id: (out) the sink's id in this host
 *
 * Returns TRUE with *@sink_id set if @sink has calls open in this host.
 *
 * Returns: TRUE with *@sink_id set if @sink has calls open in this host.
 */
WSIM_EXPORT
gboolean wsim_sink_host_lookup (WsimSinkHost *host, WsimSink *sink, guint64 *sink_id);

/**
 * wsim_sink_host_has_call:
 * @host: a #WsimSinkHost
 * @sink_id: the sink's id in this host (wsim_sink_host_begin_call())
 * @call_id: the call's id
 *
 * Returns TRUE if call @call_id of sink @sink_id is open (its final SetStatus has not come).
 *
 * Returns: TRUE if call @call_id of sink @sink_id is open (its final SetStatus has not come).
 */
WSIM_EXPORT
gboolean wsim_sink_host_has_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id);

/**
 * wsim_sink_host_get_n_sinks:
 * @host: a #WsimSinkHost
 *
 * Returns sinks the host still holds (each has a call whose final SetStatus has not come).
 *
 * Returns: sinks the host still holds (each has a call whose final SetStatus has not come).
 */
WSIM_EXPORT
guint wsim_sink_host_get_n_sinks (WsimSinkHost *host);

/**
 * wsim_sink_host_get_n_calls:
 * @host: a #WsimSinkHost
 *
 * Returns calls open (begun and not finished).
 *
 * Returns: calls open (begun and not finished).
 */
WSIM_EXPORT
guint wsim_sink_host_get_n_calls (WsimSinkHost *host);

/**
 * wsim_sink_host_get_n_refused:
 * @host: a #WsimSinkHost
 *
 * Returns callbacks refused: naming no open call, failing a call's access check, or above the
 * host's maximum level.
 *
 * Returns: callbacks refused: naming no open call, failing a call's access check, or above
 *   the host's maximum level.
 */
WSIM_EXPORT
guint64 wsim_sink_host_get_n_refused (WsimSinkHost *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimSinkHost, wsim_sink_host_unref)

G_END_DECLS
