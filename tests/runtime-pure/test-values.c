/* test-values.c: wsim-value, the helpers over the wire's CIM value.
 *
 * Owns the proof that values built with the helpers are plain wire values (they encode,
 * decode and are released by xdr_free), that copies are deep, that the display and
 * JSON forms are the documented ones, and that comparison is exact across numeric
 * types and case-insensitive for strings. Leaks and double frees show under the
 * valgrind and sanitize setups.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <math.h>
#include <string.h>
#include <rpc/rpc.h>

#include "wsim-value.h"
#include "wsim_cim.h"

/* ---------------------------------------------------------------- helpers */

static void
assert_text (const wsim_value *v, const char *expected)
{
  g_autofree char *s = wsim_value_to_string (v);

  cr_assert_str_eq (s, expected);
}

static void
assert_json (const wsim_value *v, const char *expected)
{
  g_autoptr (GString) out = g_string_new (NULL);

  wsim_value_to_json (v, out);
  cr_assert_str_eq (out->str, expected);
}

static wsim_value
sint32 (int n)
{
  wsim_value v = { .type = CIM_SINT32 };

  v.wsim_value_u.v_sint32 = n;
  return v;
}

static wsim_value
uint8 (unsigned n)
{
  wsim_value v = { .type = CIM_UINT8 };

  v.wsim_value_u.v_uint8 = n;
  return v;
}

static wsim_value
real32 (float f)
{
  wsim_value v = { .type = CIM_REAL32 };

  v.wsim_value_u.v_real32 = f;
  return v;
}

static wsim_value
char16 (unsigned c)
{
  wsim_value v = { .type = CIM_CHAR16 };

  v.wsim_value_u.v_char16 = c;
  return v;
}

/* Builds a string array with g_malloc'ed contents, as a provider would. */
static void
set_string_array (wsim_value *v, const char *const *items, u_int n)
{
  wsim_value_clear (v);
  v->type = WSIM_CIM_STRING_ARRAY;
  v->wsim_value_u.a_string.a_string_len = n;
  v->wsim_value_u.a_string.a_string_val = g_new0 (char *, n);
  for (u_int i = 0; i < n; i++)
    v->wsim_value_u.a_string.a_string_val[i] = g_strdup (items[i]);
}

static void
set_sint32_array (wsim_value *v, const int *items, u_int n)
{
  wsim_value_clear (v);
  v->type = WSIM_CIM_SINT32_ARRAY;
  v->wsim_value_u.a_sint32.a_sint32_len = n;
  v->wsim_value_u.a_sint32.a_sint32_val = n > 0 ? g_memdup2 (items, n * sizeof *items) : NULL;
}

/* Compares and checks the answer is antisymmetric. Returns the sign, or 99 if the
 * values are not comparable (in either order). */
static int
cmp (const wsim_value *a, const wsim_value *b)
{
  int ab = 42, ba = 42;
  gboolean ok_ab = wsim_value_compare (a, b, &ab);
  gboolean ok_ba = wsim_value_compare (b, a, &ba);

  cr_assert_eq (ok_ab, ok_ba, "comparable one way but not the other");
  if (!ok_ab)
    {
      cr_assert_eq (ab, 42, "out_cmp written for incomparable values");
      return 99;
    }
  cr_assert (ab >= -1 && ab <= 1);
  cr_assert_eq (ab, -ba, "not antisymmetric");
  return ab;
}

/* ---------------------------------------------------------------- setters */

Test (values, setters_replace_old_content)
{
  wsim_value v = { 0 };

  cr_assert (wsim_value_is_null (&v), "a zeroed value is null");
  wsim_value_set_string (&v, "first");
  cr_assert_eq (v.type, CIM_STRING);
  cr_assert_str_eq (v.wsim_value_u.v_string, "first");
  wsim_value_set_string (&v, "second");       /* frees "first" (valgrind checks) */
  cr_assert_str_eq (v.wsim_value_u.v_string, "second");
  wsim_value_set_sint64 (&v, G_MININT64);
  cr_assert_eq (v.type, CIM_SINT64);
  cr_assert_eq (v.wsim_value_u.v_sint64, G_MININT64);
  wsim_value_set_uint64 (&v, G_MAXUINT64);
  cr_assert_eq (v.type, CIM_UINT64);
  cr_assert_eq (v.wsim_value_u.v_uint64, G_MAXUINT64);
  wsim_value_set_real64 (&v, 2.5);
  cr_assert_eq (v.type, CIM_REAL64);
  cr_assert_eq (v.wsim_value_u.v_real64, 2.5);
  wsim_value_set_boolean (&v, 7);
  cr_assert_eq (v.type, CIM_BOOLEAN);
  cr_assert_eq (v.wsim_value_u.v_boolean, TRUE, "any non-zero is stored as TRUE");
  wsim_value_set_datetime (&v, "20240102030405.000000+000");
  cr_assert_eq (v.type, CIM_DATETIME);
  cr_assert_str_eq (v.wsim_value_u.v_datetime, "20240102030405.000000+000");
  wsim_value_set_reference (&v, "Win32_Process.Handle=\"4\"");
  cr_assert_eq (v.type, CIM_REFERENCE);
  cr_assert_str_eq (v.wsim_value_u.v_reference, "Win32_Process.Handle=\"4\"");
  cr_assert_not (wsim_value_is_null (&v));
  wsim_value_set_null (&v);
  cr_assert (wsim_value_is_null (&v));
  wsim_value_set_string (&v, NULL);
  cr_assert (wsim_value_is_null (&v), "a NULL string sets null");
  cr_assert (wsim_value_is_null (NULL));
  wsim_value_clear (&v);
}

Test (values, set_string_from_own_content)
{
  wsim_value v = { 0 };

  wsim_value_set_string (&v, "self");
  wsim_value_set_string (&v, v.wsim_value_u.v_string);
  cr_assert_str_eq (v.wsim_value_u.v_string, "self");
  wsim_value_clear (&v);
}

Test (values, setters_are_released_by_xdr_free)
{
  wsim_value v = { 0 };

  wsim_value_set_string (&v, "owned by g_malloc, freed by free()");
  xdr_free ((xdrproc_t) xdr_wsim_value, (char *) &v);
  /* no leak and no mismatched free: valgrind and ASan judge */
}

Test (values, encode_decode_round_trip)
{
  static const char *const items[] = { "a", "", "ünïcode" };
  wsim_value in = { 0 }, out = { 0 };
  char buf[256];
  XDR x;

  set_string_array (&in, items, 3);
  xdrmem_create (&x, buf, sizeof buf, XDR_ENCODE);
  cr_assert (xdr_wsim_value (&x, &in));
  xdr_destroy (&x);
  xdrmem_create (&x, buf, sizeof buf, XDR_DECODE);
  cr_assert (xdr_wsim_value (&x, &out));
  xdr_destroy (&x);
  cr_assert_eq (out.type, WSIM_CIM_STRING_ARRAY);
  cr_assert_eq (out.wsim_value_u.a_string.a_string_len, 3);
  cr_assert_str_eq (out.wsim_value_u.a_string.a_string_val[2], "ünïcode");
  wsim_value_clear (&in);
  wsim_value_clear (&out);  /* decoded by XDR, freed the same way */
}

/* ---------------------------------------------------------------- copy */

Test (values, copy_is_deep)
{
  static const char *const items[] = { "x", "y" };
  static const int nums[] = { 1, -2, 3 };
  wsim_value a = { 0 }, b = { 0 };

  wsim_value_set_string (&a, "hello");
  wsim_value_copy (&a, &b);
  cr_assert_str_eq (b.wsim_value_u.v_string, "hello");
  cr_assert_neq (a.wsim_value_u.v_string, b.wsim_value_u.v_string, "string not duplicated");
  wsim_value_set_sint64 (&a, 5);    /* b keeps its own string */
  cr_assert_str_eq (b.wsim_value_u.v_string, "hello");

  set_string_array (&a, items, 2);
  wsim_value_copy (&a, &b);         /* replaces b's string */
  cr_assert_eq (b.type, WSIM_CIM_STRING_ARRAY);
  cr_assert_eq (b.wsim_value_u.a_string.a_string_len, 2);
  cr_assert_neq (a.wsim_value_u.a_string.a_string_val, b.wsim_value_u.a_string.a_string_val);
  cr_assert_neq (a.wsim_value_u.a_string.a_string_val[0], b.wsim_value_u.a_string.a_string_val[0]);
  cr_assert_str_eq (b.wsim_value_u.a_string.a_string_val[1], "y");

  set_sint32_array (&a, nums, 3);
  wsim_value_copy (&a, &b);
  cr_assert_eq (b.wsim_value_u.a_sint32.a_sint32_len, 3);
  cr_assert_neq (a.wsim_value_u.a_sint32.a_sint32_val, b.wsim_value_u.a_sint32.a_sint32_val);
  cr_assert_eq (b.wsim_value_u.a_sint32.a_sint32_val[1], -2);

  set_sint32_array (&a, nums, 0);
  wsim_value_copy (&a, &b);
  cr_assert_eq (b.type, WSIM_CIM_SINT32_ARRAY);
  cr_assert_eq (b.wsim_value_u.a_sint32.a_sint32_len, 0);

  wsim_value_set_datetime (&a, "20240102030405.000000+000");
  wsim_value_copy (&a, &b);
  cr_assert_str_eq (b.wsim_value_u.v_datetime, "20240102030405.000000+000");
  wsim_value_set_real64 (&a, -0.25);
  wsim_value_copy (&a, &b);
  cr_assert_eq (b.wsim_value_u.v_real64, -0.25);

  wsim_value_clear (&a);
  wsim_value_clear (&b);
}

/* ---------------------------------------------------------------- display */

Test (values, to_string_scalars)
{
  wsim_value v = { 0 };

  assert_text (&v, "");
  wsim_value_set_sint64 (&v, -42);
  assert_text (&v, "-42");
  wsim_value_set_sint64 (&v, G_MININT64);
  assert_text (&v, "-9223372036854775808");
  wsim_value_set_uint64 (&v, G_MAXUINT64);
  assert_text (&v, "18446744073709551615");
  wsim_value_set_boolean (&v, TRUE);
  assert_text (&v, "TRUE");
  wsim_value_set_boolean (&v, FALSE);
  assert_text (&v, "FALSE");
  wsim_value_set_real64 (&v, 0.1);
  assert_text (&v, "0.1");
  wsim_value_set_real64 (&v, 1.0);
  assert_text (&v, "1");
  wsim_value_set_real64 (&v, -2.5e-300);
  assert_text (&v, "-2.5e-300");
  wsim_value_set_real64 (&v, 1.0 / 3.0);
  assert_text (&v, "0.3333333333333333");    /* 16 digits read back */
  wsim_value_set_real64 (&v, 0.1 + 0.2);
  assert_text (&v, "0.30000000000000004");   /* needs all 17 */
  wsim_value_set_real64 (&v, NAN);
  assert_text (&v, "NaN");
  wsim_value_set_real64 (&v, -INFINITY);
  assert_text (&v, "-Infinity");
  wsim_value_set_string (&v, "raw \"text\"\n");
  assert_text (&v, "raw \"text\"\n");
  wsim_value_set_datetime (&v, "20240102030405.000000+000");
  assert_text (&v, "20240102030405.000000+000");
  wsim_value_clear (&v);

  v = real32 (0.1f);
  assert_text (&v, "0.1");
  v = sint32 (-7);
  assert_text (&v, "-7");
  v = uint8 (255);
  assert_text (&v, "255");
  v = char16 ('A');
  assert_text (&v, "A");
  v = char16 (0xE9);
  assert_text (&v, "é");
  v = char16 (0xD800);
  assert_text (&v, "55296");
}

Test (values, to_string_arrays)
{
  static const char *const items[] = { "a", "b c" };
  static const int nums[] = { 1, -2, 3 };
  wsim_value v = { 0 };

  set_string_array (&v, items, 2);
  assert_text (&v, "{a, b c}");
  set_sint32_array (&v, nums, 3);
  assert_text (&v, "{1, -2, 3}");
  set_sint32_array (&v, nums, 0);
  assert_text (&v, "{}");
  wsim_value_clear (&v);
}

Test (values, to_json)
{
  static const char *const items[] = { "a", "q\"" };
  static const int nums[] = { 1, -2 };
  wsim_value v = { 0 };

  assert_json (&v, "null");
  assert_json (NULL, "null");
  wsim_value_set_string (&v, "quote\" back\\ nl\n tab\t bell\x07 del\x7f é \u2028");
  /* json-glib escapes what JSON requires (and DEL); U+2028 is legal JSON as it is. */
  assert_json (&v, "\"quote\\\" back\\\\ nl\\n tab\\t bell\\u0007 del\\u007f é \u2028\"");
  wsim_value_set_string (&v, "bad \xff\xfe utf8");
  assert_json (&v, "\"bad \uFFFD\uFFFD utf8\"");
  /* 64-bit integers are strings of digits (cim/wsim-json.h, docs/cli.md). */
  wsim_value_set_uint64 (&v, G_MAXUINT64);
  assert_json (&v, "\"18446744073709551615\"");
  wsim_value_set_sint64 (&v, G_MININT64);
  assert_json (&v, "\"-9223372036854775808\"");
  wsim_value_set_boolean (&v, TRUE);
  assert_json (&v, "true");
  wsim_value_set_boolean (&v, FALSE);
  assert_json (&v, "false");
  wsim_value_set_real64 (&v, 0.5);
  assert_json (&v, "0.5");
  wsim_value_set_real64 (&v, 1e100);
  assert_json (&v, "1e+100");   /* json-glib 1.6's generator writes "1e+100.0" */
  wsim_value_set_real64 (&v, 0.1);
  assert_json (&v, "0.1");      /* not json-glib's 0.10000000000000001 */
  v = (wsim_value) { .type = CIM_REAL32 };
  v.wsim_value_u.v_real32 = 0.1f;
  assert_json (&v, "0.1");      /* the float's own shortest form, not 0.10000000149011612 */
  v.wsim_value_u.v_real32 = 16777217.0f;   /* 2^24 + 1 is no float: it rounds to 2^24 */
  assert_json (&v, "16777216");
  wsim_value_set_real64 (&v, NAN);
  assert_json (&v, "null");
  wsim_value_set_real64 (&v, INFINITY);
  assert_json (&v, "null");
  wsim_value_set_reference (&v, "C:\\x");
  assert_json (&v, "\"C:\\\\x\"");
  set_string_array (&v, items, 2);
  assert_json (&v, "[\"a\",\"q\\\"\"]");
  set_sint32_array (&v, nums, 2);
  assert_json (&v, "[1,-2]");
  set_sint32_array (&v, nums, 0);
  assert_json (&v, "[]");
  wsim_value_clear (&v);

  v = char16 ('"');
  assert_json (&v, "\"\\\"\"");
  v = char16 (0x20AC);
  assert_json (&v, "\"\u20ac\"");
  v = char16 (0xD800);   /* half a surrogate pair is no character: JSON must stay UTF-8 */
  assert_json (&v, "\"\uFFFD\"");
  v = (wsim_value) { .type = CIM_OBJECT };   /* no object (no decode makes one): still valid */
  assert_json (&v, "null");
  assert_text (&v, "");
  v = char16 ('z');
  assert_json (&v, "\"z\"");

  {
    g_autoptr (GString) out = g_string_new ("prefix:");

    v = sint32 (3);
    wsim_value_to_json (&v, out);
    cr_assert_str_eq (out->str, "prefix:3", "to_json appends");
  }
}

/* ---------------------------------------------------------------- compare */

Test (values, compare_across_integer_types)
{
  wsim_value minus_one = { 0 }, umax = { 0 }, smax = { 0 }, smin = { 0 }, u5 = { 0 };
  wsim_value s5 = sint32 (5), b5 = uint8 (5);

  wsim_value_set_sint64 (&minus_one, -1);
  wsim_value_set_uint64 (&umax, G_MAXUINT64);
  wsim_value_set_sint64 (&smax, G_MAXINT64);
  wsim_value_set_sint64 (&smin, G_MININT64);
  wsim_value_set_uint64 (&u5, 5);

  cr_assert_eq (cmp (&minus_one, &umax), -1, "sint64 -1 < uint64 max (no wrap-around)");
  cr_assert_eq (cmp (&smax, &umax), -1);
  cr_assert_eq (cmp (&smin, &u5), -1);
  cr_assert_eq (cmp (&s5, &u5), 0);
  cr_assert_eq (cmp (&b5, &s5), 0);
  cr_assert_eq (cmp (&b5, &minus_one), 1);
  cr_assert_eq (cmp (&umax, &umax), 0);
}

Test (values, compare_integers_with_reals_exactly)
{
  wsim_value i = { 0 }, d = { 0 };
  wsim_value f = real32 (2.5f);

  wsim_value_set_sint64 (&i, 2);
  cr_assert_eq (cmp (&i, &f), -1);
  wsim_value_set_sint64 (&i, 3);
  cr_assert_eq (cmp (&i, &f), 1);
  wsim_value_set_real64 (&d, 3.0);
  cr_assert_eq (cmp (&i, &d), 0);
  wsim_value_set_real64 (&d, -0.5);
  wsim_value_set_sint64 (&i, 0);
  cr_assert_eq (cmp (&i, &d), 1);
  wsim_value_set_sint64 (&i, -1);
  cr_assert_eq (cmp (&i, &d), -1);

  /* (double) G_MAXINT64 rounds up to 2^63: a naive cast would say "equal". */
  wsim_value_set_sint64 (&i, G_MAXINT64);
  wsim_value_set_real64 (&d, 9223372036854775808.0);
  cr_assert_eq (cmp (&i, &d), -1);
  wsim_value_set_uint64 (&i, G_MAXUINT64);
  wsim_value_set_real64 (&d, 18446744073709551616.0);
  cr_assert_eq (cmp (&i, &d), -1);
  wsim_value_set_real64 (&d, 1e300);
  cr_assert_eq (cmp (&i, &d), -1);
  wsim_value_set_real64 (&d, -1e300);
  cr_assert_eq (cmp (&i, &d), 1);
  wsim_value_set_sint64 (&i, G_MININT64);
  cr_assert_eq (cmp (&i, &d), 1);
  wsim_value_set_real64 (&d, NAN);
  cr_assert_eq (cmp (&i, &d), 99, "NaN compares with nothing");
  cr_assert_eq (cmp (&d, &d), 99);
  wsim_value_set_real64 (&i, 1.5);
  wsim_value_set_real64 (&d, 1.25);
  cr_assert_eq (cmp (&i, &d), 1);
}

Test (values, compare_strings_case_insensitively)
{
  wsim_value a = { 0 }, b = { 0 };

  wsim_value_set_string (&a, "Notepad.EXE");
  wsim_value_set_string (&b, "notepad.exe");
  cr_assert_eq (cmp (&a, &b), 0);
  wsim_value_set_string (&a, "a");
  wsim_value_set_string (&b, "B");
  cr_assert_eq (cmp (&a, &b), -1, "'a' < 'B' ignoring case");
  wsim_value_set_string (&a, "ÄRGER");
  wsim_value_set_string (&b, "ärger");
  cr_assert_eq (cmp (&a, &b), 0, "Unicode case folding");
  wsim_value_set_string (&a, "");
  cr_assert_eq (cmp (&a, &b), -1);
  wsim_value_set_datetime (&a, "20240101000000.000000+000");
  wsim_value_set_string (&b, "20240101000000.000000+000");
  cr_assert_eq (cmp (&a, &b), 0, "datetime vs string literal");
  wsim_value_set_reference (&a, "WIN32_PROCESS.Handle=\"1\"");
  wsim_value_set_string (&b, "Win32_Process.handle=\"1\"");
  cr_assert_eq (cmp (&a, &b), 0);
  {
    wsim_value c = char16 ('x');

    wsim_value_set_string (&b, "X");
    cr_assert_eq (cmp (&c, &b), 0, "char16 vs string");
  }
  wsim_value_clear (&a);
  wsim_value_clear (&b);
}

Test (values, compare_strings_with_numbers)
{
  wsim_value s = { 0 }, n = { 0 };

  wsim_value_set_string (&s, "42");
  wsim_value_set_uint64 (&n, 42);
  cr_assert_eq (cmp (&s, &n), 0, "a numeric string reads as a number");
  wsim_value_set_sint64 (&n, -1);
  cr_assert_eq (cmp (&s, &n), 1);
  wsim_value_set_string (&s, "18446744073709551615");
  cr_assert_eq (cmp (&s, &n), 1);
  wsim_value_set_string (&s, "2.5");
  wsim_value_set_sint64 (&n, 2);
  cr_assert_eq (cmp (&s, &n), 1);
  wsim_value_set_string (&s, "abc");
  cr_assert_eq (cmp (&s, &n), 99);
  wsim_value_set_string (&s, " 2");
  cr_assert_eq (cmp (&s, &n), 99);
  wsim_value_set_string (&s, "inf");
  cr_assert_eq (cmp (&s, &n), 99);
  wsim_value_clear (&s);
  wsim_value_clear (&n);
}

Test (values, compare_booleans_nulls_arrays)
{
  static const int nums[] = { 1 };
  wsim_value t = { 0 }, f = { 0 }, null = { 0 }, n = { 0 }, arr = { 0 };

  wsim_value_set_boolean (&t, TRUE);
  wsim_value_set_boolean (&f, FALSE);
  wsim_value_set_sint64 (&n, 1);
  set_sint32_array (&arr, nums, 1);
  cr_assert_eq (cmp (&f, &t), -1);
  cr_assert_eq (cmp (&t, &t), 0);
  cr_assert_eq (cmp (&t, &n), 99, "boolean vs number");
  cr_assert_eq (cmp (&null, &null), 99, "null never comparable, even with null");
  cr_assert_eq (cmp (&null, &n), 99);
  cr_assert_eq (cmp (&arr, &arr), 99, "arrays are not comparable");
  cr_assert_eq (cmp (&arr, &n), 99);
  {
    int c = 42;

    cr_assert_not (wsim_value_compare (NULL, &n, &c));
    cr_assert_eq (c, 42);
  }
  wsim_value_clear (&arr);
}

/* ---------------------------------------------------------------- type names */

Test (values, cimtype_names)
{
  static const guint32 all[] = {
    CIM_EMPTY, CIM_SINT8, CIM_UINT8, CIM_SINT16, CIM_UINT16, CIM_SINT32, CIM_UINT32,
    CIM_SINT64, CIM_UINT64, CIM_REAL32, CIM_REAL64, CIM_BOOLEAN, CIM_STRING, CIM_DATETIME,
    CIM_REFERENCE, CIM_CHAR16, CIM_OBJECT,
  };
  guint32 t = 0;

  cr_assert_str_eq (wsim_cimtype_name (CIM_STRING), "string");
  cr_assert_str_eq (wsim_cimtype_name (CIM_UINT32), "uint32");
  cr_assert_str_eq (wsim_cimtype_name (WSIM_CIM_SINT64_ARRAY), "sint64[]");
  cr_assert_str_eq (wsim_cimtype_name (CIM_DATETIME), "datetime");
  cr_assert_str_eq (wsim_cimtype_name (CIM_REFERENCE), "reference");
  cr_assert_str_eq (wsim_cimtype_name (CIM_OBJECT | CIM_FLAG_ARRAY), "object[]");
  cr_assert_null (wsim_cimtype_name (7));
  cr_assert_null (wsim_cimtype_name (CIM_FLAG_ARRAY), "no array of empty");

  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    for (int array = 0; array < 2; array++)
      {
        guint32 type = all[i] | (array ? CIM_FLAG_ARRAY : 0);
        const char *name = wsim_cimtype_name (type);

        if (type == CIM_FLAG_ARRAY)
          continue;
        cr_assert_not_null (name, "type 0x%x", type);
        cr_assert (wsim_cimtype_from_name (name, &t), "%s", name);
        cr_assert_eq (t, type, "%s", name);
      }
  cr_assert (wsim_cimtype_from_name ("UINT32", &t));
  cr_assert_eq (t, CIM_UINT32);
  cr_assert (wsim_cimtype_from_name ("String[]", &t));
  cr_assert_eq (t, WSIM_CIM_STRING_ARRAY);
  cr_assert_not (wsim_cimtype_from_name ("int", &t));
  cr_assert_not (wsim_cimtype_from_name ("string[", &t));
  cr_assert_not (wsim_cimtype_from_name ("", &t));
}

/* VARIANT-style coercion to a declared type (ExecMethodAsync's [in] parameters). */
Test (values, convert_text_reals_and_ranges)
{
  wsim_value src = { 0 }, dst = { 0 };

  /* A sign before the hex prefix. */
  wsim_value_set_string (&src, "-0x10");
  cr_assert (wsim_value_convert (&src, CIM_SINT32, &dst));
  cr_assert_eq (dst.wsim_value_u.v_sint32, -16);
  cr_assert_not (wsim_value_convert (&src, CIM_UINT32, &dst), "negative into unsigned");
  cr_assert (wsim_value_is_null (&dst));
  wsim_value_set_string (&src, "0x10");
  cr_assert (wsim_value_convert (&src, CIM_UINT8, &dst));
  cr_assert_eq (dst.wsim_value_u.v_uint8, 16);
  wsim_value_set_string (&src, "-0x");
  cr_assert_not (wsim_value_convert (&src, CIM_SINT32, &dst));

  /* A real32 only in its range; a real64 takes it. */
  wsim_value_set_string (&src, "1e40");
  cr_assert_not (wsim_value_convert (&src, CIM_REAL32, &dst));
  cr_assert (wsim_value_convert (&src, CIM_REAL64, &dst));
  cr_assert_eq (dst.wsim_value_u.v_real64, 1e40);
  wsim_value_set_string (&src, "-3.5");
  cr_assert (wsim_value_convert (&src, CIM_REAL32, &dst));
  cr_assert_eq (dst.wsim_value_u.v_real32, -3.5f);

  /* Whole reals to integers they fit; fractions and out-of-range reals refused. */
  wsim_value_clear (&src);
  src.type = CIM_REAL64;
  src.wsim_value_u.v_real64 = 2.0;
  cr_assert (wsim_value_convert (&src, CIM_UINT32, &dst));
  cr_assert_eq (dst.type, CIM_UINT32);
  cr_assert_eq (dst.wsim_value_u.v_uint32, 2);
  src.wsim_value_u.v_real64 = -7.0;
  cr_assert (wsim_value_convert (&src, CIM_SINT8, &dst));
  cr_assert_eq (dst.wsim_value_u.v_sint8, -7);
  src.wsim_value_u.v_real64 = 1.5;
  cr_assert_not (wsim_value_convert (&src, CIM_UINT32, &dst));
  src.wsim_value_u.v_real64 = 300.0;
  cr_assert_not (wsim_value_convert (&src, CIM_UINT8, &dst));
  src.wsim_value_u.v_real64 = 1e300;
  cr_assert_not (wsim_value_convert (&src, CIM_UINT64, &dst));
  cr_assert_not (wsim_value_convert (&src, CIM_REAL32, &dst));
  src.wsim_value_u.v_real64 = NAN;
  cr_assert_not (wsim_value_convert (&src, CIM_SINT64, &dst));
  src.type = CIM_REAL32;
  src.wsim_value_u.v_real32 = 4.0f;
  cr_assert (wsim_value_convert (&src, CIM_SINT16, &dst));
  cr_assert_eq (dst.wsim_value_u.v_sint16, 4);
  wsim_value_clear (&dst);
}
