/* wsim-test-capture.h: a capture on loopback with tshark, for tests that look at the wire
 * (tests/gss wire-levels, tests/wireshark). tshark writes the file and prints each packet
 * as it goes (-P -l), so the test knows when its filter is live and when every packet of
 * the traffic is in: a connection to the watched port ("a knock") whose packets are
 * printed proves that everything before it was captured. tshark is stopped by its pid,
 * with SIGINT. Needs root (capturing). Header only.
 *
 * Threading: the test's thread. */
#pragma once

#include <criterion/criterion.h>
#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "wsim-test-util.h"

/* A running capture: tshark's pid and stdout, what it printed so far (owned), the address
 * knocks go to (@host: a loopback IPv4 address, borrowed for the capture's life). */
typedef struct {
  GPid        pid;
  int         out;
  GString    *seen;
  const char *host;
  guint16     port;
} WsimTestCapture;

/* Connects to @host:@port from a fresh local port and closes; returns that local port. */
static inline guint16
wsim_test_capture_knock (const char *host, guint16 port)
{
  g_autoptr(GSocketClient) c = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (c, host, port, NULL, NULL);
  g_autoptr(GSocketAddress) local = NULL;

  cr_assert_not_null (conn);
  local = g_socket_connection_get_local_address (conn, NULL);
  return wsim_test_port (local);
}

/* Reads what tshark prints until @needle shows (or @ms pass). */
static inline gboolean
wsim_test_capture_wait_for (WsimTestCapture *cap, const char *needle, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (strstr (cap->seen->str, needle) == NULL && g_get_monotonic_time () < deadline)
    {
      GPollFD pfd = { cap->out, G_IO_IN, 0 };
      char buf[4096];
      ssize_t n;

      if (g_poll (&pfd, 1, 100) <= 0)
        continue;
      n = read (cap->out, buf, sizeof buf);
      if (n <= 0)
        return FALSE;
      g_string_append_len (cap->seen, buf, n);
    }
  return strstr (cap->seen->str, needle) != NULL;
}

/* Returns once a knock's packets were printed: everything before them is in. */
static inline void
wsim_test_capture_sync (WsimTestCapture *cap)
{
  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *mark = g_strdup_printf ("%u → %u", wsim_test_capture_knock (cap->host, cap->port), cap->port);

      if (wsim_test_capture_wait_for (cap, mark, 200))
        return;
    }
  cr_assert_fail ("tshark never showed a knock on port %u", cap->port);
}

/* Starts tshark on lo with the capture filter @filter (it must take the knocks on
 * @host:@port, a listening socket), writing @file; returns once the filter is live. */
static inline WsimTestCapture
wsim_test_capture_start (const char *file, const char *filter, const char *host, guint16 port)
{
  char *argv[] = { (char *) "/usr/bin/tshark", (char *) "-i", (char *) "lo", (char *) "-f", (char *) filter,
                   (char *) "-w", (char *) file, (char *) "-P", (char *) "-l", NULL };
  g_autoptr(GError) error = NULL;
  WsimTestCapture cap = { 0, -1, g_string_new (NULL), host, port };

  cr_assert (g_spawn_async_with_pipes (NULL, argv, NULL,
                                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                       NULL, &cap.pid, NULL, &cap.out, NULL, &error),
             "tshark: %s", error ? error->message : "");
  wsim_test_capture_sync (&cap);   /* the filter is live */
  return cap;
}

/* Waits until every packet so far is in, then stops tshark (the file is complete). */
static inline void
wsim_test_capture_stop (WsimTestCapture *cap)
{
  wsim_test_capture_sync (cap);
  wsim_test_pid_stop_with (cap->pid, SIGINT);
  close (cap->out);
  g_string_free (cap->seen, TRUE);
}
