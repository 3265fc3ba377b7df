/* wsim-repository-mof.c: loading a MOF file into the repository (see wsim-repository.h):
 * the compiler's classes and instances become static classes. */
#include "wsim-repository.h"

#include "wsim-mof.h"

/* The compiler asks for superclasses it does not declare: a class of the repository. */
static WsimClass *
lookup_repository_class (const char *ns, const char *class_name, gpointer data)
{
  return wsim_repository_lookup_class (data, ns, class_name, NULL);
}

gboolean
wsim_repository_load_mof (WsimRepository *repo, const char *path, GError **error)
{
  g_autoptr(WsimMofResult) result = wsim_mof_compile_file (path, lookup_repository_class, repo,
                                                           error);

  if (result == NULL)
    return FALSE;
  for (guint i = 0; i < result->namespaces->len; i++)
    {
      WsimMofNamespace *ns = result->namespaces->pdata[i];
      g_autofree WsimClass **classes = g_new0 (WsimClass *, MAX (ns->classes->len, 1));

      for (guint c = 0; c < ns->classes->len; c++)
        classes[c] = ((WsimMofClass *) ns->classes->pdata[c])->cls;
      if (!wsim_repository_register_static (repo, ns->name, classes, ns->classes->len,
                                            ns->instances, error))
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
      /* Then each class's whole declaration (qualifiers, defaults, methods), in order, so
       * that a parent's is there for its subclasses. */
      for (guint c = 0; c < ns->classes->len; c++)
        {
          WsimMofClass *mc = ns->classes->pdata[c];
          WsimClass *parent = wsim_class_get_parent (mc->cls);
          WsimClassDecl *pdecl = parent != NULL
            ? wsim_repository_get_class_decl (repo, ns->name, wsim_class_get_name (parent), NULL)
            : NULL;
          g_autoptr(WsimClassDecl) decl = wsim_mof_class_decl (mc, pdecl, ns->name);

          wsim_repository_set_class_decl (repo, ns->name, decl, NULL);
        }
    }
  return TRUE;
}
