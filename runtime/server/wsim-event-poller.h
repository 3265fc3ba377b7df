/* wsim-event-poller.h: intrinsic events for classes without an event provider, by polling.
 *
 * Internal. WMI serves `SELECT * FROM __InstanceCreationEvent WITHIN n WHERE TargetInstance
 * ISA 'C'` for a class C that no event provider watches by enumerating C every n seconds and
 * comparing what it finds with the round before, by key: an instance that appears is a
 * creation, one that goes a deletion, one whose values differ a modification (with the
 * values before). One poller does that for one (namespace, class, interval, caller), and
 * every subscription with the same four shares it: a thousand subscriptions to process
 * starts within 2 s cost one enumeration every 2 s, not a thousand.
 *
 * A round enumerates the class and its subclasses (ISA matches those too) through the
 * provider host, as a call would, as the subscriber (the provider sees its caller). The
 * first round only learns what is there: events start with the second. A round that
 * fails (a provider's error) changes nothing and is reported to the watchers; a round
 * still running when the next is due makes the next one wait for it, never overlap.
 *
 * Threading: the server's thread (the main context given to wsim_event_pollers_new()).
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-hresult.h"
#include "wsim-provider.h"

G_BEGIN_DECLS

struct _WsimRepository;

/** WsimInstanceChange: what a round found about one instance, against the round before. */
typedef enum {
  WSIM_INSTANCE_CREATED,    /* __InstanceCreationEvent */
  WSIM_INSTANCE_DELETED,    /* __InstanceDeletionEvent */
  WSIM_INSTANCE_MODIFIED,   /* __InstanceModificationEvent, with the PreviousInstance */
} WsimInstanceChange;

typedef struct _WsimEventPollers WsimEventPollers;
typedef struct _WsimEventWatch WsimEventWatch;

/**
 * WsimEventWatchOps: what a subscription plugs into its poller; @data is the watch's.
 * @change: one instance changed. @target is the instance now (the one deleted, for a
 *   deletion); @previous (nullable) the one before, for a modification only. Both are
 *   (transfer none): ref what you keep. Creations and modifications come in the order the
 *   round found them, then deletions in the order the round before found them.
 * @round_failed: a round ended with @hr (a provider's failure) and @why; nothing changed.
 * Either may cancel any watch, its own included (wsim_event_watch_cancel()).
 */
typedef struct {
  void (*change)       (WsimInstanceChange what, WsimObject *target, WsimObject *previous,
                        gpointer data);
  void (*round_failed) (WsimHResult hr, const char *why, gpointer data);
} WsimEventWatchOps;

/**
 * wsim_event_pollers_new:
 * @repo: (transfer none) the classes and their providers; it outlives the set
 * @context: (nullable) where the rounds run; NULL for the thread-default context
 * Returns: (transfer full) an empty set of pollers.
 */
WsimEventPollers *wsim_event_pollers_new (struct _WsimRepository *repo, GMainContext *context);

/**
 * wsim_event_pollers_free:
 * Stops every poller and frees the set; not from within a watch's op. Watches still open
 * are dropped without a word (the server ends its subscriptions first): their ops are
 * never called again, and each handle is still ended with wsim_event_watch_cancel(), which
 * then only frees it.
 */
void wsim_event_pollers_free (WsimEventPollers *set);

/**
 * wsim_event_pollers_watch:
 * @cls: (transfer none) the class to poll (its subclasses too); a class of @ns
 * @interval_ms: the WITHIN interval, > 0
 * @caller: as whom the provider is asked (copied); pollers are shared only by the same caller
 * @ops: (not nullable) a static table
 * Starts a poller for (@ns, @cls, @interval_ms, @caller), or joins the one running.
 * A new poller's first round starts at once and is its baseline; a watch that joins a
 * running poller is told the changes from the round in progress on, each against the
 * poller's last picture (taken before the watch joined).
 * Returns: (transfer full) the watch: end it with wsim_event_watch_cancel().
 */
WsimEventWatch *wsim_event_pollers_watch (WsimEventPollers *set, const char *ns, WsimClass *cls,
                                          guint interval_ms, const WsimProvCaller *caller,
                                          const WsimEventWatchOps *ops, gpointer data);

/**
 * wsim_event_watch_cancel:
 * Ends @watch (NULL-safe): no op of it is called from now on, and the poller stops when it
 * was the last (its round in progress, if any, is cancelled). Frees @watch.
 */
void wsim_event_watch_cancel (WsimEventWatch *watch);

/** For tests and monitoring: the pollers running (each shared by all its watches). */
guint wsim_event_pollers_get_n_pollers (WsimEventPollers *set);

/** For tests and monitoring: the rounds @set's pollers have finished, in all. */
guint64 wsim_event_pollers_get_n_rounds (WsimEventPollers *set);

G_END_DECLS
