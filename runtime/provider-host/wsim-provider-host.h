/* wsim-provider-host.h: the provider host: one call as a provider sees it.
 *
 * The host implements the provider ABI (providers/wsim-provider.h) for one call: it hands
 * the provider a WsimProvContext whose functions build instances (cim/ objects, the
 * setters range-checked against the class), take posts, run call_later() timers and the
 * resume() owed after a BUSY answer on a main context, and enforce the contract whatever
 * the provider does: instances after the result and a second result are violations and
 * dropped; a provider that returns with no result, no timer pending and no resume() owed
 * can never post one, which is a violation too; after cancellation (or once the call is
 * final) posts are dropped and is_cancelled() says 1; finish() is called once per
 * provider.
 *
 * What the posts become is its owner's business, plugged in as a WsimProvHostOps table:
 * the server's call (runtime/server/wsim-call.c) turns instances into Indicate rows and
 * decides BUSY from its window; the provider tests (tests/providers) record them. The
 * host uses cim/ and the provider ABI only.
 *
 * Threading: everything on the thread that iterates the host's main context, which is
 * where the provider's operations run.
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-context.h"
#include "wsim-hresult.h"
#include "wsim-provider.h"

G_BEGIN_DECLS

typedef struct _WsimProvHost WsimProvHost;

/**
 * WsimProvHostViolation: a way the provider broke the contract (wsim-provider.h).
 * @WSIM_PROV_HOST_LATE_INSTANCE: an instance posted after the result; dropped
 * @WSIM_PROV_HOST_SECOND_RESULT: a second result; ignored
 * @WSIM_PROV_HOST_NO_RESULT: the provider returned with no result, no timer pending and no
 *   resume() owed: it can never post one. The host takes it as the provider's result from
 *   now on (later posts are late), and the owner decides the call's status.
 */
typedef enum {
  WSIM_PROV_HOST_LATE_INSTANCE,
  WSIM_PROV_HOST_SECOND_RESULT,
  WSIM_PROV_HOST_NO_RESULT,
} WsimProvHostViolation;

/** WsimProvHostRun: which provider operation has just returned. */
typedef enum {
  WSIM_PROV_HOST_RAN_START,    /* enumerate(), get(), exec_method() or a write */
  WSIM_PROV_HOST_RAN_RESUME,   /* resume(), after a BUSY answer */
  WSIM_PROV_HOST_RAN_TIMER,    /* a call_later() function */
} WsimProvHostRun;

/**
 * WsimProvHostOps: what the owner of a host plugs in. Every function gets the host and the
 * @owner given to wsim_prov_host_new(); all are required.
 * @lookup_class: (transfer none) (nullable) the class new_instance() builds for @class_name
 * @get_param: (transfer none) (nullable) the value of the provider's parameter @name
 * @instance: an instance posted while the call takes them (before the result, not
 *   cancelled or stopped). Takes @obj (transfer full). Returns WSIM_PROV_OK, WSIM_PROV_BUSY
 *   (the host then owes a provider with resume() a resume(): wsim_prov_host_resume_later())
 *   or WSIM_PROV_DROPPED (the call ended meanwhile).
 * @result: the provider's one result (@message nullable)
 * @violation: the provider broke the contract: @hr and @message (nullable) say how (for a
 *   trace); @obj (transfer none) (nullable) is the late instance
 * @returned: the provider operation @run has returned (and its violations were reported):
 *   the place to move the call on. Not called for an operation the host skipped.
 * @progress: the provider reported progress while the call takes posts (before the result,
 *   not cancelled or stopped), already fitted to 16 bits each (wsim_prov_host_progress_words());
 *   whether it reaches the sink, and how often, is the owner's business.
 */
typedef struct {
  WsimClass     *(*lookup_class) (WsimProvHost *host, const char *class_name, gpointer owner);
  const char    *(*get_param)    (WsimProvHost *host, const char *name, gpointer owner);
  WsimProvStatus (*instance)     (WsimProvHost *host, WsimObject *obj, gpointer owner);
  void           (*result)       (WsimProvHost *host, WsimHResult hr, const char *message,
                                  gpointer owner);
  void           (*violation)    (WsimProvHost *host, WsimProvHostViolation what, WsimHResult hr,
                                  const char *message, WsimObject *obj, gpointer owner);
  void           (*returned)     (WsimProvHost *host, WsimProvHostRun run, gpointer owner);
  void           (*progress)     (WsimProvHost *host, guint16 done, guint16 total, gpointer owner);
} WsimProvHostOps;

/**
 * wsim_prov_host_new:
 * @ops: (not nullable) a static table
 * @owner: (nullable) handed to every @ops function; it must outlive the host
 * @context: (nullable) where timers and resume() run; NULL for the thread-default context
 * Returns: (transfer full) a host with no provider yet.
 */
WsimProvHost *wsim_prov_host_new (const WsimProvHostOps *ops, gpointer owner,
                                  GMainContext *context);

/**
 * wsim_prov_host_free:
 * Drops @host's timers and frees it, without calling into the provider (whose module may
 * be gone by then): wsim_prov_host_finish() first if a provider is still attached.
 */
void wsim_prov_host_free (WsimProvHost *host);

/**
 * wsim_prov_host_enumerate:
 * @provider: (not nullable) the provider's table; it and @state outlive the provider's part
 * @state: what the provider's load() set
 * Finishes the provider before, if any, and starts @provider's enumerate() of exactly
 * @class_name. Its posts, and those of its timers and resume(), go to the owner's ops.
 */
void wsim_prov_host_enumerate (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                               const char *class_name);

/**
 * wsim_prov_host_get:
 * As wsim_prov_host_enumerate(), with @provider's get() (which must be set) for the one
 * instance whose keys are @keys.
 */
void wsim_prov_host_get (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                         const char *class_name, const WsimProvKey *keys, gsize n_keys);

/**
 * wsim_prov_host_exec_method:
 * @keys: (nullable) the instance's keys; NULL (and 0) for a static method on a class path
 * @in_params: (transfer none) (not nullable) the [in] parameters, of their declared types;
 *   the caller keeps it alive until wsim_prov_host_finish()
 * As wsim_prov_host_enumerate(), with @provider's exec_method() (which must be set) for
 * method @method_name of @class_name.
 */
void wsim_prov_host_exec_method (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                                 const char *class_name, const char *method_name,
                                 const WsimProvKey *keys, gsize n_keys, WsimObject *in_params);

/**
 * wsim_prov_host_put_instance:
 * @inst: (transfer none) the instance to write, of its class's declared types; the caller
 *   keeps it alive until wsim_prov_host_finish()
 * @flags: WBEM_FLAG_CREATE_OR_UPDATE, WBEM_FLAG_UPDATE_ONLY or WBEM_FLAG_CREATE_ONLY
 * As wsim_prov_host_enumerate(), with @provider's put_instance() (which must be set).
 */
void wsim_prov_host_put_instance (WsimProvHost *host, const WsimProvider *provider, gpointer state,
                                  const char *class_name, WsimObject *inst, guint32 flags);

/**
 * wsim_prov_host_delete_instance:
 * As wsim_prov_host_enumerate(), with @provider's delete_instance() (which must be set) for
 * the instance whose keys are @keys.
 */
void wsim_prov_host_delete_instance (WsimProvHost *host, const WsimProvider *provider,
                                     gpointer state, const char *class_name,
                                     const WsimProvKey *keys, gsize n_keys);

/**
 * wsim_prov_host_set_call_context:
 * @context: (nullable) (transfer none) the call's context (a reference is taken); NULL for
 *   none
 * What the provider's get_context_*() read, from now on.
 */
void wsim_prov_host_set_call_context (WsimProvHost *host, WsimContext *context);

/**
 * wsim_prov_host_set_caller:
 * @caller: who made the call; its principal is copied, its mech must be a static string
 * What the provider's get_caller() answers, from now on (a new host: level 0, no principal,
 * no uid).
 */
void wsim_prov_host_set_caller (WsimProvHost *host, const WsimProvCaller *caller);

/**
 * wsim_prov_host_cancel:
 * The call is cancelled (or torn down): from now on posts are dropped, is_cancelled() says
 * 1 and no timer or resume() runs; the provider's cancel() is called once, now, unless one
 * of its operations is running (it then learns it from DROPPED and is_cancelled()).
 */
void wsim_prov_host_cancel (WsimProvHost *host);

/**
 * wsim_prov_host_stop:
 * The call is final (its final status is decided): as wsim_prov_host_cancel(), without
 * calling cancel(); finish() tells the provider when the call is over.
 */
void wsim_prov_host_stop (WsimProvHost *host);

/**
 * wsim_prov_host_finish:
 * The provider is done with this call: its timers are dropped, its finish() is called and
 * the host has no provider any more. Nothing if it has none.
 */
void wsim_prov_host_finish (WsimProvHost *host);

/**
 * wsim_prov_host_resume_later:
 * There is room again: a provider owed a resume() (a BUSY was answered and it has one) is
 * resumed from the main loop, once, unless the call is cancelled or stopped first.
 */
void wsim_prov_host_resume_later (WsimProvHost *host);

/** Returns: TRUE while one of the provider's operations runs (the host is on its stack). */
gboolean wsim_prov_host_is_running (WsimProvHost *host);

/** Returns: TRUE while a resume() is owed (BUSY was answered, the provider has resume()). */
gboolean wsim_prov_host_is_paused (WsimProvHost *host);

/** Returns: how many call_later() timers are pending. */
guint wsim_prov_host_get_n_timers (WsimProvHost *host);

/**
 * wsim_prov_host_get_context:
 * Returns: (transfer none) the provider's view of the call, to hand to provider code that
 *   is not started by the host (a test may wrap its ops to check the provider's calls).
 */
WsimProvContext *wsim_prov_host_get_context (WsimProvHost *host);

/**
 * wsim_prov_host_instance_object:
 * @inst: an instance the context's new_instance() made
 * For providers built into the runtime (the static provider) that set values the ABI has
 * no setter for (arrays, references, char16): the object behind @inst.
 * Returns: (transfer none) the object; owned by @inst.
 */
WsimObject *wsim_prov_host_instance_object (WsimProvInstance *inst);

/**
 * wsim_prov_host_progress_words:
 * @done: steps done, as the provider reported them
 * @total: steps in all; 0 for unknown
 * @out_done: (out) LOWORD of the PROGRESS status
 * @out_total: (out) HIWORD of the PROGRESS status
 * Fits a report into the 16 bits each half of MAKELONG(done, total) has: a @total above
 * 0xFFFF scales both to a total of 0xFFFF (done * 0xFFFF / total, rounded down, so the
 * proportion stays and 100% is reached only when done), @done is clamped to @total, or to
 * 0xFFFF when @total is 0.
 */
void wsim_prov_host_progress_words (guint32 done, guint32 total, guint16 *out_done,
                                    guint16 *out_total);

G_END_DECLS
