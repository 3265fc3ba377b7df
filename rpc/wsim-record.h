/* wsim-record.h: RFC 5531 record marking, as a pure codec with no I/O.
 *
 * A record is one or more fragments, each led by a 4-byte big-endian header whose top
 * bit marks the last fragment and whose low 31 bits give the fragment length. The
 * reader is fed whatever bytes the socket produced and hands out whole records. It
 * never trusts a header's length for allocation: memory grows only as bytes arrive,
 * and a record whose declared or accumulated size passes the maximum is refused
 * before any of it is stored. Internal to the engine.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WSIM_RECORD_LAST_FRAG 0x80000000u

typedef struct {
  guint32 max_record;   /* the largest record accepted */
  guint8  hdr[4];       /* a fragment header being collected */
  guint   hdr_len;      /* bytes of @hdr collected */
  guint32 frag_left;    /* bytes of the current fragment still to come */
  gboolean in_frag;     /* a fragment header has been read and its body is pending */
  gboolean last_frag;   /* the current fragment ends the record */
  guint8 *rec;          /* (owned) (nullable) the record assembled so far */
  gsize   rec_len;
  gsize   rec_cap;
  gboolean rec_ready;   /* @rec holds a whole record, handed out and to be dropped */
} WsimRecordReader;

typedef enum {
  WSIM_RECORD_NEED_MORE,  /* all input consumed, no record complete */
  WSIM_RECORD_READY,      /* *rec / *rec_len hold a record */
  WSIM_RECORD_TOO_LARGE,  /* the stream declared a record over max_record */
} WsimRecordStatus;

/** Sets up @r for records of at most @max_record bytes. */
void wsim_record_reader_init (WsimRecordReader *r, guint32 max_record);

/** Frees what @r holds; @r can be initialised again. */
void wsim_record_reader_clear (WsimRecordReader *r);

/**
 * wsim_record_reader_next:
 * @data, @len: (inout) the unconsumed input, advanced past what was used
 * @rec, @rec_len: (out) on READY, the record: it points into the input when a whole
 *   single-fragment record was there (no copy), or into the reader's buffer. Valid until
 *   the next call on @r or until the input is freed.
 */
WsimRecordStatus wsim_record_reader_next (WsimRecordReader *r, const guint8 **data, gsize *len,
                                          const guint8 **rec, gsize *rec_len);

/** Returns: TRUE when the reader holds part of a record (a peer stopped mid-record). */
gboolean wsim_record_reader_is_partial (const WsimRecordReader *r);

/** Writes a last-fragment header for a @len-byte record into @out[4]. */
void wsim_record_put_header (guint8 out[4], guint32 len);

G_END_DECLS
