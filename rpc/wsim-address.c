/* wsim-address.c: "tcp:HOST:PORT" and "unix:PATH" (see wsim-address.h). */
#include "wsim-address.h"

#include <gio/gunixsocketaddress.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

GSocketAddress *
wsim_address_parse (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (g_str_has_prefix (text, "unix:") && text[5] != '\0')
    return g_unix_socket_address_new (text + 5);

  if (g_str_has_prefix (text, "tcp:"))
    {
      const char *host = text + 4, *colon;
      g_autofree char *h = NULL;
      char *end;
      gulong port;

      if (host[0] == '[')
        {
          const char *close = strchr (host, ']');

          if (close == NULL || close[1] != ':')
            goto bad;
          h = g_strndup (host + 1, (gsize) (close - host - 1));
          colon = close + 1;
        }
      else
        {
          colon = strrchr (host, ':');
          if (colon == NULL)
            goto bad;
          h = g_strndup (host, (gsize) (colon - host));
        }
      port = strtoul (colon + 1, &end, 10);
      if (colon[1] == '\0' || *end != '\0' || port > 65535)
        goto bad;
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (h);
      if (inet == NULL)
        goto bad;
      return g_inet_socket_address_new (inet, (guint16) port);
    }

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "bad address '%s': expected tcp:HOST:PORT, tcp:[V6]:PORT or unix:PATH", text);
  return NULL;
}

char *
wsim_address_to_string (GSocketAddress *address)
{
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);

  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    return g_strconcat ("unix:", g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)),
                        NULL);
  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *isa = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *h = g_inet_address_to_string (g_inet_socket_address_get_address (isa));
      guint16 port = g_inet_socket_address_get_port (isa);

      if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        return g_strdup_printf ("tcp:[%s]:%u", h, port);
      return g_strdup_printf ("tcp:%s:%u", h, port);
    }
  return g_strdup ("unknown:");
}

char *
wsim_address_to_string_as_reached (GSocketAddress *bound, GSocketAddress *near)
{
  GInetSocketAddress *isa;

  if (!G_IS_INET_SOCKET_ADDRESS (bound) || near == NULL || !G_IS_INET_SOCKET_ADDRESS (near))
    return wsim_address_to_string (bound);
  isa = G_INET_SOCKET_ADDRESS (bound);
  if (!g_inet_address_get_is_any (g_inet_socket_address_get_address (isa)))
    return wsim_address_to_string (bound);
  {
    g_autoptr(GSocketAddress) named = g_inet_socket_address_new (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (near)), g_inet_socket_address_get_port (isa));

    return wsim_address_to_string (named);
  }
}

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it carries, so that a
 * dual-stack listener's peers compare with the interfaces' IPv4 addresses. */
static GInetAddress *
unmapped (GInetAddress *ip)
{
  const guint8 *b = g_inet_address_to_bytes (ip);
  static const guint8 prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6 && memcmp (b, prefix, 12) == 0)
    return g_inet_address_new_from_bytes (b + 12, G_SOCKET_FAMILY_IPV4);
  return g_object_ref (ip);
}

gboolean
wsim_address_is_this_host (GSocketAddress *address)
{
  g_autoptr(GInetAddress) ip = NULL;
  struct ifaddrs *ifs = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), FALSE);
  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    return TRUE;
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return FALSE;
  ip = unmapped (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  if (g_inet_address_get_is_loopback (ip))
    return TRUE;
  if (getifaddrs (&ifs) != 0)
    return FALSE;
  for (struct ifaddrs *i = ifs; i != NULL && !found; i = i->ifa_next)
    {
      g_autoptr(GSocketAddress) a = NULL;

      if (i->ifa_addr == NULL
          || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      a = g_socket_address_new_from_native (i->ifa_addr, i->ifa_addr->sa_family == AF_INET
                                                         ? sizeof (struct sockaddr_in)
                                                         : sizeof (struct sockaddr_in6));
      found = a != NULL && g_inet_address_equal (ip, g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (a)));
    }
  freeifaddrs (ifs);
  return found;
}
