/**
 * SECTION:wsim-authn-level
 * @title: wsim-authn-level.h
 * @short_description: COM's authentication levels (RPC_C_AUTHN_LEVEL_*), with Microsoft's values
 *   and scripting words, and how each is carried on the wire here
 *
 *   NONE           AUTH_NONE
 *   CONNECT        a GSS context established when the connection is made (RPCSEC_GSS
 *                  INIT), then calls as AUTH_NONE: the server knows who connected, no call
 *                  is protected
 *   CALL           raised to PKT, as MS-RPCE requires on connection-oriented transports
 *   PKT            RPCSEC_GSS, service none: each call's header signed, sequence-checked
 *   PKT_INTEGRITY  RPCSEC_GSS, service integrity: each message signed in full
 *   PKT_PRIVACY    RPCSEC_GSS, service privacy: signed and encrypted
 *   DEFAULT        negotiated to the server's level (never NONE) by the runtime
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

G_BEGIN_DECLS

/**
 * WsimAuthnLevel:
 * @RPC_C_AUTHN_LEVEL_DEFAULT: negotiated to the server's level (never NONE) by the runtime
 * @RPC_C_AUTHN_LEVEL_NONE: no authentication
 * @RPC_C_AUTHN_LEVEL_CONNECT: authenticated when the connection is made
 * @RPC_C_AUTHN_LEVEL_CALL: authenticated at each call (PKT on a stream transport)
 * @RPC_C_AUTHN_LEVEL_PKT: each message authenticated
 * @RPC_C_AUTHN_LEVEL_PKT_INTEGRITY: each message signed in full
 * @RPC_C_AUTHN_LEVEL_PKT_PRIVACY: each message signed and encrypted
 *
 * COM's authentication levels, with Microsoft's values (the section's description says how
 * each is carried).
 */
typedef enum {
  RPC_C_AUTHN_LEVEL_DEFAULT = 0,
  RPC_C_AUTHN_LEVEL_NONE = 1,
  RPC_C_AUTHN_LEVEL_CONNECT = 2,
  RPC_C_AUTHN_LEVEL_CALL = 3,
  RPC_C_AUTHN_LEVEL_PKT = 4,
  RPC_C_AUTHN_LEVEL_PKT_INTEGRITY = 5,
  RPC_C_AUTHN_LEVEL_PKT_PRIVACY = 6,
} WsimAuthnLevel;

/**
 * wsim_authn_level_name:
 * @level: an authentication level
 *
 * Returns "RPC_C_AUTHN_LEVEL_PKT_PRIVACY", or "?" for an unknown value.
 *
 * Returns: (transfer none) "RPC_C_AUTHN_LEVEL_PKT_PRIVACY", or "?" for an unknown value.
 */
WSIM_EXPORT
const char *wsim_authn_level_name (WsimAuthnLevel level);

/**
 * wsim_authn_level_word:
 * @level: an authentication level
 *
 * Returns the scripting word: "pktPrivacy", "connect", …, or "?".
 *
 * Returns: (transfer none) the scripting word: "pktPrivacy", "connect", …, or "?".
 */
WSIM_EXPORT
const char *wsim_authn_level_word (WsimAuthnLevel level);

/**
 * wsim_authn_level_parse:
 * @text: the text to read
 * @out: (out) the level; untouched when the text is none
 *
 * Accepts the scripting word (any case), the full name, the short name ("PKT_PRIVACY") or
 * the number.
 *
 * Returns: FALSE for anything else.
 */
WSIM_EXPORT
gboolean wsim_authn_level_parse (const char *text, WsimAuthnLevel *out);

/**
 * wsim_authn_level_on_stream:
 * @level: an authentication level
 *
 * Returns the level a stream transport actually gives @level: CALL becomes PKT (MS-RPCE).
 *
 * Returns: the level a stream transport actually gives @level: CALL becomes PKT (MS-RPCE).
 */
WSIM_EXPORT
WsimAuthnLevel wsim_authn_level_on_stream (WsimAuthnLevel level);

G_END_DECLS
