/* wsim-call-watch.c: the client's watch over its open calls (see wsim-call-watch.h). */
#include "wsim-call-watch.h"

#include "wsim-rpc-error.h"
#include "wsim-trace.h"
#include "wsim_service.h"

typedef struct {
  guint64              call_id;
  char                *endpoint;      /* (owned) */
  guint64              sink_id;
  WsimSinkHost        *host;          /* (owned) */
  guint64              local_sink_id;
  WsimCallWatchEndFunc end;
  gpointer             user_data;
  GDestroyNotify       destroy;
  gint64               added_us;
  gint64               answered_us;   /* when the server last said "open"; 0: never */
  guint                interval_ms;   /* until the next question while nothing was heard */
  gboolean             asking;        /* a question about it is on its way */
  gboolean             ask_now;       /* its host suggested trouble: ask at the next look */
  gboolean             suspect;       /* asked in a hurry and still open: ask again soon */
  gboolean             ended;         /* its host says it is over: forgotten at the next look */
} Watched;

struct _WsimCallWatch {
  grefcount ref_count;    /* the owner's, plus one per question and connect under way */
  GMainContext         *context;      /* (owned) */
  WsimChannel          *channel;      /* (unowned) outlives the watch's owner reference */
  WsimTrace            *trace;        /* (owned) */
  WsimCallWatchTimeouts t;
  GHashTable           *calls;        /* call id (guint64*) -> (owned) Watched* */
  GSource              *timer;        /* (owned) its ready time is the next look */
  gint64                scan_at;      /* when the next look must go through every call */
  GArray               *ended;        /* (owned) guint64 ids of calls over at their host, to forget */
  WsimRpcClient        *rpc;          /* (owned) (nullable) the watch's own connection */
  gboolean              connecting;
  GQueue                waiting;      /* (owned) Question* waiting for the connection */
  gboolean              ask_all;      /* the connection was lost: ask about every call now */
  gboolean              shut;         /* the owner freed it: nothing more is done */
};

/* One QUERY_CALLS on its way. */
typedef struct {
  WsimCallWatch *watch;    /* (owned) */
  GArray        *ids;      /* (owned) guint64 call ids asked about, in order */
  gboolean       retried;  /* asked again on a new connection once already */
  gint64         sent_us;  /* when it was asked (made: it may wait for a connection first) */
} Question;

static void watch_send (WsimCallWatch *watch, Question *q);

static gboolean
release_later (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Lets go of the watch's connection. Never inside one of its own callbacks, which may still
 * use it: released from the loop; calls still on it then fail, and are asked again. */
static void
watch_drop_rpc (WsimCallWatch *watch)
{
  WsimRpcClient *rpc = g_steal_pointer (&watch->rpc);
  GSource *s;

  if (rpc == NULL)
    return;
  wsim_rpc_client_set_closed_func (rpc, NULL, NULL, NULL);
  s = g_idle_source_new ();
  g_source_set_callback (s, release_later, rpc, (GDestroyNotify) wsim_rpc_client_unref);
  g_source_attach (s, watch->context);
  g_source_unref (s);
}

static WsimCallWatch *
watch_ref (WsimCallWatch *watch)
{
  g_ref_count_inc (&watch->ref_count);
  return watch;
}

static void watch_unref (WsimCallWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimCallWatch, watch_unref)

static void
watch_unref (WsimCallWatch *watch)
{
  if (!g_ref_count_dec (&watch->ref_count))
    return;
  g_hash_table_unref (watch->calls);
  g_array_unref (watch->ended);
  wsim_trace_unref (watch->trace);
  g_main_context_unref (watch->context);
  g_free (watch);
}

static void
watched_free (gpointer p)
{
  Watched *w = p;

  /* The call may outlive the watch (its client is going away): nobody to tell any more. */
  if (!w->ended)
    wsim_sink_host_set_call_watcher (w->host, w->local_sink_id, w->call_id, NULL, NULL);
  if (w->destroy != NULL)
    w->destroy (w->user_data);
  wsim_sink_host_unref (w->host);
  g_free (w->endpoint);
  g_free (w);
}

static void
question_free (Question *q)
{
  g_array_unref (q->ids);
  watch_unref (q->watch);
  g_free (q);
}

static void
watch_wake_at (WsimCallWatch *watch, gint64 when)
{
  gint64 current;

  if (watch->timer == NULL)
    return;
  current = g_source_get_ready_time (watch->timer);
  if (current < 0 || when < current)
    g_source_set_ready_time (watch->timer, when);
}

/* The next look goes through every call no later than @when. */
static void
watch_look_at (WsimCallWatch *watch, gint64 when)
{
  watch->scan_at = MIN (watch->scan_at, when);
  watch_wake_at (watch, when);
}

/* Ends @w on the client's side and forgets it. */
static void
watch_conclude (WsimCallWatch *watch, Watched *w, WsimHResult hr, const char *why)
{
  guint64 call_id = w->call_id;

  if (w->end (call_id, w->local_sink_id, hr, why, w->user_data))
    wsim_trace_add (watch->trace, WSIM_TRACE_CLIENT_FINAL, call_id, hr, 0,
                    "SetStatus(final) delivered by the client: %s", why);
  g_hash_table_remove (watch->calls, &call_id);
}

/* What the sink is owed when the server could not be asked, if the failure says the server
 * is out of reach: TRUE with the status and why. A failure that says nothing of the server's
 * reach (our own credentials, a server that does not know the question) ends nothing: the
 * calls are asked about again later. */
static gboolean
status_for_error (WsimCallWatch *watch, const GError *error, WsimHResult *hr, char **why)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    {
      *hr = RPC_S_SERVER_UNAVAILABLE;
      *why = g_strdup_printf ("the server did not answer about the call within %u ms: %s",
                              watch->t.answer_ms, error->message);
      return TRUE;
    }
  if (error->domain == G_IO_ERROR && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      *hr = RPC_E_DISCONNECTED;
      *why = g_strdup_printf ("the server is gone: %s", error->message);
      return TRUE;
    }
  return FALSE;
}

/* Ends each call @q asked about (the server is out of reach), or, when @error says nothing of
 * the server's reach, lets them be asked about again after the inactivity deadline. */
static void
question_fail (Question *q, const GError *error)
{
  g_autofree char *why = NULL;
  WsimHResult hr = 0;
  gboolean gone = status_for_error (q->watch, error, &hr, &why);
  gint64 now = g_get_monotonic_time ();

  if (!gone)
    g_debug ("wsim-call-watch: could not ask about %u calls, asking later: %s", q->ids->len,
             error->message);
  for (guint i = 0; i < q->ids->len && !q->watch->shut; i++)
    {
      Watched *w = g_hash_table_lookup (q->watch->calls, &g_array_index (q->ids, guint64, i));
      gboolean conclude = gone;
      gint64 last = 0;

      if (w == NULL)
        continue;
      w->asking = FALSE;
      /* A server that called this call back while it kept us waiting is slow, not gone. */
      if (conclude && hr == RPC_S_SERVER_UNAVAILABLE
          && wsim_sink_host_get_call_activity (w->host, w->local_sink_id, w->call_id, &last)
          && last > q->sent_us)
        conclude = FALSE;
      if (conclude)
        watch_conclude (q->watch, w, hr, why);
      else
        {
          w->answered_us = now;
          w->suspect = FALSE;
        }
    }
}

/* A lost connection, a context the server no longer knows, an answer that does not decode or
 * unwrap (a protected connection out of step): worth one new connection. Not a timeout,
 * which is the answer's own verdict. */
static gboolean
worth_asking_again (const GError *error)
{
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
         && (error->domain == G_IO_ERROR || error->domain == WSIM_RPC_ERROR);
}

static void
apply_answer (WsimCallWatch *watch, guint64 call_id, const wsim_query_call_res *a, gint64 now)
{
  Watched *w = g_hash_table_lookup (watch->calls, &call_id);
  gint64 last = 0;

  if (w == NULL)
    return;
  w->asking = FALSE;
  /* A final that came meanwhile wins: nothing to conclude. */
  if (!wsim_sink_host_get_call_activity (w->host, w->local_sink_id, w->call_id, &last))
    {
      g_hash_table_remove (watch->calls, &call_id);
      return;
    }
  switch (a->state)
    {
    case WSIM_CALL_OPEN:
      /* While nothing was heard, or after a question asked in a hurry, the next comes soon,
       * then less and less soon, up to the inactivity deadline. */
      w->answered_us = now;
      w->interval_ms = MIN (w->interval_ms * 2, watch->t.inactivity_ms);
      if (w->interval_ms == watch->t.inactivity_ms)
        w->suspect = FALSE;
      wsim_trace_add (watch->trace, WSIM_TRACE_CLIENT_ASK, call_id, WBEM_S_NO_ERROR, 0,
                      "asked the server: the call is open");
      break;
    case WSIM_CALL_REFUSED:
    case WSIM_CALL_ENDED:
      {
        g_autofree char *status = wsim_hresult_describe (a->hresult);
        g_autofree char *why = g_strdup_printf ("the server ended the call without reaching the "
                                                "sink (%s): %s", status, a->message);

        watch_conclude (watch, w, a->hresult, why);
        break;
      }
    default:
      watch_conclude (watch, w, RPC_E_DISCONNECTED,
                      "the server no longer knows the call: it was restarted, or has forgotten it");
      break;
    }
}

static void
on_answer (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  Question *q = data;
  g_autoptr(WsimCallWatch) watch = watch_ref (q->watch);   /* a sink may drop the client */
  wsim_query_calls_res res = { 0 };
  g_autoptr(GError) local = NULL;

  if (watch->shut)
    {
      question_free (q);
      return;
    }
  if (error == NULL && !wsim_rpc_reply_decode (reply, (xdrproc_t) xdr_wsim_query_calls_res, &res, &local))
    error = local;
  if (error != NULL && !q->retried && worth_asking_again (error))
    {
      /* Perhaps only this connection is gone (reaped while idle): once more, on a new one. */
      q->retried = TRUE;
      if (watch->rpc == client)
        watch_drop_rpc (watch);
      watch_send (watch, q);
      return;
    }
  if (error != NULL)
    {
      /* Never ask on this connection again: a late answer, dropped unread, would leave a
       * protected connection's sequence out of step (NTLMSSP's sealing state). */
      if (watch->rpc == client)
        watch_drop_rpc (watch);
      question_fail (q, error);
    }
  else if (WSIM_HRESULT_FAILED (res.hresult))
    {
      g_autoptr(GError) refused = NULL;
      g_autofree char *status = wsim_hresult_describe (res.hresult);

      refused = g_error_new (WSIM_WBEM_ERROR, (gint) res.hresult,
                             "the server refused to say how the calls stand: %s", status);
      question_fail (q, refused);
    }
  else
    {
      gint64 now = g_get_monotonic_time ();

      for (guint i = 0; i < q->ids->len && !watch->shut; i++)
        {
          guint64 id = g_array_index (q->ids, guint64, i);
          Watched *w;

          if (i < res.calls.calls_len)
            apply_answer (watch, id, &res.calls.calls_val[i], now);
          else if ((w = g_hash_table_lookup (watch->calls, &id)) != NULL)
            {
              /* A short answer: asked again at the next deadline, not at once. */
              w->asking = FALSE;
              w->answered_us = now;
            }
        }
    }
  xdr_free ((xdrproc_t) xdr_wsim_query_calls_res, (char *) &res);
  question_free (q);
  if (!watch->shut)
    watch_look_at (watch, 0);
}

static void
question_ask (WsimCallWatch *watch, Question *q)
{
  g_autofree wsim_call_locator *refs = g_new0 (wsim_call_locator, MAX (q->ids->len, 1));
  wsim_query_calls_args args = { .calls = { .calls_len = 0, .calls_val = refs } };

  for (guint i = 0; i < q->ids->len; i++)
    {
      Watched *w = g_hash_table_lookup (watch->calls, &g_array_index (q->ids, guint64, i));

      /* Every call asked about is still watched (only answers and the owner remove them). */
      g_assert (w != NULL);
      refs[i].sink.endpoint = w->endpoint;
      refs[i].sink.sink_id = w->sink_id;
      refs[i].call_id = w->call_id;
    }
  args.calls.calls_len = q->ids->len;
  wsim_rpc_client_call (watch->rpc, WSIM_QUERY_CALLS, (xdrproc_t) xdr_wsim_query_calls_args, &args,
                        (gint) watch->t.answer_ms, NULL, on_answer, q);
}

static void
on_rpc_closed (WsimRpcClient *client, const GError *error, gpointer data)
{
  WsimCallWatch *watch = data;

  /* The server went away, or only reaped this connection: with calls open, ask at once. */
  if (watch->rpc == client)
    watch_drop_rpc (watch);
  if (g_hash_table_size (watch->calls) > 0)
    {
      watch->ask_all = TRUE;
      watch_look_at (watch, 0);
    }
}

static void
on_connected (WsimRpcClient *client, const GError *error, gpointer data)
{
  WsimCallWatch *watch = data;   /* the connect's reference, dropped at the end */

  watch->connecting = FALSE;
  if (watch->shut)
    g_clear_pointer (&client, wsim_rpc_client_unref);
  else if (client != NULL)
    {
      watch_drop_rpc (watch);
      watch->rpc = client;
      wsim_rpc_client_set_closed_func (client, on_rpc_closed, watch, NULL);
      while (!g_queue_is_empty (&watch->waiting))
        question_ask (watch, g_queue_pop_head (&watch->waiting));
    }
  else
    {
      /* The server cannot be reached (or would not let us ask): what waited for the
       * connection is concluded, or asked about again later. */
      while (!g_queue_is_empty (&watch->waiting) && !watch->shut)
        {
          Question *q = g_queue_pop_head (&watch->waiting);

          question_fail (q, error);
          question_free (q);
        }
      if (!watch->shut)
        watch_look_at (watch, 0);
    }
  watch_unref (watch);
}

static void
watch_connect (WsimCallWatch *watch)
{
  if (watch->connecting || (watch->rpc != NULL && wsim_rpc_client_is_connected (watch->rpc)))
    return;
  watch_drop_rpc (watch);
  watch->connecting = TRUE;
  wsim_channel_connect_async (watch->channel, watch->context, watch->t.answer_ms, on_connected,
                              watch_ref (watch));
}

/* Asks @q now, or once the watch's connection is made. */
static void
watch_send (WsimCallWatch *watch, Question *q)
{
  if (watch->rpc != NULL && wsim_rpc_client_is_connected (watch->rpc) && !watch->connecting)
    {
      question_ask (watch, q);
      return;
    }
  g_queue_push_tail (&watch->waiting, q);
  watch_connect (watch);
}

/* The watch's look at its calls: forgets those that ended, asks about those it heard nothing
 * of for too long, and sets when to look next. */
static gboolean
on_look (gpointer data)
{
  WsimCallWatch *watch = data;
  gint64 now = g_get_monotonic_time ();
  gint64 next = -1;
  GHashTableIter iter;
  Watched *w;
  Question *q = NULL;

  g_source_set_ready_time (watch->timer, -1);
  /* Calls whose host said they are over go now, without a look at the rest. */
  for (guint i = 0; i < watch->ended->len; i++)
    g_hash_table_remove (watch->calls, &g_array_index (watch->ended, guint64, i));
  g_array_set_size (watch->ended, 0);
  if (now < watch->scan_at)
    {
      if (watch->scan_at != G_MAXINT64)
        watch_wake_at (watch, watch->scan_at);
      return G_SOURCE_CONTINUE;
    }
  watch->scan_at = G_MAXINT64;
  g_hash_table_iter_init (&iter, watch->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &w))
    {
      gint64 last = 0, due;

      if (w->ended || (!w->asking
                       && !wsim_sink_host_get_call_activity (w->host, w->local_sink_id, w->call_id, &last)))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (w->asking)
        continue;
      if (last == 0 || w->suspect)
        due = MAX (w->added_us, w->answered_us) + (gint64) w->interval_ms * 1000;
      else
        due = MAX (last, w->answered_us) + (gint64) watch->t.inactivity_ms * 1000;
      if (!watch->ask_all && !w->ask_now && due > now)
        {
          next = next < 0 ? due : MIN (next, due);
          continue;
        }
      if (q != NULL && q->ids->len == WSIM_MAX_QUERY_CALLS)
        {
          watch_send (watch, q);
          q = NULL;
        }
      if (q == NULL)
        {
          q = g_new0 (Question, 1);
          q->watch = watch_ref (watch);
          q->sent_us = now;
          q->ids = g_array_new (FALSE, FALSE, sizeof (guint64));
        }
      g_array_append_val (q->ids, w->call_id);
      w->asking = TRUE;
      w->ask_now = FALSE;
    }
  watch->ask_all = FALSE;
  if (q != NULL)
    watch_send (watch, q);
  if (next >= 0)
    watch_look_at (watch, next);
  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  return callback (data);
}

static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

WsimCallWatch *
wsim_call_watch_new (GMainContext *context, WsimChannel *channel, WsimTrace *trace,
                     const WsimCallWatchTimeouts *timeouts)
{
  WsimCallWatch *watch = g_new0 (WsimCallWatch, 1);

  g_ref_count_init (&watch->ref_count);
  watch->context = g_main_context_ref (context);
  watch->channel = channel;
  watch->trace = wsim_trace_ref (trace);
  if (timeouts != NULL)
    watch->t = *timeouts;
  if (watch->t.first_check_ms == 0)
    watch->t.first_check_ms = WSIM_CALL_WATCH_FIRST_CHECK_MS;
  if (watch->t.inactivity_ms == 0)
    watch->t.inactivity_ms = WSIM_CALL_WATCH_INACTIVITY_MS;
  if (watch->t.answer_ms == 0)
    watch->t.answer_ms = WSIM_CALL_WATCH_ANSWER_MS;
  watch->t.first_check_ms = MIN (watch->t.first_check_ms, watch->t.inactivity_ms);
  watch->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, watched_free);
  watch->ended = g_array_new (FALSE, FALSE, sizeof (guint64));
  watch->scan_at = G_MAXINT64;
  g_queue_init (&watch->waiting);
  watch->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_callback (watch->timer, on_look, watch, NULL);
  g_source_set_static_name (watch->timer, "wsim-call-watch");
  g_source_attach (watch->timer, context);
  return watch;
}

void
wsim_call_watch_free (WsimCallWatch *watch)
{
  if (watch == NULL)
    return;
  watch->shut = TRUE;
  g_source_destroy (watch->timer);
  g_clear_pointer (&watch->timer, g_source_unref);
  while (!g_queue_is_empty (&watch->waiting))
    question_free (g_queue_pop_head (&watch->waiting));
  /* Questions in flight complete now, and see the watch shut. */
  if (watch->rpc != NULL)
    wsim_rpc_client_set_closed_func (watch->rpc, NULL, NULL, NULL);
  g_clear_pointer (&watch->rpc, wsim_rpc_client_unref);
  g_hash_table_remove_all (watch->calls);
  watch_unref (watch);
}

/* The call's host says it looks in trouble, or that it is over. Never inside the host's
 * work for the call: the entry is only marked, and the next look acts. */
static void
on_call_event (WsimSinkHost *host, guint64 sink_id, guint64 call_id, WsimSinkHostCallEvent event,
               gpointer data)
{
  WsimCallWatch *watch = data;
  Watched *w = g_hash_table_lookup (watch->calls, &call_id);
  gint64 now = g_get_monotonic_time ();

  if (w == NULL)
    return;
  if (event == WSIM_SINK_HOST_CALL_ENDED)
    {
      w->ended = TRUE;
      g_array_append_val (watch->ended, call_id);
      watch_wake_at (watch, 0);
      return;
    }
  if (w->asking || w->ask_now
           || now - w->answered_us < (gint64) watch->t.first_check_ms * 1000)
    {
      /* Asked, or just answered: a storm of suspicions (forged ones among them) costs at
       * most a question now and then. */
      w->suspect = TRUE;
      w->interval_ms = watch->t.first_check_ms;
    }
  else
    {
      w->ask_now = TRUE;
      w->suspect = TRUE;
      w->interval_ms = watch->t.first_check_ms;
    }
  watch_look_at (watch, 0);
}

void
wsim_call_watch_add (WsimCallWatch *watch, const WsimWatchedCall *call)
{
  Watched *w = g_new0 (Watched, 1);

  w->call_id = call->call_id;
  w->endpoint = g_strdup (call->endpoint);
  w->sink_id = call->sink_id;
  w->host = wsim_sink_host_ref (call->host);
  w->local_sink_id = call->local_sink_id;
  w->end = call->end;
  w->user_data = call->user_data;
  w->destroy = call->destroy;
  w->added_us = g_get_monotonic_time ();
  w->interval_ms = watch->t.first_check_ms;
  g_hash_table_replace (watch->calls, &w->call_id, w);
  wsim_sink_host_set_call_watcher (w->host, w->local_sink_id, w->call_id, on_call_event, watch);
  watch_look_at (watch, w->added_us + (gint64) w->interval_ms * 1000);
  /* Made now, while all is well, so that losing the server is noticed when it happens. */
  watch_connect (watch);
}

guint
wsim_call_watch_get_n_calls (WsimCallWatch *watch)
{
  return g_hash_table_size (watch->calls);
}
