/* bench-runtime.c: the async-call runtime, measured against a real wmisimd process.
 *
 * 1. Enumeration throughput: Sim_Sequence (N instances, 10 string properties of 20 bytes,
 *    ~200 bytes of values each) into an in-process counting sink over loopback TCP:
 *    instances/s, MB/s of values, and the server's peak RSS for two instance counts (it
 *    must not grow with the count: flow control holds the provider to the sink's pace).
 *    Then semisync against async on one daemon and client: CreateInstanceEnum with
 *    RETURN_IMMEDIATELY | FORWARD_ONLY read by Next(WBEM_INFINITE, 100), the same 200,000
 *    Sim_Sequence instances, best of 3 alternating rounds each (bench-semisync.c).
 * 2. Latency: a 1-instance CreateInstanceEnumAsync (call -> final SetStatus), median over
 *    many calls, next to a NULL call round trip on the same server and connection style;
 *    and an ExecMethodAsync round trip (Sim_Methods.Add: one out-parameters object) next to it.
 * 3. Memory per open call: 10,000 calls (--open-calls N) held open by a waiting provider;
 *    the server's RSS growth divided by the number of calls.
 * 4. Writes into the repository (wmisimd --repository, a MOF class): PutInstanceAsync and
 *    DeleteInstanceAsync per second, one at a time (each success waits for its own fsync)
 *    and many in flight (their changes share fsyncs: group commit), next to the NULL call
 *    round trip on the same server.
 *
 * Usage:
 *   bench-runtime [--server-cpu N] [--open-calls N] [--quick] WMISIMD PROVIDER_DIR
 *       all four, at RPC_C_AUTHN_LEVEL_NONE (the async machinery, not security); --quick
 *       divides every count but --open-calls by 20 (a smoke run: the figures mean little);
 *   bench-runtime --level WORD --mech kerberos|ntlm [--user NAME] [--count N]
 *                 [--callback-level WORD] [--server-cpu N] WMISIMD PROVIDER_DIR
 *       only the enumeration (N instances, default 100,000), with the client authenticated
 *       at that level by that mechanism (wsim_client_connect_full()), and one line of
 *       key=value pairs for the security benchmark (run-gss.sh); --callback-level makes the
 *       daemon call back at that level only (wmisimd --callback-level). Exit status 0, 1 when
 *       the connection or the call failed, 2 for bad usage.
 *
 * Besides its human lines, each measure gets one "RESULT measure=NAME KEY=VALUE ..." line
 * (bench_result()), which bench/run-all.sh collects.
 *
 * The daemon inherits this process's environment: with --level, the GSS-API variables of a
 * realm (KRB5_KTNAME, NTLM_USER_FILE, KRB5_CONFIG, ...) are what it accepts contexts with.
 * A benchmark, not a test: it reports.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "bench-semisync.h"
#include "bench-util.h"
#include "wsim-address.h"
#include "wsim-client.h"
#include "wsim-rpc-client.h"
#include "wsim-value.h"
#include "wsim-wbem.h"
#include "wsim_service.h"

/* Sim_Sequence's shape in every measurement: 10 properties of 20 bytes. */
#define ENUM_PROPS 10
#define ENUM_SIZE  20

/* The cpu the daemons are pinned to (--server-cpu), or -1 to leave them where they start. */
static gint wsim_daemon_cpu = -1;

/* The level the daemons call back at (--callback-level), or NULL for their default ladder. */
static const char *wsim_daemon_callback_level = NULL;

/* --quick divides every count (but --open-calls) by this. */
enum { QUICK_DIVISOR = 20 };
static guint wsim_bench_divisor = 1;

static guint
scaled (guint n)
{
  return MAX (n / wsim_bench_divisor, 1);
}

typedef struct {
  GPid  pid;
  char *address;
} Daemon;

/* In the daemon, before exec. */
static void
wsim_daemon_child_setup (gpointer data)
{
  /* A run that fails aborts (g_error) without reaching daemon_stop(): the daemon is told to
   * go when this process dies, however it dies, instead of serving on as an orphan. If we
   * died before the request took effect, nobody would send the signal: leave now. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != *(GPid *) data)
    _exit (1);
  if (wsim_daemon_cpu >= 0)
    {
      cpu_set_t set;

      CPU_ZERO (&set);
      CPU_SET (wsim_daemon_cpu, &set);
      /* A failure leaves the daemon unpinned, which the figures show, not a reason to stop. */
      (void) sched_setaffinity (0, sizeof set, &set);
    }
}

/* Starts wmisimd with @argv (NULL-terminated, argv[0] the program) and reads where it listens. */
static Daemon
daemon_start_argv (char **argv)
{
  Daemon d = { 0 };
  int out = -1;
  char line[256];
  gsize n = 0;
  g_autoptr(GError) error = NULL;
  GPid parent = getpid ();

  if (!g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, wsim_daemon_child_setup,
                                 &parent, &d.pid, NULL, &out, NULL, &error))
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

static Daemon
daemon_start (const char *wmisimd, const char *dir, const char *params)
{
  g_autofree char *p = g_strconcat ("sim-sequence:", params, NULL);
  char *argv[] = { (char *) wmisimd, (char *) "--provider-dir", (char *) dir, (char *) "--param", p,
                   (char *) "--callback-level", (char *) wsim_daemon_callback_level, NULL };

  if (wsim_daemon_callback_level == NULL)
    argv[5] = NULL;

  return daemon_start_argv (argv);
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

/* What one enumeration measured. */
typedef struct {
  guint64        instances;
  guint          n_indicate;
  double         seconds;       /* from the call to the final SetStatus */
  long           peak_rss_kib;  /* the server's VmHWM afterwards */
  WsimAuthnLevel level;         /* what the client's requests travelled at */
} EnumResult;

/* Enumerates Sim_Sequence (@count instances) once on a daemon of its own, the client
 * authenticated as @blanket says (NULL: the process default, as wsim_client_connect()).
 * Connecting and opening the namespace are not timed: establishing a context is the
 * connection's cost, not the enumeration's. Returns: FALSE with @error if a step failed or
 * the sink did not receive every instance. */
static gboolean
enumerate_once (const char *wmisimd, const char *dir, guint count, const WsimBlanket *blanket,
                EnumResult *out, GError **error)
{
  g_autofree char *params = g_strdup_printf ("count=%u;props=%d;size=%d", count, ENUM_PROPS, ENUM_SIZE);
  Daemon d = daemon_start (wmisimd, dir, params);
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(WsimClient) client = NULL;
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(WsimSink) sink = NULL;
  WsimSinkRecorder *rec;
  gboolean ok = FALSE;
  gint64 t0;

  client = blanket != NULL ? wsim_client_connect_full (ctx, d.address, blanket, error)
                           : wsim_client_connect (ctx, d.address, error);
  if (client == NULL || (s = wsim_client_open_namespace (client, "root\\cimv2", error)) == NULL)
    goto out;
  sink = wsim_sink_recorder_new (&rec);
  rec->keep_objects = FALSE;
  t0 = g_get_monotonic_time ();
  if (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, error) != WBEM_S_NO_ERROR)
    goto out;
  run_until_complete (ctx, rec);   /* its verdict is the final status, checked below */
  out->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (rec->final_hr != WBEM_S_NO_ERROR || rec->n_objects != count)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the enumeration ended with 0x%08X after %"
                   G_GUINT64_FORMAT " of %u instances", (guint) rec->final_hr, rec->n_objects, count);
      goto out;
    }
  out->instances = rec->n_objects;
  out->n_indicate = rec->n_indicate;
  out->peak_rss_kib = proc_kib (d.pid, "VmHWM:");
  out->level = wsim_client_get_authn_level (client);
  ok = TRUE;

out:
  g_clear_pointer (&sink, wsim_sink_unref);
  g_clear_pointer (&s, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  daemon_stop (&d);
  return ok;
}

static double
values_mb_per_s (const EnumResult *r)
{
  return r->instances * (double) (ENUM_PROPS * ENUM_SIZE) / r->seconds / 1e6;
}

static void
bench_enumerate (const char *wmisimd, const char *dir, guint count)
{
  g_autoptr(GError) error = NULL;
  EnumResult r;

  if (!enumerate_once (wmisimd, dir, count, NULL, &r, &error))
    g_error ("enumeration failed: %s", error->message);
  printf ("enumerate Sim_Sequence %7u x 10 props x 20 B  %10.0f instances/s  %7.1f MB/s of values  "
          "%5u Indicate calls  server peak RSS %ld KiB\n", count, r.instances / r.seconds,
          values_mb_per_s (&r), r.n_indicate, r.peak_rss_kib);
  bench_result ("enumerate count=%u instances_per_s=%.0f mb_per_s=%.1f indicate_calls=%u "
                "server_peak_rss_kib=%ld", count, r.instances / r.seconds, values_mb_per_s (&r),
                r.n_indicate, r.peak_rss_kib);
}

static int
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Sim_Methods.Add's [in] parameters, A=40 and B=2 (as uint32). */
static WsimObject *
add_in_params (void)
{
  const wsim_property_def defs[] = { { (char *) "A", CIM_UINT32, FALSE }, { (char *) "B", CIM_UINT32, FALSE } };
  g_autoptr(WsimClass) cls = wsim_class_new ("__PARAMETERS", NULL, defs, 2, NULL);
  WsimObject *obj = wsim_object_new (cls);

  wsim_value_set_integer (wsim_object_get_value (obj, 0), CIM_UINT32, FALSE, 0, 40);
  wsim_value_set_integer (wsim_object_get_value (obj, 1), CIM_UINT32, FALSE, 0, 2);
  return obj;
}

static void
bench_latency (const char *wmisimd, const char *dir)
{
  enum { N_MAX = 2000 };
  const guint N = scaled (N_MAX);
  Daemon d = daemon_start (wmisimd, dir, "count=1;props=10;size=20");
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimClient) client = wsim_client_connect (ctx, d.address, &error);
  g_autoptr(WsimServices) s = wsim_client_open_namespace (client, "root\\cimv2", &error);
  g_autoptr(GSocketAddress) addr = wsim_address_parse (d.address, NULL);
  g_autoptr(WsimRpcClient) raw = wsim_rpc_client_connect (ctx, addr, WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &error);
  static gint64 call_us[N_MAX], null_us[N_MAX], method_us[N_MAX];
  g_autoptr(WsimObject) in = add_in_params ();

  for (guint i = 0; i < N; i++)
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

      {
        WsimSinkRecorder *mrec;
        g_autoptr(WsimSink) msink = wsim_sink_recorder_new (&mrec);

        t0 = g_get_monotonic_time ();
        if (wsim_services_exec_method_async (s, "Sim_Methods", "Add", in, 0, msink, NULL) != WBEM_S_NO_ERROR
            || !run_until_complete (ctx, mrec) || mrec->n_objects != 1)
          g_error ("ExecMethodAsync Sim_Methods.Add failed");
        method_us[i] = g_get_monotonic_time () - t0;
      }
    }
  qsort (call_us, N, sizeof call_us[0], cmp_i64);
  qsort (null_us, N, sizeof null_us[0], cmp_i64);
  printf ("latency, median of %u: 1-instance CreateInstanceEnumAsync -> final SetStatus %" G_GINT64_FORMAT
          " us; NULL call round trip %" G_GINT64_FORMAT " us; ratio %.2f (p90 %" G_GINT64_FORMAT
          " / %" G_GINT64_FORMAT " us)\n", N, call_us[N / 2], null_us[N / 2],
          (double) call_us[N / 2] / (double) MAX (null_us[N / 2], 1), call_us[N * 9 / 10],
          null_us[N * 9 / 10]);
  qsort (method_us, N, sizeof method_us[0], cmp_i64);
  bench_result ("latency_enum us=%" G_GINT64_FORMAT " null_us=%" G_GINT64_FORMAT " calls=%u",
                call_us[N / 2], null_us[N / 2], N);
  printf ("latency, median of %u: ExecMethodAsync Sim_Methods.Add -> out-parameters and final SetStatus %"
          G_GINT64_FORMAT " us; ratio to the NULL call %.2f (p90 %" G_GINT64_FORMAT " us)\n", N,
          method_us[N / 2], (double) method_us[N / 2] / (double) MAX (null_us[N / 2], 1),
          method_us[N * 9 / 10]);
  bench_result ("latency_exec us=%" G_GINT64_FORMAT " null_us=%" G_GINT64_FORMAT " calls=%u",
                method_us[N / 2], null_us[N / 2], N);
  g_clear_pointer (&raw, wsim_rpc_client_unref);
  g_clear_pointer (&s, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  daemon_stop (&d);
}

static void
bench_open_calls (const char *wmisimd, const char *dir, guint n)
{
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
  for (guint i = 0; i < n; i++)
    {
      WsimSinkRecorder *rec;
      WsimSink *sink = wsim_sink_recorder_new (&rec);

      g_ptr_array_add (sinks, sink);
      if (wsim_services_create_instance_enum_async (s, "Sim_Sequence", 0, sink, NULL) != WBEM_S_NO_ERROR)
        g_error ("call %u refused", i);
    }
  after = proc_kib (d.pid, "VmRSS:");
  printf ("open calls: %u calls waiting in the provider: server RSS %ld -> %ld KiB, %.0f bytes per call\n",
          n, before, after, (after - before) * 1024.0 / n);
  bench_result ("open_calls calls=%u bytes_per_call=%.0f", n, (after - before) * 1024.0 / n);
  daemon_stop (&d);   /* the sinks' calls end with the server (shutting down) */
  while (g_main_context_iteration (ctx, FALSE))
    ;
}

/* The blanket of --level WORD --mech MECH [--user NAME]: a fixed level (DEFAULT would be
 * negotiated, so the row would not say which level it measured), Kerberos with the default
 * credentials (KRB5_CLIENT_KTNAME's alice in the benchmark's realm) or NTLMSSP as WSIM\alice
 * (the realm's NTLM_USER_FILE). FALSE, after saying why, for bad usage. */
static gboolean
wsim_bench_blanket (const char *level, const char *mech, const char *user, WsimBlanket *b)
{
  WsimBlanket init = WSIM_BLANKET_INIT;

  *b = init;
  if (!wsim_authn_level_parse (level, &b->authn_level) || b->authn_level == RPC_C_AUTHN_LEVEL_DEFAULT)
    {
      fprintf (stderr, "bench-runtime: --level takes a fixed level: none, connect, call, pkt, "
               "pktIntegrity or pktPrivacy\n");
      return FALSE;
    }
  if (mech == NULL || g_str_equal (mech, "kerberos"))
    {
      b->authn_svc = RPC_C_AUTHN_GSS_KERBEROS;
      b->user = g_strdup (user);
    }
  else if (g_str_equal (mech, "ntlm"))
    {
      b->authn_svc = RPC_C_AUTHN_WINNT;
      b->domain = g_strdup ("WSIM");
      b->user = g_strdup (user != NULL ? user : "alice");
    }
  else
    {
      fprintf (stderr, "bench-runtime: --mech kerberos|ntlm\n");
      return FALSE;
    }
  return TRUE;
}

/* --level: one enumeration at one level, one line for run-gss.sh. */
static int
bench_enumerate_at_level (const char *wmisimd, const char *dir, guint count, const WsimBlanket *b)
{
  g_autoptr(GError) error = NULL;
  /* Who the client was, as the channel spells it: the domain goes before a bare name only. */
  gboolean qualify = b->domain != NULL && b->user != NULL && strpbrk (b->user, "\\@") == NULL;
  EnumResult r;

  if (!enumerate_once (wmisimd, dir, count, b, &r, &error))
    {
      fprintf (stderr, "bench-runtime: %s/%s: %s\n", wsim_authn_level_word (b->authn_level),
               wsim_authn_svc_name (b->authn_svc), error->message);
      return 1;
    }
  /* The level the client got, not the one asked for: CALL travels as PKT on a stream. */
  printf ("enumerate class=Sim_Sequence props=%d size=%d auth=%s/%s callbacks=%s user=%s%s%s "
          "count=%u instances=%" G_GUINT64_FORMAT " indicate_calls=%u seconds=%.3f "
          "instances_per_s=%.0f mb_per_s=%.1f server_peak_rss_kib=%ld\n", ENUM_PROPS, ENUM_SIZE,
          wsim_authn_level_word (r.level), wsim_authn_svc_name (b->authn_svc),
          wsim_daemon_callback_level != NULL ? wsim_daemon_callback_level : "ladder",
          qualify ? b->domain : "", qualify ? "\\" : "",
          b->user != NULL ? b->user : "(default)", count, r.instances, r.n_indicate, r.seconds,
          r.instances / r.seconds, values_mb_per_s (&r), r.peak_rss_kib);
  return 0;
}

/* ---- 4. writes into the repository ---------------------------------------------------- */

#define WRITES_MOF "#pragma namespace(\"root\\\\bench\")\n" \
                   "class Bench_Item { [key] uint32 Id; string Text; };\n"

/* Bench_Item Id=@id (delete: its path, in *@path) with a short Text. */
static WsimObject *
bench_item (WsimClass *cls, guint id)
{
  WsimObject *obj = wsim_object_new (cls);

  wsim_value_set_integer (wsim_object_get_value (obj, 0), CIM_UINT32, FALSE, 0, id);
  wsim_value_set_string (wsim_object_get_value (obj, 1), "a benchmark's instance");
  return obj;
}

/* @n puts (or deletes) of Id base … base+n-1, at most @depth in flight; every one must
 * succeed. Returns: operations per second. */
static double
bench_write_ops (GMainContext *ctx, WsimServices *s, WsimClass *cls, gboolean del, guint n,
                 guint depth)
{
  g_autofree WsimSinkRecorder **recs = g_new0 (WsimSinkRecorder *, n);
  g_autofree WsimSink **sinks = g_new0 (WsimSink *, n);
  guint issued = 0, done = 0, first_open = 0;
  gint64 t0 = g_get_monotonic_time ();

  while (done < n)
    {
      while (issued < n && issued - done < depth)
        {
          g_autoptr(GError) error = NULL;
          WsimHResult hr;

          sinks[issued] = wsim_sink_recorder_new (&recs[issued]);
          if (del)
            {
              g_autofree char *path = g_strdup_printf ("Bench_Item.Id=%u", issued);

              hr = wsim_services_delete_instance_async (s, path, 0, sinks[issued], &error);
            }
          else
            {
              g_autoptr(WsimObject) obj = bench_item (cls, issued);

              hr = wsim_services_put_instance_async (s, obj, WBEM_FLAG_CREATE_ONLY, sinks[issued],
                                                     &error);
            }
          if (hr != WBEM_S_NO_ERROR)
            g_error ("%s %u: %s", del ? "delete" : "put", issued, error->message);
          issued++;
        }
      g_main_context_iteration (ctx, TRUE);
      for (guint i = first_open; i < issued; i++)
        if (sinks[i] != NULL && wsim_sink_recorder_is_complete (recs[i]))
          {
            if (recs[i]->final_hr != WBEM_S_NO_ERROR)
              g_error ("%s %u ended with 0x%08X", del ? "delete" : "put", i, recs[i]->final_hr);
            g_clear_pointer (&sinks[i], wsim_sink_unref);
            done++;
          }
      while (first_open < issued && sinks[first_open] == NULL)
        first_open++;
    }
  return n / ((g_get_monotonic_time () - t0) / 1e6);
}

static void
bench_writes (const char *wmisimd, const char *dir)
{
  enum { DEPTH = 64, N_NULL = 500 };
  const guint N_ONE = scaled (300), N_BATCH = scaled (3000);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("wsim-bench-repo-XXXXXX", &error);
  g_autofree char *mof = g_build_filename (tmp, "bench.mof", NULL);
  g_autofree char *repo = g_build_filename (tmp, "repo", NULL);
  g_autofree char *file = g_build_filename (repo, "repository.dat", NULL);
  char *argv[] = { (char *) wmisimd, (char *) "--provider-dir", (char *) dir, (char *) "--mof", mof,
                   (char *) "--repository", repo, NULL };
  Daemon d;
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(WsimClient) client = NULL;
  g_autoptr(WsimServices) s = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(WsimRpcClient) raw = NULL;
  const wsim_property_def defs[] = { { (char *) "Id", CIM_UINT32, TRUE }, { (char *) "Text", CIM_STRING, FALSE } };
  g_autoptr(WsimClass) cls = wsim_class_new ("Bench_Item", NULL, defs, 2, NULL);
  static gint64 null_us[N_NULL];
  double put1, del1, putn, deln;

  if (tmp == NULL || !g_file_set_contents (mof, WRITES_MOF, -1, &error))
    g_error ("bench-runtime: %s", error->message);
  d = daemon_start_argv (argv);
  client = wsim_client_connect (ctx, d.address, &error);
  s = client != NULL ? wsim_client_open_namespace (client, "root\\bench", &error) : NULL;
  addr = wsim_address_parse (d.address, NULL);
  raw = wsim_rpc_client_connect (ctx, addr, WSIM_SERVICE_PROG, WSIM_SERVICE_V1, &error);
  if (s == NULL || raw == NULL)
    g_error ("bench-runtime: %s", error->message);
  for (int i = 0; i < N_NULL; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!wsim_rpc_client_call_sync (raw, NULLPROC, WSIM_XDRPROC (xdr_void), NULL, WSIM_XDRPROC (xdr_void),
                                      NULL, -1, NULL, &error))
        g_error ("NULL call: %s", error->message);
      null_us[i] = g_get_monotonic_time () - t0;
    }
  qsort (null_us, N_NULL, sizeof null_us[0], cmp_i64);
  put1 = bench_write_ops (ctx, s, cls, FALSE, N_ONE, 1);
  del1 = bench_write_ops (ctx, s, cls, TRUE, N_ONE, 1);
  putn = bench_write_ops (ctx, s, cls, FALSE, N_BATCH, DEPTH);
  deln = bench_write_ops (ctx, s, cls, TRUE, N_BATCH, DEPTH);
  printf ("writes into the repository (%s, each success after its fsync): NULL call round trip "
          "median %" G_GINT64_FORMAT " us (%.0f/s)\n", tmp, null_us[N_NULL / 2],
          1e6 / (double) MAX (null_us[N_NULL / 2], 1));
  printf ("  one at a time: PutInstanceAsync %.0f/s, DeleteInstanceAsync %.0f/s (%u each)\n", put1,
          del1, N_ONE);
  printf ("  %d in flight (group commit): PutInstanceAsync %.0f/s, DeleteInstanceAsync %.0f/s "
          "(%u each)\n", DEPTH, putn, deln, N_BATCH);
  bench_result ("writes null_us=%" G_GINT64_FORMAT " put1_per_s=%.0f del1_per_s=%.0f "
                "put%d_per_s=%.0f del%d_per_s=%.0f", null_us[N_NULL / 2], put1, del1, DEPTH, putn,
                DEPTH, deln);
  g_clear_pointer (&raw, wsim_rpc_client_unref);
  g_clear_pointer (&s, wsim_services_unref);
  g_clear_pointer (&client, wsim_client_unref);
  daemon_stop (&d);
  g_unlink (file);
  g_unlink (mof);
  g_rmdir (repo);
  g_rmdir (tmp);
}

int
main (int argc, char **argv)
{
  g_autofree char *level = NULL, *mech = NULL, *user = NULL;
  g_auto(WsimBlanket) blanket = WSIM_BLANKET_INIT;
  g_autofree char *callback_level = NULL;
  gint count = 100000, server_cpu = -1, open_calls = 10000;
  gboolean quick = FALSE;
  GOptionEntry entries[] = {
    { "level", 'l', 0, G_OPTION_ARG_STRING, &level, "Only the enumeration, authenticated at this "
      "level (none, connect, call, pkt, pktIntegrity, pktPrivacy)", "WORD" },
    { "mech", 0, 0, G_OPTION_ARG_STRING, &mech, "With --level: kerberos (default) or ntlm", "MECH" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "With --level: who to be (default: Kerberos's "
      "default credentials, alice in domain WSIM for ntlm)", "NAME" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "With --level: instances to enumerate (default "
      "100000)", "N" },
    { "callback-level", 0, 0, G_OPTION_ARG_STRING, &callback_level, "With --level: the daemon "
      "calls back at this level only (default: its ladder)", "WORD" },
    { "server-cpu", 0, 0, G_OPTION_ARG_INT, &server_cpu, "Pin each wmisimd to this cpu", "N" },
    { "open-calls", 0, 0, G_OPTION_ARG_INT, &open_calls, "Calls to hold open for the memory per "
      "open call (default 10000)", "N" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "A smoke run: every count but "
      "--open-calls divided by 20", NULL },
    { NULL }
  };

  if (!bench_parse_options ("WMISIMD PROVIDER_DIR - the runtime benchmark", entries, &argc, &argv))
    return 2;
  if (argc != 3 || count < 1 || server_cpu >= CPU_SETSIZE || open_calls < 1
      || (level == NULL && (mech != NULL || user != NULL || callback_level != NULL)))
    {
      fprintf (stderr, "usage: bench-runtime [--level WORD [--mech kerberos|ntlm] [--user NAME] "
               "[--count N] [--callback-level WORD]] [--server-cpu N] [--open-calls N] [--quick] "
               "WMISIMD PROVIDER_DIR\n");
      return 2;
    }
  wsim_daemon_cpu = server_cpu;
  wsim_daemon_callback_level = callback_level;
  wsim_bench_divisor = quick ? QUICK_DIVISOR : 1;
  if (level != NULL)
    {
      if (!wsim_bench_blanket (level, mech, user, &blanket))
        return 2;
      return bench_enumerate_at_level (argv[1], argv[2], (guint) count, &blanket);
    }
  /* These measure the async machinery, not security: AUTH_NONE as the process default, so
   * they need no credentials (the security benchmark measures the levels). */
  blanket.authn_level = RPC_C_AUTHN_LEVEL_NONE;
  if (!wsim_security_initialize (&blanket, NULL))
    g_error ("cannot set the process security");
  bench_enumerate (argv[1], argv[2], scaled (100000));
  bench_enumerate (argv[1], argv[2], scaled (400000));
  {
    /* Semisync Next(…, 100) next to async: one daemon, one client, alternating rounds. */
    guint n = scaled (200000);
    g_autofree char *params = g_strdup_printf ("count=%u;props=10;size=20", n);
    Daemon d = daemon_start (argv[1], argv[2], params);

    bench_semisync_vs_async (d.address, n, quick ? 1 : 3);
    daemon_stop (&d);
  }
  bench_latency (argv[1], argv[2]);
  bench_open_calls (argv[1], argv[2], (guint) open_calls);
  bench_writes (argv[1], argv[2]);
  return 0;
}
