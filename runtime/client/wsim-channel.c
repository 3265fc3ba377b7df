/* wsim-channel.c: an authenticated connection to the service program (see wsim-channel.h). */
#include "wsim-channel.h"

#include <string.h>

#include "wsim-address.h"
#include "wsim-auth-for-level.h"
#include "wsim-auth-gss.h"
#include "wsim-hresult.h"
#include "wsim-local-account.h"
#include "wsim-rpc-error.h"
#include "wsim_service.h"

/* How long releasing a channel waits for the server to confirm a DESTROY. */
#define DESTROY_TIMEOUT_MS 1000

struct _WsimChannel {
  GMainContext      *context;   /* (owned) */
  GSocketAddress    *address;   /* (owned) */
  WsimBlanket        blanket;   /* (owned) */
  const WsimGssMech *mech;
  char              *target;    /* (owned) "wbem@HOST" */
  char              *user;      /* (owned) (nullable) the initiator's name for @mech */
  WsimRpcClient     *rpc;       /* (owned) (nullable) NULL until connected */
  WsimAuth          *auth;      /* (owned) (nullable) the flavor on @rpc */
  WsimAuthnLevel     level;     /* resolved at the first connect */
};

/* Kerberos names the server by host: a loopback address is "localhost" (the name its
 * service key is under), anything else its address text unless the blanket names it. */
static char *
target_for (const WsimBlanket *b, GSocketAddress *address)
{
  if (b->server_principal != NULL)
    return g_strdup_printf ("wbem@%s", b->server_principal);
  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetAddress *ip = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      g_autofree char *text = g_inet_address_to_string (ip);

      if (!g_inet_address_get_is_loopback (ip))
        return g_strdup_printf ("wbem@%s", text);
    }
  return g_strdup ("wbem@localhost");
}

/* NTLMSSP takes "DOMAIN\user"; a blanket may give the domain apart (ntlmdomain:DOM). */
static char *
user_for (const WsimBlanket *b, const WsimGssMech *mech)
{
  if (b->user == NULL)
    return NULL;
  if (mech == wsim_gss_mech_ntlmssp () && b->domain != NULL && strchr (b->user, '\\') == NULL
      && strchr (b->user, '@') == NULL)
    return g_strdup_printf ("%s\\%s", b->domain, b->user);
  return g_strdup (b->user);
}

static gboolean
sync_call_version (WsimChannel *ch, guint32 vers, guint32 proc, xdrproc_t xargs,
                   const void *args, xdrproc_t xres, void *res, GError **error)
{
  gboolean ok;

  g_main_context_push_thread_default (ch->context);
  /* Every call but one with a context (WSIM_SERVICE_V2) goes as V1, which every server has. */
  wsim_rpc_client_set_version (ch->rpc, vers);
  ok = wsim_rpc_client_call_sync (ch->rpc, proc, xargs, args, xres, res, -1, NULL, error);
  wsim_rpc_client_set_version (ch->rpc, WSIM_SERVICE_V1);
  g_main_context_pop_thread_default (ch->context);
  return ok;
}

static gboolean
sync_call (WsimChannel *ch, guint32 proc, xdrproc_t xargs, const void *args, xdrproc_t xres,
           void *res, GError **error)
{
  return sync_call_version (ch, WSIM_SERVICE_V1, proc, xargs, args, xres, res, error);
}

/* DEFAULT becomes what the server says (asked unauthenticated, as a bind would). */
static gboolean
resolve_level (WsimChannel *ch, GError **error)
{
  wsim_security_info info = { 0 };

  if (ch->blanket.authn_level != RPC_C_AUTHN_LEVEL_DEFAULT)
    {
      ch->level = wsim_authn_level_on_stream (ch->blanket.authn_level);
      return TRUE;
    }
  if (!sync_call (ch, WSIM_NEGOTIATE_SECURITY, WSIM_XDRPROC (xdr_void), NULL,
                  WSIM_XDRPROC (xdr_wsim_security_info), &info, error))
    return FALSE;
  /* Never NONE, whatever the server says. */
  ch->level = MAX (wsim_authn_level_on_stream ((WsimAuthnLevel) MIN (info.default_level,
                                                                     RPC_C_AUTHN_LEVEL_PKT_PRIVACY)),
                   RPC_C_AUTHN_LEVEL_CONNECT);
  return TRUE;
}

/* Sets up the flavor for ch->level on the current connection. */
static gboolean
authenticate (WsimChannel *ch, GError **error)
{
  g_autoptr(GError) local = NULL;
  WsimAuth *auth;

  g_main_context_push_thread_default (ch->context);
  auth = wsim_auth_for_level (ch->rpc, ch->level, ch->mech, ch->target, ch->user, &local);
  g_main_context_pop_thread_default (ch->context);
  if (auth == NULL && local->domain == G_IO_ERROR)
    {
      /* The exchange did not complete (timeout, lost connection): not a refusal. */
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (auth == NULL && wsim_hresult_from_error (local) == WBEM_E_TRANSPORT_FAILURE)
    {
      /* The engine could not carry the exchange: the peer answered something that is not
       * ONC RPC (a record that does not decode, or one larger than any reply), or not our
       * program. Nobody refused anything, so it is not access denied. */
      wsim_set_error_hresult (error, WBEM_E_TRANSPORT_FAILURE,
                              "no security exchange at %s with %s: %s",
                              wsim_authn_level_word (ch->level), wsim_gss_mech_get_name (ch->mech),
                              local->message);
      return FALSE;
    }
  if (auth == NULL)
    {
      /* The mechanism or the server refused (an auth_stat, a GSS failure): what
       * ConnectServer answers when the security exchange fails. */
      wsim_set_error_hresult (error, E_ACCESSDENIED, "cannot authenticate at %s with %s: %s",
                              wsim_authn_level_word (ch->level), wsim_gss_mech_get_name (ch->mech),
                              local->message);
      return FALSE;
    }
  g_clear_pointer (&ch->auth, wsim_auth_unref);
  ch->auth = auth;
  wsim_rpc_client_set_auth (ch->rpc, auth);
  return TRUE;
}

/* Drops the connection and its flavor: the next call connects and authenticates anew. A
 * connection whose authentication failed must never stay usable, or its next call would go
 * out as the AUTH_NONE a fresh connection starts with. */
static void
disconnect (WsimChannel *ch)
{
  g_clear_pointer (&ch->auth, wsim_auth_unref);
  g_clear_pointer (&ch->rpc, wsim_rpc_client_unref);
}

static gboolean
connect_channel (WsimChannel *ch, GError **error)
{
  disconnect (ch);
  ch->rpc = wsim_rpc_client_connect (ch->context, ch->address, WSIM_SERVICE_PROG,
                                     WSIM_SERVICE_V1, error);
  if (ch->rpc != NULL && (ch->level != RPC_C_AUTHN_LEVEL_DEFAULT || resolve_level (ch, error))
      && authenticate (ch, error))
    return TRUE;
  disconnect (ch);
  return FALSE;
}

WsimChannel *
wsim_channel_open (GMainContext *context, GSocketAddress *address, const WsimBlanket *blanket,
                   GError **error)
{
  g_autoptr(WsimChannel) ch = NULL;

  if (!wsim_blanket_check (blanket, error))
    return NULL;
  ch = g_new0 (WsimChannel, 1);
  ch->context = g_main_context_ref (context);
  ch->address = g_object_ref (address);
  wsim_blanket_copy (&ch->blanket, blanket);
  ch->mech = blanket->authn_svc == RPC_C_AUTHN_GSS_KERBEROS ? wsim_gss_mech_kerberos ()
                                                           : wsim_gss_mech_ntlmssp ();
  ch->target = target_for (blanket, address);
  ch->user = user_for (blanket, ch->mech);
  ch->level = RPC_C_AUTHN_LEVEL_DEFAULT;
  if (!connect_channel (ch, error))
    return NULL;
  return g_steal_pointer (&ch);
}

static gboolean
context_lost (const GError *error)
{
  return g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CREDPROBLEM)
         || g_error_matches (error, WSIM_RPC_ERROR, WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM);
}

gboolean
wsim_channel_call (WsimChannel *ch, guint32 proc, xdrproc_t xargs, const void *args,
                   xdrproc_t xres, void *res, GError **error)
{
  return wsim_channel_call_version (ch, WSIM_SERVICE_V1, proc, xargs, args, xres, res, error);
}

gboolean
wsim_channel_call_version (WsimChannel *ch, guint32 vers, guint32 proc, xdrproc_t xargs,
                           const void *args, xdrproc_t xres, void *res, GError **error)
{
  g_autoptr(GError) local = NULL;

  /* Namespace handles belong to the server, not to the connection: a reaped connection is
   * simply made again. */
  if ((ch->rpc == NULL || ch->auth == NULL || !wsim_rpc_client_is_connected (ch->rpc))
      && !connect_channel (ch, error))
    return FALSE;
  if (sync_call_version (ch, vers, proc, xargs, args, xres, res, &local))
    return TRUE;
  if (!context_lost (local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* The server refused the call before running it: a new context, and once more. */
  if (!authenticate (ch, error))
    {
      disconnect (ch);
      return FALSE;
    }
  return sync_call_version (ch, vers, proc, xargs, args, xres, res, error);
}

void
wsim_channel_free (WsimChannel *ch)
{
  if (ch == NULL)
    return;
  /* Tell the server it can let the context go now, not when the connection closes. */
  if (ch->rpc != NULL && wsim_rpc_client_is_connected (ch->rpc))
    {
      g_main_context_push_thread_default (ch->context);
      wsim_auth_gss_destroy (ch->rpc, ch->auth, DESTROY_TIMEOUT_MS, NULL);
      g_main_context_pop_thread_default (ch->context);
    }
  g_clear_pointer (&ch->auth, wsim_auth_unref);
  g_clear_pointer (&ch->rpc, wsim_rpc_client_unref);
  while (g_main_context_iteration (ch->context, FALSE))
    ;
  g_main_context_unref (ch->context);
  g_object_unref (ch->address);
  wsim_blanket_clear (&ch->blanket);
  g_free (ch->target);
  g_free (ch->user);
  g_free (ch);
}

WsimAuthnLevel
wsim_channel_get_level (WsimChannel *ch)
{
  return ch->level;
}

const WsimBlanket *
wsim_channel_get_blanket (WsimChannel *ch)
{
  return &ch->blanket;
}

const char *
wsim_channel_get_mech_name (WsimChannel *ch)
{
  return wsim_gss_mech_get_name (ch->mech);
}

const char *
wsim_channel_get_server_principal (WsimChannel *ch)
{
  if (ch->level == RPC_C_AUTHN_LEVEL_NONE)
    return NULL;
  if (ch->mech == wsim_gss_mech_kerberos ())
    return ch->target;
  return ch->user != NULL ? ch->user : wsim_local_account_get_name ();
}

GSocketAddress *
wsim_channel_get_local_address (WsimChannel *ch, GError **error)
{
  if (ch->rpc == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "the channel is not connected");
      return NULL;
    }
  return wsim_rpc_client_get_local_address (ch->rpc, error);
}

GSocketAddress *
wsim_channel_get_address (WsimChannel *ch)
{
  return ch->address;
}

typedef struct {
  WsimRpcClient         *rpc;    /* (owned) (nullable) */
  GError                *error;  /* (owned) (nullable) a failure known at once */
  char                  *where;  /* (owned) the server, for messages */
  WsimChannelConnectFunc done;
  gpointer               data;
} ConnectAsync;

static void
connect_async_free (ConnectAsync *c)
{
  g_clear_pointer (&c->rpc, wsim_rpc_client_unref);
  g_clear_error (&c->error);
  g_free (c->where);
  g_free (c);
}

static void
on_connect_auth (WsimAuth *auth, const GError *error, gpointer data)
{
  ConnectAsync *c = data;

  if (auth != NULL)
    {
      wsim_rpc_client_set_auth (c->rpc, auth);
      wsim_auth_unref (auth);
      c->done (g_steal_pointer (&c->rpc), NULL, c->data);
    }
  else
    {
      /* Say which server could not be reached, as a synchronous connect does. */
      g_autoptr(GError) named = g_error_copy (error);

      g_prefix_error (&named, "%s: ", c->where);
      c->done (NULL, named, c->data);
    }
  connect_async_free (c);
}

static gboolean
on_connect_failed_at_once (gpointer data)
{
  ConnectAsync *c = data;

  c->done (NULL, c->error, c->data);
  connect_async_free (c);
  return G_SOURCE_REMOVE;
}

void
wsim_channel_connect_async (WsimChannel *ch, GMainContext *context, guint timeout_ms,
                            WsimChannelConnectFunc done, gpointer user_data)
{
  ConnectAsync *c = g_new0 (ConnectAsync, 1);
  WsimGssInitiatorOptions opts = { .user = ch->user };

  c->done = done;
  c->data = user_data;
  c->where = wsim_address_to_string (ch->address);
  c->rpc = wsim_rpc_client_new_for_address (context, ch->address, WSIM_SERVICE_PROG, WSIM_SERVICE_V1,
                                            &c->error);
  if (c->rpc == NULL)
    {
      /* No socket could be made (out of descriptors): the failure, from the loop. */
      GSource *s = g_idle_source_new ();

      g_source_set_callback (s, on_connect_failed_at_once, c, NULL);
      g_source_attach (s, context);
      g_source_unref (s);
      return;
    }
  wsim_rpc_client_set_default_timeout (c->rpc, timeout_ms);
  wsim_auth_for_level_async (c->rpc, ch->level, ch->mech, ch->target, &opts, on_connect_auth, c);
}
