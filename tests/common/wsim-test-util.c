/* wsim-test-util.c: a server on a thread, helper processes (see the header). */
#include "wsim-test-util.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wsim-rpcbind.h"
#include "wsim-testprog-server.h"

GSocketAddress *
wsim_test_loopback (void)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (lo, 0);
}

guint16
wsim_test_port (GSocketAddress *address)
{
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* ---- a server on its own thread ---------------------------------------------------- */

struct _WsimTestServerThread {
  GThread             *thread;
  GMainContext        *context;     /* (owned) the server thread's */
  WsimRpcServer       *server;      /* (owned) created and freed on the server thread */
  GSocketAddress      *address;     /* (owned) */
  WsimTestServerSetup  setup;
  gpointer             setup_data;
  GMutex               lock;
  GCond                cond;
  gboolean             ready;
  gboolean             quit;
};

static gpointer
server_thread_main (gpointer data)
{
  WsimTestServerThread *t = data;
  g_autoptr(GSocketAddress) any = wsim_test_loopback ();
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (t->context);
  t->server = wsim_rpc_server_new (t->context);
  wsim_rpc_server_add_program (t->server, &wsim_testprog_v1, NULL);
  if (t->setup != NULL)
    t->setup (t->server, t->setup_data);
  if (!wsim_rpc_server_listen (t->server, any, &t->address, &error))
    g_error ("test server cannot listen: %s", error->message);

  g_mutex_lock (&t->lock);
  t->ready = TRUE;
  g_cond_signal (&t->cond);
  g_mutex_unlock (&t->lock);

  while (!g_atomic_int_get (&t->quit))
    g_main_context_iteration (t->context, TRUE);

  wsim_rpc_server_shutdown (t->server);
  wsim_testprog_cancel_pending (t->context);
  g_clear_pointer (&t->server, wsim_rpc_server_unref);
  /* Let sources that were destroyed with the server go. */
  while (g_main_context_iteration (t->context, FALSE))
    ;
  g_main_context_pop_thread_default (t->context);
  return NULL;
}

WsimTestServerThread *
wsim_test_server_thread_start (WsimTestServerSetup setup, gpointer data)
{
  WsimTestServerThread *t = g_new0 (WsimTestServerThread, 1);

  t->context = g_main_context_new ();
  t->setup = setup;
  t->setup_data = data;
  g_mutex_init (&t->lock);
  g_cond_init (&t->cond);
  t->thread = g_thread_new ("wsim-test-server", server_thread_main, t);
  g_mutex_lock (&t->lock);
  while (!t->ready)
    g_cond_wait (&t->cond, &t->lock);
  g_mutex_unlock (&t->lock);
  return t;
}

GSocketAddress *
wsim_test_server_thread_address (WsimTestServerThread *t)
{
  return t->address;
}

typedef struct {
  WsimTestServerThread *t;
  WsimTestServerSetup   fn;
  gpointer              data;
  gboolean              done;
} ThreadCall;

static gboolean
thread_call_cb (gpointer data)
{
  ThreadCall *c = data;

  c->fn (c->t->server, c->data);
  g_mutex_lock (&c->t->lock);
  c->done = TRUE;
  g_cond_broadcast (&c->t->cond);
  g_mutex_unlock (&c->t->lock);
  return G_SOURCE_REMOVE;
}

void
wsim_test_server_thread_call (WsimTestServerThread *t, WsimTestServerSetup fn, gpointer data)
{
  ThreadCall c = { t, fn, data, FALSE };

  g_main_context_invoke (t->context, thread_call_cb, &c);
  g_mutex_lock (&t->lock);
  while (!c.done)
    g_cond_wait (&t->cond, &t->lock);
  g_mutex_unlock (&t->lock);
}

static gboolean
wake_noop (gpointer data)
{
  return G_SOURCE_REMOVE;
}

void
wsim_test_server_thread_stop (WsimTestServerThread *t)
{
  if (t == NULL)
    return;
  g_atomic_int_set (&t->quit, TRUE);
  g_main_context_invoke (t->context, wake_noop, NULL);
  g_thread_join (t->thread);
  g_clear_object (&t->address);
  g_main_context_unref (t->context);
  g_mutex_clear (&t->lock);
  g_cond_clear (&t->cond);
  g_free (t);
}

/* ---- helper processes ------------------------------------------------------------- */

typedef struct {
  GSpawnChildSetupFunc setup;
  gpointer             data;
  pid_t                parent;
} ChildSetup;

/* A helper process dies with the test process that started it, even if that one is
 * killed by a timeout before it could stop its children (and if it died before the
 * child could ask, the child goes at once). PR_SET_PDEATHSIG follows the thread that
 * forked: spawn from a thread that lives as long as the helper should. */
static void
die_with_parent (gpointer data)
{
  const ChildSetup *s = data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != s->parent)
    _exit (127);
  if (s->setup != NULL)
    s->setup (s->data);
}

gboolean
wsim_test_child_spawn (WsimTestChild *child, char **argv, guint timeout_ms, GError **error)
{
  return wsim_test_child_spawn_full (child, argv, NULL, NULL, NULL, timeout_ms, error);
}

gboolean
wsim_test_child_spawn_full (WsimTestChild *child, char **argv, char **envp,
                            GSpawnChildSetupFunc setup, gpointer setup_data, guint timeout_ms,
                            GError **error)
{
  GString *line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  ChildSetup cs = { setup, setup_data, getpid () };

  memset (child, 0, sizeof *child);
  if (!g_spawn_async_with_pipes (NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, &cs,
                                 &child->pid, NULL, &child->stdout_fd, NULL, error))
    {
      g_string_free (line, TRUE);
      return FALSE;
    }
  /* Read the first line with poll: bounded by the deadline. */
  for (;;)
    {
      GPollFD pfd = { child->stdout_fd, G_IO_IN, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char c;

      if (left <= 0 || g_poll (&pfd, 1, (gint) left) <= 0)
        break;
      if (read (child->stdout_fd, &c, 1) != 1)
        break;
      if (c == '\n')
        {
          child->first_line = g_string_free (line, FALSE);
          return TRUE;
        }
      g_string_append_c (line, c);
    }
  g_string_free (line, TRUE);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s printed no line in %u ms",
               argv[0], timeout_ms);
  wsim_test_child_stop (child);
  return FALSE;
}

typedef struct {
  gboolean done;
  int      status;
} Exit;

static void
on_child_exit (GPid pid, gint status, gpointer data)
{
  Exit *e = data;

  e->done = TRUE;
  e->status = status;
}

static gboolean
child_exited (gpointer data)
{
  return ((Exit *) data)->done;
}

static int
child_stop (WsimTestChild *child, int sig)
{
  int status = 0;

  if (child->pid > 0)
    {
      /* A child watch on a private context: wait for the exit as an event (valgrind has no
       * pidfd), SIGTERM first, SIGKILL if it does not go in time. */
      g_autoptr(GMainContext) ctx = g_main_context_new ();
      GSource *watch = g_child_watch_source_new (child->pid);
      Exit e = { FALSE, 0 };

      g_source_set_callback (watch, (GSourceFunc) (void (*) (void)) on_child_exit, &e, NULL);
      g_source_attach (watch, ctx);
      kill (child->pid, sig);
      if (!wsim_test_run_until (ctx, child_exited, &e, 10000))
        {
          kill (child->pid, SIGKILL);
          wsim_test_run_until (ctx, child_exited, &e, 10000);
        }
      g_source_destroy (watch);
      g_source_unref (watch);
      status = e.status;
      g_spawn_close_pid (child->pid);
      child->pid = 0;
    }
  if (child->stdout_fd > 0)
    close (child->stdout_fd);
  child->stdout_fd = -1;
  g_clear_pointer (&child->first_line, g_free);
  return status;
}

int
wsim_test_child_stop (WsimTestChild *child)
{
  return child_stop (child, SIGTERM);
}

GPid
wsim_test_spawn_daemon (char **argv, GError **error)
{
  return wsim_test_spawn_daemon_full (argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, error);
}

GPid
wsim_test_spawn_daemon_full (char **argv, char **envp, GSpawnFlags flags,
                             GSpawnChildSetupFunc setup, gpointer setup_data, GError **error)
{
  ChildSetup cs = { setup, setup_data, getpid () };
  GPid pid = 0;

  if (!g_spawn_async (NULL, argv, envp, flags | G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, &cs, &pid,
                      error))
    return 0;
  return pid;
}

int
wsim_test_pid_stop_with (GPid pid, int sig)
{
  WsimTestChild c = { .pid = pid, .stdout_fd = -1 };

  return child_stop (&c, sig);
}

int
wsim_test_pid_stop (GPid pid)
{
  return wsim_test_pid_stop_with (pid, SIGTERM);
}

/* ---- namespaces ----------------------------------------------------------------- */

static gboolean
step_failed (GError **error, const char *step)
{
  int e = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", step, g_strerror (e));
  return FALSE;
}

gboolean
wsim_test_enter_namespaces (int netns_fd, int mntns_fd, GError **error)
{
  if (mntns_fd >= 0)
    {
      /* The path, not the directory: setns(CLONE_NEWNS) moves the thread to the new
       * namespace's root, and the same path there is the same directory unless the
       * namespace mounted something over it. */
      g_autofree char *cwd = g_get_current_dir ();

      if (unshare (CLONE_FS) != 0)
        return step_failed (error, "unshare(CLONE_FS)");
      if (setns (mntns_fd, CLONE_NEWNS) != 0)
        return step_failed (error, "setns(CLONE_NEWNS)");
      if (chdir (cwd) != 0)
        {
          int e = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                       "chdir(%s) in the new mount namespace: %s", cwd, g_strerror (e));
          return FALSE;
        }
    }
  if (netns_fd >= 0 && setns (netns_fd, CLONE_NEWNET) != 0)
    return step_failed (error, "setns(CLONE_NEWNET)");
  return TRUE;
}

typedef struct {
  int                netns_fd;
  int                mntns_fd;
  WsimTestThreadFunc fn;
  gpointer           data;
  GError            *error;
} InNamespaces;

static gpointer
in_namespaces_main (gpointer data)
{
  InNamespaces *job = data;

  if (!wsim_test_enter_namespaces (job->netns_fd, job->mntns_fd, &job->error))
    return GINT_TO_POINTER (FALSE);
  return GINT_TO_POINTER (job->fn (job->data, &job->error));
}

gboolean
wsim_test_in_namespaces (int netns_fd, int mntns_fd, WsimTestThreadFunc fn, gpointer data,
                         GError **error)
{
  InNamespaces job = { netns_fd, mntns_fd, fn, data, NULL };
  gboolean ok;

  /* A thread of its own, because setns is per thread and cannot always be undone (the
   * thread's private root and cwd): the caller's thread is never touched. */
  ok = GPOINTER_TO_INT (g_thread_join (g_thread_new ("wsim-test-ns", in_namespaces_main, &job)));
  if (!ok)
    {
      if (job.error != NULL)
        g_propagate_error (error, job.error);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the work failed and did not say why");
    }
  else
    g_clear_error (&job.error);
  return ok;
}

guint
wsim_test_raise_fd_limit (guint n)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return 0;
  if (rl.rlim_cur < n)
    {
      rl.rlim_cur = MIN ((rlim_t) n, rl.rlim_max);
      setrlimit (RLIMIT_NOFILE, &rl);
      getrlimit (RLIMIT_NOFILE, &rl);
    }
  return (guint) rl.rlim_cur;
}

gboolean
wsim_test_private_network (GError **error)
{
  struct ifreq ifr = { 0 };
  const char *step = NULL;
  int s = -1;

  if (unshare (CLONE_NEWNET | CLONE_NEWNS) != 0)
    step = "unshare(CLONE_NEWNET | CLONE_NEWNS)";
  else if (mount ("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
    step = "making / private";
  else if (mount ("tmpfs", "/run", "tmpfs", 0, "mode=0755") != 0)
    step = "a tmpfs on /run";
  else if ((s = socket (AF_INET, SOCK_DGRAM, 0)) < 0)
    step = "a socket";
  else
    {
      g_strlcpy (ifr.ifr_name, "lo", sizeof ifr.ifr_name);
      if (ioctl (s, SIOCGIFFLAGS, &ifr) != 0)
        step = "reading lo's flags";
      else
        {
          ifr.ifr_flags |= IFF_UP;
          if (ioctl (s, SIOCSIFFLAGS, &ifr) != 0)
            step = "bringing lo up";
        }
    }
  if (step != NULL)
    {
      int e = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", step, g_strerror (e));
    }
  if (s >= 0)
    close (s);
  return step == NULL;
}

static gboolean
rpcbind_answers (gpointer data)
{
  g_autofree char *self = wsim_rpcbind_lookup (100000, 4, "127.0.0.1", NULL);

  return self != NULL;
}

GPid
wsim_test_start_rpcbind (guint timeout_ms, GError **error)
{
  char *argv[] = { (char *) "/usr/sbin/rpcbind", (char *) "-f", NULL };
  GPid pid = wsim_test_spawn_daemon_full (argv, NULL,
                                          G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                          NULL, error);

  if (pid <= 0)
    return 0;
  if (!wsim_test_run_until (NULL, rpcbind_answers, NULL, timeout_ms))
    {
      wsim_test_pid_stop (pid);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "rpcbind never answered at 127.0.0.1");
      return 0;
    }
  return pid;
}
