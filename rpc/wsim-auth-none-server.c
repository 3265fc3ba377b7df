/* wsim-auth-none-server.c: AUTH_NONE (RFC 5531), the server side: nothing to check. */
#include "wsim-auth-server.h"

#include "wsim-authn-level.h"

static WsimSvcAuthResult
svc_none_check (WsimRpcRequest *req, guint32 *auth_stat)
{
  /* RPC_C_AUTHN_LEVEL_CONNECT: no call is protected, but the peer proved who it is when it
   * connected (a security context completed on this connection; the engine keeps who). */
  const char *connected = wsim_rpc_request_get_connection_principal (req);

  wsim_rpc_request_set_identity (req, AUTH_NONE, connected, G_MAXUINT32, G_MAXUINT32,
                                 connected != NULL ? RPC_C_AUTHN_LEVEL_CONNECT : RPC_C_AUTHN_LEVEL_NONE);
  wsim_rpc_request_set_mechanism (req, wsim_rpc_request_get_connection_mech (req));
  wsim_rpc_request_set_acceptor (req, wsim_rpc_request_get_connection_acceptor (req));
  return WSIM_SVC_AUTH_OK;
}

static const WsimSvcAuthOps svc_auth_none_ops = {
  .flavor = AUTH_NONE,
  .name = "none",
  .check = svc_none_check,
};

const WsimSvcAuthOps *
wsim_svc_auth_none (void)
{
  return &svc_auth_none_ops;
}
