/* wsim-testprog-server.c: handlers of the test program on our engine. DELAY replies from
 * a timer, which is how tests get calls that stay in progress. */
#include "wsim-testprog-server.h"

#include <string.h>

#include "wsim-xdrbuf.h"

static void
h_echo (WsimRpcRequest *req, void *args, gpointer data)
{
  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_wsim_test_blob), args);
}

static void
h_add (WsimRpcRequest *req, void *args, gpointer data)
{
  const wsim_test_pair *p = args;
  int sum = (int) ((unsigned) p->a + (unsigned) p->b);

  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_int), &sum);
}

typedef struct {
  WsimRpcRequest *req;
  guint           ms;
  GSource        *source;   /* (unowned) */
} Delay;

/* DELAY timers not fired yet, so a server thread that stops can drop them: each holds a
 * request, which holds its connection, which holds the context the timer is attached to
 * — a cycle that only the timer firing would break. */
static GMutex pending_lock;
static GPtrArray *pending;   /* Delay*, guarded by @pending_lock */

static gboolean
delay_fire (gpointer data)
{
  Delay *d = data;

  wsim_rpc_request_reply (d->req, WSIM_XDRPROC (xdr_u_int), &d->ms);
  return G_SOURCE_REMOVE;
}

static void
delay_free (gpointer data)
{
  Delay *d = data;

  g_mutex_lock (&pending_lock);
  g_ptr_array_remove_fast (pending, d);
  g_mutex_unlock (&pending_lock);
  wsim_rpc_request_unref (d->req);
  g_free (d);
}

void
wsim_testprog_cancel_pending (GMainContext *context)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);

  g_mutex_lock (&pending_lock);
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      Delay *d = pending->pdata[i];

      if (g_source_get_context (d->source) == context)
        g_ptr_array_add (mine, g_source_ref (d->source));
    }
  g_mutex_unlock (&pending_lock);
  for (guint i = 0; i < mine->len; i++)
    g_source_destroy (mine->pdata[i]);
}

static void
h_delay (WsimRpcRequest *req, void *args, gpointer data)
{
  Delay *d = g_new0 (Delay, 1);
  GSource *t;

  d->req = wsim_rpc_request_ref (req);
  d->ms = *(const unsigned int *) args;
  t = g_timeout_source_new (d->ms);
  d->source = t;
  g_source_set_callback (t, delay_fire, d, delay_free);
  g_mutex_lock (&pending_lock);
  if (pending == NULL)
    pending = g_ptr_array_new ();
  g_ptr_array_add (pending, d);
  g_mutex_unlock (&pending_lock);
  g_source_attach (t, wsim_rpc_request_get_context (req));
  g_source_unref (t);
}

static void
h_forget (WsimRpcRequest *req, void *args, gpointer data)
{
  /* Deliberately no reply: the engine must answer SYSTEM_ERR by itself. */
}

static void
h_squares (WsimRpcRequest *req, void *args, gpointer data)
{
  guint n = MIN (*(const unsigned int *) args, WSIM_TEST_MAX_SQUARES);
  g_autofree int *v = g_new (int, MAX (n, 1));
  wsim_test_ints res = { .wsim_test_ints_len = n, .wsim_test_ints_val = v };

  for (guint i = 0; i < n; i++)
    v[i] = (int) (i * i);
  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_wsim_test_ints), &res);
}

static void
h_whoami (WsimRpcRequest *req, void *args, gpointer data)
{
  const WsimRpcIdentity *id = wsim_rpc_request_get_identity (req);
  wsim_test_name name = (char *) (id->principal != NULL ? id->principal : "");

  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_wsim_test_name), &name);
}

static void
h_level (WsimRpcRequest *req, void *args, gpointer data)
{
  unsigned int level = wsim_rpc_request_get_identity (req)->level;

  wsim_rpc_request_reply (req, WSIM_XDRPROC (xdr_u_int), &level);
}

static const WsimRpcProcedure testprog_procs[] = {
  { WSIM_TEST_ECHO, "ECHO", WSIM_XDRPROC (xdr_wsim_test_blob), sizeof (wsim_test_blob), h_echo },
  { WSIM_TEST_ADD, "ADD", WSIM_XDRPROC (xdr_wsim_test_pair), sizeof (wsim_test_pair), h_add },
  { WSIM_TEST_DELAY, "DELAY", WSIM_XDRPROC (xdr_u_int), sizeof (unsigned int), h_delay },
  { WSIM_TEST_FORGET, "FORGET", WSIM_XDRPROC (xdr_void), 0, h_forget },
  { WSIM_TEST_SQUARES, "SQUARES", WSIM_XDRPROC (xdr_u_int), sizeof (unsigned int), h_squares },
  { WSIM_TEST_WHOAMI, "WHOAMI", WSIM_XDRPROC (xdr_void), 0, h_whoami },
  { WSIM_TEST_LEVEL, "LEVEL", WSIM_XDRPROC (xdr_void), 0, h_level },
};

const WsimRpcProgram wsim_testprog_v1 = {
  .prog = WSIM_TEST_PROG,
  .vers = WSIM_TEST_V1,
  .name = "wsim-testprog",
  .procs = testprog_procs,
  .n_procs = G_N_ELEMENTS (testprog_procs),
};
