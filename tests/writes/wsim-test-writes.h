/* wsim-test-writes.h: what the writes suite's programs share (test-writes.c, the kill test's
 * writer store-writer.c): the repository classes, an object built from text, and a harness
 * whose repository keeps its instances in a directory. Header only. */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "wsim-class.h"
#include "wsim-class-decl.h"
#include "wsim-mof.h"
#include "wsim-repository.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

#define WRITES_WAIT 20000   /* ms: generous, valgrind runs these too */

/* root\test: Sim_Stored (Name key, Size, Note), one instance Name="seed"; Sim_Counter (the
 * kill test's: Name key, Counter, Payload), no instance. */
static inline WsimClass *
writes_stored_class (void)
{
  wsim_property_def props[] = {
    { (char *) "Name", CIM_STRING, TRUE },
    { (char *) "Size", CIM_UINT32, FALSE },
    { (char *) "Note", CIM_STRING, FALSE },
  };

  return wsim_class_new ("Sim_Stored", NULL, props, G_N_ELEMENTS (props), NULL);
}

static inline WsimClass *
writes_counter_class (void)
{
  wsim_property_def props[] = {
    { (char *) "Name", CIM_STRING, TRUE },
    { (char *) "Counter", CIM_UINT32, FALSE },
    { (char *) "Payload", CIM_STRING, FALSE },
  };

  return wsim_class_new ("Sim_Counter", NULL, props, G_N_ELEMENTS (props), NULL);
}

/* An object of @cls with NULL-terminated name, text pairs, each converted to the declared
 * type (NULL text: null). */
static inline WsimObject *
writes_object_v (WsimClass *cls, const char *name, va_list ap)
{
  WsimObject *obj = wsim_object_new (cls);

  for (const char *n = name; n != NULL; n = va_arg (ap, const char *))
    {
      const char *text = va_arg (ap, const char *);
      gint idx = wsim_class_find_prop (cls, n);
      wsim_value v = { .type = CIM_STRING };

      if (idx < 0 || text == NULL)
        continue;
      v.wsim_value_u.v_string = (char *) text;
      if (!wsim_value_convert (&v, wsim_class_get_prop (cls, (guint) idx)->cimtype,
                               wsim_object_get_value (obj, (guint) idx)))
        g_error ("%s: '%s' does not convert", n, text);
    }
  return obj;
}

static inline WsimObject *
writes_object (WsimClass *cls, const char *name, ...)
{
  va_list ap;
  WsimObject *obj;

  va_start (ap, name);
  obj = writes_object_v (cls, name, ap);
  va_end (ap);
  return obj;
}

/* An object of a client-side class @class_name whose properties are the names given, all
 * strings (the server converts them, as the CLI's NAME=VALUE). */
static inline WsimObject *
writes_text_object (const char *class_name, const char *name, ...)
{
  g_autoptr(GArray) defs = g_array_new (FALSE, TRUE, sizeof (wsim_property_def));
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(WsimClass) cls = NULL;
  WsimObject *obj;
  va_list ap;

  va_start (ap, name);
  for (const char *n = name; n != NULL; n = va_arg (ap, const char *))
    {
      wsim_property_def d = { .name = (char *) n, .cimtype = CIM_STRING };

      g_array_append_val (defs, d);
      g_ptr_array_add (texts, va_arg (ap, char *));
    }
  va_end (ap);
  cls = wsim_class_new (class_name, NULL, (wsim_property_def *) (void *) defs->data, defs->len,
                        NULL);
  obj = wsim_object_new (cls);
  for (guint i = 0; i < defs->len; i++)
    if (texts->pdata[i] != NULL)
      wsim_value_set_string (wsim_object_get_value (obj, i), texts->pdata[i]);
  return obj;
}

/* The classes above into @repo's root\test, Sim_Stored with its seed instance. */
static inline gboolean
writes_register (WsimRepository *repo, GError **error)
{
  g_autoptr(WsimClass) stored = writes_stored_class ();
  g_autoptr(WsimClass) counter = writes_counter_class ();
  g_autoptr(GPtrArray) insts = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  WsimClass *classes[] = { stored, counter };

  g_ptr_array_add (insts, writes_object (stored, "Name", "seed", "Size", "1", NULL));
  return wsim_repository_register_static (repo, "root\\test", classes, 2, insts, error);
}

/* The class objects @mof declares (one namespace, its first), in declaration order, each
 * derived from an earlier one of the text when it names it as superclass (others: as roots,
 * which is what PutClass reads of them anyway: their own members). (transfer full) */
static inline GPtrArray *
writes_mof_classes (const char *mof)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimMofResult) res = wsim_mof_compile_string (mof, "test.mof", NULL, NULL, &error);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_decl_unref);
  WsimMofNamespace *ns;

  if (res == NULL)
    g_error ("test MOF: %s", error->message);
  ns = res->namespaces->pdata[0];
  for (guint i = 0; i < ns->classes->len; i++)
    {
      WsimMofClass *mc = ns->classes->pdata[i];
      WsimClass *parent = wsim_class_get_parent (mc->cls);
      WsimClassDecl *pd = NULL;

      for (guint k = 0; parent != NULL && k < out->len; k++)
        if (g_ascii_strcasecmp (wsim_class_decl_get_name (out->pdata[k]),
                                wsim_class_get_name (parent)) == 0)
          pd = out->pdata[k];
      g_ptr_array_add (out, wsim_mof_class_decl (mc, pd, ns->name));
    }
  return out;
}

#ifndef WSIM_TEST_WRITES_NO_HARNESS
#include "wsim-harness.h"

/* The harness's setup: the sample providers in root\cimv2, the classes above (static) in
 * root\test, then the store in @data (a directory; NULL: no store). */
static inline gboolean
writes_setup (WsimServer *server, gpointer data, GError **error)
{
  WsimRepository *repo = wsim_server_get_repository (server);

  return wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, NULL, error)
         && writes_register (repo, error)
         && (data == NULL || wsim_repository_open_store (repo, data, error));
}
#endif
