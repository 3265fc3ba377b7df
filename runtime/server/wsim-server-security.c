/* wsim-server-security.c: what the server asks of its callers (see WsimServerSecurity in
 * wsim-server.h): the settings, the check every request passes, and NEGOTIATE_SECURITY.
 */
#include "wsim-server-private.h"

#include "wsim-auth-gss.h"

void
wsim_server_get_security (WsimServer *server, WsimServerSecurity *out)
{
  *out = server->security;
}

gboolean
wsim_server_set_security (WsimServer *server, const WsimServerSecurity *security, GError **error)
{
  if ((guint) security->default_level > RPC_C_AUTHN_LEVEL_PKT_PRIVACY
      || (guint) security->min_level > RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "a server security level is not an RPC_C_AUTHN_LEVEL_* value (0-6)");
      return FALSE;
    }
  server->security = *security;
  return TRUE;
}

/* The level DEFAULT negotiates to: the configured one, never below CONNECT (COM never
 * picks NONE for DEFAULT), and never below what the server would then refuse. */
static WsimAuthnLevel
negotiated_level (const WsimServerSecurity *sec)
{
  WsimAuthnLevel level = wsim_authn_level_on_stream (sec->default_level);

  level = MAX (level, RPC_C_AUTHN_LEVEL_CONNECT);
  level = MAX (level, wsim_authn_level_on_stream (sec->min_level));
  if (sec->hardening)
    level = MAX (level, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  return level;
}

void
wsim_server_request_auth (WsimRpcRequest *req, WsimTraceAuth *out)
{
  const WsimRpcIdentity *id = wsim_rpc_request_get_identity (req);

  out->level = id->level;
  out->mech = id->mech;
  out->principal = id->principal;
}

/* Traces and reports a refusal of @req; always FALSE. */
static gboolean G_GNUC_PRINTF (6, 7)
refuse (WsimServer *server, WsimRpcRequest *req, guint64 call_id, WsimHResult hr, GError **error,
        const char *format, ...)
{
  g_autofree char *why = NULL;
  WsimTraceAuth who;
  va_list ap;

  va_start (ap, format);
  why = g_strdup_vprintf (format, ap);
  va_end (ap);
  wsim_server_request_auth (req, &who);
  wsim_trace_add_auth (server->trace, WSIM_TRACE_REFUSED, call_id, hr, 0, &who, "%s", why);
  wsim_set_error_hresult (error, hr, "%s", why);
  return FALSE;
}

gboolean
wsim_server_check_caller (WsimServer *server, WsimRpcRequest *req, guint64 call_id,
                          const char *what, GError **error)
{
  const WsimServerSecurity *sec = &server->security;
  guint32 level = wsim_rpc_request_get_identity (req)->level;

  if (sec->hardening && level < RPC_C_AUTHN_LEVEL_PKT_INTEGRITY)
    return refuse (server, req, call_id, E_ACCESSDENIED, error,
                   "%s at %s refused: the server is hardened (PKT_INTEGRITY or above)", what,
                   wsim_authn_level_name (level));
  if (level < (guint32) wsim_authn_level_on_stream (sec->min_level))
    return refuse (server, req, call_id, WBEM_E_ACCESS_DENIED, error,
                   "%s at %s refused: the server's minimum is %s", what,
                   wsim_authn_level_name (level), wsim_authn_level_name (sec->min_level));
  return TRUE;
}

gboolean
wsim_server_check_namespace (WsimServer *server, WsimRpcRequest *req, const char *ns,
                             guint64 call_id, const char *what, GError **error)
{
  guint32 level = wsim_rpc_request_get_identity (req)->level;

  if (level < RPC_C_AUTHN_LEVEL_PKT_PRIVACY && wsim_repository_get_requires_encryption (server->repo, ns))
    return refuse (server, req, call_id, WBEM_E_ENCRYPTED_CONNECTION_REQUIRED, error,
                   "%s at %s refused: namespace %s requires encryption (PKT_PRIVACY)", what,
                   wsim_authn_level_name (level), ns);
  return TRUE;
}

void
wsim_server_handle_negotiate (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  wsim_security_info res = {
    .default_level = negotiated_level (&server->security),
    .min_level = server->security.min_level,
    .flags = server->security.hardening ? WSIM_SECURITY_HARDENED : 0,
  };

  wsim_rpc_request_reply (req, (xdrproc_t) xdr_wsim_security_info, &res);
}

guint
wsim_server_get_n_security_contexts (WsimServer *server)
{
  return wsim_svc_auth_gss_get_n_contexts (server->rpc);
}

void
wsim_server_forget_security_contexts (WsimServer *server)
{
  wsim_svc_auth_gss_forget_contexts (server->rpc);
}

void
wsim_server_security_init (WsimServer *server)
{
  server->security = (WsimServerSecurity) {
    .default_level = RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
    .min_level = RPC_C_AUTHN_LEVEL_NONE,
    .hardening = FALSE,
  };
  wsim_rpc_server_set_accept_gss (server->rpc, TRUE);
}
