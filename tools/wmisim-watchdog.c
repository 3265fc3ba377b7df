/* wmisim-watchdog: removes a private directory when the process that made it is gone.
 *
 * Started by the library (rpc/wsim-private-dir.c), never by hand:
 *   wmisim-watchdog DIR
 * Its stdin is one end of a socket pair whose other end only that process holds. A byte
 * read means the process removed DIR itself; end of file with nothing read means it died
 * without doing so (SIGKILL, a crash, a signal at its default action): the watchdog then
 * removes DIR's entries and DIR. Its own session: a terminal's ^C or hang-up, meant for the
 * process, does not end the watchdog first. Plain POSIX, no GLib: it only waits and removes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  char byte;
  ssize_t n;
  int fd;
  DIR *d;

  if (argc != 2)
    {
      fprintf (stderr, "usage: wmisim-watchdog DIR (started by the wmisim library)\n");
      return 2;
    }
  setsid ();
  do
    n = read (STDIN_FILENO, &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n > 0)
    return 0;
  /* O_NOFOLLOW: DIR was made by mkdtemp; if it is a link now, it is not ours to empty. */
  fd = open (argv[1], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 && (d = fdopendir (fd)) != NULL)
    {
      struct dirent *e;

      while ((e = readdir (d)) != NULL)
        if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
          unlinkat (dirfd (d), e->d_name, 0);
      closedir (d);
    }
  else if (fd >= 0)
    close (fd);
  rmdir (argv[1]);
  return 0;
}
