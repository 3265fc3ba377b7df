/* wsim-test-net.c: hosts in network namespaces on a bridged LAN (see wsim-test-net.h).
 *
 * This file owns the topology (names, addresses, the `ip` batches that build and remove
 * it), the per-node mount namespaces with a private /run, placing threads and processes on
 * a node, and the record of the processes it started.
 */
#include "wsim-test-net.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wsim-rpcbind.h"

#define NETNS_DIR   "/run/netns"
#define NAME_PREFIX "wsimnet-"
#define RPCBIND     "/usr/sbin/rpcbind"
#define WAIT_MS     10000

typedef struct {
  char *name;     /* (owned) the network namespace's name under /run/netns */
  int   net_fd;   /* (owned) O_CLOEXEC, or -1 until the namespace exists */
  int   mnt_fd;   /* (owned) O_CLOEXEC: the node's mount namespace (private /run), or -1 */
  char *ipv4;     /* (owned) */
  char *ipv6;     /* (owned) */
  char *port;     /* (owned) (nullable) hosts: the bridge-side veth end, in the lan */
} Node;

struct _WsimTestNet {
  guint   n_hosts;
  Node   *nodes;        /* (owned) n_hosts + 1: the hosts, then the lan */
  int     home_net_fd;  /* (owned) the creating thread's namespaces: where `ip` runs */
  int     home_mnt_fd;  /* (owned) */
  GArray *pids;         /* (owned) GPid: started here, not yet stopped */
};

/* ---- small things ------------------------------------------------------------------ */

static const char *
find_ip (void)
{
  static const char *const paths[] = { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    if (g_file_test (paths[i], G_FILE_TEST_IS_EXECUTABLE))
      return paths[i];
  return NULL;
}

static Node *
node_get (WsimTestNet *net, guint node)
{
  if (node == WSIM_TEST_NET_LAN)
    return &net->nodes[net->n_hosts];
  g_return_val_if_fail (node < net->n_hosts, NULL);
  return &net->nodes[node];
}

static int
open_ns (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int e = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "open %s: %s", path, g_strerror (e));
    }
  return fd;
}

/* The start time (clock ticks after boot, /proc/PID/stat field 22) tells a live owner from
 * a new process that reuses a dead owner's pid. 0: no such process. */
static guint64
start_time_of (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  const char *p;
  guint64 start = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL)
    return 0;
  /* After "(comm)": state is field 3; starttime is field 22, 19 fields further on. */
  p++;
  for (int field = 2; field < 21 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL || sscanf (p, " %" G_GUINT64_FORMAT, &start) != 1)
    return 0;
  return start;
}

/* The processes (thread-group leaders) whose network namespace is @fd's, this one apart.
 * Compared by the namespace file's identity, so a reused pid elsewhere is never taken. */
static GArray *
pids_in_netns (int fd)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  struct stat ns;
  const char *name;

  if (fstat (fd, &ns) != 0)
    return pids;
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st;
      guint64 pid;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL) || (GPid) pid == getpid ())
        continue;
      path = g_strdup_printf ("/proc/%s/ns/net", name);
      if (stat (path, &st) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino)
        {
          GPid p = (GPid) pid;

          g_array_append_val (pids, p);
        }
    }
  return pids;
}

/* ---- `ip`, always at home ---------------------------------------------------------- */

typedef struct {
  int net_fd;
  int mnt_fd;
  const char *cwd;   /* the path to work in once in the mount namespace */
  int err_fd;        /* write end, O_CLOEXEC: a successful exec closes it unwritten */
} Placement;

/* The child setup of everything the fixture starts (after fork, before exec: bare syscalls
 * only). The mount namespace first: setns(CLONE_NEWNS) wants a single-threaded task with
 * its own fs, which a forked child is; it resets the working directory, hence chdir. */
static void
place_child (gpointer data)
{
  const Placement *p = data;
  int report[2] = { 0, 0 };

  if (p->mnt_fd >= 0 && setns (p->mnt_fd, CLONE_NEWNS) != 0)
    report[0] = 1;
  else if (p->mnt_fd >= 0 && chdir (p->cwd) != 0)
    report[0] = 2;
  else if (p->net_fd >= 0 && setns (p->net_fd, CLONE_NEWNET) != 0)
    report[0] = 3;
  if (report[0] == 0)
    return;
  report[1] = errno;
  if (write (p->err_fd, report, sizeof report) < 0)
    _exit (126);
  _exit (127);
}

static const char *const place_steps[] = { "", "setns(CLONE_NEWNS)", "chdir", "setns(CLONE_NEWNET)" };

/* Reads what place_child reported. Call after the spawn returned (the child has exec'd or
 * died), with the write end closed. Returns: FALSE with @error if it failed. */
static gboolean
placement_ok (int read_fd, const char *where, char **argv, GError **error)
{
  int report[2] = { 0, 0 };
  gssize n = read (read_fd, report, sizeof report);

  if (n != (gssize) sizeof report)
    return TRUE;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (report[1]), "%s could not enter %s: %s: %s",
               argv[0], where, place_steps[CLAMP (report[0], 0, 3)], g_strerror (report[1]));
  return FALSE;
}

static char **
ip_environment (void)
{
  char **envp = g_get_environ ();

  /* iproute2's ip leaks its netlink buffer on exit; under valgrind (which traces every
   * child) that would fail the test that started it. Valgrind reads VALGRIND_OPTS in each
   * traced child, and suppression files add up: ip alone gets this one. */
  if (g_environ_getenv (envp, "WSIM_UNDER_VALGRIND") != NULL)
    {
      const char *old = g_environ_getenv (envp, "VALGRIND_OPTS");
      g_autofree char *opts = g_strdup_printf ("%s%s--suppressions=%s", old != NULL ? old : "",
                                               old != NULL ? " " : "", WSIM_TEST_NET_VALGRIND_SUPP);

      envp = g_environ_setenv (envp, "VALGRIND_OPTS", opts, TRUE);
    }
  return envp;
}

gboolean
wsim_test_net_ip (WsimTestNet *net, const char *const *args, char **out_text, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = ip_environment ();
  g_autofree char *out = NULL, *err = NULL, *cmd = NULL, *cwd = g_get_current_dir ();
  g_autoptr(GError) local = NULL;
  Placement place = { net != NULL ? net->home_net_fd : -1, net != NULL ? net->home_mnt_fd : -1, cwd, -1 };
  const char *ip = find_ip ();
  int pipefd[2];
  int status = 0;
  gboolean ok;

  if (ip == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "iproute2's ip is not installed");
      return FALSE;
    }
  g_ptr_array_add (argv, (gpointer) ip);
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add (argv, (gpointer) *a);
  g_ptr_array_add (argv, NULL);
  cmd = g_strjoinv (" ", (char **) argv->pdata);
  if (!g_unix_open_pipe (pipefd, FD_CLOEXEC, error))
    return FALSE;
  place.err_fd = pipefd[1];
  ok = g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, place_child, &place, &out, &err,
                     &status, &local);
  close (pipefd[1]);
  ok = ok && placement_ok (pipefd[0], "the fixture's home namespaces", (char **) argv->pdata, &local)
       && g_spawn_check_wait_status (status, &local);
  close (pipefd[0]);
  if (!ok)
    {
      if (err != NULL)
        g_strstrip (err);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s%s%s", cmd, local->message,
                   err != NULL && *err != '\0' ? ": " : "", err != NULL ? err : "");
    }
  else if (out_text != NULL)
    *out_text = g_steal_pointer (&out);
  return ok;
}

static gboolean
run_ip (WsimTestNet *net, const char *const *args, GError **error)
{
  return wsim_test_net_ip (net, args, NULL, error);
}

/* Runs the ip commands in @batch (one a line) with `ip [-n NETNS] [-force] -batch FILE`: one
 * process for many commands (each ip is slow under valgrind). Without -force, ip stops at
 * the first failure and says which line. */
static gboolean
run_ip_batch (WsimTestNet *net, const char *netns, gboolean force, const char *batch, GError **error)
{
  g_autofree char *path = NULL;
  const char *args[8];
  guint n = 0;
  gboolean ok;
  int fd;

  fd = g_file_open_tmp ("wsim-net-XXXXXX.ip", &path, error);
  if (fd < 0)
    return FALSE;
  close (fd);
  if (!g_file_set_contents (path, batch, -1, error))
    {
      g_unlink (path);
      return FALSE;
    }
  if (netns != NULL)
    {
      args[n++] = "-n";
      args[n++] = netns;
    }
  if (force)
    args[n++] = "-force";
  args[n++] = "-batch";
  args[n++] = path;
  args[n] = NULL;
  ok = run_ip (net, args, error);
  if (!ok && error != NULL && *error != NULL)
    g_prefix_error (error, "[%s] ", batch);
  g_unlink (path);
  return ok;
}

/* ---- availability, stale namespaces ------------------------------------------------ */

gboolean
wsim_test_net_available (char **why)
{
  const char *reason = NULL;

  if (geteuid () != 0)
    reason = "network namespaces need root (CAP_SYS_ADMIN)";
  else if (find_ip () == NULL)
    reason = "iproute2's ip is not installed (apt-get install iproute2)";
  else if (!g_file_test ("/proc/self/ns/net", G_FILE_TEST_EXISTS)
           || !g_file_test ("/proc/self/ns/mnt", G_FILE_TEST_EXISTS))
    reason = "the kernel has no network or mount namespaces (/proc/self/ns)";
  if (why != NULL)
    *why = reason != NULL ? g_strdup (reason) : NULL;
  return reason == NULL;
}

/* Deletes this fixture's namespaces whose owner is gone (a crashed run), after killing what
 * still runs in them: a process that changed its uid (rpcbind does) lost the death signal
 * it was spawned with and outlived the run; it was that run's, which the name proves. A
 * live owner's namespaces, and names of another form, stay. */
static void
remove_stale (WsimTestNet *net)
{
  g_autoptr(GDir) dir = g_dir_open (NETNS_DIR, 0, NULL);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      int pid = 0;
      guint64 start = 0;

      if (!g_str_has_prefix (name, NAME_PREFIX)
          || sscanf (name, NAME_PREFIX "%d-%" G_GUINT64_FORMAT "-", &pid, &start) != 2 || pid <= 0)
        continue;
      if (start_time_of (pid) != start)
        {
          g_autofree char *path = g_build_filename (NETNS_DIR, name, NULL);
          int fd = open (path, O_RDONLY | O_CLOEXEC);

          if (fd >= 0)
            {
              g_autoptr(GArray) left = pids_in_netns (fd);

              for (guint i = 0; i < left->len; i++)
                kill (g_array_index (left, GPid, i), SIGKILL);
              close (fd);
            }
          g_string_append_printf (batch, "netns del %s\n", name);
        }
    }
  /* -force: a parallel run may have deleted one of them already. */
  if (batch->len > 0 && !run_ip_batch (net, NULL, TRUE, batch->str, &error))
    g_debug ("removing stale namespaces: %s", error->message);
}

/* ---- mount namespaces ---------------------------------------------------------------- */

static gboolean
errno_failed (GError **error, const char *what)
{
  int e = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", what, g_strerror (e));
  return FALSE;
}

/* On a thread of its own (unsharing is per thread and for good): a copy of home's mount
 * tree, private (nothing propagates either way), without the /run/netns bind mounts (their
 * copies would keep other tests' network namespaces alive) and with a tmpfs on /run. The
 * descriptor keeps the namespace after the thread is gone. */
static gboolean
make_mount_ns (gpointer data, GError **error)
{
  int *fd = data;

  if (unshare (CLONE_FS | CLONE_NEWNS) != 0)
    return errno_failed (error, "unshare(CLONE_NEWNS)");
  if (mount ("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
    return errno_failed (error, "making / private");
  /* Not a mount point on a machine that never made a named namespace: nothing to do. */
  umount2 (NETNS_DIR, MNT_DETACH);
  if (mount ("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
    return errno_failed (error, "tmpfs on /run");
  *fd = open_ns ("/proc/thread-self/ns/mnt", error);
  return *fd >= 0;
}

/* ---- building and removing --------------------------------------------------------- */

static void
node_clear (Node *n)
{
  if (n->net_fd >= 0)
    close (n->net_fd);
  if (n->mnt_fd >= 0)
    close (n->mnt_fd);
  n->net_fd = n->mnt_fd = -1;
  g_clear_pointer (&n->name, g_free);
  g_clear_pointer (&n->ipv4, g_free);
  g_clear_pointer (&n->ipv6, g_free);
  g_clear_pointer (&n->port, g_free);
}

static gboolean
build (WsimTestNet *net, GError **error)
{
  Node *lan = node_get (net, WSIM_TEST_NET_LAN);
  g_autoptr(GString) batch = g_string_new (NULL);
  gboolean added;

  for (guint i = 0; i <= net->n_hosts; i++)
    g_string_append_printf (batch, "netns add %s\n", net->nodes[i].name);
  added = run_ip_batch (net, NULL, FALSE, batch->str, error);
  /* Even after a failure: what was made is opened, so that freeing deletes it. */
  for (guint i = 0; i <= net->n_hosts; i++)
    {
      g_autofree char *path = g_build_filename (NETNS_DIR, net->nodes[i].name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      net->nodes[i].net_fd = open_ns (path, added ? error : NULL);
      if (net->nodes[i].net_fd < 0 && added)
        return FALSE;
    }
  if (!added)
    return FALSE;

  /* The lan: the bridge (multicast snooping off: with no querier on the LAN it would only
   * risk dropping IPv6 neighbour discovery), one veth pair per host made here with its
   * other end born inside the host (so no name is ever taken in home's namespace), then
   * the bridge's own addresses. STP is off, so a port forwards as soon as it is up. */
  g_string_assign (batch, "link set lo up\nlink add br0 type bridge mcast_snooping 0\n");
  for (guint i = 0; i < net->n_hosts; i++)
    g_string_append_printf (batch,
                            "link add %1$s type veth peer name eth0 netns %2$s\n"
                            "link set %1$s master br0\nlink set %1$s up\n",
                            net->nodes[i].port, net->nodes[i].name);
  g_string_append_printf (batch, "link set br0 up\naddr add %s/24 dev br0\naddr add %s/64 dev br0 nodad\n",
                          lan->ipv4, lan->ipv6);
  if (!run_ip_batch (net, lan->name, FALSE, batch->str, error))
    return FALSE;
  for (guint i = 0; i < net->n_hosts; i++)
    {
      g_string_printf (batch, "link set lo up\nlink set eth0 up\naddr add %s/24 dev eth0\n"
                              "addr add %s/64 dev eth0 nodad\n",
                       net->nodes[i].ipv4, net->nodes[i].ipv6);
      if (!run_ip_batch (net, net->nodes[i].name, FALSE, batch->str, error))
        return FALSE;
    }

  /* Mount namespaces last: made after every network namespace exists, they would copy its
   * /run/netns mount, but make_mount_ns drops that copy. */
  for (guint i = 0; i <= net->n_hosts; i++)
    if (!wsim_test_in_namespaces (-1, -1, make_mount_ns, &net->nodes[i].mnt_fd, error))
      {
        g_prefix_error (error, "%s's /run: ", net->nodes[i].name);
        return FALSE;
      }
  return TRUE;
}

WsimTestNet *
wsim_test_net_new (guint n_hosts, GError **error)
{
  static gint counter;
  g_autoptr(WsimTestNet) net = NULL;
  g_autofree char *why = NULL;
  guint64 start = start_time_of (getpid ());
  guint k = (guint) g_atomic_int_add (&counter, 1);

  g_return_val_if_fail (n_hosts >= 1 && n_hosts <= WSIM_TEST_NET_MAX_HOSTS, NULL);
  if (!wsim_test_net_available (&why))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s", why);
      return NULL;
    }
  net = g_new0 (WsimTestNet, 1);
  net->n_hosts = n_hosts;
  net->pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  net->nodes = g_new0 (Node, n_hosts + 1);
  for (guint i = 0; i <= n_hosts; i++)
    {
      Node *n = &net->nodes[i];
      gboolean is_lan = i == n_hosts;

      n->net_fd = n->mnt_fd = -1;
      n->name = is_lan ? g_strdup_printf (NAME_PREFIX "%d-%" G_GUINT64_FORMAT "-%u-lan", (int) getpid (), start, k)
                       : g_strdup_printf (NAME_PREFIX "%d-%" G_GUINT64_FORMAT "-%u-h%u", (int) getpid (), start, k, i);
      n->ipv4 = g_strdup_printf ("10.77.0.%u", is_lan ? 254 : i + 1);
      n->ipv6 = g_strdup_printf ("fd77::%x", is_lan ? 0xfe : i + 1);
      n->port = is_lan ? NULL : g_strdup_printf ("p%u", i);
    }
  net->home_net_fd = open_ns ("/proc/thread-self/ns/net", error);
  net->home_mnt_fd = net->home_net_fd < 0 ? -1 : open_ns ("/proc/thread-self/ns/mnt", error);
  if (net->home_mnt_fd < 0)
    return NULL;
  remove_stale (net);
  if (!build (net, error))
    return NULL;   /* the autoptr removes what was made */
  return g_steal_pointer (&net);
}

/* Returns: TRUE if the calling thread's namespace @self ("net", "mnt") is @fd's. */
static gboolean
thread_is_in (const char *self, int fd)
{
  g_autofree char *path = g_strdup_printf ("/proc/thread-self/ns/%s", self);
  struct stat here, there;

  return fd >= 0 && stat (path, &here) == 0 && fstat (fd, &there) == 0 && here.st_dev == there.st_dev
         && here.st_ino == there.st_ino;
}

void
wsim_test_net_free (WsimTestNet *net)
{
  g_autoptr(GString) batch = NULL;
  g_autoptr(GError) error = NULL;

  if (net == NULL)
    return;
  /* Home first, if this thread is on a node: it must not keep a namespace alive. Only
   * then: leaving gives the thread a private fs (wsim_test_enter_namespaces()). */
  if (net->home_net_fd >= 0 && net->home_mnt_fd >= 0
      && (!thread_is_in ("net", net->home_net_fd) || !thread_is_in ("mnt", net->home_mnt_fd))
      && !wsim_test_net_leave (net, &error))
    {
      g_warning ("wsim-test-net: %s", error->message);
      g_clear_error (&error);
    }
  while (net->pids->len > 0)
    {
      GPid pid = g_array_index (net->pids, GPid, net->pids->len - 1);

      wsim_test_net_stop (net, pid);
    }
  batch = g_string_new (NULL);
  for (guint i = 0; i <= net->n_hosts; i++)
    {
      /* Not the fixture's to stop, but worth saying: they keep the namespace alive. */
      if (net->nodes[i].net_fd >= 0)
        {
          g_autoptr(GArray) left = pids_in_netns (net->nodes[i].net_fd);
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint j = 0; j < left->len; j++)
            g_string_append_printf (list, " %d", (int) g_array_index (left, GPid, j));
          if (left->len > 0)
            g_warning ("wsim-test-net: still running in %s (not started by the fixture):%s",
                       net->nodes[i].name, list->str);
        }
      if (net->nodes[i].net_fd >= 0)
        g_string_append_printf (batch, "netns del %s\n", net->nodes[i].name);
      node_clear (&net->nodes[i]);
    }
  /* -force: one that will not go must not keep the others. */
  if (batch->len > 0 && !run_ip_batch (net, NULL, TRUE, batch->str, &error))
    g_warning ("wsim-test-net: removing the namespaces: %s", error->message);
  if (net->home_net_fd >= 0)
    close (net->home_net_fd);
  if (net->home_mnt_fd >= 0)
    close (net->home_mnt_fd);
  g_array_unref (net->pids);
  g_free (net->nodes);
  g_free (net);
}

/* ---- reading ----------------------------------------------------------------------- */

guint
wsim_test_net_get_n_hosts (WsimTestNet *net)
{
  return net->n_hosts;
}

const char *
wsim_test_net_get_name (WsimTestNet *net, guint node)
{
  Node *n = node_get (net, node);

  return n != NULL ? n->name : NULL;
}

const char *
wsim_test_net_host_address (WsimTestNet *net, guint node, GSocketFamily family)
{
  Node *n = node_get (net, node);

  g_return_val_if_fail (n != NULL, NULL);
  g_return_val_if_fail (family == G_SOCKET_FAMILY_IPV4 || family == G_SOCKET_FAMILY_IPV6, NULL);
  return family == G_SOCKET_FAMILY_IPV4 ? n->ipv4 : n->ipv6;
}

const char *
wsim_test_net_infra_address (WsimTestNet *net, GSocketFamily family)
{
  return wsim_test_net_host_address (net, WSIM_TEST_NET_LAN, family);
}

char *
wsim_test_net_tcp_address (WsimTestNet *net, guint node, GSocketFamily family, guint16 port)
{
  const char *ip = wsim_test_net_host_address (net, node, family);

  g_return_val_if_fail (ip != NULL, NULL);
  return family == G_SOCKET_FAMILY_IPV6 ? g_strdup_printf ("tcp:[%s]:%u", ip, port)
                                        : g_strdup_printf ("tcp:%s:%u", ip, port);
}

int
wsim_test_net_get_netns_fd (WsimTestNet *net, guint node)
{
  Node *n = node_get (net, node);

  return n != NULL ? n->net_fd : -1;
}

int
wsim_test_net_get_mntns_fd (WsimTestNet *net, guint node)
{
  Node *n = node_get (net, node);

  return n != NULL ? n->mnt_fd : -1;
}

/* ---- threads on a node ------------------------------------------------------------- */

gboolean
wsim_test_net_enter (WsimTestNet *net, guint node, GError **error)
{
  Node *n = node_get (net, node);

  g_return_val_if_fail (n != NULL, FALSE);
  if (!wsim_test_enter_namespaces (n->net_fd, n->mnt_fd, error))
    {
      g_prefix_error (error, "entering %s: ", n->name);
      return FALSE;
    }
  return TRUE;
}

gboolean
wsim_test_net_leave (WsimTestNet *net, GError **error)
{
  if (!wsim_test_enter_namespaces (net->home_net_fd, net->home_mnt_fd, error))
    {
      g_prefix_error (error, "going home: ");
      return FALSE;
    }
  return TRUE;
}

gboolean
wsim_test_net_run_in (WsimTestNet *net, guint node, WsimTestThreadFunc fn, gpointer data,
                      GError **error)
{
  Node *n = node_get (net, node);

  g_return_val_if_fail (n != NULL, FALSE);
  return wsim_test_in_namespaces (n->net_fd, n->mnt_fd, fn, data, error);
}

/* ---- processes on a node ----------------------------------------------------------- */

static void
record (WsimTestNet *net, GPid pid)
{
  g_array_append_val (net->pids, pid);
}

/* Returns: TRUE if @pid was recorded (and now is not). */
static gboolean
forget (WsimTestNet *net, GPid pid)
{
  for (guint i = 0; i < net->pids->len; i++)
    if (g_array_index (net->pids, GPid, i) == pid)
      {
        g_array_remove_index (net->pids, i);
        return TRUE;
      }
  return FALSE;
}

/* Spawns @argv on @node: with @child, as wsim_test_child_spawn(); without, as a daemon
 * (*@pid). Records the pid on success. */
static gboolean
spawn_on (WsimTestNet *net, guint node, WsimTestChild *child, char **argv, guint timeout_ms,
          GSpawnFlags flags, GPid *pid, GError **error)
{
  Node *n = node_get (net, node);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(GError) local = NULL;
  Placement place;
  int pipefd[2];
  gboolean ok;

  g_return_val_if_fail (n != NULL, FALSE);
  if (!g_unix_open_pipe (pipefd, FD_CLOEXEC, error))
    return FALSE;
  place = (Placement) { n->net_fd, n->mnt_fd, cwd, pipefd[1] };
  if (child != NULL)
    ok = wsim_test_child_spawn_full (child, argv, NULL, place_child, &place, timeout_ms, &local);
  else
    ok = (*pid = wsim_test_spawn_daemon_full (argv, NULL, flags, place_child, &place, &local)) != 0;
  close (pipefd[1]);
  /* A child that could not enter the node has exited: say why rather than "no line". */
  if (!placement_ok (pipefd[0], n->name, argv, error))
    {
      if (ok && child != NULL)
        wsim_test_child_stop (child);
      else if (ok)
        wsim_test_pid_stop (*pid);
      ok = FALSE;
    }
  else if (!ok)
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "on %s: ", n->name);
  else
    record (net, child != NULL ? child->pid : *pid);
  close (pipefd[0]);
  return ok;
}

gboolean
wsim_test_net_spawn (WsimTestNet *net, guint node, WsimTestChild *child, char **argv,
                     guint timeout_ms, GError **error)
{
  g_return_val_if_fail (child != NULL, FALSE);
  return spawn_on (net, node, child, argv, timeout_ms, G_SPAWN_DEFAULT, NULL, error);
}

GPid
wsim_test_net_spawn_daemon (WsimTestNet *net, guint node, char **argv, GError **error)
{
  GPid pid = 0;

  if (!spawn_on (net, node, NULL, argv, 0, G_SPAWN_DEFAULT, &pid, error))
    return 0;
  return pid;
}

int
wsim_test_net_stop (WsimTestNet *net, GPid pid)
{
  int status = 0;

  pid_t got;

  if (pid <= 0 || !forget (net, pid))
    return -1;
  /* Exited already (reaped now), or reaped behind the fixture's back (then its pid may be
   * anyone's): nothing to signal. */
  got = waitpid (pid, &status, WNOHANG);
  if (got == pid)
    return status;
  if (got != 0)
    return -1;
  return wsim_test_pid_stop (pid);
}

int
wsim_test_net_child_stop (WsimTestNet *net, WsimTestChild *child)
{
  if (child->pid <= 0 || !forget (net, child->pid))
    return -1;
  return wsim_test_child_stop (child);
}

/* ---- services ---------------------------------------------------------------------- */

typedef struct {
  const char *address;
  gboolean    ok;
} RpcbindProbe;

static gboolean
rpcbind_answers (gpointer data)
{
  RpcbindProbe *p = data;
  g_autofree char *self = wsim_rpcbind_lookup (100000, 4, p->address, NULL);   /* rpcbind v4 */

  return self != NULL;
}

static gboolean
wait_for_rpcbind (gpointer data, GError **error)
{
  RpcbindProbe *p = data;
  g_autoptr(GMainContext) ctx = g_main_context_new ();

  if (wsim_test_run_until (ctx, rpcbind_answers, p, WAIT_MS))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "rpcbind did not answer on %s in %u ms",
               p->address, WAIT_MS);
  return FALSE;
}

GPid
wsim_test_net_start_rpcbind (WsimTestNet *net, guint node, GError **error)
{
  char *argv[] = { (char *) RPCBIND, (char *) "-f", NULL };
  RpcbindProbe probe = { wsim_test_net_host_address (net, node, G_SOCKET_FAMILY_IPV4), FALSE };
  GPid pid;

  g_return_val_if_fail (node < net->n_hosts, 0);
  /* rpcbind drops to its own user, which clears PR_SET_PDEATHSIG: if the test dies it
   * outlives it (the next fixture removes it, remove_stale). With the test's stdout and
   * stderr it would then keep the test runner waiting for their end; it logs to syslog. */
  if (!spawn_on (net, node, NULL, argv, 0, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 &pid, error))
    return 0;
  /* Asked from the lan, whose /run has no rpcbind socket: only the network can answer. */
  if (!wsim_test_net_run_in (net, WSIM_TEST_NET_LAN, wait_for_rpcbind, &probe, error))
    {
      wsim_test_net_stop (net, pid);
      return 0;
    }
  return pid;
}

gboolean
wsim_test_net_set_link (WsimTestNet *net, guint node, gboolean up, GError **error)
{
  Node *lan = node_get (net, WSIM_TEST_NET_LAN);
  const char *args[] = { "-n", lan->name, "link", "set", NULL, up ? "up" : "down", NULL };

  g_return_val_if_fail (node < net->n_hosts, FALSE);
  args[4] = net->nodes[node].port;
  return run_ip (net, args, error);
}

gboolean
wsim_test_net_start_realm (WsimTestNet *net, WsimKrb5Realm *realm, GError **error)
{
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func (g_free);
  WsimKrb5RealmConfig config = WSIM_KRB5_REALM_CONFIG_INIT;

  /* The names a client gives a host's server: wbem@ADDRESS (runtime/client/wsim-channel.c). */
  for (guint i = 0; i < net->n_hosts; i++)
    g_ptr_array_add (services, g_strdup_printf ("wbem/%s", net->nodes[i].ipv4));
  g_ptr_array_add (services, NULL);
  config.kdc_address = wsim_test_net_infra_address (net, G_SOCKET_FAMILY_IPV4);
  config.kdc_netns_fd = wsim_test_net_get_netns_fd (net, WSIM_TEST_NET_LAN);
  config.services = (const char *const *) services->pdata;
  return wsim_krb5_realm_start_full (realm, &config, error);
}
