/* wsim-conn.c: one record-marked stream connection on a GLib main context (see wsim-conn.h). */
#include "wsim-conn.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "wsim-record.h"
#include "wsim-rpc-error.h"

#define READ_CHUNK      (256 * 1024)   /* a 64 KiB record plus header fits: no copy */
#define READS_PER_WAKE  4     /* fairness: at most this many chunks per dispatch */
#define MAX_IOV         64

typedef struct {
  GSource   source;
  WsimConn *conn;             /* (unowned) the connection owns the source */
} ConnSource;

struct _WsimConn {
  gatomicrefcount ref_count;          /* atomic */
  GMainContext   *context;            /* (owned) */
  GSocket        *socket;             /* (owned) (nullable after close) */
  int             fd;
  GSource        *source;             /* (owned) (nullable after close) */
  gpointer        fd_tag;
  GIOCondition    events;             /* what @fd_tag watches now */
  const WsimConnCallbacks *callbacks; /* (unowned) static table of the owner */
  gpointer        user_data;          /* (unowned) the owner */

  WsimRecordReader reader;
  guint8         *backlog;            /* (owned) (nullable) input read but not dispatched */
  gsize           backlog_len;

  GQueue          out;                /* (owned) WsimXdrBuf*, oldest first */
  gsize           out_head_off;       /* bytes of the head already written */
  gsize           queued;             /* bytes in @out not yet written */
  gsize           max_queued;
  gsize           high_watermark;

  gint64          last_activity;
  GError         *pending_error;      /* (owned) (nullable) an I/O error to report */
  gboolean        pending_eof;        /* the peer closed; report from dispatch */
  guint           corked : 1;         /* in a read dispatch: batch the output */
  guint           user_paused : 1;
  guint           wm_paused : 1;      /* paused by the high watermark */
  guint           closed : 1;
  guint           dispatching : 1;    /* in conn_source_dispatch (recursion guard) */
  guint           connecting : 1;     /* a non-blocking connect is under way: output waits */
};

static GPrivate scratch_key = G_PRIVATE_INIT (g_free);
static GPrivate scratch_busy_key;

static void conn_update_events (WsimConn *conn);
static void conn_flush (WsimConn *conn);

static gboolean
conn_reading (WsimConn *conn)
{
  return !conn->closed && !conn->connecting && !conn->user_paused && !conn->wm_paused;
}

static void
conn_fail (WsimConn *conn, GError *error)
{
  /* Errors found while writing (perhaps inside the owner's own call) are reported
   * from the source's dispatch, so the owner is never re-entered. */
  if (conn->pending_error == NULL && !conn->pending_eof)
    conn->pending_error = error;
  else
    g_error_free (error);
  if (conn->source != NULL)
    g_source_set_ready_time (conn->source, 0);
}

static void
conn_report_closed (WsimConn *conn, GError *error)
{
  gboolean was_closed = conn->closed;

  wsim_conn_close (conn);
  if (!was_closed && conn->callbacks->closed != NULL)
    conn->callbacks->closed (conn, error, conn->user_data);
}

/* What a failed recv/send means: IO_RETRY (EINTR), IO_WAIT (the kernel is not ready), or
 * IO_FAILED (the connection is broken; the failure is reported from the dispatch). */
typedef enum { IO_RETRY, IO_WAIT, IO_FAILED } IoOutcome;

static IoOutcome
conn_io_error (WsimConn *conn, const char *what)
{
  int e = errno;

  if (e == EINTR)
    return IO_RETRY;
  if (e == EAGAIN || e == EWOULDBLOCK)
    return IO_WAIT;
  conn_fail (conn, g_error_new (G_IO_ERROR, g_io_error_from_errno (e), "%s failed: %s", what,
                                g_strerror (e)));
  return IO_FAILED;
}

/* Dispatches records from @data. Returns how many bytes were consumed; fewer than @len
 * when the owner paused or closed the connection meanwhile. */
static gsize
conn_dispatch_input (WsimConn *conn, const guint8 *data, gsize len)
{
  const guint8 *p = data;
  gsize left = len;

  while (left > 0 && conn_reading (conn))
    {
      const guint8 *rec;
      gsize rec_len;

      switch (wsim_record_reader_next (&conn->reader, &p, &left, &rec, &rec_len))
        {
        case WSIM_RECORD_READY:
          conn->callbacks->record (conn, rec, rec_len, conn->user_data);
          break;
        case WSIM_RECORD_NEED_MORE:
          break;
        case WSIM_RECORD_TOO_LARGE:
          {
            g_autoptr(GError) error =
              g_error_new (WSIM_RPC_ERROR, WSIM_RPC_ERROR_RECORD_TOO_LARGE,
                           "record larger than %u bytes refused", conn->reader.max_record);
            conn_report_closed (conn, error);
            return len;
          }
        }
    }
  return len - left;
}

static void
conn_keep_backlog (WsimConn *conn, const guint8 *data, gsize len)
{
  if (len == 0)
    return;
  /* At most one read's worth is ever kept: reading stopped before the next. */
  guint8 *b = g_malloc (conn->backlog_len + len);

  if (conn->backlog_len > 0)
    memcpy (b, conn->backlog, conn->backlog_len);
  memcpy (b + conn->backlog_len, data, len);
  g_free (conn->backlog);
  conn->backlog = b;
  conn->backlog_len += len;
}

/* Dispatches the records of @data, and keeps what the owner's pause left undispatched. */
static void
conn_take_input (WsimConn *conn, const guint8 *data, gsize len)
{
  gsize used = conn_dispatch_input (conn, data, len);

  if (!conn->closed)
    conn_keep_backlog (conn, data + used, len - used);
}

static void
conn_process_backlog (WsimConn *conn)
{
  guint8 *b = g_steal_pointer (&conn->backlog);
  gsize n = conn->backlog_len;

  conn->backlog_len = 0;
  conn_take_input (conn, b, n);
  g_free (b);
}

static void
conn_read (WsimConn *conn)
{
  gboolean borrowed = g_private_get (&scratch_busy_key) == NULL;
  guint8 *buf;

  /* One scratch buffer per thread; a nested main loop inside a record callback that
   * reads another connection gets its own. */
  if (borrowed)
    {
      buf = g_private_get (&scratch_key);
      if (buf == NULL)
        {
          buf = g_malloc (READ_CHUNK);
          g_private_set (&scratch_key, buf);
        }
      g_private_set (&scratch_busy_key, GINT_TO_POINTER (1));
    }
  else
    buf = g_malloc (READ_CHUNK);

  for (int i = 0; i < READS_PER_WAKE && conn_reading (conn); i++)
    {
      ssize_t n = recv (conn->fd, buf, READ_CHUNK, MSG_DONTWAIT);

      if (n < 0)
        {
          if (conn_io_error (conn, "receive") == IO_RETRY)
            continue;
          break;
        }
      if (n == 0)
        {
          conn->pending_eof = TRUE;
          g_source_set_ready_time (conn->source, 0);
          break;
        }
      conn->last_activity = g_source_get_time (conn->source);
      conn_take_input (conn, buf, (gsize) n);
      if (conn->closed)
        break;
      if ((gsize) n < READ_CHUNK)
        break;   /* drained; poll tells us about more */
    }

  if (borrowed)
    g_private_set (&scratch_busy_key, NULL);
  else
    g_free (buf);
}

static void
conn_update_events (WsimConn *conn)
{
  GIOCondition ev = 0;

  if (conn->closed)
    return;
  if (conn->wm_paused && conn->queued <= conn->high_watermark / 2)
    {
      conn->wm_paused = FALSE;
      if (conn->backlog_len > 0 && !conn->user_paused)
        g_source_set_ready_time (conn->source, 0);
    }
  else if (!conn->wm_paused && conn->queued > conn->high_watermark)
    conn->wm_paused = TRUE;

  if (conn_reading (conn) && conn->backlog_len == 0)
    ev |= G_IO_IN;
  if (conn->queued > 0 || conn->connecting)
    ev |= G_IO_OUT;
  if (ev != conn->events)
    {
      conn->events = ev;
      g_source_modify_unix_fd (conn->source, conn->fd_tag, ev);
    }
}

static gboolean
conn_source_dispatch (GSource *source, GSourceFunc cb, gpointer data)
{
  WsimConn *conn = ((ConnSource *) source)->conn;
  GIOCondition rev = g_source_query_unix_fd (source, conn->fd_tag);

  if (conn->dispatching)
    {
      /* A main loop nested inside one of our own callbacks. The source may recurse, so
       * that GLib does not block and unblock it around every dispatch (two eventfd
       * writes each time, measured); instead it stops watching until the outer dispatch
       * ends, whose conn_update_events() restores the events. */
      if (conn->events != 0)
        {
          conn->events = 0;
          g_source_modify_unix_fd (source, conn->fd_tag, 0);
        }
      g_source_set_ready_time (source, -1);
      return G_SOURCE_CONTINUE;
    }

  wsim_conn_ref (conn);
  conn->dispatching = TRUE;
  g_source_set_ready_time (source, -1);

  if (conn->connecting && (rev & (G_IO_OUT | G_IO_ERR | G_IO_HUP)))
    {
      g_autoptr(GError) error = NULL;

      conn->connecting = FALSE;
      if (!g_socket_check_connect_result (conn->socket, &error))
        {
          g_prefix_error (&error, "connect failed: ");
          conn_report_closed (conn, error);
        }
      else
        rev |= G_IO_OUT;   /* what waited for the connection leaves now */
    }

  if (rev & G_IO_OUT)
    conn_flush (conn);

  if (!conn->closed && conn_reading (conn) && conn->backlog_len > 0)
    {
      conn->corked = TRUE;
      conn_process_backlog (conn);
      conn->corked = FALSE;
      conn_flush (conn);
    }

  if (!conn->closed && conn_reading (conn) && conn->backlog_len == 0
      && (rev & (G_IO_IN | G_IO_HUP | G_IO_ERR)))
    {
      conn->corked = TRUE;
      conn_read (conn);
      conn->corked = FALSE;
      conn_flush (conn);
    }

  if (!conn->closed && conn->pending_error != NULL)
    {
      g_autoptr(GError) error = g_steal_pointer (&conn->pending_error);
      conn_report_closed (conn, error);
    }
  else if (!conn->closed && conn->pending_eof)
    {
      g_autoptr(GError) error = NULL;

      if (wsim_record_reader_is_partial (&conn->reader) || conn->backlog_len > 0)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                     "peer closed the connection in the middle of a record");
      conn_report_closed (conn, error);
    }
  else if (!conn->closed && (rev & (G_IO_HUP | G_IO_ERR)) && !(rev & G_IO_IN)
           && !conn_reading (conn))
    {
      /* Paused and the peer is gone: nothing more will come, and nothing can leave. */
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                     "connection closed by peer");
      conn_report_closed (conn, error);
    }

  conn->dispatching = FALSE;
  conn_update_events (conn);
  wsim_conn_unref (conn);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs conn_source_funcs = {
  .dispatch = conn_source_dispatch,
};

WsimConn *
wsim_conn_new (GMainContext *context, GSocket *socket, guint32 max_record,
               const WsimConnCallbacks *callbacks, gpointer user_data)
{
  WsimConn *conn = g_new0 (WsimConn, 1);
  ConnSource *src;

  g_atomic_ref_count_init (&conn->ref_count);
  conn->context = g_main_context_ref (context);
  conn->socket = g_object_ref (socket);
  conn->fd = g_socket_get_fd (socket);
  conn->callbacks = callbacks;
  conn->user_data = user_data;
  conn->high_watermark = G_MAXSIZE;
  g_queue_init (&conn->out);
  wsim_record_reader_init (&conn->reader, max_record);
  g_socket_set_blocking (socket, FALSE);

  src = (ConnSource *) g_source_new (&conn_source_funcs, sizeof (ConnSource));
  src->conn = conn;
  g_source_set_static_name ((GSource *) src, "wsim-conn");
  g_source_set_can_recurse ((GSource *) src, TRUE);
  conn->events = G_IO_IN;
  conn->fd_tag = g_source_add_unix_fd ((GSource *) src, conn->fd, conn->events);
  conn->source = (GSource *) src;
  conn->last_activity = g_get_monotonic_time ();
  g_source_attach (conn->source, context);
  return conn;
}

WsimConn *
wsim_conn_ref (WsimConn *conn)
{
  g_atomic_ref_count_inc (&conn->ref_count);
  return conn;
}

void
wsim_conn_unref (WsimConn *conn)
{
  if (conn == NULL || !g_atomic_ref_count_dec (&conn->ref_count))
    return;
  wsim_conn_close (conn);
  g_clear_error (&conn->pending_error);
  g_main_context_unref (conn->context);
  g_free (conn);
}

void
wsim_conn_close (WsimConn *conn)
{
  if (conn->closed)
    return;
  conn->closed = TRUE;
  if (conn->source != NULL)
    {
      g_source_destroy (conn->source);
      g_clear_pointer (&conn->source, g_source_unref);
    }
  if (conn->socket != NULL)
    {
      g_socket_close (conn->socket, NULL);
      g_clear_object (&conn->socket);
    }
  g_queue_clear_full (&conn->out, (GDestroyNotify) wsim_xdrbuf_free);
  conn->queued = 0;
  g_clear_pointer (&conn->backlog, g_free);
  conn->backlog_len = 0;
  wsim_record_reader_clear (&conn->reader);
}

void
wsim_conn_set_connecting (WsimConn *conn)
{
  conn->connecting = TRUE;
  conn_update_events (conn);
}

GMainContext *
wsim_conn_get_context (WsimConn *conn)
{
  return conn->context;
}

GSocket *
wsim_conn_get_socket (WsimConn *conn)
{
  return conn->socket;
}

gboolean
wsim_conn_is_closed (WsimConn *conn)
{
  return conn->closed;
}

static void
conn_flush (WsimConn *conn)
{
  while (!conn->closed && conn->queued > 0)
    {
      struct iovec iov[MAX_IOV];
      int n_iov = 0;
      ssize_t n;

      for (GList *l = conn->out.head; l != NULL && n_iov < MAX_IOV; l = l->next)
        {
          WsimXdrBuf *b = l->data;
          gsize off = n_iov == 0 ? conn->out_head_off : 0;

          iov[n_iov].iov_base = b->data + off;
          iov[n_iov].iov_len = b->len - off;
          n_iov++;
        }

      struct msghdr msg = { .msg_iov = iov, .msg_iovlen = n_iov };
      n = sendmsg (conn->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0)
        {
          if (conn_io_error (conn, "send") == IO_RETRY)
            continue;
          break;
        }
      conn->last_activity = g_get_monotonic_time ();
      conn->queued -= (gsize) n;
      while (n > 0)
        {
          WsimXdrBuf *b = g_queue_peek_head (&conn->out);
          gsize rest = b->len - conn->out_head_off;

          if ((gsize) n < rest)
            {
              conn->out_head_off += (gsize) n;
              break;
            }
          n -= (ssize_t) rest;
          conn->out_head_off = 0;
          wsim_xdrbuf_free (g_queue_pop_head (&conn->out));
        }
    }
}

void
wsim_conn_feed (WsimConn *conn, const guint8 *data, gsize len)
{
  g_return_if_fail (!conn->dispatching);
  if (conn->closed || len == 0)
    return;
  wsim_conn_ref (conn);
  conn->dispatching = TRUE;
  conn->corked = TRUE;
  conn_take_input (conn, data, len);
  conn->corked = FALSE;
  conn_flush (conn);
  conn->dispatching = FALSE;
  conn_update_events (conn);
  wsim_conn_unref (conn);
}

void
wsim_conn_send (WsimConn *conn, WsimXdrBuf *buf)
{
  gsize off = 0;

  g_assert (buf->len >= 4);
  if (conn->closed)
    {
      wsim_xdrbuf_free (buf);
      return;
    }
  wsim_record_put_header (buf->data, (guint32) (buf->len - 4));

  /* Nothing queued and not inside a dispatch: write now, and queue only what the kernel
   * did not take (the common case on a quiet connection costs one send, no queue node). */
  if (!conn->corked && !conn->connecting && conn->queued == 0)
    {
      while (off < buf->len)
        {
          ssize_t n = send (conn->fd, buf->data + off, buf->len - off, MSG_DONTWAIT | MSG_NOSIGNAL);

          if (n < 0)
            {
              IoOutcome o = conn_io_error (conn, "send");

              if (o == IO_RETRY)
                continue;
              if (o == IO_FAILED)
                {
                  wsim_xdrbuf_free (buf);
                  return;
                }
              break;
            }
          off += (gsize) n;
        }
      conn->last_activity = g_get_monotonic_time ();
      if (off == buf->len)
        {
          wsim_xdrbuf_free (buf);
          return;
        }
    }

  g_queue_push_tail (&conn->out, buf);
  if (conn->out.length == 1)
    conn->out_head_off = off;
  conn->queued += buf->len - off;
  conn->max_queued = MAX (conn->max_queued, conn->queued);
  if (conn->queued > conn->high_watermark)
    conn->wm_paused = TRUE;   /* stop at the next record, even in the middle of a batch */
  if (!conn->corked && !conn->connecting)
    conn_update_events (conn);
}

void
wsim_conn_set_read_paused (WsimConn *conn, gboolean paused)
{
  if (conn->closed || conn->user_paused == !!paused)
    return;
  conn->user_paused = !!paused;
  if (!paused && conn->backlog_len > 0)
    g_source_set_ready_time (conn->source, 0);
  conn_update_events (conn);
}

void
wsim_conn_set_max_record (WsimConn *conn, guint32 max_record)
{
  conn->reader.max_record = max_record;
}

void
wsim_conn_set_out_high_watermark (WsimConn *conn, gsize high)
{
  conn->high_watermark = high;
  conn_update_events (conn);
}

gsize
wsim_conn_get_queued_bytes (WsimConn *conn)
{
  return conn->queued;
}

gsize
wsim_conn_get_max_queued_bytes (WsimConn *conn)
{
  return conn->max_queued;
}

gint64
wsim_conn_get_last_activity (WsimConn *conn)
{
  return conn->last_activity;
}
