/* wsim-rpc-error.h: the error domain of the RPC engine.
 *
 * Transport problems are reported with GLib's own G_IO_ERROR codes (the peer closed
 * the connection, a call timed out, a GCancellable fired), because that is what a
 * GLib user expects from anything socket-shaped. What the remote RPC layer answered
 * (an RPC reply that is not SUCCESS) is reported in WSIM_RPC_ERROR with the code
 * named after the ONC RPC status (RFC 5531, RFC 2203), so a caller can tell
 * "the server does not know this program" from "the connection broke".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WSIM_RPC_ERROR (wsim_rpc_error_quark ())

/**
 * WsimRpcErrorCode:
 * Reply statuses of RFC 5531 (accept_stat, reject_stat, auth_stat) and RFC 2203, plus the
 * local failures of the engine that are not transport errors.
 */
typedef enum {
  WSIM_RPC_ERROR_PROG_UNAVAIL = 1,   /* accept_stat PROG_UNAVAIL */
  WSIM_RPC_ERROR_PROG_MISMATCH,      /* accept_stat PROG_MISMATCH */
  WSIM_RPC_ERROR_PROC_UNAVAIL,       /* accept_stat PROC_UNAVAIL */
  WSIM_RPC_ERROR_GARBAGE_ARGS,       /* accept_stat GARBAGE_ARGS */
  WSIM_RPC_ERROR_SYSTEM_ERR,         /* accept_stat SYSTEM_ERR */
  WSIM_RPC_ERROR_RPC_MISMATCH,       /* reject_stat RPC_MISMATCH */
  WSIM_RPC_ERROR_AUTH_BADCRED,       /* reject_stat AUTH_ERROR, auth_stat AUTH_BADCRED */
  WSIM_RPC_ERROR_AUTH_REJECTEDCRED,
  WSIM_RPC_ERROR_AUTH_BADVERF,
  WSIM_RPC_ERROR_AUTH_REJECTEDVERF,
  WSIM_RPC_ERROR_AUTH_TOOWEAK,
  WSIM_RPC_ERROR_AUTH_INVALIDRESP,
  WSIM_RPC_ERROR_AUTH_FAILED,
  WSIM_RPC_ERROR_RPCSEC_GSS_CREDPROBLEM,
  WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM,
  WSIM_RPC_ERROR_DECODE,             /* a reply or result that does not decode */
  WSIM_RPC_ERROR_ENCODE,             /* arguments that the XDR routine refused to encode */
  WSIM_RPC_ERROR_RECORD_TOO_LARGE,   /* a record over the connection's maximum */
} WsimRpcErrorCode;

/**
 * wsim_rpc_error_quark:
 * Returns: the GQuark of the WSIM_RPC_ERROR domain.
 */
GQuark wsim_rpc_error_quark (void);

/**
 * wsim_rpc_error_from_auth_stat:
 * @auth_stat: an RFC 5531 / RFC 2203 auth_stat value (1..14)
 * Returns: the matching WsimRpcErrorCode; AUTH_FAILED for unknown values.
 */
WsimRpcErrorCode wsim_rpc_error_from_auth_stat (guint32 auth_stat);

G_END_DECLS
