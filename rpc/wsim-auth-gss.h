/* wsim-auth-gss.h: RPCSEC_GSS (RFC 2203), the flavor that carries GSS-API security in ONC RPC.
 *
 * Client side: wsim_auth_gss_establish() runs the INIT / CONTINUE_INIT exchange with the
 * server (synchronously, on the client's context), checks the server's MIC over the sequence
 * window, and returns a WsimAuth for wsim_rpc_client_set_auth(). Every call then carries a
 * sequence number and a MIC over its header; arguments and results travel as they are
 * (service none), with a MIC (integrity) or wrapped (privacy), and the reply verifier is
 * checked.
 *
 * Server side: wsim_svc_auth_gss() accepts contexts of any mechanism the machine has
 * (Kerberos from the keytab, NTLMSSP from the credentials file), keeps them per connection
 * (freed with it), checks each call's header MIC and sequence window (128; a replay or a
 * number too old is dropped silently, one at or over 0x80000000 is refused with
 * RPCSEC_GSS_CTXPROBLEM), and names the caller by its GSS principal.
 */
#pragma once

#include "wsim-auth.h"
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

/**
 * wsim_auth_gss_establish:
 * @client: the connection to establish the context on (its auth is left unchanged)
 * @mech: the mechanism
 * @target: the server as a host-based service, "wbem@localhost"
 * @user: (nullable) the initiator's name; NULL for the default credentials
 * @service: the protection for calls made with the returned auth
 * Returns: (transfer full) (nullable) the flavor, or NULL with @error (a WSIM_GSS_ERROR for
 *   the mechanism, a WSIM_RPC_ERROR or G_IO_ERROR for the exchange).
 */
WsimAuth *wsim_auth_gss_establish (WsimRpcClient *client, const WsimGssMech *mech,
                                   const char *target, const char *user, WsimGssService service,
                                   GError **error);

/** Returns: the service @auth protects calls with. */
WsimGssService wsim_auth_gss_get_service (WsimAuth *auth);

/** Returns: (transfer none) the server side of RPCSEC_GSS. */
const WsimSvcAuthOps *wsim_svc_auth_gss (void);

G_END_DECLS
