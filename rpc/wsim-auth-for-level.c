/* wsim-auth-for-level.c: which client flavor gives an authentication level on the wire
 * (see wsim-auth-for-level.h). Not a flavor: it picks and combines them, so that no flavor
 * has to make another (CONNECT is an RPCSEC_GSS proof followed by AUTH_NONE calls). */
#include "wsim-auth-for-level.h"

#include "wsim-authn-level.h"

/* CONNECT: the proof, once made, is dropped (the server keeps who connected with the
 * connection) and calls go as AUTH_NONE. */
typedef struct {
  WsimAuthReadyFunc done;
  gpointer          user_data;
} Connect;

static void
on_connect_proof (WsimAuth *proof, const GError *error, gpointer data)
{
  Connect *c = data;

  c->done (proof != NULL ? wsim_auth_none_new () : NULL, error, c->user_data);
  wsim_auth_unref (proof);
  g_free (c);
}

void
wsim_auth_for_level_async (WsimRpcClient *client, guint32 level, const WsimGssMech *mech,
                           const char *target, const WsimGssInitiatorOptions *opts,
                           WsimAuthReadyFunc done, gpointer user_data)
{
  WsimGssService svc;
  Connect *c;

  switch (wsim_authn_level_on_stream ((WsimAuthnLevel) level))
    {
    case RPC_C_AUTHN_LEVEL_NONE:
      wsim_auth_ready_later (wsim_rpc_client_get_context (client), wsim_auth_none_new (), NULL,
                             done, user_data);
      return;
    case RPC_C_AUTHN_LEVEL_CONNECT:
      c = g_new (Connect, 1);
      c->done = done;
      c->user_data = user_data;
      wsim_auth_gss_establish_async (client, mech, target, opts, WSIM_GSS_SVC_NONE,
                                     on_connect_proof, c);
      return;
    case RPC_C_AUTHN_LEVEL_PKT:
      svc = WSIM_GSS_SVC_NONE;
      break;
    case RPC_C_AUTHN_LEVEL_PKT_INTEGRITY:
      svc = WSIM_GSS_SVC_INTEGRITY;
      break;
    case RPC_C_AUTHN_LEVEL_PKT_PRIVACY:
      svc = WSIM_GSS_SVC_PRIVACY;
      break;
    default:
      wsim_auth_ready_later (wsim_rpc_client_get_context (client), NULL,
                             g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                          "authentication level %u has no fixed wire form (DEFAULT is negotiated)",
                                          level),
                             done, user_data);
      return;
    }
  wsim_auth_gss_establish_async (client, mech, target, opts, svc, done, user_data);
}

WsimAuth *
wsim_auth_for_level (WsimRpcClient *client, guint32 level, const WsimGssMech *mech,
                     const char *target, const char *user, GError **error)
{
  WsimGssInitiatorOptions opts = { .user = user };
  WsimAuthWait w = { 0 };

  wsim_auth_for_level_async (client, level, mech, target, &opts, wsim_auth_wait_ready, &w);
  return wsim_auth_wait (wsim_rpc_client_get_context (client), &w, error);
}
