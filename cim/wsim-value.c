/* wsim-value.c: setting, copying, printing and comparing wsim_value (see the header
 * for the memory rule: GLib allocations, released by xdr_free's free()). */
#include "wsim-value.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <rpc/rpc.h>

#include "wsim_cim.h"
#include "wsim-json.h"
#include "wsim-xdr-copy.h"

/* Every array arm, with its field name. String arms are listed separately because
 * their elements own memory too. */
#define WSIM_VALUE_ARRAYS(X)                          \
  X (WSIM_CIM_SINT8_ARRAY, a_sint8)                   \
  X (WSIM_CIM_UINT8_ARRAY, a_uint8)                   \
  X (WSIM_CIM_SINT16_ARRAY, a_sint16)                 \
  X (WSIM_CIM_UINT16_ARRAY, a_uint16)                 \
  X (WSIM_CIM_SINT32_ARRAY, a_sint32)                 \
  X (WSIM_CIM_UINT32_ARRAY, a_uint32)                 \
  X (WSIM_CIM_SINT64_ARRAY, a_sint64)                 \
  X (WSIM_CIM_UINT64_ARRAY, a_uint64)                 \
  X (WSIM_CIM_REAL32_ARRAY, a_real32)                 \
  X (WSIM_CIM_REAL64_ARRAY, a_real64)                 \
  X (WSIM_CIM_BOOLEAN_ARRAY, a_boolean)               \
  X (WSIM_CIM_CHAR16_ARRAY, a_char16)                 \
  X (WSIM_CIM_STRING_ARRAY, a_string)                 \
  X (WSIM_CIM_DATETIME_ARRAY, a_datetime)             \
  X (WSIM_CIM_REFERENCE_ARRAY, a_reference)          \
  X (WSIM_CIM_OBJECT_ARRAY, a_object)

/* ---------------------------------------------------------------- setters */

void
wsim_value_clear (wsim_value *v)
{
  g_return_if_fail (v != NULL);

  /* xdr_free releases with free(); our g_malloc'ed strings and arrays qualify. */
  xdr_free ((xdrproc_t) xdr_wsim_value, (char *) v);
  memset (v, 0, sizeof *v);
  v->type = CIM_EMPTY;
}

void
wsim_value_set_null (wsim_value *v)
{
  wsim_value_clear (v);
}

/* The three string arms share one shape; @s is copied before @v is cleared so that a
 * value may be set from its own string. */
static void
set_string_arm (wsim_value *v, wsim_cimtype type, const char *s)
{
  char *copy = g_strdup (s);

  wsim_value_clear (v);
  if (copy == NULL)
    return;
  v->type = type;
  switch (type)
    {
    case CIM_STRING:
      v->wsim_value_u.v_string = copy;
      break;
    case CIM_DATETIME:
      v->wsim_value_u.v_datetime = copy;
      break;
    case CIM_REFERENCE:
      v->wsim_value_u.v_reference = copy;
      break;
    default:
      g_assert_not_reached ();
    }
}

void
wsim_value_set_string (wsim_value *v, const char *s)
{
  set_string_arm (v, CIM_STRING, s);
}

void
wsim_value_set_datetime (wsim_value *v, const char *dmtf)
{
  set_string_arm (v, CIM_DATETIME, dmtf);
}

void
wsim_value_set_reference (wsim_value *v, const char *path)
{
  set_string_arm (v, CIM_REFERENCE, path);
}

void
wsim_value_set_sint64 (wsim_value *v, gint64 n)
{
  wsim_value_clear (v);
  v->type = CIM_SINT64;
  v->wsim_value_u.v_sint64 = n;
}

void
wsim_value_set_uint64 (wsim_value *v, guint64 n)
{
  wsim_value_clear (v);
  v->type = CIM_UINT64;
  v->wsim_value_u.v_uint64 = n;
}

void
wsim_value_set_real64 (wsim_value *v, double d)
{
  wsim_value_clear (v);
  v->type = CIM_REAL64;
  v->wsim_value_u.v_real64 = d;
}

void
wsim_value_set_boolean (wsim_value *v, gboolean b)
{
  wsim_value_clear (v);
  v->type = CIM_BOOLEAN;
  v->wsim_value_u.v_boolean = b ? TRUE : FALSE;
}

/* Stores @d in the arm of @type (CIM_REAL32 or CIM_REAL64) of a cleared @v. */
/* Sets @v to @d as @type; FALSE for a finite @d that a real32 cannot hold (it would become
 * an infinity). */
static gboolean
set_real (wsim_value *v, guint32 type, double d)
{
  if (type == CIM_REAL32 && isfinite (d) && fabs (d) > FLT_MAX)
    return FALSE;
  v->type = type;
  if (type == CIM_REAL32)
    v->wsim_value_u.v_real32 = (float) d;
  else
    v->wsim_value_u.v_real64 = d;
  return TRUE;
}

/* A real that is a whole number converts to an integer type it fits; a fraction does not
 * (coercing it would round the caller's value away). */
static gboolean
real_to_integer (double d, guint32 type, wsim_value *dest)
{
  if (!isfinite (d) || d != floor (d) || d < -9223372036854775808.0 || d >= 18446744073709551616.0)
    return FALSE;
  if (d < 0)
    return wsim_value_set_integer (dest, type, TRUE, (gint64) d, 0);
  return wsim_value_set_integer (dest, type, FALSE, 0, (guint64) d);
}

gboolean
wsim_value_set_integer (wsim_value *v, guint32 type, gboolean is_signed, gint64 s, guint64 u)
{
  gint64 lo;
  guint64 hi;

  switch (type)
    {
    case CIM_SINT8: lo = G_MININT8; hi = G_MAXINT8; break;
    case CIM_UINT8: lo = 0; hi = G_MAXUINT8; break;
    case CIM_SINT16: lo = G_MININT16; hi = G_MAXINT16; break;
    case CIM_UINT16: case CIM_CHAR16: lo = 0; hi = G_MAXUINT16; break;
    case CIM_SINT32: lo = G_MININT32; hi = G_MAXINT32; break;
    case CIM_UINT32: lo = 0; hi = G_MAXUINT32; break;
    case CIM_SINT64: lo = G_MININT64; hi = G_MAXINT64; break;
    case CIM_UINT64: lo = 0; hi = G_MAXUINT64; break;
    case CIM_REAL32: case CIM_REAL64:
      wsim_value_clear (v);
      set_real (v, type, is_signed ? (double) s : (double) u);
      return TRUE;
    default:
      return FALSE;
    }
  if (is_signed ? (s < lo || (s > 0 && (guint64) s > hi)) : u > hi)
    return FALSE;
  if (!is_signed)
    s = (gint64) u;
  wsim_value_clear (v);
  v->type = type;
  switch (type)
    {
    case CIM_SINT8: v->wsim_value_u.v_sint8 = (int) s; break;
    case CIM_UINT8: v->wsim_value_u.v_uint8 = (u_int) s; break;
    case CIM_SINT16: v->wsim_value_u.v_sint16 = (int) s; break;
    case CIM_UINT16: v->wsim_value_u.v_uint16 = (u_int) s; break;
    case CIM_CHAR16: v->wsim_value_u.v_char16 = (u_int) s; break;
    case CIM_SINT32: v->wsim_value_u.v_sint32 = (int) s; break;
    case CIM_UINT32: v->wsim_value_u.v_uint32 = (u_int) s; break;
    case CIM_SINT64: v->wsim_value_u.v_sint64 = s; break;
    default: v->wsim_value_u.v_uint64 = is_signed ? (guint64) s : u; break;
    }
  return TRUE;
}

/* The integer @v holds (booleans as 0 and 1): FALSE if it holds none. */
static gboolean
value_get_integer (const wsim_value *v, gboolean *is_signed, gint64 *s, guint64 *u)
{
  *is_signed = TRUE;
  switch (v->type)
    {
    case CIM_SINT8: *s = v->wsim_value_u.v_sint8; return TRUE;
    case CIM_SINT16: *s = v->wsim_value_u.v_sint16; return TRUE;
    case CIM_SINT32: *s = v->wsim_value_u.v_sint32; return TRUE;
    case CIM_SINT64: *s = v->wsim_value_u.v_sint64; return TRUE;
    case CIM_BOOLEAN: *s = v->wsim_value_u.v_boolean ? 1 : 0; return TRUE;
    default: break;
    }
  *is_signed = FALSE;
  switch (v->type)
    {
    case CIM_UINT8: *u = v->wsim_value_u.v_uint8; return TRUE;
    case CIM_UINT16: *u = v->wsim_value_u.v_uint16; return TRUE;
    case CIM_CHAR16: *u = v->wsim_value_u.v_char16; return TRUE;
    case CIM_UINT32: *u = v->wsim_value_u.v_uint32; return TRUE;
    case CIM_UINT64: *u = v->wsim_value_u.v_uint64; return TRUE;
    default: return FALSE;
    }
}

static gboolean
is_text_type (guint32 type)
{
  return type == CIM_STRING || type == CIM_DATETIME || type == CIM_REFERENCE;
}

/* A string that is wholly an integer: decimal with an optional sign, or 0x hex. */
static gboolean
parse_integer (const char *text, gboolean *is_signed, gint64 *s, guint64 *u)
{
  const char *p = text;
  char *end = NULL;
  int base = 10;

  while (g_ascii_isspace (*p))
    p++;
  /* The sign comes before a hex prefix ("-0x10"); strtoll takes both in that order. */
  if (p[*p == '-'] == '0' && (p[(*p == '-') + 1] == 'x' || p[(*p == '-') + 1] == 'X'))
    base = 16;
  errno = 0;
  if (*p == '-')
    {
      *is_signed = TRUE;
      *s = g_ascii_strtoll (p, &end, base);
    }
  else
    {
      *is_signed = FALSE;
      *u = g_ascii_strtoull (p, &end, base);
    }
  if (end == p || errno != 0)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  return *end == '\0';
}

gboolean
wsim_value_convert (const wsim_value *src, guint32 type, wsim_value *dest)
{
  gboolean is_signed;
  gint64 s = 0;
  guint64 u = 0;

  wsim_value_clear (dest);
  if (wsim_value_is_null (src))
    return TRUE;
  if (src->type == type)
    {
      wsim_value_copy (src, dest);
      return TRUE;
    }
  if ((type & CIM_FLAG_ARRAY) || (src->type & CIM_FLAG_ARRAY))
    return FALSE;
  if (is_text_type (src->type))
    {
      const char *text = src->wsim_value_u.v_string;   /* the string arms share layout */
      char *end = NULL;
      double d;

      if (is_text_type (type))
        {
          if (type == CIM_STRING)
            wsim_value_set_string (dest, text);
          else if (type == CIM_DATETIME)
            wsim_value_set_datetime (dest, text);
          else
            wsim_value_set_reference (dest, text);
          return TRUE;
        }
      if (type == CIM_BOOLEAN)
        {
          if (g_ascii_strcasecmp (text, "TRUE") == 0 || g_str_equal (text, "1"))
            wsim_value_set_boolean (dest, TRUE);
          else if (g_ascii_strcasecmp (text, "FALSE") == 0 || g_str_equal (text, "0"))
            wsim_value_set_boolean (dest, FALSE);
          else
            return FALSE;
          return TRUE;
        }
      if (type == CIM_REAL32 || type == CIM_REAL64)
        {
          errno = 0;
          d = g_ascii_strtod (text, &end);
          if (end == text || *end != '\0' || errno != 0)
            return FALSE;
          return set_real (dest, type, d);
        }
      return parse_integer (text, &is_signed, &s, &u)
             && wsim_value_set_integer (dest, type, is_signed, s, u);
    }
  if (!value_get_integer (src, &is_signed, &s, &u))
    {
      double d;

      if (src->type != CIM_REAL32 && src->type != CIM_REAL64)
        return FALSE;
      d = src->type == CIM_REAL32 ? src->wsim_value_u.v_real32 : src->wsim_value_u.v_real64;
      if (type == CIM_REAL32 || type == CIM_REAL64)
        return set_real (dest, type, d);
      return real_to_integer (d, type, dest);
    }
  if (type == CIM_STRING)
    {
      g_autofree char *text = is_signed ? g_strdup_printf ("%" G_GINT64_FORMAT, s)
                                        : g_strdup_printf ("%" G_GUINT64_FORMAT, u);

      wsim_value_set_string (dest, text);
      return TRUE;
    }
  if (type == CIM_BOOLEAN)
    {
      if (is_signed ? (s != 0 && s != 1) : u > 1)
        return FALSE;
      wsim_value_set_boolean (dest, is_signed ? s == 1 : u == 1);
      return TRUE;
    }
  return wsim_value_set_integer (dest, type, is_signed, s, u);
}

gboolean
wsim_value_is_null (const wsim_value *v)
{
  return v == NULL || v->type == CIM_EMPTY;
}

/* Copies @len strings; NULL (and *len = 0) for an empty or absent array. */
static char **
dup_string_elements (char *const *src, u_int *len)
{
  char **dst;

  if (*len == 0 || src == NULL)
    {
      *len = 0;
      return NULL;
    }
  dst = g_new (char *, *len);
  for (u_int i = 0; i < *len; i++)
    dst[i] = g_strdup (src[i]);
  return dst;
}

void
wsim_value_copy (const wsim_value *src, wsim_value *dest)
{
  g_return_if_fail (src != NULL);
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != dest);

  wsim_value_clear (dest);
  /* Embedded objects nest: XDR copies them whole. A value that does not encode (nested
   * past WSIM_MAX_NESTING) could not travel either; its copy is null. */
  if (src->type == CIM_OBJECT || src->type == WSIM_CIM_OBJECT_ARRAY)
    {
      if (!wsim_xdr_copy ((xdrproc_t) xdr_wsim_value, src, dest))
        wsim_value_clear (dest);
      return;
    }
  /* Scalars are copied whole; the arms that own memory are then replaced by copies. */
  *dest = *src;
  switch (src->type)
    {
    case CIM_STRING:
      dest->wsim_value_u.v_string = g_strdup (src->wsim_value_u.v_string);
      break;
    case CIM_DATETIME:
      dest->wsim_value_u.v_datetime = g_strdup (src->wsim_value_u.v_datetime);
      break;
    case CIM_REFERENCE:
      dest->wsim_value_u.v_reference = g_strdup (src->wsim_value_u.v_reference);
      break;
    case WSIM_CIM_STRING_ARRAY:
      dest->wsim_value_u.a_string.a_string_val =
        dup_string_elements (src->wsim_value_u.a_string.a_string_val,
                             &dest->wsim_value_u.a_string.a_string_len);
      break;
    case WSIM_CIM_DATETIME_ARRAY:
      dest->wsim_value_u.a_datetime.a_datetime_val =
        dup_string_elements (src->wsim_value_u.a_datetime.a_datetime_val,
                             &dest->wsim_value_u.a_datetime.a_datetime_len);
      break;
    case WSIM_CIM_REFERENCE_ARRAY:
      dest->wsim_value_u.a_reference.a_reference_val =
        dup_string_elements (src->wsim_value_u.a_reference.a_reference_val,
                             &dest->wsim_value_u.a_reference.a_reference_len);
      break;
#define COPY_PLAIN_ARRAY(tag, f)                                                          \
    case tag:                                                                             \
      dest->wsim_value_u.f.f##_val =                                                      \
        src->wsim_value_u.f.f##_len == 0 ? NULL                                           \
        : g_memdup2 (src->wsim_value_u.f.f##_val,                                         \
                     (gsize) src->wsim_value_u.f.f##_len                                  \
                     * sizeof *src->wsim_value_u.f.f##_val);                              \
      if (dest->wsim_value_u.f.f##_val == NULL)                                           \
        dest->wsim_value_u.f.f##_len = 0;                                                 \
      break;
      COPY_PLAIN_ARRAY (WSIM_CIM_SINT8_ARRAY, a_sint8)
      COPY_PLAIN_ARRAY (WSIM_CIM_UINT8_ARRAY, a_uint8)
      COPY_PLAIN_ARRAY (WSIM_CIM_SINT16_ARRAY, a_sint16)
      COPY_PLAIN_ARRAY (WSIM_CIM_UINT16_ARRAY, a_uint16)
      COPY_PLAIN_ARRAY (WSIM_CIM_SINT32_ARRAY, a_sint32)
      COPY_PLAIN_ARRAY (WSIM_CIM_UINT32_ARRAY, a_uint32)
      COPY_PLAIN_ARRAY (WSIM_CIM_SINT64_ARRAY, a_sint64)
      COPY_PLAIN_ARRAY (WSIM_CIM_UINT64_ARRAY, a_uint64)
      COPY_PLAIN_ARRAY (WSIM_CIM_REAL32_ARRAY, a_real32)
      COPY_PLAIN_ARRAY (WSIM_CIM_REAL64_ARRAY, a_real64)
      COPY_PLAIN_ARRAY (WSIM_CIM_BOOLEAN_ARRAY, a_boolean)
      COPY_PLAIN_ARRAY (WSIM_CIM_CHAR16_ARRAY, a_char16)
#undef COPY_PLAIN_ARRAY
    default:
      break;
    }
}

/* ---------------------------------------------------------------- arrays as scalars */

static gboolean
is_array (const wsim_value *v)
{
  return (v->type & CIM_FLAG_ARRAY) != 0;
}

static u_int
array_length (const wsim_value *v)
{
  switch (v->type)
    {
#define ARRAY_LEN(tag, f) case tag: return v->wsim_value_u.f.f##_val != NULL ? v->wsim_value_u.f.f##_len : 0;
      WSIM_VALUE_ARRAYS (ARRAY_LEN)
#undef ARRAY_LEN
    default:
      return 0;
    }
}

/* Fills @elem with element @i of the array @v as a scalar of the element type. String
 * elements are borrowed: @elem must never be cleared. */
static void
array_element (const wsim_value *v, u_int i, wsim_value *elem)
{
  memset (elem, 0, sizeof *elem);
  elem->type = (wsim_cimtype) (v->type & ~CIM_FLAG_ARRAY);
  switch (v->type)
    {
    case WSIM_CIM_SINT8_ARRAY:   elem->wsim_value_u.v_sint8 = v->wsim_value_u.a_sint8.a_sint8_val[i]; break;
    case WSIM_CIM_UINT8_ARRAY:   elem->wsim_value_u.v_uint8 = v->wsim_value_u.a_uint8.a_uint8_val[i]; break;
    case WSIM_CIM_SINT16_ARRAY:  elem->wsim_value_u.v_sint16 = v->wsim_value_u.a_sint16.a_sint16_val[i]; break;
    case WSIM_CIM_UINT16_ARRAY:  elem->wsim_value_u.v_uint16 = v->wsim_value_u.a_uint16.a_uint16_val[i]; break;
    case WSIM_CIM_SINT32_ARRAY:  elem->wsim_value_u.v_sint32 = v->wsim_value_u.a_sint32.a_sint32_val[i]; break;
    case WSIM_CIM_UINT32_ARRAY:  elem->wsim_value_u.v_uint32 = v->wsim_value_u.a_uint32.a_uint32_val[i]; break;
    case WSIM_CIM_SINT64_ARRAY:  elem->wsim_value_u.v_sint64 = v->wsim_value_u.a_sint64.a_sint64_val[i]; break;
    case WSIM_CIM_UINT64_ARRAY:  elem->wsim_value_u.v_uint64 = v->wsim_value_u.a_uint64.a_uint64_val[i]; break;
    case WSIM_CIM_REAL32_ARRAY:  elem->wsim_value_u.v_real32 = v->wsim_value_u.a_real32.a_real32_val[i]; break;
    case WSIM_CIM_REAL64_ARRAY:  elem->wsim_value_u.v_real64 = v->wsim_value_u.a_real64.a_real64_val[i]; break;
    case WSIM_CIM_BOOLEAN_ARRAY: elem->wsim_value_u.v_boolean = v->wsim_value_u.a_boolean.a_boolean_val[i]; break;
    case WSIM_CIM_CHAR16_ARRAY:  elem->wsim_value_u.v_char16 = v->wsim_value_u.a_char16.a_char16_val[i]; break;
    case WSIM_CIM_STRING_ARRAY:  elem->wsim_value_u.v_string = v->wsim_value_u.a_string.a_string_val[i]; break;
    case WSIM_CIM_DATETIME_ARRAY: elem->wsim_value_u.v_datetime = v->wsim_value_u.a_datetime.a_datetime_val[i]; break;
    case WSIM_CIM_REFERENCE_ARRAY: elem->wsim_value_u.v_reference = v->wsim_value_u.a_reference.a_reference_val[i]; break;
    case WSIM_CIM_OBJECT_ARRAY:  elem->wsim_value_u.v_object = &v->wsim_value_u.a_object.a_object_val[i]; break;
    default:
      elem->type = CIM_EMPTY;
      break;
    }
}

/* ---------------------------------------------------------------- printing */

void
wsim_real_format (char *buf, gsize size, double d, gboolean is_real32)
{
  int max = is_real32 ? 9 : 17;

  if (isnan (d))
    {
      g_strlcpy (buf, "NaN", size);
      return;
    }
  if (isinf (d))
    {
      g_strlcpy (buf, d > 0 ? "Infinity" : "-Infinity", size);
      return;
    }
  for (int prec = 1; prec <= max; prec++)
    {
      char format[8];
      double back;

      g_snprintf (format, sizeof format, "%%.%dg", prec);
      g_ascii_formatd (buf, (gint) size, format, d);
      back = g_ascii_strtod (buf, NULL);
      if (is_real32 ? (float) back == (float) d : back == d)
        return;
    }
}

/* Appends the UTF-8 form of a CHAR16 code unit, or its number if it is not a character
 * on its own (a surrogate half, or NUL). */
static void
append_char16 (GString *out, guint32 unit)
{
  if (unit != 0 && unit <= 0xFFFF && g_unichar_validate (unit))
    g_string_append_unichar (out, unit);
  else
    g_string_append_printf (out, "%" G_GUINT32_FORMAT, unit);
}

static void append_value (GString *out, const wsim_value *v, const char *open, const char *sep,
                          const char *close, void (*scalar) (GString *, const wsim_value *));
static void append_scalar_text (GString *out, const wsim_value *v);

/* A value inside an embedded object's text, as MOF writes it: strings, datetimes and
 * references quoted with MOF's escapes, CHAR16 in single quotes, the rest as displayed. */
static void
append_scalar_mof (GString *out, const wsim_value *v)
{
  const char *s;

  switch (v->type)
    {
    case CIM_STRING:    s = v->wsim_value_u.v_string; break;
    case CIM_DATETIME:  s = v->wsim_value_u.v_datetime; break;
    case CIM_REFERENCE: s = v->wsim_value_u.v_reference; break;
    case CIM_CHAR16:
      g_string_append_c (out, '\'');
      append_char16 (out, v->wsim_value_u.v_char16);
      g_string_append_c (out, '\'');
      return;
    default:
      append_scalar_text (out, v);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = s != NULL ? s : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '"':  g_string_append (out, "\\\""); break;
      case '\\': g_string_append (out, "\\\\"); break;
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      case '\t': g_string_append (out, "\\t"); break;
      default:   g_string_append_c (out, *p); break;
      }
  g_string_append_c (out, '"');
}

/* An embedded object as the one-line form of MOF's instance text (what WMI's
 * GetObjectText writes, on one line): instance of Class { Name = "x"; Id = 5; }, null
 * properties left out as GetObjectText leaves them. */
static void
append_object_text (GString *out, const wsim_embedded *obj)
{
  const wsim_class_def *cls;

  if (obj == NULL)   /* no decode makes one; a hand-built value may */
    return;
  cls = &obj->cls;
  g_string_append_printf (out, "instance of %s {", cls->name != NULL ? cls->name : "");
  for (u_int i = 0; i < obj->values.values_len && i < cls->props.props_len; i++)
    {
      const wsim_value *v = &obj->values.values_val[i];

      if (v->type == CIM_EMPTY)
        continue;
      g_string_append_printf (out, " %s = ", cls->props.props_val[i].name);
      append_value (out, v, "{", ", ", "}", append_scalar_mof);
      g_string_append_c (out, ';');
    }
  g_string_append (out, " }");
}

static void
append_scalar_text (GString *out, const wsim_value *v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *s = NULL;

  switch (v->type)
    {
    case CIM_EMPTY:
      return;
    case CIM_SINT8:  g_string_append_printf (out, "%d", v->wsim_value_u.v_sint8); return;
    case CIM_SINT16: g_string_append_printf (out, "%d", v->wsim_value_u.v_sint16); return;
    case CIM_SINT32: g_string_append_printf (out, "%d", v->wsim_value_u.v_sint32); return;
    case CIM_UINT8:  g_string_append_printf (out, "%u", v->wsim_value_u.v_uint8); return;
    case CIM_UINT16: g_string_append_printf (out, "%u", v->wsim_value_u.v_uint16); return;
    case CIM_UINT32: g_string_append_printf (out, "%u", v->wsim_value_u.v_uint32); return;
    case CIM_SINT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) v->wsim_value_u.v_sint64);
      return;
    case CIM_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, (guint64) v->wsim_value_u.v_uint64);
      return;
    case CIM_REAL32:
      wsim_real_format (buf, sizeof buf, v->wsim_value_u.v_real32, TRUE);
      g_string_append (out, buf);
      return;
    case CIM_REAL64:
      wsim_real_format (buf, sizeof buf, v->wsim_value_u.v_real64, FALSE);
      g_string_append (out, buf);
      return;
    case CIM_BOOLEAN:
      g_string_append (out, v->wsim_value_u.v_boolean ? "TRUE" : "FALSE");
      return;
    case CIM_CHAR16:
      append_char16 (out, v->wsim_value_u.v_char16);
      return;
    case CIM_OBJECT:
      append_object_text (out, v->wsim_value_u.v_object);
      return;
    case CIM_STRING:    s = v->wsim_value_u.v_string; break;
    case CIM_DATETIME:  s = v->wsim_value_u.v_datetime; break;
    case CIM_REFERENCE: s = v->wsim_value_u.v_reference; break;
    default:
      return;
    }
  if (s != NULL)
    g_string_append (out, s);
}

/* A value as text: a scalar by @scalar, an array as @open elem @sep elem … @close. */
static void
append_value (GString *out, const wsim_value *v, const char *open, const char *sep,
              const char *close, void (*scalar) (GString *, const wsim_value *))
{
  if (!is_array (v))
    {
      scalar (out, v);
      return;
    }
  g_string_append (out, open);
  for (u_int i = 0, n = array_length (v); i < n; i++)
    {
      wsim_value elem;

      array_element (v, i, &elem);
      if (i > 0)
        g_string_append (out, sep);
      scalar (out, &elem);
    }
  g_string_append (out, close);
}

char *
wsim_value_to_string (const wsim_value *v)
{
  GString *out = g_string_new (NULL);

  if (v != NULL)
    append_value (out, v, "{", ", ", "}", append_scalar_text);
  return g_string_free (out, FALSE);
}

static JsonNode *embedded_json_node (const wsim_embedded_body *body);

/* One scalar as json-glib's node, by the rules of wsim-json.h. */
static JsonNode *
scalar_json_node (const wsim_value *v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *s;

  switch (v->type)
    {
    case CIM_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), v->wsim_value_u.v_boolean != 0);
    case CIM_REAL32:
      /* The double nearest the float's shortest text, so that it prints as that text
       * ("0.1", not the widened 0.10000000149011612) and reads back as the same float. */
      if (!isfinite (v->wsim_value_u.v_real32))
        break;
      wsim_real_format (buf, sizeof buf, v->wsim_value_u.v_real32, TRUE);
      return json_node_init_double (json_node_alloc (), g_ascii_strtod (buf, NULL));
    case CIM_REAL64:
      if (!isfinite (v->wsim_value_u.v_real64))
        break;
      return json_node_init_double (json_node_alloc (), v->wsim_value_u.v_real64);
    case CIM_CHAR16:
      if (v->wsim_value_u.v_char16 != 0 && g_unichar_validate (v->wsim_value_u.v_char16))
        buf[g_unichar_to_utf8 (v->wsim_value_u.v_char16, buf)] = '\0';
      else
        g_strlcpy (buf, "\xEF\xBF\xBD", sizeof buf);   /* U+FFFD */
      return wsim_json_string_node (buf);
    case CIM_STRING:
    case CIM_DATETIME:
    case CIM_REFERENCE:
      s = v->type == CIM_STRING ? v->wsim_value_u.v_string
          : v->type == CIM_DATETIME ? v->wsim_value_u.v_datetime
          : v->wsim_value_u.v_reference;
      return wsim_json_string_node (s);
    case CIM_SINT8:  return json_node_init_int (json_node_alloc (), v->wsim_value_u.v_sint8);
    case CIM_UINT8:  return json_node_init_int (json_node_alloc (), v->wsim_value_u.v_uint8);
    case CIM_SINT16: return json_node_init_int (json_node_alloc (), v->wsim_value_u.v_sint16);
    case CIM_UINT16: return json_node_init_int (json_node_alloc (), v->wsim_value_u.v_uint16);
    case CIM_SINT32: return json_node_init_int (json_node_alloc (), v->wsim_value_u.v_sint32);
    case CIM_UINT32: return json_node_init_int (json_node_alloc (), v->wsim_value_u.v_uint32);
    case CIM_SINT64:
    case CIM_UINT64:
      {
        /* Strings of digits (wsim-json.h): the display form is the decimal number. */
        g_autoptr(GString) digits = g_string_new (NULL);

        append_scalar_text (digits, v);
        return json_node_init_string (json_node_alloc (), digits->str);
      }
    case CIM_OBJECT:
      if (v->wsim_value_u.v_object != NULL)
        return embedded_json_node (v->wsim_value_u.v_object);
      break;
    default:
      /* CIM_EMPTY or garbage: keep the JSON valid. */
      break;
    }
  return json_node_init_null (json_node_alloc ());
}

/* An embedded object as wsim_object_to_json() writes an object: "__CLASS", then each
 * property. The decoder bounded its nesting (WSIM_MAX_NESTING), so the recursion is too. */
static JsonNode *
embedded_json_node (const wsim_embedded_body *body)
{
  g_autoptr(JsonObject) json = json_object_new ();

  wsim_json_object_set_string (json, "__CLASS", body->cls.name);
  for (u_int i = 0; i < body->values.values_len && i < body->cls.props.props_len; i++)
    wsim_json_object_set (json, body->cls.props.props_val[i].name,
                          wsim_json_value_node (&body->values.values_val[i]));
  return json_node_init_object (json_node_alloc (), json);   /* it takes its own reference */
}

JsonNode *
wsim_json_value_node (const wsim_value *v)
{
  g_autoptr(JsonArray) array = NULL;

  if (v == NULL)
    return json_node_init_null (json_node_alloc ());
  if (!is_array (v))
    return scalar_json_node (v);
  array = json_array_new ();
  for (u_int i = 0, n = array_length (v); i < n; i++)
    {
      wsim_value elem;

      array_element (v, i, &elem);
      json_array_add_element (array, scalar_json_node (&elem));
    }
  return json_node_init_array (json_node_alloc (), array);   /* it takes its own reference */
}

void
wsim_value_to_json (const wsim_value *v, GString *out)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (out != NULL);

  node = wsim_json_value_node (v);
  wsim_json_append (out, node);
}

/* ---------------------------------------------------------------- comparing */

typedef enum
{
  KIND_NONE,      /* null, array, or a type with nothing to compare */
  KIND_SINT,      /* .i */
  KIND_UINT,      /* .u */
  KIND_REAL,      /* .d */
  KIND_STRING,    /* .s (borrowed or in .buf) */
  KIND_BOOL,      /* .b */
} Kind;

typedef struct
{
  Kind        kind;
  gint64      i;
  guint64     u;
  double      d;
  gboolean    b;
  const char *s;
  char        buf[8];   /* a CHAR16 as UTF-8 */
} Scalar;

static void
classify (const wsim_value *v, Scalar *sc)
{
  memset (sc, 0, sizeof *sc);
  sc->kind = KIND_SINT;
  switch (v->type)
    {
    case CIM_SINT8:  sc->i = v->wsim_value_u.v_sint8; return;
    case CIM_SINT16: sc->i = v->wsim_value_u.v_sint16; return;
    case CIM_SINT32: sc->i = v->wsim_value_u.v_sint32; return;
    case CIM_SINT64: sc->i = v->wsim_value_u.v_sint64; return;
    default: break;
    }
  sc->kind = KIND_UINT;
  switch (v->type)
    {
    case CIM_UINT8:  sc->u = v->wsim_value_u.v_uint8; return;
    case CIM_UINT16: sc->u = v->wsim_value_u.v_uint16; return;
    case CIM_UINT32: sc->u = v->wsim_value_u.v_uint32; return;
    case CIM_UINT64: sc->u = v->wsim_value_u.v_uint64; return;
    default: break;
    }
  switch (v->type)
    {
    case CIM_REAL32:
      sc->kind = KIND_REAL;
      sc->d = v->wsim_value_u.v_real32;
      return;
    case CIM_REAL64:
      sc->kind = KIND_REAL;
      sc->d = v->wsim_value_u.v_real64;
      return;
    case CIM_BOOLEAN:
      sc->kind = KIND_BOOL;
      sc->b = v->wsim_value_u.v_boolean != 0;
      return;
    case CIM_STRING:
    case CIM_DATETIME:
    case CIM_REFERENCE:
      sc->kind = KIND_STRING;
      sc->s = v->type == CIM_STRING ? v->wsim_value_u.v_string
              : v->type == CIM_DATETIME ? v->wsim_value_u.v_datetime
              : v->wsim_value_u.v_reference;
      if (sc->s == NULL)
        sc->s = "";
      return;
    case CIM_CHAR16:
      sc->kind = KIND_STRING;
      if (g_unichar_validate (v->wsim_value_u.v_char16))
        sc->buf[g_unichar_to_utf8 (v->wsim_value_u.v_char16, sc->buf)] = '\0';
      else
        g_strlcpy (sc->buf, "\xEF\xBF\xBD", sizeof sc->buf);   /* U+FFFD */
      sc->s = sc->buf;
      return;
    default:
      sc->kind = KIND_NONE;
      return;
    }
}

/* Reads a string that is wholly a number (WMI converts a literal to the property's
 * type). "42", "-7", "18446744073709551615", "2.5", "1e3"; not " 42", "0x1F", "inf". */
static gboolean
string_as_number (const char *s, Scalar *sc)
{
  char *end = NULL;
  double d;

  if (!(g_ascii_isdigit (s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.'))
    return FALSE;
  if (g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, &sc->i, NULL))
    {
      sc->kind = KIND_SINT;
      return TRUE;
    }
  if (s[0] != '-' && g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT64, &sc->u, NULL))
    {
      sc->kind = KIND_UINT;
      return TRUE;
    }
  /* Decimal reals only: g_ascii_strtod would also take hex floats and "infinity". */
  for (const char *p = s; *p != '\0'; p++)
    if (!(g_ascii_isdigit (*p) || *p == '.' || *p == 'e' || *p == 'E' || *p == '+'
          || *p == '-'))
      return FALSE;
  d = g_ascii_strtod (s, &end);
  if (end == s || *end != '\0' || !isfinite (d))
    return FALSE;
  sc->kind = KIND_REAL;
  sc->d = d;
  return TRUE;
}

#define SIGN(x, y) ((x) < (y) ? -1 : (x) > (y) ? 1 : 0)

/* Exact comparison of an integer with a double: no rounding of 64-bit integers. */
static int
cmp_sint_real (gint64 i, double d)
{
  double t;

  if (d < -9223372036854775808.0)
    return 1;
  if (d >= 9223372036854775808.0)
    return -1;
  t = trunc (d);
  if (i != (gint64) t)
    return SIGN (i, (gint64) t);
  return SIGN (t, d);   /* equal integer parts: the fraction decides */
}

static int
cmp_uint_real (guint64 u, double d)
{
  double t;

  if (d < 0)
    return 1;
  if (d >= 18446744073709551616.0)
    return -1;
  t = trunc (d);
  if (u != (guint64) t)
    return SIGN (u, (guint64) t);
  return SIGN (t, d);
}

static int
cmp_sint_uint (gint64 i, guint64 u)
{
  if (i < 0)
    return -1;
  return SIGN ((guint64) i, u);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static int
strcmp_ci (const char *a, const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;
  int r;

  /* ASCII folding is the same as Unicode folding on ASCII, without allocating. */
  if ((is_ascii (a) && is_ascii (b)) || !g_utf8_validate (a, -1, NULL)
      || !g_utf8_validate (b, -1, NULL))
    {
      r = g_ascii_strcasecmp (a, b);
      return SIGN (r, 0);
    }
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  r = strcmp (fa, fb);
  return SIGN (r, 0);
}

static gboolean
is_number (Kind k)
{
  return k == KIND_SINT || k == KIND_UINT || k == KIND_REAL;
}

static gboolean
cmp_numbers (const Scalar *a, const Scalar *b, int *out)
{
  switch (a->kind)
    {
    case KIND_SINT:
      switch (b->kind)
        {
        case KIND_SINT: *out = SIGN (a->i, b->i); return TRUE;
        case KIND_UINT: *out = cmp_sint_uint (a->i, b->u); return TRUE;
        case KIND_REAL:
          if (isnan (b->d))
            return FALSE;
          *out = cmp_sint_real (a->i, b->d);
          return TRUE;
        default: return FALSE;
        }
    case KIND_UINT:
      switch (b->kind)
        {
        case KIND_SINT: *out = -cmp_sint_uint (b->i, a->u); return TRUE;
        case KIND_UINT: *out = SIGN (a->u, b->u); return TRUE;
        case KIND_REAL:
          if (isnan (b->d))
            return FALSE;
          *out = cmp_uint_real (a->u, b->d);
          return TRUE;
        default: return FALSE;
        }
    case KIND_REAL:
      if (isnan (a->d))
        return FALSE;
      if (b->kind == KIND_REAL)
        {
          if (isnan (b->d))
            return FALSE;
          *out = SIGN (a->d, b->d);
          return TRUE;
        }
      if (!cmp_numbers (b, a, out))
        return FALSE;
      *out = -*out;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
wsim_value_compare (const wsim_value *a, const wsim_value *b, int *out_cmp)
{
  Scalar sa, sb;
  int r;

  g_return_val_if_fail (out_cmp != NULL, FALSE);

  if (a == NULL || b == NULL)
    return FALSE;
  classify (a, &sa);
  classify (b, &sb);
  if (sa.kind == KIND_NONE || sb.kind == KIND_NONE)
    return FALSE;

  if (sa.kind == KIND_STRING && is_number (sb.kind) && !string_as_number (sa.s, &sa))
    return FALSE;
  if (sb.kind == KIND_STRING && is_number (sa.kind) && !string_as_number (sb.s, &sb))
    return FALSE;

  if (is_number (sa.kind) && is_number (sb.kind))
    {
      if (!cmp_numbers (&sa, &sb, &r))
        return FALSE;
      *out_cmp = r;
      return TRUE;
    }
  if (sa.kind != sb.kind)
    return FALSE;
  if (sa.kind == KIND_STRING)
    *out_cmp = strcmp_ci (sa.s, sb.s);
  else /* KIND_BOOL */
    *out_cmp = SIGN (sa.b, sb.b);
  return TRUE;
}

/* ---------------------------------------------------------------- type names */

static const struct
{
  guint32     type;
  const char *name;
} cimtype_names[] = {
  { CIM_EMPTY, "empty" },
  { CIM_SINT8, "sint8" },
  { CIM_UINT8, "uint8" },
  { CIM_SINT16, "sint16" },
  { CIM_UINT16, "uint16" },
  { CIM_SINT32, "sint32" },
  { CIM_UINT32, "uint32" },
  { CIM_SINT64, "sint64" },
  { CIM_UINT64, "uint64" },
  { CIM_REAL32, "real32" },
  { CIM_REAL64, "real64" },
  { CIM_BOOLEAN, "boolean" },
  { CIM_STRING, "string" },
  { CIM_DATETIME, "datetime" },
  { CIM_REFERENCE, "reference" },
  { CIM_CHAR16, "char16" },
  { CIM_OBJECT, "object" },
};

/* The array names, built once: "sint8[]" … in table order (CIM_EMPTY has none). */
static const char *const cimtype_array_names[] = {
  NULL, "sint8[]", "uint8[]", "sint16[]", "uint16[]", "sint32[]", "uint32[]", "sint64[]",
  "uint64[]", "real32[]", "real64[]", "boolean[]", "string[]", "datetime[]", "reference[]",
  "char16[]", "object[]",
};

G_STATIC_ASSERT (G_N_ELEMENTS (cimtype_names) == G_N_ELEMENTS (cimtype_array_names));

const char *
wsim_cimtype_name (guint32 cimtype)
{
  gboolean array = (cimtype & CIM_FLAG_ARRAY) != 0;
  guint32 base = cimtype & ~(guint32) CIM_FLAG_ARRAY;

  for (gsize i = 0; i < G_N_ELEMENTS (cimtype_names); i++)
    if (cimtype_names[i].type == base)
      return array ? cimtype_array_names[i] : cimtype_names[i].name;
  return NULL;
}

gboolean
wsim_cimtype_from_name (const char *name, guint32 *out)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (cimtype_names); i++)
    {
      if (g_ascii_strcasecmp (name, cimtype_names[i].name) == 0)
        {
          *out = cimtype_names[i].type;
          return TRUE;
        }
      if (cimtype_array_names[i] != NULL
          && g_ascii_strcasecmp (name, cimtype_array_names[i]) == 0)
        {
          *out = cimtype_names[i].type | CIM_FLAG_ARRAY;
          return TRUE;
        }
    }
  return FALSE;
}
