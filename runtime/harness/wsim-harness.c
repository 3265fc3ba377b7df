/* wsim-harness.c: server thread + client in one process (see wsim-harness.h). */
#include "wsim-harness.h"

#include "wsim-address.h"
#include "wsim-local-account.h"

struct _WsimHarness {
  GThread          *thread;
  GMainContext     *server_context;   /* (owned) */
  WsimServer       *server;           /* (owned) created and freed on the server thread */
  WsimTrace        *trace;            /* (owned) */
  char             *address;          /* (owned) */
  WsimHarnessSetup  setup;
  gpointer          setup_data;
  GSocketAddress   *listen;           /* (owned) */
  GError           *setup_error;      /* (owned) (nullable) */
  GMutex            lock;
  GCond             cond;
  gboolean          ready;
  gint              quit;             /* atomic */

  GMainContext     *context;          /* (owned) the client's */
  WsimClient       *client;           /* (owned) */
  WsimServices     *services;         /* (owned) */
};

static gpointer
server_main (gpointer data)
{
  WsimHarness *h = data;
  g_autoptr(GSocketAddress) bound = NULL;
  WsimRepository *repo;

  g_main_context_push_thread_default (h->server_context);
  repo = wsim_repository_new ();
  wsim_repository_add_namespace (repo, "root\\cimv2", NULL);
  h->server = wsim_server_new (h->server_context, repo);
  h->trace = wsim_trace_ref (wsim_server_get_trace (h->server));
  if ((h->setup == NULL || h->setup (h->server, h->setup_data, &h->setup_error))
      && wsim_server_listen (h->server, h->listen, &bound, &h->setup_error))
    h->address = wsim_address_to_string (bound);

  g_mutex_lock (&h->lock);
  h->ready = TRUE;
  g_cond_signal (&h->cond);
  g_mutex_unlock (&h->lock);

  while (h->address != NULL && !g_atomic_int_get (&h->quit))
    g_main_context_iteration (h->server_context, TRUE);

  g_clear_pointer (&h->server, wsim_server_unref);
  while (g_main_context_iteration (h->server_context, FALSE))
    ;
  g_main_context_pop_thread_default (h->server_context);
  return NULL;
}

WsimHarness *
wsim_harness_new (WsimHarnessSetup setup, gpointer data, GError **error)
{
  return wsim_harness_new_full (setup, data, NULL, error);
}

WsimHarness *
wsim_harness_new_full (WsimHarnessSetup setup, gpointer data, const WsimBlanket *blanket,
                       GError **error)
{
  WsimClientOptions client = { .blanket = blanket };
  WsimHarnessOptions options = { .setup = setup, .data = data, .client = &client };

  return wsim_harness_new_with_options (&options, error);
}

WsimHarness *
wsim_harness_new_with_options (const WsimHarnessOptions *options, GError **error)
{
  static const WsimHarnessOptions defaults = { 0 };
  g_autoptr(GSocketAddress) listen = NULL;
  WsimHarness *h;

  if (options == NULL)
    options = &defaults;
  if (options->listen != NULL)
    listen = wsim_address_parse (options->listen, error);
  else
    {
      g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

      listen = g_inet_socket_address_new (lo, 0);
    }
  if (listen == NULL)
    return NULL;
  /* Before any thread: it may set NTLM_USER_FILE. */
  if (!wsim_local_account_ensure (error))
    return NULL;
  h = g_new0 (WsimHarness, 1);

  h->server_context = g_main_context_new ();
  h->context = g_main_context_new ();
  h->setup = options->setup;
  h->setup_data = options->data;
  h->listen = g_steal_pointer (&listen);
  g_mutex_init (&h->lock);
  g_cond_init (&h->cond);
  h->thread = g_thread_new ("wsim-server", server_main, h);
  g_mutex_lock (&h->lock);
  while (!h->ready)
    g_cond_wait (&h->cond, &h->lock);
  g_mutex_unlock (&h->lock);

  if (h->address == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&h->setup_error));
      wsim_harness_free (h);
      return NULL;
    }
  h->client = wsim_client_new (h->context, h->address, options->client, error);
  if (h->client != NULL)
    h->services = wsim_client_open_namespace (h->client, "root\\cimv2", error);
  if (h->services == NULL)
    {
      wsim_harness_free (h);
      return NULL;
    }
  return h;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_REMOVE;
}

void
wsim_harness_free (WsimHarness *h)
{
  if (h == NULL)
    return;
  g_clear_pointer (&h->services, wsim_services_unref);
  g_clear_pointer (&h->client, wsim_client_unref);
  g_atomic_int_set (&h->quit, 1);
  g_main_context_invoke (h->server_context, wake, NULL);
  g_thread_join (h->thread);
  while (g_main_context_iteration (h->context, FALSE))
    ;
  g_main_context_unref (h->context);
  g_main_context_unref (h->server_context);
  wsim_trace_unref (h->trace);
  g_clear_error (&h->setup_error);
  g_clear_object (&h->listen);
  g_free (h->address);
  g_mutex_clear (&h->lock);
  g_cond_clear (&h->cond);
  g_free (h);
}

GMainContext *
wsim_harness_get_context (WsimHarness *h)
{
  return h->context;
}

WsimClient *
wsim_harness_get_client (WsimHarness *h)
{
  return h->client;
}

WsimServices *
wsim_harness_get_services (WsimHarness *h)
{
  return h->services;
}

WsimTrace *
wsim_harness_get_trace (WsimHarness *h)
{
  return h->trace;
}

const char *
wsim_harness_get_address (WsimHarness *h)
{
  return h->address;
}

static gboolean
keep (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
wsim_harness_run_until (WsimHarness *h, WsimHarnessCond cond, gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GSource *t = g_timeout_source_new (MIN (MAX (timeout_ms, 1), 5));
  gboolean ok;

  /* The timer bounds each blocking iteration by the deadline, and wakes the loop every
   * few milliseconds: a condition may depend on the server's thread (its trace, its
   * call count), whose progress does not wake this context. */
  g_source_set_callback (t, keep, NULL, NULL);
  g_source_attach (t, h->context);
  while (!(ok = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (h->context, TRUE);
  g_source_destroy (t);
  g_source_unref (t);
  return ok;
}

typedef struct {
  WsimHarness     *h;
  WsimHarnessFunc  fn;
  gpointer         data;
  gboolean         done;
} Invoke;

static gboolean
invoke_cb (gpointer data)
{
  Invoke *inv = data;

  if (inv->h->server != NULL)
    inv->fn (inv->h->server, inv->data);
  g_mutex_lock (&inv->h->lock);
  inv->done = TRUE;
  g_cond_broadcast (&inv->h->cond);
  g_mutex_unlock (&inv->h->lock);
  return G_SOURCE_REMOVE;
}

void
wsim_harness_invoke (WsimHarness *h, WsimHarnessFunc fn, gpointer data)
{
  Invoke inv = { h, fn, data, FALSE };

  g_main_context_invoke (h->server_context, invoke_cb, &inv);
  g_mutex_lock (&h->lock);
  while (!inv.done)
    g_cond_wait (&h->cond, &h->lock);
  g_mutex_unlock (&h->lock);
}

static void
count_calls (WsimServer *server, gpointer data)
{
  *(guint *) data = wsim_server_get_n_calls (server);
}

guint
wsim_harness_get_n_server_calls (WsimHarness *h)
{
  guint n = 0;

  wsim_harness_invoke (h, count_calls, &n);
  return n;
}

static gboolean
shutdown_cb (gpointer data)
{
  WsimHarness *h = data;

  if (h->server != NULL)
    wsim_server_shutdown (h->server);
  return G_SOURCE_REMOVE;
}

void
wsim_harness_shutdown_server (WsimHarness *h)
{
  /* Not waited for: the shutdown delivers final SetStatus calls to sinks that run on the
   * caller's context, which the caller iterates next. */
  g_main_context_invoke (h->server_context, shutdown_cb, h);
}
