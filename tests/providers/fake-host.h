/* fake-host.h: a minimal provider host for the provider unit tests. It owns loading a
 * provider module (GModule, by its wsim_provider_entry symbol), one WsimProvContextOps
 * implementation that records everything a provider does during a call, and a bounded
 * main-loop driver for the provider's call_later() timers and resume() calls.
 *
 * It is deliberately stricter than it needs to be to serve: setters check the CIM type
 * and range, datetimes must be well-formed DMTF, a provider with resume() that posts
 * after a BUSY answer is counted, and instances still alive at the end are counted; the
 * tests assert all those counters are zero. Unlike the runtime it records posts made
 * after the result (the raw sequence is the point of the Sim_Faulty tests).
 *
 * Ownership: post_instance() always takes the instance (OK, BUSY and DROPPED alike).
 */
#pragma once

#include <glib.h>
#include <gmodule.h>

#include "wsim-provider.h"

G_BEGIN_DECLS

/** A loaded provider: its module, table and loaded state. */
typedef struct {
  GModule            *module;   /* (owned) */
  const WsimProvider *provider; /* (unowned) the module's static table */
  void               *state;    /* what load() set, given back to unload() */
  GHashTable         *params;   /* (owned) param name -> value, from the params string */
  gboolean            loaded;   /* load() succeeded (or there is none) */
} FhModule;

typedef enum {
  FH_EVENT_INSTANCE,
  FH_EVENT_RESULT,
} FhEventKind;

/** One post, in the order the provider made them. */
typedef struct {
  FhEventKind kind;
  char       *class_name;     /* (owned) instances: the class asked for */
  GHashTable *values;         /* (owned) instances: property name (schema spelling) ->
                               * (owned, nullable) value text; a NULL value is a NULL */
  guint32     hresult;        /* results */
  char       *message;        /* (owned, nullable) results */
} FhEvent;

typedef struct _FhCall FhCall;

/** One call. Fields are for the tests to read; the host writes them. */
struct _FhCall {
  WsimProvContext ctx;        /* first: the provider's view; &call->ctx casts back */
  FhModule       *mod;        /* (unowned) */
  GMainContext   *context;    /* (owned) the call's timers and resumes run here */
  GPtrArray      *events;     /* (owned) FhEvent*, every post in order */
  guint           busy_every; /* answer BUSY to every Nth post (0: never) */
  guint           n_posts;    /* post_instance() calls */
  guint           n_instances;
  guint           n_results;
  guint           n_busy;     /* BUSY answers given */
  guint           n_resumes;  /* resume() calls made */
  guint           n_busy_violations;  /* posts while a resume() was due */
  guint           n_set_errors;       /* setters that returned -1, unknown classes */
  gint            n_live_instances;   /* created, neither posted nor freed */
  gboolean        resume_due; /* BUSY answered, resume() not yet made */
  gboolean        cancelled;
  gboolean        finished;
  GSList         *timers;     /* (owned) pending call_later() records */
  GSource        *resume_source; /* (unowned) the idle that will call resume(), or NULL */
};

FhModule *fh_module_open (const char *path, const char *params, char **error_message);
void      fh_module_close (FhModule *mod);

/* The class of @prov named @name (case-insensitive), or NULL. */
const WsimProvClass *fh_find_class (const WsimProvider *prov, const char *name);
/* The property of @cls named @name, or NULL; *@index (nullable) gets its position. */
const WsimProvProperty *fh_find_property (const WsimProvClass *cls, const char *name,
                                          guint *index);

FhCall  *fh_call_new (FhModule *mod);
void     fh_call_enumerate (FhCall *call, const char *class_name);
void     fh_call_get (FhCall *call, const char *class_name, const WsimProvKey *keys,
                      gsize n_keys);
/* Cancels: is_cancelled() says 1 from now on and cancel() is called once (if set). Timers
 * keep running until fh_call_finish(), so a provider is seen to stop by itself. */
void     fh_call_cancel (FhCall *call);
/* Ends the call: drops pending timers, calls finish() once. */
void     fh_call_finish (FhCall *call);
/* Finishes the call if needed and frees it. */
void     fh_call_free (FhCall *call);

typedef gboolean (*FhCondition) (FhCall *call, gpointer data);
/* Runs the call's main context until @cond holds or @timeout_ms pass. Returns @cond. */
gboolean fh_call_run_until (FhCall *call, FhCondition cond, gpointer data, guint timeout_ms);
/* Until a result has been posted and no resume() is due. */
gboolean fh_call_run_until_result (FhCall *call, guint timeout_ms);
/* Until nothing is pending: no timer, no resume() due. */
gboolean fh_call_run_until_idle (FhCall *call, guint timeout_ms);
/* Until at least @n instances have been posted. */
gboolean fh_call_run_until_instances (FhCall *call, guint n, guint timeout_ms);

/* "instance,instance,result": the kinds of the events, in order. (transfer full) */
char    *fh_call_sequence (FhCall *call);
guint    fh_call_pending_timers (FhCall *call);
/* The value text of @prop (schema spelling) in instance event @ev; NULL when NULL. */
const char *fh_event_value (const FhEvent *ev, const char *prop);
/* The first instance event whose @prop equals @value, or NULL. */
const FhEvent *fh_call_find_instance (FhCall *call, const char *prop, const char *value);
/* The first result event, or NULL. */
const FhEvent *fh_call_result (FhCall *call);

G_END_DECLS
