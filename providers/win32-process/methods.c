/* methods.c: Win32_Process.Create and Win32_Process.Terminate, really done.
 *
 * Create (static): uint32 Create ([in] string CommandLine, [in] string CurrentDirectory,
 * [out] uint32 ProcessId) spawns CommandLine (split at blanks, "double quotes" group; the
 * program found on PATH, as Windows searches for it) in CurrentDirectory ("" or null: the
 * server's own), as the caller's user when the server is root (a root server refuses, with 2,
 * a caller it cannot name as a local user; a server that is not root runs it as itself); the
 * runtime reaps it when it ends (watch_child), so it never lingers as a zombie. Terminate
 * (instance): uint32 Terminate ([in] uint32 Reason) ends the process unconditionally (SIGKILL,
 * as TerminateProcess does), if the caller may signal it: kill(2)'s rule with the caller's
 * uid (WsimProvCaller) as the sender's; an unknown caller may signal nothing (2, access
 * denied). ProcessStartupInformation is not taken.
 *
 * ReturnValue as Microsoft documents both methods (cimwin32prov, "Create method of the
 * Win32_Process class", "Terminate method of the Win32_Process class"): 0 successful
 * completion, 2 access denied, 3 insufficient privilege, 8 unknown failure, 9 path not found,
 * 21 invalid parameter. The call's own status is WBEM_S_NO_ERROR whenever ReturnValue says
 * what happened; a Terminate of a pid that does not exist ends with WBEM_E_NOT_FOUND.
 *
 * Both run within exec_method() (spawning and killing return at once); no state is kept.
 */
#include "methods.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum {
  RV_SUCCESS = 0, RV_ACCESS_DENIED = 2, RV_INSUFFICIENT_PRIVILEGE = 3, RV_UNKNOWN_FAILURE = 8,
  RV_PATH_NOT_FOUND = 9, RV_INVALID_PARAMETER = 21,
};

#define MAX_ARGS 256

static const WsimProvParam create_in[] = {
  { "CommandLine", WSIM_PROV_STRING }, { "CurrentDirectory", WSIM_PROV_STRING },
};
static const WsimProvParam create_out[] = {
  { "ProcessId", WSIM_PROV_UINT32 }, { "ReturnValue", WSIM_PROV_UINT32 },
};
static const WsimProvParam terminate_in[] = { { "Reason", WSIM_PROV_UINT32 } };
static const WsimProvParam terminate_out[] = { { "ReturnValue", WSIM_PROV_UINT32 } };

const WsimProvMethod wsim_process_methods[WSIM_PROCESS_N_METHODS] = {
  { "Win32_Process", "Create", 1, create_in, 2, create_out, 2 },
  { "Win32_Process", "Terminate", 0, terminate_in, 1, terminate_out, 1 },
};

/* Splits @line (modified) into at most MAX_ARGS words in @argv, NULL-terminated. */
static int
split_command_line (char *line, char **argv)
{
  int n = 0;
  char *p = line;

  while (*p != '\0' && n < MAX_ARGS)
    {
      char *out;

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0')
        break;
      argv[n++] = out = p;
      for (int quoted = 0; *p != '\0' && (quoted || (*p != ' ' && *p != '\t')); p++)
        if (*p == '"')
          quoted = !quoted;
        else
          *out++ = *p;
      if (*p != '\0')
        p++;
      *out = '\0';
    }
  argv[n] = NULL;
  return n;
}

/* Finds @name as execvp() would (a name with a slash as it is, otherwise on PATH) into @buf:
 * 0, or ENOENT (nowhere) or EACCES (there, not executable). Found before spawning, so a
 * program that is not there is answered without a child that fails to exec. */
static int
find_program (const char *name, char *buf, size_t size)
{
  const char *path = getenv ("PATH");
  int err = ENOENT;

  if (strchr (name, '/') != NULL)
    {
      if ((size_t) snprintf (buf, size, "%s", name) >= size)
        return ENOENT;
      return access (buf, X_OK) == 0 ? 0 : errno == EACCES ? EACCES : ENOENT;
    }
  for (const char *p = path != NULL ? path : "/usr/local/bin:/usr/bin:/bin"; ; )
    {
      const char *colon = strchr (p, ':');
      size_t len = colon != NULL ? (size_t) (colon - p) : strlen (p);
      struct stat st;

      if ((size_t) snprintf (buf, size, "%.*s/%s", (int) len, len > 0 ? p : ".", name) < size
          && stat (buf, &st) == 0 && S_ISREG (st.st_mode))
        {
          if (access (buf, X_OK) == 0)
            return 0;
          err = EACCES;
        }
      if (colon == NULL)
        return err;
      p = colon + 1;
    }
}

static uint32_t
errno_to_return_value (int err)
{
  switch (err)
    {
    case ENOENT: case ENOTDIR: return RV_PATH_NOT_FOUND;
    case EACCES: return RV_ACCESS_DENIED;
    case EPERM: return RV_INSUFFICIENT_PRIVILEGE;
    default: return RV_UNKNOWN_FAILURE;
    }
}

/* Posts the out-parameters (ProcessId only when @pid > 0) and the success result. */
static void
post_out (WsimProvContext *ctx, uint32_t rv, pid_t pid, int with_pid)
{
  const WsimProvContextOps *ops = ctx->ops;
  WsimProvInstance *out = ops->new_instance (ctx, "__PARAMETERS");

  if (out == NULL)
    {
      ops->post_result (ctx, WSIM_PROV_E_FAILED, "no __PARAMETERS class");
      return;
    }
  ops->set_uint64 (out, "ReturnValue", rv);
  if (with_pid && pid > 0)
    ops->set_uint64 (out, "ProcessId", (uint64_t) pid);
  ops->post_instance (ctx, out);
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

/* Who the process runs as (Create): a root server runs it as the caller's user; a server that
 * is not root runs it as itself (it can be no one else), and so only for itself or root. */
typedef struct {
  int    switch_user;   /* setgroups/setgid/setuid in the child */
  uid_t  uid;
  gid_t  gid;
  gid_t  groups[64];
  int    n_groups;
} RunAs;

/* Returns: 0, or the ReturnValue refusing the call (2, access denied): a caller the server
 * cannot name as a local user (an anonymous one among them) runs nothing; a server that is
 * not root runs only its own user's commands (or root's), since it could run them only as
 * itself, and another user must not get a process as the server's user. */
static uint32_t
run_as_for (WsimProvContext *ctx, RunAs *as)
{
  WsimProvCaller who;
  struct passwd pw, *found = NULL;
  char buf[4096];

  memset (as, 0, sizeof *as);
  ctx->ops->get_caller (ctx, &who);
  if (!who.has_uid)
    return RV_ACCESS_DENIED;
  if (geteuid () != 0)
    return who.uid == geteuid () || who.uid == 0 ? RV_SUCCESS : RV_ACCESS_DENIED;
  if (who.uid == 0)
    return RV_SUCCESS;
  if (getpwuid_r (who.uid, &pw, buf, sizeof buf, &found) != 0 || found == NULL)
    return RV_ACCESS_DENIED;
  as->switch_user = 1;
  as->uid = found->pw_uid;
  as->gid = found->pw_gid;
  as->n_groups = (int) (sizeof as->groups / sizeof as->groups[0]);
  if (getgrouplist (found->pw_name, found->pw_gid, as->groups, &as->n_groups) < 0)
    {
      as->groups[0] = found->pw_gid;
      as->n_groups = 1;
    }
  return RV_SUCCESS;
}

/* Starts @program: fork, then in the child (only async-signal-safe calls: the server has
 * threads) the directory, the user, exec. An exec that fails reports its errno through a
 * close-on-exec pipe, which an exec that succeeds closes. Returns: 0 with *@pid, or an errno. */
static int
start_process (const char *program, char **argv, const char *dir, const RunAs *as, pid_t *pid)
{
  int fds[2], err = 0;
  ssize_t n;

  if (pipe2 (fds, O_CLOEXEC) != 0)
    return errno;
  *pid = fork ();
  if (*pid < 0)
    {
      err = errno;
      close (fds[0]);
      close (fds[1]);
      return err;
    }
  if (*pid == 0)
    {
      close (fds[0]);
      if ((dir != NULL && dir[0] != '\0' && chdir (dir) != 0)
          || (as->switch_user && (setgroups ((size_t) as->n_groups, as->groups) != 0
                                  || setgid (as->gid) != 0 || setuid (as->uid) != 0)))
        err = errno;
      else
        {
          execve (program, argv, environ);
          err = errno;
        }
      while (write (fds[1], &err, sizeof err) < 0 && errno == EINTR)
        ;
      _exit (127);
    }
  close (fds[1]);
  while ((n = read (fds[0], &err, sizeof err)) < 0 && errno == EINTR)
    ;
  close (fds[0]);
  if (n == (ssize_t) sizeof err)
    {
      /* It never ran: reap it now. */
      while (waitpid (*pid, NULL, 0) < 0 && errno == EINTR)
        ;
      return err != 0 ? err : ECHILD;
    }
  return 0;
}

static void
exec_create (WsimProvContext *ctx, const WsimProvInstance *in)
{
  const char *command = NULL, *dir = NULL;
  char *line, *argv[MAX_ARGS + 1], program[4096];
  struct stat st;
  pid_t pid = 0;
  RunAs as;
  uint32_t refused;
  int err;

  ctx->ops->get_string (in, "CommandLine", &command);
  ctx->ops->get_string (in, "CurrentDirectory", &dir);
  if (dir != NULL && dir[0] != '\0' && (stat (dir, &st) != 0 || !S_ISDIR (st.st_mode)))
    {
      post_out (ctx, RV_PATH_NOT_FOUND, 0, 1);
      return;
    }
  line = command != NULL ? strdup (command) : NULL;
  if (line == NULL || split_command_line (line, argv) == 0)
    {
      free (line);
      post_out (ctx, RV_INVALID_PARAMETER, 0, 1);
      return;
    }
  refused = run_as_for (ctx, &as);
  if (refused != RV_SUCCESS)
    {
      free (line);
      post_out (ctx, refused, 0, 1);
      return;
    }
  err = find_program (argv[0], program, sizeof program);
  if (err == 0)
    err = start_process (program, argv, dir, &as, &pid);
  free (line);
  /* The runtime reaps it when it ends by itself (else a zombie until the server exits). */
  if (err == 0)
    ctx->ops->watch_child (ctx, (int) pid);
  post_out (ctx, err == 0 ? RV_SUCCESS : errno_to_return_value (err), err == 0 ? pid : 0, 1);
}

/* The process's real and saved uids (/proc/PID/status "Uid:" line): 0, or ESRCH. */
static int
process_uids (pid_t pid, uid_t *real, uid_t *saved)
{
  char path[64], line[256];
  unsigned long r, e, sv;
  FILE *f;
  int found = 0;

  snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
  f = fopen (path, "re");
  if (f == NULL)
    return ESRCH;
  while (!found && fgets (line, sizeof line, f) != NULL)
    if (sscanf (line, "Uid: %lu %lu %lu", &r, &e, &sv) == 3)
      found = 1;
  fclose (f);
  if (!found)
    return ESRCH;
  *real = (uid_t) r;
  *saved = (uid_t) sv;
  return 0;
}

/* kill(2)'s rule, with the caller in the place of the sender: root may signal anyone; another
 * user a process whose real or saved set-user-ID is theirs; a caller the server cannot name
 * as a local user, no one. */
static int
caller_may_signal (WsimProvContext *ctx, uid_t real, uid_t saved)
{
  WsimProvCaller who;

  ctx->ops->get_caller (ctx, &who);
  if (!who.has_uid)
    return 0;
  return who.uid == 0 || who.uid == real || who.uid == saved;
}

static void
exec_terminate (WsimProvContext *ctx, const WsimProvKey *keys, size_t n_keys)
{
  char *end = NULL;
  long pid = -1;
  uid_t real = 0, saved = 0;

  for (size_t i = 0; i < n_keys; i++)
    if (strcasecmp (keys[i].name, "Handle") == 0)
      pid = strtol (keys[i].value, &end, 10);
  if (pid <= 0 || end == NULL || *end != '\0' || process_uids ((pid_t) pid, &real, &saved) != 0)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_NOT_FOUND, "no Win32_Process has this Handle");
      return;
    }
  /* The server's own process is not the caller's to end (it would end every call); nor is a
   * process the caller could not signal itself. */
  if ((pid_t) pid == getpid () || !caller_may_signal (ctx, real, saved))
    {
      post_out (ctx, RV_ACCESS_DENIED, 0, 0);
      return;
    }
  if (kill ((pid_t) pid, SIGKILL) != 0)
    {
      if (errno == ESRCH)
        ctx->ops->post_result (ctx, WSIM_PROV_E_NOT_FOUND, "no Win32_Process has this Handle");
      else
        post_out (ctx, errno == EPERM ? RV_ACCESS_DENIED : RV_UNKNOWN_FAILURE, 0, 0);
      return;
    }
  /* Not waited for here: a process Create started is reaped by the runtime's watch
   * (watch_child), any other by its own parent. */
  post_out (ctx, RV_SUCCESS, 0, 0);
}

void
wsim_process_exec_method (void *state, WsimProvContext *ctx, const char *class_name,
                          const char *method_name, const WsimProvKey *keys, size_t n_keys,
                          const WsimProvInstance *in_params)
{
  if (strcasecmp (method_name, "Create") == 0)
    exec_create (ctx, in_params);
  else
    exec_terminate (ctx, keys, n_keys);
}
