/* wsim-auth.c: the refcounted handle that carries a client-side flavor (see wsim-auth.h). */
#include "wsim-auth.h"

struct _WsimAuth {
  gint               ref_count;  /* atomic */
  const WsimAuthOps *ops;        /* (unowned) static */
  gpointer           data;       /* (owned) freed by ops->free_data */
};

WsimAuth *
wsim_auth_new (const WsimAuthOps *ops, gpointer data)
{
  WsimAuth *auth;

  g_return_val_if_fail (ops != NULL && ops->marshal != NULL, NULL);
  auth = g_new0 (WsimAuth, 1);
  auth->ref_count = 1;
  auth->ops = ops;
  auth->data = data;
  return auth;
}

WsimAuth *
wsim_auth_ref (WsimAuth *auth)
{
  g_return_val_if_fail (auth != NULL, NULL);
  g_atomic_int_inc (&auth->ref_count);
  return auth;
}

void
wsim_auth_unref (WsimAuth *auth)
{
  if (auth == NULL || !g_atomic_int_dec_and_test (&auth->ref_count))
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
