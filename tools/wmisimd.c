/* wmisimd.c: the WMI server as a daemon (the winmgmt analogue).
 *
 * Loads the provider modules into root\cimv2, listens on --listen (a loopback port or a
 * Unix socket), prints "listening on ADDR" as its first line, and serves until SIGTERM or
 * SIGINT. With --rpcbind it registers the service program with the running rpcbind after it
 * listens and unregisters it on exit, so clients can find it by program number. On exit
 * every open call ends with a final SetStatus(WBEM_E_SHUTTING_DOWN).
 *
 * Security (WsimServerSecurity): --default-level is what a DEFAULT caller negotiates to,
 * --min-level refuses lower requests, --hardening refuses below PKT_INTEGRITY as a hardened
 * Windows does, --requires-encryption NS marks a namespace RequiresEncryption. Kerberos
 * contexts are accepted with the keytab KRB5_KTNAME names, NTLMSSP ones with the account file
 * NTLM_USER_FILE names (share it with the clients). --callback-level LEVEL makes the callback
 * ladder (WsimCallbackPolicy) that one rung, without the local shortcut to NONE, so that a
 * benchmark knows which level its callbacks travel at: a sink host refusing it ends the call.
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsim-address.h"
#include "wsim-rpcbind.h"
#include "wsim-server.h"
#include "wsim-tool-locale.h"
#include "wsim_service.h"

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autofree char *listen = NULL, *provider_dir = NULL;
  g_auto (GStrv) params = NULL;
  gboolean use_rpcbind = FALSE, hardening = FALSE;
  g_autofree char *default_level = NULL, *min_level = NULL, *callback_level = NULL;
  g_auto (GStrv) encrypted = NULL;
  g_auto (GStrv) mof_files = NULL;
  g_autofree char *repository_dir = NULL;
  WsimServerSecurity security = { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_NONE, FALSE };
  g_autoptr(GOptionContext) oc = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) pmap = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GSocketAddress) addr = NULL, bound = NULL;
  g_autofree char *bound_text = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  WsimCallbackPolicy ladder = { RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_AUTHN_LEVEL_DEFAULT, FALSE };
  WsimRepository *repo;
  WsimServer *server;
  int ret = EXIT_SUCCESS;
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Where to listen: tcp:127.0.0.1:PORT (default port 0: a free one) or unix:PATH", "ADDR" },
    { "rpcbind", 0, 0, G_OPTION_ARG_NONE, &use_rpcbind,
      "Register with the running rpcbind (TCP listeners only); unregister on exit", NULL },
    { "provider-dir", 0, 0, G_OPTION_ARG_FILENAME, &provider_dir,
      "Provider modules (default $WSIM_PROVIDER_DIR or the installed ones)", "DIR" },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params, "Provider parameter PROV:K=V;K=V", "P" },
    { "default-level", 0, 0, G_OPTION_ARG_STRING, &default_level,
      "What a client asking DEFAULT gets (default pktIntegrity; never below connect)", "LEVEL" },
    { "min-level", 0, 0, G_OPTION_ARG_STRING, &min_level,
      "Refuse requests below LEVEL with WBEM_E_ACCESS_DENIED (default none)", "LEVEL" },
    { "callback-level", 0, 0, G_OPTION_ARG_STRING, &callback_level,
      "Call back at LEVEL only: the ladder is that one rung (default: pktPrivacy down to none)", "LEVEL" },
    { "hardening", 0, 0, G_OPTION_ARG_NONE, &hardening,
      "DCOM hardening: refuse requests below pktIntegrity with E_ACCESSDENIED", NULL },
    { "requires-encryption", 0, 0, G_OPTION_ARG_STRING_ARRAY, &encrypted,
      "Mark namespace NS RequiresEncryption (below pktPrivacy: WBEM_E_ENCRYPTED_CONNECTION_REQUIRED)", "NS" },
    { "mof", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &mof_files,
      "Load the classes and instances of a MOF file (docs/mof.md), after the providers; repeatable", "FILE" },
    { "repository", 0, 0, G_OPTION_ARG_FILENAME, &repository_dir,
      "Keep the repository's instances in DIR, crash-safe, across restarts (docs/writes.md)", "DIR" },
    { NULL }
  };

  wsim_tool_use_utf8 ();

  g_option_context_add_main_entries (oc, entries, NULL);
  g_option_context_set_summary (oc, "Serves the wmisim service program (WMI async calls).");
  if (!g_option_context_parse (oc, &argc, &argv, &error))
    {
      fprintf (stderr, "wmisimd: %s\n", error->message);
      return 2;
    }
  for (char **p = params; p != NULL && *p != NULL; p++)
    {
      const char *colon = strchr (*p, ':');

      if (colon == NULL)
        {
          fprintf (stderr, "wmisimd: --param wants PROVIDER:key=value, not '%s'\n", *p);
          return 2;
        }
      g_hash_table_insert (pmap, g_strndup (*p, (gsize) (colon - *p)), g_strdup (colon + 1));
    }
  if ((default_level != NULL && !wsim_authn_level_parse (default_level, &security.default_level))
      || (min_level != NULL && !wsim_authn_level_parse (min_level, &security.min_level))
      || (callback_level != NULL && !wsim_authn_level_parse (callback_level, &ladder.start)))
    {
      fprintf (stderr, "wmisimd: a level is one of default, none, connect, call, pkt, "
               "pktIntegrity, pktPrivacy\n");
      return 2;
    }
  security.hardening = hardening;
  addr = wsim_address_parse (listen != NULL ? listen : "tcp:127.0.0.1:0", &error);
  if (addr == NULL)
    goto fail_early;
  if (use_rpcbind && !G_IS_INET_SOCKET_ADDRESS (addr))
    {
      fprintf (stderr, "wmisimd: --rpcbind needs a TCP listener\n");
      return 2;
    }

  repo = wsim_repository_new ();
  if (!wsim_repository_add_namespace (repo, "root\\cimv2", &error)
      || !wsim_repository_load_dir (repo, "root\\cimv2",
                                    provider_dir != NULL ? provider_dir
                                                         : wsim_repository_default_provider_dir (),
                                    pmap, &error))
    {
      wsim_repository_free (repo);
      goto fail_early;
    }
  for (char **m = mof_files; m != NULL && *m != NULL; m++)
    if (!wsim_repository_load_mof (repo, *m, &error))
      {
        wsim_repository_free (repo);
        goto fail_early;
      }
  if (repository_dir != NULL && !wsim_repository_open_store (repo, repository_dir, &error))
    {
      wsim_repository_free (repo);
      goto fail_early;
    }
  for (char **ns = encrypted; ns != NULL && *ns != NULL; ns++)
    if (!wsim_repository_set_requires_encryption (repo, *ns, TRUE, &error))
      {
        wsim_repository_free (repo);
        goto fail_early;
      }
  ladder.floor = ladder.start;
  server = wsim_server_new (NULL, repo);
  if (!wsim_server_set_security (server, &security, &error)
      || (callback_level != NULL && !wsim_server_set_callback_policy (server, &ladder, &error)))
    {
      wsim_server_unref (server);
      goto fail_early;
    }
  if (!wsim_server_listen (server, addr, &bound, &error))
    {
      wsim_server_unref (server);
      goto fail_early;
    }
  /* Every version served is registered (docs/wire.md): V1, and V2 for calls with a context. */
  if (use_rpcbind && !wsim_rpcbind_set (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, bound, &error))
    {
      wsim_server_unref (server);
      goto fail_early;
    }
  if (use_rpcbind && !wsim_rpcbind_set (WSIM_SERVICE_PROG, WSIM_SERVICE_V2, bound, &error))
    {
      wsim_rpcbind_unset (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, NULL);
      wsim_server_unref (server);
      goto fail_early;
    }
  /* Before the line that says it is ready: whoever reads it may stop the daemon at once,
   * and a SIGTERM that came before the handler would kill it registered with rpcbind. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  bound_text = wsim_address_to_string (bound);
  printf ("listening on %s%s\n", bound_text, use_rpcbind ? " (registered with rpcbind)" : "");
  fflush (stdout);
  g_main_loop_run (loop);

  wsim_server_shutdown (server);
  if (use_rpcbind && !wsim_rpcbind_unset (WSIM_SERVICE_PROG, WSIM_SERVICE_V2, &error))
    {
      fprintf (stderr, "wmisimd: %s\n", error->message);
      g_clear_error (&error);
      ret = EXIT_FAILURE;
    }
  if (use_rpcbind && !wsim_rpcbind_unset (WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &error))
    {
      fprintf (stderr, "wmisimd: %s\n", error->message);
      ret = EXIT_FAILURE;
    }
  wsim_server_unref (server);
  return ret;

fail_early:
  fprintf (stderr, "wmisimd: %s\n", error->message);
  return EXIT_FAILURE;
}
