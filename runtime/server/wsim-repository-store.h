/* wsim-repository-store.h: the repository's instances on disk (wmisimd --repository DIR).
 *
 * Internal. The store keeps the instances of the static classes (the ones the built-in
 * static provider serves, wsim-static-provider.h) and the classes PutClassAsync made or
 * changed (not the --mof ones: they come from their files at each start) in one file, DIR/repository.dat, replaced
 * whole on each save: the new content goes to DIR/repository.dat.tmp, is fsync'ed, renamed
 * over the old file, and the directory is fsync'ed, so a crash at any point leaves either
 * the old file or the new one, never a mix. docs/writes.md describes the format and why.
 *
 * Changes are counted (generations), and each one not yet durable is kept with what takes
 * it back. A caller that must not report success before its change is durable asks, right
 * after making it, to be told when the generation it saw is on disk
 * (wsim_repository_store_when_durable()). Writes run on a worker thread one at a time, and a
 * write takes every change made before it started: the changes that arrive while one is in
 * flight share the next write (group commit). When a write fails, every change not yet
 * durable is taken back, newest first (the repository serves again what the store holds),
 * and every waiter is told: a failed write never leaves behind a change whose caller was
 * told it failed.
 *
 * Threading: every function on the thread that uses the repository; the worker thread
 * touches only the bytes it was given.
 */
#pragma once

#include <glib.h>

#include "wsim-repository.h"

G_BEGIN_DECLS

typedef struct _WsimRepoStore WsimRepoStore;

/**
 * WsimStoreDone:
 * @ok: the change is durable; FALSE: the write failed (@why says how) or the store went
 * Called once, on the main context given to wsim_repository_store_when_durable().
 */
typedef void (*WsimStoreDone) (gboolean ok, const char *why, gpointer data);

/**
 * wsim_repository_store_instance_changed:
 * @ns: the namespace of the instance (canonical)
 * @old_obj: (nullable) (transfer none) the instance before (NULL: a create)
 * @new_obj: (nullable) (transfer none) the instance after, as the static state holds it
 *   (NULL: a delete)
 * Counts a change to a static state's instances, made just now, and keeps how to take it
 * back (no-op without a store).
 */
void wsim_repository_store_instance_changed (WsimRepository *repo, const char *ns,
                                             WsimObject *old_obj, WsimObject *new_obj);

/**
 * wsim_repository_store_class_changed:
 * @ns: the namespace (canonical)
 * @old_decl: (nullable) the class object before (NULL: the class is new)
 * @decl: (nullable) the class object PutClassAsync made; NULL: the class was deleted
 * Counts a class change and keeps the class (or forgets it) in the store's class section
 * (no-op without a store). wsim-repository.c calls it for every PutClass and DeleteClass.
 */
void wsim_repository_store_class_changed (WsimRepository *repo, const char *ns,
                                          const char *name, WsimClassDecl *old_decl,
                                          WsimClassDecl *decl);

/**
 * wsim_repository_store_when_durable:
 * @context: (nullable) where @done runs (NULL: the thread default)
 * Calls @done once every change counted so far is on disk: at once (from an idle on
 * @context) without a store or with nothing pending, else after the write that takes them.
 * @done's @ok is FALSE when a write failed before: the change was then taken back. Ask
 * right after the change, before returning to the main loop: a write that fails meanwhile
 * takes the change back without telling this caller.
 * @destroy frees @data after @done, or unused if the repository goes first.
 */
void wsim_repository_store_when_durable (WsimRepository *repo, GMainContext *context,
                                         WsimStoreDone done, gpointer data,
                                         GDestroyNotify destroy);

/**
 * wsim_repository_open_store_from_data:
 * @dir: the directory the store saves to from now on (not read, not made)
 * @data: (nullable) (array length=len) the contents of a repository.dat; NULL: there was none
 * What wsim_repository_open_store() does once it has read DIR/repository.dat (also the
 * entry point of fuzzing/fuzz-store.c): decodes @data, puts its classes and instances into
 * @repo and gives @repo its store.
 * Returns: FALSE with a WSIM_WBEM_ERROR naming DIR/repository.dat when @data does not
 *   decode or @repo refuses what it holds; then @repo has no store.
 */
gboolean wsim_repository_open_store_from_data (WsimRepository *repo, const char *dir,
                                               const guint8 *data, gsize len, GError **error);

/* ---- wsim-repository.c, for the store ---- */

/** Returns: (transfer none) (nullable) @repo's store. */
WsimRepoStore *wsim_repository_get_store (WsimRepository *repo);
/** Sets @repo's store (transfer full; the repository frees it first when it goes). */
void wsim_repository_set_store (WsimRepository *repo, WsimRepoStore *store);
/** Returns: (transfer container) the states of @repo's static registrations, in load order. */
GPtrArray *wsim_repository_static_states (WsimRepository *repo);

/** Frees @store after waiting for a write in flight; pending waiters are dropped unused. */
void wsim_repo_store_free (WsimRepoStore *store);

G_END_DECLS
