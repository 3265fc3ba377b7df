/* store-writer.c: the kill test's writer (test-writes.c, kill_the_writer): a repository with
 * its store in DIR, whose Sim_Counter.Name="k" it sets to Counter BASE+1 … BASE+COUNT, saving
 * the store after each (wsim_repository_store_save(): on disk when it returns). After each
 * save it prints the Counter on stdout, so the test knows which states were committed when
 * it kills this process. It does nothing but write, so a kill lands mid-write most of the
 * time: the internal static provider API is used directly (tests may), no server. Each
 * state also puts the class Sim_Gen whose Counter defaults to the same Counter (a class
 * change in the same save: the two must never disagree).
 *
 *   store-writer DIR BASE COUNT
 *
 * Payload is Counter's own pattern (payload_for()), long enough to take several write()
 * calls: a torn file would show a Payload that does not match its Counter. */
#define WSIM_TEST_WRITES_NO_HARNESS 1

#include <stdio.h>
#include <stdlib.h>

#include "wsim-test-writes.h"
#include "wsim-test-payload.h"

#include "wsim-hresult.h"
#include "wsim-static-provider.h"

int
main (int argc, char **argv)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) error = NULL;
  WsimClass *cls;
  gpointer state;
  guint base, count;

  if (argc != 4)
    {
      fprintf (stderr, "usage: store-writer DIR BASE COUNT\n");
      return 2;
    }
  base = (guint) strtoul (argv[2], NULL, 10);
  count = (guint) strtoul (argv[3], NULL, 10);
  if (!writes_register (repo, &error) || !wsim_repository_open_store (repo, argv[1], &error))
    {
      fprintf (stderr, "store-writer: %s\n", error->message);
      return 1;
    }
  cls = wsim_repository_lookup_class (repo, "root\\test", "Sim_Counter", NULL);
  state = wsim_provider_reg_get_state (wsim_repository_get_provider (repo, "root\\test", cls));
  for (guint i = 1; i <= count; i++)
    {
      guint counter = base + i;
      g_autofree char *ctext = g_strdup_printf ("%u", counter);
      g_autofree char *payload = payload_for (counter);
      g_autoptr(WsimObject) obj = writes_object (cls, "Name", "k", "Counter", ctext,
                                                 "Payload", payload, NULL);
      g_autofree char *mof = g_strdup_printf ("class Sim_Gen { uint32 Counter = %u; };", counter);
      g_autoptr(GPtrArray) gen = writes_mof_classes (mof);

      if (!wsim_repository_put_class (repo, "root\\test", wsim_class_decl_get_wire (gen->pdata[0]),
                                      WBEM_FLAG_CREATE_OR_UPDATE, &error)
          || wsim_static_state_put (state, obj, WBEM_FLAG_CREATE_OR_UPDATE, NULL) != WBEM_S_NO_ERROR
          || !wsim_repository_store_save (repo, &error))
        {
          fprintf (stderr, "store-writer: put %u: %s\n", counter, error ? error->message : "");
          return 1;
        }
      printf ("%u\n", counter);
      fflush (stdout);
    }
  return 0;
}
