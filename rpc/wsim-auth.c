/* wsim-auth.c: the refcounted handle that carries a client-side flavor (see wsim-auth-client.h). */
#include "wsim-auth-client.h"

struct _WsimAuth {
  gatomicrefcount ref_count;  /* atomic */
  const WsimAuthOps *ops;        /* (unowned) static */
  gpointer           data;       /* (owned) freed by ops->free_data */
};

WsimAuth *
wsim_auth_new (const WsimAuthOps *ops, gpointer data)
{
  WsimAuth *auth;

  g_return_val_if_fail (ops != NULL && ops->marshal != NULL, NULL);
  auth = g_new0 (WsimAuth, 1);
  g_atomic_ref_count_init (&auth->ref_count);
  auth->ops = ops;
  auth->data = data;
  return auth;
}

WsimAuth *
wsim_auth_ref (WsimAuth *auth)
{
  g_return_val_if_fail (auth != NULL, NULL);
  g_atomic_ref_count_inc (&auth->ref_count);
  return auth;
}

void
wsim_auth_unref (WsimAuth *auth)
{
  if (auth == NULL || !g_atomic_ref_count_dec (&auth->ref_count))
    return;
  if (auth->ops->free_data != NULL)
    auth->ops->free_data (auth->data);
  g_free (auth);
}

const WsimAuthOps *
wsim_auth_get_ops (WsimAuth *auth)
{
  return auth->ops;
}

gpointer
wsim_auth_get_data (WsimAuth *auth)
{
  return auth->data;
}

/* ---- handing a result over ---------------------------------------------------------- */

typedef struct {
  WsimAuthReadyFunc done;
  gpointer          user_data;
  WsimAuth         *auth;    /* (owned) (nullable) */
  GError           *error;   /* (owned) (nullable) */
} Ready;

static gboolean
ready_dispatch (gpointer data)
{
  Ready *r = data;

  r->done (g_steal_pointer (&r->auth), r->error, r->user_data);
  return G_SOURCE_REMOVE;
}

static void
ready_free (gpointer data)
{
  Ready *r = data;

  wsim_auth_unref (r->auth);
  g_clear_error (&r->error);
  g_free (r);
}

void
wsim_auth_ready_later (GMainContext *context, WsimAuth *auth, GError *error,
                       WsimAuthReadyFunc done, gpointer user_data)
{
  Ready *r = g_new0 (Ready, 1);
  GSource *source = g_idle_source_new ();

  r->done = done;
  r->user_data = user_data;
  r->auth = auth;
  r->error = error;
  /* As soon as any reply would be: an idle priority could wait behind a busy loop. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, ready_dispatch, r, ready_free);
  g_source_set_static_name (source, "wsim-auth-ready");
  g_source_attach (source, context);
  g_source_unref (source);
}

void
wsim_auth_wait_ready (WsimAuth *auth, const GError *error, gpointer user_data)
{
  WsimAuthWait *w = user_data;

  w->done = TRUE;
  w->auth = auth;
  if (error != NULL)
    w->error = g_error_copy (error);
}

WsimAuth *
wsim_auth_wait (GMainContext *context, WsimAuthWait *w, GError **error)
{
  /* Bounded: every leg has a timeout, and a result known at once comes from an idle. */
  while (!w->done)
    g_main_context_iteration (context, TRUE);
  if (w->error != NULL)
    g_propagate_error (error, w->error);
  return w->auth;
}
