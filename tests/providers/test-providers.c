/* test-providers.c: the sample provider modules, each loaded as the runtime loads it and
 * driven by the fake host (fake-host.c): their schemas, what they post and in which order,
 * BUSY/resume, timers, cancellation, and the two broken modules the runtime must refuse.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake-host.h"

/* Generous: valgrind runs these ten times slower. */
#define TIMEOUT_MS 60000

static FhModule *
open_module (const char *path, const char *params)
{
  char *err = NULL;
  FhModule *mod = fh_module_open (path, params, &err);
  cr_assert_not_null (mod, "cannot load %s: %s", path, err != NULL ? err : "?");
  return mod;
}

/* The host's own invariants, which every call must keep. */
static void
assert_clean (FhCall *call)
{
  cr_assert_eq (call->n_set_errors, 0, "setters refused %u values", call->n_set_errors);
  cr_assert_eq (call->n_live_instances, 0, "%d instances leaked", call->n_live_instances);
  cr_assert_eq (call->n_busy_violations, 0, "%u posts after BUSY", call->n_busy_violations);
}

static void
assert_sequence (FhCall *call, const char *expected)
{
  g_autofree char *seq = fh_call_sequence (call);
  cr_assert_str_eq (seq, expected);
}

static void
assert_dmtf_utc (const char *v)
{
  cr_assert_not_null (v);
  cr_assert (g_regex_match_simple ("^[0-9]{14}\\.[0-9]{6}\\+000$", v, 0, 0), "bad DMTF %s", v);
}

static void
dmtf_now_utc (char out[32])
{
  time_t now = time (NULL);
  struct tm tm;
  gmtime_r (&now, &tm);
  strftime (out, 32, "%Y%m%d%H%M%S.999999+000", &tm);
}

/* ---- schemas ---------------------------------------------------------------------- */

typedef struct {
  const char *name;
  uint32_t    cimtype;
  int         is_key;
} ExpectedProp;

static void
assert_schema (const char *path, const char *class_name, const ExpectedProp *expected, size_t n)
{
  FhModule *mod = open_module (path, NULL);
  const WsimProvider *prov = mod->provider;
  cr_assert_eq (prov->abi_version, WSIM_PROVIDER_ABI_VERSION);
  cr_assert_eq (prov->n_classes, 1);
  cr_assert_not_null (prov->enumerate);
  cr_assert_str_eq (prov->classes[0].name, class_name);
  cr_assert_null (prov->classes[0].superclass);
  cr_assert_eq (prov->classes[0].n_props, n, "%s: %zu properties", class_name,
                prov->classes[0].n_props);
  for (size_t i = 0; i < n; i++)
    {
      const WsimProvProperty *p = &prov->classes[0].props[i];
      cr_assert_str_eq (p->name, expected[i].name);
      cr_assert_eq (p->cimtype, expected[i].cimtype, "%s.%s type %u", class_name, p->name, p->cimtype);
      cr_assert_eq (!!p->is_key, expected[i].is_key, "%s.%s key flag", class_name, p->name);
    }
  fh_module_close (mod);
}

Test (schema, win32_process)
{
  static const ExpectedProp props[] = {
    { "Handle", WSIM_PROV_STRING, 1 },
    { "Name", WSIM_PROV_STRING, 0 },
    { "ProcessId", WSIM_PROV_UINT32, 0 },
    { "ParentProcessId", WSIM_PROV_UINT32, 0 },
    { "ExecutablePath", WSIM_PROV_STRING, 0 },
    { "CommandLine", WSIM_PROV_STRING, 0 },
    { "ThreadCount", WSIM_PROV_UINT32, 0 },
    { "WorkingSetSize", WSIM_PROV_UINT64, 0 },
    { "CreationDate", WSIM_PROV_DATETIME, 0 },
  };
  assert_schema (FH_MODULE_WIN32_PROCESS, "Win32_Process", props, G_N_ELEMENTS (props));
}

Test (schema, win32_os)
{
  static const ExpectedProp props[] = {
    { "Name", WSIM_PROV_STRING, 1 },
    { "Caption", WSIM_PROV_STRING, 0 },
    { "Version", WSIM_PROV_STRING, 0 },
    { "BuildNumber", WSIM_PROV_STRING, 0 },
    { "OSArchitecture", WSIM_PROV_STRING, 0 },
    { "CSName", WSIM_PROV_STRING, 0 },
    { "LastBootUpTime", WSIM_PROV_DATETIME, 0 },
    { "LocalDateTime", WSIM_PROV_DATETIME, 0 },
    { "TotalVisibleMemorySize", WSIM_PROV_UINT64, 0 },
    { "FreePhysicalMemory", WSIM_PROV_UINT64, 0 },
    { "NumberOfProcesses", WSIM_PROV_UINT32, 0 },
    { "Manufacturer", WSIM_PROV_STRING, 0 },
  };
  assert_schema (FH_MODULE_WIN32_OS, "Win32_OperatingSystem", props, G_N_ELEMENTS (props));
}

Test (schema, sim_sequence)
{
  ExpectedProp props[33] = { { "Id", WSIM_PROV_UINT64, 1 } };
  char names[33][8];
  for (int k = 1; k <= 32; k++)
    {
      snprintf (names[k], sizeof names[k], "P%d", k);
      props[k] = (ExpectedProp) { names[k], WSIM_PROV_STRING, 0 };
    }
  assert_schema (FH_MODULE_SIM_SEQUENCE, "Sim_Sequence", props, G_N_ELEMENTS (props));
}

Test (schema, sim_faulty)
{
  static const ExpectedProp props[] = {
    { "Id", WSIM_PROV_UINT32, 1 },
    { "Note", WSIM_PROV_STRING, 0 },
  };
  assert_schema (FH_MODULE_SIM_FAULTY, "Sim_Faulty", props, G_N_ELEMENTS (props));
}

/* ---- Win32_Process ---------------------------------------------------------------- */

static char *
self_comm (void)
{
  char *comm = NULL;
  cr_assert (g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL));
  g_strchomp (comm);
  return comm;
}

/* /proc/self/cmdline with its NUL separators as spaces. */
static char *
self_cmdline (void)
{
  char *cmd = NULL;
  gsize len = 0;
  cr_assert (g_file_get_contents ("/proc/self/cmdline", &cmd, &len, NULL));
  while (len > 0 && cmd[len - 1] == '\0')
    len--;
  for (gsize i = 0; i < len; i++)
    if (cmd[i] == '\0')
      cmd[i] = ' ';
  cmd[len] = '\0';
  return cmd;
}

/* Checks the instance of this process. */
static void
assert_self (const FhEvent *ev)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *ppid = g_strdup_printf ("%d", (int) getppid ());
  g_autofree char *comm = self_comm ();
  char exe[PATH_MAX + 1];
  ssize_t n = readlink ("/proc/self/exe", exe, PATH_MAX);
  cr_assert_gt (n, 0);
  exe[n] = '\0';

  cr_assert_str_eq (fh_event_value (ev, "Handle"), pid);
  cr_assert_str_eq (fh_event_value (ev, "ProcessId"), pid);
  cr_assert_str_eq (fh_event_value (ev, "ParentProcessId"), ppid);
  cr_assert_str_eq (fh_event_value (ev, "Name"), comm);
  if (g_getenv ("WSIM_UNDER_VALGRIND") == NULL)
    cr_assert_str_eq (comm, "test-providers");
  cr_assert_str_eq (fh_event_value (ev, "ExecutablePath"), exe);

  /* Criterion's workers rewrite their argv ("boxfort-worker"), so compare with /proc. */
  g_autofree char *expected_cmdline = self_cmdline ();
  cr_assert_str_eq (fh_event_value (ev, "CommandLine"), expected_cmdline);

  const char *threads = fh_event_value (ev, "ThreadCount");
  cr_assert_not_null (threads);
  cr_assert_geq (g_ascii_strtoull (threads, NULL, 10), 1);
  const char *rss = fh_event_value (ev, "WorkingSetSize");
  cr_assert_not_null (rss);
  cr_assert_gt (g_ascii_strtoull (rss, NULL, 10), 0);

  const char *created = fh_event_value (ev, "CreationDate");
  assert_dmtf_utc (created);
  char now[32];
  dmtf_now_utc (now);
  cr_assert_leq (strcmp (created, now), 0, "created %s after now %s", created, now);
  cr_assert_geq (strncmp (created, "2000", 4), 0, "created %s", created);
}

static void
enumerate_processes (guint busy_every)
{
  FhModule *mod = open_module (FH_MODULE_WIN32_PROCESS, NULL);
  FhCall *call = fh_call_new (mod);
  call->busy_every = busy_every;

  fh_call_enumerate (call, "Win32_Process");
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  const FhEvent *last = g_ptr_array_index (call->events, call->events->len - 1);
  cr_assert_eq (last->kind, FH_EVENT_RESULT);
  cr_assert_eq (last->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_eq (call->n_results, 1);
  cr_assert_gt (call->n_instances, 1);

  /* Every instance is a distinct, live-looking process. */
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i + 1 < call->events->len; i++)
    {
      const FhEvent *ev = g_ptr_array_index (call->events, i);
      cr_assert_eq (ev->kind, FH_EVENT_INSTANCE);
      cr_assert_str_eq (ev->class_name, "Win32_Process");
      const char *handle = fh_event_value (ev, "Handle");
      cr_assert_not_null (handle);
      cr_assert (g_hash_table_add (seen, (gpointer) handle), "Handle %s twice", handle);
      cr_assert_str_eq (fh_event_value (ev, "ProcessId"), handle);
      cr_assert_not_null (fh_event_value (ev, "Name"));
      assert_dmtf_utc (fh_event_value (ev, "CreationDate"));
    }

  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  const FhEvent *self = fh_call_find_instance (call, "Handle", pid);
  cr_assert_not_null (self, "own pid %s not enumerated", pid);
  assert_self (self);
  if (busy_every != 0)
    {
      cr_assert_eq (call->n_busy, call->n_instances / busy_every);
      cr_assert_eq (call->n_resumes, call->n_busy);
    }
  assert_clean (call);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (win32_process, enumerate_finds_self)
{
  enumerate_processes (0);
}

Test (win32_process, enumerate_busy_resume)
{
  enumerate_processes (3);
}

Test (win32_process, vanished_process_is_skipped)
{
  int fds[2];
  cr_assert_eq (pipe (fds), 0);
  pid_t child = fork ();
  cr_assert_geq (child, 0);
  if (child == 0)
    {
      char c;
      close (fds[1]);
      while (read (fds[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (fds[0]);
  g_autofree char *handle = g_strdup_printf ("%d", (int) child);

  /* BUSY on every post: the provider stops after one instance, holding its snapshot. */
  FhModule *mod = open_module (FH_MODULE_WIN32_PROCESS, NULL);
  FhCall *call = fh_call_new (mod);
  call->busy_every = 1;
  fh_call_enumerate (call, "Win32_Process");
  cr_assert_eq (call->n_instances, 1);
  cr_assert_null (fh_call_find_instance (call, "Handle", handle), "the child came first");

  /* The child goes while the call waits for resume(). */
  close (fds[1]);
  cr_assert_eq (waitpid (child, NULL, 0), child);
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_null (fh_call_find_instance (call, "Handle", handle));
  g_autofree char *self = g_strdup_printf ("%d", (int) getpid ());
  cr_assert_not_null (fh_call_find_instance (call, "Handle", self));
  assert_clean (call);
  fh_call_free (call);
  fh_module_close (mod);
}

static FhCall *
get_process (FhModule *mod, const char *handle)
{
  FhCall *call = fh_call_new (mod);
  WsimProvKey key = { "Handle", handle };
  fh_call_get (call, "Win32_Process", &key, 1);
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_clean (call);
  return call;
}

Test (win32_process, get_self)
{
  FhModule *mod = open_module (FH_MODULE_WIN32_PROCESS, NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  FhCall *call = get_process (mod, pid);
  assert_sequence (call, "instance,result");
  assert_self (g_ptr_array_index (call->events, 0));
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  fh_call_free (call);

  /* BUSY on the one instance: the result waits for resume(). */
  call = fh_call_new (mod);
  call->busy_every = 1;
  WsimProvKey key = { "handle", pid };
  fh_call_get (call, "Win32_Process", &key, 1);
  assert_sequence (call, "instance");
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  cr_assert_eq (call->n_resumes, 1);
  assert_clean (call);
  fh_call_free (call);
  fh_module_close (mod);
}

/* A pid no process has now. */
static int
free_pid (void)
{
  char *text = NULL;
  long max = 32768;
  if (g_file_get_contents ("/proc/sys/kernel/pid_max", &text, NULL, NULL))
    max = strtol (text, NULL, 10);
  g_free (text);
  for (long pid = max - 1; pid > 1; pid--)
    if (kill ((pid_t) pid, 0) < 0 && errno == ESRCH)
      return (int) pid;
  cr_assert_fail ("no free pid");
  return -1;
}

/* A thread that tells its tid and waits to be released. */
typedef struct {
  GMutex mutex;
  GCond  cond;
  pid_t  tid;
  gboolean release;
} ThreadInfo;

static gpointer
thread_main (gpointer data)
{
  ThreadInfo *ti = data;
  g_mutex_lock (&ti->mutex);
  ti->tid = gettid ();
  g_cond_broadcast (&ti->cond);
  while (!ti->release)
    g_cond_wait (&ti->cond, &ti->mutex);
  g_mutex_unlock (&ti->mutex);
  return NULL;
}

Test (win32_process, get_thread_is_not_a_process)
{
  ThreadInfo ti = { 0 };
  g_mutex_init (&ti.mutex);
  g_cond_init (&ti.cond);
  GThread *thread = g_thread_new ("tid", thread_main, &ti);
  g_mutex_lock (&ti.mutex);
  while (ti.tid == 0)
    g_cond_wait (&ti.cond, &ti.mutex);
  g_mutex_unlock (&ti.mutex);

  FhModule *mod = open_module (FH_MODULE_WIN32_PROCESS, NULL);
  g_autofree char *tid = g_strdup_printf ("%d", (int) ti.tid);
  FhCall *call = get_process (mod, tid);
  assert_sequence (call, "result");
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND);
  fh_call_free (call);
  fh_module_close (mod);

  g_mutex_lock (&ti.mutex);
  ti.release = TRUE;
  g_cond_broadcast (&ti.cond);
  g_mutex_unlock (&ti.mutex);
  g_thread_join (thread);
  g_mutex_clear (&ti.mutex);
  g_cond_clear (&ti.cond);
}

Test (win32_process, get_not_found)
{
  FhModule *mod = open_module (FH_MODULE_WIN32_PROCESS, NULL);
  g_autofree char *missing = g_strdup_printf ("%d", free_pid ());
  g_autofree char *padded = g_strdup_printf ("0%d", (int) getpid ());
  const char *handles[] = { missing, "0", "abc", "-1", "", padded, "99999999999" };

  for (size_t i = 0; i < G_N_ELEMENTS (handles); i++)
    {
      FhCall *call = get_process (mod, handles[i]);
      assert_sequence (call, "result");
      cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND, "Handle \"%s\"", handles[i]);
      fh_call_free (call);
    }

  /* Not keyed by Handle at all. */
  FhCall *call = fh_call_new (mod);
  WsimProvKey key = { "Name", "bash" };
  fh_call_get (call, "Win32_Process", &key, 1);
  assert_sequence (call, "result");
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_INVALID_PARAMETER);
  fh_call_free (call);
  fh_module_close (mod);
}

/* ---- Win32_OperatingSystem -------------------------------------------------------- */

Test (win32_os, enumerate)
{
  FhModule *mod = open_module (FH_MODULE_WIN32_OS, NULL);
  FhCall *call = fh_call_new (mod);
  fh_call_enumerate (call, "Win32_OperatingSystem");
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  assert_clean (call);

  const FhEvent *ev = g_ptr_array_index (call->events, 0);
  struct utsname un;
  cr_assert_eq (uname (&un), 0);
  char host[256] = "";
  cr_assert_eq (gethostname (host, sizeof host - 1), 0);

  cr_assert_str_eq (fh_event_value (ev, "Version"), un.release);
  cr_assert_str_eq (fh_event_value (ev, "BuildNumber"), un.version);
  cr_assert_str_eq (fh_event_value (ev, "CSName"), host);
  cr_assert_str_eq (fh_event_value (ev, "OSArchitecture"), sizeof (void *) == 8 ? "64-bit" : "32-bit");
  const char *name = fh_event_value (ev, "Name");
  cr_assert_not_null (name);
  cr_assert_gt (strlen (name), 0);
  cr_assert_str_eq (fh_event_value (ev, "Caption"), name);
  g_autofree char *os_release = NULL;
  if (g_file_get_contents ("/etc/os-release", &os_release, NULL, NULL))
    {
      g_autofree char *line = g_strdup_printf ("PRETTY_NAME=\"%s\"", name);
      cr_assert_not_null (strstr (os_release, line), "Name %s", name);
    }
  const char *manufacturer = fh_event_value (ev, "Manufacturer");
  cr_assert_not_null (manufacturer);
  cr_assert (g_ascii_isupper (manufacturer[0]), "Manufacturer %s", manufacturer);

  assert_dmtf_utc (fh_event_value (ev, "LastBootUpTime"));
  const char *local = fh_event_value (ev, "LocalDateTime");
  cr_assert (g_regex_match_simple ("^[0-9]{14}\\.[0-9]{6}[+-][0-9]{3}$", local, 0, 0), "%s", local);

  guint64 total = g_ascii_strtoull (fh_event_value (ev, "TotalVisibleMemorySize"), NULL, 10);
  guint64 free_kib = g_ascii_strtoull (fh_event_value (ev, "FreePhysicalMemory"), NULL, 10);
  cr_assert_gt (total, 0);
  cr_assert_leq (free_kib, total);
  cr_assert_gt (g_ascii_strtoull (fh_event_value (ev, "NumberOfProcesses"), NULL, 10), 0);
  fh_call_free (call);

  /* BUSY on the instance: the result comes with resume(). */
  call = fh_call_new (mod);
  call->busy_every = 1;
  fh_call_enumerate (call, "Win32_OperatingSystem");
  assert_sequence (call, "instance");
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  assert_clean (call);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (win32_os, get)
{
  FhModule *mod = open_module (FH_MODULE_WIN32_OS, NULL);
  FhCall *call = fh_call_new (mod);
  fh_call_enumerate (call, "Win32_OperatingSystem");
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  g_autofree char *name = g_strdup (fh_event_value (g_ptr_array_index (call->events, 0), "Name"));
  fh_call_free (call);

  call = fh_call_new (mod);
  WsimProvKey key = { "Name", name };
  fh_call_get (call, "Win32_OperatingSystem", &key, 1);
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  cr_assert_str_eq (fh_event_value (g_ptr_array_index (call->events, 0), "Name"), name);
  assert_clean (call);
  fh_call_free (call);

  call = fh_call_new (mod);
  key.value = "Microsoft Windows 10 Pro";
  fh_call_get (call, "Win32_OperatingSystem", &key, 1);
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "result");
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND);
  fh_call_free (call);
  fh_module_close (mod);
}

/* ---- Sim_Sequence ----------------------------------------------------------------- */

/* Checks that @call posted instances Ids 0..count-1, each once, with @props values of
 * @size bytes, then one S_OK result. */
static void
assert_sequence_instances (FhCall *call, guint count, guint props, guint size)
{
  cr_assert_eq (call->n_instances, count);
  cr_assert_eq (call->n_results, 1);
  cr_assert_eq (call->events->len, count + 1);
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_eq (((FhEvent *) g_ptr_array_index (call->events, count))->kind, FH_EVENT_RESULT);

  g_autofree guint8 *seen = g_new0 (guint8, count);
  for (guint i = 0; i < count; i++)
    {
      const FhEvent *ev = g_ptr_array_index (call->events, i);
      cr_assert_eq (ev->kind, FH_EVENT_INSTANCE);
      cr_assert_str_eq (ev->class_name, "Sim_Sequence");
      guint64 id = g_ascii_strtoull (fh_event_value (ev, "Id"), NULL, 10);
      cr_assert_lt (id, count);
      cr_assert_eq (seen[id], 0, "Id %" G_GUINT64_FORMAT " twice", id);
      seen[id] = 1;
      for (guint k = 1; k <= 32; k++)
        {
          char prop[8];
          snprintf (prop, sizeof prop, "P%u", k);
          const char *v = fh_event_value (ev, prop);
          if (k > props)
            {
              cr_assert_null (v, "%s set", prop);
              continue;
            }
          cr_assert_not_null (v, "%s NULL", prop);
          cr_assert_eq (strlen (v), size, "%s is %zu bytes", prop, strlen (v));
          /* The last digits are Id*100 + k. */
          char tail[24];
          int n = snprintf (tail, sizeof tail, "%020" G_GUINT64_FORMAT, id * 100 + k);
          size_t cmp = MIN ((size_t) size, (size_t) n);
          cr_assert_eq (memcmp (v + size - cmp, tail + n - cmp, cmp), 0, "%s = %s", prop, v);
          for (size_t j = 0; j + cmp < size; j++)
            cr_assert_eq (v[j], '0');
        }
    }
}

static FhCall *
run_sequence (FhModule *mod, guint busy_every)
{
  FhCall *call = fh_call_new (mod);
  call->busy_every = busy_every;
  fh_call_enumerate (call, "Sim_Sequence");
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_clean (call);
  return call;
}

Test (sim_sequence, thousand)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, "count=1000;props=10;size=20");
  FhCall *call = run_sequence (mod, 0);
  assert_sequence_instances (call, 1000, 10, 20);
  /* Ids in order, values as documented. */
  const FhEvent *ev = g_ptr_array_index (call->events, 7);
  cr_assert_str_eq (fh_event_value (ev, "Id"), "7");
  cr_assert_str_eq (fh_event_value (ev, "P3"), "00000000000000000703");
  cr_assert_eq (call->n_resumes, 0);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_sequence, busy_every_100th)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, "count=1000;props=10;size=20");
  FhCall *call = run_sequence (mod, 100);
  assert_sequence_instances (call, 1000, 10, 20);
  cr_assert_eq (call->n_busy, 10);
  cr_assert_eq (call->n_resumes, 10);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_sequence, defaults_and_sizes)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, NULL);
  FhCall *call = run_sequence (mod, 0);
  assert_sequence_instances (call, 10, 10, 16);
  fh_call_free (call);
  fh_module_close (mod);

  /* Shorter than the number (its last digits), longer than the stack buffer, none. */
  const struct { const char *params; guint count, props, size; } cases[] = {
    { "count=300;props=32;size=3", 300, 32, 3 },
    { "count=5;props=2;size=5000", 5, 2, 5000 },
    { "count=4;props=0;size=8", 4, 0, 8 },
    { "count=3;props=1;size=0", 3, 1, 0 },
    { "count=0", 0, 10, 16 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      mod = open_module (FH_MODULE_SIM_SEQUENCE, cases[i].params);
      call = run_sequence (mod, 7);
      assert_sequence_instances (call, cases[i].count, cases[i].props, cases[i].size);
      fh_call_free (call);
      fh_module_close (mod);
    }
}

Test (sim_sequence, bad_params)
{
  const char *params[] = { "props=33", "count=-1", "count=abc", "size=10x", "delay_ms=99999999999",
                           "batch=4294967296", "count=18446744073709551616" };
  for (size_t i = 0; i < G_N_ELEMENTS (params); i++)
    {
      FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, params[i]);
      FhCall *call = fh_call_new (mod);
      fh_call_enumerate (call, "Sim_Sequence");
      assert_sequence (call, "result");
      cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_INVALID_PARAMETER, "%s", params[i]);
      fh_call_free (call);
      fh_module_close (mod);
    }
}

static gboolean
result_or_early_post (FhCall *call, gpointer data)
{
  if (call->timers != NULL && call->n_instances > 0)
    *(gboolean *) data = TRUE;
  return call->n_results > 0;
}

Test (sim_sequence, delay)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, "count=5;delay_ms=30");
  FhCall *call = fh_call_new (mod);
  gint64 start = g_get_monotonic_time ();
  fh_call_enumerate (call, "Sim_Sequence");
  cr_assert_eq (call->events->len, 0, "posted before the timer");
  cr_assert_eq (fh_call_pending_timers (call), 1);

  gboolean early = FALSE;
  cr_assert (fh_call_run_until (call, result_or_early_post, &early, TIMEOUT_MS));
  cr_assert_not (early);
  cr_assert_geq (g_get_monotonic_time () - start, 30 * 1000);
  assert_sequence_instances (call, 5, 10, 16);
  assert_clean (call);
  fh_call_free (call);

  /* A call torn down while it waits posts nothing and frees its state (leak checkers). */
  call = fh_call_new (mod);
  fh_call_enumerate (call, "Sim_Sequence");
  fh_call_cancel (call);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_sequence, many_waiting_calls)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, "count=1;delay_ms=20");
  FhCall *calls[200];
  for (size_t i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      calls[i] = fh_call_new (mod);
      fh_call_enumerate (calls[i], "Sim_Sequence");
      cr_assert_eq (calls[i]->events->len, 0);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      cr_assert (fh_call_run_until_result (calls[i], TIMEOUT_MS));
      assert_sequence (calls[i], "instance,result");
      fh_call_free (calls[i]);
    }
  fh_module_close (mod);
}

Test (sim_sequence, batch_yields)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, "count=50;batch=7;props=1;size=4");
  FhCall *call = fh_call_new (mod);
  fh_call_enumerate (call, "Sim_Sequence");
  cr_assert_eq (call->n_instances, 7);
  cr_assert_eq (fh_call_pending_timers (call), 1);
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence_instances (call, 50, 1, 4);
  assert_clean (call);
  fh_call_free (call);

  /* Batch and BUSY together: neither step runs twice. */
  call = run_sequence (mod, 5);
  assert_sequence_instances (call, 50, 1, 4);
  cr_assert_eq (call->n_busy, 10);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_sequence, cancel)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, "count=1000000;batch=10;props=1");
  FhCall *call = fh_call_new (mod);
  fh_call_enumerate (call, "Sim_Sequence");
  cr_assert (fh_call_run_until_instances (call, 30, TIMEOUT_MS));
  guint before = call->n_instances;
  fh_call_cancel (call);
  /* The provider's pending timer fires, sees the cancel and stops by itself. */
  cr_assert (fh_call_run_until_idle (call, TIMEOUT_MS));
  cr_assert_eq (call->n_instances, before);
  cr_assert_eq (call->n_results, 0);
  assert_clean (call);
  fh_call_free (call);

  /* Cancelled while waiting for resume(): resume never comes, finish() frees. */
  call = fh_call_new (mod);
  call->busy_every = 4;
  fh_call_enumerate (call, "Sim_Sequence");
  cr_assert_eq (call->n_instances, 4);
  fh_call_cancel (call);
  cr_assert (fh_call_run_until_idle (call, TIMEOUT_MS));
  cr_assert_eq (call->n_instances, 4);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_sequence, get)
{
  FhModule *mod = open_module (FH_MODULE_SIM_SEQUENCE, "count=10;props=2;size=6");
  FhCall *call = fh_call_new (mod);
  WsimProvKey key = { "Id", "5" };
  fh_call_get (call, "Sim_Sequence", &key, 1);
  cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  const FhEvent *ev = g_ptr_array_index (call->events, 0);
  cr_assert_str_eq (fh_event_value (ev, "Id"), "5");
  cr_assert_str_eq (fh_event_value (ev, "P2"), "000502");
  assert_clean (call);
  fh_call_free (call);

  const char *missing[] = { "10", "x", "-1", "" };
  for (size_t i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      call = fh_call_new (mod);
      key.value = missing[i];
      fh_call_get (call, "Sim_Sequence", &key, 1);
      cr_assert (fh_call_run_until_result (call, TIMEOUT_MS));
      assert_sequence (call, "result");
      cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND, "Id \"%s\"", missing[i]);
      fh_call_free (call);
    }
  fh_module_close (mod);
}

/* ---- Sim_Faulty ------------------------------------------------------------------- */

static FhCall *
run_faulty (FhModule **mod, const char *mode)
{
  g_autofree char *params = g_strdup_printf ("mode=%s", mode);
  *mod = open_module (FH_MODULE_SIM_FAULTY, params);
  FhCall *call = fh_call_new (*mod);
  fh_call_enumerate (call, "Sim_Faulty");
  cr_assert (fh_call_run_until_idle (call, TIMEOUT_MS));
  assert_clean (call);
  return call;
}

Test (sim_faulty, no_result)
{
  FhModule *mod;
  FhCall *call = run_faulty (&mod, "no_result");
  assert_sequence (call, "instance,instance");
  cr_assert_str_eq (fh_event_value (g_ptr_array_index (call->events, 1), "Id"), "2");
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_faulty, two_results)
{
  FhModule *mod;
  FhCall *call = run_faulty (&mod, "two_results");
  assert_sequence (call, "instance,result,result");
  cr_assert_eq (((FhEvent *) g_ptr_array_index (call->events, 1))->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_eq (((FhEvent *) g_ptr_array_index (call->events, 2))->hresult, WSIM_PROV_E_FAILED);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_faulty, post_after_result)
{
  FhModule *mod;
  FhCall *call = run_faulty (&mod, "post_after_result");
  assert_sequence (call, "result,instance");
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_faulty, error)
{
  FhModule *mod;
  FhCall *call = run_faulty (&mod, "error");
  assert_sequence (call, "result");
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_FAILED);
  cr_assert_str_eq (fh_call_result (call)->message, "simulated failure");
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_faulty, bad_mode)
{
  FhModule *mod;
  FhCall *call = run_faulty (&mod, "crash");
  assert_sequence (call, "result");
  cr_assert_eq (fh_call_result (call)->hresult, WSIM_PROV_E_INVALID_PARAMETER);
  fh_call_free (call);
  fh_module_close (mod);
}

Test (sim_faulty, slow_until_cancelled)
{
  FhModule *mod = open_module (FH_MODULE_SIM_FAULTY, "mode=slow");
  FhCall *call = fh_call_new (mod);
  fh_call_enumerate (call, "Sim_Faulty");
  cr_assert_eq (call->events->len, 0);
  cr_assert (fh_call_run_until_instances (call, 3, TIMEOUT_MS));
  cr_assert_eq (fh_call_pending_timers (call), 1, "one tick at a time");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      cr_assert_str_eq (fh_event_value (g_ptr_array_index (call->events, i), "Id"), id);
    }
  guint before = call->n_instances;
  fh_call_cancel (call);
  cr_assert (fh_call_run_until_idle (call, TIMEOUT_MS));
  cr_assert_eq (call->n_instances, before);
  cr_assert_eq (call->n_results, 0);
  assert_clean (call);
  fh_call_free (call);

  /* Torn down mid-tick without a cancel: finish() drops the timer and the state. */
  call = fh_call_new (mod);
  fh_call_enumerate (call, "Sim_Faulty");
  cr_assert (fh_call_run_until_instances (call, 1, TIMEOUT_MS));
  fh_call_free (call);
  fh_module_close (mod);
}

/* ---- broken modules --------------------------------------------------------------- */

Test (broken, bad_abi)
{
  GModule *module = g_module_open (FH_MODULE_BAD_ABI, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  cr_assert_not_null (module, "%s", g_module_error ());
  gpointer sym = NULL;
  cr_assert (g_module_symbol (module, WSIM_PROVIDER_ENTRY_SYMBOL, &sym));
  const WsimProvider *prov = ((WsimProviderEntryFunc) sym) (WSIM_PROVIDER_ABI_VERSION);
  cr_assert_not_null (prov);
  cr_assert_eq (prov->abi_version, 999);
  g_module_close (module);

  char *err = NULL;
  cr_assert_null (fh_module_open (FH_MODULE_BAD_ABI, NULL, &err));
  cr_assert_not_null (strstr (err, "ABI version 999"), "%s", err);
  g_free (err);
}

Test (broken, no_entry)
{
  GModule *module = g_module_open (FH_MODULE_NO_ENTRY, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  cr_assert_not_null (module, "%s", g_module_error ());
  gpointer sym = NULL;
  cr_assert_not (g_module_symbol (module, WSIM_PROVIDER_ENTRY_SYMBOL, &sym));
  cr_assert (g_module_symbol (module, "wsim_provider_entry_v0", &sym), "the module exports something");
  g_module_close (module);

  char *err = NULL;
  cr_assert_null (fh_module_open (FH_MODULE_NO_ENTRY, NULL, &err));
  g_free (err);
}
