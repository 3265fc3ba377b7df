/* wsim-mof.c: a hand-written lexer and recursive-descent parser for the MOF subset of
 * docs/mof.md, building classes and instances with the object model (see wsim-mof.h). */
#include "wsim-mof.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wsim-hresult.h"
#include "wsim-value.h"
#include "wsim_cim.h"

/* ---- tokens ----------------------------------------------------------------------- */

typedef enum {
  TOK_EOF, TOK_IDENT, TOK_STRING, TOK_CHAR, TOK_INT, TOK_REAL, TOK_PUNCT, TOK_PRAGMA,
} TokKind;

typedef struct {
  TokKind kind;
  gsize   offset;      /* where it starts, for messages */
  char   *text;        /* (owned) identifier, decoded string, or the punctuation char */
  guint64 uval;        /* TOK_INT magnitude, TOK_CHAR code */
  double  dval;        /* TOK_REAL */
} Token;

typedef struct {
  const char    *text;
  const char    *file;
  gsize          pos;
  Token          tok;       /* the current token */
  GError        *error;     /* first error */
  WsimMofResult *result;
  WsimMofNamespace *ns;     /* (unowned) current namespace, NULL until first use */
  char          *ns_name;   /* (owned) */
  WsimMofClassLookup lookup;
  gpointer       lookup_data;
} Parser;

/* A literal value before it meets a type. */
typedef enum { LIT_NULL, LIT_INT, LIT_REAL, LIT_STRING, LIT_CHAR, LIT_BOOL, LIT_ARRAY } LitKind;

typedef struct _Lit Lit;
struct _Lit {
  LitKind    kind;
  gsize      offset;
  gboolean   negative;   /* LIT_INT */
  guint64    mag;        /* LIT_INT magnitude, LIT_CHAR code, LIT_BOOL 0/1 */
  double     d;          /* LIT_REAL */
  char      *s;          /* (owned) LIT_STRING */
  GPtrArray *elems;      /* (owned) Lit*, LIT_ARRAY */
};

static void
lit_free (gpointer p)
{
  Lit *l = p;

  if (l == NULL)
    return;
  g_free (l->s);
  if (l->elems != NULL)
    g_ptr_array_unref (l->elems);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lit, lit_free)

/* ---- errors ----------------------------------------------------------------------- */

static void G_GNUC_PRINTF (4, 5)
fail_at (Parser *p, gsize offset, WsimHResult hr, const char *format, ...)
{
  guint line = 1;
  gsize line_start = 0;
  va_list ap;
  g_autofree char *msg = NULL;

  if (p->error != NULL)
    return;
  for (gsize i = 0; i < offset && p->text[i] != '\0'; i++)
    if (p->text[i] == '\n')
      {
        line++;
        line_start = i + 1;
      }
  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  wsim_set_error_hresult (&p->error, hr, "%s:%u:%ld: %s", p->file, line,
                          wsim_text_position (p->text + line_start, offset - line_start), msg);
}

static const char *
tok_describe (const Token *t)
{
  switch (t->kind)
    {
    case TOK_EOF: return "end of file";
    case TOK_STRING: return "a string";
    case TOK_CHAR: return "a character";
    case TOK_INT: return "a number";
    case TOK_REAL: return "a number";
    case TOK_PRAGMA: return "#pragma";
    case TOK_IDENT: case TOK_PUNCT: default: return t->text;
    }
}

/* ---- lexer ------------------------------------------------------------------------ */

static gboolean
skip_space (Parser *p)
{
  const char *t = p->text;

  for (;;)
    {
      if (g_ascii_isspace (t[p->pos]))
        p->pos++;
      else if (t[p->pos] == '/' && t[p->pos + 1] == '/')
        {
          while (t[p->pos] != '\0' && t[p->pos] != '\n')
            p->pos++;
        }
      else if (t[p->pos] == '/' && t[p->pos + 1] == '*')
        {
          gsize start = p->pos;
          const char *end = strstr (t + p->pos + 2, "*/");

          if (end == NULL)
            {
              fail_at (p, start, WBEMMOF_E_UNRECOGNIZED_TOKEN, "comment not closed (expected */)");
              return FALSE;
            }
          p->pos = (gsize) (end - t) + 2;
        }
      else
        return TRUE;
    }
}

/* Reads one escape after the backslash at t[p->pos - 1]; appends the character. */
static gboolean
lex_escape (Parser *p, GString *out)
{
  const char *t = p->text;
  gsize at = p->pos - 1;
  char c = t[p->pos++];

  switch (c)
    {
    case 'b': g_string_append_c (out, '\b'); return TRUE;
    case 't': g_string_append_c (out, '\t'); return TRUE;
    case 'n': g_string_append_c (out, '\n'); return TRUE;
    case 'f': g_string_append_c (out, '\f'); return TRUE;
    case 'r': g_string_append_c (out, '\r'); return TRUE;
    case '"': case '\'': case '\\': g_string_append_c (out, c); return TRUE;
    case 'x': case 'X':
      {
        guint32 cp = 0;
        int n = 0;

        while (n < 4 && g_ascii_isxdigit (t[p->pos]))
          cp = cp * 16 + (guint32) g_ascii_xdigit_value (t[p->pos++]), n++;
        if (n == 0 || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
          break;
        g_string_append_unichar (out, cp);
        return TRUE;
      }
    default:
      break;
    }
  fail_at (p, at, WBEMMOF_E_UNRECOGNIZED_TOKEN,
           "bad escape (expected \\b \\t \\n \\f \\r \\\" \\' \\\\ or \\xHHHH)");
  return FALSE;
}

static gboolean
lex_quoted (Parser *p, char quote, GString *out)
{
  gsize start = p->pos;

  p->pos++;
  for (;;)
    {
      char c = p->text[p->pos];

      if (c == '\0' || c == '\n')
        {
          fail_at (p, start, WBEMMOF_E_UNRECOGNIZED_TOKEN, "%s not closed (expected %c)",
                   quote == '"' ? "string" : "character", quote);
          return FALSE;
        }
      p->pos++;
      if (c == quote)
        return TRUE;
      if (c == '\\')
        {
          if (!lex_escape (p, out))
            return FALSE;
        }
      else
        g_string_append_c (out, c);
    }
}

static gboolean
lex_number (Parser *p)
{
  const char *t = p->text;
  gsize start = p->pos;
  gboolean real = FALSE;
  char *end;

  if (t[p->pos] == '0' && (t[p->pos + 1] == 'x' || t[p->pos + 1] == 'X'))
    {
      p->pos += 2;
      while (g_ascii_isxdigit (t[p->pos]))
        p->pos++;
    }
  else
    {
      while (g_ascii_isdigit (t[p->pos]))
        p->pos++;
      if (t[p->pos] == '.' && g_ascii_isdigit (t[p->pos + 1]))
        {
          real = TRUE;
          p->pos++;
          while (g_ascii_isdigit (t[p->pos]))
            p->pos++;
        }
      if (t[p->pos] == 'e' || t[p->pos] == 'E')
        {
          gsize e = p->pos + 1;

          if (t[e] == '+' || t[e] == '-')
            e++;
          if (g_ascii_isdigit (t[e]))
            {
              real = TRUE;
              p->pos = e;
              while (g_ascii_isdigit (t[p->pos]))
                p->pos++;
            }
        }
    }
  if (g_ascii_isalnum (t[p->pos]) || t[p->pos] == '_')
    {
      fail_at (p, start, WBEMMOF_E_ILLEGAL_CONSTANT_VALUE, "malformed number");
      return FALSE;
    }
  p->tok.text = g_strndup (t + start, p->pos - start);
  errno = 0;
  if (real)
    {
      p->tok.kind = TOK_REAL;
      p->tok.dval = g_ascii_strtod (p->tok.text, &end);
    }
  else
    {
      p->tok.kind = TOK_INT;
      p->tok.uval = g_ascii_strtoull (p->tok.text, &end, 0);
      /* A leading 0 makes an octal number, as in DMTF MOF (and C). */
      if (p->tok.text[0] == '0' && g_ascii_isdigit (p->tok.text[1])
          && strspn (p->tok.text, "01234567") != strlen (p->tok.text))
        {
          fail_at (p, start, WBEMMOF_E_ILLEGAL_CONSTANT_VALUE,
                   "malformed octal number (a leading 0 makes the number octal)");
          return FALSE;
        }
      if (errno == ERANGE)
        {
          fail_at (p, start, WBEMMOF_E_OUT_OF_RANGE, "number out of range (at most 64 bits)");
          return FALSE;
        }
      if (p->tok.text[0] == '0' && (p->tok.text[1] == 'x' || p->tok.text[1] == 'X')
          && p->tok.text[2] == '\0')
        {
          fail_at (p, start, WBEMMOF_E_ILLEGAL_CONSTANT_VALUE, "expected hex digits after 0x");
          return FALSE;
        }
    }
  return TRUE;
}

/* Advances to the next token; FALSE (with p->error) on a lexical error. */
static gboolean
next (Parser *p)
{
  const char *t = p->text;
  char c;

  g_clear_pointer (&p->tok.text, g_free);
  p->tok.uval = 0;
  p->tok.dval = 0;
  if (p->error != NULL || !skip_space (p))
    {
      p->tok.kind = TOK_EOF;
      return FALSE;
    }
  p->tok.offset = p->pos;
  c = t[p->pos];
  if (c == '\0')
    {
      p->tok.kind = TOK_EOF;
      return TRUE;
    }
  if (g_ascii_isalpha (c) || c == '_')
    {
      gsize start = p->pos;

      while (g_ascii_isalnum (t[p->pos]) || t[p->pos] == '_')
        p->pos++;
      p->tok.kind = TOK_IDENT;
      p->tok.text = g_strndup (t + start, p->pos - start);
      return TRUE;
    }
  if (g_ascii_isdigit (c))
    return lex_number (p);
  if (c == '"')
    {
      GString *s = g_string_new (NULL);

      /* Adjacent strings are one string, as in C and MOF. */
      do
        {
          if (!lex_quoted (p, '"', s))
            {
              g_string_free (s, TRUE);
              p->tok.kind = TOK_EOF;
              return FALSE;
            }
          if (!skip_space (p))
            {
              g_string_free (s, TRUE);
              return FALSE;
            }
        }
      while (t[p->pos] == '"');
      p->tok.kind = TOK_STRING;
      p->tok.text = g_string_free (s, FALSE);
      return TRUE;
    }
  if (c == '\'')
    {
      g_autoptr (GString) s = g_string_new (NULL);
      const char *end;
      gunichar ch;

      if (!lex_quoted (p, '\'', s))
        return FALSE;
      ch = g_utf8_get_char_validated (s->str, s->len);
      end = s->len > 0 ? g_utf8_next_char (s->str) : s->str;
      if (s->len == 0 || ch > 0xFFFF || ch == (gunichar) -1 || ch == (gunichar) -2
          || end != s->str + s->len)
        {
          fail_at (p, p->tok.offset, WBEMMOF_E_ILLEGAL_CONSTANT_VALUE,
                   "a char16 literal holds one character");
          return FALSE;
        }
      p->tok.kind = TOK_CHAR;
      p->tok.uval = ch;
      p->tok.text = g_strdup ("'");
      return TRUE;
    }
  if (c == '#')
    {
      p->pos++;
      while (t[p->pos] == ' ' || t[p->pos] == '\t')
        p->pos++;
      if (strncmp (t + p->pos, "pragma", 6) != 0 || g_ascii_isalnum (t[p->pos + 6]))
        {
          fail_at (p, p->tok.offset, WBEMMOF_E_INVALID_PRAGMA, "expected #pragma");
          return FALSE;
        }
      p->pos += 6;
      p->tok.kind = TOK_PRAGMA;
      p->tok.text = g_strdup ("#pragma");
      return TRUE;
    }
  if (strchr ("{}[]();:,=-+$", c) != NULL)
    {
      p->pos++;
      p->tok.kind = TOK_PUNCT;
      p->tok.text = g_strndup (&c, 1);
      return TRUE;
    }
  fail_at (p, p->pos, WBEMMOF_E_UNRECOGNIZED_TOKEN, "unrecognized character '%c'",
           g_ascii_isprint (c) ? c : '?');
  p->tok.kind = TOK_EOF;
  return FALSE;
}

static gboolean
is_punct (Parser *p, char c)
{
  return p->tok.kind == TOK_PUNCT && p->tok.text[0] == c;
}

static gboolean
is_word (Parser *p, const char *word)
{
  return p->tok.kind == TOK_IDENT && g_ascii_strcasecmp (p->tok.text, word) == 0;
}

/* Consumes @c or fails with @hr saying what was expected. */
static gboolean
expect (Parser *p, char c, WsimHResult hr, const char *what)
{
  if (p->error != NULL)
    return FALSE;
  if (!is_punct (p, c))
    {
      fail_at (p, p->tok.offset, hr, "expected '%c' %s, found %s", c, what, tok_describe (&p->tok));
      return FALSE;
    }
  return next (p);
}

/* Takes the current identifier (transfer full) or fails with @hr. */
static char *
expect_ident (Parser *p, WsimHResult hr, const char *what)
{
  char *s;

  if (p->error != NULL)
    return NULL;
  if (p->tok.kind != TOK_IDENT)
    {
      fail_at (p, p->tok.offset, hr, "expected %s, found %s", what, tok_describe (&p->tok));
      return NULL;
    }
  s = g_strdup (p->tok.text);
  if (!next (p))
    {
      g_free (s);
      return NULL;
    }
  return s;
}

/* ---- literals --------------------------------------------------------------------- */

static Lit *
parse_literal (Parser *p, gboolean allow_array)
{
  g_autoptr (Lit) l = g_new0 (Lit, 1);
  gboolean negative = FALSE;

  l->offset = p->tok.offset;
  if (is_punct (p, '-') || is_punct (p, '+'))
    {
      negative = is_punct (p, '-');
      if (!next (p))
        return NULL;
      if (p->tok.kind != TOK_INT && p->tok.kind != TOK_REAL)
        {
          fail_at (p, p->tok.offset, WBEMMOF_E_ILLEGAL_CONSTANT_VALUE,
                   "expected a number after the sign, found %s", tok_describe (&p->tok));
          return NULL;
        }
    }
  switch (p->tok.kind)
    {
    case TOK_INT:
      l->kind = LIT_INT;
      l->mag = p->tok.uval;
      l->negative = negative && l->mag != 0;
      break;
    case TOK_REAL:
      l->kind = LIT_REAL;
      l->d = negative ? -p->tok.dval : p->tok.dval;
      break;
    case TOK_STRING:
      l->kind = LIT_STRING;
      l->s = g_strdup (p->tok.text);
      break;
    case TOK_CHAR:
      l->kind = LIT_CHAR;
      l->mag = p->tok.uval;
      break;
    case TOK_IDENT:
      if (is_word (p, "true") || is_word (p, "false"))
        {
          l->kind = LIT_BOOL;
          l->mag = is_word (p, "true");
        }
      else if (is_word (p, "null"))
        l->kind = LIT_NULL;
      else
        goto bad;
      break;
    case TOK_PUNCT:
      if (allow_array && is_punct (p, '{'))
        {
          l->kind = LIT_ARRAY;
          l->elems = g_ptr_array_new_with_free_func (lit_free);
          if (!next (p))
            return NULL;
          while (!is_punct (p, '}'))
            {
              Lit *e = parse_literal (p, FALSE);

              if (e == NULL)
                return NULL;
              g_ptr_array_add (l->elems, e);
              if (is_punct (p, ','))
                {
                  if (!next (p))
                    return NULL;
                }
              else if (!is_punct (p, '}'))
                {
                  fail_at (p, p->tok.offset, WBEMMOF_E_EXPECTED_CLOSE_BRACE,
                           "expected ',' or '}' in the array, found %s", tok_describe (&p->tok));
                  return NULL;
                }
            }
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
    bad:
      fail_at (p, p->tok.offset, WBEMMOF_E_ILLEGAL_CONSTANT_VALUE,
               "expected a value (string, number, character, TRUE, FALSE, NULL%s), found %s",
               allow_array ? " or {array}" : "", tok_describe (&p->tok));
      return NULL;
    }
  if (!next (p))
    return NULL;
  return g_steal_pointer (&l);
}

/* The range of each integer type, for range checks. */
static gboolean
int_range (guint32 t, gint64 *min, guint64 *max)
{
  switch (t)
    {
    case CIM_SINT8: *min = G_MININT8; *max = G_MAXINT8; return TRUE;
    case CIM_UINT8: *min = 0; *max = G_MAXUINT8; return TRUE;
    case CIM_SINT16: *min = G_MININT16; *max = G_MAXINT16; return TRUE;
    case CIM_UINT16: *min = 0; *max = G_MAXUINT16; return TRUE;
    case CIM_SINT32: *min = G_MININT32; *max = G_MAXINT32; return TRUE;
    case CIM_UINT32: *min = 0; *max = G_MAXUINT32; return TRUE;
    case CIM_SINT64: *min = G_MININT64; *max = G_MAXINT64; return TRUE;
    case CIM_UINT64: *min = 0; *max = G_MAXUINT64; return TRUE;
    default: return FALSE;
    }
}

/* A DMTF datetime (yyyymmddHHMMSS.mmmmmmsUUU, s '+' or '-') or interval
 * (ddddddddHHMMSS.mmmmmm:000); '*' may stand for any digit. */
static gboolean
is_dmtf_datetime (const char *s)
{
  if (strlen (s) != 25 || s[14] != '.')
    return FALSE;
  for (int i = 0; i < 25; i++)
    if (i != 14 && i != 21 && !g_ascii_isdigit (s[i]) && s[i] != '*')
      return FALSE;
  return s[21] == '+' || s[21] == '-' || (s[21] == ':' && strcmp (s + 22, "000") == 0);
}

/* Converts a scalar literal to a value of scalar type @t (no array flag). */
static gboolean
lit_to_scalar (Parser *p, const Lit *l, guint32 t, const char *ref_class, wsim_value *out)
{
  gint64 min;
  guint64 max;

  wsim_value_clear (out);
  if (l->kind == LIT_NULL)
    return TRUE;
  if (int_range (t, &min, &max))
    {
      if (l->kind != LIT_INT)
        goto mismatch;
      if (l->negative ? (l->mag > (guint64) G_MAXINT64 + 1
                         || -(gint64) (l->mag - 1) - 1 < min)
                      : l->mag > max)
        {
          fail_at (p, l->offset, WBEMMOF_E_OUT_OF_RANGE, "value out of range for %s",
                   wsim_cimtype_name (t));
          return FALSE;
        }
      {
        /* In range: a signed type's value fits gint64 (the magnitude of G_MININT64 too). */
        gint64 sv = l->negative ? -(gint64) (l->mag - 1) - 1 : (gint64) l->mag;

        out->type = t;
        switch (t)
          {
          case CIM_SINT8: out->wsim_value_u.v_sint8 = (int) sv; break;
          case CIM_UINT8: out->wsim_value_u.v_uint8 = (guint) l->mag; break;
          case CIM_SINT16: out->wsim_value_u.v_sint16 = (int) sv; break;
          case CIM_UINT16: out->wsim_value_u.v_uint16 = (guint) l->mag; break;
          case CIM_SINT32: out->wsim_value_u.v_sint32 = (int) sv; break;
          case CIM_UINT32: out->wsim_value_u.v_uint32 = (guint) l->mag; break;
          case CIM_SINT64: out->wsim_value_u.v_sint64 = sv; break;
          default: out->wsim_value_u.v_uint64 = l->mag; break;
          }
      }
      return TRUE;
    }
  switch (t)
    {
    case CIM_REAL32:
    case CIM_REAL64:
      {
        double d;

        if (l->kind == LIT_REAL)
          d = l->d;
        else if (l->kind == LIT_INT)
          d = l->negative ? -(double) l->mag : (double) l->mag;
        else
          goto mismatch;
        if (t == CIM_REAL32 && isfinite (d) && fabs (d) > G_MAXFLOAT)
          {
            fail_at (p, l->offset, WBEMMOF_E_OUT_OF_RANGE, "value out of range for real32");
            return FALSE;
          }
        out->type = t;
        if (t == CIM_REAL32)
          out->wsim_value_u.v_real32 = (float) d;
        else
          out->wsim_value_u.v_real64 = d;
        return TRUE;
      }
    case CIM_BOOLEAN:
      if (l->kind != LIT_BOOL)
        goto mismatch;
      wsim_value_set_boolean (out, l->mag != 0);
      return TRUE;
    case CIM_STRING:
      if (l->kind != LIT_STRING)
        goto mismatch;
      wsim_value_set_string (out, l->s);
      return TRUE;
    case CIM_DATETIME:
      if (l->kind != LIT_STRING)
        goto mismatch;
      if (!is_dmtf_datetime (l->s))
        {
          fail_at (p, l->offset, WBEMMOF_E_TYPE_MISMATCH,
                   "expected a DMTF datetime (yyyymmddHHMMSS.mmmmmmsUUU), found \"%s\"", l->s);
          return FALSE;
        }
      wsim_value_set_datetime (out, l->s);
      return TRUE;
    case CIM_REFERENCE:
      if (l->kind != LIT_STRING)
        goto mismatch;
      wsim_value_set_reference (out, l->s);
      return TRUE;
    case CIM_CHAR16:
      if (l->kind != LIT_CHAR && l->kind != LIT_INT)
        goto mismatch;
      if (l->kind == LIT_INT && (l->negative || l->mag > G_MAXUINT16))
        {
          fail_at (p, l->offset, WBEMMOF_E_OUT_OF_RANGE, "value out of range for char16");
          return FALSE;
        }
      out->type = CIM_CHAR16;
      out->wsim_value_u.v_char16 = (guint) l->mag;
      return TRUE;
    default:
      break;
    }
mismatch:
  {
    static const char *const kinds[] = { "NULL", "an integer", "a real", "a string",
                                         "a character", "a boolean", "an array" };

    fail_at (p, l->offset, WBEMMOF_E_TYPE_MISMATCH, "expected a value of type %s%s, found %s",
             t == CIM_REFERENCE && ref_class != NULL ? ref_class : "",
             t == CIM_REFERENCE && ref_class != NULL ? " ref (an object path string)"
                                                     : wsim_cimtype_name (t),
             kinds[l->kind]);
  }
  return FALSE;
}

/* Stores scalar @v (of type @t) as element @i of the array @arr (of type @t | array). */
static void
array_store (wsim_value *arr, guint i, const wsim_value *v)
{
#define STORE(field, member) arr->wsim_value_u.field.field##_val[i] = v->wsim_value_u.member
  switch (arr->type & ~(guint32) CIM_FLAG_ARRAY)
    {
    case CIM_SINT8: STORE (a_sint8, v_sint8); break;
    case CIM_UINT8: STORE (a_uint8, v_uint8); break;
    case CIM_SINT16: STORE (a_sint16, v_sint16); break;
    case CIM_UINT16: STORE (a_uint16, v_uint16); break;
    case CIM_SINT32: STORE (a_sint32, v_sint32); break;
    case CIM_UINT32: STORE (a_uint32, v_uint32); break;
    case CIM_SINT64: STORE (a_sint64, v_sint64); break;
    case CIM_UINT64: STORE (a_uint64, v_uint64); break;
    case CIM_REAL32: STORE (a_real32, v_real32); break;
    case CIM_REAL64: STORE (a_real64, v_real64); break;
    case CIM_BOOLEAN: STORE (a_boolean, v_boolean); break;
    case CIM_CHAR16: STORE (a_char16, v_char16); break;
    case CIM_STRING:
      arr->wsim_value_u.a_string.a_string_val[i] = g_strdup (v->wsim_value_u.v_string);
      break;
    case CIM_DATETIME:
      arr->wsim_value_u.a_datetime.a_datetime_val[i] = g_strdup (v->wsim_value_u.v_datetime);
      break;
    case CIM_REFERENCE:
      arr->wsim_value_u.a_reference.a_reference_val[i] = g_strdup (v->wsim_value_u.v_reference);
      break;
    default:
      g_assert_not_reached ();
    }
#undef STORE
}

/* Allocates an array value of type @t (with the array flag) of @n zeroed elements. */
static void
array_alloc (wsim_value *arr, guint32 t, guint n)
{
#define ALLOC(field, ctype)                                                  \
  arr->wsim_value_u.field.field##_len = n;                                   \
  arr->wsim_value_u.field.field##_val = g_new0 (ctype, MAX (n, 1))
  wsim_value_clear (arr);
  arr->type = t;
  switch (t & ~(guint32) CIM_FLAG_ARRAY)
    {
    case CIM_SINT8: ALLOC (a_sint8, int); break;
    case CIM_UINT8: ALLOC (a_uint8, u_int); break;
    case CIM_SINT16: ALLOC (a_sint16, int); break;
    case CIM_UINT16: ALLOC (a_uint16, u_int); break;
    case CIM_SINT32: ALLOC (a_sint32, int); break;
    case CIM_UINT32: ALLOC (a_uint32, u_int); break;
    case CIM_SINT64: ALLOC (a_sint64, int64_t); break;
    case CIM_UINT64: ALLOC (a_uint64, uint64_t); break;
    case CIM_REAL32: ALLOC (a_real32, float); break;
    case CIM_REAL64: ALLOC (a_real64, double); break;
    case CIM_BOOLEAN: ALLOC (a_boolean, bool_t); break;
    case CIM_CHAR16: ALLOC (a_char16, u_int); break;
    case CIM_STRING: ALLOC (a_string, char *); break;
    case CIM_DATETIME: ALLOC (a_datetime, char *); break;
    case CIM_REFERENCE: ALLOC (a_reference, char *); break;
    default: g_assert_not_reached ();
    }
#undef ALLOC
}

/* Converts @l to a value of declared type @t (arrays included), checking the type. */
static gboolean
lit_to_value (Parser *p, const Lit *l, guint32 t, const char *ref_class, wsim_value *out)
{
  guint32 scalar = t & ~(guint32) CIM_FLAG_ARRAY;

  wsim_value_clear (out);
  if (l->kind == LIT_NULL)
    return TRUE;
  if ((t & CIM_FLAG_ARRAY) == 0)
    {
      if (l->kind == LIT_ARRAY)
        {
          fail_at (p, l->offset, WBEMMOF_E_TYPE_MISMATCH,
                   "expected a value of type %s, found an array", wsim_cimtype_name (t));
          return FALSE;
        }
      return lit_to_scalar (p, l, t, ref_class, out);
    }
  if (l->kind != LIT_ARRAY)
    {
      fail_at (p, l->offset, WBEMMOF_E_TYPE_MISMATCH,
               "expected an array {…} of %s for a %s property", wsim_cimtype_name (scalar),
               wsim_cimtype_name (t));
      return FALSE;
    }
  if (l->elems->len > WSIM_MAX_ARRAY)
    {
      fail_at (p, l->offset, WBEMMOF_E_OUT_OF_RANGE, "array of more than %u elements",
               (guint) WSIM_MAX_ARRAY);
      return FALSE;
    }
  array_alloc (out, t, l->elems->len);
  for (guint i = 0; i < l->elems->len; i++)
    {
      const Lit *e = g_ptr_array_index (l->elems, i);
      wsim_value v = { 0 };

      if (e->kind == LIT_NULL)
        {
          fail_at (p, e->offset, WBEMMOF_E_TYPE_MISMATCH, "an array element may not be NULL");
          wsim_value_clear (out);
          return FALSE;
        }
      if (!lit_to_scalar (p, e, scalar, ref_class, &v))
        {
          wsim_value_clear (out);
          return FALSE;
        }
      array_store (out, i, &v);
      wsim_value_clear (&v);
    }
  return TRUE;
}

/* The type a qualifier value takes from its literal (qualifier types are not declared in
 * this subset): strings, sint32 (sint64 or uint64 if too large), real64, boolean, and arrays
 * of those after their first element. */
static guint32
lit_natural_type (const Lit *l)
{
  switch (l->kind)
    {
    case LIT_INT:
      if (l->negative)
        return l->mag <= (guint64) G_MAXINT32 + 1 ? CIM_SINT32 : CIM_SINT64;
      return l->mag <= G_MAXINT32 ? CIM_SINT32 : l->mag <= G_MAXINT64 ? CIM_SINT64 : CIM_UINT64;
    case LIT_REAL: return CIM_REAL64;
    case LIT_STRING: return CIM_STRING;
    case LIT_CHAR: return CIM_CHAR16;
    case LIT_BOOL: return CIM_BOOLEAN;
    case LIT_ARRAY:
      {
        guint32 t = CIM_STRING;

        for (guint i = 0; i < l->elems->len; i++)
          {
            guint32 e = lit_natural_type (g_ptr_array_index (l->elems, i));

            if (i == 0 || e == CIM_REAL64 || (e == CIM_SINT64 && t == CIM_SINT32))
              t = e;
          }
        return t | CIM_FLAG_ARRAY;
      }
    case LIT_NULL:
    default:
      return CIM_EMPTY;
    }
}

/* ---- qualifiers ------------------------------------------------------------------- */

static void
qualifier_free (gpointer q_)
{
  WsimMofQualifier *q = q_;

  g_free (q->name);
  wsim_value_clear (&q->value);
  g_free (q);
}

static GPtrArray *
qualifiers_new (void)
{
  return g_ptr_array_new_with_free_func (qualifier_free);
}

static const WsimMofQualifier *
qualifiers_find (GPtrArray *qs, const char *name)
{
  for (guint i = 0; qs != NULL && i < qs->len; i++)
    {
      const WsimMofQualifier *q = g_ptr_array_index (qs, i);

      if (g_ascii_strcasecmp (q->name, name) == 0)
        return q;
    }
  return NULL;
}

/* A flag qualifier is set when present and not FALSE. */
static gboolean
qualifiers_flag (GPtrArray *qs, const char *name)
{
  const WsimMofQualifier *q = qualifiers_find (qs, name);

  return q != NULL && !(q->value.type == CIM_BOOLEAN && !q->value.wsim_value_u.v_boolean);
}

/* [name, name(value), name{a, b}, name: flavor flavor, ...]; none at all gives an empty list. */
static GPtrArray *
parse_qualifiers (Parser *p)
{
  g_autoptr (GPtrArray) qs = qualifiers_new ();

  if (!is_punct (p, '['))
    return g_steal_pointer (&qs);
  if (!next (p))
    return NULL;
  for (;;)
    {
      gsize at = p->tok.offset;
      g_autofree char *name = expect_ident (p, WBEMMOF_E_EXPECTED_QUALIFIER_NAME,
                                            "a qualifier name");
      WsimMofQualifier *q;
      g_autoptr (Lit) l = NULL;

      if (name == NULL)
        return NULL;
      if (qualifiers_find (qs, name) != NULL)
        {
          fail_at (p, at, WBEMMOF_E_DUPLICATE_QUALIFIER, "qualifier %s given twice", name);
          return NULL;
        }
      if (is_punct (p, '('))
        {
          if (!next (p) || (l = parse_literal (p, FALSE)) == NULL
              || !expect (p, ')', WBEMMOF_E_EXPECTED_CLOSE_PAREN, "after the qualifier's value"))
            return NULL;
        }
      else if (is_punct (p, '{'))
        {
          if ((l = parse_literal (p, TRUE)) == NULL)
            return NULL;
        }
      q = g_new0 (WsimMofQualifier, 1);
      q->name = g_steal_pointer (&name);
      g_ptr_array_add (qs, q);
      if (l == NULL)
        wsim_value_set_boolean (&q->value, TRUE);
      else if (!lit_to_value (p, l, lit_natural_type (l), NULL, &q->value))
        return NULL;
      /* Flavors (ToSubclass, DisableOverride, Amended, ...) say how a qualifier propagates;
       * they become WBEM_FLAVOR_* bits (wsim_mof_flavor_apply), EnableOverride and
       * ToSubclass being MOF's default. */
      q->flavor = WSIM_MOF_DEFAULT_FLAVOR;
      if (is_punct (p, ':'))
        {
          if (!next (p))
            return NULL;
          do
            {
              g_autofree char *flavor = expect_ident (p, WBEMMOF_E_EXPECTED_QUALIFIER_NAME,
                                                      "a qualifier flavor");
              if (flavor == NULL)
                return NULL;
              /* An unknown word is read and dropped, as before flavors were kept (the
               * table has no WBEMMOF_E_* code for it yet). */
              wsim_mof_flavor_apply (flavor, &q->flavor);
            }
          while (p->tok.kind == TOK_IDENT);
        }
      if (is_punct (p, ']'))
        break;
      if (!expect (p, ',', WBEMMOF_E_EXPECTED_CLOSE_BRACKET, "or ']' after a qualifier"))
        return NULL;
    }
  if (!next (p))
    return NULL;
  return g_steal_pointer (&qs);
}

/* ---- namespaces ------------------------------------------------------------------- */

static void
namespace_free (gpointer p)
{
  WsimMofNamespace *ns = p;

  g_free (ns->name);
  g_ptr_array_unref (ns->classes);
  g_ptr_array_unref (ns->instances);
  g_free (ns);
}

static void mof_class_free (gpointer p);

static WsimMofNamespace *
result_namespace (WsimMofResult *r, const char *name)
{
  WsimMofNamespace *ns;

  for (guint i = 0; i < r->namespaces->len; i++)
    {
      ns = g_ptr_array_index (r->namespaces, i);
      if (g_ascii_strcasecmp (ns->name, name) == 0)
        return ns;
    }
  ns = g_new0 (WsimMofNamespace, 1);
  ns->name = g_strdup (name);
  ns->classes = g_ptr_array_new_with_free_func (mof_class_free);
  ns->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
  g_ptr_array_add (r->namespaces, ns);
  return ns;
}

static WsimMofNamespace *
current_ns (Parser *p)
{
  if (p->ns == NULL)
    p->ns = result_namespace (p->result, p->ns_name);
  return p->ns;
}

/* #pragma namespace ("\\\\.\\root\\test") or ("root\\test"); other pragmas are refused. */
static gboolean
parse_pragma (Parser *p)
{
  gsize at;
  g_autofree char *path = NULL;
  g_auto (GStrv) parts = NULL;
  const char *rest;

  if (!next (p))
    return FALSE;
  if (!is_word (p, "namespace"))
    {
      fail_at (p, p->tok.offset, WBEMMOF_E_INVALID_PRAGMA,
               "expected namespace after #pragma (the only pragma this compiler knows), found %s",
               tok_describe (&p->tok));
      return FALSE;
    }
  if (!next (p) || !expect (p, '(', WBEMMOF_E_EXPECTED_OPEN_PAREN, "after #pragma namespace"))
    return FALSE;
  at = p->tok.offset;
  if (p->tok.kind != TOK_STRING)
    {
      fail_at (p, at, WBEMMOF_E_INVALID_NAMESPACE_SYNTAX, "expected the namespace as a string, found %s",
               tok_describe (&p->tok));
      return FALSE;
    }
  path = g_strdup (p->tok.text);
  if (!next (p) || !expect (p, ')', WBEMMOF_E_EXPECTED_CLOSE_PAREN, "after the namespace"))
    return FALSE;
  g_strdelimit (path, "/", '\\');
  rest = path;
  if (g_str_has_prefix (rest, "\\\\"))
    {
      /* \\server\root\x: the server is this one whatever it is called. */
      rest = strchr (rest + 2, '\\');
      rest = rest != NULL ? rest + 1 : "";
    }
  parts = g_strsplit (rest, "\\", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0')
      {
        fail_at (p, at, WBEMMOF_E_INVALID_NAMESPACE_SYNTAX,
                 "expected a namespace such as \"\\\\\\\\.\\\\root\\\\test\" or \"root\\\\test\", "
                 "found \"%s\" (an empty element)", path);
        return FALSE;
      }
  /* A path beginning with root names the namespace from the top; any other is relative to
   * the current namespace, as mofcomp reads it. */
  if (g_ascii_strncasecmp (rest, "root", 4) == 0 && (rest[4] == '\0' || rest[4] == '\\'))
    {
      g_free (p->ns_name);
      p->ns_name = g_strdup (rest);
    }
  else
    {
      g_autofree char *old = p->ns_name;

      p->ns_name = g_strconcat (old, "\\", rest, NULL);
    }
  if (g_ascii_strncasecmp (p->ns_name, "root", 4) == 0)
    memcpy (p->ns_name, "root", 4);
  p->ns = NULL;
  return TRUE;
}

/* ---- classes ---------------------------------------------------------------------- */

static void
mof_property_free (gpointer p)
{
  WsimMofProperty *prop = p;

  g_free (prop->name);
  g_free (prop->ref_class);
  g_ptr_array_unref (prop->qualifiers);
  wsim_value_clear (&prop->default_value);
  g_free (prop);
}

static void
mof_param_free (gpointer p)
{
  WsimMofParam *prm = p;

  g_free (prm->name);
  g_free (prm->ref_class);
  g_ptr_array_unref (prm->qualifiers);
  g_free (prm);
}

static void
mof_method_free (gpointer p)
{
  WsimMofMethod *m = p;

  g_free (m->name);
  g_ptr_array_unref (m->params);
  g_ptr_array_unref (m->qualifiers);
  g_free (m);
}

static void
mof_class_free (gpointer p)
{
  WsimMofClass *c = p;

  wsim_class_unref (c->cls);
  g_ptr_array_unref (c->qualifiers);
  g_ptr_array_unref (c->properties);
  g_ptr_array_unref (c->methods);
  g_free (c);
}

static WsimMofClass *
ns_find_class (WsimMofNamespace *ns, const char *name)
{
  for (guint i = 0; ns != NULL && i < ns->classes->len; i++)
    {
      WsimMofClass *c = g_ptr_array_index (ns->classes, i);

      if (g_ascii_strcasecmp (wsim_class_get_name (c->cls), name) == 0)
        return c;
    }
  return NULL;
}

/* Reads a type: a CIM type name, `Class ref`, `object` or the name of a class declared
 * before (an embedded object, weakly or strongly typed: Microsoft's "OBJECT" and "Embedded
 * Objects" MOF pages), or (for a method's return) void. Sets *@cimtype (CIM_EMPTY for void)
 * and *@ref_class (the class of a reference or of a strongly typed embedded object). */
static gboolean
parse_type (Parser *p, gboolean allow_void, guint32 *cimtype, char **ref_class)
{
  gsize at = p->tok.offset;
  g_autofree char *name = expect_ident (p, WBEMMOF_E_EXPECTED_TYPE_IDENTIFIER, "a type");

  *ref_class = NULL;
  if (name == NULL)
    return FALSE;
  if (is_word (p, "ref"))
    {
      *cimtype = CIM_REFERENCE;
      *ref_class = g_steal_pointer (&name);
      return next (p);
    }
  if (allow_void && g_ascii_strcasecmp (name, "void") == 0)
    {
      *cimtype = CIM_EMPTY;
      return TRUE;
    }
  if (strchr (name, '[') == NULL && g_ascii_strcasecmp (name, "reference") != 0
      && g_ascii_strcasecmp (name, "empty") != 0 && wsim_cimtype_from_name (name, cimtype))
    return TRUE;
  if (ns_find_class (current_ns (p), name) != NULL)
    {
      *cimtype = CIM_OBJECT;
      *ref_class = g_steal_pointer (&name);
      return TRUE;
    }
  fail_at (p, at, WBEMMOF_E_UNRECOGNIZED_TYPE,
           "unknown type %s (expected sint8..uint64, real32, real64, boolean, string, datetime, "
           "char16, object, Class ref, or a class declared before for an embedded object)", name);
  return FALSE;
}

/* `[]` after a name makes the type an array ([N] is read and its bound not kept). */
static gboolean
parse_array_suffix (Parser *p, guint32 *cimtype)
{
  if (!is_punct (p, '['))
    return TRUE;
  if (!next (p))
    return FALSE;
  if (p->tok.kind == TOK_INT && !next (p))
    return FALSE;
  if (!expect (p, ']', WBEMMOF_E_EXPECTED_CLOSE_BRACKET, "after '[' of an array"))
    return FALSE;
  *cimtype |= CIM_FLAG_ARRAY;
  return TRUE;
}

static gboolean
parse_method_params (Parser *p, WsimMofMethod *m)
{
  if (!next (p))
    return FALSE;
  while (!is_punct (p, ')'))
    {
      WsimMofParam *prm = g_new0 (WsimMofParam, 1);
      gsize at;

      prm->qualifiers = parse_qualifiers (p);
      if (prm->qualifiers == NULL)
        prm->qualifiers = qualifiers_new ();
      g_ptr_array_add (m->params, prm);
      if (p->error != NULL || !parse_type (p, FALSE, &prm->cimtype, &prm->ref_class))
        return FALSE;
      at = p->tok.offset;
      prm->name = expect_ident (p, WBEMMOF_E_EXPECTED_PROPERTY_NAME, "a parameter name");
      if (prm->name == NULL || !parse_array_suffix (p, &prm->cimtype))
        return FALSE;
      for (guint i = 0; i + 1 < m->params->len; i++)
        if (g_ascii_strcasecmp (((WsimMofParam *) g_ptr_array_index (m->params, i))->name,
                                prm->name) == 0)
          {
            fail_at (p, at, WBEMMOF_E_DUPLICATE_PROPERTY, "parameter %s declared twice",
                     prm->name);
            return FALSE;
          }
      prm->in = qualifiers_flag (prm->qualifiers, "in");
      prm->out = qualifiers_flag (prm->qualifiers, "out");
      if (is_punct (p, ','))
        {
          if (!next (p))
            return FALSE;
        }
      else if (!is_punct (p, ')'))
        {
          fail_at (p, p->tok.offset, WBEMMOF_E_EXPECTED_CLOSE_PAREN,
                   "expected ',' or ')' after a parameter, found %s", tok_describe (&p->tok));
          return FALSE;
        }
    }
  return next (p);
}

/* One member: [qualifiers] type name[] [= value]; or [qualifiers] type Name(params); */
static gboolean
parse_member (Parser *p, const char *class_name, WsimClass *parent, GPtrArray *props,
              GPtrArray *methods)
{
  g_autoptr (GPtrArray) qs = parse_qualifiers (p);
  guint32 cimtype = 0;
  g_autofree char *ref_class = NULL;
  g_autofree char *name = NULL;
  gsize at;

  if (qs == NULL || !parse_type (p, TRUE, &cimtype, &ref_class))
    return FALSE;
  at = p->tok.offset;
  name = expect_ident (p, WBEMMOF_E_EXPECTED_PROPERTY_NAME, "a property or method name");
  if (name == NULL)
    return FALSE;
  if (is_punct (p, '('))
    {
      WsimMofMethod *m = g_new0 (WsimMofMethod, 1);

      m->name = g_steal_pointer (&name);
      m->return_type = cimtype;
      m->is_static = qualifiers_flag (qs, "static");
      m->qualifiers = g_steal_pointer (&qs);
      m->params = g_ptr_array_new_with_free_func (mof_param_free);
      g_ptr_array_add (methods, m);
      for (guint i = 0; i + 1 < methods->len; i++)
        if (g_ascii_strcasecmp (((WsimMofMethod *) g_ptr_array_index (methods, i))->name,
                                m->name) == 0)
          {
            fail_at (p, at, WBEMMOF_E_DUPLICATE_PROPERTY, "method %s declared twice in class %s",
                     m->name, class_name);
            return FALSE;
          }
      return parse_method_params (p, m)
             && expect (p, ';', WBEMMOF_E_EXPECTED_SEMI, "after the method declaration");
    }
  if (cimtype == CIM_EMPTY)
    {
      fail_at (p, at, WBEMMOF_E_UNRECOGNIZED_TYPE, "a property may not be void");
      return FALSE;
    }
  {
    WsimMofProperty *prop;

    if (!parse_array_suffix (p, &cimtype))
      return FALSE;
    for (guint i = 0; i < props->len; i++)
      if (g_ascii_strcasecmp (((WsimMofProperty *) g_ptr_array_index (props, i))->name, name) == 0)
        {
          fail_at (p, at, WBEMMOF_E_DUPLICATE_PROPERTY, "property %s declared twice in class %s",
                   name, class_name);
          return FALSE;
        }
    if (parent != NULL && wsim_class_find_prop (parent, name) >= 0)
      {
        /* Overriding an inherited property (to change a default or a qualifier) is
         * MOF; the class model flattens properties and cannot hold it twice. */
        fail_at (p, at, WBEMMOF_E_DUPLICATE_PROPERTY,
                 "property %s of class %s is inherited from %s (overrides are not supported)",
                 name, class_name, wsim_class_get_name (parent));
        return FALSE;
      }
    prop = g_new0 (WsimMofProperty, 1);
    prop->name = g_steal_pointer (&name);
    prop->cimtype = cimtype;
    prop->ref_class = g_steal_pointer (&ref_class);
    prop->qualifiers = g_steal_pointer (&qs);
    g_ptr_array_add (props, prop);
    if (is_punct (p, '='))
      {
        g_autoptr (Lit) l = NULL;

        if (!next (p) || (l = parse_literal (p, TRUE)) == NULL
            || !lit_to_value (p, l, cimtype, prop->ref_class, &prop->default_value))
          return FALSE;
        prop->has_default = l->kind != LIT_NULL;
      }
    return expect (p, ';', WBEMMOF_E_EXPECTED_SEMI, "after the property declaration");
  }
}

static gboolean
parse_class (Parser *p, GPtrArray *qs)
{
  gsize at;
  g_autofree char *name = NULL;
  WsimClass *parent = NULL;
  g_autoptr (GPtrArray) props = g_ptr_array_new_with_free_func (mof_property_free);
  g_autoptr (GPtrArray) methods = g_ptr_array_new_with_free_func (mof_method_free);
  g_autofree wsim_property_def *defs = NULL;
  WsimMofNamespace *ns = current_ns (p);
  WsimMofClass *c;
  GError *local = NULL;

  if (!next (p))
    return FALSE;
  at = p->tok.offset;
  name = expect_ident (p, WBEMMOF_E_EXPECTED_CLASS_NAME, "a class name");
  if (name == NULL)
    return FALSE;
  if (ns_find_class (ns, name) != NULL
      || (p->lookup != NULL && p->lookup (ns->name, name, p->lookup_data) != NULL))
    {
      fail_at (p, at, WBEMMOF_E_INVALID_CLASS_DECLARATION, "class %s is already declared in %s",
               name, ns->name);
      return FALSE;
    }
  if (is_punct (p, ':'))
    {
      gsize sat;
      g_autofree char *super = NULL;
      WsimMofClass *sc;

      if (!next (p))
        return FALSE;
      sat = p->tok.offset;
      super = expect_ident (p, WBEMMOF_E_EXPECTED_CLASS_NAME, "a superclass name after ':'");
      if (super == NULL)
        return FALSE;
      sc = ns_find_class (ns, super);
      parent = sc != NULL ? sc->cls
               : p->lookup != NULL ? p->lookup (ns->name, super, p->lookup_data) : NULL;
      if (parent == NULL)
        {
          fail_at (p, sat, WBEMMOF_E_INVALID_CLASS_DECLARATION,
                   "superclass %s of %s is not declared (in this file or namespace %s)",
                   super, name, ns->name);
          return FALSE;
        }
    }
  if (!expect (p, '{', WBEMMOF_E_EXPECTED_OPEN_BRACE, "to open the class body"))
    return FALSE;
  while (!is_punct (p, '}'))
    {
      if (p->tok.kind == TOK_EOF)
        {
          fail_at (p, p->tok.offset, WBEMMOF_E_EXPECTED_CLOSE_BRACE,
                   "expected '}' to close class %s, found end of file", name);
          return FALSE;
        }
      if (!parse_member (p, name, parent, props, methods))
        return FALSE;
    }
  if (!next (p) || !expect (p, ';', WBEMMOF_E_EXPECTED_SEMI, "after the class's '}'"))
    return FALSE;

  defs = g_new0 (wsim_property_def, MAX (props->len, 1));
  for (guint i = 0; i < props->len; i++)
    {
      WsimMofProperty *prop = g_ptr_array_index (props, i);

      defs[i].name = prop->name;
      defs[i].cimtype = prop->cimtype;
      defs[i].is_key = qualifiers_flag (prop->qualifiers, "key");
    }
  c = g_new0 (WsimMofClass, 1);
  c->cls = wsim_class_new (name, parent, defs, props->len, &local);
  if (c->cls == NULL)
    {
      fail_at (p, at, WBEMMOF_E_INVALID_CLASS_DECLARATION, "class %s: %s", name, local->message);
      g_error_free (local);
      g_free (c);
      return FALSE;
    }
  c->is_abstract = qualifiers_flag (qs, "abstract");
  c->qualifiers = g_ptr_array_ref (qs);
  c->properties = g_steal_pointer (&props);
  c->methods = g_steal_pointer (&methods);
  g_ptr_array_add (ns->classes, c);
  return TRUE;
}

/* ---- instances -------------------------------------------------------------------- */

/* Fills @obj's defaults from @c and its MOF ancestors: the nearest declaration wins, so the
 * walk goes up from @c and fills only what is still null. */
static void
apply_defaults (WsimMofNamespace *ns, WsimMofClass *c, WsimObject *obj)
{
  for (WsimClass *k = c->cls; k != NULL; k = wsim_class_get_parent (k))
    {
      WsimMofClass *mc = ns_find_class (ns, wsim_class_get_name (k));

      for (guint i = 0; mc != NULL && mc->cls == k && i < mc->properties->len; i++)
        {
          WsimMofProperty *prop = g_ptr_array_index (mc->properties, i);
          gint idx = wsim_class_find_prop (c->cls, prop->name);

          if (prop->has_default && idx >= 0
              && wsim_value_is_null (wsim_object_get_value (obj, (guint) idx)))
            wsim_value_copy (&prop->default_value, wsim_object_get_value (obj, (guint) idx));
        }
    }
}

static gboolean parse_instance_body (Parser *p, guint depth, WsimObject **out);

/* The value of an object property @def: an embedded `instance of Class { … }` of the
 * property's class (@ref_class, NULL for `object`) or a subclass, @depth objects around it. */
static gboolean
parse_embedded_value (Parser *p, const wsim_property_def *def, const char *ref_class, guint depth,
                      wsim_value *out)
{
  gsize at = p->tok.offset;
  g_autoptr (WsimObject) inner = NULL;

  if (depth >= WSIM_MAX_NESTING)
    {
      fail_at (p, at, WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
               "embedded instances nested deeper than %d", WSIM_MAX_NESTING);
      return FALSE;
    }
  if (!parse_instance_body (p, depth + 1, &inner))
    return FALSE;
  if (ref_class != NULL && !wsim_class_is_a (wsim_object_get_class (inner), ref_class))
    {
      fail_at (p, at, WBEMMOF_E_TYPE_MISMATCH,
               "property %s holds an instance of %s, not of %s or a subclass", def->name, wsim_class_get_name (wsim_object_get_class (inner)), ref_class);
      return FALSE;
    }
  wsim_value_set_object (out, inner);   /* within the bound: checked above */
  return TRUE;
}

/* `instance of Class { … }`, the current token being `instance`, through its '}': a
 * top-level instance when @depth is 0 (its keys must be set), else one embedded in a value
 * (an embedded object needs no key). */
static gboolean
parse_instance_body (Parser *p, guint depth, WsimObject **out)
{
  gsize at;
  g_autofree char *name = NULL;
  WsimMofNamespace *ns = current_ns (p);
  WsimMofClass *c;
  g_autoptr (WsimObject) obj = NULL;
  guint n;

  if (!next (p))
    return FALSE;
  if (!is_word (p, "of"))
    {
      fail_at (p, p->tok.offset, WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
               "expected 'of' after 'instance', found %s", tok_describe (&p->tok));
      return FALSE;
    }
  if (!next (p))
    return FALSE;
  at = p->tok.offset;
  name = expect_ident (p, WBEMMOF_E_EXPECTED_CLASS_NAME, "a class name after 'instance of'");
  if (name == NULL)
    return FALSE;
  c = ns_find_class (ns, name);
  if (c == NULL)
    {
      fail_at (p, at, WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
               "instance of %s, a class not declared in this file (namespace %s)", name, ns->name);
      return FALSE;
    }
  if (c->is_abstract)
    {
      fail_at (p, at, WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
               "instance of %s, an abstract class", name);
      return FALSE;
    }
  obj = wsim_object_new (c->cls);
  apply_defaults (ns, c, obj);
  if (!expect (p, '{', WBEMMOF_E_EXPECTED_OPEN_BRACE, "to open the instance body"))
    return FALSE;
  n = wsim_class_get_n_props (c->cls);
  {
    g_autofree gboolean *assigned = g_new0 (gboolean, MAX (n, 1));

    while (!is_punct (p, '}'))
      {
        gsize pat = p->tok.offset;
        g_autoptr (GPtrArray) qs = NULL;
        g_autofree char *pname = NULL;
        g_autoptr (Lit) l = NULL;
        const wsim_property_def *def;
        gint idx;

        if (p->tok.kind == TOK_EOF)
          {
            fail_at (p, pat, WBEMMOF_E_EXPECTED_CLOSE_BRACE,
                     "expected '}' to close the instance of %s, found end of file", name);
            return FALSE;
          }
        /* Qualifiers on an instance's properties are MOF but change nothing served here. */
        qs = parse_qualifiers (p);
        if (qs == NULL)
          return FALSE;
        pat = p->tok.offset;
        pname = expect_ident (p, WBEMMOF_E_EXPECTED_PROPERTY_NAME, "a property name");
        if (pname == NULL)
          return FALSE;
        idx = wsim_class_find_prop (c->cls, pname);
        if (idx < 0)
          {
            fail_at (p, pat, WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
                     "class %s has no property %s", name, pname);
            return FALSE;
          }
        if (assigned[idx])
          {
            fail_at (p, pat, WBEMMOF_E_DUPLICATE_PROPERTY, "property %s given twice", pname);
            return FALSE;
          }
        assigned[idx] = TRUE;
        def = wsim_class_get_prop (c->cls, (guint) idx);
        if (!expect (p, '=', WBEMMOF_E_INVALID_INSTANCE_DECLARATION, "after the property name"))
          return FALSE;
        {
          const char *ref_class = NULL;

          for (guint i = 0; i < c->properties->len; i++)
            {
              WsimMofProperty *prop = g_ptr_array_index (c->properties, i);

              if (g_ascii_strcasecmp (prop->name, def->name) == 0)
                ref_class = prop->ref_class;
            }
          if (def->cimtype == CIM_OBJECT && is_word (p, "instance"))
            {
              if (!parse_embedded_value (p, def, ref_class, depth,
                                         wsim_object_get_value (obj, (guint) idx)))
                return FALSE;
            }
          else if ((l = parse_literal (p, TRUE)) == NULL
                   || !lit_to_value (p, l, def->cimtype, ref_class,
                                     wsim_object_get_value (obj, (guint) idx)))
            return FALSE;
        }
        if (!expect (p, ';', WBEMMOF_E_EXPECTED_SEMI, "after the property's value"))
          return FALSE;
      }
  }
  if (!next (p))
    return FALSE;
  for (guint i = 0; i < n && depth == 0; i++)
    {
      const wsim_property_def *def = wsim_class_get_prop (c->cls, i);

      if (def->is_key && wsim_value_is_null (wsim_object_get_value (obj, i)))
        {
          fail_at (p, at, WBEMMOF_E_INVALID_INSTANCE_DECLARATION,
                   "instance of %s has no value for its key property %s", name, def->name);
          return FALSE;
        }
    }
  *out = g_steal_pointer (&obj);
  return TRUE;
}

static gboolean
parse_instance (Parser *p)
{
  WsimObject *obj = NULL;

  if (!parse_instance_body (p, 0, &obj))
    return FALSE;
  if (!expect (p, ';', WBEMMOF_E_EXPECTED_SEMI, "after the instance's '}'"))
    {
      wsim_object_unref (obj);
      return FALSE;
    }
  g_ptr_array_add (current_ns (p)->instances, obj);
  return TRUE;
}

/* ---- top level -------------------------------------------------------------------- */

static gboolean
parse_file (Parser *p)
{
  if (!next (p))
    return FALSE;
  while (p->tok.kind != TOK_EOF)
    {
      g_autoptr (GPtrArray) qs = NULL;

      if (p->tok.kind == TOK_PRAGMA)
        {
          if (!parse_pragma (p))
            return FALSE;
          continue;
        }
      qs = parse_qualifiers (p);
      if (qs == NULL)
        return FALSE;
      if (is_word (p, "class"))
        {
          if (!parse_class (p, qs))
            return FALSE;
        }
      else if (is_word (p, "instance"))
        {
          if (!parse_instance (p))
            return FALSE;
        }
      else
        {
          fail_at (p, p->tok.offset, WBEMMOF_E_UNRECOGNIZED_TOKEN,
                   "expected class, instance of, [qualifiers] or #pragma, found %s",
                   tok_describe (&p->tok));
          return FALSE;
        }
    }
  return p->error == NULL;
}

WsimMofResult *
wsim_mof_compile_string (const char *text, const char *file_name, WsimMofClassLookup lookup,
                         gpointer lookup_data, GError **error)
{
  Parser p = { 0 };
  gboolean ok;

  g_return_val_if_fail (text != NULL, NULL);
  p.text = text;
  p.file = file_name != NULL ? file_name : "<string>";
  p.lookup = lookup;
  p.lookup_data = lookup_data;
  p.ns_name = g_strdup ("root\\default"); /* mofcomp's namespace before any pragma */
  p.result = g_new0 (WsimMofResult, 1);
  p.result->namespaces = g_ptr_array_new_with_free_func (namespace_free);
  if (!g_utf8_validate (text, -1, NULL))
    fail_at (&p, 0, WBEMMOF_E_INVALID_FILE, "the file is not UTF-8");
  ok = p.error == NULL && parse_file (&p);
  g_free (p.tok.text);
  g_free (p.ns_name);
  if (!ok)
    {
      if (p.error == NULL)
        fail_at (&p, p.tok.offset, WBEMMOF_E_INVALID_FILE, "cannot parse");
      g_propagate_error (error, p.error);
      wsim_mof_result_free (p.result);
      return NULL;
    }
  return p.result;
}

WsimMofResult *
wsim_mof_compile_file (const char *path, WsimMofClassLookup lookup, gpointer lookup_data,
                       GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      wsim_set_error_hresult (error, WBEMMOF_E_INVALID_FILE, "%s:0:0: cannot read: %s", path,
                              local->message);
      return NULL;
    }
  return wsim_mof_compile_string (text, path, lookup, lookup_data, error);
}

void
wsim_mof_result_free (WsimMofResult *result)
{
  if (result == NULL)
    return;
  g_ptr_array_unref (result->namespaces);
  g_free (result);
}

WsimMofClass *
wsim_mof_result_find_class (WsimMofResult *result, const char *ns, const char *name)
{
  for (guint i = 0; i < result->namespaces->len; i++)
    {
      WsimMofNamespace *n = g_ptr_array_index (result->namespaces, i);

      if (g_ascii_strcasecmp (n->name, ns) == 0)
        return ns_find_class (n, name);
    }
  return NULL;
}
