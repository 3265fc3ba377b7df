/* test-objpath.c: wsim-object-path, WMI object paths.
 *
 * Owns the proof that every documented form parses into the right server, namespace,
 * class and keys, that printing is canonical (keys sorted, strings escaped) and reads
 * back to the same path, and that each malformed path is refused with
 * WBEM_E_INVALID_OBJECT_PATH at the exact character position.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-object-path.h"
#include "wsim-value.h"

static WsimObjectPath *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  WsimObjectPath *p = wsim_object_path_parse (text, &error);

  cr_assert_not_null (p, "'%s' did not parse: %s", text, error ? error->message : "?");
  cr_assert_null (error);
  return p;
}

/* Parses @text, checks that it prints as @canonical, and that @canonical parses and
 * prints as itself. */
static void
assert_canonical (const char *text, const char *canonical)
{
  g_autoptr (WsimObjectPath) p = parse_ok (text);
  g_autofree char *s = wsim_object_path_to_string (p);
  g_autoptr (WsimObjectPath) again = NULL;
  g_autofree char *s2 = NULL;

  cr_assert_str_eq (s, canonical, "from '%s'", text);
  again = parse_ok (s);
  s2 = wsim_object_path_to_string (again);
  cr_assert_str_eq (s2, canonical, "canonical form is not stable");
}

static void
assert_path_error (const char *text, long pos, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimObjectPath) p = wsim_object_path_parse (text, &error);
  g_autofree char *at = g_strdup_printf ("invalid object path at position %ld:", pos);

  cr_assert_null (p, "'%s' parsed but should not", text);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_OBJECT_PATH),
             "'%s': %s", text, error ? error->message : "no error");
  cr_assert (strstr (error->message, at) != NULL, "'%s': wanted '%s' in: %s", text, at,
             error->message);
  cr_assert (strstr (error->message, what) != NULL, "'%s': wanted '%s' in: %s", text, what,
             error->message);
}

/* ---------------------------------------------------------------- good paths */

Test (objpath, class_only)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("Win32_Process");

  cr_assert_null (wsim_object_path_get_server (p));
  cr_assert_null (wsim_object_path_get_namespace (p));
  cr_assert_str_eq (wsim_object_path_get_class (p), "Win32_Process");
  cr_assert (wsim_object_path_is_class (p));
  cr_assert_not (wsim_object_path_is_singleton (p));
  cr_assert_eq (wsim_object_path_get_n_keys (p), 0);
  assert_canonical ("Win32_Process", "Win32_Process");
  assert_canonical ("__Namespace", "__Namespace");
}

Test (objpath, one_string_key)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("Win32_Process.Handle=\"42\"");
  const wsim_value *v;

  cr_assert_not (wsim_object_path_is_class (p));
  cr_assert_eq (wsim_object_path_get_n_keys (p), 1);
  cr_assert_str_eq (wsim_object_path_get_key_name (p, 0), "Handle");
  cr_assert_str_eq (wsim_object_path_get_key_text (p, 0), "42");
  v = wsim_object_path_get_key_value (p, 0);
  cr_assert_eq (v->type, CIM_STRING);
  cr_assert_str_eq (v->wsim_value_u.v_string, "42");
  cr_assert_eq (wsim_object_path_lookup_key (p, "HANDLE"), v, "lookup is case-insensitive");
  cr_assert_null (wsim_object_path_lookup_key (p, "Name"));
  assert_canonical ("Win32_Process.Handle=\"42\"", "Win32_Process.Handle=\"42\"");
}

Test (objpath, keys_are_sorted_in_canonical_form)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("Sim_Pair.b=2,A=\"x\",c=TRUE");
  g_autofree char *rel = NULL;

  cr_assert_eq (wsim_object_path_get_n_keys (p), 3);
  cr_assert_str_eq (wsim_object_path_get_key_name (p, 0), "b", "accessors keep written order");
  cr_assert_str_eq (wsim_object_path_get_key_name (p, 2), "c");
  assert_canonical ("Sim_Pair.b=2,A=\"x\",c=TRUE", "Sim_Pair.A=\"x\",b=2,c=TRUE");
  assert_canonical ("Sim_Pair.A=\"x\",c=TRUE,b=2", "Sim_Pair.A=\"x\",b=2,c=TRUE");
  rel = wsim_object_path_to_relpath (p);
  cr_assert_str_eq (rel, "Sim_Pair.A=\"x\",b=2,c=TRUE");
}

Test (objpath, full_path_with_server_and_namespace)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("\\\\server01\\root\\cimv2:Win32_Process.Handle=\"42\"");
  g_autofree char *rel = wsim_object_path_to_relpath (p);

  cr_assert_str_eq (wsim_object_path_get_server (p), "server01");
  cr_assert_str_eq (wsim_object_path_get_namespace (p), "root\\cimv2");
  cr_assert_str_eq (wsim_object_path_get_class (p), "Win32_Process");
  cr_assert_str_eq (rel, "Win32_Process.Handle=\"42\"");
  assert_canonical ("\\\\server01\\root\\cimv2:Win32_Process.Handle=\"42\"",
                    "\\\\server01\\root\\cimv2:Win32_Process.Handle=\"42\"");
}

Test (objpath, slashes_separate_too)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("//./root/cimv2:Win32_Process.Handle=\"42\"");

  cr_assert_str_eq (wsim_object_path_get_server (p), ".");
  cr_assert_str_eq (wsim_object_path_get_namespace (p), "root\\cimv2");
  assert_canonical ("//./root/cimv2:Win32_Process.Handle=\"42\"",
                    "\\\\.\\root\\cimv2:Win32_Process.Handle=\"42\"");
  assert_canonical ("\\\\host.example-1.com/root\\default/sub:X",
                    "\\\\host.example-1.com\\root\\default\\sub:X");
}

Test (objpath, namespace_without_server)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("root\\cimv2:Win32_OperatingSystem=@");

  cr_assert_null (wsim_object_path_get_server (p));
  cr_assert_str_eq (wsim_object_path_get_namespace (p), "root\\cimv2");
  cr_assert (wsim_object_path_is_singleton (p));
  assert_canonical ("root/cimv2:Win32_OperatingSystem=@", "root\\cimv2:Win32_OperatingSystem=@");
  assert_canonical ("root:X", "root:X");
}

Test (objpath, singleton)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("Win32_WMISetting=@");

  cr_assert (wsim_object_path_is_singleton (p));
  cr_assert_not (wsim_object_path_is_class (p));
  cr_assert_eq (wsim_object_path_get_n_keys (p), 0);
  assert_canonical ("Win32_WMISetting=@", "Win32_WMISetting=@");
}

Test (objpath, string_escapes)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("Win32_Directory.Name=\"C:\\\\Windows\\\\\\\"q\\\"\"");

  cr_assert_str_eq (wsim_object_path_get_key_text (p, 0), "C:\\Windows\\\"q\"");
  assert_canonical ("Win32_Directory.Name=\"C:\\\\Windows\\\\\\\"q\\\"\"",
                    "Win32_Directory.Name=\"C:\\\\Windows\\\\\\\"q\\\"\"");
  assert_canonical ("X.K=\"\"", "X.K=\"\"");
  assert_canonical ("X.K=\"a,b=c:d.e\"", "X.K=\"a,b=c:d.e\"");
  assert_canonical ("X.K=\"ünï\"", "X.K=\"ünï\"");
}

Test (objpath, number_and_boolean_keys)
{
  g_autoptr (WsimObjectPath) p =
    parse_ok ("Sim.A=-5,B=18446744073709551615,C=true,D=FALSE,E=007");
  const wsim_value *v;

  v = wsim_object_path_get_key_value (p, 0);
  cr_assert_eq (v->type, CIM_SINT64);
  cr_assert_eq (v->wsim_value_u.v_sint64, -5);
  v = wsim_object_path_get_key_value (p, 1);
  cr_assert_eq (v->type, CIM_UINT64);
  cr_assert_eq (v->wsim_value_u.v_uint64, G_MAXUINT64);
  v = wsim_object_path_get_key_value (p, 2);
  cr_assert_eq (v->type, CIM_BOOLEAN);
  cr_assert_eq (v->wsim_value_u.v_boolean, TRUE);
  cr_assert_str_eq (wsim_object_path_get_key_text (p, 2), "TRUE");
  cr_assert_str_eq (wsim_object_path_get_key_text (p, 3), "FALSE");
  cr_assert_str_eq (wsim_object_path_get_key_text (p, 4), "7");
  assert_canonical ("Sim.A=-5,B=18446744073709551615,C=true,D=FALSE,E=007",
                    "Sim.A=-5,B=18446744073709551615,C=TRUE,D=FALSE,E=7");
}

/* ---------------------------------------------------------------- bad paths */

Test (objpath, errors_name_the_position)
{
  assert_path_error ("", 1, "expected class name");
  assert_path_error (".Handle=1", 1, "expected class name");
  assert_path_error ("5Class", 1, "expected class name");
  assert_path_error ("Class.=5", 7, "expected key property name");
  assert_path_error ("Class.Key=\"abc", 11, "unterminated string");
  assert_path_error ("Class.Key=\"ab\\\"", 11, "unterminated string");
  assert_path_error ("Class.Key=\"a\\qb\"", 13, "invalid escape sequence");
  assert_path_error ("Class.Key=5 ", 12, "expected ',' or end of path");
  assert_path_error ("Class.Key=\"x\"garbage", 14, "expected ',' or end of path");
  assert_path_error ("Class.Key=5x", 11, "invalid number");
  assert_path_error ("Class.Key=5.5", 11, "invalid number");
  assert_path_error ("Class.Key=99999999999999999999", 11, "integer out of range");
  assert_path_error ("Class.Key", 10, "expected '='");
  assert_path_error ("Class.Key=", 11, "expected key value");
  assert_path_error ("Class.Key=maybe", 11, "expected key value");
  assert_path_error ("Class.Key=`x`", 11, "expected key value");
  assert_path_error ("Class.A=1,", 11, "expected key property name");
  assert_path_error ("Class.A=1,a=2", 11, "duplicate key property");
  assert_path_error ("Class extra", 6, "expected '.', '=@' or end of path");
  assert_path_error ("Class=5", 7, "expected '@'");
  assert_path_error ("Class=@x", 8, "expected end of path");
  assert_path_error ("Class=@.K=1", 8, "expected end of path");
  assert_path_error ("\\\\", 3, "expected server name");
  assert_path_error ("\\\\:Class", 3, "expected server name");
  assert_path_error ("\\\\server", 9, "expected '\\' and a namespace");
  assert_path_error ("\\\\server\\:C", 10, "expected namespace name");
  assert_path_error ("\\\\server\\root\\cimv2", 20, "expected ':' and a class name");
  assert_path_error ("\\\\server\\root\\\\cimv2:C", 15, "expected namespace name");
  assert_path_error ("root\\cimv2:", 12, "expected class name");
  assert_path_error ("root\\cimv2:.K=1", 12, "expected class name");
  assert_path_error ("\\root:C", 1, "expected class name");
  assert_path_error ("X.K=\"é\"€", 8, "expected ',' or end of path");   /* characters, not bytes */
  assert_path_error ("X.K=\"\xff\"", 6, "invalid UTF-8");
}

/* Random sequences of path fragments: every result is either a path whose canonical
 * form parses back to itself, or a positioned WBEM_E_INVALID_OBJECT_PATH. Fixed seed. */
Test (objpath, random_fragments_never_crash)
{
  static const char *const frag[] = {
    "\\\\", "//", "srv", ".", "\\", "/", "root", "cimv2", ":", "Win32_Process", "=", "@",
    "Key", "\"v\"", "\"", "\\\"", "42", "-1", "TRUE", ",", " ", "é", "_", "9",
  };
  GRand *rand = g_rand_new_with_seed (7);
  int parsed = 0;

  for (int iter = 0; iter < 4000; iter++)
    {
      GString *s = g_string_new (NULL);
      int n = g_rand_int_range (rand, 1, 10);
      g_autoptr (GError) error = NULL;
      g_autoptr (WsimObjectPath) p = NULL;

      for (int k = 0; k < n; k++)
        g_string_append (s, frag[g_rand_int_range (rand, 0, G_N_ELEMENTS (frag))]);
      p = wsim_object_path_parse (s->str, &error);
      if (p != NULL)
        {
          g_autofree char *canon = wsim_object_path_to_string (p);
          g_autoptr (WsimObjectPath) again = parse_ok (canon);
          g_autofree char *canon2 = wsim_object_path_to_string (again);

          cr_assert_str_eq (canon, canon2, "from '%s'", s->str);
          parsed++;
        }
      else
        {
          cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_OBJECT_PATH));
          cr_assert (strstr (error->message, "at position ") != NULL, "%s", error->message);
        }
      g_string_free (s, TRUE);
    }
  cr_assert_gt (parsed, 20);
  g_rand_free (rand);
}

/* ---------------------------------------------------------------- found by a user */

/* Microsoft's object paths take string keys in single quotes too; quotes inside are
 * escaped as in C (\' \" \\, in either kind). The canonical form is double-quoted. */
Test (objpath, single_quoted_key_values, .timeout = 30)
{
  g_autoptr (WsimObjectPath) p = parse_ok ("Win32_Process.Handle='1'");
  const wsim_value *v = wsim_object_path_get_key_value (p, 0);

  cr_assert_eq (v->type, CIM_STRING);
  cr_assert_str_eq (v->wsim_value_u.v_string, "1");
  cr_assert_str_eq (wsim_object_path_get_key_text (p, 0), "1");
  assert_canonical ("Win32_Process.Handle='1'", "Win32_Process.Handle=\"1\"");
  assert_canonical ("X.K='it\\'s'", "X.K=\"it's\"");
  assert_canonical ("X.K='say \"hi\"'", "X.K=\"say \\\"hi\\\"\"");
  assert_canonical ("X.K='say \\\"hi\\\"'", "X.K=\"say \\\"hi\\\"\"");
  assert_canonical ("X.K='C:\\\\'", "X.K=\"C:\\\\\"");
  assert_canonical ("X.K=\"it\\'s\"", "X.K=\"it's\"");
  assert_canonical ("X.K=\"it's\"", "X.K=\"it's\"");
  assert_canonical ("X.K=''", "X.K=\"\"");
  assert_canonical ("\\\\.\\root\\cimv2:X.B=\"b\",A='a,b=c'", "\\\\.\\root\\cimv2:X.A=\"a,b=c\",B=\"b\"");

  assert_path_error ("X.K='abc", 5, "unterminated string");
  assert_path_error ("X.K='ab\\'", 5, "unterminated string");
  assert_path_error ("X.K='a\"", 5, "unterminated string");
  assert_path_error ("X.K='a\\qb'", 7, "invalid escape sequence");
  assert_path_error ("X.K='a'b", 8, "expected ',' or end of path");
  assert_path_error ("X.K=`a`", 5, "expected key value");
}

/* A path without a server, or naming ".", "localhost" or this host's name (any case),
 * names the local server; any other name, another one. */
Test (objpath, which_servers_are_local, .timeout = 30)
{
  g_autofree char *upper = g_ascii_strup (g_get_host_name (), -1);
  g_autofree char *mine = g_strdup_printf ("\\\\%s\\root\\cimv2:X", upper);
  g_autoptr (WsimObjectPath) here = parse_ok (mine);
  g_autoptr (WsimObjectPath) there = parse_ok ("//otherhost/root/cimv2:Win32_Process.Handle=\"1\"");

  cr_assert (wsim_object_path_server_is_local (NULL));
  cr_assert (wsim_object_path_server_is_local ("."));
  cr_assert (wsim_object_path_server_is_local ("localhost"));
  cr_assert (wsim_object_path_server_is_local ("LocalHost"));
  cr_assert (wsim_object_path_server_is_local (g_get_host_name ()));
  cr_assert (wsim_object_path_server_is_local (wsim_object_path_get_server (here)));
  cr_assert_not (wsim_object_path_server_is_local (wsim_object_path_get_server (there)));
  cr_assert_not (wsim_object_path_server_is_local (""));
  cr_assert_not (wsim_object_path_server_is_local (".."));
  cr_assert_not (wsim_object_path_server_is_local ("localhost.example"));
}

/* ---------------------------------------------------------------- bounds (issue 16) */

/* "C.K0=0,…" with @n keys, key @dup (if < n) renamed to a case variant of key 0. */
static char *
keys_path (guint n, guint dup)
{
  GString *s = g_string_new ("C.");

  for (guint i = 0; i < n; i++)
    {
      if (i == dup)
        g_string_append_printf (s, ",k0=%u", i);
      else
        g_string_append_printf (s, "%sK%u=%u", i == 0 ? "" : ",", i, i);
    }
  return g_string_free (s, FALSE);
}

/* WSIM_OBJECT_PATH_MAX_KEYS keys parse, one more is refused where it starts; a duplicate
 * (any case) found by the set is refused at its own position. */
Test (objpath, key_count_is_bounded_and_duplicates_found_at_any_depth)
{
  g_autofree char *most = keys_path (WSIM_OBJECT_PATH_MAX_KEYS, G_MAXUINT);
  g_autofree char *over = keys_path (WSIM_OBJECT_PATH_MAX_KEYS + 1, G_MAXUINT);
  g_autofree char *dup = keys_path (WSIM_OBJECT_PATH_MAX_KEYS, WSIM_OBJECT_PATH_MAX_KEYS - 1);
  g_autoptr (WsimObjectPath) p = parse_ok (most);
  const char *last = strrchr (over, ',') + 1;
  const char *dup_at = strstr (dup, ",k0=") + 1;

  cr_assert_eq (wsim_object_path_get_n_keys (p), WSIM_OBJECT_PATH_MAX_KEYS);
  assert_path_error (over, (long) (last - over) + 1, "more than 256 keys");
  assert_path_error (dup, (long) (dup_at - dup) + 1, "duplicate key property");
}

/* A path over WSIM_OBJECT_PATH_MAX_LENGTH bytes is refused whatever it holds; one of
 * exactly that length is read (here: one long string key). */
Test (objpath, length_is_bounded)
{
  GString *s = g_string_new ("C.K=\"");
  g_autofree char *fits = NULL;
  g_autofree char *over = NULL;
  g_autoptr (WsimObjectPath) p = NULL;

  while (s->len < WSIM_OBJECT_PATH_MAX_LENGTH - 1)
    g_string_append_c (s, 'x');
  g_string_append_c (s, '"');
  fits = g_strdup (s->str);
  g_string_insert_c (s, 5, 'y');
  over = g_string_free (s, FALSE);
  cr_assert_eq (strlen (fits), WSIM_OBJECT_PATH_MAX_LENGTH);
  p = parse_ok (fits);
  cr_assert_eq (strlen (wsim_object_path_get_key_text (p, 0)), WSIM_OBJECT_PATH_MAX_LENGTH - 6);
  assert_path_error (over, WSIM_OBJECT_PATH_MAX_LENGTH + 1, "longer than 1048576 bytes");
}
