/* bench-rpc-server.c: serves the test program (wsim_testprog.x) for the transport
 * benchmark, either with our engine or with stock libtirpc.
 *
 *   bench-rpc-server --engine wsim|tirpc
 *
 * Listens on 127.0.0.1 with a free port, prints the port as its first stdout line, and
 * serves until SIGTERM (or SIGINT), then exits 0.
 *
 * --engine wsim:  a WsimRpcServer on the default GMainContext (wsim_testprog_v1).
 * --engine tirpc: svc_vc_create() + svc_run() with a hand-written dispatch for NULL and
 *                 ECHO (the generated XDR routines), 4 MiB + 64 KiB send/receive buffers
 *                 so that 64 KiB echoes leave in one record. svc_register() is called
 *                 with protocol 0, so rpcbind is never contacted.
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

#include "wsim-rpc-server.h"
#include "wsim-test-util.h"
#include "wsim-testprog-server.h"
#include "wsim-xdrbuf.h"

/* Big enough for a 64 KiB echo (and the test program's 4 MiB maximum) in one record. */
#define TIRPC_BUFSZ (4u * 1024 * 1024 + 64 * 1024)

/* ---- stock libtirpc ------------------------------------------------------------- */

static void
tirpc_dispatch (struct svc_req *rq, SVCXPRT *xprt)
{
  switch (rq->rq_proc)
    {
    case NULLPROC:
      svc_sendreply (xprt, (xdrproc_t) (void (*) (void)) xdr_void, NULL);
      return;
    case WSIM_TEST_ECHO:
      {
        wsim_test_blob blob;

        memset (&blob, 0, sizeof blob);
        if (!svc_getargs (xprt, (xdrproc_t) (void (*) (void)) xdr_wsim_test_blob,
                          (caddr_t) &blob))
          {
            svcerr_decode (xprt);
            return;
          }
        svc_sendreply (xprt, (xdrproc_t) (void (*) (void)) xdr_wsim_test_blob,
                       (caddr_t) &blob);
        svc_freeargs (xprt, (xdrproc_t) (void (*) (void)) xdr_wsim_test_blob,
                      (caddr_t) &blob);
        return;
      }
    default:
      svcerr_noproc (xprt);
      return;
    }
}

static void
tirpc_on_term (int sig)
{
  /* svc_run() has no async-signal-safe way out; nothing needs flushing. */
  _exit (0);
}

static int
serve_tirpc (void)
{
  struct sockaddr_in sin;
  socklen_t sin_len = sizeof sin;
  struct sigaction sa;
  SVCXPRT *xprt;
  int fd;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = tirpc_on_term;
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  signal (SIGPIPE, SIG_IGN);

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0)
    {
      perror ("socket");
      return 1;
    }
  memset (&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  sin.sin_port = 0;
  if (bind (fd, (struct sockaddr *) &sin, sizeof sin) < 0
      || listen (fd, 64) < 0
      || getsockname (fd, (struct sockaddr *) &sin, &sin_len) < 0)
    {
      perror ("bind/listen");
      return 1;
    }

  /* libtirpc sets TCP_NODELAY on the connections it accepts (svc_vc.c). */
  xprt = svc_vc_create (fd, TIRPC_BUFSZ, TIRPC_BUFSZ);
  if (xprt == NULL)
    {
      fprintf (stderr, "svc_vc_create failed\n");
      return 1;
    }
  if (!svc_register (xprt, WSIM_TEST_PROG, WSIM_TEST_V1, tirpc_dispatch, 0))
    {
      fprintf (stderr, "svc_register failed\n");
      return 1;
    }

  printf ("%u\n", (unsigned) ntohs (sin.sin_port));
  fflush (stdout);
  svc_run ();
  fprintf (stderr, "svc_run returned\n");
  return 1;
}

/* ---- our engine ----------------------------------------------------------------- */

static gboolean
wsim_on_term (gint fd, GIOCondition cond, gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static int
serve_wsim (void)
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
  g_autoptr(GOptionContext) octx = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "engine", 'e', 0, G_OPTION_ARG_STRING, &engine, "wsim or tirpc", "ENGINE" },
    { NULL }
  };

  octx = g_option_context_new ("- serve the test program for the transport benchmark");
  g_option_context_add_main_entries (octx, entries, NULL);
  if (!g_option_context_parse (octx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (engine == NULL || g_str_equal (engine, "wsim"))
    return serve_wsim ();
  if (g_str_equal (engine, "tirpc"))
    return serve_tirpc ();
  fprintf (stderr, "unknown engine '%s' (wsim or tirpc)\n", engine);
  return 2;
}
