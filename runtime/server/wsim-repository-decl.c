/* wsim-repository-decl.c: the class objects of registered classes (see wsim-repository-decl.h). */
#include "wsim-repository-decl.h"

#include "wsim-value.h"

static void
key_qualifier (wsim_property_decl *p)
{
  p->qualifiers.qualifiers_len = 1;
  p->qualifiers.qualifiers_val = g_new0 (wsim_qualifier, 1);
  p->qualifiers.qualifiers_val[0].name = g_strdup ("key");
  /* WMI's Key qualifier is ToSubclass and DisableOverride ("Standard Qualifiers"). */
  p->qualifiers.qualifiers_val[0].flavor = WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS
                                           | WBEM_FLAVOR_NOT_OVERRIDABLE;
  wsim_value_set_boolean (&p->qualifiers.qualifiers_val[0].value, TRUE);
}

static void
flag_qualifier (wsim_qualifier *q, const char *name)
{
  q->name = g_strdup (name);
  wsim_value_set_boolean (&q->value, TRUE);
}

/* The methods @provider declares for @cls: the [out] ReturnValue is the return type, the
 * other parameters [in] or [out] (both when a name is in both lists), in order. */
static void
fill_methods (const WsimProvider *provider, WsimClass *cls, wsim_class_decl *w)
{
  GArray *ms = g_array_new (FALSE, TRUE, sizeof (wsim_method_decl));

  for (gsize i = 0; provider != NULL && i < provider->n_methods; i++)
    {
      const WsimProvMethod *pm = &provider->methods[i];
      wsim_method_decl m = { 0 };
      GArray *params = g_array_new (FALSE, TRUE, sizeof (wsim_param_decl));

      if (pm->class_name == NULL || g_ascii_strcasecmp (pm->class_name, wsim_class_get_name (cls)) != 0)
        continue;
      m.name = g_strdup (pm->name);
      m.class_origin = g_strdup (wsim_class_get_name (cls));
      m.is_static = pm->is_static != 0;
      if (m.is_static)
        {
          m.qualifiers.qualifiers_len = 1;
          m.qualifiers.qualifiers_val = g_new0 (wsim_qualifier, 1);
          flag_qualifier (&m.qualifiers.qualifiers_val[0], "static");
        }
      for (gsize j = 0; j < pm->n_in_params; j++)
        {
          wsim_param_decl a = { 0 };

          a.name = g_strdup (pm->in_params[j].name);
          a.cimtype = pm->in_params[j].cimtype;
          a.ref_class = g_strdup ("");
          a.is_in = TRUE;
          g_array_append_val (params, a);
        }
      for (gsize j = 0; j < pm->n_out_params; j++)
        {
          const WsimProvParam *op = &pm->out_params[j];
          gboolean merged = FALSE;

          if (g_ascii_strcasecmp (op->name, "ReturnValue") == 0)
            {
              m.return_type = op->cimtype;
              continue;
            }
          for (guint k = 0; k < params->len; k++)
            if (g_ascii_strcasecmp (g_array_index (params, wsim_param_decl, k).name, op->name) == 0)
              merged = g_array_index (params, wsim_param_decl, k).is_out = TRUE;
          if (!merged)
            {
              wsim_param_decl a = { 0 };

              a.name = g_strdup (op->name);
              a.cimtype = op->cimtype;
              a.ref_class = g_strdup ("");
              a.is_out = TRUE;
              g_array_append_val (params, a);
            }
        }
      /* The [in]/[out] qualifiers, as MOF writes them. */
      for (guint k = 0; k < params->len; k++)
        {
          wsim_param_decl *a = &g_array_index (params, wsim_param_decl, k);
          guint n = (a->is_in ? 1 : 0) + (a->is_out ? 1 : 0), q = 0;

          a->qualifiers.qualifiers_len = n;
          a->qualifiers.qualifiers_val = g_new0 (wsim_qualifier, MAX (n, 1));
          if (a->is_in)
            flag_qualifier (&a->qualifiers.qualifiers_val[q++], "in");
          if (a->is_out)
            flag_qualifier (&a->qualifiers.qualifiers_val[q++], "out");
        }
      m.params.params_len = params->len;
      m.params.params_val = (wsim_param_decl *) (void *) g_array_free (params, FALSE);
      g_array_append_val (ms, m);
    }
  w->methods.methods_len = ms->len;
  w->methods.methods_val = (wsim_method_decl *) (void *) g_array_free (ms, FALSE);
}

WsimClassDecl *
wsim_repository_decl_for (const WsimProvider *provider, gboolean is_static, WsimClass *cls,
                          WsimClassDecl *parent, const char *ns)
{
  wsim_class_decl w = { 0 };
  WsimClass *pcls = wsim_class_get_parent (cls);
  guint first = pcls != NULL ? wsim_class_get_n_props (pcls) : 0;
  guint n = wsim_class_get_n_props (cls);

  w.name = g_strdup (wsim_class_get_name (cls));
  w.qualifiers.qualifiers_val = g_new0 (wsim_qualifier, 3);
  if (!is_static && provider != NULL)
    {
      /* WMI's provider classes: [dynamic, provider("Name")] ("Standard Qualifiers",
       * Microsoft Learn); they do not propagate. */
      w.qualifiers.qualifiers_len = 2;
      flag_qualifier (&w.qualifiers.qualifiers_val[0], "dynamic");
      w.qualifiers.qualifiers_val[1].name = g_strdup ("provider");
      wsim_value_set_string (&w.qualifiers.qualifiers_val[1].value, provider->name);
    }
  /* A layout (WsimProvClass, a C static class) cannot carry qualifiers, and only an
   * association may have references (CIM): such a class with a reference property is
   * declared [Association] (docs/wql.md). ToSubclass and DisableOverride, as Key. */
  for (guint i = 0; i < n; i++)
    if (wsim_class_get_prop (cls, i)->cimtype == CIM_REFERENCE)
      {
        wsim_qualifier *q = &w.qualifiers.qualifiers_val[w.qualifiers.qualifiers_len++];

        flag_qualifier (q, "Association");
        q->flavor = WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS | WBEM_FLAVOR_NOT_OVERRIDABLE;
        break;
      }
  w.props.props_len = n - first;
  w.props.props_val = g_new0 (wsim_property_decl, MAX (n - first, 1));
  for (guint i = first; i < n; i++)
    {
      const wsim_property_def *pd = wsim_class_get_prop (cls, i);
      wsim_property_decl *p = &w.props.props_val[i - first];

      p->name = g_strdup (pd->name);
      p->cimtype = pd->cimtype;
      if (pd->is_key)
        key_qualifier (p);
    }
  if (!is_static)
    fill_methods (provider, cls, &w);
  return wsim_class_decl_derive (parent, &w, ns);
}
