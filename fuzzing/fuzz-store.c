/* fuzz-store.c: the repository store's loader (runtime/server/wsim-repository-store.c) on an
 * arbitrary repository.dat, from memory: wsim_repository_open_store_from_data(), what
 * wsim_repository_open_store() runs on the file it read, into a fresh repository that has
 * the writes suite's static classes (root\test: Sim_Stored and Sim_Counter, as
 * tests/writes/wsim-test-writes.h declares them, so the files tests/writes/store-writer
 * saves are seeds).
 *
 * The input is the whole file; its last 32 bytes are replaced by the SHA-256 of the rest
 * (the checksum the loader checks first), so what follows the magic reaches the decoder.
 * A loaded store's instances are printed, value by value.
 */
#include "fuzz-common.h"
#include "wsim-class.h"
#include "wsim-repository-store.h"
#include "wsim-static-provider.h"
#include "wsim-value.h"

#include <string.h>

#define STORE_SUM 32

static WsimClass *
fuzz_class (const char *name, const char *second, guint32 second_type, const char *third)
{
  wsim_property_def props[] = {
    { (char *) "Name", CIM_STRING, TRUE },
    { (char *) second, second_type, FALSE },
    { (char *) third, CIM_STRING, FALSE },
  };

  return wsim_class_new (name, NULL, props, G_N_ELEMENTS (props), NULL);
}

static WsimRepository *
fuzz_repository (void)
{
  WsimRepository *repo = wsim_repository_new ();
  g_autoptr (WsimClass) stored = fuzz_class ("Sim_Stored", "Size", CIM_UINT32, "Note");
  g_autoptr (WsimClass) counter = fuzz_class ("Sim_Counter", "Counter", CIM_UINT32, "Payload");
  WsimClass *classes[] = { stored, counter };

  if (!wsim_repository_register_static (repo, "root\\test", classes, 2, NULL, NULL))
    g_error ("fuzz-store: the static classes do not register");
  return repo;
}

static void
print_instances (WsimRepository *repo)
{
  g_autoptr (GPtrArray) states = wsim_repository_static_states (repo);

  for (guint i = 0; i < states->len; i++)
    {
      GPtrArray *insts = wsim_static_state_get_instances (states->pdata[i]);

      for (guint k = 0; k < insts->len; k++)
        {
          WsimObject *obj = insts->pdata[k];

          for (guint p = 0; p < wsim_class_get_n_props (wsim_object_get_class (obj)); p++)
            g_free (wsim_value_to_string (wsim_object_get_value (obj, p)));
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree guint8 *file = g_memdup2 (data, size);
  g_autoptr (GError) error = NULL;
  WsimRepository *repo = fuzz_repository ();
  gboolean ok;

  if (size >= STORE_SUM)
    {
      g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      gsize digest_len = STORE_SUM;

      g_checksum_update (sum, file, size - STORE_SUM);
      g_checksum_get_digest (sum, file + size - STORE_SUM, &digest_len);
    }
  /* The directory is only where a later save would go: nothing here saves. */
  ok = wsim_repository_open_store_from_data (repo, "/nonexistent/fuzz-store", file, size, &error);
  g_assert (ok == (error == NULL));
  g_assert (ok == (wsim_repository_get_store (repo) != NULL));
  if (ok)
    print_instances (repo);
  wsim_repository_free (repo);
  return 0;
}
