/* wmisim-unsecapp: the unsecured apartment's helper process (the Unsecapp.exe analogue).
 *
 * Started by the client library (sinks/wsim-unsecapp.c), never by hand:
 *   wmisim-unsecapp --dir DIR [--listen tcp:HOST:PORT] [--max-level LEVEL]
 * DIR is the client's private directory: the client serves its sinks at DIR/sink and the
 * report program at DIR/report; this helper serves its control program at DIR/control and
 * the stubs, for the server, on TCP (127.0.0.1 on a free port unless --listen says), and
 * on every further address the client asks for (LISTEN: the local address through which it
 * reached a server, so that the server can call the stubs back there). When ready it prints
 * "READY <endpoint>" on stdout. It exits when its stdin closes (its client
 * went away) or on SIGTERM/SIGINT.
 *
 * Each stub is a forward of the sink host (wsim-sink-host.h): a callback that passes the
 * call's access check goes on to the client's sink unchanged but for the sink id, and the
 * client's answer is the server's. Every decision is reported to the client.
 */
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixsocketaddress.h>
#include <stdio.h>

#include "wsim-address.h"
#include "wsim-authn-level.h"
#include "wsim-rpc-client.h"
#include "wsim-rpc-server.h"
#include "wsim-sink-host-forward.h"
#include "wsim-tool-locale.h"
#include "wsim-wbem.h"
#include "wsim_sink.h"
#include "wsim_unsecapp.h"

typedef struct {
  GMainLoop     *loop;
  WsimSinkHost  *host;       /* the stubs, for the server */
  WsimRpcClient *to_sinks;   /* the client's sink host */
  WsimRpcClient *reports;    /* the client's report program */
  GHashTable    *checks;     /* stub id (guint64*) -> GINT_TO_POINTER (check + 1) */
  char           stdin_buf[64];
} Helper;

static void
reply_hr (WsimRpcRequest *req, WsimHResult hr)
{
  wsim_unsecapp_res res = { .hresult = hr };

  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_unsecapp_res, &res);
}

static void
h_create_stub (WsimRpcRequest *req, void *args, gpointer data)
{
  Helper *h = data;
  wsim_create_stub_args *a = args;
  wsim_create_stub_res res = { .hresult = WBEM_S_NO_ERROR };

  res.stub_id = wsim_sink_host_add_forward (h->host, h->to_sinks);
  res.endpoint = (char *) wsim_sink_host_get_endpoint (h->host);
  g_hash_table_insert (h->checks, g_memdup2 (&res.stub_id, sizeof res.stub_id),
                       GINT_TO_POINTER (a->check_access + 1));
  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_create_stub_res, &res);
}

static void
h_begin_call (WsimRpcRequest *req, void *args, gpointer data)
{
  Helper *h = data;
  wsim_stub_call_args *a = args;
  gpointer check = g_hash_table_lookup (h->checks, &a->stub_id);
  WsimSinkAccess access = {
    .check = GPOINTER_TO_INT (check) - 1,
    .principal = a->expected_principal[0] != '\0' ? a->expected_principal : NULL,
    .mech = a->expected_mech[0] != '\0' ? a->expected_mech : NULL,
  };

  if (check == NULL
      || !wsim_sink_host_begin_forward_call (h->host, a->stub_id, a->call_id, a->local_sink_id, &access))
    {
      reply_hr (req, WBEM_E_INVALID_PARAMETER);
      return;
    }
  reply_hr (req, WBEM_S_NO_ERROR);
}

static void
h_end_call (WsimRpcRequest *req, void *args, gpointer data)
{
  Helper *h = data;
  wsim_stub_ref_args *a = args;

  wsim_sink_host_abandon_call (h->host, a->stub_id, a->call_id);
  reply_hr (req, WBEM_S_NO_ERROR);
}

static void
h_release_stub (WsimRpcRequest *req, void *args, gpointer data)
{
  Helper *h = data;
  wsim_stub_ref_args *a = args;

  wsim_sink_host_remove_forward (h->host, a->stub_id);
  g_hash_table_remove (h->checks, &a->stub_id);
  reply_hr (req, WBEM_S_NO_ERROR);
}

static void
h_listen (WsimRpcRequest *req, void *args, gpointer data)
{
  Helper *h = data;
  wsim_listen_args *a = args;
  wsim_listen_res res = { .hresult = WBEM_S_NO_ERROR, .endpoint = (char *) "", .message = (char *) "" };
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;

  addr = wsim_address_parse (a->address, &error);
  if (addr != NULL && wsim_sink_host_add_listener (h->host, addr, &endpoint, &error))
    {
      /* A Unix socket is reached by path: servers of any user may connect (the RPC-level
       * check decides who is taken, not the path). */
      if (G_IS_UNIX_SOCKET_ADDRESS (addr))
        g_chmod (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (addr)), 0666);
      res.endpoint = endpoint;
    }
  else
    {
      res.hresult = WBEM_E_INVALID_PARAMETER;
      res.message = error->message;
    }
  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_listen_res, &res);
}

static const WsimRpcProcedure control_procs[] = {
  { WSIM_UNSECAPP_CREATE_STUB, "CreateStub", (xdrproc_t) xdr_wsim_create_stub_args,
    sizeof (wsim_create_stub_args), h_create_stub },
  { WSIM_UNSECAPP_BEGIN_CALL, "BeginCall", (xdrproc_t) xdr_wsim_stub_call_args,
    sizeof (wsim_stub_call_args), h_begin_call },
  { WSIM_UNSECAPP_END_CALL, "EndCall", (xdrproc_t) xdr_wsim_stub_ref_args,
    sizeof (wsim_stub_ref_args), h_end_call },
  { WSIM_UNSECAPP_RELEASE_STUB, "ReleaseStub", (xdrproc_t) xdr_wsim_stub_ref_args,
    sizeof (wsim_stub_ref_args), h_release_stub },
  { WSIM_UNSECAPP_LISTEN, "Listen", (xdrproc_t) xdr_wsim_listen_args,
    sizeof (wsim_listen_args), h_listen },
};

static const WsimRpcProgram control_program = {
  .prog = WSIM_UNSECAPP_PROG,
  .vers = WSIM_UNSECAPP_V1,
  .name = "wsim-unsecapp",
  .procs = control_procs,
  .n_procs = G_N_ELEMENTS (control_procs),
};

static void
on_report_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
}

/* Tells the client what a stub decided (its trace, and a refused last rung). */
static void
on_host_event (WsimSinkHost *host, const WsimSinkHostEvent *ev, gpointer data)
{
  Helper *h = data;
  wsim_stub_event e = {
    .kind = ev->accepted ? WSIM_STUB_ACCEPTED : WSIM_STUB_REFUSED,
    .stub_id = ev->sink_id,
    .call_id = ev->call_id,
    .hresult = ev->hr,
    .level = ev->level,
    .mech = (char *) (ev->mech != NULL ? ev->mech : ""),
    .principal = (char *) (ev->principal != NULL ? ev->principal : ""),
    .detail = (char *) ev->detail,
    .n = ev->n,
    .last_rung = ev->last_rung,
    .time_us = g_get_monotonic_time (),
  };

  wsim_rpc_client_call (h->reports, WSIM_UNSECAPP_REPORT, (xdrproc_t) xdr_wsim_stub_event, &e,
                        -1, NULL, on_report_reply, NULL);
}

static void
on_stdin (GObject *source, GAsyncResult *result, gpointer data)
{
  Helper *h = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  /* The client closed its end, or died: nobody is left to forward to. */
  if (n <= 0)
    {
      g_main_loop_quit (h->loop);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), h->stdin_buf, sizeof h->stdin_buf,
                             G_PRIORITY_DEFAULT, NULL, on_stdin, h);
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (((Helper *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static WsimRpcClient *
connect_unix (const char *dir, const char *name, guint32 prog, guint32 vers, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GSocketAddress) addr = g_unix_socket_address_new (path);

  return wsim_rpc_client_new_for_address (NULL, addr, prog, vers, error);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *max_level = NULL;
  GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "the client's private directory", "DIR" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "where the server calls the stubs", "ADDR" },
    { "max-level", 0, 0, G_OPTION_ARG_STRING, &max_level, "refuse callbacks above LEVEL", "LEVEL" },
    { NULL },
  };
  g_autoptr(GOptionContext) opts = g_option_context_new ("- the unsecured apartment's helper");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) listen_addr = NULL;
  g_autoptr(GSocketAddress) control_addr = NULL;
  g_autoptr(WsimRpcServer) control = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autofree char *control_path = NULL;
  Helper h = { 0 };
  WsimAuthnLevel level = RPC_C_AUTHN_LEVEL_PKT_PRIVACY;

  /* UTF-8 messages (its --help says "OPTION…", as wmisim's and wmisimd's do). */
  wsim_tool_use_utf8 ();
  g_option_context_add_main_entries (opts, entries, NULL);
  if (!g_option_context_parse (opts, &argc, &argv, &error) || dir == NULL
      || (listen != NULL && (listen_addr = wsim_address_parse (listen, &error)) == NULL)
      || (max_level != NULL && !wsim_authn_level_parse (max_level, &level)))
    {
      fprintf (stderr, "wmisim-unsecapp: %s\n", error != NULL ? error->message
                                                : dir == NULL ? "--dir is required" : "bad --max-level");
      return 2;
    }
  h.loop = g_main_loop_new (NULL, FALSE);
  h.checks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if ((h.to_sinks = connect_unix (dir, "sink", WSIM_SINK_PROG, WSIM_SINK_V1, &error)) == NULL
      || (h.reports = connect_unix (dir, "report", WSIM_UNSECAPP_REPORT_PROG, WSIM_UNSECAPP_REPORT_V1,
                                    &error)) == NULL
      || (h.host = wsim_sink_host_new (NULL, listen_addr, &error)) == NULL)
    {
      fprintf (stderr, "wmisim-unsecapp: %s\n", error->message);
      return 1;
    }
  wsim_sink_host_set_max_level (h.host, level);
  wsim_sink_host_set_event_func (h.host, on_host_event, &h, NULL);
  control_path = g_build_filename (dir, "control", NULL);
  control_addr = g_unix_socket_address_new (control_path);
  control = wsim_rpc_server_new (NULL);
  wsim_rpc_server_add_program (control, &control_program, &h);
  if (!wsim_rpc_server_listen (control, control_addr, NULL, &error))
    {
      fprintf (stderr, "wmisim-unsecapp: %s\n", error->message);
      return 1;
    }
  in = g_unix_input_stream_new (0, FALSE);
  g_input_stream_read_async (in, h.stdin_buf, sizeof h.stdin_buf, G_PRIORITY_DEFAULT, NULL, on_stdin, &h);
  g_unix_signal_add (SIGTERM, on_signal, &h);
  g_unix_signal_add (SIGINT, on_signal, &h);
  printf ("READY %s\n", wsim_sink_host_get_endpoint (h.host));
  fflush (stdout);

  g_main_loop_run (h.loop);

  wsim_rpc_server_shutdown (control);
  wsim_sink_host_unref (h.host);
  wsim_rpc_client_unref (h.reports);
  wsim_rpc_client_unref (h.to_sinks);
  g_hash_table_unref (h.checks);
  g_main_loop_unref (h.loop);
  return 0;
}
