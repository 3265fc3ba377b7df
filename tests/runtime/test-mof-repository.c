/* test-mof-repository.c: MOF loaded into a repository (wsim_repository_load_mof,
 * wsim_repository_register_static): where the classes go, what they derive from, and what
 * is refused. Serving them is tests/cli/test-cli-mof.c's. */
#include <criterion/criterion.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wsim-test-mof-file.h"

#include "wsim-hresult.h"
#include "wsim-repository.h"
#include "wsim_cim.h"

TestSuite (mof_repository, .timeout = 10);

Test (mof_repository, load_sample)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) deep = NULL;
  WsimClass *thing, *widget;

  cr_assert (wsim_repository_load_mof (repo, WSIM_MOF_EXAMPLE, &error), "%s",
             error ? error->message : "");
  thing = wsim_repository_lookup_class (repo, "ROOT/TEST", "sim_thing", &error);
  widget = wsim_repository_lookup_class (repo, "root\\test", "Sim_Widget", &error);
  cr_assert_not_null (thing);
  cr_assert_not_null (widget);
  cr_assert_eq (wsim_class_get_parent (widget), thing);
  deep = wsim_repository_list_classes (repo, "root\\test", thing, TRUE);
  cr_assert_eq (deep->len, 2);
  cr_assert_eq (deep->pdata[1], widget);
  cr_assert_str_eq (wsim_provider_reg_get_provider (wsim_repository_get_provider (repo,
                    "root\\test", widget))->name, "static");

  /* The same file again: its classes are in the repository now. */
  cr_assert_not (wsim_repository_load_mof (repo, WSIM_MOF_EXAMPLE, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEMMOF_E_INVALID_CLASS_DECLARATION));
  cr_assert (g_str_has_prefix (error->message, WSIM_MOF_EXAMPLE ":6:7: class Sim_Thing is "
                               "already declared"), "%s", error->message);
}

/* A superclass from the repository; a second file deriving from the first file's class. */
Test (mof_repository, superclass_in_repository)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) error = NULL;
  char *base = wsim_test_mof_write ("#pragma namespace(\"root\\\\x\")\nclass B { [key] uint32 Id; };\n");
  char *derived = wsim_test_mof_write ("#pragma namespace(\"root\\\\x\")\nclass D : B { string S; };\n"
                             "instance of D { Id = 1; };\n");
  WsimClass *d;

  cr_assert (wsim_repository_load_mof (repo, base, &error), "%s", error ? error->message : "");
  cr_assert (wsim_repository_load_mof (repo, derived, &error), "%s", error ? error->message : "");
  d = wsim_repository_lookup_class (repo, "root\\x", "D", &error);
  cr_assert_not_null (d);
  cr_assert_eq (wsim_class_get_parent (d), wsim_repository_lookup_class (repo, "root\\x", "B", NULL));
  cr_assert_eq (wsim_class_get_n_props (d), 2);
  wsim_test_mof_drop (base);
  wsim_test_mof_drop (derived);
}

Test (mof_repository, register_static_refusals)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) error = NULL;
  wsim_property_def props[] = { { (char *) "Id", CIM_UINT32, TRUE } };
  g_autoptr(WsimClass) a = wsim_class_new ("A", NULL, props, 1, NULL);
  g_autoptr(WsimClass) stranger = wsim_class_new ("P", NULL, NULL, 0, NULL);
  g_autoptr(WsimClass) child = wsim_class_new ("C", stranger, NULL, 0, NULL);
  WsimClass *both[] = { a, child };

  /* All or nothing: C's parent P is not in the namespace, so A is not added either. */
  cr_assert_not (wsim_repository_register_static (repo, "root\\y", both, 2, NULL, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_SUPERCLASS), "%s",
             error->message);
  g_clear_error (&error);
  cr_assert_null (wsim_repository_lookup_class (repo, "root\\y", "A", NULL));
  cr_assert (wsim_repository_register_static (repo, "root\\y", &a, 1, NULL, &error));
  cr_assert_not (wsim_repository_register_static (repo, "root\\y", &a, 1, NULL, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_PROVIDER_REGISTRATION));
  g_clear_error (&error);
  cr_assert_not (wsim_repository_register_static (repo, "root\\\\z", &a, 1, NULL, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEM_E_INVALID_NAMESPACE));
}

Test (mof_repository, compile_error_keeps_position)
{
  g_autoptr(WsimRepository) repo = wsim_repository_new ();
  g_autoptr(GError) error = NULL;
  char *path = wsim_test_mof_write ("class A { [key] string K; };\n\ninstance of A { };\n");
  g_autofree char *where = g_strdup_printf ("%s:3:13: ", path);

  cr_assert_not (wsim_repository_load_mof (repo, path, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) WBEMMOF_E_INVALID_INSTANCE_DECLARATION));
  cr_assert (g_str_has_prefix (error->message, where), "%s", error->message);
  cr_assert_null (wsim_repository_lookup_class (repo, "root\\default", "A", NULL));
  wsim_test_mof_drop (path);
}
