/* wsim-test-net.h: real hosts for tests: N network namespaces joined by a virtual LAN.
 *
 * The fixture owns a "lan" network namespace holding a Linux bridge (br0) and, per host, a
 * network namespace joined to it by a veth pair: the host end is eth0 in the host, the
 * other end (p0, p1, …) a bridge port in the lan. Host i (from 0) has 10.77.0.(i+1)/24 and
 * fd77::(i+1)/64 (hex, added nodad: usable at once) on eth0 and lo up; the bridge itself
 * has the infrastructure address 10.77.0.254 / fd77::fe, where shared services run (the
 * KDC: wsim_test_net_start_realm()). Every node (host or lan) also has a mount namespace
 * of its own with a private tmpfs on /run, shared by every process of that node, so that a
 * real rpcbind per host works (its /run/rpcbind.sock and lock) and `wmisimd --rpcbind` on
 * a host registers with that host's rpcbind and never the machine's. Files elsewhere are
 * shared: all hosts see the same realm, keytabs and NTLM account file.
 *
 * The network namespaces are named wsimnet-PID-START-K-NODE (PID and START the creating
 * process's pid and start time, K a per-process counter, NODE "lan" or "h0", "h1", …) so
 * parallel tests never collide; creating a fixture removes the namespaces of earlier runs
 * whose owner is gone (a crashed test). The mount namespaces need no name and no holder
 * process: the fixture keeps a file descriptor on each, which keeps it alive, and they go
 * when the fixture closes them or the test process dies.
 *
 * Processes: wsim_test_net_spawn(), _spawn_daemon() and _start_rpcbind() start a real
 * process on a node (its child setup enters the node's namespaces before exec, so the pid
 * is the program's own), killed if the test process dies (PR_SET_PDEATHSIG; a program that
 * changes its uid loses that, see wsim_test_net_start_rpcbind()) and recorded by pid; wsim_test_net_free() stops every one still recorded, by pid, before it deletes
 * the namespaces (a WsimTestChild's pipe and line stay its owner's to free). Stop one
 * earlier with wsim_test_net_stop() or wsim_test_net_child_stop() (not with
 * wsim_test_pid_stop(), which would leave the record).
 *
 * The test thread itself can live on a host: wsim_test_net_enter() moves the calling
 * thread (only it) into a node's network and mount namespaces, so the sockets the library
 * under test makes afterwards, the threads it starts and the processes it spawns (such as
 * wmisim-unsecapp) are on that host. Threads that already exist (GLib's worker) stay home.
 *
 * Needs root (CAP_SYS_ADMIN) and iproute2's `ip`; wsim_test_net_available() says whether
 * this machine can, and why not. The `ip` commands always run in the namespaces the
 * fixture was created from, whatever namespace the calling thread has entered since.
 *
 * Threading: a fixture is used from one thread at a time (normally the test's main thread,
 * which created it); only wsim_test_net_enter()/_leave() depend on which thread calls.
 */
#pragma once

#include <gio/gio.h>

#include "wsim-krb5-realm.h"
#include "wsim-test-util.h"

G_BEGIN_DECLS

typedef struct _WsimTestNet WsimTestNet;

/** The lan namespace (the bridge and the infrastructure address), as a node number. */
#define WSIM_TEST_NET_LAN G_MAXUINT

/** The most hosts a fixture has (10.77.0.1 … 10.77.0.253; .254 is the lan's). */
#define WSIM_TEST_NET_MAX_HOSTS 253u

/**
 * wsim_test_net_available:
 * @why: (out) (optional) (transfer full) why not, when FALSE
 * Returns: TRUE if namespaces can be made here (root, `ip` present, network namespaces in
 *   the kernel). A test skips with @why only when this is FALSE.
 */
gboolean wsim_test_net_available (char **why);

/**
 * wsim_test_net_new:
 * @n_hosts: 1 … WSIM_TEST_NET_MAX_HOSTS
 * Removes stale namespaces of dead runs, then makes the lan and @n_hosts hosts. The calling
 * thread's namespaces at this moment are the fixture's "home" (where `ip` runs and
 * wsim_test_net_leave() returns to).
 * Returns: (transfer full) (nullable) the fixture, or NULL with @error (an `ip` failure
 *   carries its command and stderr); nothing is left behind then.
 */
WsimTestNet *wsim_test_net_new (guint n_hosts, GError **error);

/**
 * wsim_test_net_free:
 * Moves the calling thread home if it entered a node (call it from the thread that did),
 * stops every process the fixture started and still records (SIGTERM, SIGKILL after 10 s,
 * by pid), closes the mount namespaces and deletes the network namespaces (the veth ends and
 * the bridge go with them). NULL is fine. Problems are reported with g_warning().
 */
void wsim_test_net_free (WsimTestNet *net);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimTestNet, wsim_test_net_free)

/** Returns: the number of hosts. */
guint wsim_test_net_get_n_hosts (WsimTestNet *net);

/**
 * wsim_test_net_get_name:
 * @node: a host number or WSIM_TEST_NET_LAN
 * Returns: (transfer none) the node's network namespace name (for `ip -n NAME`, `ip netns
 *   list`); valid until the fixture is freed.
 */
const char *wsim_test_net_get_name (WsimTestNet *net, guint node);

/**
 * wsim_test_net_host_address:
 * @node: a host number, or WSIM_TEST_NET_LAN for the infrastructure address
 * @family: G_SOCKET_FAMILY_IPV4 or G_SOCKET_FAMILY_IPV6
 * Returns: (transfer none) the address text: "10.77.0.1", "fd77::1"; "10.77.0.254", "fd77::fe".
 */
const char *wsim_test_net_host_address (WsimTestNet *net, guint node, GSocketFamily family);

/** wsim_test_net_infra_address: the lan's address (wsim_test_net_host_address() of
 *  WSIM_TEST_NET_LAN). Returns: (transfer none) "10.77.0.254" or "fd77::fe". */
const char *wsim_test_net_infra_address (WsimTestNet *net, GSocketFamily family);

/**
 * wsim_test_net_tcp_address:
 * Returns: (transfer full) "tcp:10.77.0.1:PORT" or "tcp:[fd77::1]:PORT", the form
 *   wsim_client_connect() and `wmisimd --listen` take (@port 0: any).
 */
char *wsim_test_net_tcp_address (WsimTestNet *net, guint node, GSocketFamily family, guint16 port);

/**
 * wsim_test_net_get_netns_fd:
 * Returns: (transfer none) an O_CLOEXEC descriptor of the node's network namespace (for
 *   setns, or WsimKrb5RealmConfig.kdc_netns_fd); valid until the fixture is freed.
 */
int wsim_test_net_get_netns_fd (WsimTestNet *net, guint node);

/** wsim_test_net_get_mntns_fd: the same for the node's mount namespace (private /run). */
int wsim_test_net_get_mntns_fd (WsimTestNet *net, guint node);

/**
 * wsim_test_net_enter:
 * Moves the calling thread into @node's network and mount namespaces (setns), so that the
 * sockets it makes afterwards, the threads it starts and the processes it spawns are on
 * that host. Sockets made before keep their namespace. The thread gets a root and working
 * directory of its own from then on (wsim_test_enter_namespaces()). Entering another node
 * later simply moves it there.
 * Returns: FALSE with @error (the failed setns step).
 */
gboolean wsim_test_net_enter (WsimTestNet *net, guint node, GError **error);

/** wsim_test_net_leave: moves the calling thread back to the fixture's home namespaces.
 *  Returns: FALSE with @error if a setns failed. */
gboolean wsim_test_net_leave (WsimTestNet *net, GError **error);

/**
 * wsim_test_net_run_in:
 * Runs @fn on a new thread placed on @node (network and mount namespace) and waits for it:
 * a probe or a client that must live on a host while the calling thread stays where it
 * is. @fn makes its own GMainContext if it needs one. Do not spawn processes from @fn that
 * should outlive it: PR_SET_PDEATHSIG follows the thread that forked, which ends when @fn
 * returns.
 * Returns: what @fn returned (FALSE with @error), or FALSE if the thread could not enter.
 */
gboolean wsim_test_net_run_in (WsimTestNet *net, guint node, WsimTestThreadFunc fn,
                               gpointer data, GError **error);

/**
 * wsim_test_net_spawn:
 * @node: a host number or WSIM_TEST_NET_LAN
 * @child: (out caller-allocates) filled as wsim_test_child_spawn() fills it
 * Starts @argv on @node (its network and mount namespaces, entered in the child before
 * exec; the child inherits the caller's environment and working directory path) and waits
 * up to @timeout_ms for its first stdout line. The pid is recorded: stop it with
 * wsim_test_net_child_stop(), or wsim_test_net_free() does.
 * Returns: FALSE with @error (the child, if one started, stopped): it printed no line, or
 *   it could not enter the node (the failed step and errno).
 */
gboolean wsim_test_net_spawn (WsimTestNet *net, guint node, WsimTestChild *child, char **argv,
                              guint timeout_ms, GError **error);

/**
 * wsim_test_net_spawn_daemon:
 * Starts @argv on @node with no pipes (stdout and stderr are the test's), recorded as
 * wsim_test_net_spawn() does. Returns: its pid, or 0 with @error (it could not enter the
 *   node, or could not be started).
 */
GPid wsim_test_net_spawn_daemon (WsimTestNet *net, guint node, char **argv, GError **error);

/** wsim_test_net_stop: stops @pid (SIGTERM, SIGKILL after 10 s), reaps it and forgets it.
 *  Returns: its wait status; -1 (and nothing is signalled) if the fixture did not start it
 *  or it was stopped already. */
int wsim_test_net_stop (WsimTestNet *net, GPid pid);

/** wsim_test_net_child_stop: the same for a child from wsim_test_net_spawn() (its pipe and
 *  line are freed, as wsim_test_child_stop() does). Returns: its wait status, or -1. */
int wsim_test_net_child_stop (WsimTestNet *net, WsimTestChild *child);

/**
 * wsim_test_net_start_rpcbind:
 * Starts `/usr/sbin/rpcbind -f` on host @node (its /run/rpcbind.sock is that host's own) and
 * waits, up to 10 s, until it answers rpcbind's own program on the host's IPv4 address,
 * asked over the network from the lan (so @node's cable must be in). Its stdout and stderr
 * are /dev/null (it logs to syslog): rpcbind changes its uid, which clears
 * PR_SET_PDEATHSIG, so if the test process dies rpcbind survives it until the next fixture
 * is created (which kills what runs in a dead run's namespaces), and must not hold the
 * test runner's pipes meanwhile. (wsim_rpcbind_lookup() keeps nothing between calls: the
 * same text, "127.0.0.1" among them, may be looked up from any node, and again after its
 * rpcbind stopped or its cable was cut.)
 * Returns: its pid (recorded as wsim_test_net_spawn_daemon() does), or 0 with @error.
 */
GPid wsim_test_net_start_rpcbind (WsimTestNet *net, guint node, GError **error);

/**
 * wsim_test_net_set_link:
 * Takes host @node's cable out (@up FALSE: its bridge-side veth end goes down, so the host
 * keeps its addresses, sees no carrier, and what it sends is lost, as with a real cut
 * cable) or puts it back in. Open connections are not told; new ones fail or time out.
 * Returns: FALSE with @error if `ip` failed.
 */
gboolean wsim_test_net_set_link (WsimTestNet *net, guint node, gboolean up, GError **error);

/**
 * wsim_test_net_ip:
 * @net: (nullable) run in @net's home namespaces; NULL: in the calling thread's
 * @args: (array zero-terminated=1) ip's arguments ("-n", NAME, "addr", NULL)
 * @out_text: (out) (optional) (transfer full) what ip printed
 * Runs iproute2's ip (under valgrind with the suppression its exit leak needs).
 * Returns: FALSE with @error naming the command and carrying ip's stderr.
 */
gboolean wsim_test_net_ip (WsimTestNet *net, const char *const *args, char **out_text,
                           GError **error);

/**
 * wsim_test_net_start_realm:
 * @realm: (out caller-allocates) the realm, as wsim_krb5_realm_start() fills it
 * Starts a private Kerberos realm whose KDC runs in the lan namespace on the infrastructure
 * IPv4 address (krb5.conf, which every host reads, points at it) and whose service keytab
 * holds wbem/localhost, wbem/<host IPv4 address> for every host, and alice's key. The
 * realm owns its KDC: stop it with wsim_krb5_realm_stop() (before or after
 * wsim_test_net_free(); either order is safe). On failure call wsim_krb5_realm_stop() too.
 * Returns: FALSE with @error.
 */
gboolean wsim_test_net_start_realm (WsimTestNet *net, WsimKrb5Realm *realm, GError **error);

G_END_DECLS
