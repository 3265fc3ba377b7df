/* wsim-authn-level.c: names and parsing of RPC_C_AUTHN_LEVEL_* (see wsim-authn-level.h). */
#include "wsim-authn-level.h"

#include <stdlib.h>
#include <string.h>

static const struct {
  WsimAuthnLevel level;
  const char    *name;
  const char    *word;
} levels[] = {
  { RPC_C_AUTHN_LEVEL_DEFAULT, "RPC_C_AUTHN_LEVEL_DEFAULT", "default" },
  { RPC_C_AUTHN_LEVEL_NONE, "RPC_C_AUTHN_LEVEL_NONE", "none" },
  { RPC_C_AUTHN_LEVEL_CONNECT, "RPC_C_AUTHN_LEVEL_CONNECT", "connect" },
  { RPC_C_AUTHN_LEVEL_CALL, "RPC_C_AUTHN_LEVEL_CALL", "call" },
  { RPC_C_AUTHN_LEVEL_PKT, "RPC_C_AUTHN_LEVEL_PKT", "pkt" },
  { RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, "RPC_C_AUTHN_LEVEL_PKT_INTEGRITY", "pktIntegrity" },
  { RPC_C_AUTHN_LEVEL_PKT_PRIVACY, "RPC_C_AUTHN_LEVEL_PKT_PRIVACY", "pktPrivacy" },
};

const char *
wsim_authn_level_name (WsimAuthnLevel level)
{
  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    if (levels[i].level == level)
      return levels[i].name;
  return "?";
}

const char *
wsim_authn_level_word (WsimAuthnLevel level)
{
  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    if (levels[i].level == level)
      return levels[i].word;
  return "?";
}

gboolean
wsim_authn_level_parse (const char *text, WsimAuthnLevel *out)
{
  char *end;
  long n;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_ascii_strcasecmp (text, levels[i].word) == 0 || g_ascii_strcasecmp (text, levels[i].name) == 0
        || g_ascii_strcasecmp (text, levels[i].name + strlen ("RPC_C_AUTHN_LEVEL_")) == 0)
      {
        *out = levels[i].level;
        return TRUE;
      }
  n = strtol (text, &end, 10);
  if (*end != '\0' || n < RPC_C_AUTHN_LEVEL_DEFAULT || n > RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
    return FALSE;
  *out = (WsimAuthnLevel) n;
  return TRUE;
}

WsimAuthnLevel
wsim_authn_level_on_stream (WsimAuthnLevel level)
{
  return level == RPC_C_AUTHN_LEVEL_CALL ? RPC_C_AUTHN_LEVEL_PKT : level;
}
