/* test-contexts.c: a thousand RPCSEC_GSS contexts made and dropped leave nothing behind.
 *
 * Each context gets a connection of its own: established by our client against our server
 * (the three services in turn), proved by a call, then dropped, every other one with DESTROY
 * and the rest by disconnecting without it. Afterwards the server must keep no context, and
 * the process's heap (the server runs on a thread of this process) must not have grown since
 * a warm-up that took the one-time costs (GSS-API's mechanism tables, the Kerberos ticket,
 * the engine's per-thread buffers).
 *
 * Kerberos frees everything it allocates, so its contexts are held to a fixed bound. gss-
 * ntlmssp 1.2.0 does not: it loads OpenSSL's legacy provider into a fresh library context for
 * every context it makes and never frees it (about 15 KiB for a pair of initiator and
 * acceptor; tests/valgrind.supp names it). So the
 * NTLMSSP run is held to what the same number of NTLMSSP contexts cost with no RPC at all,
 * made in this process just before.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <malloc.h>

#include "wsim-auth-gss.h"
#include "wsim-test-gss.h"
#include "wsim-testprog-server.h"

#define N_WARM_UP 50

static WsimTestGss fx;

static void
start (void)
{
  g_autoptr(GError) error = NULL;

  cr_assert (wsim_test_gss_start (&fx, &error), "realm: %s", error ? error->message : "");
}

static void
stop (void)
{
  wsim_test_gss_stop (&fx);
}

TestSuite (contexts, .init = start, .fini = stop, .timeout = 120);

/* Under valgrind or AddressSanitizer the heap is theirs (glibc's mallinfo2 sees nothing, or
 * their bookkeeping), and their own leak checkers judge the run instead. */
static gboolean
under_memcheck (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;   /* a build with -Db_sanitize=address */
#else
  return g_getenv ("WSIM_UNDER_VALGRIND") != NULL;   /* set by the valgrind test setup */
#endif
}

/* Bytes allocated and not freed: chunks in use in every thread's arena (glibc sums them) and
 * the blocks too large for an arena, which are mapped. */
static gint64
heap_in_use (void)
{
  struct mallinfo2 mi = mallinfo2 ();

  return (gint64) (mi.uordblks + mi.hblkhd);
}

typedef struct {
  const WsimGssMech *mech;
  const char        *user;   /* (nullable) the initiator; NULL for the default (Kerberos) */
} Who;

/* Makes context number @i on a connection of its own, calls with it, and drops it. */
static void
one_context (const Who *who, guint i)
{
  WsimGssService svc = (WsimGssService) (WSIM_GSS_SVC_NONE + i % 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimRpcClient) client = wsim_test_gss_connect (&fx, &error);
  g_autoptr(WsimAuth) auth = NULL;
  wsim_test_pair p = { (int) i, 1 };
  int sum = 0;

  cr_assert_not_null (client, "context %u: %s", i, error ? error->message : "");
  auth = wsim_auth_gss_establish (client, who->mech, "wbem@localhost", who->user, svc, &error);
  cr_assert_not_null (auth, "context %u: %s", i, error ? error->message : "");
  wsim_rpc_client_set_auth (client, auth);
  cr_assert (wsim_rpc_client_call_sync (client, WSIM_TEST_ADD, WSIM_XDRPROC (xdr_wsim_test_pair), &p,
                                        WSIM_XDRPROC (xdr_int), &sum, 10000, NULL, &error),
             "context %u: %s", i, error ? error->message : "");
  cr_assert_eq (sum, (int) i + 1);
  if (i % 2 == 0)
    cr_assert (wsim_auth_gss_destroy (client, auth, 10000, &error), "context %u: %s", i,
               error ? error->message : "");
  /* The others leave without DESTROY: the last unref closes the connection. */
}

static void
read_stats (WsimRpcServer *server, gpointer data)
{
  wsim_rpc_server_get_stats (server, data);
}

static gboolean
server_is_idle (gpointer data)
{
  WsimRpcServerStats st;

  wsim_test_server_thread_call (fx.srv, read_stats, &st);
  return st.n_connections == 0 && wsim_test_gss_n_contexts (&fx) == 0;
}

/* Runs contexts [@from, @to), then waits until the server has seen every connection close
 * and keeps no context. Returns how much the heap grew over it. */
static gint64
run_contexts (const Who *who, guint from, guint to)
{
  gint64 before = heap_in_use (), t0 = g_get_monotonic_time ();

  for (guint i = from; i < to; i++)
    one_context (who, i);
  cr_assert (wsim_test_run_until (fx.ctx, server_is_idle, NULL, 30000),
             "the server still keeps %u contexts after %u were dropped",
             wsim_test_gss_n_contexts (&fx), to - from);
  cr_log_info ("%s: %u contexts in %" G_GINT64_FORMAT " ms", wsim_gss_mech_get_name (who->mech),
               to - from, (g_get_monotonic_time () - t0) / 1000);
  return heap_in_use () - before;
}

/* How many contexts: a thousand; under valgrind or ASan two hundred. There a thousand of each
 * mechanism take minutes (valgrind: NTLMSSP 60 s, Kerberos 15 s; ASan, which memcheck.sh has
 * unwind the whole stack at every allocation: Kerberos 30 s, NTLMSSP over 120 s), against 2 s
 * without them. Their verdict is their leak report at exit, which a leak per context fills
 * at two hundred as surely as at a thousand. */
static guint
n_contexts (void)
{
  return under_memcheck () ? 200 : 1000;
}

/* A leak of this much per context, ours, fails the run. The heap otherwise moves by at most
 * a few tens of KiB with timing (a reply buffer still queued, a table that grew one step). */
#define BOUND_PER_CONTEXT 128

Test (contexts, a_thousand_kerberos_contexts_leave_no_growth)
{
  const Who krb = { wsim_gss_mech_kerberos (), NULL };
  guint n = n_contexts ();
  gint64 growth;

  run_contexts (&krb, 0, N_WARM_UP);
  growth = run_contexts (&krb, N_WARM_UP, N_WARM_UP + n);
  cr_log_info ("kerberos: the heap grew by %" G_GINT64_FORMAT " bytes over %u contexts", growth, n);
  if (under_memcheck ())
    return;   /* the leak checkers judge this run */
  cr_assert_lt (growth, (gint64) n * BOUND_PER_CONTEXT, "the heap grew by %" G_GINT64_FORMAT
                " bytes over %u contexts", growth, n);
}

/* The control: what @n NTLMSSP contexts cost the heap with no RPC, both sides in-process. */
static gint64
mechanism_alone (guint n)
{
  gint64 before = heap_in_use ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WsimGssContext) init = wsim_gss_context_new_initiator (wsim_gss_mech_ntlmssp (), "wbem@localhost",
                                                                       "WSIM\\alice", &error);
      g_autoptr(WsimGssContext) acc = wsim_gss_context_new_acceptor (NULL, NULL, &error);

      cr_assert (init != NULL && acc != NULL, "%s", error->message);
      cr_assert (wsim_test_gss_exchange (init, acc, &error), "%s", error->message);
    }
  return heap_in_use () - before;
}

Test (contexts, a_thousand_ntlmssp_contexts_cost_no_more_than_the_mechanism_leaks)
{
  const Who ntlm = { wsim_gss_mech_ntlmssp (), "WSIM\\alice" };
  guint n = n_contexts ();
  gint64 alone, growth;

  run_contexts (&ntlm, 0, N_WARM_UP);
  alone = under_memcheck () ? 0 : mechanism_alone (n);
  growth = run_contexts (&ntlm, N_WARM_UP, N_WARM_UP + n);
  cr_log_info ("ntlm: the heap grew by %" G_GINT64_FORMAT " bytes over %u contexts over RPC, by %"
               G_GINT64_FORMAT " over as many without", growth, n, alone);
  if (under_memcheck ())
    return;
  /* gss-ntlmssp's own leak is not quite the same with and without RPC between the two sides
   * (the difference is some tens of KiB, either way, depending on what ran before), hence
   * twice Kerberos's margin. */
  cr_assert_lt (growth - alone, (gint64) n * 2 * BOUND_PER_CONTEXT,
                "over RPC the heap grew by %" G_GINT64_FORMAT " bytes more than the mechanism "
                "alone accounts for (%" G_GINT64_FORMAT ")", growth - alone, alone);
}
