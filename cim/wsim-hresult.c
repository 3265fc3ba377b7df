/* wsim-hresult.c: names, messages and the GError bridge of WMI's status codes. */
#include "wsim-hresult.h"

#include <gio/gio.h>

#include "wsim-rpc-error.h"

G_DEFINE_QUARK (wsim-wbem-error-quark, wsim_wbem_error)

typedef struct {
  WsimHResult value;
  const char *name;
  const char *message;
} HResultInfo;

#define WSIM_HRESULT_ROW(name, value, msg) { value, #name, msg },
static const HResultInfo hresult_table[] = { WSIM_HRESULT_TABLE (WSIM_HRESULT_ROW) };
#undef WSIM_HRESULT_ROW

static const HResultInfo *
lookup (WsimHResult hr)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hresult_table); i++)
    if (hresult_table[i].value == hr)
      return &hresult_table[i];
  return NULL;
}

const char *
wsim_hresult_name (WsimHResult hr)
{
  const HResultInfo *i = lookup (hr);

  return i != NULL ? i->name : NULL;
}

const char *
wsim_hresult_message (WsimHResult hr)
{
  const HResultInfo *i = lookup (hr);

  return i != NULL ? i->message : "unknown status";
}

gboolean
wsim_hresult_from_name (const char *name, WsimHResult *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hresult_table); i++)
    if (g_ascii_strcasecmp (hresult_table[i].name, name) == 0)
      {
        *out = hresult_table[i].value;
        return TRUE;
      }
  return FALSE;
}

char *
wsim_hresult_describe (WsimHResult hr)
{
  const HResultInfo *i = lookup (hr);

  if (i == NULL)
    return g_strdup_printf ("0x%08X", hr);
  return g_strdup_printf ("%s (0x%08X): %s", i->name, hr, i->message);
}

void
wsim_set_error_hresult (GError **error, WsimHResult hr, const char *format, ...)
{
  g_autofree char *text = NULL;
  g_autofree char *status = wsim_hresult_describe (hr);
  va_list ap;

  if (error == NULL)
    return;
  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, WSIM_WBEM_ERROR, (gint) hr, "%s: %s", text, status);
}

glong
wsim_text_position (const char *text, gsize offset)
{
  /* g_utf8_strlen never reads past @offset: safe on text refused before a UTF-8 check. */
  return g_utf8_strlen (text, (gssize) offset) + 1;
}

void
wsim_set_error_at_valist (GError **error, WsimHResult hr, const char *subject, const char *text,
                          gsize offset, const char *format, va_list ap)
{
  g_autofree char *what = g_strdup_vprintf (format, ap);

  wsim_set_error_hresult (error, hr, "%s at position %ld: %s", subject,
                          wsim_text_position (text, offset), what);
}

WsimHResult
wsim_hresult_from_error (const GError *error)
{
  if (error == NULL)
    return WBEM_S_NO_ERROR;
  if (error->domain == WSIM_WBEM_ERROR)
    return (WsimHResult) error->code;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return WBEM_E_TIMED_OUT;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return WBEM_E_CALL_CANCELLED;
  if (error->domain == WSIM_RPC_ERROR)
    {
      if (error->code >= WSIM_RPC_ERROR_AUTH_BADCRED
          && error->code <= WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM)
        return WBEM_E_ACCESS_DENIED;
      return WBEM_E_TRANSPORT_FAILURE;
    }
  if (error->domain == G_IO_ERROR)
    return WBEM_E_TRANSPORT_FAILURE;
  return WBEM_E_FAILED;
}
