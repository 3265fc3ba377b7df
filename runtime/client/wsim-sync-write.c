/* wsim-sync-write.c: synchronous PutInstance, DeleteInstance, PutClass and DeleteClass, each
 * its async call waited for by wsim_sync_call_run() (see wsim-sync.h). */
#include "wsim-sync.h"

typedef struct {
  WsimObject    *inst;
  WsimClassDecl *decl;
  const char    *name;            /* an instance path or a class name */
  gint32         flags;
} WriteArgs;

static WsimHResult
start_put_instance (WsimServices *services, WsimSink *sink, gpointer data, GError **error)
{
  WriteArgs *a = data;

  return wsim_services_put_instance_async (services, a->inst, a->flags, sink, error);
}

static WsimHResult
start_delete_instance (WsimServices *services, WsimSink *sink, gpointer data, GError **error)
{
  WriteArgs *a = data;

  return wsim_services_delete_instance_async (services, a->name, a->flags, sink, error);
}

static WsimHResult
start_put_class (WsimServices *services, WsimSink *sink, gpointer data, GError **error)
{
  WriteArgs *a = data;

  return wsim_services_put_class_async (services, a->decl, a->flags, sink, error);
}

static WsimHResult
start_delete_class (WsimServices *services, WsimSink *sink, gpointer data, GError **error)
{
  WriteArgs *a = data;

  return wsim_services_delete_class_async (services, a->name, a->flags, sink, error);
}

/* Runs the write; a success's strParam (a put's new path) into *@out_str (optional). */
static WsimHResult
run_write (WsimServices *services, WsimSyncStart start, WriteArgs *a, gint32 timeout_ms,
           char **out_str, WsimObject **out_error_object, GError **error)
{
  WsimSyncResult r;
  WsimHResult hr = wsim_sync_call_run (services, start, a, timeout_ms, &r, error);

  if (out_str != NULL)
    *out_str = !WSIM_HRESULT_FAILED (hr) ? g_steal_pointer (&r.str_param) : NULL;
  if (out_error_object != NULL)
    *out_error_object = g_steal_pointer (&r.error_object);
  wsim_sync_result_clear (&r);
  return hr;
}

WsimHResult
wsim_services_put_instance (WsimServices *services, WsimObject *inst, gint32 flags,
                            gint32 timeout_ms, char **out_path, WsimObject **out_error_object,
                            GError **error)
{
  WriteArgs a = { .inst = inst, .flags = flags };

  return run_write (services, start_put_instance, &a, timeout_ms, out_path, out_error_object,
                    error);
}

WsimHResult
wsim_services_delete_instance (WsimServices *services, const char *object_path, gint32 flags,
                               gint32 timeout_ms, WsimObject **out_error_object, GError **error)
{
  WriteArgs a = { .name = object_path, .flags = flags };

  return run_write (services, start_delete_instance, &a, timeout_ms, NULL, out_error_object,
                    error);
}

WsimHResult
wsim_services_put_class (WsimServices *services, WsimClassDecl *class_object, gint32 flags,
                         gint32 timeout_ms, WsimObject **out_error_object, GError **error)
{
  WriteArgs a = { .decl = class_object, .flags = flags };

  return run_write (services, start_put_class, &a, timeout_ms, NULL, out_error_object, error);
}

WsimHResult
wsim_services_delete_class (WsimServices *services, const char *class_name, gint32 flags,
                            gint32 timeout_ms, WsimObject **out_error_object, GError **error)
{
  WriteArgs a = { .name = class_name, .flags = flags };

  return run_write (services, start_delete_class, &a, timeout_ms, NULL, out_error_object,
                    error);
}
