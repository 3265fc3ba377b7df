/* test-mof.c: wsim-mof, the MOF compiler.
 *
 * Owns the proof that the subset of docs/mof.md compiles into the classes and instances it
 * says (namespaces, inheritance, keys, every type, arrays, defaults, escapes, methods kept),
 * and that each error names its WBEMMOF_E_* code and the exact FILE:LINE:COLUMN.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-hresult.h"
#include "wsim-mof.h"
#include "wsim-value.h"
#include "wsim_cim.h"

TestSuite (mof, .timeout = 10);

static WsimMofNamespace *
ns_at (WsimMofResult *r, guint i)
{
  cr_assert_lt (i, r->namespaces->len);
  return g_ptr_array_index (r->namespaces, i);
}

static char *
prop_string (WsimObject *obj, const char *name)
{
  const wsim_value *v = wsim_object_lookup (obj, name);

  cr_assert_not_null (v, "no property %s", name);
  return wsim_value_to_string (v);
}

#define assert_prop(obj, name, text)                                   \
  do {                                                                 \
    g_autofree char *s_ = prop_string ((obj), (name));                 \
    cr_assert_str_eq (s_, (text), "%s: %s", (name), s_);               \
  } while (0)

Test (mof, sample_file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimMofResult) r = wsim_mof_compile_file (WSIM_MOF_EXAMPLE, NULL, NULL, &error);
  WsimMofNamespace *ns;
  WsimMofClass *thing, *widget;
  WsimMofMethod *m;
  WsimObject *alpha, *beta, *gamma;
  const wsim_value *v;

  cr_assert_null (error, "%s", error ? error->message : "");
  cr_assert_eq (r->namespaces->len, 1);
  ns = ns_at (r, 0);
  cr_assert_str_eq (ns->name, "root\\test");
  cr_assert_eq (ns->classes->len, 2);
  thing = g_ptr_array_index (ns->classes, 0);
  widget = g_ptr_array_index (ns->classes, 1);
  cr_assert_str_eq (wsim_class_get_name (thing->cls), "Sim_Thing");
  cr_assert (thing->is_abstract);
  cr_assert_eq (thing->qualifiers->len, 2);
  cr_assert_str_eq (wsim_class_get_name (widget->cls), "Sim_Widget");
  cr_assert_eq (wsim_class_get_parent (widget->cls), thing->cls);
  cr_assert_eq (wsim_mof_result_find_class (r, "ROOT\\TEST", "sim_widget"), widget);

  /* Inherited properties first, key from the qualifier, declared types. */
  cr_assert_eq (wsim_class_get_n_props (widget->cls), 11);
  cr_assert_str_eq (wsim_class_get_prop (widget->cls, 0)->name, "Name");
  cr_assert (wsim_class_get_prop (widget->cls, 0)->is_key);
  cr_assert_not (wsim_class_get_prop (widget->cls, 1)->is_key);
  cr_assert_eq (wsim_class_get_prop (widget->cls, 2)->cimtype, CIM_BOOLEAN);
  cr_assert_eq (wsim_class_get_prop (widget->cls, 8)->cimtype, CIM_STRING | CIM_FLAG_ARRAY);
  cr_assert_eq (wsim_class_get_prop (widget->cls, 9)->cimtype, CIM_UINT8 | CIM_FLAG_ARRAY);
  cr_assert_eq (wsim_class_get_prop (widget->cls, 10)->cimtype, CIM_REFERENCE);
  cr_assert_str_eq (((WsimMofProperty *) g_ptr_array_index (widget->properties, 8))->ref_class,
                    "Sim_Thing");

  /* The method is kept with its parameters. */
  cr_assert_eq (widget->methods->len, 1);
  m = g_ptr_array_index (widget->methods, 0);
  cr_assert_str_eq (m->name, "Reset");
  cr_assert (m->is_static);
  cr_assert_eq (m->return_type, CIM_UINT32);
  cr_assert_eq (m->params->len, 2);
  cr_assert (((WsimMofParam *) g_ptr_array_index (m->params, 0))->in);
  cr_assert_not (((WsimMofParam *) g_ptr_array_index (m->params, 0))->out);
  cr_assert (((WsimMofParam *) g_ptr_array_index (m->params, 1))->out);
  cr_assert_eq (((WsimMofParam *) g_ptr_array_index (m->params, 1))->cimtype, CIM_UINT32);

  cr_assert_eq (ns->instances->len, 3);
  alpha = g_ptr_array_index (ns->instances, 0);
  beta = g_ptr_array_index (ns->instances, 1);
  gamma = g_ptr_array_index (ns->instances, 2);
  assert_prop (alpha, "Name", "alpha");
  assert_prop (alpha, "Count", "3");
  assert_prop (alpha, "Enabled", "TRUE");        /* default */
  assert_prop (alpha, "Weight", "1.5");
  assert_prop (alpha, "Offset", "-2");
  assert_prop (alpha, "Serial", "18446744073709551615");
  assert_prop (alpha, "Grade", "A");
  assert_prop (alpha, "Made", "20240101120000.000000+000");
  assert_prop (alpha, "Tags", "{red, small}");
  assert_prop (alpha, "Levels", "{1, 2, 3}");
  cr_assert_eq (wsim_object_lookup (alpha, "Offset")->type, CIM_SINT16);
  cr_assert_eq (wsim_object_lookup (alpha, "Levels")->type, CIM_UINT8 | CIM_FLAG_ARRAY);
  cr_assert (wsim_value_is_null (wsim_object_lookup (alpha, "Owner")));
  assert_prop (beta, "Name", "beta \"quoted\"");
  assert_prop (beta, "Count", "1");              /* inherited default */
  assert_prop (beta, "Enabled", "FALSE");
  assert_prop (beta, "Owner", "Sim_Widget.Name=\"alpha\"");
  v = wsim_object_lookup (beta, "Owner");
  cr_assert_eq (v->type, CIM_REFERENCE);
  cr_assert (wsim_value_is_null (wsim_object_lookup (beta, "Tags")));
  assert_prop (gamma, "Count", "7");
  {
    g_autofree char *path = wsim_object_get_path (gamma);
    cr_assert_str_eq (path, "Sim_Widget.Name=\"gamma\"");
  }
}

Test (mof, every_type_and_literal)
{
  static const char text[] =
    "#pragma namespace(\"root\\\\a\")\n"
    "class T { [key] sint8 a; uint8 b; sint16 c; uint16 d; sint32 e; uint32 f;\n"
    "  sint64 g; uint64 h; real32 i; real64 j; boolean k; string l; datetime m; char16 n;\n"
    "  sint64 o[]; real64 p[3]; boolean q[]; char16 r[]; datetime s[]; };\n"
    "instance of T { a = -128; b = 255; c = -0x10; d = 0xffff; e = -2147483648;\n"
    "  f = 4294967295; g = -9223372036854775808; h = 18446744073709551615; i = 2.5e-1;\n"
    "  j = -1e-3; k = true; l = \"tab\\there\" \" and \\x263A\"; m = \"00000001020304.000005:000\";\n"
    "  n = 65; o = {1, -010}; p = {1, 2.5}; q = {TRUE, FALSE}; r = {'x', 'y'};\n"
    "  s = {\"20240101120000.000000-060\"}; };\n"
    "#pragma namespace(\"sub\")\n"
    "class U { string x = \"d\"; };\n"
    "instance of U { };\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimMofResult) r = wsim_mof_compile_string (text, "t.mof", NULL, NULL, &error);
  WsimObject *o;

  cr_assert_null (error, "%s", error ? error->message : "");
  cr_assert_eq (r->namespaces->len, 2);
  cr_assert_str_eq (ns_at (r, 0)->name, "root\\a");
  cr_assert_str_eq (ns_at (r, 1)->name, "root\\a\\sub");
  o = g_ptr_array_index (ns_at (r, 0)->instances, 0);
  assert_prop (o, "a", "-128");
  assert_prop (o, "b", "255");
  assert_prop (o, "c", "-16");
  assert_prop (o, "d", "65535");
  assert_prop (o, "e", "-2147483648");
  assert_prop (o, "f", "4294967295");
  assert_prop (o, "g", "-9223372036854775808");
  assert_prop (o, "h", "18446744073709551615");
  assert_prop (o, "i", "0.25");
  assert_prop (o, "j", "-0.001");
  assert_prop (o, "k", "TRUE");
  assert_prop (o, "l", "tab\there and \xe2\x98\xba");
  assert_prop (o, "m", "00000001020304.000005:000");
  assert_prop (o, "n", "A");
  assert_prop (o, "o", "{1, -8}");
  assert_prop (o, "p", "{1, 2.5}");
  assert_prop (o, "q", "{TRUE, FALSE}");
  assert_prop (o, "r", "{x, y}");
  assert_prop (o, "s", "{20240101120000.000000-060}");
  cr_assert_eq (wsim_object_lookup (o, "i")->type, CIM_REAL32);
  cr_assert_eq (wsim_object_lookup (o, "n")->type, CIM_CHAR16);
  o = g_ptr_array_index (ns_at (r, 1)->instances, 0);
  assert_prop (o, "x", "d");
}

Test (mof, default_namespace_and_server_prefix)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimMofResult) r =
    wsim_mof_compile_string ("class A { };\n#pragma namespace (\"\\\\\\\\host\\\\ROOT\\\\x\")\n"
                             "class B { };", "t.mof", NULL, NULL, &error);

  cr_assert_null (error, "%s", error ? error->message : "");
  cr_assert_str_eq (ns_at (r, 0)->name, "root\\default");
  cr_assert_str_eq (ns_at (r, 1)->name, "root\\x");
}

/* A superclass from the repository the MOF is loaded into. */
static WsimClass *
lookup_base (const char *ns, const char *name, gpointer data)
{
  cr_assert_str_eq (ns, "root\\default");
  return g_ascii_strcasecmp (name, "Repo_Base") == 0 ? data : NULL;
}

Test (mof, superclass_from_lookup)
{
  wsim_property_def props[] = { { (char *) "Id", CIM_UINT32, TRUE } };
  g_autoptr (WsimClass) base = wsim_class_new ("Repo_Base", NULL, props, 1, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimMofResult) r =
    wsim_mof_compile_string ("class D : Repo_Base { string S; };\n"
                             "instance of D { Id = 4; S = \"s\"; };", "t.mof",
                             lookup_base, base, &error);
  WsimMofClass *d;

  cr_assert_null (error, "%s", error ? error->message : "");
  d = g_ptr_array_index (ns_at (r, 0)->classes, 0);
  cr_assert_eq (wsim_class_get_parent (d->cls), base);
  cr_assert_eq (wsim_class_get_n_props (d->cls), 2);
  assert_prop (g_ptr_array_index (ns_at (r, 0)->instances, 0), "Id", "4");
}

/* ---- errors: each with its code and FILE:LINE:COLUMN ------------------------------ */

static void
assert_error (const char *text, WsimHResult code, const char *where, const char *says)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimMofResult) r = wsim_mof_compile_string (text, "e.mof", NULL, NULL, &error);
  g_autofree char *prefix = g_strdup_printf ("e.mof:%s: ", where);

  cr_assert_null (r, "compiled: %s", text);
  cr_assert_not_null (error);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) code),
             "%s: code 0x%08x, expected 0x%08x (%s)", text, (guint) error->code, code,
             error->message);
  cr_assert (g_str_has_prefix (error->message, prefix), "'%s' does not begin with '%s'",
             error->message, prefix);
  cr_assert (strstr (error->message, says) != NULL, "'%s' does not say '%s'", error->message,
             says);
}

Test (mof, error_unknown_type)
{
  assert_error ("class A {\n  uint33 x;\n};", WBEMMOF_E_UNRECOGNIZED_TYPE, "2:3", "uint33");
  /* A class name is a type (an embedded object) only once the class is declared. */
  assert_error ("class A { B x; };\nclass B { };", WBEMMOF_E_UNRECOGNIZED_TYPE, "1:11", "B");
}

/* Embedded objects: `object x` (any class) and `Class x` (that class or a subclass), set to
 * `instance of Class { … }` (no key needed inside), nested, printed back as the class's MOF. */
Test (mof, embedded_objects)
{
  static const char text[] =
    "class Emb { [key] string aKey; uint32 n; };\n"
    "class Sub : Emb { string extra; };\n"
    "class Composite { [key] string aKey; object Any; Emb Typed; object Deep; };\n"
    "instance of Composite { aKey = \"c\";\n"
    "  Any = instance of Emb { aKey = \"e\"; n = 3; };\n"
    "  Typed = instance of Sub { extra = \"x\"; };\n"
    "  Deep = instance of Composite { aKey = \"in\"; Any = instance of Emb { n = 1; }; }; };\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimMofResult) r = wsim_mof_compile_string (text, "t.mof", NULL, NULL, &error);
  WsimMofClass *composite;
  WsimObject *c;

  cr_assert_null (error, "%s", error ? error->message : "");
  composite = g_ptr_array_index (ns_at (r, 0)->classes, 2);
  cr_assert_eq (wsim_class_get_prop (composite->cls, 1)->cimtype, CIM_OBJECT);
  cr_assert_eq (wsim_class_get_prop (composite->cls, 2)->cimtype, CIM_OBJECT);
  cr_assert_str_eq (((WsimMofProperty *) g_ptr_array_index (composite->properties, 2))->ref_class,
                    "Emb");
  cr_assert_null (((WsimMofProperty *) g_ptr_array_index (composite->properties, 1))->ref_class);
  c = g_ptr_array_index (ns_at (r, 0)->instances, 0);
  assert_prop (c, "Any", "instance of Emb { aKey = \"e\"; n = 3; }");
  assert_prop (c, "Typed", "instance of Sub { extra = \"x\"; }");
  assert_prop (c, "Deep", "instance of Composite { aKey = \"in\"; Any = instance of Emb { n = 1; }; }");
}

Test (mof, error_embedded_objects)
{
  /* A strongly typed property takes its class or a subclass, nothing else. */
  assert_error ("class E { string s; };\nclass F { };\nclass C { [key] string k; E e; };\n"
                "instance of C { k = \"1\"; e = instance of F { }; };",
                WBEMMOF_E_TYPE_MISMATCH, "4:30", "not of E or a subclass");
  /* An object property takes an instance (or NULL), not a plain literal. */
  assert_error ("class C { [key] string k; object o; };\ninstance of C { k = \"1\"; o = 5; };",
                WBEMMOF_E_TYPE_MISMATCH, "2:30", "object");
}

/* Instances nest down to WSIM_MAX_NESTING (the wire's bound), the outermost value's counted:
 * one more level is refused, so a hostile file cannot recurse the compiler's stack away. */
Test (mof, embedded_objects_nest_to_the_bound)
{
  for (guint depth = WSIM_MAX_NESTING; depth <= WSIM_MAX_NESTING + 1; depth++)
    {
      g_autoptr (GString) text = g_string_new ("class N { [key] string k; object o; };\n"
                                                "instance of N { k = \"top\"; o = ");
      g_autoptr (GError) error = NULL;
      g_autoptr (WsimMofResult) r = NULL;

      for (guint i = 1; i < depth; i++)
        g_string_append (text, "instance of N { o = ");
      g_string_append (text, "instance of N { }");
      for (guint i = 1; i < depth; i++)
        g_string_append (text, "; }");
      g_string_append (text, "; };\n");
      r = wsim_mof_compile_string (text->str, "n.mof", NULL, NULL, &error);
      if (depth <= WSIM_MAX_NESTING)
        cr_assert_null (error, "%u levels: %s", depth, error ? error->message : "");
      else
        cr_assert (error != NULL && strstr (error->message, "nested deeper than 32") != NULL,
                   "%u levels: %s", depth, error ? error->message : "compiled");
    }
}

Test (mof, error_duplicate_property)
{
  assert_error ("class A {\n string x;\n uint32 X; };", WBEMMOF_E_DUPLICATE_PROPERTY, "3:9",
                "declared twice");
  assert_error ("class A { string x; };\nclass B : A { string x; };",
                WBEMMOF_E_DUPLICATE_PROPERTY, "2:22", "inherited");
  assert_error ("class A { string x; };\ninstance of A { x = \"a\"; x = \"b\"; };",
                WBEMMOF_E_DUPLICATE_PROPERTY, "2:26", "given twice");
}

Test (mof, error_undeclared_class)
{
  assert_error ("class A { };\n\ninstance of  Nope { };", WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
                "3:14", "Nope");
  assert_error ("[abstract] class A { };\ninstance of A { };",
                WBEMMOF_E_INVALID_INSTANCE_DECLARATION, "2:13", "abstract");
  assert_error ("class A { };\ninstance of A { y = 1; };",
                WBEMMOF_E_INVALID_INSTANCE_DECLARATION, "2:17", "no property y");
}

Test (mof, error_wrong_type)
{
  assert_error ("class A { uint32 x; };\ninstance of A { x = \"1\"; };",
                WBEMMOF_E_TYPE_MISMATCH, "2:21", "uint32");
  assert_error ("class A { string x = 5; };", WBEMMOF_E_TYPE_MISMATCH, "1:22", "string");
  assert_error ("class A { boolean x[]; };\ninstance of A { x = TRUE; };",
                WBEMMOF_E_TYPE_MISMATCH, "2:21", "array");
  assert_error ("class A { string x; };\ninstance of A { x = {\"a\"}; };",
                WBEMMOF_E_TYPE_MISMATCH, "2:21", "array");
  assert_error ("class A { sint32 x[]; };\ninstance of A { x = {1, 2.5}; };",
                WBEMMOF_E_TYPE_MISMATCH, "2:25", "sint32");
  assert_error ("class A { datetime x; };\ninstance of A { x = \"yesterday\"; };",
                WBEMMOF_E_TYPE_MISMATCH, "2:21", "DMTF");
  assert_error ("class A { uint8 x = 256; };", WBEMMOF_E_OUT_OF_RANGE, "1:21", "uint8");
  assert_error ("class A { uint32 x = -1; };", WBEMMOF_E_OUT_OF_RANGE, "1:22", "uint32");
  assert_error ("class A { sint8 x = -129; };", WBEMMOF_E_OUT_OF_RANGE, "1:21", "sint8");
  assert_error ("class A { uint64 x = 18446744073709551616; };", WBEMMOF_E_OUT_OF_RANGE, "1:22",
                "range");
}

Test (mof, error_unknown_superclass)
{
  assert_error ("class A { };\nclass B :   Missing { };", WBEMMOF_E_INVALID_CLASS_DECLARATION,
                "2:13", "Missing");
  assert_error ("class A { };\nclass a { };", WBEMMOF_E_INVALID_CLASS_DECLARATION, "2:7",
                "already declared");
}

Test (mof, error_missing_key)
{
  assert_error ("class A { [key] string K; string V; };\ninstance of A { V = \"v\"; };",
                WBEMMOF_E_INVALID_INSTANCE_DECLARATION, "2:13", "key property K");
  assert_error ("class A { [key] string K; };\ninstance of A { K = NULL; };",
                WBEMMOF_E_INVALID_INSTANCE_DECLARATION, "2:13", "key property K");
}

Test (mof, error_syntax)
{
  assert_error ("class A { string x }", WBEMMOF_E_EXPECTED_SEMI, "1:20", "expected ';'");
  assert_error ("class A { string x; }", WBEMMOF_E_EXPECTED_SEMI, "1:22", "end of file");
  assert_error ("class A  string x; };", WBEMMOF_E_EXPECTED_OPEN_BRACE, "1:10", "'{'");
  assert_error ("class A { string x;", WBEMMOF_E_EXPECTED_CLOSE_BRACE, "1:20", "'}'");
  assert_error ("[key class A { };", WBEMMOF_E_EXPECTED_CLOSE_BRACKET, "1:6", "']'");
  assert_error ("[Description(\"x\" class A { };", WBEMMOF_E_EXPECTED_CLOSE_PAREN, "1:18",
                "')'");
  assert_error ("[key, key] class A { };", WBEMMOF_E_DUPLICATE_QUALIFIER, "1:7", "twice");
  assert_error ("[1] class A { };", WBEMMOF_E_EXPECTED_QUALIFIER_NAME, "1:2", "qualifier");
  assert_error ("class { };", WBEMMOF_E_EXPECTED_CLASS_NAME, "1:7", "class name");
  assert_error ("class A { string; };", WBEMMOF_E_EXPECTED_PROPERTY_NAME, "1:17", "name");
  assert_error ("class A { 5 x; };", WBEMMOF_E_EXPECTED_TYPE_IDENTIFIER, "1:11", "type");
  assert_error ("class A { string x = ; };", WBEMMOF_E_ILLEGAL_CONSTANT_VALUE, "1:22", "value");
  assert_error ("class A { uint32 x = 12ab; };", WBEMMOF_E_ILLEGAL_CONSTANT_VALUE, "1:22",
                "number");
  assert_error ("class A { uint32 x = 09; };", WBEMMOF_E_ILLEGAL_CONSTANT_VALUE, "1:22", "octal");
  assert_error ("\n  qualifier Q : boolean;", WBEMMOF_E_UNRECOGNIZED_TOKEN, "2:3", "qualifier");
  assert_error ("/* never closed", WBEMMOF_E_UNRECOGNIZED_TOKEN, "1:1", "*/");
  assert_error ("class A { string x = \"open; };", WBEMMOF_E_UNRECOGNIZED_TOKEN, "1:22",
                "not closed");
  assert_error ("class A { string x = \"\\q\"; };", WBEMMOF_E_UNRECOGNIZED_TOKEN, "1:23",
                "escape");
  assert_error ("class A { char16 x = 'ab'; };", WBEMMOF_E_ILLEGAL_CONSTANT_VALUE, "1:22",
                "one character");
  assert_error ("class A { @ };", WBEMMOF_E_UNRECOGNIZED_TOKEN, "1:11", "'@'");
  assert_error ("#pragma classflags(\"x\")", WBEMMOF_E_INVALID_PRAGMA, "1:9", "namespace");
  assert_error ("#include \"x\"", WBEMMOF_E_INVALID_PRAGMA, "1:1", "#pragma");
  assert_error ("#pragma namespace(\"root\\\\\\\\x\")", WBEMMOF_E_INVALID_NAMESPACE_SYNTAX,
                "1:19", "empty element");
  assert_error ("#pragma namespace(root)", WBEMMOF_E_INVALID_NAMESPACE_SYNTAX, "1:19", "string");
  assert_error ("#pragma namespace \"root\"", WBEMMOF_E_EXPECTED_OPEN_PAREN, "1:19", "'('");
  assert_error ("class A { uint32 M(string a; };", WBEMMOF_E_EXPECTED_CLOSE_PAREN, "1:28",
                "')'");
  assert_error ("class A { void x; };", WBEMMOF_E_UNRECOGNIZED_TYPE, "1:16", "void");
  assert_error ("class A { string x; };\ninstance A { };", WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
                "2:10", "'of'");
  /* Columns count characters, not bytes. */
  assert_error ("class A { string x = \"é\" 5; };", WBEMMOF_E_EXPECTED_SEMI, "1:26", "';'");
}

Test (mof, error_file)
{
  g_autoptr (GError) error = NULL;

  cr_assert_null (wsim_mof_compile_file ("/nonexistent/x.mof", NULL, NULL, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEMMOF_E_INVALID_FILE));
  cr_assert (g_str_has_prefix (error->message, "/nonexistent/x.mof:"));
  g_clear_error (&error);
  cr_assert_null (wsim_mof_compile_string ("class \xff A", "bin.mof", NULL, NULL, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEMMOF_E_INVALID_FILE));
  cr_assert (g_str_has_prefix (error->message, "bin.mof:1:1: "), "%s", error->message);
}
