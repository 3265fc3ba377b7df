/* wsim-xdrbuf.h: a growable byte buffer and an XDR encoding stream over it.
 *
 * libtirpc's xdrmem streams need their size up front; replies and calls have sizes
 * known only after encoding. WsimXdrBuf grows as the XDR routines write, so a record
 * is encoded once, in place, after four bytes reserved for the record mark.
 * Single-threaded: a buffer belongs to whoever created it until it is handed on.
 */
#pragma once

#include <glib.h>
#include <rpc/rpc.h>

G_BEGIN_DECLS

/**
 * WSIM_XDRPROC:
 * libtirpc types xdrproc_t as bool_t (*)(XDR *, ...) while rpcgen emits
 * bool_t xdr_T(XDR *, T *). Casting through a generic function pointer says the
 * conversion is meant (and keeps -Wcast-function-type quiet); libtirpc itself calls
 * such routines with the extra argument, which the ABI ignores.
 */
#define WSIM_XDRPROC(fn) ((xdrproc_t) (void (*) (void)) (fn))

/**
 * WsimXdrBuf:
 * @data: (owned) the bytes; @len bytes are valid, @cap allocated.
 */
typedef struct {
  guint8 *data;
  gsize   len;
  gsize   cap;
} WsimXdrBuf;

/**
 * wsim_xdrbuf_new:
 * @reserve: bytes to leave at the start (4 for a record mark, 0 otherwise); they count in @len.
 * @hint: expected final size, to allocate once.
 * Returns: (transfer full) a new buffer; free with wsim_xdrbuf_free().
 */
WsimXdrBuf *wsim_xdrbuf_new (gsize reserve, gsize hint);

/** wsim_xdrbuf_free: frees @buf and its bytes; NULL is fine. */
void wsim_xdrbuf_free (WsimXdrBuf *buf);

/**
 * wsim_xdrbuf_append:
 * Appends @len bytes of @data. Never fails (GLib aborts on out-of-memory).
 */
void wsim_xdrbuf_append (WsimXdrBuf *buf, const void *data, gsize len);

/**
 * wsim_xdrbuf_reserve:
 * Makes room for @len more bytes and returns a pointer to them; the caller fills them
 * and they count in buf->len at once.
 */
guint8 *wsim_xdrbuf_reserve (WsimXdrBuf *buf, gsize len);

/**
 * wsim_xdrbuf_xdr_init:
 * @xdrs: an XDR handle to set up as an XDR_ENCODE stream that appends to @buf.
 * The stream stays valid while @buf lives; XDR_DESTROY is a no-op. Positions
 * (XDR_GETPOS/XDR_SETPOS) are byte offsets into @buf, reserved bytes included.
 */
void wsim_xdrbuf_xdr_init (XDR *xdrs, WsimXdrBuf *buf);

/**
 * wsim_xdrbuf_encode:
 * Encodes @obj with @proc, appended to @buf.
 * Returns: FALSE (with @buf unchanged in length) when the XDR routine refused.
 */
gboolean wsim_xdrbuf_encode (WsimXdrBuf *buf, xdrproc_t proc, const void *obj);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimXdrBuf, wsim_xdrbuf_free)

G_END_DECLS
