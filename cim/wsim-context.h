/**
 * SECTION:wsim-context
 * @title: wsim-context.h
 * @short_description: WsimContext, the IWbemContext analogue: named, typed values a client passes
 *   with a call and the call's provider reads
 *
 * A context holds values by name, each a wsim_value of one of the types IWbemContext can
 * carry (MS-WMI 2.2.13.2: the VARIANT types VT_NULL, VT_I1, VT_UI1, VT_I2, VT_UI2, VT_I4,
 * VT_UI4, VT_R4, VT_R8, VT_BOOL, VT_BSTR and arrays of them), written as the CIM type each
 * maps to: CIM_EMPTY (null), CIM_SINT8, CIM_UINT8, CIM_SINT16, CIM_UINT16, CIM_SINT32,
 * CIM_UINT32, CIM_REAL32, CIM_REAL64, CIM_BOOLEAN, CIM_STRING, and those types'
 * arrays. Other CIM types have no VARIANT type in that list (VT_I8 and VT_UI8 are not
 * there; a datetime, a reference or a char16 would lose its CIM type in a VT_BSTR or VT_I2)
 * and are refused with WBEM_E_INVALID_PARAMETER, what IWbemContext::SetValue returns for an
 * invalid parameter. VT_UNKNOWN (an embedded IWbemClassObject) is not supported.
 *
 * Names are compared case-insensitively (as WMI compares names; Microsoft does not say
 * for context names: our choice), are not empty, and fit WSIM_MAX_NAME bytes; setting a
 * name again overwrites its value (SetValue "creates or overwrites"). Values keep the
 * order they were first set in. A context holds at most WSIM_MAX_CONTEXT_VALUES (256).
 *
 * A call copies what it is given: changing a context after a call was made with it does
 * not change that call.
 *
 * Threading: one thread at a time.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-cim-types.h"

G_BEGIN_DECLS

/**
 * WSIM_CONTEXT_MAX_VALUES:
 *
 * The most values a context holds (the wire's bound, wsim_service.x).
 */
#define WSIM_CONTEXT_MAX_VALUES 256

/**
 * WsimContext:
 *
 * A set of named, typed values a call carries (IWbemContext).
 */
typedef struct _WsimContext WsimContext;

/**
 * wsim_context_new:
 *
 * Returns an empty context.
 *
 * Returns: (transfer full) an empty context.
 */
WSIM_EXPORT
WsimContext *wsim_context_new (void);

/**
 * wsim_context_ref:
 * @ctx: a #WsimContext
 *
 * Returns @ctx with one more reference.
 *
 * Returns: @ctx with one more reference.
 */
WSIM_EXPORT
WsimContext *wsim_context_ref (WsimContext *ctx);

/**
 * wsim_context_unref:
 * @ctx: a #WsimContext
 *
 * Drops a reference; NULL is fine.
 */
WSIM_EXPORT
void wsim_context_unref (WsimContext *ctx);

/**
 * wsim_context_clone:
 * @ctx: a #WsimContext
 *
 * Returns a new context with copies of @ctx's values (IWbemContext::Clone).
 *
 * Returns: (transfer full) a new context with copies of @ctx's values (IWbemContext::Clone).
 */
WSIM_EXPORT
WsimContext *wsim_context_clone (const WsimContext *ctx);

/**
 * wsim_context_type_supported:
 * @cimtype: a CIMTYPE, possibly with CIM_FLAG_ARRAY
 *
 * Returns TRUE if a context value may have this type (see the file comment).
 *
 * Returns: TRUE if a context value may have this type (see the file comment).
 */
WSIM_EXPORT
gboolean wsim_context_type_supported (guint32 cimtype);

/**
 * wsim_context_set_value:
 * @ctx: a #WsimContext
 * @name: the value's name
 * @value: (transfer none) the value, copied; CIM_EMPTY for a null (VT_NULL)
 * @error: return location for a #GError, or %NULL
 *
 * Creates or overwrites the value @name.
 *
 * Returns: FALSE with WBEM_E_INVALID_PARAMETER in WSIM_WBEM_ERROR for an empty or too long
 *   name, a type a context cannot carry, or a full context (@ctx unchanged).
 */
WSIM_EXPORT
gboolean wsim_context_set_value (WsimContext *ctx, const char *name, const wsim_value *value,
                                 GError **error);

/**
 * wsim_context_get_value:
 * @ctx: a #WsimContext
 * @name: the value's name (case-insensitive)
 *
 * Returns the value @name (valid until it is set again or deleted), or NULL if there is none.
 *
 * Returns: (transfer none) (nullable) the value @name (valid until it is set again or
 *   deleted), or NULL if there is none.
 */
WSIM_EXPORT
const wsim_value *wsim_context_get_value (const WsimContext *ctx, const char *name);

/**
 * wsim_context_delete_value:
 * @ctx: a #WsimContext
 * @name: the value's name (case-insensitive)
 *
 * Returns TRUE if there was a value @name (now gone).
 *
 * Returns: TRUE if there was a value @name (now gone).
 */
WSIM_EXPORT
gboolean wsim_context_delete_value (WsimContext *ctx, const char *name);

/**
 * wsim_context_delete_all:
 * @ctx: a #WsimContext
 *
 * Removes every value (IWbemContext::DeleteAll).
 */
WSIM_EXPORT
void wsim_context_delete_all (WsimContext *ctx);

/**
 * wsim_context_get_n_values:
 * @ctx: a #WsimContext
 *
 * Returns how many values @ctx holds.
 *
 * Returns: how many values @ctx holds.
 */
WSIM_EXPORT
guint wsim_context_get_n_values (const WsimContext *ctx);

/**
 * wsim_context_get_nth:
 * @ctx: a #WsimContext
 * @i: below wsim_context_get_n_values()
 * @out_value: (out) (optional) (transfer none) the value
 *
 * Returns the name of the @i-th value, in the order values were first set.
 *
 * Returns: (transfer none) the name of the @i-th value, in the order values were first set.
 */
WSIM_EXPORT
const char *wsim_context_get_nth (const WsimContext *ctx, guint i, const wsim_value **out_value);

/**
 * wsim_context_parse_assignment:
 * @ctx: a #WsimContext
 * @text: "NAME=VALUE" (a string), "NAME:TYPE=VALUE" with TYPE a MOF type name of a
 *   supported type ("sint32", "boolean", "uint8", ...; "NAME:string=..." too), or "NAME="
 *   (an empty string)
 * @error: return location for a #GError, or %NULL
 *
 * Sets the value @text describes, as `wmisim --context` takes it.
 *
 * Returns: FALSE with WBEM_E_INVALID_PARAMETER (no '=', an unknown or unsupported type, a
 *   value the type cannot take).
 */
WSIM_EXPORT
gboolean wsim_context_parse_assignment (WsimContext *ctx, const char *text, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimContext, wsim_context_unref)

G_END_DECLS
