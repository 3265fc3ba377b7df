/* wsim-rpc-error.c: the WSIM_RPC_ERROR domain: its names and messages (from
 * WSIM_RPC_ERROR_TABLE) and the auth_stat mapping. */
#include "wsim-rpc-error.h"

#include "wsim-code-table.h"

G_DEFINE_QUARK (wsim-rpc-error-quark, wsim_rpc_error)

static const WsimCodeInfo rpc_error_table[] = {
  WSIM_RPC_ERROR_TABLE (WSIM_CODE_ROW)
};

const char *
wsim_rpc_error_name (WsimRpcErrorCode code)
{
  const WsimCodeInfo *i = WSIM_CODE_TABLE_LOOKUP (rpc_error_table, code);

  return i != NULL ? i->name : NULL;
}

const char *
wsim_rpc_error_message (WsimRpcErrorCode code)
{
  const WsimCodeInfo *i = WSIM_CODE_TABLE_LOOKUP (rpc_error_table, code);

  return i != NULL ? i->message : "unknown RPC error";
}

WsimRpcErrorCode
wsim_rpc_error_from_auth_stat (guint32 auth_stat)
{
  /* RFC 5531 auth_stat 1..7, RFC 2203 adds 13 and 14. */
  switch (auth_stat)
    {
    case 1: return WSIM_RPC_ERROR_AUTH_BADCRED;
    case 2: return WSIM_RPC_ERROR_AUTH_REJECTEDCRED;
    case 3: return WSIM_RPC_ERROR_AUTH_BADVERF;
    case 4: return WSIM_RPC_ERROR_AUTH_REJECTEDVERF;
    case 5: return WSIM_RPC_ERROR_AUTH_TOOWEAK;
    case 6: return WSIM_RPC_ERROR_AUTH_INVALIDRESP;
    case 13: return WSIM_RPC_ERROR_RPCSEC_GSS_CREDPROBLEM;
    case 14: return WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM;
    default: return WSIM_RPC_ERROR_AUTH_FAILED;
    }
}
