/* wsim-static-provider.h: the built-in provider that serves classes no provider computes.
 *
 * Internal. Classes loaded from MOF have their instances in the file; the repository
 * registers them with this table, whose state is the list of those instances, and the
 * server reaches them through the normal provider ABI (enumerate, then the runtime's own
 * filtering for GetObject and WQL), so nothing else in the server knows about them.
 * PutInstanceAsync and DeleteInstanceAsync change the list (put_instance, delete_instance);
 * each change tells the repository's store (wsim-repository-store.h), which makes it
 * durable before the call's success reaches the sink.
 *
 * Threading: the server's main-loop thread only (as every provider).
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-provider.h"

G_BEGIN_DECLS

/** wsim_static_provider: the table; its state comes from wsim_static_provider_state_new(). */
extern const WsimProvider wsim_static_provider;

struct _WsimRepository;

/**
 * wsim_static_provider_state_new:
 * @repo: (transfer none) the repository the state belongs to (told of every change)
 * @ns: the namespace of the classes it serves
 * @instances: (element-type WsimObject) the instances to serve; each is served when its own
 *   class is enumerated (a subclass's instances come with the subclass's call)
 * Returns: (transfer full) the state to register the table with; the table's unload() frees it.
 */
gpointer wsim_static_provider_state_new (struct _WsimRepository *repo, const char *ns,
                                         GPtrArray *instances);

/** Returns: (transfer none) the namespace of @state's classes. */
const char *wsim_static_state_get_ns (gpointer state);

/** Returns: (transfer none) (element-type WsimObject) @state's instances, in order. */
GPtrArray *wsim_static_state_get_instances (gpointer state);

/**
 * wsim_static_state_put:
 * @obj: (transfer none) the instance (every key set); the state keeps a copy
 * @flags: WBEM_FLAG_CREATE_OR_UPDATE, WBEM_FLAG_UPDATE_ONLY or WBEM_FLAG_CREATE_ONLY
 * @why: (out) (optional) (transfer full) on a failure, why
 * Creates or replaces the instance of @obj's class with @obj's keys, and tells the store.
 * Keys are unique under the class that defines them: an instance of another class of that
 * hierarchy (in any static state of the namespace) with @obj's keys refuses the put.
 * Returns: WBEM_S_NO_ERROR, WBEM_E_ALREADY_EXISTS (CREATE_ONLY, or the keys taken by another
 *   class's instance) or WBEM_E_NOT_FOUND (UPDATE_ONLY); nothing changes on a failure.
 */
guint32 wsim_static_state_put (gpointer state, WsimObject *obj, guint32 flags, char **why);

/**
 * wsim_static_state_find:
 * Returns: the index in @state's instances of the instance of exactly @class_name whose keys
 *   are @keys (text, as in a path), or -1.
 */
gint wsim_static_state_find (gpointer state, const char *class_name, const WsimProvKey *keys,
                             gsize n_keys);

/**
 * wsim_static_state_delete:
 * Deletes the instance of class @class_name whose keys are @keys (text, as in a path).
 * Returns: WBEM_S_NO_ERROR or WBEM_E_NOT_FOUND.
 */
guint32 wsim_static_state_delete (gpointer state, const char *class_name,
                                  const WsimProvKey *keys, gsize n_keys);

/**
 * wsim_static_provider_has_instances:
 * @state: a state from wsim_static_provider_state_new()
 * Returns: TRUE if @state holds an instance of exactly @class_name (DeleteClass refuses then).
 */
gboolean wsim_static_provider_has_instances (gpointer state, const char *class_name);

G_END_DECLS
