/* wsim-xdrbuf.c: a growable buffer and the XDR_ENCODE stream that appends to it.
 *
 * The stream implements only what encoding needs (put, position, inline); the get
 * operations refuse, so a routine run in the wrong direction fails instead of
 * reading garbage.
 */
#include "wsim-xdrbuf.h"

#include <string.h>

#define BUF(xdrs) ((WsimXdrBuf *) (xdrs)->x_private)

/* The largest buffer kept for reuse. */
#define SPARE_MAX (4u * 1024 * 1024)

static void
xdrbuf_destroy (gpointer p)
{
  WsimXdrBuf *buf = p;

  g_free (buf->data);
  g_free (buf);
}

/* One spare buffer per thread: a record is encoded, sent and freed, and the next one
 * reuses the space. Growing a fresh 256-byte buffer to 64 KiB for every echo reply cost
 * nine reallocs and, once glibc trimmed the heap, page faults (measured in bench/). */
static GPrivate spare_key = G_PRIVATE_INIT (xdrbuf_destroy);

WsimXdrBuf *
wsim_xdrbuf_new (gsize reserve, gsize hint)
{
  WsimXdrBuf *buf = g_private_get (&spare_key);
  gsize want = MAX (hint, reserve) + 64;

  if (buf != NULL)
    {
      g_private_set (&spare_key, NULL);
      if (buf->cap < want)
        {
          buf->data = g_realloc (buf->data, want);
          buf->cap = want;
        }
    }
  else
    {
      buf = g_new0 (WsimXdrBuf, 1);
      buf->cap = want;
      buf->data = g_malloc (buf->cap);
    }
  buf->len = reserve;
  return buf;
}

void
wsim_xdrbuf_free (WsimXdrBuf *buf)
{
  if (buf == NULL)
    return;
  if (buf->cap <= SPARE_MAX && g_private_get (&spare_key) == NULL)
    g_private_set (&spare_key, buf);
  else
    xdrbuf_destroy (buf);
}

guint8 *
wsim_xdrbuf_reserve (WsimXdrBuf *buf, gsize len)
{
  guint8 *p;

  if (G_UNLIKELY (buf->cap - buf->len < len))
    {
      gsize cap = buf->cap * 2;

      while (cap - buf->len < len)
        cap *= 2;
      buf->data = g_realloc (buf->data, cap);
      buf->cap = cap;
    }
  p = buf->data + buf->len;
  buf->len += len;
  return p;
}

void
wsim_xdrbuf_append (WsimXdrBuf *buf, const void *data, gsize len)
{
  memcpy (wsim_xdrbuf_reserve (buf, len), data, len);
}

static bool_t
xb_getlong (XDR *xdrs, long *lp)
{
  return FALSE;
}

static bool_t
xb_getbytes (XDR *xdrs, char *addr, u_int len)
{
  return FALSE;
}

static bool_t
xb_putlong (XDR *xdrs, const long *lp)
{
  guint32 v = GUINT32_TO_BE ((guint32) *lp);

  wsim_xdrbuf_append (BUF (xdrs), &v, 4);
  return TRUE;
}

static bool_t
xb_putbytes (XDR *xdrs, const char *addr, u_int len)
{
  wsim_xdrbuf_append (BUF (xdrs), addr, len);
  return TRUE;
}

static u_int
xb_getpostn (XDR *xdrs)
{
  return (u_int) BUF (xdrs)->len;
}

static bool_t
xb_setpostn (XDR *xdrs, u_int pos)
{
  WsimXdrBuf *buf = BUF (xdrs);

  /* Seeking forward would expose uninitialised bytes: only allow going back. */
  if (pos > buf->len)
    return FALSE;
  buf->len = pos;
  return TRUE;
}

static int32_t *
xb_inline (XDR *xdrs, u_int len)
{
  /* Callers (xdr_callmsg and friends) write through the pointer at once. The space
   * must be 4-byte aligned for int32_t stores: positions are multiples of 4 as long as
   * everything goes through XDR, and the data pointer comes from malloc. */
  if (len % 4 != 0 || BUF (xdrs)->len % 4 != 0)
    return NULL;
  return (int32_t *) wsim_xdrbuf_reserve (BUF (xdrs), len);
}

static void
xb_destroy (XDR *xdrs)
{
}

static bool_t
xb_control (XDR *xdrs, int request, void *info)
{
  return FALSE;
}

static const struct xdr_ops xdrbuf_ops = {
  .x_getlong = xb_getlong,
  .x_putlong = xb_putlong,
  .x_getbytes = xb_getbytes,
  .x_putbytes = xb_putbytes,
  .x_getpostn = xb_getpostn,
  .x_setpostn = xb_setpostn,
  .x_inline = xb_inline,
  .x_destroy = xb_destroy,
  .x_control = xb_control,
};

void
wsim_xdrbuf_xdr_init (XDR *xdrs, WsimXdrBuf *buf)
{
  memset (xdrs, 0, sizeof *xdrs);
  xdrs->x_op = XDR_ENCODE;
  xdrs->x_ops = &xdrbuf_ops;
  xdrs->x_private = (void *) buf;
}

gboolean
wsim_xdrbuf_encode (WsimXdrBuf *buf, xdrproc_t proc, const void *obj)
{
  XDR xdrs;
  gsize start = buf->len;

  wsim_xdrbuf_xdr_init (&xdrs, buf);
  if (!proc (&xdrs, (void *) obj, 0))
    {
      buf->len = start;
      return FALSE;
    }
  return TRUE;
}
