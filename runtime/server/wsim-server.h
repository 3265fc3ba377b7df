/**
 * SECTION:wsim-server
 * @title: wsim-server.h
 * @short_description: the WMI server (the winmgmt analogue), embeddable on any GMainContext
 *
 * It serves the service program (wsim_service.x): OpenNamespace, the *Async methods and
 * CancelAsyncCall, over the project's RPC engine. Each accepted async call delivers its
 * results by calling the client's sink back (the sink program, wsim_sink.x) at the endpoint
 * the call named, in Indicate batches, and ends with exactly one final SetStatus, whatever
 * happens. See docs/architecture.md for the contract.
 *
 * Threading: a server belongs to the context it was created on; call it from the thread
 * that iterates that context. Its trace may be read from any thread.
 */
#pragma once

#include "wsim-export.h"

#include <gio/gio.h>

#include "wsim-authn-level.h"
#include "wsim-hresult.h"
#include "wsim-repository.h"
#include "wsim-trace.h"

G_BEGIN_DECLS

/**
 * WsimServer:
 *
 * The WMI server (wsim_server_new()).
 */
typedef struct _WsimServer WsimServer;

/**
 * WsimServerLimits:
 * @batch_bytes: an Indicate batch is sent once its rows reach about this size (64 KiB)
 * @batch_rows: … or this many rows (4096)
 * @max_indicates_in_flight: Indicate calls awaiting their reply, per call (4); beyond
 *   that a provider that keeps posting is told WSIM_PROV_BUSY
 * @callback_timeout_ms: how long a callback may take before the sink host counts as gone
 *   (30 s); an Indicate, whose answer a slow consumer may hold, has no timeout: after this
 *   long without a word the server asks the host a NULL, which must come in this time
 * @max_calls_per_client: async calls open at once for one client, a client being the
 *   principal it authenticated as (none for an unauthenticated one) on one peer (an IP
 *   address, or a Unix socket's uid): over it, the *Async request is answered with
 *   WBEM_E_SERVER_TOO_BUSY and its sink is never called (1024; the environment's
 *   WSIM_SERVER_MAX_CALLS_PER_CLIENT replaces the default when a server is created;
 *   0: no quota)
 *
 * Batching and flow control (wsim_server_set_limits()).
 */
typedef struct {
  gsize batch_bytes;
  guint batch_rows;
  guint max_indicates_in_flight;
  guint callback_timeout_ms;
  guint max_calls_per_client;
} WsimServerLimits;

/**
 * wsim_server_new:
 * @context: (nullable) the context to run on; NULL for the thread default
 * @repo: (transfer full) the namespaces, classes and providers to serve
 *
 * Returns the server (not listening yet).
 *
 * Returns: (transfer full) the server (not listening yet).
 */
WSIM_EXPORT
WsimServer *wsim_server_new (GMainContext *context, WsimRepository *repo);

/**
 * wsim_server_ref:
 * @server: a #WsimServer
 *
 * Returns @server, with one more reference.
 *
 * Returns: (transfer full) @server, with one more reference.
 */
WSIM_EXPORT
WsimServer *wsim_server_ref (WsimServer *server);

/**
 * wsim_server_unref:
 * @server: a #WsimServer
 *
 * The last reference shuts the server down (see wsim_server_shutdown()). NULL is fine.
 */
WSIM_EXPORT
void        wsim_server_unref (WsimServer *server);

/**
 * wsim_server_listen:
 * @server: a #WsimServer
 * @address: TCP (port 0 picks one) or Unix-domain address
 * @out_address: (out) (optional) (transfer full) the bound address
 * @error: return location for a #GError, or %NULL
 *
 * Starts taking connections on @address.
 *
 * Returns: FALSE with @error (a socket error) if it cannot listen there.
 */
WSIM_EXPORT
gboolean wsim_server_listen (WsimServer *server, GSocketAddress *address,
                             GSocketAddress **out_address, GError **error);

/**
 * WsimServerSecurity:
 * @default_level: the level a client asking RPC_C_AUTHN_LEVEL_DEFAULT negotiates to
 *   (PKT_INTEGRITY, what DCOM gives since its hardening); NONE and DEFAULT are raised to
 *   CONNECT: DEFAULT never negotiates to NONE
 * @min_level: requests below it are refused with WBEM_E_ACCESS_DENIED (NONE: no minimum)
 * @hardening: DCOM hardening (KB5004442): requests below PKT_INTEGRITY are refused with
 *   E_ACCESSDENIED, as a hardened Windows refuses the activation
 *
 * What the server asks of its callers.
 *
 * A namespace marked RequiresEncryption (wsim_repository_set_requires_encryption())
 * refuses its requests below PKT_PRIVACY with WBEM_E_ENCRYPTED_CONNECTION_REQUIRED.
 * The checks run in that order on every request but NULL and NEGOTIATE_SECURITY, and each
 * refusal is a WSIM_TRACE_REFUSED event naming the caller. The server accepts AUTH_NONE,
 * AUTH_SYS and RPCSEC_GSS (Kerberos from KRB5_KTNAME, NTLMSSP from NTLM_USER_FILE).
 */
typedef struct {
  WsimAuthnLevel default_level;
  WsimAuthnLevel min_level;
  gboolean       hardening;
} WsimServerSecurity;

/**
 * wsim_server_get_security:
 * @server: a #WsimServer
 * @out: (out caller-allocates) filled with the settings
 *
 * Copies the server's security settings into @out.
 */
WSIM_EXPORT
void wsim_server_get_security (WsimServer *server, WsimServerSecurity *out);

/**
 * wsim_server_set_security:
 * @server: a #WsimServer
 * @security: the settings (copied)
 * @error: return location for a #GError, or %NULL
 *
 * Returns FALSE with G_IO_ERROR_INVALID_ARGUMENT for a level that is not RPC_C_AUTHN_LEVEL_*.
 *
 * Returns: FALSE with G_IO_ERROR_INVALID_ARGUMENT for a level that is not RPC_C_AUTHN_LEVEL_*.
 */
WSIM_EXPORT
gboolean wsim_server_set_security (WsimServer *server, const WsimServerSecurity *security,
                                   GError **error);

/**
 * WsimCallbackPolicy:
 * @start: the level the first callback is tried at (PKT_PRIVACY, as WMI)
 * @floor: the lowest level tried (NONE, as WMI); a hardened server raises it
 * @local_none: Windows' rule: a sink host on this machine, for a caller on this machine
 *   (a Unix socket, or an address of one of this host's interfaces or loopback, as the
 *   server sees them), is called at NONE at once unless the call came by Kerberos (TRUE)
 *
 * The fallback ladder a call's callbacks go down (docs/security.md).
 *
 * A namespace that requires encryption is always called back at PKT_PRIVACY, whatever the
 * policy; when its sink host refuses that, the call ends.
 */
typedef struct {
  WsimAuthnLevel start;
  WsimAuthnLevel floor;
  gboolean       local_none;
} WsimCallbackPolicy;

/**
 * wsim_server_get_callback_policy:
 * @server: a #WsimServer
 * @out: (out caller-allocates) filled with the settings
 *
 * Copies the server's ladder policy into @out.
 */
WSIM_EXPORT
void wsim_server_get_callback_policy (WsimServer *server, WsimCallbackPolicy *out);

/**
 * wsim_server_set_callback_policy:
 * @server: a #WsimServer
 * @policy: the policy (copied)
 * @error: return location for a #GError, or %NULL
 *
 * Applies to calls accepted from now on.
 *
 * Returns: FALSE with G_IO_ERROR_INVALID_ARGUMENT
 *   unless NONE <= @floor <= @start <= PKT_PRIVACY.
 */
WSIM_EXPORT
gboolean wsim_server_set_callback_policy (WsimServer *server, const WsimCallbackPolicy *policy,
                                          GError **error);

/**
 * wsim_server_set_callback_identity:
 * @server: a #WsimServer
 * @user: (nullable) the NTLMSSP account the server calls back as ("WSIM\\wbem"); NULL for
 *   the default credentials (NTLM_USER_FILE's). With Kerberos the server calls back as the
 *   principal the caller authenticated to
 * @keytab: (nullable) where that principal's key is; NULL for KRB5_KTNAME
 *
 * Sets whom the server authenticates as when it calls a client's sink back.
 */
WSIM_EXPORT
void wsim_server_set_callback_identity (WsimServer *server, const char *user, const char *keytab);

/**
 * wsim_server_get_n_security_contexts:
 * @server: a #WsimServer
 *
 * Returns the RPCSEC_GSS contexts the server keeps now (call on the server's thread).
 *
 * Returns: the RPCSEC_GSS contexts the server keeps now (call on the server's thread).
 */
WSIM_EXPORT
guint wsim_server_get_n_security_contexts (WsimServer *server);

/**
 * wsim_server_forget_security_contexts:
 * @server: a #WsimServer
 *
 * Forgets every RPCSEC_GSS context (what a server does after its keys changed): each
 * client's next request is refused with RPCSEC_GSS_CREDPROBLEM before it runs, and the
 * client library establishes a new context and makes it again. Server's thread only.
 */
WSIM_EXPORT
void wsim_server_forget_security_contexts (WsimServer *server);

/**
 * wsim_server_get_limits:
 * @server: a #WsimServer
 * @out: (out caller-allocates) filled with the settings
 *
 * Batching and flow control (see WsimServerLimits).
 */
WSIM_EXPORT
void wsim_server_get_limits (WsimServer *server, WsimServerLimits *out);

/**
 * wsim_server_set_limits:
 * @server: a #WsimServer
 * @limits: the limits (copied)
 *
 * Replaces @server's limits with *@limits (see WsimServerLimits: both counts at least 1,
 * batch_rows at most WSIM_MAX_ROWS).
 */
WSIM_EXPORT
void wsim_server_set_limits (WsimServer *server, const WsimServerLimits *limits);

/**
 * wsim_server_get_repository:
 * @server: a #WsimServer
 *
 * Returns the repository.
 *
 * Returns: (transfer none) the repository.
 */
WSIM_EXPORT
WsimRepository *wsim_server_get_repository (WsimServer *server);

/**
 * wsim_server_get_trace:
 * @server: a #WsimServer
 *
 * Returns the trace of every call.
 *
 * Returns: (transfer none) the trace of every call.
 */
WSIM_EXPORT
WsimTrace *wsim_server_get_trace (WsimServer *server);

/**
 * wsim_server_get_n_calls:
 * @server: a #WsimServer
 *
 * Returns async calls accepted and not yet ended (for leak checks).
 *
 * Returns: async calls accepted and not yet ended (for leak checks).
 */
WSIM_EXPORT
guint wsim_server_get_n_calls (WsimServer *server);

/**
 * wsim_server_get_n_sinks:
 * @server: a #WsimServer
 *
 * Returns sinks the server holds (calls not ended, by distinct sink).
 *
 * Returns: sinks the server holds (calls not ended, by distinct sink).
 */
WSIM_EXPORT
guint wsim_server_get_n_sinks (WsimServer *server);

/**
 * wsim_server_shutdown:
 * @server: a #WsimServer
 *
 * Ends every open call with a final SetStatus(WBEM_E_SHUTTING_DOWN), sent before the
 * connections close; stops listening. Idempotent.
 */
WSIM_EXPORT
void wsim_server_shutdown (WsimServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimServer, wsim_server_unref)

G_END_DECLS
