/* test-errors.c: the error domains' tables: every WSIM_RPC_ERROR and WSIM_GSS_ERROR code
 * has its name and message, and the one table that maps errors to HRESULTs
 * (wsim_hresult_from_error) says what the runtime has always said. */
#include <criterion/criterion.h>
#include <gio/gio.h>

#include "wsim-gss.h"
#include "wsim-hresult.h"
#include "wsim-rpc-error.h"

Test (errors, rpc_codes_have_names_and_messages, .timeout = 10)
{
  guint n = 0;

#define CHECK(code, value, message)                                                       \
  cr_assert_eq ((int) code, value);                                                       \
  cr_assert_str_eq (wsim_rpc_error_name (code), #code);                                   \
  cr_assert_str_eq (wsim_rpc_error_message (code), message);                              \
  n++;
  WSIM_RPC_ERROR_TABLE (CHECK)
#undef CHECK
  cr_assert_eq (n, WSIM_RPC_ERROR_RECORD_TOO_LARGE, "the codes run 1..N without a gap");
  cr_assert_str_eq (wsim_rpc_error_message (WSIM_RPC_ERROR_AUTH_TOOWEAK),
                    "the authentication is too weak");
  cr_assert_null (wsim_rpc_error_name ((WsimRpcErrorCode) 0));
  cr_assert_null (wsim_rpc_error_name ((WsimRpcErrorCode) 999));
  cr_assert_str_eq (wsim_rpc_error_message ((WsimRpcErrorCode) 999), "unknown RPC error");
}

Test (errors, gss_codes_have_names_and_messages, .timeout = 10)
{
#define CHECK(code, value, message)                                                       \
  cr_assert_eq ((int) code, value);                                                       \
  cr_assert_str_eq (wsim_gss_error_name (code), #code);                                   \
  cr_assert_str_eq (wsim_gss_error_message (code), message);
  WSIM_GSS_ERROR_TABLE (CHECK)
#undef CHECK
  cr_assert_str_eq (wsim_gss_error_name (WSIM_GSS_ERROR_INTEGRITY), "WSIM_GSS_ERROR_INTEGRITY");
  cr_assert_null (wsim_gss_error_name ((WsimGssErrorCode) 42));
  cr_assert_str_eq (wsim_gss_error_message ((WsimGssErrorCode) 42), "unknown GSS-API error");
}

Test (errors, auth_stat_maps_to_rpc_codes, .timeout = 10)
{
  cr_assert_eq (wsim_rpc_error_from_auth_stat (1), WSIM_RPC_ERROR_AUTH_BADCRED);
  cr_assert_eq (wsim_rpc_error_from_auth_stat (5), WSIM_RPC_ERROR_AUTH_TOOWEAK);
  cr_assert_eq (wsim_rpc_error_from_auth_stat (14), WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM);
  cr_assert_eq (wsim_rpc_error_from_auth_stat (99), WSIM_RPC_ERROR_AUTH_FAILED);
}

static WsimHResult
hr_of (GQuark domain, int code)
{
  g_autoptr (GError) error = g_error_new_literal (domain, code, "x");

  return wsim_hresult_from_error (error);
}

Test (errors, errors_map_to_hresults, .timeout = 10)
{
  cr_assert_eq (wsim_hresult_from_error (NULL), WBEM_S_NO_ERROR);
  cr_assert_eq (hr_of (WSIM_WBEM_ERROR, (int) WBEM_E_INVALID_CLASS), WBEM_E_INVALID_CLASS);
  cr_assert_eq (hr_of (G_IO_ERROR, G_IO_ERROR_TIMED_OUT), WBEM_E_TIMED_OUT);
  cr_assert_eq (hr_of (G_IO_ERROR, G_IO_ERROR_CANCELLED), WBEM_E_CALL_CANCELLED);
  cr_assert_eq (hr_of (G_IO_ERROR, G_IO_ERROR_CLOSED), WBEM_E_TRANSPORT_FAILURE);
  cr_assert_eq (hr_of (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED), WBEM_E_TRANSPORT_FAILURE);
  /* Every authentication refusal, and nothing else of the RPC domain, is access denied. */
  for (int code = WSIM_RPC_ERROR_PROG_UNAVAIL; code <= WSIM_RPC_ERROR_RECORD_TOO_LARGE; code++)
    {
      gboolean auth = code >= WSIM_RPC_ERROR_AUTH_BADCRED
                      && code <= WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM;

      cr_assert_eq (hr_of (WSIM_RPC_ERROR, code),
                    auth ? WBEM_E_ACCESS_DENIED : WBEM_E_TRANSPORT_FAILURE, "%s",
                    wsim_rpc_error_name ((WsimRpcErrorCode) code));
    }
  cr_assert_eq (hr_of (WSIM_GSS_ERROR, WSIM_GSS_ERROR_CONTEXT), WBEM_E_FAILED);
  cr_assert_eq (hr_of (G_FILE_ERROR, G_FILE_ERROR_NOENT), WBEM_E_FAILED);
}
