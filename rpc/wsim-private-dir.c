/* wsim-private-dir.c: private directories removed however the process ends (see wsim-private-dir.h). */
#include "wsim-private-dir.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct _WsimPrivateDir {
  char  *path;      /* (owned) */
  int    watch_fd;  /* this process's end of the watchdog's socket pair */
  GPid   watchdog;
  pid_t  owner;     /* the process that made it: a forked child must not remove it */
};

static char *
watchdog_path (void)
{
  const char *env = g_getenv ("WSIM_WATCHDOG");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_strdup (g_file_test (WSIM_WATCHDOG_INSTALLED, G_FILE_TEST_IS_EXECUTABLE)
                     ? WSIM_WATCHDOG_INSTALLED : WSIM_WATCHDOG_BUILT);
}

/* Removes @path's entries (files and sockets: the directory is flat) and @path. */
static void
remove_path (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *entry = g_build_filename (path, name, NULL);

      g_unlink (entry);
    }
  g_rmdir (path);
}

/* Starts the watchdog of @path; returns this process's end of its socket pair, or -1. The
 * spawn closes every other descriptor in the child. Reaped by us (wsim_private_dir_free()),
 * not through GLib's intermediate child: that forked copy of a threaded process would exit
 * without exec, and valgrind would report what only the other threads' stacks held. */
static int
start_watchdog (const char *path, GPid *pid, GError **error)
{
  g_autofree char *program = watchdog_path ();
  const char *argv[] = { program, path, NULL };
  int fds[2];
  gboolean ok;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int e = errno;

      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "no socket pair for the watchdog: %s",
                   g_strerror (e));
      return -1;
    }
  ok = g_spawn_async_with_pipes_and_fds (NULL, argv, NULL,
                                         G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL
                                           | G_SPAWN_DO_NOT_REAP_CHILD,
                                         NULL, NULL, fds[1], -1, -1, NULL, NULL, 0, pid, NULL,
                                         NULL, NULL, error);
  close (fds[1]);
  if (!ok)
    {
      close (fds[0]);
      return -1;
    }
  return fds[0];
}

WsimPrivateDir *
wsim_private_dir_new (const char *tmpl, GError **error)
{
  g_autofree char *path = g_dir_make_tmp (tmpl, error);   /* mode 0700 */
  WsimPrivateDir *dir;
  GPid pid = 0;
  int fd;

  if (path == NULL)
    return NULL;
  if ((fd = start_watchdog (path, &pid, error)) < 0)
    {
      g_rmdir (path);
      return NULL;
    }
  dir = g_new0 (WsimPrivateDir, 1);
  dir->path = g_steal_pointer (&path);
  dir->watch_fd = fd;
  dir->watchdog = pid;
  dir->owner = getpid ();
  return dir;
}

const char *
wsim_private_dir_get_path (const WsimPrivateDir *dir)
{
  return dir->path;
}

void
wsim_private_dir_free (WsimPrivateDir *dir)
{
  if (dir == NULL)
    return;
  if (getpid () == dir->owner)
    {
      /* Removed first, then the watchdog told: its end of file alone would remove it too,
       * but after us the name may be another's. MSG_NOSIGNAL: a watchdog killed by hand is
       * no reason for SIGPIPE. */
      remove_path (dir->path);
      (void) send (dir->watch_fd, "", 1, MSG_NOSIGNAL);
    }
  close (dir->watch_fd);
  /* It exits as soon as it reads the byte or the end of file. */
  while (getpid () == dir->owner && waitpid (dir->watchdog, NULL, 0) < 0 && errno == EINTR)
    ;
  g_free (dir->path);
  g_free (dir);
}
