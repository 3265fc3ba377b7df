/* wsim-auth-gss-client.c: RPCSEC_GSS, the client side (see wsim-auth-gss.h).
 *
 * Establishment uses a control flavor whose credential says INIT or CONTINUE_INIT and whose
 * reply verifier is kept: when the context completes, it must be the server's MIC over the
 * sequence window. Data calls then use the data flavor below.
 */
#include "wsim-auth-gss.h"

#include <rpc/auth_gss.h>
#include <string.h>

#include "wsim-gss-body.h"
#include "wsim-rpc-error.h"

typedef struct {
  WsimGssContext *gss;       /* (owned) */
  WsimGssService  service;
  GBytes         *handle;    /* (owned) the server's context handle */
  guint32         next_seq;  /* the next data call's sequence number */
  guint32         window;
  gboolean        destroyed; /* DESTROY was sent (or the client had gone): never send again */
  /* Establishment only. */
  guint32         proc;      /* RPCSEC_GSS_INIT or _CONTINUE_INIT */
  GBytes         *last_verf; /* (owned) (nullable) the reply verifier of the last control call */
} GssData;

static void
gss_data_free (gpointer p)
{
  GssData *d = p;

  wsim_gss_context_free (d->gss);
  g_clear_pointer (&d->handle, g_bytes_unref);
  g_clear_pointer (&d->last_verf, g_bytes_unref);
  g_free (d);
}

/* Appends an RPCSEC_GSS credential (RFC 2203 rpc_gss_cred_vers_1_t) to @out. */
static void
put_cred (WsimXdrBuf *out, guint32 proc, guint32 seq, guint32 service, GBytes *handle)
{
  gsize hlen = handle != NULL ? g_bytes_get_size (handle) : 0;
  guint32 w[6] = {
    GUINT32_TO_BE (WSIM_RPCSEC_GSS), GUINT32_TO_BE ((guint32) (16 + 4 + RNDUP (hlen))),
    GUINT32_TO_BE (RPCSEC_GSS_VERSION), GUINT32_TO_BE (proc), GUINT32_TO_BE (seq),
    GUINT32_TO_BE (service),
  };

  wsim_xdrbuf_append (out, w, sizeof w);
  wsim_xdrbuf_put_opaque (out, hlen > 0 ? g_bytes_get_data (handle, NULL) : "", hlen);
}

/* ---- the control flavor (establishment) ----------------------------------------- */

static gboolean
ctl_marshal (WsimAuth *auth, WsimXdrBuf *out, gsize header_start, guint32 *seq, GError **error)
{
  GssData *d = wsim_auth_get_data (auth);
  static const guint32 none_verf[2] = { 0, 0 };

  put_cred (out, d->proc, 0, d->service, d->handle);
  wsim_xdrbuf_append (out, none_verf, sizeof none_verf);
  *seq = 0;
  return TRUE;
}

static gboolean
ctl_validate (WsimAuth *auth, const struct opaque_auth *verf, guint32 seq, GError **error)
{
  GssData *d = wsim_auth_get_data (auth);

  g_clear_pointer (&d->last_verf, g_bytes_unref);
  if (verf->oa_flavor == WSIM_RPCSEC_GSS && verf->oa_length > 0)
    d->last_verf = g_bytes_new (verf->oa_base, verf->oa_length);
  return TRUE;
}

static const WsimAuthOps auth_gss_control_ops = {
  .flavor = WSIM_RPCSEC_GSS,
  .name = "rpcsec_gss-init",
  .marshal = ctl_marshal,
  .validate = ctl_validate,
  .free_data = gss_data_free,
};

/* ---- the data flavor -------------------------------------------------------------- */

/* Appends the credential of a sequenced call (DATA or DESTROY) with the next sequence number,
 * and as its verifier a MIC over the header, from the XID to the end of the credential
 * (RFC 2203 5.3.1). */
static gboolean
put_sequenced (GssData *d, WsimXdrBuf *out, gsize header_start, guint32 proc,
               WsimGssService service, guint32 *seq, GError **error)
{
  g_autoptr(GBytes) header = NULL, mic = NULL;
  guint32 flavor = GUINT32_TO_BE (WSIM_RPCSEC_GSS);

  if (d->next_seq >= MAXSEQ)
    {
      g_set_error_literal (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM,
                           "RPCSEC_GSS sequence numbers exhausted: establish a new context");
      return FALSE;
    }
  *seq = d->next_seq++;
  put_cred (out, proc, *seq, service, d->handle);
  header = g_bytes_new (out->data + header_start, out->len - header_start);
  mic = wsim_gss_get_mic (d->gss, header, error);
  if (mic == NULL)
    return FALSE;
  wsim_xdrbuf_append (out, &flavor, 4);
  wsim_xdrbuf_put_opaque (out, g_bytes_get_data (mic, NULL), g_bytes_get_size (mic));
  return TRUE;
}

static gboolean
gss_marshal (WsimAuth *auth, WsimXdrBuf *out, gsize header_start, guint32 *seq, GError **error)
{
  GssData *d = wsim_auth_get_data (auth);

  /* The server has forgotten the context (or soon will): a call sent now could only earn
   * RPCSEC_GSS_CREDPROBLEM, so it fails here, saying why. */
  if (d->destroyed)
    {
      g_set_error_literal (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM,
                           "the RPCSEC_GSS context was destroyed: establish a new one");
      return FALSE;
    }
  return put_sequenced (d, out, header_start, RPCSEC_GSS_DATA, d->service, seq, error);
}

static gboolean
gss_wrap_args (WsimAuth *auth, WsimXdrBuf *out, guint32 seq, xdrproc_t xargs, const void *args,
               GError **error)
{
  GssData *d = wsim_auth_get_data (auth);

  return wsim_gss_body_put (d->gss, d->service, seq, xargs, args, out, error);
}

static gboolean
gss_validate (WsimAuth *auth, const struct opaque_auth *verf, guint32 seq, GError **error)
{
  GssData *d = wsim_auth_get_data (auth);
  g_autoptr(GBytes) msg = wsim_gss_seq_bytes (seq);
  g_autoptr(GBytes) mic = NULL;

  if (verf->oa_flavor != WSIM_RPCSEC_GSS)
    {
      g_set_error (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_AUTH_INVALIDRESP,
                   "RPCSEC_GSS reply verifier has flavor %d", (int) verf->oa_flavor);
      return FALSE;
    }
  mic = g_bytes_new (verf->oa_base, verf->oa_length);
  return wsim_gss_verify_mic (d->gss, msg, mic, error);
}

static gboolean
gss_unwrap_results (WsimAuth *auth, XDR *xdrs, guint32 seq, xdrproc_t xres, void *res,
                    GError **error)
{
  GssData *d = wsim_auth_get_data (auth);

  return wsim_gss_body_get (d->gss, d->service, seq, xdrs, xres, res, error);
}

static const WsimAuthOps auth_gss_ops = {
  .flavor = WSIM_RPCSEC_GSS,
  .name = "rpcsec_gss",
  .marshal = gss_marshal,
  .wrap = gss_wrap_args,
  .validate = gss_validate,
  .unwrap = gss_unwrap_results,
  .free_data = gss_data_free,
};

/* ---- the destroy flavor ----------------------------------------------------------- */

/* Its data is a reference to the data flavor it destroys, whose context signs the call. */

static gboolean
destroy_marshal (WsimAuth *auth, WsimXdrBuf *out, gsize header_start, guint32 *seq,
                 GError **error)
{
  GssData *d = wsim_auth_get_data (wsim_auth_get_data (auth));

  /* Service none whatever the context's service: the arguments and results are void, RFC
   * 2203 does not say whether a DESTROY's void body is wrapped, and servers differ (ours
   * never wraps it). With service none the plain body is the only reading. */
  return put_sequenced (d, out, header_start, RPCSEC_GSS_DESTROY, WSIM_GSS_SVC_NONE, seq, error);
}

static gboolean
destroy_validate (WsimAuth *auth, const struct opaque_auth *verf, guint32 seq, GError **error)
{
  return gss_validate (wsim_auth_get_data (auth), verf, seq, error);
}

static void
destroy_data_free (gpointer data)
{
  wsim_auth_unref (data);
}

static const WsimAuthOps auth_gss_destroy_ops = {
  .flavor = WSIM_RPCSEC_GSS,
  .name = "rpcsec_gss-destroy",
  .marshal = destroy_marshal,
  .validate = destroy_validate,
  .free_data = destroy_data_free,
};

/* ---- establishment ---------------------------------------------------------------- */

/* Bounded: the mechanisms here need one to three legs. */
#define MAX_LEGS 10

static bool_t
xdr_init_arg (XDR *xdrs, void *obj, u_int unused)
{
  GBytes **token = obj;
  gsize len = 0;
  char *p = (char *) g_bytes_get_data (*token, &len);
  u_int n = (u_int) len;

  return xdr_bytes (xdrs, &p, &n, WSIM_GSS_MAX_BODY);
}

/* One exchange in flight. Between legs it is owned by the call in flight, whose callback the
 * engine runs exactly once, so nothing refers to the client but that call. */
typedef struct {
  WsimAuth         *control;   /* (owned) the control flavor; its GssData is the exchange's */
  guint             legs;      /* INIT / CONTINUE_INIT calls sent */
  WsimAuthReadyFunc done;
  gpointer          user_data;
} Exchange;

static void
exchange_free (Exchange *x)
{
  wsim_auth_unref (x->control);
  g_free (x);
}

/* Hands the outcome over from the loop (a reply callback) and ends the exchange. */
static void
exchange_end (Exchange *x, WsimAuth *auth, const GError *error)
{
  x->done (auth, error, x->user_data);
  exchange_free (x);
}

/* The last reply came: the context must be established and proved by the server's MIC over
 * the sequence window. Returns: (transfer full) (nullable) the data flavor. */
static WsimAuth *
exchange_result (Exchange *x, GError **error)
{
  GssData *d = wsim_auth_get_data (x->control);
  g_autoptr(GBytes) win = NULL;
  GssData *data;

  if (!wsim_gss_context_is_established (d->gss) || d->window == 0 || d->last_verf == NULL)
    {
      g_set_error_literal (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_CONTEXT,
                           "the RPCSEC_GSS exchange ended without an established context");
      return NULL;
    }
  win = wsim_gss_seq_bytes (d->window);
  if (!wsim_gss_verify_mic (d->gss, win, d->last_verf, error))
    return NULL;
  /* The data flavor takes the state over from the control flavor. */
  data = g_new0 (GssData, 1);
  data->gss = g_steal_pointer (&d->gss);
  data->service = d->service;
  data->handle = g_steal_pointer (&d->handle);
  data->window = d->window;
  data->next_seq = 1;
  return wsim_auth_new (&auth_gss_ops, data);
}

static void on_init_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error,
                           gpointer data);

/* Steps the initiator with the server's last token (NULL at first) and sends what it makes.
 * Returns: FALSE with @error if the exchange failed here (nothing is in flight then); TRUE
 *   when a leg is in flight or *@result holds the flavor. */
static gboolean
exchange_step (Exchange *x, WsimRpcClient *client, GBytes *in, WsimAuth **result, GError **error)
{
  GssData *d = wsim_auth_get_data (x->control);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(WsimAuth) saved = NULL;

  if (!wsim_gss_context_step (d->gss, in, &out, error))
    return FALSE;
  if (out == NULL || x->legs == MAX_LEGS)
    {
      /* Nothing more to send (the initiator side is done), or too many legs. */
      *result = exchange_result (x, error);
      return *result != NULL;
    }
  x->legs++;
  /* A call keeps the flavor it is made with: the client's own is back at once. */
  saved = wsim_auth_ref (wsim_rpc_client_get_auth (client));
  wsim_rpc_client_set_auth (client, x->control);
  wsim_rpc_client_call (client, NULLPROC, WSIM_XDRPROC (xdr_init_arg), &out, -1, NULL,
                        on_init_reply, x);
  wsim_rpc_client_set_auth (client, saved);
  return TRUE;
}

/* Reads the server's answer to a leg. Returns: (transfer full) (nullable) the server's next
 *   token; FALSE with @error if the server refused or the answer is not one. */
static gboolean
read_init_res (Exchange *x, WsimRpcReply *reply, GBytes **token, GError **error)
{
  GssData *d = wsim_auth_get_data (x->control);
  struct rpc_gss_init_res res = { 0 };
  gboolean ok = FALSE;

  if (!wsim_rpc_reply_decode (reply, WSIM_XDRPROC (xdr_rpc_gss_init_res), &res, error))
    return FALSE;
  if (res.gr_major != GSS_S_COMPLETE && res.gr_major != GSS_S_CONTINUE_NEEDED)
    g_set_error (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_CONTEXT,
                 "the server refused the %s context (GSS major 0x%x, minor %u)",
                 wsim_gss_mech_get_name (wsim_gss_context_get_mech (d->gss)), res.gr_major,
                 res.gr_minor);
  else
    {
      g_clear_pointer (&d->handle, g_bytes_unref);
      d->handle = g_bytes_new (res.gr_ctx.value, res.gr_ctx.length);
      d->window = res.gr_win;
      d->proc = RPCSEC_GSS_CONTINUE_INIT;
      *token = res.gr_token.length > 0 ? g_bytes_new (res.gr_token.value, res.gr_token.length) : NULL;
      ok = TRUE;
    }
  xdr_free (WSIM_XDRPROC (xdr_rpc_gss_init_res), (char *) &res);
  return ok;
}

static void
on_init_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  Exchange *x = data;
  GssData *d = wsim_auth_get_data (x->control);
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) token = NULL;
  WsimAuth *result = NULL;

  if (error != NULL)
    {
      exchange_end (x, NULL, error);
      return;
    }
  if (!read_init_res (x, reply, &token, &local))
    exchange_end (x, NULL, local);
  else if (token == NULL && wsim_gss_context_is_established (d->gss))
    {
      result = exchange_result (x, &local);
      exchange_end (x, result, local);
    }
  else if (!exchange_step (x, client, token, &result, &local) || result != NULL)
    exchange_end (x, result, local);
}

void
wsim_auth_gss_establish_async (WsimRpcClient *client, const WsimGssMech *mech, const char *target,
                               const WsimGssInitiatorOptions *opts, WsimGssService service,
                               WsimAuthReadyFunc done, gpointer user_data)
{
  Exchange *x;
  GssData *d;
  GError *error = NULL;
  WsimAuth *result = NULL;

  g_return_if_fail (client != NULL && mech != NULL && target != NULL && done != NULL);
  g_return_if_fail (service >= WSIM_GSS_SVC_NONE && service <= WSIM_GSS_SVC_PRIVACY);
  d = g_new0 (GssData, 1);
  d->gss = wsim_gss_context_new_initiator_full (mech, target, opts, &error);
  if (d->gss == NULL)
    {
      gss_data_free (d);
      wsim_auth_ready_later (wsim_rpc_client_get_context (client), NULL, error, done, user_data);
      return;
    }
  d->service = service;
  d->proc = RPCSEC_GSS_INIT;
  x = g_new0 (Exchange, 1);
  x->control = wsim_auth_new (&auth_gss_control_ops, d);
  x->done = done;
  x->user_data = user_data;
  if (!exchange_step (x, client, NULL, &result, &error))
    {
      /* Known at once (credentials, a target the KDC does not know): nothing was sent. A
       * first step never ends in a flavor, which needs the window only a reply brings. */
      wsim_auth_ready_later (wsim_rpc_client_get_context (client), NULL, error, done, user_data);
      exchange_free (x);
    }
}

WsimAuth *
wsim_auth_gss_establish (WsimRpcClient *client, const WsimGssMech *mech, const char *target,
                         const char *user, WsimGssService service, GError **error)
{
  WsimGssInitiatorOptions opts = { .user = user };
  WsimAuthWait w = { 0 };

  wsim_auth_gss_establish_async (client, mech, target, &opts, service, wsim_auth_wait_ready, &w);
  return wsim_auth_wait (wsim_rpc_client_get_context (client), &w, error);
}

gboolean
wsim_auth_is_gss (WsimAuth *auth)
{
  return auth != NULL && wsim_auth_get_ops (auth) == &auth_gss_ops;
}

WsimGssService
wsim_auth_gss_get_service (WsimAuth *auth)
{
  GssData *d;

  g_return_val_if_fail (wsim_auth_is_gss (auth), WSIM_GSS_SVC_NONE);
  d = wsim_auth_get_data (auth);
  return d->service;
}

GBytes *
wsim_auth_gss_get_handle (WsimAuth *auth)
{
  GssData *d;

  g_return_val_if_fail (wsim_auth_is_gss (auth), NULL);
  d = wsim_auth_get_data (auth);
  return d->handle;
}

gboolean
wsim_auth_gss_destroy (WsimRpcClient *client, WsimAuth *auth, guint timeout_ms, GError **error)
{
  g_autoptr(WsimAuth) saved = NULL, control = NULL;
  GssData *d;
  gboolean ok;

  g_return_val_if_fail (client != NULL, FALSE);
  if (!wsim_auth_is_gss (auth))
    return TRUE;   /* AUTH_NONE, AUTH_SYS, CONNECT's AUTH_NONE: no context to destroy */
  d = wsim_auth_get_data (auth);
  if (d->destroyed)
    return TRUE;
  /* Marked first: whatever the outcome, the server's state of this context is now unknown
   * (gone, or going with the connection), so nothing may be sent with it again. */
  d->destroyed = TRUE;
  if (!wsim_rpc_client_is_connected (client))
    return TRUE;   /* the server freed the context with the connection */

  saved = wsim_auth_ref (wsim_rpc_client_get_auth (client));
  control = wsim_auth_new (&auth_gss_destroy_ops, wsim_auth_ref (auth));
  wsim_rpc_client_set_auth (client, control);
  /* 0 would mean "no timeout" to the engine; a DESTROY made while releasing a proxy must
   * never wait for ever, so 0 takes the default instead. */
  ok = wsim_rpc_client_call_sync (client, NULLPROC, WSIM_XDRPROC (xdr_void), NULL,
                                  WSIM_XDRPROC (xdr_void), NULL,
                                  timeout_ms == 0 ? -1 : (gint) MIN (timeout_ms, (guint) G_MAXINT),
                                  NULL, error);
  wsim_rpc_client_set_auth (client, saved);
  return ok;
}
