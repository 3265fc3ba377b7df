/* wsim-system-props.c: WMI's system properties, computed from an object (see the header). */
#include "wsim-system-props.h"

#include "wsim-value.h"

/* WBEM_GENUS_INSTANCE (wbemcli.h): every WsimObject is an instance; classes are not
 * served as objects (WBEM_GENUS_CLASS, 1, never arises here). */
#define GENUS_INSTANCE 2

static const char *const system_names[] = {
  "__GENUS", "__CLASS", "__SUPERCLASS", "__DYNASTY", "__RELPATH", "__PROPERTY_COUNT",
  "__DERIVATION", "__SERVER", "__NAMESPACE", "__PATH", NULL,
};

gboolean
wsim_is_system_property (const char *name)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; system_names[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, system_names[i]) == 0)
      return TRUE;
  return FALSE;
}

const char *const *
wsim_system_property_names (void)
{
  return system_names;
}

static const char *
superclass_name (WsimClass *cls)
{
  WsimClass *parent = wsim_class_get_parent (cls);

  if (parent != NULL)
    return wsim_class_get_name (parent);
  /* A class learnt from the wire has no parent object, only its superclass's name. */
  if (wsim_class_get_def (cls)->superclass != NULL && wsim_class_get_def (cls)->superclass[0] != '\0')
    return wsim_class_get_def (cls)->superclass;
  return NULL;
}

/* The ancestors, parent first (WMI's __DERIVATION order), as far as they are known. */
static GPtrArray *
derivation (WsimClass *cls)
{
  GPtrArray *names = g_ptr_array_new ();

  for (WsimClass *c = cls; c != NULL; c = wsim_class_get_parent (c))
    {
      const char *super = superclass_name (c);

      if (super == NULL)
        break;
      g_ptr_array_add (names, (gpointer) super);
    }
  return names;
}

static void
set_sint32 (wsim_value *out, gint32 n)
{
  wsim_value_clear (out);
  out->type = CIM_SINT32;
  out->wsim_value_u.v_sint32 = n;
}

/* A partial instance without its keys (a projection without WBEM_FLAG_ENSURE_LOCATABLE)
 * cannot be located: WMI gives it no __RELPATH and no __PATH. */
static gboolean
keys_present (WsimObject *obj)
{
  WsimClass *cls = wsim_object_get_class (obj);

  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    if (wsim_class_get_prop (cls, i)->is_key && wsim_value_is_null (wsim_object_get_value (obj, i)))
      return FALSE;
  return TRUE;
}

gboolean
wsim_object_get_system_property (WsimObject *obj, const char *name, const char *ns,
                                 const char *server, wsim_value *out)
{
  WsimClass *cls = wsim_object_get_class (obj);

  wsim_value_clear (out);
  if (g_ascii_strcasecmp (name, "__CLASS") == 0)
    wsim_value_set_string (out, wsim_class_get_name (cls));
  else if (g_ascii_strcasecmp (name, "__SUPERCLASS") == 0)
    wsim_value_set_string (out, superclass_name (cls));
  else if (g_ascii_strcasecmp (name, "__DYNASTY") == 0)
    {
      g_autoptr(GPtrArray) names = derivation (cls);

      /* A root class is its own dynasty. */
      wsim_value_set_string (out, names->len > 0 ? g_ptr_array_index (names, names->len - 1)
                                                 : wsim_class_get_name (cls));
    }
  else if (g_ascii_strcasecmp (name, "__DERIVATION") == 0)
    {
      g_autoptr(GPtrArray) names = derivation (cls);
      char **val = g_new0 (char *, MAX (names->len, 1));

      for (guint i = 0; i < names->len; i++)
        val[i] = g_strdup (g_ptr_array_index (names, i));
      out->type = WSIM_CIM_STRING_ARRAY;
      out->wsim_value_u.a_string.a_string_len = names->len;
      out->wsim_value_u.a_string.a_string_val = val;
    }
  else if (g_ascii_strcasecmp (name, "__GENUS") == 0)
    set_sint32 (out, GENUS_INSTANCE);
  else if (g_ascii_strcasecmp (name, "__PROPERTY_COUNT") == 0)
    set_sint32 (out, (gint32) wsim_class_get_n_props (cls));
  else if (g_ascii_strcasecmp (name, "__RELPATH") == 0)
    {
      g_autofree char *rel = keys_present (obj) ? wsim_object_get_path (obj) : NULL;

      wsim_value_set_string (out, rel);
    }
  else if (g_ascii_strcasecmp (name, "__PATH") == 0)
    {
      if (ns != NULL && server != NULL && keys_present (obj))
        {
          g_autofree char *rel = wsim_object_get_path (obj);
          g_autofree char *full = g_strdup_printf ("\\\\%s\\%s:%s", server, ns, rel);

          wsim_value_set_string (out, full);
        }
    }
  else if (g_ascii_strcasecmp (name, "__NAMESPACE") == 0)
    wsim_value_set_string (out, ns);
  else if (g_ascii_strcasecmp (name, "__SERVER") == 0)
    wsim_value_set_string (out, server);
  else
    return FALSE;
  return TRUE;
}
