/* wsim-registry.c: DWORD values under registry key paths, kept in one GKeyFile (see
 * wsim-registry.h). Owns the key path and value name rules, the file format and the
 * writers' lock; it keeps no state but the file's path. */
#include "wsim-registry.h"
#include "wsim-registry-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define DWORD_PREFIX "dword:"

struct _WsimRegistry {
  gatomicrefcount ref_count;   /* atomic */
  char *path;        /* (owned) absolute; never changes, so any thread reads it */
};

typedef struct {
  const char *abbrev;
  const char *name;
} Hive;

static const Hive hives[] = {
  { "HKLM", "HKEY_LOCAL_MACHINE" },
  { "HKCU", "HKEY_CURRENT_USER" },
  { "HKCR", "HKEY_CLASSES_ROOT" },
  { "HKU", "HKEY_USERS" },
  { "HKCC", "HKEY_CURRENT_CONFIG" },
};

const char *
wsim_registry_default_path (void)
{
  const char *env = g_getenv ("WSIM_REGISTRY");
  g_autofree char *path = NULL;

  /* Interned: the caller keeps a pointer that neither a later setenv nor this function's
   * next call may free. */
  if (env != NULL && *env != '\0')
    return g_intern_string (env);
  path = g_build_filename (g_get_user_state_dir (), "wmisim", "registry", NULL);
  return g_intern_string (path);
}

WsimRegistry *
wsim_registry_open (const char *path, GError **error)
{
  WsimRegistry *reg;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path == NULL)
    path = wsim_registry_default_path ();
  if (*path == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "the registry's path is empty");
      return NULL;
    }
  reg = g_new0 (WsimRegistry, 1);
  g_atomic_ref_count_init (&reg->ref_count);
  reg->path = g_canonicalize_filename (path, NULL);
  return reg;
}

WsimRegistry *
wsim_registry_ref (WsimRegistry *reg)
{
  g_return_val_if_fail (reg != NULL, NULL);

  g_atomic_ref_count_inc (&reg->ref_count);
  return reg;
}

void
wsim_registry_unref (WsimRegistry *reg)
{
  if (reg == NULL || !g_atomic_ref_count_dec (&reg->ref_count))
    return;
  g_free (reg->path);
  g_free (reg);
}

const char *
wsim_registry_get_path (WsimRegistry *reg)
{
  g_return_val_if_fail (reg != NULL, NULL);

  return reg->path;
}

/* ---- names ------------------------------------------------------------------------ */

/* @name as an error message may quote it (messages are UTF-8). */
static const char *
quotable (const char *name)
{
  return g_utf8_validate (name, -1, NULL) ? name : "(not UTF-8)";
}

/* Returns: NULL if @name (UTF-8) can be a key name in a group header, else why not. */
static const char *
key_name_problem (const char *name)
{
  if (*name == '\0')
    return "an empty key name (two backslashes in a row)";
  for (const char *c = name; *c != '\0'; c++)
    if (*c == '[' || *c == ']' || g_ascii_iscntrl (*c))
      return "a key name with '[', ']' or a control character";
  return NULL;
}

/* Returns: (transfer full) @key with its hive abbreviated, or NULL with INVALID_ARGUMENT. */
static char *
canonical_key (const char *key, GError **error)
{
  g_auto (GStrv) names = g_strsplit (key, "\\", -1);
  const char *problem = NULL;
  const Hive *hive = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (hives) && names[0] != NULL; i++)
    if (g_ascii_strcasecmp (names[0], hives[i].abbrev) == 0
        || g_ascii_strcasecmp (names[0], hives[i].name) == 0)
      hive = &hives[i];
  if (*key == '\0')
    problem = "it is empty";
  else if (!g_utf8_validate (key, -1, NULL))
    problem = "it is not UTF-8";
  else if (hive == NULL)
    problem = "it does not begin with a hive (HKLM, HKCU, HKCR, HKU, HKCC)";
  else if (g_str_has_suffix (key, "\\"))
    problem = "it ends with a backslash";
  for (gsize i = 1; problem == NULL && names[i] != NULL; i++)
    problem = key_name_problem (names[i]);
  if (problem != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "invalid key path '%s': %s", quotable (key), problem);
      return NULL;
    }
  g_free (names[0]);
  names[0] = g_strdup (hive->abbrev);
  return g_strjoinv ("\\", names);
}

/* Returns: TRUE if @value can be a key in the file and read back the same; else FALSE
 * with INVALID_ARGUMENT. The registry's default (unnamed) value is not modelled. */
static gboolean
check_value_name (const char *value, GError **error)
{
  const char *problem = NULL;

  if (*value == '\0')
    problem = "it is empty";
  else if (!g_utf8_validate (value, -1, NULL))
    problem = "it is not UTF-8";
  else if (strpbrk (value, "=[]") != NULL)
    problem = "it holds '=', '[' or ']'";
  else if (*value == '#' || *value == ' ' || g_str_has_suffix (value, " "))
    problem = "it begins with '#', or begins or ends with a space";
  else if (g_ascii_strcasecmp (value, "Encoding") == 0)
    problem = "the file format reserves it (GKeyFile reads it as the file's charset)";
  for (const char *c = value; problem == NULL && *c != '\0'; c++)
    if (g_ascii_iscntrl (*c))
      problem = "it holds a control character";
  if (problem == NULL)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "invalid value name '%s': %s",
               quotable (value), problem);
  return FALSE;
}

char *
wsim_registry_check_names (const char *key, const char *value, GError **error)
{
  g_autofree char *canonical = canonical_key (key, error);

  if (canonical == NULL || !check_value_name (value, error))
    return NULL;
  return g_steal_pointer (&canonical);
}

/* Returns: (transfer full) the entry of @names equal to @name ignoring case, or NULL.
 * @names are valid UTF-8: load() checked the whole file. */
static char *
find_ignoring_case (char **names, const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (char **n = names; *n != NULL; n++)
    {
      g_autofree char *f = g_utf8_casefold (*n, -1);

      if (g_str_equal (f, folded))
        return g_strdup (*n);
    }
  return NULL;
}

/* Finds the group of @key (canonical) and its entry @value as the file spells them;
 * each NULL where absent. */
static void
find_value (GKeyFile *kf, const char *key, const char *value, char **group, char **name)
{
  g_auto (GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_auto (GStrv) names = NULL;

  *name = NULL;
  *group = find_ignoring_case (groups, key);
  if (*group == NULL)
    return;
  names = g_key_file_get_keys (kf, *group, NULL, NULL);
  *name = find_ignoring_case (names, value);
}

/* ---- the file --------------------------------------------------------------------- */

/* The registry's errors are all G_IO_ERROR; GLib's file functions report G_FILE_ERROR. */
static void
propagate_file_error (GError **error, GError *file_error)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_file_error (file_error->code),
                       file_error->message);
  g_error_free (file_error);
}

gboolean
wsim_registry_parse (GKeyFile *kf, const char *origin, const char *text, gsize len,
                     GError **error)
{
  GError *local = NULL;

  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "registry file %s is not UTF-8", origin);
      return FALSE;
    }
  if (!g_key_file_load_from_data (kf, text, len, G_KEY_FILE_KEEP_COMMENTS, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "registry file %s: %s",
                   origin, local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

/* Reads the file into @kf; an absent file leaves it empty. */
static gboolean
load (WsimRegistry *reg, GKeyFile *kf, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  GError *local = NULL;

  if (!g_file_get_contents (reg->path, &text, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_error_free (local);
          return TRUE;
        }
      propagate_file_error (error, local);
      return FALSE;
    }
  return wsim_registry_parse (kf, reg->path, text, len, error);
}

/* Parses @text, "dword:" and 1 to 8 hex digits (what regedit imports; it writes 8). */
static gboolean
parse_dword (const char *text, guint32 *out)
{
  const char *hex;
  gsize n;

  if (!g_str_has_prefix (text, DWORD_PREFIX))
    return FALSE;
  hex = text + strlen (DWORD_PREFIX);
  n = strlen (hex);
  if (n == 0 || n > 8 || strspn (hex, "0123456789abcdefABCDEF") != n)
    return FALSE;
  *out = (guint32) g_ascii_strtoull (hex, NULL, 16);
  return TRUE;
}

/* The writers' lock: the file itself is replaced by rename, so a lock on it would hold
 * the old inode; the sibling <path>.lock stays. Each call opens its own descriptor, and
 * flock() locks belong to the open file, so threads of one process exclude each other
 * too. Returns: the descriptor to close(), which unlocks, or -1. */
static int
lock_writers (WsimRegistry *reg, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (reg->path);
  g_autofree char *lock_path = g_strconcat (reg->path, ".lock", NULL);
  int fd = -1, err;

  if (g_mkdir_with_parents (dir, 0700) == 0)
    fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0)
    {
      int r;

      while ((r = flock (fd, LOCK_EX)) < 0 && errno == EINTR)
        ;
      if (r == 0)
        return fd;
    }
  err = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "registry lock %s: %s",
               lock_path, g_strerror (err));
  return -1;
}

static void
set_not_found (GError **error, const char *key, const char *value)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s\\%s: no such value", key, value);
}

gboolean
wsim_registry_change (GKeyFile *kf, const char *canonical, const char *value,
                      const guint32 *data, GError **error)
{
  g_autofree char *group = NULL, *name = NULL;

  find_value (kf, canonical, value, &group, &name);
  if (data != NULL)
    {
      g_autofree char *dword = g_strdup_printf (DWORD_PREFIX "%08x", *data);

      g_key_file_set_value (kf, group != NULL ? group : canonical, name != NULL ? name : value,
                            dword);
    }
  else if (name == NULL)
    {
      set_not_found (error, canonical, value);
      return FALSE;
    }
  else
    g_key_file_remove_key (kf, group, name, NULL);
  return TRUE;
}

/* Read, change, write under the writers' lock: sets @key\@value to *@data, or deletes it
 * when @data is NULL. */
static gboolean
edit (WsimRegistry *reg, const char *key, const char *value, const guint32 *data,
      GError **error)
{
  g_autofree char *canonical = wsim_registry_check_names (key, value, error);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *text = NULL;
  GError *local = NULL;
  gsize len;
  gboolean ok = FALSE;
  int lock_fd;

  if (canonical == NULL)
    return FALSE;
  lock_fd = lock_writers (reg, error);
  if (lock_fd < 0)
    return FALSE;
  if (!load (reg, kf, error) || !wsim_registry_change (kf, canonical, value, data, error))
    goto out;
  text = g_key_file_to_data (kf, &len, NULL);
  ok = g_file_set_contents_full (reg->path, text, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local);
  if (!ok)
    propagate_file_error (error, local);
out:
  close (lock_fd);
  return ok;
}

/* ---- the API ---------------------------------------------------------------------- */

gboolean
wsim_registry_find_dword (GKeyFile *kf, const char *origin, const char *canonical,
                          const char *value, guint32 *out, GError **error)
{
  g_autofree char *group = NULL, *name = NULL, *text = NULL;

  find_value (kf, canonical, value, &group, &name);
  if (name == NULL)
    {
      set_not_found (error, canonical, value);
      return FALSE;
    }
  text = g_key_file_get_value (kf, group, name, NULL);
  if (!parse_dword (text, out))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "registry file %s: [%s] %s=%s is not a DWORD (" DWORD_PREFIX "XXXXXXXX)",
                   origin, group, name, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
wsim_registry_get_dword (WsimRegistry *reg, const char *key, const char *value, guint32 *out,
                         GError **error)
{
  g_autofree char *canonical = NULL;
  g_autoptr(GKeyFile) kf = NULL;

  g_return_val_if_fail (reg != NULL && key != NULL && value != NULL && out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  canonical = wsim_registry_check_names (key, value, error);
  if (canonical == NULL)
    return FALSE;
  kf = g_key_file_new ();
  return load (reg, kf, error)
         && wsim_registry_find_dword (kf, reg->path, canonical, value, out, error);
}

guint32
wsim_registry_get_dword_or (WsimRegistry *reg, const char *key, const char *value,
                            guint32 fallback)
{
  g_autoptr(GError) error = NULL;
  guint32 data;

  if (wsim_registry_get_dword (reg, key, value, &data, &error))
    return data;
  /* Absence is the ordinary case of a setting with a default; anything else is worth a
   * line for whoever wonders why the default won. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_debug ("%s; using %u", error->message, fallback);
  return fallback;
}

gboolean
wsim_registry_set_dword (WsimRegistry *reg, const char *key, const char *value, guint32 data,
                         GError **error)
{
  g_return_val_if_fail (reg != NULL && key != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return edit (reg, key, value, &data, error);
}

gboolean
wsim_registry_delete_value (WsimRegistry *reg, const char *key, const char *value,
                            GError **error)
{
  g_return_val_if_fail (reg != NULL && key != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return edit (reg, key, value, NULL, error);
}
