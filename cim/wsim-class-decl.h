/**
 * SECTION:wsim-class-decl
 * @title: wsim-class-decl.h
 * @short_description: a class object (__GENUS 1): a class's whole declaration, as GetObjectAsync of
 *   a class path and CreateClassEnumAsync return it
 *
 * WsimClass is a class's layout (names, types, keys: what an instance row needs); a
 * WsimClassDecl is what WMI's class object shows: qualifiers with their flavors on the
 * class, its properties and methods, property defaults, methods with typed [in]/[out]
 * parameters, the superclass chain and the namespace. It is kept in the wire type
 * (wsim_class_decl, rpc/proto/wsim_cim.x), so it goes on the wire without conversion, and
 * it is immutable once built. The repository keeps one per class (docs/schema.md says
 * what a provider's class and a MOF class get).
 *
 * Memory: the wire struct owns its strings and arrays and is released with xdr_free, as
 * wsim_value is (wsim-value.h explains why g_malloc'ed fields are fine there).
 *
 * Threading: any thread (atomic refcount, immutable).
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-class.h"
#include "wsim-cim-types.h"

G_BEGIN_DECLS

/* WBEM_FLAVOR_TYPE (wbemcli.h), Microsoft's values. */
/**
 * WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE:
 *
 * A qualifier flavor: the qualifier propagates to the class's instances.
 */
#define WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE      0x1
/**
 * WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS:
 *
 * A qualifier flavor: the qualifier propagates to subclasses.
 */
#define WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS 0x2
/**
 * WBEM_FLAVOR_NOT_OVERRIDABLE:
 *
 * A qualifier flavor: a subclass or instance may not change the qualifier.
 */
#define WBEM_FLAVOR_NOT_OVERRIDABLE                 0x10
/**
 * WBEM_FLAVOR_ORIGIN_PROPAGATED:
 *
 * A qualifier flavor: the qualifier came from a superclass or the class.
 */
#define WBEM_FLAVOR_ORIGIN_PROPAGATED               0x20
/**
 * WBEM_FLAVOR_ORIGIN_SYSTEM:
 *
 * A qualifier flavor: the qualifier is WMI's own.
 */
#define WBEM_FLAVOR_ORIGIN_SYSTEM                   0x40
/**
 * WBEM_FLAVOR_AMENDED:
 *
 * A qualifier flavor: the qualifier is amended (localizable).
 */
#define WBEM_FLAVOR_AMENDED                         0x80

/* WBEM_GENUS_TYPE: __GENUS of a class object and of an instance. */
/**
 * WBEM_GENUS_CLASS:
 *
 * __GENUS of a class object.
 */
#define WBEM_GENUS_CLASS    1
/**
 * WBEM_GENUS_INSTANCE:
 *
 * __GENUS of an instance.
 */
#define WBEM_GENUS_INSTANCE 2

/**
 * WsimClassDecl:
 *
 * A class object: a class's whole declaration (qualifiers, properties, methods).
 */
typedef struct _WsimClassDecl WsimClassDecl;

/**
 * wsim_class_decl_new_take:
 * @wire: (transfer full) a filled declaration; its contents move into the new object and
 *   *@wire is left zeroed (the struct itself stays the caller's). Strings left NULL become
 *   "" (the wire has no NULL string).
 *
 * Returns the class object.
 *
 * Returns: (transfer full) the class object.
 */
WSIM_EXPORT
WsimClassDecl *wsim_class_decl_new_take (wsim_class_decl *wire);

/**
 * wsim_class_decl_new_copy:
 * @wire: a class declaration as the wire carries it
 *
 * Returns a class object holding a deep copy of @wire (a decoded one, say).
 *
 * Returns: (transfer full) a class object holding a deep copy of @wire (a decoded one, say).
 */
WSIM_EXPORT
WsimClassDecl *wsim_class_decl_new_copy (const wsim_class_decl *wire);

/**
 * wsim_class_decl_copy_wire:
 * @decl: a #WsimClassDecl
 * @out: (out caller-allocates) filled with a deep copy of the declaration: the caller's, to
 *   change and then give to wsim_class_decl_new_take() or release with xdr_free
 *
 * Copies the declaration out in its wire type.
 */
WSIM_EXPORT
void wsim_class_decl_copy_wire (WsimClassDecl *decl, wsim_class_decl *out);

/**
 * wsim_class_decl_ref:
 * @decl: a #WsimClassDecl
 *
 * Returns @decl, with one more reference (any thread: atomic).
 *
 * Returns: (transfer full) @decl, with one more reference (any thread: atomic).
 */
WSIM_EXPORT
WsimClassDecl *wsim_class_decl_ref (WsimClassDecl *decl);

/**
 * wsim_class_decl_unref:
 * @decl: a #WsimClassDecl
 *
 * Drops one reference to @decl; the last frees it. NULL is fine.
 */
WSIM_EXPORT
void           wsim_class_decl_unref (WsimClassDecl *decl);

/**
 * wsim_class_decl_get_wire:
 * @decl: a #WsimClassDecl
 *
 * Returns the declaration, as the wire carries it.
 *
 * Returns: (transfer none) the declaration, as the wire carries it.
 */
WSIM_EXPORT
const wsim_class_decl *wsim_class_decl_get_wire (WsimClassDecl *decl);

/**
 * wsim_class_decl_get_name:
 * @decl: a #WsimClassDecl
 *
 * Returns the class name.
 *
 * Returns: (transfer none) the class name.
 */
WSIM_EXPORT
const char *wsim_class_decl_get_name (WsimClassDecl *decl);

/**
 * wsim_class_decl_get_superclass:
 * @decl: a #WsimClassDecl
 *
 * Returns the superclass, "" for a root class.
 *
 * Returns: (transfer none) the superclass, "" for a root class.
 */
WSIM_EXPORT
const char *wsim_class_decl_get_superclass (WsimClassDecl *decl);

/**
 * wsim_qualifier_find:
 * @qs: (array length=n) qualifiers
 * @n: the number of @qs
 * @name: the qualifier's name
 *
 * Returns the qualifier @name (case-insensitive), NULL if absent.
 *
 * Returns: (transfer none) (nullable) the qualifier @name (case-insensitive), NULL if absent.
 */
WSIM_EXPORT
const wsim_qualifier *wsim_qualifier_find (const wsim_qualifier *qs, guint n, const char *name);

/**
 * wsim_class_decl_get_system_property:
 * @decl: a #WsimClassDecl
 * @name: a system property name (wsim-system-props.h; case-insensitive)
 * @server: (nullable) the server's name, for __SERVER and __PATH
 * @out: (out caller-allocates) cleared, then the value of a class object's system property:
 *   __GENUS 1, __CLASS, __SUPERCLASS (null for a root), __DYNASTY, __DERIVATION,
 *   __PROPERTY_COUNT, __RELPATH (the class name), __NAMESPACE, __SERVER, __PATH
 *   (\\SERVER\NS:Class)
 *
 * Returns FALSE (@out null) if @name is not a system property.
 *
 * Returns: FALSE (@out null) if @name is not a system property.
 */
WSIM_EXPORT
gboolean wsim_class_decl_get_system_property (WsimClassDecl *decl, const char *name,
                                              const char *server, wsim_value *out);

/**
 * wsim_class_decl_to_mof:
 * @decl: a #WsimClassDecl
 * @out: the string to append to
 *
 * Appends the declaration to @out as MOF, the way `mofcomp` would read it back and WMI
 * tools print a class: qualifiers in brackets (with flavors other than the defaults),
 * every property (inherited ones marked with a comment naming their class), defaults,
 * methods with their parameters.
 */
WSIM_EXPORT
void wsim_class_decl_to_mof (WsimClassDecl *decl, GString *out);

/**
 * wsim_class_decl_to_json:
 * @decl: a #WsimClassDecl
 * @out: the string to append to
 *
 * Appends the declaration to @out as one compact JSON object, written by json-glib
 * (docs/cli.md, "Schema", gives its shape; values as wsim_value_to_json() writes them).
 */
WSIM_EXPORT
void wsim_class_decl_to_json (WsimClassDecl *decl, GString *out);

/**
 * wsim_class_decl_derive:
 * @parent: (nullable) the superclass's class object
 * @wire: (transfer full) the class's own part: name, qualifiers, own properties and own
 *   methods (superclass, derivation and class_origin are filled here); zeroed afterwards
 * @ns: (nullable) the namespace
 *
 * Builds the full declaration: @parent's properties and methods first (their qualifiers
 * that propagate to derived classes marked WBEM_FLAVOR_ORIGIN_PROPAGATED, the others
 * dropped), then the class's own; a property or method of the same name as an inherited
 * one replaces it in place (an override). The class's own qualifiers follow the parent's
 * propagated ones the same way.
 *
 * Returns: (transfer full) the class object.
 */
WSIM_EXPORT
WsimClassDecl *wsim_class_decl_derive (WsimClassDecl *parent, wsim_class_decl *wire,
                                       const char *ns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimClassDecl, wsim_class_decl_unref)

G_END_DECLS
