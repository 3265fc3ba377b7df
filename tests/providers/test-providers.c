/* test-providers.c: the sample provider modules, each loaded as the runtime loads it (the
 * repository: GModule, wsim_provider_entry, the ABI version) and driven by the runtime's
 * own provider host (runtime/provider-host): their schemas, what they post and in which
 * order, BUSY/resume, timers, cancellation, and the two broken modules the runtime must
 * refuse.
 *
 * The test is the host's owner (RecCall, rec_host_ops): it records every post, including
 * the contract violations the host reports (the raw sequence is the point of the
 * Sim_Faulty tests), and answers BUSY as a test asks. Between the provider and the host it
 * puts a checking layer (checking_ops) stricter than the host needs to be: setters that
 * refuse a value, malformed DMTF datetimes, unknown classes and instances still alive at
 * the end are counted, and the tests assert those counters are zero.
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

#include <gmodule.h>

#include "wsim-provider-host.h"
#include "wsim-repository.h"
#include "wsim-value.h"

/* ---- the host's owner: a recording call --------------------------------------------- */

#define TEST_NS "root\\test"

/** A loaded provider: the repository that loaded it, its registration and table. */
typedef struct {
  WsimRepository     *repo;     /* (owned) */
  WsimProviderReg    *reg;      /* (unowned) the repository's */
  const WsimProvider *provider; /* (unowned) the module's static table */
} RecModule;

typedef enum {
  REC_EVENT_INSTANCE,
  REC_EVENT_RESULT,
  REC_EVENT_PROGRESS,
} RecEventKind;

/** One post, in the order the provider made them. */
typedef struct {
  RecEventKind kind;
  char        *class_name;    /* (owned) instances */
  GHashTable  *values;        /* (owned) instances: property name (schema spelling) ->
                               * (owned, nullable) value text; a NULL value is a NULL */
  guint32      hresult;       /* results; progress: MAKELONG(done, total) as the host fitted it */
  char        *message;       /* (owned, nullable) results */
} RecEvent;

/** One call. Fields are for the tests to read; the recorder writes them. */
typedef struct {
  WsimProvHost *host;         /* (owned) the runtime's provider host */
  RecModule    *mod;          /* (unowned) */
  GMainContext *context;      /* (owned) the call's timers and resumes run here */
  GPtrArray    *events;       /* (owned) RecEvent*, every post in order */
  guint         busy_every;   /* answer BUSY to every Nth post (0: never) */
  guint         n_posts;      /* posts the host took */
  guint         n_instances;  /* instance events */
  guint         n_results;    /* result events */
  guint         n_busy;       /* BUSY answers given */
  guint         n_resumes;    /* resume() calls made */
  guint         n_busy_violations;  /* posts while a resume() was due */
  guint         n_set_errors;       /* setters that returned -1, unknown classes */
  gint          n_live_instances;   /* created, neither posted nor freed */
  GSource      *room;         /* (owned) (nullable) the idle that gives room after a BUSY */
} RecCall;

/* Which class each sample module serves (the repository finds a provider by its class). */
static const struct { const char *path, *class_name; } module_classes[] = {
  { MODULE_WIN32_PROCESS, "Win32_Process" },
  { MODULE_WIN32_OS, "Win32_OperatingSystem" },
  { MODULE_SIM_SEQUENCE, "Sim_Sequence" },
  { MODULE_SIM_FAULTY, "Sim_Faulty" },
};

static RecModule *
rec_module_open (const char *path, const char *params, char **error_message)
{
  g_autoptr(GError) error = NULL;
  RecModule *mod = g_new0 (RecModule, 1);

  mod->repo = wsim_repository_new ();
  if (!wsim_repository_load_module (mod->repo, TEST_NS, path, params, &error))
    {
      *error_message = g_strdup (error->message);
      wsim_repository_free (mod->repo);
      g_free (mod);
      return NULL;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (module_classes); i++)
    if (g_str_equal (module_classes[i].path, path))
      {
        WsimClass *cls = wsim_repository_lookup_class (mod->repo, TEST_NS,
                                                       module_classes[i].class_name, NULL);

        mod->reg = cls != NULL ? wsim_repository_get_provider (mod->repo, TEST_NS, cls) : NULL;
      }
  cr_assert_not_null (mod->reg, "%s serves none of the sample classes", path);
  mod->provider = wsim_provider_reg_get_provider (mod->reg);
  return mod;
}

static void
rec_module_close (RecModule *mod)
{
  wsim_repository_free (mod->repo);
  g_free (mod);
}

static void
event_free (gpointer p)
{
  RecEvent *ev = p;

  g_free (ev->class_name);
  if (ev->values != NULL)
    g_hash_table_unref (ev->values);
  g_free (ev->message);
  g_free (ev);
}

static void
record_instance (RecCall *call, WsimObject *obj)
{
  WsimClass *cls = wsim_object_get_class (obj);
  RecEvent *ev = g_new0 (RecEvent, 1);

  ev->kind = REC_EVENT_INSTANCE;
  ev->class_name = g_strdup (wsim_class_get_name (cls));
  ev->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    {
      const wsim_value *v = wsim_object_get_value (obj, i);

      g_hash_table_insert (ev->values, g_strdup (wsim_class_get_prop (cls, i)->name),
                           wsim_value_is_null (v) ? NULL : wsim_value_to_string (v));
    }
  g_ptr_array_add (call->events, ev);
  call->n_instances++;
}

static void
record_result (RecCall *call, guint32 hresult, const char *message)
{
  RecEvent *ev = g_new0 (RecEvent, 1);

  ev->kind = REC_EVENT_RESULT;
  ev->hresult = hresult;
  ev->message = g_strdup (message);
  g_ptr_array_add (call->events, ev);
  call->n_results++;
}

static WsimClass *
rec_lookup_class (WsimProvHost *host, const char *class_name, gpointer owner)
{
  RecCall *call = owner;

  return wsim_repository_lookup_class (call->mod->repo, TEST_NS, class_name, NULL);
}

static const char *
rec_get_param (WsimProvHost *host, const char *name, gpointer owner)
{
  RecCall *call = owner;

  return wsim_provider_reg_get_param (call->mod->reg, name);
}

/* The room a BUSY answer waits for comes at once, from the loop. */
static gboolean
on_room (gpointer data)
{
  RecCall *call = data;

  g_clear_pointer (&call->room, g_source_unref);
  wsim_prov_host_resume_later (call->host);
  return G_SOURCE_REMOVE;
}

static WsimProvStatus
rec_instance (WsimProvHost *host, WsimObject *obj, gpointer owner)
{
  RecCall *call = owner;

  record_instance (call, obj);
  wsim_object_unref (obj);
  if (wsim_prov_host_is_paused (host))
    call->n_busy_violations++;
  call->n_posts++;
  if (call->busy_every == 0 || call->n_posts % call->busy_every != 0)
    return WSIM_PROV_OK;
  call->n_busy++;
  if (call->mod->provider->resume != NULL && call->room == NULL)
    {
      call->room = g_idle_source_new ();
      g_source_set_callback (call->room, on_room, call, NULL);
      g_source_attach (call->room, call->context);
    }
  return WSIM_PROV_BUSY;
}

static void
rec_result (WsimProvHost *host, WsimHResult hr, const char *message, gpointer owner)
{
  record_result (owner, hr, message);
}

/* What the provider posted against the contract is recorded as posted. */
static void
rec_violation (WsimProvHost *host, WsimProvHostViolation what, WsimHResult hr,
               const char *message, WsimObject *obj, gpointer owner)
{
  RecCall *call = owner;

  if (what == WSIM_PROV_HOST_LATE_INSTANCE)
    record_instance (call, obj);
  else if (what == WSIM_PROV_HOST_SECOND_RESULT)
    record_result (call, hr, message);
}

static void
rec_progress (WsimProvHost *host, guint16 done, guint16 total, gpointer owner)
{
  RecCall *call = owner;
  RecEvent *ev = g_new0 (RecEvent, 1);

  ev->kind = REC_EVENT_PROGRESS;
  ev->hresult = ((guint32) total << 16) | done;
  g_ptr_array_add (call->events, ev);
}

static void
rec_returned (WsimProvHost *host, WsimProvHostRun run, gpointer owner)
{
  RecCall *call = owner;

  if (run == WSIM_PROV_HOST_RAN_RESUME)
    call->n_resumes++;
}

static const WsimProvHostOps rec_host_ops = {
  .lookup_class = rec_lookup_class,
  .get_param = rec_get_param,
  .instance = rec_instance,
  .result = rec_result,
  .violation = rec_violation,
  .returned = rec_returned,
  .progress = rec_progress,
};

/* ---- the checking layer between the provider and the host ---------------------------- */

static const WsimProvContextOps *host_ops;   /* the host's own, which checking_ops wrap */
static GHashTable *owners;                   /* WsimProvContext* or WsimProvInstance* -> RecCall* */

static RecCall *
owner_of (gconstpointer ctx_or_inst)
{
  RecCall *call = g_hash_table_lookup (owners, ctx_or_inst);

  cr_assert_not_null (call, "not a context or a live instance of this host");
  return call;
}

/* The instance leaves the provider's hands (posted or freed). */
static void
instance_gone (WsimProvInstance *inst)
{
  owner_of (inst)->n_live_instances--;
  g_hash_table_remove (owners, inst);
}

static int
checked (WsimProvInstance *inst, int rc)
{
  if (rc != 0)
    owner_of (inst)->n_set_errors++;
  return rc;
}

static WsimProvInstance *
chk_new_instance (WsimProvContext *ctx, const char *class_name)
{
  RecCall *call = owner_of (ctx);
  WsimProvInstance *inst = class_name != NULL ? host_ops->new_instance (ctx, class_name) : NULL;

  if (inst == NULL)
    {
      call->n_set_errors++;
      return NULL;
    }
  g_hash_table_insert (owners, inst, call);
  call->n_live_instances++;
  return inst;
}

static void
chk_free_instance (WsimProvInstance *inst)
{
  if (inst == NULL)
    return;
  instance_gone (inst);
  host_ops->free_instance (inst);
}

/* yyyymmddHHMMSS.mmmmmmsUUU (s is + or -), or the interval form ddddddddHHMMSS.mmmmmm:000. */
static gboolean
dmtf_valid (const char *s)
{
  if (s == NULL || strlen (s) != 25)
    return FALSE;
  for (int i = 0; i < 25; i++)
    {
      gboolean ok;
      if (i == 14)
        ok = s[i] == '.';
      else if (i == 21)
        ok = s[i] == '+' || s[i] == '-' || s[i] == ':';
      else
        ok = g_ascii_isdigit (s[i]);
      if (!ok)
        return FALSE;
    }
  return s[21] != ':' || strcmp (s + 22, "000") == 0;
}

static int
chk_set_string (WsimProvInstance *inst, const char *prop, const char *value)
{
  return checked (inst, value != NULL ? host_ops->set_string (inst, prop, value) : -1);
}

static int
chk_set_sint64 (WsimProvInstance *inst, const char *prop, int64_t value)
{
  return checked (inst, host_ops->set_sint64 (inst, prop, value));
}

static int
chk_set_uint64 (WsimProvInstance *inst, const char *prop, uint64_t value)
{
  return checked (inst, host_ops->set_uint64 (inst, prop, value));
}

static int
chk_set_real64 (WsimProvInstance *inst, const char *prop, double value)
{
  return checked (inst, host_ops->set_real64 (inst, prop, value));
}

static int
chk_set_boolean (WsimProvInstance *inst, const char *prop, int value)
{
  return checked (inst, host_ops->set_boolean (inst, prop, value));
}

static int
chk_set_datetime (WsimProvInstance *inst, const char *prop, const char *dmtf)
{
  return checked (inst, dmtf_valid (dmtf) ? host_ops->set_datetime (inst, prop, dmtf) : -1);
}

static int
chk_set_null (WsimProvInstance *inst, const char *prop)
{
  return checked (inst, host_ops->set_null (inst, prop));
}

static int
chk_set_string_at (WsimProvInstance *inst, unsigned idx, const char *value)
{
  return checked (inst, value != NULL ? host_ops->set_string_at (inst, idx, value) : -1);
}

static int
chk_set_uint64_at (WsimProvInstance *inst, unsigned idx, uint64_t value)
{
  return checked (inst, host_ops->set_uint64_at (inst, idx, value));
}

static WsimProvStatus
chk_post_instance (WsimProvContext *ctx, WsimProvInstance *inst)
{
  if (inst == NULL)
    {
      owner_of (ctx)->n_set_errors++;
      return WSIM_PROV_DROPPED;
    }
  instance_gone (inst);
  return host_ops->post_instance (ctx, inst);
}

static void
chk_post_result (WsimProvContext *ctx, uint32_t hresult, const char *message)
{
  host_ops->post_result (ctx, hresult, message);
}

static int
chk_is_cancelled (WsimProvContext *ctx)
{
  return host_ops->is_cancelled (ctx);
}

static void
chk_call_later (WsimProvContext *ctx, unsigned ms, WsimProvTimerFunc fn, void *data)
{
  host_ops->call_later (ctx, ms, fn, data);
}

static const char *
chk_get_param (WsimProvContext *ctx, const char *name)
{
  return host_ops->get_param (ctx, name);
}

static void
chk_report_progress (WsimProvContext *ctx, uint32_t done, uint32_t total)
{
  owner_of (ctx);
  host_ops->report_progress (ctx, done, total);
}

static const WsimProvContextOps checking_ops = {
  .new_instance = chk_new_instance,
  .free_instance = chk_free_instance,
  .set_string = chk_set_string,
  .set_sint64 = chk_set_sint64,
  .set_uint64 = chk_set_uint64,
  .set_real64 = chk_set_real64,
  .set_boolean = chk_set_boolean,
  .set_datetime = chk_set_datetime,
  .set_null = chk_set_null,
  .set_string_at = chk_set_string_at,
  .set_uint64_at = chk_set_uint64_at,
  .post_instance = chk_post_instance,
  .post_result = chk_post_result,
  .is_cancelled = chk_is_cancelled,
  .call_later = chk_call_later,
  .get_param = chk_get_param,
  .report_progress = chk_report_progress,
};

/* ---- calls ------------------------------------------------------------------------ */

static RecCall *
rec_call_new (RecModule *mod)
{
  RecCall *call = g_new0 (RecCall, 1);
  WsimProvContext *ctx;

  call->mod = mod;
  call->context = g_main_context_new ();
  call->events = g_ptr_array_new_with_free_func (event_free);
  call->host = wsim_prov_host_new (&rec_host_ops, call, call->context);
  ctx = wsim_prov_host_get_context (call->host);
  if (owners == NULL)
    owners = g_hash_table_new (g_direct_hash, g_direct_equal);
  host_ops = ctx->ops;
  ctx->ops = &checking_ops;
  g_hash_table_insert (owners, ctx, call);
  return call;
}

static void
rec_call_enumerate (RecCall *call, const char *class_name)
{
  wsim_prov_host_enumerate (call->host, call->mod->provider,
                            wsim_provider_reg_get_state (call->mod->reg), class_name);
}

static void
rec_call_get (RecCall *call, const char *class_name, const WsimProvKey *keys, gsize n_keys)
{
  wsim_prov_host_get (call->host, call->mod->provider,
                      wsim_provider_reg_get_state (call->mod->reg), class_name, keys, n_keys);
}

/* Cancels as the runtime does: is_cancelled() says 1 from now on, cancel() is called once
 * (if set), the provider's timers are dropped and no resume() comes. */
static void
rec_call_cancel (RecCall *call)
{
  wsim_prov_host_cancel (call->host);
}

/* Ends the call (finish() once) and frees it. */
static void
rec_call_free (RecCall *call)
{
  if (call->room != NULL)
    {
      g_source_destroy (call->room);
      g_source_unref (call->room);
    }
  g_hash_table_remove (owners, wsim_prov_host_get_context (call->host));
  wsim_prov_host_finish (call->host);
  wsim_prov_host_free (call->host);
  g_main_context_unref (call->context);
  g_ptr_array_unref (call->events);
  g_free (call);
}

typedef gboolean (*RecCondition) (RecCall *call, gpointer data);

static gboolean
deadline_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the call's main context until @cond holds or @timeout_ms pass. Returns @cond. */
static gboolean
rec_call_run_until (RecCall *call, RecCondition cond, gpointer data, guint timeout_ms)
{
  gboolean expired = FALSE;
  GSource *deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (deadline, deadline_reached, &expired, NULL);
  g_source_attach (deadline, call->context);
  while (!cond (call, data) && !expired)
    g_main_context_iteration (call->context, TRUE);
  g_source_destroy (deadline);
  g_source_unref (deadline);
  return cond (call, data);
}

static gboolean
resume_due (RecCall *call)
{
  return call->room != NULL || wsim_prov_host_is_paused (call->host);
}

static gboolean
has_result (RecCall *call, gpointer data)
{
  return call->n_results > 0 && !resume_due (call);
}

static gboolean
is_idle (RecCall *call, gpointer data)
{
  return wsim_prov_host_get_n_timers (call->host) == 0 && !resume_due (call);
}

static gboolean
has_instances (RecCall *call, gpointer data)
{
  return call->n_instances >= GPOINTER_TO_UINT (data);
}

/* Until a result has been posted and no resume() is due. */
static gboolean
rec_call_run_until_result (RecCall *call, guint timeout_ms)
{
  return rec_call_run_until (call, has_result, NULL, timeout_ms);
}

/* Until nothing is pending: no timer, no resume() due. */
static gboolean
rec_call_run_until_idle (RecCall *call, guint timeout_ms)
{
  return rec_call_run_until (call, is_idle, NULL, timeout_ms);
}

/* Until at least @n instances have been posted. */
static gboolean
rec_call_run_until_instances (RecCall *call, guint n, guint timeout_ms)
{
  return rec_call_run_until (call, has_instances, GUINT_TO_POINTER (n), timeout_ms);
}

/* "instance,instance,result": the kinds of the events, in order. (transfer full) */
static char *
rec_call_sequence (RecCall *call)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < call->events->len; i++)
    {
      const RecEvent *ev = g_ptr_array_index (call->events, i);
      if (i > 0)
        g_string_append_c (s, ',');
      if (ev->kind == REC_EVENT_PROGRESS)
        g_string_append_printf (s, "progress %u/%u", ev->hresult & 0xFFFFu, ev->hresult >> 16);
      else
        g_string_append (s, ev->kind == REC_EVENT_INSTANCE ? "instance" : "result");
    }
  return g_string_free (s, FALSE);
}

static guint
rec_call_pending_timers (RecCall *call)
{
  return wsim_prov_host_get_n_timers (call->host);
}

/* The value text of @prop (schema spelling) in instance event @ev; NULL when NULL. */
static const char *
rec_event_value (const RecEvent *ev, const char *prop)
{
  return ev->values != NULL ? g_hash_table_lookup (ev->values, prop) : NULL;
}

/* The first instance event whose @prop equals @value, or NULL. */
static const RecEvent *
rec_call_find_instance (RecCall *call, const char *prop, const char *value)
{
  for (guint i = 0; i < call->events->len; i++)
    {
      const RecEvent *ev = g_ptr_array_index (call->events, i);
      const char *v = ev->kind == REC_EVENT_INSTANCE ? rec_event_value (ev, prop) : NULL;
      if (v != NULL && strcmp (v, value) == 0)
        return ev;
    }
  return NULL;
}

/* The first result event, or NULL. */
static const RecEvent *
rec_call_result (RecCall *call)
{
  for (guint i = 0; i < call->events->len; i++)
    {
      const RecEvent *ev = g_ptr_array_index (call->events, i);
      if (ev->kind == REC_EVENT_RESULT)
        return ev;
    }
  return NULL;
}

/* ---- helpers ---------------------------------------------------------------------- */

/* Generous: valgrind runs these ten times slower. */
#define TIMEOUT_MS 60000

static RecModule *
open_module (const char *path, const char *params)
{
  char *err = NULL;
  RecModule *mod = rec_module_open (path, params, &err);
  cr_assert_not_null (mod, "cannot load %s: %s", path, err != NULL ? err : "?");
  return mod;
}

/* The host's own invariants, which every call must keep. */
static void
assert_clean (RecCall *call)
{
  cr_assert_eq (call->n_set_errors, 0, "setters refused %u values", call->n_set_errors);
  cr_assert_eq (call->n_live_instances, 0, "%d instances leaked", call->n_live_instances);
  cr_assert_eq (call->n_busy_violations, 0, "%u posts after BUSY", call->n_busy_violations);
}

static void
assert_sequence (RecCall *call, const char *expected)
{
  g_autofree char *seq = rec_call_sequence (call);
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
  RecModule *mod = open_module (path, NULL);
  const WsimProvider *prov = mod->provider;
  /* sim-faulty stays at version 1 on purpose: the runtime loads both. */
  cr_assert (prov->abi_version == WSIM_PROVIDER_ABI_VERSION
             || prov->abi_version == WSIM_PROVIDER_ABI_VERSION_1, "%s: ABI %u", path, prov->abi_version);
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
  rec_module_close (mod);
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
  assert_schema (MODULE_WIN32_PROCESS, "Win32_Process", props, G_N_ELEMENTS (props));
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
  assert_schema (MODULE_WIN32_OS, "Win32_OperatingSystem", props, G_N_ELEMENTS (props));
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
  assert_schema (MODULE_SIM_SEQUENCE, "Sim_Sequence", props, G_N_ELEMENTS (props));
}

Test (schema, sim_faulty)
{
  static const ExpectedProp props[] = {
    { "Id", WSIM_PROV_UINT32, 1 },
    { "Note", WSIM_PROV_STRING, 0 },
  };
  assert_schema (MODULE_SIM_FAULTY, "Sim_Faulty", props, G_N_ELEMENTS (props));
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
assert_self (const RecEvent *ev)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *ppid = g_strdup_printf ("%d", (int) getppid ());
  g_autofree char *comm = self_comm ();
  char exe[PATH_MAX + 1];
  ssize_t n = readlink ("/proc/self/exe", exe, PATH_MAX);
  cr_assert_gt (n, 0);
  exe[n] = '\0';

  cr_assert_str_eq (rec_event_value (ev, "Handle"), pid);
  cr_assert_str_eq (rec_event_value (ev, "ProcessId"), pid);
  cr_assert_str_eq (rec_event_value (ev, "ParentProcessId"), ppid);
  cr_assert_str_eq (rec_event_value (ev, "Name"), comm);
  if (g_getenv ("WSIM_UNDER_VALGRIND") == NULL)
    cr_assert_str_eq (comm, "test-providers");
  cr_assert_str_eq (rec_event_value (ev, "ExecutablePath"), exe);

  /* Criterion's workers rewrite their argv ("boxfort-worker"), so compare with /proc. */
  g_autofree char *expected_cmdline = self_cmdline ();
  cr_assert_str_eq (rec_event_value (ev, "CommandLine"), expected_cmdline);

  const char *threads = rec_event_value (ev, "ThreadCount");
  cr_assert_not_null (threads);
  cr_assert_geq (g_ascii_strtoull (threads, NULL, 10), 1);
  const char *rss = rec_event_value (ev, "WorkingSetSize");
  cr_assert_not_null (rss);
  cr_assert_gt (g_ascii_strtoull (rss, NULL, 10), 0);

  const char *created = rec_event_value (ev, "CreationDate");
  assert_dmtf_utc (created);
  char now[32];
  dmtf_now_utc (now);
  cr_assert_leq (strcmp (created, now), 0, "created %s after now %s", created, now);
  cr_assert_geq (strncmp (created, "2000", 4), 0, "created %s", created);
}

static void
enumerate_processes (guint busy_every)
{
  RecModule *mod = open_module (MODULE_WIN32_PROCESS, NULL);
  RecCall *call = rec_call_new (mod);
  call->busy_every = busy_every;

  rec_call_enumerate (call, "Win32_Process");
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  const RecEvent *last = g_ptr_array_index (call->events, call->events->len - 1);
  cr_assert_eq (last->kind, REC_EVENT_RESULT);
  cr_assert_eq (last->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_eq (call->n_results, 1);
  cr_assert_gt (call->n_instances, 1);

  /* Every instance is a distinct, live-looking process. */
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i + 1 < call->events->len; i++)
    {
      const RecEvent *ev = g_ptr_array_index (call->events, i);
      cr_assert_eq (ev->kind, REC_EVENT_INSTANCE);
      cr_assert_str_eq (ev->class_name, "Win32_Process");
      const char *handle = rec_event_value (ev, "Handle");
      cr_assert_not_null (handle);
      cr_assert (g_hash_table_add (seen, (gpointer) handle), "Handle %s twice", handle);
      cr_assert_str_eq (rec_event_value (ev, "ProcessId"), handle);
      cr_assert_not_null (rec_event_value (ev, "Name"));
      assert_dmtf_utc (rec_event_value (ev, "CreationDate"));
    }

  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  const RecEvent *self = rec_call_find_instance (call, "Handle", pid);
  cr_assert_not_null (self, "own pid %s not enumerated", pid);
  assert_self (self);
  if (busy_every != 0)
    {
      cr_assert_eq (call->n_busy, call->n_instances / busy_every);
      cr_assert_eq (call->n_resumes, call->n_busy);
    }
  assert_clean (call);
  rec_call_free (call);
  rec_module_close (mod);
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
  RecModule *mod = open_module (MODULE_WIN32_PROCESS, NULL);
  RecCall *call = rec_call_new (mod);
  call->busy_every = 1;
  rec_call_enumerate (call, "Win32_Process");
  cr_assert_eq (call->n_instances, 1);
  cr_assert_null (rec_call_find_instance (call, "Handle", handle), "the child came first");

  /* The child goes while the call waits for resume(). */
  close (fds[1]);
  cr_assert_eq (waitpid (child, NULL, 0), child);
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_null (rec_call_find_instance (call, "Handle", handle));
  g_autofree char *self = g_strdup_printf ("%d", (int) getpid ());
  cr_assert_not_null (rec_call_find_instance (call, "Handle", self));
  assert_clean (call);
  rec_call_free (call);
  rec_module_close (mod);
}

static RecCall *
get_process (RecModule *mod, const char *handle)
{
  RecCall *call = rec_call_new (mod);
  WsimProvKey key = { "Handle", handle };
  rec_call_get (call, "Win32_Process", &key, 1);
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_clean (call);
  return call;
}

Test (win32_process, get_self)
{
  RecModule *mod = open_module (MODULE_WIN32_PROCESS, NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  RecCall *call = get_process (mod, pid);
  assert_sequence (call, "instance,result");
  assert_self (g_ptr_array_index (call->events, 0));
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  rec_call_free (call);

  /* BUSY on the one instance: the result waits for resume(). */
  call = rec_call_new (mod);
  call->busy_every = 1;
  WsimProvKey key = { "handle", pid };
  rec_call_get (call, "Win32_Process", &key, 1);
  assert_sequence (call, "instance");
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  cr_assert_eq (call->n_resumes, 1);
  assert_clean (call);
  rec_call_free (call);
  rec_module_close (mod);
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

  RecModule *mod = open_module (MODULE_WIN32_PROCESS, NULL);
  g_autofree char *tid = g_strdup_printf ("%d", (int) ti.tid);
  RecCall *call = get_process (mod, tid);
  assert_sequence (call, "result");
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND);
  rec_call_free (call);
  rec_module_close (mod);

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
  RecModule *mod = open_module (MODULE_WIN32_PROCESS, NULL);
  g_autofree char *missing = g_strdup_printf ("%d", free_pid ());
  g_autofree char *padded = g_strdup_printf ("0%d", (int) getpid ());
  const char *handles[] = { missing, "0", "abc", "-1", "", padded, "99999999999" };

  for (size_t i = 0; i < G_N_ELEMENTS (handles); i++)
    {
      RecCall *call = get_process (mod, handles[i]);
      assert_sequence (call, "result");
      cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND, "Handle \"%s\"", handles[i]);
      rec_call_free (call);
    }

  /* Not keyed by Handle at all. */
  RecCall *call = rec_call_new (mod);
  WsimProvKey key = { "Name", "bash" };
  rec_call_get (call, "Win32_Process", &key, 1);
  assert_sequence (call, "result");
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_INVALID_PARAMETER);
  rec_call_free (call);
  rec_module_close (mod);
}

/* ---- Win32_OperatingSystem -------------------------------------------------------- */

Test (win32_os, enumerate)
{
  RecModule *mod = open_module (MODULE_WIN32_OS, NULL);
  RecCall *call = rec_call_new (mod);
  rec_call_enumerate (call, "Win32_OperatingSystem");
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  assert_clean (call);

  const RecEvent *ev = g_ptr_array_index (call->events, 0);
  struct utsname un;
  cr_assert_eq (uname (&un), 0);
  char host[256] = "";
  cr_assert_eq (gethostname (host, sizeof host - 1), 0);

  cr_assert_str_eq (rec_event_value (ev, "Version"), un.release);
  cr_assert_str_eq (rec_event_value (ev, "BuildNumber"), un.version);
  cr_assert_str_eq (rec_event_value (ev, "CSName"), host);
  cr_assert_str_eq (rec_event_value (ev, "OSArchitecture"), sizeof (void *) == 8 ? "64-bit" : "32-bit");
  const char *name = rec_event_value (ev, "Name");
  cr_assert_not_null (name);
  cr_assert_gt (strlen (name), 0);
  cr_assert_str_eq (rec_event_value (ev, "Caption"), name);
  g_autofree char *os_release = NULL;
  if (g_file_get_contents ("/etc/os-release", &os_release, NULL, NULL))
    {
      g_autofree char *line = g_strdup_printf ("PRETTY_NAME=\"%s\"", name);
      cr_assert_not_null (strstr (os_release, line), "Name %s", name);
    }
  const char *manufacturer = rec_event_value (ev, "Manufacturer");
  cr_assert_not_null (manufacturer);
  cr_assert (g_ascii_isupper (manufacturer[0]), "Manufacturer %s", manufacturer);

  assert_dmtf_utc (rec_event_value (ev, "LastBootUpTime"));
  const char *local = rec_event_value (ev, "LocalDateTime");
  cr_assert (g_regex_match_simple ("^[0-9]{14}\\.[0-9]{6}[+-][0-9]{3}$", local, 0, 0), "%s", local);

  guint64 total = g_ascii_strtoull (rec_event_value (ev, "TotalVisibleMemorySize"), NULL, 10);
  guint64 free_kib = g_ascii_strtoull (rec_event_value (ev, "FreePhysicalMemory"), NULL, 10);
  cr_assert_gt (total, 0);
  cr_assert_leq (free_kib, total);
  cr_assert_gt (g_ascii_strtoull (rec_event_value (ev, "NumberOfProcesses"), NULL, 10), 0);
  rec_call_free (call);

  /* BUSY on the instance: the result comes with resume(). */
  call = rec_call_new (mod);
  call->busy_every = 1;
  rec_call_enumerate (call, "Win32_OperatingSystem");
  assert_sequence (call, "instance");
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  assert_clean (call);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (win32_os, get)
{
  RecModule *mod = open_module (MODULE_WIN32_OS, NULL);
  RecCall *call = rec_call_new (mod);
  rec_call_enumerate (call, "Win32_OperatingSystem");
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  g_autofree char *name = g_strdup (rec_event_value (g_ptr_array_index (call->events, 0), "Name"));
  rec_call_free (call);

  call = rec_call_new (mod);
  WsimProvKey key = { "Name", name };
  rec_call_get (call, "Win32_OperatingSystem", &key, 1);
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  cr_assert_str_eq (rec_event_value (g_ptr_array_index (call->events, 0), "Name"), name);
  assert_clean (call);
  rec_call_free (call);

  call = rec_call_new (mod);
  key.value = "Microsoft Windows 10 Pro";
  rec_call_get (call, "Win32_OperatingSystem", &key, 1);
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "result");
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND);
  rec_call_free (call);
  rec_module_close (mod);
}

/* ---- Sim_Sequence ----------------------------------------------------------------- */

/* Checks that @call posted instances Ids 0..count-1, each once, with @props values of
 * @size bytes, then one S_OK result. */
static void
assert_sequence_instances (RecCall *call, guint count, guint props, guint size)
{
  cr_assert_eq (call->n_instances, count);
  cr_assert_eq (call->n_results, 1);
  cr_assert_eq (call->events->len, count + 1);
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_eq (((RecEvent *) g_ptr_array_index (call->events, count))->kind, REC_EVENT_RESULT);

  g_autofree guint8 *seen = g_new0 (guint8, count);
  for (guint i = 0; i < count; i++)
    {
      const RecEvent *ev = g_ptr_array_index (call->events, i);
      cr_assert_eq (ev->kind, REC_EVENT_INSTANCE);
      cr_assert_str_eq (ev->class_name, "Sim_Sequence");
      guint64 id = g_ascii_strtoull (rec_event_value (ev, "Id"), NULL, 10);
      cr_assert_lt (id, count);
      cr_assert_eq (seen[id], 0, "Id %" G_GUINT64_FORMAT " twice", id);
      seen[id] = 1;
      for (guint k = 1; k <= 32; k++)
        {
          char prop[8];
          snprintf (prop, sizeof prop, "P%u", k);
          const char *v = rec_event_value (ev, prop);
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

static RecCall *
run_sequence (RecModule *mod, guint busy_every)
{
  RecCall *call = rec_call_new (mod);
  call->busy_every = busy_every;
  rec_call_enumerate (call, "Sim_Sequence");
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_clean (call);
  return call;
}

Test (sim_sequence, thousand)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=1000;props=10;size=20");
  RecCall *call = run_sequence (mod, 0);
  assert_sequence_instances (call, 1000, 10, 20);
  /* Ids in order, values as documented. */
  const RecEvent *ev = g_ptr_array_index (call->events, 7);
  cr_assert_str_eq (rec_event_value (ev, "Id"), "7");
  cr_assert_str_eq (rec_event_value (ev, "P3"), "00000000000000000703");
  cr_assert_eq (call->n_resumes, 0);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_sequence, busy_every_100th)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=1000;props=10;size=20");
  RecCall *call = run_sequence (mod, 100);
  assert_sequence_instances (call, 1000, 10, 20);
  cr_assert_eq (call->n_busy, 10);
  cr_assert_eq (call->n_resumes, 10);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_sequence, defaults_and_sizes)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, NULL);
  RecCall *call = run_sequence (mod, 0);
  assert_sequence_instances (call, 10, 10, 16);
  rec_call_free (call);
  rec_module_close (mod);

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
      mod = open_module (MODULE_SIM_SEQUENCE, cases[i].params);
      call = run_sequence (mod, 7);
      assert_sequence_instances (call, cases[i].count, cases[i].props, cases[i].size);
      rec_call_free (call);
      rec_module_close (mod);
    }
}

Test (sim_sequence, bad_params)
{
  const char *params[] = { "props=33", "count=-1", "count=abc", "size=10x", "delay_ms=99999999999",
                           "batch=4294967296", "count=18446744073709551616", "progress=4294967296",
                           "progress=x" };
  for (size_t i = 0; i < G_N_ELEMENTS (params); i++)
    {
      RecModule *mod = open_module (MODULE_SIM_SEQUENCE, params[i]);
      RecCall *call = rec_call_new (mod);
      rec_call_enumerate (call, "Sim_Sequence");
      assert_sequence (call, "result");
      cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_INVALID_PARAMETER, "%s", params[i]);
      rec_call_free (call);
      rec_module_close (mod);
    }
}

static gboolean
result_or_early_post (RecCall *call, gpointer data)
{
  if (rec_call_pending_timers (call) > 0 && call->n_instances > 0)
    *(gboolean *) data = TRUE;
  return call->n_results > 0;
}

Test (sim_sequence, delay)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=5;delay_ms=30");
  RecCall *call = rec_call_new (mod);
  gint64 start = g_get_monotonic_time ();
  rec_call_enumerate (call, "Sim_Sequence");
  cr_assert_eq (call->events->len, 0, "posted before the timer");
  cr_assert_eq (rec_call_pending_timers (call), 1);

  gboolean early = FALSE;
  cr_assert (rec_call_run_until (call, result_or_early_post, &early, TIMEOUT_MS));
  cr_assert_not (early);
  cr_assert_geq (g_get_monotonic_time () - start, 30 * 1000);
  assert_sequence_instances (call, 5, 10, 16);
  assert_clean (call);
  rec_call_free (call);

  /* A call torn down while it waits posts nothing and frees its state (leak checkers). */
  call = rec_call_new (mod);
  rec_call_enumerate (call, "Sim_Sequence");
  rec_call_cancel (call);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_sequence, many_waiting_calls)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=1;delay_ms=20");
  RecCall *calls[200];
  for (size_t i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      calls[i] = rec_call_new (mod);
      rec_call_enumerate (calls[i], "Sim_Sequence");
      cr_assert_eq (calls[i]->events->len, 0);
    }
  for (size_t i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      cr_assert (rec_call_run_until_result (calls[i], TIMEOUT_MS));
      assert_sequence (calls[i], "instance,result");
      rec_call_free (calls[i]);
    }
  rec_module_close (mod);
}

Test (sim_sequence, batch_yields)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=50;batch=7;props=1;size=4");
  RecCall *call = rec_call_new (mod);
  rec_call_enumerate (call, "Sim_Sequence");
  cr_assert_eq (call->n_instances, 7);
  cr_assert_eq (rec_call_pending_timers (call), 1);
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence_instances (call, 50, 1, 4);
  assert_clean (call);
  rec_call_free (call);

  /* Batch and BUSY together: neither step runs twice. */
  call = run_sequence (mod, 5);
  assert_sequence_instances (call, 50, 1, 4);
  cr_assert_eq (call->n_busy, 10);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_sequence, cancel)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=1000000;batch=10;props=1");
  RecCall *call = rec_call_new (mod);
  rec_call_enumerate (call, "Sim_Sequence");
  cr_assert (rec_call_run_until_instances (call, 30, TIMEOUT_MS));
  guint before = call->n_instances;
  rec_call_cancel (call);
  /* The host drops the provider's pending timer: nothing more comes. */
  cr_assert (rec_call_run_until_idle (call, TIMEOUT_MS));
  cr_assert_eq (call->n_instances, before);
  cr_assert_eq (call->n_results, 0);
  assert_clean (call);
  rec_call_free (call);

  /* Cancelled while waiting for resume(): resume never comes, finish() frees. */
  call = rec_call_new (mod);
  call->busy_every = 4;
  rec_call_enumerate (call, "Sim_Sequence");
  cr_assert_eq (call->n_instances, 4);
  rec_call_cancel (call);
  cr_assert (rec_call_run_until_idle (call, TIMEOUT_MS));
  cr_assert_eq (call->n_instances, 4);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_sequence, get)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=10;props=2;size=6");
  RecCall *call = rec_call_new (mod);
  WsimProvKey key = { "Id", "5" };
  rec_call_get (call, "Sim_Sequence", &key, 1);
  cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
  assert_sequence (call, "instance,result");
  const RecEvent *ev = g_ptr_array_index (call->events, 0);
  cr_assert_str_eq (rec_event_value (ev, "Id"), "5");
  cr_assert_str_eq (rec_event_value (ev, "P2"), "000502");
  assert_clean (call);
  rec_call_free (call);

  const char *missing[] = { "10", "x", "-1", "" };
  for (size_t i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      call = rec_call_new (mod);
      key.value = missing[i];
      rec_call_get (call, "Sim_Sequence", &key, 1);
      cr_assert (rec_call_run_until_result (call, TIMEOUT_MS));
      assert_sequence (call, "result");
      cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_NOT_FOUND, "Id \"%s\"", missing[i]);
      rec_call_free (call);
    }
  rec_module_close (mod);
}

/* ---- Sim_Faulty ------------------------------------------------------------------- */

static RecCall *
run_faulty (RecModule **mod, const char *mode)
{
  g_autofree char *params = g_strdup_printf ("mode=%s", mode);
  *mod = open_module (MODULE_SIM_FAULTY, params);
  RecCall *call = rec_call_new (*mod);
  rec_call_enumerate (call, "Sim_Faulty");
  cr_assert (rec_call_run_until_idle (call, TIMEOUT_MS));
  assert_clean (call);
  return call;
}

Test (sim_faulty, no_result)
{
  RecModule *mod;
  RecCall *call = run_faulty (&mod, "no_result");
  assert_sequence (call, "instance,instance");
  cr_assert_str_eq (rec_event_value (g_ptr_array_index (call->events, 1), "Id"), "2");
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_faulty, two_results)
{
  RecModule *mod;
  RecCall *call = run_faulty (&mod, "two_results");
  assert_sequence (call, "instance,result,result");
  cr_assert_eq (((RecEvent *) g_ptr_array_index (call->events, 1))->hresult, WSIM_PROV_S_NO_ERROR);
  cr_assert_eq (((RecEvent *) g_ptr_array_index (call->events, 2))->hresult, WSIM_PROV_E_FAILED);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_faulty, post_after_result)
{
  RecModule *mod;
  RecCall *call = run_faulty (&mod, "post_after_result");
  assert_sequence (call, "result,instance");
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_S_NO_ERROR);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_faulty, error)
{
  RecModule *mod;
  RecCall *call = run_faulty (&mod, "error");
  assert_sequence (call, "result");
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_FAILED);
  cr_assert_str_eq (rec_call_result (call)->message, "simulated failure");
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_faulty, bad_mode)
{
  RecModule *mod;
  RecCall *call = run_faulty (&mod, "crash");
  assert_sequence (call, "result");
  cr_assert_eq (rec_call_result (call)->hresult, WSIM_PROV_E_INVALID_PARAMETER);
  rec_call_free (call);
  rec_module_close (mod);
}

Test (sim_faulty, slow_until_cancelled)
{
  RecModule *mod = open_module (MODULE_SIM_FAULTY, "mode=slow");
  RecCall *call = rec_call_new (mod);
  rec_call_enumerate (call, "Sim_Faulty");
  cr_assert_eq (call->events->len, 0);
  cr_assert (rec_call_run_until_instances (call, 3, TIMEOUT_MS));
  cr_assert_eq (rec_call_pending_timers (call), 1, "one tick at a time");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      cr_assert_str_eq (rec_event_value (g_ptr_array_index (call->events, i), "Id"), id);
    }
  guint before = call->n_instances;
  rec_call_cancel (call);
  cr_assert (rec_call_run_until_idle (call, TIMEOUT_MS));
  cr_assert_eq (call->n_instances, before);
  cr_assert_eq (call->n_results, 0);
  assert_clean (call);
  rec_call_free (call);

  /* Torn down mid-tick without a cancel: finish() drops the timer and the state. */
  call = rec_call_new (mod);
  rec_call_enumerate (call, "Sim_Faulty");
  cr_assert (rec_call_run_until_instances (call, 1, TIMEOUT_MS));
  rec_call_free (call);
  rec_module_close (mod);
}

/* ---- progress (report_progress) ------------------------------------------------------ */

/* Every report reaches the owner, in order among the posts, while the call takes posts. */
Test (progress, sim_sequence_reports)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=10;progress=3;props=0");
  RecCall *call = run_sequence (mod, 0);
  assert_sequence (call, "instance,instance,instance,progress 3/10,instance,instance,instance,"
                         "progress 6/10,instance,instance,instance,progress 9/10,instance,result");
  rec_call_free (call);

  /* Through BUSY and resume(), reports keep their place. */
  call = run_sequence (mod, 2);
  assert_sequence (call, "instance,instance,instance,progress 3/10,instance,instance,instance,"
                         "progress 6/10,instance,instance,instance,progress 9/10,instance,result");
  cr_assert_eq (call->n_resumes, 5);
  rec_call_free (call);
  rec_module_close (mod);
}

static guint
n_progress_events (RecCall *call)
{
  guint n = 0;

  for (guint i = 0; i < call->events->len; i++)
    n += ((const RecEvent *) g_ptr_array_index (call->events, i))->kind == REC_EVENT_PROGRESS;
  return n;
}

/* After the result, after cancellation and once stopped, a report says nothing. */
Test (progress, ignored_after_result_or_end)
{
  RecModule *mod = open_module (MODULE_SIM_SEQUENCE, "count=2;props=0");
  RecCall *call = run_sequence (mod, 0);
  WsimProvContext *ctx = wsim_prov_host_get_context (call->host);

  ctx->ops->report_progress (ctx, 1, 2);
  assert_sequence (call, "instance,instance,result");
  rec_call_free (call);

  /* Cancelled mid-call (waiting for resume()): ignored. */
  call = rec_call_new (mod);
  call->busy_every = 1;
  rec_call_enumerate (call, "Sim_Sequence");
  ctx = wsim_prov_host_get_context (call->host);
  ctx->ops->report_progress (ctx, 1, 2);
  cr_assert_eq (n_progress_events (call), 1, "taken before the end");
  rec_call_cancel (call);
  ctx->ops->report_progress (ctx, 2, 2);
  cr_assert_eq (n_progress_events (call), 1, "ignored after the cancel");
  rec_call_free (call);

  call = rec_call_new (mod);
  call->busy_every = 1;
  rec_call_enumerate (call, "Sim_Sequence");
  wsim_prov_host_stop (call->host);
  ctx = wsim_prov_host_get_context (call->host);
  ctx->ops->report_progress (ctx, 2, 2);
  cr_assert_eq (n_progress_events (call), 0, "ignored once the call is final");
  rec_call_free (call);
  rec_module_close (mod);
}

/* LOWORD and HIWORD: 16 bits each; a bigger total scales, done never passes total. */
Test (progress, words)
{
  const struct { guint32 done, total; guint16 want_done, want_total; } cases[] = {
    { 5, 10, 5, 10 },
    { 0, 0, 0, 0 },
    { 65535, 65535, 65535, 65535 },
    { 70000, 0, 65535, 0 },                  /* unknown total: done clamped */
    { 12, 10, 10, 10 },                      /* done past total: clamped to it */
    { 100000, 200000, 32767, 65535 },        /* scaled, rounded down */
    { 199999, 200000, 65534, 65535 },        /* 100% only when done */
    { 200000, 200000, 65535, 65535 },
    { 1, G_MAXUINT32, 0, 65535 },
    { G_MAXUINT32, G_MAXUINT32, 65535, 65535 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint16 d = 1, t = 1;

      wsim_prov_host_progress_words (cases[i].done, cases[i].total, &d, &t);
      cr_assert_eq (d, cases[i].want_done, "case %zu: done %u", i, d);
      cr_assert_eq (t, cases[i].want_total, "case %zu: total %u", i, t);
    }
}

/* ---- broken modules --------------------------------------------------------------- */

Test (broken, bad_abi)
{
  GModule *module = g_module_open (MODULE_BAD_ABI, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  cr_assert_not_null (module, "%s", g_module_error ());
  gpointer sym = NULL;
  cr_assert (g_module_symbol (module, WSIM_PROVIDER_ENTRY_SYMBOL, &sym));
  const WsimProvider *prov = ((WsimProviderEntryFunc) sym) (WSIM_PROVIDER_ABI_VERSION);
  cr_assert_not_null (prov);
  cr_assert_eq (prov->abi_version, 999);
  g_module_close (module);

  char *err = NULL;
  cr_assert_null (rec_module_open (MODULE_BAD_ABI, NULL, &err));
  cr_assert_not_null (strstr (err, "ABI version 999"), "%s", err);
  g_free (err);
}

Test (broken, no_entry)
{
  GModule *module = g_module_open (MODULE_NO_ENTRY, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  cr_assert_not_null (module, "%s", g_module_error ());
  gpointer sym = NULL;
  cr_assert_not (g_module_symbol (module, WSIM_PROVIDER_ENTRY_SYMBOL, &sym));
  cr_assert (g_module_symbol (module, "wsim_provider_entry_v0", &sym), "the module exports something");
  g_module_close (module);

  char *err = NULL;
  cr_assert_null (rec_module_open (MODULE_NO_ENTRY, NULL, &err));
  g_free (err);
}
