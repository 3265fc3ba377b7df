/* wsim-sink.c: sinks and the recording sink (see wsim-sink.h). */
#include "wsim-sink.h"

#include "wsim-sink-flow.h"
#include "wsim-wbem.h"
#include "wsim_sink.h"

struct _WsimSink {
  gatomicrefcount ref_count;   /* atomic */
  const WsimSinkOps *ops;         /* (unowned) static */
  const WsimSinkClassOps *class_ops; /* (unowned) (nullable) static */
  gpointer           user_data;   /* (owned) freed with @destroy */
  GDestroyNotify     destroy;
  /* Flow control (wsim-sink-flow.h), on the sink host's context. */
  gboolean           held;        /* Indicate answers wait */
  GQueue             held_replies; /* (owned) WsimRpcRequest*, oldest first */
};

WsimSink *
wsim_sink_new (const WsimSinkOps *ops, gpointer user_data, GDestroyNotify destroy)
{
  WsimSink *sink;

  g_return_val_if_fail (ops != NULL, NULL);
  sink = g_new0 (WsimSink, 1);
  g_atomic_ref_count_init (&sink->ref_count);
  sink->ops = ops;
  sink->user_data = user_data;
  sink->destroy = destroy;
  return sink;
}

WsimSink *
wsim_sink_ref (WsimSink *sink)
{
  g_return_val_if_fail (sink != NULL, NULL);
  g_atomic_ref_count_inc (&sink->ref_count);
  return sink;
}

void
wsim_sink_unref (WsimSink *sink)
{
  if (sink == NULL || !g_atomic_ref_count_dec (&sink->ref_count))
    return;
  /* A held answer still owed goes now: the server must not wait for a sink that is gone. */
  wsim_sink_flow_set_held (sink, FALSE);
  if (sink->destroy != NULL)
    sink->destroy (sink->user_data);
  g_free (sink);
}

void
wsim_sink_indicate (WsimSink *sink, WsimObject *const *objects, guint n)
{
  if (sink->ops->indicate != NULL)
    sink->ops->indicate (sink, objects, n, sink->user_data);
}

void
wsim_sink_set_class_ops (WsimSink *sink, const WsimSinkClassOps *ops)
{
  sink->class_ops = ops;
}

void
wsim_sink_indicate_classes (WsimSink *sink, WsimClassDecl *const *classes, guint n)
{
  if (sink->class_ops != NULL && sink->class_ops->indicate_classes != NULL)
    sink->class_ops->indicate_classes (sink, classes, n, sink->user_data);
}

void
wsim_sink_set_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
                      WsimObject *obj_param)
{
  if (sink->ops->set_status != NULL)
    sink->ops->set_status (sink, flags, hr, str_param, obj_param, sink->user_data);
}

const WsimSinkOps *
wsim_sink_get_ops (WsimSink *sink)
{
  return sink->ops;
}

gpointer
wsim_sink_get_user_data (WsimSink *sink)
{
  return sink->user_data;
}

/* ---- flow control (wsim-sink-flow.h) -------------------------------------------- */

void
wsim_sink_flow_set_held (WsimSink *sink, gboolean held)
{
  WsimRpcRequest *req;

  sink->held = held;
  if (held)
    return;
  while ((req = g_queue_pop_head (&sink->held_replies)) != NULL)
    {
      wsim_sink_res res = { .hresult = WBEM_S_NO_ERROR };

      wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_sink_res, &res);
      wsim_rpc_request_unref (req);
    }
}

gboolean
wsim_sink_flow_is_held (WsimSink *sink)
{
  return sink->held;
}

gboolean
wsim_sink_flow_take_reply (WsimSink *sink, WsimRpcRequest *req)
{
  if (!sink->held)
    return FALSE;
  g_queue_push_tail (&sink->held_replies, wsim_rpc_request_ref (req));
  return TRUE;
}

guint
wsim_sink_flow_get_n_held (WsimSink *sink)
{
  return g_queue_get_length (&sink->held_replies);
}

/* ---- the recorder --------------------------------------------------------------- */

static void
rec_indicate (WsimSink *sink, WsimObject *const *objects, guint n, gpointer data)
{
  WsimSinkRecorder *rec = data;

  if (rec->n_final > 0)
    rec->events_after_final++;
  rec->n_indicate++;
  rec->n_objects += n;
  if (rec->keep_objects)
    for (guint i = 0; i < n; i++)
      g_ptr_array_add (rec->objects, wsim_object_ref (objects[i]));
  if (rec->on_objects != NULL)
    rec->on_objects (rec, objects, n, rec->data);
}

static void
rec_indicate_classes (WsimSink *sink, WsimClassDecl *const *classes, guint n, gpointer data)
{
  WsimSinkRecorder *rec = data;

  if (rec->n_final > 0)
    rec->events_after_final++;
  rec->n_indicate++;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rec->classes, wsim_class_decl_ref (classes[i]));
}

static void
rec_set_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
                WsimObject *obj_param, gpointer data)
{
  WsimSinkRecorder *rec = data;

  if (rec->n_final > 0)
    rec->events_after_final++;
  if (flags == WBEM_STATUS_PROGRESS)
    {
      g_array_append_val (rec->progress, hr);
      return;
    }
  rec->n_final++;
  rec->final_hr = hr;
  g_free (rec->final_str_param);
  rec->final_str_param = g_strdup (str_param);
  g_clear_pointer (&rec->final_error, wsim_object_unref);
  rec->final_error = obj_param != NULL ? wsim_object_ref (obj_param) : NULL;
  if (rec->on_final != NULL)
    rec->on_final (rec, rec->data);
}

static void
rec_free (gpointer data)
{
  WsimSinkRecorder *rec = data;

  g_ptr_array_unref (rec->objects);
  g_ptr_array_unref (rec->classes);
  g_array_unref (rec->progress);
  g_free (rec->final_str_param);
  g_clear_pointer (&rec->final_error, wsim_object_unref);
  g_free (rec);
}

static const WsimSinkOps recorder_ops = {
  .indicate = rec_indicate,
  .set_status = rec_set_status,
};

static const WsimSinkClassOps recorder_class_ops = {
  .indicate_classes = rec_indicate_classes,
};

WsimSink *
wsim_sink_recorder_new (WsimSinkRecorder **out_rec)
{
  WsimSinkRecorder *rec = g_new0 (WsimSinkRecorder, 1);
  WsimSink *sink;

  rec->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  rec->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_decl_unref);
  rec->progress = g_array_new (FALSE, FALSE, sizeof (guint32));
  rec->keep_objects = TRUE;
  *out_rec = rec;
  sink = wsim_sink_new (&recorder_ops, rec, rec_free);
  wsim_sink_set_class_ops (sink, &recorder_class_ops);
  return sink;
}

gboolean
wsim_sink_recorder_is_complete (gpointer rec)
{
  return ((WsimSinkRecorder *) rec)->n_final > 0;
}
