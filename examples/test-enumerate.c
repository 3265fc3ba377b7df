/* test-enumerate.c: a user's test of a WMI consumer, on wmisim's embedded harness.
 *
 * The harness stands up a whole WMI in this process: a server on its own thread, a client
 * connected to it over loopback TCP, root\cimv2 open. The test gives the server a provider
 * of its own (the provider ABI, wsim-provider.h: a table of functions, no module needed),
 * makes CreateInstanceEnumAsync with a sink of its own, and checks what the sink saw: the
 * instances, then exactly one final SetStatus with WBEM_S_NO_ERROR.
 *
 * Only installed headers are used; build flags come from `pkg-config wmisim`. */
#include <criterion/criterion.h>
#include <string.h>

#include <wsim-harness.h>
#include <wsim-provider.h>
#include <wsim-value.h>
#include <wsim-wbem.h>

/* ---- the provider: three instances of Example_Disk -------------------------------- */

static const WsimProvProperty disk_props[] = {
  { "Name", WSIM_PROV_STRING, 1 },   /* the key */
  { "Size", WSIM_PROV_UINT64, 0 },
};
static const WsimProvClass disk_classes[] = {
  { "Example_Disk", NULL, disk_props, 2 },
};

static const struct { const char *name; uint64_t size; } disks[] = {
  { "disk0", 512 }, { "disk1", 1024 }, { "disk2", 2048 },
};

static void
disk_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;

  for (size_t i = 0; i < G_N_ELEMENTS (disks); i++)
    {
      WsimProvInstance *inst = ops->new_instance (ctx, class_name);

      ops->set_string (inst, "Name", disks[i].name);
      ops->set_uint64 (inst, "Size", disks[i].size);
      if (ops->post_instance (ctx, inst) == WSIM_PROV_DROPPED)
        return;   /* the call was cancelled: the runtime has ended it */
    }
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static const WsimProvider disk_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "example-disks",
  .classes = disk_classes,
  .n_classes = G_N_ELEMENTS (disk_classes),
  .enumerate = disk_enumerate,
};

/* Runs on the server's thread before it listens. */
static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  return wsim_repository_register_provider (wsim_server_get_repository (server), "root\\cimv2",
                                            &disk_provider, NULL, error);
}

/* ---- the sink: what IWbemObjectSink receives -------------------------------------- */

typedef struct {
  GPtrArray  *rows;       /* "disk0=512", … in the order they came */
  guint       n_final;    /* final SetStatus calls: the contract says exactly one */
  WsimHResult final_hr;
} Seen;

static void
on_indicate (WsimSink *sink, WsimObject *const *objects, guint n, gpointer user_data)
{
  Seen *seen = user_data;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = wsim_value_to_string (wsim_object_lookup (objects[i], "Name"));
      g_autofree char *size = wsim_value_to_string (wsim_object_lookup (objects[i], "Size"));

      g_ptr_array_add (seen->rows, g_strdup_printf ("%s=%s", name, size));
    }
}

static void
on_set_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
               WsimObject *obj_param, gpointer user_data)
{
  Seen *seen = user_data;

  if (flags == WBEM_STATUS_COMPLETE)
    {
      seen->n_final++;
      seen->final_hr = hr;
    }
}

static const WsimSinkOps seen_ops = { on_indicate, on_set_status };

static gboolean
final_came (gpointer data)
{
  return ((Seen *) data)->n_final > 0;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* ---- the test ---------------------------------------------------------------------- */

Test (example, enumerate_through_the_harness, .timeout = 60)
{
  g_autoptr(GError) error = NULL;
  WsimHarness *h = wsim_harness_new (setup, NULL, &error);

  cr_assert_not_null (h, "harness: %s", error != NULL ? error->message : "");

  Seen seen = { .rows = g_ptr_array_new_with_free_func (g_free) };
  WsimSink *sink = wsim_sink_new (&seen_ops, &seen, NULL);
  WsimHResult hr = wsim_services_create_instance_enum_async (wsim_harness_get_services (h),
                                                             "Example_Disk", 0, sink, &error);

  cr_assert_eq (hr, WBEM_S_NO_ERROR, "CreateInstanceEnumAsync: %s",
                error != NULL ? error->message : wsim_hresult_name (hr));
  /* The sink runs on the harness's context: iterate it until the final SetStatus. */
  cr_assert (wsim_harness_run_until (h, final_came, &seen, 20000), "no final SetStatus");

  cr_assert_eq (seen.final_hr, WBEM_S_NO_ERROR, "final: %s", wsim_hresult_name (seen.final_hr));
  cr_assert_eq (seen.rows->len, G_N_ELEMENTS (disks));
  for (guint i = 0; i < seen.rows->len; i++)
    {
      g_autofree char *want = g_strdup_printf ("%s=%" G_GUINT64_FORMAT, disks[i].name,
                                               (guint64) disks[i].size);
      cr_assert_str_eq (g_ptr_array_index (seen.rows, i), want);
    }

  /* Nothing after the final one: give stray callbacks 200 ms to come. */
  wsim_harness_run_until (h, never, NULL, 200);
  cr_assert_eq (seen.n_final, 1);

  wsim_sink_unref (sink);
  g_ptr_array_unref (seen.rows);
  wsim_harness_free (h);
}
