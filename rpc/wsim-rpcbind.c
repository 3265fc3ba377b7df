/* wsim-rpcbind.c: the system's rpcbind (see wsim-rpcbind.h): registering through libtirpc's
 * rpcb_set/rpcb_unset, looking up with a GETADDR call of our own engine. */
#include "wsim-rpcbind.h"

#include <netconfig.h>
#include <string.h>
#include <rpc/rpc.h>
#include <rpc/rpcb_clnt.h>

#include "wsim-address.h"
#include "wsim-rpc-client.h"
#include "wsim-rpc-error.h"
#include "wsim-xdrbuf.h"

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

/* ---- lookup: RPCBPROC_GETADDR through the project's own client ---------------------
 *
 * Not rpcb_getaddr(): libtirpc keeps a process-wide cache of rpcbind addresses keyed by
 * the host's text, blind to network namespaces (where one text names a different rpcbind
 * in each), and 1.3.3 frees a stale entry twice once its rpcbind stops answering
 * (delete_cache() frees the entry's universal address, then destroy_addr() frees it
 * again): the next lookup of that host aborted the process. Asking rpcbind directly, on a
 * connection made for the question, has no state to go stale. */

#define RPCBIND_PORT 111
/* The call's bound once connected; wsim_rpc_client_connect() bounds the connect itself. */
#define GETADDR_TIMEOUT_MS 10000

/* "a.b.c.d.p1.p2" (tcp) or "V6TEXT.p1.p2" (tcp6), RFC 1833's universal address. */
static GSocketAddress *
uaddr_parse (const char *uaddr)
{
  const char *lo = strrchr (uaddr, '.'), *hi;
  g_autofree char *ip_text = NULL, *p1_text = NULL;
  g_autoptr(GInetAddress) ip = NULL;
  guint64 p1, p2;

  if (lo == NULL || lo == uaddr)
    return NULL;
  for (hi = lo - 1; hi > uaddr && *hi != '.'; hi--)
    ;
  if (*hi != '.' || hi == uaddr)
    return NULL;
  ip_text = g_strndup (uaddr, (gsize) (hi - uaddr));
  p1_text = g_strndup (hi + 1, (gsize) (lo - hi - 1));
  if (!g_ascii_string_to_unsigned (p1_text, 10, 0, 255, &p1, NULL)
      || !g_ascii_string_to_unsigned (lo + 1, 10, 0, 255, &p2, NULL))
    return NULL;
  ip = g_inet_address_new_from_string (ip_text);
  if (ip == NULL)
    return NULL;
  return g_inet_socket_address_new (ip, (guint16) (p1 << 8 | p2));
}

/* One GETADDR at rpcbind version @rpcb_vers, on a connection of its own (the engine binds
 * a client to one version). Returns: (transfer full) the universal address ("" when not
 * registered), or NULL with the engine's error. */
static char *
getaddr (GMainContext *ctx, GSocketAddress *rpcbind, guint32 rpcb_vers, const RPCB *args,
         GError **error)
{
  g_autoptr(WsimRpcClient) client = wsim_rpc_client_connect (ctx, rpcbind, RPCBPROG, rpcb_vers,
                                                             error);
  char *uaddr = NULL;
  char *copy;

  if (client == NULL)
    return NULL;
  if (!wsim_rpc_client_call_sync (client, RPCBPROC_GETADDR, WSIM_XDRPROC (xdr_rpcb), args,
                                  WSIM_XDRPROC (xdr_wrapstring), &uaddr, GETADDR_TIMEOUT_MS, NULL,
                                  error))
    return NULL;
  /* The string is XDR's (malloc()), handed on as GLib's. */
  copy = g_strdup (uaddr != NULL ? uaddr : "");
  xdr_free (WSIM_XDRPROC (xdr_wrapstring), &uaddr);
  return copy;
}

char *
wsim_rpcbind_lookup (guint32 prog, guint32 vers, const char *host, GError **error)
{
  g_autofree char *bare = NULL, *endpoint = NULL, *uaddr = NULL;
  g_autoptr(GInetAddress) ip = NULL;
  g_autoptr(GSocketAddress) rpcbind = NULL, found = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GMainContext) ctx = NULL;
  gboolean v6;
  RPCB args;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bare = host[0] == '[' && g_str_has_suffix (host, "]") ? g_strndup (host + 1, strlen (host) - 2)
                                                         : g_strdup (host);
  ip = g_inet_address_new_from_string (bare);
  if (ip == NULL)
    {
      /* Address strings in this project carry no names (docs/cli.md): nothing to resolve. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "cannot ask rpcbind on %s: not an IPv4 or IPv6 address", host);
      return NULL;
    }
  v6 = g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6;
  rpcbind = g_inet_socket_address_new (ip, RPCBIND_PORT);
  endpoint = g_strdup_printf (v6 ? "[%s]:%u" : "%s:%u", bare, RPCBIND_PORT);

  /* The netid names the transport asked about (rpcbind answers for the one the question
   * came on); r_addr and r_owner are not used by GETADDR. */
  args.r_prog = prog;
  args.r_vers = vers;
  args.r_netid = (char *) (v6 ? "tcp6" : "tcp");
  args.r_addr = (char *) "";
  args.r_owner = (char *) "";

  /* A private context, pushed as the thread default for the engine (as a channel's sync
   * calls do), so that no other source of the caller's runs while this waits. */
  ctx = g_main_context_new ();
  g_main_context_push_thread_default (ctx);
  uaddr = getaddr (ctx, rpcbind, RPCBVERS4, &args, &local);
  if (uaddr == NULL && g_error_matches (local, WSIM_RPC_ERROR, WSIM_RPC_ERROR_PROG_MISMATCH))
    {
      /* An rpcbind without version 4 (RFC 1833 has GETADDR in version 3 too). */
      g_clear_error (&local);
      uaddr = getaddr (ctx, rpcbind, RPCBVERS, &args, &local);
    }
  g_main_context_pop_thread_default (ctx);
  /* Let the closed connection's sources go before the context does. */
  while (g_main_context_iteration (ctx, FALSE))
    ;

  if (uaddr == NULL && local->domain == G_IO_ERROR)
    {
      /* Nothing answered: refused, unreachable, timed out or closed. The code stays the
       * socket's, so a caller can tell a timeout from a refusal. */
      g_set_error (error, G_IO_ERROR, local->code,
                   "rpcbind did not answer on %s (is rpcbind running?): %s", endpoint, local->message);
      return NULL;
    }
  if (uaddr == NULL)
    {
      /* Something answered in ONC RPC, but not as an rpcbind with GETADDR would. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "rpcbind on %s did not answer GETADDR: %s", endpoint, local->message);
      return NULL;
    }
  if (uaddr[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "program 0x%08x version %u is not registered with rpcbind on %s", prog, vers,
                   host);
      return NULL;
    }
  found = uaddr_parse (uaddr);
  if (found == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "rpcbind on %s gave program 0x%08x version %u an address that is not a "
                   "universal address: '%s'", endpoint, prog, vers, uaddr);
      return NULL;
    }
  return wsim_address_to_string (found);
}
