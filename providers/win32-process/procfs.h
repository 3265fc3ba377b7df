/* procfs.h: small readers of /proc and the DMTF datetime format, shared by the
 * Win32_Process and Win32_OperatingSystem providers. Compiled into each module that uses
 * it (a provider links nothing outside itself); plain libc, no allocation except where a
 * function says so.
 */
#ifndef WSIM_PROCFS_H
#define WSIM_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A CIM datetime: yyyymmddHHMMSS.mmmmmmsUUU (25 characters). */
#define WSIM_DMTF_LEN 25

/* Reads at most @cap - 1 bytes of @path into @buf and NUL-terminates it.
 * Returns the number of bytes read, or -1 (errno set). */
ssize_t wsim_procfs_read (const char *path, char *buf, size_t cap);

/* Reads all of @path (a /proc file whose size stat() does not tell) into a malloc'ed,
 * NUL-terminated buffer; *@len gets its length. Returns NULL (errno set) on failure. */
char *wsim_procfs_read_all (const char *path, size_t *len);

/* The boot time, seconds since the epoch (btime of /proc/stat). Returns 0, or -1. */
int wsim_procfs_boot_time (int64_t *btime);

/* Formats @secs (since the epoch, UTC) + @usec as a DMTF datetime at @offset_minutes from
 * UTC: the digits show the local time there and the suffix is the signed offset, so
 * offset 0 gives "...+000". */
void wsim_dmtf_format (char out[WSIM_DMTF_LEN + 1], int64_t secs, long usec, int offset_minutes);

#endif /* WSIM_PROCFS_H */
