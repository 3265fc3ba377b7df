/* test-sync-write.c: synchronous PutInstance, DeleteInstance, PutClass and DeleteClass
 * (wsim-sync.h), each one async call waited for by wsim_sync_call_run().
 *
 * A harness with docs/examples/sim-test.mof in root\test (Sim_Widget: Name key, Count = 1
 * and Enabled = TRUE by default). Each call's success, its final failure with the error
 * object, and its immediate refusal (no error object) are asserted with WMI's HRESULTs. */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-test-harness.h"
#include "wsim-class-decl.h"
#include "wsim-mof.h"
#include "wsim-enumerator.h"
#include "wsim-sync.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define WAIT 20000   /* ms: generous, valgrind runs these too */

static gboolean
setup (WsimServer *server, gpointer data, GError **error)
{
  return wsim_repository_load_mof (wsim_server_get_repository (server), WSIM_MOF_EXAMPLE, error);
}

static WsimHarness *h;

static void
start (void)
{
  h = wsim_test_harness_start (setup, NULL);
}

static void
stop (void)
{
  wsim_test_harness_stop (&h);
}

TestSuite (semisync, .init = start, .fini = stop, .timeout = 60);

/* A client-side Sim_Widget (or @class_name) with Name set: what the caller gives. */
static WsimObject *
named (const char *class_name, const char *name)
{
  wsim_property_def def = { (char *) "Name", CIM_STRING, TRUE };
  g_autoptr(WsimClass) cls = wsim_class_new (class_name, NULL, &def, 1, NULL);
  WsimObject *obj = wsim_object_new (cls);

  wsim_value_set_string (wsim_object_get_value (obj, 0), name);
  return obj;
}

static char *
text_of (WsimObject *obj, const char *prop)
{
  return wsim_value_to_string (wsim_object_lookup (obj, prop));
}

Test (semisync, sync_put_and_delete_instance)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) w = named ("Sim_Widget", "s1");
  g_autoptr(WsimObject) got = NULL;
  g_autoptr(WsimObject) err = NULL;
  g_autoptr(WsimObject) err2 = NULL;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *again = NULL;
  g_autofree char *count = NULL;
  g_autofree char *enabled = NULL;
  g_autofree char *param = NULL;

  cr_assert_eq (wsim_services_put_instance (s, w, WBEM_FLAG_CREATE_ONLY, WAIT, &path, NULL, &e1),
                WBEM_S_NO_ERROR, "%s", e1 ? e1->message : "");
  cr_assert_str_eq (path, "Sim_Widget.Name=\"s1\"");
  cr_assert_eq (wsim_services_get_object (s, path, 0, WAIT, &got, NULL, NULL), WBEM_S_NO_ERROR);
  count = text_of (got, "Count");
  enabled = text_of (got, "Enabled");
  cr_assert_str_eq (count, "1");                 /* the class's defaults */
  cr_assert_str_eq (enabled, "TRUE");
  /* CREATE_ONLY of an existing instance: the final's failure, with its error object. */
  cr_assert_eq (wsim_services_put_instance (s, w, WBEM_FLAG_CREATE_ONLY, WAIT, &again, &err, &e2),
                WBEM_E_ALREADY_EXISTS);
  cr_assert_null (again);
  cr_assert (g_error_matches (e2, WSIM_WBEM_ERROR, (gint) WBEM_E_ALREADY_EXISTS));
  cr_assert_not_null (err);
  param = text_of (err, "ParameterInfo");
  cr_assert_str_eq (param, "Sim_Widget.Name=\"s1\"");
  cr_assert_eq (wsim_services_delete_instance (s, path, 0, WAIT, NULL, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_services_delete_instance (s, path, 0, WAIT, &err2, &e3), WBEM_E_NOT_FOUND);
  cr_assert_not_null (err2);
  cr_assert (g_error_matches (e3, WSIM_WBEM_ERROR, (gint) WBEM_E_NOT_FOUND));
}

/* Refused before it starts: the immediate HRESULT, no error object, nothing to wait for. */
Test (semisync, sync_put_refused)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimObject) nope = named ("Sim_Nope", "x");
  g_autoptr(WsimObject) w = named ("Sim_Widget", "x");
  g_autoptr(WsimObject) err = NULL;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autofree char *path = NULL;

  cr_assert_eq (wsim_services_put_instance (s, nope, 0, WAIT, &path, &err, &e1),
                WBEM_E_INVALID_CLASS);
  cr_assert_null (path);
  cr_assert_null (err);
  cr_assert (g_error_matches (e1, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_CLASS));
  cr_assert_eq (wsim_services_put_instance (s, w, WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_UPDATE_ONLY,
                                            WAIT, NULL, NULL, &e2), WBEM_E_INVALID_PARAMETER);
}

Test (semisync, sync_put_and_delete_class)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimMofResult) res = wsim_mof_compile_string ("class Sim_Sync { [key] string Name; "
                                                          "uint8 Level = 4; };", "sync.mof",
                                                          NULL, NULL, &error);
  g_autoptr(WsimClassDecl) decl = NULL;
  g_autoptr(WsimObject) obj = named ("Sim_Sync", "a");
  g_autoptr(WsimObject) got = NULL;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autofree char *level = NULL;
  WsimMofNamespace *ns;

  cr_assert_not_null (res, "%s", error ? error->message : "");
  ns = res->namespaces->pdata[0];
  decl = wsim_mof_class_decl (ns->classes->pdata[0], NULL, "root\\test");
  cr_assert_eq (wsim_services_put_class (s, decl, WBEM_FLAG_CREATE_ONLY, WAIT, NULL, &e1),
                WBEM_S_NO_ERROR, "%s", e1 ? e1->message : "");
  cr_assert_eq (wsim_services_put_class (s, decl, WBEM_FLAG_CREATE_ONLY, WAIT, NULL, &e2),
                WBEM_E_ALREADY_EXISTS);
  /* The new class takes instances, with its default. */
  cr_assert_eq (wsim_services_put_instance (s, obj, 0, WAIT, NULL, NULL, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_services_get_object (s, "Sim_Sync.Name=\"a\"", 0, WAIT, &got, NULL, NULL),
                WBEM_S_NO_ERROR);
  level = text_of (got, "Level");
  cr_assert_str_eq (level, "4");
  cr_assert_eq (wsim_services_delete_class (s, "Sim_Sync", 0, WAIT, NULL, NULL),
                WBEM_E_CLASS_HAS_INSTANCES);
  cr_assert_eq (wsim_services_delete_instance (s, "Sim_Sync.Name=\"a\"", 0, WAIT, NULL, NULL),
                WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_services_delete_class (s, "Sim_Sync", 0, WAIT, NULL, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_services_delete_class (s, "Sim_Sync", 0, WAIT, NULL, &e3),
                WBEM_E_INVALID_CLASS);
}

/* ---- CreateClassEnum, semisynchronous and synchronous ---------------------------------- */

Test (semisync, create_class_enum_gives_class_objects)
{
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimEnumerator) semi = NULL;
  g_autoptr(WsimEnumerator) sync = NULL;
  g_autoptr(WsimEnumerator) none = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *c = NULL;

  /* Semisynchronous, forward-only: one at first, then the rest (DEEP, depth first): the
   * system classes, then Sim_Thing and its subclass. */
  cr_assert_eq (wsim_services_create_class_enum (s, NULL, WBEM_FLAG_RETURN_IMMEDIATELY
                                                 | WBEM_FLAG_FORWARD_ONLY, &semi, &error),
                WBEM_S_NO_ERROR, "%s", error ? error->message : "");
  cr_assert_eq (wsim_enumerator_next (semi, WBEM_INFINITE, 1, &first, NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (first->len, 1);
  cr_assert_eq (wsim_enumerator_next (semi, WBEM_INFINITE, 100, &rest, NULL), WBEM_S_FALSE);
  g_ptr_array_extend_and_steal (first, g_steal_pointer (&rest));
  a = wsim_test_class_names (first);
  cr_assert_str_eq (a, "Sim_Thing,Sim_Widget");
  cr_assert_eq (wsim_enumerator_reset (semi), WBEM_E_INVALID_OPERATION);
  /* Synchronous, shallow under Sim_Thing: the result is complete on return. */
  cr_assert_eq (wsim_services_create_class_enum (s, "Sim_Thing", WBEM_FLAG_SHALLOW, &sync, NULL),
                WBEM_S_NO_ERROR);
  cr_assert (wsim_enumerator_is_complete (sync));
  cr_assert_eq (wsim_enumerator_next (sync, WBEM_NO_WAIT, 10, &all, NULL), WBEM_S_FALSE);
  c = wsim_test_class_names (all);
  cr_assert_str_eq (c, "Sim_Widget");
  /* An unknown superclass: the immediate refusal. */
  cr_assert_eq (wsim_services_create_class_enum (s, "Sim_Nope", WBEM_FLAG_RETURN_IMMEDIATELY,
                                                 &none, NULL), WBEM_E_INVALID_CLASS);
  cr_assert_null (none);
}

static void
count_classes (WsimSink *sink, WsimClassDecl *const *classes, guint n, gpointer data)
{
  *(guint *) data += n;
}

static gboolean
two_classes (gpointer data)
{
  return *(guint *) data >= 2;
}

static void
no_objects (WsimSink *sink, WsimObject *const *objects, guint n, gpointer data)
{
  cr_assert_fail ("a class enumeration delivered %u instances", n);
}

static void
note_status (WsimSink *sink, gint32 flags, WsimHResult hr, const char *str_param,
             WsimObject *obj_param, gpointer data)
{
}

/* NextAsync of a class enumerator delivers to the sink's class ops. */
Test (semisync, create_class_enum_next_async_uses_the_class_ops)
{
  static const WsimSinkOps ops = { .indicate = no_objects, .set_status = note_status };
  static const WsimSinkClassOps class_ops = { .indicate_classes = count_classes };
  g_autoptr(WsimServices) s = wsim_test_open_ns (h, "root\\test");
  g_autoptr(WsimEnumerator) e = NULL;
  guint n = 0;
  g_autoptr(WsimSink) sink = wsim_sink_new (&ops, &n, NULL);

  wsim_sink_set_class_ops (sink, &class_ops);
  cr_assert_eq (wsim_services_create_class_enum (s, NULL, WBEM_FLAG_RETURN_IMMEDIATELY, &e, NULL),
                WBEM_S_NO_ERROR);
  cr_assert_eq (wsim_enumerator_next_async (e, 2, sink), WBEM_S_NO_ERROR);
  cr_assert (wsim_harness_run_until (h, two_classes, &n, WAIT));
  cr_assert_eq (n, 2);
}
