/**
 * SECTION:wsim-class
 * @title: wsim-class.h
 * @short_description: CIM classes and instances as the runtime holds them
 *
 * A class's properties are flattened, inherited ones first, so an instance is an array of
 * values in the class's order and a subclass's instance starts like its parent's. The
 * schema is kept in the wire type (wsim_class_def) and the values in wsim_value, so a
 * class and its instances go on the wire without conversion.
 *
 * Both are refcounted (atomic) and immutable once built, except an instance's values,
 * which belong to whoever builds the instance until it is shared.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-cim-types.h"

G_BEGIN_DECLS

/**
 * WsimClass:
 *
 * A CIM class: its name, superclass and flattened properties. Refcounted (atomic), immutable.
 */
typedef struct _WsimClass WsimClass;
/**
 * WsimObject:
 *
 * An instance of a #WsimClass: one value per property, in the class's order. Refcounted
 * (atomic).
 */
typedef struct _WsimObject WsimObject;

/**
 * wsim_class_new:
 * @name: the class name
 * @parent: (nullable) the superclass; its properties come first
 * @props: (array length=n_props) the class's own properties
 * @n_props: the number of @props
 * @error: WBEM_E_INVALID_CLASS (WSIM_WBEM_ERROR) for a duplicate or empty property name or
 *   an unknown CIM type
 *
 * Returns the class.
 *
 * Returns: (transfer full) (nullable) the class.
 */
WSIM_EXPORT
WsimClass *wsim_class_new (const char *name, WsimClass *parent, const wsim_property_def *props,
                           guint n_props, GError **error);

/**
 * wsim_class_new_from_def:
 * @def: the flattened class definition, as the wire carries it (copied)
 * @error: return location for a #GError, or %NULL
 *
 * Builds a class from a flattened wire definition (a client learns classes this way).
 *
 * Returns: (transfer full) (nullable) the class, NULL with @error for a bad definition.
 */
WSIM_EXPORT
WsimClass *wsim_class_new_from_def (const wsim_class_def *def, GError **error);

/**
 * wsim_class_ref:
 * @cls: a #WsimClass
 *
 * Returns @cls, with one more reference (any thread: atomic).
 *
 * Returns: (transfer full) @cls, with one more reference (any thread: atomic).
 */
WSIM_EXPORT
WsimClass *wsim_class_ref (WsimClass *cls);

/**
 * wsim_class_unref:
 * @cls: a #WsimClass
 *
 * Drops one reference to @cls; the last frees it. NULL is fine.
 */
WSIM_EXPORT
void       wsim_class_unref (WsimClass *cls);

/**
 * wsim_class_get_name:
 * @cls: a #WsimClass
 *
 * Returns the class name.
 *
 * Returns: (transfer none) the class name.
 */
WSIM_EXPORT
const char *wsim_class_get_name (WsimClass *cls);

/**
 * wsim_class_get_parent:
 * @cls: a #WsimClass
 *
 * Returns the superclass (NULL for a class learnt from the wire).
 *
 * Returns: (transfer none) (nullable) the superclass (NULL for a class learnt from the wire).
 */
WSIM_EXPORT
WsimClass *wsim_class_get_parent (WsimClass *cls);

/**
 * wsim_class_get_def:
 * @cls: a #WsimClass
 *
 * Returns the flattened wire definition.
 *
 * Returns: (transfer none) the flattened wire definition.
 */
WSIM_EXPORT
const wsim_class_def *wsim_class_get_def (WsimClass *cls);

/**
 * wsim_class_get_n_props:
 * @cls: a #WsimClass
 *
 * Returns the number of properties, inherited included.
 *
 * Returns: the number of properties, inherited included.
 */
WSIM_EXPORT
guint wsim_class_get_n_props (WsimClass *cls);

/**
 * wsim_class_get_prop:
 * @cls: a #WsimClass
 * @idx: a property's index, below wsim_class_get_n_props()
 *
 * Returns property @idx.
 *
 * Returns: (transfer none) property @idx.
 */
WSIM_EXPORT
const wsim_property_def *wsim_class_get_prop (WsimClass *cls, guint idx);

/**
 * wsim_class_find_prop:
 * @cls: a #WsimClass
 * @name: a property name
 *
 * Returns the index of @name (case-insensitive), or -1.
 *
 * Returns: the index of @name (case-insensitive), or -1.
 */
WSIM_EXPORT
gint wsim_class_find_prop (WsimClass *cls, const char *name);

/**
 * wsim_class_is_a:
 * @cls: a #WsimClass
 * @name: a class name
 *
 * Returns TRUE if @cls is @name or derives from it (case-insensitive).
 *
 * Returns: TRUE if @cls is @name or derives from it (case-insensitive).
 */
WSIM_EXPORT
gboolean wsim_class_is_a (WsimClass *cls, const char *name);

/**
 * wsim_object_new:
 * @cls: a #WsimClass
 *
 * Returns an instance of @cls with every property null.
 *
 * Returns: (transfer full) an instance of @cls with every property null.
 */
WSIM_EXPORT
WsimObject *wsim_object_new (WsimClass *cls);

/**
 * wsim_object_new_take_values:
 * @cls: a #WsimClass
 * @values: (transfer full) wsim_class_get_n_props(@cls) values, g_malloc'ed; the object
 *   takes the array and what it holds.
 *
 * Makes an instance of @cls from values built by the caller, without copying them.
 *
 * Returns: (transfer full) the instance.
 */
WSIM_EXPORT
WsimObject *wsim_object_new_take_values (WsimClass *cls, wsim_value *values);

/**
 * wsim_object_ref:
 * @obj: a #WsimObject
 *
 * Returns @obj, with one more reference (any thread: atomic).
 *
 * Returns: (transfer full) @obj, with one more reference (any thread: atomic).
 */
WSIM_EXPORT
WsimObject *wsim_object_ref (WsimObject *obj);

/**
 * wsim_object_unref:
 * @obj: a #WsimObject
 *
 * Drops one reference to @obj; the last frees it and its values. NULL is fine.
 */
WSIM_EXPORT
void        wsim_object_unref (WsimObject *obj);

/**
 * wsim_object_get_class:
 * @obj: a #WsimObject
 *
 * Returns the object's class.
 *
 * Returns: (transfer none) the object's class.
 */
WSIM_EXPORT
WsimClass *wsim_object_get_class (WsimObject *obj);

/**
 * wsim_object_get_value:
 * @obj: a #WsimObject
 * @idx: a property's index, below wsim_class_get_n_props()
 *
 * Returns value @idx; the caller may modify it while it owns the object alone.
 *
 * Returns: (transfer none) value @idx; the caller may modify it while it owns the object alone.
 */
WSIM_EXPORT
wsim_value *wsim_object_get_value (WsimObject *obj, guint idx);

/**
 * wsim_object_lookup:
 * @obj: a #WsimObject
 * @name: a property name (case-insensitive)
 *
 * Returns the value of property @name, NULL if there is no such property.
 *
 * Returns: (transfer none) (nullable) the value of property @name, NULL if there is no such
 *   property.
 */
WSIM_EXPORT
const wsim_value *wsim_object_lookup (WsimObject *obj, const char *name);

/**
 * wsim_object_steal_values:
 * @obj: a #WsimObject
 *
 * Moves the values out (for encoding a row without copying); the object is left with
 * every property null.
 *
 * Returns: (transfer full) the array of n_props values.
 */
WSIM_EXPORT
wsim_value *wsim_object_steal_values (WsimObject *obj);

/**
 * wsim_object_get_path:
 * @obj: a #WsimObject
 *
 * Returns the relative object path, Class.Key="v",K2=5 (Class=@ when the class has no key).
 *
 * Returns: (transfer full) the relative object path, Class.Key="v",K2=5 (Class=@ when the
 *   class has no key).
 */
WSIM_EXPORT
char *wsim_object_get_path (WsimObject *obj);

/**
 * wsim_value_set_object:
 * @v: the value to set; it must not be one of @obj's own values
 * @obj: (transfer none) (nullable): the object to embed; %NULL sets null
 *
 * Clears @v, then makes it a CIM_OBJECT holding a deep copy of @obj: its class (flattened,
 * as the wire carries it) and every value, embedded objects included. Nothing is shared
 * with @obj afterwards; wsim_value_clear() (or xdr_free) releases the copy.
 *
 * Returns: FALSE, with @v null, when @obj nests embedded objects deeper than
 *   WSIM_MAX_NESTING (the wire would refuse it).
 */
WSIM_EXPORT
gboolean wsim_value_set_object (wsim_value *v, WsimObject *obj);

/**
 * wsim_value_dup_object:
 * @v: (transfer none): a CIM_OBJECT value
 * @error: return location for a #GError, or %NULL
 *
 * Builds an instance from the embedded object @v holds: a class made from its definition
 * (wsim_class_new_from_def(): no superclass object) and copies of its values.
 *
 * Returns: (transfer full) (nullable): the instance; %NULL with WBEM_E_TYPE_MISMATCH when @v
 *   is not CIM_OBJECT, WBEM_E_INVALID_CLASS for a bad definition, WBEM_E_INVALID_OBJECT
 *   when the values do not match the properties one for one.
 */
WSIM_EXPORT
WsimObject *wsim_value_dup_object (const wsim_value *v, GError **error);

/**
 * wsim_object_to_json:
 * @obj: a #WsimObject
 * @out: the string to append to
 *
 * Appends the object as one compact JSON object ({"__CLASS":…,"Prop":value,…}) to @out,
 * built and written as wsim_value_to_json() writes a value: values so, the class's and the
 * properties' names made valid UTF-8 as strings are.
 */
WSIM_EXPORT
void wsim_object_to_json (WsimObject *obj, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimClass, wsim_class_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimObject, wsim_object_unref)

G_END_DECLS
