/* wsim-auth-gss.h: RPCSEC_GSS (RFC 2203), the flavor that carries GSS-API security in ONC RPC.
 *
 * Client side: wsim_auth_gss_establish_async() runs the INIT / CONTINUE_INIT exchange with
 * the server on the client's context without blocking it (wsim_auth_gss_establish() waits
 * for the same exchange), checks the server's MIC over the sequence window, and hands over a
 * WsimAuth for wsim_rpc_client_set_auth(). Every call then carries a
 * sequence number and a MIC over its header; arguments and results travel as they are
 * (service none), with a MIC (integrity) or wrapped (privacy), and the reply verifier is
 * checked. wsim_auth_gss_destroy() ends the context on the server (RPCSEC_GSS_DESTROY) when
 * the caller is done with it; a context that is never destroyed goes with its connection.
 *
 * Server side: wsim_svc_auth_gss() accepts contexts of any mechanism the machine has
 * (Kerberos from the keytab, NTLMSSP from the credentials file), keeps them per connection
 * (freed with it), checks each call's header MIC and sequence window (128; a replay or a
 * number too old is dropped silently, one at or over 0x80000000 is refused with
 * RPCSEC_GSS_CTXPROBLEM), and names the caller by its GSS principal.
 */
#pragma once

#include "wsim-auth-client.h"
#include "wsim-rpc-server.h"
#include "wsim-gss.h"
#include "wsim-rpc-client.h"

G_BEGIN_DECLS

/** The flavor number of RPCSEC_GSS. */
#define WSIM_RPCSEC_GSS 6

/** WsimGssService: RFC 2203's services, with its values. */
typedef enum {
  WSIM_GSS_SVC_NONE = 1,
  WSIM_GSS_SVC_INTEGRITY = 2,
  WSIM_GSS_SVC_PRIVACY = 3,
} WsimGssService;

/** The sequence window the server grants. */
#define WSIM_GSS_SEQ_WINDOW 128

/* What one connection may keep on the server: contexts still being built (an INIT answered
 * CONTINUE_NEEDED, its next leg not yet in), and contexts in all. An INIT beyond either is
 * refused as a failed exchange (RFC 2203 5.2.3.1: gr_major GSS_S_FAILURE, no handle) and the
 * connection's contexts are kept; a real client builds one context at a time. Across the
 * server the bound is these times the engine's max_connections (a connection whose contexts
 * are all half built proved nothing, so the connection policy may close it). */
#define WSIM_GSS_MAX_HALF_OPEN 4
#define WSIM_GSS_MAX_CONTEXTS 16

/**
 * wsim_auth_gss_establish_async:
 * @client: the connection to establish the context on
 * @mech: the mechanism
 * @target: the server: a host-based service ("wbem@localhost"), or a principal if
 *   @opts->target_is_principal
 * @opts: (nullable) the initiator (see WsimGssInitiatorOptions); read during the call only
 * @service: the protection for calls made with the flavor
 * @done: runs exactly once, on @client's context and never from inside this call, with the
 *   flavor or the error
 * @user_data: for @done
 *
 * Starts RFC 2203's exchange: each leg is a NULLPROC call with the client's default timeout
 * (wsim_rpc_client_set_default_timeout()), so a server that never answers ends in @done
 * with G_IO_ERROR_TIMED_OUT; at most ten legs (the mechanisms here need one to three); the
 * server's MIC over the sequence window is checked at the end. A failure known at once
 * (credentials, a Kerberos target the KDC does not know) is delivered from an idle source.
 * The GSS-API steps run on the loop: NTLMSSP's are local computation, and Kerberos's first
 * one asks the KDC for a ticket (a round trip to the realm's KDC, bounded by krb5's own
 * timeouts; never to the peer).
 *
 * @client's flavor is left as it is: each leg is sent with the exchange's control flavor
 * (a call keeps the flavor it was made with), so calls made on @client meanwhile go with the
 * client's own. No reference to @client is kept between legs: if @client is closed, or its
 * last reference dropped, before the end, the leg in flight fails and @done gets
 * G_IO_ERROR_CLOSED (from inside that call). Call from the thread that iterates @client's
 * context.
 */
void wsim_auth_gss_establish_async (WsimRpcClient *client, const WsimGssMech *mech,
                                    const char *target, const WsimGssInitiatorOptions *opts,
                                    WsimGssService service, WsimAuthReadyFunc done,
                                    gpointer user_data);

/**
 * wsim_auth_gss_establish:
 * @client: the connection to establish the context on (its auth is left unchanged)
 * @mech: the mechanism
 * @target: the server as a host-based service, "wbem@localhost"
 * @user: (nullable) the initiator's name; NULL for the default credentials
 * @service: the protection for calls made with the returned auth
 * @error: return location for a GError
 *
 * wsim_auth_gss_establish_async(), waited for by iterating @client's context (as
 * wsim_rpc_client_call_sync() does, with the same restrictions).
 *
 * Returns: (transfer full) (nullable) the flavor, or NULL with @error (as WsimAuthReadyFunc's).
 */
WsimAuth *wsim_auth_gss_establish (WsimRpcClient *client, const WsimGssMech *mech,
                                   const char *target, const char *user, WsimGssService service,
                                   GError **error);

/**
 * wsim_auth_is_gss:
 * Returns: TRUE if @auth is an RPCSEC_GSS flavor made by wsim_auth_gss_establish_async() (or
 *   by wsim_auth_for_level_async() at CALL and above, or their synchronous forms); FALSE for
 *   NULL, AUTH_NONE (CONNECT's too) and AUTH_SYS.
 */
gboolean wsim_auth_is_gss (WsimAuth *auth);

/** Returns: the service @auth (an RPCSEC_GSS flavor, see wsim_auth_is_gss()) protects calls with. */
WsimGssService wsim_auth_gss_get_service (WsimAuth *auth);

/**
 * wsim_auth_gss_get_handle:
 * Returns: (transfer none) the context handle the server issued for @auth (an RPCSEC_GSS
 *   flavor), as every call's credential carries it; for traces and tests of servers.
 */
GBytes *wsim_auth_gss_get_handle (WsimAuth *auth);

/**
 * wsim_auth_gss_destroy:
 * @client: the connection @auth's context was established on
 * @auth: (nullable) any flavor; only an RPCSEC_GSS one (wsim_auth_is_gss()) has anything to
 *   destroy, and for every other one (NULL, AUTH_NONE, AUTH_SYS, and the AUTH_NONE of
 *   RPC_C_AUTHN_LEVEL_CONNECT, whose proof context the client no longer holds and the server
 *   frees with the connection) this returns TRUE at once and sends nothing
 * @timeout_ms: how long to wait for the server's reply; 0 for the client's default
 *   (wsim_rpc_client_set_default_timeout(); never unbounded)
 * @error: return location for a GError
 *
 * Ends @auth's context on the server: RFC 2203's RPCSEC_GSS_DESTROY, a NULLPROC call with
 * the next sequence number and a MIC over the header, as service none; waits for the reply
 * (iterating the client's context, as wsim_rpc_client_call_sync() does, with the same
 * restrictions) and checks its verifier as a data call's. From then on, whatever the
 * outcome, calls made with @auth fail without being sent, with
 * WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM: set another flavor on @client to go on calling.
 * Calls already in flight complete normally. If @client is no longer connected, nothing is
 * sent (the server freed the context with the connection) and this returns TRUE; so does a
 * second call for the same @auth.
 *
 * Returns: TRUE when the server confirmed, or nothing needed sending; FALSE with @error (the
 *   server's refusal, a bad reply verifier, a timeout, a lost connection) otherwise.
 */
gboolean wsim_auth_gss_destroy (WsimRpcClient *client, WsimAuth *auth, guint timeout_ms,
                                GError **error);

/** Returns: (transfer none) the server side of RPCSEC_GSS. */
const WsimSvcAuthOps *wsim_svc_auth_gss (void);

/**
 * wsim_svc_auth_gss_get_n_contexts:
 * Counts the RPCSEC_GSS contexts @server keeps now, on all its connections: established ones
 * and those still being established. Call it on the server's thread.
 * Returns: the count.
 */
guint wsim_svc_auth_gss_get_n_contexts (WsimRpcServer *server);

/**
 * wsim_svc_auth_gss_forget_contexts:
 * Drops every RPCSEC_GSS context @server keeps (as a server does when its keys change): the
 * next call under each is refused with RPCSEC_GSS_CREDPROBLEM, never run. Who proved
 * itself on a connection (CONNECT) is kept. Call it on the server's thread.
 */
void wsim_svc_auth_gss_forget_contexts (WsimRpcServer *server);

G_END_DECLS
