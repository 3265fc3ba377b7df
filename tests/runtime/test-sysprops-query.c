/* test-sysprops-query.c: WQL on WMI's system properties through a server.
 *
 * Owns the proof that the server accepts system property names (__CLASS, __RELPATH, …) in
 * a query's WHERE and SELECT lists, filters a deep query with them (computing them per
 * object: __CLASS, __DERIVATION, __NAMESPACE …), and adds no column of that name to the
 * rows (the client computes them, see wsim-system-props.h).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-harness.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define LONG_WAIT 20000   /* ms: generous, valgrind runs these too */

/* Zoo_Animal <- Zoo_Bird <- Zoo_Parrot, and Zoo_Animal <- Zoo_Fish; the provider posts
 * two instances of each concrete class it is asked for (keys Name). */
static const WsimProvProperty animal_props[] = { { "Name", WSIM_PROV_STRING, 1 } };
static const WsimProvProperty bird_props[] = { { "Wings", WSIM_PROV_UINT32, 0 } };
static const WsimProvProperty parrot_props[] = { { "Words", WSIM_PROV_UINT32, 0 } };
static const WsimProvProperty fish_props[] = { { "Fins", WSIM_PROV_UINT32, 0 } };
static const WsimProvClass zoo_classes[] = {
  { "Zoo_Animal", NULL, animal_props, 1 },
  { "Zoo_Bird", "Zoo_Animal", bird_props, 1 },
  { "Zoo_Parrot", "Zoo_Bird", parrot_props, 1 },
  { "Zoo_Fish", "Zoo_Animal", fish_props, 1 },
};

static void
zoo_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;

  if (strcmp (class_name, "Zoo_Animal") != 0)
    for (int i = 0; i < 2; i++)
      {
        WsimProvInstance *inst = ops->new_instance (ctx, class_name);
        g_autofree char *name = g_strdup_printf ("%s%d", class_name + 4, i);

        ops->set_string (inst, "Name", name);
        ops->post_instance (ctx, inst);
      }
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static const WsimProvider zoo_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-zoo",
  .classes = zoo_classes,
  .n_classes = G_N_ELEMENTS (zoo_classes),
  .enumerate = zoo_enumerate,
};

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  return wsim_repository_register_provider (wsim_server_get_repository (server), "root\\zoo",
                                            &zoo_provider, NULL, error);
}

static WsimHarness *h;
static WsimServices *zoo;

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  h = wsim_harness_new (setup, NULL, &error);
  cr_assert_not_null (h, "harness: %s", error ? error->message : "");
  zoo = wsim_client_open_namespace (wsim_harness_get_client (h), "root\\zoo", &error);
  cr_assert_not_null (zoo, "root\\zoo: %s", error ? error->message : "");
}

static void
stop (void)
{
  g_clear_pointer (&zoo, wsim_services_unref);
  wsim_harness_free (h);
  h = NULL;
}

TestSuite (sysprops_query, .init = start, .fini = stop, .timeout = 60);

static gint
cmp_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Runs @q; returns the objects' Name values sorted and joined by ",", or NULL with @hr set
 * if the call was refused or failed. */
static char *
names_of (const char *q, WsimHResult *hr)
{
  WsimSinkRecorder *rec;
  g_autoptr(WsimSink) sink = wsim_sink_recorder_new (&rec);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  *hr = wsim_services_exec_query_async (zoo, "WQL", q, 0, sink, NULL);
  if (*hr != WBEM_S_NO_ERROR)
    return NULL;
  cr_assert (wsim_harness_run_until (h, wsim_sink_recorder_is_complete, rec, LONG_WAIT), "%s", q);
  cr_assert_eq (rec->n_final, 1);
  *hr = rec->final_hr;
  if (*hr != WBEM_S_NO_ERROR)
    return NULL;
  for (guint i = 0; i < rec->objects->len; i++)
    {
      const wsim_value *v = wsim_object_lookup (rec->objects->pdata[i], "Name");

      cr_assert_not_null (v);
      cr_assert_null (wsim_object_lookup (rec->objects->pdata[i], "__CLASS"),
                      "no __CLASS column on the wire");
      g_ptr_array_add (names, wsim_value_to_string (v));
    }
  g_ptr_array_sort (names, cmp_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static void
assert_names (const char *q, const char *want)
{
  WsimHResult hr;
  g_autofree char *got = names_of (q, &hr);

  cr_assert_eq (hr, WBEM_S_NO_ERROR, "%s: 0x%08X", q, hr);
  cr_assert_str_eq (got, want, "%s", q);
}

Test (sysprops_query, where_on_class_filters_a_deep_query)
{
  assert_names ("SELECT * FROM Zoo_Animal", "Bird0,Bird1,Fish0,Fish1,Parrot0,Parrot1");
  assert_names ("SELECT __CLASS, __RELPATH, Name FROM Zoo_Animal WHERE __CLASS = 'Zoo_Bird'",
                "Bird0,Bird1");
  assert_names ("SELECT Name FROM Zoo_Animal WHERE __class = 'zoo_parrot'", "Parrot0,Parrot1");
  assert_names ("SELECT Name FROM Zoo_Animal WHERE __CLASS <> 'Zoo_Fish' AND __SUPERCLASS = 'Zoo_Bird'",
                "Parrot0,Parrot1");
  assert_names ("SELECT Name FROM Zoo_Bird WHERE __CLASS = 'Zoo_Fish'", "");
}

Test (sysprops_query, where_on_the_other_system_properties)
{
  g_autofree char *path = g_strdup_printf ("SELECT Name FROM Zoo_Animal WHERE __PATH = "
                                           "'\\\\\\\\%s\\\\root\\\\zoo:Zoo_Fish.Name=\"Fish1\"'",
                                           g_get_host_name ());

  assert_names ("SELECT Name FROM Zoo_Animal WHERE __RELPATH = 'Zoo_Parrot.Name=\"Parrot0\"'", "Parrot0");
  assert_names ("SELECT Name FROM Zoo_Animal WHERE __DYNASTY = 'Zoo_Animal' AND __GENUS = 2 "
                "AND __PROPERTY_COUNT = 3", "Parrot0,Parrot1");
  assert_names ("SELECT Name FROM Zoo_Animal WHERE __NAMESPACE = 'root\\\\zoo' AND __CLASS = 'Zoo_Fish'",
                "Fish0,Fish1");
  assert_names (path, "Fish1");
  assert_names ("SELECT Name FROM Zoo_Fish WHERE __SUPERCLASS IS NULL", "");
}

Test (sysprops_query, unknown_double_underscore_names_are_refused)
{
  WsimHResult hr;
  g_autofree char *got = names_of ("SELECT Name FROM Zoo_Animal WHERE __NOPE = 1", &hr);

  cr_assert_null (got);
  cr_assert_eq (hr, WBEM_E_INVALID_QUERY, "0x%08X", hr);
}
