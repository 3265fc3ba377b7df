/* test-context.c: IWbemContext end to end (WSIM_SERVICE_V2), the caller's identity as a
 * provider sees it, and what Win32_Process does with it (suite context).
 *
 * A harness serves the sample providers on a Unix socket, so that a caller's uid is the
 * kernel's (SO_PEERCRED): the harness's own client is root; the wmisim CLI, run as another
 * uid (setuid in the spawned child; the tests run as root), is that user. Sim_Methods'
 * EchoContext reads a context value back with the typed getter of its type, WhoAmI the
 * caller. A V1-only server is an in-test RPC program on its own thread. */
#include <criterion/criterion.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wsim-context-wire.h"
#include "wsim-harness.h"
#include "wsim-server-private.h"
#include "wsim-test-util.h"
#include "wsim-rpc-client.h"
#include "wsim-rpc-error.h"
#include "wsim-rpc-server.h"
#include "wsim-value.h"
#include "wsim-wbem.h"
#include "wsim_service.h"

#define LONG_WAIT 20000   /* ms: generous, valgrind runs these too */
#define OTHER_UID 1234    /* a user with no account: SO_PEERCRED names it all the same */
#define NOBODY_UID 65534

static WsimHarness *h;
static char *dir;       /* (owned) the socket's directory */
static char *address;   /* (owned) "unix:DIR/sock" */

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  return wsim_repository_load_dir (wsim_server_get_repository (server), "root\\cimv2",
                                   WSIM_TEST_PROVIDER_DIR, NULL, error);
}

static void
start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sock = NULL;
  WsimHarnessOptions o = { .setup = setup };

  dir = g_dir_make_tmp ("wsim-context-XXXXXX", &error);
  cr_assert_not_null (dir, "%s", error ? error->message : "");
  g_chmod (dir, 0755);
  sock = g_build_filename (dir, "sock", NULL);
  address = g_strdup_printf ("unix:%s", sock);
  o.listen = address;
  h = wsim_harness_new_with_options (&o, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
  /* Other users connect too (the CLI run as them). */
  cr_assert_eq (g_chmod (sock, 0666), 0);
}

static gboolean
server_idle (gpointer data)
{
  return wsim_harness_get_n_server_calls (data) == 0;
}

static void
stop (void)
{
  if (h != NULL)
    {
      cr_assert (wsim_harness_run_until (h, server_idle, h, LONG_WAIT), "server calls left");
      wsim_harness_free (h);
    }
  h = NULL;
  if (dir != NULL)
    {
      g_autofree char *sock = g_build_filename (dir, "sock", NULL);

      g_unlink (sock);
      g_rmdir (dir);
    }
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&address, g_free);
}

TestSuite (context, .init = start, .fini = stop, .timeout = 60);

/* An [in]-parameters object with one string property. */
static WsimObject *
string_param (const char *name, const char *value)
{
  wsim_property_def d = { .name = (char *) name, .cimtype = CIM_STRING };
  g_autoptr(WsimClass) cls = wsim_class_new ("__PARAMETERS", NULL, &d, 1, NULL);
  WsimObject *obj = wsim_object_new (cls);

  wsim_value_set_string (wsim_object_get_value (obj, 0), value);
  return obj;
}

/* Runs @method of @path through @s (no in-parameters unless @in); asserts the immediate
 * return is @want; for an accepted call waits for its end and returns the out-parameters
 * (owned by *@out_sink), NULL for a refusal (with its message in *@out_message). */
static WsimObject *
exec (WsimServices *s, const char *path, const char *method, WsimObject *in, WsimHResult want,
      WsimSink **out_sink, char **out_message)
{
  WsimSinkRecorder *rec;
  WsimSink *sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GError) error = NULL;
  WsimHResult hr = wsim_services_exec_method_async (s, path, method, in, 0, sink, &error);

  cr_assert_eq (hr, want, "%s.%s: 0x%08X (%s), want 0x%08X", path, method, hr,
                error ? error->message : "", want);
  if (WSIM_HRESULT_FAILED (hr))
    {
      cr_assert_eq (rec->n_indicate + rec->n_final, 0, "a refused call reached the sink");
      if (out_message != NULL)
        *out_message = g_strdup (error->message);
      wsim_sink_unref (sink);
      return NULL;
    }
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT));
  cr_assert_eq (rec->n_final, 1);
  cr_assert_eq (rec->final_hr, WBEM_S_NO_ERROR);
  cr_assert_eq (rec->objects->len, 1);
  *out_sink = sink;
  return rec->objects->pdata[0];
}

static guint32
u32 (WsimObject *o, const char *prop)
{
  const wsim_value *v = wsim_object_lookup (o, prop);

  cr_assert (v != NULL && v->type == CIM_UINT32, "%s", prop);
  return v->wsim_value_u.v_uint32;
}

/* EchoContext of @name through @s: ReturnValue, and the Text and Type it read. */
static guint32
echo (WsimServices *s, const char *name, char **text, guint32 *type)
{
  g_autoptr(WsimObject) in = string_param ("Name", name);
  g_autoptr(WsimSink) sink = NULL;
  WsimObject *out = exec (s, "Sim_Methods", "EchoContext", in, WBEM_S_NO_ERROR, &sink, NULL);
  const wsim_value *t = wsim_object_lookup (out, "Text");

  *text = wsim_value_is_null (t) ? NULL : g_strdup (t->wsim_value_u.v_string);
  *type = wsim_value_is_null (wsim_object_lookup (out, "Type")) ? G_MAXUINT32 : u32 (out, "Type");
  return u32 (out, "ReturnValue");
}

/* ---- values reach the provider ------------------------------------------------------- */

Test (context, every_supported_type_reaches_the_provider_with_its_type)
{
  static const struct { const char *assign; guint32 type; const char *text; } cases[] = {
    { "S=hello there", CIM_STRING, "hello there" },
    { "I8:sint8=-128", CIM_SINT8, "-128" },
    { "U8:uint8=255", CIM_UINT8, "255" },
    { "I16:sint16=-32768", CIM_SINT16, "-32768" },
    { "U16:uint16=65535", CIM_UINT16, "65535" },
    { "I32:sint32=-5", CIM_SINT32, "-5" },
    { "U32:uint32=4294967295", CIM_UINT32, "4294967295" },
    { "R32:real32=1.5", CIM_REAL32, "1.5" },
    { "R64:real64=-2.25", CIM_REAL64, "-2.25" },
    { "B:boolean=TRUE", CIM_BOOLEAN, "TRUE" },
    { "F:boolean=false", CIM_BOOLEAN, "FALSE" },
  };
  g_autoptr(WsimContext) ctx = wsim_context_new ();
  WsimServices *s = wsim_harness_get_services (h);
  g_autoptr(GError) error = NULL;
  wsim_value null = { .type = CIM_EMPTY };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    cr_assert (wsim_context_parse_assignment (ctx, cases[i].assign, &error), "%s: %s",
               cases[i].assign, error ? error->message : "");
  cr_assert (wsim_context_set_value (ctx, "Nothing", &null, &error));
  wsim_services_set_context (s, ctx);
  /* The proxy keeps a copy: a later change to ctx changes no call. */
  wsim_context_delete_all (ctx);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strndup (cases[i].assign, strcspn (cases[i].assign, ":="));
      g_autofree char *text = NULL;
      guint32 type = 0;

      cr_assert_eq (echo (s, name, &text, &type), 0, "%s not found", name);
      cr_assert_eq (type, cases[i].type, "%s: type %u", name, type);
      cr_assert_str_eq (text, cases[i].text, "%s", name);
    }
  {
    g_autofree char *text = NULL;
    guint32 type = 7;

    /* A null (VT_NULL): there, of type CIM_EMPTY, no text; names are case-insensitive. */
    cr_assert_eq (echo (s, "nothing", &text, &type), 0);
    cr_assert_eq (type, CIM_EMPTY);
    cr_assert_null (text);
    /* No such value: ReturnValue 1. */
    cr_assert_eq (echo (s, "Absent", &text, &type), 1);
  }
  /* Without a context the call goes as V1 and the provider sees none. */
  wsim_services_set_context (s, NULL);
  {
    g_autofree char *text = NULL;
    guint32 type = 0;

    cr_assert_eq (echo (s, "S", &text, &type), 1);
  }
}

/* ---- what a context cannot carry ------------------------------------------------------ */

Test (context, unsupported_types_are_refused_with_invalid_parameter)
{
  g_autoptr(WsimContext) ctx = wsim_context_new ();
  static const guint32 refused[] = {
    CIM_SINT64, CIM_UINT64, CIM_DATETIME, CIM_REFERENCE, CIM_CHAR16, WSIM_CIM_SINT64_ARRAY,
    CIM_OBJECT,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      wsim_value v = { .type = (wsim_cimtype) refused[i] };

      cr_assert_not (wsim_context_type_supported (refused[i]));
      cr_assert_not (wsim_context_set_value (ctx, "X", &v, &error), "type %u taken", refused[i]);
      cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PARAMETER),
                 "type %u: %s", refused[i], error->message);
    }
  cr_assert_eq (wsim_context_get_n_values (ctx), 0);
  /* Arrays of the supported types are carried. */
  cr_assert (wsim_context_type_supported (WSIM_CIM_STRING_ARRAY));
  {
    g_autoptr(GError) error = NULL;
    wsim_value v = { .type = CIM_STRING };

    v.wsim_value_u.v_string = (char *) "x";
    cr_assert_not (wsim_context_set_value (ctx, "", &v, &error));
    cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PARAMETER));
  }
  {
    static const char *const bad[] = { "NoEquals", "=v", "X:sint64=1", "X:datetime=1",
                                       "X:uint8=256", "X:boolean=maybe", "X:nosuch=1" };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        cr_assert_not (wsim_context_parse_assignment (ctx, bad[i], &error), "%s taken", bad[i]);
        cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PARAMETER), "%s", bad[i]);
      }
  }
}

/* GET_OBJECT_ASYNC as V2, encoded by hand: the context, then V1's arguments. */
typedef struct {
  wsim_context               ctx;
  wsim_get_object_async_args args;
} V2Get;

static bool_t
xdr_v2_get (XDR *xdrs, V2Get *o)
{
  return xdr_wsim_context (xdrs, &o->ctx) && xdr_wsim_get_object_async_args (xdrs, &o->args);
}

/* A peer that sends what WsimContext never would (a sint64, a name twice) is refused at
 * once: WBEM_E_INVALID_PARAMETER, before anything reaches a sink. */
Test (context, server_refuses_a_context_the_client_library_would_not_send)
{
  g_autoptr(GMainContext) mc = g_main_context_new ();
  g_autoptr(GSocketAddress) sa = g_unix_socket_address_new (strchr (address, ':') + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) rpc = NULL;
  wsim_open_namespace_args oa = { .namespace_path = (char *) "root\\cimv2" };
  wsim_open_namespace_res ores = { 0 };
  wsim_context_value twice[2] = {
    { .name = (char *) "N", .value = { .type = CIM_SINT32 } },
    { .name = (char *) "n", .value = { .type = CIM_SINT32 } },
  };
  wsim_context_value wide = { .name = (char *) "W", .value = { .type = CIM_SINT64 } };
  struct { wsim_context_value *v; u_int n; const char *why; } cases[] = {
    { &wide, 1, "a context cannot carry a sint64" }, { twice, 2, "given twice" },
  };

  g_main_context_push_thread_default (mc);
  rpc = wsim_rpc_client_connect (mc, sa, WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &error);
  cr_assert_not_null (rpc, "%s", error ? error->message : "");
  cr_assert (wsim_rpc_client_call_sync (rpc, WSIM_OPEN_NAMESPACE, (xdrproc_t) xdr_wsim_open_namespace_args,
                                        &oa, (xdrproc_t) xdr_wsim_open_namespace_res, &ores, LONG_WAIT,
                                        NULL, &error), "%s", error ? error->message : "");
  cr_assert_eq (ores.hresult, WBEM_S_NO_ERROR);
  wsim_rpc_client_set_version (rpc, WSIM_SERVICE_V2);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      V2Get a = {
        .ctx = { .values = { .values_len = cases[i].n, .values_val = cases[i].v } },
        .args = { .ns_handle = ores.ns_handle, .object_path = (char *) "Sim_Methods.Name=\"a\"",
                  .sink = { .endpoint = (char *) "tcp:127.0.0.1:9", .sink_id = 1 }, .call_id = 1 },
      };
      wsim_async_res res = { 0 };

      cr_assert (wsim_rpc_client_call_sync (rpc, WSIM_GET_OBJECT_ASYNC, (xdrproc_t) xdr_v2_get, &a,
                                            (xdrproc_t) xdr_wsim_async_res, &res, LONG_WAIT, NULL,
                                            &error), "%s", error ? error->message : "");
      cr_assert_eq (res.hresult, WBEM_E_INVALID_PARAMETER, "0x%08X %s", res.hresult, res.message);
      cr_assert (strstr (res.message, cases[i].why) != NULL, "%s", res.message);
      xdr_free ((xdrproc_t) xdr_wsim_async_res, (char *) &res);
    }
  g_main_context_pop_thread_default (mc);
  cr_assert (wsim_harness_run_until (h, server_idle, h, LONG_WAIT));
}

/* ---- a server that serves version 1 only ------------------------------------------------ */

static void
v1_open_namespace (WsimRpcRequest *req, void *args, gpointer data)
{
  wsim_open_namespace_res res = { .hresult = WBEM_S_NO_ERROR, .ns_handle = 1 };

  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_open_namespace_res, &res);
}

static void
v1_negotiate (WsimRpcRequest *req, void *args, gpointer data)
{
  wsim_security_info res = { .default_level = RPC_C_AUTHN_LEVEL_CONNECT };

  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_security_info, &res);
}

static const WsimRpcProcedure v1_procs[] = {
  { WSIM_OPEN_NAMESPACE, "OpenNamespace", (xdrproc_t) xdr_wsim_open_namespace_args,
    sizeof (wsim_open_namespace_args), v1_open_namespace },
  { WSIM_NEGOTIATE_SECURITY, "NegotiateSecurity", WSIM_XDRPROC (xdr_void), 0, v1_negotiate },
};
static const WsimRpcProgram v1_program = {
  .prog = WSIM_SERVICE_PROG, .vers = WSIM_SERVICE_V1, .name = "v1-only",
  .procs = v1_procs, .n_procs = G_N_ELEMENTS (v1_procs),
};

typedef struct {
  GMainContext   *mc;
  GMainLoop      *loop;
  WsimRpcServer  *server;
  GSocketAddress *bound;
  GMutex          lock;
  GCond           cond;
  gboolean        ready;
} V1Server;

static gpointer
v1_thread (gpointer data)
{
  V1Server *v = data;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);

  g_main_context_push_thread_default (v->mc);
  v->server = wsim_rpc_server_new (v->mc);
  wsim_rpc_server_add_program (v->server, &v1_program, NULL);
  cr_assert (wsim_rpc_server_listen (v->server, any, &v->bound, NULL));
  g_mutex_lock (&v->lock);
  v->ready = TRUE;
  g_cond_signal (&v->cond);
  g_mutex_unlock (&v->lock);
  g_main_loop_run (v->loop);
  wsim_rpc_server_shutdown (v->server);
  wsim_rpc_server_unref (v->server);
  g_main_context_pop_thread_default (v->mc);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* A call with a context to a V1-only server: PROG_MISMATCH, said clearly, as
 * WBEM_E_NOT_SUPPORTED; the same call without one works as before. */
Test (context, a_context_to_a_v1_only_server_is_a_clear_error)
{
  V1Server v = { 0 };
  GThread *t;
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = NULL;
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimContext) ctx = wsim_context_new ();
  g_autoptr(GMainContext) cc = g_main_context_new ();
  g_autofree char *where = NULL;
  WsimBlanket b = WSIM_BLANKET_INIT;
  WsimClientOptions o = { .blanket = &b };
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  WsimHResult hr;

  b.authn_level = RPC_C_AUTHN_LEVEL_NONE;
  v.mc = g_main_context_new ();
  v.loop = g_main_loop_new (v.mc, FALSE);
  g_mutex_init (&v.lock);
  g_cond_init (&v.cond);
  t = g_thread_new ("v1-only", v1_thread, &v);
  g_mutex_lock (&v.lock);
  while (!v.ready)
    g_cond_wait (&v.cond, &v.lock);
  g_mutex_unlock (&v.lock);

  where = g_strdup_printf ("tcp:127.0.0.1:%u",
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (v.bound)));
  client = wsim_client_new (cc, where, &o, &error);
  cr_assert_not_null (client, "%s", error ? error->message : "");
  s = wsim_client_open_namespace (client, "root\\cimv2", &error);
  cr_assert_not_null (s, "%s", error ? error->message : "");
  cr_assert (wsim_context_parse_assignment (ctx, "K=v", NULL));
  wsim_services_set_context (s, ctx);
  hr = wsim_services_exec_method_async (s, "Sim_Methods", "WhoAmI", NULL, 0, sink, &error);
  cr_assert_eq (hr, WBEM_E_NOT_SUPPORTED, "0x%08X %s", hr, error ? error->message : "");
  cr_assert (strstr (error->message, "call context") != NULL, "%s", error->message);
  cr_assert (strstr (error->message, "version mismatch (server has 1..1)") != NULL, "%s", error->message);
  cr_assert_eq (rec->n_indicate + rec->n_final, 0);
  g_clear_error (&error);
  /* Without the context: V1, which this server has (it lacks the procedure: not a mismatch). */
  wsim_services_set_context (s, NULL);
  hr = wsim_services_exec_method_async (s, "Sim_Methods", "WhoAmI", NULL, 0, sink, &error);
  cr_assert_neq (hr, WBEM_E_NOT_SUPPORTED, "%s", error ? error->message : "");

  g_clear_pointer (&s, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  g_main_context_invoke (v.mc, quit_loop, v.loop);
  g_thread_join (t);
  g_object_unref (v.bound);
  g_main_loop_unref (v.loop);
  g_main_context_unref (v.mc);
  g_mutex_clear (&v.lock);
  g_cond_clear (&v.cond);
}

/* ---- the caller's identity, and Win32_Process ------------------------------------------ */

/* setpriv (util-linux) runs a program as another uid, as the setuid of a forked child would;
 * memcheck.sh does not follow it (valgrind cannot write a second report as the new user). */
static char *
setpriv_path (void)
{
  char *p = g_find_program_in_path ("setpriv");

  if (p == NULL)
    cr_skip_test ("setpriv (util-linux) is not installed");
  return p;
}

/* "--reuid=U", "--regid=U", "--clear-groups" for @uid, into @argv. */
static void
add_setpriv (GPtrArray *argv, uid_t uid, char *setpriv)
{
  g_ptr_array_add (argv, setpriv);
  g_ptr_array_add (argv, g_strdup_printf ("--reuid=%u", (guint) uid));
  g_ptr_array_add (argv, g_strdup_printf ("--regid=%u", (guint) uid));
  g_ptr_array_add (argv, g_strdup ("--clear-groups"));
}

/* Runs the wmisim CLI as @uid against @server, with @args; returns its stdout. */
static char *
cli_valist (const char *server, uid_t uid, int *status, const char *first, va_list ap)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  add_setpriv (argv, uid, setpriv_path ());
  g_ptr_array_add (argv, g_strdup (WSIM_WMISIM));
  g_ptr_array_add (argv, g_strdup ("--server"));
  g_ptr_array_add (argv, g_strdup (server));
  g_ptr_array_add (argv, g_strdup ("--auth-level"));
  g_ptr_array_add (argv, g_strdup ("none"));
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  g_ptr_array_add (argv, NULL);
  /* A user with no home of its own makes its sink's socket under /tmp. */
  env = g_environ_unsetenv (env, "XDG_RUNTIME_DIR");
  env = g_environ_setenv (env, "HOME", "/tmp", TRUE);
  cr_assert (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                           &out, NULL, status, &error),
             "%s", error ? error->message : "");
  return out;
}

/* Runs the wmisim CLI as @uid against the harness, with @args; returns its stdout. */
static char *
cli_as (uid_t uid, int *status, const char *first, ...)
{
  va_list ap;
  char *out;

  va_start (ap, first);
  out = cli_valist (address, uid, status, first, ap);
  va_end (ap);
  return out;
}

/* The same against the server at @server. */
static char *
cli_to (const char *server, uid_t uid, int *status, const char *first, ...)
{
  va_list ap;
  char *out;

  va_start (ap, first);
  out = cli_valist (server, uid, status, first, ap);
  va_end (ap);
  return out;
}

typedef struct {
  pid_t pid;
  uid_t uid;
} OwnedBy;

static OwnedBy sleeper_want;

static gboolean
owned_by (gpointer data)
{
  const OwnedBy *o = data;
  g_autofree char *path = g_strdup_printf ("/proc/%d", (int) o->pid);
  struct stat st;

  return stat (path, &st) == 0 && st.st_uid == o->uid;
}

/* A `sleep 30` owned by @uid, this process's child (setpriv execs it in the same process). */
static pid_t
sleeper_as (uid_t uid)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  pid_t pid;

  if (uid != getuid ())
    add_setpriv (argv, uid, setpriv_path ());
  g_ptr_array_add (argv, g_strdup ("/bin/sleep"));
  g_ptr_array_add (argv, g_strdup ("30"));
  g_ptr_array_add (argv, NULL);
  pid = fork ();
  cr_assert_geq (pid, 0);
  if (pid == 0)
    {
      execv (argv->pdata[0], (char **) argv->pdata);
      _exit (127);
    }
  /* setpriv changes the uid after the fork: wait until it has. */
  sleeper_want = (OwnedBy) { pid, uid };
  cr_assert (wsim_harness_run_until (h, owned_by, &sleeper_want, LONG_WAIT), "pid %d", (int) pid);
  return pid;
}

static void
reap (pid_t pid)
{
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

static gboolean
zombie_or_gone (gpointer data)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", GPOINTER_TO_INT (data));
  g_autofree char *stat = NULL;

  /* A process killed and not yet waited for by this process (its parent) is a zombie. */
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;
  return strstr (stat, ") Z ") != NULL;
}

Test (context, the_provider_sees_the_callers_uid)
{
  int status = 0;
  g_autofree char *out = cli_as (OTHER_UID, &status, "call", "Sim_Methods", "WhoAmI", NULL);
  g_autofree char *want = g_strdup_printf ("Uid = %d;", OTHER_UID);
  g_autoptr(WsimSink) sink = NULL;
  WsimObject *me;

  cr_assert (g_spawn_check_wait_status (status, NULL), "%s", out);
  cr_assert (strstr (out, want) != NULL, "%s", out);
  cr_assert (strstr (out, "Level = 1;") != NULL, "%s", out);   /* RPC_C_AUTHN_LEVEL_NONE */
  /* The harness's own client is this process: root, by its socket too. */
  me = exec (wsim_harness_get_services (h), "Sim_Methods", "WhoAmI", NULL, WBEM_S_NO_ERROR, &sink, NULL);
  cr_assert_eq (wsim_object_lookup (me, "Uid")->wsim_value_u.v_sint64, (gint64) getuid ());
}

/* Terminate ends only what the caller may signal: not another user's process (2, access
 * denied, the process untouched); its own; anyone's for root. */
Test (context, terminate_refuses_another_users_process)
{
  pid_t nobodys = sleeper_as (NOBODY_UID), others = sleeper_as (OTHER_UID);
  g_autofree char *path_nobody = g_strdup_printf ("Win32_Process.Handle=\"%d\"", (int) nobodys);
  g_autofree char *path_other = g_strdup_printf ("Win32_Process.Handle=\"%d\"", (int) others);
  g_autofree char *out1 = NULL, *out2 = NULL;
  g_autoptr(WsimObject) reason = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimObject *rv;
  int status = 0;

  out1 = cli_as (OTHER_UID, &status, "call", path_nobody, "Terminate", "Reason=0", NULL);
  cr_assert (strstr (out1, "ReturnValue = 2;") != NULL, "%s", out1);
  cr_assert_eq (kill (nobodys, 0), 0, "nobody's process was ended");
  out2 = cli_as (OTHER_UID, &status, "call", path_other, "Terminate", "Reason=0", NULL);
  cr_assert (strstr (out2, "ReturnValue = 0;") != NULL, "%s", out2);
  cr_assert (wsim_harness_run_until (h, zombie_or_gone, GINT_TO_POINTER (others), LONG_WAIT));
  /* Root (this process's client) may end nobody's. */
  {
    wsim_property_def d = { .name = (char *) "Reason", .cimtype = CIM_UINT32 };
    g_autoptr(WsimClass) cls = wsim_class_new ("__PARAMETERS", NULL, &d, 1, NULL);

    reason = wsim_object_new (cls);
    wsim_value_set_integer (wsim_object_get_value (reason, 0), CIM_UINT32, FALSE, 0, 0);
  }
  rv = exec (wsim_harness_get_services (h), path_nobody, "Terminate", reason, WBEM_S_NO_ERROR, &sink, NULL);
  cr_assert_eq (u32 (rv, "ReturnValue"), 0);
  cr_assert (wsim_harness_run_until (h, zombie_or_gone, GINT_TO_POINTER (nobodys), LONG_WAIT));
  reap (nobodys);
  reap (others);
}

/* A caller the server cannot name as a local user (AUTH_NONE over TCP: no SO_PEERCRED, no
 * principal) may signal nothing, not even a process of the server's own user. */
Test (context, an_unknown_caller_may_signal_nothing)
{
  pid_t mine = sleeper_as (getuid ());
  g_autofree char *path = g_strdup_printf ("Win32_Process.Handle=\"%d\"", (int) mine);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { WSIM_WMISIM, "--provider-dir", WSIM_TEST_PROVIDER_DIR, "--auth-level",
                         "none", "call", path, "Terminate", "Reason=0", NULL };
  int status = 0;

  cr_assert (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                           &status, &error), "%s", error ? error->message : "");
  cr_assert (strstr (out, "ReturnValue = 2;") != NULL, "%s", out);
  cr_assert_eq (kill (mine, 0), 0);
  reap (mine);
}

static gboolean
gone (gpointer data)
{
  return kill ((pid_t) GPOINTER_TO_INT (data), 0) != 0 && errno == ESRCH;
}

/* A process Create started that ends by itself is reaped by the server: no zombie. */
Test (context, create_children_are_reaped)
{
  g_autoptr(WsimObject) in = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimObject *out;
  guint32 pid;

  {
    wsim_property_def d[] = { { .name = (char *) "CommandLine", .cimtype = CIM_STRING },
                              { .name = (char *) "CurrentDirectory", .cimtype = CIM_STRING } };
    g_autoptr(WsimClass) cls = wsim_class_new ("__PARAMETERS", NULL, d, 2, NULL);

    in = wsim_object_new (cls);
    wsim_value_set_string (wsim_object_get_value (in, 0), "true");
    wsim_value_set_string (wsim_object_get_value (in, 1), "/");
  }
  out = exec (wsim_harness_get_services (h), "Win32_Process", "Create", in, WBEM_S_NO_ERROR, &sink, NULL);
  cr_assert_eq (u32 (out, "ReturnValue"), 0);
  pid = u32 (out, "ProcessId");
  cr_assert (wsim_harness_run_until (h, gone, GINT_TO_POINTER ((int) pid), LONG_WAIT),
             "process %u lingers as a zombie", pid);
}

/* A root server runs Create's process as the caller's user. */
Test (context, create_runs_as_the_callers_user)
{
  int status = 0;
  g_autofree char *out = cli_as (NOBODY_UID, &status, "call", "Win32_Process", "Create",
                                 "CommandLine=sleep 30", "CurrentDirectory=/", NULL);
  const char *p = strstr (out, "ProcessId = ");
  g_autofree char *path = NULL;
  struct stat st;
  int pid;

  cr_assert (p != NULL && strstr (out, "ReturnValue = 0;") != NULL, "%s", out);
  pid = atoi (p + strlen ("ProcessId = "));
  path = g_strdup_printf ("/proc/%d", pid);
  cr_assert_eq (stat (path, &st), 0);
  cr_assert_eq (st.st_uid, NOBODY_UID, "runs as %u", (guint) st.st_uid);
  kill (pid, SIGKILL);
  cr_assert (wsim_harness_run_until (h, gone, GINT_TO_POINTER (pid), LONG_WAIT));
}

/* The test providers, copied where nobody can read them: the build tree may sit below a
 * directory only root may enter (a CI's private clone), and wmisimd as nobody must load
 * them. */
static void
copy_providers (const char *to)
{
  g_autoptr(GDir) d = g_dir_open (WSIM_TEST_PROVIDER_DIR, 0, NULL);
  const char *name;

  cr_assert_not_null (d);
  cr_assert_eq (g_mkdir (to, 0755), 0, "%s: %s", to, g_strerror (errno));
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *src = g_build_filename (WSIM_TEST_PROVIDER_DIR, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);
      g_autofree char *bytes = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;

      if (!g_str_has_suffix (name, ".so"))
        continue;
      cr_assert (g_file_get_contents (src, &bytes, &len, &error), "%s", error ? error->message : "");
      cr_assert (g_file_set_contents_full (dst, bytes, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0755,
                                           &error), "%s", error ? error->message : "");
    }
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* A server that is not root can run a process only as itself: Create runs one for its own
 * user (or root) alone, never for another user or an anonymous caller, who would otherwise
 * get a process as the server's user. */
Test (context, a_server_that_is_not_root_creates_only_for_its_own_user)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *sock = g_build_filename (dir, "nobody.sock", NULL);
  g_autofree char *server = g_strdup_printf ("unix:%s", sock);
  g_autofree char *providers = g_build_filename (dir, "providers", NULL);
  g_autofree char *other = NULL, *own = NULL;
  int status = 0;
  GPid daemon;

  add_setpriv (argv, NOBODY_UID, setpriv_path ());
  g_ptr_array_add (argv, g_strdup (WSIM_WMISIMD));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup (server));
  g_ptr_array_add (argv, g_strdup ("--provider-dir"));
  g_ptr_array_add (argv, g_strdup (providers));
  g_ptr_array_add (argv, NULL);
  cr_assert_eq (g_chmod (dir, 0777), 0, "nobody makes its socket here");
  copy_providers (providers);
  daemon = wsim_test_spawn_daemon ((char **) argv->pdata, &error);
  cr_assert (daemon > 0, "%s", error ? error->message : "");
  cr_assert (wsim_harness_run_until (h, file_exists, sock, LONG_WAIT), "wmisimd did not listen");
  g_chmod (sock, 0666);
  other = cli_to (server, OTHER_UID, &status, "call", "Win32_Process", "Create",
                  "CommandLine=true", "CurrentDirectory=/", NULL);
  own = cli_to (server, NOBODY_UID, &status, "call", "Win32_Process", "Create",
                "CommandLine=true", "CurrentDirectory=/", NULL);
  wsim_test_pid_stop (daemon);
  g_chmod (dir, 0755);
  wsim_test_remove_dir (providers);
  g_unlink (sock);
  cr_assert (strstr (other, "ReturnValue = 2;") != NULL, "another user's command: %s", other);
  cr_assert (strstr (own, "ReturnValue = 0;") != NULL, "the server's own user: %s", own);
}

/* ---- the CLI's --context ---------------------------------------------------------------- */

Test (context, cli_context_flag)
{
  int status = 0;
  g_autofree char *out = cli_as (OTHER_UID, &status, "--context", "Mode:sint32=-7", "--context",
                                 "Who=x", "call", "Sim_Methods", "EchoContext", "Name=mode", NULL);
  g_autofree char *bad = NULL;

  cr_assert (g_spawn_check_wait_status (status, NULL), "%s", out);
  cr_assert (strstr (out, "Text = \"-7\";") != NULL, "%s", out);
  cr_assert (strstr (out, "Type = 3;") != NULL, "%s", out);   /* CIM_SINT32 */
  /* A type a context cannot carry: a usage error, exit 2, before any call. */
  bad = cli_as (OTHER_UID, &status, "--context", "Big:sint64=1", "call", "Sim_Methods",
                "EchoContext", "Name=Big", NULL);
  cr_assert (g_spawn_check_wait_status (status, NULL) == FALSE);
  cr_assert (WIFEXITED (status) && WEXITSTATUS (status) == 2, "status %d", status);
}

/* Which proved principal names which local account (the uid Terminate and Create go by):
 * Kerberos' default aname-to-localname rule, one component of the server's own realm. */
Test (context, a_principal_names_a_local_user_only_by_the_default_rule)
{
  static const struct { const char *mech, *principal, *acceptor, *user; } cases[] = {
    { "kerberos", "alice@WSIM.TEST", "wbem/localhost@WSIM.TEST", "alice" },
    { "kerberos", "root@WSIM.TEST", "wbem/localhost@WSIM.TEST", "root" },
    { "kerberos", "root/admin@WSIM.TEST", "wbem/localhost@WSIM.TEST", NULL },
    { "kerberos", "root@OTHER.TEST", "wbem/localhost@WSIM.TEST", NULL },
    { "kerberos", "root@WSIM.TEST", NULL, NULL },
    { "kerberos", "root", "wbem/localhost@WSIM.TEST", NULL },
    { "kerberos", "@WSIM.TEST", "wbem/localhost@WSIM.TEST", NULL },
    { "ntlm", "WMISIM\\root", NULL, "root" },
    { "ntlm", "alice", NULL, "alice" },
    { "ntlm", "WSIM\\", NULL, NULL },
    { "ntlm", "WSIM\\a\\b", NULL, NULL },
    { NULL, "1000:1000@host", NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *user = wsim_server_principal_local_user (cases[i].mech, cases[i].principal,
                                                                cases[i].acceptor);

      cr_assert_str_eq (user != NULL ? user : "(none)", cases[i].user != NULL ? cases[i].user : "(none)",
                        "%s %s", cases[i].mech ? cases[i].mech : "-", cases[i].principal);
    }
}
