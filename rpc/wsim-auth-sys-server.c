/* wsim-auth-sys-server.c: AUTH_SYS (RFC 5531 appendix A), the server side.
 *
 * Decodes the credential with libtirpc's xdr_authunix_parms and records "uid:gid@machine" as
 * the caller. AUTH_SYS proves nothing: it is a claim, trusted as RFC 5531 does.
 */
#include "wsim-auth-server.h"

#include "wsim-authn-level.h"

static WsimSvcAuthResult
svc_sys_check (WsimRpcRequest *req, guint32 *auth_stat)
{
  const struct opaque_auth *cred = wsim_rpc_request_get_credential (req);
  char machine[256];
  gid_t gids[NGRPS];
  struct authunix_parms parms = { .aup_machname = machine, .aup_gids = gids };
  g_autofree char *principal = NULL;
  XDR xdrs;
  gboolean ok;

  /* Decode into fixed storage: a credential is at most 400 bytes (MAX_AUTH_BYTES), and
   * xdr_authunix_parms bounds the machine name (255) and the groups (16). */
  xdrmem_create (&xdrs, cred->oa_base, cred->oa_length, XDR_DECODE);
  ok = xdr_authunix_parms (&xdrs, &parms);
  xdr_destroy (&xdrs);
  if (!ok)
    {
      *auth_stat = AUTH_BADCRED;
      return WSIM_SVC_AUTH_DENIED;
    }
  principal = g_strdup_printf ("%u:%u@%s", (guint) parms.aup_uid, (guint) parms.aup_gid,
                               parms.aup_machname);
  wsim_rpc_request_set_identity (req, AUTH_SYS, principal, parms.aup_uid, parms.aup_gid,
                                 RPC_C_AUTHN_LEVEL_NONE);
  return WSIM_SVC_AUTH_OK;
}

static const WsimSvcAuthOps svc_auth_sys_ops = {
  .flavor = AUTH_SYS,
  .name = "sys",
  .check = svc_sys_check,
};

const WsimSvcAuthOps *
wsim_svc_auth_sys (void)
{
  return &svc_auth_sys_ops;
}
