/* bench-util.c: what the benchmark programs share (see bench-util.h). */
#include "bench-util.h"

#include <stdarg.h>
#include <stdio.h>

guint8 *
bench_make_payload (gsize size)
{
  guint8 *p = g_malloc (MAX (size, 1));

  for (gsize i = 0; i < size; i++)
    p[i] = (guint8) (i * 131u + 7u);
  return p;
}

gboolean
bench_parse_options (const char *summary, const GOptionEntry *entries, int *argc, char ***argv)
{
  g_autoptr(GOptionContext) octx = g_option_context_new (summary);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (octx, entries, NULL);
  if (!g_option_context_parse (octx, argc, argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
bench_run_timed (BenchStepFunc step, gpointer data, gint64 warmup_us, gint64 measure_us,
                 guint64 *steps, gint64 *elapsed_us)
{
  gint64 t0 = g_get_monotonic_time (), t_start, now;
  guint64 n = 0;

  do
    if (!step (data))
      return FALSE;
  while ((now = g_get_monotonic_time ()) - t0 < warmup_us);
  t_start = now;
  do
    {
      if (!step (data))
        return FALSE;
      n++;
    }
  while ((now = g_get_monotonic_time ()) - t_start < measure_us);
  *steps = n;
  *elapsed_us = now - t_start;
  return TRUE;
}

void
bench_result (const char *format, ...)
{
  va_list ap;

  fputs ("RESULT measure=", stdout);
  va_start (ap, format);
  vprintf (format, ap);
  va_end (ap);
  putchar ('\n');
  fflush (stdout);
}
