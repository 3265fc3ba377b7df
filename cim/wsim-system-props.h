/**
 * SECTION:wsim-system-props
 * @title: wsim-system-props.h
 * @short_description: WMI's system properties (__CLASS, __PATH, …) of an object
 *
 * WMI gives every class and instance a set of read-only properties whose names begin
 * with a double underscore ("WMI System Properties", Microsoft Learn). They are not in
 * a class's property list (wsim_class_def): they are computed from the object, its
 * class chain and where it lives (namespace, server). This file is that computation,
 * shared by the server (WQL WHERE on __CLASS, …) and the client (the CLI shows them).
 * See docs/wire.md, "System properties", for the rules and what this project computes.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-class.h"
#include "wsim-cim-types.h"

G_BEGIN_DECLS

/**
 * wsim_is_system_property:
 * @name: a property name
 *
 * Returns TRUE if @name is one of the ten WMI system properties this project computes (__CLASS,
 * __SUPERCLASS, __DYNASTY, __DERIVATION, __GENUS, __PROPERTY_COUNT, __RELPATH, __PATH,
 * __NAMESPACE, __SERVER), compared case-insensitively as WMI does.
 *
 * Returns: TRUE if @name is one of the ten WMI system properties this project computes
 *   (__CLASS, __SUPERCLASS, __DYNASTY, __DERIVATION, __GENUS, __PROPERTY_COUNT,
 *   __RELPATH, __PATH, __NAMESPACE, __SERVER), compared case-insensitively as WMI does.
 */
WSIM_EXPORT
gboolean wsim_is_system_property (const char *name);

/**
 * wsim_system_property_names:
 *
 * Returns the system property names, in the order WMI tools print them (__GENUS first, __PATH
 * last). Static storage.
 *
 * Returns: (transfer none) (array zero-terminated=1) the system property names, in the
 *   order WMI tools print them (__GENUS first, __PATH last). Static storage.
 */
WSIM_EXPORT
const char *const *wsim_system_property_names (void);

/**
 * wsim_object_get_system_property:
 * @obj: an instance
 * @name: a system property name (case-insensitive)
 * @ns: (nullable) the object's namespace ("root\cimv2"); NULL if unknown
 * @server: (nullable) the server's name; NULL if unknown
 * @out: (out caller-allocates) the value: cleared first, then set (CIM_EMPTY when the
 *   property does not apply or is unknown: __SUPERCLASS of a root class, __NAMESPACE
 *   without @ns, __SERVER without @server, __PATH without both; __RELPATH and __PATH of
 *   an instance with a null key, such as a projection's partial instance without
 *   WBEM_FLAG_ENSURE_LOCATABLE). The caller clears it.
 *
 * __DYNASTY and __DERIVATION walk wsim_class_get_parent(); where the chain stops at a
 * class learnt from the wire (no parent object) but naming a superclass, that name is
 * the last one known and ends the chain (a client does not know its ancestors).
 *
 * Returns: FALSE (and @out left null) if @name is not a system property.
 *   Threading: reads @obj only; safe while nobody modifies it.
 */
WSIM_EXPORT
gboolean wsim_object_get_system_property (WsimObject *obj, const char *name, const char *ns,
                                          const char *server, wsim_value *out);

G_END_DECLS
