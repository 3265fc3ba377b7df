/* wsim-auth-server.h: RPC authentication flavors as plug-in ops tables, the server side.
 *
 * A server flavor is one static const WsimSvcAuthOps, installed on a server per flavor
 * number (wsim_rpc_server_set_auth()). Dispatch finds the table by the call's credential
 * flavor and asks it to authenticate the call, to decode the arguments, to encode the
 * results and to fill the reply verifier. A flavor sees the call only through the request
 * interface (wsim-rpc-request.h): the credential, verifier and header bytes, its own
 * per-call and per-connection state, and the connection's identity; it never calls another
 * flavor. The client side of each flavor is in wsim-auth-client.h.
 *
 * Threading: the ops run on the server's thread, from dispatch or from a reply.
 */
#pragma once

#include <glib.h>
#include <rpc/rpc.h>

#include "wsim-rpc-request.h"
#include "wsim-xdrbuf.h"

G_BEGIN_DECLS

/**
 * WsimSvcAuthResult: what a server flavor decided about one call.
 * @WSIM_SVC_AUTH_OK: authenticated; dispatch to the program.
 * @WSIM_SVC_AUTH_DENIED: reply MSG_DENIED / AUTH_ERROR with the auth_stat set by @check.
 * @WSIM_SVC_AUTH_REPLIED: the flavor answered the call itself (context control calls).
 * @WSIM_SVC_AUTH_DROP: discard silently (RFC 2203 requires it for sequence numbers
 *   outside the window).
 */
typedef enum {
  WSIM_SVC_AUTH_OK,
  WSIM_SVC_AUTH_DENIED,
  WSIM_SVC_AUTH_REPLIED,
  WSIM_SVC_AUTH_DROP,
} WsimSvcAuthResult;

/**
 * WsimSvcAuthOps: the server side of a flavor.
 * @flavor: the ONC RPC flavor number it serves.
 * @name: a short name for traces ("none", "sys", "rpcsec_gss").
 * @check: authenticates the call from what @req holds during the call
 *   (wsim_rpc_request_get_credential(), _get_verifier(), _get_header(), _get_raw_args()).
 *   Sets the caller's identity on @req (wsim_rpc_request_set_identity()) and, on denial,
 *   *@auth_stat.
 * @unwrap: decodes the arguments; NULL means plain XDR decoding.
 * @wrap: appends the results; NULL means plain XDR encoding.
 * @reply_verf: fills the reply verifier; NULL means an AUTH_NONE verifier. Any body it
 *   points to must stay valid until the request is freed (keep it in request data).
 */
typedef struct {
  guint32     flavor;
  const char *name;
  WsimSvcAuthResult (*check)      (WsimRpcRequest *req, guint32 *auth_stat);
  gboolean          (*unwrap)     (WsimRpcRequest *req, XDR *xdrs, xdrproc_t xargs, void *args);
  gboolean          (*wrap)       (WsimRpcRequest *req, WsimXdrBuf *out, xdrproc_t xres,
                                   const void *res);
  void              (*reply_verf) (WsimRpcRequest *req, struct opaque_auth *verf);
} WsimSvcAuthOps;

/** wsim_svc_auth_none: Returns: the server side of AUTH_NONE. */
const WsimSvcAuthOps *wsim_svc_auth_none (void);

/** wsim_svc_auth_sys: Returns: the server side of AUTH_SYS (trusts what the client says, as RFC 5531 does). */
const WsimSvcAuthOps *wsim_svc_auth_sys (void);

G_END_DECLS
