/* wsim-server-assoc.c: ExecQueryAsync of ASSOCIATORS OF and REFERENCES OF, checked before it
 * is accepted.
 *
 * Refused with the immediate HRESULT and no callback (in this order; docs/wql.md):
 * SchemaOnly, ClassDefsOnly, RequiredQualifier and RequiredAssocQualifier
 * (WBEM_E_NOT_SUPPORTED: class objects are not served and the runtime keeps no
 * qualifiers); a source path that is not valid here (WBEM_E_INVALID_OBJECT_PATH,
 * WBEM_E_INVALID_CLASS, as GetObjectAsync refuses it), or names a class, not an instance
 * (WBEM_E_NOT_SUPPORTED: a schema query); an AssocClass or ResultClass the namespace does
 * not have (WBEM_E_INVALID_CLASS, with its position in the query). A source instance that
 * does not exist ends the accepted call with WBEM_E_NOT_FOUND (wsim-call-assoc.c).
 *
 * Threading: the server's thread.
 */
#include "wsim-server-private.h"

#include <string.h>

#include "wsim-call-assoc.h"
#include "wsim-class.h"
#include "wsim-object-path.h"
#include "wsim-wql.h"

static const struct {
  guint32     feature;
  const char *why;
} not_served[] = {
  { WMIQ_ASSOCQ_SCHEMAONLY, "SchemaOnly (a schema association query) is not supported: class "
                            "objects are not served yet" },
  { WMIQ_ASSOCQ_CLASSDEFSONLY, "ClassDefsOnly is not supported: class objects are not served yet" },
  { WMIQ_ASSOCQ_REQUIREDQUALIFIER, "RequiredQualifier is not supported: the runtime keeps no "
                                   "qualifiers of classes" },
  { WMIQ_ASSOCQ_REQUIREDASSOCQUALIFIER, "RequiredAssocQualifier is not supported: the runtime "
                                        "keeps no qualifiers of classes" },
};

/* The class a keyword names, or NULL (nothing given, or @req answered: *@refused). */
static WsimClass *
named_class (WsimServer *server, WsimRpcRequest *req, const char *ns, WsimWqlQuery *query,
             WsimWqlAssocValue which, const char *keyword, gboolean *refused)
{
  glong pos = 0;
  const char *name = wsim_wql_query_get_assoc_value (query, which, &pos);
  WsimClass *cls;
  g_autofree char *why = NULL;

  if (name == NULL || *refused)
    return NULL;
  cls = wsim_repository_lookup_class (server->repo, ns, name, NULL);
  if (cls != NULL)
    return cls;
  why = g_strdup_printf ("unknown class '%s' at position %ld (%s) in %s", name, pos, keyword, ns);
  wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_CLASS, why);
  *refused = TRUE;
  return NULL;
}

void
wsim_server_exec_assoc_query (WsimServer *server, WsimRpcRequest *req, const char *ns,
                              const wsim_exec_query_async_args *a, WsimWqlQuery *query_in)
{
  g_autoptr(WsimWqlQuery) query = query_in;
  guint32 features = wsim_wql_query_get_features (query);
  WsimWqlKind kind = wsim_wql_query_get_kind (query);
  g_autofree char *source_text = wsim_object_path_to_string (wsim_wql_query_get_source (query));
  g_autoptr(WsimObjectPath) source = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autofree char *what = NULL;
  gboolean refused = FALSE;
  WsimAssocWalkSpec ws = { .kind = kind };
  WsimClass *cls;

  for (guint i = 0; i < G_N_ELEMENTS (not_served); i++)
    if (features & not_served[i].feature)
      {
        wsim_server_reply_hresult_msg (req, WBEM_E_NOT_SUPPORTED, not_served[i].why);
        return;
      }
  cls = wsim_server_resolve_path (server, req, ns, source_text, &source);
  if (cls == NULL)
    return;
  if (wsim_object_path_is_class (source))
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_NOT_SUPPORTED,
                                     "the source is a class: a schema association query, not "
                                     "supported yet (give an instance path)");
      return;
    }
  /* AssocClass narrows ASSOCIATORS' associations; REFERENCES' ResultClass does (its results
   * are the associations). */
  if (kind == WSIM_WQL_ASSOCIATORS)
    {
      ws.assoc_class = named_class (server, req, ns, query, WSIM_WQL_ASSOC_CLASS, "AssocClass", &refused);
      ws.result_class = named_class (server, req, ns, query, WSIM_WQL_RESULT_CLASS, "ResultClass", &refused);
    }
  else
    ws.assoc_class = named_class (server, req, ns, query, WSIM_WQL_RESULT_CLASS, "ResultClass", &refused);
  if (refused)
    return;
  ws.source = source;
  ws.source_cls = cls;
  ws.role = wsim_wql_query_get_assoc_value (query, WSIM_WQL_ROLE, NULL);
  ws.result_role = wsim_wql_query_get_assoc_value (query, WSIM_WQL_RESULT_ROLE, NULL);
  ws.keys_only = (features & WMIQ_ASSOCQ_KEYSONLY) != 0;

  classes = g_ptr_array_new ();
  g_ptr_array_add (classes, cls);
  what = g_strdup_printf ("ExecQueryAsync %s: %.200s%s", ns, a->query, strlen (a->query) > 200 ? "…" : "");
  {
    WsimCallSpec spec = {
      .call_id = a->call_id, .ns = ns, .classes = classes, .flags = a->flags, .what = what,
      .assoc = wsim_assoc_walk_new (server->repo, ns, &ws),
    };

    wsim_server_accept_call (server, req, &a->sink, &spec);
  }
}
