/* bench-rpc-server.c: serves the test program (wsim_testprog.x) with our engine for the
 * transport benchmark: a WsimRpcServer on the default GMainContext (wsim_testprog_v1).
 *
 *   bench-rpc-server [--engine wsim] [--gss]
 *
 * --gss also serves RPCSEC_GSS (wsim_svc_auth_gss(): Kerberos from KRB5_KTNAME, NTLMSSP from
 * NTLM_USER_FILE, whichever the client's first token uses), for the security benchmark
 * (run-gss.sh); AUTH_NONE calls are served as before, which is what the levels NONE and
 * CONNECT send.
 *
 * Listens on 127.0.0.1 with a free port, prints the port as its first stdout line, and
 * serves until SIGTERM (or SIGINT), then exits 0. The stock libtirpc side of the benchmark
 * is the interop suite's server (tests/interop/tirpc-testprog-server), run with 4 MiB +
 * 64 KiB buffers so that 64 KiB echoes leave in one record.
 *
 * Not a test and not installed: see bench/README.md.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <rpc/rpc.h>

#include "bench-util.h"
#include "wsim-auth-gss.h"
#include "wsim-rpc-server.h"
#include "wsim-test-util.h"
#include "wsim-testprog-server.h"
#include "wsim-xdrbuf.h"

/* Big enough for a 64 KiB echo (and the test program's 4 MiB maximum) in one record. */
/* ---- our engine ----------------------------------------------------------------- */

static gboolean
wsim_on_term (gint fd, GIOCondition cond, gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static int
serve_wsim (gboolean gss)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(WsimRpcServer) server = wsim_rpc_server_new (NULL);
  g_autoptr(GSocketAddress) any = wsim_test_loopback ();
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  sigset_t term;
  guint term_id;
  int sfd;

  /* SIGTERM and SIGINT arrive through a signalfd: one more descriptor in the poll and
   * nothing else, where g_unix_signal_add() would add two sources whose prepare and
   * check run on every iteration of the loop being measured. */
  signal (SIGPIPE, SIG_IGN);
  sigemptyset (&term);
  sigaddset (&term, SIGTERM);
  sigaddset (&term, SIGINT);
  sigprocmask (SIG_BLOCK, &term, NULL);
  sfd = signalfd (-1, &term, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    {
      perror ("signalfd");
      return 1;
    }
  term_id = g_unix_fd_add (sfd, G_IO_IN, wsim_on_term, loop);

  /* Default limits: 4 MiB records, 128 requests in progress per connection, 1 MiB output
   * watermark. None of them binds for one client with at most 32 calls in flight. */
  wsim_rpc_server_add_program (server, &wsim_testprog_v1, NULL);
  if (gss)
    wsim_rpc_server_set_accept_gss (server, TRUE);
  if (!wsim_rpc_server_listen (server, any, &bound, &error))
    {
      fprintf (stderr, "listen: %s\n", error->message);
      return 1;
    }

  printf ("%u\n", (unsigned) wsim_test_port (bound));
  fflush (stdout);
  g_main_loop_run (loop);

  g_source_remove (term_id);
  close (sfd);
  wsim_rpc_server_shutdown (server);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *engine = NULL;
  gboolean gss = FALSE;
  GOptionEntry entries[] = {
    { "engine", 'e', 0, G_OPTION_ARG_STRING, &engine, "wsim (the only one served here)", "ENGINE" },
    { "gss", 0, 0, G_OPTION_ARG_NONE, &gss, "serve RPCSEC_GSS too (Kerberos and NTLMSSP)", NULL },
    { NULL }
  };

  if (!bench_parse_options ("- serve the test program for the transport benchmark", entries,
                            &argc, &argv))
    return 2;
  if (engine == NULL || g_str_equal (engine, "wsim"))
    return serve_wsim (gss);
  fprintf (stderr, "unknown engine '%s': the stock libtirpc server is "
           "tests/interop/tirpc-testprog-server\n", engine);
  return 2;
}
