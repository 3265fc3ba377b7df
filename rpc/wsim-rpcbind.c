/* wsim-rpcbind.c: rpcbind registration through libtirpc (see wsim-rpcbind.h). */
#include "wsim-rpcbind.h"

#include <netconfig.h>
#include <rpc/rpc.h>
#include <rpc/rpcb_clnt.h>

#include "wsim-address.h"

gboolean
wsim_rpcbind_set (guint32 prog, guint32 vers, GSocketAddress *address, GError **error)
{
  gboolean v6 = g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
  struct netconfig *nconf = getnetconfigent (v6 ? "tcp6" : "tcp");
  gssize len = g_socket_address_get_native_size (address);
  g_autofree guint8 *native = g_malloc0 (MAX (len, 1));
  struct netbuf nb;
  gboolean ok;

  if (nconf == NULL || len <= 0 || !g_socket_address_to_native (address, native, (gsize) len, error))
    {
      if (nconf != NULL)
        freenetconfigent (nconf);
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no netconfig entry for %s",
                     v6 ? "tcp6" : "tcp");
      return FALSE;
    }
  nb.buf = native;
  nb.len = nb.maxlen = (unsigned int) len;
  /* A stale registration from a previous run would make rpcb_set fail. */
  rpcb_unset (prog, vers, nconf);
  ok = rpcb_set (prog, vers, nconf, &nb);
  freenetconfigent (nconf);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "rpcbind did not register program 0x%08x version %u (is rpcbind running?)", prog, vers);
  return ok;
}

gboolean
wsim_rpcbind_unset (guint32 prog, guint32 vers, GError **error)
{
  if (!rpcb_unset (prog, vers, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "rpcbind did not unregister program 0x%08x version %u", prog, vers);
      return FALSE;
    }
  return TRUE;
}

char *
wsim_rpcbind_lookup (guint32 prog, guint32 vers, const char *host, GError **error)
{
  struct netconfig *nconf = getnetconfigent ("tcp");
  struct netbuf nb;
  struct sockaddr_storage ss;
  g_autoptr(GSocketAddress) addr = NULL;
  gboolean ok;

  if (nconf == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no netconfig entry for tcp");
      return NULL;
    }
  nb.buf = &ss;
  nb.len = 0;
  nb.maxlen = sizeof ss;
  ok = rpcb_getaddr (prog, vers, nconf, &nb, host);
  freenetconfigent (nconf);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "program 0x%08x version %u is not registered with rpcbind on %s", prog, vers, host);
      return NULL;
    }
  addr = g_socket_address_new_from_native (&ss, nb.len);
  return addr != NULL ? wsim_address_to_string (addr) : NULL;
}
