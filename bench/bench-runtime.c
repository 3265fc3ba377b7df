/* bench-runtime.c: the async-call runtime, measured against a real wmisimd process.
 *
 * 1. Enumeration throughput: Sim_Sequence (N instances, 10 string properties of 20 bytes,
 *    ~200 bytes of values each) into an in-process counting sink over loopback TCP:
 *    instances/s, MB/s of values, and the server's peak RSS for two instance counts (it
 *    must not grow with the count: flow control holds the provider to the sink's pace).
 * 2. Latency: a 1-instance CreateInstanceEnumAsync (call -> final SetStatus), median over
 *    many calls, next to a NULL call round trip on the same server and connection style.
 * 3. Memory per open call: 10,000 calls held open by a waiting provider; the server's RSS
 *    growth divided by the number of calls.
 *
 * Usage: bench-runtime WMISIMD PROVIDER_DIR. A benchmark, not a test: it reports.
 */
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "wsim-address.h"
#include "wsim-client.h"
#include "wsim-rpc-client.h"
#include "wsim_service.h"

typedef struct {
  GPid  pid;
  char *address;
} Daemon;

static Daemon
daemon_start (const char *wmisimd, const char *dir, const char *params)
{
  g_autofree char *p = g_strconcat ("sim-sequence:", params, NULL);
  char *argv[] = { (char *) wmisimd, (char *) "--provider-dir", (char *) dir, (char *) "--param", p, NULL };
  Daemon d = { 0 };
  int out = -1;
  char line[256];
  gsize n = 0;
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &d.pid,
                                 NULL, &out, NULL, &error))
    g_error ("wmisimd: %s", error->message);
  while (n < sizeof line - 1 && read (out, line + n, 1) == 1 && line[n] != '\n')
    n++;
  line[n] = '\0';
  close (out);
  if (!g_str_has_prefix (line, "listening on "))
    g_error ("wmisimd said: %s", line);
  d.address = g_strdup (line + strlen ("listening on "));
  return d;
}

static void
daemon_stop (Daemon *d)
{
  int status;

  kill (d->pid, SIGTERM);
  waitpid (d->pid, &status, 0);
  g_spawn_close_pid (d->pid);
  g_free (d->address);
}

static long
proc_kib (GPid pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strstr (text, field)) == NULL)
    return -1;
  return strtol (p + strlen (field), NULL, 10);
}

static gboolean
run_until_complete (GMainContext *ctx, WsimSinkRecorder *rec)
{
  while (!wsim_sink_recorder_is_complete (rec))
    g_main_context_iteration (ctx, TRUE);
  return rec->final_hr == WBEM_S_NO_ERROR;
}

static void
bench_enumerate (const char *wmisimd, const char *dir, guint count)
{
  g_autofree char *params = g_strdup_printf ("count=%u;props=10;size=20", count);
  Daemon d = daemon_start (wmisimd, dir, params);
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = wsim_client_connect (ctx, d.address, &error);
  g_autoptr(WsimServices) s = wsim_client_open_namespace (client, "root\\cimv2", &error);
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  gint64 t0, t1;
  double secs;

  rec->keep_objects = FALSE;
  t0 = g_get_monotonic_time ();
  if (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, &error) != WBEM_S_NO_ERROR
      || !run_until_complete (ctx, rec))
    g_error ("enumeration failed");
  t1 = g_get_monotonic_time ();
  secs = (t1 - t0) / 1e6;
  printf ("enumerate Sim_Sequence %7u x 10 props x 20 B  %10.0f instances/s  %7.1f MB/s of values  "
          "%5u Indicate calls  server peak RSS %ld KiB\n", count, count / secs,
          count * 200.0 / secs / 1e6, rec->n_indicate, proc_kib (d.pid, "VmHWM:"));
  g_clear_pointer (&sink, wsim_sink_unref);
  g_clear_pointer (&s, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  daemon_stop (&d);
}

static int
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
bench_latency (const char *wmisimd, const char *dir)
{
  enum { N = 2000 };
  Daemon d = daemon_start (wmisimd, dir, "count=1;props=10;size=20");
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = wsim_client_connect (ctx, d.address, &error);
  g_autoptr(WsimServices) s = wsim_client_open_namespace (client, "root\\cimv2", &error);
  g_autoptr(GSocketAddress) addr = wsim_address_parse (d.address, NULL);
  g_autoptr(WsimRpcClient) raw = wsim_rpc_client_connect (ctx, addr, WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &error);
  static gint64 call_us[N], null_us[N];

  for (int i = 0; i < N; i++)
    {
      WsimSinkRecorder *rec;
      g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
      gint64 t0 = g_get_monotonic_time ();

      if (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, NULL) != WBEM_S_NO_ERROR
          || !run_until_complete (ctx, rec) || rec->n_objects != 1)
        g_error ("1-instance call failed");
      call_us[i] = g_get_monotonic_time () - t0;

      t0 = g_get_monotonic_time ();
      if (!wsim_rpc_client_call_sync (raw, NULLPROC, WSIM_XDRPROC (xdr_void), NULL, WSIM_XDRPROC (xdr_void),
                                      NULL, -1, NULL, &error))
        g_error ("NULL call: %s", error->message);
      null_us[i] = g_get_monotonic_time () - t0;
    }
  qsort (call_us, N, sizeof call_us[0], cmp_i64);
  qsort (null_us, N, sizeof null_us[0], cmp_i64);
  printf ("latency, median of %d: 1-instance CreateInstanceEnumAsync -> final SetStatus %" G_GINT64_FORMAT
          " us; NULL call round trip %" G_GINT64_FORMAT " us; ratio %.2f (p90 %" G_GINT64_FORMAT
          " / %" G_GINT64_FORMAT " us)\n", N, call_us[N / 2], null_us[N / 2],
          (double) call_us[N / 2] / (double) MAX (null_us[N / 2], 1), call_us[N * 9 / 10],
          null_us[N * 9 / 10]);
  g_clear_pointer (&raw, wsim_rpc_client_unref);
  g_clear_pointer (&s, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  daemon_stop (&d);
}

static void
bench_open_calls (const char *wmisimd, const char *dir)
{
  enum { N = 10000 };
  Daemon d = daemon_start (wmisimd, dir, "count=1;props=10;size=20;delay_ms=600000");
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = wsim_client_connect (ctx, d.address, &error);
  g_autoptr(WsimServices) s = wsim_client_open_namespace (client, "root\\cimv2", &error);
  g_autoptr(GPtrArray) sinks = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_sink_unref);
  long before, after;

  /* Warm the server up (connections, first call), then measure the increment. */
  for (int i = 0; i < 100; i++)
    {
      WsimSinkRecorder *rec;
      WsimSink *sink = wsim_sink_recorder_new (&rec);

      g_ptr_array_add (sinks, sink);
      wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, NULL);
    }
  before = proc_kib (d.pid, "VmRSS:");
  for (int i = 0; i < N; i++)
    {
      WsimSinkRecorder *rec;
      WsimSink *sink = wsim_sink_recorder_new (&rec);

      g_ptr_array_add (sinks, sink);
      if (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, NULL) != WBEM_S_NO_ERROR)
        g_error ("call %d refused", i);
    }
  after = proc_kib (d.pid, "VmRSS:");
  printf ("open calls: %d calls waiting in the provider: server RSS %ld -> %ld KiB, %.0f bytes per call\n",
          N, before, after, (after - before) * 1024.0 / N);
  daemon_stop (&d);   /* the sinks' calls end with the server (shutting down) */
  while (g_main_context_iteration (ctx, FALSE))
    ;
}

int
main (int argc, char **argv)
{
  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-runtime WMISIMD PROVIDER_DIR\n");
      return 2;
    }
  bench_enumerate (argv[1], argv[2], 100000);
  bench_enumerate (argv[1], argv[2], 400000);
  bench_latency (argv[1], argv[2]);
  bench_open_calls (argv[1], argv[2]);
  return 0;
}
