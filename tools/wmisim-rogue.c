/* wmisim-rogue: a process that is not the server, calling a sink stub back: the attack the
 * seed warns of, for demonstrations (wmisim --rogue) and the tests.
 *
 *   wmisim-rogue ENDPOINT SINK_ID CALL_ID WHAT [LEVEL MECH USER TARGET]
 *
 * WHAT: "query" (the ladder's QUERY), "indicate" (one Rogue_Injected instance), "final"
 * (SetStatus(WBEM_STATUS_COMPLETE, WBEM_S_NO_ERROR)), "replay" (the same Indicate twice),
 * "bad-final" (a final SetStatus(WBEM_E_FAILED) whose error object names no class),
 * "indicate:N" (N such Indicates, one after another: a flood of forged callbacks).
 * LEVEL (default "none"): the level to call at; MECH, USER and TARGET: who to be and whom to
 * authenticate to above NONE (TARGET a principal, as the server's callbacks name the
 * client). Prints the stub's answer to each callback as "0xHRESULT" on its own line; exits
 * 0 when every callback got an answer, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsim-address.h"
#include "wsim-auth-for-level.h"
#include "wsim-auth-gss.h"
#include "wsim-authn-level.h"
#include "wsim-rpc-client.h"
#include "wsim-hresult.h"
#include "wsim-wbem.h"
#include "wsim_sink.h"

typedef struct {
  WsimAuth *auth;
  GError   *error;
  gboolean  done;
} AuthWait;

static void
on_auth (WsimAuth *auth, const GError *error, gpointer data)
{
  AuthWait *w = data;

  w->auth = auth;
  w->error = error != NULL ? g_error_copy (error) : NULL;
  w->done = TRUE;
}

static gboolean
send_one (WsimRpcClient *client, guint32 proc, xdrproc_t xargs, void *args)
{
  g_autoptr(GError) error = NULL;
  wsim_sink_res res = { 0 };

  if (!wsim_rpc_client_call_sync (client, proc, xargs, args, (xdrproc_t) xdr_wsim_sink_res, &res,
                                  10000, NULL, &error))
    {
      fprintf (stderr, "rogue: %s\n", error->message);
      return FALSE;
    }
  printf ("0x%08X\n", res.hresult);
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(WsimRpcClient) client = NULL;
  guint64 sink_id, call_id;
  WsimAuthnLevel level = RPC_C_AUTHN_LEVEL_NONE;
  wsim_property_def prop = { .name = (char *) "Payload", .cimtype = CIM_STRING, .is_key = TRUE };
  wsim_class_def cls = { .name = (char *) "Rogue_Injected", .superclass = (char *) "",
                         .props = { 1, &prop } };
  wsim_value value = { .type = CIM_STRING };
  wsim_instance row = { .class_idx = 0, .values = { 1, &value } };
  gboolean ok = TRUE;

  if (argc != 5 && argc != 9)
    {
      fprintf (stderr, "usage: wmisim-rogue ENDPOINT SINK_ID CALL_ID WHAT [LEVEL MECH USER TARGET]\n");
      return 2;
    }
  sink_id = g_ascii_strtoull (argv[2], NULL, 10);
  call_id = g_ascii_strtoull (argv[3], NULL, 10);
  value.wsim_value_u.v_string = (char *) "injected by a rogue process";
  if ((addr = wsim_address_parse (argv[1], &error)) == NULL
      || (client = wsim_rpc_client_connect (NULL, addr, WSIM_SINK_PROG, WSIM_SINK_V1, &error)) == NULL)
    {
      fprintf (stderr, "rogue: %s\n", error->message);
      return 1;
    }
  if (argc == 9)
    {
      WsimGssInitiatorOptions opts = { .user = argv[7], .target_is_principal = TRUE };
      AuthWait w = { 0 };

      if (!wsim_authn_level_parse (argv[5], &level))
        {
          fprintf (stderr, "rogue: bad level %s\n", argv[5]);
          return 2;
        }
      /* Bounded: the exchange's own timeouts end it. */
      wsim_auth_for_level_async (client, level, wsim_gss_mech_lookup (argv[6]), argv[8], &opts, on_auth, &w);
      while (!w.done)
        g_main_context_iteration (NULL, TRUE);
      if (w.auth == NULL)
        {
          fprintf (stderr, "rogue: cannot authenticate: %s\n", w.error->message);
          g_error_free (w.error);
          return 1;
        }
      wsim_rpc_client_set_auth (client, w.auth);
      wsim_auth_unref (w.auth);
    }

  if (g_str_equal (argv[4], "query"))
    {
      wsim_sink_query_args q = { .sink_id = sink_id, .call_id = call_id, .level = level, .last_rung = TRUE };

      ok = send_one (client, WSIM_SINK_QUERY, (xdrproc_t) xdr_wsim_sink_query_args, &q);
    }
  else if (g_str_equal (argv[4], "indicate") || g_str_equal (argv[4], "replay")
           || g_str_has_prefix (argv[4], "indicate:"))
    {
      wsim_indicate_args a = { .sink_id = sink_id, .call_id = call_id, .batch_seq = 0,
                               .new_classes = { 1, &cls }, .rows = { 1, &row } };
      guint64 n = g_str_equal (argv[4], "replay") ? 2 : 1;

      if (g_str_has_prefix (argv[4], "indicate:")
          && !g_ascii_string_to_unsigned (argv[4] + strlen ("indicate:"), 10, 1, G_MAXUINT32, &n, NULL))
        {
          fprintf (stderr, "rogue: bad count in %s\n", argv[4]);
          return 2;
        }
      for (guint64 i = 0; ok && i < n; i++)
        ok = send_one (client, WSIM_SINK_INDICATE, (xdrproc_t) xdr_wsim_indicate_args, &a);
    }
  else if (g_str_equal (argv[4], "final"))
    {
      wsim_set_status_args a = { .sink_id = sink_id, .call_id = call_id, .flags = WBEM_STATUS_COMPLETE,
                                 .hresult = WBEM_S_NO_ERROR, .str_param = (char *) "" };

      ok = send_one (client, WSIM_SINK_SET_STATUS, (xdrproc_t) xdr_wsim_set_status_args, &a);
    }
  else if (g_str_equal (argv[4], "bad-final"))
    {
      wsim_instance bad = { .class_idx = 99 };
      wsim_set_status_args a = { .sink_id = sink_id, .call_id = call_id, .flags = WBEM_STATUS_COMPLETE,
                                 .hresult = WBEM_E_FAILED, .str_param = (char *) "rogue",
                                 .obj_param = &bad };

      ok = send_one (client, WSIM_SINK_SET_STATUS, (xdrproc_t) xdr_wsim_set_status_args, &a);
    }
  else
    {
      fprintf (stderr, "rogue: unknown callback %s\n", argv[4]);
      return 2;
    }
  return ok ? 0 : 1;
}
