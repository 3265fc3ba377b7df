/* procfs.c: small readers of /proc and the DMTF datetime format, shared by the Win32
 * providers (see procfs.h). Everything here is reentrant: per-call state lives in the
 * callers' buffers.
 */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

ssize_t
wsim_procfs_read (const char *path, char *buf, size_t cap)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;

  size_t len = 0;
  while (len + 1 < cap)
    {
      ssize_t n = read (fd, buf + len, cap - 1 - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          errno = saved;
          return -1;
        }
      if (n == 0)
        break;
      len += (size_t) n;
    }
  close (fd);
  buf[len] = '\0';
  return (ssize_t) len;
}

char *
wsim_procfs_read_all (const char *path, size_t *len)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;

  size_t cap = 256, used = 0;
  char *buf = malloc (cap);
  if (buf == NULL)
    {
      close (fd);
      errno = ENOMEM;
      return NULL;
    }
  for (;;)
    {
      if (used + 1 == cap)
        {
          char *bigger = realloc (buf, cap * 2);
          if (bigger == NULL)
            {
              free (buf);
              close (fd);
              errno = ENOMEM;
              return NULL;
            }
          buf = bigger;
          cap *= 2;
        }
      ssize_t n = read (fd, buf + used, cap - 1 - used);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          free (buf);
          close (fd);
          errno = saved;
          return NULL;
        }
      if (n == 0)
        break;
      used += (size_t) n;
    }
  close (fd);
  buf[used] = '\0';
  *len = used;
  return buf;
}

int
wsim_procfs_boot_time (int64_t *btime)
{
  size_t len;
  char *stat = wsim_procfs_read_all ("/proc/stat", &len);
  if (stat == NULL)
    return -1;

  int ret = -1;
  for (const char *line = stat; line != NULL && *line != '\0'; )
    {
      if (strncmp (line, "btime ", 6) == 0)
        {
          char *end;
          errno = 0;
          long long v = strtoll (line + 6, &end, 10);
          if (errno == 0 && end != line + 6 && v > 0)
            {
              *btime = v;
              ret = 0;
            }
          break;
        }
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  free (stat);
  return ret;
}

void
wsim_dmtf_format (char out[WSIM_DMTF_LEN + 1], int64_t secs, long usec, int offset_minutes)
{
  time_t t = (time_t) (secs + (int64_t) offset_minutes * 60);
  struct tm tm;
  char tmp[64];

  if (gmtime_r (&t, &tm) == NULL || usec < 0 || usec > 999999
      || offset_minutes < -999 || offset_minutes > 999)
    {
      /* Unrepresentable: the epoch, rather than a malformed value. */
      memcpy (out, "19700101000000.000000+000", WSIM_DMTF_LEN + 1);
      return;
    }
  int n = snprintf (tmp, sizeof tmp, "%04d%02d%02d%02d%02d%02d.%06ld%c%03d",
                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                    tm.tm_hour, tm.tm_min, tm.tm_sec, usec,
                    offset_minutes < 0 ? '-' : '+',
                    offset_minutes < 0 ? -offset_minutes : offset_minutes);
  if (n != WSIM_DMTF_LEN)
    {
      memcpy (out, "19700101000000.000000+000", WSIM_DMTF_LEN + 1);
      return;
    }
  memcpy (out, tmp, WSIM_DMTF_LEN + 1);
}
