/* win32-os/provider.c: the Win32_OperatingSystem provider, the one running system as
 * os-release, uname(), sysinfo() and /proc/stat describe it.
 *
 * The class has a single instance, keyed by Name. Windows writes Name as
 * "Caption|WindowsDirectory|BootPartition"; here it is simply os-release's PRETTY_NAME
 * ("Debian GNU/Linux 12 (bookworm)"). Datetimes are DMTF: LastBootUpTime in UTC,
 * LocalDateTime in local time with its offset, as Windows does. The call needs no state
 * of its own beyond "the result is still due" after a BUSY answer, which is a marker in
 * ctx->provider_data (nothing allocated).
 */
#include "wsim-provider.h"
#include "procfs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define WSIM_PROVIDER_EXPORT __attribute__((visibility("default")))

#define CLASS_NAME "Win32_OperatingSystem"

enum {
  P_NAME, P_CAPTION, P_VERSION, P_BUILD_NUMBER, P_OS_ARCHITECTURE, P_CS_NAME,
  P_LAST_BOOT_UP_TIME, P_LOCAL_DATE_TIME, P_TOTAL_VISIBLE_MEMORY_SIZE,
  P_FREE_PHYSICAL_MEMORY, P_NUMBER_OF_PROCESSES, P_MANUFACTURER, N_PROPS
};

static const WsimProvProperty os_props[N_PROPS] = {
  [P_NAME]                      = { "Name",                   WSIM_PROV_STRING,   1 },
  [P_CAPTION]                   = { "Caption",                WSIM_PROV_STRING,   0 },
  [P_VERSION]                   = { "Version",                WSIM_PROV_STRING,   0 },
  [P_BUILD_NUMBER]              = { "BuildNumber",            WSIM_PROV_STRING,   0 },
  [P_OS_ARCHITECTURE]           = { "OSArchitecture",         WSIM_PROV_STRING,   0 },
  [P_CS_NAME]                   = { "CSName",                 WSIM_PROV_STRING,   0 },
  [P_LAST_BOOT_UP_TIME]         = { "LastBootUpTime",         WSIM_PROV_DATETIME, 0 },
  [P_LOCAL_DATE_TIME]           = { "LocalDateTime",          WSIM_PROV_DATETIME, 0 },
  [P_TOTAL_VISIBLE_MEMORY_SIZE] = { "TotalVisibleMemorySize", WSIM_PROV_UINT64,   0 },
  [P_FREE_PHYSICAL_MEMORY]      = { "FreePhysicalMemory",     WSIM_PROV_UINT64,   0 },
  [P_NUMBER_OF_PROCESSES]       = { "NumberOfProcesses",      WSIM_PROV_UINT32,   0 },
  [P_MANUFACTURER]              = { "Manufacturer",           WSIM_PROV_STRING,   0 },
};

static const WsimProvClass os_classes[] = {
  { CLASS_NAME, NULL, os_props, N_PROPS },
};

/* ctx->provider_data points here while the result is due after a BUSY answer. */
static const char os_result_due;

/* What os-release says that we use. */
typedef struct {
  char pretty_name[256];
  char id[64];
} OsRelease;

/* Copies the value of an os-release assignment, removing shell quoting. */
static void
unquote (const char *v, char *out, size_t cap)
{
  size_t n = 0;
  char quote = 0;
  if (*v == '"' || *v == '\'')
    quote = *v++;
  for (; *v != '\0' && *v != '\n'; v++)
    {
      if (quote != 0 && *v == quote)
        break;
      if (quote == '"' && *v == '\\' && v[1] != '\0' && strchr ("\"\\$`", v[1]) != NULL)
        v++;
      if (n + 1 < cap)
        out[n++] = *v;
    }
  out[n] = '\0';
}

static void
read_os_release (OsRelease *os)
{
  snprintf (os->pretty_name, sizeof os->pretty_name, "Linux");
  snprintf (os->id, sizeof os->id, "linux");

  char buf[8192];
  if (wsim_procfs_read ("/etc/os-release", buf, sizeof buf) < 0
      && wsim_procfs_read ("/usr/lib/os-release", buf, sizeof buf) < 0)
    return;
  for (char *line = buf; line != NULL && *line != '\0'; )
    {
      if (strncmp (line, "PRETTY_NAME=", 12) == 0)
        unquote (line + 12, os->pretty_name, sizeof os->pretty_name);
      else if (strncmp (line, "ID=", 3) == 0)
        unquote (line + 3, os->id, sizeof os->id);
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
}

static WsimProvInstance *
build_instance (WsimProvContext *ctx, const OsRelease *os)
{
  const WsimProvContextOps *ops = ctx->ops;
  struct utsname un;
  struct sysinfo si;
  char host[256], manufacturer[64], boot[WSIM_DMTF_LEN + 1], now[WSIM_DMTF_LEN + 1];
  int64_t btime;

  if (uname (&un) < 0 || sysinfo (&si) < 0)
    return NULL;
  if (gethostname (host, sizeof host) < 0)
    snprintf (host, sizeof host, "%s", un.nodename);
  host[sizeof host - 1] = '\0';

  /* "debian" -> "Debian". */
  snprintf (manufacturer, sizeof manufacturer, "%s", os->id);
  manufacturer[0] = (char) toupper ((unsigned char) manufacturer[0]);

  if (wsim_procfs_boot_time (&btime) < 0)
    btime = (int64_t) time (NULL) - (int64_t) si.uptime;
  wsim_dmtf_format (boot, btime, 0, 0);

  struct timeval tv;
  struct tm tm;
  gettimeofday (&tv, NULL);
  time_t t = tv.tv_sec;
  int offset_minutes = 0;
  if (localtime_r (&t, &tm) != NULL)
    offset_minutes = (int) (tm.tm_gmtoff / 60);
  wsim_dmtf_format (now, (int64_t) tv.tv_sec, (long) tv.tv_usec, offset_minutes);

  uint64_t unit = si.mem_unit != 0 ? si.mem_unit : 1;
  WsimProvInstance *inst = ops->new_instance (ctx, CLASS_NAME);
  if (inst == NULL)
    return NULL;

  int bad = 0;
  bad |= ops->set_string_at (inst, P_NAME, os->pretty_name);
  bad |= ops->set_string_at (inst, P_CAPTION, os->pretty_name);
  bad |= ops->set_string_at (inst, P_VERSION, un.release);
  bad |= ops->set_string_at (inst, P_BUILD_NUMBER, un.version);
  bad |= ops->set_string_at (inst, P_OS_ARCHITECTURE, sizeof (void *) == 8 ? "64-bit" : "32-bit");
  bad |= ops->set_string_at (inst, P_CS_NAME, host);
  bad |= ops->set_datetime (inst, "LastBootUpTime", boot);
  bad |= ops->set_datetime (inst, "LocalDateTime", now);
  bad |= ops->set_uint64_at (inst, P_TOTAL_VISIBLE_MEMORY_SIZE, (uint64_t) si.totalram * unit / 1024);
  bad |= ops->set_uint64_at (inst, P_FREE_PHYSICAL_MEMORY, (uint64_t) si.freeram * unit / 1024);
  bad |= ops->set_uint64_at (inst, P_NUMBER_OF_PROCESSES, si.procs);
  bad |= ops->set_string_at (inst, P_MANUFACTURER, manufacturer);
  if (bad != 0)
    {
      ops->free_instance (inst);
      return NULL;
    }
  return inst;
}

/* Posts the instance, then the result unless the sink said BUSY (resume() posts it). */
static void
post_system (WsimProvContext *ctx, const OsRelease *os)
{
  WsimProvInstance *inst = build_instance (ctx, os);
  if (inst == NULL)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "Win32_OperatingSystem: cannot build the instance");
      return;
    }
  switch (ctx->ops->post_instance (ctx, inst))
    {
    case WSIM_PROV_OK:
      ctx->ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
      break;
    case WSIM_PROV_BUSY:
      ctx->provider_data = (void *) &os_result_due;
      break;
    case WSIM_PROV_DROPPED:
      break;
    }
}

static void
os_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  OsRelease os;
  read_os_release (&os);
  post_system (ctx, &os);
}

static void
os_resume (void *state, WsimProvContext *ctx)
{
  if (ctx->provider_data != &os_result_due)
    return;
  ctx->provider_data = NULL;
  if (!ctx->ops->is_cancelled (ctx))
    ctx->ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static void
os_get (void *state, WsimProvContext *ctx, const char *class_name,
        const WsimProvKey *keys, size_t n_keys)
{
  const char *name = NULL;
  for (size_t i = 0; i < n_keys; i++)
    if (keys[i].name != NULL && strcasecmp (keys[i].name, "Name") == 0)
      name = keys[i].value;
  if (name == NULL)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "Win32_OperatingSystem is keyed by Name");
      return;
    }

  OsRelease os;
  read_os_release (&os);
  if (strcasecmp (name, os.pretty_name) != 0)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_NOT_FOUND, "no operating system has that Name");
      return;
    }
  post_system (ctx, &os);
}

static void
os_finish (void *state, WsimProvContext *ctx)
{
  ctx->provider_data = NULL;
}

static const WsimProvider os_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "win32-os",
  .classes = os_classes,
  .n_classes = sizeof os_classes / sizeof os_classes[0],
  .enumerate = os_enumerate,
  .resume = os_resume,
  .get = os_get,
  .finish = os_finish,
};

WSIM_PROVIDER_EXPORT const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

WSIM_PROVIDER_EXPORT const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  return &os_provider;
}
