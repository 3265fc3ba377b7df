/* wsim-call-assoc.h: ASSOCIATORS OF and REFERENCES OF, walked over the call machinery.
 *
 * Owns what an association query is as a sequence of ordinary enumerations (wsim-call.c
 * runs each class through its provider, as for any query, so associations and endpoints
 * may come from any provider):
 *
 *   1. the source's class: is the source instance there? (its provider's get() when it
 *      has one, else an enumeration; WBEM_E_NOT_FOUND if not);
 *   2. every association class of the namespace (its class object has the Association
 *      qualifier), narrowed by AssocClass (ASSOCIATORS) or
 *      ResultClass (REFERENCES) and Role: the instances whose reference (the Role one, if
 *      given) names the source. REFERENCES OF delivers those and ends here; ASSOCIATORS OF
 *      notes the objects their other references name (ResultRole, ResultClass), once per
 *      association;
 *   3. ASSOCIATORS OF: each endpoint's class: the instances noted, each delivered as many
 *      times as associations name it ("ASSOCIATORS OF Statement").
 *
 * KeysOnly leaves only the key properties of what is delivered. Paths are compared by
 * class (either may be the other's superclass) and key values (strings case-insensitively,
 * as WMI compares keys); a reference's server and namespace are not compared.
 *
 * Threading: the server's thread, as the call that holds the walk.
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-class-decl.h"
#include "wsim-hresult.h"
#include "wsim-object-path.h"
#include "wsim-repository.h"
#include "wsim-wql.h"

G_BEGIN_DECLS

typedef struct _WsimAssocWalk WsimAssocWalk;

/**
 * WsimAssocWalkSpec: what the server checked before accepting the query.
 * @kind: WSIM_WQL_ASSOCIATORS or WSIM_WQL_REFERENCES
 * @source: the source instance's path (copied)
 * @source_cls: its class (borrowed from the repository, which outlives the call)
 * @assoc_class: (nullable) AssocClass (ASSOCIATORS) or ResultClass (REFERENCES): the
 *   association instances must be of it or derive from it
 * @result_class: (nullable) ASSOCIATORS' ResultClass: the endpoints' class
 * @role: (nullable) the reference property that must name the source
 * @result_role: (nullable) ASSOCIATORS' ResultRole: the reference property naming the endpoint
 * @keys_only: KeysOnly
 * @required_qualifier: (nullable) RequiredQualifier: the class object of each result
 *   (ASSOCIATORS: the endpoint's class; REFERENCES: the association's) must have it
 * @required_assoc_qualifier: (nullable) ASSOCIATORS' RequiredAssocQualifier: the
 *   association class's object must have it
 * @class_defs_only: ClassDefsOnly: the results' class objects are delivered, each class
 *   once, instead of the results (wsim_assoc_walk_steal_class_defs())
 */
typedef struct {
  WsimWqlKind           kind;
  const WsimObjectPath *source;
  WsimClass            *source_cls;
  WsimClass            *assoc_class;
  WsimClass            *result_class;
  const char           *role;
  const char           *result_role;
  gboolean              keys_only;
  const char           *required_qualifier;
  const char           *required_assoc_qualifier;
  gboolean              class_defs_only;
} WsimAssocWalkSpec;

/**
 * wsim_assoc_walk_new:
 * @repo: (transfer none) the server's repository (it outlives every call)
 * Returns: (transfer full) the walk, at step 1; the call's class list starts with
 *   @spec->source_cls alone.
 */
WsimAssocWalk *wsim_assoc_walk_new (WsimRepository *repo, const char *ns,
                                    const WsimAssocWalkSpec *spec);

/** wsim_assoc_walk_free: Frees @walk; NULL is allowed. */
void wsim_assoc_walk_free (WsimAssocWalk *walk);

/**
 * wsim_assoc_walk_take:
 * @obj: an instance a provider posted for the current step (the caller owns it alone, so
 *   KeysOnly may clear its other properties)
 * Returns: how many times the call delivers @obj: 0 drops it.
 */
guint wsim_assoc_walk_take (WsimAssocWalk *walk, WsimObject *obj);

/**
 * wsim_assoc_walk_next:
 * @classes: the call's class list; the next step's classes are appended (refs taken)
 * @why: (out) the final's reason when nothing was appended
 * Called when the last class of a step is done. Returns: WBEM_S_NO_ERROR, with classes
 *   appended for the next step or none if the walk is over; WBEM_E_NOT_FOUND after step 1
 *   if the source is not there.
 */
WsimHResult wsim_assoc_walk_next (WsimAssocWalk *walk, GPtrArray *classes, const char **why);

/**
 * wsim_assoc_walk_get_source:
 * Returns: (transfer none) (nullable) during step 1 the source's path, which the call may
 *   ask the source class's provider to get() rather than enumerate; NULL after it.
 */
const WsimObjectPath *wsim_assoc_walk_get_source (WsimAssocWalk *walk);

/**
 * wsim_assoc_walk_steal_class_defs:
 * Called when the walk is over (wsim_assoc_walk_next() appended nothing).
 * Returns: (transfer full) (nullable) under ClassDefsOnly the class objects of the results,
 *   in the order first met (WsimClassDecl*, refs held); NULL without ClassDefsOnly, or if
 *   already taken.
 */
GPtrArray *wsim_assoc_walk_steal_class_defs (WsimAssocWalk *walk);

/**
 * wsim_class_decl_is_association:
 * Returns: TRUE if @decl has the Association qualifier, TRUE ("the absence of this
 *   qualifier indicates that the class is not an association class", Meta Qualifiers).
 *   A provider's class gets it from its reference properties (wsim-repository-decl.c).
 */
gboolean wsim_class_decl_is_association (WsimClassDecl *decl);

/**
 * wsim_class_decl_has_qualifier:
 * Returns: TRUE if @decl's class carries the qualifier @name (case-insensitive; its own or
 *   one propagated from a superclass), whatever its value: what RequiredQualifier and
 *   RequiredAssocQualifier ask.
 */
gboolean wsim_class_decl_has_qualifier (WsimClassDecl *decl, const char *name);

/**
 * wsim_assoc_schema_results:
 * @spec: a schema query's: @source names the source class (wsim-assoc-schema.c reads
 *   @source_cls, not @source), KeysOnly and ClassDefsOnly do not apply
 * A schema association query, answered from the class objects of @ns (no provider runs):
 * REFERENCES OF gives the association classes with a typed reference (the Role one, if
 * given) to the source class or one of its superclasses, narrowed by ResultClass (as
 * @assoc_class) and RequiredQualifier; ASSOCIATORS OF gives the classes the other typed
 * references of those associations name (ResultRole, ResultClass, RequiredQualifier on
 * them), each once per association class, narrowed by AssocClass and
 * RequiredAssocQualifier. Association classes in the order of a DEEP class enumeration.
 * Returns: (transfer full) WsimClassDecl*, refs held; empty if none.
 */
GPtrArray *wsim_assoc_schema_results (WsimRepository *repo, const char *ns,
                                      const WsimAssocWalkSpec *spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimAssocWalk, wsim_assoc_walk_free)

G_END_DECLS
