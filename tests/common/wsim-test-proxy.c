/* wsim-test-proxy.c: a record-aware TCP proxy for tests (see wsim-test-proxy.h). */
#include "wsim-test-proxy.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wsim-test-util.h"

struct _WsimTestProxy {
  GSocket        *listener;   /* (owned) */
  GSocketAddress *address;    /* (owned) */
  GSocketAddress *upstream;   /* (owned) */
  WsimProxyHook   hook;
  gpointer        data;
  GThread        *thread;
  int             stop_pipe[2];
};

static gboolean
write_all (int fd, const guint8 *p, gsize n)
{
  while (n > 0)
    {
      ssize_t w = send (fd, p, n, MSG_NOSIGNAL);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return FALSE;
      p += w;
      n -= (gsize) w;
    }
  return TRUE;
}

static gpointer
proxy_main (gpointer data)
{
  WsimTestProxy *px = data;
  int lfd = g_socket_get_fd (px->listener), cfd = -1, sfd = -1;
  GByteArray *pending = g_byte_array_new ();
  guint index = 0;
  struct pollfd pfd[3];

  /* Accept one client (or stop), then connect upstream. */
  pfd[0] = (struct pollfd) { lfd, POLLIN, 0 };
  pfd[1] = (struct pollfd) { px->stop_pipe[0], POLLIN, 0 };
  if (poll (pfd, 2, 30000) <= 0 || (pfd[1].revents & POLLIN) || (cfd = accept (lfd, NULL, NULL)) < 0)
    goto out;
  {
    g_autoptr(GSocket) up = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

    if (up == NULL || !g_socket_connect (up, px->upstream, NULL, NULL))
      goto out;
    sfd = dup (g_socket_get_fd (up));
  }

  for (;;)
    {
      guint8 buf[65536];
      ssize_t n;

      pfd[0] = (struct pollfd) { cfd, POLLIN, 0 };
      pfd[1] = (struct pollfd) { sfd, POLLIN, 0 };
      pfd[2] = (struct pollfd) { px->stop_pipe[0], POLLIN, 0 };
      if (poll (pfd, 3, 30000) <= 0 || (pfd[2].revents & POLLIN))
        break;
      if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = recv (sfd, buf, sizeof buf, 0);
          if (n <= 0 || !write_all (cfd, buf, (gsize) n))
            break;
        }
      if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = recv (cfd, buf, sizeof buf, 0);
          if (n <= 0)
            break;
          g_byte_array_append (pending, buf, (guint) n);
          /* Whole records go through the hook. */
          while (pending->len >= 4)
            {
              guint32 mark;
              gsize len;

              memcpy (&mark, pending->data, 4);
              len = GUINT32_FROM_BE (mark) & 0x7fffffffu;
              if (pending->len < 4 + len)
                break;
              {
                WsimProxyVerdict v = px->hook != NULL ? px->hook (index++, pending->data + 4, len, px->data)
                                                      : WSIM_PROXY_FORWARD;

                if (!write_all (sfd, pending->data, 4 + len)
                    || (v == WSIM_PROXY_REPLAY && !write_all (sfd, pending->data, 4 + len)))
                  goto out;
              }
              g_byte_array_remove_range (pending, 0, (guint) (4 + len));
            }
        }
    }

out:
  if (cfd >= 0)
    close (cfd);
  if (sfd >= 0)
    close (sfd);
  g_byte_array_unref (pending);
  return NULL;
}

WsimTestProxy *
wsim_test_proxy_start (GSocketAddress *upstream, WsimProxyHook hook, gpointer data)
{
  WsimTestProxy *px = g_new0 (WsimTestProxy, 1);
  g_autoptr(GSocketAddress) lo = wsim_test_loopback ();

  px->upstream = g_object_ref (upstream);
  px->hook = hook;
  px->data = data;
  px->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  if (!g_socket_bind (px->listener, lo, TRUE, NULL) || !g_socket_listen (px->listener, NULL))
    g_error ("proxy cannot listen");
  px->address = g_socket_get_local_address (px->listener, NULL);
  if (pipe (px->stop_pipe) != 0)
    g_error ("proxy: pipe failed");
  px->thread = g_thread_new ("wsim-test-proxy", proxy_main, px);
  return px;
}

GSocketAddress *
wsim_test_proxy_address (WsimTestProxy *px)
{
  return px->address;
}

void
wsim_test_proxy_stop (WsimTestProxy *px)
{
  if (px == NULL)
    return;
  if (write (px->stop_pipe[1], "x", 1) != 1)
    g_warning ("proxy: could not signal stop");
  g_thread_join (px->thread);
  close (px->stop_pipe[0]);
  close (px->stop_pipe[1]);
  g_object_unref (px->listener);
  g_object_unref (px->address);
  g_object_unref (px->upstream);
  g_free (px);
}
