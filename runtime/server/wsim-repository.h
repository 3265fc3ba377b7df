/**
 * SECTION:wsim-repository
 * @title: wsim-repository.h
 * @short_description: namespaces, classes and the providers that serve them
 *
 * The repository is the server's schema: a tree of namespaces ("root", "root\cimv2", …,
 * names case-insensitive, "/" accepted for "\"), each with classes, each class served by
 * one provider registration. Providers come from shared modules (GModule, checked for
 * the entry symbol and the ABI version before anything else is touched) or from tables
 * registered in-process. A provider's classes may derive from classes already present.
 *
 * Threading: the server's main-loop thread only.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-class.h"
#include "wsim-class-decl.h"
#include "wsim-provider.h"

G_BEGIN_DECLS

/**
 * WsimRepository:
 *
 * A server's namespaces, classes and the providers that serve them.
 */
typedef struct _WsimRepository WsimRepository;
/**
 * WsimProviderReg:
 *
 * A provider's registration in a repository.
 */
typedef struct _WsimProviderReg WsimProviderReg;

/**
 * wsim_repository_new:
 *
 * Returns a repository holding the namespace "root".
 *
 * Returns: (transfer full) a repository holding the namespace "root".
 */
WSIM_EXPORT
WsimRepository *wsim_repository_new (void);

/**
 * wsim_repository_free:
 * @repo: a #WsimRepository
 *
 * Frees @repo: its store first (after a write in flight), then its classes and its
 * providers. NULL is fine.
 */
WSIM_EXPORT
void            wsim_repository_free (WsimRepository *repo);

/**
 * wsim_repository_add_namespace:
 * @repo: a #WsimRepository
 * @path: a namespace path ("root\\cimv2"; "/" works too)
 * @error: return location for a #GError, or %NULL
 *
 * Adds @path (and its missing parents). Adding an existing namespace is fine.
 *
 * Returns: FALSE with WBEM_E_INVALID_NAMESPACE for an empty element or a path not under root.
 */
WSIM_EXPORT
gboolean wsim_repository_add_namespace (WsimRepository *repo, const char *path, GError **error);

/**
 * wsim_repository_canonical_namespace:
 * @repo: a #WsimRepository
 * @path: a namespace path ("root\\cimv2"; "/" works too)
 * @error: return location for a #GError, or %NULL
 *
 * Returns the namespace as registered ("root\cimv2") for any spelling of it ("ROOT/CIMV2"), or
 * NULL with WBEM_E_INVALID_NAMESPACE.
 *
 * Returns: (transfer full) (nullable) the namespace as registered ("root\cimv2") for any
 *   spelling of it ("ROOT/CIMV2"), or NULL with WBEM_E_INVALID_NAMESPACE.
 */
WSIM_EXPORT
char *wsim_repository_canonical_namespace (WsimRepository *repo, const char *path, GError **error);

/**
 * wsim_repository_set_requires_encryption:
 * @repo: a #WsimRepository
 * @path: a namespace path (any spelling)
 * @on: TRUE to require encryption, FALSE to stop
 * @error: return location for a #GError, or %NULL
 *
 * Marks @path RequiresEncryption (WMI's namespace qualifier): requests for it below
 * RPC_C_AUTHN_LEVEL_PKT_PRIVACY are refused with WBEM_E_ENCRYPTED_CONNECTION_REQUIRED.
 * Only that namespace; its children keep their own setting.
 *
 * Returns: FALSE with WBEM_E_INVALID_NAMESPACE if it does not exist.
 */
WSIM_EXPORT
gboolean wsim_repository_set_requires_encryption (WsimRepository *repo, const char *path,
                                                  gboolean on, GError **error);

/**
 * wsim_repository_get_requires_encryption:
 * @repo: a #WsimRepository
 * @path: a namespace path (any spelling)
 *
 * Returns whether @path (any spelling) requires encryption; FALSE if it does not exist.
 *
 * Returns: whether @path (any spelling) requires encryption; FALSE if it does not exist.
 */
WSIM_EXPORT
gboolean wsim_repository_get_requires_encryption (WsimRepository *repo, const char *path);

/**
 * wsim_repository_register_provider:
 * @repo: a #WsimRepository
 * @ns: the namespace its classes go into (created if missing)
 * @provider: (not nullable) a table that outlives the repository
 * @params: (nullable) "key=value;key=value", given to load() and to get_param()
 * @error: return location for a #GError, or %NULL
 *
 * Loads the provider and registers its classes.
 *
 * Returns: FALSE with WBEM_E_PROVIDER_LOAD_FAILURE (wrong ABI, load() failed) or
 *   WBEM_E_INVALID_PROVIDER_REGISTRATION (a class already served, an unknown superclass,
 *   a bad property).
 */
WSIM_EXPORT
gboolean wsim_repository_register_provider (WsimRepository *repo, const char *ns,
                                            const WsimProvider *provider, const char *params,
                                            GError **error);

/**
 * wsim_repository_load_module:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @path: the module's file
 * @params: the provider's parameter string ("key=value;key=value" or "")
 * @error: return location for a #GError, or %NULL
 *
 * Opens the shared module at @path, checks that it exports wsim_provider_entry and that the
 * table's ABI version is WSIM_PROVIDER_ABI_VERSION, then registers it as above. A refused
 * module is closed again.
 *
 * Returns: FALSE with @error for a refused module.
 */
WSIM_EXPORT
gboolean wsim_repository_load_module (WsimRepository *repo, const char *ns, const char *path,
                                      const char *params, GError **error);

/**
 * wsim_repository_load_dir:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @dir: the directory to load from
 * @params: (nullable) (element-type utf8 utf8) NAME to parameter string
 * @error: return location for a #GError, or %NULL
 *
 * Loads every "wsim-provider-NAME.so" in @dir, in name order, into @ns. @params maps NAME
 * (e.g. "sim-sequence") to that provider's parameter string; NULL or a missing entry gives "".
 * An entry naming no module in @dir is refused with WBEM_E_INVALID_PARAMETER before anything
 * loads (a misspelt name would otherwise be ignored). Stops at the first module refused, with
 * its error.
 *
 * Returns: FALSE with the first refusal's error.
 */
WSIM_EXPORT
gboolean wsim_repository_load_dir (WsimRepository *repo, const char *ns, const char *dir,
                                   GHashTable *params, GError **error);

/**
 * wsim_repository_default_provider_dir:
 *
 * Returns $WSIM_PROVIDER_DIR if set, else where `meson install` puts the sample providers.
 *
 * Returns: (transfer none) $WSIM_PROVIDER_DIR if set, else where `meson install` puts the
 *   sample providers.
 */
WSIM_EXPORT
const char *wsim_repository_default_provider_dir (void);

/**
 * wsim_repository_register_static:
 * @repo: a #WsimRepository
 * @ns: the namespace the classes go into (created if missing)
 * @classes: (array length=n_classes) built classes, in declaration order; a class's parent
 *   must be the class of that name already in @ns or one earlier in @classes (the same
 *   object, as wsim_repository_lookup_class() returns it)
 * @n_classes: the number of @classes
 * @instances: (nullable) (element-type WsimObject) their instances; each is served when its
 *   own class is enumerated (the repository takes a reference to each)
 * @error: return location for a #GError, or %NULL
 *
 * Registers classes that no provider computes (classes from MOF): a built-in provider
 * serves @instances, so enumeration, GetObject and WQL reach them as any other, and takes
 * PutInstanceAsync and DeleteInstanceAsync (kept on disk by wsim_repository_open_store()).
 * All of @classes are added or none.
 *
 * Returns: FALSE with WBEM_E_INVALID_PROVIDER_REGISTRATION (a class already in @ns) or
 *   WBEM_E_INVALID_SUPERCLASS (a parent not in @ns), WBEM_E_INVALID_NAMESPACE for a bad @ns.
 */
WSIM_EXPORT
gboolean wsim_repository_register_static (WsimRepository *repo, const char *ns,
                                          WsimClass *const *classes, guint n_classes,
                                          GPtrArray *instances, GError **error);

/**
 * wsim_repository_load_mof:
 * @repo: a #WsimRepository
 * @path: the MOF file
 * @error: return location for a #GError, or %NULL
 *
 * Compiles the MOF file at @path (docs/mof.md) and registers, namespace by namespace, its
 * classes and instances with wsim_repository_register_static(). A superclass the file does
 * not declare is looked for in the repository (a provider's class works as a parent).
 *
 * Returns: FALSE with the compiler's WBEMMOF_E_* error ("FILE:LINE:COLUMN: …") or the
 *   registration's; namespaces registered before a failing one stay.
 */
WSIM_EXPORT
gboolean wsim_repository_load_mof (WsimRepository *repo, const char *path, GError **error);

/**
 * wsim_repository_open_store:
 * @repo: a #WsimRepository
 * @dir: the directory that keeps the repository's instances (created if missing)
 * @error: return location for a #GError, or %NULL
 *
 * Makes the instances of the static classes persistent (wmisimd --repository DIR;
 * docs/writes.md): if @dir holds a saved store, it replaces the instances of every static
 * class of each namespace it names (the MOF files load first, then the store: what was put
 * and deleted since wins); from then on PutInstanceAsync and DeleteInstanceAsync succeed
 * only once their change is on disk. Call it once, after loading the MOF files.
 *
 * Returns: FALSE with WBEM_E_FAILED (an unreadable, corrupt or unknown-version file, a
 *   directory that cannot be created) or WBEM_E_INVALID_CLASS (an instance of a class that is
 *   not a static class of the repository any more); nothing changes then.
 */
WSIM_EXPORT
gboolean wsim_repository_open_store (WsimRepository *repo, const char *dir, GError **error);

/**
 * wsim_repository_store_save:
 * @repo: a #WsimRepository
 * @error: return location for a #GError, or %NULL
 *
 * Writes the static instances to the store now and waits until they are durable (for an
 * embedder that changes them itself, or a schema change that must be kept). A write in
 * flight is waited for first. Without a store, does nothing.
 *
 * Returns: FALSE with WBEM_E_FAILED when the file cannot be written (the old one stays).
 */
WSIM_EXPORT
gboolean wsim_repository_store_save (WsimRepository *repo, GError **error);

/**
 * wsim_repository_lookup_class:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @class_name: the class's name
 * @error: return location for a #GError, or %NULL
 *
 * Returns the class, or NULL with WBEM_E_INVALID_NAMESPACE or WBEM_E_INVALID_CLASS.
 *
 * Returns: (transfer none) (nullable) the class, or NULL with WBEM_E_INVALID_NAMESPACE or
 *   WBEM_E_INVALID_CLASS.
 */
WSIM_EXPORT
WsimClass *wsim_repository_lookup_class (WsimRepository *repo, const char *ns,
                                         const char *class_name, GError **error);

/**
 * wsim_repository_list_classes:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @cls: a class of @ns, as wsim_repository_lookup_class() returns it
 * @deep: include every subclass, depth first, after @cls
 *
 * Returns @cls first, then its subclasses if @deep; elements are borrowed from the repository.
 *
 * Returns: (transfer container) (element-type WsimClass) @cls first, then its subclasses
 *   if @deep; elements are borrowed from the repository.
 */
WSIM_EXPORT
GPtrArray *wsim_repository_list_classes (WsimRepository *repo, const char *ns, WsimClass *cls,
                                         gboolean deep);

/**
 * wsim_repository_get_provider:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @cls: a class of @ns
 *
 * Returns the registration serving @cls in @ns.
 *
 * Returns: (transfer none) (nullable) the registration serving @cls in @ns.
 */
WSIM_EXPORT
WsimProviderReg *wsim_repository_get_provider (WsimRepository *repo, const char *ns,
                                               WsimClass *cls);

/**
 * wsim_provider_reg_get_provider:
 * @reg: a #WsimProviderReg
 *
 * Returns the provider table of @reg.
 *
 * Returns: (transfer none) the provider table of @reg.
 */
WSIM_EXPORT
const WsimProvider *wsim_provider_reg_get_provider (WsimProviderReg *reg);

/**
 * wsim_provider_reg_get_state:
 * @reg: a #WsimProviderReg
 *
 * Returns the state load() returned.
 *
 * Returns: (transfer none) the state load() returned.
 */
WSIM_EXPORT
gpointer wsim_provider_reg_get_state (WsimProviderReg *reg);

/**
 * wsim_provider_reg_get_param:
 * @reg: a #WsimProviderReg
 * @name: the parameter's name
 *
 * Returns the value of parameter @name.
 *
 * Returns: (transfer none) (nullable) the value of parameter @name.
 */
WSIM_EXPORT
const char *wsim_provider_reg_get_param (WsimProviderReg *reg, const char *name);

/* ---- schema (docs/schema.md) ---- */

/**
 * wsim_repository_get_class_decl:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @class_name: the class's name
 * @error: return location for a #GError, or %NULL
 *
 * Returns the class object of @class_name in @ns (what a provider's table or the MOF file
 * declared), or NULL with WBEM_E_INVALID_NAMESPACE or WBEM_E_INVALID_CLASS.
 *
 * Returns: (transfer none) (nullable) the class object of @class_name in @ns (what a
 *   provider's table or the MOF file declared), or NULL with WBEM_E_INVALID_NAMESPACE or
 *   WBEM_E_INVALID_CLASS.
 */
WSIM_EXPORT
WsimClassDecl *wsim_repository_get_class_decl (WsimRepository *repo, const char *ns,
                                               const char *class_name, GError **error);

/**
 * wsim_repository_set_class_decl:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @decl: the class object; the repository takes a reference
 * @error: return location for a #GError, or %NULL
 *
 * Replaces the class object of the class @decl names (the MOF loader gives the full one
 * after registering the layout).
 *
 * Returns: FALSE with WBEM_E_INVALID_CLASS if there is no
 *   such class.
 */
WSIM_EXPORT
gboolean wsim_repository_set_class_decl (WsimRepository *repo, const char *ns,
                                         WsimClassDecl *decl, GError **error);

/**
 * wsim_repository_list_class_decls:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @superclass: (nullable) a class name; NULL or "" for the namespace's root classes
 * @deep: every descendant (depth first) instead of the immediate subclasses only
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::CreateClassEnum's selection: the subclasses of @superclass, never
 * @superclass itself; with no superclass, SHALLOW gives the root classes and DEEP every
 * class. Siblings come in name order.
 *
 * Returns: (transfer container) (element-type WsimClassDecl) borrowed class objects, or
 *   NULL with WBEM_E_INVALID_NAMESPACE or WBEM_E_INVALID_CLASS (no such superclass).
 */
WSIM_EXPORT
GPtrArray *wsim_repository_list_class_decls (WsimRepository *repo, const char *ns,
                                             const char *superclass, gboolean deep,
                                             GError **error);

/**
 * wsim_repository_list_namespaces:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @error: return location for a #GError, or %NULL
 *
 * Returns the names of @ns's immediate child namespaces ("cimv2" for root\cimv2 under root),
 * sorted; NULL with WBEM_E_INVALID_NAMESPACE.
 *
 * Returns: (transfer full) (element-type utf8) the names of @ns's immediate child namespaces
 *   ("cimv2" for root\cimv2 under root), sorted; NULL with WBEM_E_INVALID_NAMESPACE.
 */
WSIM_EXPORT
GPtrArray *wsim_repository_list_namespaces (WsimRepository *repo, const char *ns,
                                            GError **error);

/**
 * wsim_repository_put_class:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @class_object: the class: name, superclass ("" for a root), qualifiers, own properties and
 *   methods; members whose class_origin names another class are inherited and ignored
 * @flags: WBEM_FLAG_CREATE_OR_UPDATE (0), WBEM_FLAG_UPDATE_ONLY or WBEM_FLAG_CREATE_ONLY
 * @error: return location for a #GError, or %NULL
 *
 * PutClass of a repository class (docs/schema.md): creates it, served by the static provider
 * with no instances, or replaces it. Everything is checked before anything changes.
 *
 * Returns: FALSE with WBEM_E_ALREADY_EXISTS (CREATE_ONLY, it exists), WBEM_E_NOT_FOUND
 *   (UPDATE_ONLY, it does not), WBEM_E_INVALID_SUPERCLASS (an unknown superclass),
 *   WBEM_E_PROVIDER_NOT_CAPABLE (a provider's class), WBEM_E_CLASS_HAS_CHILDREN or
 *   WBEM_E_CLASS_HAS_INSTANCES (an update of a class that has them), WBEM_E_INVALID_CLASS (a
 *   bad property), WBEM_E_INVALID_PARAMETER (an empty or "__" name, both change flags).
 */
WSIM_EXPORT
gboolean wsim_repository_put_class (WsimRepository *repo, const char *ns,
                                    const wsim_class_decl *class_object, gint32 flags,
                                    GError **error);

/**
 * wsim_repository_delete_class:
 * @repo: a #WsimRepository
 * @ns: the namespace ("root\\cimv2", any spelling)
 * @class_name: the class's name
 * @error: return location for a #GError, or %NULL
 *
 * DeleteClass of a repository class. Windows' DeleteClass deletes the subclasses and the
 * static instances with the class; this repository refuses instead (docs/schema.md says why).
 *
 * Returns: FALSE with WBEM_E_INVALID_CLASS (no such class), WBEM_E_INVALID_OPERATION (a system
 *   class, "__…"), WBEM_E_PROVIDER_NOT_CAPABLE (a provider's class), WBEM_E_CLASS_HAS_CHILDREN,
 *   WBEM_E_CLASS_HAS_INSTANCES.
 */
WSIM_EXPORT
gboolean wsim_repository_delete_class (WsimRepository *repo, const char *ns,
                                       const char *class_name, GError **error);

/**
 * WsimRepositoryClassHook:
 * @repo: the repository
 * @ns: the namespace (canonical)
 * @class_name: the class's name
 * @decl: (nullable) the class object as it now is; NULL when the class was deleted
 * @data: wsim_repository_set_class_hook()'s data
 *
 * Told after each successful wsim_repository_put_class() or wsim_repository_delete_class(),
 * on the repository's thread: where a persistent store writes the change.
 */
typedef void (*WsimRepositoryClassHook) (WsimRepository *repo, const char *ns,
                                         const char *class_name, WsimClassDecl *decl,
                                         gpointer data);

/**
 * wsim_repository_set_class_hook:
 * @repo: a #WsimRepository
 * @hook: (nullable) the new hook; NULL for none
 * @data: passed to @hook (not freed)
 *
 * @hook (nullable) replaces the hook; @data is not freed.
 */
WSIM_EXPORT
void wsim_repository_set_class_hook (WsimRepository *repo, WsimRepositoryClassHook hook,
                                     gpointer data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimRepository, wsim_repository_free)

G_END_DECLS
