/* test-registry.c: wsim-registry, the DWORD store WMI's settings live in, and `wmisim reg`.
 *
 * Owns the proof that values round-trip and persist; that every get reads the file anew,
 * so a value another process wrote is seen by a registry opened before; that key paths and
 * value names ignore case and keep their first spelling; that malformed names, absent
 * values and corrupt files each give their own error (and get_dword_or its fallback); that
 * writers under the lock lose no update; that the file is private; and the CLI's output
 * and exit status. Each test has its own directory, removed after it.
 */
#include <criterion/criterion.h>
#include <ftw.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "wsim-registry.h"

#define CIMOM WSIM_REG_KEY_CIMOM
#define ACCESS WSIM_REG_UNSECAPP_ACCESS_CONTROL_DEFAULT

static char *test_dir;   /* (owned) this test's directory */
static char *reg_path;   /* (owned) test_dir/registry */

static void
make_dir (void)
{
  g_autoptr(GError) error = NULL;

  test_dir = g_dir_make_tmp ("wsim-registry-XXXXXX", &error);
  cr_assert_not_null (test_dir, "%s", error ? error->message : "");
  reg_path = g_build_filename (test_dir, "registry", NULL);
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  return remove (path);
}

static void
remove_dir (void)
{
  /* Depth first, so each directory is empty when its turn comes. */
  nftw (test_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  g_clear_pointer (&test_dir, g_free);
  g_clear_pointer (&reg_path, g_free);
}

TestSuite (registry, .init = make_dir, .fini = remove_dir, .timeout = 30);

static WsimRegistry *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  WsimRegistry *reg = wsim_registry_open (path, &error);

  cr_assert_not_null (reg, "%s", error ? error->message : "");
  return reg;
}

static void
set_ok (WsimRegistry *reg, const char *key, const char *value, guint32 data)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_registry_set_dword (reg, key, value, data, &error), "set %s\\%s: %s", key,
             value, error ? error->message : "");
}

static guint32
get_ok (WsimRegistry *reg, const char *key, const char *value)
{
  g_autoptr(GError) error = NULL;
  guint32 data = 0xdeadbeef;

  cr_assert (wsim_registry_get_dword (reg, key, value, &data, &error), "get %s\\%s: %s", key,
             value, error ? error->message : "");
  return data;
}

/* Asserts that @error is G_IO_ERROR @code and its message holds @says. */
static void
assert_error (const GError *error, GIOErrorEnum code, const char *says)
{
  cr_assert_not_null (error);
  cr_assert (g_error_matches (error, G_IO_ERROR, code), "wanted code %d, got %s %d: %s", code,
             g_quark_to_string (error->domain), error->code, error->message);
  cr_assert (strstr (error->message, says) != NULL, "'%s' does not say '%s'", error->message, says);
}

static void
assert_get_fails (WsimRegistry *reg, const char *key, const char *value, GIOErrorEnum code,
                  const char *says)
{
  g_autoptr(GError) error = NULL;
  guint32 data = 0;

  cr_assert_not (wsim_registry_get_dword (reg, key, value, &data, &error), "%s\\%s", key, value);
  assert_error (error, code, says);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  cr_assert (g_file_get_contents (path, &text, NULL, &error), "%s", error ? error->message : "");
  return text;
}

static void
write_file (const char *text)
{
  g_autoptr(GError) error = NULL;

  cr_assert (g_file_set_contents (reg_path, text, -1, &error), "%s", error ? error->message : "");
}

static guint
count_occurrences (const char *text, const char *what)
{
  guint n = 0;

  for (const char *p = strstr (text, what); p != NULL; p = strstr (p + 1, what))
    n++;
  return n;
}

/* ---- the library ------------------------------------------------------------------ */

Test (registry, set_then_get_round_trips_in_reg_file_form)
{
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);
  g_autofree char *text = NULL;

  cr_assert_str_eq (wsim_registry_get_path (reg), reg_path);
  set_ok (reg, CIMOM, ACCESS, 10);
  cr_assert_eq (get_ok (reg, CIMOM, ACCESS), 10);
  set_ok (reg, CIMOM, ACCESS, 1);
  cr_assert_eq (get_ok (reg, CIMOM, ACCESS), 1);
  set_ok (reg, CIMOM, "Biggest", G_MAXUINT32);
  cr_assert_eq (get_ok (reg, CIMOM, "Biggest"), G_MAXUINT32);
  text = read_file (reg_path);
  cr_assert (strstr (text, "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\n") != NULL, "%s", text);
  cr_assert (strstr (text, "UnsecAppAccessControlDefault=dword:00000001\n") != NULL, "%s", text);
  cr_assert (strstr (text, "Biggest=dword:ffffffff\n") != NULL, "%s", text);
}

Test (registry, default_path_honours_wsim_registry)
{
  g_autofree char *state_default = g_build_filename (g_get_user_state_dir (), "wmisim", "registry",
                                                     NULL);
  g_autoptr(WsimRegistry) reg = NULL;

  g_unsetenv ("WSIM_REGISTRY");
  cr_assert_str_eq (wsim_registry_default_path (), state_default);
  g_setenv ("WSIM_REGISTRY", "", TRUE);
  cr_assert_str_eq (wsim_registry_default_path (), state_default, "empty is unset");
  g_setenv ("WSIM_REGISTRY", reg_path, TRUE);
  cr_assert_str_eq (wsim_registry_default_path (), reg_path);
  reg = open_ok (NULL);
  cr_assert_str_eq (wsim_registry_get_path (reg), reg_path);
  set_ok (reg, CIMOM, ACCESS, 1);
  cr_assert (g_file_test (reg_path, G_FILE_TEST_IS_REGULAR));
}

Test (registry, relative_path_is_made_absolute_and_empty_path_refused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRegistry) reg = NULL;
  g_autofree char *cwd = NULL, *expected = NULL;

  cr_assert_eq (g_chdir (test_dir), 0);
  cwd = g_get_current_dir ();
  expected = g_build_filename (cwd, "rel", NULL);
  reg = open_ok ("rel");
  cr_assert_str_eq (wsim_registry_get_path (reg), expected);
  cr_assert_null (wsim_registry_open ("", &error));
  assert_error (error, G_IO_ERROR_INVALID_ARGUMENT, "empty");
}

Test (registry, values_persist_across_close_and_reopen)
{
  WsimRegistry *first = open_ok (reg_path);
  g_autoptr(WsimRegistry) second = NULL;

  set_ok (first, CIMOM, ACCESS, 1);
  set_ok (first, "HKCU\\Software\\Other", "Thing", 42);
  /* A second reference keeps it open; the last unref frees it. */
  wsim_registry_unref (wsim_registry_ref (first));
  wsim_registry_unref (first);
  second = open_ok (reg_path);
  cr_assert_eq (get_ok (second, CIMOM, ACCESS), 1);
  cr_assert_eq (get_ok (second, "HKCU\\Software\\Other", "Thing"), 42);
}

/* Runs the built wmisim with @args (NULL-terminated), $WSIM_REGISTRY set to @env_registry
 * (NULL: unset). Returns: its exit status; what it printed in @out and @err (owned). */
static int
wmisim (const char *env_registry, char **out, char **err, const char *const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;
  g_auto (GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_strv_builder_add (builder, WSIM_WMISIM);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  envp = env_registry != NULL ? g_environ_setenv (envp, "WSIM_REGISTRY", env_registry, TRUE)
                              : g_environ_unsetenv (envp, "WSIM_REGISTRY");
  cr_assert (g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &wait_status,
                           &error), "%s", error ? error->message : "");
  cr_assert (WIFEXITED (wait_status), "wmisim did not exit normally");
  return WEXITSTATUS (wait_status);
}

/* `wmisim reg --registry reg_path set CIMOM ACCESS @data`, which must succeed. */
static void
cli_set_access (const char *data)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "reg", "--registry", reg_path, "set", CIMOM, ACCESS, data, NULL };

  cr_assert_eq (wmisim (NULL, &out, &err, args), 0, "%s", err);
}

Test (registry, another_process_set_is_seen_by_an_open_registry)
{
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);

  cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, ACCESS, 0), 0);
  cli_set_access ("1");
  cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, ACCESS, 0), 1);
  /* And again, so the first read cannot have been cached. */
  cli_set_access ("0");
  cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, ACCESS, 1), 0);
}

Test (registry, absent_file_key_or_value_is_not_found_and_gives_the_fallback)
{
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);

  cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, ACCESS, 7), 7);
  assert_get_fails (reg, CIMOM, ACCESS, G_IO_ERROR_NOT_FOUND,
                    "HKLM\\Software\\Microsoft\\WBEM\\CIMOM\\UnsecAppAccessControlDefault");
  cr_assert_not (g_file_test (reg_path, G_FILE_TEST_EXISTS), "a get wrote the file");
  set_ok (reg, CIMOM, "Other", 3);
  cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, ACCESS, 7), 7, "value absent");
  cr_assert_eq (wsim_registry_get_dword_or (reg, "HKLM\\Software\\Nope", "Other", 8), 8,
                "key absent");
  assert_get_fails (reg, "HKLM\\Software\\Nope", "Other", G_IO_ERROR_NOT_FOUND,
                    "HKLM\\Software\\Nope\\Other");
  cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, "Other", 7), 3);
}

Test (registry, keys_and_values_ignore_case_and_keep_their_first_spelling)
{
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);
  g_autofree char *text = NULL;

  set_ok (reg, CIMOM, ACCESS, 1);
  cr_assert_eq (get_ok (reg, "hkey_local_machine\\SOFTWARE\\microsoft\\wbem\\cimom",
                        "unsecappaccesscontroldefault"), 1);
  cr_assert_eq (get_ok (reg, "hklm\\software\\Microsoft\\WBEM\\CIMOM", "UNSECAPPACCESSCONTROLDEFAULT"), 1);
  set_ok (reg, "HKEY_LOCAL_MACHINE\\software\\MICROSOFT\\wbem\\Cimom", "UNSECAPPaccessCONTROLdefault", 2);
  cr_assert_eq (get_ok (reg, CIMOM, ACCESS), 2);
  set_ok (reg, "HKEY_CURRENT_USER\\Software\\X", "V", 5);
  cr_assert_eq (get_ok (reg, "HKCU\\software\\x", "v"), 5);
  set_ok (reg, "hku\\S-1-5-18", "V", 6);
  cr_assert_eq (get_ok (reg, "HKEY_USERS\\s-1-5-18", "V"), 6);
  /* Non-ASCII names fold too, as the registry's do. */
  set_ok (reg, "HKCC\\Ärger", "Größe", 7);
  cr_assert_eq (get_ok (reg, "HKEY_CURRENT_CONFIG\\äRGER", "GRÖSSE"), 7);

  text = read_file (reg_path);
  cr_assert_eq (count_occurrences (text, "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]"), 1, "%s", text);
  cr_assert_eq (count_occurrences (text, "UnsecAppAccessControlDefault=dword:00000002"), 1, "%s", text);
  cr_assert_eq (count_occurrences (text, "=dword:"), 4, "one entry per value: %s", text);
  cr_assert (strstr (text, "[HKCU\\Software\\X]") != NULL, "hive stored abbreviated: %s", text);
  cr_assert (strstr (text, "[HKU\\S-1-5-18]") != NULL, "%s", text);
  cr_assert (strstr (text, "HKEY_") == NULL, "%s", text);
}

Test (registry, malformed_key_paths_and_value_names_are_invalid_arguments)
{
  static const struct { const char *key, *value, *says; } cases[] = {
    { "", ACCESS, "empty" },
    { "HKLM\\\\x", ACCESS, "two backslashes" },
    { "NOPE\\x", ACCESS, "hive" },
    { "\\HKLM\\x", ACCESS, "hive" },
    { "HKLM\\x\\", ACCESS, "ends with a backslash" },
    { "HKLM\\", ACCESS, "ends with a backslash" },
    { "HKLM\\a[b]", ACCESS, "'['" },
    { "HKLM\\a\nb", ACCESS, "control character" },
    { "HKLM\\\xff", ACCESS, "not UTF-8" },
    { CIMOM, "", "empty" },
    { CIMOM, "a=b", "'='" },
    { CIMOM, "a[0]", "'['" },
    { CIMOM, "#x", "'#'" },
    { CIMOM, " x", "space" },
    { CIMOM, "x ", "space" },
    { CIMOM, "x\ty", "control character" },
    { CIMOM, "\xc3", "not UTF-8" },
    { CIMOM, "encoding", "reserves" },
  };
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) set_error = NULL, delete_error = NULL;
      const char *what = strcmp (cases[i].key, CIMOM) == 0 ? "invalid value name"
                                                           : "invalid key path";

      assert_get_fails (reg, cases[i].key, cases[i].value, G_IO_ERROR_INVALID_ARGUMENT, what);
      assert_get_fails (reg, cases[i].key, cases[i].value, G_IO_ERROR_INVALID_ARGUMENT,
                        cases[i].says);
      cr_assert_not (wsim_registry_set_dword (reg, cases[i].key, cases[i].value, 1, &set_error));
      assert_error (set_error, G_IO_ERROR_INVALID_ARGUMENT, cases[i].says);
      cr_assert_not (wsim_registry_delete_value (reg, cases[i].key, cases[i].value, &delete_error));
      assert_error (delete_error, G_IO_ERROR_INVALID_ARGUMENT, cases[i].says);
      cr_assert_eq (wsim_registry_get_dword_or (reg, cases[i].key, cases[i].value, 9), 9);
    }
  cr_assert_not (g_file_test (reg_path, G_FILE_TEST_EXISTS), "a refused set wrote the file");
  /* The hive alone is a key. */
  set_ok (reg, "HKLM", "AtTheTop", 1);
  cr_assert_eq (get_ok (reg, "HKEY_LOCAL_MACHINE", "attheTOP"), 1);
}

Test (registry, corrupt_files_are_invalid_data_and_give_the_fallback)
{
  static const struct { const char *text, *says; } cases[] = {
    { "this is not a key file\n", "this is not a key file" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM\n", "registry file" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=hex:01\n", "not a DWORD" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=1\n", "not a DWORD" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=dword:\n", "not a DWORD" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=dword:100000000\n",
      "not a DWORD" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=dword:0x1\n", "not a DWORD" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=dword:-1\n", "not a DWORD" },
    { "[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=dword:1\xff\n", "not UTF-8" },
  };
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      write_file (cases[i].text);
      assert_get_fails (reg, CIMOM, ACCESS, G_IO_ERROR_INVALID_DATA, reg_path);
      assert_get_fails (reg, CIMOM, ACCESS, G_IO_ERROR_INVALID_DATA, cases[i].says);
      cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, ACCESS, 5), 5, "%s", cases[i].text);
      if (strstr (cases[i].says, "DWORD") != NULL)
        continue;   /* the file parses: a set may replace the bad value */
      cr_assert_not (wsim_registry_set_dword (reg, CIMOM, ACCESS, 1, &error));
      assert_error (error, G_IO_ERROR_INVALID_DATA, reg_path);
      after = read_file (reg_path);
      cr_assert_str_eq (after, cases[i].text, "a file that did not parse was rewritten");
    }
  /* A value that is not a DWORD is the only thing wrong: setting it mends it. */
  write_file ("# kept\n[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=hex:01\n");
  set_ok (reg, CIMOM, ACCESS, 1);
  cr_assert_eq (get_ok (reg, CIMOM, ACCESS), 1);
  {
    g_autofree char *text = read_file (reg_path);

    cr_assert (strstr (text, "# kept") != NULL, "comments survive a set: %s", text);
  }
  /* regedit imports fewer than 8 digits, in either case. */
  write_file ("[HKLM\\Software\\Microsoft\\WBEM\\CIMOM]\nUnsecAppAccessControlDefault=dword:1F\n");
  cr_assert_eq (get_ok (reg, CIMOM, ACCESS), 0x1f);
}

Test (registry, a_registry_path_that_is_a_directory_is_an_io_error)
{
  g_autoptr(WsimRegistry) reg = NULL;
  g_autoptr(GError) error = NULL;

  cr_assert_eq (g_mkdir (reg_path, 0700), 0);
  reg = open_ok (reg_path);
  assert_get_fails (reg, CIMOM, ACCESS, G_IO_ERROR_IS_DIRECTORY, reg_path);
  cr_assert_eq (wsim_registry_get_dword_or (reg, CIMOM, ACCESS, 4), 4);
  cr_assert_not (wsim_registry_set_dword (reg, CIMOM, ACCESS, 1, &error));
  cr_assert_not_null (error);
  cr_assert_eq (error->domain, G_IO_ERROR, "%s", error->message);
}

Test (registry, delete_removes_one_value_and_absent_is_not_found)
{
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);
  g_autoptr(GError) error = NULL, again = NULL;

  cr_assert_not (wsim_registry_delete_value (reg, CIMOM, ACCESS, &error));
  assert_error (error, G_IO_ERROR_NOT_FOUND, "CIMOM\\UnsecAppAccessControlDefault");
  cr_assert_not (g_file_test (reg_path, G_FILE_TEST_EXISTS), "deleting nothing wrote the file");
  set_ok (reg, CIMOM, ACCESS, 1);
  set_ok (reg, CIMOM, "Kept", 2);
  cr_assert (wsim_registry_delete_value (reg, "hklm\\software\\microsoft\\wbem\\cimom",
                                         "unsecappaccesscontroldefault", NULL));
  assert_get_fails (reg, CIMOM, ACCESS, G_IO_ERROR_NOT_FOUND, ACCESS);
  cr_assert_eq (get_ok (reg, CIMOM, "Kept"), 2);
  cr_assert_not (wsim_registry_delete_value (reg, CIMOM, ACCESS, &again));
  assert_error (again, G_IO_ERROR_NOT_FOUND, ACCESS);
}

Test (registry, file_is_0600_in_new_0700_directories)
{
  g_autofree char *nested = g_build_filename (test_dir, "a", "b", "registry", NULL);
  g_autofree char *parent = g_path_get_dirname (nested);
  g_autofree char *lock = g_strconcat (nested, ".lock", NULL);
  g_autoptr(WsimRegistry) reg = open_ok (nested);
  GStatBuf st;

  set_ok (reg, CIMOM, ACCESS, 1);
  cr_assert_eq (g_stat (nested, &st), 0);
  cr_assert_eq (st.st_mode & 0777, 0600, "file mode %o", st.st_mode & 0777);
  cr_assert_eq (g_stat (parent, &st), 0);
  cr_assert_eq (st.st_mode & 0777, 0700, "directory mode %o", st.st_mode & 0777);
  cr_assert_eq (g_stat (lock, &st), 0);
  cr_assert_eq (st.st_mode & 0777, 0600, "lock file mode %o", st.st_mode & 0777);
  /* A rewrite replaces the file with another private one. */
  cr_assert_eq (g_chmod (nested, 0644), 0);
  set_ok (reg, CIMOM, ACCESS, 0);
  cr_assert_eq (g_stat (nested, &st), 0);
  cr_assert_eq (st.st_mode & 0777, 0600, "file mode after a rewrite %o", st.st_mode & 0777);
}

#define WRITERS 4
#define SETS_EACH 20

typedef struct {
  WsimRegistry *reg;   /* (unowned) */
  guint         index;
  gboolean      ok;    /* every set succeeded */
} Writer;

/* Sets SETS_EACH values of its own, one read-modify-write each. */
static gpointer
write_values (gpointer data)
{
  Writer *w = data;

  w->ok = TRUE;
  for (guint i = 0; i < SETS_EACH && w->ok; i++)
    {
      g_autofree char *name = g_strdup_printf ("W%u_%u", w->index, i);

      w->ok = wsim_registry_set_dword (w->reg, CIMOM, name, i, NULL);
    }
  return NULL;
}

Test (registry, writers_on_many_threads_lose_no_update)
{
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);
  GThread *threads[WRITERS];
  Writer writers[WRITERS];
  g_autofree char *text = NULL;

  for (guint t = 0; t < WRITERS; t++)
    {
      writers[t] = (Writer) { .reg = reg, .index = t };
      threads[t] = g_thread_new ("writer", write_values, &writers[t]);
    }
  for (guint t = 0; t < WRITERS; t++)
    {
      g_thread_join (threads[t]);
      cr_assert (writers[t].ok, "writer %u: a set failed", t);
    }
  /* Without the lock, two read-modify-writes that overlap drop one of the values. */
  text = read_file (reg_path);
  cr_assert_eq (count_occurrences (text, "=dword:"), WRITERS * SETS_EACH, "%s", text);
}

/* ---- wmisim reg ------------------------------------------------------------------- */

/* Runs `wmisim reg --registry reg_path @action KEY VALUE [@data]` and checks its exit
 * status and its stdout (NULL: anything); returns its stderr. */
static char *
cli (const char *action, const char *key, const char *data, int status, const char *out_is)
{
  g_autofree char *out = NULL;
  char *err = NULL;
  const char *args[] = { "reg", "--registry", reg_path, action, key, ACCESS, data, NULL };
  int got = wmisim (NULL, &out, &err, args);

  cr_assert_eq (got, status, "reg %s %s: exit %d: %s", action, data ? data : "", got, err);
  if (out_is != NULL)
    cr_assert_str_eq (out, out_is, "reg %s %s", action, data ? data : "");
  return err;
}

Test (registry, cli_get_set_delete_print_and_exit)
{
  g_autofree char *absent = NULL, *gone = NULL, *after = NULL;

  g_free (cli ("set", CIMOM, "0x10", 0, CIMOM "\\" ACCESS " = 0x00000010 (16)\n"));
  g_free (cli ("get", CIMOM, NULL, 0, CIMOM "\\" ACCESS " = 0x00000010 (16)\n"));
  g_free (cli ("set", CIMOM, "4294967295", 0, CIMOM "\\" ACCESS " = 0xffffffff (4294967295)\n"));
  g_free (cli ("set", CIMOM, "1", 0, CIMOM "\\" ACCESS " = 0x00000001 (1)\n"));
  g_free (cli ("get", "hkey_local_machine\\software\\microsoft\\wbem\\cimom", NULL, 0,
               "hkey_local_machine\\software\\microsoft\\wbem\\cimom\\" ACCESS " = 0x00000001 (1)\n"));
  g_free (cli ("delete", CIMOM, NULL, 0, ""));
  absent = cli ("get", CIMOM, NULL, 1, "");
  cr_assert (strstr (absent, "no such value") != NULL, "%s", absent);
  cr_assert (strstr (absent, CIMOM "\\" ACCESS) != NULL, "%s", absent);
  gone = cli ("delete", CIMOM, NULL, 1, "");
  cr_assert (strstr (gone, "no such value") != NULL, "%s", gone);

  write_file ("not a registry\n");
  after = cli ("get", CIMOM, NULL, 1, "");
  cr_assert (strstr (after, reg_path) != NULL, "%s", after);
}

Test (registry, cli_reads_wsim_registry)
{
  g_autofree char *out = NULL, *err = NULL;
  const char *set[] = { "reg", "set", CIMOM, ACCESS, "1", NULL };
  g_autoptr(WsimRegistry) reg = open_ok (reg_path);

  cr_assert_eq (wmisim (reg_path, &out, &err, set), 0, "%s", err);
  cr_assert_eq (get_ok (reg, CIMOM, ACCESS), 1);
}

Test (registry, cli_usage_errors_exit_2, .timeout = 60)
{
  static const char *bad_data[] = { "4294967296", "0x100000000", "-1", "abc", "0x", "", "1.5",
                                    "0x0x1", " 1" };
  static const char *const bad_usage[][6] = {
    { "reg", NULL },
    { "reg", "get", CIMOM, NULL },
    { "reg", "frob", CIMOM, ACCESS, NULL },
    { "reg", "set", CIMOM, ACCESS, NULL },
    { "reg", "get", CIMOM, ACCESS, "1", NULL },
    { "reg", "--nope", "get", CIMOM, ACCESS, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad_data); i++)
    {
      g_autofree char *err = cli ("set", CIMOM, bad_data[i], 2, "");

      cr_assert (strstr (err, "usage") != NULL, "'%s': %s", bad_data[i], err);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_usage); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      cr_assert_eq (wmisim (reg_path, &out, &err, bad_usage[i]), 2, "case %zu: %s", i, err);
      cr_assert (strstr (err, "usage") != NULL, "case %zu: %s", i, err);
    }
  {
    g_autofree char *err = cli ("set", "NOPE\\x", "1", 2, "");

    cr_assert (strstr (err, "invalid key path") != NULL, "%s", err);
  }
  cr_assert_not (g_file_test (reg_path, G_FILE_TEST_EXISTS), "a refused set wrote the file");
}
