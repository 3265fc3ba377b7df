/* wsim-test-util.h: what every test suite needs and no test should write again.
 *
 * Waiting is done by iterating a main context until a condition holds, with a deadline,
 * never by sleeping. Helper processes are started with their pid recorded and stopped
 * by it; a thread or a helper can be put into other namespaces (wsim-test-net.h builds
 * hosts out of them). A server can run on its own thread and context, for tests whose client blocks
 * (stock libtirpc's clnt_call).
 */
#pragma once

#include <gio/gio.h>

#include "wsim-rpc-client.h"
#include "wsim-test-files.h"
#include "wsim-test-loop.h"
#include "wsim-rpc-server.h"

G_BEGIN_DECLS

/** wsim_test_loopback: Returns: (transfer full) 127.0.0.1:0. */
GSocketAddress *wsim_test_loopback (void);

/** wsim_test_port: Returns: the port of an inet socket address. */
guint16 wsim_test_port (GSocketAddress *address);

/* ---- a server on its own thread ---------------------------------------------------- */

typedef struct _WsimTestServerThread WsimTestServerThread;

/** Called on the server thread before it starts serving, to add programs or limits. */
typedef void (*WsimTestServerSetup) (WsimRpcServer *server, gpointer data);

/**
 * wsim_test_server_thread_start:
 * Starts a thread with its own GMainContext and a WsimRpcServer serving the test program
 * (plus what @setup adds) on 127.0.0.1 with a free port.
 */
WsimTestServerThread *wsim_test_server_thread_start (WsimTestServerSetup setup, gpointer data);
/** Returns: (transfer none) the bound address. */
GSocketAddress *wsim_test_server_thread_address (WsimTestServerThread *t);
/** Stops the server (shutdown, on its thread), joins the thread, frees everything. */
void wsim_test_server_thread_stop (WsimTestServerThread *t);
/** Runs @fn(server, data) on the server thread and waits for it (for reading stats). */
void wsim_test_server_thread_call (WsimTestServerThread *t, WsimTestServerSetup fn, gpointer data);

/* ---- helper processes ------------------------------------------------------------- */

typedef struct {
  GPid  pid;
  int   stdout_fd;
  char *first_line;   /* (owned) what the child printed first (e.g. its port) */
} WsimTestChild;

/**
 * wsim_test_child_spawn:
 * Starts @argv (NULL-terminated), waits up to @timeout_ms for its first stdout line. The
 * child is killed if the test process dies first (PR_SET_PDEATHSIG).
 * Returns: FALSE (child stopped) if it did not print one.
 */
gboolean wsim_test_child_spawn (WsimTestChild *child, char **argv, guint timeout_ms,
                                GError **error);

/**
 * wsim_test_child_spawn_full:
 * @envp: (nullable) the child's environment; NULL: the caller's
 * @setup: (nullable) run in the child just before exec, after PR_SET_PDEATHSIG (a GLib
 *   child setup: async-signal-safe calls only; it may _exit() to refuse)
 * Like wsim_test_child_spawn(), with an environment and a child setup (to put the child
 * into namespaces, for instance).
 */
gboolean wsim_test_child_spawn_full (WsimTestChild *child, char **argv, char **envp,
                                     GSpawnChildSetupFunc setup, gpointer setup_data,
                                     guint timeout_ms, GError **error);

/** Stops the child by its pid (SIGTERM, then SIGKILL after 10 s) and reaps it.
 *  Returns: the wait status. */
int wsim_test_child_stop (WsimTestChild *child);

/**
 * wsim_test_spawn_daemon:
 * Starts @argv with no pipes, killed with the test process; Returns: its pid, to stop with
 * wsim_test_pid_stop().
 */
GPid wsim_test_spawn_daemon (char **argv, GError **error);

/** wsim_test_spawn_daemon_full: wsim_test_spawn_daemon() with an environment and a child
 *  setup, as wsim_test_child_spawn_full(), and more GSpawnFlags (G_SPAWN_STDOUT_TO_DEV_NULL
 *  …; G_SPAWN_DO_NOT_REAP_CHILD is always given). */
GPid wsim_test_spawn_daemon_full (char **argv, char **envp, GSpawnFlags flags,
                                  GSpawnChildSetupFunc setup, gpointer setup_data, GError **error);

/** Stops @pid (SIGTERM, SIGKILL after 10 s) and reaps it. Returns: the wait status. */
int wsim_test_pid_stop (GPid pid);

/** Like wsim_test_pid_stop(), asking with @sig first (SIGINT for capture tools). */
int wsim_test_pid_stop_with (GPid pid, int sig);

/* ---- namespaces ----------------------------------------------------------------- */

/**
 * wsim_test_enter_namespaces:
 * @netns_fd: a network namespace (/run/netns/NAME, /proc/PID/ns/net), or -1: stay
 * @mntns_fd: a mount namespace (/proc/PID/ns/mnt), or -1: stay
 * Moves the calling thread, and only it, into the namespaces (setns); the sockets it makes
 * afterwards, the threads it starts and the processes it spawns are there too. Entering a
 * mount namespace first gives the thread a root and working directory of its own
 * (unshare(CLONE_FS), for good: setns(CLONE_NEWNS) refuses a thread that shares them) and
 * keeps the working directory's path. Returns: FALSE with a G_IO_ERROR naming the failed
 * step; the thread may then be in the mount namespace and not the network one.
 */
gboolean wsim_test_enter_namespaces (int netns_fd, int mntns_fd, GError **error);

/** Work for wsim_test_in_namespaces(): Returns: FALSE with @error set on failure. */
typedef gboolean (*WsimTestThreadFunc) (gpointer data, GError **error);

/**
 * wsim_test_in_namespaces:
 * Runs @fn (@data, @error) on a new thread that first enters the namespaces as
 * wsim_test_enter_namespaces() does, waits for it, and returns what it returned. The
 * calling thread stays where it is. @fn gets no main context of its own: it makes one if
 * it needs one (the global default belongs to the main thread).
 */
gboolean wsim_test_in_namespaces (int netns_fd, int mntns_fd, WsimTestThreadFunc fn,
                                  gpointer data, GError **error);

/** Raises RLIMIT_NOFILE's soft limit to at least @n (bounded by the hard limit).
 *  Returns: the soft limit now. */
guint wsim_test_raise_fd_limit (guint n);

/**
 * wsim_test_private_network:
 * Moves the calling process (a test's Criterion worker: each test has its own) into new
 * network and mount namespaces: a loopback of its own, up, and a private tmpfs on /run,
 * where a real rpcbind keeps its socket and lock, so nothing touches the machine's. Needs
 * root. For one host; wsim-test-net.h makes several. Returns: FALSE with @error (the step).
 */
gboolean wsim_test_private_network (GError **error);

/**
 * wsim_test_start_rpcbind:
 * Starts /usr/sbin/rpcbind -f where the caller is (after wsim_test_private_network(), its own
 * loopback and /run) with its output to /dev/null (it drops to its own user, which clears
 * PR_SET_PDEATHSIG: a survivor of a crashed test must not hold the runner's pipes), and
 * waits up to @timeout_ms until it answers at 127.0.0.1. Returns: its pid, to stop with
 * wsim_test_pid_stop(), or 0 with @error.
 */
GPid wsim_test_start_rpcbind (guint timeout_ms, GError **error);

G_END_DECLS
