/* wsim-event-classes.h: WMI's event system classes, and the intrinsic event objects.
 *
 * Internal. The classes, as Microsoft's "WMI System Classes" pages define them (base first
 * here, where the pages list properties alphabetically):
 *
 *   __SystemClass                        (the root of WMI's system classes)
 *   └── __IndicationRelated
 *       ├── __Event                          uint8 SECURITY_DESCRIPTOR[], uint64 TIME_CREATED
 *       │   ├── __InstanceOperationEvent     object TargetInstance
 *       │   │   ├── __InstanceCreationEvent
 *       │   │   ├── __InstanceDeletionEvent
 *       │   │   └── __InstanceModificationEvent   object PreviousInstance
 *       │   └── __ExtrinsicEvent             (a provider's own derive from it)
 *       │       └── __SystemEvent
 *       │           └── __EventDroppedEvent  object Event (IntendedConsumer left out: no
 *       │               │                    __EventConsumer class, and a REF would make it
 *       │               │                    an association)
 *       │               └── __EventQueueOverflowEvent   uint32 CurrentQueueSize
 *       └── __AggregateEvent                 uint32 NumberOfEvents, object Representative
 *
 * Every namespace of a repository has them, so that an event query names them and a
 * provider's extrinsic event class can derive from __ExtrinsicEvent. They are built once
 * per process and immutable.
 *
 * Threading: any thread.
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"

G_BEGIN_DECLS

/**
 * wsim_event_classes:
 * Returns: (transfer none) (element-type WsimClass) the event classes above, each after its
 *   superclass; they live as long as the process.
 */
GPtrArray *wsim_event_classes (void);

/**
 * wsim_event_class:
 * @name: a class of wsim_event_classes(), in any case
 * Returns: (transfer none) (nullable) that class, or NULL when @name is none of them.
 */
WsimClass *wsim_event_class (const char *name);

/**
 * wsim_event_time_created:
 * Returns: now, as __Event.TIME_CREATED counts: 100-nanosecond intervals since January 1,
 *   1601, UTC.
 */
guint64 wsim_event_time_created (void);

/**
 * wsim_instance_event_new:
 * @event_class: "__InstanceCreationEvent", "__InstanceDeletionEvent" or
 *   "__InstanceModificationEvent"
 * @target: (transfer none) the instance the event is about (TargetInstance)
 * @previous: (transfer none) (nullable) for a modification, the instance before
 *   (PreviousInstance); NULL otherwise
 * @time_created: its TIME_CREATED (wsim_event_time_created())
 * Returns: (transfer full) (nullable) the event object, its instances embedded as copies; NULL
 *   for an unknown @event_class or an instance nested too deep to embed.
 */
WsimObject *wsim_instance_event_new (const char *event_class, WsimObject *target,
                                     WsimObject *previous, guint64 time_created);

G_END_DECLS
