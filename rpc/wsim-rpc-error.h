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
 * WSIM_RPC_ERROR_TABLE:
 * Every WSIM_RPC_ERROR code once: the code, its value, and the message that says what it
 * means. Reply statuses of RFC 5531 (accept_stat, reject_stat, auth_stat) and RFC 2203,
 * then the engine's local failures that are not transport errors. The enum, the names and
 * the messages are all made from it, so they cannot drift apart.
 */
#define WSIM_RPC_ERROR_TABLE(X)                                                                \
  X (WSIM_RPC_ERROR_PROG_UNAVAIL,           1, "the server does not serve this program")        \
  X (WSIM_RPC_ERROR_PROG_MISMATCH,          2, "the server does not serve this program version") \
  X (WSIM_RPC_ERROR_PROC_UNAVAIL,           3, "the program has no such procedure")             \
  X (WSIM_RPC_ERROR_GARBAGE_ARGS,           4, "the server could not decode the arguments")     \
  X (WSIM_RPC_ERROR_SYSTEM_ERR,             5, "the server failed (system error)")              \
  X (WSIM_RPC_ERROR_RPC_MISMATCH,           6, "the server does not speak RPC version 2")       \
  X (WSIM_RPC_ERROR_AUTH_BADCRED,           7, "the credential was malformed")                  \
  X (WSIM_RPC_ERROR_AUTH_REJECTEDCRED,      8, "the credential was refused")                    \
  X (WSIM_RPC_ERROR_AUTH_BADVERF,           9, "the verifier was malformed")                    \
  X (WSIM_RPC_ERROR_AUTH_REJECTEDVERF,     10, "the verifier was refused")                      \
  X (WSIM_RPC_ERROR_AUTH_TOOWEAK,          11, "the authentication is too weak")                \
  X (WSIM_RPC_ERROR_AUTH_INVALIDRESP,      12, "the server's verifier is invalid")              \
  X (WSIM_RPC_ERROR_AUTH_FAILED,           13, "authentication failed")                         \
  X (WSIM_RPC_ERROR_RPCSEC_GSS_CREDPROBLEM, 14, "the server has no RPCSEC_GSS context for it")  \
  X (WSIM_RPC_ERROR_RPCSEC_GSS_CTXPROBLEM, 15, "the RPCSEC_GSS context is expired or bad")      \
  X (WSIM_RPC_ERROR_DECODE,                16, "a reply or result did not decode")              \
  X (WSIM_RPC_ERROR_ENCODE,                17, "the arguments could not be encoded")            \
  X (WSIM_RPC_ERROR_RECORD_TOO_LARGE,      18, "a record exceeds the connection's maximum")

/** WsimRpcErrorCode: the codes of WSIM_RPC_ERROR (WSIM_RPC_ERROR_TABLE). */
typedef enum {
#define WSIM_RPC_ERROR_ENUM_(code, value, message) code = value,
  WSIM_RPC_ERROR_TABLE (WSIM_RPC_ERROR_ENUM_)
#undef WSIM_RPC_ERROR_ENUM_
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

/**
 * wsim_rpc_error_name:
 * Returns: (transfer none) (nullable) the code's name ("WSIM_RPC_ERROR_AUTH_TOOWEAK"), NULL
 *   for a value that is no code
 */
const char *wsim_rpc_error_name (WsimRpcErrorCode code);

/**
 * wsim_rpc_error_message:
 * Returns: (transfer none) what the code means, "unknown RPC error" for a value that is no
 *   code
 */
const char *wsim_rpc_error_message (WsimRpcErrorCode code);

G_END_DECLS
