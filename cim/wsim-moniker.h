/* wsim-moniker.h: WMI's scripting moniker ("winmgmts:…", what VBScript's GetObject takes),
 * parsed into a security blanket, a server, a namespace and an optional object path.
 *
 *   winmgmts:[{settings}][[locale=ms_NNN]][!]path
 *
 *   settings   comma-separated, any order, each at most once:
 *                impersonationLevel=anonymous|identify|impersonate|delegate
 *                authenticationLevel=default|none|connect|call|pkt|pktIntegrity|pktPrivacy
 *                authority=ntlmdomain:DOM | kerberos:DOM\SERVER | kerberos:SERVER
 *                (Priv, !Priv, …)   privileges to enable, or with '!' to disable, named as in
 *                                   WbemPrivilegeEnum without its prefix (Debug, Shutdown, …)
 *   path       \\server[\namespace…][:object]  or  //server[/namespace…][:object]
 *              namespace\path[:object]         (no server: the local one, ".")
 *              Class[.Key=value…]              (one name: an object in root\cimv2)
 *              nothing                         (the local server's root\cimv2)
 *
 * Words and keys are case-insensitive; spaces are allowed around the tokens of the two
 * blocks. The '!' is required between a block and a path, and only there. '\' and '/' both
 * separate namespace parts. The object path after ':' is kept as written: it is checked
 * where it is used (wsim-object-path.h). There is no syntax for a user or a password, as in
 * WMI: a key such as "password=" is an error, not ignored.
 *
 * Errors are MK_E_SYNTAX in WSIM_WBEM_ERROR, which is what GetObject reports for a malformed
 * moniker; the message gives the 1-based character position and what was expected there.
 * The parser is pure (no I/O, no global state) and safe on any input: longer than
 * WSIM_MONIKER_MAX_BYTES or not valid UTF-8 is an error.
 */
#pragma once

#include <glib.h>

#include "wsim-hresult.h"
#include "wsim-security.h"

G_BEGIN_DECLS

/** The longest moniker accepted, in bytes (without the terminating NUL). */
#define WSIM_MONIKER_MAX_BYTES 4096

/** WsimMonikerFields: which blanket fields a moniker named. */
typedef enum {
  WSIM_MONIKER_HAS_AUTHN_LEVEL = 1 << 0,   /* authenticationLevel=: authn_level */
  WSIM_MONIKER_HAS_IMP_LEVEL   = 1 << 1,   /* impersonationLevel=: imp_level */
  WSIM_MONIKER_HAS_AUTHORITY   = 1 << 2,   /* authority=: authn_svc, domain, server_principal */
} WsimMonikerFields;

/**
 * WsimMoniker: a parsed moniker.
 * @security: the settings block as a blanket; the fields the moniker did not name keep their
 *   WSIM_BLANKET_INIT values (@user is always NULL: a moniker cannot name one)
 * @set: which of @security's fields the moniker named; the others come from the process
 *   default when the moniker is used (wsim_moniker_apply())
 * @server: (owned) the server as written, or "." when the moniker names none
 * @namespace_path: (owned) the namespace with '\' separators; "root\cimv2" when absent
 * @object_path: (owned) (nullable) what follows the namespace's ':' (or the one-name object
 *   path), as written: "Win32_Process.Handle=\"4\""
 * @locale: (owned) (nullable) the locale as written: "ms_409"
 * @privileges: (owned) (nullable) the privilege list as written, a disabled one with a
 *   leading '!': { "Debug", "!Shutdown", NULL }; NULL when the moniker has no list
 */
typedef struct {
  WsimBlanket       security;
  WsimMonikerFields set;
  char             *server;
  char             *namespace_path;
  char             *object_path;
  char             *locale;
  GStrv             privileges;
} WsimMoniker;

/** The empty moniker: what wsim_moniker_clear() leaves, and the value to start a variable with. */
#define WSIM_MONIKER_INIT { WSIM_BLANKET_INIT, 0, NULL, NULL, NULL, NULL, NULL }

/**
 * wsim_moniker_parse:
 * @text: the moniker
 * @out: an initialised moniker (WSIM_MONIKER_INIT or an earlier result); cleared first,
 *   then filled on success, left cleared on failure
 * @error: MK_E_SYNTAX in WSIM_WBEM_ERROR, the message naming the position and what was
 *   expected there
 * Returns: TRUE if @text is a well-formed moniker.
 */
gboolean wsim_moniker_parse (const char *text, WsimMoniker *out, GError **error);

/** wsim_moniker_clear: frees what @m owns and resets it to WSIM_MONIKER_INIT. */
void wsim_moniker_clear (WsimMoniker *m);

/**
 * wsim_moniker_apply:
 * Overlays the fields the moniker named (@m->set) onto @inout, typically a copy of the
 * process default (wsim_security_get_default()); the others are left as they are. A named
 * authority replaces all three of authn_svc, domain and server_principal (a kerberos:SERVER
 * authority leaves no domain); @inout's user is never touched.
 */
void wsim_moniker_apply (const WsimMoniker *m, WsimBlanket *inout);

/**
 * wsim_moniker_parse_authority:
 * @authority: what a moniker's authority= takes: ntlmdomain:DOMAIN, kerberos:DOMAIN\SERVER
 *   or kerberos:SERVER (the CLI's --authority)
 * Sets authn_svc, domain and server_principal of @inout as a moniker naming it would.
 * Returns: FALSE with MK_E_SYNTAX naming the position, @inout untouched.
 */
gboolean wsim_moniker_parse_authority (const char *authority, WsimBlanket *inout, GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WsimMoniker, wsim_moniker_clear)

G_END_DECLS
