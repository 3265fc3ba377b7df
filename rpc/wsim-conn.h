/* wsim-conn.h: one record-marked stream connection on a GLib main context.
 *
 * The transport under both the client and the server: a non-blocking socket watched by
 * one GSource, a record reader (wsim-record.h) on the way in, and a queue of encoded
 * records on the way out. Replies produced while a batch of input is being dispatched
 * are corked and leave in one writev; otherwise a record is written at once and only
 * queued when the kernel's buffer is full.
 *
 * Back-pressure: reading stops while the owner pauses it, or while more than the
 * high watermark of output is queued; it resumes when the owner unpauses and the queue
 * has drained to half the watermark. Input already read when reading stops is kept
 * and dispatched first on resume, so nothing read is lost and nothing unbounded is read.
 *
 * Lifecycle: the owner holds the reference from wsim_conn_new(). The @closed callback
 * runs at most once, from the connection's own GSource, when the peer or the socket
 * ends the connection; wsim_conn_close() by the owner does not call it. Internal.
 * Threading: the thread iterating the context, only.
 */
#pragma once

#include <gio/gio.h>

#include "wsim-xdrbuf.h"

G_BEGIN_DECLS

typedef struct _WsimConn WsimConn;

typedef struct {
  /* A whole record arrived; @rec is valid during the call only. The callee may close,
   * pause or unref-through-owner the connection (a reference is held meanwhile). */
  void (*record) (WsimConn *conn, const guint8 *rec, gsize len, gpointer user_data);
  /* The peer or the socket ended the connection: @error is NULL for an orderly EOF at a
   * record boundary, set otherwise (mid-record EOF, reset, oversize record: then with
   * WSIM_RPC_ERROR_RECORD_TOO_LARGE). */
  void (*closed) (WsimConn *conn, const GError *error, gpointer user_data);
} WsimConnCallbacks;

WsimConn *wsim_conn_new (GMainContext *context, GSocket *socket, guint32 max_record,
                         const WsimConnCallbacks *callbacks, gpointer user_data);
WsimConn *wsim_conn_ref (WsimConn *conn);
void      wsim_conn_unref (WsimConn *conn);

/* Takes @data (@len bytes of the record-marked stream, borrowed) as if it had just been read
 * from the socket: its whole records go to the @record callback, batched replies leave
 * after them, a partial record waits for the rest. For the fuzz targets, which drive the
 * engine without a peer (fuzzing/fuzz-request.c, fuzz-reply.c); not from inside a callback
 * of @conn's. */
void      wsim_conn_feed (WsimConn *conn, const guint8 *data, gsize len);

/* Queues @buf (transfer full), whose first 4 bytes are reserved for the record mark.
 * On a closed connection the buffer is dropped. */
void      wsim_conn_send (WsimConn *conn, WsimXdrBuf *buf);

/* The socket's non-blocking connect is under way: records queue until it completes; a
 * failed connect is reported through @closed like any other end. */
void      wsim_conn_set_connecting (WsimConn *conn);

/* Changes the largest record accepted from now on. */
void      wsim_conn_set_max_record (WsimConn *conn, guint32 max_record);

/* Stops or resumes reading at the owner's request. */
void      wsim_conn_set_read_paused (WsimConn *conn, gboolean paused);
/* Output bytes above which reading stops by itself; G_MAXSIZE disables it. */
void      wsim_conn_set_out_high_watermark (WsimConn *conn, gsize high);

gsize     wsim_conn_get_queued_bytes (WsimConn *conn);
gsize     wsim_conn_get_max_queued_bytes (WsimConn *conn);
/* Monotonic time (µs) of the last byte read or written. */
gint64    wsim_conn_get_last_activity (WsimConn *conn);
gboolean  wsim_conn_is_closed (WsimConn *conn);
GMainContext *wsim_conn_get_context (WsimConn *conn);
/* The socket, NULL once closed. */
GSocket  *wsim_conn_get_socket (WsimConn *conn);

/* Closes now: the socket, the source, the queues. Idempotent; no callback. */
void      wsim_conn_close (WsimConn *conn);

G_END_DECLS
