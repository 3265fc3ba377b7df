/**
 * SECTION:wsim-security
 * @title: wsim-security.h
 * @short_description: how a client authenticates to a server: the security blanket, the
 *   process-wide default (the CoInitializeSecurity analogue) and the map from a blanket to a
 *   GSS-API mechanism and names
 *
 * A blanket says which authentication level (RPC_C_AUTHN_LEVEL_*, wsim-authn-level.h),
 * impersonation level and authentication service to use, and optionally who to be and whom
 * to expect. A process sets its default once with wsim_security_initialize(); each
 * WsimServices proxy starts from the default and may be given its own blanket with
 * wsim_services_set_blanket() (the CoSetProxyBlanket analogue). A scripting moniker
 * (wsim-moniker.h) parses into a blanket.
 *
 * Threading: the process default is set once, before other threads use it, and read from
 * any thread afterwards. A WsimBlanket value is plain data owned by whoever holds it.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

#include "wsim-authn-level.h"

G_BEGIN_DECLS

/**
 * WsimImpLevel:
 * @RPC_C_IMP_LEVEL_DEFAULT: the default (impersonate)
 * @RPC_C_IMP_LEVEL_ANONYMOUS: the server may not learn who the client is
 * @RPC_C_IMP_LEVEL_IDENTIFY: the server may learn who the client is
 * @RPC_C_IMP_LEVEL_IMPERSONATE: the server may act as the client on its own machine
 * @RPC_C_IMP_LEVEL_DELEGATE: the server may act as the client on other machines too
 *
 * COM's impersonation levels (RPC_C_IMP_LEVEL_*), with Microsoft's values.
 */
typedef enum {
  RPC_C_IMP_LEVEL_DEFAULT = 0,
  RPC_C_IMP_LEVEL_ANONYMOUS = 1,
  RPC_C_IMP_LEVEL_IDENTIFY = 2,
  RPC_C_IMP_LEVEL_IMPERSONATE = 3,
  RPC_C_IMP_LEVEL_DELEGATE = 4,
} WsimImpLevel;

/* Authentication services (RPC_C_AUTHN_*), with Microsoft's values. */
/**
 * RPC_C_AUTHN_NONE:
 *
 * No authentication service.
 */
#define RPC_C_AUTHN_NONE          0u
/**
 * RPC_C_AUTHN_GSS_NEGOTIATE:
 *
 * SPNEGO: Kerberos, falling back to NTLMSSP.
 */
#define RPC_C_AUTHN_GSS_NEGOTIATE 9u
/**
 * RPC_C_AUTHN_WINNT:
 *
 * NTLMSSP.
 */
#define RPC_C_AUTHN_WINNT         10u   /* NTLMSSP */
/**
 * RPC_C_AUTHN_GSS_KERBEROS:
 *
 * Kerberos.
 */
#define RPC_C_AUTHN_GSS_KERBEROS  16u
/**
 * RPC_C_AUTHN_DEFAULT:
 *
 * The default service: NTLMSSP here (see #WsimBlanket).
 */
#define RPC_C_AUTHN_DEFAULT       0xFFFFFFFFu

/**
 * WsimBlanket:
 * @authn_level: RPC_C_AUTHN_LEVEL_*; DEFAULT is negotiated with the server when the
 *   connection is made (the server's configured level, never NONE)
 * @imp_level: RPC_C_IMP_LEVEL_*; carried and reported, not sent: GSS-API's only
 *   counterpart is credential delegation, which the providers here never need
 * @authn_svc: RPC_C_AUTHN_WINNT (NTLMSSP), RPC_C_AUTHN_GSS_KERBEROS, or RPC_C_AUTHN_DEFAULT
 *   (NTLMSSP, as Negotiate falls back to it on a machine without a domain)
 * @domain: (nullable) (transfer full) the authority's domain: ntlmdomain:DOM, or the DOM of
 *   kerberos:DOM\SERVER
 * @server_principal: (nullable) (transfer full) the server's name for Kerberos (the SERVER of
 *   kerberos:DOM\SERVER); NULL: the host the client connects to
 * @user: (nullable) (transfer full) who to be: "DOM\\user", "user@REALM" or "user"; NULL: the
 *   process's default credentials
 *
 * A security blanket.
 */
typedef struct {
  WsimAuthnLevel authn_level;
  WsimImpLevel   imp_level;
  guint32        authn_svc;
  char          *domain;
  char          *server_principal;
  char          *user;
} WsimBlanket;

/**
 * WSIM_BLANKET_INIT:
 *
 * The blanket every process starts with: DEFAULT level, IMPERSONATE, RPC_C_AUTHN_DEFAULT.
 */
#define WSIM_BLANKET_INIT { RPC_C_AUTHN_LEVEL_DEFAULT, RPC_C_IMP_LEVEL_IMPERSONATE, \
                            RPC_C_AUTHN_DEFAULT, NULL, NULL, NULL }

/**
 * wsim_blanket_clear:
 * @b: a #WsimBlanket
 *
 * Frees the strings of @b and resets it to WSIM_BLANKET_INIT.
 */
WSIM_EXPORT
void wsim_blanket_clear (WsimBlanket *b);

/**
 * wsim_blanket_copy:
 * @dst: a #WsimBlanket
 * @src: the blanket to copy
 *
 * Makes @dst a deep copy of @src; @dst must hold a blanket (at least
 * WSIM_BLANKET_INIT): its strings are freed first.
 */
WSIM_EXPORT
void wsim_blanket_copy (WsimBlanket *dst, const WsimBlanket *src);

/**
 * wsim_blanket_check:
 * @b: a #WsimBlanket
 * @error: return location for a #GError, or %NULL
 *
 * Returns TRUE if every field holds a known value; FALSE with G_IO_ERROR_INVALID_ARGUMENT *  
 * naming the bad field.
 *
 * Returns: TRUE if every field holds a known value; FALSE with G_IO_ERROR_INVALID_ARGUMENT
 *   naming the bad field.
 */
WSIM_EXPORT
gboolean wsim_blanket_check (const WsimBlanket *b, GError **error);

/**
 * wsim_imp_level_name:
 * @level: an impersonation level
 *
 * Returns "RPC_C_IMP_LEVEL_IMPERSONATE", or "?".
 *
 * Returns: (transfer none) "RPC_C_IMP_LEVEL_IMPERSONATE", or "?".
 */
WSIM_EXPORT
const char *wsim_imp_level_name (WsimImpLevel level);

/**
 * wsim_imp_level_parse:
 * @text: the text to read
 * @out: (out) the level; untouched when the text is none
 *
 * Accepts the scripting words (anonymous, identify, impersonate, delegate, default; any
 * case), the RPC_C_IMP_LEVEL_* names and the numbers 0-4.
 *
 * Returns: FALSE for anything else.
 */
WSIM_EXPORT
gboolean wsim_imp_level_parse (const char *text, WsimImpLevel *out);

/**
 * wsim_authn_svc_name:
 * @authn_svc: an RPC_C_AUTHN_* value
 *
 * Returns "ntlm", "kerberos", "default", or "?".
 *
 * Returns: (transfer none) "ntlm", "kerberos", "default", or "?".
 */
WSIM_EXPORT
const char *wsim_authn_svc_name (guint32 authn_svc);

/**
 * wsim_security_initialize:
 * @blanket: a #WsimBlanket
 * @error: return location for a #GError, or %NULL
 *
 * Sets the process-wide default blanket, once (the CoInitializeSecurity analogue). A second
 * call fails with RPC_E_TOO_LATE (0x80010119) in WSIM_WBEM_ERROR, as COM's does.
 *
 * Returns: FALSE with @error (RPC_E_TOO_LATE on a second call).
 */
WSIM_EXPORT
gboolean wsim_security_initialize (const WsimBlanket *blanket, GError **error);

/**
 * wsim_security_get_default:
 * @out: a #WsimBlanket
 *
 * Copies the process default into @out, which must hold a
 * blanket (WSIM_BLANKET_INIT): its strings are freed first.
 */
WSIM_EXPORT
void wsim_security_get_default (WsimBlanket *out);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WsimBlanket, wsim_blanket_clear)

G_END_DECLS
