/* wsim-enumerator.c: semisynchronous enumerators over the async call machinery (see
 * wsim-enumerator.h).
 *
 * A Store is one call's result: the sink of the call, its buffer and final status, shared
 * by an enumerator and its clones (the cursors, each a WsimEnumerator with a position).
 * Positions are absolute (the n-th object of the result); the buffer starts at @base,
 * which only a forward-only store moves, dropping what its one cursor has read.
 *
 * The lock guards what Next and Skip read from another thread (buffer, positions, the
 * final status); flow control and NextAsync deliveries run on the context.
 */
#include "wsim-enumerator.h"

#include "wsim-sink-flow.h"
#include "wsim-wbem.h"

typedef struct _Store Store;

/* The sink's user data: the store, until the store goes first (a cancelled call's final
 * SetStatus may come after its enumerators are gone). */
typedef struct {
  Store *store;              /* (unowned) (nullable) */
} Link;

/* What a store buffers: objects (CreateInstanceEnum, ExecQuery) or class objects
 * (CreateClassEnum), each with its references and its delivery to a NextAsync sink. */
typedef struct {
  gpointer      (*ref) (gpointer item);
  GDestroyNotify  unref;
  void          (*deliver) (WsimSink *sink, gpointer const *items, guint n);
} ItemOps;

static void
deliver_objects (WsimSink *sink, gpointer const *items, guint n)
{
  wsim_sink_indicate (sink, (WsimObject *const *) items, n);
}

static void
deliver_classes (WsimSink *sink, gpointer const *items, guint n)
{
  wsim_sink_indicate_classes (sink, (WsimClassDecl *const *) items, n);
}

static const ItemOps object_items = {
  (gpointer (*) (gpointer)) wsim_object_ref, (GDestroyNotify) wsim_object_unref, deliver_objects,
};

static const ItemOps class_items = {
  (gpointer (*) (gpointer)) wsim_class_decl_ref, (GDestroyNotify) wsim_class_decl_unref,
  deliver_classes,
};

struct _Store {
  gatomicrefcount ref_count;
  GMutex        lock;
  GCond         cond;          /* signalled on every delivery */
  GMainContext *context;       /* (owned) the sink host's */
  WsimServices *services;      /* (owned) to cancel the call */
  WsimSink     *sink;          /* (owned) the call's sink */
  Link         *link;          /* (unowned) owned by @sink */
  gboolean      forward_only;
  gboolean      bounded;       /* semisynchronous: hold the server back */
  guint         max_buffered;
  const ItemOps *items;       /* what @objects holds */
  GPtrArray    *objects;       /* (owned) WsimObject* or WsimClassDecl* (owned; NULL once taken) */
  guint64       base;          /* the position of objects[0] */
  guint         peak;
  gboolean      complete;
  gboolean      cancelled;     /* we cancelled the call: its final is not news */
  WsimHResult   final_hr;
  char         *final_msg;     /* (owned) (nullable) */
  WsimObject   *final_error;   /* (owned) (nullable) */
  GList        *cursors;       /* WsimEnumerator* (unowned), the open ones */
  guint         serve_source;  /* an idle that serves NextAsync, 0 when none */
};

typedef struct {
  guint32   count;
  guint32   delivered;
  WsimSink *sink;              /* (owned) */
} AsyncReq;

struct _WsimEnumerator {
  grefcount ref_count;
  Store    *store;             /* (owned) */
  guint64   pos;               /* under store->lock */
  gboolean  closed;
  GQueue    pending;           /* AsyncReq* (owned), oldest first */
};

static Store *
store_ref (Store *s)
{
  g_atomic_ref_count_inc (&s->ref_count);
  return s;
}

static void
store_unref (Store *s)
{
  if (s == NULL || !g_atomic_ref_count_dec (&s->ref_count))
    return;
  if (s->link != NULL)
    s->link->store = NULL;
  wsim_sink_unref (s->sink);
  wsim_services_unref (s->services);
  g_ptr_array_unref (s->objects);
  g_free (s->final_msg);
  g_clear_pointer (&s->final_error, wsim_object_unref);
  g_main_context_unref (s->context);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

/* Objects buffered (locked): a forward-only store's read slots are empty until compacted. */
static guint
store_n_buffered (Store *s)
{
  if (s->forward_only && s->cursors != NULL)
    return (guint) (s->base + s->objects->len - ((WsimEnumerator *) s->cursors->data)->pos);
  return s->objects->len;
}

/* Drops what the one cursor of a forward-only store has read (locked). Halves at a time,
 * so the moves cost O(1) per object. */
static void
store_compact (Store *s, guint64 pos)
{
  guint read = (guint) (pos - s->base);

  if (!s->forward_only || read == 0 || (read * 2 < s->objects->len && read < s->objects->len))
    return;
  g_ptr_array_remove_range (s->objects, 0, read);
  s->base = pos;
}

/* Holds or releases the server (on the context). Held while every open cursor has at
 * least max_buffered objects unread and the call is running. */
static void
store_update_flow (Store *s)
{
  gboolean hold = s->bounded && !s->complete && s->cursors != NULL;
  guint64 end;

  g_mutex_lock (&s->lock);
  end = s->base + s->objects->len;
  for (GList *l = s->cursors; l != NULL && hold; l = l->next)
    if (end - ((WsimEnumerator *) l->data)->pos < s->max_buffered)
      hold = FALSE;
  g_mutex_unlock (&s->lock);
  if (hold != wsim_sink_flow_is_held (s->sink))
    wsim_sink_flow_set_held (s->sink, hold);
}

static gboolean
update_flow_cb (gpointer data)
{
  store_update_flow (data);
  return G_SOURCE_REMOVE;
}

/* From any thread: runs at once when this thread may use the context, else is queued. */
static void
store_update_flow_anywhere (Store *s)
{
  g_main_context_invoke_full (s->context, G_PRIORITY_DEFAULT, update_flow_cb, store_ref (s),
                              (GDestroyNotify) store_unref);
}

/* ---- NextAsync deliveries (on the context) -------------------------------------- */

static void
async_req_finish (AsyncReq *r, WsimHResult hr, const char *msg, WsimObject *err)
{
  wsim_sink_set_status (r->sink, WBEM_STATUS_COMPLETE, hr, msg, err);
  wsim_sink_unref (r->sink);
  g_free (r);
}

/* Serves @e's pending NextAsync calls from what is buffered. */
static void
cursor_serve (WsimEnumerator *e)
{
  Store *s = e->store;
  AsyncReq *r;

  /* Each request leaves the queue while its sink runs: the sink may close @e, which ends
   * what is queued. */
  while ((r = g_queue_pop_head (&e->pending)) != NULL)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (s->items->unref);
      gboolean complete;

      g_mutex_lock (&s->lock);
      while (r->delivered + batch->len < r->count && e->pos < s->base + s->objects->len)
        {
          gpointer *slot = &s->objects->pdata[e->pos - s->base];

          g_ptr_array_add (batch, s->forward_only ? g_steal_pointer (slot) : s->items->ref (*slot));
          e->pos++;
        }
      store_compact (s, e->pos);
      complete = s->complete && e->pos == s->base + s->objects->len;
      g_mutex_unlock (&s->lock);
      if (batch->len > 0)
        s->items->deliver (r->sink, batch->pdata, batch->len);
      r->delivered += batch->len;
      if (r->delivered < r->count && !complete && e->closed)
        async_req_finish (r, WBEM_E_CALL_CANCELLED, NULL, NULL);
      else if (r->delivered < r->count && !complete)
        {
          g_queue_push_head (&e->pending, r);
          break;   /* waits for more */
        }
      else if (r->delivered == r->count)
        async_req_finish (r, WBEM_S_NO_ERROR, NULL, NULL);
      else if (WSIM_HRESULT_FAILED (s->final_hr))
        async_req_finish (r, s->final_hr, s->final_msg, s->final_error);
      else
        async_req_finish (r, WBEM_S_FALSE, NULL, NULL);
    }
}

static void
store_serve (Store *s)
{
  GList *copy = g_list_copy (s->cursors);

  /* A sink's SetStatus may close or drop cursors: keep each alive while it is served. */
  g_list_foreach (copy, (GFunc) (void (*) (void)) wsim_enumerator_ref, NULL);
  for (GList *l = copy; l != NULL; l = l->next)
    if (!((WsimEnumerator *) l->data)->closed)
      cursor_serve (l->data);
  g_list_free_full (copy, (GDestroyNotify) wsim_enumerator_unref);
  store_update_flow (s);
}

static gboolean
serve_cb (gpointer data)
{
  Store *s = data;

  s->serve_source = 0;
  store_serve (s);
  return G_SOURCE_REMOVE;
}

static void
store_schedule_serve (Store *s)
{
  GSource *src;

  if (s->serve_source != 0)
    return;
  src = g_idle_source_new ();
  g_source_set_callback (src, serve_cb, store_ref (s), (GDestroyNotify) store_unref);
  s->serve_source = g_source_attach (src, s->context);
  g_source_unref (src);
}

/* ---- the call's sink ------------------------------------------------------------ */

/* Buffers @n items of @kind; a store of the other kind drops them (not its result). */
static void
store_take (Link *link, const ItemOps *kind, gpointer const *items, guint n)
{
  Store *s = link->store;

  if (s == NULL || s->cursors == NULL || s->items != kind)
    return;   /* nobody reads: dropped */
  g_mutex_lock (&s->lock);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (s->objects, kind->ref (items[i]));
  s->peak = MAX (s->peak, store_n_buffered (s));
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  store_ref (s);
  store_serve (s);   /* NextAsync first, then the flow decision on what is left */
  store_unref (s);
}

static void
sink_indicate (WsimSink *sink, WsimObject *const *objects, guint n, gpointer data)
{
  store_take (data, &object_items, (gpointer const *) objects, n);
}

static void
sink_indicate_classes (WsimSink *sink, WsimClassDecl *const *classes, guint n, gpointer data)
{
  store_take (data, &class_items, (gpointer const *) classes, n);
}

static void
sink_set_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
                 WsimObject *obj_param, gpointer data)
{
  Store *s = ((Link *) data)->store;

  if (s == NULL || flags != WBEM_STATUS_COMPLETE)
    return;   /* progress is not an enumerator's business */
  g_mutex_lock (&s->lock);
  s->complete = TRUE;
  s->final_hr = hr;
  s->final_msg = g_strdup (str_param);
  s->final_error = obj_param != NULL ? wsim_object_ref (obj_param) : NULL;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  store_ref (s);
  store_serve (s);
  store_unref (s);
}

static const WsimSinkOps store_sink_ops = {
  .indicate = sink_indicate,
  .set_status = sink_set_status,
};

static const WsimSinkClassOps store_class_ops = {
  .indicate_classes = sink_indicate_classes,
};

static WsimEnumerator *
cursor_new (Store *s, guint64 pos)
{
  WsimEnumerator *e = g_new0 (WsimEnumerator, 1);

  g_ref_count_init (&e->ref_count);
  e->store = store_ref (s);
  e->pos = pos;
  g_queue_init (&e->pending);
  s->cursors = g_list_prepend (s->cursors, e);
  return e;
}

/* ---- starting a call ------------------------------------------------------------ */

/* Makes the async call on @sink: the plug point each semisynchronous method fills. */
typedef WsimHResult (*StartFunc) (WsimServices *services, gint32 flags, WsimSink *sink,
                                  gconstpointer data, GError **error);

typedef struct {
  const char *a;
  const char *b;
} StartArgs;

static WsimHResult
start_instance_enum (WsimServices *services, gint32 flags, WsimSink *sink, gconstpointer data,
                     GError **error)
{
  const StartArgs *a = data;

  return wsim_services_create_instance_enum_async (services, a->a, flags, sink, error);
}

static WsimHResult
start_exec_query (WsimServices *services, gint32 flags, WsimSink *sink, gconstpointer data,
                  GError **error)
{
  const StartArgs *a = data;

  return wsim_services_exec_query_async (services, a->a, a->b, flags, sink, error);
}

static void
set_final_error (Store *s, GError **error)
{
  if (WSIM_HRESULT_FAILED (s->final_hr))
    wsim_set_error_hresult (error, s->final_hr, "%s",
                            s->final_msg != NULL ? s->final_msg : wsim_hresult_message (s->final_hr));
}

static WsimHResult
enumerator_start (WsimServices *services, gint32 flags, StartFunc start, gconstpointer data,
                  const ItemOps *items, WsimEnumerator **out_enum, GError **error)
{
  WsimClient *client = wsim_services_get_client (services);
  Store *s;
  Link *link;
  WsimEnumerator *e;
  WsimHResult hr;

  g_return_val_if_fail (out_enum != NULL, WBEM_E_INVALID_PARAMETER);
  *out_enum = NULL;
  s = g_new0 (Store, 1);
  g_atomic_ref_count_init (&s->ref_count);
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->context = g_main_context_ref (wsim_sink_host_get_context (wsim_client_get_sink_host (client)));
  s->services = wsim_services_ref (services);
  s->forward_only = (flags & WBEM_FLAG_FORWARD_ONLY) != 0;
  s->bounded = (flags & WBEM_FLAG_RETURN_IMMEDIATELY) != 0;
  s->max_buffered = WSIM_ENUMERATOR_DEFAULT_MAX_BUFFERED;
  s->items = items;
  s->objects = g_ptr_array_new_with_free_func (items->unref);
  link = g_new0 (Link, 1);
  link->store = s;
  s->link = link;
  s->sink = wsim_sink_new (&store_sink_ops, link, g_free);
  wsim_sink_set_class_ops (s->sink, &store_class_ops);
  e = cursor_new (s, 0);
  store_unref (s);   /* the cursor holds it */

  /* The two flags are the client's business: the server sees an ordinary async call. */
  hr = start (services, flags & ~(WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_FORWARD_ONLY),
              s->sink, data, error);
  if (hr != WBEM_S_NO_ERROR)
    {
      s->complete = TRUE;   /* nothing to cancel */
      wsim_enumerator_unref (e);
      return hr;
    }
  if (!s->bounded)
    {
      /* Synchronous: the result, all of it, before returning. */
      while (!s->complete)
        g_main_context_iteration (s->context, TRUE);
      if (WSIM_HRESULT_FAILED (s->final_hr))
        {
          hr = s->final_hr;
          set_final_error (s, error);
          wsim_enumerator_unref (e);
          return hr;
        }
    }
  *out_enum = e;
  return WBEM_S_NO_ERROR;
}

WsimHResult
wsim_services_create_instance_enum (WsimServices *services, const char *class_name, gint32 flags,
                                    WsimEnumerator **out_enum, GError **error)
{
  StartArgs a = { class_name, NULL };

  return enumerator_start (services, flags, start_instance_enum, &a, &object_items, out_enum,
                           error);
}

WsimHResult
wsim_services_exec_query (WsimServices *services, const char *language, const char *query,
                          gint32 flags, WsimEnumerator **out_enum, GError **error)
{
  StartArgs a = { language, query };

  return enumerator_start (services, flags, start_exec_query, &a, &object_items, out_enum, error);
}

static WsimHResult
start_class_enum (WsimServices *services, gint32 flags, WsimSink *sink, gconstpointer data,
                  GError **error)
{
  const StartArgs *a = data;

  return wsim_services_create_class_enum_async (services, a->a, flags, sink, error);
}

WsimHResult
wsim_services_create_class_enum (WsimServices *services, const char *superclass, gint32 flags,
                                 WsimEnumerator **out_enum, GError **error)
{
  StartArgs a = { superclass, NULL };

  return enumerator_start (services, flags, start_class_enum, &a, &class_items, out_enum, error);
}

/* ---- the enumerator ------------------------------------------------------------- */

WsimEnumerator *
wsim_enumerator_ref (WsimEnumerator *e)
{
  g_ref_count_inc (&e->ref_count);
  return e;
}

void
wsim_enumerator_unref (WsimEnumerator *e)
{
  if (e == NULL || !g_ref_count_dec (&e->ref_count))
    return;
  wsim_enumerator_close (e);
  store_unref (e->store);
  g_free (e);
}

void
wsim_enumerator_close (WsimEnumerator *e)
{
  Store *s = e->store;
  AsyncReq *r;

  if (e->closed)
    return;
  e->closed = TRUE;
  g_mutex_lock (&s->lock);
  s->cursors = g_list_remove (s->cursors, e);
  if (s->cursors == NULL)
    {
      /* Nobody reads any more: what was buffered goes now, not with the last reference. */
      g_ptr_array_set_size (s->objects, 0);
      s->base = e->pos;
    }
  g_mutex_unlock (&s->lock);
  while ((r = g_queue_pop_head (&e->pending)) != NULL)
    async_req_finish (r, WBEM_E_CALL_CANCELLED, NULL, NULL);
  if (s->cursors != NULL)
    {
      store_update_flow (s);   /* the others may want more */
      return;
    }
  if (!s->complete && !s->cancelled)
    {
      s->cancelled = TRUE;
      wsim_services_cancel_async_call (s->services, s->sink);
    }
  /* Held answers go, so the server's window empties and the call can end. */
  wsim_sink_flow_set_held (s->sink, FALSE);
}

/* The timeout of a Next or Skip that iterates the context: it wakes the iteration, and
 * its being destroyed says the time is up. */
static gboolean
timer_fired (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Next and Skip: takes up to @count objects into @out (NULL: drops them). */
static WsimHResult
cursor_take (WsimEnumerator *e, gint32 timeout_ms, guint32 count, GPtrArray *out, GError **error)
{
  Store *s = e->store;
  gboolean owner = g_main_context_acquire (s->context);
  gboolean expired = timeout_ms == WBEM_NO_WAIT;
  gboolean passed = FALSE;     /* the one non-blocking pass WBEM_NO_WAIT makes */
  gint64 deadline = timeout_ms > 0 ? g_get_monotonic_time () + (gint64) timeout_ms * 1000 : -1;
  GSource *timer = NULL;
  guint32 n = 0;
  WsimHResult hr;

  store_ref (s);
  if (owner && timeout_ms > 0)
    {
      timer = g_timeout_source_new ((guint) timeout_ms);
      g_source_set_callback (timer, timer_fired, NULL, NULL);
      g_source_attach (timer, s->context);
    }
  for (;;)
    {
      gboolean done;

      g_mutex_lock (&s->lock);
      while (n < count && e->pos < s->base + s->objects->len)
        {
          gpointer *slot = &s->objects->pdata[e->pos - s->base];

          if (out != NULL)
            g_ptr_array_add (out, s->forward_only ? g_steal_pointer (slot) : s->items->ref (*slot));
          else if (s->forward_only)
            g_clear_pointer (slot, s->items->unref);
          e->pos++;
          n++;
        }
      store_compact (s, e->pos);
      done = n == count || (s->complete && e->pos == s->base + s->objects->len);
      if (!done && !owner && !expired)
        {
          /* Another thread runs the context: its deliveries wake us. */
          if (deadline < 0)
            g_cond_wait (&s->cond, &s->lock);
          else if (!g_cond_wait_until (&s->cond, &s->lock, deadline))
            expired = TRUE;
          g_mutex_unlock (&s->lock);
          store_update_flow_anywhere (s);
          continue;
        }
      g_mutex_unlock (&s->lock);
      if (owner)
        store_update_flow (s);
      else
        store_update_flow_anywhere (s);
      if (done || (expired && (passed || !owner)))
        break;
      if (expired)
        {
          passed = TRUE;
          g_main_context_iteration (s->context, FALSE);
          continue;
        }
      g_main_context_iteration (s->context, TRUE);
      if (timer != NULL && g_source_is_destroyed (timer))
        expired = TRUE;
    }
  if (timer != NULL)
    {
      g_source_destroy (timer);
      g_source_unref (timer);
    }
  if (owner)
    g_main_context_release (s->context);

  g_mutex_lock (&s->lock);
  if (n == count)
    hr = WBEM_S_NO_ERROR;
  else if (!(s->complete && e->pos == s->base + s->objects->len))
    hr = WBEM_S_TIMEDOUT;
  else if (WSIM_HRESULT_FAILED (s->final_hr))
    {
      hr = s->final_hr;
      set_final_error (s, error);
    }
  else
    hr = WBEM_S_FALSE;
  g_mutex_unlock (&s->lock);
  store_unref (s);
  return hr;
}

/* The checks Next, Skip and NextAsync share. */
static WsimHResult
check_take (WsimEnumerator *e, guint32 count, GError **error)
{
  if (e->closed)
    {
      wsim_set_error_hresult (error, RPC_E_DISCONNECTED, "the enumerator was closed");
      return RPC_E_DISCONNECTED;
    }
  if (count == 0)
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER, "a count of 0 objects");
      return WBEM_E_INVALID_PARAMETER;
    }
  return WBEM_S_NO_ERROR;
}

static WsimHResult
check_sync_take (WsimEnumerator *e, gint32 timeout_ms, guint32 count, GError **error)
{
  WsimHResult hr = check_take (e, count, error);

  if (hr != WBEM_S_NO_ERROR)
    return hr;
  if (timeout_ms < WBEM_INFINITE)
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                              "timeout %d: milliseconds, or WBEM_INFINITE (-1)", timeout_ms);
      return WBEM_E_INVALID_PARAMETER;
    }
  if (!g_queue_is_empty (&e->pending))
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_OPERATION,
                              "a NextAsync delivery is still pending on this enumerator");
      return WBEM_E_INVALID_OPERATION;
    }
  return WBEM_S_NO_ERROR;
}

WsimHResult
wsim_enumerator_next (WsimEnumerator *e, gint32 timeout_ms, guint32 count, GPtrArray **out_objects,
                      GError **error)
{
  WsimHResult hr = check_sync_take (e, timeout_ms, count, error);

  g_return_val_if_fail (out_objects != NULL, WBEM_E_INVALID_PARAMETER);
  *out_objects = NULL;
  if (hr != WBEM_S_NO_ERROR)
    return hr;
  *out_objects = g_ptr_array_new_with_free_func (e->store->items->unref);
  return cursor_take (e, timeout_ms, count, *out_objects, error);
}

WsimHResult
wsim_enumerator_skip (WsimEnumerator *e, gint32 timeout_ms, guint32 count, GError **error)
{
  WsimHResult hr = check_sync_take (e, timeout_ms, count, error);

  return hr != WBEM_S_NO_ERROR ? hr : cursor_take (e, timeout_ms, count, NULL, error);
}

WsimHResult
wsim_enumerator_next_async (WsimEnumerator *e, guint32 count, WsimSink *sink)
{
  Store *s = e->store;
  WsimHResult hr = check_take (e, count, NULL);
  AsyncReq *r;
  gboolean at_end;

  if (hr != WBEM_S_NO_ERROR)
    return hr;
  if (sink == NULL)
    return WBEM_E_INVALID_PARAMETER;
  g_mutex_lock (&s->lock);
  at_end = s->complete && e->pos == s->base + s->objects->len;
  g_mutex_unlock (&s->lock);
  if (at_end && g_queue_is_empty (&e->pending))
    return WSIM_HRESULT_FAILED (s->final_hr) ? s->final_hr : WBEM_S_FALSE;
  r = g_new0 (AsyncReq, 1);
  r->count = count;
  r->sink = wsim_sink_ref (sink);
  g_queue_push_tail (&e->pending, r);
  store_schedule_serve (s);
  return WBEM_S_NO_ERROR;
}

WsimHResult
wsim_enumerator_reset (WsimEnumerator *e)
{
  if (e->closed)
    return RPC_E_DISCONNECTED;
  if (e->store->forward_only)
    return WBEM_E_INVALID_OPERATION;
  g_mutex_lock (&e->store->lock);
  e->pos = 0;
  g_mutex_unlock (&e->store->lock);
  store_update_flow (e->store);
  return WBEM_S_NO_ERROR;
}

WsimHResult
wsim_enumerator_clone (WsimEnumerator *e, WsimEnumerator **out_clone)
{
  g_return_val_if_fail (out_clone != NULL, WBEM_E_INVALID_PARAMETER);
  *out_clone = NULL;
  if (e->closed)
    return RPC_E_DISCONNECTED;
  if (e->store->forward_only)
    return WBEM_E_INVALID_OPERATION;
  g_mutex_lock (&e->store->lock);
  *out_clone = cursor_new (e->store, e->pos);
  g_mutex_unlock (&e->store->lock);
  return WBEM_S_NO_ERROR;
}

WsimObject *
wsim_enumerator_get_error_object (WsimEnumerator *e)
{
  return e->store->final_error;
}

const char *
wsim_enumerator_get_str_param (WsimEnumerator *e)
{
  return e->store->final_msg;
}

void
wsim_enumerator_set_max_buffered (WsimEnumerator *e, guint max_buffered)
{
  e->store->max_buffered = max_buffered != 0 ? max_buffered : WSIM_ENUMERATOR_DEFAULT_MAX_BUFFERED;
}

guint
wsim_enumerator_get_n_buffered (WsimEnumerator *e)
{
  guint n;

  g_mutex_lock (&e->store->lock);
  n = store_n_buffered (e->store);
  g_mutex_unlock (&e->store->lock);
  return n;
}

guint
wsim_enumerator_get_peak_buffered (WsimEnumerator *e)
{
  return e->store->peak;
}

gboolean
wsim_enumerator_is_holding (WsimEnumerator *e)
{
  return wsim_sink_flow_is_held (e->store->sink);
}

gboolean
wsim_enumerator_is_complete (gpointer e)
{
  return ((WsimEnumerator *) e)->store->complete;
}
