/* wsim-context.c: WsimContext, named typed values of a call (IWbemContext), and their wire
 * form. The types allowed are MS-WMI 2.2.13.2's (see wsim-context.h). */
#include "wsim-context-wire.h"

#include <string.h>

#include "wsim-hresult.h"
#include "wsim-value.h"

typedef struct {
  char      *name;    /* (owned) */
  wsim_value value;   /* (owned) */
} Entry;

struct _WsimContext {
  grefcount  ref_count;
  GPtrArray *entries;   /* (owned) Entry*, in the order first set */
};

static void
entry_free (gpointer p)
{
  Entry *e = p;

  g_free (e->name);
  wsim_value_clear (&e->value);
  g_free (e);
}

WsimContext *
wsim_context_new (void)
{
  WsimContext *ctx = g_new0 (WsimContext, 1);

  g_ref_count_init (&ctx->ref_count);
  ctx->entries = g_ptr_array_new_with_free_func (entry_free);
  return ctx;
}

WsimContext *
wsim_context_ref (WsimContext *ctx)
{
  g_ref_count_inc (&ctx->ref_count);
  return ctx;
}

void
wsim_context_unref (WsimContext *ctx)
{
  if (ctx == NULL || !g_ref_count_dec (&ctx->ref_count))
    return;
  g_ptr_array_unref (ctx->entries);
  g_free (ctx);
}

gboolean
wsim_context_type_supported (guint32 cimtype)
{
  if (cimtype == CIM_EMPTY)
    return TRUE;
  switch (cimtype & ~(guint32) CIM_FLAG_ARRAY)
    {
    case CIM_SINT8: case CIM_UINT8: case CIM_SINT16: case CIM_UINT16: case CIM_SINT32:
    case CIM_UINT32: case CIM_REAL32: case CIM_REAL64: case CIM_BOOLEAN: case CIM_STRING:
      return TRUE;
    default:
      return FALSE;
    }
}

static gint
find (const WsimContext *ctx, const char *name)
{
  for (guint i = 0; i < ctx->entries->len; i++)
    if (g_ascii_strcasecmp (((Entry *) ctx->entries->pdata[i])->name, name) == 0)
      return (gint) i;
  return -1;
}

/* The checks SetValue and the server's decoder share. */
static gboolean
check_value (const char *name, const wsim_value *value, GError **error)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > WSIM_MAX_NAME)
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                              "a context value needs a name of 1 to %d bytes", WSIM_MAX_NAME);
      return FALSE;
    }
  if (!wsim_context_type_supported (value->type))
    {
      const char *type = wsim_cimtype_name (value->type);

      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                              "context value %s: a context cannot carry a %s (IWbemContext "
                              "takes the VARIANT types of MS-WMI 2.2.13.2 only)", name,
                              type != NULL ? type : "value of an unknown type");
      return FALSE;
    }
  return TRUE;
}

gboolean
wsim_context_set_value (WsimContext *ctx, const char *name, const wsim_value *value,
                        GError **error)
{
  gint i;
  Entry *e;

  if (!check_value (name, value, error))
    return FALSE;
  i = find (ctx, name);
  if (i >= 0)
    {
      e = ctx->entries->pdata[i];
      wsim_value_copy (value, &e->value);
      return TRUE;
    }
  if (ctx->entries->len >= WSIM_CONTEXT_MAX_VALUES)
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                              "a context holds at most %d values", WSIM_CONTEXT_MAX_VALUES);
      return FALSE;
    }
  e = g_new0 (Entry, 1);
  e->name = g_strdup (name);
  wsim_value_copy (value, &e->value);
  g_ptr_array_add (ctx->entries, e);
  return TRUE;
}

const wsim_value *
wsim_context_get_value (const WsimContext *ctx, const char *name)
{
  gint i = name != NULL ? find (ctx, name) : -1;

  return i >= 0 ? &((Entry *) ctx->entries->pdata[i])->value : NULL;
}

gboolean
wsim_context_delete_value (WsimContext *ctx, const char *name)
{
  gint i = name != NULL ? find (ctx, name) : -1;

  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (ctx->entries, (guint) i);
  return TRUE;
}

void
wsim_context_delete_all (WsimContext *ctx)
{
  g_ptr_array_set_size (ctx->entries, 0);
}

guint
wsim_context_get_n_values (const WsimContext *ctx)
{
  return ctx->entries->len;
}

const char *
wsim_context_get_nth (const WsimContext *ctx, guint i, const wsim_value **out_value)
{
  Entry *e;

  g_return_val_if_fail (i < ctx->entries->len, NULL);
  e = ctx->entries->pdata[i];
  if (out_value != NULL)
    *out_value = &e->value;
  return e->name;
}

WsimContext *
wsim_context_clone (const WsimContext *ctx)
{
  WsimContext *copy = wsim_context_new ();

  for (guint i = 0; i < ctx->entries->len; i++)
    {
      Entry *e = ctx->entries->pdata[i];

      wsim_context_set_value (copy, e->name, &e->value, NULL);
    }
  return copy;
}

gboolean
wsim_context_parse_assignment (WsimContext *ctx, const char *text, GError **error)
{
  const char *eq = strchr (text, '=');
  g_autofree char *name = NULL;
  char *colon;
  guint32 type = CIM_STRING;
  wsim_value src = { .type = CIM_STRING }, v = { 0 };
  gboolean ok;

  if (eq == NULL || eq == text)
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                              "'%s': a context value is NAME=VALUE or NAME:TYPE=VALUE", text);
      return FALSE;
    }
  name = g_strndup (text, (gsize) (eq - text));
  colon = strchr (name, ':');
  if (colon != NULL)
    {
      *colon = '\0';
      if (!wsim_cimtype_from_name (colon + 1, &type) || (type & CIM_FLAG_ARRAY) != 0
          || !wsim_context_type_supported (type))
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                                  "context value %s: type '%s' is not one a context carries "
                                  "(sint8, uint8, sint16, uint16, sint32, uint32, real32, "
                                  "real64, boolean, string)", name, colon + 1);
          return FALSE;
        }
    }
  src.wsim_value_u.v_string = (char *) eq + 1;
  if (!wsim_value_convert (&src, type, &v))
    {
      wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                              "context value %s: '%s' is not a %s", name, eq + 1,
                              wsim_cimtype_name (type));
      return FALSE;
    }
  ok = wsim_context_set_value (ctx, name, &v, error);
  wsim_value_clear (&v);
  return ok;
}

/* ---- the wire ---- */

void
wsim_context_to_wire (const WsimContext *ctx, wsim_context *out)
{
  guint n = ctx->entries->len;

  out->values.values_len = n;
  out->values.values_val = g_new0 (wsim_context_value, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      Entry *e = ctx->entries->pdata[i];

      out->values.values_val[i].name = e->name;
      out->values.values_val[i].value = e->value;
    }
}

WsimContext *
wsim_context_from_wire (const wsim_context *w, GError **error)
{
  g_autoptr(WsimContext) ctx = wsim_context_new ();

  for (guint i = 0; i < w->values.values_len; i++)
    {
      const wsim_context_value *cv = &w->values.values_val[i];

      if (!check_value (cv->name, &cv->value, error))
        return NULL;
      if (find (ctx, cv->name) >= 0)
        {
          wsim_set_error_hresult (error, WBEM_E_INVALID_PARAMETER,
                                  "context value %s is given twice", cv->name);
          return NULL;
        }
      wsim_context_set_value (ctx, cv->name, &cv->value, NULL);
    }
  return g_steal_pointer (&ctx);
}
