/* wsim-extended-status.c: the __ExtendedStatus class, its instances and their one-line form. */
#include "wsim-extended-status.h"

#include <string.h>

#include "wsim-value.h"

WsimClass *
wsim_extended_status_class (void)
{
  static gsize cls;

  /* Immutable once built, so one for the process: every server and client shares it. */
  if (g_once_init_enter (&cls))
    {
      static const wsim_property_def notify_props[] = {
        { (char *) WSIM_EXTENDED_STATUS_STATUS_CODE, CIM_UINT32, FALSE },
      };
      static const wsim_property_def props[] = {
        { (char *) WSIM_EXTENDED_STATUS_DESCRIPTION, CIM_STRING, FALSE },
        { (char *) WSIM_EXTENDED_STATUS_OPERATION, CIM_STRING, FALSE },
        { (char *) WSIM_EXTENDED_STATUS_PARAMETER, CIM_STRING, FALSE },
        { (char *) WSIM_EXTENDED_STATUS_PROVIDER, CIM_STRING, FALSE },
      };
      g_autoptr(WsimClass) notify = wsim_class_new (WSIM_NOTIFY_STATUS_CLASS, NULL, notify_props,
                                                    G_N_ELEMENTS (notify_props), NULL);
      WsimClass *ext = wsim_class_new (WSIM_EXTENDED_STATUS_CLASS, notify, props,
                                       G_N_ELEMENTS (props), NULL);

      g_once_init_leave (&cls, (gsize) ext);
    }
  return (WsimClass *) cls;
}

static void
set_string (WsimObject *obj, const char *name, const char *s)
{
  gint idx = wsim_class_find_prop (wsim_object_get_class (obj), name);

  if (s != NULL)
    wsim_value_set_string (wsim_object_get_value (obj, (guint) idx), s);
}

WsimObject *
wsim_extended_status_new (guint32 status_code, const char *description, const char *operation,
                          const char *parameter_info, const char *provider_name)
{
  WsimObject *obj = wsim_object_new (wsim_extended_status_class ());
  wsim_value *code = wsim_object_get_value (
      obj, (guint) wsim_class_find_prop (wsim_object_get_class (obj), WSIM_EXTENDED_STATUS_STATUS_CODE));

  code->type = CIM_UINT32;
  code->wsim_value_u.v_uint32 = status_code;
  set_string (obj, WSIM_EXTENDED_STATUS_DESCRIPTION, description);
  set_string (obj, WSIM_EXTENDED_STATUS_OPERATION, operation);
  set_string (obj, WSIM_EXTENDED_STATUS_PARAMETER, parameter_info);
  set_string (obj, WSIM_EXTENDED_STATUS_PROVIDER, provider_name);
  return obj;
}

static const char *
get_string (WsimObject *obj, const char *name)
{
  const wsim_value *v = wsim_object_lookup (obj, name);

  return v != NULL && v->type == CIM_STRING ? v->wsim_value_u.v_string : NULL;
}

char *
wsim_extended_status_describe (WsimObject *obj)
{
  static const struct {
    const char *name;
    gboolean    quoted;   /* free text, which may hold spaces and semicolons */
  } fields[] = {
    { WSIM_EXTENDED_STATUS_OPERATION, FALSE },
    { WSIM_EXTENDED_STATUS_PARAMETER, TRUE },
    { WSIM_EXTENDED_STATUS_PROVIDER, FALSE },
    { WSIM_EXTENDED_STATUS_DESCRIPTION, TRUE },
  };
  WsimClass *cls;
  GString *line;

  if (obj == NULL)
    return NULL;
  cls = wsim_object_get_class (obj);
  /* A class learnt from the wire is flattened (no parent object): its definition still
   * names the superclass, which is enough for one level of derivation. */
  if (!wsim_class_is_a (cls, WSIM_EXTENDED_STATUS_CLASS)
      && g_ascii_strcasecmp (wsim_class_get_def (cls)->superclass, WSIM_EXTENDED_STATUS_CLASS) != 0)
    return NULL;
  line = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *s = get_string (obj, fields[i].name);

      if (s == NULL)
        continue;
      g_string_append_printf (line, "%s%s %s%s%s", line->len > 0 ? "; " : "", fields[i].name,
                              fields[i].quoted ? "\"" : "", s, fields[i].quoted ? "\"" : "");
    }
  return g_string_free (line, FALSE);
}
