/* test-sysprops.c: wsim-system-props, WMI's system properties of an instance.
 *
 * Owns the proof that each of the ten system properties is computed by Microsoft's rules
 * ("WMI System Properties"): names and genus, __DERIVATION parent first and __DYNASTY the
 * root, __RELPATH and __PATH (\\SERVER\NAMESPACE:RELPATH, Class=@ for a keyless class),
 * nulls where the context is unknown, the fallback for a class learnt from the wire, and
 * that other names are refused.
 */
#include <criterion/criterion.h>
#include <glib.h>

#include "wsim-class.h"
#include "wsim-system-props.h"
#include "wsim-value.h"

static WsimClass *
new_class (const char *name, WsimClass *parent, const wsim_property_def *props, guint n)
{
  g_autoptr (GError) error = NULL;
  WsimClass *cls = wsim_class_new (name, parent, props, n, &error);

  cr_assert_not_null (cls, "%s: %s", name, error ? error->message : "?");
  return cls;
}

/* Sim_Base (key Id) <- Sim_Mid (Size) <- Sim_Leaf (Colour), one Sim_Leaf instance Id=7. */
typedef struct {
  WsimClass *base, *mid, *leaf;
  WsimObject *obj;
} Chain;

static Chain
chain_new (void)
{
  wsim_property_def base_props[] = { { (char *) "Id", CIM_UINT32, TRUE } };
  wsim_property_def mid_props[] = { { (char *) "Size", CIM_SINT32, FALSE } };
  wsim_property_def leaf_props[] = { { (char *) "Colour", CIM_STRING, FALSE } };
  Chain c;

  c.base = new_class ("Sim_Base", NULL, base_props, 1);
  c.mid = new_class ("Sim_Mid", c.base, mid_props, 1);
  c.leaf = new_class ("Sim_Leaf", c.mid, leaf_props, 1);
  c.obj = wsim_object_new (c.leaf);
  wsim_object_get_value (c.obj, 0)->type = CIM_UINT32;
  wsim_object_get_value (c.obj, 0)->wsim_value_u.v_uint32 = 7;
  wsim_value_set_string (wsim_object_get_value (c.obj, 2), "red");
  return c;
}

static void
chain_free (Chain *c)
{
  wsim_object_unref (c->obj);
  wsim_class_unref (c->leaf);
  wsim_class_unref (c->mid);
  wsim_class_unref (c->base);
}

/* The property's display form ("" for null). */
static char *
prop_string (WsimObject *obj, const char *name, const char *ns, const char *server)
{
  wsim_value v = { 0 };
  char *s;

  cr_assert (wsim_object_get_system_property (obj, name, ns, server, &v), "%s", name);
  s = wsim_value_to_string (&v);
  wsim_value_clear (&v);
  return s;
}

static void
assert_prop (WsimObject *obj, const char *name, const char *want)
{
  g_autofree char *s = prop_string (obj, name, "root\\sim", "HOST1");

  cr_assert_str_eq (s, want, "%s", name);
}

Test (sysprops, names)
{
  const char *const *names = wsim_system_property_names ();
  guint n = 0;

  for (; names[n] != NULL; n++)
    cr_assert (wsim_is_system_property (names[n]), "%s", names[n]);
  cr_assert_eq (n, 10);
  cr_assert (wsim_is_system_property ("__class"), "WMI names are case-insensitive");
  cr_assert (wsim_is_system_property ("__Property_Count"));
  cr_assert_not (wsim_is_system_property ("Name"));
  cr_assert_not (wsim_is_system_property ("__CLASSX"));
  cr_assert_not (wsim_is_system_property ("_CLASS"));
  cr_assert_not (wsim_is_system_property (""));
  cr_assert_not (wsim_is_system_property (NULL));
}

Test (sysprops, chain)
{
  Chain c = chain_new ();
  wsim_value v = { 0 };

  assert_prop (c.obj, "__CLASS", "Sim_Leaf");
  assert_prop (c.obj, "__SUPERCLASS", "Sim_Mid");
  assert_prop (c.obj, "__DYNASTY", "Sim_Base");
  assert_prop (c.obj, "__DERIVATION", "{Sim_Mid, Sim_Base}");
  assert_prop (c.obj, "__GENUS", "2");
  assert_prop (c.obj, "__PROPERTY_COUNT", "3");
  assert_prop (c.obj, "__RELPATH", "Sim_Leaf.Id=7");
  assert_prop (c.obj, "__PATH", "\\\\HOST1\\root\\sim:Sim_Leaf.Id=7");
  assert_prop (c.obj, "__NAMESPACE", "root\\sim");
  assert_prop (c.obj, "__SERVER", "HOST1");
  assert_prop (c.obj, "__relpath", "Sim_Leaf.Id=7");

  /* The types are Microsoft's: CIM_SINT32 genus and count, CIM_STRING array derivation. */
  cr_assert (wsim_object_get_system_property (c.obj, "__GENUS", NULL, NULL, &v));
  cr_assert_eq (v.type, CIM_SINT32);
  cr_assert (wsim_object_get_system_property (c.obj, "__PROPERTY_COUNT", NULL, NULL, &v));
  cr_assert_eq (v.type, CIM_SINT32);
  cr_assert (wsim_object_get_system_property (c.obj, "__DERIVATION", NULL, NULL, &v));
  cr_assert_eq (v.type, WSIM_CIM_STRING_ARRAY);
  cr_assert_eq (v.wsim_value_u.a_string.a_string_len, 2);
  cr_assert_str_eq (v.wsim_value_u.a_string.a_string_val[0], "Sim_Mid");
  wsim_value_clear (&v);
  chain_free (&c);
}

Test (sysprops, root_and_keyless)
{
  wsim_property_def props[] = { { (char *) "Count", CIM_UINT32, FALSE } };
  g_autoptr (WsimClass) cls = new_class ("Sim_Single", NULL, props, 1);
  g_autoptr (WsimObject) obj = wsim_object_new (cls);
  wsim_value v = { 0 };

  assert_prop (obj, "__RELPATH", "Sim_Single=@");
  assert_prop (obj, "__PATH", "\\\\HOST1\\root\\sim:Sim_Single=@");
  /* A root class: no superclass (null), empty derivation, its own dynasty. */
  assert_prop (obj, "__DYNASTY", "Sim_Single");
  assert_prop (obj, "__DERIVATION", "{}");
  cr_assert (wsim_object_get_system_property (obj, "__SUPERCLASS", "root\\sim", "HOST1", &v));
  cr_assert_eq (v.type, CIM_EMPTY);
  cr_assert (wsim_object_get_system_property (obj, "__DERIVATION", NULL, NULL, &v));
  cr_assert_eq (v.type, WSIM_CIM_STRING_ARRAY);
  cr_assert_eq (v.wsim_value_u.a_string.a_string_len, 0);
  wsim_value_clear (&v);
}

/* Without a namespace or server, the properties that need them are null. */
Test (sysprops, unknown_context)
{
  Chain c = chain_new ();
  wsim_value v = { 0 };

  wsim_value_set_string (&v, "stale");
  cr_assert (wsim_object_get_system_property (c.obj, "__PATH", "root\\sim", NULL, &v));
  cr_assert_eq (v.type, CIM_EMPTY, "the old value is cleared");
  cr_assert (wsim_object_get_system_property (c.obj, "__PATH", NULL, "HOST1", &v));
  cr_assert_eq (v.type, CIM_EMPTY);
  cr_assert (wsim_object_get_system_property (c.obj, "__NAMESPACE", NULL, "HOST1", &v));
  cr_assert_eq (v.type, CIM_EMPTY);
  cr_assert (wsim_object_get_system_property (c.obj, "__SERVER", "root\\sim", NULL, &v));
  cr_assert_eq (v.type, CIM_EMPTY);
  chain_free (&c);
}

/* A class learnt from the wire knows its superclass's name only: that name ends the chain. */
Test (sysprops, wire_class)
{
  wsim_property_def props[] = { { (char *) "Id", CIM_UINT32, TRUE } };
  wsim_class_def def = { .name = (char *) "Sim_Leaf", .superclass = (char *) "Sim_Mid",
                         .props = { .props_len = 1, .props_val = props } };
  g_autoptr (GError) error = NULL;
  g_autoptr (WsimClass) cls = wsim_class_new_from_def (&def, &error);
  g_autoptr (WsimObject) obj = NULL;

  cr_assert_not_null (cls, "%s", error ? error->message : "?");
  obj = wsim_object_new (cls);
  assert_prop (obj, "__SUPERCLASS", "Sim_Mid");
  assert_prop (obj, "__DERIVATION", "{Sim_Mid}");
  assert_prop (obj, "__DYNASTY", "Sim_Mid");
}

Test (sysprops, not_a_system_property)
{
  Chain c = chain_new ();
  wsim_value v = { 0 };

  wsim_value_set_string (&v, "stale");
  cr_assert_not (wsim_object_get_system_property (c.obj, "Colour", "root\\sim", "HOST1", &v));
  cr_assert_eq (v.type, CIM_EMPTY);
  cr_assert_not (wsim_object_get_system_property (c.obj, "__NOPE", "root\\sim", "HOST1", &v));
  chain_free (&c);
}
