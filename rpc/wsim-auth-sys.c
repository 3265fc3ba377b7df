/* wsim-auth-sys.c: AUTH_SYS (RFC 5531 appendix A), both sides.
 *
 * The client encodes its credential once, at creation; every call appends the same
 * bytes. The server decodes the credential with libtirpc's xdr_authunix_parms and
 * records "uid:gid@machine" as the caller. AUTH_SYS proves nothing: it is a claim.
 */
#include "wsim-auth.h"

#include <string.h>
#include <unistd.h>

#include "wsim-authn-level.h"
#include "wsim-rpc-server.h"

#define AUTH_SYS_MAX_GIDS 16

typedef struct {
  WsimXdrBuf *cred_verf;   /* (owned) encoded credential + AUTH_NONE verifier */
} SysData;

static void
sys_free (gpointer data)
{
  SysData *d = data;

  wsim_xdrbuf_free (d->cred_verf);
  g_free (d);
}

static gboolean
sys_marshal (WsimAuth *auth, WsimXdrBuf *out, gsize header_start, guint32 *seq, GError **error)
{
  SysData *d = wsim_auth_get_data (auth);

  wsim_xdrbuf_append (out, d->cred_verf->data, d->cred_verf->len);
  *seq = 0;
  return TRUE;
}

static const WsimAuthOps auth_sys_ops = {
  .flavor = AUTH_SYS,
  .name = "sys",
  .marshal = sys_marshal,
  .free_data = sys_free,
};

WsimAuth *
wsim_auth_sys_new (const char *machine, guint32 uid, guint32 gid, guint n_gids,
                   const guint32 *gids)
{
  SysData *d = g_new0 (SysData, 1);
  struct authunix_parms parms = { 0 };
  gid_t g[AUTH_SYS_MAX_GIDS];
  g_autoptr(WsimXdrBuf) body = wsim_xdrbuf_new (0, 128);
  g_autofree char *name = g_strndup (machine != NULL ? machine : "", 255);
  guint32 head[2], verf[2] = { 0, 0 };

  n_gids = MIN (n_gids, AUTH_SYS_MAX_GIDS);
  for (guint i = 0; i < n_gids; i++)
    g[i] = gids[i];
  parms.aup_time = (u_long) (g_get_real_time () / G_USEC_PER_SEC);
  parms.aup_machname = name;
  parms.aup_uid = uid;
  parms.aup_gid = gid;
  parms.aup_len = n_gids;
  parms.aup_gids = g;
  if (!wsim_xdrbuf_encode (body, WSIM_XDRPROC (xdr_authunix_parms), &parms))
    g_error ("AUTH_SYS credential does not encode");

  d->cred_verf = wsim_xdrbuf_new (0, body->len + 16);
  head[0] = GUINT32_TO_BE (AUTH_SYS);
  head[1] = GUINT32_TO_BE ((guint32) body->len);
  wsim_xdrbuf_append (d->cred_verf, head, sizeof head);
  wsim_xdrbuf_append (d->cred_verf, body->data, body->len);
  wsim_xdrbuf_append (d->cred_verf, verf, sizeof verf);
  return wsim_auth_new (&auth_sys_ops, d);
}

WsimAuth *
wsim_auth_sys_new_default (void)
{
  gid_t groups[AUTH_SYS_MAX_GIDS];
  guint32 gids[AUTH_SYS_MAX_GIDS];
  int n = getgroups (AUTH_SYS_MAX_GIDS, groups);

  /* More groups than fit: send the first ones, as libtirpc does. */
  if (n < 0)
    n = 0;
  for (int i = 0; i < n; i++)
    gids[i] = groups[i];
  return wsim_auth_sys_new (g_get_host_name (), getuid (), getgid (), (guint) n, gids);
}

static WsimSvcAuthResult
svc_sys_check (WsimRpcRequest *req, const struct rpc_msg *msg, const guint8 *record,
               gsize cred_end, guint32 *auth_stat)
{
  const struct opaque_auth *cred = &msg->rm_call.cb_cred;
  char machine[256];
  gid_t gids[AUTH_SYS_MAX_GIDS];
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
