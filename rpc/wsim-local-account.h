/* wsim-local-account.h: an NTLM account for this process when the machine has none set up.
 *
 * On Windows every machine has local accounts, so a client with the default blanket
 * (NTLMSSP at the server's level) always has credentials to offer its local WMI. Here
 * NTLMSSP's accounts are a file (gss-ntlmssp reads the one NTLM_USER_FILE names), so the
 * embedded mode provisions one: when NTLM_USER_FILE is not set, a private file with one
 * account, DOMAIN "WMISIM", user = the login name, a random password, mode 0600 in a
 * directory of its own (wsim-private-dir.h). The client and the embedded server of the
 * process both use it, as a Windows client and its local winmgmt share the machine's
 * account database. The directory is removed when the process that made it exits (not by a
 * forked child), and by its watchdog when that process dies without exiting (SIGKILL).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** The domain of the provisioned account. */
#define WSIM_LOCAL_ACCOUNT_DOMAIN "WMISIM"

/**
 * wsim_local_account_ensure:
 * Provisions the account unless NTLM_USER_FILE is set already. Call it before starting
 * threads that use GSS-API (it sets an environment variable). Idempotent.
 * Returns: FALSE with a G_FILE_ERROR if the file could not be written.
 */
gboolean wsim_local_account_ensure (GError **error);

/** Returns: (transfer none) (nullable) "WMISIM\\<login>" once this process provisioned the
 *  account, NULL otherwise. */
const char *wsim_local_account_get_name (void);

G_END_DECLS
