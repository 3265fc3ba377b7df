/* wsim-unsecapp.c: the client's side of the unsecured apartment (see wsim-unsecapp.h).
 *
 * The apartment owns a private directory (0700; wsim-private-dir.h: removed however the
 * process ends, as is the 0711 one of a Unix listener for servers) with two Unix sockets it
 * serves on the caller's context: "sink", a sink host that takes what the helper forwards
 * (your sinks' calls are begun there), and "report", the report program the helper tells its
 * decisions to. It starts the helper with the directory, reads its "READY <endpoint>" line (bounded),
 * and talks to it on the helper's "control" socket. The helper's stdin is a pipe the
 * apartment holds: when the apartment (or its process) goes, the helper sees EOF and exits.
 */
#include "wsim-unsecapp.h"
#include "wsim-sink-programs.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wsim-address.h"
#include "wsim-private-dir.h"
#include "wsim-registry.h"
#include "wsim-rpc-client.h"
#include "wsim-rpc-server.h"
#include "wsim-sink-host.h"
#include "wsim-sink-host-watch.h"
#include "wsim-wbem.h"
#include "wsim_unsecapp.h"

#define HELPER_START_TIMEOUT_MS 10000
#define HELPER_STOP_TIMEOUT_MS 5000

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

struct _WsimUnsecApp {
  gatomicrefcount ref_count;   /* atomic */
  GMainContext  *context;     /* (owned) */
  WsimPrivateDir *dir;        /* (owned) the private directory */
  WsimSinkHost  *host;        /* (owned) takes the forwarded callbacks */
  WsimRpcServer *reports;     /* (owned) the report program */
  GSubprocess   *helper;      /* (owned) */
  GPid           pid;
  GMainContext  *control_context; /* (owned) private: drives the control calls only, so
                                  * waiting for the helper never runs your sinks */
  WsimRpcClient *control;     /* (owned) */
  char          *endpoint;    /* (owned) the helper's, for the server */
  char          *registry;    /* (owned) (nullable) */
  WsimTrace     *trace;       /* (owned) */
  GHashTable    *stubs;       /* stub id (guint64*) -> Stub* (unowned: a stub removes itself) */
  GHashTable    *listeners;   /* "tcp:IP:0" or "unix" -> (owned) the helper's endpoint there */
  WsimPrivateDir *public_dir; /* (owned) (nullable) where the helper's Unix socket for servers is */
  gboolean       fixed;       /* options->listen named the one endpoint to use */
};

typedef struct {
  WsimUnsecApp *app;          /* (owned) */
  WsimSink     *sink;         /* (owned) your sink */
  guint64       id;           /* in the helper */
  gboolean      check;
  GHashTable   *calls;        /* call id (guint64*) -> (owned) guint64*: its sink id in app->host */
  const char   *endpoint;     /* (unowned) (nullable) where its last call named it (app->listeners) */
} Stub;

static guint64 *
key64 (guint64 v)
{
  return g_memdup2 (&v, sizeof v);
}

/* A synchronous control call: the wait iterates the apartment's context only. */
static gboolean
control_call (WsimUnsecApp *app, guint32 proc, xdrproc_t xargs, const void *args, xdrproc_t xres,
              void *res, GError **error)
{
  gboolean ok;

  g_main_context_push_thread_default (app->control_context);
  ok = wsim_rpc_client_call_sync (app->control, proc, xargs, args, xres, res, -1, NULL, error);
  g_main_context_pop_thread_default (app->control_context);
  return ok;
}

/* ---- reports from the helper ---------------------------------------------------- */

static void
h_report (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimUnsecApp *app = data;
  wsim_stub_event *ev = args;
  WsimTraceAuth who = {
    .level = ev->level,
    .mech = ev->mech[0] != '\0' ? ev->mech : NULL,
    .principal = ev->principal[0] != '\0' ? ev->principal : NULL,
  };
  Stub *stub = g_hash_table_lookup (app->stubs, &ev->stub_id);

  /* Static strings for the trace's mechanism names. */
  if (who.mech != NULL)
    who.mech = g_intern_string (who.mech);
  wsim_trace_add_auth (app->trace, ev->kind == WSIM_STUB_ACCEPTED ? WSIM_TRACE_STUB_ACCEPTED
                                                                 : WSIM_TRACE_STUB_REFUSED,
                       ev->call_id, ev->hresult, ev->n, &who, "%s", ev->detail);
  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_void), NULL);
  /* The helper answers the server's QUERY itself: that the server got through is news of
   * the call for the client's watch, as a forwarded callback would be. */
  if (stub != NULL)
    {
      guint64 *local = g_hash_table_lookup (stub->calls, &ev->call_id);

      /* A refused last level means the server is about to give the call up: its client asks
       * now rather than at its next look (a forged "last rung" only costs that question). */
      if (local != NULL && ev->kind == WSIM_STUB_ACCEPTED)
        wsim_sink_host_touch_call (app->host, *local, ev->call_id);
      else if (local != NULL && ev->last_rung)
        wsim_sink_host_call_attention (app->host, *local, ev->call_id);
    }
}

/* The helper's report connection ended: the helper is gone (killed, or crashed). The calls
 * of its stubs can get no more callbacks: their client's watch asks the server now. */
static void
on_helper_gone (WsimRpcServer *server, guint64 conn_id, gpointer data)
{
  WsimUnsecApp *app = data;
  GHashTableIter stubs;
  Stub *stub;

  g_hash_table_iter_init (&stubs, app->stubs);
  while (g_hash_table_iter_next (&stubs, NULL, (gpointer *) &stub))
    {
      GHashTableIter calls;
      gpointer key, value;

      g_hash_table_iter_init (&calls, stub->calls);
      while (g_hash_table_iter_next (&calls, &key, &value))
        wsim_sink_host_call_attention (app->host, *(guint64 *) value, *(guint64 *) key);
    }
}

static const WsimRpcProcedure report_procs[] = {
  { WSIM_UNSECAPP_REPORT, "Report", (xdrproc_t) xdr_wsim_stub_event, sizeof (wsim_stub_event),
    h_report },
};

static const WsimRpcProgram report_program = {
  .prog = WSIM_UNSECAPP_REPORT_PROG,
  .vers = WSIM_UNSECAPP_REPORT_V1,
  .name = "wsim-unsecapp-report",
  .procs = report_procs,
  .n_procs = G_N_ELEMENTS (report_procs),
};

const WsimRpcProgram *
wsim_unsecapp_report_program (void)
{
  return &report_program;
}

/* ---- starting the helper -------------------------------------------------------- */

static char *
helper_path (void)
{
  const char *env = g_getenv ("WSIM_UNSECAPP");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (g_file_test (WSIM_UNSECAPP_INSTALLED, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (WSIM_UNSECAPP_INSTALLED);
  return g_strdup (WSIM_UNSECAPP_BUILT);
}

typedef struct {
  char     *line;
  GError   *error;
  gboolean  done;
} ReadyWait;

static void
on_ready_line (GObject *source, GAsyncResult *result, gpointer data)
{
  ReadyWait *w = data;

  w->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &w->error);
  w->done = TRUE;
}

static gboolean
on_ready_timeout (gpointer data)
{
  ReadyWait *w = data;

  w->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Reads the helper's first line, "READY <endpoint>", giving up after a bound. */
static char *
helper_wait_ready (WsimUnsecApp *app, GError **error)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  GSource *timeout;
  ReadyWait w = { 0 };

  g_main_context_push_thread_default (ctx);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app->helper));
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, cancel, on_ready_line, &w);
  timeout = g_timeout_source_new (HELPER_START_TIMEOUT_MS);
  g_source_set_callback (timeout, on_ready_timeout, &w, NULL);
  g_source_attach (timeout, ctx);
  while (!w.done)
    g_main_context_iteration (ctx, TRUE);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  if (w.line == NULL && w.error == NULL)
    {
      /* Timed out: let the read finish as cancelled before the context goes. */
      g_cancellable_cancel (cancel);
      w.done = FALSE;
      while (!w.done)
        g_main_context_iteration (ctx, TRUE);
    }
  g_main_context_pop_thread_default (ctx);
  if (w.line == NULL || !g_str_has_prefix (w.line, "READY "))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the unsecured apartment helper did not "
                   "start: %s", w.error != NULL ? w.error->message
                                                : w.line != NULL ? w.line : "no answer in time");
      g_clear_error (&w.error);
      g_free (w.line);
      return NULL;
    }
  {
    char *endpoint = g_strdup (w.line + strlen ("READY "));

    g_free (w.line);
    return endpoint;
  }
}

/* The key of the helper's listener for servers reached through local address @near. */
static char *
listener_key (GSocketAddress *near)
{
  g_autofree char *ip = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (near))
    return g_strdup ("unix");
  ip = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (near)));
  return g_socket_address_get_family (near) == G_SOCKET_FAMILY_IPV6
           ? g_strdup_printf ("tcp:[%s]:0", ip) : g_strdup_printf ("tcp:%s:0", ip);
}

WsimUnsecApp *
wsim_unsecapp_new (GMainContext *context, const WsimUnsecAppOptions *options, GError **error)
{
  WsimUnsecAppOptions defaults = { 0 };
  g_autoptr(WsimUnsecApp) app = g_new0 (WsimUnsecApp, 1);
  g_autoptr(GSocketAddress) sink_addr = NULL;
  g_autoptr(GSocketAddress) report_addr = NULL;
  g_autoptr(GSocketAddress) control_addr = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  const char *pid_text;

  if (options == NULL)
    options = &defaults;
  g_atomic_ref_count_init (&app->ref_count);
  app->context = context != NULL ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  app->trace = wsim_trace_new ();
  app->registry = g_strdup (options->registry);
  app->stubs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  app->listeners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  app->fixed = options->listen != NULL;
  app->dir = wsim_private_dir_new ("wmisim-unsecapp-XXXXXX", error);
  if (app->dir == NULL)
    return NULL;
  {
    g_autofree char *p = g_build_filename (wsim_private_dir_get_path (app->dir), "sink", NULL);

    sink_addr = g_unix_socket_address_new (p);
  }
  app->host = wsim_sink_host_new (app->context, sink_addr, error);
  if (app->host == NULL)
    return NULL;
  {
    g_autofree char *p = g_build_filename (wsim_private_dir_get_path (app->dir), "report", NULL);

    report_addr = g_unix_socket_address_new (p);
  }
  app->reports = wsim_rpc_server_new (app->context);
  wsim_rpc_server_add_program (app->reports, &report_program, app);
  {
    /* The helper reports on one connection for its whole life: never reap it, and take its
     * end for the helper's. */
    WsimRpcServerLimits limits;

    wsim_rpc_server_get_limits (app->reports, &limits);
    limits.idle_timeout_ms = 0;
    wsim_rpc_server_set_limits (app->reports, &limits);
    wsim_rpc_server_set_conn_closed_func (app->reports, on_helper_gone, app);
  }
  if (!wsim_rpc_server_listen (app->reports, report_addr, NULL, error))
    return NULL;

  path = helper_path ();
  g_ptr_array_add (argv, g_strdup (path));
  g_ptr_array_add (argv, g_strdup ("--dir"));
  g_ptr_array_add (argv, g_strdup (wsim_private_dir_get_path (app->dir)));
  if (options->listen != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--listen"));
      g_ptr_array_add (argv, g_strdup (options->listen));
    }
  if (options->max_level != RPC_C_AUTHN_LEVEL_DEFAULT)
    {
      g_ptr_array_add (argv, g_strdup ("--max-level"));
      g_ptr_array_add (argv, g_strdup (wsim_authn_level_word (options->max_level)));
    }
  g_ptr_array_add (argv, NULL);
  app->helper = g_subprocess_newv ((const char *const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                   error);
  if (app->helper == NULL)
    return NULL;
  pid_text = g_subprocess_get_identifier (app->helper);
  app->pid = pid_text != NULL ? (GPid) g_ascii_strtoll (pid_text, NULL, 10) : 0;
  app->endpoint = helper_wait_ready (app, error);
  if (app->endpoint == NULL)
    return NULL;
  {
    g_autoptr(GSocketAddress) first = wsim_address_parse (app->endpoint, NULL);

    if (first != NULL)
      g_hash_table_insert (app->listeners, listener_key (first), g_strdup (app->endpoint));
  }
  {
    g_autofree char *p = g_build_filename (wsim_private_dir_get_path (app->dir), "control", NULL);

    control_addr = g_unix_socket_address_new (p);
  }
  app->control_context = g_main_context_new ();
  app->control = wsim_rpc_client_new_for_address (app->control_context, control_addr, WSIM_UNSECAPP_PROG,
                                                  WSIM_UNSECAPP_V1, error);
  if (app->control == NULL)
    return NULL;
  return g_steal_pointer (&app);
}

static void
on_helper_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* EOF on its stdin tells the helper to go; its pid, if it has not gone within a bound (a
 * stopped helper never reads its stdin). Reaped either way. */
static void
helper_stop (GSubprocess *helper)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  gboolean exited = FALSE, late = FALSE;
  GSource *timeout;

  g_output_stream_close (g_subprocess_get_stdin_pipe (helper), NULL, NULL);
  g_main_context_push_thread_default (ctx);
  g_subprocess_wait_async (helper, NULL, on_helper_exited, &exited);
  timeout = g_timeout_source_new (HELPER_STOP_TIMEOUT_MS);
  g_source_set_callback (timeout, set_flag, &late, NULL);
  g_source_attach (timeout, ctx);
  while (!exited && !late)
    g_main_context_iteration (ctx, TRUE);
  if (!exited)
    {
      g_subprocess_force_exit (helper);
      while (!exited)
        g_main_context_iteration (ctx, TRUE);
    }
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_pop_thread_default (ctx);
}

WsimUnsecApp *
wsim_unsecapp_ref (WsimUnsecApp *app)
{
  g_atomic_ref_count_inc (&app->ref_count);
  return app;
}

void
wsim_unsecapp_unref (WsimUnsecApp *app)
{
  if (app == NULL || !g_atomic_ref_count_dec (&app->ref_count))
    return;
  if (app->reports != NULL)
    wsim_rpc_server_set_conn_closed_func (app->reports, NULL, NULL);   /* its going is ours */
  g_clear_pointer (&app->control, wsim_rpc_client_unref);
  if (app->control_context != NULL)
    {
      while (g_main_context_iteration (app->control_context, FALSE))
        ;
      g_main_context_unref (app->control_context);
    }
  if (app->helper != NULL)
    {
      helper_stop (app->helper);
      g_object_unref (app->helper);
    }
  g_clear_pointer (&app->reports, wsim_rpc_server_unref);
  g_clear_pointer (&app->host, wsim_sink_host_unref);
  g_clear_pointer (&app->dir, wsim_private_dir_free);
  g_hash_table_unref (app->stubs);
  g_hash_table_unref (app->listeners);
  g_clear_pointer (&app->public_dir, wsim_private_dir_free);
  wsim_trace_unref (app->trace);
  g_free (app->endpoint);
  g_free (app->registry);
  g_main_context_unref (app->context);
  g_free (app);
}

/* ---- stubs ---------------------------------------------------------------------- */

static void stub_ignore_indicate (WsimSink *sink, WsimObject *const *objects, guint n, gpointer data) { }
static void stub_ignore_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str,
                                WsimObject *obj, gpointer data) { }

/* A stub is a sink only to name it in calls: what reaches it goes to your sink through the
 * apartment's host, never through these. */
static const WsimSinkOps stub_ops = {
  .indicate = stub_ignore_indicate,
  .set_status = stub_ignore_status,
};

static void
stub_free (gpointer p)
{
  Stub *stub = p;
  WsimUnsecApp *app = stub->app;
  wsim_stub_ref_args args = { .stub_id = stub->id };
  wsim_unsecapp_res res = { 0 };

  g_hash_table_remove (app->stubs, &stub->id);
  if (app->control != NULL)
    control_call (app, WSIM_UNSECAPP_RELEASE_STUB, (xdrproc_t) xdr_wsim_stub_ref_args, &args,
                  (xdrproc_t) xdr_wsim_unsecapp_res, &res, NULL);
  g_hash_table_unref (stub->calls);
  wsim_sink_unref (stub->sink);
  wsim_unsecapp_unref (app);
  g_free (stub);
}

static WsimSink *
stub_new (WsimUnsecApp *app, WsimSink *sink, gboolean check, GError **error)
{
  wsim_create_stub_args args = { .check_access = check };
  wsim_create_stub_res res = { 0 };
  Stub *stub;

  if (!control_call (app, WSIM_UNSECAPP_CREATE_STUB, (xdrproc_t) xdr_wsim_create_stub_args, &args,
                     (xdrproc_t) xdr_wsim_create_stub_res, &res, error))
    return NULL;
  xdr_free ((xdrproc_t) xdr_wsim_create_stub_res, (char *) &res);
  if (WSIM_HRESULT_FAILED (res.hresult))
    {
      wsim_set_error_hresult (error, res.hresult, "the unsecured apartment refused a stub");
      return NULL;
    }
  stub = g_new0 (Stub, 1);
  stub->app = wsim_unsecapp_ref (app);
  stub->sink = wsim_sink_ref (sink);
  stub->id = res.stub_id;
  stub->check = check;
  stub->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_hash_table_insert (app->stubs, key64 (stub->id), stub);
  return wsim_sink_new (&stub_ops, stub, stub_free);
}

WsimSink *
wsim_unsecapp_create_sink_stub (WsimUnsecApp *app, WsimSink *sink, gint32 flags, GError **error)
{
  gboolean check;

  g_return_val_if_fail (app != NULL && sink != NULL, NULL);
  switch (flags)
    {
    case WBEM_FLAG_UNSECAPP_CHECK_ACCESS:
      check = TRUE;
      break;
    case WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS:
      check = FALSE;
      break;
    case WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS:
      {
        /* Read now, as Windows reads it when the stub is made. */
        g_autoptr(WsimRegistry) reg = wsim_registry_open (app->registry, NULL);

        check = reg != NULL && wsim_registry_get_dword_or (reg, WSIM_REG_KEY_CIMOM,
                                                           WSIM_REG_UNSECAPP_ACCESS_CONTROL_DEFAULT, 0) != 0;
        break;
      }
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CreateSinkStub flags 0x%x are not a WBEM_FLAG_UNSECAPP_* value (0, 1, 2)", flags);
      return NULL;
    }
  return stub_new (app, sink, check, error);
}

WsimSink *
wsim_unsecapp_create_object_stub (WsimUnsecApp *app, WsimSink *sink, GError **error)
{
  g_return_val_if_fail (app != NULL && sink != NULL, NULL);
  return stub_new (app, sink, FALSE, error);
}

gboolean
wsim_sink_is_stub (WsimSink *sink)
{
  return sink != NULL && wsim_sink_get_ops (sink) == &stub_ops;
}

/* Where the helper serves the stubs for a server reached through @near (NULL: the first
 * endpoint), asking it to listen there first if it does not yet. */
static const char *
app_endpoint_for (WsimUnsecApp *app, GSocketAddress *near, GError **error)
{
  g_autofree char *key = NULL;
  g_autofree char *address = NULL;
  wsim_listen_args args = { 0 };
  wsim_listen_res res = { 0 };
  const char *endpoint;

  if (near == NULL)
    return app->endpoint;
  key = listener_key (near);
  endpoint = g_hash_table_lookup (app->listeners, key);
  if (endpoint != NULL)
    return endpoint;
  if (app->fixed)
    {
      /* One listener, named to each server as that server reaches this host. */
      g_autoptr(GSocketAddress) bound = wsim_address_parse (app->endpoint, NULL);

      endpoint = bound != NULL ? wsim_address_to_string_as_reached (bound, near) : g_strdup (app->endpoint);
      g_hash_table_insert (app->listeners, g_steal_pointer (&key), (char *) endpoint);
      return endpoint;
    }
  if (G_IS_INET_SOCKET_ADDRESS (near))
    address = g_strdup (key);
  else
    {
      g_autofree char *path = NULL;

      if (app->public_dir == NULL)
        {
          /* 0711 and a 0666 socket: a server of any user may connect to it by its path; what
           * protects the stubs is their RPC-level check, not the directory. */
          app->public_dir = wsim_private_dir_new ("wmisim-stubs-XXXXXX", error);
          if (app->public_dir == NULL)
            return NULL;
          if (g_chmod (wsim_private_dir_get_path (app->public_dir), 0711) != 0)
            {
              int e = errno;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s",
                           wsim_private_dir_get_path (app->public_dir), g_strerror (e));
              return NULL;
            }
        }
      path = g_build_filename (wsim_private_dir_get_path (app->public_dir), "stubs", NULL);
      address = g_strconcat ("unix:", path, NULL);
    }
  args.address = address;
  if (!control_call (app, WSIM_UNSECAPP_LISTEN, (xdrproc_t) xdr_wsim_listen_args, &args,
                     (xdrproc_t) xdr_wsim_listen_res, &res, error))
    return NULL;
  if (WSIM_HRESULT_FAILED (res.hresult))
    wsim_set_error_hresult (error, res.hresult, "the unsecured apartment cannot listen at %s: %s",
                            address, res.message);
  else
    {
      endpoint = g_strdup (res.endpoint);
      g_hash_table_insert (app->listeners, g_steal_pointer (&key), (char *) endpoint);
    }
  xdr_free ((xdrproc_t) xdr_wsim_listen_res, (char *) &res);
  return WSIM_HRESULT_FAILED (res.hresult) ? NULL : endpoint;
}

gboolean
wsim_unsecapp_stub_begin_call (WsimSink *stub_sink, guint64 call_id, const char *principal,
                               const char *mech, GSocketAddress *near, WsimStubCall *out,
                               GError **error)
{
  Stub *stub = wsim_sink_get_user_data (stub_sink);
  WsimUnsecApp *app = stub->app;
  wsim_stub_call_args args = {
    .stub_id = stub->id, .call_id = call_id,
    .expected_principal = (char *) (principal != NULL ? principal : ""),
    .expected_mech = (char *) (mech != NULL ? mech : ""),
  };
  wsim_unsecapp_res res = { 0 };
  const char *endpoint = app_endpoint_for (app, near, error);
  guint64 local;

  if (endpoint == NULL)
    return FALSE;
  /* Forget calls whose final SetStatus your sink has had (a stub may serve many calls). */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, stub->calls);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (!wsim_sink_host_has_call (app->host, *(guint64 *) value, *(guint64 *) key))
        g_hash_table_iter_remove (&iter);
  }
  /* Your sink's side first, so nothing forwarded can arrive before it is expected. */
  local = args.local_sink_id = wsim_sink_host_begin_call (app->host, stub->sink, call_id);
  g_hash_table_insert (stub->calls, key64 (call_id), key64 (local));
  if (!control_call (app, WSIM_UNSECAPP_BEGIN_CALL, (xdrproc_t) xdr_wsim_stub_call_args, &args,
                     (xdrproc_t) xdr_wsim_unsecapp_res, &res, error)
      || WSIM_HRESULT_FAILED (res.hresult))
    {
      if (error != NULL && *error == NULL)
        wsim_set_error_hresult (error, res.hresult, "the sink stub refused the call");
      wsim_sink_host_abandon_call (app->host, local, call_id);
      g_hash_table_remove (stub->calls, &call_id);
      return FALSE;
    }
  out->endpoint = endpoint;
  out->stub_id = stub->id;
  out->host = app->host;
  out->local_sink_id = local;
  stub->endpoint = endpoint;
  return TRUE;
}

void
wsim_unsecapp_stub_end_call (WsimSink *stub_sink, guint64 call_id)
{
  Stub *stub = wsim_sink_get_user_data (stub_sink);
  guint64 *local = g_hash_table_lookup (stub->calls, &call_id);
  wsim_stub_ref_args args = { .stub_id = stub->id, .call_id = call_id };
  wsim_unsecapp_res res = { 0 };

  if (local == NULL)
    return;
  wsim_sink_host_abandon_call (stub->app->host, *local, call_id);
  g_hash_table_remove (stub->calls, &call_id);
  control_call (stub->app, WSIM_UNSECAPP_END_CALL, (xdrproc_t) xdr_wsim_stub_ref_args, &args,
                (xdrproc_t) xdr_wsim_unsecapp_res, &res, NULL);
}

static void
on_end_call_sent (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  wsim_unsecapp_res res = { 0 };

  if (reply != NULL)
    wsim_rpc_reply_decode (reply, (xdrproc_t) xdr_wsim_unsecapp_res, &res, NULL);
}

gboolean
wsim_unsecapp_end_call_locally (WsimUnsecApp *app, guint64 stub_id, guint64 local_sink_id,
                                guint64 call_id, WsimHResult hr, const char *why)
{
  wsim_stub_ref_args args = { .stub_id = stub_id, .call_id = call_id };

  if (!wsim_sink_host_end_call (app->host, local_sink_id, call_id, hr, why))
    return FALSE;
  wsim_trace_add (app->trace, WSIM_TRACE_STUB_FINAL, call_id, hr, 0,
                  "SetStatus(final) delivered by the client: %s", why);
  /* The helper takes nothing more for it. Not waited for: the helper may be gone or stopped,
   * and this runs on your sinks' context (the answer is read at the next control call). */
  if (app->control != NULL)
    wsim_rpc_client_call (app->control, WSIM_UNSECAPP_END_CALL, (xdrproc_t) xdr_wsim_stub_ref_args,
                          &args, -1, NULL, on_end_call_sent, NULL);
  return TRUE;
}

WsimUnsecApp *
wsim_unsecapp_stub_get_apartment (WsimSink *stub_sink)
{
  return ((Stub *) wsim_sink_get_user_data (stub_sink))->app;
}

void
wsim_unsecapp_stub_locate (WsimSink *stub_sink, GSocketAddress *near, const char **endpoint,
                           guint64 *stub_id)
{
  Stub *stub = wsim_sink_get_user_data (stub_sink);
  const char *there = near != NULL ? app_endpoint_for (stub->app, near, NULL) : NULL;

  if (there == NULL)
    there = stub->endpoint != NULL ? stub->endpoint : stub->app->endpoint;
  *endpoint = there;
  *stub_id = stub->id;
}

WsimTrace *
wsim_unsecapp_get_trace (WsimUnsecApp *app)
{
  return app->trace;
}

GPid
wsim_unsecapp_get_pid (WsimUnsecApp *app)
{
  return app->pid;
}

const char *
wsim_unsecapp_get_endpoint (WsimUnsecApp *app)
{
  return app->endpoint;
}

guint
wsim_unsecapp_get_n_stubs (WsimUnsecApp *app)
{
  return g_hash_table_size (app->stubs);
}

char *
wsim_unsecapp_leak_report (WsimUnsecApp *app)
{
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  Stub *stub;

  g_hash_table_iter_init (&iter, app->stubs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stub))
    {
      guint64 id;

      if (wsim_sink_host_lookup (app->host, stub->sink, &id))
        continue;   /* a call is still open: not a leak yet */
      g_string_append_printf (out, "stub %" G_GUINT64_FORMAT " still holds its sink %p with no call "
                              "open: released after WMI released the sink, or never; if the sink "
                              "holds the stub, the two keep each other alive (release the stub in "
                              "the final SetStatus)\n", stub->id, (void *) stub->sink);
    }
  return out->len > 0 ? g_string_free (out, FALSE) : (g_string_free (out, TRUE), NULL);
}
