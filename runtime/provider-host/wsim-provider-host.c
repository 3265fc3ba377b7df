/* wsim-provider-host.c: the provider host (see wsim-provider-host.h).
 *
 * A provider's operations run with depth > 0; on the way out of the outermost one the host
 * checks for a provider that can never post its result, then tells the owner (returned),
 * which may end the call then: never while the provider's code is on the stack.
 *
 * Threading: the host's main context's thread.
 */
#include "wsim-provider-host.h"

#include <string.h>

#include "wsim-value.h"

struct _WsimProvHost {
  WsimProvContext        pctx;        /* first: the provider's view; &host->pctx casts back */
  const WsimProvHostOps *ops;         /* (unowned) static */
  gpointer               owner;       /* (unowned) */
  GMainContext          *context;     /* (owned) timers and resume() run here */
  const WsimProvider    *provider;    /* (unowned) (nullable) the provider attached */
  gpointer               state;       /* (unowned) its load() state */
  GPtrArray             *timers;      /* (owned) GSource* of call_later, pending */
  GSource               *resume;      /* (owned) (nullable) the idle that calls resume() */
  guint                  depth;       /* > 0 while a provider operation runs */
  gboolean               paused;      /* BUSY was answered; resume() is owed */
  gboolean               result;      /* the provider attached posted its result */
  gboolean               stopped;     /* cancelled or final: posts dropped, nothing runs */
  gboolean               told;        /* cancel() was called, or forgone (once per host) */
  WsimContext           *call_context; /* (owned) (nullable) the call's IWbemContext */
  WsimProvCaller         caller;      /* its strings owned (wsim_prov_host_set_caller()) */
};

#define HOST(ctx) ((WsimProvHost *) (ctx))
#define OBJ(inst) ((WsimObject *) (inst))

/* ---- instances ------------------------------------------------------------------ */

static WsimProvInstance *
ctx_new_instance (WsimProvContext *ctx, const char *class_name)
{
  WsimProvHost *host = HOST (ctx);
  WsimClass *cls = host->ops->lookup_class (host, class_name, host->owner);

  return cls != NULL ? (WsimProvInstance *) wsim_object_new (cls) : NULL;
}

static void
ctx_free_instance (WsimProvInstance *inst)
{
  wsim_object_unref (OBJ (inst));
}

/* The slot of @prop and its declared type; NULL for an unknown property. */
static wsim_value *
prop_slot (WsimProvInstance *inst, gint idx, guint32 *type)
{
  WsimClass *cls = wsim_object_get_class (OBJ (inst));

  if (idx < 0 || (guint) idx >= wsim_class_get_n_props (cls))
    return NULL;
  *type = wsim_class_get_prop (cls, (guint) idx)->cimtype;
  return wsim_object_get_value (OBJ (inst), (guint) idx);
}

static gint
prop_index (WsimProvInstance *inst, const char *prop)
{
  return wsim_class_find_prop (wsim_object_get_class (OBJ (inst)), prop);
}

/* Stores an integer in the arm of the property's declared type, range-checked. */
static int
store_int (WsimProvInstance *inst, gint idx, gboolean is_signed, gint64 s, guint64 u)
{
  guint32 type;
  wsim_value *v = prop_slot (inst, idx, &type);

  return v != NULL && wsim_value_set_integer (v, type, is_signed, s, u) ? 0 : -1;
}

static int
store_text (WsimProvInstance *inst, gint idx, const char *text, gboolean datetime)
{
  guint32 type;
  wsim_value *v = prop_slot (inst, idx, &type);

  if (v == NULL || text == NULL)
    return v == NULL ? -1 : (wsim_value_clear (v), 0);
  switch (type)
    {
    case CIM_STRING:
      if (datetime)
        return -1;
      wsim_value_set_string (v, text);
      return 0;
    case CIM_REFERENCE:
      wsim_value_set_reference (v, text);
      return 0;
    case CIM_DATETIME:
      wsim_value_set_datetime (v, text);
      return 0;
    default:
      return -1;
    }
}

static int
ctx_set_string (WsimProvInstance *inst, const char *prop, const char *value)
{
  return store_text (inst, prop_index (inst, prop), value, FALSE);
}

static int
ctx_set_datetime (WsimProvInstance *inst, const char *prop, const char *value)
{
  return store_text (inst, prop_index (inst, prop), value, TRUE);
}

static int
ctx_set_sint64 (WsimProvInstance *inst, const char *prop, int64_t value)
{
  return store_int (inst, prop_index (inst, prop), TRUE, value, 0);
}

static int
ctx_set_uint64 (WsimProvInstance *inst, const char *prop, uint64_t value)
{
  return store_int (inst, prop_index (inst, prop), FALSE, 0, value);
}

static int
ctx_set_real64 (WsimProvInstance *inst, const char *prop, double value)
{
  guint32 type;
  wsim_value *v = prop_slot (inst, prop_index (inst, prop), &type);

  if (v == NULL || (type != CIM_REAL64 && type != CIM_REAL32))
    return -1;
  wsim_value_clear (v);
  v->type = type;
  if (type == CIM_REAL32)
    v->wsim_value_u.v_real32 = (float) value;
  else
    v->wsim_value_u.v_real64 = value;
  return 0;
}

static int
ctx_set_boolean (WsimProvInstance *inst, const char *prop, int value)
{
  guint32 type;
  wsim_value *v = prop_slot (inst, prop_index (inst, prop), &type);

  if (v == NULL || type != CIM_BOOLEAN)
    return -1;
  wsim_value_set_boolean (v, value != 0);
  return 0;
}

static int
ctx_set_null (WsimProvInstance *inst, const char *prop)
{
  guint32 type;
  wsim_value *v = prop_slot (inst, prop_index (inst, prop), &type);

  if (v == NULL)
    return -1;
  wsim_value_clear (v);
  return 0;
}

static int
ctx_set_string_at (WsimProvInstance *inst, unsigned idx, const char *value)
{
  return store_text (inst, (gint) idx, value, FALSE);
}

static int
ctx_set_uint64_at (WsimProvInstance *inst, unsigned idx, uint64_t value)
{
  return store_int (inst, (gint) idx, FALSE, 0, value);
}

/* ---- getters (ABI version 2): instances' properties and the call's context values ---- */

/* What every getter reads from @found (NULL: no such property or value): 0 with *out set,
 * 1 for a null, -1 for none or a type not the getter's. */

static int
read_string (const wsim_value *found, const char **out)
{
  if (found == NULL)
    return -1;
  if (wsim_value_is_null (found))
    return 1;
  if (found->type != CIM_STRING && found->type != CIM_DATETIME && found->type != CIM_REFERENCE)
    return -1;
  *out = found->wsim_value_u.v_string;   /* the string arms share layout */
  return 0;
}

/* An integer, converted to @type (CIM_SINT64 or CIM_UINT64, range-checked) into *@tmp. */
static int
read_integer (const wsim_value *found, guint32 type, wsim_value *tmp)
{
  if (found == NULL)
    return -1;
  if (wsim_value_is_null (found))
    return 1;
  if (found->type == CIM_STRING || found->type == CIM_BOOLEAN || found->type == CIM_REAL32
      || found->type == CIM_REAL64 || !wsim_value_convert (found, type, tmp))
    return -1;
  return 0;
}

static int
read_sint64 (const wsim_value *found, int64_t *out)
{
  wsim_value tmp = { 0 };
  int rc = read_integer (found, CIM_SINT64, &tmp);

  if (rc == 0)
    *out = tmp.wsim_value_u.v_sint64;
  return rc;
}

static int
read_uint64 (const wsim_value *found, uint64_t *out)
{
  wsim_value tmp = { 0 };
  int rc = read_integer (found, CIM_UINT64, &tmp);

  if (rc == 0)
    *out = tmp.wsim_value_u.v_uint64;
  return rc;
}

static int
read_real64 (const wsim_value *found, double *out)
{
  if (found == NULL)
    return -1;
  if (wsim_value_is_null (found))
    return 1;
  if (found->type != CIM_REAL32 && found->type != CIM_REAL64)
    return -1;
  *out = found->type == CIM_REAL32 ? found->wsim_value_u.v_real32 : found->wsim_value_u.v_real64;
  return 0;
}

static int
read_boolean (const wsim_value *found, int *out)
{
  if (found == NULL)
    return -1;
  if (wsim_value_is_null (found))
    return 1;
  if (found->type != CIM_BOOLEAN)
    return -1;
  *out = found->wsim_value_u.v_boolean ? 1 : 0;
  return 0;
}

#define PROP(inst, prop) wsim_object_lookup ((WsimObject *) (inst), (prop))

static int
ctx_get_string (const WsimProvInstance *inst, const char *prop, const char **out)
{
  return read_string (PROP (inst, prop), out);
}

static int
ctx_get_sint64 (const WsimProvInstance *inst, const char *prop, int64_t *out)
{
  return read_sint64 (PROP (inst, prop), out);
}

static int
ctx_get_uint64 (const WsimProvInstance *inst, const char *prop, uint64_t *out)
{
  return read_uint64 (PROP (inst, prop), out);
}

static int
ctx_get_real64 (const WsimProvInstance *inst, const char *prop, double *out)
{
  return read_real64 (PROP (inst, prop), out);
}

static int
ctx_get_boolean (const WsimProvInstance *inst, const char *prop, int *out)
{
  return read_boolean (PROP (inst, prop), out);
}

/* The context value @name of the call, or NULL. */
static const wsim_value *
context_lookup (WsimProvContext *ctx, const char *name)
{
  WsimProvHost *host = HOST (ctx);

  return host->call_context != NULL && name != NULL
         ? wsim_context_get_value (host->call_context, name) : NULL;
}

static int
ctx_get_context_type (WsimProvContext *ctx, const char *name, uint32_t *cimtype)
{
  const wsim_value *v = context_lookup (ctx, name);

  if (v == NULL)
    return -1;
  *cimtype = v->type;
  return 0;
}

static int
ctx_get_context_string (WsimProvContext *ctx, const char *name, const char **out)
{
  return read_string (context_lookup (ctx, name), out);
}

static int
ctx_get_context_sint64 (WsimProvContext *ctx, const char *name, int64_t *out)
{
  return read_sint64 (context_lookup (ctx, name), out);
}

static int
ctx_get_context_uint64 (WsimProvContext *ctx, const char *name, uint64_t *out)
{
  return read_uint64 (context_lookup (ctx, name), out);
}

static int
ctx_get_context_real64 (WsimProvContext *ctx, const char *name, double *out)
{
  return read_real64 (context_lookup (ctx, name), out);
}

static int
ctx_get_context_boolean (WsimProvContext *ctx, const char *name, int *out)
{
  return read_boolean (context_lookup (ctx, name), out);
}

static void
ctx_get_caller (WsimProvContext *ctx, WsimProvCaller *out)
{
  *out = HOST (ctx)->caller;
}

static void
on_child_exit (GPid pid, gint status, gpointer data)
{
  /* GLib has reaped it (the source goes by itself): nothing else to do. */
  g_spawn_close_pid (pid);
}

static void
ctx_watch_child (WsimProvContext *ctx, int pid)
{
  GSource *s;

  if (pid <= 0)
    return;
  s = g_child_watch_source_new ((GPid) pid);
  g_source_set_callback (s, G_SOURCE_FUNC (on_child_exit), NULL, NULL);
  g_source_attach (s, HOST (ctx)->context);
  g_source_unref (s);
}

void
wsim_prov_host_set_call_context (WsimProvHost *host, WsimContext *context)
{
  g_clear_pointer (&host->call_context, wsim_context_unref);
  host->call_context = context != NULL ? wsim_context_ref (context) : NULL;
}

void
wsim_prov_host_set_caller (WsimProvHost *host, const WsimProvCaller *caller)
{
  g_free ((char *) host->caller.principal);
  host->caller = *caller;
  host->caller.principal = g_strdup (caller->principal);
  /* mech is a static string (WsimRpcIdentity) */
}

/* ---- running the provider's code ------------------------------------------------ */

static void
host_stop_timers (WsimProvHost *host)
{
  for (guint i = 0; i < host->timers->len; i++)
    g_source_destroy (host->timers->pdata[i]);
  g_ptr_array_set_size (host->timers, 0);
  if (host->resume != NULL)
    {
      g_source_destroy (host->resume);
      g_clear_pointer (&host->resume, g_source_unref);
    }
}

static void
host_enter (WsimProvHost *host)
{
  host->depth++;
}

/* On the way out of a provider operation: a provider that has returned with no result,
 * nothing to resume and no timer pending can never post one (the owner invents it rather
 * than leave the sink waiting); then the owner moves the call on. */
static void
host_leave (WsimProvHost *host, WsimProvHostRun run)
{
  if (--host->depth > 0)
    return;
  if (!host->stopped && host->provider != NULL && !host->result && !host->paused
      && host->resume == NULL && host->timers->len == 0)
    {
      g_autofree char *message = g_strdup_printf ("provider %s returned without a result",
                                                  host->provider->name);

      host->result = TRUE;
      host->ops->violation (host, WSIM_PROV_HOST_NO_RESULT, WBEM_E_PROVIDER_FAILURE, message,
                            NULL, host->owner);
    }
  host->ops->returned (host, run, host->owner);
}

/* ---- posts ---------------------------------------------------------------------- */

static WsimProvStatus
ctx_post_instance (WsimProvContext *ctx, WsimProvInstance *inst)
{
  WsimProvHost *host = HOST (ctx);
  WsimProvStatus status;

  if (host->stopped || host->result)
    {
      if (!host->stopped)
        host->ops->violation (host, WSIM_PROV_HOST_LATE_INSTANCE, WBEM_S_NO_ERROR,
                              "instance posted after the result: dropped", OBJ (inst), host->owner);
      wsim_object_unref (OBJ (inst));
      return WSIM_PROV_DROPPED;
    }
  status = host->ops->instance (host, OBJ (inst), host->owner);
  /* Without resume() a provider cannot be slowed; it is told, and memory is its fault. */
  if (status == WSIM_PROV_BUSY && host->provider->resume != NULL)
    host->paused = TRUE;
  return status;
}

static void
ctx_post_result (WsimProvContext *ctx, uint32_t hresult, const char *message)
{
  WsimProvHost *host = HOST (ctx);

  if (host->stopped)
    return;
  if (host->result)
    {
      g_autofree char *what = g_strdup_printf ("second result ignored%s%s", message ? ": " : "",
                                               message ? message : "");

      host->ops->violation (host, WSIM_PROV_HOST_SECOND_RESULT, hresult, what, NULL, host->owner);
      return;
    }
  host->result = TRUE;
  host->paused = FALSE;
  host->ops->result (host, hresult, message, host->owner);
}

static int
ctx_is_cancelled (WsimProvContext *ctx)
{
  return HOST (ctx)->stopped;
}

typedef struct {
  WsimProvHost      *host;   /* (unowned) the host destroys its timers before it goes */
  WsimProvTimerFunc  fn;
  void              *data;
  GSource           *source; /* (unowned) */
} Timer;

static gboolean
on_timer (gpointer data)
{
  Timer *t = data;
  WsimProvHost *host = t->host;

  /* The array's reference goes; the source lives until this dispatch returns. */
  g_ptr_array_remove_fast (host->timers, t->source);
  if (!host->stopped && host->provider != NULL)
    {
      host_enter (host);
      t->fn (&host->pctx, t->data);
      host_leave (host, WSIM_PROV_HOST_RAN_TIMER);
    }
  return G_SOURCE_REMOVE;
}

static void
ctx_call_later (WsimProvContext *ctx, unsigned ms, WsimProvTimerFunc fn, void *data)
{
  WsimProvHost *host = HOST (ctx);
  Timer *t;

  if (host->stopped || fn == NULL)
    return;
  t = g_new0 (Timer, 1);
  t->host = host;
  t->fn = fn;
  t->data = data;
  t->source = ms == 0 ? g_idle_source_new () : g_timeout_source_new (ms);
  g_source_set_callback (t->source, on_timer, t, g_free);
  g_ptr_array_add (host->timers, t->source);   /* the array holds the reference */
  g_source_attach (t->source, host->context);
}

static const char *
ctx_get_param (WsimProvContext *ctx, const char *name)
{
  WsimProvHost *host = HOST (ctx);

  return host->ops->get_param (host, name, host->owner);
}

void
wsim_prov_host_progress_words (guint32 done, guint32 total, guint16 *out_done, guint16 *out_total)
{
  if (total != 0 && done > total)
    done = total;
  if (total > 0xFFFFu)
    {
      done = (guint32) ((guint64) done * 0xFFFFu / total);
      total = 0xFFFFu;
    }
  *out_done = (guint16) MIN (done, 0xFFFFu);
  *out_total = (guint16) total;
}

/* Only while posts are taken: a report after the result or the call's end says nothing. */
static void
ctx_report_progress (WsimProvContext *ctx, uint32_t done, uint32_t total)
{
  WsimProvHost *host = HOST (ctx);
  guint16 d, t;

  if (host->stopped || host->result || host->provider == NULL)
    return;
  wsim_prov_host_progress_words (done, total, &d, &t);
  host->ops->progress (host, d, t, host->owner);
}

static int
ctx_set_object (WsimProvInstance *inst, const char *prop, const WsimProvInstance *value)
{
  guint32 type;
  wsim_value *v = prop_slot (inst, prop_index (inst, prop), &type);

  /* An object holding itself would have no end; wsim_value_set_object() must not be given
   * one of the object's own values either. */
  if (v == NULL || type != CIM_OBJECT || value == inst)
    return -1;
  return wsim_value_set_object (v, OBJ (value)) ? 0 : -1;
}

static const WsimProvContextOps host_ctx_ops = {
  .new_instance = ctx_new_instance,
  .free_instance = ctx_free_instance,
  .set_string = ctx_set_string,
  .set_sint64 = ctx_set_sint64,
  .set_uint64 = ctx_set_uint64,
  .set_real64 = ctx_set_real64,
  .set_boolean = ctx_set_boolean,
  .set_datetime = ctx_set_datetime,
  .set_null = ctx_set_null,
  .set_string_at = ctx_set_string_at,
  .set_uint64_at = ctx_set_uint64_at,
  .post_instance = ctx_post_instance,
  .post_result = ctx_post_result,
  .is_cancelled = ctx_is_cancelled,
  .call_later = ctx_call_later,
  .get_param = ctx_get_param,
  .get_string = ctx_get_string,
  .get_sint64 = ctx_get_sint64,
  .get_uint64 = ctx_get_uint64,
  .get_real64 = ctx_get_real64,
  .get_boolean = ctx_get_boolean,
  .report_progress = ctx_report_progress,
  .get_context_type = ctx_get_context_type,
  .get_context_string = ctx_get_context_string,
  .get_context_sint64 = ctx_get_context_sint64,
  .get_context_uint64 = ctx_get_context_uint64,
  .get_context_real64 = ctx_get_context_real64,
  .get_context_boolean = ctx_get_context_boolean,
  .get_caller = ctx_get_caller,
  .watch_child = ctx_watch_child,
  .set_object = ctx_set_object,
};

/* ---- the owner's side ----------------------------------------------------------- */

WsimProvHost *
wsim_prov_host_new (const WsimProvHostOps *ops, gpointer owner, GMainContext *context)
{
  WsimProvHost *host = g_new0 (WsimProvHost, 1);

  host->pctx.ops = &host_ctx_ops;
  host->ops = ops;
  host->owner = owner;
  host->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  host->timers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  return host;
}

void
wsim_prov_host_free (WsimProvHost *host)
{
  if (host == NULL)
    return;
  host_stop_timers (host);
  g_ptr_array_unref (host->timers);
  g_main_context_unref (host->context);
  wsim_context_unref (host->call_context);
  g_free ((char *) host->caller.principal);
  g_free (host);
}

/* Attaches @provider for a new start: the result and BUSY state are the new provider's. */
static void
host_attach (WsimProvHost *host, const WsimProvider *provider, gpointer state)
{
  wsim_prov_host_finish (host);
  host->provider = provider;
  host->state = state;
  host->result = FALSE;
  host->paused = FALSE;
}

void
wsim_prov_host_enumerate (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                          const char *class_name)
{
  host_attach (host, provider, state);
  host_enter (host);
  provider->enumerate (state, &host->pctx, class_name);
  host_leave (host, WSIM_PROV_HOST_RAN_START);
}

void
wsim_prov_host_get (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                    const char *class_name, const WsimProvKey *keys, gsize n_keys)
{
  host_attach (host, provider, state);
  host_enter (host);
  provider->get (state, &host->pctx, class_name, keys, n_keys);
  host_leave (host, WSIM_PROV_HOST_RAN_START);
}

void
wsim_prov_host_exec_method (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                            const char *class_name, const char *method_name,
                            const WsimProvKey *keys, gsize n_keys, WsimObject *in_params)
{
  host_attach (host, provider, state);
  host_enter (host);
  provider->exec_method (state, &host->pctx, class_name, method_name, keys, n_keys,
                         (const WsimProvInstance *) in_params);
  host_leave (host, WSIM_PROV_HOST_RAN_START);
}

void
wsim_prov_host_put_instance (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                             const char *class_name, WsimObject *inst, guint32 flags)
{
  host_attach (host, provider, state);
  host_enter (host);
  provider->put_instance (state, &host->pctx, class_name, (const WsimProvInstance *) inst, flags);
  host_leave (host, WSIM_PROV_HOST_RAN_START);
}

void
wsim_prov_host_delete_instance (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                                const char *class_name, const WsimProvKey *keys, gsize n_keys)
{
  host_attach (host, provider, state);
  host_enter (host);
  provider->delete_instance (state, &host->pctx, class_name, keys, n_keys);
  host_leave (host, WSIM_PROV_HOST_RAN_START);
}

void
wsim_prov_host_stop (WsimProvHost *host)
{
  host->stopped = TRUE;
  host->paused = FALSE;
  host_stop_timers (host);
}

void
wsim_prov_host_cancel (WsimProvHost *host)
{
  gboolean tell = !host->told && host->depth == 0;

  host->told = TRUE;
  wsim_prov_host_stop (host);
  if (tell && host->provider != NULL && host->provider->cancel != NULL)
    host->provider->cancel (host->state, &host->pctx);
}

void
wsim_prov_host_finish (WsimProvHost *host)
{
  const WsimProvider *p = host->provider;

  host_stop_timers (host);
  host->paused = FALSE;
  if (p == NULL)
    return;
  if (p->finish != NULL)
    p->finish (host->state, &host->pctx);
  host->pctx.provider_data = NULL;
  host->provider = NULL;
  host->state = NULL;
}

static gboolean
on_resume (gpointer data)
{
  WsimProvHost *host = data;

  g_clear_pointer (&host->resume, g_source_unref);
  if (host->stopped || !host->paused || host->provider == NULL)
    return G_SOURCE_REMOVE;
  host->paused = FALSE;
  host_enter (host);
  host->provider->resume (host->state, &host->pctx);
  host_leave (host, WSIM_PROV_HOST_RAN_RESUME);
  return G_SOURCE_REMOVE;
}

void
wsim_prov_host_resume_later (WsimProvHost *host)
{
  /* From the loop, not from here: the owner may be deep in its own bookkeeping. */
  if (!host->paused || host->resume != NULL || host->stopped)
    return;
  host->resume = g_idle_source_new ();
  g_source_set_callback (host->resume, on_resume, host, NULL);
  g_source_attach (host->resume, host->context);
}

gboolean
wsim_prov_host_is_running (WsimProvHost *host)
{
  return host->depth > 0;
}

gboolean
wsim_prov_host_is_paused (WsimProvHost *host)
{
  return host->paused;
}

guint
wsim_prov_host_get_n_timers (WsimProvHost *host)
{
  return host->timers->len;
}

WsimProvContext *
wsim_prov_host_get_context (WsimProvHost *host)
{
  return &host->pctx;
}

WsimObject *
wsim_prov_host_instance_object (WsimProvInstance *inst)
{
  return OBJ (inst);
}
