/* wsim-rpc-request.c: one call a server received: its replies, and what its handler and its
 * flavor read and record about it (see wsim-rpc-request.h).
 *
 * Replies are encoded in place after the record mark: the header by hand, the verifier by
 * the call's flavor, the results by the program's XDR routine through the flavor. A reply
 * on a connection that has closed is dropped instead of written.
 */
#include "wsim-rpc-request.h"

#include "wsim-conn.h"
#include "wsim-rpc-server-private.h"

/* ---- replies -------------------------------------------------------------------- */

static WsimXdrBuf *
reply_start (WsimRpcRequest *req, guint32 reply_stat)
{
  WsimXdrBuf *buf = wsim_xdrbuf_new (4, 256);
  guint32 w[3] = { GUINT32_TO_BE (req->xid), GUINT32_TO_BE (REPLY), GUINT32_TO_BE (reply_stat) };

  wsim_xdrbuf_append (buf, w, sizeof w);
  return buf;
}

static void
request_finish (WsimRpcRequest *req, WsimXdrBuf *buf)
{
  WsimRpcServerConn *sconn = req->sconn;

  req->replied = TRUE;
  if (req->counted)
    {
      req->counted = FALSE;
      wsim_rpc_server_conn_request_done (sconn);
    }
  if (buf == NULL)
    return;
  if (sconn->closed)
    wsim_xdrbuf_free (buf);
  else
    wsim_conn_send (sconn->conn, buf);
}

/* Appends the verifier and accept_stat of an accepted reply. */
static void
put_accepted_header (WsimRpcRequest *req, WsimXdrBuf *buf, guint32 accept_stat)
{
  struct opaque_auth verf = { .oa_flavor = AUTH_NONE, .oa_base = NULL, .oa_length = 0 };
  guint32 w[2];

  if (req->auth != NULL && req->auth->reply_verf != NULL)
    req->auth->reply_verf (req, &verf);
  w[0] = GUINT32_TO_BE (verf.oa_flavor);
  w[1] = GUINT32_TO_BE (verf.oa_length);
  wsim_xdrbuf_append (buf, w, sizeof w);
  if (verf.oa_length > 0)
    {
      static const guint8 zeros[4];

      wsim_xdrbuf_append (buf, verf.oa_base, verf.oa_length);
      wsim_xdrbuf_append (buf, zeros, RNDUP (verf.oa_length) - verf.oa_length);
    }
  w[0] = GUINT32_TO_BE (accept_stat);
  wsim_xdrbuf_append (buf, w, 4);
}

gboolean
wsim_rpc_request_reply (WsimRpcRequest *req, xdrproc_t xres, const void *res)
{
  WsimXdrBuf *buf;
  gsize mark;
  gboolean ok;

  g_return_val_if_fail (req != NULL && !req->replied, FALSE);
  if (req->sconn->closed)
    {
      request_finish (req, NULL);
      return TRUE;
    }
  buf = reply_start (req, MSG_ACCEPTED);
  mark = buf->len;
  put_accepted_header (req, buf, SUCCESS);
  ok = req->auth != NULL && req->auth->wrap != NULL ? req->auth->wrap (req, buf, xres, res)
                                                     : wsim_xdrbuf_encode (buf, xres, res);
  if (!ok)
    {
      g_warning ("wsim-rpc: results of procedure %u (xid %08x) do not encode; "
                 "answering SYSTEM_ERR", req->proc, req->xid);
      buf->len = mark;
      put_accepted_header (req, buf, SYSTEM_ERR);
    }
  request_finish (req, buf);
  return ok;
}

void
wsim_rpc_request_reply_error (WsimRpcRequest *req, enum accept_stat accept_stat)
{
  WsimXdrBuf *buf;

  g_return_if_fail (req != NULL && !req->replied);
  g_return_if_fail (accept_stat == PROC_UNAVAIL || accept_stat == GARBAGE_ARGS
                    || accept_stat == SYSTEM_ERR || accept_stat == PROG_UNAVAIL);
  buf = reply_start (req, MSG_ACCEPTED);
  put_accepted_header (req, buf, accept_stat);
  request_finish (req, buf);
}

void
wsim_rpc_request_reply_prog_mismatch (WsimRpcRequest *req, guint32 low, guint32 high)
{
  WsimXdrBuf *buf = reply_start (req, MSG_ACCEPTED);
  guint32 w[2] = { GUINT32_TO_BE (low), GUINT32_TO_BE (high) };

  put_accepted_header (req, buf, PROG_MISMATCH);
  wsim_xdrbuf_append (buf, w, sizeof w);
  request_finish (req, buf);
}

void
wsim_rpc_request_reply_denied (WsimRpcRequest *req, guint32 reject_stat, guint32 a, guint32 b)
{
  WsimXdrBuf *buf = reply_start (req, MSG_DENIED);
  guint32 w[3] = { GUINT32_TO_BE (reject_stat), GUINT32_TO_BE (a), GUINT32_TO_BE (b) };

  /* RPC_MISMATCH carries low and high; AUTH_ERROR carries the auth_stat only. */
  wsim_xdrbuf_append (buf, w, reject_stat == RPC_MISMATCH ? 12 : 8);
  request_finish (req, buf);
}

void
wsim_rpc_request_finish_silently (WsimRpcRequest *req)
{
  if (!req->replied)
    request_finish (req, NULL);
}

/* ---- requests ------------------------------------------------------------------- */

WsimRpcRequest *
wsim_rpc_request_new (WsimRpcServerConn *sconn, guint32 xid)
{
  WsimRpcRequest *req = g_new0 (WsimRpcRequest, 1);

  g_ref_count_init (&req->ref_count);
  req->sconn = wsim_rpc_server_conn_ref (sconn);
  req->xid = xid;
  req->identity.uid = req->identity.gid = G_MAXUINT32;
  req->identity.level = 1;   /* RPC_C_AUTHN_LEVEL_NONE until a flavor says otherwise */
  req->counted = TRUE;
  wsim_rpc_server_conn_request_started (sconn);
  return req;
}

WsimRpcRequest *
wsim_rpc_request_ref (WsimRpcRequest *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  g_ref_count_inc (&req->ref_count);
  return req;
}

void
wsim_rpc_request_unref (WsimRpcRequest *req)
{
  if (req == NULL || !g_ref_count_dec (&req->ref_count))
    return;
  if (!req->replied)
    {
      /* Nothing accepted is lost in silence: a forgotten request still gets an answer
       * (and a warning, unless its connection is gone and nobody waits for it). */
      if (!req->sconn->closed)
        g_warning ("wsim-rpc: procedure %u (xid %08x) dropped without a reply; "
                   "answering SYSTEM_ERR", req->proc, req->xid);
      wsim_rpc_request_reply_error (req, SYSTEM_ERR);
    }
  if (req->auth_data_destroy != NULL)
    req->auth_data_destroy (req->auth_data);
  g_free (req->principal);
  g_free (req->acceptor);
  wsim_rpc_server_conn_unref (req->sconn);
  g_free (req);
}

guint32
wsim_rpc_request_get_xid (WsimRpcRequest *req)
{
  return req->xid;
}

guint32
wsim_rpc_request_get_proc (WsimRpcRequest *req)
{
  return req->proc;
}

const WsimRpcIdentity *
wsim_rpc_request_get_identity (WsimRpcRequest *req)
{
  return &req->identity;
}

guint64
wsim_rpc_request_get_connection_id (WsimRpcRequest *req)
{
  return req->sconn->id;
}

GMainContext *
wsim_rpc_request_get_context (WsimRpcRequest *req)
{
  return wsim_conn_get_context (req->sconn->conn);
}

GSocketAddress *
wsim_rpc_request_get_peer_address (WsimRpcRequest *req)
{
  return req->sconn->peer;
}

gint64
wsim_rpc_request_get_peer_uid (WsimRpcRequest *req)
{
  return req->sconn->peer_uid;
}

const char *
wsim_rpc_request_get_peer_key (WsimRpcRequest *req)
{
  return req->sconn->peer_key;
}

GSocketAddress *
wsim_rpc_request_get_local_address (WsimRpcRequest *req)
{
  return req->sconn->local;
}

gboolean
wsim_rpc_request_is_connected (WsimRpcRequest *req)
{
  return !req->sconn->closed;
}

void
wsim_rpc_request_set_identity (WsimRpcRequest *req, guint32 flavor, const char *principal,
                               guint32 uid, guint32 gid, guint32 level)
{
  g_free (req->principal);
  req->principal = g_strdup (principal);
  req->identity.flavor = flavor;
  req->identity.principal = req->principal;
  req->identity.uid = uid;
  req->identity.gid = gid;
  req->identity.level = level;
}

void
wsim_rpc_request_set_mechanism (WsimRpcRequest *req, const char *mech)
{
  req->identity.mech = mech;
}

void
wsim_rpc_request_set_acceptor (WsimRpcRequest *req, const char *acceptor)
{
  g_free (req->acceptor);
  req->acceptor = g_strdup (acceptor);
  req->identity.acceptor = req->acceptor;
}

void
wsim_rpc_request_set_auth_data (WsimRpcRequest *req, gpointer data, GDestroyNotify destroy)
{
  if (req->auth_data_destroy != NULL)
    req->auth_data_destroy (req->auth_data);
  req->auth_data = data;
  req->auth_data_destroy = destroy;
}

gpointer
wsim_rpc_request_get_auth_data (WsimRpcRequest *req)
{
  return req->auth_data;
}

void
wsim_rpc_request_set_connection_identity (WsimRpcRequest *req, const char *principal,
                                          const char *mech, const char *acceptor)
{
  WsimRpcServerConn *sconn = req->sconn;

  /* The first identity proved stays (a later context on the same connection does not
   * change who connected); a closed connection keeps none. */
  if (sconn->peer_principal != NULL || sconn->closed)
    return;
  sconn->peer_principal = g_strdup (principal);
  sconn->peer_mech = mech;
  g_free (sconn->peer_acceptor);
  sconn->peer_acceptor = g_strdup (acceptor);
}

const char *
wsim_rpc_request_get_connection_principal (WsimRpcRequest *req)
{
  return req->sconn->peer_principal;
}

const char *
wsim_rpc_request_get_connection_mech (WsimRpcRequest *req)
{
  return req->sconn->peer_mech;
}

const char *
wsim_rpc_request_get_connection_acceptor (WsimRpcRequest *req)
{
  return req->sconn->peer_acceptor;
}

gpointer
wsim_rpc_request_get_conn_state (WsimRpcRequest *req, guint32 flavor)
{
  return wsim_rpc_server_conn_get_auth_state (req->sconn, flavor);
}

void
wsim_rpc_request_set_conn_state (WsimRpcRequest *req, guint32 flavor, gpointer state,
                                 GDestroyNotify destroy)
{
  wsim_rpc_server_conn_set_auth_state (req->sconn, flavor, state, destroy);
}

const struct opaque_auth *
wsim_rpc_request_get_credential (WsimRpcRequest *req)
{
  return req->cred;
}

const struct opaque_auth *
wsim_rpc_request_get_verifier (WsimRpcRequest *req)
{
  return req->verf;
}

const guint8 *
wsim_rpc_request_get_header (WsimRpcRequest *req, gsize *len)
{
  *len = req->header_len;
  return req->header;
}

const guint8 *
wsim_rpc_request_get_raw_args (WsimRpcRequest *req, gsize *len)
{
  *len = req->raw_args_len;
  return req->raw_args;
}
