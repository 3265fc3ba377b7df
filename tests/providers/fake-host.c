/* fake-host.c: the provider unit tests' host (see fake-host.h). It owns the loaded
 * modules, the recorded events of each call, and the call's private GMainContext that
 * runs the provider's timers and resume() calls. Test code only: it uses GLib freely.
 */
#include "fake-host.h"

#include <inttypes.h>
#include <string.h>

struct WsimProvInstance {
  FhCall              *call;    /* (unowned) */
  const WsimProvClass *cls;     /* (unowned) the provider's static schema */
  char                *class_name; /* (owned) as the provider asked for it */
  char               **values;  /* (owned) one (owned, nullable) text per property */
};

typedef struct {
  FhCall           *call;
  WsimProvTimerFunc fn;
  void             *data;
  GSource          *source;     /* (unowned) attached to call->context until it fires */
} FhTimer;

static FhCall *
call_of (WsimProvContext *ctx)
{
  return (FhCall *) ctx;
}

/* ---- modules ---------------------------------------------------------------------- */

static GHashTable *
parse_params (const char *params)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (params == NULL)
    return table;
  g_auto (GStrv) parts = g_strsplit (params, ";", -1);
  for (char **p = parts; *p != NULL; p++)
    {
      const char *eq = strchr (*p, '=');
      if (**p == '\0' || eq == NULL)
        continue;
      g_hash_table_replace (table, g_strndup (*p, (gsize) (eq - *p)), g_strdup (eq + 1));
    }
  return table;
}

FhModule *
fh_module_open (const char *path, const char *params, char **error_message)
{
  GModule *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      *error_message = g_strdup (g_module_error ());
      return NULL;
    }
  gpointer sym = NULL;
  if (!g_module_symbol (module, WSIM_PROVIDER_ENTRY_SYMBOL, &sym) || sym == NULL)
    {
      *error_message = g_strdup_printf ("%s: no %s", path, WSIM_PROVIDER_ENTRY_SYMBOL);
      g_module_close (module);
      return NULL;
    }
  const WsimProvider *prov = ((WsimProviderEntryFunc) sym) (WSIM_PROVIDER_ABI_VERSION);
  if (prov == NULL || prov->abi_version != WSIM_PROVIDER_ABI_VERSION)
    {
      *error_message = g_strdup_printf ("%s: ABI version %u, not %u", path,
                                        prov != NULL ? prov->abi_version : 0,
                                        WSIM_PROVIDER_ABI_VERSION);
      g_module_close (module);
      return NULL;
    }

  FhModule *mod = g_new0 (FhModule, 1);
  mod->module = module;
  mod->provider = prov;
  mod->params = parse_params (params);
  if (prov->load != NULL)
    {
      char *err = NULL;
      if (prov->load (&mod->state, params != NULL ? params : "", &err) != 0)
        {
          *error_message = g_strdup (err != NULL ? err : "load() failed");
          free (err);
          fh_module_close (mod);
          return NULL;
        }
    }
  mod->loaded = TRUE;
  return mod;
}

void
fh_module_close (FhModule *mod)
{
  if (mod == NULL)
    return;
  if (mod->loaded && mod->provider->unload != NULL)
    mod->provider->unload (mod->state);
  g_hash_table_unref (mod->params);
  g_module_close (mod->module);
  g_free (mod);
}

const WsimProvClass *
fh_find_class (const WsimProvider *prov, const char *name)
{
  for (size_t i = 0; i < prov->n_classes; i++)
    if (g_ascii_strcasecmp (prov->classes[i].name, name) == 0)
      return &prov->classes[i];
  return NULL;
}

const WsimProvProperty *
fh_find_property (const WsimProvClass *cls, const char *name, guint *index)
{
  for (size_t i = 0; i < cls->n_props; i++)
    if (g_ascii_strcasecmp (cls->props[i].name, name) == 0)
      {
        if (index != NULL)
          *index = (guint) i;
        return &cls->props[i];
      }
  return NULL;
}

/* ---- instances and setters ---------------------------------------------------------- */

static WsimProvInstance *
fh_new_instance (WsimProvContext *ctx, const char *class_name)
{
  FhCall *call = call_of (ctx);
  const WsimProvClass *cls = class_name != NULL ? fh_find_class (call->mod->provider, class_name) : NULL;
  if (cls == NULL)
    {
      call->n_set_errors++;
      return NULL;
    }
  WsimProvInstance *inst = g_new0 (WsimProvInstance, 1);
  inst->call = call;
  inst->cls = cls;
  inst->class_name = g_strdup (class_name);
  inst->values = g_new0 (char *, cls->n_props + 1);
  call->n_live_instances++;
  return inst;
}

static void
instance_free (WsimProvInstance *inst)
{
  for (size_t i = 0; i < inst->cls->n_props; i++)
    g_free (inst->values[i]);
  g_free (inst->values);
  g_free (inst->class_name);
  g_free (inst);
}

static void
fh_free_instance (WsimProvInstance *inst)
{
  if (inst == NULL)
    return;
  inst->call->n_live_instances--;
  instance_free (inst);
}

/* Stores @text (owned) at @idx if @idx exists and @type_ok; counts and returns -1 if not. */
static int
store (WsimProvInstance *inst, guint idx, gboolean type_ok, char *text)
{
  if (idx >= inst->cls->n_props || !type_ok)
    {
      g_free (text);
      inst->call->n_set_errors++;
      return -1;
    }
  g_free (inst->values[idx]);
  inst->values[idx] = text;
  return 0;
}

static guint
index_of (WsimProvInstance *inst, const char *prop)
{
  guint idx = G_MAXUINT;
  if (prop == NULL || fh_find_property (inst->cls, prop, &idx) == NULL)
    return G_MAXUINT;
  return idx;
}

static guint32
type_at (WsimProvInstance *inst, guint idx)
{
  return idx < inst->cls->n_props ? inst->cls->props[idx].cimtype : 0;
}

static gboolean
is_string_type (guint32 t)
{
  return t == WSIM_PROV_STRING || t == WSIM_PROV_REFERENCE || t == WSIM_PROV_CHAR16;
}

static gboolean
uint_fits (guint32 t, uint64_t v)
{
  switch (t)
    {
    case WSIM_PROV_UINT8: return v <= UINT8_MAX;
    case WSIM_PROV_UINT16: return v <= UINT16_MAX;
    case WSIM_PROV_UINT32: return v <= UINT32_MAX;
    case WSIM_PROV_UINT64: return TRUE;
    case WSIM_PROV_SINT8: return v <= INT8_MAX;
    case WSIM_PROV_SINT16: return v <= INT16_MAX;
    case WSIM_PROV_SINT32: return v <= INT32_MAX;
    case WSIM_PROV_SINT64: return v <= INT64_MAX;
    default: return FALSE;
    }
}

static gboolean
sint_fits (guint32 t, int64_t v)
{
  switch (t)
    {
    case WSIM_PROV_SINT8: return v >= INT8_MIN && v <= INT8_MAX;
    case WSIM_PROV_SINT16: return v >= INT16_MIN && v <= INT16_MAX;
    case WSIM_PROV_SINT32: return v >= INT32_MIN && v <= INT32_MAX;
    case WSIM_PROV_SINT64: return TRUE;
    default: return v >= 0 && uint_fits (t, (uint64_t) v);
    }
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
fh_set_string (WsimProvInstance *inst, const char *prop, const char *value)
{
  guint idx = index_of (inst, prop);
  return store (inst, idx, is_string_type (type_at (inst, idx)) && value != NULL, g_strdup (value));
}

static int
fh_set_sint64 (WsimProvInstance *inst, const char *prop, int64_t value)
{
  guint idx = index_of (inst, prop);
  return store (inst, idx, sint_fits (type_at (inst, idx), value),
                g_strdup_printf ("%" PRId64, value));
}

static int
fh_set_uint64 (WsimProvInstance *inst, const char *prop, uint64_t value)
{
  guint idx = index_of (inst, prop);
  return store (inst, idx, uint_fits (type_at (inst, idx), value),
                g_strdup_printf ("%" PRIu64, value));
}

static int
fh_set_real64 (WsimProvInstance *inst, const char *prop, double value)
{
  guint idx = index_of (inst, prop);
  guint32 t = type_at (inst, idx);
  return store (inst, idx, t == WSIM_PROV_REAL32 || t == WSIM_PROV_REAL64,
                g_strdup_printf ("%.17g", value));
}

static int
fh_set_boolean (WsimProvInstance *inst, const char *prop, int value)
{
  guint idx = index_of (inst, prop);
  return store (inst, idx, type_at (inst, idx) == WSIM_PROV_BOOLEAN,
                g_strdup (value ? "TRUE" : "FALSE"));
}

static int
fh_set_datetime (WsimProvInstance *inst, const char *prop, const char *dmtf)
{
  guint idx = index_of (inst, prop);
  return store (inst, idx, type_at (inst, idx) == WSIM_PROV_DATETIME && dmtf_valid (dmtf),
                g_strdup (dmtf));
}

static int
fh_set_null (WsimProvInstance *inst, const char *prop)
{
  guint idx = index_of (inst, prop);
  return store (inst, idx, TRUE, NULL);
}

static int
fh_set_string_at (WsimProvInstance *inst, unsigned idx, const char *value)
{
  return store (inst, idx, is_string_type (type_at (inst, idx)) && value != NULL, g_strdup (value));
}

static int
fh_set_uint64_at (WsimProvInstance *inst, unsigned idx, uint64_t value)
{
  return store (inst, idx, uint_fits (type_at (inst, idx), value),
                g_strdup_printf ("%" PRIu64, value));
}

/* ---- posts ------------------------------------------------------------------------ */

static void
event_free (gpointer p)
{
  FhEvent *ev = p;
  g_free (ev->class_name);
  if (ev->values != NULL)
    g_hash_table_unref (ev->values);
  g_free (ev->message);
  g_free (ev);
}

static gboolean
resume_dispatch (gpointer data)
{
  FhCall *call = data;
  call->resume_source = NULL;
  if (!call->resume_due)
    return G_SOURCE_REMOVE;
  /* A cancelled call is not resumed: the runtime has ended it. */
  call->resume_due = FALSE;
  if (!call->cancelled && !call->finished)
    {
      call->n_resumes++;
      call->mod->provider->resume (call->mod->state, &call->ctx);
    }
  return G_SOURCE_REMOVE;
}

static WsimProvStatus
fh_post_instance (WsimProvContext *ctx, WsimProvInstance *inst)
{
  FhCall *call = call_of (ctx);
  const WsimProvider *prov = call->mod->provider;

  if (inst == NULL)
    {
      call->n_set_errors++;
      return WSIM_PROV_DROPPED;
    }
  FhEvent *ev = g_new0 (FhEvent, 1);
  ev->kind = FH_EVENT_INSTANCE;
  ev->class_name = g_steal_pointer (&inst->class_name);
  ev->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (size_t i = 0; i < inst->cls->n_props; i++)
    g_hash_table_insert (ev->values, (gpointer) inst->cls->props[i].name,
                         g_steal_pointer (&inst->values[i]));
  g_ptr_array_add (call->events, ev);
  fh_free_instance (inst);
  call->n_instances++;

  if (call->n_results > 0 || call->cancelled || call->finished)
    return WSIM_PROV_DROPPED;
  if (call->resume_due && prov->resume != NULL)
    call->n_busy_violations++;
  call->n_posts++;
  if (call->busy_every != 0 && call->n_posts % call->busy_every == 0)
    {
      call->n_busy++;
      if (prov->resume != NULL && !call->resume_due)
        {
          call->resume_due = TRUE;
          call->resume_source = g_idle_source_new ();
          g_source_set_callback (call->resume_source, resume_dispatch, call, NULL);
          g_source_attach (call->resume_source, call->context);
          g_source_unref (call->resume_source);
        }
      return WSIM_PROV_BUSY;
    }
  return WSIM_PROV_OK;
}

static void
fh_post_result (WsimProvContext *ctx, uint32_t hresult, const char *message)
{
  FhCall *call = call_of (ctx);
  FhEvent *ev = g_new0 (FhEvent, 1);
  ev->kind = FH_EVENT_RESULT;
  ev->hresult = hresult;
  ev->message = g_strdup (message);
  g_ptr_array_add (call->events, ev);
  call->n_results++;
}

static int
fh_is_cancelled (WsimProvContext *ctx)
{
  return call_of (ctx)->cancelled;
}

static gboolean
timer_dispatch (gpointer data)
{
  FhTimer *t = data;
  FhCall *call = t->call;
  call->timers = g_slist_remove (call->timers, t);
  t->fn (&call->ctx, t->data);
  return G_SOURCE_REMOVE;
}

static void
fh_call_later (WsimProvContext *ctx, unsigned ms, WsimProvTimerFunc fn, void *data)
{
  FhCall *call = call_of (ctx);
  if (call->finished)
    return;
  FhTimer *t = g_new0 (FhTimer, 1);
  t->call = call;
  t->fn = fn;
  t->data = data;
  t->source = ms == 0 ? g_idle_source_new () : g_timeout_source_new (ms);
  g_source_set_callback (t->source, timer_dispatch, t, g_free);
  g_source_attach (t->source, call->context);
  g_source_unref (t->source);
  call->timers = g_slist_prepend (call->timers, t);
}

static const char *
fh_get_param (WsimProvContext *ctx, const char *name)
{
  return g_hash_table_lookup (call_of (ctx)->mod->params, name);
}

static const WsimProvContextOps fh_ops = {
  .new_instance = fh_new_instance,
  .free_instance = fh_free_instance,
  .set_string = fh_set_string,
  .set_sint64 = fh_set_sint64,
  .set_uint64 = fh_set_uint64,
  .set_real64 = fh_set_real64,
  .set_boolean = fh_set_boolean,
  .set_datetime = fh_set_datetime,
  .set_null = fh_set_null,
  .set_string_at = fh_set_string_at,
  .set_uint64_at = fh_set_uint64_at,
  .post_instance = fh_post_instance,
  .post_result = fh_post_result,
  .is_cancelled = fh_is_cancelled,
  .call_later = fh_call_later,
  .get_param = fh_get_param,
};

/* ---- calls ------------------------------------------------------------------------ */

FhCall *
fh_call_new (FhModule *mod)
{
  FhCall *call = g_new0 (FhCall, 1);
  call->ctx.ops = &fh_ops;
  call->mod = mod;
  call->context = g_main_context_new ();
  call->events = g_ptr_array_new_with_free_func (event_free);
  return call;
}

void
fh_call_enumerate (FhCall *call, const char *class_name)
{
  call->mod->provider->enumerate (call->mod->state, &call->ctx, class_name);
}

void
fh_call_get (FhCall *call, const char *class_name, const WsimProvKey *keys, gsize n_keys)
{
  call->mod->provider->get (call->mod->state, &call->ctx, class_name, keys, n_keys);
}

void
fh_call_cancel (FhCall *call)
{
  if (call->cancelled)
    return;
  call->cancelled = TRUE;
  if (call->mod->provider->cancel != NULL)
    call->mod->provider->cancel (call->mod->state, &call->ctx);
}

void
fh_call_finish (FhCall *call)
{
  if (call->finished)
    return;
  call->finished = TRUE;
  GSList *timers = g_steal_pointer (&call->timers);
  for (GSList *l = timers; l != NULL; l = l->next)
    g_source_destroy (((FhTimer *) l->data)->source);
  g_slist_free (timers);
  if (call->resume_source != NULL)
    g_source_destroy (g_steal_pointer (&call->resume_source));
  call->resume_due = FALSE;
  if (call->mod->provider->finish != NULL)
    call->mod->provider->finish (call->mod->state, &call->ctx);
}

void
fh_call_free (FhCall *call)
{
  if (call == NULL)
    return;
  fh_call_finish (call);
  g_main_context_unref (call->context);
  g_ptr_array_unref (call->events);
  g_free (call);
}

static gboolean
deadline_reached (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
fh_call_run_until (FhCall *call, FhCondition cond, gpointer data, guint timeout_ms)
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
has_result (FhCall *call, gpointer data)
{
  return call->n_results > 0 && !call->resume_due;
}

static gboolean
is_idle (FhCall *call, gpointer data)
{
  return call->timers == NULL && !call->resume_due;
}

static gboolean
has_instances (FhCall *call, gpointer data)
{
  return call->n_instances >= GPOINTER_TO_UINT (data);
}

gboolean
fh_call_run_until_result (FhCall *call, guint timeout_ms)
{
  return fh_call_run_until (call, has_result, NULL, timeout_ms);
}

gboolean
fh_call_run_until_idle (FhCall *call, guint timeout_ms)
{
  return fh_call_run_until (call, is_idle, NULL, timeout_ms);
}

gboolean
fh_call_run_until_instances (FhCall *call, guint n, guint timeout_ms)
{
  return fh_call_run_until (call, has_instances, GUINT_TO_POINTER (n), timeout_ms);
}

char *
fh_call_sequence (FhCall *call)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < call->events->len; i++)
    {
      const FhEvent *ev = g_ptr_array_index (call->events, i);
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, ev->kind == FH_EVENT_INSTANCE ? "instance" : "result");
    }
  return g_string_free (s, FALSE);
}

guint
fh_call_pending_timers (FhCall *call)
{
  return g_slist_length (call->timers);
}

const char *
fh_event_value (const FhEvent *ev, const char *prop)
{
  return ev->values != NULL ? g_hash_table_lookup (ev->values, prop) : NULL;
}

const FhEvent *
fh_call_find_instance (FhCall *call, const char *prop, const char *value)
{
  for (guint i = 0; i < call->events->len; i++)
    {
      const FhEvent *ev = g_ptr_array_index (call->events, i);
      const char *v = ev->kind == FH_EVENT_INSTANCE ? fh_event_value (ev, prop) : NULL;
      if (v != NULL && strcmp (v, value) == 0)
        return ev;
    }
  return NULL;
}

const FhEvent *
fh_call_result (FhCall *call)
{
  for (guint i = 0; i < call->events->len; i++)
    {
      const FhEvent *ev = g_ptr_array_index (call->events, i);
      if (ev->kind == FH_EVENT_RESULT)
        return ev;
    }
  return NULL;
}
