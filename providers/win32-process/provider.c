/* win32-process/provider.c: the Win32_Process provider, the processes of this machine as
 * /proc shows them.
 *
 * An enumeration takes a snapshot of the pids listed in /proc and posts one instance per
 * pid, in steps: the cursor (ProcCursor, in ctx->provider_data) survives a BUSY answer and
 * resume() continues from it. A process that has gone by the time it is read is skipped.
 * get() reads only the pid named by the Handle key, through the same cursor, so a BUSY
 * answer to its one instance delays its result the same way.
 *
 * Properties follow Windows: Handle is the key and is the pid as text; Name is the
 * kernel's comm ("bash", without Windows' ".exe"); CreationDate is a DMTF datetime in UTC.
 */
#include "wsim-provider.h"
#include "procfs.h"
#include "methods.h"

#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define WSIM_PROVIDER_EXPORT __attribute__((visibility("default")))

#define CLASS_NAME "Win32_Process"

/* Property positions, for the fast setters. */
enum {
  P_HANDLE, P_NAME, P_PROCESS_ID, P_PARENT_PROCESS_ID, P_EXECUTABLE_PATH, P_COMMAND_LINE,
  P_THREAD_COUNT, P_WORKING_SET_SIZE, P_CREATION_DATE, N_PROPS
};

static const WsimProvProperty process_props[N_PROPS] = {
  [P_HANDLE]            = { "Handle",          WSIM_PROV_STRING,   1 },
  [P_NAME]              = { "Name",            WSIM_PROV_STRING,   0 },
  [P_PROCESS_ID]        = { "ProcessId",       WSIM_PROV_UINT32,   0 },
  [P_PARENT_PROCESS_ID] = { "ParentProcessId", WSIM_PROV_UINT32,   0 },
  [P_EXECUTABLE_PATH]   = { "ExecutablePath",  WSIM_PROV_STRING,   0 },
  [P_COMMAND_LINE]      = { "CommandLine",     WSIM_PROV_STRING,   0 },
  [P_THREAD_COUNT]      = { "ThreadCount",     WSIM_PROV_UINT32,   0 },
  [P_WORKING_SET_SIZE]  = { "WorkingSetSize",  WSIM_PROV_UINT64,   0 },
  [P_CREATION_DATE]     = { "CreationDate",    WSIM_PROV_DATETIME, 0 },
};

static const WsimProvClass process_classes[] = {
  { CLASS_NAME, NULL, process_props, N_PROPS },
};

/* One call's position in its snapshot of pids. Owned by the call (ctx->provider_data),
 * freed in finish(). */
typedef struct {
  int32_t *pids;        /* (owned) the snapshot */
  size_t   n_pids;
  size_t   pos;         /* the next pid to read */
  int64_t  btime;       /* boot time, seconds since the epoch */
  long     ticks;       /* clock ticks per second (stat's starttime unit) */
  long     page_size;
  int      is_get;      /* a get(): no instance means WBEM_E_NOT_FOUND */
  int      found;       /* a get() posted its instance */
  int      done;        /* the result is posted (or the call was dropped) */
} ProcCursor;

/* What /proc/PID/stat says that we use. */
typedef struct {
  char     comm[256];
  uint32_t ppid;
  uint32_t threads;
  uint64_t starttime;   /* clock ticks after boot */
} ProcStat;

typedef enum { BUILD_OK, BUILD_GONE, BUILD_FAILED } BuildStatus;

/* Parses a pid in canonical decimal form (no sign, no leading zero, > 0). */
static int
parse_pid (const char *text, int32_t *pid)
{
  if (text == NULL || text[0] < '1' || text[0] > '9')
    return -1;
  long long v = 0;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p < '0' || *p > '9')
        return -1;
      v = v * 10 + (*p - '0');
      if (v > INT32_MAX)
        return -1;
    }
  *pid = (int32_t) v;
  return 0;
}

static int
read_stat (int32_t pid, ProcStat *ps)
{
  char path[64], buf[1024];
  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if (wsim_procfs_read (path, buf, sizeof buf) <= 0)
    return -1;

  /* "pid (comm) state ppid ...": comm may hold spaces and parentheses, so it ends at the
   * last ')'. Fields are numbered from 1 as in proc(5). */
  char *open = strchr (buf, '('), *close = strrchr (buf, ')');
  if (open == NULL || close == NULL || close < open)
    return -1;
  size_t comm_len = (size_t) (close - open - 1);
  if (comm_len >= sizeof ps->comm)
    comm_len = sizeof ps->comm - 1;
  memcpy (ps->comm, open + 1, comm_len);
  ps->comm[comm_len] = '\0';

  int field = 3;
  int have = 0;
  char *save = NULL;
  for (char *tok = strtok_r (close + 1, " \n", &save); tok != NULL;
       tok = strtok_r (NULL, " \n", &save), field++)
    {
      if (field == 4)
        ps->ppid = (uint32_t) strtoul (tok, NULL, 10), have++;
      else if (field == 20)
        ps->threads = (uint32_t) strtoul (tok, NULL, 10), have++;
      else if (field == 22)
        {
          ps->starttime = strtoull (tok, NULL, 10), have++;
          break;
        }
    }
  return have == 3 ? 0 : -1;
}

/* The command line with its NUL separators as spaces, or NULL when empty or unreadable.
 * *@gone is set when the process no longer exists. */
static char *
read_cmdline (int32_t pid, int *gone)
{
  char path[64];
  size_t len;
  snprintf (path, sizeof path, "/proc/%d/cmdline", (int) pid);
  char *cmd = wsim_procfs_read_all (path, &len);
  if (cmd == NULL)
    {
      *gone = (errno == ENOENT || errno == ESRCH);
      return NULL;
    }
  while (len > 0 && cmd[len - 1] == '\0')
    len--;
  if (len == 0)
    {
      free (cmd);
      return NULL;
    }
  for (size_t i = 0; i < len; i++)
    if (cmd[i] == '\0')
      cmd[i] = ' ';
  cmd[len] = '\0';
  return cmd;
}

/* The executable's path, or NULL (kernel threads, other users' processes). The absolute
 * /proc/PID/exe form (not readlinkat on a directory fd) lets valgrind show its client's
 * path for its own pid, as it does for readlink("/proc/self/exe"). */
static char *
read_exe (int32_t pid)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/exe", (int) pid);
  size_t cap = 256;
  for (;;)
    {
      char *buf = malloc (cap);
      if (buf == NULL)
        return NULL;
      ssize_t n = readlink (path, buf, cap);
      if (n < 0)
        {
          free (buf);
          return NULL;
        }
      if ((size_t) n < cap)
        {
          buf[n] = '\0';
          return buf;
        }
      free (buf);
      if (cap >= 65536)
        return NULL;
      cap *= 2;
    }
}

static uint64_t
read_rss_bytes (int32_t pid, long page_size)
{
  char path[64], buf[256];
  snprintf (path, sizeof path, "/proc/%d/statm", (int) pid);
  if (wsim_procfs_read (path, buf, sizeof buf) <= 0)
    return 0;
  /* size resident ...: resident pages are VmRSS. */
  unsigned long long size_pages = 0, resident = 0;
  if (sscanf (buf, "%llu %llu", &size_pages, &resident) != 2)
    return 0;
  return (uint64_t) resident * (uint64_t) page_size;
}

/* Whether @pid is a process rather than a thread of one: /proc/TID answers for a thread
 * too, though /proc does not list it. */
static int
is_process (int32_t pid)
{
  char path[64], buf[512];
  snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
  if (wsim_procfs_read (path, buf, sizeof buf) <= 0)
    return 0;
  const char *tgid = strstr (buf, "\nTgid:");
  return tgid != NULL && strtol (tgid + 6, NULL, 10) == (long) pid;
}

/* Builds the instance of @pid into *@out. */
static BuildStatus
build_instance (WsimProvContext *ctx, const ProcCursor *c, int32_t pid, WsimProvInstance **out)
{
  const WsimProvContextOps *ops = ctx->ops;
  ProcStat ps;
  int gone = 0;

  if (read_stat (pid, &ps) < 0 || (c->is_get && !is_process (pid)))
    return BUILD_GONE;
  char *cmdline = read_cmdline (pid, &gone);
  if (gone)
    return BUILD_GONE;
  char *exe = read_exe (pid);
  uint64_t rss = read_rss_bytes (pid, c->page_size);

  WsimProvInstance *inst = ops->new_instance (ctx, CLASS_NAME);
  if (inst == NULL)
    {
      free (cmdline);
      free (exe);
      return BUILD_FAILED;
    }

  char handle[16], created[WSIM_DMTF_LEN + 1];
  snprintf (handle, sizeof handle, "%d", (int) pid);
  uint64_t ticks = ps.starttime;
  wsim_dmtf_format (created, c->btime + (int64_t) (ticks / (uint64_t) c->ticks),
                    (long) ((ticks % (uint64_t) c->ticks) * 1000000u / (uint64_t) c->ticks), 0);

  int bad = 0;
  bad |= ops->set_string_at (inst, P_HANDLE, handle);
  bad |= ops->set_string_at (inst, P_NAME, ps.comm);
  bad |= ops->set_uint64_at (inst, P_PROCESS_ID, (uint64_t) pid);
  bad |= ops->set_uint64_at (inst, P_PARENT_PROCESS_ID, ps.ppid);
  bad |= exe != NULL ? ops->set_string_at (inst, P_EXECUTABLE_PATH, exe)
                     : ops->set_null (inst, "ExecutablePath");
  bad |= cmdline != NULL ? ops->set_string_at (inst, P_COMMAND_LINE, cmdline)
                         : ops->set_null (inst, "CommandLine");
  bad |= ops->set_uint64_at (inst, P_THREAD_COUNT, ps.threads);
  bad |= ops->set_uint64_at (inst, P_WORKING_SET_SIZE, rss);
  bad |= ops->set_datetime (inst, "CreationDate", created);
  free (cmdline);
  free (exe);

  if (bad != 0)
    {
      ops->free_instance (inst);
      return BUILD_FAILED;
    }
  *out = inst;
  return BUILD_OK;
}

/* Posts from the cursor until BUSY, the end (then the result), or the call's end. The
 * result is the last thing done: after it the runtime may finish the call, so neither the
 * cursor nor @ctx is touched again. */
static void
process_step (WsimProvContext *ctx)
{
  const WsimProvContextOps *ops = ctx->ops;
  ProcCursor *c = ctx->provider_data;

  if (c == NULL || c->done)
    return;
  while (c->pos < c->n_pids)
    {
      if (ops->is_cancelled (ctx))
        {
          c->done = 1;
          return;
        }
      WsimProvInstance *inst = NULL;
      switch (build_instance (ctx, c, c->pids[c->pos++], &inst))
        {
        case BUILD_GONE:
          continue;
        case BUILD_FAILED:
          c->done = 1;
          ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "Win32_Process: cannot build an instance");
          return;
        case BUILD_OK:
          break;
        }
      c->found = 1;
      WsimProvStatus st = ops->post_instance (ctx, inst);
      if (st == WSIM_PROV_DROPPED)
        {
          c->done = 1;
          return;
        }
      if (st == WSIM_PROV_BUSY)
        return;
    }

  c->done = 1;
  if (c->is_get && !c->found)
    ops->post_result (ctx, WSIM_PROV_E_NOT_FOUND, "no process has that Handle");
  else
    ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static ProcCursor *
cursor_new (int32_t *pids, size_t n_pids, int is_get)
{
  ProcCursor *c = calloc (1, sizeof *c);
  if (c == NULL)
    return NULL;
  c->pids = pids;
  c->n_pids = n_pids;
  c->is_get = is_get;
  c->ticks = sysconf (_SC_CLK_TCK);
  if (c->ticks <= 0)
    c->ticks = 100;
  c->page_size = sysconf (_SC_PAGESIZE);
  if (c->page_size <= 0)
    c->page_size = 4096;
  if (wsim_procfs_boot_time (&c->btime) < 0)
    c->btime = 0;
  return c;
}

/* The pids /proc lists now, in its order (ascending). */
static int
list_pids (int32_t **ret_pids, size_t *ret_n)
{
  DIR *dir = opendir ("/proc");
  if (dir == NULL)
    return -1;

  size_t n = 0, cap = 256;
  int32_t *pids = malloc (cap * sizeof *pids);
  if (pids == NULL)
    {
      closedir (dir);
      return -1;
    }
  struct dirent *de;
  while ((de = readdir (dir)) != NULL)
    {
      int32_t pid;
      if (parse_pid (de->d_name, &pid) < 0)
        continue;
      if (n == cap)
        {
          int32_t *bigger = realloc (pids, cap * 2 * sizeof *pids);
          if (bigger == NULL)
            {
              free (pids);
              closedir (dir);
              return -1;
            }
          pids = bigger;
          cap *= 2;
        }
      pids[n++] = pid;
    }
  closedir (dir);
  *ret_pids = pids;
  *ret_n = n;
  return 0;
}

static void
process_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  int32_t *pids;
  size_t n;

  if (list_pids (&pids, &n) < 0)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_FAILED, "cannot list /proc");
      return;
    }
  ProcCursor *c = cursor_new (pids, n, 0);
  if (c == NULL)
    {
      free (pids);
      ctx->ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "out of memory");
      return;
    }
  ctx->provider_data = c;
  process_step (ctx);
}

static void
process_resume (void *state, WsimProvContext *ctx)
{
  process_step (ctx);
}

static void
process_get (void *state, WsimProvContext *ctx, const char *class_name,
             const WsimProvKey *keys, size_t n_keys)
{
  const char *handle = NULL;
  for (size_t i = 0; i < n_keys; i++)
    if (keys[i].name != NULL && strcasecmp (keys[i].name, "Handle") == 0)
      handle = keys[i].value;
  if (handle == NULL)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "Win32_Process is keyed by Handle");
      return;
    }

  /* Handle is the pid as Windows writes it; any other spelling names no process. */
  int32_t pid = 0;
  int valid = parse_pid (handle, &pid) == 0;
  int32_t *pids = valid ? malloc (sizeof *pids) : NULL;
  if (valid && pids == NULL)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "out of memory");
      return;
    }
  if (valid)
    pids[0] = pid;
  ProcCursor *c = cursor_new (pids, valid ? 1 : 0, 1);
  if (c == NULL)
    {
      free (pids);
      ctx->ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "out of memory");
      return;
    }
  ctx->provider_data = c;
  process_step (ctx);
}

static void
process_finish (void *state, WsimProvContext *ctx)
{
  ProcCursor *c = ctx->provider_data;
  ctx->provider_data = NULL;
  if (c != NULL)
    {
      free (c->pids);
      free (c);
    }
}

static const WsimProvider process_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "win32-process",
  .classes = process_classes,
  .n_classes = sizeof process_classes / sizeof process_classes[0],
  .enumerate = process_enumerate,
  .resume = process_resume,
  .get = process_get,
  .finish = process_finish,
  .methods = wsim_process_methods,
  .n_methods = WSIM_PROCESS_N_METHODS,
  .exec_method = wsim_process_exec_method,
};

WSIM_PROVIDER_EXPORT const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

WSIM_PROVIDER_EXPORT const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  return &process_provider;
}
