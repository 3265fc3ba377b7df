/* wsim-hresult.c: names, messages and the GError bridge of WMI's status codes. */
#include "wsim-hresult.h"

#include <gio/gio.h>

#include "wsim-code-table.h"
#include "wsim-gss.h"
#include "wsim-rpc-error.h"

G_DEFINE_QUARK (wsim-wbem-error-quark, wsim_wbem_error)

static const WsimCodeInfo hresult_table[] = {
  WSIM_HRESULT_TABLE (WSIM_CODE_ROW)
};

const char *
wsim_hresult_name (WsimHResult hr)
{
  const WsimCodeInfo *i = WSIM_CODE_TABLE_LOOKUP (hresult_table, hr);

  return i != NULL ? i->name : NULL;
}

const char *
wsim_hresult_message (WsimHResult hr)
{
  const WsimCodeInfo *i = WSIM_CODE_TABLE_LOOKUP (hresult_table, hr);

  return i != NULL ? i->message : "unknown status";
}

gboolean
wsim_hresult_from_name (const char *name, WsimHResult *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hresult_table); i++)
    if (g_ascii_strcasecmp (hresult_table[i].name, name) == 0)
      {
        *out = (WsimHResult) hresult_table[i].code;
        return TRUE;
      }
  return FALSE;
}

char *
wsim_hresult_describe (WsimHResult hr)
{
  const WsimCodeInfo *i = WSIM_CODE_TABLE_LOOKUP (hresult_table, hr);

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

/* What an error of the other domains is as an HRESULT, at the WMI boundary (a call's final
 * status, a refused request): one row per (domain, code), ANY_CODE for the rest of a
 * domain; the first row that matches wins, and an error no row names is WBEM_E_FAILED.
 * Transport trouble is WBEM_E_TRANSPORT_FAILURE, an RPC authentication refusal (the peer
 * said no) WBEM_E_ACCESS_DENIED; a local GSS-API failure (WSIM_GSS_ERROR: no credentials,
 * a context that did not complete here) is WBEM_E_FAILED, its message saying why. */
#define ANY_CODE G_MININT
#define WSIM_ERROR_HRESULT_TABLE(X)                                                        \
  X (g_io_error_quark,     G_IO_ERROR_TIMED_OUT,                  WBEM_E_TIMED_OUT)          \
  X (g_io_error_quark,     G_IO_ERROR_CANCELLED,                  WBEM_E_CALL_CANCELLED)     \
  X (g_io_error_quark,     ANY_CODE,                              WBEM_E_TRANSPORT_FAILURE)  \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_AUTH_BADCRED,           WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_AUTH_REJECTEDCRED,      WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_AUTH_BADVERF,           WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_AUTH_REJECTEDVERF,      WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_AUTH_TOOWEAK,           WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_AUTH_INVALIDRESP,       WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_AUTH_FAILED,            WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_RPCSEC_GSS_CREDPROBLEM, WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM,  WBEM_E_ACCESS_DENIED)      \
  X (wsim_rpc_error_quark, ANY_CODE,                              WBEM_E_TRANSPORT_FAILURE)  \
  X (wsim_gss_error_quark, ANY_CODE,                              WBEM_E_FAILED)

typedef struct {
  GQuark    (*domain) (void);
  gint        code;
  WsimHResult hr;
} ErrorHResult;

static const ErrorHResult error_hresult_table[] = {
#define ROW(domain, code, hr) { domain, code, hr },
  WSIM_ERROR_HRESULT_TABLE (ROW)
#undef ROW
};

WsimHResult
wsim_hresult_from_error (const GError *error)
{
  if (error == NULL)
    return WBEM_S_NO_ERROR;
  if (error->domain == WSIM_WBEM_ERROR)
    return (WsimHResult) error->code;
  for (gsize i = 0; i < G_N_ELEMENTS (error_hresult_table); i++)
    {
      const ErrorHResult *row = &error_hresult_table[i];

      if (error->domain == row->domain () && (row->code == ANY_CODE || error->code == row->code))
        return row->hr;
    }
  return WBEM_E_FAILED;
}
