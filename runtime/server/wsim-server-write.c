/* wsim-server-write.c: PUT_INSTANCE_ASYNC (MS-WMI opnum 15) and DELETE_INSTANCE_ASYNC (17),
 * checked before they are accepted.
 *
 * A put is refused, with the immediate HRESULT and no callback, for (in this order): flags
 * outside WSIM_PUT_INSTANCE_FLAGS or UPDATE_ONLY with CREATE_ONLY (WBEM_E_INVALID_PARAMETER),
 * an unknown class (WBEM_E_INVALID_CLASS), an [Abstract] class (WBEM_E_INVALID_OPERATION), a
 * row that does not fit its class definition or a property the class does not have
 * (WBEM_E_INVALID_PARAMETER), a value its declared type
 * cannot take (WBEM_E_TYPE_MISMATCH), a key property left null (WBEM_E_ILLEGAL_NULL) and a
 * provider with no put_instance() (WBEM_E_PROVIDER_NOT_CAPABLE). A delete is refused for
 * flags other than SEND_STATUS (WBEM_E_INVALID_PARAMETER), a bad path
 * (WBEM_E_INVALID_OBJECT_PATH) or class (WBEM_E_INVALID_CLASS), a path that does not give
 * every key (WBEM_E_INVALID_OBJECT_PATH) and a provider with no delete_instance()
 * (WBEM_E_PROVIDER_NOT_CAPABLE). What only the provider knows (ALREADY_EXISTS, NOT_FOUND)
 * comes in the final SetStatus. A delete through a base class's path deletes the instance of
 * the subclass that has those keys (keys are unique under the class that defines them).
 * docs/writes.md has each rule's source.
 *
 * Threading: the server's thread.
 */
#include "wsim-server-private.h"

#include <string.h>

#include "wsim-class.h"
#include "wsim-class-decl.h"
#include "wsim-context.h"
#include "wsim-object-path.h"
#include "wsim-static-provider.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

/* The provider serving @cls in @ns, or NULL. */
static const WsimProvider *
class_provider (WsimServer *server, const char *ns, WsimClass *cls)
{
  WsimProviderReg *reg = wsim_repository_get_provider (server->repo, ns, cls);

  return reg != NULL ? wsim_provider_reg_get_provider (reg) : NULL;
}

WsimObject *
wsim_server_row_object (const wsim_class_def *def, const wsim_instance *row, WsimClass *cls,
                        const char *what, const char *owner, const char *noun,
                        WsimHResult unknown_hr, WsimHResult duplicate_hr, WsimHResult *hr,
                        char **why)
{
  g_autoptr(WsimObject) obj = wsim_object_new (cls);
  guint n_given = row != NULL ? def->props.props_len : 0;

  if (row != NULL && row->values.values_len != def->props.props_len)
    {
      *hr = WBEM_E_INVALID_PARAMETER;
      *why = g_strdup_printf ("%s have %u values for %u properties", what,
                              row->values.values_len, def->props.props_len);
      return NULL;
    }
  for (guint i = 0; i < n_given; i++)
    {
      const char *name = def->props.props_val[i].name;
      gint idx = wsim_class_find_prop (cls, name);
      guint32 type;

      if (idx < 0)
        {
          *hr = unknown_hr;
          *why = g_strdup_printf ("%s has no %s %s", owner, noun, name);
          return NULL;
        }
      /* An object cannot hold one name twice; a request that does is refused, not read as
       * "the last value wins". */
      for (guint j = 0; j < i; j++)
        if (g_ascii_strcasecmp (def->props.props_val[j].name, name) == 0)
          {
            *hr = duplicate_hr;
            *why = g_strdup_printf ("%s: the %s %s is given twice", owner, noun, name);
            return NULL;
          }
      type = wsim_class_get_prop (cls, (guint) idx)->cimtype;
      if (!wsim_value_convert (&row->values.values_val[i], type,
                               wsim_object_get_value (obj, (guint) idx)))
        {
          g_autofree char *text = wsim_value_to_string (&row->values.values_val[i]);

          *hr = WBEM_E_TYPE_MISMATCH;
          *why = g_strdup_printf ("%s: '%s' is no %s", name, text, wsim_cimtype_name (type));
          return NULL;
        }
    }
  return g_steal_pointer (&obj);
}

/* The properties of @obj the put did not give (@given lists those it did) take the class's
 * defaults: WMI's client spawns the instance from the class (SpawnInstance: the defaults)
 * and writes it whole, create or update (docs/writes.md, "Defaults"); the wire carries only
 * what the caller set. */
static void
put_defaults (WsimObject *obj, const wsim_class_def *given, WsimClassDecl *decl)
{
  const wsim_class_decl *w = wsim_class_decl_get_wire (decl);
  WsimClass *cls = wsim_object_get_class (obj);

  for (guint i = 0; i < w->props.props_len; i++)
    {
      const wsim_property_decl *p = &w->props.props_val[i];
      gint idx = wsim_class_find_prop (cls, p->name);
      gboolean is_given = FALSE;

      if (idx < 0 || wsim_value_is_null (&p->default_value))
        continue;
      for (guint k = 0; k < given->props.props_len && !is_given; k++)
        is_given = g_ascii_strcasecmp (given->props.props_val[k].name, p->name) == 0;
      /* A default that does not convert was refused when the class was made: kept null. */
      if (!is_given)
        wsim_value_convert (&p->default_value, wsim_class_get_prop (cls, (guint) idx)->cimtype,
                            wsim_object_get_value (obj, (guint) idx));
    }
}

/* The instance @a carries, as an object of @cls with the declared types and the class's
 * defaults (@decl, nullable) for what it does not give; NULL with *@hr and *@why for a row
 * that does not fit, an unknown property, a mistyped value or a null key. */
static WsimObject *
put_object (const wsim_put_instance_async_args *a, WsimClass *cls, WsimClassDecl *decl,
            WsimHResult *hr, char **why)
{
  g_autofree char *owner = g_strdup_printf ("class %s", wsim_class_get_name (cls));
  g_autoptr(WsimObject) obj = wsim_server_row_object (&a->inst_class, &a->inst, cls,
                                                      "the instance's properties", owner,
                                                      "property", WBEM_E_INVALID_PARAMETER,
                                                      WBEM_E_INVALID_PARAMETER, hr, why);

  if (obj == NULL)
    return NULL;
  if (decl != NULL)
    put_defaults (obj, &a->inst_class, decl);
  for (guint i = 0; i < wsim_class_get_n_props (cls); i++)
    if (wsim_class_get_prop (cls, i)->is_key && wsim_value_is_null (wsim_object_get_value (obj, i)))
      {
        *hr = WBEM_E_ILLEGAL_NULL;
        *why = g_strdup_printf ("the key property %s of %s has no value",
                                wsim_class_get_prop (cls, i)->name, wsim_class_get_name (cls));
        return NULL;
      }
  return g_steal_pointer (&obj);
}

/* Does the request's context ask for a partial-instance update ("Updating Part of an
 * Instance": __PUT_EXTENSIONS TRUE, with __PUT_EXT_PROPERTIES naming what to write)? Such a
 * put is refused rather than written whole: the properties it leaves out would be reset. */
static gboolean
wants_partial_update (WsimServer *server, WsimRpcRequest *req)
{
  const GError *ctx_error = NULL;
  WsimContext *ctx = wsim_server_request_context (server, req, &ctx_error);
  const wsim_value *v = ctx != NULL ? wsim_context_get_value (ctx, "__PUT_EXTENSIONS") : NULL;

  return v != NULL && v->type == CIM_BOOLEAN && v->wsim_value_u.v_boolean;
}

/* Does @decl (nullable) carry [Abstract] itself? The qualifier is not inherited: a subclass
 * of an abstract class is concrete unless it says so too (docs/mof.md). */
static gboolean
is_abstract (WsimClassDecl *decl)
{
  const wsim_class_decl *w = decl != NULL ? wsim_class_decl_get_wire (decl) : NULL;
  const wsim_qualifier *q = w != NULL ? wsim_qualifier_find (w->qualifiers.qualifiers_val,
                                                             w->qualifiers.qualifiers_len,
                                                             "abstract")
                                      : NULL;

  return q != NULL && q->value.type == CIM_BOOLEAN && q->value.wsim_value_u.v_boolean;
}

/* The class whose instance @path names: @cls, or the subclass of it whose static instance
 * has the path's keys (a path through the base class names the subclass's instance, as
 * GetObjectAsync finds it). Provider classes below @cls are not searched: only their
 * provider knows their instances. (transfer none) */
static WsimClass *
instance_class (WsimServer *server, const char *ns, WsimClass *cls, WsimObjectPath *path)
{
  g_autoptr(GPtrArray) deep = wsim_repository_list_classes (server->repo, ns, cls, TRUE);
  g_autofree WsimProvKey *keys = wsim_server_path_keys (path);
  guint n = wsim_object_path_get_n_keys (path);

  for (guint i = 0; i < deep->len; i++)
    {
      WsimProviderReg *reg = wsim_repository_get_provider (server->repo, ns, deep->pdata[i]);

      if (reg != NULL && wsim_provider_reg_get_provider (reg) == &wsim_static_provider
          && wsim_static_state_find (wsim_provider_reg_get_state (reg),
                                     wsim_class_get_name (deep->pdata[i]), keys, n) >= 0)
        return deep->pdata[i];
    }
  return cls;
}

void
wsim_server_handle_put_instance (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_put_instance_async_args *a = args;
  const char *ns = wsim_server_begin_async (server, req, "PutInstanceAsync", a->ns_handle,
                                            a->flags, WSIM_PUT_INSTANCE_FLAGS, &a->sink,
                                            a->call_id);
  g_autoptr(GPtrArray) classes = NULL;
  g_autofree char *why = NULL;
  g_autofree char *what = NULL;
  g_autofree char *path = NULL;
  WsimHResult hr = WBEM_S_NO_ERROR;
  const WsimProvider *p;
  WsimObject *obj;
  WsimClass *cls;

  if (ns == NULL)
    return;
  if ((a->flags & WBEM_FLAG_UPDATE_ONLY) && (a->flags & WBEM_FLAG_CREATE_ONLY))
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_PARAMETER,
                                     "WBEM_FLAG_UPDATE_ONLY and WBEM_FLAG_CREATE_ONLY exclude each other");
      return;
    }
  cls = wsim_repository_lookup_class (server->repo, ns, a->inst_class.name, NULL);
  if (cls == NULL)
    {
      why = g_strdup_printf ("no class %s in %s", a->inst_class.name, ns);
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_CLASS, why);
      return;
    }
  /* WMI's system classes, the event classes among them (and a provider's extrinsic event
   * classes, which derive from __ExtrinsicEvent): an event is delivered, never stored. */
  if (wsim_class_is_a (cls, "__SystemClass"))
    {
      why = g_strdup_printf ("%s is a system class (an event class): it has no instances to "
                             "write", wsim_class_get_name (cls));
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_OPERATION, why);
      return;
    }
  if (is_abstract (wsim_repository_get_class_decl (server->repo, ns, a->inst_class.name, NULL)))
    {
      why = g_strdup_printf ("class %s is abstract: it has no instances of its own (put one of "
                             "a subclass)", wsim_class_get_name (cls));
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_OPERATION, why);
      return;
    }
  if (wants_partial_update (server, req))
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_PROVIDER_NOT_CAPABLE,
                                     "partial-instance updates (__PUT_EXTENSIONS in the context) "
                                     "are not supported: the instance is written whole");
      return;
    }
  obj = put_object (a, cls, wsim_repository_get_class_decl (server->repo, ns, a->inst_class.name,
                                                            NULL),
                    &hr, &why);
  if (obj == NULL)
    {
      wsim_server_reply_hresult_msg (req, hr, why);
      return;
    }
  p = class_provider (server, ns, cls);
  if (p == NULL || p->put_instance == NULL)
    {
      why = g_strdup_printf ("the provider of %s cannot write instances", wsim_class_get_name (cls));
      wsim_server_reply_hresult_msg (req, WBEM_E_PROVIDER_NOT_CAPABLE, why);
      wsim_object_unref (obj);
      return;
    }
  classes = g_ptr_array_new ();
  g_ptr_array_add (classes, cls);
  path = wsim_object_get_path (obj);
  what = g_strdup_printf ("PutInstanceAsync %s:%s", ns, path);
  {
    WsimCallSpec spec = {
      .call_id = a->call_id, .ns = ns, .classes = classes, .flags = a->flags, .what = what,
      .put_inst = obj,
    };

    wsim_server_accept_call (server, req, &a->sink, &spec);
  }
}

void
wsim_server_handle_delete_instance (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_delete_instance_async_args *a = args;
  const char *ns = wsim_server_begin_async (server, req, "DeleteInstanceAsync", a->ns_handle,
                                            a->flags, WSIM_DELETE_INSTANCE_FLAGS, &a->sink,
                                            a->call_id);
  g_autoptr(WsimObjectPath) path = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autofree char *why = NULL;
  g_autofree char *what = NULL;
  const WsimProvider *p;
  WsimClass *cls;

  if (ns == NULL)
    return;
  cls = wsim_server_resolve_path (server, req, ns, a->object_path, &path);
  if (cls == NULL)
    return;
  /* MS-WMI 3.1.4.3.15: the path carries the class name and the key values. */
  for (guint i = 0; i < wsim_class_get_n_props (cls) && why == NULL; i++)
    if (wsim_class_get_prop (cls, i)->is_key
        && wsim_object_path_lookup_key (path, wsim_class_get_prop (cls, i)->name) == NULL)
      why = g_strdup_printf ("the path gives no value for the key %s of %s",
                             wsim_class_get_prop (cls, i)->name, wsim_class_get_name (cls));
  if (why == NULL && wsim_object_path_is_class (path) && !wsim_object_path_is_singleton (path))
    why = g_strdup_printf ("%s is a class path: DeleteInstanceAsync needs an instance's",
                           a->object_path);
  if (why != NULL)
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_OBJECT_PATH, why);
      return;
    }
  cls = instance_class (server, ns, cls, path);
  p = class_provider (server, ns, cls);
  if (p == NULL || p->delete_instance == NULL)
    {
      why = g_strdup_printf ("the provider of %s cannot delete instances", wsim_class_get_name (cls));
      wsim_server_reply_hresult_msg (req, WBEM_E_PROVIDER_NOT_CAPABLE, why);
      return;
    }
  classes = g_ptr_array_new ();
  g_ptr_array_add (classes, cls);
  what = g_strdup_printf ("DeleteInstanceAsync %s:%s", ns, a->object_path);
  {
    WsimCallSpec spec = {
      .call_id = a->call_id, .ns = ns, .classes = classes, .flags = a->flags, .what = what,
      .delete_path = g_steal_pointer (&path),
    };

    wsim_server_accept_call (server, req, &a->sink, &spec);
  }
}
