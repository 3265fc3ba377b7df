/* wmisim-semisync.c: `--semisync` for wmisim enum and query (see wmisim-semisync.h). */
#include "wmisim-semisync.h"

#include "wsim-enumerator.h"
#include "wsim-wbem.h"

WsimHResult
wsim_cli_semisync (WsimServices *services, const char *class_name, const char *query, gint32 flags,
                   WsimSink *sink, GError **error)
{
  g_autoptr(WsimEnumerator) e = NULL;
  WsimHResult hr;

  flags |= WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_FORWARD_ONLY;
  hr = query != NULL ? wsim_services_exec_query (services, "WQL", query, flags, &e, error)
                     : wsim_services_create_instance_enum (services, class_name, flags, &e, error);
  if (hr != WBEM_S_NO_ERROR)
    return hr;
  do
    {
      g_autoptr(GPtrArray) objs = NULL;

      hr = wsim_enumerator_next (e, WBEM_INFINITE, WSIM_CLI_SEMISYNC_BATCH, &objs, NULL);
      if (objs != NULL && objs->len > 0)
        wsim_sink_indicate (sink, (WsimObject *const *) objs->pdata, objs->len);
    }
  while (hr == WBEM_S_NO_ERROR);
  /* The end as the async call's final SetStatus says it: S_FALSE is the enumerator's word
   * for a complete success. */
  wsim_sink_set_status (sink, WBEM_STATUS_COMPLETE, hr == WBEM_S_FALSE ? WBEM_S_NO_ERROR : hr,
                        wsim_enumerator_get_str_param (e),
                        wsim_enumerator_get_error_object (e));
  return WBEM_S_NO_ERROR;
}
