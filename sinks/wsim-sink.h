/**
 * SECTION:wsim-sink
 * @title: wsim-sink.h
 * @short_description: the client's sink (IWbemObjectSink): where the results of an async call
 *   arrive
 *
 * A sink is a small ops table (indicate, set_status) plus user data, refcounted. The
 * sink host (wsim-sink-host.h) holds a reference from the moment an async call using the
 * sink is accepted until that call's final SetStatus has been delivered, then drops it,
 * as WMI does with the sink it was given. A sink used for several calls receives each
 * call's Indicate and SetStatus calls; CancelAsyncCall with the sink ends all of them.
 *
 * Threading: the ops run on the thread of the context the sink host was created on.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-class.h"
#include "wsim-class-decl.h"
#include "wsim-hresult.h"

G_BEGIN_DECLS

/**
 * WsimSink:
 *
 * The client's sink (IWbemObjectSink): where an async call's results arrive.
 */
typedef struct _WsimSink WsimSink;

/**
 * WsimSinkOps:
 * @indicate: @objects (@n of them, borrowed: ref what you keep) arrived
 * @set_status: @flags is WBEM_STATUS_COMPLETE (the final one: nothing follows for that
 *   call) or WBEM_STATUS_PROGRESS (LOWORD(@hr) done, HIWORD(@hr) total); @str_param and
 *   @obj_param may be NULL
 *
 * What a sink does with what arrives (wsim_sink_new()).
 */
typedef struct {
  void (*indicate)   (WsimSink *sink, WsimObject *const *objects, guint n, gpointer user_data);
  void (*set_status) (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
                      WsimObject *obj_param, gpointer user_data);
} WsimSinkOps;

/**
 * WsimSinkClassOps:
 * @indicate_classes: class objects (__GENUS 1: GetObjectAsync of a class path,
 *   CreateClassEnumAsync, meta_class queries, WBEM_FLAG_PROTOTYPE) arrived, @n of them,
 *   borrowed (ref what you keep), with @user_data the sink's
 *
 * What a sink that takes class objects adds (a table of its own, so that
 * WsimSinkOps, which programs built against an older header hold, keeps its size).
 */
typedef struct {
  void (*indicate_classes) (WsimSink *sink, WsimClassDecl *const *classes, guint n,
                            gpointer user_data);
} WsimSinkClassOps;

/**
 * wsim_sink_new:
 * @ops: (not nullable) a static table
 * @user_data: passed to the ops; freed with @destroy when the last reference goes
 * @destroy: (nullable) frees @user_data
 *
 * Returns a sink with one reference.
 *
 * Returns: (transfer full) a sink with one reference.
 */
WSIM_EXPORT
WsimSink *wsim_sink_new (const WsimSinkOps *ops, gpointer user_data, GDestroyNotify destroy);

/**
 * wsim_sink_ref:
 * @sink: a #WsimSink
 *
 * Returns @sink, with one more reference (any thread: atomic).
 *
 * Returns: (transfer full) @sink, with one more reference (any thread: atomic).
 */
WSIM_EXPORT
WsimSink *wsim_sink_ref (WsimSink *sink);

/**
 * wsim_sink_unref:
 * @sink: a #WsimSink
 *
 * Drops one reference to @sink; the last frees it (its ops' destroy runs). NULL is fine.
 */
WSIM_EXPORT
void      wsim_sink_unref (WsimSink *sink);

/**
 * wsim_sink_indicate:
 * @sink: a #WsimSink
 * @objects: (array length=n) the objects (borrowed)
 * @n: the number of @objects
 *
 * Delivers to the sink's ops (the sink host calls these).
 */
WSIM_EXPORT
void wsim_sink_indicate (WsimSink *sink, WsimObject *const *objects, guint n);

/**
 * wsim_sink_set_class_ops:
 * @sink: a #WsimSink
 * @ops: (nullable) a static table; NULL: class objects are dropped (the default)
 *
 * Lets @sink take class objects. Set it before the sink is given to a call, on the sink's
 * context.
 */
WSIM_EXPORT
void wsim_sink_set_class_ops (WsimSink *sink, const WsimSinkClassOps *ops);

/**
 * wsim_sink_indicate_classes:
 * @sink: a #WsimSink
 * @classes: (array length=n) the class objects (borrowed)
 * @n: the number of @classes
 *
 * Delivers class objects to the sink's class ops (if set).
 */
WSIM_EXPORT
void wsim_sink_indicate_classes (WsimSink *sink, WsimClassDecl *const *classes, guint n);

/**
 * wsim_sink_set_status:
 * @sink: a #WsimSink
 * @flags: WBEM_STATUS_COMPLETE or WBEM_STATUS_PROGRESS
 * @hr: the status
 * @str_param: (nullable) the strParam
 * @obj_param: (nullable) the error object (an __ExtendedStatus)
 *
 * Delivers a SetStatus to @sink's ops: @flags WBEM_STATUS_COMPLETE (the final, with @hr,
 * @str_param and the error object @obj_param, both nullable) or WBEM_STATUS_PROGRESS.
 */
WSIM_EXPORT
void wsim_sink_set_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
                           WsimObject *obj_param);

/**
 * wsim_sink_get_ops:
 * @sink: a #WsimSink
 *
 * Returns the ops table the sink was made with.
 *
 * Returns: (transfer none) the ops table the sink was made with.
 */
WSIM_EXPORT
const WsimSinkOps *wsim_sink_get_ops (WsimSink *sink);

/**
 * wsim_sink_get_user_data:
 * @sink: a #WsimSink
 *
 * Returns the user data.
 *
 * Returns: (transfer none) the user data.
 */
WSIM_EXPORT
gpointer wsim_sink_get_user_data (WsimSink *sink);

/* ---- a sink that records what it receives (tests, the CLI) --------------------- */

typedef struct _WsimSinkRecorder WsimSinkRecorder;

/**
 * WsimSinkRecorder:
 * @objects: (element-type WsimObject) (transfer full) every object received, in order
 * @progress: (element-type guint32) the hResults of PROGRESS SetStatus calls
 * @n_indicate: Indicate calls received
 * @n_final: final SetStatus calls received (the contract says 1)
 * @final_hr: the final status
 * @final_str_param: (transfer full) (nullable) the final SetStatus's strParam (a failed call's
 *   reason,
 *   a new object's path), NULL when it had none
 * @events_after_final: Indicate or SetStatus calls received after a final one
 * @keep_objects: FALSE to count objects without keeping them (benchmarks)
 * @n_objects: objects received
 * @classes: (element-type WsimClassDecl) (transfer full) the class objects received, in order
 * @final_error: (transfer full) (nullable) the final SetStatus's pObjParam, the error object (an
 *   __ExtendedStatus, see wsim_extended_status_describe()); NULL when it had none (a success)
 * @on_objects: (nullable) called on each Indicate (the CLI prints from here)
 * @on_final: (nullable) called on the final SetStatus
 * @data: passed to @on_objects and @on_final
 *
 * Keeps the objects, every SetStatus and the order of events; the
 * contract checks of the tests read it.
 */
struct _WsimSinkRecorder {
  GPtrArray *objects;
  GArray    *progress;
  guint      n_indicate;
  guint      n_final;
  WsimHResult final_hr;
  char      *final_str_param;
  guint      events_after_final;
  gboolean   keep_objects;
  guint64    n_objects;
  /* Called on each Indicate and on the final SetStatus, if set (the CLI prints from here). */
  void     (*on_objects) (WsimSinkRecorder *rec, WsimObject *const *objects, guint n, gpointer data);
  void     (*on_final)   (WsimSinkRecorder *rec, gpointer data);
  gpointer   data;
  WsimObject *final_error;
  /* Appended: (element-type WsimClassDecl) (owned) every class object received, in order
   * (kept whatever keep_objects says: class results are small); Indicate calls carrying
   * them count in n_indicate too. */
  GPtrArray *classes;
};

/**
 * wsim_sink_recorder_new:
 * @out_rec: (out) (transfer none) the recorder, owned by the sink
 *
 * Returns a sink that records into *@out_rec.
 *
 * Returns: (transfer full) a sink that records into *@out_rec.
 */
WSIM_EXPORT
WsimSink *wsim_sink_recorder_new (WsimSinkRecorder **out_rec);

/**
 * wsim_sink_recorder_is_complete:
 * @rec: a recorder sink's #WsimSinkRecorder
 *
 * Returns TRUE once a final SetStatus arrived (a WsimTestCond-shaped predicate).
 *
 * Returns: TRUE once a final SetStatus arrived (a WsimTestCond-shaped predicate).
 */
WSIM_EXPORT
gboolean wsim_sink_recorder_is_complete (gpointer rec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimSink, wsim_sink_unref)

G_END_DECLS
