/* wsim-server-schema.c: the schema calls of the service program: GetObjectAsync of a class
 * path (the class object), CreateClassEnumAsync, and the __NAMESPACE instances of a
 * namespace. Their results are known when the call is accepted: the call delivers them
 * without a provider (WsimCallSpec's decls and objects). docs/schema.md has the rules. */
#include "wsim-server-private.h"

#include "wsim-class-decl.h"
#include "wsim-hresult.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

/* Accepts a call whose results are @decls and @objects (both transfer full, nullable). */
static void
accept_prepared (WsimServer *server, WsimRpcRequest *req, const char *ns, gint32 flags,
                 const wsim_sink_locator *sink, guint64 call_id, GPtrArray *decls,
                 GPtrArray *objects, const char *what)
{
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();
  WsimCallSpec spec = {
    .call_id = call_id, .ns = ns, .classes = classes, .flags = flags, .what = what,
    .decls = decls, .objects = objects,
  };

  wsim_server_accept_call (server, req, sink, &spec);
}

/* The class objects of @list (borrowed), with a reference each. */
static GPtrArray *
ref_decls (GPtrArray *list)
{
  GPtrArray *out = g_ptr_array_new_full (list->len, (GDestroyNotify) wsim_class_decl_unref);

  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (out, wsim_class_decl_ref (list->pdata[i]));
  return out;
}

void
wsim_server_get_class_object (WsimServer *server, WsimRpcRequest *req, const char *ns,
                              const char *class_name, gint32 flags,
                              const wsim_sink_locator *sink, guint64 call_id)
{
  g_autoptr(GError) error = NULL;
  WsimClassDecl *decl = wsim_repository_get_class_decl (server->repo, ns, class_name, &error);
  g_autofree char *what = NULL;
  GPtrArray *decls;

  if (decl == NULL)
    {
      wsim_server_reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
      return;
    }
  decls = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_decl_unref);
  g_ptr_array_add (decls, wsim_class_decl_ref (decl));
  what = g_strdup_printf ("GetObjectAsync %s:%s (class)", ns, class_name);
  accept_prepared (server, req, ns, flags, sink, call_id, decls, NULL, what);
}

void
wsim_server_handle_create_class_enum (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_create_class_enum_async_args *a = args;
  const char *ns = wsim_server_begin_async (server, req, "CreateClassEnumAsync", a->ns_handle,
                                            a->flags, WSIM_CREATE_CLASS_ENUM_FLAGS, &a->sink,
                                            a->call_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *what = NULL;

  if (ns == NULL)
    return;
  /* An unknown superclass is WBEM_E_INVALID_CLASS (MS-WMI 3.1.4.3.11). */
  list = wsim_repository_list_class_decls (server->repo, ns, a->superclass,
                                           (a->flags & WBEM_FLAG_SHALLOW) == 0, &error);
  if (list == NULL)
    {
      wsim_server_reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
      return;
    }
  what = g_strdup_printf ("CreateClassEnumAsync %s: %s%s", ns,
                          a->superclass[0] != '\0' ? a->superclass : "(root)",
                          (a->flags & WBEM_FLAG_SHALLOW) ? " SHALLOW" : " DEEP");
  accept_prepared (server, req, ns, a->flags, &a->sink, a->call_id, ref_decls (list), NULL, what);
}

/* __NAMESPACE: WMI's system class whose instances are a namespace's children (Name, the
 * key). One built per call: it is small and nothing else needs it. */
static WsimClass *
namespace_class (void)
{
  static const wsim_property_def props[] = { { (char *) "Name", CIM_STRING, TRUE } };

  return wsim_class_new ("__NAMESPACE", NULL, props, G_N_ELEMENTS (props), NULL);
}

gboolean
wsim_server_enum_namespaces (WsimServer *server, WsimRpcRequest *req, const char *ns,
                             const char *class_name, gint32 flags,
                             const wsim_sink_locator *sink, guint64 call_id)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(WsimClass) cls = NULL;
  g_autofree char *what = NULL;
  GPtrArray *objects;

  if (g_ascii_strcasecmp (class_name, "__NAMESPACE") != 0)
    return FALSE;
  names = wsim_repository_list_namespaces (server->repo, ns, NULL);
  cls = namespace_class ();
  objects = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      WsimObject *obj = wsim_object_new (cls);

      wsim_value_set_string (wsim_object_get_value (obj, 0), names->pdata[i]);
      g_ptr_array_add (objects, obj);
    }
  what = g_strdup_printf ("CreateInstanceEnumAsync %s: __NAMESPACE", ns);
  accept_prepared (server, req, ns, flags, sink, call_id, NULL, objects, what);
  return TRUE;
}
