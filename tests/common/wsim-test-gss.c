/* wsim-test-gss.c: the RPCSEC_GSS suites' fixture (see the header). */
#include "wsim-test-gss.h"

#include "wsim-auth-gss.h"
#include "wsim-testprog-server.h"

static void
enable_gss (WsimRpcServer *server, gpointer data)
{
  wsim_rpc_server_set_accept_gss (server, TRUE);
}

gboolean
wsim_test_gss_start (WsimTestGss *fx, GError **error)
{
  /* The realm first: it points the environment at itself, and GSS-API reads it once. */
  if (!wsim_krb5_realm_start (&fx->realm, error))
    return FALSE;
  fx->srv = wsim_test_server_thread_start (enable_gss, NULL);
  fx->ctx = g_main_context_new ();
  return TRUE;
}

void
wsim_test_gss_stop (WsimTestGss *fx)
{
  g_clear_pointer (&fx->srv, wsim_test_server_thread_stop);
  if (fx->ctx != NULL)
    {
      while (g_main_context_iteration (fx->ctx, FALSE))
        ;
      g_clear_pointer (&fx->ctx, g_main_context_unref);
    }
  wsim_krb5_realm_stop (&fx->realm);
}

WsimRpcClient *
wsim_test_gss_connect (WsimTestGss *fx, GError **error)
{
  return wsim_rpc_client_connect (fx->ctx, wsim_test_server_thread_address (fx->srv),
                                  WSIM_TEST_PROG, WSIM_TEST_V1, error);
}

static void
count_contexts (WsimRpcServer *server, gpointer data)
{
  *(guint *) data = wsim_svc_auth_gss_get_n_contexts (server);
}

guint
wsim_test_gss_n_contexts (WsimTestGss *fx)
{
  guint n = 0;

  wsim_test_server_thread_call (fx->srv, count_contexts, &n);
  return n;
}

typedef struct {
  WsimTestGss *fx;
  guint        n;
} CountWait;

static gboolean
count_is (gpointer data)
{
  CountWait *w = data;

  return wsim_test_gss_n_contexts (w->fx) == w->n;
}

gboolean
wsim_test_gss_wait_n_contexts (WsimTestGss *fx, guint n, guint timeout_ms)
{
  CountWait w = { fx, n };

  return wsim_test_run_until (fx->ctx, count_is, &w, timeout_ms);
}

gboolean
wsim_test_gss_exchange (WsimGssContext *init, WsimGssContext *acc, GError **error)
{
  g_autoptr(GBytes) token = NULL;

  for (int leg = 0; leg < 8; leg++)
    {
      WsimGssContext *side = leg % 2 == 0 ? init : acc;
      GBytes *next = NULL;

      if (wsim_gss_context_is_established (init) && wsim_gss_context_is_established (acc))
        return TRUE;
      if (!wsim_gss_context_step (side, token, &next, error))
        {
          g_prefix_error (error, "leg %d: ", leg);
          return FALSE;
        }
      g_clear_pointer (&token, g_bytes_unref);
      token = next;
      if (token == NULL && wsim_gss_context_is_established (side))
        break;
    }
  if (wsim_gss_context_is_established (init) && wsim_gss_context_is_established (acc))
    return TRUE;
  g_set_error (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_NOT_READY, "the %s is not established",
               wsim_gss_context_is_established (init) ? "acceptor" : "initiator");
  return FALSE;
}
