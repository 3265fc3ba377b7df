/* wsim-test-ladder.c: the callback ladder as the matrix tests read and predict it (see
 * wsim-test-ladder.h). */
#include "wsim-test-ladder.h"

#include "wsim-wbem.h"

char *
wsim_test_ladder_attempts (WsimTrace *trace, guint64 call_id)
{
  g_autoptr(GPtrArray) events = wsim_trace_get_events (trace, call_id);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      WsimTraceEvent *e = events->pdata[i];

      if (e->kind == WSIM_TRACE_CALLBACK)
        g_string_append_printf (out, "%s%s:%s", out->len ? " " : "",
                                wsim_authn_level_word ((WsimAuthnLevel) e->auth.level),
                                e->hr == WBEM_S_NO_ERROR ? "ok" : "refused");
    }
  return g_string_free (out, FALSE);
}

char *
wsim_test_expected_ladder (gboolean local_none, WsimAuthnLevel host_max, gboolean check,
                           WsimHResult *final_hr)
{
  static const WsimAuthnLevel ladder[] = {
    RPC_C_AUTHN_LEVEL_PKT_PRIVACY, RPC_C_AUTHN_LEVEL_PKT_INTEGRITY, RPC_C_AUTHN_LEVEL_PKT,
    RPC_C_AUTHN_LEVEL_CONNECT, RPC_C_AUTHN_LEVEL_NONE,
  };
  GString *out = g_string_new (NULL);

  *final_hr = WBEM_E_ACCESS_DENIED;
  for (guint i = local_none ? G_N_ELEMENTS (ladder) - 1 : 0; i < G_N_ELEMENTS (ladder); i++)
    {
      gboolean taken = ladder[i] <= host_max && (!check || ladder[i] >= RPC_C_AUTHN_LEVEL_CONNECT);

      g_string_append_printf (out, "%s%s:%s", out->len ? " " : "", wsim_authn_level_word (ladder[i]),
                              taken ? "ok" : "refused");
      if (taken)
        {
          *final_hr = WBEM_S_NO_ERROR;
          break;
        }
    }
  return g_string_free (out, FALSE);
}
