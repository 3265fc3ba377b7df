/* wsim-security.c: blankets and the process-wide default (see wsim-security.h). */
#include "wsim-security.h"

#include <gio/gio.h>
#include <stdlib.h>

#include "wsim-hresult.h"

/* Indexed by value: the scripting word follows the prefix-less name. */
static const char *const imp_names[] = {
  "RPC_C_IMP_LEVEL_DEFAULT", "RPC_C_IMP_LEVEL_ANONYMOUS", "RPC_C_IMP_LEVEL_IDENTIFY",
  "RPC_C_IMP_LEVEL_IMPERSONATE", "RPC_C_IMP_LEVEL_DELEGATE",
};

const char *
wsim_imp_level_name (WsimImpLevel level)
{
  return (guint) level < G_N_ELEMENTS (imp_names) ? imp_names[level] : "?";
}

gboolean
wsim_imp_level_parse (const char *text, WsimImpLevel *out)
{
  char *end;
  long n;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (imp_names); i++)
    if (g_ascii_strcasecmp (text, imp_names[i]) == 0
        || g_ascii_strcasecmp (text, imp_names[i] + sizeof "RPC_C_IMP_LEVEL_" - 1) == 0)
      {
        *out = (WsimImpLevel) i;
        return TRUE;
      }
  n = strtol (text, &end, 10);
  if (*end != '\0' || n < 0 || n >= (long) G_N_ELEMENTS (imp_names))
    return FALSE;
  *out = (WsimImpLevel) n;
  return TRUE;
}

const char *
wsim_authn_svc_name (guint32 authn_svc)
{
  switch (authn_svc)
    {
    case RPC_C_AUTHN_WINNT: return "ntlm";
    case RPC_C_AUTHN_GSS_KERBEROS: return "kerberos";
    case RPC_C_AUTHN_DEFAULT: return "default";
    case RPC_C_AUTHN_GSS_NEGOTIATE: return "negotiate";
    case RPC_C_AUTHN_NONE: return "none";
    default: return "?";
    }
}

void
wsim_blanket_clear (WsimBlanket *b)
{
  g_free (b->domain);
  g_free (b->server_principal);
  g_free (b->user);
  *b = (WsimBlanket) WSIM_BLANKET_INIT;
}

void
wsim_blanket_copy (WsimBlanket *dst, const WsimBlanket *src)
{
  WsimBlanket copy = *src;

  copy.domain = g_strdup (src->domain);
  copy.server_principal = g_strdup (src->server_principal);
  copy.user = g_strdup (src->user);
  wsim_blanket_clear (dst);
  *dst = copy;
}

gboolean
wsim_blanket_check (const WsimBlanket *b, GError **error)
{
  if ((guint) b->authn_level > RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown authentication level %u (RPC_C_AUTHN_LEVEL_* is 0-6)", b->authn_level);
      return FALSE;
    }
  if ((guint) b->imp_level > RPC_C_IMP_LEVEL_DELEGATE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown impersonation level %u (RPC_C_IMP_LEVEL_* is 0-4)", b->imp_level);
      return FALSE;
    }
  if (b->authn_svc != RPC_C_AUTHN_WINNT && b->authn_svc != RPC_C_AUTHN_GSS_KERBEROS
      && b->authn_svc != RPC_C_AUTHN_DEFAULT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "authentication service %u is not available (RPC_C_AUTHN_WINNT 10, "
                   "RPC_C_AUTHN_GSS_KERBEROS 16, RPC_C_AUTHN_DEFAULT)", b->authn_svc);
      return FALSE;
    }
  return TRUE;
}

/* The process default: written once under the lock, read under it. */
static GMutex default_lock;
static gboolean default_set;
static WsimBlanket default_blanket = WSIM_BLANKET_INIT;

gboolean
wsim_security_initialize (const WsimBlanket *blanket, GError **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (blanket != NULL, FALSE);
  if (!wsim_blanket_check (blanket, error))
    return FALSE;
  g_mutex_lock (&default_lock);
  if (default_set)
    wsim_set_error_hresult (error, RPC_E_TOO_LATE, "the process security is already initialized");
  else
    {
      wsim_blanket_copy (&default_blanket, blanket);
      default_set = ok = TRUE;
    }
  g_mutex_unlock (&default_lock);
  return ok;
}

void
wsim_security_get_default (WsimBlanket *out)
{
  g_mutex_lock (&default_lock);
  wsim_blanket_copy (out, &default_blanket);
  g_mutex_unlock (&default_lock);
}
