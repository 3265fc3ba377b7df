/* wsim-server-assoc.c: ExecQueryAsync of ASSOCIATORS OF and REFERENCES OF, checked before it
 * is accepted.
 *
 * Refused with the immediate HRESULT and no callback (in this order; docs/wql.md): a source
 * path that is not valid here (WBEM_E_INVALID_OBJECT_PATH, WBEM_E_INVALID_CLASS, as
 * GetObjectAsync refuses it); SchemaOnly with an instance as the source, ClassDefsOnly with
 * a class (WBEM_E_INVALID_QUERY); an AssocClass or ResultClass the namespace does not have
 * (WBEM_E_INVALID_CLASS, with its position in the query). A class as the source is a
 * schema query, answered with class objects at once (wsim-assoc-schema.c); an instance is
 * walked (wsim-call-assoc.c), and one that does not exist ends the accepted call with
 * WBEM_E_NOT_FOUND.
 *
 * Threading: the server's thread.
 */
#include "wsim-server-private.h"

#include <string.h>

#include "wsim-call-assoc.h"
#include "wsim-class.h"
#include "wsim-object-path.h"
#include "wsim-wql.h"

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
  gboolean refused = FALSE, schema;
  WsimAssocWalkSpec ws = { .kind = kind };
  WsimClass *cls;

  cls = wsim_server_resolve_path (server, req, ns, source_text, &source);
  if (cls == NULL)
    return;
  /* "Schema Associations": the source of a schema query is a class, SchemaOnly marks one,
   * and ClassDefsOnly is not valid in one. */
  schema = wsim_object_path_is_class (source);
  if ((features & WMIQ_ASSOCQ_SCHEMAONLY) && !schema)
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_QUERY,
                                     "SchemaOnly needs a class as the source, not an instance");
      return;
    }
  if ((features & WMIQ_ASSOCQ_CLASSDEFSONLY) && schema)
    {
      wsim_server_reply_hresult_msg (req, WBEM_E_INVALID_QUERY,
                                     "ClassDefsOnly is not valid in a schema query (the source "
                                     "is a class)");
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
  ws.required_qualifier = wsim_wql_query_get_assoc_value (query, WSIM_WQL_REQUIRED_QUALIFIER, NULL);
  ws.required_assoc_qualifier = wsim_wql_query_get_assoc_value (query, WSIM_WQL_REQUIRED_ASSOC_QUALIFIER,
                                                                NULL);
  ws.class_defs_only = (features & WMIQ_ASSOCQ_CLASSDEFSONLY) != 0;

  classes = g_ptr_array_new ();
  if (!schema)
    g_ptr_array_add (classes, cls);
  what = g_strdup_printf ("ExecQueryAsync %s: %.200s%s", ns, a->query, strlen (a->query) > 200 ? "…" : "");
  {
    WsimCallSpec spec = {
      .call_id = a->call_id, .ns = ns, .classes = classes, .flags = a->flags, .what = what,
    };

    /* A schema query's results are known now: the call delivers them (no provider). */
    if (schema)
      spec.decls = wsim_assoc_schema_results (server->repo, ns, &ws);
    else
      spec.assoc = wsim_assoc_walk_new (server->repo, ns, &ws);

    wsim_server_accept_call (server, req, &a->sink, &spec);
  }
}
