/* wsim-assoc-schema.c: schema association queries (ASSOCIATORS OF / REFERENCES OF a class),
 * answered from the class objects alone (see wsim_assoc_schema_results()). */
#include "wsim-call-assoc.h"

#include "wsim-repository-private.h"

/* Is @p a typed reference that may name an object of @cls (@cls is its class or derives
 * from it)? An untyped reference names no class the schema can tell. */
static gboolean
ref_to (const wsim_property_decl *p, WsimClass *cls)
{
  return p->cimtype == CIM_REFERENCE && p->ref_class[0] != '\0' && wsim_class_is_a (cls, p->ref_class);
}

static gboolean
role_is (const char *role, const wsim_property_decl *p)
{
  return role == NULL || g_ascii_strcasecmp (role, p->name) == 0;
}

/* ASSOCIATORS: appends to @out the classes @assoc's other references (than @source_idx)
 * name, each once per association class (@seen). */
static void
add_endpoints (WsimRepository *repo, const char *ns, const WsimAssocWalkSpec *spec,
               const wsim_class_decl *assoc, guint source_idx, GPtrArray *seen, GPtrArray *out)
{
  for (guint j = 0; j < assoc->props.props_len; j++)
    {
      const wsim_property_decl *q = &assoc->props.props_val[j];
      WsimClassDecl *end;
      WsimClass *end_cls;

      if (j == source_idx || q->cimtype != CIM_REFERENCE || q->ref_class[0] == '\0'
          || !role_is (spec->result_role, q)
          || (end = wsim_repository_get_class_decl (repo, ns, q->ref_class, NULL)) == NULL
          || (end_cls = wsim_repository_lookup_class (repo, ns, q->ref_class, NULL)) == NULL
          || (spec->result_class != NULL
              && !wsim_class_is_a (end_cls, wsim_class_get_name (spec->result_class)))
          || (spec->required_qualifier != NULL
              && !wsim_class_decl_has_qualifier (end, spec->required_qualifier))
          || g_ptr_array_find (seen, end, NULL))
        continue;
      g_ptr_array_add (seen, end);
      g_ptr_array_add (out, wsim_class_decl_ref (end));
    }
}

GPtrArray *
wsim_assoc_schema_results (WsimRepository *repo, const char *ns, const WsimAssocWalkSpec *spec)
{
  g_autoptr(GPtrArray) all = wsim_repository_list_class_decls (repo, ns, NULL, TRUE, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_decl_unref);
  const char *assoc_wanted = spec->kind == WSIM_WQL_ASSOCIATORS ? spec->required_assoc_qualifier
                                                                : spec->required_qualifier;

  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      WsimClassDecl *decl = all->pdata[i];
      const wsim_class_decl *w = wsim_class_decl_get_wire (decl);
      WsimClass *cls = wsim_repository_lookup_class (repo, ns, w->name, NULL);
      g_autoptr(GPtrArray) seen = g_ptr_array_new ();

      if (cls == NULL || !wsim_class_decl_is_association (decl)
          || (spec->assoc_class != NULL && !wsim_class_is_a (cls, wsim_class_get_name (spec->assoc_class)))
          || (assoc_wanted != NULL && !wsim_class_decl_has_qualifier (decl, assoc_wanted)))
        continue;
      for (guint k = 0; k < w->props.props_len; k++)
        {
          const wsim_property_decl *p = &w->props.props_val[k];

          if (!role_is (spec->role, p) || !ref_to (p, spec->source_cls))
            continue;
          if (spec->kind == WSIM_WQL_REFERENCES)
            {
              g_ptr_array_add (out, wsim_class_decl_ref (decl));
              break;
            }
          add_endpoints (repo, ns, spec, w, k, seen, out);
        }
    }
  return out;
}
