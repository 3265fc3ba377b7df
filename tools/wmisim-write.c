/* wmisim-write.c: what `wmisim put` and `wmisim delete` print (see wmisim-write.h); the
 * calls themselves go through wmisim.c's one async path, as every other command's. */
#include "wmisim-write.h"

#include <stdio.h>

#include "wsim-wbem.h"

gint32
wsim_cli_write_flags (gboolean create_only, gboolean update_only)
{
  if (create_only && update_only)
    {
      fprintf (stderr, "wmisim: --create-only and --update-only exclude each other\n");
      return -1;
    }
  return create_only ? WBEM_FLAG_CREATE_ONLY : update_only ? WBEM_FLAG_UPDATE_ONLY
                                                           : WBEM_FLAG_CREATE_OR_UPDATE;
}

void
wsim_cli_write_report (gboolean is_delete, const char *target, const WsimSinkRecorder *rec)
{
  if (is_delete)
    {
      printf ("Deleting instance %s\nInstance deletion successful.\n", target);
      return;
    }
  printf ("Putting instance of %s\nInstance put successful; its path:\n%s\n", target,
          rec->final_str_param != NULL ? rec->final_str_param : "");
}
