/**
 * SECTION:wsim-enumerator
 * @title: wsim-enumerator.h
 * @short_description: semisynchronous calls on the client: IEnumWbemClassObject
 *
 * wsim_services_create_instance_enum() and wsim_services_exec_query() are IWbemServices'
 * CreateInstanceEnum and ExecQuery. With WBEM_FLAG_RETURN_IMMEDIATELY they return an
 * enumerator at once and the objects arrive while the caller reads them with Next (the
 * semisynchronous call, which Microsoft recommends over async); without it they return when
 * the result is complete (WBEM_FLAG_RETURN_WBEM_COMPLETE, MS-WMI 2.2.6: "makes the operation
 * synchronous"). WBEM_FLAG_FORWARD_ONLY makes a forward-only enumerator: objects are
 * dropped as they are read, and Reset and Clone are refused (WBEM_E_INVALID_OPERATION).
 * docs/semisync.md lists each rule with its source.
 *
 * An enumerator is the sink of an ordinary async call (wsim-client.h): the same request,
 * callback ladder, Indicate batches, final SetStatus and no-hang watch. It buffers what
 * arrives. A semisynchronous (RETURN_IMMEDIATELY) enumerator buffers at most
 * wsim_enumerator_set_max_buffered() unread objects before it holds the server back: the
 * sink host stops answering its Indicate calls (wsim-sink-flow.h), the server's window
 * fills and the provider is told BUSY until the reader catches up. Calls already on the
 * wire still land, so the client holds at most max_buffered + the server's
 * max_indicates_in_flight × batch_rows objects. A synchronous enumeration buffers the whole
 * result (that is what returning when complete means).
 *
 * Statuses: Next and Skip return WBEM_S_NO_ERROR when they got all they asked for,
 * WBEM_S_FALSE when the result ended first, WBEM_S_TIMEDOUT when the timeout passed first,
 * and the call's own failure (with its error object, wsim_enumerator_get_error_object())
 * once the objects before it are read. Bad input: a count of 0 or a timeout below -1 is
 * WBEM_E_INVALID_PARAMETER; an enumerator used after wsim_enumerator_close() answers
 * RPC_E_DISCONNECTED (COM's status for a proxy whose object has gone); a huge count
 * allocates only for the objects that exist.
 *
 * Threading: an enumerator belongs to its services' client and is used on that client's
 * main context (the sink host's), like the client. Next and Skip wait by iterating that
 * context when the calling thread can acquire it (the thread that owns it, or any thread
 * when nobody is iterating it): the client's other sinks run meanwhile. From a thread
 * that cannot acquire it (another thread is running its main loop) they wait on a
 * condition that the deliveries signal, and their flow-control release is invoked on the
 * context; every other function must be called on the context's thread.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-client.h"

G_BEGIN_DECLS

/** WBEM_TIMEOUT_TYPE (wbemcli.h): Next and Skip wait for ever with WBEM_INFINITE and not at
 *  all with WBEM_NO_WAIT. */
#ifndef WBEM_INFINITE
#define WBEM_INFINITE ((gint32) -1)   /* 0xFFFFFFFF as a long */
#endif
#ifndef WBEM_NO_WAIT
/**
 * WBEM_NO_WAIT:
 *
 * A timeout of Next and Skip: do not wait (WBEM_INFINITE waits for ever).
 */
#define WBEM_NO_WAIT 0
#endif

/**
 * WSIM_ENUMERATOR_DEFAULT_MAX_BUFFERED:
 *
 * The unread objects a semisynchronous enumerator buffers before it holds the server.
 */
#define WSIM_ENUMERATOR_DEFAULT_MAX_BUFFERED 4096

/**
 * WsimEnumerator:
 *
 * A semisynchronous call's results (IEnumWbemClassObject).
 */
typedef struct _WsimEnumerator WsimEnumerator;

/**
 * wsim_services_create_instance_enum:
 * @services: a #WsimServices
 * @class_name: as for wsim_services_create_instance_enum_async()
 * @flags: WBEM_FLAG_RETURN_IMMEDIATELY, WBEM_FLAG_FORWARD_ONLY, and the flags
 *   wsim_services_create_instance_enum_async() takes
 * @out_enum: (out) (transfer full) the enumerator; NULL on a failure
 * @error: (nullable) the failure's explanation (WSIM_WBEM_ERROR)
 *
 * Makes the call, with the enumerator as its sink. With RETURN_IMMEDIATELY returns once
 * the server accepted it; without, iterates the client's context until the final
 * SetStatus (for ever: the client's watch guarantees one) and fails with that status.
 *
 * Returns: WBEM_S_NO_ERROR, or the immediate HRESULT (or, synchronously, the final one).
 *   Threading: on the client's main context.
 */
WSIM_EXPORT
WsimHResult wsim_services_create_instance_enum (WsimServices *services, const char *class_name,
                                                gint32 flags, WsimEnumerator **out_enum,
                                                GError **error);

/**
 * wsim_services_exec_query:
 * @services: a #WsimServices
 * @language: as for wsim_services_exec_query_async()
 * @query: as for wsim_services_exec_query_async()
 * @flags: as for wsim_services_create_instance_enum()
 * @out_enum: as for wsim_services_create_instance_enum()
 * @error: return location for a #GError, or %NULL
 *
 * As wsim_services_create_instance_enum(), for wsim_services_exec_query_async()'s query.
 *
 * Returns: as for wsim_services_create_instance_enum().
 */
WSIM_EXPORT
WsimHResult wsim_services_exec_query (WsimServices *services, const char *language,
                                      const char *query, gint32 flags,
                                      WsimEnumerator **out_enum, GError **error);

/**
 * wsim_services_create_class_enum:
 * @services: a #WsimServices
 * @superclass: as for wsim_services_create_class_enum_async(), plus
 *   WBEM_FLAG_RETURN_IMMEDIATELY and WBEM_FLAG_FORWARD_ONLY
 * @flags: as for wsim_services_create_class_enum_async(), plus
 *   WBEM_FLAG_RETURN_IMMEDIATELY and WBEM_FLAG_FORWARD_ONLY
 * @out_enum: as for wsim_services_create_instance_enum()
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::CreateClassEnum: as wsim_services_create_instance_enum(), for class objects.
 * The enumerator's Next gives WsimClassDecl* (its array frees them with
 * wsim_class_decl_unref()), NextAsync delivers them to the sink's class ops
 * (wsim_sink_set_class_ops()); everything else is the same.
 *
 * Returns: as for wsim_services_create_instance_enum().
 */
WSIM_EXPORT
WsimHResult wsim_services_create_class_enum (WsimServices *services, const char *superclass,
                                             gint32 flags, WsimEnumerator **out_enum,
                                             GError **error);

/**
 * wsim_enumerator_ref:
 * @e: a #WsimEnumerator
 *
 * Returns @e. Threading: on its main context.
 *
 * Returns: @e. Threading: on its main context.
 */
WSIM_EXPORT
WsimEnumerator *wsim_enumerator_ref (WsimEnumerator *e);

/**
 * wsim_enumerator_unref:
 * @e: a #WsimEnumerator
 *
 * Drops a reference; the last closes @e (wsim_enumerator_close()). NULL is fine.
 */
WSIM_EXPORT
void wsim_enumerator_unref (WsimEnumerator *e);

/**
 * wsim_enumerator_close:
 * @e: a #WsimEnumerator
 *
 * The explicit release: drops what @e buffered and answers its pending NextAsync sinks
 * with SetStatus(WBEM_E_CALL_CANCELLED). When no clone of @e is open any more, a call
 * still running is cancelled (CancelAsyncCall) and held answers are released, so the
 * provider stops. Every later operation on @e answers RPC_E_DISCONNECTED. Closing twice
 * is harmless.
 */
WSIM_EXPORT
void wsim_enumerator_close (WsimEnumerator *e);

/**
 * wsim_enumerator_next:
 * @e: a #WsimEnumerator
 * @timeout_ms: how long to wait for @count objects: WBEM_INFINITE (-1) until they came or
 *   the result ended, WBEM_NO_WAIT (0) not at all (what is buffered, after one
 *   non-blocking pass over the context); below -1 is WBEM_E_INVALID_PARAMETER
 * @count: how many objects to return; 0 is WBEM_E_INVALID_PARAMETER. Memory follows the
 *   objects returned, not @count
 * @out_objects: (out) (transfer full) (element-type WsimObject) the objects taken, in
 *   order (possibly none): class objects, WsimClassDecl*, for wsim_services_create_class_enum();
 *   NULL when the status is an error of the call to Next itself
 *   (bad input, closed)
 * @error: (nullable) set when the status is a failure
 *
 * Takes up to @count objects from the current position and moves it past them.
 *
 * Returns: WBEM_S_NO_ERROR (@count objects), WBEM_S_FALSE (fewer: the result ended),
 *   WBEM_S_TIMEDOUT (fewer: the timeout passed first), the call's failure (the objects
 *   before it are returned first; @out_objects holds what this Next took, and every later
 *   Next returns the failure again), WBEM_E_INVALID_PARAMETER, WBEM_E_INVALID_OPERATION
 *   (a NextAsync is still pending), RPC_E_DISCONNECTED (closed).
 *   Threading: see the file comment.
 */
WSIM_EXPORT
WsimHResult wsim_enumerator_next (WsimEnumerator *e, gint32 timeout_ms, guint32 count,
                                  GPtrArray **out_objects, GError **error);

/**
 * wsim_enumerator_skip:
 * @e: a #WsimEnumerator
 * @timeout_ms: as for wsim_enumerator_next()
 * @count: how many objects to skip
 * @error: return location for a #GError, or %NULL
 *
 * Next without the objects: moves the position ahead by @count.
 *
 * Returns: as wsim_enumerator_next(): WBEM_S_NO_ERROR, WBEM_S_FALSE (skipped to the end),
 *   WBEM_S_TIMEDOUT, the call's failure, or an error of the call to Skip itself.
 */
WSIM_EXPORT
WsimHResult wsim_enumerator_skip (WsimEnumerator *e, gint32 timeout_ms, guint32 count,
                                  GError **error);

/**
 * wsim_enumerator_next_async:
 * @e: a #WsimEnumerator
 * @count: objects wanted (0: WBEM_E_INVALID_PARAMETER)
 * @sink: (transfer none) where they go; the enumerator keeps a reference until its final
 *   SetStatus. NULL: WBEM_E_INVALID_PARAMETER
 *
 * Delivers, from the context (never before this returns), up to @count objects to @sink's
 * Indicate, then one SetStatus(WBEM_STATUS_COMPLETE): WBEM_S_NO_ERROR when @count were
 * delivered, WBEM_S_FALSE when the result ended first, or the call's failure. Several
 * NextAsync calls are served in order.
 *
 * Returns: WBEM_S_NO_ERROR (@sink will be called), WBEM_S_FALSE (nothing remains: @sink is
 *   not called), the call's failure when nothing remains before it, or an error of the
 *   call to NextAsync itself (RPC_E_DISCONNECTED, WBEM_E_INVALID_PARAMETER).
 */
WSIM_EXPORT
WsimHResult wsim_enumerator_next_async (WsimEnumerator *e, guint32 count, WsimSink *sink);

/**
 * wsim_enumerator_reset:
 * @e: a #WsimEnumerator
 *
 * Goes back to the first object.
 *
 * Returns: WBEM_S_NO_ERROR; WBEM_E_INVALID_OPERATION for a
 *   forward-only enumerator (MS-WMI 3.1.4.4.1); RPC_E_DISCONNECTED when closed.
 */
WSIM_EXPORT
WsimHResult wsim_enumerator_reset (WsimEnumerator *e);

/**
 * wsim_enumerator_clone:
 * @e: a #WsimEnumerator
 * @out_clone: (out) (transfer full) an enumerator over the same result at @e's position
 *   (pending NextAsync deliveries are not cloned); NULL on a failure
 *
 * Returns WBEM_S_NO_ERROR; WBEM_E_INVALID_OPERATION for a forward-only enumerator; *  
 * RPC_E_DISCONNECTED when closed.
 *
 * Returns: WBEM_S_NO_ERROR; WBEM_E_INVALID_OPERATION for a forward-only enumerator;
 *   RPC_E_DISCONNECTED when closed.
 */
WSIM_EXPORT
WsimHResult wsim_enumerator_clone (WsimEnumerator *e, WsimEnumerator **out_clone);

/**
 * wsim_enumerator_get_error_object:
 * @e: a #WsimEnumerator
 *
 * Returns the call's error object (an __ExtendedStatus) once the call failed with one; NULL
 * otherwise.
 *
 * Returns: (transfer none) (nullable) the call's error object (an __ExtendedStatus) once
 *   the call failed with one; NULL otherwise.
 */
WSIM_EXPORT
WsimObject *wsim_enumerator_get_error_object (WsimEnumerator *e);

/**
 * wsim_enumerator_get_str_param:
 * @e: a #WsimEnumerator
 *
 * Returns the final SetStatus's strParam (a failure's reason) once the call ended with one;
 * NULL otherwise.
 *
 * Returns: (transfer none) (nullable) the final SetStatus's strParam (a failure's reason)
 *   once the call ended with one; NULL otherwise.
 */
WSIM_EXPORT
const char *wsim_enumerator_get_str_param (WsimEnumerator *e);

/**
 * wsim_enumerator_set_max_buffered:
 * @e: a #WsimEnumerator
 * @max_buffered: how many unread objects to buffer; 0 for the default
 *
 * Sets how many unread objects @e buffers before it holds the server back (0: the
 * default, WSIM_ENUMERATOR_DEFAULT_MAX_BUFFERED); applies from the next delivery.
 */
WSIM_EXPORT
void wsim_enumerator_set_max_buffered (WsimEnumerator *e, guint max_buffered);

/**
 * wsim_enumerator_get_n_buffered:
 * @e: a #WsimEnumerator
 *
 * Returns objects buffered now (not yet dropped: for a forward-only enumerator the unread
 * ones).
 *
 * Returns: objects buffered now (not yet dropped: for a forward-only enumerator the
 *   unread ones).
 */
WSIM_EXPORT
guint wsim_enumerator_get_n_buffered (WsimEnumerator *e);

/**
 * wsim_enumerator_get_peak_buffered:
 * @e: a #WsimEnumerator
 *
 * Returns the most objects @e (with its clones) has buffered at once.
 *
 * Returns: the most objects @e (with its clones) has buffered at once.
 */
WSIM_EXPORT
guint wsim_enumerator_get_peak_buffered (WsimEnumerator *e);

/**
 * wsim_enumerator_is_holding:
 * @e: a #WsimEnumerator
 *
 * Returns TRUE while the sink host holds the server back for @e.
 *
 * Returns: TRUE while the sink host holds the server back for @e.
 */
WSIM_EXPORT
gboolean wsim_enumerator_is_holding (WsimEnumerator *e);

/**
 * wsim_enumerator_is_complete:
 * @e: a #WsimEnumerator
 *
 * Returns TRUE once the call's final SetStatus arrived (a WsimHarnessCond-shaped predicate).
 *
 * Returns: TRUE once the call's final SetStatus arrived (a WsimHarnessCond-shaped
 *   predicate).
 */
WSIM_EXPORT
gboolean wsim_enumerator_is_complete (gpointer e);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimEnumerator, wsim_enumerator_unref)

G_END_DECLS
