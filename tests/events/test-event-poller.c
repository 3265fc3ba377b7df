/* test-event-poller.c: intrinsic events by polling (runtime/server/wsim-event-poller.h).
 *
 * Real processes through the Win32_Process provider (the test starts `sleep` and kills it by
 * its pid), and an in-test provider whose instances the test changes between rounds. Every
 * wait iterates the main loop until a condition holds, with a deadline.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "wsim-event-poller.h"
#include "wsim-repository.h"
#include "wsim-test-loop.h"
#include "wsim-value.h"

#define WAIT_MS     10000
#define INTERVAL_MS 50

/* ---- an in-test provider: Test_Knob (Id key, Value) and Test_KnobEx, from arrays ---- */

#define N_KNOBS 8

typedef struct {
  gboolean    present;
  const char *value;
} Knob;

static Knob knobs[N_KNOBS];      /* Test_Knob.Id = index */
static Knob knobs_ex[N_KNOBS];   /* Test_KnobEx.Id = 100 + index */
static gboolean fail_rounds;     /* the provider answers WBEM_E_FAILED */
static guint n_enumerations;

static const WsimProvProperty knob_props[] = {
  { "Id", 19 /* CIM_UINT32 */, 1 },
  { "Value", 8 /* CIM_STRING */, 0 },
};

static const WsimProvClass knob_classes[] = {
  { "Test_Knob", NULL, knob_props, G_N_ELEMENTS (knob_props) },
  { "Test_KnobEx", "Test_Knob", NULL, 0 },
};

static void
knob_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;
  gboolean ex = strcmp (class_name, "Test_KnobEx") == 0;
  Knob *set = ex ? knobs_ex : knobs;

  n_enumerations++;
  if (fail_rounds)
    {
      ops->post_result (ctx, WSIM_PROV_E_FAILED, "the knobs are stuck");
      return;
    }
  for (int i = 0; i < N_KNOBS; i++)
    if (set[i].present)
      {
        WsimProvInstance *inst = ops->new_instance (ctx, class_name);

        ops->set_uint64 (inst, "Id", (uint64_t) (ex ? 100 + i : i));
        ops->set_string (inst, "Value", set[i].value);
        ops->post_instance (ctx, inst);
      }
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static const WsimProvider knob_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "test-knob",
  .classes = knob_classes,
  .n_classes = G_N_ELEMENTS (knob_classes),
  .enumerate = knob_enumerate,
};

/* ---- the fixture ---------------------------------------------------------------------- */

static WsimRepository *repo;
static WsimEventPollers *set;
static const WsimProvCaller nobody = { .level = 1 };

static void
setup (void)
{
  g_autoptr(GError) error = NULL;

  memset (knobs, 0, sizeof knobs);
  memset (knobs_ex, 0, sizeof knobs_ex);
  fail_rounds = FALSE;
  n_enumerations = 0;
  repo = wsim_repository_new ();
  cr_assert (wsim_repository_load_dir (repo, "root\\cimv2", WSIM_TEST_PROVIDER_DIR, NULL, &error),
             "%s", error != NULL ? error->message : "");
  cr_assert (wsim_repository_register_provider (repo, "root\\test", &knob_provider, NULL, &error),
             "%s", error != NULL ? error->message : "");
  set = wsim_event_pollers_new (repo, NULL);
}

static void
teardown (void)
{
  g_clear_pointer (&set, wsim_event_pollers_free);
  g_clear_pointer (&repo, wsim_repository_free);
}

TestSuite (event_poller, .init = setup, .fini = teardown, .timeout = 60);

/* ---- what a watch saw ------------------------------------------------------------------ */

typedef struct {
  WsimInstanceChange what;
  WsimObject        *target;
  WsimObject        *previous;
} Change;

typedef struct {
  GArray         *changes;     /* Change */
  guint           n_failed;
  WsimHResult     failed_hr;
  char           *failed_why;
  WsimEventWatch *watch;
  gboolean        cancel_on_change;
  const char     *only_prop;   /* (nullable) keep only changes whose target has this … */
  guint64         only_id;     /* … numeric property equal to this */
} Seen;

/* A numeric property of any width, read through its text. */
static guint64
u64 (WsimObject *obj, const char *prop)
{
  const wsim_value *v = wsim_object_lookup (obj, prop);
  g_autofree char *text = NULL;

  cr_assert_not_null (v, "%s", prop);
  text = wsim_value_to_string (v);
  return g_ascii_strtoull (text, NULL, 10);
}

static const char *
str (WsimObject *obj, const char *prop)
{
  const wsim_value *v = wsim_object_lookup (obj, prop);

  cr_assert_not_null (v, "%s", prop);
  cr_assert_eq (v->type, CIM_STRING, "%s", prop);
  return v->wsim_value_u.v_string;
}

static void
change_clear (Change *c)
{
  wsim_object_unref (c->target);
  g_clear_pointer (&c->previous, wsim_object_unref);
}

static void
seen_init (Seen *s)
{
  memset (s, 0, sizeof *s);
  s->changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_array_set_clear_func (s->changes, (GDestroyNotify) change_clear);
}

static void
seen_clear (Seen *s)
{
  wsim_event_watch_cancel (s->watch);
  g_array_unref (s->changes);
  g_free (s->failed_why);
}

static void
on_change (WsimInstanceChange what, WsimObject *target, WsimObject *previous, gpointer data)
{
  Seen *s = data;
  Change c;

  if (s->only_prop != NULL && u64 (target, s->only_prop) != s->only_id)
    return;   /* every other process's changes, every round: not what the test is about */
  c = (Change) { what, wsim_object_ref (target), previous != NULL ? wsim_object_ref (previous) : NULL };
  g_array_append_val (s->changes, c);
  if (s->cancel_on_change)
    g_clear_pointer (&s->watch, wsim_event_watch_cancel);
}

static void
on_round_failed (WsimHResult hr, const char *why, gpointer data)
{
  Seen *s = data;

  s->n_failed++;
  s->failed_hr = hr;
  g_free (s->failed_why);
  s->failed_why = g_strdup (why);
}

static const WsimEventWatchOps seen_ops = { on_change, on_round_failed };

static void
watch (Seen *s, const char *ns, const char *class_name, guint interval_ms)
{
  WsimClass *cls = wsim_repository_lookup_class (repo, ns, class_name, NULL);

  cr_assert_not_null (cls, "%s", class_name);
  s->watch = wsim_event_pollers_watch (set, ns, cls, interval_ms, &nobody, &seen_ops, s);
}

/* ---- conditions ---------------------------------------------------------------------- */

typedef struct {
  Seen              *seen;
  WsimInstanceChange what;
  const char        *prop;
  guint64            id;
} Want;

static gboolean
has_change (gpointer data)
{
  Want *w = data;

  for (guint i = 0; i < w->seen->changes->len; i++)
    {
      Change *c = &g_array_index (w->seen->changes, Change, i);
      const wsim_value *v = wsim_object_lookup (c->target, w->prop);

      if (c->what == w->what && v != NULL && !wsim_value_is_null (v) && u64 (c->target, w->prop) == w->id)
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  guint64 rounds;
} RoundsPast;

static gboolean
rounds_past (gpointer data)
{
  RoundsPast *r = data;

  return wsim_event_pollers_get_n_rounds (set) >= r->rounds;
}

/* Iterates until @n more rounds have finished (from any poller of the set). */
static void
run_rounds (guint n)
{
  RoundsPast r = { wsim_event_pollers_get_n_rounds (set) + n };

  cr_assert (wsim_test_run_until (NULL, rounds_past, &r, WAIT_MS), "%u rounds did not pass", n);
}

static gboolean
no_pollers (gpointer data)
{
  return wsim_event_pollers_get_n_pollers (set) == 0;
}

/* ---- the tests ----------------------------------------------------------------------- */

Test (event_poller, a_real_process_is_created_then_deleted)
{
  Seen s;
  GPid pid;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sleep", "1000", NULL };
  int status;

  seen_init (&s);
  watch (&s, "root\\cimv2", "Win32_Process", INTERVAL_MS);
  run_rounds (1);   /* the baseline: what runs now is not "created" */
  cr_assert_eq (s.n_failed, 0, "the baseline round failed: %s", s.failed_why);
  cr_assert (g_spawn_async (NULL, (char **) argv, NULL,
                            G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                            &error), "%s", error != NULL ? error->message : "");
  s.only_prop = "ProcessId";
  s.only_id = (guint64) pid;
  {
    Want created = { &s, WSIM_INSTANCE_CREATED, "ProcessId", (guint64) pid };

    if (!wsim_test_run_until (NULL, has_change, &created, WAIT_MS))
      {
        kill (pid, SIGKILL);
        waitpid (pid, &status, 0);
        cr_assert_fail ("no creation event for pid %d", pid);
      }
  }
  cr_assert_eq (kill (pid, SIGKILL), 0);
  cr_assert_eq (waitpid (pid, &status, 0), pid);
  g_spawn_close_pid (pid);
  {
    Want deleted = { &s, WSIM_INSTANCE_DELETED, "ProcessId", (guint64) pid };

    cr_assert (wsim_test_run_until (NULL, has_change, &deleted, WAIT_MS),
               "no deletion event for pid %d", pid);
  }
  cr_assert_eq (s.changes->len, 2, "one creation and one deletion of pid %d", pid);
  seen_clear (&s);
}

Test (event_poller, a_change_of_value_is_a_modification_with_the_previous_instance)
{
  Seen s;

  knobs[1] = (Knob) { TRUE, "on" };
  seen_init (&s);
  watch (&s, "root\\test", "Test_Knob", INTERVAL_MS);
  run_rounds (2);
  cr_assert_eq (s.changes->len, 0, "instances there from the start are no creations");

  knobs[1].value = "ON";   /* a change of case is a change (WQL's = would not see it) */
  {
    Want w = { &s, WSIM_INSTANCE_MODIFIED, "Id", 1 };

    cr_assert (wsim_test_run_until (NULL, has_change, &w, WAIT_MS));
  }
  cr_assert_eq (s.changes->len, 1);
  {
    Change *c = &g_array_index (s.changes, Change, 0);

    cr_assert_str_eq (str (c->target, "Value"), "ON");
    cr_assert_not_null (c->previous);
    cr_assert_str_eq (str (c->previous, "Value"), "on");
  }
  run_rounds (2);
  cr_assert_eq (s.changes->len, 1, "an unchanged instance is no modification");
  seen_clear (&s);
}

Test (event_poller, subclasses_are_polled_with_their_base)
{
  Seen s;

  seen_init (&s);
  watch (&s, "root\\test", "Test_Knob", INTERVAL_MS);
  run_rounds (1);
  knobs_ex[3] = (Knob) { TRUE, "x" };
  {
    Want w = { &s, WSIM_INSTANCE_CREATED, "Id", 103 };

    cr_assert (wsim_test_run_until (NULL, has_change, &w, WAIT_MS));
  }
  cr_assert_str_eq (wsim_class_get_name (wsim_object_get_class (
                      g_array_index (s.changes, Change, 0).target)), "Test_KnobEx");
  knobs_ex[3].present = FALSE;
  {
    Want w = { &s, WSIM_INSTANCE_DELETED, "Id", 103 };

    cr_assert (wsim_test_run_until (NULL, has_change, &w, WAIT_MS));
  }
  seen_clear (&s);
}

Test (event_poller, watches_share_a_poller_by_class_interval_and_caller)
{
  Seen a, b, c, d;
  WsimProvCaller alice = { .principal = "alice@WSIM.TEST", .mech = "kerberos", .level = 6 };
  WsimClass *cls = wsim_repository_lookup_class (repo, "root\\test", "Test_Knob", NULL);

  seen_init (&a);
  seen_init (&b);
  seen_init (&c);
  seen_init (&d);
  watch (&a, "root\\test", "Test_Knob", INTERVAL_MS);
  watch (&b, "root\\test", "test_knob", INTERVAL_MS);     /* names are case-insensitive */
  cr_assert_eq (wsim_event_pollers_get_n_pollers (set), 1);
  watch (&c, "root\\test", "Test_Knob", 2 * INTERVAL_MS);
  cr_assert_eq (wsim_event_pollers_get_n_pollers (set), 2);
  d.watch = wsim_event_pollers_watch (set, "root\\test", cls, INTERVAL_MS, &alice, &seen_ops, &d);
  cr_assert_eq (wsim_event_pollers_get_n_pollers (set), 3);

  run_rounds (3);
  knobs[0] = (Knob) { TRUE, "new" };
  {
    Want wa = { &a, WSIM_INSTANCE_CREATED, "Id", 0 }, wb = { &b, WSIM_INSTANCE_CREATED, "Id", 0 };

    cr_assert (wsim_test_run_until (NULL, has_change, &wa, WAIT_MS));
    cr_assert (wsim_test_run_until (NULL, has_change, &wb, WAIT_MS));
  }
  /* a and b were told by one round: one enumeration for both. */
  g_clear_pointer (&a.watch, wsim_event_watch_cancel);
  cr_assert_eq (wsim_event_pollers_get_n_pollers (set), 3, "b still watches");
  g_clear_pointer (&b.watch, wsim_event_watch_cancel);
  g_clear_pointer (&c.watch, wsim_event_watch_cancel);
  g_clear_pointer (&d.watch, wsim_event_watch_cancel);
  cr_assert (wsim_test_run_until (NULL, no_pollers, NULL, WAIT_MS), "the pollers did not stop");
  {
    guint before = n_enumerations;
    GMainContext *ctx = g_main_context_default ();

    /* Nothing is pending any more: no round can start. */
    while (g_main_context_iteration (ctx, FALSE))
      ;
    cr_assert_eq (n_enumerations, before);
  }
  seen_clear (&a);
  seen_clear (&b);
  seen_clear (&c);
  seen_clear (&d);
}

Test (event_poller, a_failed_round_is_reported_and_changes_nothing)
{
  Seen s;

  knobs[2] = (Knob) { TRUE, "steady" };
  seen_init (&s);
  watch (&s, "root\\test", "Test_Knob", INTERVAL_MS);
  run_rounds (1);
  fail_rounds = TRUE;
  run_rounds (2);
  cr_assert_geq (s.n_failed, 1);
  cr_assert_eq (s.failed_hr, WBEM_E_FAILED, "0x%08x", s.failed_hr);
  cr_assert_str_eq (s.failed_why, "the knobs are stuck");
  cr_assert_eq (s.changes->len, 0, "a failed round is not \"everything was deleted\"");
  knobs[2].value = "moved";   /* changed while the rounds fail */
  fail_rounds = FALSE;
  {
    Want w = { &s, WSIM_INSTANCE_MODIFIED, "Id", 2 };

    cr_assert (wsim_test_run_until (NULL, has_change, &w, WAIT_MS));
  }
  run_rounds (2);
  /* The next good round is compared with the last good one: the change, and nothing of
   * "everything was created". */
  cr_assert_eq (s.changes->len, 1);
  cr_assert_str_eq (str (g_array_index (s.changes, Change, 0).previous, "Value"), "steady");
  seen_clear (&s);
}

Test (event_poller, a_watch_may_cancel_itself_while_it_is_told)
{
  Seen quitter, stayer;

  seen_init (&quitter);
  seen_init (&stayer);
  quitter.cancel_on_change = TRUE;
  watch (&quitter, "root\\test", "Test_Knob", INTERVAL_MS);
  watch (&stayer, "root\\test", "Test_Knob", INTERVAL_MS);
  run_rounds (1);
  knobs[4] = (Knob) { TRUE, "a" };
  knobs[5] = (Knob) { TRUE, "b" };
  {
    Want w = { &stayer, WSIM_INSTANCE_CREATED, "Id", 5 };

    cr_assert (wsim_test_run_until (NULL, has_change, &w, WAIT_MS));
  }
  cr_assert_eq (quitter.changes->len, 1, "told nothing after it cancelled");
  cr_assert_null (quitter.watch);
  cr_assert_eq (stayer.changes->len, 2);
  cr_assert_eq (wsim_event_pollers_get_n_pollers (set), 1);
  seen_clear (&quitter);
  seen_clear (&stayer);
}

Test (event_poller, a_lone_watch_that_cancels_itself_stops_its_poller)
{
  Seen s;

  seen_init (&s);
  s.cancel_on_change = TRUE;
  watch (&s, "root\\test", "Test_Knob", INTERVAL_MS);
  run_rounds (1);
  knobs[6] = (Knob) { TRUE, "go" };
  cr_assert (wsim_test_run_until (NULL, no_pollers, NULL, WAIT_MS), "the poller did not stop");
  cr_assert_eq (s.changes->len, 1);
  cr_assert_null (s.watch);
  seen_clear (&s);
}

Test (event_poller, a_deleted_class_fails_each_round)
{
  Seen s;
  g_autoptr(GError) error = NULL;

  seen_init (&s);
  /* A repository class made by PutClass (no properties: a singleton), then deleted under
   * the watch. */
  {
    wsim_class_decl decl = { 0 };

    /* As a decoded request gives it: every string there, empty when it says nothing. */
    decl.name = (char *) "Test_Fleeting";
    decl.superclass = (char *) "";
    decl.namespace_path = (char *) "";
    cr_assert (wsim_repository_put_class (repo, "root\\test", &decl, 0, &error), "%s",
               error != NULL ? error->message : "");
  }
  watch (&s, "root\\test", "Test_Fleeting", INTERVAL_MS);
  run_rounds (1);
  cr_assert_eq (s.n_failed, 0);
  cr_assert (wsim_repository_delete_class (repo, "root\\test", "Test_Fleeting", &error), "%s",
             error != NULL ? error->message : "");
  run_rounds (2);
  cr_assert_geq (s.n_failed, 1);
  cr_assert_eq (s.failed_hr, WBEM_E_INVALID_CLASS, "0x%08x", s.failed_hr);
  cr_assert_eq (s.changes->len, 0, "a class gone is no deletion of its instances");
  seen_clear (&s);
}

