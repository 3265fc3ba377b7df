/* wsim-client.c: the client library (see wsim-client.h). */
#include "wsim-client.h"

#include "wsim-address.h"
#include "wsim-channel.h"
#include "wsim-unsecapp.h"
#include "wsim_service.h"

struct _WsimClient {
  gint           ref_count;   /* atomic */
  GMainContext  *rpc_context; /* (owned) private: drives the channels' calls only */
  GSocketAddress *address;    /* (owned) the server */
  WsimChannel   *channel;     /* (owned) the service connection, at the client's blanket */
  WsimSinkHost  *host;        /* (owned) on the caller's context */
  guint64        next_call_id;
};

struct _WsimServices {
  gint         ref_count;     /* atomic */
  WsimClient  *client;        /* (owned) */
  WsimChannel *own;           /* (owned) (nullable) its own blanket's connection, else the client's */
  guint64      ns_handle;
  char        *ns;            /* (owned) */
  guint64      last_call_id;
};

WsimClient *
wsim_client_connect (GMainContext *context, const char *address, GError **error)
{
  return wsim_client_connect_full (context, address, NULL, error);
}

WsimClient *
wsim_client_connect_full (GMainContext *context, const char *address, const WsimBlanket *blanket,
                          GError **error)
{
  g_autoptr(GSocketAddress) addr = wsim_address_parse (address, error);
  g_auto(WsimBlanket) process = WSIM_BLANKET_INIT;
  WsimClient *client;

  if (addr == NULL)
    return NULL;
  if (blanket == NULL)
    {
      wsim_security_get_default (&process);
      blanket = &process;
    }
  client = g_new0 (WsimClient, 1);
  client->ref_count = 1;
  client->rpc_context = g_main_context_new ();
  client->address = g_object_ref (addr);
  client->channel = wsim_channel_open (client->rpc_context, addr, blanket, error);
  if (client->channel != NULL)
    client->host = wsim_sink_host_new (context, NULL, error);
  if (client->host == NULL)
    {
      wsim_client_unref (client);
      return NULL;
    }
  client->next_call_id = 1;
  return client;
}

WsimClient *
wsim_client_ref (WsimClient *client)
{
  g_atomic_int_inc (&client->ref_count);
  return client;
}

void
wsim_client_unref (WsimClient *client)
{
  if (client == NULL || !g_atomic_int_dec_and_test (&client->ref_count))
    return;
  wsim_channel_free (client->channel);
  wsim_sink_host_unref (client->host);
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
  services->ref_count = 1;
  services->client = wsim_client_ref (client);
  services->ns_handle = res.ns_handle;
  services->ns = g_strdup (ns);
  return services;
}

WsimServices *
wsim_services_ref (WsimServices *services)
{
  g_atomic_int_inc (&services->ref_count);
  return services;
}

void
wsim_services_unref (WsimServices *services)
{
  if (services == NULL || !g_atomic_int_dec_and_test (&services->ref_count))
    return;
  wsim_channel_free (services->own);
  wsim_client_unref (services->client);
  g_free (services->ns);
  g_free (services);
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

/* How a stub's client learns that the server gave a call up: it asks, on the connection of
 * the proxy that made the call. */
typedef struct {
  WsimServices *services;    /* (owned) */
  char         *endpoint;    /* (owned) the stub's */
  guint64       stub_id;
} StubVerify;

static void
stub_verify_free (gpointer p)
{
  StubVerify *v = p;

  wsim_services_unref (v->services);
  g_free (v->endpoint);
  g_free (v);
}

static gboolean
stub_verify (guint64 call_id, WsimHResult *hr, char **message, gpointer data)
{
  StubVerify *v = data;
  wsim_query_call_args args = {
    .ns_handle = v->services->ns_handle,
    .sink = { .endpoint = v->endpoint, .sink_id = v->stub_id },
    .call_id = call_id,
  };
  wsim_query_call_res res = { 0 };
  gboolean refused;

  if (!services_call (v->services, WSIM_QUERY_CALL, (xdrproc_t) xdr_wsim_query_call_args, &args,
                      (xdrproc_t) xdr_wsim_query_call_res, &res, NULL))
    return FALSE;
  refused = res.state == WSIM_CALL_REFUSED;
  if (refused)
    {
      *hr = res.hresult;
      *message = g_strdup (res.message);
    }
  xdr_free ((xdrproc_t) xdr_wsim_query_call_res, (char *) &res);
  return refused;
}

/* Begins a call where its callbacks will arrive (so they are accepted before the server can
 * send any): the client's sink host, or the unsecured apartment for a stub, which is told
 * whom to expect. Returns: FALSE with @error if that side is gone. */
static gboolean
services_begin_call (WsimServices *services, WsimSink *sink, guint64 call_id,
                     wsim_sink_locator *locator, GError **error)
{
  WsimClient *client = services->client;
  WsimChannel *ch = services_channel (services);
  StubVerify *v;
  const char *endpoint;

  if (!wsim_sink_is_stub (sink))
    {
      locator->endpoint = (char *) wsim_sink_host_get_endpoint (client->host);
      locator->sink_id = wsim_sink_host_begin_call (client->host, sink, call_id);
      return TRUE;
    }
  v = g_new0 (StubVerify, 1);
  v->services = wsim_services_ref (services);
  if (!wsim_unsecapp_stub_begin_call (sink, call_id, wsim_channel_get_server_principal (ch),
                                      wsim_channel_get_level (ch) > RPC_C_AUTHN_LEVEL_NONE
                                        ? wsim_channel_get_mech_name (ch) : NULL,
                                      stub_verify, v, stub_verify_free, &endpoint,
                                      &locator->sink_id, error))
    return FALSE;
  v->endpoint = g_strdup (endpoint);
  v->stub_id = locator->sink_id;
  locator->endpoint = (char *) endpoint;
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
 * if it was refused. @args points at the request's arguments; @locator and @call_id into
 * them. */
static WsimHResult
services_async (WsimServices *services, guint32 proc, xdrproc_t xargs, void *args,
                wsim_sink_locator *locator, guint64 *call_id, WsimSink *sink, GError **error)
{
  WsimClient *client = services->client;
  wsim_async_res res = { 0 };
  g_autoptr(GError) local = NULL;

  *call_id = services->last_call_id = client->next_call_id++;
  locator->endpoint = (char *) "";
  locator->sink_id = 0;
  if (sink != NULL && !services_begin_call (services, sink, *call_id, locator, &local))
    {
      res.hresult = WBEM_E_TRANSPORT_FAILURE;
      g_set_error (error, WSIM_WBEM_ERROR, (gint) res.hresult, "%s", local->message);
      return res.hresult;
    }
  if (!services_call (services, proc, xargs, args, (xdrproc_t) xdr_wsim_async_res, &res, &local))
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
    services_abandon_call (services, sink, locator, *call_id);
  xdr_free ((xdrproc_t) xdr_wsim_async_res, (char *) &res);
  return res.hresult;
}

WsimHResult
wsim_services_create_instance_enum_async (WsimServices *services, const char *class_name,
                                          gint32 flags, WsimSink *sink, GError **error)
{
  wsim_create_instance_enum_async_args args = { 0 };

  args.ns_handle = services->ns_handle;
  args.class_name = (char *) (class_name != NULL ? class_name : "");
  args.flags = flags;
  return services_async (services, WSIM_CREATE_INSTANCE_ENUM_ASYNC,
                         (xdrproc_t) xdr_wsim_create_instance_enum_async_args, &args, &args.sink,
                         &args.call_id, sink, error);
}

WsimHResult
wsim_services_get_object_async (WsimServices *services, const char *object_path, gint32 flags,
                                WsimSink *sink, GError **error)
{
  wsim_get_object_async_args args = { 0 };

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

  args.ns_handle = services->ns_handle;
  args.query_language = (char *) (language != NULL ? language : "");
  args.query = (char *) (query != NULL ? query : "");
  args.flags = flags;
  return services_async (services, WSIM_EXEC_QUERY_ASYNC,
                         (xdrproc_t) xdr_wsim_exec_query_async_args, &args, &args.sink,
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
      wsim_unsecapp_stub_locate (sink, &endpoint, &args.sink.sink_id);
      args.sink.endpoint = (char *) endpoint;
    }
  else if (sink != NULL)
    {
      args.sink.endpoint = (char *) wsim_sink_host_get_endpoint (client->host);
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
