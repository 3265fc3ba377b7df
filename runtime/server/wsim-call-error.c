/* wsim-call-error.c: the __ExtendedStatus a failed call's final SetStatus carries. */
#include "wsim-call-error.h"

#include <string.h>

#include "wsim-extended-status.h"
#include "wsim_cim.h"

/* What WMI puts in ProviderName when no provider is involved (Microsoft, __ExtendedStatus). */
#define WSIM_NO_PROVIDER_NAME "Windows Management"

gboolean
wsim_call_error_wanted (WsimHResult hr)
{
  return WSIM_HRESULT_FAILED (hr) && hr != WBEM_E_CALL_CANCELLED;
}

WsimObject *
wsim_call_error_new (WsimHResult hr, const char *why, const WsimCallAbout *about)
{
  g_autofree char *path = about->path != NULL ? wsim_object_path_to_string (about->path) : NULL;
  /* The query, else the object the call was on (a put's or delete's instance path), else
   * the class. */
  const char *param = about->query != NULL ? wsim_wql_query_get_text (about->query)
                      : path != NULL ? path
                      : about->path_text != NULL ? about->path_text
                      : about->cls != NULL ? wsim_class_get_name (about->cls) : NULL;
  const char *provider = about->provider != NULL && about->provider->name != NULL
                         ? about->provider->name : WSIM_NO_PROVIDER_NAME;

  g_autofree char *param_cut = param != NULL ? wsim_call_error_cut (param) : NULL;

  /* A path's text can be longer than the request's (wsim_object_path_to_string() quotes
   * what a single-quoted key did not), so ParameterInfo is cut as strParam is. */
  return wsim_extended_status_new (hr, why, about->operation, param_cut, provider);
}

char *
wsim_call_error_cut (const char *text)
{
  gsize n = MIN (strlen (text), (gsize) WSIM_MAX_STRING);

  while (n > 0 && text[n] != '\0' && (text[n] & 0xC0) == 0x80)
    n--;
  return g_strndup (text, n);
}
