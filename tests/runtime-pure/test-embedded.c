/* test-embedded.c: embedded objects (CIM_OBJECT) in the value model.
 *
 * Owns the proof that wsim_value_set_object() embeds a deep copy (nothing shared with the
 * object it came from), that wsim_value_dup_object() gives the instance back, that copies,
 * XDR round trips and clears of nested objects are whole (leaks and double frees show under
 * the valgrind and sanitize setups), that the display form is the one-line MOF instance
 * text, that embedding stops at WSIM_MAX_NESTING, and that classes declare object
 * properties.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <rpc/rpc.h>

#include "wsim-class.h"
#include "wsim-hresult.h"
#include "wsim-value.h"
#include "wsim_cim.h"

TestSuite (embedded, .timeout = 30);

static WsimClass *
target_class (void)
{
  static const wsim_property_def props[] = {
    { .name = (char *) "Name", .cimtype = CIM_STRING, .is_key = TRUE },
    { .name = (char *) "Size", .cimtype = CIM_UINT32 },
  };
  g_autoptr(GError) error = NULL;
  WsimClass *cls = wsim_class_new ("Sim_Target", NULL, props, G_N_ELEMENTS (props), &error);

  cr_assert_not_null (cls, "%s", error ? error->message : "");
  return cls;
}

static WsimClass *
holder_class (void)
{
  static const wsim_property_def props[] = {
    { .name = (char *) "Id", .cimtype = CIM_UINT32, .is_key = TRUE },
    { .name = (char *) "TargetInstance", .cimtype = CIM_OBJECT },
    { .name = (char *) "Many", .cimtype = CIM_OBJECT | CIM_FLAG_ARRAY },
  };
  g_autoptr(GError) error = NULL;
  WsimClass *cls = wsim_class_new ("Sim_Holder", NULL, props, G_N_ELEMENTS (props), &error);

  cr_assert_not_null (cls, "an object property is refused: %s", error ? error->message : "");
  return cls;
}

static WsimObject *
target (const char *name, guint32 size)
{
  g_autoptr(WsimClass) cls = target_class ();
  WsimObject *obj = wsim_object_new (cls);

  wsim_value_set_string (wsim_object_get_value (obj, 0), name);
  if (size > 0)
    cr_assert (wsim_value_set_integer (wsim_object_get_value (obj, 1), CIM_UINT32, FALSE, 0, size));
  return obj;
}

static void
assert_text (const wsim_value *v, const char *expected)
{
  g_autofree char *s = wsim_value_to_string (v);

  cr_assert_str_eq (s, expected);
}

Test (embedded, set_object_embeds_a_deep_copy)
{
  g_autoptr(WsimObject) obj = target ("alpha", 1);
  wsim_value v = { 0 };

  cr_assert (wsim_value_set_object (&v, obj));
  cr_assert_eq (v.type, CIM_OBJECT);
  /* Changing the object afterwards leaves the embedded copy as it was. */
  wsim_value_set_string (wsim_object_get_value (obj, 0), "changed");
  assert_text (&v, "instance of Sim_Target { Name = \"alpha\"; Size = 1; }");
  cr_assert_str_eq (v.wsim_value_u.v_object->cls.name, "Sim_Target");
  cr_assert_eq (v.wsim_value_u.v_object->cls.props.props_val[0].is_key, TRUE);
  cr_assert (wsim_value_set_object (&v, NULL));
  cr_assert (wsim_value_is_null (&v), "a NULL object sets null");
}

Test (embedded, dup_object_gives_the_instance_back)
{
  g_autoptr(WsimObject) obj = target ("alpha", 7);
  g_autoptr(WsimObject) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  wsim_value v = { 0 };

  cr_assert (wsim_value_set_object (&v, obj));
  back = wsim_value_dup_object (&v, &error);
  cr_assert_not_null (back, "%s", error ? error->message : "");
  wsim_value_clear (&v);   /* the instance owns copies, not the value's memory */
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (back)), "Sim_Target");
  path = wsim_object_get_path (back);
  cr_assert_str_eq (path, "Sim_Target.Name=\"alpha\"");
  cr_assert_eq (wsim_object_lookup (back, "Size")->wsim_value_u.v_uint32, 7);
}

Test (embedded, dup_object_refuses_what_is_not_an_object)
{
  g_autoptr(GError) error = NULL;
  wsim_value v = { 0 };
  g_autoptr(WsimObject) obj = target ("alpha", 1);

  wsim_value_set_string (&v, "instance of Sim_Target { }");
  cr_assert_null (wsim_value_dup_object (&v, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, WBEM_E_TYPE_MISMATCH));
  g_clear_error (&error);

  /* A peer's object whose values do not match its properties one for one. */
  cr_assert (wsim_value_set_object (&v, obj));
  v.wsim_value_u.v_object->values.values_len = 1;   /* the second value is still freed */
  cr_assert_null (wsim_value_dup_object (&v, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, WBEM_E_INVALID_OBJECT), "%s",
             error ? error->message : "");
  v.wsim_value_u.v_object->values.values_len = 2;
  wsim_value_clear (&v);
}

/* A Sim_Holder with TargetInstance @inner and Many {a, b}. */
static WsimObject *
holder (WsimObject *inner)
{
  g_autoptr(WsimClass) cls = holder_class ();
  g_autoptr(WsimObject) a = target ("a", 1);
  g_autoptr(WsimObject) b = target ("b \"q\"\\", 0);
  WsimObject *obj = wsim_object_new (cls);
  wsim_value *many = wsim_object_get_value (obj, 2);
  wsim_value elem = { 0 };

  cr_assert (wsim_value_set_integer (wsim_object_get_value (obj, 0), CIM_UINT32, FALSE, 0, 9));
  cr_assert (wsim_value_set_object (wsim_object_get_value (obj, 1), inner));
  /* An array of objects is built from object values moved into the array's elements. */
  many->type = WSIM_CIM_OBJECT_ARRAY;
  many->wsim_value_u.a_object.a_object_len = 2;
  many->wsim_value_u.a_object.a_object_val = g_new0 (wsim_embedded, 2);
  cr_assert (wsim_value_set_object (&elem, a));
  many->wsim_value_u.a_object.a_object_val[0] = *elem.wsim_value_u.v_object;
  g_free (elem.wsim_value_u.v_object);
  elem = (wsim_value) { 0 };
  cr_assert (wsim_value_set_object (&elem, b));
  many->wsim_value_u.a_object.a_object_val[1] = *elem.wsim_value_u.v_object;
  g_free (elem.wsim_value_u.v_object);
  return obj;
}

Test (embedded, nested_objects_print_copy_and_travel_whole)
{
  static const char text[] =
    "instance of Sim_Holder { Id = 9; TargetInstance = instance of Sim_Target { Name = "
    "\"alpha\"; Size = 1; }; Many = {instance of Sim_Target { Name = \"a\"; Size = 1; }, "
    "instance of Sim_Target { Name = \"b \\\"q\\\"\\\\\"; }}; }";
  g_autoptr(WsimObject) inner = target ("alpha", 1);
  g_autoptr(WsimObject) obj = holder (inner);
  wsim_value v = { 0 }, copy = { 0 }, decoded = { 0 };
  char buf[4096];
  XDR xdrs;
  u_int len;

  cr_assert (wsim_value_set_object (&v, obj));
  assert_text (&v, text);

  wsim_value_copy (&v, &copy);
  wsim_value_clear (&v);   /* the copy shares nothing with the original */
  assert_text (&copy, text);

  xdrmem_create (&xdrs, buf, sizeof buf, XDR_ENCODE);
  cr_assert (xdr_wsim_value (&xdrs, &copy));
  len = xdr_getpos (&xdrs);
  xdr_destroy (&xdrs);
  xdrmem_create (&xdrs, buf, len, XDR_DECODE);
  cr_assert (xdr_wsim_value (&xdrs, &decoded));
  cr_assert_eq (xdr_getpos (&xdrs), len);
  xdr_destroy (&xdrs);
  assert_text (&decoded, text);
  wsim_value_clear (&copy);
  wsim_value_clear (&decoded);
}

Test (embedded, objects_compare_with_nothing_and_json_nests_them)
{
  g_autoptr(WsimObject) obj = target ("alpha", 1);
  g_autoptr(GString) json = g_string_new (NULL);
  wsim_value v = { 0 };
  int cmp = 42;

  cr_assert (wsim_value_set_object (&v, obj));
  cr_assert_not (wsim_value_compare (&v, &v, &cmp), "an object compared");
  cr_assert_eq (cmp, 42);
  /* JSON: the nested object, as an instance is written ("__CLASS", then the properties). */
  wsim_value_to_json (&v, json);
  cr_assert_str_eq (json->str, "{\"__CLASS\":\"Sim_Target\",\"Name\":\"alpha\",\"Size\":1}");
  wsim_value_clear (&v);
}

Test (embedded, embedding_stops_at_the_nesting_bound)
{
  /* An object's depth counts itself and the objects inside: a target is 1, a holder of an
   * object of depth d is d + 1. A value may hold an object up to WSIM_MAX_NESTING deep. */
  g_autoptr(WsimClass) cls = holder_class ();
  g_autoptr(WsimObject) level = target ("innermost", 1);
  wsim_value v = { 0 };

  for (guint depth = 2; depth <= WSIM_MAX_NESTING + 1; depth++)
    {
      WsimObject *next = wsim_object_new (cls);

      cr_assert (wsim_value_set_object (wsim_object_get_value (next, 1), level),
                 "embedding an object of depth %u", depth - 1);
      wsim_object_unref (level);
      level = next;
    }
  /* level is WSIM_MAX_NESTING + 1 deep: no value may hold it, nor could the wire. */
  wsim_value_set_string (&v, "old");
  cr_assert_not (wsim_value_set_object (&v, level));
  cr_assert (wsim_value_is_null (&v), "a refused object leaves null");
}
