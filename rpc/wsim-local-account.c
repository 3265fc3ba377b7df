/* wsim-local-account.c: a per-process NTLM account file (see wsim-local-account.h). */
#include "wsim-local-account.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

static char *account_dir;    /* (owned) set once, removed at exit */
static char *account_file;   /* (owned) */
static pid_t account_owner;  /* the process that made it: a forked child must not remove it */
static char *account_name;   /* (owned) DOMAIN\\login, once made */

static void
remove_account (void)
{
  if (getpid () != account_owner)
    return;
  g_unlink (account_file);
  g_rmdir (account_dir);
}

/* Writes the account file into a new private directory; sets NTLM_USER_FILE to it. */
static gboolean
provision (GError **error)
{
  g_autofree char *dir = NULL, *path = NULL, *line = NULL;
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
  dir = g_dir_make_tmp ("wmisim-account-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  path = g_build_filename (dir, "ntlm-users", NULL);
  line = g_strdup_printf ("%s:%s:%s\n", WSIM_LOCAL_ACCOUNT_DOMAIN, g_get_user_name (), secret->str);
  if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_NONE, 0600, error))
    {
      g_rmdir (dir);
      return FALSE;
    }
  account_owner = getpid ();
  account_name = g_strdup_printf ("%s\\%s", WSIM_LOCAL_ACCOUNT_DOMAIN, g_get_user_name ());
  account_dir = g_steal_pointer (&dir);
  account_file = g_steal_pointer (&path);
  g_setenv ("NTLM_USER_FILE", account_file, TRUE);
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
