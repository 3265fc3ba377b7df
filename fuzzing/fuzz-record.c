/* fuzz-record.c: the record-marking reader (rpc/wsim-record.c) fed as a socket would.
 *
 * The first input byte picks the read size (1..256 bytes), so the fuzzer reaches headers
 * and fragments split across reads; the rest is the stream. A small maximum record makes
 * the TOO_LARGE path cheap to reach.
 */
#include "fuzz-common.h"
#include "wsim-record.h"

#define FUZZ_MAX_RECORD 4096

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  gsize chunk = (gsize) data[0] + 1;
  const guint8 *stream = data + 1;
  gsize left = size - 1;
  WsimRecordReader r;

  wsim_record_reader_init (&r, FUZZ_MAX_RECORD);
  while (left > 0)
    {
      gsize n = MIN (chunk, left);
      const guint8 *p = stream;
      gsize plen = n;
      WsimRecordStatus st;
      const guint8 *rec;
      gsize rec_len;

      while ((st = wsim_record_reader_next (&r, &p, &plen, &rec, &rec_len)) == WSIM_RECORD_READY)
        {
          g_assert (rec_len <= FUZZ_MAX_RECORD);
          /* Touch every byte so ASan sees a record that points past its buffer. */
          volatile guint8 sum = 0;
          for (gsize i = 0; i < rec_len; i++)
            sum ^= rec[i];
          (void) sum;
        }
      if (st == WSIM_RECORD_TOO_LARGE)
        break;
      g_assert (plen == 0);
      stream += n;
      left -= n;
    }
  (void) wsim_record_reader_is_partial (&r);
  wsim_record_reader_clear (&r);
  return 0;
}
