/* fuzz-request.c: the server's request path (rpc/wsim-rpc-server.c, wsim-rpc-request.c and
 * the server flavors: AUTH_NONE, AUTH_SYS, RPCSEC_GSS with its INIT, CONTINUE and DESTROY
 * control calls) on an arbitrary stream from a client, in process: no listener, no peer.
 *
 * The input is what a client would write on its connection: record-marked call records.
 * It is fed to a new connection of the server (wsim_rpc_server_adopt_fd() on a descriptor of
 * one end of a socketpair, then wsim_conn_feed(): the reader, dispatch, the flavor's check and unwrap,
 * the reply's encoding, the same code a socket's input runs), closed after it, so each
 * input starts with no security context.
 *
 * The server serves every program of the library with its own procedure tables (the service
 * V1 and V2, the sink program, the unsecured apartment's report program), so each
 * procedure's arguments are decoded by the program's own XDR routines (V2: the context,
 * then V1's arguments; the context is then made a WsimContext, as the V2 handler does). The
 * handlers are replaced by one that answers at once with an empty result: what the
 * services do with decoded arguments is theirs to test, and they would call out to sinks.
 */
#include "fuzz-common.h"
#include "wsim-context-wire.h"
#include "wsim-rpc-server-private.h"
#include "wsim-server-private.h"
#include "wsim-sink-programs.h"
#include "wsim-xdrbuf.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { FUZZ_V1, FUZZ_V2, FUZZ_SINK, FUZZ_REPORT, FUZZ_N_PROGRAMS };

typedef struct {
  WsimRpcProgram   program;
  WsimRpcProcedure procs[WSIM_SERVER_V2_SLOTS];
} FuzzProgram;

static FuzzProgram programs[FUZZ_N_PROGRAMS];

static void
fuzz_handle (WsimRpcRequest *req, void *args, gpointer data)
{
  if (GPOINTER_TO_INT (data) == FUZZ_V2)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (WsimContext) ctx = wsim_context_from_wire (args, &error);

      g_assert ((ctx == NULL) == (error != NULL));
    }
  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_void), NULL);
}

/* @real's procedures, each with its own XDR routine and argument size, and fuzz_handle(). */
static void
fuzz_program_init (FuzzProgram *fp, const WsimRpcProgram *real)
{
  g_assert (real->n_procs <= G_N_ELEMENTS (fp->procs));
  fp->program = *real;
  memcpy (fp->procs, real->procs, real->n_procs * sizeof *real->procs);
  for (gsize i = 0; i < real->n_procs; i++)
    fp->procs[i].handler = fuzz_handle;
  fp->program.procs = fp->procs;
}

static void
fuzz_init (void)
{
  const WsimRpcProgram *v1, *v2;

  /* The GSS acceptor finds no keys: every context fails to establish, after the control
   * call's arguments and token have been decoded. Nothing of the host's is read. */
  g_setenv ("KRB5_KTNAME", "FILE:/nonexistent/fuzz-request.keytab", TRUE);
  g_setenv ("KRB5_CONFIG", "/dev/null", TRUE);
  g_setenv ("NTLM_USER_FILE", "/nonexistent/fuzz-request.ntlm", TRUE);
  wsim_server_get_programs (&v1, &v2);
  fuzz_program_init (&programs[FUZZ_V1], v1);
  fuzz_program_init (&programs[FUZZ_V2], v2);
  fuzz_program_init (&programs[FUZZ_SINK], wsim_sink_host_program ());
  fuzz_program_init (&programs[FUZZ_REPORT], wsim_unsecapp_report_program ());
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static WsimRpcServer *server;
  static int fds[2];
  WsimRpcServerConn *sconn;
  int fd;

  /* One server for the process (as a daemon has); each input gets a connection of its own
   * (a descriptor of the same socket: cheaper than a new pair), so it starts with no
   * security context and no state from the input before. */
  if (server == NULL)
    {
      fuzz_init ();
      server = wsim_rpc_server_new (NULL);
      for (int i = 0; i < FUZZ_N_PROGRAMS; i++)
        wsim_rpc_server_add_program (server, &programs[i].program, GINT_TO_POINTER (i));
      wsim_rpc_server_set_accept_gss (server, TRUE);
      if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
        abort ();
    }
  fd = fcntl (fds[0], F_DUPFD_CLOEXEC, 0);
  if (fd < 0)
    abort ();
  sconn = wsim_rpc_server_adopt_fd (server, fd);
  g_assert (sconn != NULL);
  wsim_rpc_server_conn_ref (sconn);
  wsim_conn_feed (sconn->conn, data, size);
  wsim_rpc_server_conn_close (sconn);
  wsim_rpc_server_conn_unref (sconn);
  /* What a flavor or a reply left for the loop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* The replies, read and dropped, so the socket never fills. */
  {
    static guint8 sink[65536];

    while (recv (fds[1], sink, sizeof sink, MSG_DONTWAIT) > 0)
      ;
  }
  return 0;
}
