/* test-event-schema.c: the event system classes in a repository (runtime/server/wsim-repository.c
 * with cim/wsim-event-classes.h): every namespace has them, with their class objects, and a
 * provider's extrinsic event class derives from __ExtrinsicEvent. */
#include <criterion/criterion.h>

#include "wsim-class-decl.h"
#include "wsim-repository.h"

static const WsimProvProperty trace_props[] = {
  { "ProcessName", 8 /* CIM_STRING */, 0 },
  { "ProcessID", 19 /* CIM_UINT32 */, 0 },
};

static const WsimProvClass trace_classes[] = {
  { "Test_ProcessStartTrace", "__ExtrinsicEvent", trace_props, G_N_ELEMENTS (trace_props) },
};

static void
trace_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  ctx->ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static const WsimProvider trace_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-trace",
  .classes = trace_classes,
  .n_classes = G_N_ELEMENTS (trace_classes),
  .enumerate = trace_enumerate,
};

static const WsimProvClass bad_classes[] = {
  { "Test_Orphan", "__NoSuchEvent", trace_props, G_N_ELEMENTS (trace_props) },
};

static const WsimProvider bad_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-orphan",
  .classes = bad_classes,
  .n_classes = G_N_ELEMENTS (bad_classes),
  .enumerate = trace_enumerate,
};

Test (event_schema, every_namespace_has_the_event_classes)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  const char *const namespaces[] = { "root", "root\\cimv2", "root\\a\\b" };
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_repository_add_namespace (repo, "root\\cimv2", &error));
  cr_assert (wsim_repository_add_namespace (repo, "root\\a\\b", &error));
  for (gsize i = 0; i < G_N_ELEMENTS (namespaces); i++)
    {
      WsimClass *cls = wsim_repository_lookup_class (repo, namespaces[i], "__instancecreationevent",
                                                     &error);
      WsimClassDecl *decl;

      cr_assert_not_null (cls, "%s: %s", namespaces[i], error != NULL ? error->message : "");
      cr_assert_str_eq (wsim_class_get_name (cls), "__InstanceCreationEvent");
      cr_assert (wsim_class_is_a (cls, "__Event"));
      cr_assert (wsim_class_is_a (cls, "__SystemClass"));
      decl = wsim_repository_get_class_decl (repo, namespaces[i], "__InstanceModificationEvent", &error);
      cr_assert_not_null (decl, "%s: %s", namespaces[i], error != NULL ? error->message : "");
      cr_assert_str_eq (wsim_class_decl_get_name (decl), "__InstanceModificationEvent");
      /* No instances: an event class is not enumerated into anything. */
      cr_assert_not_null (wsim_repository_get_provider (repo, namespaces[i], cls));
    }
}

Test (event_schema, a_provider_derives_its_extrinsic_events_from_ExtrinsicEvent)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) error = NULL;
  WsimClass *cls;

  cr_assert (wsim_repository_register_provider (repo, "root\\cimv2", &trace_provider, NULL, &error),
             "%s", error != NULL ? error->message : "");
  cls = wsim_repository_lookup_class (repo, "root\\cimv2", "Test_ProcessStartTrace", &error);
  cr_assert_not_null (cls);
  cr_assert (wsim_class_is_a (cls, "__ExtrinsicEvent"));
  cr_assert (wsim_class_is_a (cls, "__Event"));
  /* It has __Event's properties, then its own. */
  cr_assert_geq (wsim_class_find_prop (cls, "TIME_CREATED"), 0);
  cr_assert_geq (wsim_class_find_prop (cls, "ProcessName"), 0);
  cr_assert_not (wsim_repository_register_provider (repo, "root\\cimv2", &bad_provider, NULL, &error));
}
