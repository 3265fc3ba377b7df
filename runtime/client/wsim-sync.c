/* wsim-sync.c: synchronous calls as one async call waited for (see wsim-sync.h). */
#include "wsim-sync.h"

#include "wsim-wbem.h"

void
wsim_sync_result_clear (WsimSyncResult *result)
{
  g_clear_pointer (&result->objects, g_ptr_array_unref);
  g_clear_pointer (&result->str_param, g_free);
  g_clear_pointer (&result->error_object, wsim_object_unref);
  result->hr = WBEM_S_NO_ERROR;
}

static gboolean
timer_fired (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

WsimHResult
wsim_sync_call_run (WsimServices *services, WsimSyncStart start, gpointer data, gint32 timeout_ms,
                    WsimSyncResult *result, GError **error)
{
  GMainContext *ctx = wsim_sink_host_get_context (wsim_client_get_sink_host (
                        wsim_services_get_client (services)));
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  gboolean expired = FALSE;
  GSource *timer = NULL;
  WsimHResult hr;

  *result = (WsimSyncResult) { 0 };
  result->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  hr = start (services, sink, data, error);
  if (hr != WBEM_S_NO_ERROR)
    return result->hr = hr;
  if (timeout_ms >= 0)
    {
      timer = g_timeout_source_new ((guint) timeout_ms);
      g_source_set_callback (timer, timer_fired, &expired, NULL);
      g_source_attach (timer, ctx);
    }
  while (!wsim_sink_recorder_is_complete (rec) && !expired)
    g_main_context_iteration (ctx, TRUE);
  if (timer != NULL)
    {
      g_source_destroy (timer);
      g_source_unref (timer);
    }
  if (!wsim_sink_recorder_is_complete (rec))
    {
      /* The call goes on without us: stop it; its final SetStatus reaches a recorder
       * nobody reads, which the sink host's reference keeps until then. */
      wsim_services_cancel_async_call (services, sink);
      wsim_set_error_hresult (error, WBEM_E_TIMED_OUT, "no final status within %d ms", timeout_ms);
      return result->hr = WBEM_E_TIMED_OUT;
    }
  g_ptr_array_extend_and_steal (result->objects, g_steal_pointer (&rec->objects));
  rec->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  result->str_param = g_steal_pointer (&rec->final_str_param);
  result->error_object = g_steal_pointer (&rec->final_error);
  result->hr = rec->final_hr;
  if (WSIM_HRESULT_FAILED (result->hr))
    wsim_set_error_hresult (error, result->hr, "%s", result->str_param != NULL
                            ? result->str_param : wsim_hresult_message (result->hr));
  return result->hr;
}

/* The single object a GetObject or ExecMethod returns, into the caller's out-parameters. */
static WsimHResult
single_object (WsimSyncResult *r, WsimObject **out_object, WsimObject **out_error_object)
{
  WsimHResult hr = r->hr;

  *out_object = NULL;
  if (!WSIM_HRESULT_FAILED (hr) && r->objects->len > 0)
    *out_object = wsim_object_ref (r->objects->pdata[0]);
  if (out_error_object != NULL)
    *out_error_object = g_steal_pointer (&r->error_object);
  wsim_sync_result_clear (r);
  return hr;
}

typedef struct {
  const char *path;
  const char *method;
  WsimObject *in_params;
  gint32      flags;
} CallArgs;

static WsimHResult
start_get_object (WsimServices *services, WsimSink *sink, gpointer data, GError **error)
{
  CallArgs *a = data;

  return wsim_services_get_object_async (services, a->path, a->flags, sink, error);
}

static WsimHResult
start_exec_method (WsimServices *services, WsimSink *sink, gpointer data, GError **error)
{
  CallArgs *a = data;

  return wsim_services_exec_method_async (services, a->path, a->method, a->in_params, a->flags,
                                          sink, error);
}

WsimHResult
wsim_services_get_object (WsimServices *services, const char *object_path, gint32 flags,
                          gint32 timeout_ms, WsimObject **out_object,
                          WsimObject **out_error_object, GError **error)
{
  CallArgs a = { .path = object_path, .flags = flags };
  WsimSyncResult r;

  wsim_sync_call_run (services, start_get_object, &a, timeout_ms, &r, error);
  return single_object (&r, out_object, out_error_object);
}

WsimHResult
wsim_services_exec_method (WsimServices *services, const char *object_path, const char *method,
                           WsimObject *in_params, gint32 flags, gint32 timeout_ms,
                           WsimObject **out_params, WsimObject **out_error_object, GError **error)
{
  CallArgs a = { .path = object_path, .method = method, .in_params = in_params, .flags = flags };
  WsimSyncResult r;

  wsim_sync_call_run (services, start_exec_method, &a, timeout_ms, &r, error);
  return single_object (&r, out_params, out_error_object);
}
