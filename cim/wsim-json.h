/* wsim-json.h: Internal. The rules every JSON text wmisim writes shares, on json-glib.
 *
 * Each writer builds a json-glib tree with these helpers and prints it with
 * wsim_json_append(), so the rules are kept in one place (docs/cli.md, "JSON"):
 *
 * - every string, member names included, is made valid UTF-8 first: json-glib 1.6 prints
 *   invalid bytes as they are (which makes the text invalid JSON); each invalid byte
 *   becomes U+FFFD. Text from the wire is data: the generator escapes it, never a writer.
 * - integers are numbers, except sint64 and uint64 values, which are strings of decimal
 *   digits: json-glib holds an integer as a gint64 (a uint64 above G_MAXINT64 has no
 *   integer node), and WMI itself gives 64-bit integers "in string form" (CIMTYPE_ENUMERATION).
 * - reals are numbers in the shortest form that reads back to the same number, as the
 *   text formats print them ("0.1"; a real32 in the shortest form that reads back to the
 *   same float). json-glib 1.6's generator cannot be used for them: it prints every double
 *   with 17 significant digits (0.1 is 0.10000000000000001, a real32 0.1 widened is
 *   0.10000000149011612), and a double whose 17-digit form has an exponent but no point
 *   as "1e+100.0", which is not JSON. So wsim_json_append() walks the tree itself and
 *   leaves every other token (strings, member names, integers, true, false, null) to
 *   json-glib's generator. NaN and infinities are null: JSON has no word for them.
 *
 * Nothing here is installed: json-glib's types stay out of the public headers.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wsim-value.h"

G_BEGIN_DECLS

/**
 * wsim_json_string_node:
 * @s: (nullable) any bytes up to a NUL; NULL gives ""
 * Returns: (transfer full) a string node holding @s made valid UTF-8.
 */
JsonNode *wsim_json_string_node (const char *s);

/**
 * wsim_json_object_set:
 * @name: the member's name, any bytes (made valid UTF-8 as values are)
 * @node: (transfer full) the member's value
 *
 * Sets one member of @object; a second member of the same name replaces the first.
 */
void wsim_json_object_set (JsonObject *object, const char *name, JsonNode *node);

/** wsim_json_object_set_string: wsim_json_object_set() with wsim_json_string_node (@s). */
void wsim_json_object_set_string (JsonObject *object, const char *name, const char *s);

/**
 * wsim_json_value_node:
 * @v: (nullable) a value; NULL gives null
 * Returns: (transfer full) @v as JSON (the header's rules): null, true/false, numbers,
 *   strings (datetimes, references and CHAR16 too; a CHAR16 that is no character on its
 *   own, NUL or a surrogate half, is U+FFFD), arrays as arrays. A type the wire cannot
 *   carry is null.
 */
JsonNode *wsim_json_value_node (const wsim_value *v);

/**
 * wsim_json_append:
 * @node: (transfer none) the tree to print
 *
 * Appends @node to @out as compact JSON (no blank between tokens, no newline): object
 * members in the order they were set, reals by wsim_real_format(), every other token as
 * json-glib's generator writes it.
 */
void wsim_json_append (GString *out, JsonNode *node);

/**
 * wsim_real_format:
 * @buf: (out caller-allocates) at least G_ASCII_DTOSTR_BUF_SIZE bytes
 * @is_real32: the shortest form that reads back to the same float rather than double
 *
 * The shortest %.Ng (N ≤ 17, or ≤ 9 for a real32) that reads back to the same number, in
 * the C locale: "0.1", not "0.10000000000000001"; "NaN", "Infinity", "-Infinity" for the
 * others. Every format prints reals so (wsim_value_to_string() too; wsim-value.c has it).
 */
void wsim_real_format (char *buf, gsize size, double d, gboolean is_real32);

G_END_DECLS
