/* test-gss.c: security contexts over real Kerberos and NTLMSSP, in one process: the
 * exchange, the peer's name, MIC and wrap both ways, and what a tampered or garbage token
 * gets. Each test runs in its own worker with its own realm (KDC stopped by pid). */
#include <criterion/criterion.h>
#include <string.h>

#include "wsim-gss.h"
#include "wsim-krb5-realm.h"
#include "wsim-test-gss.h"

static WsimKrb5Realm realm;

static void
start_realm (void)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_krb5_realm_start (&realm, &error), "realm: %s", error ? error->message : "");
}

static void
stop_realm (void)
{
  wsim_krb5_realm_stop (&realm);
}

TestSuite (gss, .init = start_realm, .fini = stop_realm, .timeout = 60);

static void
establish (WsimGssContext *init, WsimGssContext *acc)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_gss_exchange (init, acc, &error), "%s", error->message);
}

static GBytes *
flip_byte (GBytes *b, gsize at)
{
  gsize len = 0;
  const void *data = g_bytes_get_data (b, &len);
  guint8 *copy = g_memdup2 (data, len);

  copy[at % len] ^= 0x5a;
  return g_bytes_new_take (copy, len);
}

static gboolean
contains (GBytes *haystack, const char *needle)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (haystack, &len);

  return memmem (p, len, needle, strlen (needle)) != NULL;
}

/* @seals_always: gss-ntlmssp seals every wrap token whatever is asked (RPCSEC_GSS integrity
 * uses MICs, not wrap, so the payload stays visible there all the same). */
static void
protection_both_ways (WsimGssContext *init, WsimGssContext *acc, gboolean seals_always)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) msg = g_bytes_new_static ("MARKER-7f3a wmisim payload", 26);
  g_autoptr(GBytes) mic = wsim_gss_get_mic (init, msg, &error);
  g_autoptr(GBytes) bad_mic = NULL, sealed = NULL, signed_only = NULL, back = NULL, bad = NULL;
  gboolean encrypted = FALSE;

  cr_assert_not_null (mic, "%s", error ? error->message : "");
  cr_assert (wsim_gss_verify_mic (acc, msg, mic, &error), "%s", error ? error->message : "");

  /* Sealed: the marker is not on the wire; signed only: it is. */
  sealed = wsim_gss_wrap (acc, msg, TRUE, &error);
  cr_assert_not_null (sealed);
  cr_assert_not (contains (sealed, "MARKER-7f3a"), "a sealed token shows the payload");
  back = wsim_gss_unwrap (init, sealed, &encrypted, &error);
  cr_assert_not_null (back, "%s", error ? error->message : "");
  cr_assert (encrypted);
  cr_assert (g_bytes_equal (back, msg));
  g_clear_pointer (&back, g_bytes_unref);

  signed_only = wsim_gss_wrap (init, msg, FALSE, &error);
  cr_assert_neq (contains (signed_only, "MARKER-7f3a"), seals_always,
                 "an integrity-only token carries the payload unless the mechanism always seals");
  back = wsim_gss_unwrap (acc, signed_only, &encrypted, &error);
  cr_assert_not_null (back, "%s", error ? error->message : "");
  cr_assert_eq (encrypted, seals_always);
  cr_assert (g_bytes_equal (back, msg));

  /* Tampering last: a failed check may leave a sequenced mechanism (NTLMSSP) out of step,
   * which is why RPCSEC_GSS must drop such a context. */
  g_clear_pointer (&mic, g_bytes_unref);
  mic = wsim_gss_get_mic (init, msg, &error);
  bad_mic = flip_byte (mic, g_bytes_get_size (mic) - 1);
  cr_assert_not (wsim_gss_verify_mic (acc, msg, bad_mic, &error));
  cr_assert (g_error_matches (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_INTEGRITY), "%s", error->message);
  g_clear_error (&error);
  g_clear_pointer (&signed_only, g_bytes_unref);
  signed_only = wsim_gss_wrap (init, msg, FALSE, &error);

  bad = flip_byte (signed_only, g_bytes_get_size (signed_only) / 2);
  g_clear_pointer (&back, g_bytes_unref);
  back = wsim_gss_unwrap (acc, bad, NULL, &error);
  cr_assert_null (back, "a tampered token must not unwrap");
  cr_assert (g_error_matches (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_INTEGRITY));
}

Test (gss, kerberos_against_a_private_kdc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimGssContext) acc = wsim_gss_context_new_acceptor (wsim_gss_mech_kerberos (), "wbem@localhost", &error);
  g_autoptr(WsimGssContext) init = NULL;

  cr_assert_not_null (acc, "%s", error ? error->message : "");
  init = wsim_gss_context_new_initiator (wsim_gss_mech_kerberos (), "wbem@localhost", NULL, &error);
  cr_assert_not_null (init, "%s", error ? error->message : "");
  establish (init, acc);
  cr_assert_str_eq (wsim_gss_context_get_peer (acc), "alice@" WSIM_TEST_REALM);
  protection_both_ways (init, acc, FALSE);
}

Test (gss, ntlmssp_with_a_credentials_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimGssContext) acc = wsim_gss_context_new_acceptor (wsim_gss_mech_ntlmssp (), NULL, &error);
  g_autoptr(WsimGssContext) init = NULL;

  cr_assert_not_null (acc, "%s", error ? error->message : "");
  init = wsim_gss_context_new_initiator (wsim_gss_mech_ntlmssp (), "wbem@localhost", "WSIM\\alice", &error);
  cr_assert_not_null (init, "%s", error ? error->message : "");
  establish (init, acc);
  cr_assert (strstr (wsim_gss_context_get_peer (acc), "alice") != NULL, "%s", wsim_gss_context_get_peer (acc));
  protection_both_ways (init, acc, TRUE);
}

Test (gss, garbage_tokens_and_unknown_services_are_refused)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimGssContext) acc = wsim_gss_context_new_acceptor (wsim_gss_mech_kerberos (), "wbem@localhost", NULL);
  g_autoptr(WsimGssContext) stranger = wsim_gss_context_new_initiator (wsim_gss_mech_kerberos (), "nfs@localhost", NULL, NULL);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x60\x82\x01\x00garbage-token-bytes", 23);
  g_autoptr(GBytes) msg = g_bytes_new_static ("x", 1);
  GBytes *out = NULL;

  cr_assert_not_null (acc);
  cr_assert_not (wsim_gss_context_step (acc, garbage, &out, &error));
  cr_assert_null (out);
  cr_assert (g_error_matches (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_CONTEXT), "%s", error->message);
  g_clear_error (&error);

  /* No key for nfs/localhost in the realm: the KDC refuses the ticket. */
  cr_assert_not_null (stranger);
  cr_assert_not (wsim_gss_context_step (stranger, NULL, &out, &error));
  cr_assert (g_error_matches (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_CONTEXT), "%s", error->message);
  g_clear_error (&error);

  cr_assert_null (wsim_gss_get_mic (acc, msg, &error), "no MIC before the context exists");
  cr_assert (g_error_matches (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_NOT_READY));
  cr_assert_null (wsim_gss_mech_lookup ("spnego-maybe"));
  cr_assert_eq (wsim_gss_mech_lookup ("NTLM"), wsim_gss_mech_ntlmssp ());
}
