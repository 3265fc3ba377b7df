/* wmisim.c: the command-line tool.
 *
 * Until the runtime lands, its one job is "ping": NULL calls to the service program
 * through the RPC engine, against a server embedded in this process on a loopback port
 * (or against --server ADDR), reporting what it did.
 */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>

#include "wsim-address.h"
#include "wsim-rpc-client.h"
#include "wsim-rpc-error.h"
#include "wsim-rpc-server.h"
#include "wsim_service.h"

/* The service program, with no procedure of its own yet: the engine answers NULLPROC
 * and refuses the rest with PROC_UNAVAIL. */
static const WsimRpcProgram service_v1 = {
  .prog = WSIM_SERVICE_PROG,
  .vers = WSIM_SERVICE_V1,
  .name = "wsim-service",
};

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

int
main (int argc, char **argv)
{
  g_autofree char *server = NULL;
  gint count = 10000, depth = 32;
  g_autoptr(GOptionContext) oc = g_option_context_new ("ping");
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server, "Server address (tcp:HOST:PORT, unix:PATH); "
      "default: a server embedded in this process", "ADDR" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "Number of pipelined NULL calls", "N" },
    { "depth", 'd', 0, G_OPTION_ARG_INT, &depth, "Calls in flight at once", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (oc, entries, NULL);
  g_option_context_set_summary (oc, "Commands:\n  ping    NULL calls through the RPC engine");
  if (!g_option_context_parse (oc, &argc, &argv, &error))
    {
      fprintf (stderr, "wmisim: %s\n", error->message);
      return 2;
    }
  if (argc < 2 || g_strcmp0 (argv[1], "ping") == 0)
    return cmd_ping (server, (guint) MAX (count, 0), (guint) CLAMP (depth, 1, 4096));
  fprintf (stderr, "wmisim: unknown command '%s' (try --help)\n", argv[1]);
  return 2;
}
