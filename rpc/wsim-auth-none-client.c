/* wsim-auth-none-client.c: AUTH_NONE (RFC 5531), the client side: nothing to prove. */
#include "wsim-auth-client.h"

static const guint32 none_cred_verf[4] = { 0, 0, 0, 0 };   /* flavor 0, length 0, twice */

static gboolean
none_marshal (WsimAuth *auth, WsimXdrBuf *out, gsize header_start, guint32 *seq, GError **error)
{
  wsim_xdrbuf_append (out, none_cred_verf, sizeof none_cred_verf);
  *seq = 0;
  return TRUE;
}

static const WsimAuthOps auth_none_ops = {
  .flavor = AUTH_NONE,
  .name = "none",
  .marshal = none_marshal,
};

WsimAuth *
wsim_auth_none_new (void)
{
  return wsim_auth_new (&auth_none_ops, NULL);
}
