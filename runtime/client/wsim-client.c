/* wsim-client.c: the client library (see wsim-client.h). */
#include "wsim-client.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wsim-address.h"
#include "wsim-call-watch.h"
#include "wsim-channel.h"
#include "wsim-context-wire.h"
#include "wsim-rpc-error.h"
#include "wsim-unsecapp.h"
#include "wsim_service.h"

struct _WsimClient {
  gatomicrefcount ref_count;   /* atomic */
  GMainContext  *rpc_context; /* (owned) private: drives the channels' calls only */
  GSocketAddress *address;    /* (owned) the server */
  WsimChannel   *channel;     /* (owned) the service connection, at the client's blanket */
  WsimSinkHost  *host;        /* (owned) on the caller's context */
  char          *endpoint;    /* (owned) where the server calls @host back (what requests name) */
  char          *sink_dir;    /* (owned) (nullable) @host's directory, when it is a Unix socket */
  GSocketAddress *near;       /* (owned) this side's address of the connection to the server */
  WsimTrace     *trace;       /* (owned) what the client decided on its own */
  WsimCallWatch *watch;       /* (owned) on the caller's context */
};

/* Call ids are unique in the process, not only per client: one stub (one helper) may serve
 * calls of several clients. */
static gsize next_call_id = 1;   /* atomic (g_atomic_pointer_add: a pointer-sized value) */

struct _WsimServices {
  gatomicrefcount ref_count;     /* atomic */
  WsimClient  *client;        /* (owned) */
  WsimChannel *own;           /* (owned) (nullable) its own blanket's connection, else the client's */
  guint64      ns_handle;
  char        *ns;            /* (owned) */
  guint64      last_call_id;
  WsimContext *context;       /* (owned) (nullable) what its *Async calls carry */
};

WsimClient *
wsim_client_connect (GMainContext *context, const char *address, GError **error)
{
  return wsim_client_new (context, address, NULL, error);
}

WsimClient *
wsim_client_connect_full (GMainContext *context, const char *address, const WsimBlanket *blanket,
                          GError **error)
{
  WsimClientOptions options = { .blanket = blanket };

  return wsim_client_new (context, address, &options, error);
}

/* Where the sink host listens: what the options say, else the local address of the
 * connection to the server with a free port (the address the server already reaches this
 * client at, and no other interface), or for a server reached by a Unix socket, a Unix
 * socket in a directory of its own. */
static GSocketAddress *
sink_listen_address (WsimClient *client, const WsimClientOptions *options, GError **error)
{
  if (options->callback_listen != NULL)
    return wsim_address_parse (options->callback_listen, error);
  if (G_IS_INET_SOCKET_ADDRESS (client->near))
    return g_inet_socket_address_new (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (client->near)), 0);
  {
    g_autofree char *path = NULL;

    /* 0711 and a 0666 socket: the server, whatever its user, connects by path; the sink
     * host's RPC-level checks, not the directory, decide what it takes. */
    client->sink_dir = g_dir_make_tmp ("wmisim-sink-XXXXXX", error);
    if (client->sink_dir == NULL)
      return NULL;
    g_chmod (client->sink_dir, 0711);
    path = g_build_filename (client->sink_dir, "sink", NULL);
    return g_unix_socket_address_new (path);
  }
}

/* What requests name: the host's bound address, or for a host listening on every interface
 * the address the server already reaches this client at. */
static char *
advertised_endpoint (WsimClient *client)
{
  g_autoptr(GSocketAddress) bound = wsim_address_parse (wsim_sink_host_get_endpoint (client->host), NULL);

  return bound != NULL ? wsim_address_to_string_as_reached (bound, client->near)
                       : g_strdup (wsim_sink_host_get_endpoint (client->host));
}

WsimClient *
wsim_client_new (GMainContext *context, const char *address, const WsimClientOptions *options,
                 GError **error)
{
  static const WsimClientOptions defaults = { 0 };
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GSocketAddress) listen = NULL;
  g_auto(WsimBlanket) process = WSIM_BLANKET_INIT;
  const WsimBlanket *blanket;
  WsimCallWatchTimeouts timeouts;
  g_autoptr(WsimClient) client = NULL;

  g_return_val_if_fail (address != NULL, NULL);
  if (options == NULL)
    options = &defaults;
  if ((addr = wsim_address_parse (address, error)) == NULL)
    return NULL;
  blanket = options->blanket;
  if (blanket == NULL)
    {
      wsim_security_get_default (&process);
      blanket = &process;
    }
  client = g_new0 (WsimClient, 1);
  g_atomic_ref_count_init (&client->ref_count);
  client->rpc_context = g_main_context_new ();
  client->address = g_object_ref (addr);
  client->trace = wsim_trace_new ();
  client->channel = wsim_channel_open (client->rpc_context, addr, blanket, error);
  if (client->channel == NULL
      || (client->near = wsim_channel_get_local_address (client->channel, error)) == NULL
      || (listen = sink_listen_address (client, options, error)) == NULL
      || (client->host = wsim_sink_host_new (context, listen, error)) == NULL)
    return NULL;
  if (G_IS_UNIX_SOCKET_ADDRESS (listen))
    g_chmod (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (listen)), 0666);
  client->endpoint = advertised_endpoint (client);
  timeouts = (WsimCallWatchTimeouts) {
    .inactivity_ms = options->call_timeout_ms,
    .answer_ms = options->answer_timeout_ms,
  };
  client->watch = wsim_call_watch_new (wsim_sink_host_get_context (client->host), client->channel,
                                       client->trace, &timeouts);
  return g_steal_pointer (&client);
}

WsimClient *
wsim_client_ref (WsimClient *client)
{
  g_atomic_ref_count_inc (&client->ref_count);
  return client;
}

void
wsim_client_unref (WsimClient *client)
{
  if (client == NULL || !g_atomic_ref_count_dec (&client->ref_count))
    return;
  g_clear_pointer (&client->watch, wsim_call_watch_free);
  g_clear_pointer (&client->host, wsim_sink_host_unref);
  wsim_channel_free (client->channel);
  if (client->sink_dir != NULL)
    {
      g_autofree char *path = g_build_filename (client->sink_dir, "sink", NULL);

      g_unlink (path);
      g_rmdir (client->sink_dir);
      g_free (client->sink_dir);
    }
  g_free (client->endpoint);
  g_clear_object (&client->near);
  wsim_trace_unref (client->trace);
  g_clear_object (&client->address);
  while (g_main_context_iteration (client->rpc_context, FALSE))
    ;
  g_main_context_unref (client->rpc_context);
  g_free (client);
}

WsimSinkHost *
wsim_client_get_sink_host (WsimClient *client)
{
  return client->host;
}

const char *
wsim_client_get_callback_endpoint (WsimClient *client)
{
  return client->endpoint;
}

WsimTrace *
wsim_client_get_trace (WsimClient *client)
{
  return client->trace;
}

guint
wsim_client_get_n_watched_calls (WsimClient *client)
{
  return wsim_call_watch_get_n_calls (client->watch);
}

WsimAuthnLevel
wsim_client_get_authn_level (WsimClient *client)
{
  return wsim_channel_get_level (client->channel);
}

/* The connection @services' requests use: its own if it has a blanket of its own. */
static WsimChannel *
services_channel (WsimServices *services)
{
  return services->own != NULL ? services->own : services->client->channel;
}

/* A request for @services; the wait iterates only the private context. */
static gboolean
services_call (WsimServices *services, guint32 proc, xdrproc_t xargs, const void *args,
               xdrproc_t xres, void *res, GError **error)
{
  return wsim_channel_call (services_channel (services), proc, xargs, args, xres, res, error);
}

WsimServices *
wsim_client_open_namespace (WsimClient *client, const char *ns, GError **error)
{
  wsim_open_namespace_args args = { .namespace_path = (char *) ns, .flags = 0 };
  wsim_open_namespace_res res = { 0 };
  WsimServices *services;

  g_return_val_if_fail (client != NULL && ns != NULL, NULL);
  if (!wsim_channel_call (client->channel, WSIM_OPEN_NAMESPACE, (xdrproc_t) xdr_wsim_open_namespace_args, &args,
                    (xdrproc_t) xdr_wsim_open_namespace_res, &res, error))
    return NULL;
  if (WSIM_HRESULT_FAILED (res.hresult))
    {
      wsim_set_error_hresult (error, res.hresult, "cannot open namespace %s", ns);
      return NULL;
    }
  services = g_new0 (WsimServices, 1);
  g_atomic_ref_count_init (&services->ref_count);
  services->client = wsim_client_ref (client);
  services->ns_handle = res.ns_handle;
  services->ns = g_strdup (ns);
  return services;
}

WsimServices *
wsim_services_ref (WsimServices *services)
{
  g_atomic_ref_count_inc (&services->ref_count);
  return services;
}

void
wsim_services_unref (WsimServices *services)
{
  if (services == NULL || !g_atomic_ref_count_dec (&services->ref_count))
    return;
  wsim_channel_free (services->own);
  wsim_client_unref (services->client);
  wsim_context_unref (services->context);
  g_free (services->ns);
  g_free (services);
}

void
wsim_services_set_context (WsimServices *services, WsimContext *context)
{
  g_clear_pointer (&services->context, wsim_context_unref);
  /* A copy: changing the caller's context later changes no call (WMI copies it too). */
  services->context = context != NULL ? wsim_context_clone (context) : NULL;
}

/* A V2 argument: the context, then the V1 argument with its own routine (wsim_service.x). */
typedef struct {
  wsim_context wire;
  xdrproc_t    xargs;
  const void  *args;
} V2Args;

static bool_t
xdr_v2_args (XDR *xdrs, V2Args *a)
{
  return xdr_wsim_context (xdrs, &a->wire) && a->xargs (xdrs, (void *) a->args, 0);
}

/* services_call() of an *Async request: as V2 with the proxy's context if it has one. */
static gboolean
services_call_async (WsimServices *services, guint32 proc, xdrproc_t xargs, const void *args,
                     xdrproc_t xres, void *res, GError **error)
{
  g_autoptr(GError) local = NULL;
  V2Args v2 = { .xargs = xargs, .args = args };
  gboolean ok;

  if (services->context == NULL)
    return services_call (services, proc, xargs, args, xres, res, error);
  wsim_context_to_wire (services->context, &v2.wire);
  ok = wsim_channel_call_version (services_channel (services), WSIM_SERVICE_V2, proc,
                                  (xdrproc_t) xdr_v2_args, &v2, xres, res, &local);
  g_free (v2.wire.values.values_val);
  if (ok)
    return TRUE;
  if (g_error_matches (local, WSIM_RPC_ERROR, WSIM_RPC_ERROR_PROG_MISMATCH))
    wsim_set_error_hresult (error, WBEM_E_NOT_SUPPORTED,
                            "the server does not take a call context (IWbemContext): it "
                            "does not serve version %u of the service program (%s)",
                            (guint) WSIM_SERVICE_V2, local->message);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
wsim_services_set_blanket (WsimServices *services, const WsimBlanket *blanket, GError **error)
{
  WsimClient *client = services->client;
  WsimChannel *ch;

  g_return_val_if_fail (blanket != NULL, FALSE);
  ch = wsim_channel_open (client->rpc_context, client->address, blanket, error);
  if (ch == NULL)
    return FALSE;
  wsim_channel_free (services->own);
  services->own = ch;
  return TRUE;
}

void
wsim_services_get_blanket (WsimServices *services, WsimBlanket *out)
{
  wsim_blanket_copy (out, wsim_channel_get_blanket (services_channel (services)));
}

WsimAuthnLevel
wsim_services_get_authn_level (WsimServices *services)
{
  return wsim_channel_get_level (services_channel (services));
}

guint64
wsim_services_get_last_call_id (WsimServices *services)
{
  return services->last_call_id;
}

/* The end of a plain call on the client's side: the sink's final SetStatus from its host. */
static gboolean
end_call_here (guint64 call_id, guint64 local_sink_id, WsimHResult hr, const char *why, gpointer data)
{
  WsimClient *client = data;

  return wsim_sink_host_end_call (client->host, local_sink_id, call_id, hr, why);
}

typedef struct {
  WsimUnsecApp *app;       /* (owned) */
  guint64       stub_id;
} StubEnd;

static void
stub_end_free (gpointer p)
{
  StubEnd *e = p;

  wsim_unsecapp_unref (e->app);
  g_free (e);
}

/* The end of a stub's call on the client's side: through the apartment's trusted path. */
static gboolean
end_stub_call_here (guint64 call_id, guint64 local_sink_id, WsimHResult hr, const char *why,
                    gpointer data)
{
  StubEnd *e = data;

  return wsim_unsecapp_end_call_locally (e->app, e->stub_id, local_sink_id, call_id, hr, why);
}

/* Begins a call where its callbacks will arrive (so they are accepted before the server can
 * send any): the client's sink host, or the unsecured apartment for a stub, which is told
 * whom to expect and listens where the server can reach it. Fills @watched (but its end
 * data) for the watch. Returns: FALSE with @error if that side is gone. */
static gboolean
services_begin_call (WsimServices *services, WsimSink *sink, guint64 call_id,
                     wsim_sink_locator *locator, WsimWatchedCall *watched, GError **error)
{
  WsimClient *client = services->client;
  WsimChannel *ch = services_channel (services);
  WsimStubCall where;
  StubEnd *e;

  watched->call_id = call_id;
  if (!wsim_sink_is_stub (sink))
    {
      locator->endpoint = client->endpoint;
      locator->sink_id = wsim_sink_host_begin_call (client->host, sink, call_id);
      watched->host = client->host;
      watched->local_sink_id = locator->sink_id;
      watched->end = end_call_here;
      watched->user_data = client;   /* the client owns the watch */
      return TRUE;
    }
  if (!wsim_unsecapp_stub_begin_call (sink, call_id, wsim_channel_get_server_principal (ch),
                                      wsim_channel_get_level (ch) > RPC_C_AUTHN_LEVEL_NONE
                                        ? wsim_channel_get_mech_name (ch) : NULL,
                                      client->near, &where, error))
    return FALSE;
  locator->endpoint = (char *) where.endpoint;
  locator->sink_id = where.stub_id;
  e = g_new0 (StubEnd, 1);
  e->app = wsim_unsecapp_ref (wsim_unsecapp_stub_get_apartment (sink));
  e->stub_id = where.stub_id;
  watched->host = where.host;
  watched->local_sink_id = where.local_sink_id;
  watched->end = end_stub_call_here;
  watched->user_data = e;
  watched->destroy = stub_end_free;
  return TRUE;
}

static void
services_abandon_call (WsimServices *services, WsimSink *sink, const wsim_sink_locator *locator,
                       guint64 call_id)
{
  if (wsim_sink_is_stub (sink))
    wsim_unsecapp_stub_end_call (sink, call_id);
  else
    wsim_sink_host_abandon_call (services->client->host, locator->sink_id, call_id);
}

/* Begins the call where its callbacks arrive, makes the request, and forgets the call again
 * if it was refused; an accepted call is watched until it ends. @args points at the
 * request's arguments; @locator and @call_id into them. */
static WsimHResult
services_async (WsimServices *services, guint32 proc, xdrproc_t xargs, void *args,
                wsim_sink_locator *locator, guint64 *call_id, WsimSink *sink, GError **error)
{
  WsimClient *client = services->client;
  wsim_async_res res = { 0 };
  WsimWatchedCall watched = { 0 };
  g_autoptr(GError) local = NULL;

  *call_id = services->last_call_id = (guint64) g_atomic_pointer_add (&next_call_id, 1);
  locator->endpoint = (char *) "";
  locator->sink_id = 0;
  if (sink != NULL && !services_begin_call (services, sink, *call_id, locator, &watched, &local))
    {
      res.hresult = WBEM_E_TRANSPORT_FAILURE;
      g_set_error (error, WSIM_WBEM_ERROR, (gint) res.hresult, "%s", local->message);
      return res.hresult;
    }
  if (!services_call_async (services, proc, xargs, args, (xdrproc_t) xdr_wsim_async_res, &res,
                            &local))
    {
      res.hresult = wsim_hresult_from_error (local);
      if (error != NULL)
        *error = g_error_new (WSIM_WBEM_ERROR, (gint) res.hresult, "%s", local->message);
    }
  else if (WSIM_HRESULT_FAILED (res.hresult))
    {
      /* The server's message already names the status. */
      if (res.message != NULL && res.message[0] != '\0')
        g_set_error_literal (error, WSIM_WBEM_ERROR, (gint) res.hresult, res.message);
      else
        wsim_set_error_hresult (error, res.hresult, "the server refused the call");
    }
  if (sink != NULL && WSIM_HRESULT_FAILED (res.hresult))
    {
      services_abandon_call (services, sink, locator, *call_id);
      if (watched.destroy != NULL)
        watched.destroy (watched.user_data);
    }
  else if (sink != NULL)
    {
      watched.endpoint = locator->endpoint;
      watched.sink_id = locator->sink_id;
      wsim_call_watch_add (client->watch, &watched);
    }
  xdr_free ((xdrproc_t) xdr_wsim_async_res, (char *) &res);
  return res.hresult;
}

/* The wire's string types are bounded (wsim_cim.x): an argument over its bound cannot be
 * encoded, so it is refused here, before any request, with the status the server gives a
 * bad argument of that kind; the sink is never called. Returns: TRUE if @text fits. */
static gboolean
arg_fits (const char *text, gsize max, WsimHResult hr, const char *what, WsimHResult *out,
          GError **error)
{
  gsize len = text != NULL ? strlen (text) : 0;

  if (len <= max)
    return TRUE;
  wsim_set_error_hresult (error, hr, "the %s is %" G_GSIZE_FORMAT " bytes long; at most %"
                          G_GSIZE_FORMAT " travel on the wire", what, len, max);
  *out = hr;
  return FALSE;
}

WsimHResult
wsim_services_create_instance_enum_async (WsimServices *services, const char *class_name,
                                          gint32 flags, WsimSink *sink, GError **error)
{
  wsim_create_instance_enum_async_args args = { 0 };
  WsimHResult hr;

  if (!arg_fits (class_name, WSIM_MAX_NAME, WBEM_E_INVALID_CLASS, "class name", &hr, error))
    return hr;
  args.ns_handle = services->ns_handle;
  args.class_name = (char *) (class_name != NULL ? class_name : "");
  args.flags = flags;
  return services_async (services, WSIM_CREATE_INSTANCE_ENUM_ASYNC,
                         (xdrproc_t) xdr_wsim_create_instance_enum_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_create_class_enum_async (WsimServices *services, const char *superclass,
                                       gint32 flags, WsimSink *sink, GError **error)
{
  wsim_create_class_enum_async_args args = { 0 };
  WsimHResult hr;

  if (!arg_fits (superclass, WSIM_MAX_NAME, WBEM_E_INVALID_CLASS, "superclass name", &hr, error))
    return hr;
  args.ns_handle = services->ns_handle;
  args.superclass = (char *) (superclass != NULL ? superclass : "");
  args.flags = flags;
  return services_async (services, WSIM_CREATE_CLASS_ENUM_ASYNC,
                         (xdrproc_t) xdr_wsim_create_class_enum_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_put_class_async (WsimServices *services, WsimClassDecl *class_object, gint32 flags,
                               WsimSink *sink, GError **error)
{
  wsim_put_class_async_args args = { 0 };

  args.ns_handle = services->ns_handle;
  args.class_object = *wsim_class_decl_get_wire (class_object);
  args.flags = flags;
  return services_async (services, WSIM_PUT_CLASS_ASYNC,
                         (xdrproc_t) xdr_wsim_put_class_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_delete_class_async (WsimServices *services, const char *class_name, gint32 flags,
                                  WsimSink *sink, GError **error)
{
  wsim_delete_class_async_args args = { 0 };
  WsimHResult hr;

  if (!arg_fits (class_name, WSIM_MAX_NAME, WBEM_E_INVALID_CLASS, "class name", &hr, error))
    return hr;
  args.ns_handle = services->ns_handle;
  args.class_name = (char *) (class_name != NULL ? class_name : "");
  args.flags = flags;
  return services_async (services, WSIM_DELETE_CLASS_ASYNC,
                         (xdrproc_t) xdr_wsim_delete_class_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_get_object_async (WsimServices *services, const char *object_path, gint32 flags,
                                WsimSink *sink, GError **error)
{
  wsim_get_object_async_args args = { 0 };
  WsimHResult hr;

  if (!arg_fits (object_path, WSIM_MAX_STRING, WBEM_E_INVALID_OBJECT_PATH, "object path", &hr,
                 error))
    return hr;
  args.ns_handle = services->ns_handle;
  args.object_path = (char *) (object_path != NULL ? object_path : "");
  args.flags = flags;
  return services_async (services, WSIM_GET_OBJECT_ASYNC,
                         (xdrproc_t) xdr_wsim_get_object_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_exec_query_async (WsimServices *services, const char *language, const char *query,
                                gint32 flags, WsimSink *sink, GError **error)
{
  wsim_exec_query_async_args args = { 0 };
  WsimHResult hr;

  /* A language name too long to travel is not "WQL" either. */
  if (!arg_fits (language, WSIM_MAX_NAME, WBEM_E_INVALID_QUERY_TYPE, "query language", &hr, error)
      || !arg_fits (query, WSIM_MAX_STRING, WBEM_E_INVALID_QUERY, "query", &hr, error))
    return hr;
  args.ns_handle = services->ns_handle;
  args.query_language = (char *) (language != NULL ? language : "");
  args.query = (char *) (query != NULL ? query : "");
  args.flags = flags;
  return services_async (services, WSIM_EXEC_QUERY_ASYNC,
                         (xdrproc_t) xdr_wsim_exec_query_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

/* @obj as a class definition and one row, shallow copies (the object owns the strings and
 * outlives the request). Returns: (transfer full) the values array the row points to. */
static wsim_value *
object_row (WsimObject *obj, wsim_class_def *def, wsim_instance *row)
{
  WsimClass *cls = wsim_object_get_class (obj);
  guint n = wsim_class_get_n_props (cls);
  wsim_value *values = g_new0 (wsim_value, MAX (n, 1));

  *def = *wsim_class_get_def (cls);
  for (guint i = 0; i < n; i++)
    values[i] = *wsim_object_get_value (obj, i);
  row->class_idx = 0;
  row->values.values_len = n;
  row->values.values_val = values;
  return values;
}

WsimHResult
wsim_services_exec_method_async (WsimServices *services, const char *object_path,
                                 const char *method, WsimObject *in_params, gint32 flags,
                                 WsimSink *sink, GError **error)
{
  wsim_exec_method_async_args args = { 0 };
  g_autofree wsim_value *values = NULL;
  wsim_instance row = { 0 };
  WsimHResult hr;

  if (!arg_fits (object_path, WSIM_MAX_STRING, WBEM_E_INVALID_OBJECT_PATH, "object path", &hr,
                 error)
      || !arg_fits (method, WSIM_MAX_NAME, WBEM_E_INVALID_METHOD, "method name", &hr, error))
    return hr;
  args.ns_handle = services->ns_handle;
  args.object_path = (char *) (object_path != NULL ? object_path : "");
  args.method_name = (char *) (method != NULL ? method : "");
  args.flags = flags;
  args.in_params_class.name = (char *) "__PARAMETERS";
  args.in_params_class.superclass = (char *) "";
  if (in_params != NULL)
    {
      values = object_row (in_params, &args.in_params_class, &row);
      args.in_params = &row;
    }
  return services_async (services, WSIM_EXEC_METHOD_ASYNC,
                         (xdrproc_t) xdr_wsim_exec_method_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_put_instance_async (WsimServices *services, WsimObject *inst, gint32 flags,
                                  WsimSink *sink, GError **error)
{
  wsim_put_instance_async_args args = { 0 };
  g_autofree wsim_value *values = NULL;

  if (inst == NULL)
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER, "no instance to put");
      return WBEM_E_INVALID_PARAMETER;
    }
  args.ns_handle = services->ns_handle;
  args.flags = flags;
  values = object_row (inst, &args.inst_class, &args.inst);
  return services_async (services, WSIM_PUT_INSTANCE_ASYNC,
                         (xdrproc_t) xdr_wsim_put_instance_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_delete_instance_async (WsimServices *services, const char *object_path,
                                     gint32 flags, WsimSink *sink, GError **error)
{
  wsim_delete_instance_async_args args = { 0 };
  WsimHResult hr;

  if (!arg_fits (object_path, WSIM_MAX_STRING, WBEM_E_INVALID_OBJECT_PATH, "object path", &hr,
                 error))
    return hr;
  args.ns_handle = services->ns_handle;
  args.object_path = (char *) (object_path != NULL ? object_path : "");
  args.flags = flags;
  return services_async (services, WSIM_DELETE_INSTANCE_ASYNC,
                         (xdrproc_t) xdr_wsim_delete_instance_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_cancel_async_call (WsimServices *services, WsimSink *sink)
{
  WsimClient *client = services->client;
  wsim_cancel_async_call_args args = { 0 };
  wsim_async_res res = { 0 };
  g_autoptr(GError) error = NULL;

  args.ns_handle = services->ns_handle;
  args.sink.endpoint = (char *) "";
  if (sink != NULL && wsim_sink_is_stub (sink))
    {
      const char *endpoint;

      /* The same stub that made the call names it; your sink itself names nothing. */
      wsim_unsecapp_stub_locate (sink, client->near, &endpoint, &args.sink.sink_id);
      args.sink.endpoint = (char *) endpoint;
    }
  else if (sink != NULL)
    {
      args.sink.endpoint = client->endpoint;
      /* A sink with no call open here gets id 0, which names nothing on the server. */
      if (!wsim_sink_host_lookup (client->host, sink, &args.sink.sink_id))
        args.sink.sink_id = 0;
    }
  if (!services_call (services, WSIM_CANCEL_ASYNC_CALL, (xdrproc_t) xdr_wsim_cancel_async_call_args,
                    &args, (xdrproc_t) xdr_wsim_async_res, &res, &error))
    return wsim_hresult_from_error (error);
  xdr_free ((xdrproc_t) xdr_wsim_async_res, (char *) &res);
  return res.hresult;
}

WsimClient *
wsim_services_get_client (WsimServices *services)
{
  return services->client;
}
