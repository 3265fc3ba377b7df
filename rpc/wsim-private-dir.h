/* wsim-private-dir.h: a private directory (mode 0700) that does not outlive its process.
 *
 * Internal. What such a directory holds is a secret or the way to one (the local NTLM
 * account's password, the unsecured apartment's sockets), so it must go however the process
 * ends. wsim_private_dir_free() removes it on the paths the process runs to completion
 * (normal exit through atexit or an unref, an error exit, a signal the application turns
 * into its normal cleanup, as `wmisim` does for SIGTERM and SIGINT). For the deaths that
 * run nothing (SIGKILL, a crash, a signal left at its default action) each directory has a
 * watchdog: the program `wmisim-watchdog`, started in a session of its own with every
 * descriptor closed but its stdin, one end of a socket pair whose other end only this
 * process holds (close-on-exec: the programs it starts do not keep it open). At end of file
 * with nothing read the watchdog removes the directory's entries and the directory; a byte
 * read means the process removed it itself. The library installs no signal handler: which
 * signals end a process cleanly is the application's choice (docs/security.md).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * WsimPrivateDir:
 * A directory made by wsim_private_dir_new() and watched until wsim_private_dir_free().
 * Threading: one thread at a time.
 */
typedef struct _WsimPrivateDir WsimPrivateDir;

/**
 * wsim_private_dir_new:
 * @tmpl: a g_dir_make_tmp() template, e.g. "wmisim-account-XXXXXX" (in g_get_tmp_dir())
 * Makes the directory (0700) and starts its watchdog. The watchdog is the program
 * $WSIM_WATCHDOG, else the installed one, else the build tree's.
 * Returns: (transfer full) the directory, or NULL with a G_FILE_ERROR (the directory could
 *   not be made) or a G_SPAWN_ERROR (no watchdog: then no directory is left either).
 */
WsimPrivateDir *wsim_private_dir_new (const char *tmpl, GError **error);

/** Returns: (transfer none) the directory's path, valid until wsim_private_dir_free(). */
const char *wsim_private_dir_get_path (const WsimPrivateDir *dir);

/**
 * wsim_private_dir_free:
 * In the process that made it: removes the directory's entries and the directory and tells
 * the watchdog so. In a forked child of that process: only drops the child's copy (the
 * directory is its parent's). NULL-safe.
 */
void wsim_private_dir_free (WsimPrivateDir *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimPrivateDir, wsim_private_dir_free)

G_END_DECLS
