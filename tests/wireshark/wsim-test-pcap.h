/* wsim-test-pcap.h: a minimal pcap writer for the dissector's tests (tests/wireshark). It
 * writes ONC RPC records (RFC 5531 record marking) as TCP segments over raw IPv4
 * (LINKTYPE_RAW), each direction of each connection keeping its own sequence numbers so
 * that Wireshark's TCP reassembly accepts the stream. Checksums are left zero (Wireshark
 * does not check them by default). Internal to the tests; header only.
 *
 * Threading: one thread at a time per WsimTestPcap. */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <string.h>

/* One direction of a TCP connection: addresses, ports and the next sequence number. */
typedef struct {
  guint32 src, dst;       /* IPv4, host order */
  guint16 sport, dport;
  guint32 seq;
} WsimTestFlow;

/* An open pcap file (owned). */
typedef struct {
  FILE   *f;
  guint32 t;              /* seconds of the next packet's timestamp */
} WsimTestPcap;

static inline void
wsim_test_pcap_u32le (FILE *f, guint32 v)
{
  guint32 le = GUINT32_TO_LE (v);

  fwrite (&le, 4, 1, f);
}

/* Opens @path and writes the pcap global header (version 2.4, LINKTYPE_RAW 101).
 * Returns: FALSE when the file cannot be written. */
static inline gboolean
wsim_test_pcap_open (WsimTestPcap *p, const char *path)
{
  p->f = fopen (path, "wb");
  p->t = 1700000000;
  if (p->f == NULL)
    return FALSE;
  wsim_test_pcap_u32le (p->f, 0xa1b2c3d4);
  wsim_test_pcap_u32le (p->f, 2 | (4u << 16));   /* version 2.4, as two 16-bit halves */
  wsim_test_pcap_u32le (p->f, 0);                 /* thiszone */
  wsim_test_pcap_u32le (p->f, 0);                 /* sigfigs */
  wsim_test_pcap_u32le (p->f, 65535);             /* snaplen */
  wsim_test_pcap_u32le (p->f, 101);               /* LINKTYPE_RAW */
  return TRUE;
}

/* Writes one TCP segment (PSH|ACK) of @flow carrying @data, and advances its sequence. */
static inline void
wsim_test_pcap_segment (WsimTestPcap *p, WsimTestFlow *flow, const guint8 *data, gsize len)
{
  guint8 h[40] = { 0 };
  guint16 total = (guint16) (sizeof h + len);
  guint32 be;

  h[0] = 0x45;                                    /* IPv4, 20-byte header */
  h[2] = total >> 8;
  h[3] = total & 0xff;
  h[8] = 64;                                      /* TTL */
  h[9] = 6;                                       /* TCP */
  be = GUINT32_TO_BE (flow->src);
  memcpy (h + 12, &be, 4);
  be = GUINT32_TO_BE (flow->dst);
  memcpy (h + 16, &be, 4);
  h[20] = flow->sport >> 8;
  h[21] = flow->sport & 0xff;
  h[22] = flow->dport >> 8;
  h[23] = flow->dport & 0xff;
  be = GUINT32_TO_BE (flow->seq);
  memcpy (h + 24, &be, 4);
  h[28] = 0;                                      /* ack: left 0, ACK flag set anyway */
  h[32] = 5 << 4;                                 /* 20-byte TCP header */
  h[33] = 0x18;                                   /* PSH|ACK */
  h[34] = 0xff;                                   /* window */
  h[35] = 0xff;
  wsim_test_pcap_u32le (p->f, p->t++);
  wsim_test_pcap_u32le (p->f, 0);
  wsim_test_pcap_u32le (p->f, total);
  wsim_test_pcap_u32le (p->f, total);
  fwrite (h, 1, sizeof h, p->f);
  fwrite (data, 1, len, p->f);
  flow->seq += (guint32) len;
}

/* Closes the file. Returns: FALSE if a write failed. */
static inline gboolean
wsim_test_pcap_close (WsimTestPcap *p)
{
  gboolean ok = ferror (p->f) == 0;

  return fclose (p->f) == 0 && ok;
}
