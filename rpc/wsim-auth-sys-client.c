/* wsim-auth-sys-client.c: AUTH_SYS (RFC 5531 appendix A), the client side.
 *
 * The credential is encoded once, at creation; every call appends the same bytes. AUTH_SYS
 * proves nothing: it is a claim (the server side is wsim-auth-sys-server.c).
 */
#include "wsim-auth-client.h"

#include <unistd.h>

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
  gid_t g[NGRPS];
  g_autoptr(WsimXdrBuf) body = wsim_xdrbuf_new (0, 128);
  g_autofree char *name = g_strndup (machine != NULL ? machine : "", 255);
  guint32 head[2], verf[2] = { 0, 0 };

  n_gids = MIN (n_gids, NGRPS);   /* libtirpc's 16: what RFC 5531 lets a credential carry */
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
  gid_t groups[NGRPS];
  guint32 gids[NGRPS];
  int n = getgroups (NGRPS, groups);

  /* More groups than fit: send the first ones, as libtirpc does. */
  if (n < 0)
    n = 0;
  for (int i = 0; i < n; i++)
    gids[i] = groups[i];
  return wsim_auth_sys_new (g_get_host_name (), getuid (), getgid (), (guint) n, gids);
}
