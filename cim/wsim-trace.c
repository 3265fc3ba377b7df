/* wsim-trace.c: the event list of async calls (see wsim-trace.h). */
#include "wsim-trace.h"

#include "wsim-authn-level.h"
#include "wsim-json.h"

#include <string.h>

struct _WsimTrace {
  gatomicrefcount ref_count;     /* atomic */
  GMutex     lock;
  GQueue     events;        /* (owned) WsimTraceEvent*, oldest first; guarded by @lock */
  gsize      n_bytes;       /* wsim_trace_event_size() of @events, added up; guarded by @lock */
  gsize      max_bytes;     /* the ring's budget; guarded by @lock */
  guint64    n_dropped;     /* guarded by @lock */
};

gsize
wsim_trace_event_size (const WsimTraceEvent *e)
{
  return sizeof *e + sizeof (GList) + (e->detail != NULL ? strlen (e->detail) + 1 : 0)
         + (e->auth.principal != NULL ? strlen (e->auth.principal) + 1 : 0);
}

void
wsim_trace_event_free (WsimTraceEvent *e)
{
  if (e == NULL)
    return;

  g_free (e->detail);
  g_free ((char *) e->auth.principal);
  g_free (e);
}

static WsimTraceEvent *
event_copy (const WsimTraceEvent *e)
{
  WsimTraceEvent *c = g_memdup2 (e, sizeof *e);

  c->detail = g_strdup (e->detail);
  c->auth.principal = g_strdup (e->auth.principal);
  return c;
}

WsimTrace *
wsim_trace_new (void)
{
  WsimTrace *t = g_new0 (WsimTrace, 1);
  /* How a test or an operator sizes the traces of servers it does not build (wmisimd's). */
  const char *v = g_getenv ("WSIM_TRACE_MAX_BYTES");
  guint64 n;

  g_atomic_ref_count_init (&t->ref_count);
  g_mutex_init (&t->lock);
  g_queue_init (&t->events);
  t->max_bytes = WSIM_TRACE_MAX_BYTES;
  if (v != NULL && g_ascii_string_to_unsigned (v, 10, 1, G_MAXSIZE, &n, NULL))
    t->max_bytes = (gsize) n;
  return t;
}

WsimTrace *
wsim_trace_ref (WsimTrace *trace)
{
  g_atomic_ref_count_inc (&trace->ref_count);
  return trace;
}

void
wsim_trace_unref (WsimTrace *trace)
{
  if (trace == NULL || !g_atomic_ref_count_dec (&trace->ref_count))
    return;
  g_queue_clear_full (&trace->events, (GDestroyNotify) wsim_trace_event_free);
  g_mutex_clear (&trace->lock);
  g_free (trace);
}

/* Drops the oldest events until the ring is within its budget, always keeping the newest.
 * Called with @trace->lock held. */
static void
trace_trim (WsimTrace *trace)
{
  while (trace->n_bytes > trace->max_bytes && trace->events.length > 1)
    {
      WsimTraceEvent *old = g_queue_pop_head (&trace->events);

      trace->n_bytes -= wsim_trace_event_size (old);
      wsim_trace_event_free (old);
      trace->n_dropped++;
    }
}

/* Cuts @detail (owned, replaced) to WSIM_TRACE_MAX_DETAIL bytes, "…" included, at a UTF-8
 * character's start so what is kept stays valid text. */
static char *
detail_clip (char *detail_owned)
{
  g_autofree char *detail = detail_owned;
  static const char ellipsis[] = "\u2026";   /* 3 bytes in UTF-8 */
  gsize keep = WSIM_TRACE_MAX_DETAIL - sizeof ellipsis;   /* room for the NUL too */

  if (strlen (detail) < WSIM_TRACE_MAX_DETAIL)
    return g_steal_pointer (&detail);
  while (keep > 0 && ((guchar) detail[keep] & 0xC0) == 0x80)
    keep--;
  detail[keep] = '\0';
  return g_strconcat (detail, ellipsis, NULL);
}

static void
trace_push (WsimTrace *trace, WsimTraceKind kind, guint64 call_id, WsimHResult hr, guint64 n,
            const WsimTraceAuth *auth, const char *format, va_list ap)
{
  WsimTraceEvent *e = g_new0 (WsimTraceEvent, 1);

  e->time_us = g_get_monotonic_time ();
  e->kind = kind;
  e->call_id = call_id;
  e->hr = hr;
  e->n = n;
  if (format != NULL)
    e->detail = detail_clip (g_strdup_vprintf (format, ap));
  if (auth != NULL)
    {
      e->has_auth = TRUE;
      e->auth = *auth;
      e->auth.principal = g_strdup (auth->principal);
    }
  g_mutex_lock (&trace->lock);
  g_queue_push_tail (&trace->events, e);
  trace->n_bytes += wsim_trace_event_size (e);
  trace_trim (trace);
  g_mutex_unlock (&trace->lock);
}

void
wsim_trace_get_stats (WsimTrace *trace, WsimTraceStats *stats)
{
  g_mutex_lock (&trace->lock);
  *stats = (WsimTraceStats) {
    .n_events = trace->events.length,
    .n_bytes = trace->n_bytes,
    .max_bytes = trace->max_bytes,
    .n_dropped = trace->n_dropped,
  };
  g_mutex_unlock (&trace->lock);
}

void
wsim_trace_set_max_bytes (WsimTrace *trace, gsize max_bytes)
{
  g_mutex_lock (&trace->lock);
  trace->max_bytes = max_bytes;
  trace_trim (trace);
  g_mutex_unlock (&trace->lock);
}

void
wsim_trace_add (WsimTrace *trace, WsimTraceKind kind, guint64 call_id, WsimHResult hr, guint64 n,
                const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  trace_push (trace, kind, call_id, hr, n, NULL, format, ap);
  va_end (ap);
}

void
wsim_trace_add_auth (WsimTrace *trace, WsimTraceKind kind, guint64 call_id, WsimHResult hr,
                     guint64 n, const WsimTraceAuth *auth, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  trace_push (trace, kind, call_id, hr, n, auth, format, ap);
  va_end (ap);
}

GPtrArray *
wsim_trace_get_events (WsimTrace *trace, guint64 call_id)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_trace_event_free);

  g_mutex_lock (&trace->lock);
  for (GList *l = trace->events.head; l != NULL; l = l->next)
    {
      WsimTraceEvent *e = l->data;

      if (call_id == 0 || e->call_id == call_id)
        g_ptr_array_add (out, event_copy (e));
    }
  g_mutex_unlock (&trace->lock);
  return out;
}

guint
wsim_trace_count (WsimTrace *trace, guint64 call_id, WsimTraceKind kind)
{
  guint n = 0;

  g_mutex_lock (&trace->lock);
  for (GList *l = trace->events.head; l != NULL; l = l->next)
    {
      WsimTraceEvent *e = l->data;

      if ((call_id == 0 || e->call_id == call_id) && e->kind == kind)
        n++;
    }
  g_mutex_unlock (&trace->lock);
  return n;
}

const char *
wsim_trace_kind_name (WsimTraceKind kind)
{
  static const char *const names[] = {
    [WSIM_TRACE_START] = "start", [WSIM_TRACE_INDICATE] = "indicate",
    [WSIM_TRACE_PROGRESS] = "progress", [WSIM_TRACE_CANCEL] = "cancel",
    [WSIM_TRACE_VIOLATION] = "violation", [WSIM_TRACE_FINAL] = "final",
    [WSIM_TRACE_TEARDOWN] = "teardown", [WSIM_TRACE_REFUSED] = "refused",
    [WSIM_TRACE_CALLBACK] = "callback", [WSIM_TRACE_STUB_ACCEPTED] = "stub-accepted",
    [WSIM_TRACE_STUB_REFUSED] = "stub-refused", [WSIM_TRACE_STUB_FINAL] = "stub-final",
    [WSIM_TRACE_CLIENT_FINAL] = "client-final", [WSIM_TRACE_CLIENT_ASK] = "client-ask",
  };

  return (guint) kind < G_N_ELEMENTS (names) ? names[kind] : "unknown";
}

/* "call" and "n" are counters, but a call id is the client's word: one above G_MAXINT64
 * has no json-glib integer node and is written as its digits (wsim-json.h). */
static JsonNode *
counter_node (guint64 u)
{
  g_autofree char *digits = NULL;

  if (u <= G_MAXINT64)
    return json_node_init_int (json_node_alloc (), (gint64) u);
  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, u);
  return json_node_init_string (json_node_alloc (), digits);
}

static JsonNode *
event_node (const WsimTraceEvent *e)
{
  g_autoptr(JsonObject) o = json_object_new ();
  const char *name = wsim_hresult_name (e->hr);
  char hr[sizeof "0x00000000"];

  g_snprintf (hr, sizeof hr, "0x%08X", e->hr);
  json_object_set_int_member (o, "t_us", e->time_us);
  json_object_set_member (o, "call", counter_node (e->call_id));
  json_object_set_string_member (o, "event", wsim_trace_kind_name (e->kind));
  json_object_set_string_member (o, "hresult", hr);
  if (name != NULL)
    json_object_set_string_member (o, "status", name);
  json_object_set_member (o, "n", counter_node (e->n));
  if (e->has_auth)
    {
      json_object_set_string_member (o, "level",
                                     wsim_authn_level_word ((WsimAuthnLevel) e->auth.level));
      if (e->auth.mech != NULL)
        json_object_set_string_member (o, "mech", e->auth.mech);
      /* The principal and the detail carry the peer's and the provider's words. */
      if (e->auth.principal != NULL)
        wsim_json_object_set_string (o, "principal", e->auth.principal);
    }
  if (e->detail != NULL)
    wsim_json_object_set_string (o, "detail", e->detail);
  return json_node_init_object (json_node_alloc (), o);
}

void
wsim_trace_to_json_lines (WsimTrace *trace, guint64 call_id, GString *out)
{
  g_autoptr(GPtrArray) events = wsim_trace_get_events (trace, call_id);

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonNode) node = event_node (events->pdata[i]);

      wsim_json_append (out, node);
      g_string_append_c (out, '\n');
    }
}
