/* wsim-repository.c: namespaces, classes, provider registrations (see wsim-repository.h). */
#include "wsim-repository.h"
#include "wsim-repository-private.h"

#include <gmodule.h>
#include <stdlib.h>
#include <string.h>
#include <rpc/rpc.h>

#include "wsim-hresult.h"
#include "wsim-repository-store.h"
#include "wsim-repository-decl.h"
#include "wsim-static-provider.h"
#include "wsim-event-classes.h"
#include "wsim-wbem.h"
#include "wsim_cim.h"

struct _WsimProviderReg {
  const WsimProvider *provider;    /* (unowned) &table, or the provider's static table */
  WsimProvider        table;       /* a version 1 table's v1 fields, the v2 ones NULL */
  gpointer            state;       /* (owned by the provider) freed by unload() */
  GModule            *module;      /* (owned) (nullable) */
  GHashTable         *params;      /* (owned) name -> value */
};

typedef struct _ClassEntry ClassEntry;
struct _ClassEntry {
  WsimClass       *cls;            /* (owned) */
  WsimProviderReg *reg;            /* (unowned) the repository owns registrations */
  GPtrArray       *children;       /* (owned) ClassEntry* (unowned) */
  WsimClassDecl   *decl;           /* (owned) the class object (wsim-repository-decl.h) */
};

typedef struct {
  char       *name;                /* (owned) canonical: "root\cimv2" */
  GHashTable *classes;             /* (owned) casefolded class name -> (owned) ClassEntry* */
  gboolean    requires_encryption; /* WMI's RequiresEncryption namespace qualifier */
} Namespace;

struct _WsimRepository {
  GHashTable *namespaces;          /* (owned) casefolded canonical path -> (owned) Namespace* */
  GPtrArray  *regs;                /* (owned) WsimProviderReg*, in load order */
  WsimRepoStore *store;            /* (owned) (nullable) the instances on disk */
  WsimRepositoryClassHook class_hook; /* (nullable) told of each PutClass and DeleteClass */
  gpointer    class_hook_data;
};

static void
class_entry_free (gpointer p)
{
  ClassEntry *e = p;

  wsim_class_unref (e->cls);
  wsim_class_decl_unref (e->decl);
  g_ptr_array_unref (e->children);
  g_free (e);
}

static void
namespace_free (gpointer p)
{
  Namespace *ns = p;

  g_hash_table_unref (ns->classes);
  g_free (ns->name);
  g_free (ns);
}

static void
reg_free (gpointer p)
{
  WsimProviderReg *reg = p;

  if (reg->provider->unload != NULL)
    reg->provider->unload (reg->state);
  g_hash_table_unref (reg->params);
  if (reg->module != NULL)
    g_module_close (reg->module);
  g_free (reg);
}

WsimRepository *
wsim_repository_new (void)
{
  WsimRepository *repo = g_new0 (WsimRepository, 1);

  repo->namespaces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, namespace_free);
  repo->regs = g_ptr_array_new_with_free_func (reg_free);
  wsim_repository_add_namespace (repo, "root", NULL);
  return repo;
}

void
wsim_repository_free (WsimRepository *repo)
{
  if (repo == NULL)
    return;
  /* The store first (a write in flight reads nothing of ours, but its waiters are calls). */
  g_clear_pointer (&repo->store, wsim_repo_store_free);
  /* Classes first (they may be the only users of a module's strings), then providers. */
  g_hash_table_unref (repo->namespaces);
  g_ptr_array_unref (repo->regs);
  g_free (repo);
}

/* Splits a namespace path into its elements; NULL when an element is empty. */
static char **
ns_split (const char *path)
{
  g_autofree char *p = g_strdup (path);
  char **parts;

  g_strdelimit (p, "/", '\\');
  parts = g_strsplit (p, "\\", -1);
  for (char **e = parts; *e != NULL; e++)
    if (**e == '\0')
      {
        g_strfreev (parts);
        return NULL;
      }
  return parts;
}

static Namespace *
ns_lookup (WsimRepository *repo, const char *path, GError **error)
{
  g_auto (GStrv) parts = ns_split (path != NULL ? path : "");
  g_autofree char *joined = NULL, *key = NULL;
  Namespace *ns = NULL;

  /* g_utf8_casefold() reads past the end of a string that is not UTF-8: such a path names
   * no namespace. */
  if (parts != NULL && parts[0] != NULL && g_utf8_validate (path, -1, NULL))
    {
      joined = g_strjoinv ("\\", parts);
      key = g_utf8_casefold (joined, -1);
      ns = g_hash_table_lookup (repo->namespaces, key);
    }
  if (ns == NULL)
    wsim_set_error_hresult (error, WBEM_E_INVALID_NAMESPACE, "no namespace '%s'",
                            path != NULL ? path : "");
  return ns;
}

static void ns_add_system_classes (WsimRepository *repo, Namespace *ns);

gboolean
wsim_repository_add_namespace (WsimRepository *repo, const char *path, GError **error)
{
  g_auto (GStrv) parts = ns_split (path);
  GString *acc = g_string_new (NULL);

  if (parts == NULL || parts[0] == NULL || g_ascii_strcasecmp (parts[0], "root") != 0)
    {
      g_string_free (acc, TRUE);
      wsim_set_error_hresult (error, WBEM_E_INVALID_NAMESPACE,
                              "namespace '%s' is not under root", path);
      return FALSE;
    }
  for (char **e = parts; *e != NULL; e++)
    {
      g_autofree char *key = NULL;

      if (acc->len > 0)
        g_string_append_c (acc, '\\');
      g_string_append (acc, e == parts ? "root" : *e);
      key = g_utf8_casefold (acc->str, -1);
      if (!g_hash_table_contains (repo->namespaces, key))
        {
          Namespace *ns = g_new0 (Namespace, 1);

          ns->name = g_strdup (acc->str);
          ns->classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, class_entry_free);
          g_hash_table_insert (repo->namespaces, g_steal_pointer (&key), ns);
          ns_add_system_classes (repo, ns);
        }
    }
  g_string_free (acc, TRUE);
  return TRUE;
}

char *
wsim_repository_canonical_namespace (WsimRepository *repo, const char *path, GError **error)
{
  Namespace *ns = ns_lookup (repo, path, error);

  return ns != NULL ? g_strdup (ns->name) : NULL;
}

gboolean
wsim_repository_set_requires_encryption (WsimRepository *repo, const char *path, gboolean on,
                                         GError **error)
{
  Namespace *ns = ns_lookup (repo, path, error);

  if (ns != NULL)
    ns->requires_encryption = on;
  return ns != NULL;
}

gboolean
wsim_repository_get_requires_encryption (WsimRepository *repo, const char *path)
{
  Namespace *ns = ns_lookup (repo, path, NULL);

  return ns != NULL && ns->requires_encryption;
}

static GHashTable *
params_parse (const char *params)
{
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto (GStrv) items = g_strsplit (params != NULL ? params : "", ";", -1);

  for (char **i = items; *i != NULL; i++)
    {
      char *eq = strchr (*i, '=');

      if (eq != NULL && eq != *i)
        g_hash_table_insert (t, g_strstrip (g_strndup (*i, (gsize) (eq - *i))),
                             g_strstrip (g_strdup (eq + 1)));
    }
  return t;
}

/* Finds @name among the classes of @ns or, failing that, among @built (this provider's,
 * built so far, in table order). */
static WsimClass *
find_parent (Namespace *ns, GPtrArray *built, const char *name)
{
  g_autofree char *key = g_utf8_casefold (name, -1);
  ClassEntry *e = g_hash_table_lookup (ns->classes, key);

  if (e != NULL)
    return e->cls;
  for (guint i = 0; i < built->len; i++)
    if (g_ascii_strcasecmp (wsim_class_get_name (built->pdata[i]), name) == 0)
      return built->pdata[i];
  return NULL;
}

static void add_entries (Namespace *ns, GPtrArray *built, WsimProviderReg *reg);

static gboolean
register_classes (WsimRepository *repo, Namespace *ns, WsimProviderReg *reg, GError **error)
{
  const WsimProvider *p = reg->provider;
  g_autoptr(GPtrArray) built = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_unref);

  /* Build every class first and add them only if all of them build, so a refused
   * provider leaves nothing behind that points at it. */
  for (gsize i = 0; i < p->n_classes; i++)
    {
      const WsimProvClass *pc = &p->classes[i];
      g_autofree wsim_property_def *props = g_new0 (wsim_property_def, MAX (pc->n_props, 1));
      g_autofree char *key = g_utf8_casefold (pc->name != NULL ? pc->name : "", -1);
      WsimClass *parent = NULL, *cls;

      if (g_hash_table_contains (ns->classes, key) || find_parent (ns, built, pc->name) != NULL)
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_PROVIDER_REGISTRATION,
                                  "provider %s: class %s is already served in %s", p->name,
                                  pc->name, ns->name);
          return FALSE;
        }
      if (pc->superclass != NULL && *pc->superclass != '\0'
          && (parent = find_parent (ns, built, pc->superclass)) == NULL)
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_PROVIDER_REGISTRATION,
                                  "provider %s: class %s derives from unknown %s", p->name,
                                  pc->name, pc->superclass);
          return FALSE;
        }
      for (gsize j = 0; j < pc->n_props; j++)
        {
          props[j].name = (char *) pc->props[j].name;
          props[j].cimtype = pc->props[j].cimtype;
          props[j].is_key = pc->props[j].is_key != 0;
        }
      cls = wsim_class_new (pc->name, parent, props, (guint) pc->n_props, error);
      if (cls == NULL)
        {
          g_prefix_error (error, "provider %s: ", p->name);
          return FALSE;
        }
      g_ptr_array_add (built, cls);
    }

  add_entries (ns, built, reg);
  return TRUE;
}

/* Adds @built (classes whose parents are in @ns or earlier in @built) to @ns, served by @reg. */
static void
add_entries (Namespace *ns, GPtrArray *built, WsimProviderReg *reg)
{
  for (guint i = 0; i < built->len; i++)
    {
      WsimClass *cls = built->pdata[i];
      WsimClass *parent = wsim_class_get_parent (cls);
      ClassEntry *e = g_new0 (ClassEntry, 1);

      e->cls = wsim_class_ref (cls);
      e->reg = reg;
      e->children = g_ptr_array_new ();
      g_hash_table_insert (ns->classes, g_utf8_casefold (wsim_class_get_name (cls), -1), e);
      if (parent != NULL)
        {
          g_autofree char *pkey = g_utf8_casefold (wsim_class_get_name (parent), -1);
          ClassEntry *pe = g_hash_table_lookup (ns->classes, pkey);

          g_ptr_array_add (pe->children, e);
          e->decl = wsim_repository_decl_for (reg->provider, reg->provider == &wsim_static_provider,
                                              cls, pe->decl, ns->name);
        }
      else
        e->decl = wsim_repository_decl_for (reg->provider, reg->provider == &wsim_static_provider,
                                            cls, NULL, ns->name);
    }
}

/* Every namespace has WMI's event classes (wsim-event-classes.h): event queries name them,
 * and a provider's extrinsic event class derives from __ExtrinsicEvent. They have no
 * instances; the static provider serves them as it serves a MOF class without any. */
static void
ns_add_system_classes (WsimRepository *repo, Namespace *ns)
{
  WsimProviderReg *reg = g_new0 (WsimProviderReg, 1);

  reg->provider = &wsim_static_provider;
  reg->state = wsim_static_provider_state_new (repo, ns->name, NULL);
  reg->params = params_parse (NULL);
  g_ptr_array_add (repo->regs, reg);
  add_entries (ns, wsim_event_classes (), reg);
}

static gboolean
register_reg (WsimRepository *repo, const char *ns_path, WsimProviderReg *reg, const char *params,
              GError **error)
{
  const WsimProvider *p = reg->provider;
  Namespace *ns;
  char *load_error = NULL;

  reg->params = params_parse (params);
  /* A version 1 table is as long as version 1 made it: only its v1 fields are read, into a
   * full table whose later fields stay NULL. */
  if (p->abi_version == WSIM_PROVIDER_ABI_VERSION_1)
    {
      memcpy (&reg->table, p, WSIM_PROVIDER_V1_SIZE);
      reg->provider = p = &reg->table;
    }
  if ((p->abi_version != WSIM_PROVIDER_ABI_VERSION && p->abi_version != WSIM_PROVIDER_ABI_VERSION_1)
      || p->enumerate == NULL || p->name == NULL)
    {
      wsim_set_error_hresult (error, WBEM_E_PROVIDER_LOAD_FAILURE,
                              "provider %s: ABI version %u, this runtime speaks 1 and %u",
                              p->name != NULL ? p->name : "(unnamed)", p->abi_version,
                              WSIM_PROVIDER_ABI_VERSION);
      goto refuse;
    }
  if (!wsim_repository_add_namespace (repo, ns_path, error)
      || (ns = ns_lookup (repo, ns_path, error)) == NULL)
    goto refuse;
  if (p->load != NULL && p->load (&reg->state, params != NULL ? params : "", &load_error) != 0)
    {
      wsim_set_error_hresult (error, WBEM_E_PROVIDER_LOAD_FAILURE, "provider %s refused to load: %s",
                              p->name, load_error != NULL ? load_error : "no reason given");
      free (load_error);
      goto refuse;
    }
  if (!register_classes (repo, ns, reg, error))
    {
      if (p->unload != NULL)
        p->unload (reg->state);
      goto refuse;
    }
  g_ptr_array_add (repo->regs, reg);
  return TRUE;

refuse:
  g_hash_table_unref (reg->params);
  if (reg->module != NULL)
    g_module_close (reg->module);
  g_free (reg);
  return FALSE;
}

gboolean
wsim_repository_register_provider (WsimRepository *repo, const char *ns,
                                   const WsimProvider *provider, const char *params,
                                   GError **error)
{
  WsimProviderReg *reg = g_new0 (WsimProviderReg, 1);

  reg->provider = provider;
  return register_reg (repo, ns, reg, params, error);
}

gboolean
wsim_repository_register_static (WsimRepository *repo, const char *ns_path,
                                 WsimClass *const *classes, guint n_classes,
                                 GPtrArray *instances, GError **error)
{
  g_autoptr(GPtrArray) built = g_ptr_array_new ();
  WsimProviderReg *reg;
  Namespace *ns;

  if (!wsim_repository_add_namespace (repo, ns_path, error)
      || (ns = ns_lookup (repo, ns_path, error)) == NULL)
    return FALSE;
  /* Check everything before adding anything, as register_classes does. */
  for (guint i = 0; i < n_classes; i++)
    {
      WsimClass *cls = classes[i];
      WsimClass *parent = wsim_class_get_parent (cls);

      if (find_parent (ns, built, wsim_class_get_name (cls)) != NULL)
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_PROVIDER_REGISTRATION,
                                  "class %s is already served in %s", wsim_class_get_name (cls),
                                  ns->name);
          return FALSE;
        }
      if (parent != NULL && find_parent (ns, built, wsim_class_get_name (parent)) != parent)
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_SUPERCLASS,
                                  "class %s derives from %s, which is not that class of %s",
                                  wsim_class_get_name (cls), wsim_class_get_name (parent),
                                  ns->name);
          return FALSE;
        }
      g_ptr_array_add (built, cls);
    }
  reg = g_new0 (WsimProviderReg, 1);
  reg->provider = &wsim_static_provider;
  reg->state = wsim_static_provider_state_new (repo, ns->name, instances);
  reg->params = params_parse (NULL);
  g_ptr_array_add (repo->regs, reg);
  add_entries (ns, built, reg);
  return TRUE;
}

gboolean
wsim_repository_load_module (WsimRepository *repo, const char *ns, const char *path,
                             const char *params, GError **error)
{
  GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL | G_MODULE_BIND_LAZY);
  WsimProviderEntryFunc entry = NULL;
  const WsimProvider *provider;
  WsimProviderReg *reg;

  if (module == NULL)
    {
      wsim_set_error_hresult (error, WBEM_E_PROVIDER_LOAD_FAILURE, "cannot open provider %s: %s",
                              path, g_module_error ());
      return FALSE;
    }
  if (!g_module_symbol (module, WSIM_PROVIDER_ENTRY_SYMBOL, (gpointer *) &entry) || entry == NULL)
    {
      wsim_set_error_hresult (error, WBEM_E_PROVIDER_LOAD_FAILURE,
                              "provider %s does not export %s", path, WSIM_PROVIDER_ENTRY_SYMBOL);
      g_module_close (module);
      return FALSE;
    }
  provider = entry (WSIM_PROVIDER_ABI_VERSION);
  /* A version 1 module may accept only the version it was built for (the documented entry
   * did): it is asked again for that one. */
  if (provider == NULL)
    provider = entry (WSIM_PROVIDER_ABI_VERSION_1);
  if (provider == NULL)
    {
      wsim_set_error_hresult (error, WBEM_E_PROVIDER_LOAD_FAILURE,
                              "provider %s declined ABI version %u", path, WSIM_PROVIDER_ABI_VERSION);
      g_module_close (module);
      return FALSE;
    }
  reg = g_new0 (WsimProviderReg, 1);
  reg->provider = provider;
  reg->module = module;
  return register_reg (repo, ns, reg, params, error);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

#define MODULE_PREFIX "wsim-provider-"
#define MODULE_SUFFIX ".so"

/* Parameters for a provider that @dir does not have would be dropped without a word (a
 * misspelt name runs the real provider with its defaults): refused before anything loads.
 * @names: the providers in @dir, sorted. */
static gboolean
params_all_taken (GHashTable *params, GPtrArray *names, const char *dir, GError **error)
{
  GHashTableIter iter;
  const char *provider;

  if (params == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, (gpointer *) &provider, NULL))
    if (!g_ptr_array_find_with_equal_func (names, provider, g_str_equal, NULL))
      {
        g_autoptr(GString) known = g_string_new (NULL);

        for (guint i = 0; i < names->len; i++)
          g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", (const char *) names->pdata[i]);
        wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                                "parameters for provider '%s', but %s has no " MODULE_PREFIX "%s"
                                MODULE_SUFFIX " (it has: %s)", provider, dir, provider,
                                known->len > 0 ? known->str : "none");
        return FALSE;
      }
  return TRUE;
}

gboolean
wsim_repository_load_dir (WsimRepository *repo, const char *ns, const char *dir,
                          GHashTable *params, GError **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    {
      g_prefix_error (error, "provider directory: ");
      return FALSE;
    }
  /* The providers by name: "sim-sequence" for wsim-provider-sim-sequence.so. */
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, MODULE_PREFIX) && g_str_has_suffix (name, MODULE_SUFFIX))
      g_ptr_array_add (names, g_strndup (name + strlen (MODULE_PREFIX),
                                         strlen (name) - strlen (MODULE_PREFIX) - strlen (MODULE_SUFFIX)));
  g_ptr_array_sort (names, compare_names);
  if (!params_all_taken (params, names, dir, error))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *provider = names->pdata[i];
      g_autofree char *file = g_strconcat (MODULE_PREFIX, provider, MODULE_SUFFIX, NULL);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      const char *p = params != NULL ? g_hash_table_lookup (params, provider) : NULL;

      if (!wsim_repository_load_module (repo, ns, path, p, error))
        return FALSE;
    }
  return TRUE;
}

const char *
wsim_repository_default_provider_dir (void)
{
  const char *env = g_getenv ("WSIM_PROVIDER_DIR");

  return env != NULL && *env != '\0' ? env : WSIM_PROVIDER_INSTALL_DIR;
}

static ClassEntry *
class_lookup (WsimRepository *repo, const char *ns_path, const char *name, GError **error)
{
  Namespace *ns = ns_lookup (repo, ns_path, error);
  g_autofree char *key = NULL;
  ClassEntry *e;

  if (ns == NULL)
    return NULL;
  /* A name that is not UTF-8 is no class's (and g_utf8_casefold() would read past it). */
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    e = NULL;
  else
    {
      key = g_utf8_casefold (name, -1);
      e = g_hash_table_lookup (ns->classes, key);
    }
  if (e == NULL)
    wsim_set_error_hresult (error, WBEM_E_INVALID_CLASS, "no class '%s' in %s",
                            name != NULL ? name : "", ns->name);
  return e;
}

WsimClass *
wsim_repository_lookup_class (WsimRepository *repo, const char *ns, const char *class_name,
                              GError **error)
{
  ClassEntry *e = class_lookup (repo, ns, class_name, error);

  return e != NULL ? e->cls : NULL;
}

static void
collect (ClassEntry *e, GPtrArray *out)
{
  g_ptr_array_add (out, e->cls);
  for (guint i = 0; i < e->children->len; i++)
    collect (e->children->pdata[i], out);
}

GPtrArray *
wsim_repository_list_classes (WsimRepository *repo, const char *ns, WsimClass *cls, gboolean deep)
{
  ClassEntry *e = class_lookup (repo, ns, wsim_class_get_name (cls), NULL);
  GPtrArray *out = g_ptr_array_new ();

  if (e == NULL)
    return out;
  if (deep)
    collect (e, out);
  else
    g_ptr_array_add (out, e->cls);
  return out;
}

static gint
compare_class_names (gconstpointer a, gconstpointer b)
{
  return g_ascii_strcasecmp (wsim_class_get_name (*(WsimClass *const *) a),
                             wsim_class_get_name (*(WsimClass *const *) b));
}

GPtrArray *
wsim_repository_list_all_classes (WsimRepository *repo, const char *ns_path)
{
  Namespace *ns = ns_lookup (repo, ns_path, NULL);
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter it;
  gpointer value;

  if (ns == NULL)
    return out;
  g_hash_table_iter_init (&it, ns->classes);
  while (g_hash_table_iter_next (&it, NULL, &value))
    g_ptr_array_add (out, ((ClassEntry *) value)->cls);
  g_ptr_array_sort (out, compare_class_names);
  return out;
}

WsimProviderReg *
wsim_repository_get_provider (WsimRepository *repo, const char *ns, WsimClass *cls)
{
  ClassEntry *e = class_lookup (repo, ns, wsim_class_get_name (cls), NULL);

  return e != NULL ? e->reg : NULL;
}

const WsimProvider *
wsim_provider_reg_get_provider (WsimProviderReg *reg)
{
  return reg->provider;
}

gpointer
wsim_provider_reg_get_state (WsimProviderReg *reg)
{
  return reg->state;
}

const char *
wsim_provider_reg_get_param (WsimProviderReg *reg, const char *name)
{
  return g_hash_table_lookup (reg->params, name);
}

WsimRepoStore *
wsim_repository_get_store (WsimRepository *repo)
{
  return repo->store;
}

void
wsim_repository_set_store (WsimRepository *repo, WsimRepoStore *store)
{
  g_clear_pointer (&repo->store, wsim_repo_store_free);
  repo->store = store;
}

GPtrArray *
wsim_repository_static_states (WsimRepository *repo)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < repo->regs->len; i++)
    {
      WsimProviderReg *reg = repo->regs->pdata[i];

      if (reg->provider == &wsim_static_provider)
        g_ptr_array_add (out, reg->state);
    }
  return out;
}

/* ---- schema: class objects, subclasses, child namespaces (wsim-repository.h) ---- */

WsimClassDecl *
wsim_repository_get_class_decl (WsimRepository *repo, const char *ns, const char *class_name,
                                GError **error)
{
  ClassEntry *e = class_lookup (repo, ns, class_name, error);

  return e != NULL ? e->decl : NULL;
}

gboolean
wsim_repository_set_class_decl (WsimRepository *repo, const char *ns, WsimClassDecl *decl,
                                GError **error)
{
  ClassEntry *e = class_lookup (repo, ns, wsim_class_decl_get_name (decl), error);

  if (e == NULL)
    return FALSE;
  wsim_class_decl_unref (e->decl);
  e->decl = wsim_class_decl_ref (decl);
  return TRUE;
}

static gint
compare_entries (gconstpointer a, gconstpointer b)
{
  const ClassEntry *ea = *(ClassEntry *const *) a, *eb = *(ClassEntry *const *) b;

  return g_ascii_strcasecmp (wsim_class_get_name (ea->cls), wsim_class_get_name (eb->cls));
}

/* @e's children (all descendants if @deep, depth first), each level by name. */
static void
collect_decls (GPtrArray *children, gboolean deep, GPtrArray *out)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (children, NULL, NULL);

  g_ptr_array_sort (sorted, compare_entries);
  for (guint i = 0; i < sorted->len; i++)
    {
      ClassEntry *c = sorted->pdata[i];

      g_ptr_array_add (out, c->decl);
      if (deep)
        collect_decls (c->children, TRUE, out);
    }
}

GPtrArray *
wsim_repository_list_class_decls (WsimRepository *repo, const char *ns_path,
                                  const char *superclass, gboolean deep, GError **error)
{
  Namespace *ns = ns_lookup (repo, ns_path, error);
  GPtrArray *out;

  if (ns == NULL)
    return NULL;
  if (superclass != NULL && superclass[0] != '\0')
    {
      ClassEntry *e = class_lookup (repo, ns_path, superclass, error);

      if (e == NULL)
        return NULL;
      out = g_ptr_array_new ();
      collect_decls (e->children, deep, out);
      return out;
    }
  {
    /* No superclass: the roots, classes "derived from the NULL superclass" (MS-WMI). */
    g_autoptr(GPtrArray) roots = g_ptr_array_new ();
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init (&it, ns->classes);
    while (g_hash_table_iter_next (&it, NULL, &v))
      if (wsim_class_get_parent (((ClassEntry *) v)->cls) == NULL)
        g_ptr_array_add (roots, v);
    out = g_ptr_array_new ();
    collect_decls (roots, deep, out);
  }
  return out;
}

GPtrArray *
wsim_repository_list_namespaces (WsimRepository *repo, const char *ns_path, GError **error)
{
  Namespace *ns = ns_lookup (repo, ns_path, error);
  g_autofree char *prefix = NULL;
  GPtrArray *out;
  GHashTableIter it;
  gpointer v;

  if (ns == NULL)
    return NULL;
  prefix = g_strconcat (ns->name, "\\", NULL);
  out = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&it, repo->namespaces);
  while (g_hash_table_iter_next (&it, NULL, &v))
    {
      const char *name = ((Namespace *) v)->name;

      if (g_ascii_strncasecmp (name, prefix, strlen (prefix)) == 0
          && strchr (name + strlen (prefix), '\\') == NULL)
        g_ptr_array_add (out, g_strdup (name + strlen (prefix)));
    }
  g_ptr_array_sort (out, compare_names);
  return out;
}

/* ---- schema changes: PutClass, DeleteClass (wsim-repository.h) ---- */

void
wsim_repository_set_class_hook (WsimRepository *repo, WsimRepositoryClassHook hook, gpointer data)
{
  repo->class_hook = hook;
  repo->class_hook_data = data;
}

/* The one place a class change is announced (a persistent store hooks in here). */
static void
class_changed (WsimRepository *repo, Namespace *ns, const char *name, WsimClassDecl *old_decl,
               WsimClassDecl *decl)
{
  wsim_repository_store_class_changed (repo, ns->name, name, old_decl, decl);
  if (repo->class_hook != NULL)
    repo->class_hook (repo, ns->name, name, decl, repo->class_hook_data);
}

static gboolean
entry_has_instances (ClassEntry *e)
{
  return e->reg->provider == &wsim_static_provider
         && wsim_static_provider_has_instances (e->reg->state, wsim_class_get_name (e->cls));
}

/* Removes @e from @ns (and from its parent's children); @e is freed. */
static void
entry_remove (Namespace *ns, ClassEntry *e)
{
  WsimClass *parent = wsim_class_get_parent (e->cls);
  g_autofree char *key = g_utf8_casefold (wsim_class_get_name (e->cls), -1);

  if (parent != NULL)
    {
      g_autofree char *pkey = g_utf8_casefold (wsim_class_get_name (parent), -1);
      ClassEntry *pe = g_hash_table_lookup (ns->classes, pkey);

      if (pe != NULL)
        g_ptr_array_remove (pe->children, e);
    }
  g_hash_table_remove (ns->classes, key);
}

/* Refuses a change to @e that WMI's repository would not make here: a provider's class
 * (WBEM_E_PROVIDER_NOT_CAPABLE), a class with subclasses or instances. */
static gboolean
entry_changeable (ClassEntry *e, const char *what, GError **error)
{
  const char *name = wsim_class_get_name (e->cls);

  if (e->reg->provider != &wsim_static_provider)
    return wsim_set_error_hresult (error, WBEM_E_PROVIDER_NOT_CAPABLE,
                                   "%s: class %s is served by provider %s, which cannot %s classes",
                                   what, name, e->reg->provider->name,
                                   what[0] == 'P' ? "change" : "delete"), FALSE;
  if (e->children->len > 0)
    return wsim_set_error_hresult (error, WBEM_E_CLASS_HAS_CHILDREN,
                                   "%s: class %s has %u subclasses (%s first)", what, name,
                                   e->children->len,
                                   wsim_class_get_name (((ClassEntry *) e->children->pdata[0])->cls)),
           FALSE;
  if (entry_has_instances (e))
    return wsim_set_error_hresult (error, WBEM_E_CLASS_HAS_INSTANCES,
                                   "%s: class %s has instances", what, name), FALSE;
  return TRUE;
}

/* The own members of @w (class_origin empty or @w's name): the others are inherited. */
static void
keep_own_members (wsim_class_decl *w)
{
  guint np = 0, nm = 0;

  for (guint i = 0; i < w->props.props_len; i++)
    {
      wsim_property_decl *p = &w->props.props_val[i];

      if (p->class_origin[0] != '\0' && g_ascii_strcasecmp (p->class_origin, w->name) != 0)
        xdr_free ((xdrproc_t) xdr_wsim_property_decl, (char *) p);
      else
        w->props.props_val[np++] = *p;
    }
  w->props.props_len = np;
  for (guint i = 0; i < w->methods.methods_len; i++)
    {
      wsim_method_decl *m = &w->methods.methods_val[i];

      if (m->class_origin[0] != '\0' && g_ascii_strcasecmp (m->class_origin, w->name) != 0)
        xdr_free ((xdrproc_t) xdr_wsim_method_decl, (char *) m);
      else
        w->methods.methods_val[nm++] = *m;
    }
  w->methods.methods_len = nm;
}

/* The layout of a put class: @parent's properties, then the own ones it does not have (an
 * own property of an inherited name overrides qualifiers and default, not the layout). */
static WsimClass *
put_layout (const wsim_class_decl *own, WsimClass *parent, GError **error)
{
  g_autofree wsim_property_def *defs = g_new0 (wsim_property_def, MAX (own->props.props_len, 1));
  guint n = 0;

  for (guint i = 0; i < own->props.props_len; i++)
    {
      const wsim_property_decl *p = &own->props.props_val[i];

      if (parent != NULL && wsim_class_find_prop (parent, p->name) >= 0)
        continue;
      defs[n].name = p->name;
      defs[n].cimtype = p->cimtype;
      defs[n].is_key = wsim_qualifier_find (p->qualifiers.qualifiers_val,
                                            p->qualifiers.qualifiers_len, "key") != NULL;
      n++;
    }
  return wsim_class_new (own->name, parent, defs, n, error);
}

gboolean
wsim_repository_put_class (WsimRepository *repo, const char *ns_path,
                           const wsim_class_decl *class_object, gint32 flags, GError **error)
{
  Namespace *ns = ns_lookup (repo, ns_path, error);
  g_autoptr(WsimClassDecl) in = NULL;
  g_autoptr(WsimClass) cls = NULL;
  g_autoptr(GPtrArray) built = NULL;
  g_autoptr(WsimClassDecl) old_decl = NULL;
  ClassEntry *old, *pe = NULL, *e;
  WsimClassDecl *decl;
  wsim_class_decl own;
  WsimProviderReg *reg;

  if (ns == NULL)
    return FALSE;
  /* The repository's keys are the names casefolded, which only UTF-8 has. */
  if (class_object->name == NULL || !g_utf8_validate (class_object->name, -1, NULL))
    return wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                                   "PutClass: the class name is not UTF-8"), FALSE;
  if (class_object->name[0] == '\0' || g_str_has_prefix (class_object->name, "__"))
    return wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                                   "PutClass: \"%s\" is not a name a class can be put under",
                                   class_object->name), FALSE;
  if ((flags & (WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_UPDATE_ONLY))
      == (WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_UPDATE_ONLY))
    return wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                                   "PutClass: CREATE_ONLY and UPDATE_ONLY together"), FALSE;
  old = class_lookup (repo, ns_path, class_object->name, NULL);
  if (old != NULL && (flags & WBEM_FLAG_CREATE_ONLY))
    return wsim_set_error_hresult (error, WBEM_E_ALREADY_EXISTS,
                                   "PutClass: class %s already exists in %s (CREATE_ONLY)",
                                   class_object->name, ns->name), FALSE;
  if (old == NULL && (flags & WBEM_FLAG_UPDATE_ONLY))
    return wsim_set_error_hresult (error, WBEM_E_NOT_FOUND,
                                   "PutClass: no class %s in %s to update (UPDATE_ONLY)",
                                   class_object->name, ns->name), FALSE;
  if (old != NULL && !entry_changeable (old, "PutClass", error))
    return FALSE;
  if (class_object->superclass != NULL && class_object->superclass[0] != '\0')
    {
      pe = class_lookup (repo, ns_path, class_object->superclass, NULL);
      if (pe == NULL || pe == old)
        return wsim_set_error_hresult (error, WBEM_E_INVALID_SUPERCLASS,
                                       "PutClass: class %s derives from %s, which is not a class "
                                       "of %s", class_object->name, class_object->superclass,
                                       ns->name), FALSE;
    }

  in = wsim_class_decl_new_copy (class_object);
  wsim_class_decl_copy_wire (in, &own);
  keep_own_members (&own);
  cls = put_layout (&own, pe != NULL ? pe->cls : NULL, error);
  if (cls == NULL)
    {
      xdr_free ((xdrproc_t) xdr_wsim_class_decl, (char *) &own);
      g_prefix_error (error, "PutClass: ");
      return FALSE;
    }
  decl = wsim_class_decl_derive (pe != NULL ? pe->decl : NULL, &own, ns->name);

  /* Checked: now the change. An updated class (no subclasses, no instances) is replaced. */
  old_decl = old != NULL ? wsim_class_decl_ref (old->decl) : NULL;
  if (old != NULL)
    entry_remove (ns, old);
  reg = g_new0 (WsimProviderReg, 1);
  reg->provider = &wsim_static_provider;
  reg->state = wsim_static_provider_state_new (repo, ns->name, NULL);
  reg->params = params_parse (NULL);
  g_ptr_array_add (repo->regs, reg);
  built = g_ptr_array_new ();
  g_ptr_array_add (built, cls);
  add_entries (ns, built, reg);
  e = class_lookup (repo, ns_path, wsim_class_get_name (cls), NULL);
  wsim_class_decl_unref (e->decl);
  e->decl = decl;
  class_changed (repo, ns, wsim_class_decl_get_name (decl), old_decl, decl);
  return TRUE;
}

gboolean
wsim_repository_delete_class (WsimRepository *repo, const char *ns_path, const char *class_name,
                              GError **error)
{
  Namespace *ns = ns_lookup (repo, ns_path, error);
  g_autoptr(WsimClassDecl) old_decl = NULL;
  g_autofree char *name = NULL;
  ClassEntry *e;

  if (ns == NULL)
    return FALSE;
  if (class_name != NULL && g_str_has_prefix (class_name, "__"))
    return wsim_set_error_hresult (error, WBEM_E_INVALID_OPERATION,
                                   "DeleteClass: %s is a system class", class_name), FALSE;
  e = class_lookup (repo, ns_path, class_name, error);
  if (e == NULL || !entry_changeable (e, "DeleteClass", error))
    return FALSE;
  name = g_strdup (wsim_class_get_name (e->cls));
  old_decl = wsim_class_decl_ref (e->decl);
  entry_remove (ns, e);
  class_changed (repo, ns, name, old_decl, NULL);
  return TRUE;
}
