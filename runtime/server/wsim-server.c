/* wsim-server.c: the service program, the table of async calls, callback connections.
 *
 * Each *Async request is validated completely before it is accepted: flags against the
 * method's allowed set, the sink reference, the namespace handle, the class. An error is
 * the RPC's immediate return and the sink is never called (WMI's rule). An accepted call
 * goes to wsim-call.c, which owns its life; this file alone writes the tables that find
 * calls by seq and by sink (for CancelAsyncCall, which cancels every call made with that
 * sink): wsim-call.c adds and drops its call through wsim_server_add_call() and
 * wsim_server_forget_call(). The
 * connections to sink hosts and the callback ladder are wsim-server-callback.c's.
 */
#include "wsim-server-private.h"

#include <string.h>

#include "wsim-address.h"
#include "wsim-class.h"
#include "wsim-key-count.h"
#include "wsim-object-path.h"
#include "wsim-system-props.h"
#include "wsim-wbem.h"
#include "wsim-wql.h"

/* ---- the table of async calls --------------------------------------------------- */

#define ENDED_KEEP 4096   /* how many ended calls QUERY_CALLS can still answer for */

/* A call that ended without its final SetStatus reaching the sink: what its client is owed. */
typedef struct {
  guint32     state;   /* WSIM_CALL_REFUSED or WSIM_CALL_ENDED */
  WsimHResult hr;
  char       *why;     /* (owned) */
} EndedCall;

static void
ended_call_free (gpointer p)
{
  EndedCall *e = p;

  g_free (e->why);
  g_free (e);
}

static char *
ended_key (const char *sink_key, guint64 call_id)
{
  return g_strdup_printf ("%s#%" G_GUINT64_FORMAT, sink_key, call_id);
}

void
wsim_server_remember_ended (WsimServer *server, WsimCall *call, guint32 state, WsimHResult hr,
                            const char *why)
{
  char *key = ended_key (wsim_call_get_sink_key (call), wsim_call_get_call_id (call));
  EndedCall *e;

  if (g_hash_table_contains (server->ended, key))
    {
      g_free (key);
      return;
    }
  e = g_new0 (EndedCall, 1);
  e->state = state;
  e->hr = hr;
  e->why = g_strdup (why);
  g_hash_table_insert (server->ended, key, e);
  g_queue_push_tail (&server->ended_order, key);
  if (server->ended_order.length > ENDED_KEEP)
    g_hash_table_remove (server->ended, g_queue_pop_head (&server->ended_order));
}

/* How call @call_id of the sink @sink names stands, in @res (its message points into the
 * server's tables): open (its ladder may still run), ended without reaching the sink, or
 * unknown. */
static void
call_state (WsimServer *server, const wsim_sink_locator *sink, guint64 call_id,
            wsim_query_call_res *res)
{
  g_autofree char *sink_key = g_strdup_printf ("%s#%" G_GUINT64_FORMAT, sink->endpoint, sink->sink_id);
  g_autofree char *key = NULL;
  GPtrArray *same = g_hash_table_lookup (server->sinks, sink_key);
  EndedCall *e;

  *res = (wsim_query_call_res) { .hresult = WBEM_S_NO_ERROR, .state = WSIM_CALL_OPEN, .message = (char *) "" };
  for (guint i = 0; same != NULL && i < same->len; i++)
    if (wsim_call_get_call_id (same->pdata[i]) == call_id)
      return;
  key = ended_key (sink_key, call_id);
  e = g_hash_table_lookup (server->ended, key);
  if (e != NULL)
    *res = (wsim_query_call_res) { .hresult = e->hr, .state = e->state, .message = e->why };
  else
    *res = (wsim_query_call_res) { .hresult = WBEM_E_NOT_FOUND, .state = WSIM_CALL_UNKNOWN, .message = (char *) "" };
}

void
wsim_server_sink_lost (WsimServer *server, WsimRpcClient *cb, const char *why)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_call_unref);
  GHashTableIter iter;
  WsimCall *call;

  /* Ending a call changes the table: work on a copy. */
  g_hash_table_iter_init (&iter, server->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &call))
    g_ptr_array_add (calls, wsim_call_ref (call));
  for (guint i = 0; i < calls->len; i++)
    wsim_call_sink_lost (calls->pdata[i], cb, why);
}

char *
wsim_server_client_key (WsimRpcRequest *req)
{
  WsimTraceAuth caller;
  const char *peer = wsim_rpc_request_get_peer_key (req);

  wsim_server_request_auth (req, &caller);
  return g_strconcat (caller.principal != NULL ? caller.principal : "", "|",
                      peer != NULL ? peer : "", NULL);
}

guint
wsim_server_get_n_quota_clients (WsimServer *server)
{
  return g_hash_table_size (server->client_calls);
}

void
wsim_server_add_call (WsimServer *server, WsimCall *call, guint64 *seq)
{
  const char *sink_key = wsim_call_get_sink_key (call);
  GPtrArray *same = g_hash_table_lookup (server->sinks, sink_key);

  wsim_key_count_add (server->client_calls, wsim_call_get_client_key (call), +1);

  /* The key is the call's own field: no allocation per call, and it lives as long as the
   * table's reference to the call. */
  *seq = ++server->next_seq;
  g_hash_table_insert (server->calls, seq, wsim_call_ref (call));
  if (same == NULL)
    {
      same = g_ptr_array_new ();
      g_hash_table_insert (server->sinks, g_strdup (sink_key), same);
    }
  g_ptr_array_add (same, call);
}

void
wsim_server_forget_call (WsimServer *server, WsimCall *call)
{
  GPtrArray *same = g_hash_table_lookup (server->sinks, wsim_call_get_sink_key (call));
  guint64 seq = wsim_call_get_seq (call);

  if (same != NULL)
    {
      g_ptr_array_remove_fast (same, call);
      if (same->len == 0)
        g_hash_table_remove (server->sinks, wsim_call_get_sink_key (call));
    }
  wsim_key_count_add (server->client_calls, wsim_call_get_client_key (call), -1);
  g_hash_table_remove (server->calls, &seq);
  wsim_server_callbacks_call_ended (server);
}

/* ---- the service program -------------------------------------------------------- */

static const char *
ns_from_handle (WsimServer *server, guint64 handle)
{
  if (handle == 0 || handle > server->ns_handles->len)
    return NULL;
  return server->ns_handles->pdata[handle - 1];
}

/* The message a refusal carries names its status, as every WSIM_WBEM_ERROR does. */
static void
reply_hresult_msg (WsimRpcRequest *req, WsimHResult hr, const char *message)
{
  g_autofree char *code = g_strdup_printf ("0x%08X", hr);
  g_autofree char *text = NULL;
  wsim_async_res res = { .hresult = hr, .message = (char *) "" };

  if (message != NULL && strstr (message, code) == NULL)
    {
      g_autofree char *status = wsim_hresult_describe (hr);

      res.message = text = g_strdup_printf ("%s: %s", message, status);
    }
  else if (message != NULL)
    res.message = (char *) message;
  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_async_res, &res);
}

void
wsim_server_reply_hresult_msg (WsimRpcRequest *req, WsimHResult hr, const char *message)
{
  reply_hresult_msg (req, hr, message);
}

static void
reply_hresult (WsimRpcRequest *req, WsimHResult hr)
{
  reply_hresult_msg (req, hr, NULL);
}

/* The immediate return of a refused request, from a GError in WSIM_WBEM_ERROR. */
static void
reply_error (WsimRpcRequest *req, const GError *error)
{
  reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
}

static void
h_open_namespace (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_open_namespace_args *a = args;
  wsim_open_namespace_res res = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *ns = NULL;

  /* Who may ask is decided before anything about the namespace is revealed. */
  if (!wsim_server_check_caller (server, req, 0, "OpenNamespace", &error))
    res.hresult = wsim_hresult_from_error (error);
  else if ((ns = wsim_repository_canonical_namespace (server->repo, a->namespace_path, &error)) == NULL)
    res.hresult = WBEM_E_INVALID_NAMESPACE;
  else if (!wsim_server_check_namespace (server, req, ns, 0, "OpenNamespace", &error))
    res.hresult = wsim_hresult_from_error (error);
  else
    {
      guint i;

      for (i = 0; i < server->ns_handles->len; i++)
        if (g_str_equal (server->ns_handles->pdata[i], ns))
          break;
      if (i == server->ns_handles->len)
        g_ptr_array_add (server->ns_handles, g_steal_pointer (&ns));
      res.ns_handle = i + 1;
    }
  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_open_namespace_res, &res);
}

/* Checks what every *Async call carries; returns its namespace, or NULL with the request
 * answered with the refusal. */
const char *
wsim_server_begin_async (WsimServer *server, WsimRpcRequest *req, const char *method,
                         guint64 ns_handle, gint32 flags, gint32 allowed,
                         const wsim_sink_locator *sink, guint64 call_id)
{
  g_autoptr(GError) error = NULL;
  const GError *ctx_error = NULL;
  const char *ns = NULL;
  g_autofree char *key = wsim_server_client_key (req);
  WsimHResult hr;

  /* Hardening and the minimum first: a caller they refuse learns nothing else. */
  if (!wsim_server_check_caller (server, req, call_id, method, &error))
    goto refused;
  wsim_server_request_context (server, req, &ctx_error);
  if (ctx_error != NULL)
    {
      error = g_error_copy (ctx_error);
      goto refused;
    }
  if (server->shutting_down)
    hr = WBEM_E_SHUTTING_DOWN;
  else if (server->limits.max_calls_per_client > 0
           && wsim_key_count_get (server->client_calls, key) >= server->limits.max_calls_per_client)
    {
      WsimTraceAuth caller;

      /* Refused before it costs anything (no call, no callback): an error is the *Async
       * request's immediate return, and the sink is never called (WMI's rule). */
      wsim_set_error_hresult (&error, WBEM_E_SERVER_TOO_BUSY,
                              "%s refused: %u async calls of this client are open (the quota)",
                              method, server->limits.max_calls_per_client);
      wsim_server_request_auth (req, &caller);
      wsim_trace_add_auth (server->trace, WSIM_TRACE_REFUSED, call_id, WBEM_E_SERVER_TOO_BUSY, 0,
                           &caller, "%s", error->message);
      goto refused;
    }
  else if ((flags & ~allowed) != 0 || sink->endpoint == NULL || sink->endpoint[0] == '\0')
    hr = WBEM_E_INVALID_PARAMETER;
  else
    {
      /* A sink the server could never call back is refused now, not discovered mid-call. */
      g_autoptr(GSocketAddress) where = wsim_address_parse (sink->endpoint, NULL);

      hr = where == NULL ? WBEM_E_INVALID_PARAMETER : WBEM_S_NO_ERROR;
    }
  if (hr != WBEM_S_NO_ERROR)
    {
      wsim_set_error_hresult (&error, hr, "%s refused", method);
      goto refused;
    }
  ns = ns_from_handle (server, ns_handle);
  if (ns == NULL)
    {
      wsim_set_error_hresult (&error, WBEM_E_INVALID_NAMESPACE, "unknown namespace handle");
      goto refused;
    }
  if (wsim_server_check_namespace (server, req, ns, call_id, method, &error))
    return ns;
refused:
  reply_error (req, error);
  return NULL;
}

void
wsim_server_accept_call (WsimServer *server, WsimRpcRequest *req,
                         const wsim_sink_locator *sink, WsimCallSpec *spec)
{
  WsimTraceAuth caller;
  g_autofree char *key = wsim_server_client_key (req);

  wsim_server_request_auth (req, &caller);
  spec->caller = &caller;
  spec->client_key = key;
  spec->endpoint = sink->endpoint;
  spec->sink_id = sink->sink_id;
  spec->acceptor = wsim_rpc_request_get_identity (req)->acceptor;
  spec->local = wsim_server_callback_is_local (sink->endpoint,
                                               wsim_rpc_request_get_peer_address (req));
  spec->context = wsim_server_request_context (server, req, &(const GError *) { NULL });
  spec->caller_uid = wsim_server_caller_uid (req);
  reply_hresult (req, WBEM_S_NO_ERROR);
  wsim_call_start (server, spec);
}

/* Accepts an enumeration, query or get of @cls (and its subclasses when @deep). */
static void
accept_call (WsimServer *server, WsimRpcRequest *req, const char *ns, WsimClass *cls,
             gint32 flags, gboolean deep, const wsim_sink_locator *sink, guint64 call_id,
             WsimWqlQuery *query, WsimObjectPath *path, const char *what)
{
  g_autoptr(GPtrArray) classes = wsim_repository_list_classes (server->repo, ns, cls, deep);
  WsimCallSpec spec = {
    .call_id = call_id, .ns = ns, .classes = classes, .flags = flags,
    .query = query, .path = path, .what = what,
  };

  wsim_server_accept_call (server, req, sink, &spec);
}

static void
h_create_instance_enum_async (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_create_instance_enum_async_args *a = args;
  g_autoptr(GError) error = NULL;
  const char *ns = wsim_server_begin_async (server, req, "CreateInstanceEnumAsync", a->ns_handle, a->flags,
                                            WSIM_CREATE_INSTANCE_ENUM_FLAGS, &a->sink, a->call_id);
  g_autofree char *what = NULL;
  WsimClass *cls;

  if (ns == NULL || wsim_server_enum_namespaces (server, req, ns, a->class_name, a->flags,
                                                 &a->sink, a->call_id))
    return;
  cls = wsim_repository_lookup_class (server->repo, ns, a->class_name, &error);
  if (cls == NULL)
    {
      reply_error (req, error);
      return;
    }
  what = g_strdup_printf ("CreateInstanceEnumAsync %s:%s flags 0x%x", ns, a->class_name, a->flags);
  /* WBEM_FLAG_DIRECT_READ: "direct access to the provider for the class specified without
   * any regard to its parent class or subclasses" (docs/wql.md). */
  accept_call (server, req, ns, cls, a->flags,
               (a->flags & (WBEM_FLAG_SHALLOW | WBEM_FLAG_DIRECT_READ)) == 0, &a->sink,
               a->call_id, NULL, NULL, what);
}

/* Parses @object_path of a request on @ns and finds its class: the path must name this
 * server, @ns (if a namespace at all) and keys of its class. Returns: (transfer none) the
 * class, with (transfer full) *@out_path; or NULL, the request answered with the refusal. */
WsimClass *
wsim_server_resolve_path (WsimServer *server, WsimRpcRequest *req, const char *ns,
                          const char *object_path, WsimObjectPath **out_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimObjectPath) path = NULL;
  g_autofree char *path_ns = NULL;
  WsimClass *cls;

  path = wsim_object_path_parse (object_path, &error);
  if (path == NULL)
    {
      reply_error (req, error);
      return NULL;
    }
  /* Served here means served by this machine: a path naming another server is refused,
   * not answered with this machine's objects (reaching that server is the caller's). */
  if (!wsim_object_path_server_is_local (wsim_object_path_get_server (path)))
    {
      g_autofree char *m = g_strdup_printf ("the path names the server '%s'; this server "
                                            "serves only \".\", \"localhost\" and \"%s\"",
                                            wsim_object_path_get_server (path), g_get_host_name ());

      reply_hresult_msg (req, WBEM_E_INVALID_OBJECT_PATH, m);
      return NULL;
    }
  /* Objects come only from the namespace the services were opened on (MS-WMI, GetObject).
   * Another one is refused alike whether it exists or not, so the answer does not tell
   * which namespaces exist: WBEM_E_INVALID_OBJECT_PATH, as WBEM_E_INVALID_NAMESPACE would
   * say "cannot be found" of one that may well be there. */
  if (wsim_object_path_get_namespace (path) != NULL)
    {
      path_ns = wsim_repository_canonical_namespace (server->repo,
                                                     wsim_object_path_get_namespace (path), NULL);
      if (path_ns == NULL || !g_str_equal (path_ns, ns))
        {
          g_autofree char *m = g_strdup_printf ("the path names the namespace '%s', but these "
                                                "services are open on '%s'",
                                                wsim_object_path_get_namespace (path), ns);

          reply_hresult_msg (req, WBEM_E_INVALID_OBJECT_PATH, m);
          return NULL;
        }
    }
  cls = wsim_repository_lookup_class (server->repo, ns, wsim_object_path_get_class (path), &error);
  if (cls == NULL)
    {
      reply_error (req, error);
      return NULL;
    }
  for (guint k = 0; k < wsim_object_path_get_n_keys (path); k++)
    {
      const char *key = wsim_object_path_get_key_name (path, k);
      gint idx = wsim_class_find_prop (cls, key);

      if (idx < 0 || !wsim_class_get_prop (cls, (guint) idx)->is_key)
        {
          g_autofree char *m = g_strdup_printf ("%s is not a key of %s", key, wsim_class_get_name (cls));

          reply_hresult_msg (req, WBEM_E_INVALID_OBJECT_PATH, m);
          return NULL;
        }
    }
  *out_path = g_steal_pointer (&path);
  return cls;
}

static void
h_get_object_async (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_get_object_async_args *a = args;
  g_autoptr(GError) error = NULL;
  const char *ns = wsim_server_begin_async (server, req, "GetObjectAsync", a->ns_handle, a->flags,
                                            WSIM_GET_OBJECT_FLAGS, &a->sink, a->call_id);
  g_autoptr(WsimObjectPath) path = NULL;
  g_autofree char *what = NULL;
  WsimClass *cls;

  if (ns == NULL
      || wsim_server_get_namespace (server, req, ns, a->object_path, a->flags, &a->sink, a->call_id))
    return;
  cls = wsim_server_resolve_path (server, req, ns, a->object_path, &path);
  if (cls == NULL)
    return;
  if (wsim_object_path_is_class (path))
    {
      wsim_server_get_class_object (server, req, ns, wsim_class_get_name (cls), a->flags,
                                    &a->sink, a->call_id);
      return;
    }
  what = g_strdup_printf ("GetObjectAsync %s:%s", ns, a->object_path);
  accept_call (server, req, ns, cls, a->flags, TRUE, &a->sink, a->call_id, NULL,
               g_steal_pointer (&path), what);
}

static gboolean
class_has_prop (gpointer cls, const char *prop)
{
  /* System properties (__CLASS, …) are computed for the WHERE clause (wsim-call.c). */
  return wsim_class_find_prop (cls, prop) >= 0 || wsim_is_system_property (prop);
}

static void
h_exec_query_async (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_exec_query_async_args *a = args;
  g_autoptr(GError) error = NULL;
  const char *ns = wsim_server_begin_async (server, req, "ExecQueryAsync", a->ns_handle, a->flags,
                                            WSIM_EXEC_QUERY_FLAGS, &a->sink, a->call_id);
  g_autoptr(WsimWqlQuery) query = NULL;
  g_autofree char *what = NULL;
  WsimClass *cls;

  if (ns == NULL)
    return;
  if (!wsim_wql_check_language (a->query_language, &error)
      || (query = wsim_wql_parse (a->query, &error)) == NULL)
    {
      reply_error (req, error);
      return;
    }
  if (wsim_wql_query_get_kind (query) != WSIM_WQL_SELECT)
    {
      wsim_server_exec_assoc_query (server, req, ns, a, g_steal_pointer (&query));
      return;
    }
  /* meta_class and WBEM_FLAG_PROTOTYPE answer with class objects (wsim-server-schema.c). */
  if (wsim_server_query_schema (server, req, ns, query, a->flags, &a->sink, a->call_id))
    return;
  cls = wsim_repository_lookup_class (server->repo, ns, wsim_wql_query_get_class (query), &error);
  if (cls == NULL || !wsim_wql_query_check_properties (query, class_has_prop, cls, &error))
    {
      reply_error (req, error);
      return;
    }
  /* The trace keeps the start of a long query only. */
  what = g_strdup_printf ("ExecQueryAsync %s: %.200s%s", ns, a->query, strlen (a->query) > 200 ? "…" : "");
  /* WBEM_FLAG_DIRECT_READ: the server "MUST disregard any derived class" (MS-WMI). */
  accept_call (server, req, ns, cls, a->flags, (a->flags & WBEM_FLAG_DIRECT_READ) == 0, &a->sink,
               a->call_id, g_steal_pointer (&query), NULL, what);
}

static void
h_cancel_async_call (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_cancel_async_call_args *a = args;
  g_autoptr(GError) error = NULL;
  const char *ns;
  g_autofree char *key = NULL;
  GPtrArray *same;
  g_autoptr(GPtrArray) calls = NULL;

  if (!wsim_server_check_caller (server, req, 0, "CancelAsyncCall", &error))
    {
      reply_error (req, error);
      return;
    }
  ns = ns_from_handle (server, a->ns_handle);
  if (ns == NULL || a->sink.endpoint == NULL || a->sink.endpoint[0] == '\0')
    {
      reply_hresult (req, ns == NULL ? WBEM_E_INVALID_NAMESPACE : WBEM_E_INVALID_PARAMETER);
      return;
    }
  if (!wsim_server_check_namespace (server, req, ns, 0, "CancelAsyncCall", &error))
    {
      reply_error (req, error);
      return;
    }
  key = g_strdup_printf ("%s#%" G_GUINT64_FORMAT, a->sink.endpoint, a->sink.sink_id);
  same = g_hash_table_lookup (server->sinks, key);
  if (same == NULL)
    {
      /* Not the sink of any call in the table of async operations. */
      reply_hresult (req, WBEM_E_INVALID_PARAMETER);
      return;
    }
  /* Cancelling may end calls and shrink the list: work on a copy. A call in a namespace
   * that requires encryption is cancelled only by a caller who could have made it. */
  calls = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_call_unref);
  for (guint i = 0; i < same->len; i++)
    {
      const char *call_ns = wsim_call_get_ns (same->pdata[i]);

      g_clear_error (&error);
      if (g_str_equal (call_ns, ns)
          || wsim_server_check_namespace (server, req, call_ns, 0, "CancelAsyncCall", &error))
        g_ptr_array_add (calls, wsim_call_ref (same->pdata[i]));
    }
  if (calls->len == 0)
    {
      reply_error (req, error);
      return;
    }
  reply_hresult (req, WBEM_S_NO_ERROR);
  for (guint i = 0; i < calls->len; i++)
    wsim_call_cancel (calls->pdata[i]);
}

/* QUERY_CALLS: how each of a client's calls stands, now. */
static void
h_query_calls (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_query_calls_args *a = args;
  g_autoptr(GError) error = NULL;
  g_autofree wsim_query_call_res *states = NULL;
  wsim_query_calls_res res = { .hresult = WBEM_S_NO_ERROR };

  if (!wsim_server_check_caller (server, req, 0, "QueryCalls", &error))
    res.hresult = wsim_hresult_from_error (error);
  else
    {
      states = g_new0 (wsim_query_call_res, MAX (a->calls.calls_len, 1));
      for (guint i = 0; i < a->calls.calls_len; i++)
        call_state (server, &a->calls.calls_val[i].sink, a->calls.calls_val[i].call_id, &states[i]);
      res.calls.calls_len = a->calls.calls_len;
      res.calls.calls_val = states;
    }
  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_query_calls_res, &res);
}

static const WsimRpcProcedure service_procs[] = {
  { WSIM_OPEN_NAMESPACE, "OpenNamespace", (xdrproc_t) xdr_wsim_open_namespace_args,
    sizeof (wsim_open_namespace_args), h_open_namespace },
  { WSIM_CANCEL_ASYNC_CALL, "CancelAsyncCall", (xdrproc_t) xdr_wsim_cancel_async_call_args,
    sizeof (wsim_cancel_async_call_args), h_cancel_async_call },
  { WSIM_GET_OBJECT_ASYNC, "GetObjectAsync", (xdrproc_t) xdr_wsim_get_object_async_args,
    sizeof (wsim_get_object_async_args), h_get_object_async },
  { WSIM_PUT_CLASS_ASYNC, "PutClassAsync", (xdrproc_t) xdr_wsim_put_class_async_args,
    sizeof (wsim_put_class_async_args), wsim_server_handle_put_class },
  { WSIM_DELETE_CLASS_ASYNC, "DeleteClassAsync", (xdrproc_t) xdr_wsim_delete_class_async_args,
    sizeof (wsim_delete_class_async_args), wsim_server_handle_delete_class },
  { WSIM_CREATE_CLASS_ENUM_ASYNC, "CreateClassEnumAsync",
    (xdrproc_t) xdr_wsim_create_class_enum_async_args,
    sizeof (wsim_create_class_enum_async_args), wsim_server_handle_create_class_enum },
  { WSIM_CREATE_INSTANCE_ENUM_ASYNC, "CreateInstanceEnumAsync",
    (xdrproc_t) xdr_wsim_create_instance_enum_async_args,
    sizeof (wsim_create_instance_enum_async_args), h_create_instance_enum_async },
  { WSIM_EXEC_QUERY_ASYNC, "ExecQueryAsync", (xdrproc_t) xdr_wsim_exec_query_async_args,
    sizeof (wsim_exec_query_async_args), h_exec_query_async },
  { WSIM_EXEC_METHOD_ASYNC, "ExecMethodAsync", (xdrproc_t) xdr_wsim_exec_method_async_args,
    sizeof (wsim_exec_method_async_args), wsim_server_handle_exec_method },
  { WSIM_PUT_INSTANCE_ASYNC, "PutInstanceAsync", (xdrproc_t) xdr_wsim_put_instance_async_args,
    sizeof (wsim_put_instance_async_args), wsim_server_handle_put_instance },
  { WSIM_DELETE_INSTANCE_ASYNC, "DeleteInstanceAsync",
    (xdrproc_t) xdr_wsim_delete_instance_async_args, sizeof (wsim_delete_instance_async_args),
    wsim_server_handle_delete_instance },
  { WSIM_NEGOTIATE_SECURITY, "NegotiateSecurity", WSIM_XDRPROC (xdr_void), 0,
    wsim_server_handle_negotiate },
  { WSIM_QUERY_CALLS, "QueryCalls", (xdrproc_t) xdr_wsim_query_calls_args,
    sizeof (wsim_query_calls_args), h_query_calls },
};

/* WSIM_SERVICE_V2 twins every procedure above (wsim-server-v2.c). */
G_STATIC_ASSERT (G_N_ELEMENTS (service_procs) <= WSIM_SERVER_V2_SLOTS);

static const WsimRpcProgram service_program = {
  .prog = WSIM_SERVICE_PROG,
  .vers = WSIM_SERVICE_V1,
  .name = "wsim-service",
  .procs = service_procs,
  .n_procs = G_N_ELEMENTS (service_procs),
};

/* ---- the server ----------------------------------------------------------------- */

void
wsim_server_get_programs (const WsimRpcProgram **v1, const WsimRpcProgram **v2)
{
  *v1 = &service_program;
  *v2 = wsim_server_v2_program (service_procs, G_N_ELEMENTS (service_procs));
}

/* The environment's word on the quota's default (WsimServerLimits): how tests and operators
 * set it for servers they do not build themselves (wmisimd's). */
static void
limits_from_env (WsimServerLimits *limits)
{
  const char *v = g_getenv ("WSIM_SERVER_MAX_CALLS_PER_CLIENT");
  guint64 n;

  if (v != NULL && g_ascii_string_to_unsigned (v, 10, 0, G_MAXUINT, &n, NULL))
    limits->max_calls_per_client = (guint) n;
}

WsimServer *
wsim_server_new (GMainContext *context, WsimRepository *repo)
{
  WsimServer *server = g_new0 (WsimServer, 1);

  g_atomic_ref_count_init (&server->ref_count);
  server->context = context != NULL ? g_main_context_ref (context)
                                    : g_main_context_ref_thread_default ();
  server->repo = repo;
  server->trace = wsim_trace_new ();
  server->limits = (WsimServerLimits) {
    .batch_bytes = 64 * 1024,
    .batch_rows = 4096,
    .max_indicates_in_flight = 4,
    .callback_timeout_ms = 30000,
    .max_calls_per_client = 1024,
  };
  limits_from_env (&server->limits);
  server->ns_handles = g_ptr_array_new_with_free_func (g_free);
  server->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) wsim_call_unref);
  server->sinks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  server->client_calls = wsim_key_count_new ();
  server->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ended_call_free);
  g_queue_init (&server->ended_order);
  wsim_server_callbacks_init (server);
  server->rpc = wsim_rpc_server_new (server->context);
  wsim_rpc_server_add_program (server->rpc, &service_program, server);
  wsim_server_add_v2 (server, service_procs, G_N_ELEMENTS (service_procs));
  wsim_server_security_init (server);
  return server;
}

WsimServer *
wsim_server_ref (WsimServer *server)
{
  g_atomic_ref_count_inc (&server->ref_count);
  return server;
}

static gboolean
no_calls (gpointer data)
{
  return g_hash_table_size (((WsimServer *) data)->calls) == 0;
}

void
wsim_server_shutdown (WsimServer *server)
{
  g_autoptr(GPtrArray) calls = NULL;
  GHashTableIter iter;
  WsimCall *call;
  gint64 deadline;

  if (server->shutting_down)
    return;
  server->shutting_down = TRUE;
  calls = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_call_unref);
  g_hash_table_iter_init (&iter, server->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &call))
    g_ptr_array_add (calls, wsim_call_ref (call));
  for (guint i = 0; i < calls->len; i++)
    wsim_call_abort (calls->pdata[i], WBEM_E_SHUTTING_DOWN, "the server is shutting down");

  /* Let the final SetStatus calls reach their sinks before the connections close:
   * a bounded wait (a timer wakes the loop at the deadline) on the server's own context. */
  if (!no_calls (server))
    {
      GSource *t = g_timeout_source_new (2000);

      g_source_set_dummy_callback (t);
      g_source_attach (t, server->context);
      deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      while (!no_calls (server) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (server->context, TRUE);
      g_source_destroy (t);
      g_source_unref (t);
    }

  wsim_rpc_server_shutdown (server->rpc);
  wsim_server_callbacks_shutdown (server);
  g_hash_table_remove_all (server->callbacks);   /* fails what is left: those calls end */
  g_hash_table_remove_all (server->calls);
}

void
wsim_server_unref (WsimServer *server)
{
  if (server == NULL || !g_atomic_ref_count_dec (&server->ref_count))
    return;
  wsim_server_shutdown (server);
  wsim_rpc_server_unref (server->rpc);
  g_hash_table_unref (server->callbacks);
  g_queue_clear (&server->ended_order);
  g_hash_table_unref (server->ended);
  g_free (server->callback_user);
  g_free (server->callback_keytab);
  g_hash_table_unref (server->calls);
  g_hash_table_unref (server->sinks);
  g_hash_table_unref (server->client_calls);
  g_ptr_array_unref (server->ns_handles);
  wsim_trace_unref (server->trace);
  wsim_repository_free (server->repo);
  g_main_context_unref (server->context);
  g_free (server);
}

gboolean
wsim_server_listen (WsimServer *server, GSocketAddress *address, GSocketAddress **out_address,
                    GError **error)
{
  return wsim_rpc_server_listen (server->rpc, address, out_address, error);
}

void
wsim_server_get_limits (WsimServer *server, WsimServerLimits *out)
{
  *out = server->limits;
}

void
wsim_server_set_limits (WsimServer *server, const WsimServerLimits *limits)
{
  g_return_if_fail (limits->max_indicates_in_flight > 0 && limits->batch_rows > 0
                    && limits->batch_rows <= WSIM_MAX_ROWS);
  server->limits = *limits;
}

WsimRepository *
wsim_server_get_repository (WsimServer *server)
{
  return server->repo;
}

WsimTrace *
wsim_server_get_trace (WsimServer *server)
{
  return server->trace;
}

guint
wsim_server_get_n_calls (WsimServer *server)
{
  return g_hash_table_size (server->calls);
}

guint
wsim_server_get_n_sinks (WsimServer *server)
{
  return g_hash_table_size (server->sinks);
}
