/**
 * SECTION:wsim-sync
 * @title: wsim-sync.h
 * @short_description: synchronous calls on the client: IWbemServices' GetObject, ExecMethod,
 *   PutInstance, DeleteInstance, PutClass and DeleteClass
 *
 * Each makes the async call (wsim-client.h) with a sink of its own and iterates the
 * client's main context until that call's final SetStatus, then returns the object(s) and
 * the final HRESULT, the error object included. A call with a timeout that passes is
 * cancelled (CancelAsyncCall) and answers WBEM_E_TIMED_OUT. One generic runner,
 * wsim_sync_call_run(), does the waiting: a synchronous form of another *Async call is its
 * start function and a wrapper of a few lines.
 *
 * Threading: on the client's main context (the thread that owns it); the client's other
 * sinks run while a call waits.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-client.h"

G_BEGIN_DECLS

/**
 * WsimSyncResult:
 * @hr: the final status (WBEM_E_TIMED_OUT when the wait timed out)
 * @objects: (transfer full) (element-type WsimObject) what the call's Indicate calls brought
 * @str_param: (transfer full) (nullable) the final SetStatus's strParam
 * @error_object: (transfer full) (nullable) the final SetStatus's error object (an
 *   __ExtendedStatus)
 *
 * What a synchronous call returned. Zero-initialise; free the fields with
 * wsim_sync_result_clear().
 */
typedef struct {
  WsimHResult hr;
  GPtrArray  *objects;
  char       *str_param;
  WsimObject *error_object;
} WsimSyncResult;

/**
 * wsim_sync_result_clear:
 * @result: a #WsimSyncResult
 *
 * Frees what @result holds and zeroes it.
 */
WSIM_EXPORT
void wsim_sync_result_clear (WsimSyncResult *result);

/**
 * WsimSyncStart:
 * @services: the call's services
 * @sink: the runner's own sink
 * @data: wsim_sync_call_run()'s data
 * @error: return location for a #GError
 *
 * Makes the async call on @sink (the runner's own).
 * Returns: the call's immediate HRESULT, with @error set on a failure.
 */
typedef WsimHResult (*WsimSyncStart) (WsimServices *services, WsimSink *sink, gpointer data,
                                      GError **error);

/**
 * wsim_sync_call_run:
 * @services: a #WsimServices
 * @start: makes the call
 * @data: passed to @start (borrowed for the call)
 * @timeout_ms: how long to wait for the final SetStatus; -1 for ever (the client's watch
 *   guarantees one)
 * @result: (out caller-allocates) the result, filled on every return
 * @error: (nullable) set when the returned status is a failure (the server's message)
 *
 * Returns @result->hr: the immediate failure, or the final status, or WBEM_E_TIMED_OUT.
 *
 * Returns: @result->hr: the immediate failure, or the final status, or WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_sync_call_run (WsimServices *services, WsimSyncStart start, gpointer data,
                                gint32 timeout_ms, WsimSyncResult *result, GError **error);

/**
 * wsim_services_get_object:
 * @services: a #WsimServices
 * @object_path: as for wsim_services_get_object_async()
 * @flags: as for wsim_services_get_object_async()
 * @timeout_ms: as for wsim_sync_call_run()
 * @out_object: (out) (transfer full) (nullable) the object; NULL on a failure
 * @out_error_object: (out) (optional) (transfer full) (nullable) the error object of a
 *   failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns WBEM_S_NO_ERROR, the immediate failure, the final one (WBEM_E_NOT_FOUND, …) or *  
 * WBEM_E_TIMED_OUT.
 *
 * Returns: WBEM_S_NO_ERROR, the immediate failure, the final one (WBEM_E_NOT_FOUND, …) or
 *   WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_services_get_object (WsimServices *services, const char *object_path,
                                      gint32 flags, gint32 timeout_ms, WsimObject **out_object,
                                      WsimObject **out_error_object, GError **error);

/**
 * wsim_services_exec_method:
 * @services: a #WsimServices
 * @object_path: as for wsim_services_exec_method_async()
 * @method: as for wsim_services_exec_method_async()
 * @in_params: as for wsim_services_exec_method_async()
 * @flags: as for wsim_services_exec_method_async()
 * @timeout_ms: as for wsim_sync_call_run()
 * @out_params: (out) (transfer full) (nullable) the __PARAMETERS object with the [out]
 *   parameters (ReturnValue among them); NULL on a failure
 * @out_error_object: (out) (optional) (transfer full) (nullable) as for
 *   wsim_services_get_object()
 * @error: return location for a #GError, or %NULL
 *
 * Returns as wsim_services_get_object(); WBEM_E_INVALID_METHOD, … from the server.
 *
 * Returns: as wsim_services_get_object(); WBEM_E_INVALID_METHOD, … from the server.
 */
WSIM_EXPORT
WsimHResult wsim_services_exec_method (WsimServices *services, const char *object_path,
                                       const char *method, WsimObject *in_params, gint32 flags,
                                       gint32 timeout_ms, WsimObject **out_params,
                                       WsimObject **out_error_object, GError **error);

/* ---- writes (wsim-sync-write.c) ---- */

/**
 * wsim_services_put_instance:
 * @services: a #WsimServices
 * @inst: as for wsim_services_put_instance_async() (WBEM_FLAG_CREATE_OR_UPDATE,
 *   WBEM_FLAG_UPDATE_ONLY, WBEM_FLAG_CREATE_ONLY)
 * @flags: as for wsim_services_put_instance_async() (WBEM_FLAG_CREATE_OR_UPDATE,
 *   WBEM_FLAG_UPDATE_ONLY, WBEM_FLAG_CREATE_ONLY)
 * @timeout_ms: as for wsim_sync_call_run()
 * @out_path: (out) (optional) (transfer full) (nullable) the instance's path (the final
 *   SetStatus's strParam, what IWbemCallResult::GetResultString gives); NULL on a failure
 * @out_error_object: (out) (optional) (transfer full) (nullable) the error object of a
 *   failure
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::PutInstance: returns once the write is durable (docs/writes.md).
 *
 * Returns: WBEM_S_NO_ERROR, the immediate refusal (WBEM_E_INVALID_CLASS,
 *   WBEM_E_PROVIDER_NOT_CAPABLE, …), the final failure (WBEM_E_ALREADY_EXISTS,
 *   WBEM_E_NOT_FOUND) or WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_services_put_instance (WsimServices *services, WsimObject *inst, gint32 flags,
                                        gint32 timeout_ms, char **out_path,
                                        WsimObject **out_error_object, GError **error);

/**
 * wsim_services_delete_instance:
 * @services: a #WsimServices
 * @object_path: as for wsim_services_delete_instance_async()
 * @flags: as for wsim_services_delete_instance_async()
 * @timeout_ms: as for wsim_services_put_instance()
 * @out_error_object: as for wsim_services_put_instance()
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::DeleteInstance; the rest as wsim_services_put_instance().
 *
 * Returns: WBEM_S_NO_ERROR, the immediate refusal, WBEM_E_NOT_FOUND or WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_services_delete_instance (WsimServices *services, const char *object_path,
                                           gint32 flags, gint32 timeout_ms,
                                           WsimObject **out_error_object, GError **error);

/**
 * wsim_services_put_class:
 * @services: a #WsimServices
 * @class_object: as for wsim_services_put_class_async()
 * @flags: as for wsim_services_put_class_async()
 * @timeout_ms: as for wsim_services_put_instance()
 * @out_error_object: as for wsim_services_put_instance()
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::PutClass; the rest as wsim_services_put_instance().
 *
 * Returns: WBEM_S_NO_ERROR, the immediate refusal (wsim_services_put_class_async()'s) or
 *   WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_services_put_class (WsimServices *services, WsimClassDecl *class_object,
                                     gint32 flags, gint32 timeout_ms,
                                     WsimObject **out_error_object, GError **error);

/**
 * wsim_services_delete_class:
 * @services: a #WsimServices
 * @class_name: as for wsim_services_delete_class_async()
 * @flags: as for wsim_services_delete_class_async()
 * @timeout_ms: as for wsim_services_put_instance()
 * @out_error_object: as for wsim_services_put_instance()
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::DeleteClass; the rest as wsim_services_put_instance().
 *
 * Returns: as wsim_services_put_class().
 */
WSIM_EXPORT
WsimHResult wsim_services_delete_class (WsimServices *services, const char *class_name,
                                        gint32 flags, gint32 timeout_ms,
                                        WsimObject **out_error_object, GError **error);

G_END_DECLS
