/* wsim-call.c: one async call on the server, from acceptance to its one final SetStatus.
 *
 * The provider posts instances into the call; the call turns them into rows of the wire
 * type, batches them and sends Indicate callbacks to the sink host, at most
 * max_indicates_in_flight at a time. A full batch with the window full makes
 * post_instance() answer BUSY: the provider stops, and resume() is called when an
 * Indicate reply makes room. A partial batch leaves as soon as nothing is in flight or the
 * result is known, so small results are not held back; the final SetStatus then follows on
 * the same connection without waiting for the Indicate replies.
 *
 * The provider runs in a provider host (runtime/provider-host), which implements the
 * provider ABI and its contract; the call plugs in what the posts become (call_host_ops).
 *
 * Before the provider starts, the callback ladder (wsim-server-callback.c) finds the level
 * the sink host takes; the call keeps that connection for all its callbacks. A final
 * status decided meanwhile (cancel, shutdown) waits for the ladder. When every rung is
 * refused the call ends with no callback at all: the server remembers it as refused
 * (QUERY_CALLS tells its client, which ends the call at the sink) and the trace says why.
 *
 * A call's life is the state machine at WsimCallState: every change of stage goes through
 * call_set_state(), which refuses a transition the table does not list. Every ending goes
 * through call_send_final() (a SetStatus reaches the sink) or call_teardown() (the sink
 * host cannot be reached); both leave the states that deliver first, so a call ends once,
 * and a call leaves the server's tables only when no provider operation runs (ENDING waits
 * for it). The host enforces the contract whatever the provider does; the call traces each
 * violation it reports, and a provider that can never post its result ends the call with
 * WBEM_E_PROVIDER_FAILURE at once.
 *
 * Threading: the server's thread.
 */
/* The transitions' debug messages: G_MESSAGES_DEBUG=wsim-call shows them. */
#define G_LOG_DOMAIN "wsim-call"

#include "wsim-server-private.h"

#include <string.h>

#include "wsim-provider-host.h"
#include "wsim-call-error.h"
#include "wsim-repository-store.h"
#include "wsim-static-provider.h"
#include "wsim-class.h"
#include "wsim-class-decl.h"
#include "wsim-object-path.h"
#include "wsim-system-props.h"
#include "wsim-value.h"
#include "wsim-wbem.h"
#include "wsim-wql.h"
#include "wsim-call-assoc.h"

/*
 * WsimCallState: where a call is in its life. One field, changed only by call_set_state().
 *
 *   STARTING ──a level taken──▶ DELIVERING ──status known, rows held──▶ FINISHING
 *      │                           │                                        │
 *      │ cancel, shutdown          │ cancel, shutdown,                      │ rows gone,
 *      ▼                           ▼ status known, no row held              ▼ cancel, shutdown
 *   FINAL_QUEUED ──a level taken──────────────▶ FINAL_SENT ◀────────────────┘
 *      │                                           │ its reply, acknowledged or not
 *      │ no level (from STARTING too), or torn     ▼
 *      └─ down before FINAL_SENT ───────────▶ ENDING ──no provider operation runs──▶ ENDED
 *
 * A call torn down passes through ENDING at once when no provider operation is running;
 * the final's reply goes straight to ENDED then.
 *
 * STARTING: accepted and answered; the ladder looks for the level the sink host takes.
 * DELIVERING: callbacks flow: the providers run and post, Indicates go. Nothing here counts
 *   results: a call that delivers indefinitely (an event subscription) stays here until it
 *   is cancelled, the server shuts down or its sink host is lost.
 * FINISHING: the call's status is known (hr, reason); the final SetStatus waits only for
 *   rows the window still holds back. A cancel or a shutdown still replaces the status.
 * FINAL_QUEUED: the final status was decided (hr, reason) before the ladder found a level;
 *   it goes when the ladder ends, or never if no level is found.
 * FINAL_SENT: the final SetStatus is on its way; its reply ends the call.
 * ENDING: the call is over (no callback follows) but a provider operation is still on the
 *   stack: it leaves the tables when that returns (finish() must not free state in use).
 * ENDED: out of the server's tables; nothing more happens.
 *
 * From FINAL_QUEUED on a call is final: nothing more is delivered, the provider's posts
 * are dropped and is_cancelled() is true.
 */
typedef enum {
  WSIM_CALL_STATE_STARTING,
  WSIM_CALL_STATE_DELIVERING,
  WSIM_CALL_STATE_FINISHING,
  WSIM_CALL_STATE_FINAL_QUEUED,
  WSIM_CALL_STATE_FINAL_SENT,
  WSIM_CALL_STATE_ENDING,
  WSIM_CALL_STATE_ENDED,
} WsimCallState;

#define S(state) (1u << WSIM_CALL_STATE_##state)

/* The transitions call_set_state() allows: from each state, the set it may go to. */
static const guint call_transitions[] = {
  [WSIM_CALL_STATE_STARTING]     = S (DELIVERING) | S (FINAL_QUEUED) | S (ENDING),
  [WSIM_CALL_STATE_DELIVERING]   = S (FINISHING) | S (FINAL_SENT) | S (ENDING),
  [WSIM_CALL_STATE_FINISHING]    = S (FINAL_SENT) | S (ENDING),
  [WSIM_CALL_STATE_FINAL_QUEUED] = S (FINAL_SENT) | S (ENDING),
  [WSIM_CALL_STATE_FINAL_SENT]   = S (ENDING) | S (ENDED),
  [WSIM_CALL_STATE_ENDING]       = S (ENDED),
  [WSIM_CALL_STATE_ENDED]        = 0,
};

#undef S

static const char *const call_state_names[] = {
  "STARTING", "DELIVERING", "FINISHING", "FINAL_QUEUED", "FINAL_SENT", "ENDING", "ENDED",
};

G_STATIC_ASSERT (G_N_ELEMENTS (call_transitions) == WSIM_CALL_STATE_ENDED + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (call_state_names) == WSIM_CALL_STATE_ENDED + 1);

struct _WsimCall {
  grefcount        ref_count;       /* server thread only */
  WsimServer      *server;          /* (unowned) the server ends every call before it goes */
  guint64          seq;             /* server-unique */
  guint64          call_id;         /* the client's */
  char            *endpoint;        /* (owned) the sink host */
  guint64          sink_id;
  char            *sink_key;        /* (owned) endpoint#sink_id */
  char            *client_key;      /* (owned) whose quota it counts in (WsimCallSpec) */
  char            *ns;              /* (owned) canonical namespace */
  char            *operation;       /* (owned) the IWbemServices method, for the error object */
  gint32           flags;
  GPtrArray       *classes;         /* (owned) WsimClass* (owned refs): what to enumerate */
  guint            class_idx;       /* the class being enumerated */
  WsimProviderReg *reg;             /* (unowned) its provider */
  WsimWqlQuery    *query;           /* (owned) (nullable) ExecQueryAsync's filter */
  WsimObjectPath  *path;            /* (owned) (nullable) GetObjectAsync's keys */
  WsimAssocWalk   *assoc;           /* (owned) (nullable) ASSOCIATORS OF / REFERENCES OF's steps */
  guint64          n_matched;       /* instances that passed the filter or matched the keys */
  /* ExecMethodAsync: a method call instead of an enumeration (all NULL otherwise). */
  char            *method;          /* (owned) (nullable) the method's name */
  WsimObjectPath  *method_path;     /* (owned) (nullable) its class or instance path */
  WsimObject      *in_params;       /* (owned) (nullable) what exec_method() reads */
  WsimClass       *out_class;       /* (owned) (nullable) __PARAMETERS, the [out] ones */
  /* PutInstanceAsync, DeleteInstanceAsync: a write (both NULL otherwise). A success waits
   * for the repository's store (await_store) and a put's carries the path (result_path). */
  WsimObject      *put_inst;        /* (owned) (nullable) what put_instance() writes */
  WsimObjectPath  *delete_path;     /* (owned) (nullable) what delete_instance() deletes */
  char            *result_path;     /* (owned) (nullable) a put's success strParam */
  gboolean         await_store;     /* the final waits until the change is durable */
  char            *store_error;     /* (owned) (nullable) the store could not save the change
                                     * (it was taken back): the success becomes WBEM_E_FAILED */
  /* Schema calls: prepared results instead of a provider (WsimCallSpec). */
  GPtrArray       *decls;           /* (owned) (nullable) WsimClassDecl* */
  GPtrArray       *objects;         /* (owned) (nullable) WsimObject* */
  gboolean         durable;         /* a class change: the success waits for the store */

  GArray          *rows;            /* (owned) wsim_instance waiting to be sent */
  gsize            rows_bytes;
  GPtrArray       *new_classes;     /* (owned) WsimClass* (owned) first seen, not yet sent */
  GHashTable      *class_index;     /* WsimClass* -> index + 1 in the call's class table */
  guint            batch_seq;
  guint            in_flight;       /* Indicate and progress callbacks awaiting replies */
  /* An Indicate has no reply timeout: a sink host holds its answer while its consumer is
   * slow (a semisync reader), which is flow control, not death. While one is unanswered,
   * the server asks the host a NULL every callback_timeout_ms of silence instead; a host
   * that does not answer that is gone. */
  guint            n_indicates;     /* Indicate callbacks awaiting replies */
  gint64           heard_us;        /* the host's last sign of life (monotonic) */
  GSource         *alive;           /* (owned) (nullable) the check, while n_indicates > 0 */
  gboolean         asking_alive;    /* its NULL is out */
  GCancellable    *indicates;       /* (owned) (nullable) cancels the unanswered Indicates of
                                       a host found gone (they have no timeout of their own) */
  /* The provider's progress (SEND_STATUS only): one PROGRESS in flight at a time, the newest
   * report waits for its reply and replaces any older one waiting. */
  guint            n_progress;      /* PROGRESS callbacks awaiting replies */
  gboolean         progress_pending;
  guint16          pending_done, pending_total;
  guint64          n_instances;

  WsimProvHost    *host;            /* (owned) the provider's side of the call */
  WsimCallState    state;           /* changed by call_set_state() only */
  WsimHResult      hr;              /* FINISHING, FINAL_QUEUED: the status the final carries */
  char            *reason;          /* (owned) (nullable) and why, for the final trace event */
  /* The callback ladder. */
  char            *caller;          /* (owned) (nullable) who made the call: whom to call back */
  char            *acceptor;        /* (owned) (nullable) whom the caller authenticated to */
  const char      *mech;            /* (nullable) static: the caller's mechanism */
  gboolean         local;           /* the caller and its sink host are on this machine */
  WsimRpcClient   *cb_client;       /* (owned) (nullable) the sink host, at the level taken */
  guint32          cb_level;
};

static void call_maybe_finish (WsimCall *call);
static void call_flush (WsimCall *call);
static void call_start_class (WsimCall *call);

WsimCall *
wsim_call_ref (WsimCall *call)
{
  g_ref_count_inc (&call->ref_count);
  return call;
}

static void
rows_clear (WsimCall *call)
{
  for (guint i = 0; i < call->rows->len; i++)
    xdr_free ((xdrproc_t) xdr_wsim_instance, (char *) &g_array_index (call->rows, wsim_instance, i));
  g_array_set_size (call->rows, 0);
  call->rows_bytes = 0;
}

void
wsim_call_unref (WsimCall *call)
{
  if (call == NULL || !g_ref_count_dec (&call->ref_count))
    return;
  rows_clear (call);
  g_array_unref (call->rows);
  g_ptr_array_unref (call->new_classes);
  g_hash_table_unref (call->class_index);
  g_ptr_array_unref (call->classes);
  wsim_prov_host_free (call->host);
  g_clear_pointer (&call->query, wsim_wql_query_free);
  g_clear_pointer (&call->path, wsim_object_path_free);
  g_clear_pointer (&call->assoc, wsim_assoc_walk_free);
  g_clear_pointer (&call->method_path, wsim_object_path_free);
  g_clear_pointer (&call->in_params, wsim_object_unref);
  g_clear_pointer (&call->out_class, wsim_class_unref);
  g_clear_pointer (&call->put_inst, wsim_object_unref);
  g_clear_pointer (&call->delete_path, wsim_object_path_free);
  g_free (call->result_path);
  g_free (call->store_error);
  g_clear_pointer (&call->decls, g_ptr_array_unref);
  g_clear_pointer (&call->objects, g_ptr_array_unref);
  g_free (call->method);
  g_clear_pointer (&call->cb_client, wsim_rpc_client_unref);
  g_clear_object (&call->indicates);
  g_free (call->caller);
  g_free (call->acceptor);
  g_free (call->endpoint);
  g_free (call->sink_key);
  g_free (call->client_key);
  g_free (call->ns);
  g_free (call->operation);
  g_free (call->reason);
  g_free (call);
}

guint64
wsim_call_get_seq (WsimCall *call)
{
  return call->seq;
}

const char *
wsim_call_get_ns (WsimCall *call)
{
  return call->ns;
}

const char *
wsim_call_get_sink_key (WsimCall *call)
{
  return call->sink_key;
}

const char *
wsim_call_get_client_key (WsimCall *call)
{
  return call->client_key;
}

guint64
wsim_call_get_call_id (WsimCall *call)
{
  return call->call_id;
}

/* Moves @call to @to if the transition table allows it; otherwise complains and leaves it
 * where it is (a bug in this file, never something a client or provider can cause). */
static void
call_set_state (WsimCall *call, WsimCallState to)
{
  if ((call_transitions[call->state] & (1u << to)) == 0)
    {
      g_critical ("call %" G_GUINT64_FORMAT " (seq %" G_GUINT64_FORMAT "): no transition %s -> %s",
                  call->call_id, call->seq, call_state_names[call->state], call_state_names[to]);
      return;
    }
  g_debug ("call %" G_GUINT64_FORMAT " (seq %" G_GUINT64_FORMAT "): %s -> %s", call->call_id,
           call->seq, call_state_names[call->state], call_state_names[to]);
  call->state = to;
}

/* Final: nothing more reaches the sink from this call (the final went, waits for the
 * ladder, or none can be delivered). */
static gboolean
call_is_final (WsimCall *call)
{
  return call->state >= WSIM_CALL_STATE_FINAL_QUEUED;
}

static const WsimProvider *
call_provider (WsimCall *call)
{
  return call->reg != NULL ? wsim_provider_reg_get_provider (call->reg) : NULL;
}

/* The provider of the current class is done with this call. */
static void
call_finish_provider (WsimCall *call)
{
  wsim_prov_host_finish (call->host);
  call->reg = NULL;
}

/* Out of the tables; the provider told; nothing more will happen: ENDED. Never while a
 * provider operation runs (finish() would free state the provider is using): then the call
 * waits in ENDING for call_maybe_finish(), which every provider entry point calls on its
 * way out. */
static void
call_end (WsimCall *call)
{
  if (call->state == WSIM_CALL_STATE_ENDED)
    return;
  if (wsim_prov_host_is_running (call->host))
    {
      if (call->state != WSIM_CALL_STATE_ENDING)
        call_set_state (call, WSIM_CALL_STATE_ENDING);
      return;
    }
  call_set_state (call, WSIM_CALL_STATE_ENDED);
  call_finish_provider (call);
  rows_clear (call);
  if (call->alive != NULL)
    {
      g_source_destroy (call->alive);
      g_clear_pointer (&call->alive, g_source_unref);
    }
  /* An Indicate still unanswered now would wait for ever (it has no timeout). */
  if (call->indicates != NULL)
    g_cancellable_cancel (call->indicates);
  wsim_server_forget_call (call->server, call);
}

/* Ends a call whose sink cannot be reached: no SetStatus can be delivered. Used also when
 * the final SetStatus itself could not be sent (from FINAL_QUEUED, say); a call whose final
 * went, or that is ending already, is left alone. ENDING first, so nothing the provider
 * does from now on is delivered. */
static void
call_teardown (WsimCall *call, const char *why)
{
  if (call->state >= WSIM_CALL_STATE_FINAL_SENT)
    return;
  call_set_state (call, WSIM_CALL_STATE_ENDING);
  wsim_trace_add (call->server->trace, WSIM_TRACE_TEARDOWN, call->call_id, WBEM_E_TRANSPORT_FAILURE,
                  call->n_instances, "%s", why);
  /* The sink never hears it from here: its client asks (QUERY_CALLS) and ends it itself. */
  wsim_server_remember_ended (call->server, call, WSIM_CALL_ENDED, WBEM_E_TRANSPORT_FAILURE, why);
  /* A provider inside one of its operations learns it from DROPPED and is_cancelled(). */
  wsim_prov_host_cancel (call->host);
  call_end (call);
}

WsimRpcClient *
wsim_call_get_callback_client (WsimCall *call)
{
  return call->cb_client;
}

void
wsim_call_sink_lost (WsimCall *call, WsimRpcClient *cb, const char *why)
{
  if (call->cb_client == cb)
    call_teardown (call, why);
}

/* ---- callbacks to the sink host ------------------------------------------------- */

static void
on_alive_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimCall *call = data;

  call->asking_alive = FALSE;
  if (error != NULL)
    {
      g_autofree char *why = g_strdup_printf ("sink host %s holds an Indicate and did not "
                                              "answer a NULL: %s", call->endpoint, error->message);

      call_teardown (call, why);
      g_cancellable_cancel (call->indicates);
    }
  else
    call->heard_us = g_get_monotonic_time ();
  wsim_call_unref (call);
}

/* While an Indicate is unanswered: after callback_timeout_ms of silence, is the host there? */
static gboolean
on_alive_check (gpointer data)
{
  WsimCall *call = data;
  gint64 quiet_us = (gint64) call->server->limits.callback_timeout_ms * 1000;

  if (call->n_indicates == 0 || call->state >= WSIM_CALL_STATE_ENDING)
    {
      g_clear_pointer (&call->alive, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  if (call->asking_alive || g_get_monotonic_time () - call->heard_us < quiet_us)
    return G_SOURCE_CONTINUE;
  if (call->cb_client == NULL || !wsim_rpc_client_is_connected (call->cb_client))
    return G_SOURCE_CONTINUE;   /* the connection's end fails the Indicate itself */
  call->asking_alive = TRUE;
  wsim_rpc_client_call (call->cb_client, WSIM_SINK_NULL, WSIM_XDRPROC (xdr_void), NULL,
                        (gint) call->server->limits.callback_timeout_ms, NULL, on_alive_reply,
                        wsim_call_ref (call));
  return G_SOURCE_CONTINUE;
}

/* Sends a callback to the sink host; FALSE (and *why) when the host cannot be reached. */
static gboolean
call_callback (WsimCall *call, guint32 proc, xdrproc_t xargs, const void *args,
               WsimRpcReplyFunc done, char **why)
{
  gint timeout = (gint) call->server->limits.callback_timeout_ms;

  if (call->cb_client == NULL || !wsim_rpc_client_is_connected (call->cb_client))
    {
      *why = g_strdup_printf ("the connection to sink host %s at %s is gone", call->endpoint,
                              wsim_authn_level_word ((WsimAuthnLevel) call->cb_level));
      return FALSE;
    }
  call->in_flight++;
  if (proc == WSIM_SINK_INDICATE)
    {
      timeout = 0;   /* none: on_alive_check() watches the host instead */
      if (call->n_indicates++ == 0)
        call->heard_us = g_get_monotonic_time ();
      if (call->indicates == NULL)
        call->indicates = g_cancellable_new ();
      if (call->alive == NULL)
        {
          call->alive = g_timeout_source_new (MAX (call->server->limits.callback_timeout_ms / 2, 1));
          g_source_set_callback (call->alive, on_alive_check, wsim_call_ref (call),
                                 (GDestroyNotify) wsim_call_unref);
          g_source_attach (call->alive, call->server->context);
        }
    }
  wsim_rpc_client_call (call->cb_client, proc, xargs, args, timeout,
                        proc == WSIM_SINK_INDICATE ? call->indicates : NULL, done,
                        wsim_call_ref (call));
  return TRUE;
}

static gboolean
callback_failed (WsimCall *call, WsimRpcReply *reply, const GError *error, const char *what)
{
  wsim_sink_res res = { 0 };
  g_autoptr(GError) decode_error = NULL;

  call->in_flight--;
  if (error == NULL && wsim_rpc_reply_decode (reply, (xdrproc_t) xdr_wsim_sink_res, &res,
                                              &decode_error))
    {
      if (res.hresult == WBEM_E_ACCESS_DENIED || res.hresult == E_ACCESSDENIED)
        {
          /* The host no longer takes callbacks for this call (its client ended it on its
           * side, e.g. after losing the server for a while): nobody is listening. */
          g_autofree char *status = wsim_hresult_describe (res.hresult);
          g_autofree char *why = g_strdup_printf ("sink host %s refused %s (%s): the call is over "
                                                  "on the client's side", call->endpoint, what, status);

          call_teardown (call, why);
          return TRUE;
        }
      if (WSIM_HRESULT_FAILED (res.hresult))
        wsim_trace_add (call->server->trace, WSIM_TRACE_VIOLATION, call->call_id, res.hresult,
                        0, "the sink answered %s with a failure", what);
      return FALSE;
    }
  if (call->state < WSIM_CALL_STATE_FINAL_SENT)
    {
      g_autofree char *why = g_strdup_printf ("%s to sink host %s failed: %s", what, call->endpoint,
                                              error != NULL ? error->message : decode_error->message);
      call_teardown (call, why);
    }
  return TRUE;
}

static void
on_final_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimCall *call = data;
  wsim_sink_res res = { 0 };

  call->in_flight--;
  /* Decoded even though only its arrival matters: at PKT_INTEGRITY and PKT_PRIVACY decoding
   * is what checks (and, for NTLMSSP, steps the sealing state past) the reply's protection;
   * skipping it would put the connection's next reply out of step. */
  if (error == NULL)
    wsim_rpc_reply_decode (reply, (xdrproc_t) xdr_wsim_sink_res, &res, NULL);
  else
    {
      /* The final, and the Indicate calls just before it, may all be lost with the
       * connection: the sink's client is owed the transport's failure, not the result. */
      g_autofree char *why = g_strdup_printf ("final SetStatus not acknowledged: %s", error->message);

      wsim_trace_add (call->server->trace, WSIM_TRACE_TEARDOWN, call->call_id,
                      wsim_hresult_from_error (error), 0, "%s", why);
      wsim_server_remember_ended (call->server, call, WSIM_CALL_ENDED, WBEM_E_TRANSPORT_FAILURE, why);
    }
  call_end (call);
  wsim_call_unref (call);
}

/* @cls's index in the call's class table; the first time, it joins new_classes (the next
 * callback introduces it). */
static guint
call_class_idx (WsimCall *call, WsimClass *cls)
{
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (call->class_index, cls));

  if (idx == 0)
    {
      idx = g_hash_table_size (call->class_index) + 1;
      g_hash_table_insert (call->class_index, wsim_class_ref (cls), GUINT_TO_POINTER (idx));
      g_ptr_array_add (call->new_classes, wsim_class_ref (cls));
    }
  return idx - 1;
}

/* Shallow copies of the definitions of new_classes (the classes own the strings). */
static wsim_class_def *
call_new_class_defs (WsimCall *call)
{
  wsim_class_def *defs = g_new (wsim_class_def, MAX (call->new_classes->len, 1));

  for (guint i = 0; i < call->new_classes->len; i++)
    defs[i] = *wsim_class_get_def (call->new_classes->pdata[i]);
  return defs;
}

/* Sends the final SetStatus: FINAL_SENT, or torn down if the sink host is out of reach (the
 * rows were dropped and the provider stopped already). A failed call's strParam is
 * @why, the provider's message or the runtime's reason, so the sink learns what went wrong
 * and not only a status, and its pObjParam an __ExtendedStatus saying the same with the
 * method, the parameter and the provider (wsim-call-error.h; docs/wire.md, "Error
 * objects"); a success's are empty, as WMI's are for enumerations. Cut to the wire's string
 * bound, at a character boundary, so that the final SetStatus always encodes. */
static void
call_deliver_final (WsimCall *call, WsimHResult hr, const char *why)
{
  wsim_set_status_args args = { 0 };
  g_autofree char *unreachable = NULL;
  g_autofree char *str_param = NULL;
  g_autofree wsim_class_def *defs = NULL;
  wsim_instance err_row = { 0 };

  if (why == NULL)
    why = "";
  wsim_trace_add (call->server->trace, WSIM_TRACE_FINAL, call->call_id, hr, call->n_instances,
                  "%s", why);
  if (WSIM_HRESULT_FAILED (hr))
    str_param = wsim_call_error_cut (why);
  else if (call->result_path != NULL)
    str_param = g_strdup (call->result_path);   /* PutInstanceAsync: the instance's path */
  args.sink_id = call->sink_id;
  args.call_id = call->call_id;
  args.flags = WBEM_STATUS_COMPLETE;
  args.hresult = hr;
  args.str_param = str_param != NULL ? str_param : (char *) "";
  if (wsim_call_error_wanted (hr))
    {
      g_autofree char *put_path = call->put_inst != NULL ? wsim_object_get_path (call->put_inst)
                                                         : NULL;
      WsimCallAbout about = {
        .operation = call->operation, .query = call->query,
        .path = call->path != NULL ? call->path
                : call->method_path != NULL ? call->method_path : call->delete_path,
        .path_text = put_path,
        .cls = call->classes->len > 0 ? call->classes->pdata[0] : NULL,
        .provider = call_provider (call),
      };
      g_autoptr(WsimObject) err = wsim_call_error_new (hr, args.str_param, &about);

      err_row.class_idx = call_class_idx (call, wsim_object_get_class (err));
      err_row.values.values_len = wsim_class_get_n_props (wsim_object_get_class (err));
      err_row.values.values_val = wsim_object_steal_values (err);
      defs = call_new_class_defs (call);
      args.new_classes.new_classes_len = call->new_classes->len;
      args.new_classes.new_classes_val = defs;
      args.obj_param = &err_row;
    }
  if (!call_callback (call, WSIM_SINK_SET_STATUS, (xdrproc_t) xdr_wsim_set_status_args, &args,
                      on_final_reply, &unreachable))
    call_teardown (call, unreachable);
  else
    call_set_state (call, WSIM_CALL_STATE_FINAL_SENT);
  xdr_free ((xdrproc_t) xdr_wsim_instance, (char *) &err_row);
}

/* Ends @call with @hr: the final SetStatus now, or once the ladder has a level (a status
 * decided before the sink host was reached). Nothing is delivered after it. */
static void
call_send_final (WsimCall *call, WsimHResult hr, const char *why)
{
  if (call_is_final (call))
    return;
  rows_clear (call);
  wsim_prov_host_stop (call->host);
  if (call->state == WSIM_CALL_STATE_STARTING)
    {
      char *reason = g_strdup (why);

      call->hr = hr;
      g_free (call->reason);
      call->reason = reason;
      call_set_state (call, WSIM_CALL_STATE_FINAL_QUEUED);
      return;
    }
  call_deliver_final (call, hr, why);
}

static void call_send_pending_progress (WsimCall *call);

static void
on_progress_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimCall *call = data;

  call->n_progress--;
  if (!callback_failed (call, reply, error, "progress SetStatus"))
    call_send_pending_progress (call);
  call_maybe_finish (call);
  wsim_call_unref (call);
}

static void call_send_progress (WsimCall *call, guint done, guint total);

/* A provider's report waiting for the previous PROGRESS's reply goes now, unless the
 * provider's result came meanwhile (progress after it says nothing) or the call is over. */
static void
call_send_pending_progress (WsimCall *call)
{
  if (!call->progress_pending || call->n_progress > 0 || call->state != WSIM_CALL_STATE_DELIVERING)
    return;
  call->progress_pending = FALSE;
  call_send_progress (call, call->pending_done, call->pending_total);
}

static void
call_send_progress (WsimCall *call, guint done, guint total)
{
  wsim_set_status_args args = { 0 };
  g_autofree char *unreachable = NULL;
  WsimHResult hr = (MIN (total, 0xFFFFu) << 16) | MIN (done, 0xFFFFu);

  wsim_trace_add (call->server->trace, WSIM_TRACE_PROGRESS, call->call_id, hr, done, NULL);
  args.sink_id = call->sink_id;
  args.call_id = call->call_id;
  args.flags = WBEM_STATUS_PROGRESS;
  args.hresult = hr;
  args.str_param = (char *) "";
  if (!call_callback (call, WSIM_SINK_SET_STATUS, (xdrproc_t) xdr_wsim_set_status_args, &args,
                      on_progress_reply, &unreachable))
    call_teardown (call, unreachable);
  else
    call->n_progress++;
}

/* Progress to the sink, for WBEM_FLAG_SEND_STATUS only: one PROGRESS in flight at a time,
 * a newer report replacing one still waiting (the provider's and the runtime's alike). */
static void
call_queue_progress (WsimCall *call, guint done, guint total)
{
  if (!(call->flags & WBEM_FLAG_SEND_STATUS) || call->state != WSIM_CALL_STATE_DELIVERING)
    return;
  call->pending_done = done;
  call->pending_total = total;
  call->progress_pending = TRUE;
  call_send_pending_progress (call);
}

static void
on_indicate_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimCall *call = data;

  call->n_indicates--;
  call->heard_us = g_get_monotonic_time ();

  if (!callback_failed (call, reply, error, "Indicate"))
    {
      call_flush (call);
      /* Room again: let a paused provider go on. */
      if (call->rows_bytes < call->server->limits.batch_bytes)
        wsim_prov_host_resume_later (call->host);
      call_maybe_finish (call);
    }
  wsim_call_unref (call);
}

static void
call_send_batch (WsimCall *call)
{
  wsim_indicate_args args = { 0 };
  g_autofree char *unreachable = NULL;
  g_autofree wsim_class_def *defs = NULL;
  guint n_rows = call->rows->len;

  args.sink_id = call->sink_id;
  args.call_id = call->call_id;
  args.batch_seq = call->batch_seq++;
  if (call->new_classes->len > 0)
    {
      defs = call_new_class_defs (call);
      args.new_classes.new_classes_len = call->new_classes->len;
      args.new_classes.new_classes_val = defs;
    }
  args.rows.rows_len = n_rows;
  args.rows.rows_val = (wsim_instance *) (void *) call->rows->data;
  call->n_instances += n_rows;
  if (!call_callback (call, WSIM_SINK_INDICATE, (xdrproc_t) xdr_wsim_indicate_args, &args,
                      on_indicate_reply, &unreachable))
    {
      call_teardown (call, unreachable);
      return;
    }
  wsim_trace_add (call->server->trace, WSIM_TRACE_INDICATE, call->call_id, WBEM_S_NO_ERROR, n_rows,
                  "batch %u, %zu bytes", args.batch_seq, call->rows_bytes);
  g_ptr_array_set_size (call->new_classes, 0);
  rows_clear (call);
}

static void
call_flush (WsimCall *call)
{
  WsimServerLimits *l = &call->server->limits;

  if (call->state != WSIM_CALL_STATE_DELIVERING && call->state != WSIM_CALL_STATE_FINISHING)
    return;
  /* Full batches while the window has room; a partial one when nothing is in flight, or
   * when no more rows will come (FINISHING: the status is known). */
  while (call->rows->len > 0 && call->in_flight < l->max_indicates_in_flight
         && (call->in_flight == 0 || call->state == WSIM_CALL_STATE_FINISHING
             || call->rows_bytes >= l->batch_bytes || call->rows->len >= l->batch_rows))
    {
      call_send_batch (call);
      if (call_is_final (call))
        return;
    }
}

/* The call's status is known: FINISHING, the final waits only for the rows held back. */
static void
call_set_result (WsimCall *call, WsimHResult hr, const char *why)
{
  if (call->state != WSIM_CALL_STATE_DELIVERING)
    return;
  call->hr = hr;
  call->reason = g_strdup (why);
  call_set_state (call, WSIM_CALL_STATE_FINISHING);
}

static void
call_maybe_finish (WsimCall *call)
{
  if (wsim_prov_host_is_running (call->host))
    return;
  if (call->state == WSIM_CALL_STATE_ENDING)
    {
      call_end (call);
      return;
    }
  if (call->state != WSIM_CALL_STATE_DELIVERING && call->state != WSIM_CALL_STATE_FINISHING)
    return;
  call_flush (call);
  if (call->await_store)
    return;
  if (call->store_error != NULL && call->state == WSIM_CALL_STATE_FINISHING
      && !WSIM_HRESULT_FAILED (call->hr))
    {
      call->hr = WBEM_E_FAILED;
      g_free (call->reason);
      call->reason = g_strdup (call->store_error);
      g_clear_pointer (&call->result_path, g_free);
    }
  /* The final SetStatus follows the last Indicate on the same connection, so the sink
   * host sees them in order: it need not wait for the Indicate replies (one round trip
   * less per call). It waits only for rows still held back by the window. */
  if (call->state == WSIM_CALL_STATE_FINISHING && call->rows->len == 0)
    call_send_final (call, call->hr, call->reason != NULL ? call->reason : "complete");
}

/* ---- what the provider's posts become (the host's owner ops) -------------------- */

static gsize
row_bytes (const wsim_value *values, guint n)
{
  gsize bytes = 8;

  for (guint i = 0; i < n; i++)
    {
      bytes += 8;
      if (values[i].type == CIM_STRING || values[i].type == CIM_DATETIME
          || values[i].type == CIM_REFERENCE)
        bytes += strlen (values[i].wsim_value_u.v_string);   /* the string arms share layout */
    }
  return bytes;
}

/* The WHERE clause's row: the object, where it lives (for __PATH, __NAMESPACE, __SERVER)
 * and room for one computed system property (the WQL getter's value need only live until
 * the next lookup). */
typedef struct {
  WsimObject *obj;
  const char *ns;
  wsim_value  scratch;
} CallRow;

static const wsim_value *
object_get (gpointer row, const char *property)
{
  CallRow *r = row;

  if (wsim_object_get_system_property (r->obj, property, r->ns, g_get_host_name (), &r->scratch))
    return &r->scratch;
  return wsim_object_lookup (r->obj, property);
}

/* ISA for the WHERE clause: __THIS is the object (its class or a superclass); a property
 * would hold an embedded object, which the wire does not carry (CIM_OBJECT): UNKNOWN. */
static WsimWqlTruth
object_isa (gpointer row, const char *property, const char *class_name)
{
  CallRow *r = row;

  if (property != NULL)
    return WSIM_WQL_UNKNOWN;
  return wsim_class_is_a (wsim_object_get_class (r->obj), class_name) ? WSIM_WQL_TRUE : WSIM_WQL_FALSE;
}

/* Does @obj belong in the results? ExecQueryAsync keeps what matches the WHERE clause and
 * nulls the properties it did not select (keys stay with WBEM_FLAG_ENSURE_LOCATABLE);
 * GetObjectAsync keeps the first instance whose keys are the path's. */
static gboolean
call_wants (WsimCall *call, WsimObject *obj)
{
  /* ExecMethodAsync: one object, of the [out] parameters' class (anything else is the
   * provider's mistake, traced and dropped). */
  if (call->method != NULL && (wsim_object_get_class (obj) != call->out_class || call->n_matched > 0))
    {
      wsim_trace_add (call->server->trace, WSIM_TRACE_VIOLATION, call->call_id, WBEM_S_NO_ERROR, 0,
                      "%s: only one __PARAMETERS object is posted: dropped", call->method);
      return FALSE;
    }
  if (call->put_inst != NULL || call->delete_path != NULL)
    {
      wsim_trace_add (call->server->trace, WSIM_TRACE_VIOLATION, call->call_id, WBEM_S_NO_ERROR, 0,
                      "%s: a write posts no instance: dropped", call->operation);
      return FALSE;
    }
  if (call->query != NULL)
    {
      const char *const *props = wsim_wql_query_get_properties (call->query);
      WsimClass *cls = wsim_object_get_class (obj);

      CallRow row = { .obj = obj, .ns = call->ns };
      gboolean matches = wsim_wql_query_matches_isa (call->query, object_get, object_isa, &row);
      /* A projection is WMI's partial instance: only what was selected; the keys too only
       * under WBEM_FLAG_ENSURE_LOCATABLE, so that __PATH and __RELPATH can be given
       * (docs/wql.md). */
      gboolean locatable = (call->flags & WBEM_FLAG_ENSURE_LOCATABLE) != 0;

      wsim_value_clear (&row.scratch);
      if (!matches)
        return FALSE;
      if (props != NULL)
        for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
          {
            const wsim_property_def *def = wsim_class_get_prop (cls, i);
            gboolean keep = locatable && def->is_key;

            for (guint k = 0; props[k] != NULL && !keep; k++)
              keep = g_ascii_strcasecmp (props[k], def->name) == 0;
            if (!keep)
              wsim_value_clear (wsim_object_get_value (obj, i));
          }
    }
  else if (call->path != NULL)
    {
      if (call->n_matched > 0)
        return FALSE;
      for (guint k = 0; k < wsim_object_path_get_n_keys (call->path); k++)
        {
          const wsim_value *want = wsim_object_path_get_key_value (call->path, k);
          const wsim_value *have = wsim_object_lookup (obj, wsim_object_path_get_key_name (call->path, k));
          int cmp;

          if (have == NULL || !wsim_value_compare (have, want, &cmp) || cmp != 0)
            return FALSE;
        }
    }
  call->n_matched++;
  return TRUE;
}

static WsimClass *
call_lookup_class (WsimProvHost *host, const char *class_name, gpointer owner)
{
  WsimCall *call = owner;

  if (call->out_class != NULL && g_ascii_strcasecmp (class_name, "__PARAMETERS") == 0)
    return call->out_class;
  return wsim_repository_lookup_class (call->server->repo, call->ns, class_name, NULL);
}

static const char *
call_get_param (WsimProvHost *host, const char *name, gpointer owner)
{
  WsimCall *call = owner;

  return call->reg != NULL ? wsim_provider_reg_get_param (call->reg, name) : NULL;
}

/* An instance becomes a row; a full batch with the window full answers BUSY. */
static WsimProvStatus
call_take_instance (WsimProvHost *host, WsimObject *obj, gpointer owner)
{
  WsimCall *call = owner;
  WsimClass *cls = wsim_object_get_class (obj);
  WsimServerLimits *l = &call->server->limits;
  wsim_instance row;

  /* An association query's walk says how many times (an endpoint comes once for each
   * association that names it). */
  guint times = call->assoc != NULL ? wsim_assoc_walk_take (call->assoc, obj)
                                    : call_wants (call, obj) ? 1 : 0;

  if (times == 0)
    {
      wsim_object_unref (obj);
      return WSIM_PROV_OK;
    }
  row.class_idx = call_class_idx (call, cls);
  row.values.values_len = wsim_class_get_n_props (cls);
  for (guint t = 1; t < times; t++)
    {
      wsim_instance copy = row;

      copy.values.values_val = g_new0 (wsim_value, row.values.values_len);
      for (guint i = 0; i < row.values.values_len; i++)
        wsim_value_copy (wsim_object_get_value (obj, i), &copy.values.values_val[i]);
      call->rows_bytes += row_bytes (copy.values.values_val, copy.values.values_len);
      g_array_append_val (call->rows, copy);
    }
  row.values.values_val = wsim_object_steal_values (obj);
  call->rows_bytes += row_bytes (row.values.values_val, row.values.values_len);
  g_array_append_val (call->rows, row);
  wsim_object_unref (obj);

  call_flush (call);
  if (call_is_final (call))
    return WSIM_PROV_DROPPED;
  if (call->in_flight >= l->max_indicates_in_flight
      && (call->rows_bytes >= l->batch_bytes || call->rows->len >= l->batch_rows))
    return WSIM_PROV_BUSY;
  return WSIM_PROV_OK;
}

static gboolean
on_next_class (gpointer data)
{
  WsimCall *call = data;

  if (!call_is_final (call))
    call_start_class (call);
  return G_SOURCE_REMOVE;
}

/* The store has the change on disk, or could not write it (then the change was taken back
 * and the call fails). The call may still be delivering: the outcome waits in the call. */
static void
on_store_durable (gboolean ok, const char *why, gpointer data)
{
  WsimCall *call = data;

  if (!call->await_store)
    return;
  call->await_store = FALSE;
  if (!ok)
    call->store_error = g_strdup (why);
  if (call->state == WSIM_CALL_STATE_FINISHING)
    call_maybe_finish (call);
}

/* Asks the store to say when the change this call just made is durable. Right after the
 * change, never later: a save that fails meanwhile takes the change back, and only the
 * waiters it knows learn it (wsim_repository_store_when_durable()). */
static void
call_watch_store (WsimCall *call)
{
  call->await_store = TRUE;
  wsim_repository_store_when_durable (call->server->repo, call->server->context,
                                      on_store_durable, wsim_call_ref (call),
                                      (GDestroyNotify) wsim_call_unref);
}

/* The current class's provider posted its result: the call's, or on to the next class. */
static void call_deliver_prepared (WsimCall *call);

static void
call_take_result (WsimProvHost *host, WsimHResult hresult, const char *message, gpointer owner)
{
  WsimCall *call = owner;

  /* A report still waiting was this provider's, made before its result: it is stale now. */
  call->progress_pending = FALSE;
  /* GetObjectAsync: the instance was found, or a provider said it is not there. */
  if (call->path != NULL && (call->n_matched > 0 || hresult == WBEM_E_NOT_FOUND))
    {
      call_set_result (call, call->n_matched > 0 ? WBEM_S_NO_ERROR : WBEM_E_NOT_FOUND,
                       call->n_matched > 0 ? "found" : "no instance has these keys");
      call_maybe_finish (call);
      return;
    }
  if (!WSIM_HRESULT_FAILED (hresult) && call->path != NULL && call->class_idx + 1 >= call->classes->len)
    {
      call_set_result (call, WBEM_E_NOT_FOUND, "no instance has these keys");
      call_maybe_finish (call);
      return;
    }
  /* A write's success reaches the sink once the repository's store has it on disk. */
  if ((call->put_inst != NULL || call->delete_path != NULL) && !WSIM_HRESULT_FAILED (hresult))
    {
      if (call->put_inst != NULL)
        call->result_path = wsim_object_get_path (call->put_inst);
      call_set_result (call, hresult, message != NULL ? message : "complete");
      /* The static provider made the change in the repository just before it posted this
       * result; another provider's writes are its own business, not the store's. */
      if (call->reg != NULL && wsim_provider_reg_get_provider (call->reg) == &wsim_static_provider)
        call_watch_store (call);
      call_maybe_finish (call);
      return;
    }
  /* ExecMethodAsync: a success owes the sink its one out-parameters object (ReturnValue). */
  if (call->method != NULL && !WSIM_HRESULT_FAILED (hresult) && call->n_matched == 0)
    {
      call_set_result (call, WBEM_E_PROVIDER_FAILURE,
                       "the provider's method succeeded without posting its __PARAMETERS object");
      call_maybe_finish (call);
      return;
    }
  /* An association query's step is done: the walk appends the next step's classes, or
   * says how the call ends. */
  if (call->assoc != NULL && !WSIM_HRESULT_FAILED (hresult) && call->class_idx + 1 >= call->classes->len)
    {
      const char *why = NULL;
      WsimHResult hr = wsim_assoc_walk_next (call->assoc, call->classes, &why);

      if (call->class_idx + 1 >= call->classes->len)
        {
          /* ClassDefsOnly: the results' class objects, then the final. */
          if (hr == WBEM_S_NO_ERROR && call->decls == NULL
              && (call->decls = wsim_assoc_walk_steal_class_defs (call->assoc)) != NULL)
            {
              call_deliver_prepared (call);
              return;
            }
          call_set_result (call, hr, why);
          call_maybe_finish (call);
          return;
        }
    }
  if (WSIM_HRESULT_FAILED (hresult) || call->class_idx + 1 >= call->classes->len)
    {
      call_set_result (call, hresult, message != NULL ? message : "complete");
      call_maybe_finish (call);
      return;
    }
  /* The next class of a DEEP enumeration starts from the loop, after this provider returns. */
  {
    GSource *s = g_idle_source_new ();

    call_queue_progress (call, call->class_idx + 1, call->classes->len);
    call->class_idx++;
    g_source_set_callback (s, on_next_class, wsim_call_ref (call), (GDestroyNotify) wsim_call_unref);
    g_source_attach (s, call->server->context);
    g_source_unref (s);
  }
}

static void
call_violation (WsimProvHost *host, WsimProvHostViolation what, WsimHResult hr,
                const char *message, WsimObject *obj, gpointer owner)
{
  WsimCall *call = owner;

  wsim_trace_add (call->server->trace, WSIM_TRACE_VIOLATION, call->call_id, hr, 0, "%s", message);
  /* Such a provider can never post its result: invent it rather than leave the sink waiting. */
  if (what == WSIM_PROV_HOST_NO_RESULT)
    call_set_result (call, WBEM_E_PROVIDER_FAILURE, "the provider posted no result");
}

static void
call_returned (WsimProvHost *host, WsimProvHostRun run, gpointer owner)
{
  call_maybe_finish (owner);
}

static void
call_take_progress (WsimProvHost *host, guint16 done, guint16 total, gpointer owner)
{
  call_queue_progress (owner, done, total);
}

static const WsimProvHostOps call_host_ops = {
  .lookup_class = call_lookup_class,
  .get_param = call_get_param,
  .instance = call_take_instance,
  .result = call_take_result,
  .violation = call_violation,
  .returned = call_returned,
  .progress = call_take_progress,
};

/* ---- starting, cancelling, aborting --------------------------------------------- */

WsimProvKey *
wsim_server_path_keys (WsimObjectPath *path)
{
  guint n = wsim_object_path_get_n_keys (path);
  WsimProvKey *keys = g_new0 (WsimProvKey, MAX (n, 1));

  for (guint k = 0; k < n; k++)
    {
      keys[k].name = wsim_object_path_get_key_name (path, k);
      keys[k].value = wsim_object_path_get_key_text (path, k);
    }
  return keys;
}

static void
call_start_class (WsimCall *call)
{
  WsimClass *cls = call->classes->pdata[call->class_idx];
  const WsimProvider *p;

  call_finish_provider (call);
  call->reg = wsim_repository_get_provider (call->server->repo, call->ns, cls);
  p = call_provider (call);
  if (p == NULL)
    {
      call_set_result (call, WBEM_E_PROVIDER_NOT_FOUND, "no provider serves the class");
      call_maybe_finish (call);
      return;
    }
  if (call->method != NULL)
    {
      /* The server checked that the provider declares the method and has exec_method(). */
      guint n = wsim_object_path_get_n_keys (call->method_path);
      g_autofree WsimProvKey *keys = wsim_server_path_keys (call->method_path);

      wsim_prov_host_exec_method (call->host, p, wsim_provider_reg_get_state (call->reg),
                                  wsim_class_get_name (cls), call->method, n > 0 ? keys : NULL,
                                  n, call->in_params);
    }
  else if (call->put_inst != NULL)
    /* The server checked that the provider has put_instance(). */
    wsim_prov_host_put_instance (call->host, p, wsim_provider_reg_get_state (call->reg),
                                 wsim_class_get_name (cls), call->put_inst,
                                 (guint32) call->flags & (WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY));
  else if (call->delete_path != NULL)
    {
      guint n = wsim_object_path_get_n_keys (call->delete_path);
      g_autofree WsimProvKey *keys = wsim_server_path_keys (call->delete_path);

      wsim_prov_host_delete_instance (call->host, p, wsim_provider_reg_get_state (call->reg),
                                      wsim_class_get_name (cls), keys, n);
    }
  else if ((call->path != NULL
            || (call->assoc != NULL && wsim_assoc_walk_get_source (call->assoc) != NULL))
           && p->get != NULL)
    {
      /* GetObjectAsync, or an association query looking for its source. */
      WsimObjectPath *path = call->path != NULL ? call->path
                                                : (WsimObjectPath *) wsim_assoc_walk_get_source (call->assoc);
      guint n = wsim_object_path_get_n_keys (path);
      g_autofree WsimProvKey *keys = wsim_server_path_keys (path);

      wsim_prov_host_get (call->host, p, wsim_provider_reg_get_state (call->reg),
                          wsim_class_get_name (cls), keys, n);
    }
  else
    wsim_prov_host_enumerate (call->host, p, wsim_provider_reg_get_state (call->reg),
                              wsim_class_get_name (cls));
}

/* ---- schema calls: results prepared at acceptance -------------------------------- */

static void
on_classes_reply (WsimRpcClient *client, WsimRpcReply *reply, const GError *error, gpointer data)
{
  WsimCall *call = data;

  if (!callback_failed (call, reply, error, "Indicate (classes)"))
    call_maybe_finish (call);
  wsim_call_unref (call);
}

/* The class objects in INDICATE_CLASSES batches of at most 64, then the instances as rows
 * (the usual batching), then the final: no provider runs. */
static void
call_deliver_prepared (WsimCall *call)
{
  guint n = call->decls != NULL ? call->decls->len : 0;

  for (guint first = 0; first < n; first += 64)
    {
      guint count = MIN (64u, n - first);
      g_autofree wsim_class_decl *wire = g_new (wsim_class_decl, count);
      wsim_indicate_classes_args args = { 0 };
      g_autofree char *unreachable = NULL;

      for (guint i = 0; i < count; i++)
        wire[i] = *wsim_class_decl_get_wire (call->decls->pdata[first + i]);
      args.sink_id = call->sink_id;
      args.call_id = call->call_id;
      args.batch_seq = call->batch_seq++;
      args.classes.classes_len = count;
      args.classes.classes_val = wire;
      call->n_instances += count;
      if (!call_callback (call, WSIM_SINK_INDICATE_CLASSES,
                          (xdrproc_t) xdr_wsim_indicate_classes_args, &args, on_classes_reply,
                          &unreachable))
        {
          call_teardown (call, unreachable);
          return;
        }
      wsim_trace_add (call->server->trace, WSIM_TRACE_INDICATE, call->call_id, WBEM_S_NO_ERROR,
                      count, "batch %u, %u class objects", args.batch_seq, count);
    }
  for (guint i = 0; call->objects != NULL && i < call->objects->len && !call_is_final (call); i++)
    call_take_instance (call->host, wsim_object_ref (call->objects->pdata[i]), call);
  /* A class change (made at acceptance, watched since: wsim_call_new) succeeds once the
   * store has it, as a write does. */
  call_set_result (call, WBEM_S_NO_ERROR, "complete");
  call_maybe_finish (call);
}

static void
on_ladder_done (WsimRpcClient *client, guint32 level, WsimHResult hr, const char *why, gpointer data)
{
  WsimCall *call = data;

  if (client == NULL)
    {
      guint32 state = hr == WBEM_E_ACCESS_DENIED ? WSIM_CALL_REFUSED : WSIM_CALL_ENDED;

      /* Nothing can reach the sink: the call ends here, and its client learns it by asking
       * (QUERY_CALLS). No provider has run. */
      call_set_state (call, WSIM_CALL_STATE_ENDING);
      wsim_trace_add (call->server->trace, WSIM_TRACE_TEARDOWN, call->call_id, hr,
                      0, "%s: no callback can reach the sink; the call ends without one", why);
      wsim_server_remember_ended (call->server, call, state, hr, why);
      call_end (call);
      return;
    }
  call->cb_client = wsim_rpc_client_ref (client);
  call->cb_level = level;
  if (call->state == WSIM_CALL_STATE_FINAL_QUEUED)
    call_deliver_final (call, call->hr, call->reason);
  else if (call->state == WSIM_CALL_STATE_STARTING)
    {
      call_set_state (call, WSIM_CALL_STATE_DELIVERING);
      if (call->decls != NULL || call->objects != NULL)
        call_deliver_prepared (call);
      else
        call_start_class (call);
    }
}

static gboolean
on_start (gpointer data)
{
  WsimCall *call = data;
  WsimLadderSpec spec = {
    .endpoint = call->endpoint, .sink_id = call->sink_id, .call_id = call->call_id,
    .ns = call->ns, .mech = call->mech, .principal = call->caller, .acceptor = call->acceptor,
    .local = call->local,
  };

  wsim_server_run_ladder (call->server, &spec, on_ladder_done, wsim_call_ref (call),
                          (GDestroyNotify) wsim_call_unref);
  return G_SOURCE_REMOVE;
}

void
wsim_call_start (WsimServer *server, const WsimCallSpec *spec)
{
  WsimCall *call = g_new0 (WsimCall, 1);
  GSource *s;

  g_ref_count_init (&call->ref_count);
  call->server = server;
  call->call_id = spec->call_id;
  call->endpoint = g_strdup (spec->endpoint);
  call->sink_id = spec->sink_id;
  call->sink_key = g_strdup_printf ("%s#%" G_GUINT64_FORMAT, spec->endpoint, spec->sink_id);
  call->client_key = g_strdup (spec->client_key);
  call->ns = g_strdup (spec->ns);
  call->operation = g_strndup (spec->what, strcspn (spec->what, " "));
  call->flags = spec->flags;
  call->query = spec->query;
  call->path = spec->path;
  call->assoc = spec->assoc;
  call->method = g_strdup (spec->method);
  call->method_path = spec->method_path;
  call->in_params = spec->in_params;
  call->out_class = spec->out_class != NULL ? wsim_class_ref (spec->out_class) : NULL;
  call->put_inst = spec->put_inst;
  call->delete_path = spec->delete_path;
  call->decls = spec->decls;
  call->objects = spec->objects;
  call->durable = spec->durable;
  /* A class change was made when its request came, just before this call. */
  if (call->durable)
    call_watch_store (call);
  call->classes = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_unref);
  for (guint i = 0; i < spec->classes->len; i++)
    g_ptr_array_add (call->classes, wsim_class_ref (spec->classes->pdata[i]));
  call->rows = g_array_new (FALSE, FALSE, sizeof (wsim_instance));
  call->new_classes = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_unref);
  call->class_index = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                             (GDestroyNotify) wsim_class_unref, NULL);
  call->host = wsim_prov_host_new (&call_host_ops, call, server->context);
  call->caller = g_strdup (spec->caller->principal);
  call->mech = spec->caller->mech;
  call->acceptor = g_strdup (spec->acceptor);
  call->local = spec->local;
  wsim_prov_host_set_call_context (call->host, spec->context);
  wsim_prov_host_set_caller (call->host, &(WsimProvCaller) {
    .principal = spec->caller->principal, .mech = spec->caller->mech,
    .level = spec->caller->level, .has_uid = spec->caller_uid >= 0,
    .uid = spec->caller_uid >= 0 ? (uint32_t) spec->caller_uid : 0 });

  wsim_server_add_call (server, call, &call->seq);
  wsim_trace_add_auth (server->trace, WSIM_TRACE_START, call->call_id, WBEM_S_NO_ERROR, 0,
                       spec->caller, "%s (sink %s)", spec->what, call->sink_key);

  /* The *Async call returns before the ladder and the provider run. */
  s = g_idle_source_new ();
  g_source_set_callback (s, on_start, wsim_call_ref (call), (GDestroyNotify) wsim_call_unref);
  g_source_attach (s, server->context);
  g_source_unref (s);
  wsim_call_unref (call);   /* the server's tables hold it now */
}

void
wsim_call_cancel (WsimCall *call)
{
  if (call_is_final (call))
    return;
  wsim_trace_add (call->server->trace, WSIM_TRACE_CANCEL, call->call_id, WBEM_E_CALL_CANCELLED,
                  call->n_instances, NULL);
  rows_clear (call);
  wsim_prov_host_cancel (call->host);
  /* A cancel comes with a request, never from inside a provider operation: the final goes
   * now (or, before the ladder has a level, as soon as it has one). */
  call_send_final (call, WBEM_E_CALL_CANCELLED, "cancelled by CancelAsyncCall");
}

void
wsim_call_abort (WsimCall *call, WsimHResult hr, const char *reason)
{
  if (call_is_final (call))
    return;
  wsim_prov_host_cancel (call->host);
  call_send_final (call, hr, reason);
}
