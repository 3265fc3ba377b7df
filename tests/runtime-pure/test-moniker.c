/* test-moniker.c: wsim-moniker, WMI scripting monikers.
 *
 * Owns the proof that every documented form of "winmgmts:…" parses into the right blanket
 * fields, server, namespace, object path, locale and privileges; that wsim_moniker_apply()
 * overlays only what the moniker named; that each malformed moniker is refused with
 * MK_E_SYNTAX naming the exact character position; and that no input (truncated, flipped,
 * random, oversized, not UTF-8) crashes the parser or yields anything but a result or that
 * error.
 */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "wsim-moniker.h"

#define FULL_EXAMPLE                                                                       \
  "winmgmts:{impersonationLevel=impersonate,authenticationLevel=pktPrivacy,"              \
  "authority=ntlmdomain:DOM,(Debug,!Shutdown)}[locale=ms_409]!\\\\server\\root\\cimv2:"   \
  "Win32_Process.Handle=\"4\""

/* Parses @text into @m (initialised by the caller) and fails the test if it is refused. */
static void
parse_ok (const char *text, WsimMoniker *m)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = wsim_moniker_parse (text, m, &error);

  cr_assert (ok, "'%s' did not parse: %s", text, error ? error->message : "?");
  cr_assert_null (error);
  cr_assert_not_null (m->server);
  cr_assert_not_null (m->namespace_path);
}

/* Both NULL, or equal strings. */
static void
assert_str_or_null (const char *got, const char *want, const char *what)
{
  if (want == NULL)
    cr_assert_null (got, "%s: wanted NULL, got '%s'", what, got);
  else
    {
      cr_assert_not_null (got, "%s: wanted '%s', got NULL", what, want);
      cr_assert_str_eq (got, want, "%s", what);
    }
}

/* Checks where a moniker points: server, namespace and object path (NULL for none). */
static void
assert_target (const char *text, const char *server, const char *ns, const char *object)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok (text, &m);
  cr_assert_str_eq (m.server, server, "server of '%s'", text);
  cr_assert_str_eq (m.namespace_path, ns, "namespace of '%s'", text);
  assert_str_or_null (m.object_path, object, text);
}

/* Checks that @text is refused with MK_E_SYNTAX at 1-based character @pos, the message
 * containing @what, and that the moniker is left empty. */
static void
assert_syntax_error_at (const char *text, long pos, const char *what)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
  g_autoptr (GError) error = NULL;
  g_autofree char *at = g_strdup_printf ("at position %ld:", pos);

  cr_assert_not (wsim_moniker_parse (text, &m, &error), "'%s' parsed but should not", text);
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) MK_E_SYNTAX), "'%s': %s", text,
             error ? error->message : "no error");
  cr_assert (strstr (error->message, at) != NULL, "'%s': wanted '%s' in: %s", text, at,
             error->message);
  cr_assert (strstr (error->message, what) != NULL, "'%s': wanted '%s' in: %s", text, what,
             error->message);
  cr_assert (strstr (error->message, "MK_E_SYNTAX (0x800401E4)") != NULL, "%s", error->message);
  cr_assert_null (m.server, "a refused moniker must be left empty");
  cr_assert_null (m.namespace_path);
  cr_assert_null (m.object_path);
  cr_assert_null (m.locale);
  cr_assert_null (m.privileges);
  cr_assert_null (m.security.domain);
  cr_assert_eq (m.set, 0);
}

/* The same, the position being where @marker (which must occur in @text) first starts. */
static void
assert_syntax_error (const char *text, const char *marker, const char *what)
{
  const char *hit = strstr (text, marker);

  cr_assert_not_null (hit, "test bug: '%s' is not in '%s'", marker, text);
  assert_syntax_error_at (text, g_utf8_pointer_to_offset (text, hit) + 1, what);
}

/* The same, the position being just past the end of @text. */
static void
assert_syntax_error_at_end (const char *text, const char *what)
{
  assert_syntax_error_at (text, g_utf8_strlen (text, -1) + 1, what);
}

/* ---------------------------------------------------------------- good monikers */

Test (moniker, full_example)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok (FULL_EXAMPLE, &m);
  cr_assert_eq (m.set, WSIM_MONIKER_HAS_AUTHN_LEVEL | WSIM_MONIKER_HAS_IMP_LEVEL
                         | WSIM_MONIKER_HAS_AUTHORITY);
  cr_assert_eq (m.security.imp_level, RPC_C_IMP_LEVEL_IMPERSONATE);
  cr_assert_eq (m.security.authn_level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  cr_assert_eq (m.security.authn_svc, RPC_C_AUTHN_WINNT);
  cr_assert_str_eq (m.security.domain, "DOM");
  cr_assert_null (m.security.server_principal);
  cr_assert_null (m.security.user, "a moniker never names a user");
  cr_assert_str_eq (m.server, "server");
  cr_assert_str_eq (m.namespace_path, "root\\cimv2");
  cr_assert_str_eq (m.object_path, "Win32_Process.Handle=\"4\"");
  cr_assert_str_eq (m.locale, "ms_409");
  cr_assert_not_null (m.privileges);
  cr_assert_eq (g_strv_length (m.privileges), 2);
  cr_assert_str_eq (m.privileges[0], "Debug");
  cr_assert_str_eq (m.privileges[1], "!Shutdown");
}

Test (moniker, bare_prefix_is_local_cimv2)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
  WsimBlanket init = WSIM_BLANKET_INIT;

  parse_ok ("winmgmts:", &m);
  cr_assert_str_eq (m.server, ".");
  cr_assert_str_eq (m.namespace_path, "root\\cimv2");
  cr_assert_null (m.object_path);
  cr_assert_null (m.locale);
  cr_assert_null (m.privileges);
  cr_assert_eq (m.set, 0, "nothing was named");
  cr_assert_eq (m.security.authn_level, init.authn_level);
  cr_assert_eq (m.security.imp_level, init.imp_level);
  cr_assert_eq (m.security.authn_svc, init.authn_svc);
  cr_assert_null (m.security.domain);
  cr_assert_null (m.security.server_principal);
}

Test (moniker, each_level_word)
{
  static const struct {
    const char       *setting;
    const char       *word;
    guint             value;
    WsimMonikerFields field;
  } cases[] = {
    { "authenticationLevel", "default", RPC_C_AUTHN_LEVEL_DEFAULT, WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "authenticationLevel", "none", RPC_C_AUTHN_LEVEL_NONE, WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "authenticationLevel", "connect", RPC_C_AUTHN_LEVEL_CONNECT, WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "authenticationLevel", "call", RPC_C_AUTHN_LEVEL_CALL, WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "authenticationLevel", "pkt", RPC_C_AUTHN_LEVEL_PKT, WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "authenticationLevel", "pktIntegrity", RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
      WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "authenticationLevel", "pktPrivacy", RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
      WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "authenticationLevel", "PKTPRIVACY", RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
      WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "AUTHENTICATIONLEVEL", "pktintegrity", RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
      WSIM_MONIKER_HAS_AUTHN_LEVEL },
    { "impersonationLevel", "anonymous", RPC_C_IMP_LEVEL_ANONYMOUS, WSIM_MONIKER_HAS_IMP_LEVEL },
    { "impersonationLevel", "identify", RPC_C_IMP_LEVEL_IDENTIFY, WSIM_MONIKER_HAS_IMP_LEVEL },
    { "impersonationLevel", "impersonate", RPC_C_IMP_LEVEL_IMPERSONATE, WSIM_MONIKER_HAS_IMP_LEVEL },
    { "impersonationLevel", "delegate", RPC_C_IMP_LEVEL_DELEGATE, WSIM_MONIKER_HAS_IMP_LEVEL },
    { "impersonationlevel", "Delegate", RPC_C_IMP_LEVEL_DELEGATE, WSIM_MONIKER_HAS_IMP_LEVEL },
    { "ImpersonationLevel", "IDENTIFY", RPC_C_IMP_LEVEL_IDENTIFY, WSIM_MONIKER_HAS_IMP_LEVEL },
  };
  const WsimBlanket init = WSIM_BLANKET_INIT;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
      g_autofree char *text = g_strdup_printf ("winmgmts:{%s=%s}", cases[i].setting,
                                               cases[i].word);
      gboolean authn = cases[i].field == WSIM_MONIKER_HAS_AUTHN_LEVEL;

      parse_ok (text, &m);
      cr_assert_eq (m.set, cases[i].field, "%s", text);
      /* The named level is set, the other keeps its initial value. */
      cr_assert_eq (authn ? (guint) m.security.authn_level : (guint) m.security.imp_level,
                    cases[i].value, "%s", text);
      cr_assert_eq (authn ? (guint) m.security.imp_level : (guint) m.security.authn_level,
                    authn ? (guint) init.imp_level : (guint) init.authn_level,
                    "untouched by %s", text);
      cr_assert_eq (m.security.authn_svc, RPC_C_AUTHN_DEFAULT, "%s", text);
    }
}

Test (moniker, authority_ntlmdomain)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok ("winmgmts:{authority=NTLMDomain:corp-1.example}", &m);
  cr_assert_eq (m.set, WSIM_MONIKER_HAS_AUTHORITY);
  cr_assert_eq (m.security.authn_svc, RPC_C_AUTHN_WINNT);
  cr_assert_str_eq (m.security.domain, "corp-1.example");
  cr_assert_null (m.security.server_principal);
}

Test (moniker, authority_kerberos_domain_and_server)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok ("winmgmts:{authority=kerberos:EXAMPLE\\wmihost}!\\\\wmihost\\root\\cimv2", &m);
  cr_assert_eq (m.set, WSIM_MONIKER_HAS_AUTHORITY);
  cr_assert_eq (m.security.authn_svc, RPC_C_AUTHN_GSS_KERBEROS);
  cr_assert_str_eq (m.security.domain, "EXAMPLE");
  cr_assert_str_eq (m.security.server_principal, "wmihost");
  cr_assert_str_eq (m.server, "wmihost");
}

Test (moniker, authority_kerberos_server_only)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok ("winmgmts:{Authority=KERBEROS:wmihost.example}", &m);
  cr_assert_eq (m.security.authn_svc, RPC_C_AUTHN_GSS_KERBEROS);
  cr_assert_null (m.security.domain);
  cr_assert_str_eq (m.security.server_principal, "wmihost.example");
}

Test (moniker, server_and_namespace_forms)
{
  assert_target ("winmgmts:\\\\server\\root\\cimv2", "server", "root\\cimv2", NULL);
  assert_target ("winmgmts://server/root/cimv2", "server", "root\\cimv2", NULL);
  assert_target ("winmgmts:\\\\server/root\\Microsoft/Windows\\Storage", "server",
                 "root\\Microsoft\\Windows\\Storage", NULL);
  assert_target ("winmgmts://./root/default", ".", "root\\default", NULL);
  assert_target ("winmgmts:\\\\.\\root\\cimv2", ".", "root\\cimv2", NULL);
  assert_target ("winmgmts:\\\\127.0.0.1\\root", "127.0.0.1", "root", NULL);
  /* No namespace: root\cimv2 on the named server. */
  assert_target ("winmgmts:\\\\server", "server", "root\\cimv2", NULL);
  assert_target ("winmgmts://host-2.example.com", "host-2.example.com", "root\\cimv2", NULL);
  /* No server: the local one. */
  assert_target ("winmgmts:root\\default", ".", "root\\default", NULL);
  assert_target ("winmgmts:root/cimv2", ".", "root\\cimv2", NULL);
  assert_target ("winmgmts:{impersonationLevel=impersonate}!root\\default", ".", "root\\default",
                 NULL);
  /* Neither. */
  assert_target ("winmgmts:{impersonationLevel=impersonate}", ".", "root\\cimv2", NULL);
  assert_target ("winmgmts:{impersonationLevel=impersonate}!", ".", "root\\cimv2", NULL);
  assert_target ("winmgmts:[locale=ms_409]", ".", "root\\cimv2", NULL);
}

Test (moniker, object_paths)
{
  assert_target ("winmgmts:root\\cimv2:Win32_Process", ".", "root\\cimv2", "Win32_Process");
  assert_target ("winmgmts://srv/root/cimv2:Win32_Process.Handle=\"4\"", "srv", "root\\cimv2",
                 "Win32_Process.Handle=\"4\"");
  /* ':' and separators inside the object path's key values are the object path's. */
  assert_target ("winmgmts:\\\\.\\root\\cimv2:Win32_Directory.Name=\"C:\\\\Windows/x\"", ".",
                 "root\\cimv2", "Win32_Directory.Name=\"C:\\\\Windows/x\"");
  assert_target ("winmgmts:\\\\srv\\root:__Namespace.Name='cimv2'", "srv", "root",
                 "__Namespace.Name='cimv2'");
  /* One name alone is an object in root\cimv2, as GetObject("winmgmts:Win32_Process") is. */
  assert_target ("winmgmts:Win32_Process", ".", "root\\cimv2", "Win32_Process");
  assert_target ("winmgmts:Win32_Process.Handle=\"4\"", ".", "root\\cimv2",
                 "Win32_Process.Handle=\"4\"");
  assert_target ("winmgmts:{impersonationLevel=impersonate}!Win32_OperatingSystem=@", ".",
                 "root\\cimv2", "Win32_OperatingSystem=@");
  assert_target ("winmgmts:Win32_LogicalDisk.DeviceID='C:'", ".", "root\\cimv2",
                 "Win32_LogicalDisk.DeviceID='C:'");
}

Test (moniker, locale)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
  g_auto (WsimMoniker) n = WSIM_MONIKER_INIT;
  g_auto (WsimMoniker) o = WSIM_MONIKER_INIT;

  parse_ok ("winmgmts:[locale=ms_409]!root\\default", &m);
  cr_assert_str_eq (m.locale, "ms_409");
  cr_assert_str_eq (m.namespace_path, "root\\default");
  cr_assert_eq (m.set, 0, "a locale is not a security setting");
  parse_ok ("winmgmts:{authenticationLevel=pkt}[ LOCALE = MS_0C0A ]", &n);
  cr_assert_str_eq (n.locale, "MS_0C0A", "kept as written");
  parse_ok ("winmgmts:[locale=ms_12345678]", &o);
  cr_assert_str_eq (o.locale, "ms_12345678");
}

Test (moniker, privileges)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
  g_auto (WsimMoniker) n = WSIM_MONIKER_INIT;
  g_auto (WsimMoniker) o = WSIM_MONIKER_INIT;

  parse_ok ("winmgmts:{impersonationLevel=impersonate,(debug,!security)}!root\\default", &m);
  cr_assert_eq (g_strv_length (m.privileges), 2);
  cr_assert_str_eq (m.privileges[0], "debug", "kept as written");
  cr_assert_str_eq (m.privileges[1], "!security");
  cr_assert_eq (m.set, WSIM_MONIKER_HAS_IMP_LEVEL, "privileges are not blanket fields");

  parse_ok ("winmgmts:{(Security, ! RemoteShutdown, Backup,Restore)}", &n);
  cr_assert_eq (g_strv_length (n.privileges), 4);
  cr_assert_str_eq (n.privileges[0], "Security");
  cr_assert_str_eq (n.privileges[1], "!RemoteShutdown", "the space after '!' is not kept");
  cr_assert_str_eq (n.privileges[2], "Backup");
  cr_assert_str_eq (n.privileges[3], "Restore");
  cr_assert_null (n.privileges[4]);

  /* The list may come anywhere among the settings. */
  parse_ok ("winmgmts:{(Systemtime),authenticationLevel=pktIntegrity}", &o);
  cr_assert_eq (g_strv_length (o.privileges), 1);
  cr_assert_str_eq (o.privileges[0], "Systemtime");
  cr_assert_eq (o.security.authn_level, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
}

Test (moniker, case_insensitive)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok ("WinMgmts:{IMPERSONATIONLEVEL=DELEGATE,AuthenticationLevel=PktIntegrity,"
            "AUTHORITY=Kerberos:Dom\\Srv,(DEBUG)}[Locale=Ms_409]!\\\\SRV\\ROOT\\CIMV2:Win32_Process",
            &m);
  cr_assert_eq (m.security.imp_level, RPC_C_IMP_LEVEL_DELEGATE);
  cr_assert_eq (m.security.authn_level, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  cr_assert_eq (m.security.authn_svc, RPC_C_AUTHN_GSS_KERBEROS);
  cr_assert_str_eq (m.security.domain, "Dom");
  cr_assert_str_eq (m.security.server_principal, "Srv");
  cr_assert_str_eq (m.privileges[0], "DEBUG");
  cr_assert_str_eq (m.locale, "Ms_409");
  cr_assert_str_eq (m.server, "SRV");
  cr_assert_str_eq (m.namespace_path, "ROOT\\CIMV2", "names are kept as written");
}

Test (moniker, spaces_around_tokens)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok ("winmgmts: { impersonationLevel = impersonate ,\tauthenticationLevel=pkt , "
            "authority = ntlmdomain:DOM , ( Debug , !Shutdown ) } [ locale = ms_409 ] ! "
            "\\\\server\\root\\cimv2", &m);
  cr_assert_eq (m.security.imp_level, RPC_C_IMP_LEVEL_IMPERSONATE);
  cr_assert_eq (m.security.authn_level, RPC_C_AUTHN_LEVEL_PKT);
  cr_assert_str_eq (m.security.domain, "DOM");
  cr_assert_eq (g_strv_length (m.privileges), 2);
  cr_assert_str_eq (m.locale, "ms_409");
  cr_assert_str_eq (m.server, "server");
  cr_assert_str_eq (m.namespace_path, "root\\cimv2");
}

Test (moniker, empty_settings_block)
{
  assert_target ("winmgmts:{}", ".", "root\\cimv2", NULL);
  assert_target ("winmgmts:{ }!root\\default", ".", "root\\default", NULL);
}

Test (moniker, longest_accepted)
{
  g_autoptr (GString) s = g_string_new ("winmgmts:root\\");
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  while (s->len < WSIM_MONIKER_MAX_BYTES)
    g_string_append_c (s, 'a');
  parse_ok (s->str, &m);
  cr_assert_eq (strlen (m.namespace_path), WSIM_MONIKER_MAX_BYTES - strlen ("winmgmts:"));
}

Test (moniker, parse_replaces_an_earlier_result)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
  g_autoptr (GError) error = NULL;

  /* The second parse must free the first result (valgrind checks) and not mix them. */
  parse_ok (FULL_EXAMPLE, &m);
  parse_ok ("winmgmts:root\\default", &m);
  cr_assert_eq (m.set, 0);
  cr_assert_null (m.security.domain);
  cr_assert_null (m.privileges);
  cr_assert_null (m.locale);
  cr_assert_null (m.object_path);
  cr_assert_str_eq (m.server, ".");
  parse_ok (FULL_EXAMPLE, &m);
  cr_assert_not (wsim_moniker_parse ("winmgmts:{bad}", &m, &error));
  cr_assert_null (m.server, "a failed parse leaves the moniker empty");
  cr_assert_null (m.privileges);
}

/* ---------------------------------------------------------------- apply */

/* A process default with every field set, to see what apply() leaves alone. */
static void
make_default (WsimBlanket *b)
{
  wsim_blanket_clear (b);
  b->authn_level = RPC_C_AUTHN_LEVEL_PKT_INTEGRITY;
  b->imp_level = RPC_C_IMP_LEVEL_IDENTIFY;
  b->authn_svc = RPC_C_AUTHN_WINNT;
  b->domain = g_strdup ("HOME");
  b->server_principal = g_strdup ("homehost");
  b->user = g_strdup ("HOME\\alice");
}

/* Parses @text and overlays it onto a fresh make_default() blanket in @b. */
static void
apply_to_default (const char *text, WsimBlanket *b)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

  parse_ok (text, &m);
  make_default (b);
  wsim_moniker_apply (&m, b);
}

Test (moniker, apply_nothing_named_changes_nothing)
{
  g_auto (WsimBlanket) b = WSIM_BLANKET_INIT;

  apply_to_default ("winmgmts:[locale=ms_409]!\\\\server\\root\\cimv2", &b);
  cr_assert_eq (b.authn_level, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);
  cr_assert_eq (b.imp_level, RPC_C_IMP_LEVEL_IDENTIFY);
  cr_assert_eq (b.authn_svc, RPC_C_AUTHN_WINNT);
  cr_assert_str_eq (b.domain, "HOME");
  cr_assert_str_eq (b.server_principal, "homehost");
  cr_assert_str_eq (b.user, "HOME\\alice");
}

Test (moniker, apply_only_the_named_fields)
{
  g_auto (WsimBlanket) b = WSIM_BLANKET_INIT;
  g_auto (WsimBlanket) c = WSIM_BLANKET_INIT;

  /* DEFAULT named explicitly is an overlay too: it is not "unset". */
  apply_to_default ("winmgmts:{authenticationLevel=default}", &b);
  cr_assert_eq (b.authn_level, RPC_C_AUTHN_LEVEL_DEFAULT);
  cr_assert_eq (b.imp_level, RPC_C_IMP_LEVEL_IDENTIFY, "not named: the default's");
  cr_assert_eq (b.authn_svc, RPC_C_AUTHN_WINNT);
  cr_assert_str_eq (b.domain, "HOME");

  apply_to_default ("winmgmts:{impersonationLevel=delegate,(Debug)}", &c);
  cr_assert_eq (c.imp_level, RPC_C_IMP_LEVEL_DELEGATE);
  cr_assert_eq (c.authn_level, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, "not named: the default's");
  cr_assert_str_eq (c.server_principal, "homehost");
}

Test (moniker, apply_authority_replaces_all_three)
{
  g_auto (WsimMoniker) n = WSIM_MONIKER_INIT;
  g_auto (WsimBlanket) b = WSIM_BLANKET_INIT;

  apply_to_default ("winmgmts:{authority=kerberos:remotehost}", &b);
  cr_assert_eq (b.authn_svc, RPC_C_AUTHN_GSS_KERBEROS);
  cr_assert_null (b.domain, "kerberos:SERVER names no domain, so the default's goes");
  cr_assert_str_eq (b.server_principal, "remotehost");
  cr_assert_str_eq (b.user, "HOME\\alice", "a moniker never touches the user");
  cr_assert_eq (b.authn_level, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY);

  /* Onto a blanket that already had a moniker applied: the later one wins. */
  parse_ok ("winmgmts:{authority=ntlmdomain:OTHER,authenticationLevel=pktPrivacy}", &n);
  wsim_moniker_apply (&n, &b);
  cr_assert_eq (b.authn_svc, RPC_C_AUTHN_WINNT);
  cr_assert_str_eq (b.domain, "OTHER");
  cr_assert_null (b.server_principal);
  cr_assert_eq (b.authn_level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  cr_assert_eq (b.imp_level, RPC_C_IMP_LEVEL_IDENTIFY);
}

Test (moniker, apply_to_the_initial_blanket)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
  g_auto (WsimBlanket) b = WSIM_BLANKET_INIT;
  g_autoptr (GError) error = NULL;

  parse_ok (FULL_EXAMPLE, &m);
  wsim_moniker_apply (&m, &b);
  cr_assert_eq (b.authn_level, RPC_C_AUTHN_LEVEL_PKT_PRIVACY);
  cr_assert_eq (b.imp_level, RPC_C_IMP_LEVEL_IMPERSONATE);
  cr_assert_eq (b.authn_svc, RPC_C_AUTHN_WINNT);
  cr_assert_str_eq (b.domain, "DOM");
  cr_assert (wsim_blanket_check (&b, &error), "%s", error ? error->message : "");
}

/* ---------------------------------------------------------------- errors: prefix, blocks */

Test (moniker, error_prefix)
{
  assert_syntax_error_at ("", 1, "winmgmts:");
  assert_syntax_error_at ("winmgmt:root", 1, "winmgmts:");
  assert_syntax_error_at ("root\\cimv2", 1, "winmgmts:");
  assert_syntax_error_at (" winmgmts:", 1, "winmgmts:");
  assert_syntax_error_at ("winmgmts", 1, "winmgmts:");
}

Test (moniker, error_level_words)
{
  assert_syntax_error_at ("winmgmts:{authenticationLevel=pktPrivcy}", 31,
                          "unknown authentication level \"pktPrivcy\"");
  assert_syntax_error ("winmgmts:{impersonationLevel=impersonat}", "impersonat}",
                       "unknown impersonation level \"impersonat\"");
  /* The moniker takes the scripting words only, not numbers or RPC_C_ names. */
  assert_syntax_error ("winmgmts:{authenticationLevel=6}", "6}", "authentication level \"6\"");
  assert_syntax_error ("winmgmts:{authenticationLevel=RPC_C_AUTHN_LEVEL_PKT}", "RPC_C",
                       "authentication level");
  assert_syntax_error ("winmgmts:{authenticationLevel=PKT_PRIVACY}", "PKT_",
                       "authentication level");
  assert_syntax_error ("winmgmts:{impersonationLevel=3}", "3}", "impersonation level \"3\"");
  assert_syntax_error ("winmgmts:{impersonationLevel=default}", "default",
                       "impersonation level \"default\"");
  assert_syntax_error ("winmgmts:{impersonationLevel=RPC_C_IMP_LEVEL_DELEGATE}", "RPC_C",
                       "impersonation level");
  /* A value ends where a level word cannot go on: the '!' is reported, not the word. */
  assert_syntax_error ("winmgmts:{impersonationLevel=impersonate!root", "!root",
                       "expected ',' or '}' in the settings block opened at position 10");
}

Test (moniker, error_duplicates)
{
  assert_syntax_error ("winmgmts:{impersonationLevel=impersonate,ImpersonationLevel=identify}",
                       "ImpersonationLevel", "impersonationLevel is given twice");
  assert_syntax_error ("winmgmts:{authenticationLevel=pkt,authenticationLevel=pkt}",
                       "authenticationLevel=pkt}", "authenticationLevel is given twice");
  assert_syntax_error ("winmgmts:{authority=ntlmdomain:A,authority=kerberos:B}",
                       "authority=kerberos", "authority is given twice");
  assert_syntax_error ("winmgmts:{(Debug),(Security)}", "(Security", "a second privilege list");
  assert_syntax_error ("winmgmts:{(Debug,!debug)}", "debug)", "privilege debug is listed twice");
}

Test (moniker, error_empty_values)
{
  assert_syntax_error ("winmgmts:{authenticationLevel=}", "}", "expected a value for "
                       "authenticationLevel, found '}'");
  assert_syntax_error ("winmgmts:{impersonationLevel= ,authority=ntlmdomain:D}", ",",
                       "expected a value for impersonationLevel");
  assert_syntax_error_at_end ("winmgmts:{authority=", "expected a value for authority, found the end");
  assert_syntax_error ("winmgmts:{impersonationLevel=impersonate,}", "}",
                       "expected a setting");
  assert_syntax_error ("winmgmts:{,}", ",", "expected a setting");
  assert_syntax_error ("winmgmts:{()}", ")", "expected a privilege name, found ')'");
  assert_syntax_error ("winmgmts:{(Debug,)}", ")", "expected a privilege name");
  assert_syntax_error ("winmgmts:{(!)}", ")", "expected a privilege name");
}

Test (moniker, error_unterminated)
{
  assert_syntax_error_at_end ("winmgmts:{", "expected a setting");
  assert_syntax_error_at_end ("winmgmts:{impersonationLevel=impersonate",
                              "expected ',' or '}' in the settings block opened at position 10");
  assert_syntax_error_at_end ("winmgmts:{impersonationLevel=impersonate,",
                              "expected a setting");
  assert_syntax_error_at_end ("winmgmts:{(Debug",
                              "expected ',' or ')' in the privilege list opened at position 11");
  assert_syntax_error_at_end ("winmgmts:{impersonationLevel",
                              "expected '=' after impersonationLevel, found the end");
  assert_syntax_error_at_end ("winmgmts:[locale=ms_409",
                              "expected ']' to close the block opened at position 10");
  assert_syntax_error_at_end ("winmgmts:[", "expected locale=");
}

Test (moniker, error_bang)
{
  assert_syntax_error ("winmgmts:{impersonationLevel=impersonate}root\\cimv2", "root",
                       "expected '!' between the block and the path, found 'r'");
  assert_syntax_error ("winmgmts:[locale=ms_409]\\\\server", "\\\\server",
                       "expected '!' between the block and the path");
  assert_syntax_error ("winmgmts:!root\\cimv2", "!", "'!' only separates");
  assert_syntax_error ("winmgmts:{}!!root", "!root", "expected a namespace name, found '!'");
}

Test (moniker, error_block_order)
{
  assert_syntax_error ("winmgmts:[locale=ms_409]{impersonationLevel=impersonate}", "{",
                       "one {settings} block, then one [locale=");
  assert_syntax_error_at ("winmgmts:{}{}", 12, "one {settings} block");
  assert_syntax_error_at ("winmgmts:{} {}", 13, "one {settings} block");
  assert_syntax_error_at ("winmgmts:[locale=ms_409][locale=ms_409]", 25, "one {settings} block");
}

Test (moniker, error_settings_syntax)
{
  /* Spaces may surround the '=', so the error is at the word after them. */
  assert_syntax_error ("winmgmts:{impersonationLevel impersonate}", "impersonate}",
                       "expected '=' after impersonationLevel, found 'i'");
  assert_syntax_error_at ("winmgmts:{impersonationLevel:impersonate}", 29,
                       "expected '=' after impersonationLevel, found ':'");
  assert_syntax_error ("winmgmts:{impersonationLevel=impersonate authenticationLevel=pkt}",
                       "authenticationLevel", "expected ',' or '}'");
  assert_syntax_error ("winmgmts:{=pkt}", "=", "expected a setting");
  assert_syntax_error ("winmgmts:{(Debug) x}", "x}", "expected ',' or '}'");
  assert_syntax_error ("winmgmts:{(Debug Security)}", "Security", "expected ',' or ')'");
  assert_syntax_error ("winmgmts:{(Debg)}", "Debg", "unknown privilege \"Debg\"");
  assert_syntax_error ("winmgmts:{(SeDebugPrivilege)}", "SeDebug", "unknown privilege");
  assert_syntax_error ("winmgmts:{(1Debug)}", "1Debug", "expected a privilege name, found '1'");
}

Test (moniker, error_unknown_keys_and_no_password)
{
  assert_syntax_error ("winmgmts:{impersonationLevel=impersonate,password=secret}", "password",
                       "cannot carry a user or a password (\"password\")");
  assert_syntax_error ("winmgmts:{user=alice}", "user", "cannot carry a user or a password");
  assert_syntax_error ("winmgmts:{PASSWORD=x}", "PASSWORD", "cannot carry a user or a password");
  assert_syntax_error ("winmgmts:{authenticationLvl=pkt}", "authenticationLvl",
                       "unknown setting \"authenticationLvl\"");
  assert_syntax_error ("winmgmts:{locale=ms_409}", "locale", "unknown setting \"locale\"");
}

Test (moniker, error_authority)
{
  assert_syntax_error ("winmgmts:{authority=negotiate:DOM}", "negotiate",
                       "is neither ntlmdomain:DOMAIN nor kerberos:DOMAIN\\SERVER");
  assert_syntax_error ("winmgmts:{authority=DOM}", "DOM", "authority \"DOM\" is neither");
  assert_syntax_error ("winmgmts:{authority=ntlm:DOM}", "ntlm:", "is neither");
  assert_syntax_error ("winmgmts:{authority=ntlmdomain:}", "}", "the authority has no domain");
  assert_syntax_error ("winmgmts:{authority=kerberos:}", "}", "the authority has no server");
  assert_syntax_error ("winmgmts:{authority=kerberos:\\srv}", "\\srv", "has no domain");
  assert_syntax_error ("winmgmts:{authority=kerberos:DOM\\}", "}", "has no server");
  assert_syntax_error ("winmgmts:{authority=ntlmdomain:D/OM}", "/OM",
                       "'/' cannot appear in the authority's domain");
  assert_syntax_error ("winmgmts:{authority=ntlmdomain:A:B}", ":B",
                       "':' cannot appear in the authority's domain");
  assert_syntax_error ("winmgmts:{authority=kerberos:DOM\\a\\b}", "\\b",
                       "'\\' cannot appear in the authority's server");
  assert_syntax_error ("winmgmts:{authority=ntlmdomain:DOM\\user}", "\\user",
                       "cannot appear in the authority's domain");
}

Test (moniker, error_locale)
{
  assert_syntax_error ("winmgmts:[locale=en-US]", "en-US", "ms_<hexadecimal LCID>");
  assert_syntax_error ("winmgmts:[locale=ms_]", "ms_", "ms_<hexadecimal LCID>");
  assert_syntax_error ("winmgmts:[locale=ms_123456789]", "ms_", "ms_<hexadecimal LCID>");
  assert_syntax_error ("winmgmts:[locale=ms_40g]", "g]", "expected ']'");
  assert_syntax_error ("winmgmts:[locale=]", "]", "ms_<hexadecimal LCID>");
  assert_syntax_error ("winmgmts:[lang=ms_409]", "lang", "expected locale=");
  assert_syntax_error ("winmgmts:[locale ms_409]", "ms_409", "expected '=' after locale");
  assert_syntax_error ("winmgmts:[]", "]", "expected locale=");
}

/* ---------------------------------------------------------------- errors: the path */

Test (moniker, error_path)
{
  assert_syntax_error ("winmgmts:\\root\\cimv2", "\\root", "must start with \\\\server or //server");
  assert_syntax_error_at_end ("winmgmts:\\\\", "expected a server name, found the end");
  assert_syntax_error ("winmgmts://\\root", "\\root", "expected a server name, found '\\'");
  assert_syntax_error ("winmgmts:\\\\server:Win32_Process", ":Win32",
                       "expected '\\' or '/' and a namespace after the server name, found ':'");
  assert_syntax_error ("winmgmts:\\\\ser ver\\root", " ver", "after the server name, found ' '");
  assert_syntax_error_at_end ("winmgmts:\\\\server\\", "expected a namespace name, found the end");
  assert_syntax_error_at_end ("winmgmts:root\\cimv2\\", "expected a namespace name");
  assert_syntax_error ("winmgmts:root\\\\cimv2", "\\cimv2", "expected a namespace name, found '\\'");
  assert_syntax_error ("winmgmts:root//cimv2", "/cimv2", "expected a namespace name");
  assert_syntax_error_at_end ("winmgmts:root\\cimv2:", "expected a class name after ':', found the end");
  assert_syntax_error ("winmgmts:root\\cimv2:1abc", "1abc", "expected a class name after ':'");
  assert_syntax_error ("winmgmts:root\\cimv2:\"x\"", "\"x", "expected a class name");
  assert_syntax_error ("winmgmts:root\\cimv2 ", " ", "after the namespace name, found ' '");
  assert_syntax_error ("winmgmts:root\\cim-v2", "-v2", "after the namespace name, found '-'");
  assert_syntax_error ("winmgmts:root\\2cimv2", "2cimv2", "expected a namespace name, found '2'");
  assert_syntax_error ("winmgmts::Win32_Process", ":Win32", "expected a namespace name, found ':'");
  assert_syntax_error ("winmgmts:\\\\srv\\root.x", ".x", "after the namespace name, found '.'");
  assert_syntax_error ("winmgmts:root\\cimv2.Win32_Process", ".Win32", "found '.'");
  assert_syntax_error ("winmgmts:root\\cimv2\n", "\n", "found character U+000A");
}

Test (moniker, error_positions_count_characters_not_bytes)
{
  g_autoptr (GString) s = g_string_new ("winmgmts:root:X.N=\"");

  /* Every token the parser reads is ASCII, so a non-ASCII character is itself the error... */
  assert_syntax_error_at ("winmgmts:[locale=ms_409]!r\xc3\xbc\\x", 27,
                          "after the namespace name, found character U+00FC");
  /* ...but in an object path it is kept, and a later position counts it as one: the 0xFF is
   * byte 43 and character 42. */
  assert_syntax_error_at ("winmgmts:root\\cimv2:Win32_Process.Name=\"\xc3\xbc\xff\"", 42,
                          "not valid UTF-8");
  /* 19 ASCII bytes and 2038 two-byte characters fill 4095 bytes; the 2039th straddles the
   * limit and is character 19 + 2039 = 2058. */
  while (s->len <= WSIM_MONIKER_MAX_BYTES)
    g_string_append (s, "\xc3\xbc");
  assert_syntax_error_at (s->str, 2058, "longer than 4096 bytes");
}

Test (moniker, error_too_long)
{
  g_autoptr (GString) s = g_string_new ("winmgmts:root\\");

  while (s->len < WSIM_MONIKER_MAX_BYTES + 1)
    g_string_append_c (s, 'a');
  assert_syntax_error_at (s->str, WSIM_MONIKER_MAX_BYTES + 1, "longer than 4096 bytes");
  /* Far longer: refused just as quickly, without reading it all. */
  while (s->len < 1000000)
    g_string_append (s, "aaaaaaaaaaaaaaaa");
  assert_syntax_error_at (s->str, WSIM_MONIKER_MAX_BYTES + 1, "longer than 4096 bytes");
}

Test (moniker, error_not_utf8)
{
  assert_syntax_error_at ("winmgmts:root\\\xff", 15, "not valid UTF-8");
  assert_syntax_error_at ("winmgmts:{(Debug)}\xc3", 19, "not valid UTF-8");
  assert_syntax_error_at ("\x80winmgmts:", 1, "not valid UTF-8");
}

/* ---------------------------------------------------------------- no input crashes it */

/* Parses @text and checks the one contract that holds for any input: success with a
 * complete moniker, or MK_E_SYNTAX naming a position, and the moniker left empty. */
static void
assert_result_or_syntax_error (const char *text)
{
  g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;
  g_autoptr (GError) error = NULL;

  if (wsim_moniker_parse (text, &m, &error))
    {
      cr_assert_null (error);
      cr_assert_not_null (m.server, "'%s'", text);
      cr_assert_not_null (m.namespace_path, "'%s'", text);
      cr_assert (m.object_path == NULL || m.object_path[0] != '\0', "'%s'", text);
      cr_assert_eq (m.set & ~(WSIM_MONIKER_HAS_AUTHN_LEVEL | WSIM_MONIKER_HAS_IMP_LEVEL
                              | WSIM_MONIKER_HAS_AUTHORITY), 0);
      return;
    }
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) MK_E_SYNTAX), "'%s': %s", text,
             error ? error->message : "no error");
  cr_assert (strstr (error->message, "at position ") != NULL, "%s", error->message);
  cr_assert_null (m.server);
  cr_assert_null (m.privileges);
}

Test (moniker, every_truncation_of_the_full_example)
{
  const char *full = FULL_EXAMPLE;
  gsize len = strlen (full);
  guint n_ok = 0;

  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autofree char *prefix = g_strndup (full, cut);
      g_auto (WsimMoniker) m = WSIM_MONIKER_INIT;

      assert_result_or_syntax_error (prefix);
      n_ok += wsim_moniker_parse (prefix, &m, NULL);
    }
  /* "winmgmts:", and the cuts inside the path after '!' that end on a whole name. */
  cr_assert_gt (n_ok, 5);
}

Test (moniker, random_byte_flips)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (0x800401E4u);
  const char *full = FULL_EXAMPLE;
  gsize len = strlen (full);

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *text = g_strdup (full);
      guint n_flips = (guint) g_rand_int_range (rand, 1, 4);

      for (guint f = 0; f < n_flips; f++)
        text[g_rand_int_range (rand, 0, (gint32) len)] = (char) g_rand_int_range (rand, 1, 256);
      assert_result_or_syntax_error (text);
    }
}

Test (moniker, random_strings_of_moniker_characters)
{
  static const char alphabet[] = "winmgmts:{}[]()!=,\\/:. \t\"'@_-aZ09";
  static const char *const pieces[] = {
    "winmgmts:", "impersonationLevel", "authenticationLevel", "authority", "=", "pktPrivacy",
    "ntlmdomain:", "kerberos:", "DOM", "\\", "/", "(", ")", "!", "Debug", "{", "}", "[", "]",
    "locale", "ms_409", "root", "cimv2", ":", "Win32_Process", ".Handle=\"4\"", ",", " ",
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (4096);

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr (GString) s = g_string_new (round % 2 == 0 ? "winmgmts:" : "");
      guint n = (guint) g_rand_int_range (rand, 0, 24);

      /* Half from single characters, half from whole tokens, so that deep paths are hit. */
      for (guint k = 0; k < n; k++)
        if (g_rand_boolean (rand))
          g_string_append_c (s, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
        else
          g_string_append (s, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      assert_result_or_syntax_error (s->str);
    }
}

/* The CLI's --authority: the same grammar on its own, positions counted in it. */
Test (moniker, authority_alone)
{
  g_auto(WsimBlanket) b = WSIM_BLANKET_INIT;
  g_autoptr(GError) error = NULL;

  b.user = g_strdup ("alice");
  cr_assert (wsim_moniker_parse_authority ("kerberos:WSIM\\wbemhost", &b, &error), "%s",
             error ? error->message : "");
  cr_assert_eq (b.authn_svc, RPC_C_AUTHN_GSS_KERBEROS);
  cr_assert_str_eq (b.domain, "WSIM");
  cr_assert_str_eq (b.server_principal, "wbemhost");
  cr_assert_str_eq (b.user, "alice", "the user is not the authority's");
  cr_assert (wsim_moniker_parse_authority ("NTLMDomain:CORP", &b, &error));
  cr_assert_eq (b.authn_svc, RPC_C_AUTHN_WINNT);
  cr_assert_str_eq (b.domain, "CORP");
  cr_assert_null (b.server_principal, "an NTLM authority names no server");

  cr_assert_not (wsim_moniker_parse_authority ("ntlmdomain:", &b, &error));
  cr_assert (g_error_matches (error, WSIM_WBEM_ERROR, (gint) MK_E_SYNTAX));
  cr_assert (strstr (error->message, "bad authority at position 12") != NULL, "%s", error->message);
  cr_assert_str_eq (b.domain, "CORP", "a refused authority leaves the blanket as it was");
  g_clear_error (&error);
  cr_assert_not (wsim_moniker_parse_authority ("basic:x", &b, &error));
  cr_assert (strstr (error->message, "position 1") != NULL, "%s", error->message);
}
