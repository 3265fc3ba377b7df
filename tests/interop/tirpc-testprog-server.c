/* tirpc-testprog-server.c: the test program (tests/common/wsim_testprog.x) served by stock
 * libtirpc, the reference our engine is checked against (test-interop.c).
 *
 *   tirpc-testprog-server
 *
 * A plain svc_vc_create() TCP transport on 127.0.0.1 with a free port, the dispatch
 * function written by hand as rpcgen's _svc.c would, svc_register() with protocol 0
 * (rpcbind is never contacted), then svc_run(). The port is the first stdout line.
 * Serves NULL, ECHO, ADD, SQUARES and WHOAMI; DELAY and FORGET are deliberately not
 * served (the client must see PROC_UNAVAIL). Exits 0 on SIGTERM or SIGINT.
 *
 * The send/receive buffer sizes are libtirpc's defaults (64 KiB for TCP), so replies
 * larger than that leave in several fragments: the test also covers our client's
 * reassembly of multi-fragment records written by the reference implementation.
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <rpc/rpc.h>
#include <rpc/svc_auth_gss.h>

#include "wsim_testprog.h"

/* rpcgen's routines take (XDR *, T *); libtirpc's xdrproc_t is variadic. */
#define XDRP(fn) ((xdrproc_t) (void (*) (void)) (fn))

static void
reply_whoami (struct svc_req *rq, SVCXPRT *xprt)
{
  char buf[300] = "";
  wsim_test_name name = buf;

  if (rq->rq_cred.oa_flavor == AUTH_SYS)
    {
      const struct authunix_parms *p = (const struct authunix_parms *) rq->rq_clntcred;

      snprintf (buf, sizeof buf, "%u:%u@%s", (unsigned) p->aup_uid, (unsigned) p->aup_gid,
                p->aup_machname != NULL ? p->aup_machname : "");
    }
  if (!svc_sendreply (xprt, XDRP (xdr_wsim_test_name), (caddr_t) &name))
    svcerr_systemerr (xprt);
}

static void
testprog_1 (struct svc_req *rq, SVCXPRT *xprt)
{
  union {
    wsim_test_blob echo;
    wsim_test_pair add;
    unsigned int   squares;
  } arg;
  xdrproc_t xargs;

  switch (rq->rq_proc)
    {
    case WSIM_TEST_NULL:
      svc_sendreply (xprt, XDRP (xdr_void), NULL);
      return;
    case WSIM_TEST_WHOAMI:
      reply_whoami (rq, xprt);
      return;
    case WSIM_TEST_ECHO:
      xargs = XDRP (xdr_wsim_test_blob);
      break;
    case WSIM_TEST_ADD:
      xargs = XDRP (xdr_wsim_test_pair);
      break;
    case WSIM_TEST_SQUARES:
      xargs = XDRP (xdr_u_int);
      break;
    default:
      /* DELAY, FORGET and anything unknown. */
      svcerr_noproc (xprt);
      return;
    }

  memset (&arg, 0, sizeof arg);
  if (!svc_getargs (xprt, xargs, (caddr_t) &arg))
    {
      svcerr_decode (xprt);
      svc_freeargs (xprt, xargs, (caddr_t) &arg);
      return;
    }

  switch (rq->rq_proc)
    {
    case WSIM_TEST_ECHO:
      if (!svc_sendreply (xprt, XDRP (xdr_wsim_test_blob), (caddr_t) &arg.echo))
        svcerr_systemerr (xprt);
      break;
    case WSIM_TEST_ADD:
      {
        int sum = (int) ((unsigned) arg.add.a + (unsigned) arg.add.b);

        if (!svc_sendreply (xprt, XDRP (xdr_int), (caddr_t) &sum))
          svcerr_systemerr (xprt);
        break;
      }
    case WSIM_TEST_SQUARES:
      {
        unsigned int n = arg.squares < WSIM_TEST_MAX_SQUARES ? arg.squares
                                                              : WSIM_TEST_MAX_SQUARES;
        int *v = calloc (n > 0 ? n : 1, sizeof (int));
        wsim_test_ints res;

        if (v == NULL)
          {
            svcerr_systemerr (xprt);
            break;
          }
        for (unsigned int i = 0; i < n; i++)
          v[i] = (int) (i * i);
        res.wsim_test_ints_len = n;
        res.wsim_test_ints_val = v;
        if (!svc_sendreply (xprt, XDRP (xdr_wsim_test_ints), (caddr_t) &res))
          svcerr_systemerr (xprt);
        free (v);
        break;
      }
    default:
      break;
    }
  if (!svc_freeargs (xprt, xargs, (caddr_t) &arg))
    fprintf (stderr, "tirpc-testprog-server: svc_freeargs failed\n");
}

static void
on_term (int sig)
{
  /* svc_run() has no async-signal-safe way out and nothing needs flushing. */
  _exit (0);
}

int
main (int argc, char **argv)
{
  /* Optional: the send/receive buffer size (0, libtirpc's default, unless given): the
   * interop tests keep the default so that large replies arrive in several fragments;
   * the transport benchmark raises it for 64 KiB echoes. A second argument, a host-based
   * service name ("wbem@localhost"), turns on libtirpc's own RPCSEC_GSS server with that
   * acceptor name (Kerberos, from the keytab in KRB5_KTNAME). */
  unsigned bufsize = argc > 1 ? (unsigned) strtoul (argv[1], NULL, 10) : 0;

  if (argc > 2)
    {
      gss_buffer_desc nb = { strlen (argv[2]), argv[2] };
      gss_name_t name = GSS_C_NO_NAME;
      OM_uint32 minor;

      if (GSS_ERROR (gss_import_name (&minor, &nb, GSS_C_NT_HOSTBASED_SERVICE, &name))
          || !svcauth_gss_set_svc_name (name))
        {
          fprintf (stderr, "tirpc-testprog-server: cannot serve RPCSEC_GSS as %s\n", argv[2]);
          return 1;
        }
    }
  struct sockaddr_in sin;
  socklen_t sin_len = sizeof sin;
  struct sigaction sa;
  SVCXPRT *xprt;
  int fd;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  signal (SIGPIPE, SIG_IGN);

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0)
    {
      perror ("tirpc-testprog-server: socket");
      return 1;
    }
  memset (&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  sin.sin_port = 0;
  if (bind (fd, (struct sockaddr *) &sin, sizeof sin) < 0 || listen (fd, 128) < 0
      || getsockname (fd, (struct sockaddr *) &sin, &sin_len) < 0)
    {
      perror ("tirpc-testprog-server: bind/listen");
      return 1;
    }

  xprt = svc_vc_create (fd, bufsize, bufsize);
  if (xprt == NULL)
    {
      fprintf (stderr, "tirpc-testprog-server: svc_vc_create failed\n");
      return 1;
    }
  /* Protocol 0: register the dispatch function only, no rpcbind. */
  if (!svc_register (xprt, WSIM_TEST_PROG, WSIM_TEST_V1, testprog_1, 0))
    {
      fprintf (stderr, "tirpc-testprog-server: svc_register failed\n");
      return 1;
    }

  printf ("%u\n", (unsigned) ntohs (sin.sin_port));
  fflush (stdout);
  svc_run ();
  fprintf (stderr, "tirpc-testprog-server: svc_run returned\n");
  return 1;
}
