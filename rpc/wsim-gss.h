/* wsim-gss.h: GSS-API security contexts over real mechanisms, behind a small ops table.
 *
 * A mechanism is a static WsimGssMech: its name, its OID, and how it finds credentials
 * (Kerberos: the ccache or the client keytab, or a keytab the caller names, and the acceptor
 * keytab; NTLMSSP through gss-ntlmssp: the file named by NTLM_USER_FILE). WsimGssContext
 * wraps one side of a security context: step it with the peer's tokens until it is
 * established, then sign, verify, wrap and unwrap. Integrity and confidentiality are always
 * requested explicitly (NTLMSSP otherwise produces all-zero signatures that an unchecking
 * peer accepts), and an established context that lacks either is refused. This is the layer
 * RPCSEC_GSS is built on; it has no wire of its own.
 *
 * Threading: a context belongs to one thread at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WSIM_GSS_ERROR (wsim_gss_error_quark ())

/**
 * WSIM_GSS_ERROR_TABLE:
 * Every WSIM_GSS_ERROR code once: the code, its value, and what failed. An error's own
 * message adds GSS-API's text (gss_display_status()) to this. The enum, the names and
 * the messages are made from it.
 */
#define WSIM_GSS_ERROR_TABLE(X)                                                                 \
  X (WSIM_GSS_ERROR_NO_CREDENTIALS, 0, "acquiring credentials failed")                         \
  X (WSIM_GSS_ERROR_CONTEXT,        1, "establishing the context failed (bad token, wrong peer)") \
  X (WSIM_GSS_ERROR_FLAGS,          2, "the context lacks integrity or confidentiality")       \
  X (WSIM_GSS_ERROR_INTEGRITY,      3, "a MIC or a wrapped token did not verify")              \
  X (WSIM_GSS_ERROR_NOT_READY,      4, "the context is not established yet")

/** WsimGssErrorCode: the codes of WSIM_GSS_ERROR (WSIM_GSS_ERROR_TABLE). */
typedef enum {
#define WSIM_GSS_ERROR_ENUM_(code, value, message) code = value,
  WSIM_GSS_ERROR_TABLE (WSIM_GSS_ERROR_ENUM_)
#undef WSIM_GSS_ERROR_ENUM_
} WsimGssErrorCode;

GQuark wsim_gss_error_quark (void);

/** Returns: (transfer none) (nullable) the code's name ("WSIM_GSS_ERROR_CONTEXT"), NULL for a
 *  value that is no code. */
const char *wsim_gss_error_name (WsimGssErrorCode code);
/** Returns: (transfer none) what failed, "unknown GSS-API error" for a value that is no code. */
const char *wsim_gss_error_message (WsimGssErrorCode code);

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
 * WsimGssInitiatorOptions: who an initiator is and how it names its target.
 * @user: (nullable) the initiator's name: "alice", "wbem/localhost@WSIM.TEST", for NTLM
 *   "WSIM\\alice"; NULL for the default credentials
 * @keytab: (nullable) Kerberos only (NTLMSSP ignores it): take the initiator's key from this
 *   keytab ("FILE:/path" or a path), as a service acting as a client does (the server
 *   calling a client back as itself). Its ticket goes into a credentials cache private to
 *   the context, in memory, destroyed with the context; the process's default cache
 *   (KRB5CCNAME) is neither read nor written.
 * @target_is_principal: TRUE: the target is a principal name (Kerberos: "alice@WSIM.TEST",
 *   GSS_KRB5_NT_PRINCIPAL_NAME; NTLMSSP: a user name, which gss-ntlmssp does not check: it
 *   takes only host-based targets, so the name is passed as the service of one on this
 *   host); FALSE: a host-based service, "wbem@localhost"
 *
 * A zeroed struct is the default: the default credentials, a host-based target.
 */
typedef struct {
  const char *user;
  const char *keytab;
  gboolean    target_is_principal;
} WsimGssInitiatorOptions;

/**
 * wsim_gss_context_new_initiator_full:
 * @mech: the mechanism
 * @target: the acceptor: a host-based service, or a principal (see @opts)
 * @opts: (nullable) who initiates and how @target is written; NULL for the defaults. Read
 *   during the call only.
 * @error: return location for a GError (WSIM_GSS_ERROR_NO_CREDENTIALS, _CONTEXT for a bad
 *   target name)
 *
 * Acquires the initiator's credentials now. With Kerberos the ticket for @target is asked
 * of the KDC at the first step (wsim_gss_context_step()), which blocks for that round trip.
 *
 * Returns: (transfer full) (nullable) a context ready for its first step.
 */
WsimGssContext *wsim_gss_context_new_initiator_full (const WsimGssMech *mech, const char *target,
                                                     const WsimGssInitiatorOptions *opts,
                                                     GError **error);

/**
 * wsim_gss_context_new_initiator:
 * wsim_gss_context_new_initiator_full() for a host-based @target ("wbem@localhost") and
 * @user's credentials (NULL: the default ones), from the process's default sources.
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

/**
 * wsim_gss_context_get_self:
 * The context's own name as the mechanism reports it once established: an initiator's is the
 * name it authenticated as ("wbem/localhost@WSIM.TEST", "WSIM\\wbem"); a Kerberos acceptor's
 * is the service principal the initiator's ticket was for, whichever key of the keytab
 * accepted it ("wbem/localhost@WSIM.TEST"). An NTLMSSP acceptor has none: NTLMSSP names no
 * target the acceptor checks, and gss-ntlmssp 1.2.0 gives an acceptor with default
 * credentials a host-based name with no host, which it crashes displaying.
 * Returns: (transfer none) (nullable) the name; NULL before establishment and for an NTLMSSP
 *   acceptor.
 */
const char *wsim_gss_context_get_self (WsimGssContext *ctx);

/**
 * wsim_gss_context_get_ccache:
 * Names the credentials cache private to an initiator made with a keytab
 * (WsimGssInitiatorOptions.keytab), which wsim_gss_context_free() destroys; for traces and
 * tests (a MEMORY cache lives in this process only).
 * Returns: (transfer none) (nullable) "MEMORY:…", or NULL for a context without one.
 */
const char *wsim_gss_context_get_ccache (WsimGssContext *ctx);

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
