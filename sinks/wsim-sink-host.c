/* wsim-sink-host.c: serves the sink program for the client's sinks (see wsim-sink-host.h). */
#include "wsim-sink-host.h"

#include "wsim-address.h"
#include "wsim-rpc-server.h"
#include "wsim-wbem.h"
#include "wsim_sink.h"

typedef struct {
  GPtrArray *classes;        /* (owned) WsimClass*: the call's class table, in wire order */
} HostCall;

typedef struct {
  guint64     id;
  WsimSink   *sink;          /* (owned) while calls are open */
  GHashTable *calls;         /* call_id (guint64*) -> (owned) HostCall* */
} Export;

struct _WsimSinkHost {
  gint           ref_count;  /* atomic */
  GMainContext  *context;    /* (owned) */
  WsimRpcServer *rpc;        /* (owned) */
  char          *endpoint;   /* (owned) */
  GHashTable    *by_id;      /* sink id (guint64*) -> (owned) Export* */
  GHashTable    *by_sink;    /* WsimSink* -> Export* (unowned) */
  guint64        next_id;
  guint64        n_refused;
};

static void
host_call_free (gpointer p)
{
  HostCall *c = p;

  g_ptr_array_unref (c->classes);
  g_free (c);
}

static void
export_free (gpointer p)
{
  Export *e = p;

  g_hash_table_unref (e->calls);
  wsim_sink_unref (e->sink);
  g_free (e);
}

static guint64 *
key64 (guint64 v)
{
  return g_memdup2 (&v, sizeof v);
}

static void
host_drop_if_idle (WsimSinkHost *host, Export *e)
{
  if (g_hash_table_size (e->calls) > 0)
    return;
  g_hash_table_remove (host->by_sink, e->sink);
  g_hash_table_remove (host->by_id, &e->id);   /* frees e, drops the sink */
}

static HostCall *
host_find (WsimSinkHost *host, guint64 sink_id, guint64 call_id, Export **out)
{
  Export *e = g_hash_table_lookup (host->by_id, &sink_id);
  HostCall *c = e != NULL ? g_hash_table_lookup (e->calls, &call_id) : NULL;

  if (c == NULL)
    host->n_refused++;
  *out = e;
  return c;
}

static void
reply (WsimRpcRequest *req, WsimHResult hr)
{
  wsim_sink_res res = { .hresult = hr };

  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_sink_res, &res);
}

/* Adds the classes a message introduces to the call's table. */
static gboolean
learn_classes (HostCall *c, const wsim_class_def *defs, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      WsimClass *cls = wsim_class_new_from_def (&defs[i], NULL);

      if (cls == NULL)
        return FALSE;
      g_ptr_array_add (c->classes, cls);
    }
  return TRUE;
}

/* Builds an object from a decoded row, taking its values. NULL if the row does not fit
 * the class table. */
static WsimObject *
row_to_object (HostCall *c, wsim_instance *row)
{
  WsimClass *cls;
  wsim_value *values;

  if (row->class_idx >= c->classes->len)
    return NULL;
  cls = c->classes->pdata[row->class_idx];
  if (row->values.values_len != wsim_class_get_n_props (cls))
    return NULL;
  values = row->values.values_val;
  if (values == NULL)
    values = g_new0 (wsim_value, 1);
  row->values.values_val = NULL;
  row->values.values_len = 0;
  return wsim_object_new_take_values (cls, values);
}

static void
h_indicate (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimSinkHost *host = data;
  wsim_indicate_args *a = args;
  Export *e;
  HostCall *c = host_find (host, a->sink_id, a->call_id, &e);
  g_autoptr(GPtrArray) objects = NULL;

  if (c == NULL)
    {
      reply (req, WBEM_E_ACCESS_DENIED);
      return;
    }
  if (!learn_classes (c, a->new_classes.new_classes_val, a->new_classes.new_classes_len))
    {
      reply (req, WBEM_E_INVALID_PARAMETER);
      return;
    }
  objects = g_ptr_array_new_full (a->rows.rows_len, (GDestroyNotify) wsim_object_unref);
  for (guint i = 0; i < a->rows.rows_len; i++)
    {
      WsimObject *obj = row_to_object (c, &a->rows.rows_val[i]);

      if (obj == NULL)
        {
          reply (req, WBEM_E_INVALID_PARAMETER);
          return;
        }
      g_ptr_array_add (objects, obj);
    }
  /* Keep the sink alive through its own callback. */
  {
    WsimSink *sink = wsim_sink_ref (e->sink);

    wsim_sink_indicate (sink, (WsimObject *const *) objects->pdata, objects->len);
    wsim_sink_unref (sink);
  }
  reply (req, WBEM_S_NO_ERROR);
}

static void
h_set_status (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimSinkHost *host = data;
  wsim_set_status_args *a = args;
  Export *e;
  HostCall *c = host_find (host, a->sink_id, a->call_id, &e);
  g_autoptr(WsimObject) obj = NULL;
  g_autoptr(WsimSink) sink = NULL;

  if (c == NULL)
    {
      reply (req, WBEM_E_ACCESS_DENIED);
      return;
    }
  if (!learn_classes (c, a->new_classes.new_classes_val, a->new_classes.new_classes_len)
      || (a->obj_param != NULL && (obj = row_to_object (c, a->obj_param)) == NULL))
    {
      reply (req, WBEM_E_INVALID_PARAMETER);
      return;
    }
  sink = wsim_sink_ref (e->sink);
  if (a->flags == WBEM_STATUS_COMPLETE)
    {
      guint64 sink_id = a->sink_id;

      /* The call is over: forget it before the sink runs, so anything later is refused. The
       * sink may make or abandon calls, or drop the client, meanwhile: hold the host and find
       * the export again afterwards. */
      g_hash_table_remove (e->calls, &a->call_id);
      wsim_sink_host_ref (host);
      wsim_sink_set_status (sink, a->flags, a->hresult,
                            a->str_param != NULL && a->str_param[0] != '\0' ? a->str_param : NULL,
                            obj);
      e = g_hash_table_lookup (host->by_id, &sink_id);
      if (e != NULL)
        host_drop_if_idle (host, e);
      reply (req, WBEM_S_NO_ERROR);
      wsim_sink_host_unref (host);
      return;
    }
  wsim_sink_set_status (sink, a->flags, a->hresult, NULL, obj);
  reply (req, WBEM_S_NO_ERROR);
}

static const WsimRpcProcedure sink_procs[] = {
  { WSIM_SINK_INDICATE, "Indicate", (xdrproc_t) xdr_wsim_indicate_args,
    sizeof (wsim_indicate_args), h_indicate },
  { WSIM_SINK_SET_STATUS, "SetStatus", (xdrproc_t) xdr_wsim_set_status_args,
    sizeof (wsim_set_status_args), h_set_status },
};

static const WsimRpcProgram sink_program = {
  .prog = WSIM_SINK_PROG,
  .vers = WSIM_SINK_V1,
  .name = "wsim-sink",
  .procs = sink_procs,
  .n_procs = G_N_ELEMENTS (sink_procs),
};

WsimSinkHost *
wsim_sink_host_new (GMainContext *context, GSocketAddress *address, GError **error)
{
  WsimSinkHost *host = g_new0 (WsimSinkHost, 1);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketAddress) lo = NULL;

  host->ref_count = 1;
  host->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  host->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, export_free);
  host->by_sink = g_hash_table_new (g_direct_hash, g_direct_equal);
  host->rpc = wsim_rpc_server_new (host->context);
  wsim_rpc_server_add_program (host->rpc, &sink_program, host);
  {
    /* A server's callback connection may stay quiet for as long as a provider waits; the
     * host must not reap it under an open call. */
    WsimRpcServerLimits limits;

    wsim_rpc_server_get_limits (host->rpc, &limits);
    limits.idle_timeout_ms = 0;
    wsim_rpc_server_set_limits (host->rpc, &limits);
  }
  if (address == NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

      address = lo = g_inet_socket_address_new (inet, 0);
    }
  if (!wsim_rpc_server_listen (host->rpc, address, &bound, error))
    {
      wsim_sink_host_unref (host);
      return NULL;
    }
  host->endpoint = wsim_address_to_string (bound);
  return host;
}

WsimSinkHost *
wsim_sink_host_ref (WsimSinkHost *host)
{
  g_atomic_int_inc (&host->ref_count);
  return host;
}

void
wsim_sink_host_unref (WsimSinkHost *host)
{
  if (host == NULL || !g_atomic_int_dec_and_test (&host->ref_count))
    return;
  wsim_rpc_server_unref (host->rpc);
  g_hash_table_unref (host->by_sink);
  g_hash_table_unref (host->by_id);
  g_free (host->endpoint);
  g_main_context_unref (host->context);
  g_free (host);
}

const char *
wsim_sink_host_get_endpoint (WsimSinkHost *host)
{
  return host->endpoint;
}

guint64
wsim_sink_host_begin_call (WsimSinkHost *host, WsimSink *sink, guint64 call_id)
{
  Export *e = g_hash_table_lookup (host->by_sink, sink);
  HostCall *c;

  if (e == NULL)
    {
      e = g_new0 (Export, 1);
      e->id = ++host->next_id;
      e->sink = wsim_sink_ref (sink);
      e->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, host_call_free);
      g_hash_table_insert (host->by_id, key64 (e->id), e);
      g_hash_table_insert (host->by_sink, sink, e);
    }
  c = g_new0 (HostCall, 1);
  c->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_unref);
  g_hash_table_insert (e->calls, key64 (call_id), c);
  return e->id;
}

void
wsim_sink_host_abandon_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id)
{
  Export *e = g_hash_table_lookup (host->by_id, &sink_id);

  if (e == NULL)
    return;
  g_hash_table_remove (e->calls, &call_id);
  host_drop_if_idle (host, e);
}

gboolean
wsim_sink_host_lookup (WsimSinkHost *host, WsimSink *sink, guint64 *sink_id)
{
  Export *e = sink != NULL ? g_hash_table_lookup (host->by_sink, sink) : NULL;

  if (e != NULL)
    *sink_id = e->id;
  return e != NULL;
}

guint
wsim_sink_host_get_n_sinks (WsimSinkHost *host)
{
  return g_hash_table_size (host->by_id);
}

guint
wsim_sink_host_get_n_calls (WsimSinkHost *host)
{
  GHashTableIter iter;
  Export *e;
  guint n = 0;

  g_hash_table_iter_init (&iter, host->by_id);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
    n += g_hash_table_size (e->calls);
  return n;
}

guint64
wsim_sink_host_get_n_refused (WsimSinkHost *host)
{
  return host->n_refused;
}
