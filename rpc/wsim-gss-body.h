/* wsim-gss-body.h: RFC 2203's protected bodies, shared by both sides of RPCSEC_GSS.
 *
 * The body of a call or reply is its sequence number followed by the arguments or results.
 * Integrity sends it as opaque data followed by an opaque MIC over it; privacy sends it as
 * one opaque wrapped token. Internal.
 */
#pragma once

#include "wsim-gss.h"
#include "wsim-xdrbuf.h"

G_BEGIN_DECLS

/* The largest protected body accepted (a record is bounded anyway). */
#define WSIM_GSS_MAX_BODY (16u * 1024 * 1024)

/* Appends @obj as @service's body for sequence number @seq. */
gboolean wsim_gss_body_put (WsimGssContext *gss, guint32 service, guint32 seq, xdrproc_t proc,
                            const void *obj, WsimXdrBuf *out, GError **error);

/* Reads @service's body from @xdrs into @obj; checks the MIC or unwraps, and that the body's
 * sequence number is @seq. */
gboolean wsim_gss_body_get (WsimGssContext *gss, guint32 service, guint32 seq, XDR *xdrs,
                            xdrproc_t proc, void *obj, GError **error);

/* Appends an opaque<> of @data. */
void wsim_xdrbuf_put_opaque (WsimXdrBuf *out, const void *data, gsize len);

/* The 4 bytes of @v in network order, as RFC 2203 signs them. */
GBytes *wsim_gss_seq_bytes (guint32 v);

G_END_DECLS
