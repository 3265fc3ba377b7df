/* wsim-auth-gss-server.c: RPCSEC_GSS, the server side (see wsim-auth-gss.h).
 *
 * Contexts live in a table per connection (the engine frees it with the connection, so a
 * client that disconnects without DESTROY leaves nothing for the next one to trip on). A
 * context is refcounted: a request still running holds the one it was made under.
 * Control calls (INIT, CONTINUE_INIT, DESTROY) are answered here and never reach the program.
 */
#include "wsim-auth-gss.h"

#include <rpc/auth_gss.h>
#include <string.h>

#include "wsim-authn-level.h"
#include "wsim-gss-body.h"
#include "wsim-rpc-server.h"

typedef struct {
  grefcount ref_count;   /* the server's thread only */
  guint32         handle;
  WsimGssContext *gss;         /* (owned) */
  guint32         seq_max;     /* highest sequence number seen */
  guint64         seen[WSIM_GSS_SEQ_WINDOW / 64];   /* bit i: seq_max - i was seen */
  gboolean        any_seen;
} SvcCtx;

typedef struct {
  GHashTable *by_handle;       /* handle -> (owned ref) SvcCtx* */
  guint32     next_handle;
} ConnContexts;

/* What a request remembers for its reply. */
typedef struct {
  SvcCtx *ctx;                 /* (owned ref) (nullable) */
  guint32 seq;
  guint32 service;
  GBytes *verf;                /* (owned) (nullable) the reply verifier's body */
} ReqData;

static SvcCtx *
svc_ctx_ref (SvcCtx *c)
{
  g_ref_count_inc (&c->ref_count);
  return c;
}

static void
svc_ctx_unref (SvcCtx *c)
{
  if (c == NULL || !g_ref_count_dec (&c->ref_count))
    return;
  wsim_gss_context_free (c->gss);
  g_free (c);
}

static void
conn_contexts_free (gpointer p)
{
  ConnContexts *cc = p;

  g_hash_table_unref (cc->by_handle);
  g_free (cc);
}

static void
req_data_free (gpointer p)
{
  ReqData *rd = p;

  svc_ctx_unref (rd->ctx);
  g_clear_pointer (&rd->verf, g_bytes_unref);
  g_free (rd);
}

static ConnContexts *
conn_contexts (WsimRpcRequest *req)
{
  ConnContexts *cc = wsim_rpc_request_get_conn_state (req, WSIM_RPCSEC_GSS);

  if (cc == NULL)
    {
      cc = g_new0 (ConnContexts, 1);
      cc->by_handle = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify) svc_ctx_unref);
      wsim_rpc_request_set_conn_state (req, WSIM_RPCSEC_GSS, cc, conn_contexts_free);
    }
  return cc;
}

/* rpc_gss_cred_vers_1_t, read from the credential body. */
typedef struct {
  guint32 version, proc, seq, service;
  guint32 handle;
  gboolean has_handle;
} Cred;

static gboolean
read_cred (const struct opaque_auth *oa, Cred *c)
{
  const guint8 *p = (const guint8 *) oa->oa_base;
  guint32 w[5], hlen;

  if (oa->oa_length < 20)
    return FALSE;
  memcpy (w, p, 20);
  c->version = GUINT32_FROM_BE (w[0]);
  c->proc = GUINT32_FROM_BE (w[1]);
  c->seq = GUINT32_FROM_BE (w[2]);
  c->service = GUINT32_FROM_BE (w[3]);
  hlen = GUINT32_FROM_BE (w[4]);
  if (RNDUP (hlen) > oa->oa_length - 20)
    return FALSE;
  /* Our handles are 4 bytes: a handle of another size is well formed but names no context
   * of ours, as an unknown one (RFC 2203 5.3.3.3: RPCSEC_GSS_CREDPROBLEM), not a bad
   * credential. */
  c->has_handle = hlen == 4;
  if (c->has_handle)
    {
      memcpy (&c->handle, p + 20, 4);
      c->handle = GUINT32_FROM_BE (c->handle);
    }
  return TRUE;
}

/* The sequence window (RFC 2203 5.3.3.1): TRUE if @seq is new and inside it. */
static gboolean
window_accept (SvcCtx *c, guint32 seq)
{
  if (!c->any_seen || seq > c->seq_max)
    {
      guint32 shift = c->any_seen ? seq - c->seq_max : WSIM_GSS_SEQ_WINDOW;

      if (shift >= WSIM_GSS_SEQ_WINDOW)
        memset (c->seen, 0, sizeof c->seen);
      else
        for (guint32 s = 0; s < shift; s++)
          {
            for (int i = G_N_ELEMENTS (c->seen) - 1; i > 0; i--)
              c->seen[i] = (c->seen[i] << 1) | (c->seen[i - 1] >> 63);
            c->seen[0] <<= 1;
          }
      c->seq_max = seq;
      c->any_seen = TRUE;
      c->seen[0] |= 1;
      return TRUE;
    }
  {
    guint32 age = c->seq_max - seq;

    if (age >= WSIM_GSS_SEQ_WINDOW || (c->seen[age / 64] & (G_GUINT64_CONSTANT (1) << (age % 64))))
      return FALSE;
    c->seen[age / 64] |= G_GUINT64_CONSTANT (1) << (age % 64);
    return TRUE;
  }
}

static bool_t
xdr_token_arg (XDR *xdrs, void *obj, u_int unused)
{
  gss_buffer_desc *b = obj;
  char *p = b->value;
  u_int n = (u_int) b->length;
  bool_t ok = xdr_bytes (xdrs, &p, &n, WSIM_GSS_MAX_BODY);

  b->value = p;
  b->length = n;
  return ok;
}

/* TRUE when @cc may take one more context (WSIM_GSS_MAX_HALF_OPEN, WSIM_GSS_MAX_CONTEXTS);
 * the table is at most WSIM_GSS_MAX_CONTEXTS long, so counting it is cheap. */
static gboolean
conn_contexts_has_room (ConnContexts *cc)
{
  GHashTableIter iter;
  SvcCtx *c;
  guint half_open = 0;

  if (g_hash_table_size (cc->by_handle) >= WSIM_GSS_MAX_CONTEXTS)
    return FALSE;
  g_hash_table_iter_init (&iter, cc->by_handle);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    if (!wsim_gss_context_is_established (c->gss))
      half_open++;
  return half_open < WSIM_GSS_MAX_HALF_OPEN;
}

/* INIT and CONTINUE_INIT: one leg of the acceptor, answered with rpc_gss_init_res. */
static WsimSvcAuthResult
control_init (WsimRpcRequest *req, const Cred *cred)
{
  ConnContexts *cc = conn_contexts (req);
  gsize args_len = 0;
  const guint8 *args = wsim_rpc_request_get_raw_args (req, &args_len);
  gss_buffer_desc in = GSS_C_EMPTY_BUFFER;
  struct rpc_gss_init_res res = { 0 };
  g_autoptr(GBytes) token = NULL, out = NULL;
  g_autoptr(GError) error = NULL;
  ReqData *rd = g_new0 (ReqData, 1);
  SvcCtx *c;
  guint32 handle_be;
  XDR xdrs;
  gboolean ok;

  wsim_rpc_request_set_auth_data (req, rd, req_data_free);
  xdrmem_create (&xdrs, (char *) args, (u_int) args_len, XDR_DECODE);
  ok = xdr_token_arg (&xdrs, &in, 0);
  xdr_destroy (&xdrs);
  if (!ok || wsim_rpc_request_get_proc (req) != NULLPROC)
    {
      g_free (in.value);
      wsim_rpc_request_reply_error (req, GARBAGE_ARGS);
      return WSIM_SVC_AUTH_REPLIED;
    }
  token = g_bytes_new_take (in.value, in.length);

  /* An initiator calls only when it has a token to send. MIT's mechglue would take an empty
   * one as the start of an acceptor-first SPNEGO exchange, answer CONTINUE_NEEDED and keep a
   * half-built context for a call that carried nothing; so an empty token is a failed leg,
   * and at INIT no context is even made for it. Nor for one over the connection's caps. */
  if (cred->proc == RPCSEC_GSS_INIT
      && (g_bytes_get_size (token) == 0 || !conn_contexts_has_room (cc)))
    c = NULL;
  else if (cred->proc == RPCSEC_GSS_INIT)
    {
      c = g_new0 (SvcCtx, 1);
      g_ref_count_init (&c->ref_count);
      c->handle = ++cc->next_handle;
      c->gss = wsim_gss_context_new_acceptor (NULL, NULL, &error);
      if (c->gss != NULL)
        g_hash_table_insert (cc->by_handle, GUINT_TO_POINTER (c->handle), c);
      else
        {
          svc_ctx_unref (c);
          c = NULL;
        }
    }
  else
    c = cred->has_handle ? g_hash_table_lookup (cc->by_handle, GUINT_TO_POINTER (cred->handle)) : NULL;

  if (c == NULL || g_bytes_get_size (token) == 0
      || !wsim_gss_context_step (c->gss, token, &out, &error))
    {
      /* RFC 2203: the failure travels in the result, with the GSS status. */
      res.gr_major = GSS_S_FAILURE;
      if (c != NULL)
        g_hash_table_remove (cc->by_handle, GUINT_TO_POINTER (c->handle));
      wsim_rpc_request_reply (req, (xdrproc_t) (void (*) (void)) xdr_rpc_gss_init_res, &res);
      return WSIM_SVC_AUTH_REPLIED;
    }
  handle_be = GUINT32_TO_BE (c->handle);
  res.gr_ctx.value = &handle_be;
  res.gr_ctx.length = 4;
  res.gr_major = wsim_gss_context_is_established (c->gss) ? GSS_S_COMPLETE : GSS_S_CONTINUE_NEEDED;
  res.gr_win = WSIM_GSS_SEQ_WINDOW;
  if (out != NULL)
    {
      res.gr_token.value = (void *) g_bytes_get_data (out, NULL);
      res.gr_token.length = g_bytes_get_size (out);
    }
  if (wsim_gss_context_is_established (c->gss))
    {
      const WsimGssMech *mech = wsim_gss_context_get_mech (c->gss);

      /* The peer proved who it is: the engine keeps it for the connection's AUTH_NONE calls
       * (CONNECT), past this context's DESTROY; the first context's identity wins. */
      wsim_rpc_request_set_connection_identity (req, wsim_gss_context_get_peer (c->gss),
                                                mech != NULL ? wsim_gss_mech_get_name (mech) : NULL,
                                                wsim_gss_context_get_self (c->gss));
      /* Proof of the context: a MIC over the window, as the reply verifier. */
      g_autoptr(GBytes) win = wsim_gss_seq_bytes (WSIM_GSS_SEQ_WINDOW);

      rd->verf = wsim_gss_get_mic (c->gss, win, NULL);
    }
  wsim_rpc_request_reply (req, (xdrproc_t) (void (*) (void)) xdr_rpc_gss_init_res, &res);
  return WSIM_SVC_AUTH_REPLIED;
}

static WsimSvcAuthResult
svc_gss_check (WsimRpcRequest *req, guint32 *auth_stat)
{
  const struct opaque_auth *verf = wsim_rpc_request_get_verifier (req);
  Cred cred = { 0 };
  ConnContexts *cc;
  SvcCtx *c;
  ReqData *rd;
  const guint8 *record;
  gsize header_len;
  g_autoptr(GBytes) header = NULL, mic = NULL;

  if (!read_cred (wsim_rpc_request_get_credential (req), &cred) || cred.version != RPCSEC_GSS_VERSION
      || cred.service < WSIM_GSS_SVC_NONE || cred.service > WSIM_GSS_SVC_PRIVACY)
    {
      *auth_stat = AUTH_BADCRED;
      return WSIM_SVC_AUTH_DENIED;
    }
  if (cred.proc == RPCSEC_GSS_INIT || cred.proc == RPCSEC_GSS_CONTINUE_INIT)
    return control_init (req, &cred);

  cc = conn_contexts (req);
  c = cred.has_handle ? g_hash_table_lookup (cc->by_handle, GUINT_TO_POINTER (cred.handle)) : NULL;
  if (c == NULL || !wsim_gss_context_is_established (c->gss))
    {
      *auth_stat = RPCSEC_GSS_CREDPROBLEM;
      return WSIM_SVC_AUTH_DENIED;
    }
  if (cred.seq >= MAXSEQ)
    {
      *auth_stat = RPCSEC_GSS_CTXPROBLEM;
      return WSIM_SVC_AUTH_DENIED;
    }
  /* The verifier is a MIC over the header, XID through credential. */
  record = wsim_rpc_request_get_header (req, &header_len);
  header = g_bytes_new_static (record, header_len);
  mic = g_bytes_new (verf->oa_base, verf->oa_length);
  if (verf->oa_flavor != WSIM_RPCSEC_GSS || !wsim_gss_verify_mic (c->gss, header, mic, NULL))
    {
      /* A failed check may have moved a sequenced mechanism's state: the context is done. */
      g_hash_table_remove (cc->by_handle, GUINT_TO_POINTER (cred.handle));
      *auth_stat = RPCSEC_GSS_CTXPROBLEM;
      return WSIM_SVC_AUTH_DENIED;
    }
  if (!window_accept (c, cred.seq))
    return WSIM_SVC_AUTH_DROP;   /* a replay, or too old: RFC 2203 says drop silently */

  rd = g_new0 (ReqData, 1);
  rd->ctx = svc_ctx_ref (c);
  rd->seq = cred.seq;
  rd->service = cred.service;
  wsim_rpc_request_set_auth_data (req, rd, req_data_free);

  if (cred.proc == RPCSEC_GSS_DESTROY)
    {
      g_autoptr(GBytes) seq = wsim_gss_seq_bytes (rd->seq);

      rd->verf = wsim_gss_get_mic (c->gss, seq, NULL);
      rd->service = WSIM_GSS_SVC_NONE;
      g_hash_table_remove (cc->by_handle, GUINT_TO_POINTER (cred.handle));
      wsim_rpc_request_reply (req, (xdrproc_t) (void (*) (void)) xdr_void, NULL);
      return WSIM_SVC_AUTH_REPLIED;
    }
  if (cred.proc != RPCSEC_GSS_DATA)
    {
      *auth_stat = AUTH_BADCRED;
      return WSIM_SVC_AUTH_DENIED;
    }
  wsim_rpc_request_set_identity (req, WSIM_RPCSEC_GSS, wsim_gss_context_get_peer (c->gss),
                                 G_MAXUINT32, G_MAXUINT32,
                                 cred.service == WSIM_GSS_SVC_PRIVACY ? RPC_C_AUTHN_LEVEL_PKT_PRIVACY
                                 : cred.service == WSIM_GSS_SVC_INTEGRITY ? RPC_C_AUTHN_LEVEL_PKT_INTEGRITY
                                 : RPC_C_AUTHN_LEVEL_PKT);
  wsim_rpc_request_set_mechanism (req, wsim_gss_mech_get_name (wsim_gss_context_get_mech (c->gss)));
  wsim_rpc_request_set_acceptor (req, wsim_gss_context_get_self (c->gss));
  return WSIM_SVC_AUTH_OK;
}

static gboolean
svc_gss_unwrap (WsimRpcRequest *req, XDR *xdrs, xdrproc_t xargs, void *args)
{
  ReqData *rd = wsim_rpc_request_get_auth_data (req);

  return wsim_gss_body_get (rd->ctx->gss, rd->service, rd->seq, xdrs, xargs, args, NULL);
}

static gboolean
svc_gss_wrap (WsimRpcRequest *req, WsimXdrBuf *out, xdrproc_t xres, const void *res)
{
  ReqData *rd = wsim_rpc_request_get_auth_data (req);

  /* Control replies (no context yet) go as they are. */
  if (rd == NULL || rd->ctx == NULL)
    return wsim_xdrbuf_encode (out, xres, res);
  return wsim_gss_body_put (rd->ctx->gss, rd->service, rd->seq, xres, res, out, NULL);
}

static void
svc_gss_reply_verf (WsimRpcRequest *req, struct opaque_auth *verf)
{
  ReqData *rd = wsim_rpc_request_get_auth_data (req);

  if (rd == NULL)
    return;
  if (rd->verf == NULL && rd->ctx != NULL)
    {
      g_autoptr(GBytes) seq = wsim_gss_seq_bytes (rd->seq);

      rd->verf = wsim_gss_get_mic (rd->ctx->gss, seq, NULL);
    }
  if (rd->verf == NULL)
    return;
  verf->oa_flavor = WSIM_RPCSEC_GSS;
  verf->oa_base = (caddr_t) g_bytes_get_data (rd->verf, NULL);
  verf->oa_length = (u_int) g_bytes_get_size (rd->verf);
}

static void
add_n_contexts (gpointer state, gpointer user_data)
{
  ConnContexts *cc = state;

  *(guint *) user_data += g_hash_table_size (cc->by_handle);
}

guint
wsim_svc_auth_gss_get_n_contexts (WsimRpcServer *server)
{
  guint n = 0;

  wsim_rpc_server_foreach_conn_state (server, WSIM_RPCSEC_GSS, add_n_contexts, &n);
  return n;
}

static void
forget_contexts (gpointer state, gpointer user_data)
{
  ConnContexts *cc = state;

  g_hash_table_remove_all (cc->by_handle);
}

void
wsim_svc_auth_gss_forget_contexts (WsimRpcServer *server)
{
  wsim_rpc_server_foreach_conn_state (server, WSIM_RPCSEC_GSS, forget_contexts, NULL);
}

static const WsimSvcAuthOps svc_auth_gss_ops = {
  .flavor = WSIM_RPCSEC_GSS,
  .name = "rpcsec_gss",
  .check = svc_gss_check,
  .unwrap = svc_gss_unwrap,
  .wrap = svc_gss_wrap,
  .reply_verf = svc_gss_reply_verf,
};

const WsimSvcAuthOps *
wsim_svc_auth_gss (void)
{
  return &svc_auth_gss_ops;
}
