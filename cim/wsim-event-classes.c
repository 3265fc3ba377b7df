/* wsim-event-classes.c: the event system classes and intrinsic event objects (see the header). */
#include "wsim-event-classes.h"

#include <string.h>

#include "wsim-value.h"
#include "wsim_cim.h"

/* One class: its name, its superclass's (NULL: a root) and its own properties. */
typedef struct {
  const char              *name;
  const char              *parent;
  const wsim_property_def *props;
  guint                    n_props;
} EventClassSpec;

#define P(name, type) { (char *) (name), (type), FALSE }

static const wsim_property_def event_props[] = {
  P ("SECURITY_DESCRIPTOR", WSIM_CIM_UINT8_ARRAY),
  P ("TIME_CREATED", CIM_UINT64),
};
static const wsim_property_def operation_props[] = { P ("TargetInstance", CIM_OBJECT) };
static const wsim_property_def modification_props[] = { P ("PreviousInstance", CIM_OBJECT) };
/* IntendedConsumer (an __EventConsumer REF) is left out: there is no __EventConsumer class
 * to point at (a subscription's sink is not one), and a class with a reference property
 * would be taken for an association. */
static const wsim_property_def dropped_props[] = { P ("Event", CIM_OBJECT) };
static const wsim_property_def overflow_props[] = { P ("CurrentQueueSize", CIM_UINT32) };
static const wsim_property_def aggregate_props[] = {
  P ("NumberOfEvents", CIM_UINT32),
  P ("Representative", CIM_OBJECT),
};

#undef P

static const EventClassSpec specs[] = {
  { "__SystemClass", NULL, NULL, 0 },
  { "__IndicationRelated", "__SystemClass", NULL, 0 },
  { "__Event", "__IndicationRelated", event_props, G_N_ELEMENTS (event_props) },
  { "__InstanceOperationEvent", "__Event", operation_props, G_N_ELEMENTS (operation_props) },
  { "__InstanceCreationEvent", "__InstanceOperationEvent", NULL, 0 },
  { "__InstanceDeletionEvent", "__InstanceOperationEvent", NULL, 0 },
  { "__InstanceModificationEvent", "__InstanceOperationEvent", modification_props,
    G_N_ELEMENTS (modification_props) },
  { "__ExtrinsicEvent", "__Event", NULL, 0 },
  { "__SystemEvent", "__ExtrinsicEvent", NULL, 0 },
  { "__EventDroppedEvent", "__SystemEvent", dropped_props, G_N_ELEMENTS (dropped_props) },
  { "__EventQueueOverflowEvent", "__EventDroppedEvent", overflow_props,
    G_N_ELEMENTS (overflow_props) },
  { "__AggregateEvent", "__IndicationRelated", aggregate_props, G_N_ELEMENTS (aggregate_props) },
};

GPtrArray *
wsim_event_classes (void)
{
  static gsize classes;

  if (g_once_init_enter (&classes))
    {
      GPtrArray *all = g_ptr_array_new ();

      for (gsize i = 0; i < G_N_ELEMENTS (specs); i++)
        {
          WsimClass *parent = NULL;

          /* A superclass comes before its subclasses in specs[]. */
          for (guint k = 0; specs[i].parent != NULL && k < all->len; k++)
            if (strcmp (wsim_class_get_name (all->pdata[k]), specs[i].parent) == 0)
              parent = all->pdata[k];
          g_ptr_array_add (all, wsim_class_new (specs[i].name, parent, specs[i].props,
                                                specs[i].n_props, NULL));
        }
      g_once_init_leave (&classes, (gsize) all);
    }
  return (GPtrArray *) classes;
}

WsimClass *
wsim_event_class (const char *name)
{
  GPtrArray *all = wsim_event_classes ();

  for (guint i = 0; name != NULL && i < all->len; i++)
    if (g_ascii_strcasecmp (wsim_class_get_name (all->pdata[i]), name) == 0)
      return all->pdata[i];
  return NULL;
}

/* Seconds from 1601-01-01 to 1970-01-01 (369 years, 89 of them leap years). */
#define FILETIME_UNIX_EPOCH G_GUINT64_CONSTANT (11644473600)

guint64
wsim_event_time_created (void)
{
  return (guint64) g_get_real_time () * 10 + FILETIME_UNIX_EPOCH * 10000000;
}

static wsim_value *
prop (WsimObject *obj, const char *name)
{
  gint idx = wsim_class_find_prop (wsim_object_get_class (obj), name);

  return idx >= 0 ? wsim_object_get_value (obj, (guint) idx) : NULL;
}

WsimObject *
wsim_instance_event_new (const char *event_class, WsimObject *target, WsimObject *previous,
                         guint64 time_created)
{
  WsimClass *cls = wsim_event_class (event_class);
  g_autoptr(WsimObject) event = NULL;

  if (cls == NULL || !wsim_class_is_a (cls, "__InstanceOperationEvent"))
    return NULL;
  event = wsim_object_new (cls);
  wsim_value_set_uint64 (prop (event, "TIME_CREATED"), time_created);
  if (!wsim_value_set_object (prop (event, "TargetInstance"), target))
    return NULL;
  if (previous != NULL
      && (prop (event, "PreviousInstance") == NULL
          || !wsim_value_set_object (prop (event, "PreviousInstance"), previous)))
    return NULL;
  return g_steal_pointer (&event);
}
