/* wsim-server-schema.c: the schema calls of the service program: GetObjectAsync of a class
 * path (the class object), CreateClassEnumAsync, and the __NAMESPACE instances of a
 * namespace. Their results are known when the call is accepted: the call delivers them
 * without a provider (WsimCallSpec's decls and objects). docs/schema.md has the rules. */
#include "wsim-server-private.h"

#include <string.h>

#include "wsim-class-decl.h"
#include "wsim-hresult.h"
#include "wsim-object-path.h"
#include "wsim-system-props.h"
#include "wsim-value.h"
#include "wsim-wbem.h"
#include "wsim-wql.h"

/* Accepts a call whose results are @decls and @objects (transfer full, nullable); @query
 * (transfer full, nullable) filters and projects the objects as ExecQueryAsync's. */
static void
accept_prepared_query (WsimServer *server, WsimRpcRequest *req, const char *ns, gint32 flags,
                       const wsim_sink_locator *sink, guint64 call_id, GPtrArray *decls,
                       GPtrArray *objects, WsimWqlQuery *query, const char *what)
{
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();
  WsimCallSpec spec = {
    .call_id = call_id, .ns = ns, .classes = classes, .flags = flags, .what = what,
    .decls = decls, .objects = objects, .query = query,
  };

  wsim_server_accept_call (server, req, sink, &spec);
}

static void
accept_prepared (WsimServer *server, WsimRpcRequest *req, const char *ns, gint32 flags,
                 const wsim_sink_locator *sink, guint64 call_id, GPtrArray *decls,
                 GPtrArray *objects, const char *what)
{
  accept_prepared_query (server, req, ns, flags, sink, call_id, decls, objects, NULL, what);
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

/* The __NAMESPACE instances of @ns's children (transfer full). */
static GPtrArray *
namespace_objects (WsimServer *server, const char *ns)
{
  g_autoptr(GPtrArray) names = wsim_repository_list_namespaces (server->repo, ns, NULL);
  g_autoptr(WsimClass) cls = namespace_class ();
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);

  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      WsimObject *obj = wsim_object_new (cls);

      wsim_value_set_string (wsim_object_get_value (obj, 0), names->pdata[i]);
      g_ptr_array_add (objects, obj);
    }
  return objects;
}

gboolean
wsim_server_enum_namespaces (WsimServer *server, WsimRpcRequest *req, const char *ns,
                             const char *class_name, gint32 flags,
                             const wsim_sink_locator *sink, guint64 call_id)
{
  g_autofree char *what = NULL;

  if (g_ascii_strcasecmp (class_name, "__NAMESPACE") != 0)
    return FALSE;
  what = g_strdup_printf ("CreateInstanceEnumAsync %s: __NAMESPACE", ns);
  accept_prepared (server, req, ns, flags, sink, call_id, NULL, namespace_objects (server, ns), what);
  return TRUE;
}

gboolean
wsim_server_get_namespace (WsimServer *server, WsimRpcRequest *req, const char *ns,
                           const char *object_path, gint32 flags,
                           const wsim_sink_locator *sink, guint64 call_id)
{
  g_autoptr(WsimObjectPath) path = wsim_object_path_parse (object_path, NULL);
  g_autoptr(GPtrArray) children = NULL;
  g_autofree char *path_ns = NULL;
  g_autofree char *what = NULL;
  const wsim_value *name;
  GPtrArray *found;

  /* Anything else (a bad path, a class path, another server) is refused as any path. */
  if (path == NULL || g_ascii_strcasecmp (wsim_object_path_get_class (path), "__NAMESPACE") != 0
      || wsim_object_path_is_class (path)
      || !wsim_object_path_server_is_local (wsim_object_path_get_server (path)))
    return FALSE;
  if (wsim_object_path_get_namespace (path) != NULL
      && ((path_ns = wsim_repository_canonical_namespace (server->repo, wsim_object_path_get_namespace (path),
                                                          NULL)) == NULL
          || !g_str_equal (path_ns, ns)))
    return FALSE;
  name = wsim_object_path_lookup_key (path, "Name");
  if (wsim_object_path_get_n_keys (path) != 1 || name == NULL || name->type != CIM_STRING)
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_OBJECT_PATH,
                                     "the key of __NAMESPACE is Name, a string");
      return TRUE;
    }
  /* Namespace names compare case-insensitively, as namespaces are opened. */
  children = namespace_objects (server, ns);
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  for (guint i = 0; i < children->len; i++)
    if (g_ascii_strcasecmp (wsim_object_get_value (children->pdata[i], 0)->wsim_value_u.v_string,
                            name->wsim_value_u.v_string) == 0)
      g_ptr_array_add (found, wsim_object_ref (children->pdata[i]));
  if (found->len == 0)
    {
      g_autofree char *why = g_strdup_printf ("%s has no child namespace '%s'", ns,
                                              name->wsim_value_u.v_string);

      g_ptr_array_unref (found);
      wsim_server_reply_hresult_msg (req, WBEM_E_NOT_FOUND, why);
      return TRUE;
    }
  what = g_strdup_printf ("GetObjectAsync %s:%s", ns, object_path);
  accept_prepared (server, req, ns, flags, sink, call_id, NULL, found, what);
  return TRUE;
}

static gboolean
namespace_has (gpointer cls, const char *property)
{
  return g_ascii_strcasecmp (property, "Name") == 0 || wsim_is_system_property (property);
}

/* SELECT … FROM __NAMESPACE [WHERE …]: the children, filtered and projected as any query's
 * instances are (the call applies the query). */
static gboolean
query_namespaces (WsimServer *server, WsimRpcRequest *req, const char *ns, WsimWqlQuery *query,
                  gint32 flags, const wsim_sink_locator *sink, guint64 call_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  WsimWqlQuery *copy;

  if (!wsim_wql_query_check_properties (query, namespace_has, NULL, &error)
      || (copy = wsim_wql_parse (wsim_wql_query_get_text (query), &error)) == NULL)
    {
      wsim_server_reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
      return TRUE;
    }
  what = g_strdup_printf ("ExecQueryAsync %s: %.200s", ns, wsim_wql_query_get_text (query));
  accept_prepared_query (server, req, ns, flags, sink, call_id, NULL,
                         namespace_objects (server, ns), copy, what);
  return TRUE;
}

/* ---- meta_class and WBEM_FLAG_PROTOTYPE ------------------------------------------ */

/* A class object's row for WHERE: its system properties (the only ones meta_class has). */
typedef struct {
  WsimClassDecl *decl;
  const char    *server;
  wsim_value     scratch;   /* the last value computed (valid until the next call) */
} MetaRow;

static const wsim_value *
meta_get (gpointer row, const char *property)
{
  MetaRow *r = row;

  if (!wsim_class_decl_get_system_property (r->decl, property, r->server, &r->scratch))
    return NULL;
  return &r->scratch;
}

/* __THIS ISA 'Class' of a class object: it is the class or derives from it (its
 * derivation names it). A property's embedded object: class objects have none. */
static WsimWqlTruth
meta_isa (gpointer row, const char *property, const char *class_name)
{
  const wsim_class_decl *w = wsim_class_decl_get_wire (((MetaRow *) row)->decl);

  if (property != NULL)
    return WSIM_WQL_UNKNOWN;
  if (g_ascii_strcasecmp (w->name, class_name) == 0)
    return WSIM_WQL_TRUE;
  for (guint i = 0; i < w->derivation.derivation_len; i++)
    if (g_ascii_strcasecmp (w->derivation.derivation_val[i], class_name) == 0)
      return WSIM_WQL_TRUE;
  return WSIM_WQL_FALSE;
}

static gboolean
meta_has (gpointer cls, const char *property)
{
  return wsim_is_system_property (property);
}

static gboolean
query_meta_class (WsimServer *server, WsimRpcRequest *req, const char *ns, WsimWqlQuery *query,
                  gint32 flags, const wsim_sink_locator *sink, guint64 call_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *what = NULL;
  GPtrArray *matched;
  MetaRow row = { .server = g_get_host_name () };

  /* WQL: "SELECT * FROM meta_class" is a schema query over every class of the namespace;
   * meta_class has only system properties ("Querying the schema", Microsoft Learn). */
  if (!wsim_wql_query_check_properties (query, meta_has, NULL, &error)
      || (all = wsim_repository_list_class_decls (server->repo, ns, NULL, TRUE, &error)) == NULL)
    {
      wsim_server_reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
      return TRUE;
    }
  matched = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_decl_unref);
  for (guint i = 0; i < all->len; i++)
    {
      row.decl = all->pdata[i];
      if (wsim_wql_query_matches_isa (query, meta_get, meta_isa, &row))
        g_ptr_array_add (matched, wsim_class_decl_ref (row.decl));
    }
  wsim_value_clear (&row.scratch);
  what = g_strdup_printf ("ExecQueryAsync %s: %.200s (schema)", ns, wsim_wql_query_get_text (query));
  accept_prepared (server, req, ns, flags, sink, call_id, matched, NULL, what);
  return TRUE;
}

/* The prototype result object (MS-WMI 2.2.4.1): the class of the query, its properties cut
 * to the selected ones (all for SELECT *), each with an Order qualifier giving its position
 * in the selection. */
static WsimClassDecl *
prototype_of (WsimClassDecl *decl, WsimWqlQuery *query)
{
  const char *const *sel = wsim_wql_query_get_properties (query);
  wsim_class_decl w;
  GArray *kept = g_array_new (FALSE, TRUE, sizeof (wsim_property_decl));

  wsim_class_decl_copy_wire (decl, &w);
  for (guint i = 0; i < w.props.props_len; i++)
    {
      wsim_property_decl *p = &w.props.props_val[i];
      gint order = -1;

      if (sel == NULL)
        order = (gint) i;
      for (guint j = 0; sel != NULL && sel[j] != NULL; j++)
        if (g_ascii_strcasecmp (sel[j], p->name) == 0)
          order = (gint) j;
      if (order < 0)
        {
          xdr_free ((xdrproc_t) xdr_wsim_property_decl, (char *) p);
          continue;
        }
      {
        u_int n = p->qualifiers.qualifiers_len;
        wsim_qualifier *q;

        p->qualifiers.qualifiers_val = g_renew (wsim_qualifier, p->qualifiers.qualifiers_val, n + 1);
        p->qualifiers.qualifiers_len = n + 1;
        q = &p->qualifiers.qualifiers_val[n];
        memset (q, 0, sizeof *q);
        q->name = g_strdup ("Order");
        q->value.type = WSIM_CIM_SINT32_ARRAY;
        q->value.wsim_value_u.a_sint32.a_sint32_len = 1;
        q->value.wsim_value_u.a_sint32.a_sint32_val = g_new (int, 1);
        q->value.wsim_value_u.a_sint32.a_sint32_val[0] = order;
      }
      g_array_append_val (kept, *p);
    }
  g_free (w.props.props_val);
  w.props.props_len = kept->len;
  w.props.props_val = (wsim_property_decl *) (void *) g_array_free (kept, FALSE);
  return wsim_class_decl_new_take (&w);
}

static gboolean
class_has (gpointer cls, const char *property)
{
  const wsim_class_decl *w = wsim_class_decl_get_wire (cls);

  for (guint i = 0; i < w->props.props_len; i++)
    if (g_ascii_strcasecmp (w->props.props_val[i].name, property) == 0)
      return TRUE;
  return wsim_is_system_property (property);
}

gboolean
wsim_server_query_schema (WsimServer *server, WsimRpcRequest *req, const char *ns,
                          WsimWqlQuery *query, gint32 flags, const wsim_sink_locator *sink,
                          guint64 call_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  WsimClassDecl *decl;
  GPtrArray *decls;

  if (g_ascii_strcasecmp (wsim_wql_query_get_class (query), "meta_class") == 0)
    return query_meta_class (server, req, ns, query, flags, sink, call_id);
  if (g_ascii_strcasecmp (wsim_wql_query_get_class (query), "__NAMESPACE") == 0
      && !(flags & WBEM_FLAG_PROTOTYPE))
    return query_namespaces (server, req, ns, query, flags, sink, call_id);
  if (!(flags & WBEM_FLAG_PROTOTYPE))
    return FALSE;
  decl = wsim_repository_get_class_decl (server->repo, ns, wsim_wql_query_get_class (query), &error);
  if (decl == NULL || !wsim_wql_query_check_properties (query, class_has, decl, &error))
    {
      wsim_server_reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
      return TRUE;
    }
  decls = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_decl_unref);
  g_ptr_array_add (decls, prototype_of (decl, query));
  what = g_strdup_printf ("ExecQueryAsync %s: %.200s (prototype)", ns, wsim_wql_query_get_text (query));
  accept_prepared (server, req, ns, flags, sink, call_id, decls, NULL, what);
  return TRUE;
}

/* ---- PutClassAsync, DeleteClassAsync -------------------------------------------- */

/* A class change's call: no results, and its success waits for the repository's store. */
static void
accept_class_change (WsimServer *server, WsimRpcRequest *req, const char *ns, gint32 flags,
                     const wsim_sink_locator *sink, guint64 call_id, const char *what)
{
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();
  WsimCallSpec spec = {
    .call_id = call_id, .ns = ns, .classes = classes, .flags = flags, .what = what,
    .objects = g_ptr_array_new (), .durable = TRUE,
  };

  wsim_server_accept_call (server, req, sink, &spec);
}

/* A class change is made when the request comes (everything is checked first, so a refusal
 * changes nothing and is the immediate HRESULT); the accepted call then only owes the sink
 * its final SetStatus. */
void
wsim_server_handle_put_class (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_put_class_async_args *a = args;
  const char *ns = wsim_server_begin_async (server, req, "PutClassAsync", a->ns_handle, a->flags,
                                            WSIM_PUT_CLASS_FLAGS, &a->sink, a->call_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;

  if (ns == NULL)
    return;
  if (!wsim_repository_put_class (server->repo, ns, &a->class_object, a->flags, &error))
    {
      wsim_server_reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
      return;
    }
  what = g_strdup_printf ("PutClassAsync %s:%s flags 0x%x", ns, a->class_object.name, a->flags);
  accept_class_change (server, req, ns, a->flags, &a->sink, a->call_id, what);
}

void
wsim_server_handle_delete_class (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_delete_class_async_args *a = args;
  const char *ns = wsim_server_begin_async (server, req, "DeleteClassAsync", a->ns_handle,
                                            a->flags, WSIM_DELETE_CLASS_FLAGS, &a->sink,
                                            a->call_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;

  if (ns == NULL)
    return;
  if (!wsim_repository_delete_class (server->repo, ns, a->class_name, &error))
    {
      wsim_server_reply_hresult_msg (req, wsim_hresult_from_error (error), error->message);
      return;
    }
  what = g_strdup_printf ("DeleteClassAsync %s:%s", ns, a->class_name);
  accept_class_change (server, req, ns, a->flags, &a->sink, a->call_id, what);
}
