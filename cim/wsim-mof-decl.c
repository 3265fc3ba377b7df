/* wsim-mof-decl.c: a compiled MOF class as a class object (its qualifiers, flavors,
 * defaults and methods bound to the class; see wsim-mof.h and wsim-class-decl.h). */
#include "wsim-mof.h"

#include "wsim-class-decl.h"
#include "wsim-value.h"

gboolean
wsim_mof_flavor_apply (const char *word, guint *flavor)
{
  /* "Qualifier Flavors" (Microsoft Learn) and WBEM_FLAVOR_TYPE (wbemcli.h). */
  static const struct { const char *word; guint set, clear; } table[] = {
    { "ToSubclass", WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS, 0 },
    { "NotToSubclass", 0, WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS },
    { "ToInstance", WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE, 0 },
    { "NotToInstance", 0, WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE },
    { "Restricted", 0, WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS
                       | WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE },
    { "EnableOverride", 0, WBEM_FLAVOR_NOT_OVERRIDABLE },
    { "DisableOverride", WBEM_FLAVOR_NOT_OVERRIDABLE, 0 },
    { "Amended", WBEM_FLAVOR_AMENDED, 0 },
    /* DMTF's: a localizable value; WMI's nearest is Amended. */
    { "Translatable", WBEM_FLAVOR_AMENDED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (word, table[i].word) == 0)
      {
        *flavor = (*flavor & ~table[i].clear) | table[i].set;
        return TRUE;
      }
  return FALSE;
}

/* WMI's standard qualifiers whose flavor is part of their definition ("Standard Qualifiers",
 * Microsoft Learn): Abstract is not inherited (a subclass of an abstract class is concrete
 * unless it says so), Key cannot be overridden. Any other qualifier keeps its MOF flavors. */
static guint
standard_flavor (const char *name, guint flavor)
{
  if (g_ascii_strcasecmp (name, "abstract") == 0)
    return flavor & ~(guint) (WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS
                              | WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE);
  if (g_ascii_strcasecmp (name, "key") == 0)
    return flavor | WBEM_FLAVOR_NOT_OVERRIDABLE;
  return flavor;
}

static void
fill_qualifiers (GPtrArray *qs, u_int *len, wsim_qualifier **val)
{
  guint n = qs != NULL ? qs->len : 0;

  *len = n;
  *val = g_new0 (wsim_qualifier, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const WsimMofQualifier *q = g_ptr_array_index (qs, i);

      (*val)[i].name = g_strdup (q->name);
      (*val)[i].flavor = standard_flavor (q->name, q->flavor);
      wsim_value_copy (&q->value, &(*val)[i].value);
    }
}

#define FILL_QUALIFIERS(qs, field) \
  fill_qualifiers ((qs), &(field).qualifiers_len, &(field).qualifiers_val)

WsimClassDecl *
wsim_mof_class_decl (const WsimMofClass *mc, WsimClassDecl *parent, const char *ns)
{
  wsim_class_decl w = { 0 };
  guint np = mc->properties->len, nm = mc->methods->len;

  w.name = g_strdup (wsim_class_get_name (mc->cls));
  FILL_QUALIFIERS (mc->qualifiers, w.qualifiers);
  w.props.props_len = np;
  w.props.props_val = g_new0 (wsim_property_decl, MAX (np, 1));
  for (guint i = 0; i < np; i++)
    {
      const WsimMofProperty *mp = g_ptr_array_index (mc->properties, i);
      wsim_property_decl *p = &w.props.props_val[i];

      p->name = g_strdup (mp->name);
      p->cimtype = mp->cimtype;
      p->ref_class = g_strdup (mp->ref_class != NULL ? mp->ref_class : "");
      FILL_QUALIFIERS (mp->qualifiers, p->qualifiers);
      if (mp->has_default)
        wsim_value_copy (&mp->default_value, &p->default_value);
    }
  w.methods.methods_len = nm;
  w.methods.methods_val = g_new0 (wsim_method_decl, MAX (nm, 1));
  for (guint i = 0; i < nm; i++)
    {
      const WsimMofMethod *mm = g_ptr_array_index (mc->methods, i);
      wsim_method_decl *m = &w.methods.methods_val[i];
      guint na = mm->params->len;

      m->name = g_strdup (mm->name);
      m->return_type = mm->return_type;
      m->is_static = mm->is_static;
      FILL_QUALIFIERS (mm->qualifiers, m->qualifiers);
      m->params.params_len = na;
      m->params.params_val = g_new0 (wsim_param_decl, MAX (na, 1));
      for (guint j = 0; j < na; j++)
        {
          const WsimMofParam *mpar = g_ptr_array_index (mm->params, j);
          wsim_param_decl *a = &m->params.params_val[j];

          a->name = g_strdup (mpar->name);
          a->cimtype = mpar->cimtype;
          a->ref_class = g_strdup (mpar->ref_class != NULL ? mpar->ref_class : "");
          a->is_in = mpar->in;
          a->is_out = mpar->out;
          FILL_QUALIFIERS (mpar->qualifiers, a->qualifiers);
        }
    }
  return wsim_class_decl_derive (parent, &w, ns);
}
