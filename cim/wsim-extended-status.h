/**
 * SECTION:wsim-extended-status
 * @title: wsim-extended-status.h
 * @short_description: WMI's error object, __ExtendedStatus, as a failed call's final SetStatus
 *   carries it in pObjParam
 *
 * The class (Microsoft, "__ExtendedStatus class", WMI system classes) derives from
 * __NotifyStatus, which gives it StatusCode (uint32, the HRESULT); its own properties are
 * Description, Operation, ParameterInfo and ProviderName (strings). See docs/wire.md,
 * "Error objects", for when the server sends one and what each property holds.
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-export.h"

G_BEGIN_DECLS

/* The class names and the property names, as WMI spells them. */
/**
 * WSIM_EXTENDED_STATUS_CLASS:
 *
 * The error object's class name, as WMI spells it.
 */
#define WSIM_EXTENDED_STATUS_CLASS        "__ExtendedStatus"
/**
 * WSIM_NOTIFY_STATUS_CLASS:
 *
 * The class __ExtendedStatus derives from.
 */
#define WSIM_NOTIFY_STATUS_CLASS          "__NotifyStatus"
/**
 * WSIM_EXTENDED_STATUS_DESCRIPTION:
 *
 * The error object's property with the explanation.
 */
#define WSIM_EXTENDED_STATUS_DESCRIPTION  "Description"
/**
 * WSIM_EXTENDED_STATUS_OPERATION:
 *
 * The error object's property naming the operation that failed.
 */
#define WSIM_EXTENDED_STATUS_OPERATION    "Operation"
/**
 * WSIM_EXTENDED_STATUS_PARAMETER:
 *
 * The error object's property naming the parameter at fault.
 */
#define WSIM_EXTENDED_STATUS_PARAMETER    "ParameterInfo"
/**
 * WSIM_EXTENDED_STATUS_PROVIDER:
 *
 * The error object's property naming the provider.
 */
#define WSIM_EXTENDED_STATUS_PROVIDER     "ProviderName"
/**
 * WSIM_EXTENDED_STATUS_STATUS_CODE:
 *
 * The error object's property with the HRESULT.
 */
#define WSIM_EXTENDED_STATUS_STATUS_CODE  "StatusCode"

/**
 * wsim_extended_status_class:
 *
 * The __ExtendedStatus class (deriving __NotifyStatus), built once per process.
 *
 * Returns: (transfer none) the class; it lives as long as the process. Threading: any
 *   thread (classes are immutable and their refcount is atomic).
 */
WSIM_EXPORT
WsimClass *wsim_extended_status_class (void);

/**
 * wsim_extended_status_new:
 * @status_code: the HRESULT the object describes
 * @description: (nullable) why the call failed
 * @operation: (nullable) the IWbemServices method ("ExecQueryAsync", ...)
 * @parameter_info: (nullable) the class, object path or query the call was about
 * @provider_name: (nullable) the provider that failed, or "Windows Management" when none did
 *
 * NULL arguments leave their property null.
 *
 * Returns: (transfer full) a new __ExtendedStatus instance. Threading: any thread.
 */
WSIM_EXPORT
WsimObject *wsim_extended_status_new (guint32 status_code, const char *description,
                                      const char *operation, const char *parameter_info,
                                      const char *provider_name);

/**
 * wsim_extended_status_describe:
 * @obj: (nullable) an error object, e.g. a WsimSinkRecorder's final_error
 *
 * One line for a person: `Operation X; ParameterInfo "Y"; ProviderName Z; Description "W"`,
 * leaving out the properties that are null.
 *
 * Returns: (transfer full) (nullable) the line; NULL when @obj is NULL or not an
 *   __ExtendedStatus (nor derived from it). Threading: any thread.
 */
WSIM_EXPORT
char *wsim_extended_status_describe (WsimObject *obj);

G_END_DECLS
