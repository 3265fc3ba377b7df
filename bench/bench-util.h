/* bench-util.h: what the benchmark programs share (bench-rpc-client, bench-gss-raw).
 * Not a test and not installed: see bench/README.md. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** Returns: (transfer full) @size bytes of a fixed pattern (at least one byte is allocated),
 *  so that whatever mangles bytes on the way is caught by a comparison. */
guint8 *bench_make_payload (gsize size);

/** Parses the command line against @entries; on an error prints it and returns FALSE (the
 *  caller exits 2, bad usage). */
gboolean bench_parse_options (const char *summary, const GOptionEntry *entries, int *argc,
                              char ***argv);

/** One unit of work (a call, a round of messages); FALSE when it failed (already reported). */
typedef gboolean (*BenchStepFunc) (gpointer data);

/**
 * bench_run_timed:
 * Runs @step for @warmup_us, then counts the steps completed in the next @measure_us. The
 * clock is read once per step, so the window ends at the first step finished after it.
 * Returns: FALSE as soon as a step fails; otherwise @steps and @elapsed_us (the measured
 *   window's length) are set.
 */
gboolean bench_run_timed (BenchStepFunc step, gpointer data, gint64 warmup_us,
                          gint64 measure_us, guint64 *steps, gint64 *elapsed_us);

/**
 * bench_result:
 * Prints "RESULT measure=" followed by @format's text and a newline on stdout: one measure's
 * figures as KEY=VALUE pairs (the first word of @format names the measure), the line
 * bench/run-all.sh collects. The human lines stay as they are.
 */
void bench_result (const char *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
