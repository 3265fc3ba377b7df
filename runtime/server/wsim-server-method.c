/* wsim-server-method.c: EXEC_METHOD_ASYNC (MS-WMI opnum 25), checked before it is accepted.
 *
 * The request is refused, with the immediate HRESULT and no callback, for (in this order):
 * flags other than WBEM_FLAG_SEND_STATUS (WBEM_E_INVALID_PARAMETER), a bad path
 * (WBEM_E_INVALID_OBJECT_PATH) or class (WBEM_E_INVALID_CLASS), a method the class's provider
 * does not declare (WBEM_E_INVALID_METHOD), an instance method called on a class path
 * (WBEM_E_INVALID_OBJECT_PATH: MS-WMI says the path carries the key values), a provider with
 * no exec_method() (WBEM_E_PROVIDER_NOT_CAPABLE), a missing or undeclared [in] parameter
 * (WBEM_E_INVALID_METHOD_PARAMETERS) and a value its declared type cannot take
 * (WBEM_E_TYPE_MISMATCH). The values are converted to the declared types (wsim_value_convert,
 * WMI's VARIANT coercion); the call then runs as the others do (wsim-call.c), the provider
 * reading them and posting the [out] parameters. docs/providers.md has the rules' sources.
 *
 * Threading: the server's thread.
 */
#include "wsim-server-private.h"

#include <string.h>

#include "wsim-class.h"
#include "wsim-object-path.h"
#include "wsim-value.h"
#include "wsim-wbem.h"

/* The method @name of class @cls that @p declares, or NULL. */
static const WsimProvMethod *
find_method (const WsimProvider *p, WsimClass *cls, const char *name)
{
  for (size_t i = 0; p != NULL && i < p->n_methods; i++)
    if (g_ascii_strcasecmp (p->methods[i].class_name, wsim_class_get_name (cls)) == 0
        && g_ascii_strcasecmp (p->methods[i].name, name) == 0)
      return &p->methods[i];
  return NULL;
}

/* The class of @n parameters @params, named __PARAMETERS. */
static WsimClass *
params_class (const WsimProvParam *params, size_t n)
{
  g_autofree wsim_property_def *defs = g_new0 (wsim_property_def, MAX (n, 1));

  for (size_t i = 0; i < n; i++)
    {
      defs[i].name = (char *) params[i].name;
      defs[i].cimtype = params[i].cimtype;
    }
  return wsim_class_new ("__PARAMETERS", NULL, defs, (guint) n, NULL);
}

/* The [in] parameters of @a, converted to @m's declared types into a new object; NULL with
 * *@hr and *@why for a missing, undeclared or mistyped one. */
static WsimObject *
convert_in_params (const wsim_exec_method_async_args *a, const WsimProvMethod *m, WsimClass *cls,
                   WsimHResult *hr, char **why)
{
  const wsim_class_def *def = &a->in_params_class;
  const wsim_instance *row = a->in_params;
  g_autoptr(WsimObject) obj = wsim_server_row_object (def, row, cls, "the [in] parameters",
                                                      m->name, "[in] parameter",
                                                      WBEM_E_INVALID_METHOD_PARAMETERS,
                                                      WBEM_E_INVALID_DUPLICATE_PARAMETER, hr, why);
  guint n_given = row != NULL ? def->props.props_len : 0;

  if (obj == NULL)
    return NULL;
  for (size_t k = 0; k < m->n_in_params; k++)
    {
      gboolean given = FALSE;

      for (guint i = 0; i < n_given && !given; i++)
        given = g_ascii_strcasecmp (def->props.props_val[i].name, m->in_params[k].name) == 0;
      if (!given)
        {
          *hr = WBEM_E_INVALID_METHOD_PARAMETERS;
          *why = g_strdup_printf ("%s needs the [in] parameter %s", m->name, m->in_params[k].name);
          return NULL;
        }
    }
  return g_steal_pointer (&obj);
}

void
wsim_server_handle_exec_method (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  const wsim_exec_method_async_args *a = args;
  const char *ns = wsim_server_begin_async (server, req, "ExecMethodAsync", a->ns_handle,
                                            a->flags, WSIM_EXEC_METHOD_FLAGS, &a->sink,
                                            a->call_id);
  g_autoptr(WsimObjectPath) path = NULL;
  g_autoptr(WsimClass) in_class = NULL;
  g_autoptr(WsimClass) out_class = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autofree char *why = NULL;
  g_autofree char *what = NULL;
  WsimHResult hr = WBEM_S_NO_ERROR;
  const WsimProvMethod *m;
  const WsimProvider *p;
  WsimProviderReg *reg;
  WsimObject *in_params;
  WsimClass *cls;

  if (ns == NULL)
    return;
  cls = wsim_server_resolve_path (server, req, ns, a->object_path, &path);
  if (cls == NULL)
    return;
  reg = wsim_repository_get_provider (server->repo, ns, cls);
  p = reg != NULL ? wsim_provider_reg_get_provider (reg) : NULL;
  m = find_method (p, cls, a->method_name);
  if (m == NULL)
    {
      hr = WBEM_E_INVALID_METHOD;
      why = g_strdup_printf ("%s has no method %s", wsim_class_get_name (cls), a->method_name);
    }
  else if (!m->is_static && wsim_object_path_is_class (path))
    {
      hr = WBEM_E_INVALID_OBJECT_PATH;
      why = g_strdup_printf ("%s is an instance method: the path must name an instance", m->name);
    }
  else if (p->exec_method == NULL)
    {
      hr = WBEM_E_PROVIDER_NOT_CAPABLE;
      why = g_strdup_printf ("provider %s declares %s but cannot run methods", p->name, m->name);
    }
  if (hr != WBEM_S_NO_ERROR)
    {
      wsim_server_reply_hresult_msg (req, hr, why);
      return;
    }
  in_class = params_class (m->in_params, m->n_in_params);
  out_class = params_class (m->out_params, m->n_out_params);
  if (in_class == NULL || out_class == NULL)
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_PROVIDER_FAILURE, "the method's parameters are "
                                     "not a valid class");
      return;
    }
  in_params = convert_in_params (a, m, in_class, &hr, &why);
  if (in_params == NULL)
    {
      wsim_server_reply_hresult_msg (req, hr, why);
      return;
    }
  classes = g_ptr_array_new ();
  g_ptr_array_add (classes, cls);
  what = g_strdup_printf ("ExecMethodAsync %s:%s %s", ns, a->object_path, m->name);
  {
    WsimCallSpec spec = {
      .call_id = a->call_id, .ns = ns, .classes = classes, .flags = a->flags, .what = what,
      .method = m->name, .method_path = g_steal_pointer (&path), .in_params = in_params,
      .out_class = out_class,
    };

    wsim_server_accept_call (server, req, &a->sink, &spec);
  }
}
