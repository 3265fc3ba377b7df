/* wmisim-schema.c: printing class objects for the CLI (see wmisim-schema.h). */
#include "wmisim-schema.h"

#include <string.h>

static void
print_list (GPtrArray *classes, gboolean csv, FILE *out)
{
  int width = (int) strlen ("Name");

  for (guint i = 0; i < classes->len; i++)
    width = MAX (width, (int) strlen (wsim_class_decl_get_name (classes->pdata[i])));
  if (csv)
    fprintf (out, "Name,Superclass\n");
  else
    fprintf (out, "%-*s  %s\n", width, "Name", "Superclass");
  for (guint i = 0; i < classes->len; i++)
    {
      WsimClassDecl *d = classes->pdata[i];

      if (csv)
        fprintf (out, "%s,%s\n", wsim_class_decl_get_name (d), wsim_class_decl_get_superclass (d));
      else
        fprintf (out, "%-*s  %s\n", width, wsim_class_decl_get_name (d),
                 wsim_class_decl_get_superclass (d));
    }
}

void
wsim_cli_print_classes (GPtrArray *classes, WsimCliClassStyle style, gboolean json, gboolean csv,
                        FILE *out)
{
  if (json)
    {
      for (guint i = 0; i < classes->len; i++)
        {
          g_autoptr(GString) s = g_string_new (NULL);

          wsim_class_decl_to_json (classes->pdata[i], s);
          fprintf (out, "%s\n", s->str);
        }
      return;
    }
  if (style == WSIM_CLI_CLASS_LIST)
    {
      print_list (classes, csv, out);
      return;
    }
  for (guint i = 0; i < classes->len; i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      wsim_class_decl_to_mof (classes->pdata[i], s);
      fprintf (out, "%s%s", i > 0 ? "\n" : "", s->str);
    }
}
