/* wsim-gss.h: GSS-API security contexts over real mechanisms, behind a small ops table.
 *
 * A mechanism is a static WsimGssMech: its name, its OID, and how it finds credentials
 * (Kerberos: the ccache or the client keytab, and the acceptor keytab; NTLMSSP through
 * gss-ntlmssp: the file named by NTLM_USER_FILE). WsimGssContext wraps one side of a security
 * context: step it with the peer's tokens until it is established, then sign, verify, wrap
 * and unwrap. Integrity and confidentiality are always requested explicitly (NTLMSSP
 * otherwise produces all-zero signatures that an unchecking peer accepts), and an
 * established context that lacks either is refused. This is the layer RPCSEC_GSS is built
 * on; it has no wire of its own.
 *
 * Threading: a context belongs to one thread at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WSIM_GSS_ERROR (wsim_gss_error_quark ())

/** WsimGssErrorCode: what failed; the message carries GSS-API's own text. */
typedef enum {
  WSIM_GSS_ERROR_NO_CREDENTIALS,   /* acquiring credentials failed */
  WSIM_GSS_ERROR_CONTEXT,          /* establishing the context failed (bad token, wrong peer) */
  WSIM_GSS_ERROR_FLAGS,            /* the context lacks integrity or confidentiality */
  WSIM_GSS_ERROR_INTEGRITY,        /* a MIC or a wrapped token did not verify */
  WSIM_GSS_ERROR_NOT_READY,        /* the context is not established yet */
} WsimGssErrorCode;

GQuark wsim_gss_error_quark (void);

typedef struct _WsimGssMech WsimGssMech;
typedef struct _WsimGssContext WsimGssContext;

/** Returns: (transfer none) the Kerberos V5 mechanism (1.2.840.113554.1.2.2). */
const WsimGssMech *wsim_gss_mech_kerberos (void);
/** Returns: (transfer none) the NTLMSSP mechanism (1.3.6.1.4.1.311.2.2.10, gss-ntlmssp). */
const WsimGssMech *wsim_gss_mech_ntlmssp (void);
/** Returns: (transfer none) "kerberos" or "ntlm"; "gss" for NULL (a mechanism without a table). */
const char *wsim_gss_mech_get_name (const WsimGssMech *mech);
/** Returns: (transfer none) (nullable) the mechanism called @name ("kerberos", "ntlm"). */
const WsimGssMech *wsim_gss_mech_lookup (const char *name);

/**
 * wsim_gss_context_new_initiator:
 * @target: the acceptor as a host-based service, "wbem@localhost"
 * @user: (nullable) the initiator's name ("alice", or "WSIM\\alice" for NTLM); NULL for the
 *   default credentials
 * Returns: (transfer full) (nullable) a context ready for its first step.
 */
WsimGssContext *wsim_gss_context_new_initiator (const WsimGssMech *mech, const char *target,
                                                const char *user, GError **error);

/**
 * wsim_gss_context_new_acceptor:
 * @mech: (nullable) the mechanism; NULL accepts whichever the initiator's first token uses
 * @service: (nullable) the acceptor's own name ("wbem@localhost"); NULL accepts any key in the
 *   keytab (Kerberos) or the default NTLM credentials
 * Returns: (transfer full) (nullable) a context waiting for the initiator's first token.
 */
WsimGssContext *wsim_gss_context_new_acceptor (const WsimGssMech *mech, const char *service,
                                               GError **error);

void wsim_gss_context_free (WsimGssContext *ctx);

/** Returns: (transfer none) (nullable) the context's mechanism (an any-mechanism acceptor
 *  knows it after the first token). */
const WsimGssMech *wsim_gss_context_get_mech (WsimGssContext *ctx);

/**
 * wsim_gss_context_step:
 * @in: (nullable) the peer's last token (NULL for an initiator's first step)
 * @out: (out) (transfer full) (nullable) the token to send to the peer, NULL if none
 * Returns: FALSE with @error when the exchange failed; TRUE otherwise, and then
 *   wsim_gss_context_is_established() says whether more steps are needed.
 */
gboolean wsim_gss_context_step (WsimGssContext *ctx, GBytes *in, GBytes **out, GError **error);

/** Returns: TRUE once the context is established (and has integrity and confidentiality). */
gboolean wsim_gss_context_is_established (WsimGssContext *ctx);

/** Returns: (transfer none) (nullable) the peer's name once established ("alice@WSIM.TEST"). */
const char *wsim_gss_context_get_peer (WsimGssContext *ctx);

/** Returns: (transfer full) a MIC over @msg. */
GBytes *wsim_gss_get_mic (WsimGssContext *ctx, GBytes *msg, GError **error);
/** Returns: TRUE if @mic is @msg's MIC from the peer (WSIM_GSS_ERROR_INTEGRITY otherwise). */
gboolean wsim_gss_verify_mic (WsimGssContext *ctx, GBytes *msg, GBytes *mic, GError **error);
/** Returns: (transfer full) @msg wrapped: signed, and encrypted if @encrypt. */
GBytes *wsim_gss_wrap (WsimGssContext *ctx, GBytes *msg, gboolean encrypt, GError **error);
/**
 * wsim_gss_unwrap:
 * @encrypted: (out) (optional) whether the token was encrypted
 * Returns: (transfer full) the message, or NULL (WSIM_GSS_ERROR_INTEGRITY) if it does not verify.
 */
GBytes *wsim_gss_unwrap (WsimGssContext *ctx, GBytes *token, gboolean *encrypted, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimGssContext, wsim_gss_context_free)

G_END_DECLS
