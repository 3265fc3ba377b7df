/* wsim-sink-host.c: serves the sink program for the client's sinks (see wsim-sink-host.h). */
#include "wsim-sink-host.h"
#include "wsim-sink-flow.h"
#include "wsim-sink-host-forward.h"
#include "wsim-sink-programs.h"
#include "wsim-sink-host-watch.h"
#include "wsim-sink-rows.h"

#include <string.h>

#include "wsim-address.h"
#include "wsim-auth-gss.h"
#include "wsim-rpc-server.h"
#include "wsim-wbem.h"
#include "wsim_sink.h"

typedef struct {
  GPtrArray *classes;        /* (owned) WsimClass*: the call's class table, in wire order */
  gboolean   check;          /* the access check of WsimSinkAccess */
  char      *principal;      /* (owned) (nullable) */
  char      *mech;           /* (owned) (nullable) */
  guint64    remote_sink_id; /* a forward's: the sink id at the next host */
  gint64     last_activity;  /* monotonic µs of the last callback taken for it; 0: none yet */
  WsimSinkHostCallFunc watcher;   /* (nullable) told of trouble and of the call's end */
  gpointer   watcher_data;
  guint64    sink_id;        /* for the watcher */
  guint64    call_id;
} HostCall;

typedef struct {
  guint64        id;
  WsimSink      *sink;       /* (owned) (nullable) while calls are open; NULL for a forward */
  WsimRpcClient *forward;    /* (owned) (nullable) where a forward's callbacks go */
  GHashTable    *calls;      /* call_id (guint64*) -> (owned) HostCall* */
} Export;

struct _WsimSinkHost {
  gatomicrefcount ref_count;  /* atomic */
  GMainContext  *context;    /* (owned) */
  WsimRpcServer *rpc;        /* (owned) */
  char          *endpoint;   /* (owned) */
  GHashTable    *by_id;      /* sink id (guint64*) -> (owned) Export* */
  GHashTable    *by_sink;    /* WsimSink* -> Export* (unowned) */
  guint64        next_id;
  guint64        n_refused;
  guint32        max_level;  /* callbacks above it are refused */
  WsimSinkHostEventFunc event_func;
  gpointer       event_data;
  GDestroyNotify event_destroy;
};

static void
host_call_free (gpointer p)
{
  HostCall *c = p;

  /* The call is over here (its final delivered, ended or abandoned, or the host going). */
  if (c->watcher != NULL)
    c->watcher (NULL, c->sink_id, c->call_id, WSIM_SINK_HOST_CALL_ENDED, c->watcher_data);
  g_ptr_array_unref (c->classes);
  g_free (c->principal);
  g_free (c->mech);
  g_free (c);
}

static void
export_free (gpointer p)
{
  Export *e = p;

  g_hash_table_unref (e->calls);
  if (e->sink != NULL)
    wsim_sink_unref (e->sink);
  if (e->forward != NULL)
    wsim_rpc_client_unref (e->forward);
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
  /* A forward lives until it is removed; a sink only while it has calls. */
  if (g_hash_table_size (e->calls) > 0 || e->forward != NULL)
    return;
  g_hash_table_remove (host->by_sink, e->sink);
  g_hash_table_remove (host->by_id, &e->id);   /* frees e, drops the sink */
}

static HostCall *
host_find_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id)
{
  Export *e = g_hash_table_lookup (host->by_id, &sink_id);

  return e != NULL ? g_hash_table_lookup (e->calls, &call_id) : NULL;
}

/* Does @principal name the account @expected names? Case does not matter; a Kerberos
 * host-based name "service@host" matches "service/host@REALM" in any realm. */
static gboolean
principal_matches (const char *expected, const char *principal)
{
  const char *at = strchr (expected, '@');
  const char *pat;

  if (g_ascii_strcasecmp (expected, principal) == 0)
    return TRUE;
  if (at == NULL || strchr (expected, '/') != NULL || (pat = strrchr (principal, '@')) == NULL)
    return FALSE;
  {
    g_autofree char *service = g_strndup (expected, at - expected);
    g_autofree char *as_principal = g_strdup_printf ("%s/%s", service, at + 1);

    return (gsize) (pat - principal) == strlen (as_principal)
           && g_ascii_strncasecmp (principal, as_principal, pat - principal) == 0;
  }
}

/* Why host_admit() took or refused a callback. */
typedef enum {
  ADMIT_TAKEN,
  ADMIT_ABOVE_MAX_LEVEL,
  ADMIT_NO_SUCH_CALL,
  ADMIT_UNAUTHENTICATED,
  ADMIT_NOT_THE_SERVER,
} Admit;

static WsimHResult
admit_hresult (Admit why)
{
  if (why == ADMIT_TAKEN)
    return WBEM_S_NO_ERROR;
  /* A level the host cannot do is the transport's refusal; the rest are WMI's. */
  return why == ADMIT_ABOVE_MAX_LEVEL ? E_ACCESSDENIED : WBEM_E_ACCESS_DENIED;
}

/* The event's text, made only when someone listens (Indicate is the hot path). */
static char *
admit_detail (WsimSinkHost *host, Admit why, const WsimRpcIdentity *id, const HostCall *c,
              const char *what, guint64 sink_id, guint64 call_id)
{
  const char *level = wsim_authn_level_word ((WsimAuthnLevel) id->level);

  switch (why)
    {
    case ADMIT_ABOVE_MAX_LEVEL:
      return g_strdup_printf ("%s at %s: this host takes no level above %s", what, level,
                              wsim_authn_level_word ((WsimAuthnLevel) host->max_level));
    case ADMIT_NO_SUCH_CALL:
      return g_strdup_printf ("%s for call %" G_GUINT64_FORMAT " of sink %" G_GUINT64_FORMAT
                              ": no such call is open", what, call_id, sink_id);
    case ADMIT_UNAUTHENTICATED:
      return g_strdup_printf ("%s at %s: the caller is not authenticated (access is checked)",
                              what, level);
    case ADMIT_NOT_THE_SERVER:
      return g_strdup_printf ("%s at %s: %s (%s) is not %s (%s), the account the call "
                              "authenticated to", what, level, id->principal, id->mech,
                              c->principal != NULL ? c->principal : "known",
                              c->mech != NULL ? c->mech : "any mechanism");
    case ADMIT_TAKEN:
    default:
      return g_strdup_printf ("%s at %s%s", what, level,
                              id->level >= RPC_C_AUTHN_LEVEL_CONNECT && id->principal != NULL
                                ? "" : " (unauthenticated: access is not checked)");
    }
}

/* Decides whether @req may make callback @what for (@sink_id, @call_id): the host's maximum
 * level, an open call, and that call's access check. Reports the decision to the event
 * function. Returns: WBEM_S_NO_ERROR with *@out_e and *@out_c set, or the refusal. */
static WsimHResult
host_admit (WsimSinkHost *host, WsimRpcRequest *req, guint64 sink_id, guint64 call_id,
            const char *what, guint64 n, gboolean last_rung, Export **out_e, HostCall **out_c)
{
  const WsimRpcIdentity *id = wsim_rpc_request_get_identity (req);
  Export *e = g_hash_table_lookup (host->by_id, &sink_id);
  HostCall *c = e != NULL ? g_hash_table_lookup (e->calls, &call_id) : NULL;
  gboolean authenticated = id->level >= RPC_C_AUTHN_LEVEL_CONNECT && id->principal != NULL;
  Admit why = ADMIT_TAKEN;

  if (id->level > host->max_level)
    why = ADMIT_ABOVE_MAX_LEVEL;
  else if (c == NULL)
    why = ADMIT_NO_SUCH_CALL;
  else if (c->check && !authenticated)
    why = ADMIT_UNAUTHENTICATED;
  else if (c->check && (c->principal == NULL || !principal_matches (c->principal, id->principal)
                        || (c->mech != NULL && g_strcmp0 (c->mech, id->mech) != 0)))
    why = ADMIT_NOT_THE_SERVER;

  if (why != ADMIT_TAKEN)
    host->n_refused++;
  else
    c->last_activity = g_get_monotonic_time ();
  if (host->event_func != NULL)
    {
      g_autofree char *detail = admit_detail (host, why, id, c, what, sink_id, call_id);
      WsimSinkHostEvent ev = {
        .accepted = why == ADMIT_TAKEN, .sink_id = sink_id, .call_id = call_id,
        .hr = admit_hresult (why),
        .level = id->level, .mech = id->mech, .principal = authenticated ? id->principal : NULL,
        .detail = detail, .n = n, .last_rung = last_rung,
      };

      host->event_func (host, &ev, host->event_data);
    }
  *out_e = e;
  *out_c = c;
  return admit_hresult (why);
}

static void
reply (WsimRpcRequest *req, WsimHResult hr)
{
  wsim_sink_res res = { .hresult = hr };

  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_sink_res, &res);
}

/* A callback on its way to the next host (a forward), waiting for that host's answer. */
typedef struct {
  WsimRpcRequest *req;       /* (owned) answered with the next host's answer */
} Forwarding;

static void
on_forward_reply (WsimRpcClient *client, WsimRpcReply *rpc_reply, const GError *error, gpointer data)
{
  Forwarding *f = data;
  wsim_sink_res res = { 0 };

  /* The sink is out of reach: the server learns it as a failed callback. */
  if (error != NULL || !wsim_rpc_reply_decode (rpc_reply, (xdrproc_t) xdr_wsim_sink_res, &res, NULL))
    res.hresult = WBEM_E_TRANSPORT_FAILURE;
  reply (f->req, res.hresult);
  wsim_rpc_request_unref (f->req);
  g_free (f);
}

/* Sends callback @args (whose sink_id field is @sink_id_field) on to @e's next host. */
static void
forward (WsimSinkHost *host, WsimRpcRequest *req, Export *e, HostCall *c, guint32 proc,
         xdrproc_t xargs, void *args, guint64 *sink_id_field)
{
  Forwarding *f = g_new0 (Forwarding, 1);

  f->req = wsim_rpc_request_ref (req);
  *sink_id_field = c->remote_sink_id;
  wsim_rpc_client_call (e->forward, proc, xargs, args, -1, NULL, on_forward_reply, f);
}

static void
h_query (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimSinkHost *host = data;
  wsim_sink_query_args *a = args;
  Export *e;
  HostCall *c;

  reply (req, host_admit (host, req, a->sink_id, a->call_id, "QUERY", 0, a->last_rung, &e, &c));
}

static void
h_indicate (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimSinkHost *host = data;
  wsim_indicate_args *a = args;
  Export *e;
  HostCall *c;
  WsimHResult hr = host_admit (host, req, a->sink_id, a->call_id, "Indicate", a->rows.rows_len,
                               FALSE, &e, &c);
  g_autoptr(GPtrArray) objects = NULL;

  if (hr != WBEM_S_NO_ERROR)
    {
      reply (req, hr);
      return;
    }
  if (e->forward != NULL)
    {
      forward (host, req, e, c, WSIM_SINK_INDICATE, (xdrproc_t) xdr_wsim_indicate_args, a, &a->sink_id);
      return;
    }
  if (!wsim_sink_rows_learn_classes (c->classes, a->new_classes.new_classes_val, a->new_classes.new_classes_len))
    {
      reply (req, WBEM_E_INVALID_PARAMETER);
      return;
    }
  objects = g_ptr_array_new_full (a->rows.rows_len, (GDestroyNotify) wsim_object_unref);
  for (guint i = 0; i < a->rows.rows_len; i++)
    {
      WsimObject *obj = wsim_sink_rows_to_object (c->classes, &a->rows.rows_val[i]);

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
    /* A held sink (wsim-sink-flow.h) answers later: the server's window holds the provider. */
    if (!wsim_sink_flow_take_reply (sink, req))
      reply (req, WBEM_S_NO_ERROR);
    wsim_sink_unref (sink);
  }
}

/* INDICATE_CLASSES: class objects, delivered as WsimClassDecl (wsim-sink.h). */
static void
h_indicate_classes (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimSinkHost *host = data;
  wsim_indicate_classes_args *a = args;
  Export *e;
  HostCall *c;
  WsimHResult hr = host_admit (host, req, a->sink_id, a->call_id, "Indicate (classes)",
                               a->classes.classes_len, FALSE, &e, &c);
  g_autoptr(GPtrArray) decls = NULL;

  if (hr != WBEM_S_NO_ERROR)
    {
      reply (req, hr);
      return;
    }
  if (e->forward != NULL)
    {
      forward (host, req, e, c, WSIM_SINK_INDICATE_CLASSES,
               (xdrproc_t) xdr_wsim_indicate_classes_args, a, &a->sink_id);
      return;
    }
  decls = g_ptr_array_new_full (a->classes.classes_len, (GDestroyNotify) wsim_class_decl_unref);
  for (guint i = 0; i < a->classes.classes_len; i++)
    g_ptr_array_add (decls, wsim_class_decl_new_take (&a->classes.classes_val[i]));
  {
    g_autoptr(WsimSink) sink = wsim_sink_ref (e->sink);

    wsim_sink_indicate_classes (sink, (WsimClassDecl *const *) decls->pdata, decls->len);
  }
  reply (req, WBEM_S_NO_ERROR);
}

/* Delivers call @call_id's final SetStatus to @e's sink. The call is forgotten before the
 * sink runs, so anything later is refused; the sink may make or abandon calls, or drop the
 * client, meanwhile: the caller holds a reference on the host, and the export is found
 * again afterwards. */
static void
host_deliver_final (WsimSinkHost *host, Export *e, guint64 call_id, WsimHResult hr,
                    const char *str_param, WsimObject *obj)
{
  g_autoptr(WsimSink) sink = wsim_sink_ref (e->sink);
  guint64 sink_id = e->id;

  g_hash_table_remove (e->calls, &call_id);
  wsim_sink_set_status (sink, WBEM_STATUS_COMPLETE, hr,
                        str_param != NULL && str_param[0] != '\0' ? str_param : NULL, obj);
  e = g_hash_table_lookup (host->by_id, &sink_id);
  if (e != NULL)
    host_drop_if_idle (host, e);
}

static void
h_set_status (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimSinkHost *host = data;
  wsim_set_status_args *a = args;
  Export *e;
  HostCall *c;
  WsimHResult hr = host_admit (host, req, a->sink_id, a->call_id,
                               a->flags == WBEM_STATUS_COMPLETE ? "SetStatus (final)" : "SetStatus",
                               0, FALSE, &e, &c);
  g_autoptr(WsimObject) obj = NULL;

  if (hr != WBEM_S_NO_ERROR)
    {
      reply (req, hr);
      return;
    }
  if (e->forward != NULL)
    {
      guint64 call_id = a->call_id;

      forward (host, req, e, c, WSIM_SINK_SET_STATUS, (xdrproc_t) xdr_wsim_set_status_args, a,
               &a->sink_id);
      if (a->flags == WBEM_STATUS_COMPLETE)
        g_hash_table_remove (e->calls, &call_id);
      return;
    }
  if (!wsim_sink_rows_learn_classes (c->classes, a->new_classes.new_classes_val, a->new_classes.new_classes_len)
      || (a->obj_param != NULL && (obj = wsim_sink_rows_to_object (c->classes, a->obj_param)) == NULL))
    {
      /* A final whose error object does not fit is still the call's end: the sink gets its
       * status without the object. Refusing it would lose the final altogether (the server
       * would tear the call down, the sink would wait for the watch's verdict). */
      if (a->flags != WBEM_STATUS_COMPLETE)
        {
          reply (req, WBEM_E_INVALID_PARAMETER);
          return;
        }
      g_clear_pointer (&obj, wsim_object_unref);
    }
  if (a->flags == WBEM_STATUS_COMPLETE)
    {
      wsim_sink_host_ref (host);
      host_deliver_final (host, e, a->call_id, a->hresult, a->str_param, obj);
      reply (req, WBEM_S_NO_ERROR);
      wsim_sink_host_unref (host);
      return;
    }
  {
    g_autoptr(WsimSink) sink = wsim_sink_ref (e->sink);

    wsim_sink_set_status (sink, a->flags, a->hresult, NULL, obj);
  }
  reply (req, WBEM_S_NO_ERROR);
}

static const WsimRpcProcedure sink_procs[] = {
  { WSIM_SINK_QUERY, "Query", (xdrproc_t) xdr_wsim_sink_query_args,
    sizeof (wsim_sink_query_args), h_query },
  { WSIM_SINK_INDICATE, "Indicate", (xdrproc_t) xdr_wsim_indicate_args,
    sizeof (wsim_indicate_args), h_indicate },
  { WSIM_SINK_SET_STATUS, "SetStatus", (xdrproc_t) xdr_wsim_set_status_args,
    sizeof (wsim_set_status_args), h_set_status },
  { WSIM_SINK_INDICATE_CLASSES, "IndicateClasses", (xdrproc_t) xdr_wsim_indicate_classes_args,
    sizeof (wsim_indicate_classes_args), h_indicate_classes },
};

static const WsimRpcProgram sink_program = {
  .prog = WSIM_SINK_PROG,
  .vers = WSIM_SINK_V1,
  .name = "wsim-sink",
  .procs = sink_procs,
  .n_procs = G_N_ELEMENTS (sink_procs),
};

const WsimRpcProgram *
wsim_sink_host_program (void)
{
  return &sink_program;
}

WsimSinkHost *
wsim_sink_host_new (GMainContext *context, GSocketAddress *address, GError **error)
{
  WsimSinkHost *host = g_new0 (WsimSinkHost, 1);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketAddress) lo = NULL;

  g_atomic_ref_count_init (&host->ref_count);
  host->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  host->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, export_free);
  host->by_sink = g_hash_table_new (g_direct_hash, g_direct_equal);
  host->max_level = RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
  host->rpc = wsim_rpc_server_new (host->context);
  wsim_rpc_server_add_program (host->rpc, &sink_program, host);
  /* The server's callback ladder starts at PKT_PRIVACY: a host must be able to take it. */
  wsim_rpc_server_set_accept_gss (host->rpc, TRUE);
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

gboolean
wsim_sink_host_add_listener (WsimSinkHost *host, GSocketAddress *address, char **endpoint,
                             GError **error)
{
  g_autoptr(GSocketAddress) bound = NULL;

  if (!wsim_rpc_server_listen (host->rpc, address, &bound, error))
    return FALSE;
  if (endpoint != NULL)
    *endpoint = wsim_address_to_string (bound);
  return TRUE;
}

WsimSinkHost *
wsim_sink_host_ref (WsimSinkHost *host)
{
  g_atomic_ref_count_inc (&host->ref_count);
  return host;
}

void
wsim_sink_host_unref (WsimSinkHost *host)
{
  if (host == NULL || !g_atomic_ref_count_dec (&host->ref_count))
    return;
  wsim_rpc_server_unref (host->rpc);
  if (host->event_destroy != NULL)
    host->event_destroy (host->event_data);
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

GMainContext *
wsim_sink_host_get_context (WsimSinkHost *host)
{
  return host->context;
}

static Export *
export_new (WsimSinkHost *host)
{
  Export *e = g_new0 (Export, 1);

  e->id = ++host->next_id;
  e->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, host_call_free);
  g_hash_table_insert (host->by_id, key64 (e->id), e);
  return e;
}

static HostCall *
export_add_call (Export *e, guint64 call_id, const WsimSinkAccess *access)
{
  HostCall *c = g_new0 (HostCall, 1);

  c->sink_id = e->id;
  c->call_id = call_id;
  c->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_unref);
  if (access != NULL)
    {
      c->check = access->check;
      c->principal = g_strdup (access->principal);
      c->mech = g_strdup (access->mech);
    }
  g_hash_table_insert (e->calls, key64 (call_id), c);
  return c;
}

guint64
wsim_sink_host_begin_call_full (WsimSinkHost *host, WsimSink *sink, guint64 call_id,
                                const WsimSinkAccess *access)
{
  Export *e = g_hash_table_lookup (host->by_sink, sink);

  if (e == NULL)
    {
      e = export_new (host);
      e->sink = wsim_sink_ref (sink);
      g_hash_table_insert (host->by_sink, sink, e);
    }
  export_add_call (e, call_id, access);
  return e->id;
}

guint64
wsim_sink_host_begin_call (WsimSinkHost *host, WsimSink *sink, guint64 call_id)
{
  return wsim_sink_host_begin_call_full (host, sink, call_id, NULL);
}

gboolean
wsim_sink_host_end_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id, WsimHResult hr,
                         const char *message)
{
  Export *e = g_hash_table_lookup (host->by_id, &sink_id);

  if (e == NULL || e->sink == NULL || !g_hash_table_contains (e->calls, &call_id))
    return FALSE;
  wsim_sink_host_ref (host);
  host_deliver_final (host, e, call_id, hr, message, NULL);
  wsim_sink_host_unref (host);
  return TRUE;
}

guint64
wsim_sink_host_add_forward (WsimSinkHost *host, WsimRpcClient *to)
{
  Export *e = export_new (host);

  e->forward = wsim_rpc_client_ref (to);
  return e->id;
}

gboolean
wsim_sink_host_begin_forward_call (WsimSinkHost *host, guint64 id, guint64 call_id,
                                   guint64 remote_sink_id, const WsimSinkAccess *access)
{
  Export *e = g_hash_table_lookup (host->by_id, &id);

  if (e == NULL || e->forward == NULL)
    return FALSE;
  export_add_call (e, call_id, access)->remote_sink_id = remote_sink_id;
  return TRUE;
}

void
wsim_sink_host_remove_forward (WsimSinkHost *host, guint64 id)
{
  Export *e = g_hash_table_lookup (host->by_id, &id);

  if (e != NULL && e->forward != NULL)
    g_hash_table_remove (host->by_id, &id);
}

guint
wsim_sink_host_get_n_forward_calls (WsimSinkHost *host, guint64 id)
{
  Export *e = g_hash_table_lookup (host->by_id, &id);

  return e != NULL && e->forward != NULL ? g_hash_table_size (e->calls) : 0;
}

void
wsim_sink_host_set_max_level (WsimSinkHost *host, WsimAuthnLevel level)
{
  host->max_level = level;
}

void
wsim_sink_host_set_event_func (WsimSinkHost *host, WsimSinkHostEventFunc func, gpointer user_data,
                               GDestroyNotify destroy)
{
  if (host->event_destroy != NULL)
    host->event_destroy (host->event_data);
  host->event_func = func;
  host->event_data = user_data;
  host->event_destroy = destroy;
}

void
wsim_sink_host_abandon_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id)
{
  Export *e = g_hash_table_lookup (host->by_id, &sink_id);

  if (e == NULL)
    return;
  g_hash_table_remove (e->calls, &call_id);
  host_drop_if_idle (host, e);   /* a forward stays */
}

gboolean
wsim_sink_host_lookup (WsimSinkHost *host, WsimSink *sink, guint64 *sink_id)
{
  Export *e = sink != NULL ? g_hash_table_lookup (host->by_sink, sink) : NULL;

  if (e != NULL)
    *sink_id = e->id;
  return e != NULL;
}

gboolean
wsim_sink_host_has_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id)
{
  return host_find_call (host, sink_id, call_id) != NULL;
}

gboolean
wsim_sink_host_get_call_activity (WsimSinkHost *host, guint64 sink_id, guint64 call_id,
                                  gint64 *last_activity)
{
  HostCall *c = host_find_call (host, sink_id, call_id);

  if (c != NULL)
    *last_activity = c->last_activity;
  return c != NULL;
}

void
wsim_sink_host_set_call_watcher (WsimSinkHost *host, guint64 sink_id, guint64 call_id,
                                 WsimSinkHostCallFunc func, gpointer user_data)
{
  HostCall *c = host_find_call (host, sink_id, call_id);

  if (c != NULL)
    {
      c->watcher = func;
      c->watcher_data = user_data;
    }
}

void
wsim_sink_host_call_attention (WsimSinkHost *host, guint64 sink_id, guint64 call_id)
{
  HostCall *c = host_find_call (host, sink_id, call_id);

  if (c != NULL && c->watcher != NULL)
    c->watcher (host, sink_id, call_id, WSIM_SINK_HOST_CALL_SUSPECT, c->watcher_data);
}

void
wsim_sink_host_touch_call (WsimSinkHost *host, guint64 sink_id, guint64 call_id)
{
  HostCall *c = host_find_call (host, sink_id, call_id);

  if (c != NULL)
    c->last_activity = g_get_monotonic_time ();
}

guint
wsim_sink_host_get_n_sinks (WsimSinkHost *host)
{
  return g_hash_table_size (host->by_sink);
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
