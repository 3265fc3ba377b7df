/* wsim-local-account.c: a per-process NTLM account file (see wsim-local-account.h). */
#include "wsim-local-account.h"

#include <stdlib.h>
#include <sys/random.h>

#include "wsim-private-dir.h"

/* (owned) set once, removed at exit, or by its watchdog if the process dies without exiting.
 * Not unlinked while the process runs: gss-ntlmssp opens NTLM_USER_FILE anew at each
 * authentication. */
static WsimPrivateDir *account_dir;
static char *account_name;   /* (owned) DOMAIN\\login, once made */

static void
remove_account (void)
{
  g_clear_pointer (&account_dir, wsim_private_dir_free);
}

/* Writes the account file into a new private directory; sets NTLM_USER_FILE to it. */
static gboolean
provision (GError **error)
{
  g_autoptr(WsimPrivateDir) dir = NULL;
  g_autofree char *path = NULL, *line = NULL;
  g_autoptr(GString) secret = g_string_new (NULL);
  guint8 bits[16];

  /* 128 bits from the kernel; the file is the only place the password lives. */
  if (getrandom (bits, sizeof bits, 0) != (ssize_t) sizeof bits)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           "no random bytes for the local account's password");
      return FALSE;
    }
  for (gsize i = 0; i < sizeof bits; i++)
    g_string_append_printf (secret, "%02x", bits[i]);
  dir = wsim_private_dir_new ("wmisim-account-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  path = g_build_filename (wsim_private_dir_get_path (dir), "ntlm-users", NULL);
  line = g_strdup_printf ("%s:%s:%s\n", WSIM_LOCAL_ACCOUNT_DOMAIN, g_get_user_name (), secret->str);
  if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_NONE, 0600, error))
    return FALSE;
  account_name = g_strdup_printf ("%s\\%s", WSIM_LOCAL_ACCOUNT_DOMAIN, g_get_user_name ());
  account_dir = g_steal_pointer (&dir);
  g_setenv ("NTLM_USER_FILE", path, TRUE);
  atexit (remove_account);
  return TRUE;
}

gboolean
wsim_local_account_ensure (GError **error)
{
  static GMutex lock;
  gboolean ok = TRUE;

  g_mutex_lock (&lock);
  if (g_getenv ("NTLM_USER_FILE") == NULL)
    ok = provision (error);
  g_mutex_unlock (&lock);
  return ok;
}

const char *
wsim_local_account_get_name (void)
{
  return account_name;
}
