/* wsim-server-callback.c: connections to sink hosts, and the fallback ladder that picks the
 * level a call's callbacks travel at.
 *
 * WMI tries a call's first callback at PKT_PRIVACY and lowers the level until the sink host
 * takes it, down to NONE if need be; the level that worked is kept for the rest of the
 * call. Within the local system, when the call's authentication service is not Kerberos,
 * callbacks go at NONE at once. A namespace that requires encryption never goes below
 * PKT_PRIVACY. Here each rung is: a connection to the sink host at that level (a security
 * context of the call's own mechanism, established without blocking the server's loop),
 * then the sink program's QUERY for the call; an error in either is that rung's refusal.
 * Every attempt is a WSIM_TRACE_CALLBACK event.
 *
 * The server calls back as itself: with Kerberos as the principal the caller's ticket was
 * for, its key taken from the server's keytab; with NTLMSSP as the configured callback
 * user (or the default credentials). It calls back TO the caller's principal.
 *
 * Connections are shared: one per (endpoint, level, mechanism, identity, target), made on
 * first use; one being established collects the ladders waiting for it. A connection that
 * failed, or closed, is dropped, so the next call tries afresh. The table holds the
 * connections of live calls (and of ladders running) plus a bounded set of idle ones, kept
 * for the next call to the same sink host: at most WSIM_SERVER_CALLBACK_IDLE_MAX, each for
 * WSIM_SERVER_CALLBACK_IDLE_MS (callbacks_sweep(); every client's sink host has a port of its
 * own, so without the bound the table grew with every client ever served).
 *
 * Threading: the server's thread.
 */
#include "wsim-server-private.h"

#include <string.h>

#include "wsim-address.h"
#include "wsim-auth-for-level.h"
#include "wsim-auth-gss.h"
#include "wsim-local-account.h"
#include "wsim-wbem.h"

typedef struct _Ladder Ladder;

typedef enum {
  CONN_ESTABLISHING,
  CONN_READY,
  CONN_FAILED,
} ConnState;

/* One connection to a sink host at one level. */
typedef struct Conn_ {
  grefcount      ref_count;  /* server thread only */
  WsimServer    *server;     /* (unowned) (nullable) NULL once out of the server's table */
  char          *key;        /* (owned) its key in server->callbacks */
  WsimRpcClient *rpc;        /* (owned) */
  ConnState      state;
  char          *error;      /* (owned) (nullable) why it failed */
  WsimHResult    error_hr;   /* E_ACCESSDENIED, or the transport's failure when the host was
                              * not reached */
  gboolean       unreachable; /* it failed because the host could not be reached */
  GPtrArray     *waiters;    /* (owned) Ladder* (owned refs) waiting for the outcome */
  guint          n_queries;  /* ladders' QUERY calls awaiting their reply on it */
  gint64         idle_since; /* monotonic µs a sweep first found it unused; 0: in use */
} Conn;

struct _Ladder {
  grefcount       ref_count;
  WsimServer     *server;     /* (unowned) */
  struct Conn_   *querying;   /* (owned) (nullable) the Conn its QUERY is on, while it is */
  char           *endpoint;   /* (owned) */
  guint64         sink_id;
  guint64         call_id;
  char           *principal;  /* (owned) (nullable) the caller: whom we call back */
  char           *acceptor;   /* (owned) (nullable) whom the caller authenticated to */
  const char     *mech_name;  /* (nullable) static */
  guint32         levels[5];
  guint           n_levels;
  guint           rung;       /* index into levels of the attempt running */
  char           *last_why;   /* (owned) (nullable) the last refusal's detail */
  gboolean        denied;     /* a rung was refused, not merely unreachable */
  WsimLadderDone  done;
  gpointer        data;
  GDestroyNotify  destroy;
  gboolean        finished;
};

static void ladder_try (Ladder *l);
static void callbacks_sweep (WsimServer *server);
static void callbacks_arm_sweep (WsimServer *server);

/* ---- policy --------------------------------------------------------------------- */

void
wsim_server_get_callback_policy (WsimServer *server, WsimCallbackPolicy *out)
{
  *out = server->callback_policy;
}

gboolean
wsim_server_set_callback_policy (WsimServer *server, const WsimCallbackPolicy *policy,
                                 GError **error)
{
  if (policy->start < RPC_C_AUTHN_LEVEL_NONE || policy->start > RPC_C_AUTHN_LEVEL_PKT_PRIVACY
      || policy->floor < RPC_C_AUTHN_LEVEL_NONE || policy->floor > policy->start)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "a callback ladder runs from a start level down to a floor, both "
                           "RPC_C_AUTHN_LEVEL_NONE (1) to _PKT_PRIVACY (6), floor <= start");
      return FALSE;
    }
  server->callback_policy = *policy;
  return TRUE;
}

void
wsim_server_set_callback_identity (WsimServer *server, const char *user, const char *keytab)
{
  g_free (server->callback_user);
  g_free (server->callback_keytab);
  server->callback_user = g_strdup (user);
  server->callback_keytab = g_strdup (keytab);
}

/* Is the sink host on this machine, and the caller too? Windows' shortcut is for a local
 * client; both ends are judged from what the server really sees (wsim_address_is_this_host():
 * a Unix socket, or an address of this host), so a request from another host that names a
 * sink here, or the other way round, gets the whole ladder. */
gboolean
wsim_server_callback_is_local (const char *endpoint, GSocketAddress *caller)
{
  g_autoptr(GSocketAddress) addr = wsim_address_parse (endpoint, NULL);

  return addr != NULL && caller != NULL && wsim_address_is_this_host (addr)
         && wsim_address_is_this_host (caller);
}

/* The rungs for a call, highest first. CALL is left out: on TCP it is PKT. */
static guint
ladder_levels (WsimServer *server, const WsimLadderSpec *spec, guint32 *levels)
{
  const WsimCallbackPolicy *p = &server->callback_policy;
  static const guint32 all[] = {
    RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_PKT,
    RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_LEVEL_NONE,
  };
  guint n = 0;

  if (wsim_repository_get_requires_encryption (server->repo, spec->ns))
    {
      levels[0] = RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
      return 1;
    }
  if (p->local_none && g_strcmp0 (spec->mech, "kerberos") != 0 && spec->local)
    {
      levels[0] = RPC_C_AUTHN_LEVEL_NONE;
      return 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (all[i] <= (guint32) wsim_authn_level_on_stream (p->start)
        && all[i] >= (guint32) wsim_authn_level_on_stream (p->floor))
      levels[n++] = all[i];
  return n;
}

/* ---- connections ---------------------------------------------------------------- */

static Conn *
conn_ref (Conn *c)
{
  g_ref_count_inc (&c->ref_count);
  return c;
}

static void
conn_unref (Conn *c)
{
  if (c == NULL || !g_ref_count_dec (&c->ref_count))
    return;
  g_ptr_array_unref (c->waiters);
  wsim_rpc_client_unref (c->rpc);
  g_free (c->error);
  g_free (c->key);
  g_free (c);
}

/* Out of the server's table (shut down, failed, or replaced): closing fails what is in
 * flight now, while the server still exists. */
static void
conn_drop (gpointer data)
{
  Conn *c = data;

  c->server = NULL;
  wsim_rpc_client_set_closed_func (c->rpc, NULL, NULL, NULL);
  wsim_rpc_client_close (c->rpc);
  conn_unref (c);
}

/* The sink host ended the connection (its process died, or the link to it was reset): every
 * call that calls back on it ends now, with its provider stopped, instead of when it next
 * has something to send. Called only while @data, the Conn, is in the server's table. */
static void
on_conn_closed (WsimRpcClient *client, const GError *error, gpointer data)
{
  Conn *c = data;
  WsimServer *server = c->server;
  g_autofree char *why = g_strdup_printf ("the sink host's connection closed: %s", error->message);

  g_hash_table_remove (server->callbacks, c->key);   /* the next call connects afresh */
  wsim_server_sink_lost (server, client, why);
}

static Ladder *
ladder_ref (Ladder *l)
{
  g_ref_count_inc (&l->ref_count);
  return l;
}

static void
ladder_unref (Ladder *l)
{
  if (l == NULL || !g_ref_count_dec (&l->ref_count))
    return;
  if (l->destroy != NULL)
    l->destroy (l->data);
  g_free (l->endpoint);
  g_free (l->principal);
  g_free (l->acceptor);
  g_free (l->last_why);
  if (l->querying != NULL)
    {
      l->querying->n_queries--;
      conn_unref (l->querying);
    }
  g_free (l);
}

/* Whom the server calls back as, for the trace. */
static const char *
ladder_self (Ladder *l, guint32 level)
{
  if (level < RPC_C_AUTHN_LEVEL_CONNECT)
    return NULL;
  if (g_strcmp0 (l->mech_name, "kerberos") == 0 && l->acceptor != NULL)
    return l->acceptor;
  /* NTLMSSP's default credentials are the embedded mode's local account, when there is one. */
  return l->server->callback_user != NULL ? l->server->callback_user : wsim_local_account_get_name ();
}

static void
ladder_attempt_traced (Ladder *l, guint32 level, WsimHResult hr, const char *detail)
{
  WsimTraceAuth as = {
    .level = level,
    .mech = level >= RPC_C_AUTHN_LEVEL_CONNECT ? l->mech_name : NULL,
    .principal = ladder_self (l, level),
  };

  wsim_trace_add_auth (l->server->trace, WSIM_TRACE_CALLBACK, l->call_id, hr, l->rung + 1, &as,
                       "%s", detail);
  if (hr != WBEM_S_NO_ERROR)
    {
      g_free (l->last_why);
      l->last_why = g_strdup_printf ("%s: %s", wsim_authn_level_word ((WsimAuthnLevel) level), detail);
    }
}

static void
ladder_finish (Ladder *l, WsimRpcClient *client, WsimHResult hr, const char *why)
{
  if (l->finished)
    return;
  l->finished = TRUE;
  l->done (client, client != NULL ? l->levels[l->rung] : RPC_C_AUTHN_LEVEL_NONE, hr, why, l->data);
}

/* This rung failed: trace it and try the next one. A sink host that could not be reached at
 * all (refused, unreachable, silent) is not reached at a lower level either: the ladder
 * stops there, instead of waiting out every rung's timeout behind a firewall. */
static void
ladder_refused (Ladder *l, WsimHResult hr, gboolean unreachable, const char *detail)
{
  ladder_attempt_traced (l, l->levels[l->rung], hr, detail);
  l->denied |= !unreachable;
  l->rung = unreachable ? l->n_levels : l->rung + 1;
  ladder_try (l);
}

static void
on_query_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  Ladder *l = data;
  wsim_sink_res res = { 0 };
  g_autoptr(GError) decode_error = NULL;

  if (l->querying != NULL)
    {
      l->querying->n_queries--;
      g_clear_pointer (&l->querying, conn_unref);
    }
  if (l->finished)
    ;
  else if (error != NULL || !wsim_rpc_reply_decode (reply, (xdrproc_t) xdr_wsim_sink_res, &res, &decode_error))
    {
      g_autofree char *why = g_strdup_printf ("refused: %s", error != NULL ? error->message
                                                                          : decode_error->message);

      /* The host not answering is the transport's; a reply that does not decode (or unwrap)
       * at this level is this rung's refusal. */
      ladder_refused (l, error != NULL ? wsim_hresult_from_error (error) : WBEM_E_TRANSPORT_FAILURE,
                      error != NULL && error->domain == G_IO_ERROR, why);
    }
  else if (WSIM_HRESULT_FAILED (res.hresult))
    {
      g_autofree char *status = wsim_hresult_describe (res.hresult);
      g_autofree char *why = g_strdup_printf ("refused by the sink host: %s", status);

      ladder_refused (l, res.hresult, FALSE, why);
    }
  else
    {
      ladder_attempt_traced (l, l->levels[l->rung], WBEM_S_NO_ERROR, "accepted");
      ladder_finish (l, client, WBEM_S_NO_ERROR, NULL);
    }
  ladder_unref (l);
}

static void
ladder_query (Ladder *l, Conn *c)
{
  wsim_sink_query_args args = {
    .sink_id = l->sink_id,
    .call_id = l->call_id,
    .level = l->levels[l->rung],
    .last_rung = l->rung + 1 == l->n_levels,
  };

  /* In use while the QUERY is out: no sweep drops it from under the ladder. */
  c->n_queries++;
  g_clear_pointer (&l->querying, conn_unref);
  l->querying = conn_ref (c);
  wsim_rpc_client_call (c->rpc, WSIM_SINK_QUERY, (xdrproc_t) xdr_wsim_sink_query_args, &args,
                        (gint) l->server->limits.callback_timeout_ms, NULL, on_query_reply,
                        ladder_ref (l));
}

static void
on_conn_ready (WsimAuth *auth, const GError *error, gpointer data)
{
  Conn *c = data;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&c->waiters);

  c->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) ladder_unref);
  if (auth != NULL)
    {
      wsim_rpc_client_set_auth (c->rpc, auth);
      wsim_auth_unref (auth);
      c->state = CONN_READY;
    }
  else
    {
      c->state = CONN_FAILED;
      c->error = g_strdup (error->message);
      c->unreachable = error->domain == G_IO_ERROR;
      c->error_hr = c->unreachable ? wsim_hresult_from_error (error) : E_ACCESSDENIED;
      /* The next call tries afresh. */
      if (c->server != NULL && g_hash_table_lookup (c->server->callbacks, c->key) == c)
        g_hash_table_remove (c->server->callbacks, c->key);
    }
  for (guint i = 0; i < waiters->len; i++)
    {
      Ladder *l = waiters->pdata[i];

      if (l->finished)
        continue;
      if (c->state == CONN_READY)
        ladder_query (l, c);
      else
        {
          g_autofree char *why = g_strdup_printf ("no security context: %s", c->error);

          ladder_refused (l, c->error_hr, c->unreachable, why);
        }
    }
  conn_unref (c);
}

/* ---- the bound on idle connections ----------------------------------------------- */

static gint
idle_older_first (gconstpointer a, gconstpointer b)
{
  const Conn *x = *(Conn *const *) a, *y = *(Conn *const *) b;

  return x->idle_since < y->idle_since ? -1 : x->idle_since > y->idle_since;
}

/* Finds the connections no live call and no ladder uses, and drops those idle for
 * WSIM_SERVER_CALLBACK_IDLE_MS and, oldest first, those over WSIM_SERVER_CALLBACK_IDLE_MAX.
 * An idle connection's sink host is the client of an ended call: if it comes back, its next
 * call connects afresh. O(calls + connections), on each new connection, soon after calls
 * end, and every half idle time. */
static void
callbacks_sweep (WsimServer *server)
{
  g_autoptr(GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GPtrArray) idle = g_ptr_array_new ();
  g_autoptr(GPtrArray) drop = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, server->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      WsimRpcClient *cb = wsim_call_get_callback_client (value);

      if (cb != NULL)
        g_hash_table_add (used, cb);
    }
  g_hash_table_iter_init (&iter, server->callbacks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conn *c = value;

      if (c->state == CONN_ESTABLISHING || c->n_queries > 0 || c->waiters->len > 0
          || g_hash_table_contains (used, c->rpc))
        c->idle_since = 0;
      else
        {
          if (c->idle_since == 0)
            c->idle_since = now;
          g_ptr_array_add (idle, c);
        }
    }
  g_ptr_array_sort (idle, idle_older_first);
  for (guint i = 0; i < idle->len; i++)
    {
      Conn *c = idle->pdata[i];

      if (idle->len - i > WSIM_SERVER_CALLBACK_IDLE_MAX
          || now - c->idle_since >= (gint64) WSIM_SERVER_CALLBACK_IDLE_MS * 1000)
        g_ptr_array_add (drop, g_strdup (c->key));
    }
  for (guint i = 0; i < drop->len; i++)
    g_hash_table_remove (server->callbacks, drop->pdata[i]);
}

static gboolean
on_sweep (gpointer data)
{
  WsimServer *server = data;

  g_clear_pointer (&server->callbacks_sweep, g_source_unref);
  server->callbacks_sweep_soon = FALSE;
  callbacks_sweep (server);
  callbacks_arm_sweep (server);
  return G_SOURCE_REMOVE;
}

void
wsim_server_callbacks_call_ended (WsimServer *server)
{
  if (server->callbacks_sweep_soon || server->shutting_down
      || g_hash_table_size (server->callbacks) == 0)
    return;
  wsim_server_callbacks_shutdown (server);
  server->callbacks_sweep = g_idle_source_new ();
  server->callbacks_sweep_soon = TRUE;
  g_source_set_callback (server->callbacks_sweep, on_sweep, server, NULL);
  g_source_set_static_name (server->callbacks_sweep, "wsim-server-callback-sweep-soon");
  g_source_attach (server->callbacks_sweep, server->context);
}

/* While the table holds anything, a sweep runs every half idle time. */
static void
callbacks_arm_sweep (WsimServer *server)
{
  if (server->callbacks_sweep != NULL || server->shutting_down
      || g_hash_table_size (server->callbacks) == 0)
    return;
  server->callbacks_sweep = g_timeout_source_new (WSIM_SERVER_CALLBACK_IDLE_MS / 2);
  g_source_set_callback (server->callbacks_sweep, on_sweep, server, NULL);
  g_source_set_static_name (server->callbacks_sweep, "wsim-server-callback-sweep");
  g_source_attach (server->callbacks_sweep, server->context);
}

void
wsim_server_callbacks_shutdown (WsimServer *server)
{
  if (server->callbacks_sweep != NULL)
    {
      g_source_destroy (server->callbacks_sweep);
      g_clear_pointer (&server->callbacks_sweep, g_source_unref);
    }
  server->callbacks_sweep_soon = FALSE;
}

guint
wsim_server_get_n_callback_conns (WsimServer *server)
{
  return g_hash_table_size (server->callbacks);
}

/* The connection for @l's current rung, made if needed; NULL with @error if the endpoint
 * cannot be used at all. */
static Conn *
conn_get (Ladder *l, guint32 level, GError **error)
{
  WsimServer *server = l->server;
  const char *mech_name = level >= RPC_C_AUTHN_LEVEL_CONNECT ? l->mech_name : NULL;
  const char *self = ladder_self (l, level);
  g_autofree char *key = g_strdup_printf ("%u|%s|%s|%s|%s", level, mech_name ? mech_name : "",
                                          self ? self : "", l->principal ? l->principal : "",
                                          l->endpoint);
  Conn *c = g_hash_table_lookup (server->callbacks, key);
  g_autoptr(GSocketAddress) addr = NULL;
  WsimGssInitiatorOptions opts = { 0 };

  if (c != NULL && (c->state == CONN_ESTABLISHING || wsim_rpc_client_is_connected (c->rpc)))
    {
      c->idle_since = 0;
      return c;
    }
  g_hash_table_remove (server->callbacks, key);
  /* A new entry: the idle ones over the bound go first. */
  callbacks_sweep (server);
  addr = wsim_address_parse (l->endpoint, error);
  if (addr == NULL)
    return NULL;
  c = g_new0 (Conn, 1);
  g_ref_count_init (&c->ref_count);
  c->server = server;
  c->key = g_strdup (key);
  c->state = CONN_ESTABLISHING;
  c->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) ladder_unref);
  /* Never block the server's loop on a sink host: the connect runs in the background. */
  c->rpc = wsim_rpc_client_new_for_address (server->context, addr, WSIM_SINK_PROG, WSIM_SINK_V1, error);
  if (c->rpc == NULL)
    {
      g_ptr_array_unref (c->waiters);
      g_free (c->key);
      g_free (c);
      return NULL;
    }
  /* A sink host that never answers times each leg and each callback out. */
  wsim_rpc_client_set_default_timeout (c->rpc, server->limits.callback_timeout_ms);
  wsim_rpc_client_set_closed_func (c->rpc, on_conn_closed, c, NULL);
  g_hash_table_insert (server->callbacks, g_strdup (key), c);
  callbacks_arm_sweep (server);
  if (g_strcmp0 (mech_name, "kerberos") == 0)
    {
      /* A service calling a user back: its own key, from its keytab. */
      opts.user = self;
      opts.keytab = server->callback_keytab != NULL ? server->callback_keytab : g_getenv ("KRB5_KTNAME");
    }
  else
    opts.user = server->callback_user;
  opts.target_is_principal = TRUE;
  wsim_auth_for_level_async (c->rpc, level, wsim_gss_mech_lookup (mech_name != NULL ? mech_name : "kerberos"),
                             l->principal != NULL ? l->principal : "", &opts, on_conn_ready,
                             conn_ref (c));
  return c;
}

static void
ladder_try (Ladder *l)
{
  /* Bounded: each pass either waits for a reply or moves one rung down. */
  while (!l->finished)
    {
      g_autoptr(GError) error = NULL;
      guint32 level;
      Conn *c;

      if (l->server->shutting_down)
        {
          ladder_finish (l, NULL, WBEM_E_SHUTTING_DOWN, "the server is shutting down");
          return;
        }
      if (l->rung >= l->n_levels)
        {
          g_autofree char *why = g_strdup_printf ("no callback level was taken (the last, %s)",
                                                  l->last_why != NULL ? l->last_why : "none tried");

          /* Refused somewhere: access denied; only unreachable: the transport's failure. */
          ladder_finish (l, NULL, l->denied ? WBEM_E_ACCESS_DENIED : WBEM_E_TRANSPORT_FAILURE, why);
          return;
        }
      level = l->levels[l->rung];
      if (level >= RPC_C_AUTHN_LEVEL_CONNECT && (l->mech_name == NULL || l->principal == NULL))
        {
          ladder_attempt_traced (l, level, E_ACCESSDENIED,
                                 "not tried: the call was not authenticated, so there is no "
                                 "mechanism and principal to call back with");
          l->denied = TRUE;
          l->rung++;
          continue;
        }
      c = conn_get (l, level, &error);
      if (c == NULL)
        {
          g_autofree char *why = g_strdup_printf ("sink host %s unreachable: %s", l->endpoint, error->message);

          ladder_attempt_traced (l, level, WBEM_E_TRANSPORT_FAILURE, why);
          l->rung = l->n_levels;
          continue;
        }
      if (c->state == CONN_ESTABLISHING)
        g_ptr_array_add (c->waiters, ladder_ref (l));
      else
        ladder_query (l, c);
      return;
    }
}

void
wsim_server_run_ladder (WsimServer *server, const WsimLadderSpec *spec, WsimLadderDone done,
                        gpointer data, GDestroyNotify destroy)
{
  Ladder *l = g_new0 (Ladder, 1);

  g_ref_count_init (&l->ref_count);
  l->server = server;
  l->endpoint = g_strdup (spec->endpoint);
  l->sink_id = spec->sink_id;
  l->call_id = spec->call_id;
  l->principal = g_strdup (spec->principal);
  l->acceptor = g_strdup (spec->acceptor);
  l->mech_name = spec->mech;
  l->n_levels = ladder_levels (server, spec, l->levels);
  l->done = done;
  l->data = data;
  l->destroy = destroy;
  ladder_try (l);
  ladder_unref (l);
}

void
wsim_server_callbacks_init (WsimServer *server)
{
  server->callbacks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             conn_drop);
  server->callback_policy = (WsimCallbackPolicy) {
    .start = RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
    .floor = RPC_C_AUTHN_LEVEL_NONE,
    .local_none = TRUE,
  };
}
