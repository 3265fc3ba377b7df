/* bench-gss-raw.c: what GSS-API itself costs per message, in one process, with no RPC.
 *
 *   bench-gss-raw --mech kerberos|ntlm --op mic|wrap [--size 65536] [--seconds 1]
 *                 [--warmup 0.2]
 *
 * Establishes an initiator and an acceptor context of the mechanism against each other in
 * this process (the realm and the NTLM credentials file come from the environment, as
 * run-gss.sh sets them), then, for --seconds after --warmup, sends a --size message each
 * way per round:
 *
 *   mic   gss_get_mic on one side, gss_verify_mic on the other (what RPCSEC_GSS integrity
 *         adds to a body)
 *   wrap  gss_wrap with confidentiality on one side, gss_unwrap on the other (privacy)
 *
 * and prints one line, e.g.
 *
 *   mech=kerberos op=mic size=65536 rounds=2870 seconds=1.000 us_per_msg=174.2 mb_per_s=188.1 mb_per_s_one_way=376.2
 *
 * us_per_msg is the protect + check cost of one message. mb_per_s counts a round (one message
 * initiator->acceptor and one back) as `size` bytes moved each way, which is exactly what an
 * ECHO of `size` bytes moves: it is the ceiling an echo's "MB/s each way" would reach if the
 * transport cost nothing. mb_per_s_one_way is the same cost counted per message (twice that).
 *
 * Why GSS-API directly and not rpc/wsim-gss.c: the figure is the reference the engine is
 * compared with, so it must not include the engine's own copies. The contexts are asked for
 * integrity and confidentiality explicitly, as the engine does (NTLMSSP signs with zeros
 * otherwise), and must grant both.
 *
 * Exit status: 0 on success, 1 when GSS-API failed, 2 on bad usage. Not a test and not
 * installed: see bench/README.md.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <gssapi/gssapi.h>

#include "bench-util.h"

#define TARGET "wbem@localhost"

typedef struct {
  const char   *name;
  gss_OID_desc  oid;
  const char   *user;   /* the initiator's name; NULL: the default credentials */
} RawMech;

/* The same mechanisms and initiator names as the RPC benchmark's clients. */
static const RawMech raw_mechs[] = {
  { "kerberos", { 9, (void *) "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" }, NULL },
  { "ntlm", { 10, (void *) "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" }, "WSIM\\alice" },
};

static void
report (const char *what, OM_uint32 major, OM_uint32 minor, const gss_OID mech)
{
  OM_uint32 codes[2] = { major, minor };
  int kinds[2] = { GSS_C_GSS_CODE, GSS_C_MECH_CODE };

  fprintf (stderr, "bench-gss-raw: %s:", what);
  for (int k = 0; k < 2; k++)
    {
      OM_uint32 more = 0, min;

      if (codes[k] == 0)
        continue;
      do
        {
          gss_buffer_desc text = GSS_C_EMPTY_BUFFER;

          if (GSS_ERROR (gss_display_status (&min, codes[k], kinds[k], mech, &more, &text)))
            break;
          fprintf (stderr, " %.*s;", (int) text.length, (const char *) text.value);
          gss_release_buffer (&min, &text);
        }
      while (more != 0);
    }
  fputc ('\n', stderr);
}

/* Runs the exchange to the end in this process; both contexts must grant integrity and
 * confidentiality. */
static gboolean
establish (const RawMech *m, gss_ctx_id_t *init, gss_ctx_id_t *acc)
{
  const OM_uint32 wanted = GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG;
  gss_OID_set_desc mechs = { 1, (gss_OID) &m->oid };
  gss_buffer_desc nbuf, to_acc = GSS_C_EMPTY_BUFFER, to_init = GSS_C_EMPTY_BUFFER;
  gss_name_t user = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
  gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
  OM_uint32 major, minor, iflags = 0, aflags = 0;
  gboolean init_done = FALSE, acc_done = FALSE, ok = FALSE;

  if (m->user != NULL)
    {
      nbuf.value = (void *) m->user;
      nbuf.length = strlen (m->user);
      major = gss_import_name (&minor, &nbuf, GSS_C_NT_USER_NAME, &user);
      if (GSS_ERROR (major))
        {
          report ("importing the user name", major, minor, (gss_OID) &m->oid);
          return FALSE;
        }
    }
  nbuf.value = (void *) TARGET;
  nbuf.length = strlen (TARGET);
  major = gss_import_name (&minor, &nbuf, GSS_C_NT_HOSTBASED_SERVICE, &target);
  if (!GSS_ERROR (major))
    major = gss_acquire_cred (&minor, user, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &cred,
                              NULL, NULL);
  if (GSS_ERROR (major))
    {
      report ("initiator credentials", major, minor, (gss_OID) &m->oid);
      goto out;
    }

  /* The acceptor takes the default credentials of every mechanism, as the server does. */
  for (int leg = 0; leg < 10 && !(init_done && acc_done); leg++)
    {
      if (!init_done)
        {
          major = gss_init_sec_context (&minor, cred, init, target, (gss_OID) &m->oid,
                                        GSS_C_MUTUAL_FLAG | wanted, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                        to_init.length > 0 ? &to_init : GSS_C_NO_BUFFER, NULL,
                                        &to_acc, &iflags, NULL);
          gss_release_buffer (&minor, &to_init);
          if (GSS_ERROR (major))
            {
              report ("gss_init_sec_context", major, minor, (gss_OID) &m->oid);
              goto out;
            }
          init_done = !(major & GSS_S_CONTINUE_NEEDED);
        }
      if (to_acc.length > 0)
        {
          major = gss_accept_sec_context (&minor, acc, GSS_C_NO_CREDENTIAL, &to_acc,
                                          GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &to_init,
                                          &aflags, NULL, NULL);
          gss_release_buffer (&minor, &to_acc);
          if (GSS_ERROR (major))
            {
              report ("gss_accept_sec_context", major, minor, (gss_OID) &m->oid);
              goto out;
            }
          acc_done = !(major & GSS_S_CONTINUE_NEEDED);
        }
    }
  if (!init_done || !acc_done)
    fprintf (stderr, "bench-gss-raw: the %s exchange did not finish\n", m->name);
  else if ((iflags & wanted) != wanted || (aflags & wanted) != wanted)
    fprintf (stderr, "bench-gss-raw: the %s contexts lack integrity or confidentiality "
             "(initiator 0x%x, acceptor 0x%x)\n", m->name, (unsigned) iflags, (unsigned) aflags);
  else
    ok = TRUE;

out:
  gss_release_buffer (&minor, &to_acc);
  gss_release_buffer (&minor, &to_init);
  if (cred != GSS_C_NO_CREDENTIAL)
    gss_release_cred (&minor, &cred);
  if (user != GSS_C_NO_NAME)
    gss_release_name (&minor, &user);
  if (target != GSS_C_NO_NAME)
    gss_release_name (&minor, &target);
  return ok;
}

/* One message from @from to @to: protect, then check. @check_bytes compares what unwrap
 * gave back with what was sent (once is enough to know the pair works). */
static gboolean
one_message (gss_ctx_id_t from, gss_ctx_id_t to, gboolean wrap, gss_buffer_desc *msg,
             gboolean check_bytes, const gss_OID mech)
{
  gss_buffer_desc token = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
  OM_uint32 major, minor;
  int conf = 0;
  gboolean ok = TRUE;

  if (!wrap)
    {
      major = gss_get_mic (&minor, from, GSS_C_QOP_DEFAULT, msg, &token);
      if (GSS_ERROR (major))
        {
          report ("gss_get_mic", major, minor, mech);
          return FALSE;
        }
      major = gss_verify_mic (&minor, to, msg, &token, NULL);
      if (GSS_ERROR (major))
        {
          report ("gss_verify_mic", major, minor, mech);
          ok = FALSE;
        }
      gss_release_buffer (&minor, &token);
      return ok;
    }

  major = gss_wrap (&minor, from, 1, GSS_C_QOP_DEFAULT, msg, &conf, &token);
  if (GSS_ERROR (major) || !conf)
    {
      report ("gss_wrap (confidentiality)", major, minor, mech);
      gss_release_buffer (&minor, &token);
      return FALSE;
    }
  major = gss_unwrap (&minor, to, &token, &plain, &conf, NULL);
  if (GSS_ERROR (major))
    {
      report ("gss_unwrap", major, minor, mech);
      ok = FALSE;
    }
  else if (check_bytes && (!conf || plain.length != msg->length
                           || memcmp (plain.value, msg->value, msg->length) != 0))
    {
      fprintf (stderr, "bench-gss-raw: gss_unwrap gave back something else\n");
      ok = FALSE;
    }
  gss_release_buffer (&minor, &plain);
  gss_release_buffer (&minor, &token);
  return ok;
}

typedef struct {
  gss_ctx_id_t     init, acc;
  gboolean         wrap;
  gss_buffer_desc  msg;
  gboolean         checked;   /* the first round compared the bytes */
  gss_OID          mech;
} Rounds;

/* A round is one message each way: what one ECHO call costs in GSS-API. */
static gboolean
one_round (gpointer data)
{
  Rounds *r = data;

  if (!one_message (r->init, r->acc, r->wrap, &r->msg, !r->checked, r->mech)
      || !one_message (r->acc, r->init, r->wrap, &r->msg, !r->checked, r->mech))
    return FALSE;
  r->checked = TRUE;
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *mech_name = NULL, *op = NULL;
  g_autofree guint8 *payload = NULL;
  double seconds = 1.0, warmup = 0.2, secs, mbps;
  gint size = 65536;
  Rounds r = { GSS_C_NO_CONTEXT, GSS_C_NO_CONTEXT };
  const RawMech *m = NULL;
  guint64 rounds = 0;
  gint64 elapsed_us = 0;
  OM_uint32 minor;
  int rc = 1;
  GOptionEntry entries[] = {
    { "mech", 'm', 0, G_OPTION_ARG_STRING, &mech_name, "kerberos or ntlm", "MECH" },
    { "op", 'o', 0, G_OPTION_ARG_STRING, &op, "mic (get_mic + verify_mic) or wrap (wrap + unwrap)", "OP" },
    { "size", 'z', 0, G_OPTION_ARG_INT, &size, "message bytes (default 65536)", "BYTES" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "measured time (default 1)", "S" },
    { "warmup", 'w', 0, G_OPTION_ARG_DOUBLE, &warmup, "warm-up time (default 0.2)", "S" },
    { NULL }
  };

  if (!bench_parse_options ("- raw GSS-API MIC or wrap throughput, in one process", entries,
                            &argc, &argv))
    return 2;
  for (gsize i = 0; mech_name != NULL && i < G_N_ELEMENTS (raw_mechs); i++)
    if (g_ascii_strcasecmp (mech_name, raw_mechs[i].name) == 0)
      m = &raw_mechs[i];
  if (m == NULL || op == NULL || (!g_str_equal (op, "mic") && !g_str_equal (op, "wrap"))
      || size < 1 || seconds <= 0 || warmup < 0)
    {
      fprintf (stderr, "usage: bench-gss-raw --mech kerberos|ntlm --op mic|wrap "
               "[--size N] [--seconds S] [--warmup S]\n");
      return 2;
    }
  r.wrap = g_str_equal (op, "wrap");
  r.mech = (gss_OID) &m->oid;

  if (!establish (m, &r.init, &r.acc))
    goto out;
  payload = bench_make_payload ((gsize) size);
  r.msg.value = payload;
  r.msg.length = (size_t) size;
  if (!bench_run_timed (one_round, &r, (gint64) (warmup * G_USEC_PER_SEC),
                        (gint64) (seconds * G_USEC_PER_SEC), &rounds, &elapsed_us))
    goto out;

  secs = (double) elapsed_us / G_USEC_PER_SEC;
  mbps = (double) rounds * size / secs / 1e6;
  printf ("mech=%s op=%s size=%d rounds=%" G_GUINT64_FORMAT " seconds=%.3f us_per_msg=%.1f "
          "mb_per_s=%.1f mb_per_s_one_way=%.1f\n", m->name, op, size, rounds, secs,
          secs * 1e6 / (2.0 * (double) rounds), mbps, 2 * mbps);
  rc = 0;

out:
  if (r.init != GSS_C_NO_CONTEXT)
    gss_delete_sec_context (&minor, &r.init, GSS_C_NO_BUFFER);
  if (r.acc != GSS_C_NO_CONTEXT)
    gss_delete_sec_context (&minor, &r.acc, GSS_C_NO_BUFFER);
  return rc;
}
