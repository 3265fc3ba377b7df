/* test-event-classes.c: WMI's event system classes and intrinsic event objects
 * (cim/wsim-event-classes.h). */
#include <criterion/criterion.h>

#include "wsim-event-classes.h"
#include "wsim-value.h"

static WsimClass *
target_class (void)
{
  static const wsim_property_def props[] = {
    { (char *) "Handle", CIM_STRING, TRUE },
    { (char *) "Name", CIM_STRING, FALSE },
  };

  return wsim_class_new ("Test_Process", NULL, props, G_N_ELEMENTS (props), NULL);
}

static WsimObject *
process (WsimClass *cls, const char *handle, const char *name)
{
  WsimObject *obj = wsim_object_new (cls);

  wsim_value_set_string (wsim_object_get_value (obj, 0), handle);
  wsim_value_set_string (wsim_object_get_value (obj, 1), name);
  return obj;
}

/* The embedded object of @event's property @prop, as an instance. */
static WsimObject *
embedded (WsimObject *event, const char *prop)
{
  const wsim_value *v = wsim_object_lookup (event, prop);
  g_autoptr(GError) error = NULL;
  WsimObject *obj;

  cr_assert_not_null (v, "%s", prop);
  cr_assert_eq (v->type, CIM_OBJECT, "%s is of type %u", prop, v->type);
  obj = wsim_value_dup_object (v, &error);
  cr_assert_not_null (obj, "%s", error != NULL ? error->message : "");
  return obj;
}

static const char *
str (WsimObject *obj, const char *prop)
{
  const wsim_value *v = wsim_object_lookup (obj, prop);

  cr_assert_not_null (v, "%s", prop);
  cr_assert_eq (v->type, CIM_STRING);
  return v->wsim_value_u.v_string;
}

Test (event_classes, the_hierarchy_is_wmis)
{
  static const struct { const char *name, *parent; } want[] = {
    { "__SystemClass", NULL },
    { "__IndicationRelated", "__SystemClass" },
    { "__Event", "__IndicationRelated" },
    { "__InstanceOperationEvent", "__Event" },
    { "__InstanceCreationEvent", "__InstanceOperationEvent" },
    { "__InstanceDeletionEvent", "__InstanceOperationEvent" },
    { "__InstanceModificationEvent", "__InstanceOperationEvent" },
    { "__ExtrinsicEvent", "__Event" },
    { "__SystemEvent", "__ExtrinsicEvent" },
    { "__EventDroppedEvent", "__SystemEvent" },
    { "__EventQueueOverflowEvent", "__EventDroppedEvent" },
    { "__AggregateEvent", "__IndicationRelated" },
  };
  GPtrArray *all = wsim_event_classes ();

  cr_assert_eq (all->len, G_N_ELEMENTS (want));
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    {
      WsimClass *cls = wsim_event_class (want[i].name);
      g_autofree char *upper = g_ascii_strup (want[i].name, -1);
      WsimClass *parent;

      cr_assert_not_null (cls, "%s", want[i].name);
      cr_assert_eq (wsim_event_class (upper), cls, "names are case-insensitive");
      parent = wsim_class_get_parent (cls);
      if (want[i].parent == NULL)
        cr_assert_null (parent, "%s", want[i].name);
      else
        cr_assert_str_eq (wsim_class_get_name (parent), want[i].parent, "%s", want[i].name);
    }
  cr_assert_null (wsim_event_class ("Win32_Process"));
  cr_assert_null (wsim_event_class (NULL));
}

Test (event_classes, properties_have_microsofts_types)
{
  WsimClass *mod = wsim_event_class ("__InstanceModificationEvent");
  WsimClass *overflow = wsim_event_class ("__EventQueueOverflowEvent");
  static const struct { const char *name; guint32 type; } mod_props[] = {
    { "SECURITY_DESCRIPTOR", WSIM_CIM_UINT8_ARRAY },
    { "TIME_CREATED", CIM_UINT64 },
    { "TargetInstance", CIM_OBJECT },
    { "PreviousInstance", CIM_OBJECT },
  };

  cr_assert_eq (wsim_class_get_n_props (mod), G_N_ELEMENTS (mod_props));
  for (gsize i = 0; i < G_N_ELEMENTS (mod_props); i++)
    {
      gint idx = wsim_class_find_prop (mod, mod_props[i].name);

      cr_assert_geq (idx, 0, "%s", mod_props[i].name);
      cr_assert_eq (wsim_class_get_prop (mod, (guint) idx)->cimtype, mod_props[i].type, "%s",
                    mod_props[i].name);
    }
  cr_assert_eq (wsim_class_get_prop (overflow, (guint) wsim_class_find_prop (overflow, "CurrentQueueSize"))->cimtype,
                CIM_UINT32);
  /* No reference property: an event class is no association. */
  for (guint i = 0; i < wsim_class_get_n_props (overflow); i++)
    cr_assert_neq (wsim_class_get_prop (overflow, i)->cimtype, CIM_REFERENCE);
}

Test (event_classes, a_creation_embeds_a_copy_of_its_target)
{
  g_autoptr(WsimClass) cls = target_class ();
  g_autoptr(WsimObject) p = process (cls, "42", "sleep");
  g_autoptr(WsimObject) event = wsim_instance_event_new ("__InstanceCreationEvent", p, NULL, 7);
  g_autoptr(WsimObject) target = NULL;
  const wsim_value *t;

  cr_assert_not_null (event);
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (event)), "__InstanceCreationEvent");
  t = wsim_object_lookup (event, "TIME_CREATED");
  cr_assert_eq (t->type, CIM_UINT64);
  cr_assert_eq (t->wsim_value_u.v_uint64, 7);
  /* A copy: changing the instance afterwards does not change the event. */
  wsim_value_set_string (wsim_object_get_value (p, 1), "changed");
  target = embedded (event, "TargetInstance");
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (target)), "Test_Process");
  cr_assert_str_eq (str (target, "Handle"), "42");
  cr_assert_str_eq (str (target, "Name"), "sleep");
  cr_assert (wsim_value_is_null (wsim_object_lookup (event, "SECURITY_DESCRIPTOR")));
}

Test (event_classes, a_modification_carries_the_previous_instance)
{
  g_autoptr(WsimClass) cls = target_class ();
  g_autoptr(WsimObject) before = process (cls, "42", "sleep");
  g_autoptr(WsimObject) after = process (cls, "42", "sleeping");
  g_autoptr(WsimObject) event = wsim_instance_event_new ("__InstanceModificationEvent", after,
                                                         before, wsim_event_time_created ());
  g_autoptr(WsimObject) target = NULL, previous = NULL;

  cr_assert_not_null (event);
  target = embedded (event, "TargetInstance");
  previous = embedded (event, "PreviousInstance");
  cr_assert_str_eq (str (target, "Name"), "sleeping");
  cr_assert_str_eq (str (previous, "Name"), "sleep");
}

Test (event_classes, only_instance_operation_events_are_built)
{
  g_autoptr(WsimClass) cls = target_class ();
  g_autoptr(WsimObject) p = process (cls, "1", "x");

  cr_assert_null (wsim_instance_event_new ("__ExtrinsicEvent", p, NULL, 0));
  cr_assert_null (wsim_instance_event_new ("__InstanceOperationEvent_Nope", p, NULL, 0));
  cr_assert_null (wsim_instance_event_new ("Test_Process", p, NULL, 0));
  /* A previous instance where the class has no PreviousInstance: refused, not dropped. */
  cr_assert_null (wsim_instance_event_new ("__InstanceCreationEvent", p, p, 0));
}

Test (event_classes, time_created_counts_from_1601)
{
  /* 2024-01-01T00:00:00Z is 133485408000000000 in FILETIME units. */
  guint64 now = wsim_event_time_created ();

  cr_assert_gt (now, G_GUINT64_CONSTANT (133485408000000000));
  cr_assert_lt (now, G_GUINT64_CONSTANT (133485408000000000) + G_GUINT64_CONSTANT (10000000) * 86400 * 365 * 100);
}
