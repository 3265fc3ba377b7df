/* wsim-sink-rows.c: decoded rows and classes into objects (see wsim-sink-rows.h). */
#include "wsim-sink-rows.h"

gboolean
wsim_sink_rows_learn_classes (GPtrArray *classes, const wsim_class_def *defs, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      WsimClass *cls = wsim_class_new_from_def (&defs[i], NULL);

      if (cls == NULL)
        return FALSE;
      g_ptr_array_add (classes, cls);
    }
  return TRUE;
}

WsimObject *
wsim_sink_rows_to_object (GPtrArray *classes, wsim_instance *row)
{
  WsimClass *cls;
  wsim_value *values;

  if (row->class_idx >= classes->len)
    return NULL;
  cls = classes->pdata[row->class_idx];
  if (row->values.values_len != wsim_class_get_n_props (cls))
    return NULL;
  values = row->values.values_val;
  if (values == NULL)
    values = g_new0 (wsim_value, 1);
  row->values.values_val = NULL;
  row->values.values_len = 0;
  return wsim_object_new_take_values (cls, values);
}
