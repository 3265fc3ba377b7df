/* wmisim-mofcomp.c: `wmisim mofcomp FILE…`: compiles and checks MOF files and summarises
 * them. Nothing is sent to a server: that needs PutClass/PutInstance (docs/cli.md). */
#include "wmisim-mofcomp.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "wsim-mof.h"
#include "wsim-value.h"

static void
print_summary (const char *path, const WsimMofResult *r)
{
  guint n_classes = 0, n_instances = 0;

  for (guint i = 0; i < r->namespaces->len; i++)
    {
      const WsimMofNamespace *ns = r->namespaces->pdata[i];

      n_classes += ns->classes->len;
      n_instances += ns->instances->len;
    }
  printf ("%s: %u namespace%s, %u class%s, %u instance%s\n", path, r->namespaces->len,
          r->namespaces->len == 1 ? "" : "s", n_classes, n_classes == 1 ? "" : "es",
          n_instances, n_instances == 1 ? "" : "s");
  for (guint i = 0; i < r->namespaces->len; i++)
    {
      const WsimMofNamespace *ns = r->namespaces->pdata[i];

      printf ("namespace %s\n", ns->name);
      for (guint c = 0; c < ns->classes->len; c++)
        {
          const WsimMofClass *mc = ns->classes->pdata[c];
          WsimClass *parent = wsim_class_get_parent (mc->cls);
          guint n_inst = 0;

          for (guint k = 0; k < ns->instances->len; k++)
            if (wsim_object_get_class (ns->instances->pdata[k]) == mc->cls)
              n_inst++;
          printf ("  class %s%s%s%s: %u properties (%u own), %u method%s, %u instance%s\n",
                  wsim_class_get_name (mc->cls), parent != NULL ? " : " : "",
                  parent != NULL ? wsim_class_get_name (parent) : "",
                  mc->is_abstract ? " (abstract)" : "", wsim_class_get_n_props (mc->cls),
                  mc->properties->len, mc->methods->len, mc->methods->len == 1 ? "" : "s",
                  n_inst, n_inst == 1 ? "" : "s");
        }
      for (guint k = 0; k < ns->instances->len; k++)
        {
          g_autofree char *p = wsim_object_get_path (ns->instances->pdata[k]);

          printf ("  instance %s\n", p);
        }
    }
}

int
wsim_cli_mofcomp (int argc, char **argv)
{
  int ret = EXIT_SUCCESS;

  if (argc < 3 || g_str_equal (argv[2], "--help") || g_str_equal (argv[2], "-h"))
    {
      fprintf (argc < 3 ? stderr : stdout,
               "Usage: wmisim mofcomp FILE.mof...\n"
               "Compiles and checks MOF files (the subset of docs/mof.md) and prints what each\n"
               "declares. Exit status 1 on the first error (FILE:LINE:COLUMN: ...).\n"
               "Load the result into a server with wmisimd --mof FILE or wmisim --mof FILE.\n");
      return argc < 3 ? 2 : EXIT_SUCCESS;
    }
  for (int i = 2; i < argc && ret == EXIT_SUCCESS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WsimMofResult) r = wsim_mof_compile_file (argv[i], NULL, NULL, &error);

      if (r == NULL)
        {
          fprintf (stderr, "wmisim mofcomp: %s\n", error->message);
          ret = EXIT_FAILURE;
        }
      else
        print_summary (argv[i], r);
    }
  return ret;
}
