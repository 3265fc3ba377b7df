/* wsim-auth-for-level.h: the client flavor for an RPC_C_AUTHN_LEVEL_* (wsim-authn-level.h).
 *
 * Not a flavor itself: it picks one (AUTH_NONE, RPCSEC_GSS at a service) or, for CONNECT,
 * combines two (an RPCSEC_GSS proof, then AUTH_NONE calls), so that no flavor makes another.
 *
 * Threading: as wsim-auth-gss.h: on @client's context, from the thread that iterates it.
 */
#pragma once

#include "wsim-auth-gss.h"

G_BEGIN_DECLS

/**
 * wsim_auth_for_level_async:
 * @client, @mech, @target, @opts, @done, @user_data: as for wsim_auth_gss_establish_async()
 * @level: an RPC_C_AUTHN_LEVEL_* (wsim-authn-level.h)
 *
 * Makes the flavor that gives @level on the wire: AUTH_NONE for NONE; for CONNECT a context
 * is established (service none) and the flavor is then AUTH_NONE; CALL and PKT give
 * RPCSEC_GSS service none, PKT_INTEGRITY integrity, PKT_PRIVACY privacy. DEFAULT (or any
 * other value) is refused with G_IO_ERROR_INVALID_ARGUMENT: the runtime negotiates it with
 * the server. Results known at once (NONE, a refused level) come from an idle source too.
 */
void wsim_auth_for_level_async (WsimRpcClient *client, guint32 level, const WsimGssMech *mech,
                                const char *target, const WsimGssInitiatorOptions *opts,
                                WsimAuthReadyFunc done, gpointer user_data);

/**
 * wsim_auth_for_level:
 * wsim_auth_for_level_async() for a host-based @target and @user's credentials (NULL: the
 * default ones), waited for as wsim_auth_gss_establish() waits.
 * Returns: (transfer full) (nullable) the flavor to set on @client, or NULL with @error.
 */
WsimAuth *wsim_auth_for_level (WsimRpcClient *client, guint32 level, const WsimGssMech *mech,
                               const char *target, const char *user, GError **error);

G_END_DECLS
