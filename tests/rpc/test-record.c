/* test-record.c: record marking, the XDR buffer and addresses, without sockets. */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-address.h"
#include "wsim-record.c"
#include "wsim-xdrbuf.h"

static void
frag (GByteArray *out, gboolean last, const char *body, guint32 len)
{
  guint32 h = GUINT32_TO_BE (len | (last ? WSIM_RECORD_LAST_FRAG : 0));

  g_byte_array_append (out, (const guint8 *) &h, 4);
  g_byte_array_append (out, (const guint8 *) body, len);
}

/* Feeds @in in pieces of @step bytes; collects the records as strings. */
static GPtrArray *
feed_all (WsimRecordReader *r, const GByteArray *in, gsize step, WsimRecordStatus *last)
{
  GPtrArray *recs = g_ptr_array_new_with_free_func (g_free);

  *last = WSIM_RECORD_NEED_MORE;
  for (gsize off = 0; off < in->len; off += step)
    {
      const guint8 *p = in->data + off;
      gsize len = MIN (step, in->len - off);

      while (len > 0)
        {
          const guint8 *rec;
          gsize rec_len;

          *last = wsim_record_reader_next (r, &p, &len, &rec, &rec_len);
          if (*last == WSIM_RECORD_READY)
            g_ptr_array_add (recs, g_strndup ((const char *) rec, rec_len));
          else if (*last == WSIM_RECORD_TOO_LARGE)
            return recs;
        }
    }
  return recs;
}

Test (record, single_and_multi_fragment_at_every_split, .timeout = 10)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();

  frag (in, TRUE, "hello", 5);
  frag (in, FALSE, "multi-", 6);
  frag (in, FALSE, "", 0);
  frag (in, TRUE, "fragment", 8);
  frag (in, TRUE, "", 0);

  for (gsize step = 1; step <= in->len; step++)
    {
      WsimRecordReader r;
      WsimRecordStatus st;

      wsim_record_reader_init (&r, 1024);
      g_autoptr(GPtrArray) recs = feed_all (&r, in, step, &st);
      cr_assert_eq (recs->len, 3, "step %zu: %u records", step, recs->len);
      cr_assert_str_eq (recs->pdata[0], "hello");
      cr_assert_str_eq (recs->pdata[1], "multi-fragment");
      cr_assert_str_eq (recs->pdata[2], "");
      cr_assert_not (wsim_record_reader_is_partial (&r));
      wsim_record_reader_clear (&r);
    }
}

Test (record, oversize_header_refused_before_allocation, .timeout = 10)
{
  WsimRecordReader r;
  const guint8 hdr[4] = { 0xff, 0xff, 0xff, 0xff };   /* last fragment, 2 GiB - 1 */
  const guint8 *p = hdr, *rec;
  gsize len = 4, rec_len;

  wsim_record_reader_init (&r, 4096);
  cr_assert_eq (wsim_record_reader_next (&r, &p, &len, &rec, &rec_len), WSIM_RECORD_TOO_LARGE);
  cr_assert_null (r.rec, "nothing may be allocated for a refused record");
  wsim_record_reader_clear (&r);
}

Test (record, fragments_adding_up_past_the_limit_refused, .timeout = 10)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();
  char body[600];
  WsimRecordReader r;
  WsimRecordStatus st;

  memset (body, 'x', sizeof body);
  frag (in, FALSE, body, 600);
  frag (in, TRUE, body, 600);    /* 1200 in all, over 1000 */
  wsim_record_reader_init (&r, 1000);
  g_autoptr(GPtrArray) recs = feed_all (&r, in, 7, &st);
  cr_assert_eq (st, WSIM_RECORD_TOO_LARGE);
  cr_assert_eq (recs->len, 0);
  cr_assert_leq (r.rec_cap, 1000, "buffer grew past the limit: %zu", r.rec_cap);
  wsim_record_reader_clear (&r);
}

Test (record, partial_state_reported, .timeout = 10)
{
  WsimRecordReader r;
  const guint8 half[6] = { 0x80, 0, 0, 8, 'a', 'b' };
  const guint8 *p = half, *rec;
  gsize len = sizeof half, rec_len;

  wsim_record_reader_init (&r, 100);
  cr_assert_not (wsim_record_reader_is_partial (&r));
  cr_assert_eq (wsim_record_reader_next (&r, &p, &len, &rec, &rec_len), WSIM_RECORD_NEED_MORE);
  cr_assert (wsim_record_reader_is_partial (&r));
  wsim_record_reader_clear (&r);
}

Test (xdrbuf, encodes_like_xdrmem_and_grows, .timeout = 10)
{
  g_autoptr(WsimXdrBuf) buf = wsim_xdrbuf_new (4, 1);   /* forced to grow several times */
  char big[5000];
  char *p = big;
  u_int n = sizeof big;
  guint8 ref[8192];
  XDR mem, x;
  int v = -2;

  memset (big, 'q', sizeof big);
  wsim_xdrbuf_xdr_init (&x, buf);
  cr_assert (xdr_int (&x, &v));
  cr_assert (xdr_bytes (&x, &p, &n, 10000));

  xdrmem_create (&mem, (char *) ref, sizeof ref, XDR_ENCODE);
  cr_assert (xdr_int (&mem, &v));
  cr_assert (xdr_bytes (&mem, &p, &n, 10000));

  cr_assert_eq (buf->len - 4, xdr_getpos (&mem));
  cr_assert_eq (xdr_getpos (&x), buf->len, "positions count the reserved bytes");
  cr_assert_eq (memcmp (buf->data + 4, ref, buf->len - 4), 0);
}

static bool_t
xdr_bytes_max8 (XDR *xdrs, void *obj, u_int unused)
{
  struct { char *p; u_int n; } *b = obj;

  return xdr_bytes (xdrs, &b->p, &b->n, 8);
}

Test (xdrbuf, failed_encode_leaves_length_unchanged, .timeout = 10)
{
  g_autoptr(WsimXdrBuf) buf = wsim_xdrbuf_new (4, 16);
  char data[32] = { 0 };
  struct { char *p; u_int n; } b = { data, sizeof data };

  /* xdr_bytes writes the length before it checks the bound: the buffer must undo it. */
  cr_assert_not (wsim_xdrbuf_encode (buf, WSIM_XDRPROC (xdr_bytes_max8), &b));
  cr_assert_eq (buf->len, 4);
  b.n = 8;
  cr_assert (wsim_xdrbuf_encode (buf, WSIM_XDRPROC (xdr_bytes_max8), &b));
  cr_assert_eq (buf->len, 4 + 4 + 8);
}

Test (address, parse_and_format_round_trip, .timeout = 10)
{
  const char *good[] = { "tcp:127.0.0.1:4000", "tcp:[::1]:65535", "unix:/tmp/x.sock" };
  const char *bad[] = { "tcp:127.0.0.1", "tcp:localhost:1", "tcp:1.2.3.4:70000", "tcp:[::1:1",
                        "udp:1.2.3.4:1", "unix:", "", "tcp:1.2.3.4:12x" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) a = wsim_address_parse (good[i], &error);
      g_autofree char *s = NULL;

      cr_assert_not_null (a, "%s: %s", good[i], error ? error->message : "");
      s = wsim_address_to_string (a);
      cr_assert_str_eq (s, good[i]);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) a = wsim_address_parse (bad[i], &error);

      cr_assert_null (a, "'%s' must be refused", bad[i]);
      cr_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
    }
}
