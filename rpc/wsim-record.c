/* wsim-record.c: RFC 5531 record marking (see wsim-record.h). */
#include "wsim-record.h"

#include <string.h>

void
wsim_record_reader_init (WsimRecordReader *r, guint32 max_record)
{
  memset (r, 0, sizeof *r);
  r->max_record = max_record;
}

void
wsim_record_reader_clear (WsimRecordReader *r)
{
  g_free (r->rec);
  wsim_record_reader_init (r, r->max_record);
}

gboolean
wsim_record_reader_is_partial (const WsimRecordReader *r)
{
  return r->hdr_len > 0 || r->in_frag || (r->rec_len > 0 && !r->rec_ready);
}

void
wsim_record_put_header (guint8 out[4], guint32 len)
{
  guint32 v = GUINT32_TO_BE (len | WSIM_RECORD_LAST_FRAG);

  memcpy (out, &v, 4);
}

static void
rec_append (WsimRecordReader *r, const guint8 *p, gsize n)
{
  if (n == 0)
    return;
  if (r->rec_cap - r->rec_len < n)
    {
      /* Grow with what arrived, never with what the header promised. */
      gsize cap = MAX (r->rec_cap * 2, 4096);

      while (cap - r->rec_len < n)
        cap *= 2;
      cap = MIN (cap, (gsize) r->max_record);
      r->rec = g_realloc (r->rec, cap);
      r->rec_cap = cap;
    }
  memcpy (r->rec + r->rec_len, p, n);
  r->rec_len += n;
}

WsimRecordStatus
wsim_record_reader_next (WsimRecordReader *r, const guint8 **data, gsize *len,
                         const guint8 **rec, gsize *rec_len)
{
  if (r->rec_ready)
    {
      /* The record handed out last time is done with. Keep a buffer that a stream of
       * large records reuses (freeing and regrowing it costs page faults, measured), but
       * not one a rare huge record left behind. */
      r->rec_ready = FALSE;
      r->rec_len = 0;
      if (r->rec_cap > 256 * 1024)
        {
          g_clear_pointer (&r->rec, g_free);
          r->rec_cap = 0;
        }
    }

  while (*len > 0)
    {
      if (!r->in_frag)
        {
          guint32 hdr, frag_len;
          gsize take = MIN ((gsize) (4 - r->hdr_len), *len);

          memcpy (r->hdr + r->hdr_len, *data, take);
          r->hdr_len += take;
          *data += take;
          *len -= take;
          if (r->hdr_len < 4)
            return WSIM_RECORD_NEED_MORE;
          r->hdr_len = 0;
          memcpy (&hdr, r->hdr, 4);
          hdr = GUINT32_FROM_BE (hdr);
          frag_len = hdr & ~WSIM_RECORD_LAST_FRAG;
          if ((guint64) r->rec_len + frag_len > r->max_record)
            return WSIM_RECORD_TOO_LARGE;
          r->last_frag = (hdr & WSIM_RECORD_LAST_FRAG) != 0;
          r->frag_left = frag_len;
          r->in_frag = TRUE;

          /* Fast path: a whole single-fragment record sits in the input. */
          if (r->last_frag && r->rec_len == 0 && *len >= frag_len)
            {
              *rec = *data;
              *rec_len = frag_len;
              *data += frag_len;
              *len -= frag_len;
              r->in_frag = FALSE;
              return WSIM_RECORD_READY;
            }
        }

      if (r->frag_left > 0)
        {
          gsize take = MIN ((gsize) r->frag_left, *len);

          rec_append (r, *data, take);
          r->frag_left -= take;
          *data += take;
          *len -= take;
        }

      if (r->frag_left == 0)
        {
          r->in_frag = FALSE;
          if (r->last_frag)
            {
              r->rec_ready = TRUE;
              *rec = r->rec;
              *rec_len = r->rec_len;
              return WSIM_RECORD_READY;
            }
        }
    }

  /* A zero-length last fragment at the very end of the input completes a record too. */
  if (r->in_frag && r->frag_left == 0 && r->last_frag)
    {
      r->in_frag = FALSE;
      r->rec_ready = TRUE;
      *rec = r->rec;
      *rec_len = r->rec_len;
      return WSIM_RECORD_READY;
    }
  return WSIM_RECORD_NEED_MORE;
}
