/* wsim-sync.h: synchronous calls on the client: IWbemServices' GetObject, ExecMethod,
 * PutInstance, DeleteInstance, PutClass and DeleteClass.
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
 * WsimSyncResult: what a synchronous call returned. Zero-initialise; free the fields with
 * wsim_sync_result_clear().
 * @hr: the final status (WBEM_E_TIMED_OUT when the wait timed out)
 * @objects: (owned) (element-type WsimObject) what the call's Indicate calls brought
 * @str_param: (owned) (nullable) the final SetStatus's strParam
 * @error_object: (owned) (nullable) the final SetStatus's error object (an __ExtendedStatus)
 */
typedef struct {
  WsimHResult hr;
  GPtrArray  *objects;
  char       *str_param;
  WsimObject *error_object;
} WsimSyncResult;

/** Frees what @result holds and zeroes it. */
WSIM_EXPORT
void wsim_sync_result_clear (WsimSyncResult *result);

/**
 * WsimSyncStart: makes the async call on @sink (the runner's own).
 * Returns: the call's immediate HRESULT, with @error set on a failure.
 */
typedef WsimHResult (*WsimSyncStart) (WsimServices *services, WsimSink *sink, gpointer data,
                                      GError **error);

/**
 * wsim_sync_call_run:
 * @start: makes the call
 * @data: passed to @start (borrowed for the call)
 * @timeout_ms: how long to wait for the final SetStatus; -1 for ever (the client's watch
 *   guarantees one)
 * @result: (out caller-allocates) the result, filled on every return
 * @error: (nullable) set when the returned status is a failure (the server's message)
 * Returns: @result->hr: the immediate failure, or the final status, or WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_sync_call_run (WsimServices *services, WsimSyncStart start, gpointer data,
                                gint32 timeout_ms, WsimSyncResult *result, GError **error);

/**
 * wsim_services_get_object:
 * @object_path, @flags: as for wsim_services_get_object_async()
 * @timeout_ms: as for wsim_sync_call_run()
 * @out_object: (out) (transfer full) (nullable) the object; NULL on a failure
 * @out_error_object: (out) (optional) (transfer full) (nullable) the error object of a
 *   failure
 * Returns: WBEM_S_NO_ERROR, the immediate failure, the final one (WBEM_E_NOT_FOUND, …) or
 *   WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_services_get_object (WsimServices *services, const char *object_path,
                                      gint32 flags, gint32 timeout_ms, WsimObject **out_object,
                                      WsimObject **out_error_object, GError **error);

/**
 * wsim_services_exec_method:
 * @object_path, @method, @in_params, @flags: as for wsim_services_exec_method_async()
 * @timeout_ms: as for wsim_sync_call_run()
 * @out_params: (out) (transfer full) (nullable) the __PARAMETERS object with the [out]
 *   parameters (ReturnValue among them); NULL on a failure
 * @out_error_object: (out) (optional) (transfer full) (nullable) as for
 *   wsim_services_get_object()
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
 * @inst, @flags: as for wsim_services_put_instance_async() (WBEM_FLAG_CREATE_OR_UPDATE,
 *   WBEM_FLAG_UPDATE_ONLY, WBEM_FLAG_CREATE_ONLY)
 * @timeout_ms: as for wsim_sync_call_run()
 * @out_path: (out) (optional) (transfer full) (nullable) the instance's path (the final
 *   SetStatus's strParam, what IWbemCallResult::GetResultString gives); NULL on a failure
 * @out_error_object: (out) (optional) (transfer full) (nullable) the error object of a
 *   failure
 * IWbemServices::PutInstance: returns once the write is durable (docs/writes.md).
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
 * @object_path, @flags: as for wsim_services_delete_instance_async()
 * IWbemServices::DeleteInstance; the rest as wsim_services_put_instance().
 * Returns: WBEM_S_NO_ERROR, the immediate refusal, WBEM_E_NOT_FOUND or WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_services_delete_instance (WsimServices *services, const char *object_path,
                                           gint32 flags, gint32 timeout_ms,
                                           WsimObject **out_error_object, GError **error);

/**
 * wsim_services_put_class:
 * @class_object, @flags: as for wsim_services_put_class_async()
 * IWbemServices::PutClass; the rest as wsim_services_put_instance().
 * Returns: WBEM_S_NO_ERROR, the immediate refusal (wsim_services_put_class_async()'s) or
 *   WBEM_E_TIMED_OUT.
 */
WSIM_EXPORT
WsimHResult wsim_services_put_class (WsimServices *services, WsimClassDecl *class_object,
                                     gint32 flags, gint32 timeout_ms,
                                     WsimObject **out_error_object, GError **error);

/**
 * wsim_services_delete_class:
 * @class_name, @flags: as for wsim_services_delete_class_async()
 * IWbemServices::DeleteClass; the rest as wsim_services_put_instance().
 * Returns: as wsim_services_put_class().
 */
WSIM_EXPORT
WsimHResult wsim_services_delete_class (WsimServices *services, const char *class_name,
                                        gint32 flags, gint32 timeout_ms,
                                        WsimObject **out_error_object, GError **error);

G_END_DECLS
