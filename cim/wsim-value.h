/**
 * SECTION:wsim-value
 * @title: wsim-value.h
 * @short_description: helpers over wsim_value, the CIM value as the wire carries it
 *
 * The runtime keeps property values in the rpcgen type itself (wsim_value from the
 * generated wsim_cim.h), so an instance goes to the wire without conversion. This file
 * owns the operations the rest of the runtime needs on such values: setting, clearing,
 * copying, printing (for people and as JSON), comparing the way WQL compares, and the
 * MOF names of CIM types.
 *
 * Memory: a wsim_value owns its strings and arrays, and they are released with
 * xdr_free (xdr_wsim_value, v), which calls free(). The setters allocate with GLib
 * (g_strdup, g_memdup2); that is sound because on Linux g_malloc is malloc (GLib has
 * no allocator vtable since 2.46), so a value filled here, one decoded by XDR and one
 * mixed of both are all released by the same xdr_free. A zero-filled wsim_value is a
 * valid null (CIM_EMPTY is 0).
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-cim-types.h"

G_BEGIN_DECLS

/**
 * wsim_value_clear:
 * @v: the value to set
 *
 * Releases what @v owns (xdr_free) and leaves it null (CIM_EMPTY). @v must be a valid
 * value: zero-filled, set by these helpers, or decoded by XDR.
 */
WSIM_EXPORT
void wsim_value_clear (wsim_value *v);

/**
 * wsim_value_set_null:
 * @v: the value to set
 *
 * Clears @v; it is then null (CIM_EMPTY).
 */
WSIM_EXPORT
void wsim_value_set_null (wsim_value *v);

/**
 * wsim_value_set_string:
 * @v: the value to set
 * @s: (nullable) the string, copied
 *
 * Clears @v, then makes it a CIM_STRING holding a copy of @s. A NULL @s sets null.
 */
WSIM_EXPORT
void wsim_value_set_string (wsim_value *v, const char *s);

/**
 * wsim_value_set_sint64:
 * @v: the value to set
 * @n: the integer
 *
 * Clears @v, then makes it a CIM_SINT64.
 */
WSIM_EXPORT
void wsim_value_set_sint64 (wsim_value *v, gint64 n);

/**
 * wsim_value_set_uint64:
 * @v: the value to set
 * @n: the integer
 *
 * Clears @v, then makes it a CIM_UINT64.
 */
WSIM_EXPORT
void wsim_value_set_uint64 (wsim_value *v, guint64 n);

/**
 * wsim_value_set_real64:
 * @v: the value to set
 * @d: the real
 *
 * Clears @v, then makes it a CIM_REAL64.
 */
WSIM_EXPORT
void wsim_value_set_real64 (wsim_value *v, double d);

/**
 * wsim_value_set_boolean:
 * @v: the value to set
 * @b: the boolean
 *
 * Clears @v, then makes it a CIM_BOOLEAN (any non-zero is TRUE).
 */
WSIM_EXPORT
void wsim_value_set_boolean (wsim_value *v, gboolean b);

/**
 * wsim_value_set_datetime:
 * @v: the value to set
 * @dmtf: (nullable) the DMTF datetime or interval
 *
 * Clears @v, then makes it a CIM_DATETIME holding a copy of @dmtf (a DMTF datetime
 * "yyyymmddHHMMSS.mmmmmmsUUU" or interval; not validated here). NULL sets null.
 */
WSIM_EXPORT
void wsim_value_set_datetime (wsim_value *v, const char *dmtf);

/**
 * wsim_value_set_reference:
 * @v: the value to set
 * @path: (nullable) the object path
 *
 * Clears @v, then makes it a CIM_REFERENCE holding a copy of the object path @path.
 * NULL sets null.
 */
WSIM_EXPORT
void wsim_value_set_reference (wsim_value *v, const char *path);

/**
 * wsim_value_copy:
 * @src: the value to copy or convert
 * @dest: the value to set
 *
 * Clears @dest, then makes it a deep copy of @src (strings and arrays duplicated).
 * @src and @dest may not be the same value.
 */
WSIM_EXPORT
void wsim_value_copy (const wsim_value *src, wsim_value *dest);

/**
 * wsim_value_is_null:
 * @v: (nullable) a value
 *
 * Returns TRUE if @v is CIM_EMPTY (or @v is NULL).
 *
 * Returns: TRUE if @v is CIM_EMPTY (or @v is NULL).
 */
WSIM_EXPORT
gboolean wsim_value_is_null (const wsim_value *v);

/**
 * wsim_value_to_string:
 * @v: (nullable) a value
 *
 * The display form, as WMI tools print values: integers in decimal, booleans TRUE or
 * FALSE, reals in the shortest form that reads back to the same number (%.17g at
 * most, so 0.1 prints "0.1"), strings, datetimes and references raw, CHAR16 as its
 * character, arrays as "{a, b}", null as "" (an empty cell).
 *
 * Returns: (transfer full) a newly allocated string.
 */
WSIM_EXPORT
char *wsim_value_to_string (const wsim_value *v);

/**
 * wsim_value_to_json:
 * @v: (nullable): the value; %NULL appends null
 * @out: the string to append to
 *
 * Appends @v to @out as compact JSON, built as a json-glib tree and written with json-glib's
 * generator for every token but reals (which it would print with 17 digits): null, true/false,
 * an embedded object as a nested object ("__CLASS", then its properties), integers
 * up to 32 bits as numbers, sint64 and uint64 as strings of decimal digits
 * ("18446744073709551615": a JSON number that large does not survive most readers), reals
 * as numbers in the shortest form that reads back as the same value (a real32 as the float
 * it is; null if not finite: JSON has no NaN or infinity), strings/datetimes/references/
 * CHAR16 as JSON strings (each invalid UTF-8 byte becomes U+FFFD), arrays as JSON arrays.
 * docs/cli.md, "JSON", gives the reasons.
 */
WSIM_EXPORT
void wsim_value_to_json (const wsim_value *v, GString *out);

/**
 * wsim_value_compare:
 * @a: a scalar value
 * @b: another scalar value
 * @out_cmp: (out) negative, zero or positive when @a is less than, equal to or greater
 *   than @b; untouched if the values are not comparable
 *
 * Compares two scalar values the way WQL does:
 * - integers and reals of every width compare numerically and exactly, across types
 *    (sint64 -1 is less than uint64 18446744073709551615; a NaN compares with nothing);
 * - strings, datetimes, references and CHAR16 compare case-insensitively (Unicode
 *    case folding);
 * - a string compared with a number is read as a number if the whole string is one
 *    (WMI converts a literal to the property's type), otherwise they are not comparable;
 * - booleans compare with booleans (FALSE < TRUE);
 * - null and arrays are never comparable.
 *
 * Returns: TRUE if the values are comparable (and *@out_cmp is set).
 */
WSIM_EXPORT
gboolean wsim_value_compare (const wsim_value *a, const wsim_value *b, int *out_cmp);

/**
 * wsim_value_set_integer:
 * @v: the value to set
 * @type: the CIMTYPE to store as: an integer type, CHAR16, REAL32 or REAL64
 * @is_signed: whether the integer is @s (TRUE) or @u (FALSE)
 * @s: the integer when @is_signed
 * @u: the integer unless @is_signed
 *
 * Stores the integer in @v as @type, range-checked against @type (uint8 takes 0..255, and
 * so on; reals take any integer). @v is untouched on failure.
 *
 * Returns: FALSE if @type is not numeric or cannot hold the value.
 */
WSIM_EXPORT
gboolean wsim_value_set_integer (wsim_value *v, guint32 type, gboolean is_signed, gint64 s,
                                 guint64 u);

/**
 * wsim_value_convert:
 * @src: the value to copy or convert
 * @type: a scalar CIMTYPE
 * @dest: the value to set
 *
 * Converts @src to @type into @dest (cleared first), as WMI coerces a VARIANT to a declared
 * type: null stays null; integers convert to any integer or real type they fit
 * (range-checked) and to string; reals to the other real type (a real32 only in its range)
 * and to an integer type only when whole and in range (1.5 is no integer: rounding would
 * change the caller's value); booleans to and from integers 0 and 1; a string converts
 * to a number if all of it is one in range ("42", "-1", "0x10", "-0x10" for integers), to boolean
 * from "TRUE"/"FALSE"/"1"/"0" (any case), and is taken as is by string, datetime and
 * reference. @src and @dest may not be the same value.
 *
 * Returns: FALSE (and @dest null) when @src has no value of @type.
 */
WSIM_EXPORT
gboolean wsim_value_convert (const wsim_value *src, guint32 type, wsim_value *dest);

/**
 * wsim_cimtype_name:
 * @cimtype: a CIMTYPE value, possibly with CIM_FLAG_ARRAY
 *
 * Returns the MOF name: "string", "uint32", "sint64[]", "datetime", "reference", "object",
 * "empty" for CIM_EMPTY; NULL for an unknown type.
 *
 * Returns: (transfer none) the MOF name: "string", "uint32", "sint64[]", "datetime",
 *   "reference", "object", "empty" for CIM_EMPTY; NULL for an unknown type.
 */
WSIM_EXPORT
const char *wsim_cimtype_name (guint32 cimtype);

/**
 * wsim_cimtype_from_name:
 * @name: a MOF type name as wsim_cimtype_name returns it, case-insensitive, with an
 *   optional "[]" suffix for arrays
 * @out: (out) the CIMTYPE value
 *
 * Returns TRUE if @name is known.
 *
 * Returns: TRUE if @name is known.
 */
WSIM_EXPORT
gboolean wsim_cimtype_from_name (const char *name, guint32 *out);

G_END_DECLS
