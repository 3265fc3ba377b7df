/* fuzz-reply.c: the client's reply path (rpc/wsim-rpc-client.c: the reply header, by hand or
 * by xdr_replymsg, the verifier, the status, then the results) on an arbitrary reply, in
 * process: no peer.
 *
 * Byte 0 picks the results' type (modulo the table below: every result of the service, sink
 * and unsecured apartment programs); the rest is one reply record, whose first four bytes
 * (the XID) are made those of the call the client has outstanding. The record is
 * record-marked and fed to the client's connection (wsim_conn_feed(): the record reader and
 * on_record(), what a socket's input runs). The client's callback must run exactly once,
 * with a reply or with an error; a reply is decoded as the chosen type.
 */
#include "fuzz-common.h"
#include "wsim-rpc-client-private.h"
#include "wsim-xdrbuf.h"
#include "wsim_service.h"
#include "wsim_sink.h"
#include "wsim_unsecapp.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct {
  xdrproc_t xres;
  gsize     size;
} results[] = {
  { WSIM_XDRPROC (xdr_void), 0 },
  { (xdrproc_t) xdr_wsim_open_namespace_res, sizeof (wsim_open_namespace_res) },
  { (xdrproc_t) xdr_wsim_async_res, sizeof (wsim_async_res) },
  { (xdrproc_t) xdr_wsim_query_calls_res, sizeof (wsim_query_calls_res) },
  { (xdrproc_t) xdr_wsim_sink_res, sizeof (wsim_sink_res) },
  { (xdrproc_t) xdr_wsim_create_stub_res, sizeof (wsim_create_stub_res) },
  { (xdrproc_t) xdr_wsim_unsecapp_res, sizeof (wsim_unsecapp_res) },
  { (xdrproc_t) xdr_wsim_listen_res, sizeof (wsim_listen_res) },
};

typedef struct {
  guint which;
  guint n_callbacks;
} FuzzCall;

static void
on_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  FuzzCall *fc = data;
  guint64 res[64];
  g_autoptr (GError) decode_error = NULL;

  fc->n_callbacks++;
  g_assert ((reply == NULL) != (error == NULL));
  if (reply == NULL)
    return;
  g_assert (results[fc->which].size <= sizeof res);
  memset (res, 0, sizeof res);
  if (wsim_rpc_reply_decode (reply, results[fc->which].xres, res, &decode_error))
    xdr_free (results[fc->which].xres, (char *) res);
  else
    g_assert (decode_error != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FuzzCall fc = { 0 };
  g_autoptr (GSocket) socket = NULL;
  g_autofree guint8 *stream = NULL;
  WsimRpcClient *client;
  guint32 xid, mark;
  gsize len;
  int fds[2];

  if (size < 1 || size - 1 > G_MAXINT32)
    return 0;
  fc.which = data[0] % G_N_ELEMENTS (results);
  len = size - 1;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
    abort ();
  socket = g_socket_new_from_fd (fds[0], NULL);
  g_assert (socket != NULL);
  client = wsim_rpc_client_new_for_socket (NULL, socket, 1, 1);
  xid = wsim_rpc_client_call (client, 1, WSIM_XDRPROC (xdr_void), NULL, 0, NULL, on_reply, &fc);

  stream = g_malloc (4 + len);
  mark = GUINT32_TO_BE (0x80000000u | (guint32) len);
  memcpy (stream, &mark, 4);
  memcpy (stream + 4, data + 1, len);
  if (len >= 4)
    {
      guint32 be = GUINT32_TO_BE (xid);

      memcpy (stream + 4, &be, 4);
    }
  wsim_conn_feed (wsim_rpc_client_get_conn (client), stream, 4 + len);
  /* A record too short to be a reply for the call leaves it outstanding: closing fails it. */
  wsim_rpc_client_close (client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fc.n_callbacks, ==, 1);
  wsim_rpc_client_unref (client);
  close (fds[1]);
  return 0;
}
