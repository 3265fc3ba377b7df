/* wsim-gss-body.c: RFC 2203's protected bodies (see wsim-gss-body.h). */
#include "wsim-gss-body.h"

#include <stdlib.h>
#include <string.h>

#include "wsim-auth-gss.h"
#include "wsim-rpc-error.h"

void
wsim_xdrbuf_put_opaque (WsimXdrBuf *out, const void *data, gsize len)
{
  static const guint8 zeros[4];
  guint32 n = GUINT32_TO_BE ((guint32) len);

  wsim_xdrbuf_append (out, &n, 4);
  wsim_xdrbuf_append (out, data, len);
  wsim_xdrbuf_append (out, zeros, RNDUP (len) - len);
}

GBytes *
wsim_gss_seq_bytes (guint32 v)
{
  guint32 be = GUINT32_TO_BE (v);

  return g_bytes_new (&be, 4);
}

gboolean
wsim_gss_body_put (WsimGssContext *gss, guint32 service, guint32 seq, xdrproc_t proc,
                   const void *obj, WsimXdrBuf *out, GError **error)
{
  g_autoptr(WsimXdrBuf) body = wsim_xdrbuf_new (0, 256);
  g_autoptr(GBytes) plain = NULL, sealed = NULL;
  guint32 be = GUINT32_TO_BE (seq);

  if (service == WSIM_GSS_SVC_NONE)
    {
      if (!wsim_xdrbuf_encode (out, proc, obj))
        goto encode_failed;
      return TRUE;
    }
  wsim_xdrbuf_append (body, &be, 4);
  if (!wsim_xdrbuf_encode (body, proc, obj))
    goto encode_failed;
  plain = g_bytes_new_static (body->data, body->len);
  if (service == WSIM_GSS_SVC_INTEGRITY)
    {
      g_autoptr(GBytes) mic = wsim_gss_get_mic (gss, plain, error);

      if (mic == NULL)
        return FALSE;
      wsim_xdrbuf_put_opaque (out, body->data, body->len);
      wsim_xdrbuf_put_opaque (out, g_bytes_get_data (mic, NULL), g_bytes_get_size (mic));
      return TRUE;
    }
  sealed = wsim_gss_wrap (gss, plain, TRUE, error);
  if (sealed == NULL)
    return FALSE;
  wsim_xdrbuf_put_opaque (out, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  return TRUE;

encode_failed:
  g_set_error_literal (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_ENCODE, "body does not encode");
  return FALSE;
}

/* Reads one opaque<> (malloc'ed by XDR) as GBytes. */
static GBytes *
read_opaque (XDR *xdrs)
{
  char *p = NULL;
  u_int n = 0;

  if (!xdr_bytes (xdrs, &p, &n, WSIM_GSS_MAX_BODY))
    {
      free (p);
      return NULL;
    }
  return g_bytes_new_with_free_func (p, n, free, p);
}

gboolean
wsim_gss_body_get (WsimGssContext *gss, guint32 service, guint32 seq, XDR *xdrs, xdrproc_t proc,
                   void *obj, GError **error)
{
  g_autoptr(GBytes) first = NULL, plain = NULL;
  guint32 got;
  gsize len;
  const guint8 *p;
  XDR body;
  gboolean ok;

  if (service == WSIM_GSS_SVC_NONE)
    {
      if (proc (xdrs, obj, 0))
        return TRUE;
      goto decode_failed;
    }
  first = read_opaque (xdrs);
  if (first == NULL)
    goto decode_failed;
  if (service == WSIM_GSS_SVC_INTEGRITY)
    {
      g_autoptr(GBytes) mic = read_opaque (xdrs);

      if (mic == NULL)
        goto decode_failed;
      if (!wsim_gss_verify_mic (gss, first, mic, error))
        return FALSE;
      plain = g_bytes_ref (first);
    }
  else if ((plain = wsim_gss_unwrap (gss, first, NULL, error)) == NULL)
    return FALSE;

  p = g_bytes_get_data (plain, &len);
  if (len < 4)
    goto decode_failed;
  memcpy (&got, p, 4);
  if (GUINT32_FROM_BE (got) != seq)
    {
      g_set_error (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_INTEGRITY,
                   "protected body carries sequence number %u, not %u", GUINT32_FROM_BE (got), seq);
      return FALSE;
    }
  xdrmem_create (&body, (char *) p + 4, (u_int) (len - 4), XDR_DECODE);
  ok = proc (&body, obj, 0);
  xdr_destroy (&body);
  if (ok)
    return TRUE;

decode_failed:
  xdr_free (proc, obj);
  g_set_error_literal (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_DECODE, "protected body does not decode");
  return FALSE;
}
