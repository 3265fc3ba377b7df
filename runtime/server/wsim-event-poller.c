/* wsim-event-poller.c: intrinsic events by polling (see wsim-event-poller.h).
 *
 * A round is an enumeration of the class and its subclasses, one provider after another
 * through one provider host; what it finds is kept as Seen entries, in the order found and
 * indexed by relative path. When the round succeeds it is compared with the last good
 * round, then becomes it. Values are compared as their XDR encoding, byte for byte: a
 * change of case or of type is a modification, which WQL's comparison (case-insensitive,
 * across numeric types) would hide.
 */
#include "wsim-event-poller.h"

#include "wsim-provider-host.h"
#include "wsim-repository.h"
#include "wsim-value.h"
#include "wsim-xdrbuf.h"
#include "wsim_cim.h"

struct _WsimEventPollers {
  struct _WsimRepository *repo;     /* (unowned) outlives the set */
  GMainContext *context;            /* (owned) */
  GHashTable   *pollers;            /* key -> (owned) Poller* */
  guint64       n_rounds;
};

/* One instance as a round found it. */
typedef struct {
  char       *path;                 /* (owned) its relative path: the key it is known by */
  WsimObject *obj;                  /* (owned) */
  GBytes     *values;               /* (owned) the XDR of its values, to compare */
} Seen;

/* What one round found, in order, and by path. */
typedef struct {
  GPtrArray  *order;                /* (owned) Seen* */
  GHashTable *by_path;              /* path (unowned) -> Seen* (unowned) */
} Snapshot;

typedef struct {
  WsimEventPollers *set;            /* (unowned) */
  char         *key;                /* (owned) its key in set->pollers */
  char         *ns;                 /* (owned) */
  char         *class_name;         /* (owned) looked up at each round: a class may change */
  guint         interval_ms;
  char         *principal;          /* (owned) (nullable) the caller's, for the host */
  WsimProvCaller caller;            /* principal points at the field above */
  WsimProvHost *host;               /* (owned) */
  GSource      *timer;              /* (owned) (nullable) the next round, or its next class */
  Snapshot     *seen;               /* (owned) (nullable) the last good round; NULL before one */
  Snapshot     *found;              /* (owned) (nullable) the round in progress */
  GPtrArray    *classes;            /* (owned) (nullable) WsimClass* refs: this round's */
  guint         class_idx;
  gboolean      result_in;          /* the current class's provider posted its result */
  WsimHResult   round_hr;           /* the round's first failure, or WBEM_S_NO_ERROR */
  char         *round_why;          /* (owned) (nullable) */
  gint64        round_start;        /* monotonic µs */
  GPtrArray    *watches;            /* (owned container) WsimEventWatch* (unowned: the
                                     * watch's holder frees it through cancel) */
  guint         emitting;           /* > 0 while the watches' ops are being called */
} Poller;

struct _WsimEventWatch {
  Poller                  *poller;  /* (unowned) */
  const WsimEventWatchOps *ops;
  gpointer                 data;
  gboolean                 cancelled; /* cancelled during an emission: freed after it */
};

static void poller_start_class (Poller *p);

static void
seen_free (Seen *s)
{
  g_free (s->path);
  wsim_object_unref (s->obj);
  g_bytes_unref (s->values);
  g_free (s);
}

static Snapshot *
snapshot_new (void)
{
  Snapshot *snap = g_new0 (Snapshot, 1);

  snap->order = g_ptr_array_new_with_free_func ((GDestroyNotify) seen_free);
  snap->by_path = g_hash_table_new (g_str_hash, g_str_equal);
  return snap;
}

static void
snapshot_free (Snapshot *snap)
{
  if (snap == NULL)
    return;
  g_hash_table_destroy (snap->by_path);
  g_ptr_array_unref (snap->order);
  g_free (snap);
}

/* The values of @obj, XDR-encoded one after another. */
static GBytes *
encode_values (WsimObject *obj)
{
  guint n = wsim_class_get_n_props (wsim_object_get_class (obj));
  g_autoptr(WsimXdrBuf) buf = wsim_xdrbuf_new (0, 16 * (gsize) n + 16);
  for (guint i = 0; i < n; i++)
    if (!wsim_xdrbuf_encode (buf, WSIM_XDRPROC (xdr_wsim_value), wsim_object_get_value (obj, i)))
      /* A value the wire cannot carry cannot be delivered either; its place still counts. */
      wsim_xdrbuf_append (buf, "\xff\xff\xff\xff", 4);
  /* A copy: the buffer goes back to its thread's spare slot (wsim-xdrbuf.c). */
  return g_bytes_new (buf->data, buf->len);
}

/* ---- the watches ------------------------------------------------------------------ */

static void
poller_free (Poller *p)
{
  if (p->timer != NULL)
    {
      g_source_destroy (p->timer);
      g_source_unref (p->timer);
    }
  wsim_prov_host_cancel (p->host);
  wsim_prov_host_finish (p->host);
  wsim_prov_host_free (p->host);
  snapshot_free (p->seen);
  snapshot_free (p->found);
  g_clear_pointer (&p->classes, g_ptr_array_unref);
  for (guint i = 0; i < p->watches->len; i++)
    {
      WsimEventWatch *w = p->watches->pdata[i];

      /* Left by wsim_event_pollers_free(): the holder is told nothing, its handle is dead. */
      w->poller = NULL;
      if (w->cancelled)
        g_free (w);
    }
  g_ptr_array_unref (p->watches);
  g_free (p->round_why);
  g_free (p->principal);
  g_free (p->class_name);
  g_free (p->ns);
  g_free (p->key);
  g_free (p);
}

/* A poller with no watch left goes, unless a provider operation is on the stack (the
 * host's returned op comes back here then) or the watches are being called. */
static void
poller_maybe_stop (Poller *p)
{
  if (p->watches->len > 0 || p->emitting > 0 || wsim_prov_host_is_running (p->host))
    return;
  /* Removing it from the table frees it (the table owns it). */
  g_hash_table_remove (p->set->pollers, p->key);
}

static void
poller_emit_change (Poller *p, WsimInstanceChange what, WsimObject *target, WsimObject *previous)
{
  guint n = p->watches->len;

  p->emitting++;
  for (guint i = 0; i < n && i < p->watches->len; i++)
    {
      WsimEventWatch *w = p->watches->pdata[i];

      if (!w->cancelled)
        w->ops->change (what, target, previous, w->data);
    }
  p->emitting--;
}

static void
poller_emit_failed (Poller *p, WsimHResult hr, const char *why)
{
  guint n = p->watches->len;

  p->emitting++;
  for (guint i = 0; i < n && i < p->watches->len; i++)
    {
      WsimEventWatch *w = p->watches->pdata[i];

      if (!w->cancelled)
        w->ops->round_failed (hr, why, w->data);
    }
  p->emitting--;
}

/* After an emission: the watches cancelled during it go now. */
static void
poller_sweep_watches (Poller *p)
{
  for (guint i = p->watches->len; i > 0; i--)
    {
      WsimEventWatch *w = p->watches->pdata[i - 1];

      if (w->cancelled)
        {
          g_ptr_array_remove_index (p->watches, i - 1);
          g_free (w);
        }
    }
}

void
wsim_event_watch_cancel (WsimEventWatch *watch)
{
  Poller *p;

  if (watch == NULL)
    return;
  p = watch->poller;
  if (p == NULL)
    {
      g_free (watch);   /* its poller went with the set */
      return;
    }
  if (p->emitting > 0)
    {
      watch->cancelled = TRUE;
      return;
    }
  g_ptr_array_remove (p->watches, watch);
  g_free (watch);
  poller_maybe_stop (p);
}

/* ---- a round ------------------------------------------------------------------------ */

static void
poller_schedule (Poller *p, guint delay_ms, GSourceFunc fn)
{
  if (p->timer != NULL)
    {
      g_source_destroy (p->timer);
      g_source_unref (p->timer);
    }
  p->timer = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_callback (p->timer, fn, p, NULL);
  g_source_attach (p->timer, p->set->context);
}

static gboolean on_round_due (gpointer data);

/* Compares the round found with the last good one and tells the watches, in the order
 * found: creations and modifications, then deletions. */
static void
poller_diff (Poller *p)
{
  Snapshot *before = p->seen, *now = p->found;

  for (guint i = 0; i < now->order->len; i++)
    {
      Seen *s = now->order->pdata[i];
      Seen *old = g_hash_table_lookup (before->by_path, s->path);

      if (old == NULL)
        poller_emit_change (p, WSIM_INSTANCE_CREATED, s->obj, NULL);
      else if (!g_bytes_equal (old->values, s->values))
        poller_emit_change (p, WSIM_INSTANCE_MODIFIED, s->obj, old->obj);
    }
  for (guint i = 0; i < before->order->len; i++)
    {
      Seen *old = before->order->pdata[i];

      if (!g_hash_table_contains (now->by_path, old->path))
        poller_emit_change (p, WSIM_INSTANCE_DELETED, old->obj, NULL);
    }
}

static void
poller_end_round (Poller *p)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - p->round_start) / 1000;

  wsim_prov_host_finish (p->host);
  g_clear_pointer (&p->classes, g_ptr_array_unref);
  p->set->n_rounds++;
  if (WSIM_HRESULT_FAILED (p->round_hr))
    {
      g_clear_pointer (&p->found, snapshot_free);
      poller_emit_failed (p, p->round_hr, p->round_why);
    }
  else
    {
      if (p->seen != NULL)
        poller_diff (p);
      snapshot_free (p->seen);
      p->seen = g_steal_pointer (&p->found);
    }
  g_clear_pointer (&p->round_why, g_free);
  poller_sweep_watches (p);
  /* The next round is due one interval after this one started; a round that took longer
   * than that is followed at once, never overlapped. */
  poller_schedule (p, elapsed_ms >= p->interval_ms ? 0 : p->interval_ms - (guint) elapsed_ms,
                   on_round_due);
  poller_maybe_stop (p);
}

static void
poller_fail_round (Poller *p, WsimHResult hr, const char *why)
{
  if (!WSIM_HRESULT_FAILED (p->round_hr))
    {
      p->round_hr = hr;
      g_free (p->round_why);
      p->round_why = g_strdup (why);
    }
}

static gboolean
on_next_class (gpointer data)
{
  Poller *p = data;

  g_clear_pointer (&p->timer, g_source_unref);
  p->class_idx++;
  poller_start_class (p);
  return G_SOURCE_REMOVE;
}

static void
poller_start_class (Poller *p)
{
  WsimClass *cls;
  WsimProviderReg *reg;

  if (WSIM_HRESULT_FAILED (p->round_hr) || p->class_idx >= p->classes->len)
    {
      poller_end_round (p);
      return;
    }
  cls = p->classes->pdata[p->class_idx];
  reg = wsim_repository_get_provider (p->set->repo, p->ns, cls);
  if (reg == NULL)
    {
      g_autofree char *why = g_strdup_printf ("no provider serves %s", wsim_class_get_name (cls));

      poller_fail_round (p, WBEM_E_PROVIDER_NOT_FOUND, why);
      poller_end_round (p);
      return;
    }
  p->result_in = FALSE;
  wsim_prov_host_enumerate (p->host, wsim_provider_reg_get_provider (reg),
                            wsim_provider_reg_get_state (reg), wsim_class_get_name (cls));
}

static gboolean
on_round_due (gpointer data)
{
  Poller *p = data;
  g_autoptr(GError) error = NULL;
  WsimClass *cls;

  g_clear_pointer (&p->timer, g_source_unref);
  p->round_start = g_get_monotonic_time ();
  p->round_hr = WBEM_S_NO_ERROR;
  p->found = snapshot_new ();
  p->class_idx = 0;
  cls = wsim_repository_lookup_class (p->set->repo, p->ns, p->class_name, &error);
  if (cls == NULL)
    {
      /* Deleted or renamed since the subscription: every round says so. */
      p->classes = g_ptr_array_new ();
      poller_fail_round (p, WBEM_E_INVALID_CLASS, error->message);
    }
  else
    {
      g_autoptr(GPtrArray) list = wsim_repository_list_classes (p->set->repo, p->ns, cls, TRUE);

      p->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_unref);
      for (guint i = 0; i < list->len; i++)
        g_ptr_array_add (p->classes, wsim_class_ref (list->pdata[i]));
    }
  poller_start_class (p);
  return G_SOURCE_REMOVE;
}

/* ---- the host's ops --------------------------------------------------------------- */

static WsimClass *
poller_lookup_class (WsimProvHost *host, const char *class_name, gpointer owner)
{
  Poller *p = owner;

  return wsim_repository_lookup_class (p->set->repo, p->ns, class_name, NULL);
}

static const char *
poller_get_param (WsimProvHost *host, const char *name, gpointer owner)
{
  Poller *p = owner;
  WsimProviderReg *reg;

  if (p->classes == NULL || p->class_idx >= p->classes->len)
    return NULL;
  reg = wsim_repository_get_provider (p->set->repo, p->ns, p->classes->pdata[p->class_idx]);
  return reg != NULL ? wsim_provider_reg_get_param (reg, name) : NULL;
}

static WsimProvStatus
poller_take_instance (WsimProvHost *host, WsimObject *obj, gpointer owner)
{
  Poller *p = owner;
  Seen *s;

  if (p->found == NULL)
    {
      wsim_object_unref (obj);
      return WSIM_PROV_DROPPED;
    }
  s = g_new0 (Seen, 1);
  s->path = wsim_object_get_path (obj);
  if (g_hash_table_contains (p->found->by_path, s->path))
    {
      /* Two instances with one key: the first is the one the round knows. */
      g_free (s->path);
      g_free (s);
      wsim_object_unref (obj);
      return WSIM_PROV_OK;
    }
  s->obj = obj;
  s->values = encode_values (obj);
  g_ptr_array_add (p->found->order, s);
  g_hash_table_insert (p->found->by_path, s->path, s);
  return WSIM_PROV_OK;
}

static void
poller_take_result (WsimProvHost *host, WsimHResult hr, const char *message, gpointer owner)
{
  Poller *p = owner;

  p->result_in = TRUE;
  if (WSIM_HRESULT_FAILED (hr))
    poller_fail_round (p, hr, message != NULL ? message : "the provider failed");
}

static void
poller_violation (WsimProvHost *host, WsimProvHostViolation what, WsimHResult hr,
                  const char *message, WsimObject *obj, gpointer owner)
{
  Poller *p = owner;

  if (what == WSIM_PROV_HOST_NO_RESULT)
    {
      p->result_in = TRUE;
      poller_fail_round (p, WBEM_E_PROVIDER_FAILURE, "the provider posted no result");
    }
}

static gboolean
on_stop_due (gpointer data)
{
  Poller *p = data;

  g_clear_pointer (&p->timer, g_source_unref);
  if (p->watches->len == 0)
    poller_maybe_stop (p);
  else if (p->found == NULL)
    /* A watch joined before the stop came: the next round was what this replaced. */
    poller_schedule (p, 0, on_round_due);
  return G_SOURCE_REMOVE;
}

static void
poller_returned (WsimProvHost *host, WsimProvHostRun run, gpointer owner)
{
  Poller *p = owner;

  /* The next class starts from the loop, once this provider is off the stack; the round's
   * end stops a poller nobody watches any more. */
  if (p->result_in && p->found != NULL)
    {
      p->result_in = FALSE;
      poller_schedule (p, 0, on_next_class);
    }
  /* Not freed here: the host is still on the stack, on its way out of host_leave(). */
  else if (p->watches->len == 0)
    poller_schedule (p, 0, on_stop_due);
}

static void
poller_progress (WsimProvHost *host, guint16 done, guint16 total, gpointer owner)
{
  /* A poll has no sink to report progress to. */
}

static const WsimProvHostOps poller_host_ops = {
  .lookup_class = poller_lookup_class,
  .get_param    = poller_get_param,
  .instance     = poller_take_instance,
  .result       = poller_take_result,
  .violation    = poller_violation,
  .returned     = poller_returned,
  .progress     = poller_progress,
};

/* ---- the set ------------------------------------------------------------------------ */

WsimEventPollers *
wsim_event_pollers_new (struct _WsimRepository *repo, GMainContext *context)
{
  WsimEventPollers *set = g_new0 (WsimEventPollers, 1);

  set->repo = repo;
  set->context = context != NULL ? g_main_context_ref (context)
                                 : g_main_context_ref_thread_default ();
  set->pollers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) poller_free);
  return set;
}

void
wsim_event_pollers_free (WsimEventPollers *set)
{
  if (set == NULL)
    return;
  g_hash_table_destroy (set->pollers);
  g_main_context_unref (set->context);
  g_free (set);
}

WsimEventWatch *
wsim_event_pollers_watch (WsimEventPollers *set, const char *ns, WsimClass *cls,
                          guint interval_ms, const WsimProvCaller *caller,
                          const WsimEventWatchOps *ops, gpointer data)
{
  const char *name = wsim_class_get_name (cls);
  /* Class names are case-insensitive; the caller is all of what get_caller() tells. */
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%u\n%s\n%s\n%d\n%d:%u", ns, lower, interval_ms,
                                          caller->principal != NULL ? caller->principal : "",
                                          caller->mech != NULL ? caller->mech : "", caller->level,
                                          caller->has_uid, caller->uid);
  Poller *p = g_hash_table_lookup (set->pollers, key);
  WsimEventWatch *w;

  g_return_val_if_fail (interval_ms > 0, NULL);
  if (p == NULL)
    {
      p = g_new0 (Poller, 1);
      p->set = set;
      p->key = g_steal_pointer (&key);
      p->ns = g_strdup (ns);
      p->class_name = g_strdup (name);
      p->interval_ms = interval_ms;
      p->principal = g_strdup (caller->principal);
      p->caller = *caller;
      p->caller.principal = p->principal;
      p->host = wsim_prov_host_new (&poller_host_ops, p, set->context);
      wsim_prov_host_set_caller (p->host, &p->caller);
      p->watches = g_ptr_array_new ();
      g_hash_table_insert (set->pollers, p->key, p);
      poller_schedule (p, 0, on_round_due);
    }
  w = g_new0 (WsimEventWatch, 1);
  w->poller = p;
  w->ops = ops;
  w->data = data;
  g_ptr_array_add (p->watches, w);
  return w;
}

guint
wsim_event_pollers_get_n_pollers (WsimEventPollers *set)
{
  return g_hash_table_size (set->pollers);
}

guint64
wsim_event_pollers_get_n_rounds (WsimEventPollers *set)
{
  return set->n_rounds;
}
