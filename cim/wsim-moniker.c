/* wsim-moniker.c: a one-pass parser of WMI scripting monikers (grammar in the header). */
#include "wsim-moniker.h"

#include <string.h>

#define PREFIX "winmgmts:"
#define DEFAULT_SERVER "."
#define DEFAULT_NAMESPACE "root\\cimv2"

/* WbemPrivilegeEnum without its "wbemPrivilege" prefix: the names a moniker may list.
 * Checked so that a misspelt privilege is reported rather than silently never enabled. */
static const char *const privilege_names[] = {
  "CreateToken", "PrimaryToken", "LockMemory", "IncreaseQuota", "MachineAccount", "Tcb",
  "Security", "TakeOwnership", "LoadDriver", "SystemProfile", "Systemtime",
  "ProfileSingleProcess", "IncreaseBasePriority", "CreatePagefile", "CreatePermanent",
  "Backup", "Restore", "Shutdown", "Debug", "Audit", "SystemEnvironment", "ChangeNotify",
  "RemoteShutdown", "Undock", "SyncAgent", "EnableDelegation", "ManageVolume",
};

typedef struct
{
  const char *text;      /* at most WSIM_MONIKER_MAX_BYTES, valid UTF-8 once parsing starts */
  gsize       i;         /* byte offset of the next character */
  WsimMoniker *m;
  GError    **error;
  const char *subject;   /* (nullable) how errors name the text: "bad moniker" when NULL */
} Parser;

void
wsim_moniker_clear (WsimMoniker *m)
{
  wsim_blanket_clear (&m->security);
  g_free (m->server);
  g_free (m->namespace_path);
  g_free (m->object_path);
  g_free (m->locale);
  g_strfreev (m->privileges);
  *m = (WsimMoniker) WSIM_MONIKER_INIT;
}

void
wsim_moniker_apply (const WsimMoniker *m, WsimBlanket *inout)
{
  if (m->set & WSIM_MONIKER_HAS_AUTHN_LEVEL)
    inout->authn_level = m->security.authn_level;
  if (m->set & WSIM_MONIKER_HAS_IMP_LEVEL)
    inout->imp_level = m->security.imp_level;
  if (m->set & WSIM_MONIKER_HAS_AUTHORITY)
    {
      inout->authn_svc = m->security.authn_svc;
      g_free (inout->domain);
      inout->domain = g_strdup (m->security.domain);
      g_free (inout->server_principal);
      inout->server_principal = g_strdup (m->security.server_principal);
    }
}

/* ---------------------------------------------------------------- scanning */

static gboolean G_GNUC_PRINTF (3, 4)
fail_at (Parser *p, gsize offset, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  wsim_set_error_at_valist (p->error, MK_E_SYNTAX, p->subject != NULL ? p->subject : "bad moniker",
                            p->text, offset, format, ap);
  va_end (ap);
  return FALSE;
}

/* What is at the cursor, for "found …" in messages. */
static char *
describe_next (const Parser *p)
{
  char c = p->text[p->i];

  if (c == '\0')
    return g_strdup ("the end");
  if (g_ascii_isprint (c))
    return g_strdup_printf ("'%c'", c);
  return g_strdup_printf ("character U+%04X", g_utf8_get_char (p->text + p->i));
}

static void
skip_spaces (Parser *p)
{
  while (p->text[p->i] == ' ' || p->text[p->i] == '\t')
    p->i++;
}

/* Skips spaces, then consumes @c if it is next. */
static gboolean
accept (Parser *p, char c)
{
  skip_spaces (p);
  if (p->text[p->i] != c)
    return FALSE;
  p->i++;
  return TRUE;
}

static gboolean
is_sep (char c)
{
  return c == '\\' || c == '/';
}

/* Host and domain names: DNS labels, NetBIOS names, "." and dotted addresses. */
static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.';
}

/* A setting's value ends at the first character that cannot be part of a level word or an
 * authority, so that "impersonate!root" reports the '!' rather than an unknown level. */
static gboolean
is_value_char (char c)
{
  return is_host_char (c) || c == ':' || is_sep (c);
}

/* An identifier at the cursor (letters, digits, '_', not starting with a digit), or NULL. */
static char *
take_name (Parser *p)
{
  gsize start = p->i;

  if (!(g_ascii_isalpha (p->text[start]) || p->text[start] == '_'))
    return NULL;
  while (g_ascii_isalnum (p->text[p->i]) || p->text[p->i] == '_')
    p->i++;
  return g_strndup (p->text + start, p->i - start);
}

/* ---------------------------------------------------------------- the settings block */

static gboolean
parse_imp_level (Parser *p, gsize at, const char *value)
{
  WsimImpLevel level;

  /* Only the scripting words: wsim_imp_level_parse also takes numbers and RPC_C_ names, and
   * "default", none of which a moniker accepts. */
  if (!wsim_imp_level_parse (value, &level) || level == RPC_C_IMP_LEVEL_DEFAULT
      || g_ascii_strcasecmp (value, wsim_imp_level_name (level) + strlen ("RPC_C_IMP_LEVEL_")) != 0)
    return fail_at (p, at, "unknown impersonation level \"%s\" (anonymous, identify, "
                    "impersonate or delegate)", value);
  p->m->security.imp_level = level;
  return TRUE;
}

static gboolean
parse_authn_level (Parser *p, gsize at, const char *value)
{
  WsimAuthnLevel level;

  if (!wsim_authn_level_parse (value, &level)
      || g_ascii_strcasecmp (value, wsim_authn_level_word (level)) != 0)
    return fail_at (p, at, "unknown authentication level \"%s\" (default, none, connect, "
                    "call, pkt, pktIntegrity or pktPrivacy)", value);
  p->m->security.authn_level = level;
  return TRUE;
}

/* Checks that @part (which starts at byte @at of the moniker) is a non-empty host name. */
static gboolean
check_host_name (Parser *p, gsize at, const char *part, gsize len, const char *what)
{
  if (len == 0)
    return fail_at (p, at, "the authority has no %s", what);
  for (gsize k = 0; k < len; k++)
    if (!is_host_char (part[k]))
      return fail_at (p, at + k, "'%c' cannot appear in the authority's %s", part[k], what);
  return TRUE;
}

/* authority=ntlmdomain:DOM | kerberos:DOM\SERVER | kerberos:SERVER */
static gboolean
parse_authority (Parser *p, gsize at, const char *value)
{
  WsimBlanket *b = &p->m->security;
  const char *rest;
  const char *slash;

  if (g_ascii_strncasecmp (value, "ntlmdomain:", strlen ("ntlmdomain:")) == 0)
    {
      rest = value + strlen ("ntlmdomain:");
      if (!check_host_name (p, at + (gsize) (rest - value), rest, strlen (rest), "domain"))
        return FALSE;
      b->authn_svc = RPC_C_AUTHN_WINNT;
      b->domain = g_strdup (rest);
      return TRUE;
    }
  if (g_ascii_strncasecmp (value, "kerberos:", strlen ("kerberos:")) != 0)
    return fail_at (p, at, "the authority \"%s\" is neither ntlmdomain:DOMAIN nor "
                    "kerberos:DOMAIN\\SERVER", value);
  rest = value + strlen ("kerberos:");
  slash = strchr (rest, '\\');
  if (slash == NULL)
    {
      if (!check_host_name (p, at + (gsize) (rest - value), rest, strlen (rest), "server"))
        return FALSE;
      b->server_principal = g_strdup (rest);
    }
  else
    {
      gsize dom_len = (gsize) (slash - rest);

      if (!check_host_name (p, at + (gsize) (rest - value), rest, dom_len, "domain")
          || !check_host_name (p, at + (gsize) (slash + 1 - value), slash + 1,
                               strlen (slash + 1), "server"))
        return FALSE;
      b->domain = g_strndup (rest, dom_len);
      b->server_principal = g_strdup (slash + 1);
    }
  b->authn_svc = RPC_C_AUTHN_GSS_KERBEROS;
  return TRUE;
}

static const struct {
  const char       *key;
  WsimMonikerFields field;
  gboolean        (*parse) (Parser *p, gsize at, const char *value);
} settings[] = {
  { "impersonationLevel", WSIM_MONIKER_HAS_IMP_LEVEL, parse_imp_level },
  { "authenticationLevel", WSIM_MONIKER_HAS_AUTHN_LEVEL, parse_authn_level },
  { "authority", WSIM_MONIKER_HAS_AUTHORITY, parse_authority },
};

/* key = value, the cursor on the key. */
static gboolean
parse_setting (Parser *p)
{
  gsize key_at = p->i;
  gsize value_at;
  g_autofree char *key = take_name (p);
  g_autofree char *value = NULL;
  gsize s;

  if (key == NULL)
    {
      g_autofree char *found = describe_next (p);

      return fail_at (p, key_at, "expected a setting (impersonationLevel, authenticationLevel, "
                      "authority) or a (privilege list), found %s", found);
    }
  for (s = 0; s < G_N_ELEMENTS (settings); s++)
    if (g_ascii_strcasecmp (key, settings[s].key) == 0)
      break;
  if (s == G_N_ELEMENTS (settings))
    {
      if (g_ascii_strcasecmp (key, "password") == 0 || g_ascii_strcasecmp (key, "user") == 0)
        return fail_at (p, key_at, "a moniker cannot carry a user or a password (\"%s\")", key);
      return fail_at (p, key_at, "unknown setting \"%s\"", key);
    }
  if (p->m->set & settings[s].field)
    return fail_at (p, key_at, "%s is given twice", settings[s].key);
  if (!accept (p, '='))
    {
      g_autofree char *found = describe_next (p);

      return fail_at (p, p->i, "expected '=' after %s, found %s", settings[s].key, found);
    }
  skip_spaces (p);
  value_at = p->i;
  while (is_value_char (p->text[p->i]))
    p->i++;
  if (p->i == value_at)
    {
      g_autofree char *found = describe_next (p);

      return fail_at (p, value_at, "expected a value for %s, found %s", settings[s].key, found);
    }
  value = g_strndup (p->text + value_at, p->i - value_at);
  if (!settings[s].parse (p, value_at, value))
    return FALSE;
  p->m->set |= settings[s].field;
  return TRUE;
}

static gboolean
privilege_known (const char *name)
{
  for (gsize k = 0; k < G_N_ELEMENTS (privilege_names); k++)
    if (g_ascii_strcasecmp (name, privilege_names[k]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether @name (without '!') is already in @list, enabled or disabled. */
static gboolean
privilege_listed (GPtrArray *list, const char *name)
{
  for (guint k = 0; k < list->len; k++)
    {
      const char *had = g_ptr_array_index (list, k);

      if (g_ascii_strcasecmp (had + (had[0] == '!'), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ( [!]Name , … ), the cursor on '('. */
static gboolean
parse_privileges (Parser *p)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  gsize open_at = p->i;

  if (p->m->privileges != NULL)
    return fail_at (p, open_at, "a second privilege list");
  p->i++;
  for (;;)
    {
      gboolean disable;
      gsize name_at;
      g_autofree char *name = NULL;
      g_autofree char *found = NULL;

      disable = accept (p, '!');
      skip_spaces (p);
      name_at = p->i;
      if ((name = take_name (p)) == NULL)
        {
          found = describe_next (p);
          return fail_at (p, name_at, "expected a privilege name, found %s", found);
        }
      if (!privilege_known (name))
        return fail_at (p, name_at, "unknown privilege \"%s\"", name);
      if (privilege_listed (list, name))
        return fail_at (p, name_at, "privilege %s is listed twice", name);
      g_ptr_array_add (list, disable ? g_strconcat ("!", name, NULL) : g_steal_pointer (&name));
      if (accept (p, ','))
        continue;
      if (accept (p, ')'))
        break;
      found = describe_next (p);
      return fail_at (p, p->i, "expected ',' or ')' in the privilege list opened at position "
                      "%ld, found %s", wsim_text_position (p->text, open_at), found);
    }
  g_ptr_array_add (list, NULL);
  p->m->privileges = (GStrv) g_ptr_array_free (g_steal_pointer (&list), FALSE);
  return TRUE;
}

/* { setting , … }, the cursor on '{'. */
static gboolean
parse_settings_block (Parser *p)
{
  gsize open_at = p->i;

  p->i++;
  if (accept (p, '}'))
    return TRUE;
  for (;;)
    {
      g_autofree char *found = NULL;

      skip_spaces (p);
      if (!(p->text[p->i] == '(' ? parse_privileges (p) : parse_setting (p)))
        return FALSE;
      if (accept (p, ','))
        continue;
      if (accept (p, '}'))
        return TRUE;
      found = describe_next (p);
      return fail_at (p, p->i, "expected ',' or '}' in the settings block opened at position "
                      "%ld, found %s", wsim_text_position (p->text, open_at), found);
    }
}

/* [ locale = ms_HEX ], the cursor on '['. */
static gboolean
parse_locale_block (Parser *p)
{
  gsize open_at = p->i;
  gsize key_at;
  gsize value_at;
  g_autofree char *key = NULL;
  g_autofree char *found = NULL;
  gsize digits = 0;

  p->i++;
  skip_spaces (p);
  key_at = p->i;
  key = take_name (p);
  if (key == NULL || g_ascii_strcasecmp (key, "locale") != 0)
    return fail_at (p, key_at, "expected locale= in the […] block");
  if (!accept (p, '='))
    {
      found = describe_next (p);
      return fail_at (p, p->i, "expected '=' after locale, found %s", found);
    }
  skip_spaces (p);
  value_at = p->i;
  if (g_ascii_strncasecmp (p->text + p->i, "ms_", 3) == 0)
    for (p->i += 3; g_ascii_isxdigit (p->text[p->i]); p->i++)
      digits++;
  /* An LCID is 32 bits: at most 8 hexadecimal digits. */
  if (digits == 0 || digits > 8)
    return fail_at (p, value_at, "expected a locale of the form ms_<hexadecimal LCID>, "
                    "such as ms_409");
  p->m->locale = g_strndup (p->text + value_at, p->i - value_at);
  if (!accept (p, ']'))
    {
      found = describe_next (p);
      return fail_at (p, p->i, "expected ']' to close the block opened at position %ld, "
                      "found %s", wsim_text_position (p->text, open_at), found);
    }
  return TRUE;
}

/* ---------------------------------------------------------------- the path */

/* namespace ( sep namespace )* [ ':' object ], the cursor on the first name; the parts are
 * joined with '\' into p->m->namespace_path. @single_is_object: a lone name not followed
 * by a separator or ':' is an object path in the default namespace, as
 * GetObject("winmgmts:Win32_Process") names the class. */
static gboolean
parse_namespace_and_object (Parser *p, gboolean single_is_object)
{
  g_autoptr (GString) ns = g_string_new (NULL);
  gsize first_at = p->i;
  g_autofree char *found = NULL;

  for (;;)
    {
      gsize at = p->i;
      g_autofree char *name = take_name (p);
      char c = p->text[p->i];

      if (name == NULL)
        {
          found = describe_next (p);
          return fail_at (p, at, "expected a namespace name, found %s", found);
        }
      if (single_is_object && at == first_at && (c == '\0' || c == '.' || c == '='))
        {
          p->m->object_path = g_strdup (p->text + first_at);
          return TRUE;
        }
      if (ns->len > 0)
        g_string_append_c (ns, '\\');
      g_string_append (ns, name);
      if (c == '\0' || c == ':')
        break;
      if (!is_sep (c))
        {
          found = describe_next (p);
          return fail_at (p, p->i, "expected '\\', '/' or ':' after the namespace name, "
                          "found %s", found);
        }
      p->i++;
    }
  p->m->namespace_path = g_string_free (g_steal_pointer (&ns), FALSE);
  if (p->text[p->i] == '\0')
    return TRUE;
  p->i++;
  if (!(g_ascii_isalpha (p->text[p->i]) || p->text[p->i] == '_'))
    {
      found = describe_next (p);
      return fail_at (p, p->i, "expected a class name after ':', found %s", found);
    }
  p->m->object_path = g_strdup (p->text + p->i);
  return TRUE;
}

/* \\server or //server, the cursor on the first separator; leaves it after the name. */
static gboolean
parse_server (Parser *p)
{
  gsize start;

  if (!is_sep (p->text[p->i + 1]))
    return fail_at (p, p->i, "a path starting with a separator must start with \\\\server "
                    "or //server");
  p->i += 2;
  start = p->i;
  while (is_host_char (p->text[p->i]))
    p->i++;
  if (p->i == start)
    {
      g_autofree char *found = describe_next (p);

      return fail_at (p, p->i, "expected a server name, found %s", found);
    }
  p->m->server = g_strndup (p->text + start, p->i - start);
  return TRUE;
}

static gboolean
parse_path (Parser *p)
{
  const char *t = p->text;
  gboolean ok = TRUE;

  if (is_sep (t[p->i]))
    {
      if (!parse_server (p))
        return FALSE;
      if (is_sep (t[p->i]))
        {
          p->i++;
          ok = parse_namespace_and_object (p, FALSE);
        }
      else if (t[p->i] != '\0')
        {
          g_autofree char *found = describe_next (p);

          return fail_at (p, p->i, "expected '\\' or '/' and a namespace after the server "
                          "name, found %s", found);
        }
    }
  else if (t[p->i] != '\0')
    ok = parse_namespace_and_object (p, TRUE);
  if (!ok)
    return FALSE;
  if (p->m->server == NULL)
    p->m->server = g_strdup (DEFAULT_SERVER);
  if (p->m->namespace_path == NULL)
    p->m->namespace_path = g_strdup (DEFAULT_NAMESPACE);
  return TRUE;
}

/* ---------------------------------------------------------------- the whole */

static gboolean
parse_moniker (Parser *p)
{
  const char *t = p->text;
  gboolean had_block = FALSE;

  if (g_ascii_strncasecmp (t, PREFIX, strlen (PREFIX)) != 0)
    return fail_at (p, 0, "a moniker starts with \"winmgmts:\"");
  p->i = strlen (PREFIX);
  skip_spaces (p);
  if (t[p->i] == '{')
    {
      if (!parse_settings_block (p))
        return FALSE;
      had_block = TRUE;
      skip_spaces (p);
    }
  if (t[p->i] == '[')
    {
      if (!parse_locale_block (p))
        return FALSE;
      had_block = TRUE;
      skip_spaces (p);
    }
  if (t[p->i] == '{' || t[p->i] == '[')
    return fail_at (p, p->i, "one {settings} block, then one [locale=…] block, at most");
  if (t[p->i] == '!')
    {
      if (!had_block)
        return fail_at (p, p->i, "'!' only separates a {…} or […] block from the path");
      p->i++;
      skip_spaces (p);
    }
  else if (had_block && t[p->i] != '\0')
    {
      g_autofree char *found = describe_next (p);

      return fail_at (p, p->i, "expected '!' between the block and the path, found %s", found);
    }
  return parse_path (p);
}

gboolean
wsim_moniker_parse (const char *text, WsimMoniker *out, GError **error)
{
  Parser p = { text, 0, out, error };
  gsize len;
  const char *bad;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  wsim_moniker_clear (out);
  /* Bounded before anything else, so no later step runs over a huge input. */
  len = strnlen (text, WSIM_MONIKER_MAX_BYTES + 1);
  if (len > WSIM_MONIKER_MAX_BYTES)
    return fail_at (&p, WSIM_MONIKER_MAX_BYTES, "the moniker is longer than %d bytes",
                    WSIM_MONIKER_MAX_BYTES);
  if (!g_utf8_validate (text, (gssize) len, &bad))
    return fail_at (&p, (gsize) (bad - text), "not valid UTF-8");
  if (!parse_moniker (&p))
    {
      wsim_moniker_clear (out);
      return FALSE;
    }
  return TRUE;
}

gboolean
wsim_moniker_parse_authority (const char *authority, WsimBlanket *inout, GError **error)
{
  g_auto(WsimMoniker) m = WSIM_MONIKER_INIT;
  Parser p = { .text = authority, .m = &m, .error = error, .subject = "bad authority" };

  g_return_val_if_fail (authority != NULL && inout != NULL, FALSE);
  if (strlen (authority) > WSIM_MONIKER_MAX_BYTES || !g_utf8_validate (authority, -1, NULL))
    {
      wsim_set_error_hresult (error, MK_E_SYNTAX, "the authority is not UTF-8 text of at most %d bytes",
                              WSIM_MONIKER_MAX_BYTES);
      return FALSE;
    }
  if (!parse_authority (&p, 0, authority))
    return FALSE;
  m.set = WSIM_MONIKER_HAS_AUTHORITY;
  wsim_moniker_apply (&m, inout);
  return TRUE;
}
