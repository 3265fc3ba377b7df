/* test-wire.c: golden byte vectors for the wire protocol (the .x files in rpc/proto).
 *
 * Owns the proof that the bytes on the wire are the ones docs/wire.md describes, and
 * that a change to them is a visible decision: every vector below is encoded with
 * xdrmem and compared with a checked-in file tests/wire/golden/<name>.hex, then that
 * file's bytes are decoded and compared field by field with the value that made them.
 * A vector's bytes truncated at every length must fail to decode, without crash or
 * leak; so must arrays longer than their bound or their buffer, and unknown CIM types.
 *
 * Golden files: text, one 4-byte XDR unit per line in hex, '#' starts a comment (the
 * generator adds the printable characters of string units as a comment). The directory
 * is WSIM_GOLDEN_DIR (compile-time define, overridden by the environment variable of
 * the same name).
 *
 * Regenerating: WSIM_GOLDEN_REGEN=1 makes the golden tests write the files instead of
 * comparing, e.g.
 *     WSIM_GOLDEN_REGEN=1 ./build/tests/wire/test-wire
 * then read the diff: each changed file is a change to the protocol, and needs a new
 * program version unless only a new procedure's vectors were added (docs/wire.md).
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <rpc/rpc.h>

#include "wsim_cim.h"
#include "wsim_service.h"
#include "wsim_sink.h"

#ifdef HAVE_VALGRIND_MEMCHECK_H
#include <valgrind/memcheck.h>
#endif

#ifndef WSIM_GOLDEN_DIR
#error "WSIM_GOLDEN_DIR must name the directory of the .hex files"
#endif

/* String literals go into rpcgen's char * fields; the encoder never writes them. */
#define S(lit) ((char *) (lit))
#define N_ELEMENTS(a) ((u_int) G_N_ELEMENTS (a))

typedef struct
{
  const char *name;                 /* golden file stem */
  const char *what;                 /* one line for the file's header */
  xdrproc_t   proc;
  size_t      size;                 /* sizeof the rpcgen C type */
  void      (*build) (void *obj);   /* fills a zeroed object; pointers to static data */
  void      (*check) (const void *expected, const void *got);
} WireVector;

/* ---------------------------------------------------------------- helpers */

/* Under valgrind, fails the running test if memcheck has seen an error or a definite
 * leak so far in this process. Needed because Criterion runs each test in a worker
 * and ignores the worker's exit status once the test has reported, so valgrind's
 * --error-exitcode in a worker can never fail a test. A no-op outside valgrind. */
static void
assert_valgrind_clean (void)
{
#ifdef HAVE_VALGRIND_MEMCHECK_H
  if (!RUNNING_ON_VALGRIND)
    return;
  unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;
  VALGRIND_DO_LEAK_CHECK;
  VALGRIND_COUNT_LEAKS (leaked, dubious, reachable, suppressed);
  unsigned long errors = VALGRIND_COUNT_ERRORS;
  cr_assert_eq (errors, 0, "memcheck reported %lu errors (see its log)", errors);
  cr_assert_eq (leaked, 0, "memcheck found %lu bytes definitely lost "
                "(%lu possibly, %lu reachable, %lu suppressed)",
                leaked, dubious, reachable, suppressed);
#endif
}

static const char *
golden_dir (void)
{
  const char *env = g_getenv ("WSIM_GOLDEN_DIR");
  return env != NULL && *env != '\0' ? env : WSIM_GOLDEN_DIR;
}

static gboolean
regen_mode (void)
{
  const char *env = g_getenv ("WSIM_GOLDEN_REGEN");
  return env != NULL && g_strcmp0 (env, "0") != 0 && *env != '\0';
}

/* Encodes @obj into a new buffer of exactly the encoded size. */
static guint8 *
encode (xdrproc_t proc, void *obj, gsize *len_out)
{
  unsigned long size = xdr_sizeof (proc, obj);
  cr_assert_gt (size, 0, "xdr_sizeof refused the value");
  cr_assert_eq (size % 4, 0, "XDR lengths are multiples of 4, got %lu", size);

  guint8 *buf = g_malloc (size);
  XDR xdrs;
  xdrmem_create (&xdrs, (char *) buf, (u_int) size, XDR_ENCODE);
  cr_assert (proc (&xdrs, obj), "encoding failed");
  cr_assert_eq (xdr_getpos (&xdrs), size, "encoder wrote %u of %lu bytes",
                xdr_getpos (&xdrs), size);
  xdr_destroy (&xdrs);
  *len_out = size;
  return buf;
}

/* Decodes @len bytes (copied to an exact-size heap block, so that valgrind sees any
 * over-read) into the zeroed @obj. Returns the result of the XDR routine; *used_out
 * gets the bytes consumed. The caller must xdr_free @obj whatever the result. */
static bool_t
decode (xdrproc_t proc, const guint8 *bytes, gsize len, void *obj, u_int *used_out)
{
  guint8 *copy = g_malloc (len > 0 ? len : 1);
  if (len > 0)
    memcpy (copy, bytes, len);
  XDR xdrs;
  xdrmem_create (&xdrs, (char *) copy, (u_int) len, XDR_DECODE);
  bool_t ok = proc (&xdrs, obj);
  if (used_out != NULL)
    *used_out = xdr_getpos (&xdrs);
  xdr_destroy (&xdrs);
  g_free (copy);
  return ok;
}

/* Decoding @bytes must fail; the partial result is freed (valgrind checks that). */
static void
expect_decode_fails (xdrproc_t proc, size_t size, const guint8 *bytes, gsize len,
                     const char *what)
{
  void *obj = g_malloc0 (size);
  bool_t ok = decode (proc, bytes, len, obj, NULL);
  xdr_free (proc, obj);
  g_free (obj);
  cr_assert_not (ok, "%s: decoded but should have failed", what);
}

static void
write_hex (const char *path, const WireVector *v, const guint8 *bytes, gsize len)
{
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "# %s: %s\n", v->name, v->what);
  g_string_append (s, "# XDR (RFC 4506): one 4-byte unit per line, big-endian. "
                      "Generated by tests/wire/test-wire.c with WSIM_GOLDEN_REGEN=1.\n");
  for (gsize i = 0; i < len; i += 4)
    {
      gsize printable = 0, nul_tail = 0;
      for (gsize j = 0; j < 4; j++)
        g_string_append_printf (s, "%02x", bytes[i + j]);
      /* Annotate units that look like string bytes: printable, then NUL padding. */
      for (gsize j = 0; j < 4; j++)
        {
          if (nul_tail == 0 && g_ascii_isprint (bytes[i + j]))
            printable++;
          else if (bytes[i + j] == 0 && printable > 0)
            nul_tail++;
          else
            {
              printable = 0;
              break;
            }
        }
      if (printable > 0 && printable + nul_tail == 4)
        {
          gchar *chars = g_strndup ((const char *) bytes + i, printable);
          gchar *escaped = g_strescape (chars, NULL);
          g_string_append_printf (s, "  # \"%s\"", escaped);
          g_free (escaped);
          g_free (chars);
        }
      g_string_append_c (s, '\n');
    }
  GError *error = NULL;
  gboolean ok = g_file_set_contents (path, s->str, (gssize) s->len, &error);
  cr_assert (ok, "writing %s: %s", path, ok ? "" : error->message);
  g_string_free (s, TRUE);
}

static guint8 *
read_hex (const char *path, gsize *len_out)
{
  gchar *text = NULL;
  gsize text_len = 0;
  GError *error = NULL;
  gboolean ok = g_file_get_contents (path, &text, &text_len, &error);
  cr_assert (ok, "reading %s: %s (regenerate with WSIM_GOLDEN_REGEN=1)",
             path, ok ? "" : error->message);

  GByteArray *out = g_byte_array_new ();
  int hi = -1;
  for (gsize i = 0; i < text_len; i++)
    {
      char c = text[i];
      if (c == '#')
        {
          while (i < text_len && text[i] != '\n')
            i++;
          continue;
        }
      if (g_ascii_isspace (c))
        continue;
      int d = g_ascii_xdigit_value (c);
      cr_assert_geq (d, 0, "%s: unexpected character '%c' at offset %zu", path, c, i);
      if (hi < 0)
        hi = d;
      else
        {
          guint8 b = (guint8) (hi << 4 | d);
          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  cr_assert_lt (hi, 0, "%s: odd number of hex digits", path);
  g_free (text);
  *len_out = out->len;
  return g_byte_array_free (out, FALSE);
}

/* ---------------------------------------------------------------- the two runs */

static void
run_golden (const WireVector *v)
{
  void *expected = g_malloc0 (v->size);
  v->build (expected);

  gsize enc_len = 0;
  guint8 *enc = encode (v->proc, expected, &enc_len);

  gchar *path = g_strdup_printf ("%s/%s.hex", golden_dir (), v->name);
  if (regen_mode ())
    write_hex (path, v, enc, enc_len);

  gsize gold_len = 0;
  guint8 *gold = read_hex (path, &gold_len);
  gsize first_diff = 0;
  while (first_diff < MIN (enc_len, gold_len) && enc[first_diff] == gold[first_diff])
    first_diff++;
  cr_assert (enc_len == gold_len && first_diff == enc_len,
             "%s: encoding (%zu bytes) differs from %s (%zu bytes) at byte %zu",
             v->name, enc_len, path, gold_len, first_diff);

  /* Decode the file's bytes, not our own encoding: the file is the contract. */
  void *got = g_malloc0 (v->size);
  u_int used = 0;
  bool_t ok = decode (v->proc, gold, gold_len, got, &used);
  cr_assert (ok, "%s: golden bytes failed to decode", v->name);
  cr_assert_eq (used, gold_len, "%s: decode used %u of %zu bytes", v->name, used, gold_len);
  v->check (expected, got);

  xdr_free (v->proc, got);
  g_free (got);
  g_free (gold);
  g_free (path);
  g_free (enc);
  g_free (expected);
  assert_valgrind_clean ();
}

static void
run_truncated (const WireVector *v)
{
  void *expected = g_malloc0 (v->size);
  v->build (expected);
  gsize len = 0;
  guint8 *enc = encode (v->proc, expected, &len);

  for (gsize cut = 0; cut < len; cut++)
    {
      gchar *what = g_strdup_printf ("%s cut at %zu of %zu", v->name, cut, len);
      expect_decode_fails (v->proc, v->size, enc, cut, what);
      g_free (what);
    }
  g_free (enc);
  g_free (expected);
  assert_valgrind_clean ();
}

/* ---------------------------------------------------------------- field-by-field checks */

#define U(v) ((v)->wsim_value_u)

#define CHECK_NUM_ARRAY(arm)                                                     \
  do {                                                                           \
    cr_assert_eq (U (g).arm.arm##_len, U (e).arm.arm##_len,                      \
                  "%s: " #arm " length", where);                                 \
    for (u_int i_ = 0; i_ < U (e).arm.arm##_len; i_++)                           \
      cr_assert_eq (U (g).arm.arm##_val[i_], U (e).arm.arm##_val[i_],            \
                    "%s: " #arm "[%u]", where, i_);                              \
  } while (0)

/* Floating point compared bit for bit: XDR carries IEEE 754 images exactly. */
#define CHECK_BITS_ARRAY(arm)                                                    \
  do {                                                                           \
    cr_assert_eq (U (g).arm.arm##_len, U (e).arm.arm##_len,                      \
                  "%s: " #arm " length", where);                                 \
    for (u_int i_ = 0; i_ < U (e).arm.arm##_len; i_++)                           \
      cr_assert (memcmp (&U (g).arm.arm##_val[i_], &U (e).arm.arm##_val[i_],     \
                         sizeof U (e).arm.arm##_val[i_]) == 0,                   \
                 "%s: " #arm "[%u]", where, i_);                                 \
  } while (0)

#define CHECK_STR_ARRAY(arm)                                                     \
  do {                                                                           \
    cr_assert_eq (U (g).arm.arm##_len, U (e).arm.arm##_len,                      \
                  "%s: " #arm " length", where);                                 \
    for (u_int i_ = 0; i_ < U (e).arm.arm##_len; i_++)                           \
      cr_assert_str_eq (U (g).arm.arm##_val[i_], U (e).arm.arm##_val[i_],        \
                        "%s: " #arm "[%u]", where, i_);                          \
  } while (0)

static void check_wsim_class_def (const wsim_class_def *e, const wsim_class_def *g,
                                  const char *where);
static void check_wsim_value (const wsim_value *e, const wsim_value *g, const char *where);

/* An embedded object: its class, then its values, each checked recursively. */
static void
check_wsim_embedded (const wsim_embedded *e, const wsim_embedded *g, const char *where)
{
  cr_assert_not_null (g, "%s: object absent", where);
  check_wsim_class_def (&e->cls, &g->cls, where);
  cr_assert_eq (g->values.values_len, e->values.values_len, "%s: values length", where);
  for (u_int i = 0; i < e->values.values_len; i++)
    {
      gchar *w = g_strdup_printf ("%s.values[%u]", where, i);
      check_wsim_value (&e->values.values_val[i], &g->values.values_val[i], w);
      g_free (w);
    }
}

static void
check_wsim_value (const wsim_value *e, const wsim_value *g, const char *where)
{
  cr_assert_eq (g->type, e->type, "%s: type 0x%x, expected 0x%x", where,
                (unsigned) g->type, (unsigned) e->type);
  switch (e->type)
    {
    case CIM_EMPTY: break;
    case CIM_SINT8: cr_assert_eq (U (g).v_sint8, U (e).v_sint8, "%s", where); break;
    case CIM_UINT8: cr_assert_eq (U (g).v_uint8, U (e).v_uint8, "%s", where); break;
    case CIM_SINT16: cr_assert_eq (U (g).v_sint16, U (e).v_sint16, "%s", where); break;
    case CIM_UINT16: cr_assert_eq (U (g).v_uint16, U (e).v_uint16, "%s", where); break;
    case CIM_SINT32: cr_assert_eq (U (g).v_sint32, U (e).v_sint32, "%s", where); break;
    case CIM_UINT32: cr_assert_eq (U (g).v_uint32, U (e).v_uint32, "%s", where); break;
    case CIM_SINT64: cr_assert_eq (U (g).v_sint64, U (e).v_sint64, "%s", where); break;
    case CIM_UINT64: cr_assert_eq (U (g).v_uint64, U (e).v_uint64, "%s", where); break;
    case CIM_REAL32:
      cr_assert (memcmp (&U (g).v_real32, &U (e).v_real32, sizeof (float)) == 0, "%s", where);
      break;
    case CIM_REAL64:
      cr_assert (memcmp (&U (g).v_real64, &U (e).v_real64, sizeof (double)) == 0, "%s", where);
      break;
    case CIM_BOOLEAN: cr_assert_eq (U (g).v_boolean, U (e).v_boolean, "%s", where); break;
    case CIM_STRING: cr_assert_str_eq (U (g).v_string, U (e).v_string, "%s", where); break;
    case CIM_DATETIME: cr_assert_str_eq (U (g).v_datetime, U (e).v_datetime, "%s", where); break;
    case CIM_REFERENCE: cr_assert_str_eq (U (g).v_reference, U (e).v_reference, "%s", where); break;
    case CIM_CHAR16: cr_assert_eq (U (g).v_char16, U (e).v_char16, "%s", where); break;
    case WSIM_CIM_SINT8_ARRAY: CHECK_NUM_ARRAY (a_sint8); break;
    case WSIM_CIM_UINT8_ARRAY: CHECK_NUM_ARRAY (a_uint8); break;
    case WSIM_CIM_SINT16_ARRAY: CHECK_NUM_ARRAY (a_sint16); break;
    case WSIM_CIM_UINT16_ARRAY: CHECK_NUM_ARRAY (a_uint16); break;
    case WSIM_CIM_SINT32_ARRAY: CHECK_NUM_ARRAY (a_sint32); break;
    case WSIM_CIM_UINT32_ARRAY: CHECK_NUM_ARRAY (a_uint32); break;
    case WSIM_CIM_SINT64_ARRAY: CHECK_NUM_ARRAY (a_sint64); break;
    case WSIM_CIM_UINT64_ARRAY: CHECK_NUM_ARRAY (a_uint64); break;
    case WSIM_CIM_REAL32_ARRAY: CHECK_BITS_ARRAY (a_real32); break;
    case WSIM_CIM_REAL64_ARRAY: CHECK_BITS_ARRAY (a_real64); break;
    case WSIM_CIM_BOOLEAN_ARRAY: CHECK_NUM_ARRAY (a_boolean); break;
    case WSIM_CIM_STRING_ARRAY: CHECK_STR_ARRAY (a_string); break;
    case WSIM_CIM_DATETIME_ARRAY: CHECK_STR_ARRAY (a_datetime); break;
    case WSIM_CIM_REFERENCE_ARRAY: CHECK_STR_ARRAY (a_reference); break;
    case WSIM_CIM_CHAR16_ARRAY: CHECK_NUM_ARRAY (a_char16); break;
    case CIM_OBJECT: check_wsim_embedded (U (e).v_object, U (g).v_object, where); break;
    case WSIM_CIM_OBJECT_ARRAY:
      cr_assert_eq (U (g).a_object.a_object_len, U (e).a_object.a_object_len,
                    "%s: a_object length", where);
      for (u_int i = 0; i < U (e).a_object.a_object_len; i++)
        {
          gchar *w = g_strdup_printf ("%s.a_object[%u]", where, i);
          check_wsim_embedded (&U (e).a_object.a_object_val[i], &U (g).a_object.a_object_val[i], w);
          g_free (w);
        }
      break;
    case CIM_FLAG_ARRAY:
    default:
      cr_assert_fail ("%s: test built a value of type 0x%x", where, (unsigned) e->type);
    }
}

static void
check_wsim_property_def (const wsim_property_def *e, const wsim_property_def *g,
                         const char *where)
{
  cr_assert_str_eq (g->name, e->name, "%s: name", where);
  cr_assert_eq (g->cimtype, e->cimtype, "%s: cimtype", where);
  cr_assert_eq (g->is_key, e->is_key, "%s: is_key", where);
}

static void
check_wsim_class_def (const wsim_class_def *e, const wsim_class_def *g, const char *where)
{
  cr_assert_str_eq (g->name, e->name, "%s: name", where);
  cr_assert_str_eq (g->superclass, e->superclass, "%s: superclass", where);
  cr_assert_eq (g->props.props_len, e->props.props_len, "%s: props length", where);
  for (u_int i = 0; i < e->props.props_len; i++)
    {
      gchar *w = g_strdup_printf ("%s.props[%u]", where, i);
      check_wsim_property_def (&e->props.props_val[i], &g->props.props_val[i], w);
      g_free (w);
    }
}

static void
check_wsim_instance (const wsim_instance *e, const wsim_instance *g, const char *where)
{
  cr_assert_eq (g->class_idx, e->class_idx, "%s: class_idx", where);
  cr_assert_eq (g->values.values_len, e->values.values_len, "%s: values length", where);
  for (u_int i = 0; i < e->values.values_len; i++)
    {
      gchar *w = g_strdup_printf ("%s.values[%u]", where, i);
      check_wsim_value (&e->values.values_val[i], &g->values.values_val[i], w);
      g_free (w);
    }
}

static void
check_wsim_sink_locator (const wsim_sink_locator *e, const wsim_sink_locator *g, const char *where)
{
  cr_assert_str_eq (g->endpoint, e->endpoint, "%s: endpoint", where);
  cr_assert_eq (g->sink_id, e->sink_id, "%s: sink_id", where);
}

static void
check_wsim_open_namespace_args (const wsim_open_namespace_args *e,
                                const wsim_open_namespace_args *g, const char *where)
{
  cr_assert_str_eq (g->namespace_path, e->namespace_path, "%s: namespace_path", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
}

static void
check_wsim_open_namespace_res (const wsim_open_namespace_res *e,
                               const wsim_open_namespace_res *g, const char *where)
{
  cr_assert_eq (g->hresult, e->hresult, "%s: hresult", where);
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
}

static void
check_wsim_cancel_async_call_args (const wsim_cancel_async_call_args *e,
                                   const wsim_cancel_async_call_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
}

static void
check_wsim_get_object_async_args (const wsim_get_object_async_args *e,
                                  const wsim_get_object_async_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_str_eq (g->object_path, e->object_path, "%s: object_path", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_create_instance_enum_async_args (const wsim_create_instance_enum_async_args *e,
                                            const wsim_create_instance_enum_async_args *g,
                                            const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_str_eq (g->class_name, e->class_name, "%s: class_name", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_exec_query_async_args (const wsim_exec_query_async_args *e,
                                  const wsim_exec_query_async_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_str_eq (g->query_language, e->query_language, "%s: query_language", where);
  cr_assert_str_eq (g->query, e->query, "%s: query", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_exec_method_async_args (const wsim_exec_method_async_args *e,
                                   const wsim_exec_method_async_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_str_eq (g->object_path, e->object_path, "%s: object_path", where);
  cr_assert_str_eq (g->method_name, e->method_name, "%s: method_name", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_class_def (&e->in_params_class, &g->in_params_class, where);
  cr_assert_eq (g->in_params != NULL, e->in_params != NULL, "%s: in_params present", where);
  if (e->in_params != NULL)
    check_wsim_instance (e->in_params, g->in_params, where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_put_instance_async_args (const wsim_put_instance_async_args *e,
                                    const wsim_put_instance_async_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_class_def (&e->inst_class, &g->inst_class, where);
  check_wsim_instance (&e->inst, &g->inst, where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_delete_instance_async_args (const wsim_delete_instance_async_args *e,
                                       const wsim_delete_instance_async_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_str_eq (g->object_path, e->object_path, "%s: object_path", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_security_info (const wsim_security_info *e, const wsim_security_info *g,
                          const char *where)
{
  cr_assert_eq (g->default_level, e->default_level, "%s: default_level", where);
  cr_assert_eq (g->min_level, e->min_level, "%s: min_level", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
}

static void
check_wsim_async_res (const wsim_async_res *e, const wsim_async_res *g, const char *where)
{
  cr_assert_eq (g->hresult, e->hresult, "%s: hresult", where);
  cr_assert_str_eq (g->message, e->message, "%s: message", where);
}

static void
check_new_classes (u_int e_len, const wsim_class_def *e_val,
                   u_int g_len, const wsim_class_def *g_val, const char *where)
{
  cr_assert_eq (g_len, e_len, "%s: new_classes length", where);
  for (u_int i = 0; i < e_len; i++)
    {
      gchar *w = g_strdup_printf ("%s.new_classes[%u]", where, i);
      check_wsim_class_def (&e_val[i], &g_val[i], w);
      g_free (w);
    }
}

static void
check_wsim_indicate_args (const wsim_indicate_args *e, const wsim_indicate_args *g,
                          const char *where)
{
  cr_assert_eq (g->sink_id, e->sink_id, "%s: sink_id", where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
  cr_assert_eq (g->batch_seq, e->batch_seq, "%s: batch_seq", where);
  check_new_classes (e->new_classes.new_classes_len, e->new_classes.new_classes_val,
                     g->new_classes.new_classes_len, g->new_classes.new_classes_val, where);
  cr_assert_eq (g->rows.rows_len, e->rows.rows_len, "%s: rows length", where);
  for (u_int i = 0; i < e->rows.rows_len; i++)
    {
      gchar *w = g_strdup_printf ("%s.rows[%u]", where, i);
      check_wsim_instance (&e->rows.rows_val[i], &g->rows.rows_val[i], w);
      g_free (w);
    }
}

static void
check_wsim_set_status_args (const wsim_set_status_args *e, const wsim_set_status_args *g,
                            const char *where)
{
  cr_assert_eq (g->sink_id, e->sink_id, "%s: sink_id", where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  cr_assert_eq (g->hresult, e->hresult, "%s: hresult", where);
  cr_assert_str_eq (g->str_param, e->str_param, "%s: str_param", where);
  check_new_classes (e->new_classes.new_classes_len, e->new_classes.new_classes_val,
                     g->new_classes.new_classes_len, g->new_classes.new_classes_val, where);
  cr_assert_eq (g->obj_param == NULL, e->obj_param == NULL, "%s: obj_param presence", where);
  if (e->obj_param != NULL)
    check_wsim_instance (e->obj_param, g->obj_param, "obj_param");
}

/* Class declarations (wsim_class_decl and its parts), field by field. */
static void
check_qualifiers (u_int e_len, const wsim_qualifier *e, u_int g_len, const wsim_qualifier *g,
                  const char *where)
{
  cr_assert_eq (g_len, e_len, "%s: qualifiers length", where);
  for (u_int i = 0; i < e_len; i++)
    {
      cr_assert_str_eq (g[i].name, e[i].name, "%s: qualifier %u name", where, i);
      cr_assert_eq (g[i].flavor, e[i].flavor, "%s: qualifier %u flavor", where, i);
      check_wsim_value (&e[i].value, &g[i].value, where);
    }
}

#define CHECK_QUALIFIERS(e, g, where)                                                     \
  check_qualifiers ((e)->qualifiers.qualifiers_len, (e)->qualifiers.qualifiers_val,       \
                    (g)->qualifiers.qualifiers_len, (g)->qualifiers.qualifiers_val, where)

static void
check_wsim_qualifier (const wsim_qualifier *e, const wsim_qualifier *g, const char *where)
{
  check_qualifiers (1, e, 1, g, where);
}

static void
check_wsim_class_decl (const wsim_class_decl *e, const wsim_class_decl *g, const char *where)
{
  cr_assert_str_eq (g->name, e->name, "%s: name", where);
  cr_assert_str_eq (g->superclass, e->superclass, "%s: superclass", where);
  cr_assert_eq (g->derivation.derivation_len, e->derivation.derivation_len, "%s: derivation", where);
  for (u_int i = 0; i < e->derivation.derivation_len; i++)
    cr_assert_str_eq (g->derivation.derivation_val[i], e->derivation.derivation_val[i],
                      "%s: derivation[%u]", where, i);
  cr_assert_str_eq (g->namespace_path, e->namespace_path, "%s: namespace_path", where);
  CHECK_QUALIFIERS (e, g, where);
  cr_assert_eq (g->props.props_len, e->props.props_len, "%s: props length", where);
  for (u_int i = 0; i < e->props.props_len; i++)
    {
      const wsim_property_decl *ep = &e->props.props_val[i], *gp = &g->props.props_val[i];

      cr_assert_str_eq (gp->name, ep->name, "%s: prop %u name", where, i);
      cr_assert_eq (gp->cimtype, ep->cimtype, "%s: prop %u cimtype", where, i);
      cr_assert_str_eq (gp->ref_class, ep->ref_class, "%s: prop %u ref_class", where, i);
      cr_assert_str_eq (gp->class_origin, ep->class_origin, "%s: prop %u origin", where, i);
      CHECK_QUALIFIERS (ep, gp, where);
      check_wsim_value (&ep->default_value, &gp->default_value, where);
    }
  cr_assert_eq (g->methods.methods_len, e->methods.methods_len, "%s: methods length", where);
  for (u_int i = 0; i < e->methods.methods_len; i++)
    {
      const wsim_method_decl *em = &e->methods.methods_val[i], *gm = &g->methods.methods_val[i];

      cr_assert_str_eq (gm->name, em->name, "%s: method %u name", where, i);
      cr_assert_eq (gm->return_type, em->return_type, "%s: method %u return", where, i);
      cr_assert_str_eq (gm->class_origin, em->class_origin, "%s: method %u origin", where, i);
      cr_assert_eq (gm->is_static, em->is_static, "%s: method %u static", where, i);
      CHECK_QUALIFIERS (em, gm, where);
      cr_assert_eq (gm->params.params_len, em->params.params_len, "%s: params length", where);
      for (u_int j = 0; j < em->params.params_len; j++)
        {
          const wsim_param_decl *ea = &em->params.params_val[j], *ga = &gm->params.params_val[j];

          cr_assert_str_eq (ga->name, ea->name, "%s: param %u name", where, j);
          cr_assert_eq (ga->cimtype, ea->cimtype, "%s: param %u cimtype", where, j);
          cr_assert_str_eq (ga->ref_class, ea->ref_class, "%s: param %u ref_class", where, j);
          cr_assert_eq (ga->is_in, ea->is_in, "%s: param %u in", where, j);
          cr_assert_eq (ga->is_out, ea->is_out, "%s: param %u out", where, j);
          CHECK_QUALIFIERS (ea, ga, where);
        }
    }
}

static void
check_wsim_indicate_classes_args (const wsim_indicate_classes_args *e,
                                  const wsim_indicate_classes_args *g, const char *where)
{
  cr_assert_eq (g->sink_id, e->sink_id, "%s: sink_id", where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
  cr_assert_eq (g->batch_seq, e->batch_seq, "%s: batch_seq", where);
  cr_assert_eq (g->classes.classes_len, e->classes.classes_len, "%s: classes length", where);
  for (u_int i = 0; i < e->classes.classes_len; i++)
    check_wsim_class_decl (&e->classes.classes_val[i], &g->classes.classes_val[i], where);
}

static void
check_wsim_create_class_enum_async_args (const wsim_create_class_enum_async_args *e,
                                         const wsim_create_class_enum_async_args *g,
                                         const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_str_eq (g->superclass, e->superclass, "%s: superclass", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_put_class_async_args (const wsim_put_class_async_args *e,
                                 const wsim_put_class_async_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  check_wsim_class_decl (&e->class_object, &g->class_object, where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_delete_class_async_args (const wsim_delete_class_async_args *e,
                                    const wsim_delete_class_async_args *g, const char *where)
{
  cr_assert_eq (g->ns_handle, e->ns_handle, "%s: ns_handle", where);
  cr_assert_str_eq (g->class_name, e->class_name, "%s: class_name", where);
  cr_assert_eq (g->flags, e->flags, "%s: flags", where);
  check_wsim_sink_locator (&e->sink, &g->sink, where);
  cr_assert_eq (g->call_id, e->call_id, "%s: call_id", where);
}

static void
check_wsim_sink_res (const wsim_sink_res *e, const wsim_sink_res *g, const char *where)
{
  cr_assert_eq (g->hresult, e->hresult, "%s: hresult", where);
}

/* ---------------------------------------------------------------- vector definitions */

/* DEFINE_VECTOR (stem, ctype, description) { body filling ctype *o }
 * defines the vector and its two tests: <stem>_golden and <stem>_truncated. */
#define DEFINE_VECTOR(stem, ctype, desc)                                          \
  static void build_##stem (ctype *o);                                           \
  static void build_##stem##_v (void *o) { build_##stem (o); }                   \
  static void check_##stem##_v (const void *e, const void *g)                    \
  { check_##ctype (e, g, #stem); }                                               \
  static const WireVector vec_##stem = {                                         \
    .name = #stem, .what = desc, .proc = (xdrproc_t) xdr_##ctype,                \
    .size = sizeof (ctype), .build = build_##stem##_v,                           \
    .check = check_##stem##_v,                                                   \
  };                                                                             \
  Test (wire, stem##_golden, .timeout = 10) { run_golden (&vec_##stem); }        \
  Test (wire, stem##_truncated, .timeout = 30) { run_truncated (&vec_##stem); }  \
  static void build_##stem (ctype *o)

/* A scalar value vector: one union arm set. */
#define VALUE_VECTOR(stem, cimtype, arm, val, desc)                               \
  DEFINE_VECTOR (stem, wsim_value, desc)                                         \
  {                                                                              \
    o->type = cimtype;                                                           \
    U (o).arm = val;                                                             \
  }

/* An array value vector over a static array. */
#define ARRAY_VECTOR(stem, cimtype, arm, ctype, desc, ...)                        \
  DEFINE_VECTOR (stem, wsim_value, desc)                                         \
  {                                                                              \
    static ctype elems[] = { __VA_ARGS__ };                                      \
    o->type = cimtype;                                                           \
    U (o).arm.arm##_len = N_ELEMENTS (elems);                                    \
    U (o).arm.arm##_val = elems;                                                 \
  }

/* Scalars: one representative value of each CIM type, extremes where they show sign. */
DEFINE_VECTOR (value_empty, wsim_value, "CIM_EMPTY: null, the discriminant alone")
{
  o->type = CIM_EMPTY;
}
VALUE_VECTOR (value_sint8, CIM_SINT8, v_sint8, -128, "CIM_SINT8 -128 (as XDR int)")
VALUE_VECTOR (value_uint8, CIM_UINT8, v_uint8, 255, "CIM_UINT8 255 (as XDR unsigned int)")
VALUE_VECTOR (value_sint16, CIM_SINT16, v_sint16, -32768, "CIM_SINT16 -32768 (as XDR int)")
VALUE_VECTOR (value_uint16, CIM_UINT16, v_uint16, 65535, "CIM_UINT16 65535 (as XDR unsigned int)")
VALUE_VECTOR (value_sint32, CIM_SINT32, v_sint32, -123456789, "CIM_SINT32 -123456789")
VALUE_VECTOR (value_uint32, CIM_UINT32, v_uint32, 0xDEADBEEFu, "CIM_UINT32 0xDEADBEEF")
VALUE_VECTOR (value_sint64, CIM_SINT64, v_sint64, -1234567890123456789LL,
              "CIM_SINT64 -1234567890123456789 (XDR hyper)")
VALUE_VECTOR (value_uint64, CIM_UINT64, v_uint64, 0xFEDCBA9876543210ULL,
              "CIM_UINT64 0xFEDCBA9876543210 (XDR unsigned hyper)")
VALUE_VECTOR (value_real32, CIM_REAL32, v_real32, 1.5f, "CIM_REAL32 1.5 (IEEE single 0x3FC00000)")
VALUE_VECTOR (value_real64, CIM_REAL64, v_real64, -2.25,
              "CIM_REAL64 -2.25 (IEEE double 0xC002000000000000)")
VALUE_VECTOR (value_boolean, CIM_BOOLEAN, v_boolean, TRUE, "CIM_BOOLEAN TRUE (XDR bool 1)")
VALUE_VECTOR (value_string, CIM_STRING, v_string, S ("root\\cimv2"),
              "CIM_STRING \"root\\cimv2\" (10 bytes, 2 of padding)")
VALUE_VECTOR (value_datetime, CIM_DATETIME, v_datetime, S ("20240131235959.123456+060"),
              "CIM_DATETIME \"20240131235959.123456+060\" (25 bytes, 3 of padding)")
VALUE_VECTOR (value_reference, CIM_REFERENCE, v_reference,
              S ("\\\\.\\root\\cimv2:Win32_Service.Name=\"WinRM\""),
              "CIM_REFERENCE \\\\.\\root\\cimv2:Win32_Service.Name=\"WinRM\"")
VALUE_VECTOR (value_char16, CIM_CHAR16, v_char16, 0x00E9, "CIM_CHAR16 U+00E9 (as XDR unsigned int)")

/* Arrays: one of each scalar type, plus an empty one. */
ARRAY_VECTOR (value_sint8_array, WSIM_CIM_SINT8_ARRAY, a_sint8, int,
              "CIM_SINT8|CIM_FLAG_ARRAY {-1, 0, 127}", -1, 0, 127)
ARRAY_VECTOR (value_uint8_array, WSIM_CIM_UINT8_ARRAY, a_uint8, u_int,
              "CIM_UINT8|CIM_FLAG_ARRAY {0, 1, 255}", 0, 1, 255)
ARRAY_VECTOR (value_sint16_array, WSIM_CIM_SINT16_ARRAY, a_sint16, int,
              "CIM_SINT16|CIM_FLAG_ARRAY {-32768, 32767}", -32768, 32767)
ARRAY_VECTOR (value_uint16_array, WSIM_CIM_UINT16_ARRAY, a_uint16, u_int,
              "CIM_UINT16|CIM_FLAG_ARRAY {0, 65535}", 0, 65535)
ARRAY_VECTOR (value_sint32_array, WSIM_CIM_SINT32_ARRAY, a_sint32, int,
              "CIM_SINT32|CIM_FLAG_ARRAY {INT32_MIN, -1, INT32_MAX}", INT32_MIN, -1, INT32_MAX)
ARRAY_VECTOR (value_uint32_array, WSIM_CIM_UINT32_ARRAY, a_uint32, u_int,
              "CIM_UINT32|CIM_FLAG_ARRAY {0, 1, UINT32_MAX}", 0, 1, UINT32_MAX)
ARRAY_VECTOR (value_uint32_array_empty, WSIM_CIM_UINT32_ARRAY, a_uint32, u_int,
              "CIM_UINT32|CIM_FLAG_ARRAY {} (empty array: count 0, not null)")
ARRAY_VECTOR (value_sint64_array, WSIM_CIM_SINT64_ARRAY, a_sint64, quad_t,
              "CIM_SINT64|CIM_FLAG_ARRAY {INT64_MIN, -1}", INT64_MIN, -1)
ARRAY_VECTOR (value_uint64_array, WSIM_CIM_UINT64_ARRAY, a_uint64, u_quad_t,
              "CIM_UINT64|CIM_FLAG_ARRAY {UINT64_MAX, 1}", UINT64_MAX, 1)
ARRAY_VECTOR (value_real32_array, WSIM_CIM_REAL32_ARRAY, a_real32, float,
              "CIM_REAL32|CIM_FLAG_ARRAY {0.0, -1.0, 3.25}", 0.0f, -1.0f, 3.25f)
ARRAY_VECTOR (value_real64_array, WSIM_CIM_REAL64_ARRAY, a_real64, double,
              "CIM_REAL64|CIM_FLAG_ARRAY {1.0, 0.1}", 1.0, 0.1)
ARRAY_VECTOR (value_boolean_array, WSIM_CIM_BOOLEAN_ARRAY, a_boolean, bool_t,
              "CIM_BOOLEAN|CIM_FLAG_ARRAY {TRUE, FALSE, TRUE}", TRUE, FALSE, TRUE)
ARRAY_VECTOR (value_string_array, WSIM_CIM_STRING_ARRAY, a_string, wsim_string,
              "CIM_STRING|CIM_FLAG_ARRAY {\"\", \"a\", \"abcd\", \"abcde\"} (padding 0, 3, 0, 3)",
              S (""), S ("a"), S ("abcd"), S ("abcde"))
ARRAY_VECTOR (value_datetime_array, WSIM_CIM_DATETIME_ARRAY, a_datetime, wsim_datetime,
              "CIM_DATETIME|CIM_FLAG_ARRAY {a timestamp, an interval}",
              S ("20240101000000.000000+000"), S ("00000001020304.000000:000"))
ARRAY_VECTOR (value_reference_array, WSIM_CIM_REFERENCE_ARRAY, a_reference, wsim_string,
              "CIM_REFERENCE|CIM_FLAG_ARRAY {two object paths}",
              S ("Win32_Process.Handle=\"4\""), S ("Win32_Service.Name=\"WinRM\""))
ARRAY_VECTOR (value_char16_array, WSIM_CIM_CHAR16_ARRAY, a_char16, u_int,
              "CIM_CHAR16|CIM_FLAG_ARRAY {'W', 'M', 'I'}", 'W', 'M', 'I')

/* Embedded objects (CIM_OBJECT): an event's TargetInstance, one level inside another. */
static wsim_property_def target_props[] = {
  { .name = S ("Name"), .cimtype = CIM_STRING, .is_key = TRUE },
  { .name = S ("Size"), .cimtype = CIM_UINT32, .is_key = FALSE },
};
static wsim_value alpha_values[] = {
  { .type = CIM_STRING, .wsim_value_u.v_string = S ("alpha") },
  { .type = CIM_UINT32, .wsim_value_u.v_uint32 = 1 },
};
static wsim_property_def holder_props[] = {
  { .name = S ("Id"), .cimtype = CIM_UINT32, .is_key = TRUE },
  { .name = S ("TargetInstance"), .cimtype = CIM_OBJECT, .is_key = FALSE },
};
static wsim_embedded alpha_object = {
  .cls = { .name = S ("Sim_Target"), .superclass = S (""),
           .props = { N_ELEMENTS (target_props), target_props } },
  .values = { N_ELEMENTS (alpha_values), alpha_values },
};
static wsim_value holder_values[] = {
  { .type = CIM_UINT32, .wsim_value_u.v_uint32 = 7 },
  { .type = CIM_OBJECT, .wsim_value_u.v_object = &alpha_object },
};

DEFINE_VECTOR (value_object, wsim_value,
               "CIM_OBJECT: Sim_Embedded {Id 7, TargetInstance = Sim_Target {Name \"alpha\", Size 1}}")
{
  static wsim_embedded holder = {
    .cls = { .name = S ("Sim_Embedded"), .superclass = S (""),
             .props = { N_ELEMENTS (holder_props), holder_props } },
    .values = { N_ELEMENTS (holder_values), holder_values },
  };

  o->type = CIM_OBJECT;
  U (o).v_object = &holder;
}

DEFINE_VECTOR (value_object_array, wsim_value,
               "CIM_OBJECT|CIM_FLAG_ARRAY {Sim_Target alpha, Sim_Target with Name \"b\" and Size null}")
{
  static wsim_value b_values[] = {
    { .type = CIM_STRING, .wsim_value_u.v_string = S ("b") },
    { .type = CIM_EMPTY },
  };
  static wsim_embedded elems[2];

  elems[0] = alpha_object;
  elems[1] = alpha_object;
  elems[1].values.values_val = b_values;
  o->type = WSIM_CIM_OBJECT_ARRAY;
  U (o).a_object.a_object_len = N_ELEMENTS (elems);
  U (o).a_object.a_object_val = elems;
}

/* A schema and rows of it, shared by the class, instance and Indicate vectors. */
static wsim_property_def service_props[] = {
  { .name = S ("Name"),      .cimtype = CIM_STRING,            .is_key = TRUE },
  { .name = S ("ProcessId"), .cimtype = CIM_UINT32,            .is_key = FALSE },
  { .name = S ("Started"),   .cimtype = CIM_BOOLEAN,           .is_key = FALSE },
  { .name = S ("StartTime"), .cimtype = CIM_DATETIME,          .is_key = FALSE },
  { .name = S ("Tags"),      .cimtype = WSIM_CIM_STRING_ARRAY, .is_key = FALSE },
};

static void
fill_service_class (wsim_class_def *c)
{
  c->name = S ("Win32_Service");
  c->superclass = S ("Win32_BaseService");
  c->props.props_len = N_ELEMENTS (service_props);
  c->props.props_val = service_props;
}

static char *winrm_tags[] = { S ("remote"), S ("mgmt") };

static wsim_value winrm_values[] = {
  { .type = CIM_STRING,   .wsim_value_u.v_string = S ("WinRM") },
  { .type = CIM_UINT32,   .wsim_value_u.v_uint32 = 1234 },
  { .type = CIM_BOOLEAN,  .wsim_value_u.v_boolean = TRUE },
  { .type = CIM_EMPTY },  /* StartTime is null */
  { .type = WSIM_CIM_STRING_ARRAY,
    .wsim_value_u.a_string = { .a_string_len = 2, .a_string_val = winrm_tags } },
};

static wsim_value spooler_values[] = {
  { .type = CIM_STRING,   .wsim_value_u.v_string = S ("Spooler") },
  { .type = CIM_EMPTY },
  { .type = CIM_BOOLEAN,  .wsim_value_u.v_boolean = FALSE },
  { .type = CIM_DATETIME, .wsim_value_u.v_datetime = S ("20240131235959.000000+000") },
  { .type = WSIM_CIM_STRING_ARRAY,
    .wsim_value_u.a_string = { .a_string_len = 0, .a_string_val = NULL } },
};

static wsim_instance service_rows[] = {
  { .class_idx = 0, .values = { .values_len = 5, .values_val = winrm_values } },
  { .class_idx = 0, .values = { .values_len = 5, .values_val = spooler_values } },
};

static wsim_property_def ext_status_props[] = {
  { .name = S ("Operation"),   .cimtype = CIM_STRING, .is_key = FALSE },
  { .name = S ("StatusCode"),  .cimtype = CIM_UINT32, .is_key = FALSE },
  { .name = S ("Description"), .cimtype = CIM_STRING, .is_key = FALSE },
};

static wsim_class_def ext_status_class = {
  .name = S ("__ExtendedStatus"),
  .superclass = S ("__NotifyStatus"),
  .props = { .props_len = 3, .props_val = ext_status_props },
};

static wsim_value ext_status_values[] = {
  { .type = CIM_STRING, .wsim_value_u.v_string = S ("GetObject") },
  { .type = CIM_UINT32, .wsim_value_u.v_uint32 = 0x80041002u },
  { .type = CIM_STRING, .wsim_value_u.v_string = S ("Win32_Service.Name=\"nope\"") },
};

static wsim_instance ext_status_row = {
  .class_idx = 0, .values = { .values_len = 3, .values_val = ext_status_values },
};

static void
fill_sink_locator (wsim_sink_locator *s)
{
  s->endpoint = S ("tcp:127.0.0.1:4000");
  s->sink_id = 0x0000000100000007ULL;
}

DEFINE_VECTOR (property_def_key, wsim_property_def, "property Name, CIM_STRING, key")
{
  *o = service_props[0];
}

DEFINE_VECTOR (class_def, wsim_class_def,
               "class Win32_Service : Win32_BaseService with 5 properties")
{
  fill_service_class (o);
}

DEFINE_VECTOR (class_def_root, wsim_class_def,
               "class __SystemClass, no superclass (\"\"), no properties")
{
  o->name = S ("__SystemClass");
  o->superclass = S ("");
}

DEFINE_VECTOR (instance_row, wsim_instance,
               "a Win32_Service row: class 0, string, uint32, boolean, null, string array")
{
  *o = service_rows[0];
}

/* Service program (client -> server). */
DEFINE_VECTOR (sink_locator, wsim_sink_locator, "sink tcp:127.0.0.1:4000, sink_id 0x100000007")
{
  fill_sink_locator (o);
}

DEFINE_VECTOR (open_namespace_args, wsim_open_namespace_args,
               "OPEN_NAMESPACE (3) args: \"root\\cimv2\", flags 0")
{
  o->namespace_path = S ("root\\cimv2");
  o->flags = 0;
}

DEFINE_VECTOR (open_namespace_res, wsim_open_namespace_res,
               "OPEN_NAMESPACE (3) result: WBEM_S_NO_ERROR, ns_handle 0x100000002")
{
  o->hresult = 0;
  o->ns_handle = 0x0000000100000002ULL;
}

DEFINE_VECTOR (open_namespace_res_error, wsim_open_namespace_res,
               "OPEN_NAMESPACE (3) result: WBEM_E_INVALID_NAMESPACE 0x8004100E, handle 0")
{
  o->hresult = 0x8004100Eu;
  o->ns_handle = 0;
}

DEFINE_VECTOR (cancel_async_call_args, wsim_cancel_async_call_args,
               "CANCEL_ASYNC_CALL (4) args: ns_handle 0x100000002, the sink")
{
  o->ns_handle = 0x0000000100000002ULL;
  fill_sink_locator (&o->sink);
}

DEFINE_VECTOR (get_object_async_args, wsim_get_object_async_args,
               "GET_OBJECT_ASYNC (7) args: Win32_Service.Name=\"WinRM\", flags 0, call 42")
{
  o->ns_handle = 0x0000000100000002ULL;
  o->object_path = S ("Win32_Service.Name=\"WinRM\"");
  o->flags = 0;
  fill_sink_locator (&o->sink);
  o->call_id = 42;
}

DEFINE_VECTOR (create_instance_enum_async_args, wsim_create_instance_enum_async_args,
               "CREATE_INSTANCE_ENUM_ASYNC (19) args: Win32_Service, "
               "WBEM_FLAG_SEND_STATUS|WBEM_FLAG_SHALLOW (0x81), unix sink, call 43")
{
  o->ns_handle = 0x0000000100000002ULL;
  o->class_name = S ("Win32_Service");
  o->flags = 0x81;
  o->sink.endpoint = S ("unix:/run/wsim/sink.sock");
  o->sink.sink_id = 9;
  o->call_id = 43;
}

DEFINE_VECTOR (exec_query_async_args, wsim_exec_query_async_args,
               "EXEC_QUERY_ASYNC (21) args: WQL SELECT Name FROM Win32_Service, "
               "flags WBEM_FLAG_BIDIRECTIONAL (0), call 44")
{
  o->ns_handle = 0x0000000100000002ULL;
  o->query_language = S ("WQL");
  o->query = S ("SELECT Name FROM Win32_Service WHERE State = 'Running'");
  o->flags = 0;
  fill_sink_locator (&o->sink);
  o->call_id = 44;
}

DEFINE_VECTOR (exec_method_async_args, wsim_exec_method_async_args,
               "EXEC_METHOD_ASYNC (25) args: Sim_Methods Add, in-parameters A=40 B=2 (uint32), "
               "flags WBEM_FLAG_SEND_STATUS (0x80), call 45")
{
  static wsim_property_def props[] = {
    { S ("A"), 19 /* CIM_UINT32 */, FALSE },
    { S ("B"), 19, FALSE },
  };
  static wsim_value values[2];
  static wsim_instance row;

  values[0].type = CIM_UINT32;
  values[0].wsim_value_u.v_uint32 = 40;
  values[1].type = CIM_UINT32;
  values[1].wsim_value_u.v_uint32 = 2;
  row.class_idx = 0;
  row.values.values_len = 2;
  row.values.values_val = values;
  o->ns_handle = 0x0000000100000002ULL;
  o->object_path = S ("Sim_Methods");
  o->method_name = S ("Add");
  o->flags = 0x80;
  o->in_params_class.name = S ("__PARAMETERS");
  o->in_params_class.superclass = S ("");
  o->in_params_class.props.props_len = N_ELEMENTS (props);
  o->in_params_class.props.props_val = props;
  o->in_params = &row;
  fill_sink_locator (&o->sink);
  o->call_id = 45;
}

DEFINE_VECTOR (exec_method_async_args_no_params, wsim_exec_method_async_args,
               "EXEC_METHOD_ASYNC (25) args: Sim_Methods.Name=\"a\" Frobnicate, no in-parameters "
               "(an empty class, no row), flags 0, call 46")
{
  o->ns_handle = 0x0000000100000002ULL;
  o->object_path = S ("Sim_Methods.Name=\"a\"");
  o->method_name = S ("Frobnicate");
  o->flags = 0;
  o->in_params_class.name = S ("__PARAMETERS");
  o->in_params_class.superclass = S ("");
  o->in_params = NULL;
  fill_sink_locator (&o->sink);
  o->call_id = 46;
}

DEFINE_VECTOR (put_instance_async_args, wsim_put_instance_async_args,
               "PUT_INSTANCE_ASYNC (15) args: Sim_Stored Name=\"a\" (key, string) Size=7 "
               "(uint32), flags WBEM_FLAG_CREATE_ONLY (2), call 47")
{
  static wsim_property_def props[] = {
    { S ("Name"), 8 /* CIM_STRING */, TRUE },
    { S ("Size"), 19 /* CIM_UINT32 */, FALSE },
  };
  static wsim_value values[2];

  values[0].type = CIM_STRING;
  values[0].wsim_value_u.v_string = S ("a");
  values[1].type = CIM_UINT32;
  values[1].wsim_value_u.v_uint32 = 7;
  o->ns_handle = 0x0000000100000002ULL;
  o->flags = 2;
  o->inst_class.name = S ("Sim_Stored");
  o->inst_class.superclass = S ("");
  o->inst_class.props.props_len = N_ELEMENTS (props);
  o->inst_class.props.props_val = props;
  o->inst.class_idx = 0;
  o->inst.values.values_len = 2;
  o->inst.values.values_val = values;
  fill_sink_locator (&o->sink);
  o->call_id = 47;
}

DEFINE_VECTOR (delete_instance_async_args, wsim_delete_instance_async_args,
               "DELETE_INSTANCE_ASYNC (17) args: Sim_Stored.Name=\"a\", flags 0, call 48")
{
  o->ns_handle = 0x0000000100000002ULL;
  o->object_path = S ("Sim_Stored.Name=\"a\"");
  o->flags = 0;
  fill_sink_locator (&o->sink);
  o->call_id = 48;
}

DEFINE_VECTOR (security_info, wsim_security_info,
               "NEGOTIATE_SECURITY (64) result: default PKT_INTEGRITY, minimum CONNECT, hardened")
{
  o->default_level = 5;
  o->min_level = 2;
  o->flags = WSIM_SECURITY_HARDENED;
}

DEFINE_VECTOR (async_res, wsim_async_res, "*_ASYNC / CANCEL_ASYNC_CALL result: WBEM_S_NO_ERROR")
{
  o->hresult = 0;
  o->message = (char *) "";
}

DEFINE_VECTOR (async_res_error, wsim_async_res,
               "*_ASYNC result: WBEM_E_ACCESS_DENIED 0x80041003")
{
  o->hresult = 0x80041003u;
  o->message = (char *) "access denied";
}

/* Sink program (server -> sink host). */
DEFINE_VECTOR (indicate_args_first, wsim_indicate_args,
               "INDICATE (3) args: batch 0 introduces Win32_Service and carries 2 rows")
{
  static wsim_class_def classes[1];
  fill_service_class (&classes[0]);
  o->sink_id = 0x0000000100000007ULL;
  o->call_id = 43;
  o->batch_seq = 0;
  o->new_classes.new_classes_len = 1;
  o->new_classes.new_classes_val = classes;
  o->rows.rows_len = N_ELEMENTS (service_rows);
  o->rows.rows_val = service_rows;
}

DEFINE_VECTOR (indicate_args_next, wsim_indicate_args,
               "INDICATE (3) args: batch 1, no new classes, 1 row of class 0")
{
  o->sink_id = 0x0000000100000007ULL;
  o->call_id = 43;
  o->batch_seq = 1;
  o->rows.rows_len = 1;
  o->rows.rows_val = &service_rows[1];
}

DEFINE_VECTOR (indicate_args_object, wsim_indicate_args,
               "INDICATE (3) args: batch 0 introduces Sim_Embedded, 1 row whose TargetInstance is "
               "an embedded Sim_Target")
{
  static wsim_class_def classes[] = {
    { .name = S ("Sim_Embedded"), .superclass = S (""),
      .props = { N_ELEMENTS (holder_props), holder_props } },
  };
  static wsim_instance rows[] = {
    { .class_idx = 0, .values = { N_ELEMENTS (holder_values), holder_values } },
  };

  o->sink_id = 0x0000000100000007ULL;
  o->call_id = 45;
  o->batch_seq = 0;
  o->new_classes.new_classes_len = N_ELEMENTS (classes);
  o->new_classes.new_classes_val = classes;
  o->rows.rows_len = N_ELEMENTS (rows);
  o->rows.rows_val = rows;
}

DEFINE_VECTOR (set_status_args_complete, wsim_set_status_args,
               "SET_STATUS (4) args: WBEM_STATUS_COMPLETE, WBEM_S_NO_ERROR, \"\", no object")
{
  o->sink_id = 0x0000000100000007ULL;
  o->call_id = 43;
  o->flags = 0;
  o->hresult = 0;
  o->str_param = S ("");
  o->obj_param = NULL;
}

DEFINE_VECTOR (set_status_args_progress, wsim_set_status_args,
               "SET_STATUS (4) args: WBEM_STATUS_PROGRESS, 3 of 10 (hresult 0x000A0003)")
{
  o->sink_id = 0x0000000100000007ULL;
  o->call_id = 43;
  o->flags = 2;
  o->hresult = 0x000A0003u;
  o->str_param = S ("");
}

DEFINE_VECTOR (set_status_args_error, wsim_set_status_args,
               "SET_STATUS (4) args: COMPLETE, WBEM_E_NOT_FOUND, introduces "
               "__ExtendedStatus and sends one as obj_param")
{
  o->sink_id = 0x0000000100000007ULL;
  o->call_id = 42;
  o->flags = 0;
  o->hresult = 0x80041002u;
  o->str_param = S ("");
  o->new_classes.new_classes_len = 1;
  o->new_classes.new_classes_val = &ext_status_class;
  o->obj_param = &ext_status_row;
}

/* Class declarations (schema; docs/wire.md, "Class objects"). */
static wsim_qualifier key_qualifier = {
  .name = S ("key"), .flavor = 0x12,   /* PROPAGATE_TO_DERIVED_CLASS | NOT_OVERRIDABLE */
  .value = { .type = CIM_BOOLEAN, .wsim_value_u.v_boolean = TRUE },
};

static void
fill_widget_decl (wsim_class_decl *o)
{
  static wsim_name derivation[] = { S ("Sim_Thing") };
  static wsim_qualifier class_qs[] = {
    { S ("Description"), 0x22 /* PROPAGATE_TO_DERIVED_CLASS | ORIGIN_PROPAGATED */,
      { .type = CIM_STRING, .wsim_value_u.v_string = S ("Something") } },
  };
  static wsim_qualifier name_qs[1];
  static wsim_property_decl props[] = {
    { .name = S ("Name"), .cimtype = CIM_STRING, .ref_class = S (""),
      .class_origin = S ("Sim_Thing") },
    { .name = S ("Count"), .cimtype = CIM_UINT32, .ref_class = S (""),
      .class_origin = S ("Sim_Widget"),
      .default_value = { .type = CIM_UINT32, .wsim_value_u.v_uint32 = 1 } },
    { .name = S ("Owner"), .cimtype = CIM_REFERENCE, .ref_class = S ("Sim_Thing"),
      .class_origin = S ("Sim_Widget") },
  };
  static wsim_qualifier in_q[] = {
    { S ("in"), 0x2, { .type = CIM_BOOLEAN, .wsim_value_u.v_boolean = TRUE } },
  };
  static wsim_qualifier out_q[] = {
    { S ("out"), 0x2, { .type = CIM_BOOLEAN, .wsim_value_u.v_boolean = TRUE } },
  };
  static wsim_qualifier static_q[] = {
    { S ("static"), 0x2, { .type = CIM_BOOLEAN, .wsim_value_u.v_boolean = TRUE } },
  };
  static wsim_param_decl params[] = {
    { .name = S ("Reason"), .cimtype = CIM_STRING, .ref_class = S (""), .is_in = TRUE,
      .qualifiers = { 1, in_q } },
    { .name = S ("Previous"), .cimtype = CIM_UINT32, .ref_class = S (""), .is_out = TRUE,
      .qualifiers = { 1, out_q } },
  };
  static wsim_method_decl methods[] = {
    { .name = S ("Reset"), .return_type = CIM_UINT32, .class_origin = S ("Sim_Widget"),
      .is_static = TRUE, .qualifiers = { 1, static_q }, .params = { 2, params } },
  };

  name_qs[0] = key_qualifier;
  props[0].qualifiers.qualifiers_len = 1;
  props[0].qualifiers.qualifiers_val = name_qs;
  o->name = S ("Sim_Widget");
  o->superclass = S ("Sim_Thing");
  o->derivation.derivation_len = 1;
  o->derivation.derivation_val = derivation;
  o->namespace_path = S ("root\\test");
  o->qualifiers.qualifiers_len = 1;
  o->qualifiers.qualifiers_val = class_qs;
  o->props.props_len = N_ELEMENTS (props);
  o->props.props_val = props;
  o->methods.methods_len = 1;
  o->methods.methods_val = methods;
}

DEFINE_VECTOR (qualifier_key, wsim_qualifier,
               "qualifier key, TRUE, flavor ToSubclass|DisableOverride (0x12)")
{
  *o = key_qualifier;
}

DEFINE_VECTOR (class_decl, wsim_class_decl,
               "class object Sim_Widget : Sim_Thing: a propagated qualifier, 3 properties "
               "(a key, a default, a typed reference), a static method with [in] and [out]")
{
  fill_widget_decl (o);
}

DEFINE_VECTOR (class_decl_root, wsim_class_decl,
               "class object __SystemClass: root, no qualifiers, properties or methods")
{
  o->name = S ("__SystemClass");
  o->superclass = S ("");
  o->namespace_path = S ("root");
}

DEFINE_VECTOR (create_class_enum_async_args, wsim_create_class_enum_async_args,
               "CREATE_CLASS_ENUM_ASYNC (13) args: superclass Sim_Thing, WBEM_FLAG_SHALLOW (1), "
               "call 47")
{
  o->ns_handle = 0x0000000100000002ULL;
  o->superclass = S ("Sim_Thing");
  o->flags = 1;
  fill_sink_locator (&o->sink);
  o->call_id = 47;
}

DEFINE_VECTOR (put_class_async_args, wsim_put_class_async_args,
               "PUT_CLASS_ASYNC (9) args: the Sim_Widget class object, WBEM_FLAG_CREATE_ONLY (2), "
               "call 48")
{
  o->ns_handle = 0x0000000100000002ULL;
  fill_widget_decl (&o->class_object);
  o->flags = 2;
  fill_sink_locator (&o->sink);
  o->call_id = 48;
}

DEFINE_VECTOR (delete_class_async_args, wsim_delete_class_async_args,
               "DELETE_CLASS_ASYNC (11) args: Sim_Widget, flags 0, call 49")
{
  o->ns_handle = 0x0000000100000002ULL;
  o->class_name = S ("Sim_Widget");
  o->flags = 0;
  fill_sink_locator (&o->sink);
  o->call_id = 49;
}

DEFINE_VECTOR (indicate_classes_args, wsim_indicate_classes_args,
               "INDICATE_CLASSES (5) args: batch 0, one class object (Sim_Widget)")
{
  static wsim_class_decl classes[1];

  fill_widget_decl (&classes[0]);
  o->sink_id = 0x0000000100000007ULL;
  o->call_id = 47;
  o->batch_seq = 0;
  o->classes.classes_len = 1;
  o->classes.classes_val = classes;
}

DEFINE_VECTOR (sink_res, wsim_sink_res, "INDICATE / SET_STATUS result: WBEM_S_NO_ERROR")
{
  o->hresult = 0;
}

/* Service program, version 2: a context, then the V1 argument (wsim_service.x). */
static void
check_wsim_context (const wsim_context *e, const wsim_context *g, const char *where)
{
  cr_assert_eq (g->values.values_len, e->values.values_len, "%s: values", where);
  for (u_int i = 0; i < e->values.values_len; i++)
    {
      cr_assert_str_eq (g->values.values_val[i].name, e->values.values_val[i].name, "%s: name", where);
      check_wsim_value (&e->values.values_val[i].value, &g->values.values_val[i].value, where);
    }
}

static wsim_context_value context_values[3];

static void
fill_context (wsim_context *o)
{
  context_values[0].name = S ("Server");
  context_values[0].value.type = CIM_STRING;
  context_values[0].value.wsim_value_u.v_string = S ("db1");
  context_values[1].name = S ("Retries");
  context_values[1].value.type = CIM_SINT32;
  context_values[1].value.wsim_value_u.v_sint32 = -3;
  context_values[2].name = S ("Verbose");
  context_values[2].value.type = CIM_BOOLEAN;
  context_values[2].value.wsim_value_u.v_boolean = TRUE;
  o->values.values_len = N_ELEMENTS (context_values);
  o->values.values_val = context_values;
}

DEFINE_VECTOR (context, wsim_context,
               "a context (IWbemContext): Server=\"db1\" (string), Retries=-3 (sint32), "
               "Verbose=TRUE (boolean)")
{
  fill_context (o);
}

DEFINE_VECTOR (context_empty, wsim_context, "an empty context: the count 0 alone")
{
  (void) o;
}

/* What a V2 procedure's argument is: a context, then the V1 argument, nothing between. */
typedef struct {
  wsim_context               context;
  wsim_get_object_async_args args;
} v2_get_object_async_args;

static bool_t
xdr_v2_get_object_async_args (XDR *xdrs, v2_get_object_async_args *o)
{
  return xdr_wsim_context (xdrs, &o->context) && xdr_wsim_get_object_async_args (xdrs, &o->args);
}

static void
check_v2_get_object_async_args (const v2_get_object_async_args *e,
                                const v2_get_object_async_args *g, const char *where)
{
  check_wsim_context (&e->context, &g->context, where);
  check_wsim_get_object_async_args (&e->args, &g->args, where);
}

DEFINE_VECTOR (v2_get_object_async_args, v2_get_object_async_args,
               "WSIM_SERVICE_V2 GET_OBJECT_ASYNC (7) args: the context above, then V1's "
               "get_object_async_args")
{
  fill_context (&o->context);
  o->args.ns_handle = 0x0000000100000002ULL;
  o->args.object_path = S ("Win32_Service.Name=\"WinRM\"");
  o->args.flags = 0;
  fill_sink_locator (&o->args.sink);
  o->args.call_id = 42;
}

/* ---------------------------------------------------------------- bad input */

/* Builds big-endian XDR units into a byte array. */
static GByteArray *
units (const guint32 *u, gsize n)
{
  GByteArray *b = g_byte_array_new ();
  for (gsize i = 0; i < n; i++)
    {
      guint32 be = GUINT32_TO_BE (u[i]);
      g_byte_array_append (b, (const guint8 *) &be, 4);
    }
  return b;
}

#define EXPECT_UNITS_FAIL(ctype, what, ...)                                      \
  do {                                                                           \
    static const guint32 u_[] = { __VA_ARGS__ };                                 \
    GByteArray *b_ = units (u_, G_N_ELEMENTS (u_));                              \
    expect_decode_fails ((xdrproc_t) xdr_##ctype, sizeof (ctype), b_->data,      \
                         b_->len, what);                                         \
    g_byte_array_free (b_, TRUE);                                                \
  } while (0)

Test (wire, unknown_cimtype_fails, .timeout = 10)
{
  /* Each followed by enough bytes for any arm, so only the discriminant can fail. */
  static const guint32 bad[] = {
    1, 6, 7, 9, 10, 12, 14, 15, 22, 100, 104, 0xFFF,
    CIM_FLAG_ARRAY, 0x2001, 0x200E, 0x2000 | 100, 0x4008, 0x80000008u, 0xFFFFFFFFu,
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint32 u[] = { bad[i], 0, 0, 0, 0 };
      GByteArray *b = units (u, G_N_ELEMENTS (u));
      gchar *what = g_strdup_printf ("cimtype 0x%x", bad[i]);
      expect_decode_fails ((xdrproc_t) xdr_wsim_value, sizeof (wsim_value), b->data,
                           b->len, what);
      g_free (what);
      g_byte_array_free (b, TRUE);

      /* The encoder refuses them too. */
      wsim_value v = { .type = (wsim_cimtype) bad[i] };
      char buf[64];
      XDR xdrs;
      xdrmem_create (&xdrs, buf, sizeof buf, XDR_ENCODE);
      cr_assert_not (xdr_wsim_value (&xdrs, &v), "encoded cimtype 0x%x", bad[i]);
      xdr_destroy (&xdrs);
    }
  assert_valgrind_clean ();
}

/* The units of a CIM_OBJECT value nesting @depth objects: each level is class "A" with one
 * property "P" of type CIM_OBJECT holding the next level; the innermost has no property. */
static GByteArray *
nested_object_units (guint depth)
{
  GArray *u = g_array_new (FALSE, FALSE, sizeof (guint32));
  GByteArray *b;

  for (guint level = 1; level <= depth; level++)
    {
      gboolean inner = level == depth;
      const guint32 head[] = { CIM_OBJECT, 1, 1, 0x41000000, 0, inner ? 0 : 1 };
      const guint32 prop[] = { 1, 0x50000000, CIM_OBJECT, 0, 1 };   /* "P", then 1 value */

      g_array_append_vals (u, head, G_N_ELEMENTS (head));
      if (!inner)
        g_array_append_vals (u, prop, G_N_ELEMENTS (prop));
      else
        g_array_append_val (u, (guint32) { 0 });                    /* no values */
    }
  b = units ((const guint32 *) (void *) u->data, u->len);
  g_array_free (u, TRUE);
  return b;
}

/* Decodes @b as one wsim_value; frees what it decoded. */
static bool_t
decode_value_units (GByteArray *b, u_int *used)
{
  wsim_value v = { 0 };
  bool_t ok = decode ((xdrproc_t) xdr_wsim_value, b->data, b->len, &v, used);

  xdr_free ((xdrproc_t) xdr_wsim_value, (char *) &v);
  return ok;
}

Test (wire, object_nesting_is_bounded, .timeout = 30)
{
  /* WSIM_MAX_NESTING objects one inside another decode, whole; one more does not, nor does
   * a hostile peer's thousands of levels (the decoder stops at the bound, so the stack
   * never holds more than WSIM_MAX_NESTING objects' frames). */
  static const guint depths[] = { WSIM_MAX_NESTING + 1, 1000, 100000 };
  GByteArray *b = nested_object_units (WSIM_MAX_NESTING);
  u_int used = 0;

  cr_assert_eq (WSIM_MAX_NESTING, 32);
  cr_assert (decode_value_units (b, &used), "%u levels refused", WSIM_MAX_NESTING);
  cr_assert_eq (used, b->len);
  g_byte_array_free (b, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      gchar *what = g_strdup_printf ("%u nested objects", depths[i]);

      b = nested_object_units (depths[i]);
      expect_decode_fails ((xdrproc_t) xdr_wsim_value, sizeof (wsim_value), b->data, b->len,
                           what);
      g_byte_array_free (b, TRUE);
      g_free (what);
    }
  /* The bound is per decode: a refused one leaves none of its depth behind. */
  b = nested_object_units (WSIM_MAX_NESTING);
  cr_assert (decode_value_units (b, NULL), "a decode after a refused one was refused");
  g_byte_array_free (b, TRUE);
  assert_valgrind_clean ();
}

Test (wire, object_nesting_is_bounded_when_encoding, .timeout = 10)
{
  /* What the peer would refuse is not sent: encoding one level too many fails. */
  wsim_embedded levels[WSIM_MAX_NESTING + 1];
  wsim_value inner[WSIM_MAX_NESTING + 1];
  wsim_value top = { .type = CIM_OBJECT, .wsim_value_u.v_object = &levels[0] };
  static wsim_property_def p = { .name = S ("P"), .cimtype = CIM_OBJECT };
  char buf[4096];
  XDR xdrs;

  for (guint i = 0; i <= WSIM_MAX_NESTING; i++)
    {
      gboolean last = i == WSIM_MAX_NESTING;

      levels[i] = (wsim_embedded) { .cls = { .name = S ("A"), .superclass = S (""),
                                             .props = { last ? 0 : 1, &p } },
                                    .values = { last ? 0 : 1, &inner[i] } };
      inner[i] = (wsim_value) { .type = CIM_OBJECT,
                                .wsim_value_u.v_object = last ? NULL : &levels[i + 1] };
    }
  xdrmem_create (&xdrs, buf, sizeof buf, XDR_ENCODE);
  cr_assert_not (xdr_wsim_value (&xdrs, &top), "encoded %u levels", WSIM_MAX_NESTING + 1);
  xdr_destroy (&xdrs);
  /* One level fewer encodes. */
  levels[WSIM_MAX_NESTING - 1].cls.props.props_len = 0;
  levels[WSIM_MAX_NESTING - 1].values.values_len = 0;
  xdrmem_create (&xdrs, buf, sizeof buf, XDR_ENCODE);
  cr_assert (xdr_wsim_value (&xdrs, &top), "refused %u levels", WSIM_MAX_NESTING);
  xdr_destroy (&xdrs);
}

Test (wire, absent_embedded_object_fails, .timeout = 10)
{
  /* A CIM_OBJECT value always has its object (null is CIM_EMPTY): presence FALSE fails. */
  EXPECT_UNITS_FAIL (wsim_value, "CIM_OBJECT with presence FALSE", CIM_OBJECT, 0, 0, 0);
  wsim_value v = { .type = CIM_OBJECT };
  char buf[16];
  XDR xdrs;

  xdrmem_create (&xdrs, buf, sizeof buf, XDR_ENCODE);
  cr_assert_not (xdr_wsim_value (&xdrs, &v), "encoded a CIM_OBJECT without its object");
  xdr_destroy (&xdrs);
  assert_valgrind_clean ();
}

Test (wire, unknown_cimtype_in_row_fails, .timeout = 10)
{
  /* A row whose second value has an unknown type: the row, and so the batch, fails. */
  EXPECT_UNITS_FAIL (wsim_instance, "row with a value of type 14",
                     0, 2, CIM_UINT32, 7, 14, 0, 0);
  assert_valgrind_clean ();
}

Test (wire, array_longer_than_buffer_fails, .timeout = 10)
{
  EXPECT_UNITS_FAIL (wsim_value, "sint32 array: 1000 declared, 2 present",
                     WSIM_CIM_SINT32_ARRAY, 1000, 1, 2);
  EXPECT_UNITS_FAIL (wsim_value, "string array: 3 declared, 1 present",
                     WSIM_CIM_STRING_ARRAY, 3, 1, 0x61000000);
  EXPECT_UNITS_FAIL (wsim_value, "uint64 array: 2 declared, 1.5 present",
                     WSIM_CIM_UINT64_ARRAY, 2, 0, 1, 0);
  EXPECT_UNITS_FAIL (wsim_value, "string: 100 bytes declared, 4 present",
                     CIM_STRING, 100, 0x61626364);
  EXPECT_UNITS_FAIL (wsim_class_def, "class with 10 properties declared, 0 present",
                     1, 0x41000000, 0, 10);
  EXPECT_UNITS_FAIL (wsim_indicate_args, "indicate: 5 rows declared, 1 present",
                     0, 1, 0, 2, 0, 0, 5, 0, 0);
  assert_valgrind_clean ();
}

Test (wire, array_over_bound_fails, .timeout = 10)
{
  /* Counts above the .x bounds fail before anything is allocated for them. */
  EXPECT_UNITS_FAIL (wsim_value, "uint32 array count WSIM_MAX_ARRAY + 1",
                     WSIM_CIM_UINT32_ARRAY, WSIM_MAX_ARRAY + 1);
  EXPECT_UNITS_FAIL (wsim_value, "string array count 0xFFFFFFFF",
                     WSIM_CIM_STRING_ARRAY, 0xFFFFFFFFu);
  EXPECT_UNITS_FAIL (wsim_value, "string length WSIM_MAX_STRING + 1",
                     CIM_STRING, WSIM_MAX_STRING + 1);
  EXPECT_UNITS_FAIL (wsim_value, "datetime length WSIM_MAX_DATETIME + 1",
                     CIM_DATETIME, WSIM_MAX_DATETIME + 1);
  EXPECT_UNITS_FAIL (wsim_property_def, "name length WSIM_MAX_NAME + 1",
                     WSIM_MAX_NAME + 1);
  EXPECT_UNITS_FAIL (wsim_class_def, "props count WSIM_MAX_PROPS + 1",
                     0, 0, WSIM_MAX_PROPS + 1);
  EXPECT_UNITS_FAIL (wsim_instance, "values count WSIM_MAX_PROPS + 1",
                     0, WSIM_MAX_PROPS + 1);
  EXPECT_UNITS_FAIL (wsim_indicate_args, "new_classes count WSIM_MAX_CLASSES + 1",
                     0, 1, 0, 2, 0, WSIM_MAX_CLASSES + 1);
  EXPECT_UNITS_FAIL (wsim_indicate_args, "rows count 0xFFFFFFFF",
                     0, 1, 0, 2, 0, 0, 0xFFFFFFFFu);
  EXPECT_UNITS_FAIL (wsim_set_status_args, "new_classes count 0xFFFFFFFF",
                     0, 1, 0, 2, 0, 0, 0, 0xFFFFFFFFu);
  EXPECT_UNITS_FAIL (wsim_open_namespace_args, "namespace path WSIM_MAX_PATH + 1",
                     WSIM_MAX_PATH + 1);
  EXPECT_UNITS_FAIL (wsim_sink_locator, "endpoint WSIM_MAX_NAME + 1", WSIM_MAX_NAME + 1);
  /* Class objects: name "", superclass "", then the counts. */
  EXPECT_UNITS_FAIL (wsim_class_decl, "derivation count WSIM_MAX_DERIVATION + 1",
                     0, 0, WSIM_MAX_DERIVATION + 1);
  EXPECT_UNITS_FAIL (wsim_class_decl, "qualifiers count WSIM_MAX_QUALIFIERS + 1",
                     0, 0, 0, 0, WSIM_MAX_QUALIFIERS + 1);
  EXPECT_UNITS_FAIL (wsim_class_decl, "props count WSIM_MAX_PROPS + 1",
                     0, 0, 0, 0, 0, WSIM_MAX_PROPS + 1);
  EXPECT_UNITS_FAIL (wsim_class_decl, "methods count WSIM_MAX_METHODS + 1",
                     0, 0, 0, 0, 0, 0, WSIM_MAX_METHODS + 1);
  EXPECT_UNITS_FAIL (wsim_method_decl, "params count WSIM_MAX_PARAMS + 1",
                     0, 0, 0, 0, 0, WSIM_MAX_PARAMS + 1);
  EXPECT_UNITS_FAIL (wsim_indicate_classes_args, "classes count 0xFFFFFFFF",
                     0, 1, 0, 2, 0, 0xFFFFFFFFu);
  EXPECT_UNITS_FAIL (wsim_qualifier, "a qualifier whose CIM_OBJECT value has no object",
                     0, 0, CIM_OBJECT, 0);
  assert_valgrind_clean ();
}

Test (wire, optional_obj_param_bad_flag_fails, .timeout = 10)
{
  /* obj_param's presence word is an XDR bool; 2 is neither. libtirpc's xdr_bool reads
   * any non-zero as TRUE, so this is a truncation failure: "present", then no row. */
  EXPECT_UNITS_FAIL (wsim_set_status_args, "obj_param present but missing",
                     0, 1, 0, 2, 0, 0x80041002u, 0, 0, 1);
  assert_valgrind_clean ();
}

/* The bounds are inclusive and large enough for what the brief promises. */
Test (wire, bounds_are_inclusive, .timeout = 30)
{
  /* A 1 MiB WQL query fits, with its 64 bytes of slack. */
  gsize qlen = 1024 * 1024 + 64;
  char *q = g_malloc (qlen + 1);
  memset (q, 'x', qlen);
  q[qlen] = '\0';
  wsim_exec_query_async_args a = {
    .ns_handle = 1, .query_language = S ("WQL"), .query = q,
    .sink = { .endpoint = S ("unix:/s"), .sink_id = 1 }, .call_id = 1,
  };
  gsize len = 0;
  guint8 *enc = encode ((xdrproc_t) xdr_wsim_exec_query_async_args, &a, &len);
  wsim_exec_query_async_args got = { 0 };
  cr_assert (decode ((xdrproc_t) xdr_wsim_exec_query_async_args, enc, len, &got, NULL));
  cr_assert_eq (strlen (got.query), qlen);
  xdr_free ((xdrproc_t) xdr_wsim_exec_query_async_args, (char *) &got);
  g_free (enc);

  /* One byte more is refused by the encoder. */
  q = g_realloc (q, qlen + 2);
  q[qlen] = 'x';
  q[qlen + 1] = '\0';
  a.query = q;
  cr_assert_eq (xdr_sizeof ((xdrproc_t) xdr_wsim_exec_query_async_args, &a), 0,
                "a query of WSIM_MAX_STRING + 1 bytes was encodable");
  g_free (q);

  /* WSIM_MAX_ARRAY elements fit; one more does not. */
  u_int *elems = g_new0 (u_int, WSIM_MAX_ARRAY + 1);
  wsim_value v = { .type = WSIM_CIM_UINT32_ARRAY };
  U (&v).a_uint32.a_uint32_val = elems;
  U (&v).a_uint32.a_uint32_len = WSIM_MAX_ARRAY;
  cr_assert_eq (xdr_sizeof ((xdrproc_t) xdr_wsim_value, &v), 8 + 4 * WSIM_MAX_ARRAY);
  U (&v).a_uint32.a_uint32_len = WSIM_MAX_ARRAY + 1;
  cr_assert_eq (xdr_sizeof ((xdrproc_t) xdr_wsim_value, &v), 0);
  g_free (elems);

  /* A name of exactly WSIM_MAX_NAME bytes decodes. */
  char name[WSIM_MAX_NAME + 1];
  memset (name, 'n', WSIM_MAX_NAME);
  name[WSIM_MAX_NAME] = '\0';
  wsim_property_def p = { .name = name, .cimtype = CIM_STRING };
  enc = encode ((xdrproc_t) xdr_wsim_property_def, &p, &len);
  cr_assert_eq (len, 4 + WSIM_MAX_NAME + 4 + 4);
  wsim_property_def pgot = { 0 };
  cr_assert (decode ((xdrproc_t) xdr_wsim_property_def, enc, len, &pgot, NULL));
  cr_assert_str_eq (pgot.name, name);
  xdr_free ((xdrproc_t) xdr_wsim_property_def, (char *) &pgot);
  g_free (enc);
  assert_valgrind_clean ();
}

/* The numbers other code relies on come out of rpcgen as documented. */
Test (wire, program_and_procedure_numbers, .timeout = 10)
{
  cr_assert_eq (WSIM_SERVICE_PROG, 0x20574D49);
  cr_assert_eq (WSIM_SERVICE_V1, 1);
  cr_assert_eq (WSIM_SERVICE_V2, 2);
  cr_assert_eq (WSIM_MAX_CONTEXT_VALUES, 256);
  cr_assert_eq (WSIM_SERVICE_NULL, 0);
  cr_assert_eq (WSIM_OPEN_NAMESPACE, 3);
  cr_assert_eq (WSIM_CANCEL_ASYNC_CALL, 4);
  cr_assert_eq (WSIM_GET_OBJECT_ASYNC, 7);
  cr_assert_eq (WSIM_CREATE_INSTANCE_ENUM_ASYNC, 19);
  cr_assert_eq (WSIM_EXEC_QUERY_ASYNC, 21);
  cr_assert_eq (WSIM_PUT_INSTANCE_ASYNC, 15);
  cr_assert_eq (WSIM_DELETE_INSTANCE_ASYNC, 17);
  cr_assert_eq (WSIM_SINK_PROG, 0x20574D4A);
  cr_assert_eq (WSIM_SINK_V1, 1);
  cr_assert_eq (WSIM_SINK_NULL, 0);
  cr_assert_eq (WSIM_SINK_INDICATE, 3);
  cr_assert_eq (WSIM_SINK_SET_STATUS, 4);
  cr_assert_eq (WSIM_MAX_STRING, 1048576 + 64);
  for (int t = CIM_SINT16; t <= CIM_CHAR16; t++)
    if (t == CIM_SINT16 || t == CIM_SINT32 || t == CIM_REAL32 || t == CIM_REAL64
        || t == CIM_STRING || t == CIM_BOOLEAN || (t >= CIM_SINT8 && t <= CIM_UINT64)
        || t >= CIM_DATETIME)
      {
        /* Every scalar arm has its array arm at t | CIM_FLAG_ARRAY. */
        wsim_value v = { .type = (wsim_cimtype) (t | CIM_FLAG_ARRAY) };
        cr_assert_eq (xdr_sizeof ((xdrproc_t) xdr_wsim_value, &v), 8,
                      "no array arm for cimtype %d", t);
      }
  assert_valgrind_clean ();
}
