/* wsim-object-path.c: a one-pass parser and the canonical printer of WMI object paths
 * (syntax in the header). */
#include "wsim-object-path.h"

#include <string.h>

#include "wsim-value.h"

typedef struct
{
  char      *name;    /* (owned) */
  char      *text;    /* (owned) value as text */
  wsim_value value;   /* (owned) */
} Key;

struct _WsimObjectPath
{
  char      *server;       /* (owned) (nullable) */
  char      *namespace_;   /* (owned) (nullable) '\'-separated */
  char      *class_name;   /* (owned) */
  gboolean   singleton;
  GPtrArray *keys;         /* (owned) Key*, in the order written */
};

static void
key_free (Key *k)
{
  g_free (k->name);
  g_free (k->text);
  wsim_value_clear (&k->value);
  g_free (k);
}

void
wsim_object_path_free (WsimObjectPath *path)
{
  if (path == NULL)
    return;
  g_free (path->server);
  g_free (path->namespace_);
  g_free (path->class_name);
  g_ptr_array_unref (path->keys);
  g_free (path);
}

/* ---------------------------------------------------------------- parser */

typedef struct
{
  const char *text;
  gsize       i;       /* byte offset of the next character */
  GError    **error;
} Parser;

static gboolean G_GNUC_PRINTF (3, 4)
fail_at (Parser *p, gsize offset, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  wsim_set_error_at_valist (p->error, WBEM_E_INVALID_OBJECT_PATH, "invalid object path", p->text,
                            offset, format, ap);
  va_end (ap);
  return FALSE;
}

static gboolean
is_sep (char c)
{
  return c == '\\' || c == '/';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gboolean
is_server_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.';
}

/* An identifier at p->i (letters, digits, '_'; not starting with a digit), or NULL. */
static char *
take_name (Parser *p)
{
  gsize start = p->i;

  if (!(g_ascii_isalpha (p->text[start]) || p->text[start] == '_'))
    return NULL;
  while (is_name_char (p->text[p->i]))
    p->i++;
  return g_strndup (p->text + start, p->i - start);
}

/* nspath := name (sep name)* ':' — appended to @ns with '\' separators. */
static gboolean
parse_namespace (Parser *p, GString *ns)
{
  for (;;)
    {
      g_autofree char *part = NULL;

      if ((part = take_name (p)) == NULL)
        return fail_at (p, p->i, "expected namespace name");
      if (ns->len > 0)
        g_string_append_c (ns, '\\');
      g_string_append (ns, part);
      if (is_sep (p->text[p->i]))
        {
          p->i++;
          continue;
        }
      if (p->text[p->i] == ':')
        {
          p->i++;
          return TRUE;
        }
      return fail_at (p, p->i, "expected ':' and a class name");
    }
}

static gboolean
parse_prefix (Parser *p, WsimObjectPath *path)
{
  const char *t = p->text;
  g_autoptr (GString) ns = g_string_new (NULL);

  if (is_sep (t[0]) && is_sep (t[1]))
    {
      gsize start = 2;

      p->i = 2;
      while (is_server_char (t[p->i]))
        p->i++;
      if (p->i == start)
        return fail_at (p, p->i, "expected server name");
      path->server = g_strndup (t + start, p->i - start);
      if (!is_sep (t[p->i]))
        return fail_at (p, p->i, "expected '\\' and a namespace");
      p->i++;
      if (!parse_namespace (p, ns))
        return FALSE;
      path->namespace_ = g_string_free (g_steal_pointer (&ns), FALSE);
      return TRUE;
    }

  /* No server: a namespace prefix if the first name is followed by a separator or ':'. */
  {
    gsize k = 0;

    while (is_name_char (t[k]))
      k++;
    if (k == 0 || !(is_sep (t[k]) || t[k] == ':'))
      return TRUE;
  }
  if (!parse_namespace (p, ns))
    return FALSE;
  path->namespace_ = g_string_free (g_steal_pointer (&ns), FALSE);
  return TRUE;
}

static gboolean
parse_value (Parser *p, Key *k)
{
  const char *t = p->text;
  gsize start = p->i;

  /* Microsoft's paths take "…" and '…'; quotes inside are escaped as in C. */
  if (t[p->i] == '"' || t[p->i] == '\'')
    {
      char quote = t[p->i];
      GString *s = g_string_new (NULL);

      p->i++;
      for (;;)
        {
          char c = t[p->i];

          if (c == '\0')
            {
              g_string_free (s, TRUE);
              return fail_at (p, start, "unterminated string");
            }
          if (c == quote)
            break;
          if (c == '\\')
            {
              if (t[p->i + 1] != '"' && t[p->i + 1] != '\'' && t[p->i + 1] != '\\')
                {
                  g_string_free (s, TRUE);
                  return fail_at (p, p->i,
                                  "invalid escape sequence (only \\\\, \\' and \\\")");
                }
              c = t[p->i + 1];
              p->i++;
            }
          g_string_append_c (s, c);
          p->i++;
        }
      p->i++;
      k->text = g_string_free (s, FALSE);
      wsim_value_set_string (&k->value, k->text);
      return TRUE;
    }

  if (g_ascii_isdigit (t[p->i]) || (t[p->i] == '-' && g_ascii_isdigit (t[p->i + 1])))
    {
      g_autofree char *digits = NULL;
      gint64 n;
      guint64 u;

      p->i++;
      while (g_ascii_isdigit (t[p->i]))
        p->i++;
      if (is_name_char (t[p->i]) || t[p->i] == '.')
        return fail_at (p, start, "invalid number");
      digits = g_strndup (t + start, p->i - start);
      if (g_ascii_string_to_signed (digits, 10, G_MININT64, G_MAXINT64, &n, NULL))
        wsim_value_set_sint64 (&k->value, n);
      else if (g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64, &u, NULL))
        wsim_value_set_uint64 (&k->value, u);
      else
        return fail_at (p, start, "integer out of range");
      k->text = wsim_value_to_string (&k->value);
      return TRUE;
    }

  {
    g_autofree char *word = take_name (p);

    if (word != NULL && (g_ascii_strcasecmp (word, "TRUE") == 0
                         || g_ascii_strcasecmp (word, "FALSE") == 0))
      {
        wsim_value_set_boolean (&k->value, g_ascii_strcasecmp (word, "TRUE") == 0);
        k->text = wsim_value_to_string (&k->value);
        return TRUE;
      }
  }
  return fail_at (p, start, "expected key value (a quoted string, a number, TRUE or FALSE)");
}

static gboolean
parse_keys (Parser *p, WsimObjectPath *path)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (;;)
    {
      Key *k;
      gsize name_pos = p->i;
      char *name = take_name (p);

      if (name == NULL)
        return fail_at (p, p->i, "expected key property name");
      if (path->keys->len >= WSIM_OBJECT_PATH_MAX_KEYS)
        {
          g_free (name);
          return fail_at (p, name_pos, "more than %u keys", (guint) WSIM_OBJECT_PATH_MAX_KEYS);
        }
      /* A set of the names seen, folded to lower case: linear in the number of keys
       * where comparing each name with every earlier one was quadratic (issue 16). */
      if (!g_hash_table_add (seen, g_ascii_strdown (name, -1)))
        {
          g_free (name);
          return fail_at (p, name_pos, "duplicate key property");
        }
      k = g_new0 (Key, 1);
      k->name = name;
      g_ptr_array_add (path->keys, k);
      if (p->text[p->i] != '=')
        return fail_at (p, p->i, "expected '='");
      p->i++;
      if (!parse_value (p, k))
        return FALSE;
      if (p->text[p->i] == '\0')
        return TRUE;
      if (p->text[p->i] != ',')
        return fail_at (p, p->i, "expected ',' or end of path");
      p->i++;
    }
}

WsimObjectPath *
wsim_object_path_parse (const char *text, GError **error)
{
  g_autoptr (WsimObjectPath) path = NULL;
  Parser p = { text, 0, error };
  const char *bad = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strnlen (text, WSIM_OBJECT_PATH_MAX_LENGTH + 1) > WSIM_OBJECT_PATH_MAX_LENGTH)
    {
      fail_at (&p, WSIM_OBJECT_PATH_MAX_LENGTH, "longer than %u bytes",
               (guint) WSIM_OBJECT_PATH_MAX_LENGTH);
      return NULL;
    }
  if (!g_utf8_validate (text, -1, &bad))
    {
      fail_at (&p, (gsize) (bad - text), "invalid UTF-8");
      return NULL;
    }
  path = g_new0 (WsimObjectPath, 1);
  path->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);

  if (!parse_prefix (&p, path))
    return NULL;
  if ((path->class_name = take_name (&p)) == NULL)
    {
      fail_at (&p, p.i, "expected class name");
      return NULL;
    }
  switch (text[p.i])
    {
    case '\0':
      break;
    case '.':
      p.i++;
      if (!parse_keys (&p, path))
        return NULL;
      break;
    case '=':
      p.i++;
      if (text[p.i] != '@')
        {
          fail_at (&p, p.i, "expected '@' (a singleton)");
          return NULL;
        }
      p.i++;
      path->singleton = TRUE;
      if (text[p.i] != '\0')
        {
          fail_at (&p, p.i, "expected end of path");
          return NULL;
        }
      break;
    default:
      fail_at (&p, p.i, "expected '.', '=@' or end of path");
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* ---------------------------------------------------------------- accessors */

const char *
wsim_object_path_get_server (const WsimObjectPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return path->server;
}

gboolean
wsim_object_path_server_is_local (const char *server)
{
  return server == NULL || g_str_equal (server, ".")
         || g_ascii_strcasecmp (server, "localhost") == 0
         || g_ascii_strcasecmp (server, g_get_host_name ()) == 0;
}

const char *
wsim_object_path_get_namespace (const WsimObjectPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return path->namespace_;
}

const char *
wsim_object_path_get_class (const WsimObjectPath *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return path->class_name;
}

gboolean
wsim_object_path_is_singleton (const WsimObjectPath *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return path->singleton;
}

gboolean
wsim_object_path_is_class (const WsimObjectPath *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return !path->singleton && path->keys->len == 0;
}

guint
wsim_object_path_get_n_keys (const WsimObjectPath *path)
{
  g_return_val_if_fail (path != NULL, 0);
  return path->keys->len;
}

static const Key *
key_at (const WsimObjectPath *path, guint i)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (i < path->keys->len, NULL);
  return g_ptr_array_index (path->keys, i);
}

const char *
wsim_object_path_get_key_name (const WsimObjectPath *path, guint i)
{
  const Key *k = key_at (path, i);

  return k != NULL ? k->name : NULL;
}

const char *
wsim_object_path_get_key_text (const WsimObjectPath *path, guint i)
{
  const Key *k = key_at (path, i);

  return k != NULL ? k->text : NULL;
}

const wsim_value *
wsim_object_path_get_key_value (const WsimObjectPath *path, guint i)
{
  const Key *k = key_at (path, i);

  return k != NULL ? &k->value : NULL;
}

const wsim_value *
wsim_object_path_lookup_key (const WsimObjectPath *path, const char *name)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < path->keys->len; i++)
    {
      const Key *k = g_ptr_array_index (path->keys, i);

      if (g_ascii_strcasecmp (k->name, name) == 0)
        return &k->value;
    }
  return NULL;
}

/* ---------------------------------------------------------------- printing */

static gint
key_order (gconstpointer a, gconstpointer b)
{
  const Key *ka = *(const Key *const *) a;
  const Key *kb = *(const Key *const *) b;

  return g_ascii_strcasecmp (ka->name, kb->name);
}

static void
append_relpath (GString *out, const WsimObjectPath *path)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

  g_string_append (out, path->class_name);
  if (path->singleton)
    {
      g_string_append (out, "=@");
      return;
    }
  for (guint i = 0; i < path->keys->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (path->keys, i));
  g_ptr_array_sort (sorted, key_order);
  for (guint i = 0; i < sorted->len; i++)
    {
      const Key *k = g_ptr_array_index (sorted, i);

      g_string_append_c (out, i == 0 ? '.' : ',');
      g_string_append (out, k->name);
      g_string_append_c (out, '=');
      if (k->value.type == CIM_STRING)
        {
          g_string_append_c (out, '"');
          for (const char *c = k->text; *c != '\0'; c++)
            {
              if (*c == '"' || *c == '\\')
                g_string_append_c (out, '\\');
              g_string_append_c (out, *c);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, k->text);
    }
}

char *
wsim_object_path_to_relpath (const WsimObjectPath *path)
{
  GString *out;

  g_return_val_if_fail (path != NULL, NULL);
  out = g_string_new (NULL);
  append_relpath (out, path);
  return g_string_free (out, FALSE);
}

char *
wsim_object_path_to_string (const WsimObjectPath *path)
{
  GString *out;

  g_return_val_if_fail (path != NULL, NULL);
  out = g_string_new (NULL);
  if (path->server != NULL)
    g_string_append_printf (out, "\\\\%s\\", path->server);
  if (path->namespace_ != NULL)
    g_string_append_printf (out, "%s:", path->namespace_);
  append_relpath (out, path);
  return g_string_free (out, FALSE);
}
