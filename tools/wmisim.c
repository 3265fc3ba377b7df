/* wmisim.c: the command-line tool.
 *
 *   wmisim enum CLASS   CreateInstanceEnumAsync into a sink that prints each instance
 *   wmisim get PATH     GetObjectAsync
 *   wmisim query WQL    ExecQueryAsync
 *   wmisim put CLASS NAME=VALUE…  PutInstanceAsync; wmisim delete PATH  DeleteInstanceAsync
 *   wmisim ping         NULL calls through the RPC engine (a transport check)
 *
 * By default the server is embedded in this process (wsim-harness.h: its own thread,
 * loopback TCP, the sample providers from the provider directory); --server ADDR talks to
 * another one, and so does a moniker or a GetObject path naming another machine (found
 * through its rpcbind). Options given where they do nothing (a ping option on a call, an
 * embedded server's option with another server) are usage errors, not ignored. On failure
 * the exit status is non-zero and the status name and value are printed, with the final
 * SetStatus's strParam (a failed call's reason).
 *
 * Security is wmic's by default: PKT_PRIVACY, IMPERSONATE, NTLMSSP (the embedded mode has a
 * local account, wsim-local-account.h). --auth-level, --impersonation, --authority, --user
 * and a scripting moniker (--moniker 'winmgmts:{…}!\\server\ns') change it; explicit
 * options win over the moniker.
 *
 * Callbacks: --stub MODE makes the sink a stub in the unsecured apartment (wsim-unsecapp.h:
 * check, dont-check, default = the registry value, object = CreateObjectStub); the lines
 * after the results say which levels the server's ladder tried and what the stub took or
 * refused. --callbacks hardened gives the embedded server a hardened ladder (nothing below
 * PKT_INTEGRITY, no NONE shortcut for local NTLMSSP). --rogue has a separate process
 * (wmisim-rogue) send the stub a forged Indicate at NONE while the call is open.
 */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wsim-client.h"
#include "wsim-extended-status.h"
#include "wsim-unsecapp.h"
#include "wsim-harness.h"
#include "wmisim-mofcomp.h"
#include "wmisim-output.h"
#include "wmisim-semisync.h"
#include "wmisim-write.h"
#include "wmisim-schema.h"
#include "wsim-moniker.h"
#include "wsim-object-path.h"
#include "wsim-registry.h"
#include "wsim-rpcbind.h"
#include "wsim-system-props.h"
#include "wsim-trace-diagram.h"
#include "wsim-value.h"
#include "wsim-wbem.h"
#include "wsim-wql.h"

#include "wsim-address.h"
#include "wsim-rpc-client.h"
#include "wsim-rpc-error.h"
#include "wsim-rpc-server.h"
#include "wsim-tool-locale.h"
#include "wsim-tool-signals.h"
#include "wsim_service.h"

/* For ping's own embedded server: the engine answers NULLPROC for any program, and
 * refuses the rest with PROC_UNAVAIL. */
static const WsimRpcProgram service_v1 = {
  .prog = WSIM_SERVICE_PROG,
  .vers = WSIM_SERVICE_V1,
  .name = "wsim-service",
};

/* ---- enum ----------------------------------------------------------------------- */

/* What the recorder's objects go to: the printer, and a count on a terminal's stderr. */
typedef struct {
  WsimCliPrinter *printer;    /* (owned) */
  gboolean        progress;   /* stderr is a terminal */
} Output;

static void
on_objects (WsimSinkRecorder *rec, WsimObject *const *objects, guint n, gpointer data)
{
  Output *o = data;

  for (guint k = 0; k < n; k++)
    wsim_cli_printer_add (o->printer, objects[k]);
  if (o->progress && rec->n_objects >= 1000)
    fprintf (stderr, "\r%" G_GUINT64_FORMAT " instances...", rec->n_objects);
}

/* The server's name for __SERVER and __PATH: HOST of a tcp:HOST:PORT address, else
 * (embedded server, unix: socket) this machine's, as the server itself reports it. */
static char *
address_host (const char *address)
{
  const char *colon;

  if (address == NULL || !g_str_has_prefix (address, "tcp:") || (colon = strrchr (address, ':')) == address + 3)
    return g_strdup (g_get_host_name ());
  return g_strndup (address + 4, (gsize) (colon - address - 4));
}

typedef struct {
  GHashTable *params;          /* provider name -> params */
  const char *dir;
  gboolean    hardened;        /* --callbacks hardened */
  gboolean    params_refused;  /* out: a --param named a provider the directory lacks */
  char      **mof_files;       /* (nullable) --mof: loaded after the providers */
  const char *repository;      /* (nullable) --repository: the store, opened after the MOF */
} EnumSetup;

static gboolean
setup_providers (WsimServer *server, gpointer data, GError **error)
{
  EnumSetup *es = data;

  if (es->hardened)
    {
      WsimCallbackPolicy p = { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, FALSE };

      if (!wsim_server_set_callback_policy (server, &p, error))
        return FALSE;
    }
  if (wsim_repository_load_dir (wsim_server_get_repository (server), "root\\cimv2", es->dir,
                                es->params, error))
    {
      for (char **m = es->mof_files; m != NULL && *m != NULL; m++)
        if (!wsim_repository_load_mof (wsim_server_get_repository (server), *m, error))
          return FALSE;
      return es->repository == NULL
             || wsim_repository_open_store (wsim_server_get_repository (server), es->repository,
                                            error);
    }
  /* load_dir's only WBEM_E_INVALID_PARAMETER: parameters no provider there takes, which the
   * user wrote (a usage error); a module it cannot load is a failure. */
  es->params_refused = g_error_matches (*error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PARAMETER);
  return FALSE;
}

/* How the call's callbacks are received (--stub, --callbacks, --rogue). */
typedef struct {
  const char *stub;       /* (nullable) check, dont-check, default, object */
  gboolean    hardened;
  gboolean    rogue;
} CallbackOptions;

static WsimSink *
make_stub (WsimUnsecApp *app, WsimSink *sink, const char *mode, GError **error)
{
  static const struct { const char *name; gint32 flags; } modes[] = {
    { "default", WBEM_FLAG_UNSECAPP_DEFAULT_CHECK_ACCESS },
    { "check", WBEM_FLAG_UNSECAPP_CHECK_ACCESS },
    { "dont-check", WBEM_FLAG_UNSECAPP_DONT_CHECK_ACCESS },
  };

  if (g_str_equal (mode, "object"))
    return wsim_unsecapp_create_object_stub (app, sink, error);
  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (mode, modes[i].name))
      return wsim_unsecapp_create_sink_stub (app, sink, modes[i].flags, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "--stub wants check, dont-check, default or object, not '%s'", mode);
  return NULL;
}

typedef struct {
  gboolean done;
  GBytes  *answer;   /* (owned) (nullable) the rogue's stdout */
} RogueRun;

static void
on_rogue_done (GObject *source, GAsyncResult *result, gpointer data)
{
  RogueRun *r = data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &r->answer, NULL, NULL);
  r->done = TRUE;
}

/* Runs wmisim-rogue against @stub for @call_id, iterating @ctx (where what the stub lets
 * through arrives) until it exits; prints its answer. */
static void
run_rogue (GMainContext *ctx, WsimSink *stub, guint64 call_id, FILE *out)
{
  const char *env = g_getenv ("WSIM_ROGUE");
  const char *path = env != NULL ? env : g_file_test (WMISIM_ROGUE_INSTALLED, G_FILE_TEST_IS_EXECUTABLE)
                                         ? WMISIM_ROGUE_INSTALLED : WMISIM_ROGUE_BUILT;
  g_autofree char *sink_id = NULL;
  g_autofree char *call = g_strdup_printf ("%" G_GUINT64_FORMAT, call_id);
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  const char *endpoint;
  guint64 id;

  wsim_unsecapp_stub_locate (stub, NULL, &endpoint, &id);
  sink_id = g_strdup_printf ("%" G_GUINT64_FORMAT, id);
  p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, endpoint, sink_id, call,
                        "indicate", NULL);
  if (p == NULL)
    {
      fprintf (stderr, "wmisim: --rogue: %s\n", error->message);
      return;
    }
  fprintf (out, "rogue: pid %s sends Indicate(Rogue_Injected) to stub %s at %s, call %s, at none\n",
           g_subprocess_get_identifier (p), sink_id, endpoint, call);
  {
    RogueRun r = { 0 };

    /* What the stub lets through reaches our sink on @ctx: iterate it until the rogue ends
     * (bounded by the rogue's own call timeouts). */
    g_main_context_push_thread_default (ctx);
    g_subprocess_communicate_async (p, NULL, NULL, on_rogue_done, &r);
    g_main_context_pop_thread_default (ctx);
    while (!r.done)
      g_main_context_iteration (ctx, TRUE);
    if (r.answer != NULL)
      {
        g_autofree char *text = g_strndup (g_bytes_get_data (r.answer, NULL), g_bytes_get_size (r.answer));

        fprintf (out, "rogue: the stub answered %s\n", g_strstrip (text));
        g_bytes_unref (r.answer);
      }
  }
}

/* The ladder's attempts and the stub's decisions, for a person. */
static void
print_callbacks (WsimTrace *server_trace, WsimUnsecApp *app, guint64 call_id, FILE *out)
{
  if (server_trace != NULL)
    {
      g_autoptr(GPtrArray) events = wsim_trace_get_events (server_trace, call_id);

      /* "none (taken)", not "none taken": the level's word must not read as "no callback". */
      g_autoptr(GString) line = g_string_new ("callback levels tried:");
      gboolean any = FALSE;

      for (guint i = 0; i < events->len; i++)
        {
          WsimTraceEvent *e = events->pdata[i];

          if (e->kind == WSIM_TRACE_CALLBACK)
            {
              g_string_append_printf (line, "%s %s (%s)", any ? "," : "",
                                      wsim_authn_level_word ((WsimAuthnLevel) e->auth.level),
                                      e->hr == WBEM_S_NO_ERROR ? "taken" : "refused");
              any = TRUE;
            }
        }
      fprintf (out, "%s%s\n", line->str, any ? "" : " no callback was attempted");
    }
  if (app != NULL)
    {
      g_autoptr(GPtrArray) events = wsim_trace_get_events (wsim_unsecapp_get_trace (app), 0);

      for (guint i = 0; i < events->len; i++)
        {
          WsimTraceEvent *e = events->pdata[i];

          fprintf (out, "stub: %s %s%s%s\n", e->kind == WSIM_TRACE_STUB_ACCEPTED ? "took"
                                          : e->kind == WSIM_TRACE_STUB_REFUSED ? "refused" : "ended",
                   e->detail != NULL ? e->detail : "",
                   e->has_auth && e->auth.principal != NULL ? " from " : "",
                   e->has_auth && e->auth.principal != NULL ? e->auth.principal : "");
        }
    }
}

/* What a trace's ring dropped, as a line of its own after its events (not an event: readers
 * of the JSON lines skip it), so a partial trace says so. */
static void
print_trace_dropped (WsimTrace *trace, const char *whose, FILE *out)
{
  WsimTraceStats st;

  wsim_trace_get_stats (trace, &st);
  if (st.n_dropped > 0)
    fprintf (out, "trace: the %s's ring (%zu bytes) dropped its %" G_GUINT64_FORMAT
             " oldest events\n", whose, st.max_bytes, st.n_dropped);
}

/* The calls the client ended itself (the server could not), for a person. */
static void
print_client_finals (WsimClient *client, FILE *out)
{
  g_autoptr(GPtrArray) events = wsim_trace_get_events (wsim_client_get_trace (client), 0);

  for (guint i = 0; i < events->len; i++)
    {
      WsimTraceEvent *e = events->pdata[i];

      if (e->kind == WSIM_TRACE_CLIENT_FINAL)
        fprintf (out, "client: ended %s\n", e->detail != NULL ? e->detail : "");
    }
}

/* "the call ended with: STATUS" and, when the final SetStatus carried one, its strParam
 * (a failed call's reason). */
static int
fail_hr (WsimHResult hr, const char *str_param, const char *what)
{
  g_autofree char *d = wsim_hresult_describe (hr);

  fprintf (stderr, "wmisim: %s: %s%s%s\n", what, d, str_param != NULL ? ": " : "",
           str_param != NULL ? str_param : "");
  return EXIT_FAILURE;
}

/* A failed call's error object (the __ExtendedStatus of its final SetStatus), on the line
 * after the status: which method, about what, in which provider, and why. */
static void
print_error_object (WsimObject *err)
{
  g_autofree char *line = wsim_extended_status_describe (err);

  if (line != NULL)
    fprintf (stderr, "wmisim: error object: %s\n", line);
}

/* A failure to reach or open the server: its message, and the status ConnectServer would
 * have returned when the message does not name one already (a transport error). */
static int
fail_connect (const GError *error)
{
  g_autofree char *d = NULL;

  if (error->domain != WSIM_WBEM_ERROR)
    d = wsim_hresult_describe (wsim_hresult_from_error (error));
  fprintf (stderr, "wmisim: %s%s%s\n", error->message, d != NULL ? ": " : "", d != NULL ? d : "");
  return EXIT_FAILURE;
}

typedef enum { CALL_ENUM, CALL_GET, CALL_QUERY, CALL_METHOD, CALL_PUT, CALL_DELETE, CALL_CLASSES } CallKind;

/* What main() settled for one async call. */
typedef struct {
  CallKind           kind;
  const char        *address;       /* (nullable) the server; NULL: embedded */
  const char        *ns;
  const char        *target;        /* the class, path or query, as the server gets it */
  const char        *method;        /* call: the method's name */
  char             **in_args;       /* call, put: NAME=VALUE…, NULL-terminated (nullable) */
  gint32             change;        /* put: WBEM_FLAG_CREATE_OR_UPDATE, _UPDATE_ONLY, _CREATE_ONLY */
  WsimCliFormat      format;
  gboolean           format_given;  /* -f: FALSE lets a lone wide instance be a list */
  const char *const *props;         /* (nullable) --property: enum and get show only these */
  gboolean           sysprops;      /* --system-properties */
  gboolean           trace;
  gboolean           shallow;
  gboolean           send_status;
  gboolean           semisync;      /* --semisync: enum and query through an enumerator */
  gint32             query_flags;   /* WBEM_FLAG_ENSURE_LOCATABLE, WBEM_FLAG_DIRECT_READ */
  guint64            cancel_after;  /* 0: never */
  GHashTable        *params;        /* provider name -> "K=V;…" */
  const char        *provider_dir;
  char             **mof_files;     /* (nullable) --mof */
  const char        *repository;    /* (nullable) --repository */
  const WsimBlanket *blanket;
  const char        *callback_address;  /* (nullable) where the sink host listens */
  guint              call_timeout_ms;   /* 0: the client's default */
  CallbackOptions    cb;
  WsimContext       *context;       /* (nullable) --context: what the call carries */
} CallRequest;

/* --cancel-after: what was asked, what CancelAsyncCall answered. */
typedef struct {
  guint64     after;     /* 0: never */
  gboolean    sent;
  WsimHResult answer;    /* CancelAsyncCall's, once sent */
} Cancel;

/* Called between iterations, never from inside the sink: a client must not call
 * CancelAsyncCall from Indicate or SetStatus (MS-WMI 3.2.4.2.9). Instances arrive a whole
 * Indicate batch at a time, so the count it had may be past the one asked for. */
static void
maybe_cancel (Cancel *c, WsimServices *services, WsimSink *sink, WsimSinkRecorder *rec)
{
  g_autofree char *d = NULL;

  if (c->after == 0 || c->sent || rec->n_objects < c->after || wsim_sink_recorder_is_complete (rec))
    return;
  c->answer = wsim_services_cancel_async_call (services, sink);
  c->sent = TRUE;
  d = wsim_hresult_describe (c->answer);
  fprintf (stderr, "CancelAsyncCall after %" G_GUINT64_FORMAT " instance%s in %u Indicate call%s "
           "(--cancel-after %" G_GUINT64_FORMAT "; they arrive a batch at a time): %s\n",
           rec->n_objects, rec->n_objects == 1 ? "" : "s", rec->n_indicate,
           rec->n_indicate == 1 ? "" : "s", c->after, d);
}

/* Says how --cancel-after went once the call has ended. Returns: TRUE when the call ended
 * cancelled, as asked. */
static gboolean
report_cancel (const Cancel *c, const WsimSinkRecorder *rec)
{
  g_autofree char *d = NULL;

  if (c->after == 0)
    return FALSE;
  if (c->sent && rec->final_hr == WBEM_E_CALL_CANCELLED)
    return TRUE;
  if (c->sent)
    {
      g_autofree char *final = wsim_hresult_describe (rec->final_hr);

      d = wsim_hresult_describe (c->answer);
      fprintf (stderr, "wmisim: the call had finished before the cancel took effect (final "
               "SetStatus %s, not WBEM_E_CALL_CANCELLED); CancelAsyncCall answered %s\n", final, d);
    }
  else if (rec->n_objects >= c->after)
    fprintf (stderr, "wmisim: the call had finished before CancelAsyncCall could be sent: "
             "%" G_GUINT64_FORMAT " instances arrived together with its final SetStatus\n",
             rec->n_objects);
  else
    fprintf (stderr, "wmisim: the call finished after %" G_GUINT64_FORMAT " instances, fewer than "
             "--cancel-after %" G_GUINT64_FORMAT ": CancelAsyncCall was not sent\n",
             rec->n_objects, c->after);
  return FALSE;
}

/* ---- wmisim call -------------------------------------------------------------------- */

/* The [in] parameters (or, for put, the properties) NAME=VALUE… as an object of class
 * @class_name with string properties (the server converts them to the declared types, as
 * WMI coerces a VARIANT); NULL with @error for a bad one. */
static WsimObject *
method_in_params (const char *class_name, char **args, GError **error)
{
  guint n = args != NULL ? g_strv_length (args) : 0;
  g_autofree wsim_property_def *defs = g_new0 (wsim_property_def, MAX (n, 1));
  g_auto (GStrv) names = g_new0 (char *, n + 1);
  g_autoptr(WsimClass) cls = NULL;
  WsimObject *obj;

  if (n == 0)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      const char *eq = strchr (args[i], '=');

      if (eq == NULL || eq == args[i])
        {
          g_set_error (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PARAMETER,
                       "an [in] parameter or a property is NAME=VALUE, not '%s'", args[i]);
          return NULL;
        }
      names[i] = g_strndup (args[i], (gsize) (eq - args[i]));
      defs[i].name = names[i];
      defs[i].cimtype = CIM_STRING;
    }
  cls = wsim_class_new (class_name, NULL, defs, n, error);
  if (cls == NULL)
    return NULL;
  obj = wsim_object_new (cls);
  for (guint i = 0; i < n; i++)
    wsim_value_set_string (wsim_object_get_value (obj, i), strchr (args[i], '=') + 1);
  return obj;
}

/* As wmic's "call" prints them: the out-parameters as a MOF instance. */
static void
print_out_params (WsimSinkRecorder *rec, const CallRequest *req)
{
  printf ("Executing (%s)->%s()\nMethod execution successful.\n", req->target, req->method);
  for (guint i = 0; i < rec->objects->len; i++)
    {
      WsimObject *o = rec->objects->pdata[i];
      WsimClass *cls = wsim_object_get_class (o);

      printf ("Out Parameters:\ninstance of %s\n{\n", wsim_class_get_name (cls));
      for (guint p = 0; p < wsim_class_get_n_props (cls); p++)
        {
          const wsim_value *v = wsim_object_get_value (o, p);
          g_autofree char *text = wsim_value_to_string (v);
          gboolean quote = v->type == CIM_STRING || v->type == CIM_DATETIME || v->type == CIM_REFERENCE;

          if (wsim_value_is_null (v))
            continue;
          printf ("\t%s = %s%s%s;\n", wsim_class_get_prop (cls, p)->name, quote ? "\"" : "", text,
                  quote ? "\"" : "");
        }
      printf ("};\n");
    }
}

static int
cmd_async (const CallRequest *req)
{
  g_autoptr(GError) error = NULL;
  EnumSetup es = { req->params, req->provider_dir != NULL ? req->provider_dir
                                                          : wsim_repository_default_provider_dir (),
                   req->cb.hardened, FALSE, req->mof_files, req->repository };
  g_autoptr(WsimUnsecApp) app = NULL;
  g_autoptr(WsimSink) stub = NULL;
  /* The call's story goes with a table; the other formats keep stdout for the data. */
  FILE *info = req->format == WSIM_CLI_FORMAT_TABLE ? stdout : stderr;
  WsimHarness *h = NULL;
  g_autoptr(GMainContext) ctx = NULL;
  g_autoptr(WsimClient) client = NULL;
  g_autoptr(WsimServices) services = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec;
  g_autofree char *server_name = address_host (req->address);
  g_autoptr(WsimWqlQuery) query = NULL;
  WsimCliPrinterOptions po = { .sysprops = req->sysprops, .ns = req->ns, .server = server_name,
                                .props = req->props, .width = wsim_cli_terminal_width (stdout),
                                .single_as_list = !req->format_given };
  Output o = { .progress = isatty (STDERR_FILENO) };
  Cancel cancel = { .after = req->cancel_after };
  GMainContext *run_ctx;
  gint32 flags = (req->shallow ? WBEM_FLAG_SHALLOW : 0) | (req->send_status ? WBEM_FLAG_SEND_STATUS : 0)
                 | req->query_flags;
  WsimHResult hr;
  int ret;
  WsimClientOptions client_options = {
    .blanket = req->blanket, .callback_listen = req->callback_address,
    .call_timeout_ms = req->call_timeout_ms,
  };

  if (req->address == NULL)
    {
      WsimHarnessOptions ho = { .setup = setup_providers, .data = &es, .client = &client_options };

      h = wsim_harness_new_with_options (&ho, &error);
      if (h == NULL)
        {
          fprintf (stderr, "wmisim: %s\n", error->message);
          return es.params_refused ? 2 : EXIT_FAILURE;
        }
      run_ctx = wsim_harness_get_context (h);
      if (g_ascii_strcasecmp (req->ns, "root\\cimv2") == 0 || g_ascii_strcasecmp (req->ns, "root/cimv2") == 0)
        services = wsim_services_ref (wsim_harness_get_services (h));
      else if ((services = wsim_client_open_namespace (wsim_harness_get_client (h), req->ns, &error)) == NULL)
        goto fail;
    }
  else
    {
      ctx = g_main_context_new ();
      run_ctx = ctx;
      client = wsim_client_new (ctx, req->address, &client_options, &error);
      if (client == NULL || (services = wsim_client_open_namespace (client, req->ns, &error)) == NULL)
        {
          ret = fail_connect (error);
          goto out;
        }
    }

  /* From here on SIGTERM and SIGINT end the wait below, and the cleanup at out: runs (the
   * apartment's directory, the local account's at exit): wsim-tool-signals.h. */
  wsim_tool_signals_watch (run_ctx);
  {
    g_auto(WsimBlanket) used = WSIM_BLANKET_INIT;

    wsim_services_get_blanket (services, &used);
    fprintf (info, "security: %s, %s, %s%s%s\n",
             wsim_authn_level_name (wsim_services_get_authn_level (services)),
             wsim_imp_level_name (used.imp_level),
             used.authn_level == RPC_C_AUTHN_LEVEL_NONE ? "no authentication"
             : used.authn_svc == RPC_C_AUTHN_GSS_KERBEROS ? "Kerberos" : "NTLMSSP",
             used.user != NULL ? " as " : "", used.user != NULL ? used.user : "");
  }

  if (req->context != NULL)
    wsim_services_set_context (services, req->context);
  sink = wsim_sink_recorder_new (&rec);
  rec->keep_objects = FALSE;
  rec->on_objects = on_objects;
  rec->data = &o;
  if (req->cb.stub != NULL)
    {
      /* The stub owns the recorder from here on; calls and cancels name the stub. */
      WsimUnsecAppOptions ao = { .listen = req->callback_address };

      if ((app = wsim_unsecapp_new (run_ctx, &ao, &error)) == NULL
          || (stub = make_stub (app, sink, req->cb.stub, &error)) == NULL)
        goto fail;
      g_clear_pointer (&sink, wsim_sink_unref);
      sink = wsim_sink_ref (stub);
    }

  if (req->kind == CALL_METHOD)
    {
      rec->keep_objects = TRUE;
      rec->on_objects = NULL;
    }
  /* A SELECT list is printed as asked: the server's answer is a partial instance, whose other
   * properties are NULL only because they were not selected. The server parses the query
   * again and refuses what does not parse. */
  if (req->kind == CALL_QUERY
      && (query = wsim_wql_parse (req->target, NULL)) != NULL
      && wsim_wql_query_get_kind (query) == WSIM_WQL_SELECT && !wsim_wql_query_selects_all (query))
    {
      po.props = wsim_wql_query_get_properties (query);
      po.locatable = (flags & WBEM_FLAG_ENSURE_LOCATABLE) != 0;
    }
  o.printer = wsim_cli_printer_new (req->format, &po, stdout);
  switch (req->kind)
    {
    case CALL_METHOD:
      {
        g_autoptr(WsimObject) in = method_in_params ("__PARAMETERS", req->in_args, &error);

        hr = in == NULL && req->in_args != NULL && req->in_args[0] != NULL ? WBEM_E_INVALID_PARAMETER
             : wsim_services_exec_method_async (services, req->target, req->method, in, flags,
                                                sink, &error);
      }
      break;
    case CALL_PUT:
      {
        g_autoptr(WsimObject) inst = method_in_params (req->target, req->in_args, &error);

        hr = inst == NULL ? WBEM_E_INVALID_PARAMETER
             : wsim_services_put_instance_async (services, inst, flags | req->change, sink, &error);
      }
      break;
    case CALL_DELETE:
      hr = wsim_services_delete_instance_async (services, req->target, flags, sink, &error);
      break;
    case CALL_CLASSES:
      hr = wsim_services_create_class_enum_async (services, req->target, flags, sink, &error);
      break;
    case CALL_ENUM:
      hr = req->semisync ? wsim_cli_semisync (services, req->target, NULL, flags, sink, &error)
           : wsim_services_create_instance_enum_async (services, req->target, flags, sink, &error);
      break;
    case CALL_GET:
      hr = wsim_services_get_object_async (services, req->target, flags, sink, &error);
      break;
    default:
      hr = req->semisync ? wsim_cli_semisync (services, NULL, req->target, flags, sink, &error)
           : wsim_services_exec_query_async (services, "WQL", req->target, flags, sink, &error);
      break;
    }
  if (WSIM_HRESULT_FAILED (hr))
    {
      /* The error names the status already ("…: WBEM_E_INVALID_QUERY (0x80041017): …"). */
      fprintf (stderr, "wmisim: %s\n", error->message);
      ret = EXIT_FAILURE;
      goto out;
    }
  if (stub != NULL)
    {
      const char *endpoint;
      guint64 stub_id;

      /* Known once the call is begun: the helper listens where this call's server reaches it. */
      wsim_unsecapp_stub_locate (stub, NULL, &endpoint, &stub_id);
      fprintf (info, "sink: a stub in the unsecured apartment (wmisim-unsecapp pid %d, %s), %s\n",
               (int) wsim_unsecapp_get_pid (app), endpoint, req->cb.stub);
      /* Now, not at exit: on a pipe this line is how a script (or tests/secrets) knows the
       * call is under way and the helper up. */
      fflush (info);
    }
  if (req->cb.rogue && stub != NULL)
    run_rogue (run_ctx, stub, wsim_services_get_last_call_id (services), info);
  /* No timeout here: the contract guarantees a final SetStatus, and ^C is the user's. */
  while (!wsim_sink_recorder_is_complete (rec) && wsim_tool_signals_caught () == 0)
    {
      g_main_context_iteration (run_ctx, TRUE);
      maybe_cancel (&cancel, services, sink, rec);
    }
  if (wsim_tool_signals_caught () != 0)
    {
      ret = 128 + wsim_tool_signals_caught ();   /* what a shell reports; main dies of it */
      goto out;
    }
  if (o.progress && rec->n_objects >= 1000)
    fprintf (stderr, "\r");
  /* A table's last block is still kept: it goes before the call's story. */
  wsim_cli_printer_flush (o.printer);
  if (req->kind == CALL_METHOD && !WSIM_HRESULT_FAILED (rec->final_hr))
    print_out_params (rec, req);
  if ((req->kind == CALL_PUT || req->kind == CALL_DELETE) && !WSIM_HRESULT_FAILED (rec->final_hr))
    wsim_cli_write_report (req->kind == CALL_DELETE, req->target, rec);
  if (rec->classes->len > 0)   /* class objects: classes, get CLASS, a prototype */
    wsim_cli_print_classes (rec->classes, req->kind == CALL_CLASSES ? WSIM_CLI_CLASS_LIST
                                          : WSIM_CLI_CLASS_DEFINITION,
                            req->format == WSIM_CLI_FORMAT_JSON, req->format == WSIM_CLI_FORMAT_CSV,
                            stdout);
  {
    g_autofree char *d = wsim_hresult_describe (rec->final_hr);
    g_autofree char *param = rec->final_str_param != NULL
                             ? g_strdup_printf ("; strParam \"%s\"", rec->final_str_param) : NULL;

    g_autofree char *classes = rec->classes->len > 0
                               ? g_strdup_printf (" (%u class objects)", rec->classes->len) : NULL;

    fprintf (info, "\nfinal SetStatus: %s%s; %" G_GUINT64_FORMAT " instance%s%s in %u Indicate call%s\n",
             d, param != NULL ? param : "", rec->n_objects, rec->n_objects == 1 ? "" : "s",
             classes != NULL ? classes : "", rec->n_indicate, rec->n_indicate == 1 ? "" : "s");
  }
  print_callbacks (h != NULL ? wsim_harness_get_trace (h) : NULL, app,
                   wsim_services_get_last_call_id (services), info);
  if (app == NULL)   /* a stub's end is on its own line above */
    print_client_finals (client != NULL ? client : wsim_harness_get_client (h), info);
  if (req->trace)
    {
      g_autoptr(GString) lines = g_string_new (NULL);
      guint64 call = wsim_services_get_last_call_id (services);

      /* The server's events (the embedded one's), the client's own and the stub's: `wmisim
       * trace` orders them by time. */
      if (h != NULL)
        wsim_trace_to_json_lines (wsim_harness_get_trace (h), call, lines);
      wsim_trace_to_json_lines (wsim_client_get_trace (client != NULL ? client : wsim_harness_get_client (h)),
                                call, lines);
      if (app != NULL)
        wsim_trace_to_json_lines (wsim_unsecapp_get_trace (app), 0, lines);
      fputs (lines->str, info);
      if (h != NULL)
        print_trace_dropped (wsim_harness_get_trace (h), "server", info);
      print_trace_dropped (wsim_client_get_trace (client != NULL ? client : wsim_harness_get_client (h)),
                           "client", info);
      if (app != NULL)
        print_trace_dropped (wsim_unsecapp_get_trace (app), "apartment", info);
    }
  if (report_cancel (&cancel, rec))
    ret = EXIT_SUCCESS;   /* cancelled, as asked */
  else if (WSIM_HRESULT_FAILED (rec->final_hr))
    {
      ret = fail_hr (rec->final_hr, rec->final_str_param, "the call ended with");
      print_error_object (rec->final_error);
    }
  else
    ret = EXIT_SUCCESS;
  goto out;

fail:
  fprintf (stderr, "wmisim: %s\n", error->message);
  ret = EXIT_FAILURE;
out:
  wsim_tool_signals_unwatch ();
  g_clear_pointer (&stub, wsim_sink_unref);
  g_clear_pointer (&o.printer, wsim_cli_printer_free);
  g_clear_pointer (&app, wsim_unsecapp_unref);
  g_clear_pointer (&sink, wsim_sink_unref);
  g_clear_pointer (&services, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  wsim_harness_free (h);
  return ret;
}

typedef struct {
  guint   outstanding;
  guint   ok;
  guint   failed;
} Ping;

static void
on_null_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  Ping *p = data;

  p->outstanding--;
  if (error == NULL)
    p->ok++;
  else
    p->failed++;
}

static int
cmd_ping (const char *server_addr, guint count, guint depth)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(WsimRpcServer) server = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(WsimRpcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *addr_text = NULL;
  Ping p = { 0 };
  guint sent = 0;
  gint64 t0, t1;

  g_main_context_push_thread_default (ctx);
  if (server_addr == NULL)
    {
      g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);

      server = wsim_rpc_server_new (ctx);
      wsim_rpc_server_add_program (server, &service_v1, NULL);
      if (!wsim_rpc_server_listen (server, any, &addr, &error))
        goto fail;
      addr_text = wsim_address_to_string (addr);
      printf ("embedded server listening on %s (program 0x%08x version %u)\n", addr_text,
              WSIM_SERVICE_PROG, WSIM_SERVICE_V1);
    }
  else
    {
      addr = wsim_address_parse (server_addr, &error);
      if (addr == NULL)
        goto fail;
      addr_text = wsim_address_to_string (addr);
    }

  client = wsim_rpc_client_connect (ctx, addr, WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &error);
  if (client == NULL)
    goto fail;
  printf ("client connected to %s, AUTH_NONE\n", addr_text);

  /* One call alone, then the rest pipelined @depth deep. */
  if (!wsim_rpc_client_call_sync (client, NULLPROC, WSIM_XDRPROC (xdr_void), NULL,
                                  WSIM_XDRPROC (xdr_void), NULL, -1, NULL, &error))
    goto fail;
  printf ("NULL call: reply received\n");

  if (!wsim_rpc_client_call_sync (client, WSIM_CREATE_INSTANCE_ENUM_ASYNC,
                                  WSIM_XDRPROC (xdr_void), NULL, WSIM_XDRPROC (xdr_void), NULL,
                                  -1, NULL, &error))
    printf ("procedure %u: %s (expected until the runtime serves it)\n",
            WSIM_CREATE_INSTANCE_ENUM_ASYNC, error->message);
  g_clear_error (&error);

  t0 = g_get_monotonic_time ();
  while (sent < count || p.outstanding > 0)
    {
      while (sent < count && p.outstanding < depth)
        {
          wsim_rpc_client_call (client, NULLPROC, WSIM_XDRPROC (xdr_void), NULL, -1, NULL,
                                on_null_reply, &p);
          p.outstanding++;
          sent++;
        }
      g_main_context_iteration (ctx, TRUE);
    }
  t1 = g_get_monotonic_time ();
  printf ("%u NULL calls, %u in flight: %u ok, %u failed, %.0f calls/s\n", count, depth, p.ok,
          p.failed, count / ((t1 - t0) / 1e6));
  g_main_context_pop_thread_default (ctx);
  return p.failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;

fail:
  fprintf (stderr, "wmisim: %s\n", error->message);
  g_main_context_pop_thread_default (ctx);
  return EXIT_FAILURE;
}

/* ---- reg ------------------------------------------------------------------------ */

/* wmisim reg [--registry PATH] get|set|delete KEY VALUE [DATA]: the registry the runtime
 * reads its settings from (wsim-registry.h), edited as reg.exe edits Windows's. Its
 * arguments are its own (a DATA is nothing to the calls' options), so main() hands it argv
 * before parsing those. A malformed KEY, VALUE or DATA is a usage error. */
static int
cmd_reg (int argc, char **argv)
{
  static const char usage[] = "wmisim: usage: wmisim reg [--registry PATH] get KEY VALUE | "
                              "set KEY VALUE DATA | delete KEY VALUE\n";
  g_autofree char *path = NULL;
  GOptionEntry entries[] = {
    { "registry", 0, 0, G_OPTION_ARG_FILENAME, &path,
      "The registry file (default $WSIM_REGISTRY, else ~/.local/state/wmisim/registry)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) oc = g_option_context_new ("reg get|set|delete KEY VALUE [DATA]");
  g_autoptr(WsimRegistry) reg = NULL;
  g_autoptr(GError) error = NULL;
  const char *action;
  guint32 dword = 0;
  gboolean ok;

  g_option_context_add_main_entries (oc, entries, NULL);
  if (!g_option_context_parse (oc, &argc, &argv, &error))
    {
      fprintf (stderr, "wmisim: %s\n%s", error->message, usage);
      return 2;
    }
  action = argc >= 3 ? argv[2] : "";
  if (!((argc == 5 && (g_str_equal (action, "get") || g_str_equal (action, "delete")))
        || (argc == 6 && g_str_equal (action, "set"))))
    {
      fputs (usage, stderr);
      return 2;
    }
  if (argc == 6)
    {
      /* As reg.exe's /d takes a REG_DWORD: decimal, or hex after 0x. */
      gboolean hex = g_ascii_strncasecmp (argv[5], "0x", 2) == 0;
      guint64 n;

      if (!g_ascii_string_to_unsigned (argv[5] + (hex ? 2 : 0), hex ? 16 : 10, 0, G_MAXUINT32,
                                       &n, NULL))
        {
          fprintf (stderr, "wmisim: DATA is a DWORD, decimal or 0x hex, not '%s'\n%s", argv[5],
                   usage);
          return 2;
        }
      dword = (guint32) n;
    }

  reg = wsim_registry_open (path, &error);
  if (reg == NULL)
    ok = FALSE;
  else if (g_str_equal (action, "get"))
    ok = wsim_registry_get_dword (reg, argv[3], argv[4], &dword, &error);
  else if (g_str_equal (action, "set"))
    ok = wsim_registry_set_dword (reg, argv[3], argv[4], dword, &error);
  else
    ok = wsim_registry_delete_value (reg, argv[3], argv[4], &error);
  if (!ok)
    {
      fprintf (stderr, "wmisim: %s\n", error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? 2 : EXIT_FAILURE;
    }
  if (!g_str_equal (action, "delete"))
    printf ("%s\\%s = 0x%08x (%u)\n", argv[3], argv[4], dword, dword);
  return EXIT_SUCCESS;
}

/* ---- trace ---------------------------------------------------------------------- */

/* wmisim trace [--svg] [--call N] [FILE|-]: a trace's JSON lines (what --trace prints; a
 * file, else standard input) as a sequence diagram on standard output
 * (wsim-trace-diagram.h). It calls nothing, and its options are its own, so main() hands
 * it argv before parsing the calls' options. A malformed event line exits 1. */
static int
cmd_trace (int argc, char **argv)
{
  static const char usage[] = "wmisim: usage: wmisim trace [--svg|--mermaid] [--call N] [FILE|-]\n";
  gboolean svg = FALSE, mermaid = FALSE;
  gint64 call = 0;
  GOptionEntry entries[] = {
    { "svg", 0, 0, G_OPTION_ARG_NONE, &svg, "Write SVG instead of text", NULL },
    { "mermaid", 0, 0, G_OPTION_ARG_NONE, &mermaid, "Write a Mermaid sequence diagram (for "
      "Markdown) instead of text", NULL },
    { "call", 0, 0, G_OPTION_ARG_INT64, &call, "Draw only this call (default: every call)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) oc = g_option_context_new ("trace [FILE|-]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *text = NULL;
  const char *file;
  gsize len = 0;

  g_option_context_add_main_entries (oc, entries, NULL);
  g_option_context_set_summary (oc, "Draws a trace (the JSON lines of --trace) as a sequence "
                                "diagram: text, SVG with --svg, Mermaid with --mermaid.");
  if (!g_option_context_parse (oc, &argc, &argv, &error))
    {
      fprintf (stderr, "wmisim: %s\n%s", error->message, usage);
      return 2;
    }
  if (argc > 3 || call < 0 || (svg && mermaid))
    {
      fputs (usage, stderr);
      return 2;
    }
  file = argc == 3 ? argv[2] : "-";
  if (g_str_equal (file, "-"))
    {
      GIOChannel *in = g_io_channel_unix_new (STDIN_FILENO);
      gboolean ok = g_io_channel_set_encoding (in, NULL, &error) == G_IO_STATUS_NORMAL
                    && g_io_channel_read_to_end (in, &text, &len, &error) == G_IO_STATUS_NORMAL;

      g_io_channel_unref (in);
      if (!ok)
        goto fail;
    }
  else if (!g_file_get_contents (file, &text, &len, &error))
    goto fail;
  if (!wsim_trace_diagram_parse (text, len, &events, &error))
    goto fail;
  if (svg)
    wsim_trace_diagram_render_svg (events, (guint64) call, out);
  else if (mermaid)
    wsim_trace_diagram_render_mermaid (events, (guint64) call, out);
  else
    wsim_trace_diagram_render_text (events, (guint64) call, out);
  fputs (out->str, stdout);
  return EXIT_SUCCESS;

fail:
  fprintf (stderr, "wmisim: %s: %s\n", g_str_equal (file, "-") ? "standard input" : file,
           error->message);
  return EXIT_FAILURE;
}

/* The blanket from the moniker, then the explicit options over it. The moniker's server and
 * namespace are handed back (owned) for main() to route with. */
static gboolean
security_from_options (WsimBlanket *b, const char *moniker, const char *auth_level,
                       const char *impersonation, const char *authority, const char *user,
                       char **moniker_server, char **moniker_ns)
{
  g_autoptr(GError) error = NULL;

  b->authn_level = RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
  if (moniker != NULL)
    {
      g_auto(WsimMoniker) m = WSIM_MONIKER_INIT;

      if (!wsim_moniker_parse (moniker, &m, &error))
        goto fail;
      if (m.object_path != NULL)
        {
          fprintf (stderr, "wmisim: the moniker names an object (%s): give it as the PATH of 'get'\n",
                   m.object_path);
          return FALSE;
        }
      wsim_moniker_apply (&m, b);
      *moniker_server = g_steal_pointer (&m.server);
      *moniker_ns = g_steal_pointer (&m.namespace_path);
    }
  if (auth_level != NULL && !wsim_authn_level_parse (auth_level, &b->authn_level))
    {
      fprintf (stderr, "wmisim: unknown authentication level '%s' (default, none, connect, call, "
               "pkt, pktIntegrity, pktPrivacy)\n", auth_level);
      return FALSE;
    }
  if (impersonation != NULL && !wsim_imp_level_parse (impersonation, &b->imp_level))
    {
      fprintf (stderr, "wmisim: unknown impersonation level '%s' (anonymous, identify, "
               "impersonate, delegate)\n", impersonation);
      return FALSE;
    }
  if (authority != NULL && !wsim_moniker_parse_authority (authority, b, &error))
    goto fail;
  if (user != NULL)
    {
      g_free (b->user);
      b->user = g_strdup (user);
    }
  return TRUE;

fail:
  fprintf (stderr, "wmisim: %s\n", error->message);
  return FALSE;
}

/* ---- where a call goes ------------------------------------------------------------ */

/* "." and localhost are this machine, in a moniker as in a path: the embedded server, or
 * the one --server names. */
static gboolean
is_this_machine (const char *host)
{
  return host == NULL || g_str_equal (host, ".") || g_ascii_strcasecmp (host, "localhost") == 0;
}

/* Whether @address (--server) is the machine @host (a path's server) names: the same IP
 * address. Host names are not resolved: the two must be written alike. */
static gboolean
address_is_host (const char *address, const char *host)
{
  g_autoptr(GSocketAddress) a = wsim_address_parse (address, NULL);
  g_autoptr(GInetAddress) ip = g_inet_address_new_from_string (host);

  return a != NULL && ip != NULL && G_IS_INET_SOCKET_ADDRESS (a)
         && g_inet_address_equal (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)), ip);
}

static gboolean
same_namespace (const char *a, const char *b)
{
  g_autofree char *x = g_strdelimit (g_strdup (a), "/", '\\');
  g_autofree char *y = g_strdelimit (g_strdup (b), "/", '\\');

  return g_ascii_strcasecmp (x, y) == 0;
}

/* Where a call goes and what it names. A GetObject path with a server other than this
 * machine goes to that server, as a moniker naming it does: through its rpcbind, opening the
 * path's namespace and asking for the path relative to it (the server sees its own objects,
 * not a path naming a host). With --server, the path's server must be that address. */
typedef struct {
  char *host;     /* (owned) (nullable) a machine to find through its rpcbind */
  char *ns;       /* (owned) */
  char *target;   /* (owned) (nullable) the path to ask for, when it was rewritten */
} Route;

static void
route_clear (Route *r)
{
  g_free (r->host);
  g_free (r->ns);
  g_free (r->target);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Route, route_clear)

/* Returns: FALSE (a usage error, said) when the server or namespace given disagree. */
static gboolean
route_call (Route *r, const char *server, const char *ns, const char *moniker_server,
            const char *moniker_ns, gboolean is_get, const char *target)
{
  g_autoptr(WsimObjectPath) path = is_get ? wsim_object_path_parse (target, NULL) : NULL;
  const char *host = path != NULL ? wsim_object_path_get_server (path) : NULL;
  const char *path_ns = path != NULL ? wsim_object_path_get_namespace (path) : NULL;

  /* A path the parser refuses goes to the server as written: its answer gives the position. */
  if (is_this_machine (host))
    {
      r->host = server == NULL && !is_this_machine (moniker_server) ? g_strdup (moniker_server) : NULL;
      r->ns = g_strdup (ns != NULL ? ns : moniker_ns != NULL ? moniker_ns : "root\\cimv2");
      return TRUE;
    }
  if (server != NULL && !address_is_host (server, host))
    {
      fprintf (stderr, "wmisim: the path names server %s, but --server is %s: give the server "
               "once, or write the path's as --server's IP address\n", host, server);
      return FALSE;
    }
  if (server == NULL && !is_this_machine (moniker_server) && g_ascii_strcasecmp (moniker_server, host) != 0)
    {
      fprintf (stderr, "wmisim: the path names server %s, but the moniker names %s\n", host,
               moniker_server);
      return FALSE;
    }
  if (ns != NULL && path_ns != NULL && !same_namespace (ns, path_ns))
    {
      fprintf (stderr, "wmisim: the path names namespace %s, but --namespace is %s\n", path_ns, ns);
      return FALSE;
    }
  r->host = server == NULL ? g_strdup (host) : NULL;
  r->ns = g_strdup (path_ns != NULL ? path_ns : ns != NULL ? ns : moniker_ns != NULL ? moniker_ns
                                                                                   : "root\\cimv2");
  r->target = wsim_object_path_to_relpath (path);
  return TRUE;
}

/* ---- options that apply -------------------------------------------------------------- */

enum {
  FOR_ENUM = 1 << CALL_ENUM,
  FOR_GET = 1 << CALL_GET,
  FOR_QUERY = 1 << CALL_QUERY,
  FOR_METHOD = 1 << CALL_METHOD,
  FOR_PUT = 1 << CALL_PUT,
  FOR_DELETE = 1 << CALL_DELETE,
  FOR_CLASSES = 1 << CALL_CLASSES,
  FOR_PING = 1 << 8,
  FOR_CALLS = FOR_ENUM | FOR_GET | FOR_QUERY | FOR_METHOD | FOR_PUT | FOR_DELETE | FOR_CLASSES,
};

/* An option given where it does nothing is refused rather than ignored: the user meant
 * something by it. */
typedef struct {
  const char *option;
  gboolean    given;
  const char *what;       /* what it is for, said when it is refused */
} OptionUse;

/* Where each option applies; one not listed applies to every command. The per-command help
 * lists an option under the commands it applies to from this table too. */
typedef struct {
  const char *name;       /* the long name, without "--" */
  guint       commands;   /* FOR_* */
  gboolean    embedded;   /* it configures the embedded server, so not with another one */
} OptionScope;

static const OptionScope option_scopes[] = {
  { "namespace", FOR_CALLS, FALSE },
  { "format", FOR_CALLS, FALSE },
  { "property", FOR_ENUM | FOR_GET, FALSE },
  { "trace", FOR_CALLS, FALSE },
  { "system-properties", FOR_CALLS, FALSE },
  { "callback-address", FOR_CALLS, FALSE },
  { "call-timeout", FOR_CALLS, FALSE },
  { "shallow", FOR_ENUM, FALSE },
  { "semisync", FOR_ENUM | FOR_QUERY, FALSE },
  { "deep", FOR_CLASSES, FALSE },
  { "send-status", FOR_CALLS, FALSE },
  { "ensure-locatable", FOR_QUERY, FALSE },
  { "direct-read", FOR_ENUM | FOR_QUERY, FALSE },
  { "cancel-after", FOR_CALLS, FALSE },
  { "param", FOR_CALLS, TRUE },
  { "provider-dir", FOR_CALLS, TRUE },
  { "mof", FOR_CALLS, TRUE },
  { "repository", FOR_CALLS, TRUE },
  { "create-only", FOR_PUT, FALSE },
  { "update-only", FOR_PUT, FALSE },
  { "callbacks", FOR_CALLS, TRUE },
  { "auth-level", FOR_CALLS, FALSE },
  { "impersonation", FOR_CALLS, FALSE },
  { "authority", FOR_CALLS, FALSE },
  { "user", FOR_CALLS, FALSE },
  { "stub", FOR_CALLS, FALSE },
  { "count", FOR_PING, FALSE },
  { "depth", FOR_PING, FALSE },
  { "context", FOR_CALLS, FALSE },
};

static const OptionScope *
option_scope (const char *long_name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (option_scopes); i++)
    if (g_str_equal (option_scopes[i].name, long_name))
      return &option_scopes[i];
  return NULL;
}

static gboolean
options_apply (const OptionUse *uses, gsize n, guint command, const char *command_name,
               gboolean other_server)
{
  for (gsize i = 0; i < n; i++)
    {
      const OptionUse *u = &uses[i];
      const OptionScope *sc = option_scope (u->option + 2);

      if (u->given && sc != NULL && !(sc->commands & command))
        fprintf (stderr, "wmisim: %s does not apply to %s: %s\n", u->option, command_name, u->what);
      else if (u->given && sc != NULL && sc->embedded && other_server)
        fprintf (stderr, "wmisim: %s does not apply to another server (--server, or a server a "
                 "moniker or a path names): %s\n", u->option, u->what);
      else
        continue;
      return FALSE;
    }
  return TRUE;
}

/* ---- the commands, for the help and the usage errors ---------------------------------- */

typedef struct {
  const char *name;
  const char *args;       /* what follows the name */
  guint       commands;   /* FOR_*: the options that apply (0: its own, see its --help) */
  const char *what;
} CommandDoc;

static const CommandDoc command_docs[] = {
  { "enum", "CLASS", FOR_ENUM, "Enumerate a class asynchronously (CreateInstanceEnumAsync)." },
  { "get", "PATH", FOR_GET, "One object by its path (GetObjectAsync): an instance path gives the "
    "instance, a class path the class's definition, as MOF." },
  { "query", "WQL", FOR_QUERY, "A WQL query (ExecQueryAsync). WQL is the query, - to read it from "
    "standard input, or @FILE to read it from a file." },
  { "call", "PATH METHOD [NAME=VALUE…]", FOR_METHOD, "Run a method (ExecMethodAsync): a static one "
    "on a class path, an instance method on an instance path." },
  { "put", "CLASS NAME=VALUE…", FOR_PUT, "Create or update an instance (PutInstanceAsync); the "
    "properties not given take the class's defaults." },
  { "delete", "PATH", FOR_DELETE, "Delete an instance (DeleteInstanceAsync)." },
  { "classes", "[SUPERCLASS]", FOR_CLASSES, "The subclasses of a class, or the root classes "
    "(CreateClassEnumAsync; --deep for every descendant)." },
  { "namespaces", "", FOR_ENUM, "The namespace's child namespaces (its __NAMESPACE instances)." },
  { "reg", "ACTION", 0, "Get, set or delete a registry DWORD (wmisim reg --help)." },
  { "trace", "[FILE]", 0, "A trace's JSON lines as a sequence diagram (wmisim trace --help)." },
  { "mofcomp", "FILE…", 0, "Compile and check MOF files (docs/mof.md)." },
  { "ping", "", FOR_PING, "NULL calls through the RPC engine (a transport check, at AUTH_NONE)." },
};

static const CommandDoc *
command_doc (const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS (command_docs); i++)
    if (g_str_equal (command_docs[i].name, name))
      return &command_docs[i];
  return NULL;
}

/* "enum, get, …, ping": every command's name. (transfer full) */
static char *
command_names (void)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (command_docs); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", command_docs[i].name);
  return g_string_free (out, FALSE);
}

/* The summary of `wmisim --help`: a line per command. (transfer full) */
static char *
commands_summary (void)
{
  GString *out = g_string_new ("Commands:");

  for (gsize i = 0; i < G_N_ELEMENTS (command_docs); i++)
    {
      g_autofree char *head = g_strdup_printf ("%s %s", command_docs[i].name, command_docs[i].args);
      glong pad = 34 - g_utf8_strlen (head, -1);   /* in characters: "…" is one */

      g_string_append_printf (out, "\n  %s%*s %s", head, (int) MAX (pad, 0), "", command_docs[i].what);
    }
  g_string_append (out, "\n\n`wmisim COMMAND --help` lists the options of one command.");
  return g_string_free (out, FALSE);
}

/* `wmisim COMMAND --help`: its synopsis, what it does, and the options that apply to it. */
static int
command_help (const CommandDoc *c, const GOptionEntry *entries)
{
  g_autofree char *param = g_strdup_printf ("%s%s%s", c->name, c->args[0] != '\0' ? " " : "", c->args);
  g_autoptr(GOptionContext) oc = g_option_context_new (param);
  g_autoptr(GArray) mine = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autofree char *help = NULL;

  for (const GOptionEntry *e = entries; e->long_name != NULL; e++)
    {
      const OptionScope *sc = option_scope (e->long_name);

      if (sc == NULL || (sc->commands & c->commands))
        g_array_append_val (mine, *e);
    }
  g_option_context_set_summary (oc, c->what);
  g_option_context_add_main_entries (oc, (const GOptionEntry *) (void *) mine->data, NULL);
  help = g_option_context_get_help (oc, TRUE, NULL);
  fputs (help, stdout);
  return EXIT_SUCCESS;
}

/* A command line whose command is unknown, missing or has the wrong arguments. */
static int
usage_error (int argc, char **argv)
{
  const CommandDoc *c = argc >= 2 ? command_doc (argv[1]) : NULL;
  g_autofree char *names = command_names ();

  if (argc < 2)
    fprintf (stderr, "wmisim: no command; the commands: %s (wmisim --help)\n", names);
  else if (c == NULL)
    fprintf (stderr, "wmisim: unknown command '%s'; the commands: %s (wmisim --help)\n", argv[1],
             names);
  else
    fprintf (stderr, "wmisim: usage: wmisim [OPTIONS] %s %s (wmisim %s --help)\n", c->name, c->args,
             c->name);
  return 2;
}

/* The text of `query -` (standard input) or `query @FILE`, else @arg itself; NULL with a
 * message on stderr when it cannot be read. (transfer full) */
static char *
query_text (const char *arg)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (g_str_equal (arg, "-"))
    {
      g_autoptr(GIOChannel) in = g_io_channel_unix_new (STDIN_FILENO);

      /* Bytes, as from a file: the server judges the text (WBEM_E_INVALID_QUERY). */
      if (g_io_channel_set_encoding (in, NULL, &error) != G_IO_STATUS_NORMAL
          || g_io_channel_read_to_end (in, &text, NULL, &error) != G_IO_STATUS_NORMAL)
        {
          fprintf (stderr, "wmisim: query -: standard input: %s\n", error->message);
          return NULL;
        }
    }
  else if (arg[0] == '@')
    {
      if (!g_file_get_contents (arg + 1, &text, NULL, &error))
        {
          fprintf (stderr, "wmisim: query %s: %s\n", arg, error->message);
          return NULL;
        }
    }
  else
    return g_strdup (arg);
  /* A file's last line break is not part of the query. */
  g_strchomp (text);
  if (text[0] == '\0')
    {
      fprintf (stderr, "wmisim: query %s: the query is empty\n", arg);
      g_free (text);
      return NULL;
    }
  return text;
}

/* A count option: a whole number from 1 to @max, or a usage error (0 calls has no rate, and
 * a negative one no meaning). */
static gboolean
parse_count (const char *option, const char *text, guint64 max, guint64 *out)
{
  if (text == NULL || g_ascii_string_to_unsigned (text, 10, 1, max, out, NULL))
    return TRUE;
  fprintf (stderr, "wmisim: %s wants a whole number from 1 to %" G_GUINT64_FORMAT ", not '%s'\n",
           option, max, text);
  return FALSE;
}

int
main (int argc, char **argv)
{
  g_autofree char *server = NULL, *ns = NULL, *format = NULL, *provider_dir = NULL;
  g_auto(GStrv) mof_files = NULL;
  g_autofree char *repository = NULL;
  gboolean create_only = FALSE, update_only = FALSE;
  gint32 change = 0;
  g_autofree char *auth_level = NULL, *impersonation = NULL, *authority = NULL, *user = NULL;
  g_autofree char *moniker = NULL, *moniker_server = NULL, *moniker_ns = NULL;
  g_autofree char *count_text = NULL, *depth_text = NULL, *cancel_text = NULL;
  g_autofree char *found = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *wql = NULL;
  g_auto(WsimBlanket) blanket = WSIM_BLANKET_INIT;
  g_auto(Route) route = { 0 };
  g_auto (GStrv) params = NULL;
  g_auto (GStrv) contexts = NULL;
  g_autoptr(WsimContext) context = NULL;
  g_autoptr(GHashTable) pmap = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint64 count = 10000, depth = 32, cancel_after = 0;
  gboolean trace = FALSE, sysprops = FALSE, shallow = FALSE, send_status = FALSE, semisync = FALSE;
  gboolean ensure_locatable = FALSE, direct_read = FALSE;
  gboolean deep = FALSE;
  g_autofree char *stub = NULL, *callbacks = NULL;
  g_autofree char *callback_address = NULL, *call_timeout_text = NULL;
  guint64 call_timeout = 0;
  CallbackOptions cb = { 0 };
  g_autoptr(GOptionContext) oc = g_option_context_new ("COMMAND [ARGS]");
  g_autoptr(GError) error = NULL;
  WsimCliFormat fmt = WSIM_CLI_FORMAT_TABLE;
  g_auto (GStrv) properties = NULL;
  static const struct { const char *name; CallKind kind; } cmds[] = {
    { "enum", CALL_ENUM }, { "get", CALL_GET }, { "query", CALL_QUERY },
    { "delete", CALL_DELETE },
  };
  guint command = 0;
  CallKind kind = CALL_ENUM;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server, "Server address (tcp:HOST:PORT, unix:PATH); "
      "default: a server embedded in this process", "ADDR" },
    { "namespace", 'n', 0, G_OPTION_ARG_STRING, &ns, "Namespace (default root\\cimv2)", "NS" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output: table (default), list (Name=Value "
      "lines), value (the values only), csv, json", "FMT" },
    { "property", 0, 0, G_OPTION_ARG_STRING_ARRAY, &properties, "enum, get: show only this "
      "property (repeatable, in this order)", "NAME" },
    { "system-properties", 0, 0, G_OPTION_ARG_NONE, &sysprops, "Show WMI's system properties "
      "(__GENUS … __PATH) before the properties", NULL },
    { "trace", 't', 0, G_OPTION_ARG_NONE, &trace, "Print the call's trace as JSON lines (the embedded "
      "server's, the client's own, the stub's)", NULL },
    { "shallow", 0, 0, G_OPTION_ARG_NONE, &shallow, "enum: WBEM_FLAG_SHALLOW: no subclasses", NULL },
    { "send-status", 0, 0, G_OPTION_ARG_NONE, &send_status, "WBEM_FLAG_SEND_STATUS: progress", NULL },
    { "semisync", 0, 0, G_OPTION_ARG_NONE, &semisync, "enum, query: semisynchronously "
      "(RETURN_IMMEDIATELY | FORWARD_ONLY, Next of 100 at a time; docs/semisync.md)", NULL },
    { "ensure-locatable", 0, 0, G_OPTION_ARG_NONE, &ensure_locatable,
      "query: WBEM_FLAG_ENSURE_LOCATABLE: a projection keeps the keys and __PATH", NULL },
    { "direct-read", 0, 0, G_OPTION_ARG_NONE, &direct_read,
      "enum, query: WBEM_FLAG_DIRECT_READ: the class's own provider, no subclasses", NULL },
    { "deep", 0, 0, G_OPTION_ARG_NONE, &deep, "classes: every descendant, not only the immediate "
      "subclasses (WBEM_FLAG_DEEP)", NULL },
    { "cancel-after", 0, 0, G_OPTION_ARG_STRING, &cancel_text,
      "CancelAsyncCall once N instances have arrived", "N" },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "Embedded server: a provider parameter, e.g. sim-sequence:count=100000;size=20", "PROV:K=V" },
    { "provider-dir", 0, 0, G_OPTION_ARG_FILENAME, &provider_dir, "Embedded server: where the "
      "provider modules are (default $WSIM_PROVIDER_DIR or the installed ones)", "DIR" },
    { "mof", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &mof_files, "Embedded server: load the classes "
      "and instances of a MOF file (docs/mof.md); repeatable", "FILE" },
    { "repository", 0, 0, G_OPTION_ARG_FILENAME, &repository, "Embedded server: keep the "
      "repository's instances in DIR across runs (docs/writes.md)", "DIR" },
    { "create-only", 0, 0, G_OPTION_ARG_NONE, &create_only, "put: WBEM_FLAG_CREATE_ONLY", NULL },
    { "update-only", 0, 0, G_OPTION_ARG_NONE, &update_only, "put: WBEM_FLAG_UPDATE_ONLY", NULL },
    { "auth-level", 'a', 0, G_OPTION_ARG_STRING, &auth_level, "Authentication level: default, none, "
      "connect, call, pkt, pktIntegrity, pktPrivacy (default pktPrivacy, as wmic)", "LEVEL" },
    { "impersonation", 'i', 0, G_OPTION_ARG_STRING, &impersonation,
      "Impersonation level: anonymous, identify, impersonate (default), delegate", "LEVEL" },
    { "authority", 0, 0, G_OPTION_ARG_STRING, &authority,
      "ntlmdomain:DOMAIN or kerberos:DOMAIN\\SERVER (default NTLMSSP)", "AUTHORITY" },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, "Who to be (DOMAIN\\user, user@REALM); "
      "default: this process's credentials", "USER" },
    { "moniker", 'm', 0, G_OPTION_ARG_STRING, &moniker,
      "A scripting moniker: winmgmts:{impersonationLevel=…,authenticationLevel=…,authority=…}!\\\\server\\ns",
      "MONIKER" },
    { "stub", 0, 0, G_OPTION_ARG_STRING, &stub, "Receive the results through a stub in the unsecured "
      "apartment: check, dont-check, default (the registry value), object", "MODE" },
    { "callbacks", 0, 0, G_OPTION_ARG_STRING, &callbacks, "The embedded server's callback ladder: "
      "windows (default) or hardened (nothing below PKT_INTEGRITY)", "POLICY" },
    { "rogue", 0, 0, G_OPTION_ARG_NONE, &cb.rogue, "With --stub: a rogue process sends the stub a "
      "forged Indicate while the call is open", NULL },
    { "callback-address", 0, 0, G_OPTION_ARG_STRING, &callback_address, "Where this client (and its "
      "stubs' helper) listens for the server's callbacks: tcp:ADDR:PORT, tcp:[V6]:PORT, unix:PATH "
      "(default: the local address of the connection to the server, a free port)", "ADDR" },
    { "call-timeout", 0, 0, G_OPTION_ARG_STRING, &call_timeout_text, "How long a call may go without "
      "a callback before the client asks the server about it, in ms (default 30000)", "MS" },
    { "count", 'c', 0, G_OPTION_ARG_STRING, &count_text, "ping: number of pipelined NULL calls "
      "(default 10000)", "N" },
    { "depth", 'd', 0, G_OPTION_ARG_STRING, &depth_text, "ping: calls in flight at once (default 32)", "N" },
    { "context", 0, 0, G_OPTION_ARG_STRING_ARRAY, &contexts, "A context value (IWbemContext) the call "
      "carries: NAME=VALUE (a string) or NAME:TYPE=VALUE (sint8…uint32, real32, real64, boolean, "
      "string); repeatable", "NAME[:TYPE]=VALUE" },
    { NULL }
  };

  wsim_tool_use_utf8 ();
  wsim_tool_signals_init ();
  g_set_prgname ("wmisim");

  g_option_context_add_main_entries (oc, entries, NULL);
  summary = commands_summary ();
  g_option_context_set_summary (oc, summary);
  /* `wmisim COMMAND --help`: GOption would print the whole tool's. */
  for (int i = 2; i < argc && command_doc (argv[1]) != NULL && command_doc (argv[1])->commands != 0; i++)
    if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h") || g_str_equal (argv[i], "-?"))
      return command_help (command_doc (argv[1]), entries);
  if (argc >= 2 && g_str_equal (argv[1], "reg"))
    return cmd_reg (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "trace"))
    return cmd_trace (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "mofcomp"))
    return wsim_cli_mofcomp (argc, argv);
  if (!g_option_context_parse (oc, &argc, &argv, &error))
    {
      fprintf (stderr, "wmisim: %s\n", error->message);
      return 2;
    }
  if (argc == 2 && g_str_equal (argv[1], "ping"))
    command = FOR_PING;
  for (gsize i = 0; argc == 3 && i < G_N_ELEMENTS (cmds); i++)
    if (g_str_equal (argv[1], cmds[i].name))
      {
        kind = cmds[i].kind;
        command = 1u << kind;
      }
  if ((argc == 2 || argc == 3) && g_str_equal (argv[1], "classes"))
    {
      kind = CALL_CLASSES;
      command = FOR_CLASSES;
    }
  if (argc == 2 && g_str_equal (argv[1], "namespaces"))
    command = FOR_ENUM;   /* CreateInstanceEnumAsync of __NAMESPACE */
  if (argc >= 4 && g_str_equal (argv[1], "call"))
    {
      kind = CALL_METHOD;
      command = FOR_METHOD;
    }
  if (argc >= 4 && g_str_equal (argv[1], "put"))
    {
      kind = CALL_PUT;
      command = FOR_PUT;
    }
  if (command == 0)
    return usage_error (argc, argv);
  if (format != NULL && !wsim_cli_format_parse (format, &fmt))
    {
      fprintf (stderr, "wmisim: unknown format '%s' (table, list, value, csv, json)\n", format);
      return 2;
    }
  if (callbacks != NULL && !g_str_equal (callbacks, "windows") && !g_str_equal (callbacks, "hardened"))
    {
      fprintf (stderr, "wmisim: --callbacks wants windows or hardened, not '%s'\n", callbacks);
      return 2;
    }
  if (cb.rogue && stub == NULL)
    {
      fprintf (stderr, "wmisim: --rogue needs --stub (it attacks the stub)\n");
      return 2;
    }
  if (!parse_count ("--count", count_text, G_MAXUINT, &count)
      || !parse_count ("--depth", depth_text, 4096, &depth)
      || !parse_count ("--cancel-after", cancel_text, G_MAXUINT64, &cancel_after)
      || !parse_count ("--call-timeout", call_timeout_text, G_MAXUINT, &call_timeout))
    return 2;
  if (callback_address != NULL)
    {
      g_autoptr(GSocketAddress) a = wsim_address_parse (callback_address, &error);

      if (a == NULL)
        {
          fprintf (stderr, "wmisim: --callback-address: %s\n", error->message);
          return 2;
        }
    }
  for (char **p = params; p != NULL && *p != NULL; p++)
    {
      const char *colon = strchr (*p, ':');

      if (colon == NULL)
        {
          fprintf (stderr, "wmisim: --param wants PROVIDER:key=value, not '%s'\n", *p);
          return 2;
        }
      g_hash_table_insert (pmap, g_strndup (*p, (gsize) (colon - *p)), g_strdup (colon + 1));
    }
  cb.stub = stub;
  cb.hardened = g_strcmp0 (callbacks, "hardened") == 0;
  if (!security_from_options (&blanket, moniker, auth_level, impersonation, authority, user,
                              &moniker_server, &moniker_ns)
      || (change = wsim_cli_write_flags (create_only, update_only)) < 0
      || !route_call (&route, server, ns, moniker_server, moniker_ns,
                      command == FOR_GET || command == FOR_DELETE,
                      command == FOR_PING || argc < 3 ? NULL : argv[2]))
    return 2;
  {
    static const char not_ping[] = "ping makes NULL calls at AUTH_NONE, a transport check";
    const OptionUse uses[] = {
      { "--namespace", ns != NULL, "it names the namespace of enum, get and query" },
      { "--format", format != NULL, "it formats the instances of enum, get and query" },
      { "--property", properties != NULL, "it picks the columns of enum "
        "and get (a query's SELECT list picks its own)" },
      { "--trace", trace, "it prints an async call's trace" },
      { "--system-properties", sysprops, "it shows the instances' system properties" },
      { "--callback-address", callback_address != NULL, "it is where an async "
        "call's callbacks arrive" },
      { "--call-timeout", call_timeout_text != NULL, "it bounds how long an async "
        "call may stay silent before the client asks the server about it" },
      { "--shallow", shallow, "WBEM_FLAG_SHALLOW is a flag of CreateInstanceEnumAsync only" },
      { "--semisync", semisync, "only enum and query have an enumerator" },
      { "--deep", deep, "it asks classes for every descendant" },
      { "--send-status", send_status, "WBEM_FLAG_SEND_STATUS is a flag of the async calls" },
      { "--ensure-locatable", ensure_locatable, "WBEM_FLAG_ENSURE_LOCATABLE is a "
        "flag of ExecQueryAsync only" },
      { "--direct-read", direct_read, "WBEM_FLAG_DIRECT_READ is a flag "
        "of CreateInstanceEnumAsync and ExecQueryAsync" },
      { "--cancel-after", cancel_text != NULL, "it cancels an async call" },
      { "--param", params != NULL, "it configures the embedded server's providers "
        "(another server has its own: wmisimd --param)" },
      { "--provider-dir", provider_dir != NULL, "it says where the embedded server "
        "loads its providers from" },
      { "--mof", mof_files != NULL, "it loads MOF into the embedded server "
        "(another server has its own: wmisimd --mof)" },
      { "--repository", repository != NULL, "it keeps the embedded server's "
        "instances (another server has its own: wmisimd --repository)" },
      { "--create-only", create_only, "WBEM_FLAG_CREATE_ONLY is a flag of PutInstanceAsync" },
      { "--update-only", update_only, "WBEM_FLAG_UPDATE_ONLY is a flag of PutInstanceAsync" },
      { "--callbacks", callbacks != NULL, "it sets the embedded server's callback "
        "ladder (another server has its own)" },
      { "--auth-level", auth_level != NULL, not_ping },
      { "--impersonation", impersonation != NULL, not_ping },
      { "--authority", authority != NULL, not_ping },
      { "--user", user != NULL, not_ping },
      { "--stub", stub != NULL, "it is where an async call's results arrive" },
      { "--count", count_text != NULL, "it is how many NULL calls ping makes" },
      { "--depth", depth_text != NULL, "it is how many of ping's NULL calls are in flight" },
      { "--context", contexts != NULL, "it is what an async call carries to its provider" },
    };

    if (!options_apply (uses, G_N_ELEMENTS (uses), command, command == FOR_PING ? "ping" : argv[1],
                        server != NULL || route.host != NULL))
      return 2;
    if (semisync && (stub != NULL || cancel_text != NULL))
      {
        /* The enumerator is the call's sink and ends it itself when closed. */
        fprintf (stderr, "wmisim: --semisync takes neither --stub nor --cancel-after\n");
        return 2;
      }
  }
  if (route.host != NULL)
    {
      /* As a moniker finds winmgmt on another machine. */
      found = wsim_rpcbind_lookup (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, route.host, &error);
      if (found == NULL)
        {
          fprintf (stderr, "wmisim: %s\n", error->message);
          return EXIT_FAILURE;
        }
      fprintf (command == FOR_PING || fmt == WSIM_CLI_FORMAT_TABLE ? stdout : stderr,
               "server: %s, found through rpcbind on %s\n", found, route.host);
    }
  if (command == FOR_PING)
    return cmd_ping (found != NULL ? found : server, (guint) count, (guint) depth);
  /* Standard input is read only once every option was found right. */
  if (kind == CALL_QUERY && (wql = query_text (argv[2])) == NULL)
    return 2;
  for (guint i = 0; contexts != NULL && contexts[i] != NULL; i++)
    {
      if (context == NULL)
        context = wsim_context_new ();
      if (!wsim_context_parse_assignment (context, contexts[i], &error))
        {
          fprintf (stderr, "wmisim: --context: %s\n", error->message);
          return 2;
        }
    }
  {
    CallRequest req = {
      .kind = kind,
      .address = found != NULL ? found : server,
      .ns = route.ns,
      .target = route.target != NULL ? route.target
                : g_str_equal (argv[1], "namespaces") ? "__NAMESPACE"
                : wql != NULL ? wql : argc >= 3 ? argv[2] : "",
      .method = kind == CALL_METHOD ? argv[3] : NULL,
      .in_args = kind == CALL_METHOD ? argv + 4 : kind == CALL_PUT ? argv + 3 : NULL,
      .change = change,
      .format = fmt,
      .format_given = format != NULL,
      .props = (const char *const *) properties,
      .sysprops = sysprops,
      .trace = trace,
      .shallow = kind == CALL_CLASSES ? !deep : shallow,
      .send_status = send_status,
      .semisync = semisync,
      .query_flags = (ensure_locatable ? WBEM_FLAG_ENSURE_LOCATABLE : 0)
                     | (direct_read ? WBEM_FLAG_DIRECT_READ : 0),
      .cancel_after = cancel_after,
      .params = pmap,
      .provider_dir = provider_dir,
      .mof_files = mof_files,
      .repository = repository,
      .blanket = &blanket,
      .callback_address = callback_address,
      .call_timeout_ms = (guint) call_timeout,
      .cb = cb,
      .context = context,
    };

    return cmd_async (&req);
  }
}
