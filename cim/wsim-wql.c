/* wsim-wql.c: the WQL lexer, a bounded recursive-descent parser, LIKE patterns and
 * three-valued evaluation (see the header for the language and the limits).
 *
 * Recursion: the parser descends once per parenthesis or NOT (bounded by
 * WSIM_WQL_MAX_NESTING), never per AND/OR operand; the tree it builds has the same
 * bound on its depth, so evaluating and freeing it recursively is safe too.
 */
#include "wsim-wql.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "wsim-object-path.h"
#include "wsim-value.h"

/* ---------------------------------------------------------------- tree */

typedef enum
{
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_GT,
  OP_LE,
  OP_GE,
} CmpOp;

typedef struct
{
  char      *prop;    /* (owned) property name, or NULL for a literal */
  wsim_value lit;     /* (owned) the literal when prop is NULL */
  gsize      pos;     /* byte offset in the query, for error messages */
} Operand;

/* One element of a compiled LIKE pattern. Each consumes exactly one character, except
 * PAT_ANY_SEQ (%), which consumes any number. */
typedef enum
{
  PAT_CHAR,     /* c, lower-cased */
  PAT_ANY_ONE,  /* _ */
  PAT_ANY_SEQ,  /* % */
  PAT_SET,      /* [..] / [^..]: ranges[first .. first+n_ranges) */
} PatKind;

typedef struct
{
  PatKind  kind;
  gboolean negated;    /* PAT_SET */
  gunichar c;          /* PAT_CHAR */
  guint    first;      /* PAT_SET */
  guint    n_ranges;   /* PAT_SET */
} PatElem;

typedef struct
{
  gunichar lo, hi;
} PatRange;

typedef struct
{
  GArray *elems;    /* (owned) PatElem */
  GArray *ranges;   /* (owned) PatRange, shared by the sets */
} Pattern;

typedef enum
{
  NODE_AND,      /* children */
  NODE_OR,       /* children */
  NODE_NOT,      /* child */
  NODE_CMP,      /* op, lhs, rhs */
  NODE_IS_NULL,  /* lhs, negated */
  NODE_LIKE,     /* lhs, pattern, negated */
  NODE_ISA,      /* lhs (a property or __THIS), rhs (the class name, a string) */
} NodeKind;

typedef struct Node Node;
struct Node
{
  NodeKind   kind;
  GPtrArray *children;   /* (owned) Node*, AND/OR */
  Node      *child;      /* (owned) NOT */
  CmpOp      op;
  Operand    lhs;
  Operand    rhs;
  gboolean   negated;
  Pattern    pattern;
};

/* The valued keywords of an association query's WHERE, in the order of WsimWqlAssocValue. */
#define N_ASSOC_VALUES 6

struct _WsimWqlQuery
{
  WsimWqlKind kind;
  char      *class_name;   /* (owned) the FROM class; the source path's class otherwise */
  /* ASSOCIATORS OF / REFERENCES OF */
  WsimObjectPath *source;  /* (owned) (nullable) the path between the braces */
  guint32    features;     /* WMIQ_ASSOCQ_* */
  char      *assoc_values[N_ASSOC_VALUES];  /* (owned) (nullable) */
  gsize      assoc_pos[N_ASSOC_VALUES];     /* byte offsets of the values */
  GPtrArray *props;        /* (owned) char*, NULL-terminated; NULL for SELECT * */
  GArray    *prop_pos;     /* (owned) gsize byte offsets of props */
  Node      *where;        /* (owned) (nullable) */
  gsize      class_pos;    /* byte offset of the FROM class */
  /* event queries (WSIM_WQL_EVENT) */
  double     within;       /* the polling interval in seconds; 0 when absent */
  double     group_within; /* the grouping interval in seconds; 0 without GROUP */
  GPtrArray *group_by;     /* (owned) (nullable) char*, NULL-terminated: the BY list */
  GArray    *group_by_pos; /* (owned) (nullable) gsize byte offsets of group_by */
  Node      *having;       /* (owned) (nullable) HAVING, on NumberOfEvents only */
  char      *text;         /* (owned) the query, for positions in later errors */
};

static void
operand_clear (Operand *o)
{
  g_clear_pointer (&o->prop, g_free);
  wsim_value_clear (&o->lit);
}

static void
node_free (Node *n)
{
  if (n == NULL)
    return;
  if (n->children != NULL)
    g_ptr_array_unref (n->children);
  node_free (n->child);
  operand_clear (&n->lhs);
  operand_clear (&n->rhs);
  if (n->pattern.elems != NULL)
    g_array_unref (n->pattern.elems);
  if (n->pattern.ranges != NULL)
    g_array_unref (n->pattern.ranges);
  g_free (n);
}

static Node *
node_new (NodeKind kind)
{
  Node *n = g_new0 (Node, 1);

  n->kind = kind;
  if (kind == NODE_AND || kind == NODE_OR)
    n->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  return n;
}

void
wsim_wql_query_free (WsimWqlQuery *q)
{
  if (q == NULL)
    return;
  g_free (q->class_name);
  g_clear_pointer (&q->source, wsim_object_path_free);
  for (guint i = 0; i < N_ASSOC_VALUES; i++)
    g_free (q->assoc_values[i]);
  if (q->props != NULL)
    g_ptr_array_unref (q->props);
  if (q->prop_pos != NULL)
    g_array_unref (q->prop_pos);
  node_free (q->where);
  if (q->group_by != NULL)
    g_ptr_array_unref (q->group_by);
  if (q->group_by_pos != NULL)
    g_array_unref (q->group_by_pos);
  node_free (q->having);
  g_free (q->text);
  g_free (q);
}

/* ---------------------------------------------------------------- lexer */

typedef enum
{
  TOK_END,
  TOK_IDENT,
  TOK_STRING,
  TOK_NUMBER,     /* value in tok.lit */
  TOK_STAR,
  TOK_COMMA,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_OP,         /* tok.op */
  TOK_SELECT,
  TOK_FROM,
  TOK_WHERE,
  TOK_AND,
  TOK_OR,
  TOK_NOT,
  TOK_LIKE,
  TOK_IS,
  TOK_NULL,
  TOK_TRUE,
  TOK_FALSE,
} TokKind;

static const struct
{
  const char *word;
  TokKind     kind;
} keywords[] = {
  { "SELECT", TOK_SELECT }, { "FROM", TOK_FROM }, { "WHERE", TOK_WHERE },
  { "AND", TOK_AND },       { "OR", TOK_OR },     { "NOT", TOK_NOT },
  { "LIKE", TOK_LIKE },     { "IS", TOK_IS },     { "NULL", TOK_NULL },
  { "TRUE", TOK_TRUE },     { "FALSE", TOK_FALSE },
};

typedef struct
{
  TokKind    kind;
  gsize      start;   /* byte offset */
  CmpOp      op;
  char      *text;    /* (owned) identifier or string contents */
  wsim_value lit;     /* (owned) TOK_NUMBER */
} Token;

typedef struct
{
  const char *text;
  gsize       pos;     /* next byte to lex */
  Token       tok;     /* the current token */
  guint       depth;   /* parentheses and NOTs open */
  gboolean    event;   /* an event query (wsim_wql_parse_event): dotted names, event clauses */
  GError    **error;
  gboolean    failed;
} Parser;

static void
fail_valist (Parser *p, WsimHResult hr, const char *subject, gsize offset, const char *format,
             va_list ap)
{
  if (p->failed)
    return;
  p->failed = TRUE;
  wsim_set_error_at_valist (p->error, hr, subject, p->text, offset, format, ap);
}

static void G_GNUC_PRINTF (3, 4)
fail_at (Parser *p, gsize offset, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  fail_valist (p, WBEM_E_INVALID_QUERY, "syntax error", offset, format, ap);
  va_end (ap);
}

/* For the event clauses' own statuses (WBEM_E_MISSING_GROUP_WITHIN, …). */
static void G_GNUC_PRINTF (4, 5)
fail_code_at (Parser *p, WsimHResult hr, gsize offset, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  fail_valist (p, hr, "syntax error", offset, format, ap);
  va_end (ap);
}

/* WQL words the lexer keeps as identifiers, so that they stay usable as names. */
static gboolean
tok_is_word (const Parser *p, const char *word)
{
  return p->tok.kind == TOK_IDENT && g_ascii_strcasecmp (p->tok.text, word) == 0;
}

static void
token_clear (Token *t)
{
  g_clear_pointer (&t->text, g_free);
  wsim_value_clear (&t->lit);
  t->kind = TOK_END;
}

static gboolean
is_ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gboolean
lex_string (Parser *p, gsize start)
{
  char quote = p->text[start];
  GString *s = g_string_new (NULL);
  gsize i = start + 1;

  for (;;)
    {
      char c = p->text[i];

      if (c == '\0')
        {
          g_string_free (s, TRUE);
          fail_at (p, start, "unterminated string");
          return FALSE;
        }
      if (c == quote)
        break;
      if (c == '\\')
        {
          char e = p->text[i + 1];

          if (e != '\\' && e != '\'' && e != '"')
            {
              g_string_free (s, TRUE);
              fail_at (p, i, "invalid escape sequence (only \\\\, \\' and \\\" are allowed)");
              return FALSE;
            }
          g_string_append_c (s, e);
          i += 2;
          continue;
        }
      g_string_append_c (s, c);
      i++;
    }
  p->tok.kind = TOK_STRING;
  p->tok.text = g_string_free (s, FALSE);
  p->pos = i + 1;
  return TRUE;
}

static gboolean
lex_number (Parser *p, gsize start)
{
  const char *t = p->text;
  gsize i = start;
  gboolean negative = FALSE, real = FALSE, hex = FALSE;
  g_autofree char *digits = NULL;

  if (t[i] == '-')
    {
      negative = TRUE;
      i++;
    }
  if (t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X') && g_ascii_isxdigit (t[i + 2]))
    {
      hex = TRUE;
      i += 2;
      while (g_ascii_isxdigit (t[i]))
        i++;
    }
  else
    {
      while (g_ascii_isdigit (t[i]))
        i++;
      if (t[i] == '.')
        {
          real = TRUE;
          i++;
          while (g_ascii_isdigit (t[i]))
            i++;
        }
      if ((t[i] == 'e' || t[i] == 'E')
          && (g_ascii_isdigit (t[i + 1])
              || ((t[i + 1] == '+' || t[i + 1] == '-') && g_ascii_isdigit (t[i + 2]))))
        {
          real = TRUE;
          i += 2;
          while (g_ascii_isdigit (t[i]))
            i++;
        }
    }
  if (is_ident_char (t[i]) || t[i] == '.')
    {
      fail_at (p, start, "invalid number");
      return FALSE;
    }

  digits = g_strndup (t + start, i - start);
  p->tok.kind = TOK_NUMBER;
  if (real)
    {
      double d = g_ascii_strtod (digits, NULL);

      if (!isfinite (d))
        {
          fail_at (p, start, "number out of range");
          return FALSE;
        }
      wsim_value_set_real64 (&p->tok.lit, d);
    }
  else
    {
      const char *mag = digits + (negative ? 1 : 0) + (hex ? 2 : 0);
      guint64 u;

      if (!g_ascii_string_to_unsigned (mag, hex ? 16 : 10, 0, G_MAXUINT64, &u, NULL))
        {
          fail_at (p, start, "integer out of range");
          return FALSE;
        }
      if (!negative)
        {
          if (u <= G_MAXINT64)
            wsim_value_set_sint64 (&p->tok.lit, (gint64) u);
          else
            wsim_value_set_uint64 (&p->tok.lit, u);
        }
      else if (u <= (guint64) G_MAXINT64 + 1)
        wsim_value_set_sint64 (&p->tok.lit, u == (guint64) G_MAXINT64 + 1 ? G_MININT64
                                                                          : -(gint64) u);
      else
        {
          fail_at (p, start, "integer out of range");
          return FALSE;
        }
    }
  p->pos = i;
  return TRUE;
}

/* Reads the next token into p->tok. FALSE (with the error set) on a lexical error. */
static gboolean
next (Parser *p)
{
  const char *t = p->text;
  gsize i = p->pos;
  char c;

  token_clear (&p->tok);
  while (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\f'
         || t[i] == '\v')
    i++;
  p->tok.start = i;
  p->pos = i + 1;
  c = t[i];
  switch (c)
    {
    case '\0':
      p->tok.kind = TOK_END;
      p->pos = i;
      return TRUE;
    case '*': p->tok.kind = TOK_STAR; return TRUE;
    case ',': p->tok.kind = TOK_COMMA; return TRUE;
    case '(': p->tok.kind = TOK_LPAREN; return TRUE;
    case ')': p->tok.kind = TOK_RPAREN; return TRUE;
    case '=':
      p->tok.kind = TOK_OP;
      p->tok.op = OP_EQ;
      return TRUE;
    case '<':
      p->tok.kind = TOK_OP;
      p->tok.op = OP_LT;
      if (t[i + 1] == '>')
        p->tok.op = OP_NE;
      else if (t[i + 1] == '=')
        p->tok.op = OP_LE;
      if (p->tok.op != OP_LT)
        p->pos = i + 2;
      return TRUE;
    case '>':
      p->tok.kind = TOK_OP;
      p->tok.op = OP_GT;
      if (t[i + 1] == '=')
        {
          p->tok.op = OP_GE;
          p->pos = i + 2;
        }
      return TRUE;
    case '!':
      if (t[i + 1] == '=')
        {
          p->tok.kind = TOK_OP;
          p->tok.op = OP_NE;
          p->pos = i + 2;
          return TRUE;
        }
      break;
    case '\'':
    case '"':
      return lex_string (p, i);
    default:
      break;
    }

  if (g_ascii_isdigit (c) || (c == '.' && g_ascii_isdigit (t[i + 1]))
      || (c == '-' && (g_ascii_isdigit (t[i + 1])
                       || (t[i + 1] == '.' && g_ascii_isdigit (t[i + 2])))))
    return lex_number (p, i);

  if (is_ident_start (c))
    {
      gsize end = i + 1;

      while (is_ident_char (t[end]))
        end++;
      p->pos = end;
      for (gsize k = 0; k < G_N_ELEMENTS (keywords); k++)
        if (strlen (keywords[k].word) == end - i
            && g_ascii_strncasecmp (t + i, keywords[k].word, end - i) == 0)
          {
            p->tok.kind = keywords[k].kind;
            return TRUE;
          }
      /* An event query names the properties of embedded objects with dots
       * (TargetInstance.Name, "SELECT Statement for Event Queries"); no blanks around them. */
      while (p->event && t[end] == '.' && is_ident_start (t[end + 1]))
        {
          end += 2;
          while (is_ident_char (t[end]))
            end++;
        }
      p->pos = end;
      p->tok.kind = TOK_IDENT;
      p->tok.text = g_strndup (t + i, end - i);
      return TRUE;
    }

  {
    gunichar u = g_utf8_get_char (t + i);
    char buf[8] = { 0 };

    g_unichar_to_utf8 (u, buf);
    fail_at (p, i, "unexpected character '%s'", buf);
  }
  return FALSE;
}

/* ---------------------------------------------------------------- LIKE patterns */

/* Compiles @pat into @out. A '[' opens a set that runs to the next ']' (a ']' right
 * after '[' or '[^' is a member); "[%]" and "[_]" are how a literal % or _ is written.
 * Returns: FALSE for an unterminated set. */
static gboolean
pattern_compile (const char *pat, Pattern *out)
{
  const char *s = pat;

  out->elems = g_array_new (FALSE, TRUE, sizeof (PatElem));
  out->ranges = g_array_new (FALSE, TRUE, sizeof (PatRange));
  while (*s != '\0')
    {
      PatElem e = { 0 };
      gunichar c = g_utf8_get_char (s);

      s = g_utf8_next_char (s);
      if (c == '%')
        {
          /* "%%" is the same as "%"; one element keeps matching linear. */
          if (out->elems->len > 0
              && g_array_index (out->elems, PatElem, out->elems->len - 1).kind == PAT_ANY_SEQ)
            continue;
          e.kind = PAT_ANY_SEQ;
        }
      else if (c == '_')
        e.kind = PAT_ANY_ONE;
      else if (c == '[')
        {
          gboolean first = TRUE;

          e.kind = PAT_SET;
          e.first = out->ranges->len;
          if (*s == '^')
            {
              e.negated = TRUE;
              s++;
            }
          for (;;)
            {
              PatRange r;

              if (*s == '\0')
                return FALSE;
              r.lo = g_utf8_get_char (s);
              if (r.lo == ']' && !first)
                {
                  s++;
                  break;
                }
              first = FALSE;
              s = g_utf8_next_char (s);
              r.hi = r.lo;
              if (*s == '-' && s[1] != ']' && s[1] != '\0')
                {
                  r.hi = g_utf8_get_char (s + 1);
                  s = g_utf8_next_char (s + 1);
                }
              g_array_append_val (out->ranges, r);
              e.n_ranges++;
            }
        }
      else
        {
          e.kind = PAT_CHAR;
          e.c = g_unichar_tolower (c);
        }
      g_array_append_val (out->elems, e);
    }
  return TRUE;
}

static gboolean
in_set (const Pattern *pat, const PatElem *e, gunichar c)
{
  gunichar lower = g_unichar_tolower (c), upper = g_unichar_toupper (c);
  gboolean hit = FALSE;

  for (guint k = 0; k < e->n_ranges && !hit; k++)
    {
      const PatRange *r = &g_array_index (pat->ranges, PatRange, e->first + k);

      hit = (c >= r->lo && c <= r->hi) || (lower >= r->lo && lower <= r->hi)
            || (upper >= r->lo && upper <= r->hi);
    }
  return hit != e->negated;
}

static gboolean
elem_matches (const Pattern *pat, const PatElem *e, gunichar c)
{
  switch (e->kind)
    {
    case PAT_ANY_ONE: return TRUE;
    case PAT_CHAR:    return g_unichar_tolower (c) == e->c;
    case PAT_SET:     return in_set (pat, e, c);
    default:          return FALSE;
    }
}

/* Wildcard matching with one backtrack point (the last %): O(len(s) × len(pattern))
 * at worst, never exponential. Bytes that are not UTF-8 count as one character each. */
static gboolean
pattern_match (const Pattern *pat, const char *subject)
{
  gsize n = 0, cap = strlen (subject);
  g_autofree gunichar *s = g_new (gunichar, cap + 1);
  const PatElem *el = (const PatElem *) (void *) pat->elems->data;
  guint m = pat->elems->len;
  gsize si = 0, star_s = 0;
  guint pi = 0;
  gint64 star_p = -1;

  for (const char *q = subject; *q != '\0';)
    {
      gunichar u = g_utf8_get_char_validated (q, -1);

      if (u == (gunichar) -1 || u == (gunichar) -2)
        {
          s[n++] = (guchar) *q;
          q++;
        }
      else
        {
          s[n++] = u;
          q = g_utf8_next_char (q);
        }
    }

  while (si < n)
    {
      if (pi < m && el[pi].kind == PAT_ANY_SEQ)
        {
          star_p = pi++;
          star_s = si;
        }
      else if (pi < m && elem_matches (pat, &el[pi], s[si]))
        {
          pi++;
          si++;
        }
      else if (star_p >= 0)
        {
          pi = (guint) star_p + 1;
          si = ++star_s;
        }
      else
        return FALSE;
    }
  while (pi < m && el[pi].kind == PAT_ANY_SEQ)
    pi++;
  return pi == m;
}

/* ---------------------------------------------------------------- parser */

static Node *parse_or (Parser *p);

static gboolean
enter (Parser *p)
{
  if (p->depth >= WSIM_WQL_MAX_NESTING)
    {
      if (!p->failed)
        {
          p->failed = TRUE;
          wsim_set_error_hresult (p->error, WBEM_E_INVALID_QUERY,
                                  "too deeply nested at position %ld: more than %d nested "
                                  "parentheses or NOTs", wsim_text_position (p->text, p->tok.start),
                                  WSIM_WQL_MAX_NESTING);
        }
      return FALSE;
    }
  p->depth++;
  return TRUE;
}

/* Takes the current token as an operand (property or literal) and advances. */
static gboolean
parse_operand (Parser *p, Operand *o, const char *expected)
{
  o->pos = p->tok.start;
  switch (p->tok.kind)
    {
    case TOK_IDENT:
      o->prop = g_steal_pointer (&p->tok.text);
      break;
    case TOK_STRING:
      wsim_value_set_string (&o->lit, p->tok.text);
      break;
    case TOK_NUMBER:
      o->lit = p->tok.lit;
      memset (&p->tok.lit, 0, sizeof p->tok.lit);
      break;
    case TOK_TRUE:
    case TOK_FALSE:
      wsim_value_set_boolean (&o->lit, p->tok.kind == TOK_TRUE);
      break;
    case TOK_NULL:
      wsim_value_set_null (&o->lit);
      break;
    default:
      fail_at (p, p->tok.start, "expected %s", expected);
      return FALSE;
    }
  return next (p);
}

/* WMI's WHERE compares a property with a constant, in either order; "property names
 * cannot appear on both sides of the operator", and a constant on both sides is no
 * condition on the instance at all. An event query may compare two properties: that is
 * how a modification is told apart (TargetInstance.State <> PreviousInstance.State). */
static gboolean
check_sides (Parser *p, const Node *n)
{
  if ((n->lhs.prop != NULL) != (n->rhs.prop != NULL)
      || (p->event && n->lhs.prop != NULL))
    return TRUE;
  fail_at (p, n->rhs.pos,
           "expected %s: a comparison has a property on one side and a constant on the other",
           n->lhs.prop != NULL ? "a constant" : "a property name");
  return FALSE;
}

static gboolean
operand_is_null (const Operand *o)
{
  return o->prop == NULL && o->lit.type == CIM_EMPTY;
}

/* WMI reads "p = NULL" as "p IS NULL" and "p <> NULL" as "p IS NOT NULL", where SQL
 * would make both UNKNOWN and match nothing. IS NULL reads its property from lhs. */
static void
null_equality_to_is_null (Node *n)
{
  if ((n->op != OP_EQ && n->op != OP_NE)
      || !(operand_is_null (&n->lhs) || operand_is_null (&n->rhs)))
    return;
  if (n->lhs.prop == NULL)
    {
      Operand t = n->lhs;

      n->lhs = n->rhs;
      n->rhs = t;
    }
  operand_clear (&n->rhs);
  n->kind = NODE_IS_NULL;
  n->negated = n->op == OP_NE;
}

/* comparison := operand ( op operand | IS [NOT] NULL | [NOT] LIKE string ) */
static Node *
parse_comparison (Parser *p)
{
  Node *n = node_new (NODE_CMP);

  if (!parse_operand (p, &n->lhs, "property name or value"))
    goto fail;

  switch (p->tok.kind)
    {
    case TOK_OP:
      n->op = p->tok.op;
      if (!next (p) || !parse_operand (p, &n->rhs, "property name or value")
          || !check_sides (p, n))
        goto fail;
      null_equality_to_is_null (n);
      return n;

    case TOK_IS:
      if (n->lhs.prop == NULL)
        {
          fail_at (p, n->lhs.pos, "expected a property name: IS [NOT] NULL tests a property");
          goto fail;
        }
      n->kind = NODE_IS_NULL;
      if (!next (p))
        goto fail;
      if (p->tok.kind == TOK_NOT)
        {
          n->negated = TRUE;
          if (!next (p))
            goto fail;
        }
      if (p->tok.kind != TOK_NULL)
        {
          fail_at (p, p->tok.start, "expected NULL");
          goto fail;
        }
      if (!next (p))
        goto fail;
      return n;

    case TOK_NOT:
    case TOK_LIKE:
      if (n->lhs.prop == NULL)
        {
          fail_at (p, n->lhs.pos, "expected a property name: [NOT] LIKE matches a property");
          goto fail;
        }
      n->kind = NODE_LIKE;
      if (p->tok.kind == TOK_NOT)
        {
          n->negated = TRUE;
          if (!next (p))
            goto fail;
          if (p->tok.kind != TOK_LIKE)
            {
              fail_at (p, p->tok.start, "expected LIKE");
              goto fail;
            }
        }
      if (!next (p))
        goto fail;
      if (p->tok.kind != TOK_STRING)
        {
          fail_at (p, p->tok.start, "expected a string pattern after LIKE");
          goto fail;
        }
      if (!pattern_compile (p->tok.text, &n->pattern))
        {
          fail_at (p, p->tok.start, "unterminated [ in LIKE pattern");
          goto fail;
        }
      if (!next (p))
        goto fail;
      return n;

    default:
      if (tok_is_word (p, "ISA"))
        {
          /* property ISA 'Class': the embedded object in the property, or the object
           * itself for __THIS, is of the class or derives from it. */
          if (n->lhs.prop == NULL)
            {
              fail_at (p, n->lhs.pos, "expected a property name or __THIS: ISA tests an object");
              goto fail;
            }
          n->kind = NODE_ISA;
          if (!next (p))
            goto fail;
          if (p->tok.kind != TOK_STRING || p->tok.text[0] == '\0')
            {
              fail_at (p, p->tok.start, "expected a class name in quotes after ISA");
              goto fail;
            }
          n->rhs.pos = p->tok.start;
          wsim_value_set_string (&n->rhs.lit, p->tok.text);
          if (!next (p))
            goto fail;
          return n;
        }
      fail_at (p, p->tok.start, "expected comparison operator, IS, LIKE or ISA");
      goto fail;
    }

fail:
  node_free (n);
  return NULL;
}

/* primary := '(' or_expr ')' | NOT primary | comparison */
static Node *
parse_primary (Parser *p)
{
  Node *n;

  if (p->tok.kind == TOK_NOT)
    {
      Node *not_node;

      if (!enter (p) || !next (p))
        return NULL;
      n = parse_primary (p);
      p->depth--;
      if (n == NULL)
        return NULL;
      not_node = node_new (NODE_NOT);
      not_node->child = n;
      return not_node;
    }
  if (p->tok.kind == TOK_LPAREN)
    {
      if (!enter (p) || !next (p))
        return NULL;
      n = parse_or (p);
      p->depth--;
      if (n == NULL)
        return NULL;
      if (p->tok.kind != TOK_RPAREN)
        {
          fail_at (p, p->tok.start, "expected ) or a logical operator");
          node_free (n);
          return NULL;
        }
      if (!next (p))
        {
          node_free (n);
          return NULL;
        }
      return n;
    }
  return parse_comparison (p);
}

/* Left-associative chains are built as one n-ary node, so their length costs no depth. */
static Node *
parse_chain (Parser *p, TokKind op, NodeKind kind, Node *(*operand) (Parser *))
{
  Node *first = operand (p);
  Node *chain;

  if (first == NULL || p->tok.kind != op)
    return first;
  chain = node_new (kind);
  g_ptr_array_add (chain->children, first);
  while (p->tok.kind == op)
    {
      Node *n;

      if (!next (p) || (n = operand (p)) == NULL)
        {
          node_free (chain);
          return NULL;
        }
      g_ptr_array_add (chain->children, n);
    }
  return chain;
}

static Node *
parse_and (Parser *p)
{
  return parse_chain (p, TOK_AND, NODE_AND, parse_primary);
}

static Node *
parse_or (Parser *p)
{
  return parse_chain (p, TOK_OR, NODE_OR, parse_and);
}

/* The keywords of an association query's WHERE ("ASSOCIATORS OF Statement", "REFERENCES
 * OF Statement", "Schema Associations"): each at most once, in any order, not separated by
 * commas; the valued ones take "= Name". */
static const struct
{
  const char *word;
  guint32     feature;     /* WMIQ_ASSOCQ_* */
  gint        value;       /* WsimWqlAssocValue, or -1 for a flag */
  gboolean    references;  /* valid in REFERENCES OF too */
} assoc_keywords[] = {
  { "AssocClass",             WMIQ_ASSOCQ_ASSOCCLASS,             WSIM_WQL_ASSOC_CLASS,     FALSE },
  { "ResultClass",            WMIQ_ASSOCQ_RESULTCLASS,            WSIM_WQL_RESULT_CLASS,    TRUE },
  { "Role",                   WMIQ_ASSOCQ_ROLE,                   WSIM_WQL_ROLE,            TRUE },
  { "ResultRole",             WMIQ_ASSOCQ_RESULTROLE,             WSIM_WQL_RESULT_ROLE,     FALSE },
  { "RequiredQualifier",      WMIQ_ASSOCQ_REQUIREDQUALIFIER,      WSIM_WQL_REQUIRED_QUALIFIER, TRUE },
  { "RequiredAssocQualifier", WMIQ_ASSOCQ_REQUIREDASSOCQUALIFIER, WSIM_WQL_REQUIRED_ASSOC_QUALIFIER, FALSE },
  { "ClassDefsOnly",          WMIQ_ASSOCQ_CLASSDEFSONLY,          -1,                       TRUE },
  { "KeysOnly",               WMIQ_ASSOCQ_KEYSONLY,               -1,                       TRUE },
  { "SchemaOnly",             WMIQ_ASSOCQ_SCHEMAONLY,             -1,                       TRUE },
};

G_STATIC_ASSERT (WSIM_WQL_REQUIRED_ASSOC_QUALIFIER + 1 == N_ASSOC_VALUES);

/* {ObjectPath}: read raw (the lexer knows no braces and a path is not made of WQL
 * tokens), to the first '}' outside quotes; "the tokens within the object path cannot
 * contain any white space", which the path parser enforces. */
static gboolean
parse_source_path (Parser *p, WsimWqlQuery *q)
{
  const char *t = p->text;
  gsize i = p->pos, start;
  char quote = 0;
  g_autofree char *text = NULL;
  g_autoptr (GError) path_error = NULL;

  while (g_ascii_isspace (t[i]))
    i++;
  if (t[i] != '{')
    {
      fail_at (p, i, "expected { and an object path");
      return FALSE;
    }
  start = ++i;
  for (; t[i] != '\0' && (quote != 0 || t[i] != '}'); i++)
    {
      if (quote != 0 && t[i] == '\\' && t[i + 1] != '\0')
        i++;
      else if (t[i] == quote)
        quote = 0;
      else if (quote == 0 && (t[i] == '"' || t[i] == '\''))
        quote = t[i];
    }
  if (t[i] != '}')
    {
      fail_at (p, start - 1, "unterminated {: expected } after the object path");
      return FALSE;
    }
  /* Blanks around the path are allowed, not inside it. */
  while (start < i && g_ascii_isspace (t[start]))
    start++;
  text = g_strndup (t + start, i - start);
  g_strchomp (text);
  if (text[0] == '\0')
    {
      fail_at (p, start, "expected an object path between the braces");
      return FALSE;
    }
  q->source = wsim_object_path_parse (text, &path_error);
  if (q->source == NULL)
    {
      /* The path's own message, without its status: the query's is WBEM_E_INVALID_QUERY. */
      const char *status = strstr (path_error->message, ": WBEM_E_");
      int len = status != NULL ? (int) (status - path_error->message) : (int) strlen (path_error->message);

      fail_at (p, start, "the object path is not valid (%.*s)", len, path_error->message);
      return FALSE;
    }
  q->class_name = g_strdup (wsim_object_path_get_class (q->source));
  p->pos = i + 1;
  return TRUE;
}

/* ASSOCIATORS OF {path} [WHERE keyword…] | REFERENCES OF {path} [WHERE keyword…] */
static gboolean
parse_assoc_query (Parser *p, WsimWqlQuery *q)
{
  const char *statement;

  q->kind = tok_is_word (p, "ASSOCIATORS") ? WSIM_WQL_ASSOCIATORS : WSIM_WQL_REFERENCES;
  statement = q->kind == WSIM_WQL_ASSOCIATORS ? "ASSOCIATORS OF" : "REFERENCES OF";
  q->features = q->kind == WSIM_WQL_ASSOCIATORS ? WMIQ_ASSOCQ_ASSOCIATORS : WMIQ_ASSOCQ_REFERENCES;
  /* OF is read raw too: the lexer would stop at the brace after it. */
  {
    gsize i = p->pos;

    while (g_ascii_isspace (p->text[i]))
      i++;
    if (g_ascii_strncasecmp (p->text + i, "OF", 2) != 0 || is_ident_char (p->text[i + 2]))
      {
        fail_at (p, i, "expected OF");
        return FALSE;
      }
    p->pos = i + 2;
  }
  if (!parse_source_path (p, q) || !next (p))
    return FALSE;
  if (p->tok.kind == TOK_END)
    return TRUE;
  if (p->tok.kind != TOK_WHERE)
    {
      fail_at (p, p->tok.start, "expected WHERE or end of query");
      return FALSE;
    }
  if (!next (p))
    return FALSE;
  do
    {
      guint k;
      gsize at = p->tok.start;

      for (k = 0; k < G_N_ELEMENTS (assoc_keywords); k++)
        if (tok_is_word (p, assoc_keywords[k].word))
          break;
      if (k == G_N_ELEMENTS (assoc_keywords))
        {
          fail_at (p, at, q->kind == WSIM_WQL_ASSOCIATORS
                            ? "expected AssocClass, ClassDefsOnly, KeysOnly, RequiredAssocQualifier, "
                              "RequiredQualifier, ResultClass, ResultRole, Role or SchemaOnly"
                            : "expected ClassDefsOnly, KeysOnly, RequiredQualifier, ResultClass, "
                              "Role or SchemaOnly");
          return FALSE;
        }
      if (q->kind == WSIM_WQL_REFERENCES && !assoc_keywords[k].references)
        {
          fail_at (p, at, "%s is not valid in REFERENCES OF", assoc_keywords[k].word);
          return FALSE;
        }
      if (q->features & assoc_keywords[k].feature)
        {
          fail_at (p, at, "%s given twice", assoc_keywords[k].word);
          return FALSE;
        }
      q->features |= assoc_keywords[k].feature;
      if (!next (p))
        return FALSE;
      if (assoc_keywords[k].value >= 0)
        {
          gint v = assoc_keywords[k].value;

          if (p->tok.kind != TOK_OP || p->tok.op != OP_EQ)
            {
              fail_at (p, p->tok.start, "expected = after %s", assoc_keywords[k].word);
              return FALSE;
            }
          if (!next (p))
            return FALSE;
          if (p->tok.kind != TOK_IDENT)
            {
              fail_at (p, p->tok.start, "expected a %s name after %s =",
                       v == WSIM_WQL_ROLE || v == WSIM_WQL_RESULT_ROLE ? "property"
                       : v == WSIM_WQL_ASSOC_CLASS || v == WSIM_WQL_RESULT_CLASS ? "class"
                                                                                  : "qualifier",
                       assoc_keywords[k].word);
              return FALSE;
            }
          q->assoc_values[v] = g_steal_pointer (&p->tok.text);
          q->assoc_pos[v] = p->tok.start;
          if (!next (p))
            return FALSE;
        }
    }
  while (p->tok.kind != TOK_END);
  /* "ClassDefsOnly and ResultClass keywords are mutually exclusive. Using them together
   * causes an invalid query error." (ASSOCIATORS OF Statement) */
  if ((q->features & WMIQ_ASSOCQ_CLASSDEFSONLY) && (q->features & WMIQ_ASSOCQ_RESULTCLASS))
    {
      fail_at (p, q->assoc_pos[WSIM_WQL_RESULT_CLASS],
               "ClassDefsOnly and ResultClass cannot be used together in %s", statement);
      return FALSE;
    }
  /* "The ClassDefsOnly keyword is not valid" in a schema query (Schema Associations). */
  if ((q->features & WMIQ_ASSOCQ_CLASSDEFSONLY) && (q->features & WMIQ_ASSOCQ_SCHEMAONLY))
    {
      fail_at (p, p->tok.start, "ClassDefsOnly is not valid with SchemaOnly");
      return FALSE;
    }
  return TRUE;
}

/* MS-WMI 2.2.1.2's INSTANCE-STATE: the embedded objects of an intrinsic instance event. */
static gboolean
is_instance_state (const char *name)
{
  return g_ascii_strcasecmp (name, "TargetInstance") == 0
         || g_ascii_strcasecmp (name, "PreviousInstance") == 0;
}

/* WITHIN's and GROUP WITHIN's interval: "a floating-point number, and can be fractional"
 * (WITHIN Clause); MS-WMI 2.2.1.2 gives both clauses the same INTERVAL. */
static gboolean
parse_interval (Parser *p, double *out, const char *clause)
{
  const wsim_value *v = &p->tok.lit;
  double d;

  if (p->tok.kind != TOK_NUMBER)
    {
      fail_at (p, p->tok.start, "expected a number of seconds after %s", clause);
      return FALSE;
    }
  d = v->type == CIM_REAL64   ? v->wsim_value_u.v_real64
      : v->type == CIM_UINT64 ? (double) v->wsim_value_u.v_uint64
                              : (double) v->wsim_value_u.v_sint64;
  if (!(d > 0))
    {
      fail_at (p, p->tok.start, "%s needs a positive number of seconds", clause);
      return FALSE;
    }
  /* "A value that is too small can cause WMI to reject the statement as not valid"
   * (WITHIN Clause); the bounds are ours: a GLib timeout counts whole milliseconds. */
  if (d < WSIM_WQL_MIN_INTERVAL || d > WSIM_WQL_MAX_INTERVAL)
    {
      fail_at (p, p->tok.start, "%s's interval must be between %g and %.3f seconds", clause,
               WSIM_WQL_MIN_INTERVAL, WSIM_WQL_MAX_INTERVAL);
      return FALSE;
    }
  *out = d;
  return next (p);
}

/* HAVING "operates on the NumberOfEvents property of the __AggregateEvent", compared with
 * "any unsigned 32-bit integer" (HAVING Clause). Returns: the first operand that is not. */
static const Operand *
having_bad_operand (const Node *n)
{
  const Operand *o;

  switch (n->kind)
    {
    case NODE_AND:
    case NODE_OR:
      for (guint i = 0; i < n->children->len; i++)
        if ((o = having_bad_operand (g_ptr_array_index (n->children, i))) != NULL)
          return o;
      return NULL;
    case NODE_NOT:
      return having_bad_operand (n->child);
    case NODE_CMP:
      {
        const Operand *prop = n->lhs.prop != NULL ? &n->lhs : &n->rhs;
        const Operand *lit = n->lhs.prop != NULL ? &n->rhs : &n->lhs;

        if (g_ascii_strcasecmp (prop->prop, "NumberOfEvents") != 0)
          return prop;
        if (lit->lit.type != CIM_SINT64 && lit->lit.type != CIM_UINT64)
          return lit;
        return NULL;
      }
    default:
      return &n->lhs;
    }
}

/* GROUP WITHIN interval [BY property, …] [HAVING condition] (GROUP Clause, HAVING Clause),
 * after the WHERE. Leaves p->tok at the end of the query or sets the error. */
static gboolean
parse_group (Parser *p, WsimWqlQuery *q)
{
  const Operand *bad;

  if (tok_is_word (p, "BY") || tok_is_word (p, "HAVING"))
    {
      fail_code_at (p, WBEM_E_MISSING_GROUP_WITHIN, p->tok.start,
                    "%s needs GROUP WITHIN and a grouping interval before it", p->tok.text);
      return FALSE;
    }
  if (!tok_is_word (p, "GROUP"))
    return TRUE;
  if (!next (p))
    return FALSE;
  if (tok_is_word (p, "BY"))
    {
      fail_code_at (p, WBEM_E_MISSING_GROUP_WITHIN, p->tok.start,
                    "GROUP BY needs GROUP WITHIN and a grouping interval before BY");
      return FALSE;
    }
  if (!tok_is_word (p, "WITHIN"))
    {
      fail_at (p, p->tok.start, "expected WITHIN after GROUP");
      return FALSE;
    }
  if (!next (p) || !parse_interval (p, &q->group_within, "GROUP WITHIN"))
    return FALSE;
  if (tok_is_word (p, "BY"))
    {
      if (!next (p))
        return FALSE;
      q->group_by = g_ptr_array_new_with_free_func (g_free);
      q->group_by_pos = g_array_new (FALSE, FALSE, sizeof (gsize));
      for (;;)
        {
          if (p->tok.kind != TOK_IDENT || tok_is_word (p, "HAVING"))
            {
              if (q->group_by->len == 0)
                fail_code_at (p, WBEM_E_MISSING_AGGREGATION_LIST, p->tok.start,
                              "expected the properties to group by after BY");
              else
                fail_at (p, p->tok.start, "expected property name");
              return FALSE;
            }
          if (is_instance_state (p->tok.text))
            {
              fail_code_at (p, WBEM_E_AGGREGATING_BY_OBJECT, p->tok.start,
                            "BY %s names an embedded object: group by one of its properties "
                            "(%s.Name)", p->tok.text, p->tok.text);
              return FALSE;
            }
          g_ptr_array_add (q->group_by, g_steal_pointer (&p->tok.text));
          g_array_append_val (q->group_by_pos, p->tok.start);
          if (!next (p))
            return FALSE;
          if (p->tok.kind != TOK_COMMA)
            break;
          if (!next (p))
            return FALSE;
        }
      g_ptr_array_add (q->group_by, NULL);
    }
  if (tok_is_word (p, "HAVING"))
    {
      if (!next (p) || (q->having = parse_or (p)) == NULL)
        return FALSE;
      if ((bad = having_bad_operand (q->having)) != NULL)
        {
          fail_at (p, bad->pos, "HAVING compares NumberOfEvents with an integer");
          return FALSE;
        }
      if (p->tok.kind != TOK_END)
        {
          fail_at (p, p->tok.start,
                   p->tok.kind == TOK_RPAREN ? "unbalanced )" : "expected AND, OR or end of query");
          return FALSE;
        }
      return TRUE;
    }
  if (p->tok.kind != TOK_END)
    {
      fail_at (p, p->tok.start, q->group_by != NULL ? "expected a comma, HAVING or end of query"
                                                    : "expected BY, HAVING or end of query");
      return FALSE;
    }
  return TRUE;
}

/* What follows a SELECT's FROM class or WHERE condition that is not what may come. */
static void
fail_trailing (Parser *p, const WsimWqlQuery *q)
{
  static const char *const event_words[] = { "WITHIN", "GROUP", "HAVING" };

  for (gsize k = 0; !p->event && k < G_N_ELEMENTS (event_words); k++)
    if (tok_is_word (p, event_words[k]))
      {
        fail_at (p, p->tok.start, "%s is valid only in an event query (ExecNotificationQuery)",
                 event_words[k]);
        return;
      }
  if (p->event && q->where != NULL && tok_is_word (p, "WITHIN"))
    fail_at (p, p->tok.start, "WITHIN goes before WHERE, right after the event class");
  else if (q->where != NULL)
    fail_at (p, p->tok.start,
             p->tok.kind == TOK_RPAREN ? "unbalanced )"
             : p->event                ? "expected AND, OR, GROUP or end of query"
                                       : "expected AND, OR or end of query");
  else
    fail_at (p, p->tok.start,
             !p->event        ? "expected WHERE or end of query"
             : q->within > 0 ? "expected WHERE, GROUP or end of query"
                             : "expected WITHIN, WHERE, GROUP or end of query");
}

static gboolean
parse_query (Parser *p, WsimWqlQuery *q)
{
  if (!next (p))
    return FALSE;
  if (!p->event && (tok_is_word (p, "ASSOCIATORS") || tok_is_word (p, "REFERENCES")))
    return parse_assoc_query (p, q);
  if (p->tok.kind != TOK_SELECT)
    {
      fail_at (p, p->tok.start, p->event ? "expected SELECT: an event query is a SELECT statement"
                                         : "expected SELECT, ASSOCIATORS or REFERENCES");
      return FALSE;
    }
  q->kind = p->event ? WSIM_WQL_EVENT : WSIM_WQL_SELECT;
  if (!next (p))
    return FALSE;
  if (p->tok.kind == TOK_STAR)
    {
      if (!next (p))
        return FALSE;
    }
  else
    {
      q->props = g_ptr_array_new_with_free_func (g_free);
      q->prop_pos = g_array_new (FALSE, FALSE, sizeof (gsize));
      for (;;)
        {
          if (p->tok.kind != TOK_IDENT)
            {
              fail_at (p, p->tok.start,
                       q->props->len == 0 ? "expected property name or *"
                                          : "expected property name");
              return FALSE;
            }
          g_ptr_array_add (q->props, g_steal_pointer (&p->tok.text));
          g_array_append_val (q->prop_pos, p->tok.start);
          if (!next (p))
            return FALSE;
          if (p->tok.kind != TOK_COMMA)
            break;
          if (!next (p))
            return FALSE;
        }
      g_ptr_array_add (q->props, NULL);
    }
  if (p->tok.kind != TOK_FROM)
    {
      fail_at (p, p->tok.start, "expected FROM");
      return FALSE;
    }
  if (!next (p))
    return FALSE;
  if (p->tok.kind != TOK_IDENT)
    {
      fail_at (p, p->tok.start, "expected class name");
      return FALSE;
    }
  q->class_name = g_steal_pointer (&p->tok.text);
  q->class_pos = p->tok.start;
  /* The schema's pseudo-class is no class at all, let alone an event class. */
  if (p->event && g_ascii_strcasecmp (q->class_name, "meta_class") == 0)
    {
      fail_code_at (p, WBEM_E_NOT_EVENT_CLASS, q->class_pos, "meta_class is not an event class");
      return FALSE;
    }
  if (!next (p))
    return FALSE;
  /* "Place the WITHIN clause immediately before the WHERE clause" (WITHIN Clause). */
  if (p->event && tok_is_word (p, "WITHIN")
      && (!next (p) || !parse_interval (p, &q->within, "WITHIN")))
    return FALSE;
  if (p->tok.kind == TOK_WHERE && (!next (p) || (q->where = parse_or (p)) == NULL))
    return FALSE;
  if (p->event && !parse_group (p, q))
    return FALSE;
  if (p->tok.kind != TOK_END)
    {
      fail_trailing (p, q);
      return FALSE;
    }
  return TRUE;
}

static WsimWqlQuery *
parse_text (const char *text, gboolean event, GError **error)
{
  g_autoptr (WsimWqlQuery) q = NULL;
  Parser p = { 0 };
  const char *bad = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, &bad))
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_QUERY,
                              "syntax error at position %ld: invalid UTF-8",
                              g_utf8_strlen (text, bad - text) + 1);
      return NULL;
    }

  q = g_new0 (WsimWqlQuery, 1);
  p.text = text;
  p.event = event;
  p.error = error;
  if (!parse_query (&p, q))
    {
      token_clear (&p.tok);
      return NULL;
    }
  token_clear (&p.tok);
  q->text = g_strdup (text);
  return g_steal_pointer (&q);
}

WsimWqlQuery *
wsim_wql_parse (const char *text, GError **error)
{
  return parse_text (text, FALSE, error);
}

WsimWqlQuery *
wsim_wql_parse_event (const char *text, GError **error)
{
  return parse_text (text, TRUE, error);
}

gboolean
wsim_wql_check_language (const char *lang, GError **error)
{
  if (lang != NULL && g_ascii_strcasecmp (lang, "WQL") == 0)
    return TRUE;
  wsim_set_error_hresult (error, WBEM_E_INVALID_QUERY_TYPE,
                          "query language '%s' is not supported (only WQL)",
                          lang != NULL ? lang : "(null)");
  return FALSE;
}

/* ---------------------------------------------------------------- accessors */

const char *
wsim_wql_query_get_class (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, NULL);
  return q->class_name;
}

const char *const *
wsim_wql_query_get_properties (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, NULL);
  return q->props != NULL ? (const char *const *) q->props->pdata : NULL;
}

WsimWqlKind
wsim_wql_query_get_kind (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, WSIM_WQL_SELECT);
  return q->kind;
}

const WsimObjectPath *
wsim_wql_query_get_source (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, NULL);
  return q->source;
}

guint32
wsim_wql_query_get_features (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, 0);
  return q->features;
}

const char *
wsim_wql_query_get_assoc_value (const WsimWqlQuery *q, WsimWqlAssocValue which, glong *position)
{
  g_return_val_if_fail (q != NULL, NULL);
  g_return_val_if_fail ((guint) which < N_ASSOC_VALUES, NULL);

  if (position != NULL)
    *position = q->assoc_values[which] != NULL ? wsim_text_position (q->text, q->assoc_pos[which]) : 0;
  return q->assoc_values[which];
}

const char *
wsim_wql_query_get_text (const WsimWqlQuery *q)
{
  return q->text;
}

gboolean
wsim_wql_query_selects_all (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, FALSE);
  return q->props == NULL;
}

gboolean
wsim_wql_query_has_where (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, FALSE);
  return q->where != NULL;
}

/* ---------------------------------------------------------------- evaluation */

typedef enum
{
  TV_FALSE,
  TV_TRUE,
  TV_UNKNOWN,
} Truth;

typedef struct
{
  WsimWqlGetFunc get;
  WsimWqlIsaFunc isa;   /* (nullable) */
  gpointer       row;
} Row;

static const wsim_value *
operand_value (const Row *r, const Operand *o)
{
  return o->prop != NULL ? r->get (r->row, o->prop) : &o->lit;
}

static Truth
eval_cmp (const Row *r, const Node *n)
{
  const wsim_value *a = operand_value (r, &n->lhs);
  wsim_value first = { 0 };
  gboolean comparable;
  int c;

  /* Two properties (an event query's TargetInstance.X <> PreviousInstance.X): the get
   * function's value lasts only until its next call, so the first is copied. */
  if (n->lhs.prop != NULL && n->rhs.prop != NULL && a != NULL)
    {
      wsim_value_copy (a, &first);
      a = &first;
    }
  comparable = wsim_value_compare (a, operand_value (r, &n->rhs), &c);
  wsim_value_clear (&first);
  if (!comparable)
    return TV_UNKNOWN;
  switch (n->op)
    {
    case OP_EQ: return c == 0 ? TV_TRUE : TV_FALSE;
    case OP_NE: return c != 0 ? TV_TRUE : TV_FALSE;
    case OP_LT: return c < 0 ? TV_TRUE : TV_FALSE;
    case OP_GT: return c > 0 ? TV_TRUE : TV_FALSE;
    case OP_LE: return c <= 0 ? TV_TRUE : TV_FALSE;
    case OP_GE: return c >= 0 ? TV_TRUE : TV_FALSE;
    default:    return TV_UNKNOWN;
    }
}

static Truth
eval_like (const Row *r, const Node *n)
{
  const wsim_value *v = operand_value (r, &n->lhs);
  g_autofree char *owned = NULL;
  const char *s;
  gboolean hit;

  if (v == NULL || v->type == CIM_EMPTY || (v->type & CIM_FLAG_ARRAY) != 0)
    return TV_UNKNOWN;
  switch (v->type)
    {
    case CIM_STRING:    s = v->wsim_value_u.v_string; break;
    case CIM_DATETIME:  s = v->wsim_value_u.v_datetime; break;
    case CIM_REFERENCE: s = v->wsim_value_u.v_reference; break;
    default:            s = owned = wsim_value_to_string (v); break;
    }
  hit = pattern_match (&n->pattern, s != NULL ? s : "");
  return hit != n->negated ? TV_TRUE : TV_FALSE;
}

static Truth
eval (const Row *r, const Node *n)
{
  Truth t, acc;

  switch (n->kind)
    {
    case NODE_AND:
    case NODE_OR:
      /* AND: FALSE wins, then UNKNOWN. OR: TRUE wins, then UNKNOWN. */
      acc = n->kind == NODE_AND ? TV_TRUE : TV_FALSE;
      for (guint i = 0; i < n->children->len; i++)
        {
          t = eval (r, g_ptr_array_index (n->children, i));
          if (t == (n->kind == NODE_AND ? TV_FALSE : TV_TRUE))
            return t;
          if (t == TV_UNKNOWN)
            acc = TV_UNKNOWN;
        }
      return acc;
    case NODE_NOT:
      t = eval (r, n->child);
      return t == TV_UNKNOWN ? TV_UNKNOWN : t == TV_TRUE ? TV_FALSE : TV_TRUE;
    case NODE_CMP:
      return eval_cmp (r, n);
    case NODE_IS_NULL:
      {
        const wsim_value *v = operand_value (r, &n->lhs);

        if (v == NULL)   /* unknown property: neither null nor not null */
          return TV_UNKNOWN;
        return (v->type == CIM_EMPTY) != n->negated ? TV_TRUE : TV_FALSE;
      }
    case NODE_LIKE:
      return eval_like (r, n);
    case NODE_ISA:
      if (r->isa == NULL)
        return TV_UNKNOWN;
      switch (r->isa (r->row, wsim_wql_is_this (n->lhs.prop) ? NULL : n->lhs.prop,
                      n->rhs.lit.wsim_value_u.v_string))
        {
        case WSIM_WQL_TRUE:  return TV_TRUE;
        case WSIM_WQL_FALSE: return TV_FALSE;
        default:             return TV_UNKNOWN;
        }
    default:
      return TV_UNKNOWN;
    }
}

gboolean
wsim_wql_query_matches_isa (const WsimWqlQuery *q, WsimWqlGetFunc get, WsimWqlIsaFunc isa,
                            gpointer row)
{
  Row r = { get, isa, row };

  g_return_val_if_fail (q != NULL, FALSE);
  g_return_val_if_fail (get != NULL, FALSE);

  if (q->where == NULL)
    return TRUE;
  return eval (&r, q->where) == TV_TRUE;
}

gboolean
wsim_wql_query_matches (const WsimWqlQuery *q, WsimWqlGetFunc get, gpointer row)
{
  return wsim_wql_query_matches_isa (q, get, NULL, row);
}

/* HAVING names NumberOfEvents only (having_bad_operand), so every property is that one. */
static const wsim_value *
having_get (gpointer row, const char *property)
{
  return row;
}

gboolean
wsim_wql_query_having_matches (const WsimWqlQuery *q, guint32 number_of_events)
{
  wsim_value n = { 0 };
  Row r = { having_get, NULL, &n };

  g_return_val_if_fail (q != NULL, FALSE);

  if (q->having == NULL)
    return TRUE;
  n.type = CIM_UINT32;
  n.wsim_value_u.v_uint32 = number_of_events;
  return eval (&r, q->having) == TV_TRUE;
}

/* ---------------------------------------------------------------- event queries */

double
wsim_wql_query_get_within (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, 0);
  return q->within;
}

double
wsim_wql_query_get_group_within (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, 0);
  return q->group_within;
}

const char *const *
wsim_wql_query_get_group_by (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, NULL);
  return q->group_by != NULL ? (const char *const *) q->group_by->pdata : NULL;
}

gboolean
wsim_wql_query_has_having (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, FALSE);
  return q->having != NULL;
}

/* The class of a "TargetInstance ISA 'C'" that @n requires: @n itself or a term of its AND
 * chain (a parenthesised chain is one term), never under OR or NOT. */
static const char *
required_target_class (const Node *n)
{
  const char *c;

  if (n->kind == NODE_ISA && g_ascii_strcasecmp (n->lhs.prop, "TargetInstance") == 0)
    return n->rhs.lit.wsim_value_u.v_string;
  if (n->kind == NODE_AND)
    for (guint i = 0; i < n->children->len; i++)
      if ((c = required_target_class (g_ptr_array_index (n->children, i))) != NULL)
        return c;
  return NULL;
}

const char *
wsim_wql_query_get_target_class (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, NULL);
  return q->kind == WSIM_WQL_EVENT && q->where != NULL ? required_target_class (q->where) : NULL;
}

/* The intrinsic event classes ("Determining the Type of Event to Receive"): WMI's, which
 * no class of a namespace can be named as (a user class may not begin with "__"). */
static const char *const intrinsic_classes[] = {
  "__InstanceCreationEvent", "__InstanceDeletionEvent", "__InstanceModificationEvent",
  "__InstanceOperationEvent", "__ClassCreationEvent", "__ClassDeletionEvent",
  "__ClassModificationEvent", "__ClassOperationEvent", "__NamespaceCreationEvent",
  "__NamespaceDeletionEvent", "__NamespaceModificationEvent", "__NamespaceOperationEvent",
};

gboolean
wsim_wql_query_is_intrinsic (const WsimWqlQuery *q)
{
  g_return_val_if_fail (q != NULL, FALSE);

  for (gsize i = 0; q->kind == WSIM_WQL_EVENT && i < G_N_ELEMENTS (intrinsic_classes); i++)
    if (g_ascii_strcasecmp (q->class_name, intrinsic_classes[i]) == 0)
      return TRUE;
  return FALSE;
}

static void G_GNUC_PRINTF (4, 5)
set_event_error (GError **error, WsimHResult hr, const WsimWqlQuery *q, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  wsim_set_error_at_valist (error, hr, "invalid event query", q->text, q->class_pos, format, ap);
  va_end (ap);
}

gboolean
wsim_wql_query_check_event (const WsimWqlQuery *q, gboolean is_event_class,
                            gboolean has_event_provider, GError **error)
{
  gboolean intrinsic;

  g_return_val_if_fail (q != NULL, FALSE);
  g_return_val_if_fail (q->kind == WSIM_WQL_EVENT, FALSE);

  intrinsic = wsim_wql_query_is_intrinsic (q);
  if (!intrinsic && !is_event_class)
    {
      set_event_error (error, WBEM_E_NOT_EVENT_CLASS, q,
                       "%s is not an event class (it does not derive from __Event)",
                       q->class_name);
      return FALSE;
    }
  /* Without an event provider WMI can only poll, and a poll needs its interval: "A WITHIN
   * clause was not used in this query" (WMI Error Constants). */
  if (intrinsic && q->within == 0 && !has_event_provider)
    {
      set_event_error (error, WBEMESS_E_REGISTRATION_TOO_PRECISE, q,
                       "%s needs WITHIN and a polling interval: no event provider serves %s",
                       q->class_name, wsim_wql_query_get_target_class (q) != NULL
                                        ? wsim_wql_query_get_target_class (q) : "its target");
      return FALSE;
    }
  return TRUE;
}

gboolean
wsim_wql_is_this (const char *property)
{
  return property != NULL && g_ascii_strcasecmp (property, "__THIS") == 0;
}

/* ---------------------------------------------------------------- property check */

static const Operand *
find_unknown (const Node *n, WsimWqlHasFunc has, gpointer cls)
{
  const Operand *o;

  switch (n->kind)
    {
    case NODE_AND:
    case NODE_OR:
      for (guint i = 0; i < n->children->len; i++)
        if ((o = find_unknown (g_ptr_array_index (n->children, i), has, cls)) != NULL)
          return o;
      return NULL;
    case NODE_NOT:
      return find_unknown (n->child, has, cls);
    default:
      /* __THIS is the object itself, not one of its properties. */
      if (n->kind == NODE_ISA && wsim_wql_is_this (n->lhs.prop))
        return NULL;
      if (n->lhs.prop != NULL && !has (cls, n->lhs.prop))
        return &n->lhs;
      if (n->kind == NODE_CMP && n->rhs.prop != NULL && !has (cls, n->rhs.prop))
        return &n->rhs;
      return NULL;
    }
}

static void
unknown_property (const WsimWqlQuery *q, const char *name, gsize pos, GError **error)
{
  wsim_set_error_hresult (error, WBEM_E_INVALID_QUERY,
                          "unknown property '%s' at position %ld in class %s", name,
                          wsim_text_position (q->text, pos), q->class_name);
}

/* @names: NULL-terminated, as q->props and q->group_by; @pos their offsets. */
static gboolean
check_names (const WsimWqlQuery *q, const GPtrArray *names, const GArray *pos, WsimWqlHasFunc has,
             gpointer cls, GError **error)
{
  for (guint i = 0; names != NULL && i + 1 < names->len; i++)
    if (!has (cls, g_ptr_array_index (names, i)))
      {
        unknown_property (q, g_ptr_array_index (names, i), g_array_index (pos, gsize, i), error);
        return FALSE;
      }
  return TRUE;
}

gboolean
wsim_wql_query_check_properties (const WsimWqlQuery *q, WsimWqlHasFunc has, gpointer cls,
                                 GError **error)
{
  const Operand *o;

  g_return_val_if_fail (q != NULL, FALSE);
  g_return_val_if_fail (has != NULL, FALSE);

  if (!check_names (q, q->props, q->prop_pos, has, cls, error))
    return FALSE;
  if (q->where != NULL && (o = find_unknown (q->where, has, cls)) != NULL)
    {
      unknown_property (q, o->prop, o->pos, error);
      return FALSE;
    }
  return check_names (q, q->group_by, q->group_by_pos, has, cls, error);
}
