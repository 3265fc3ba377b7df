/* fuzz-common.h: what every fuzz target shares.
 *
 * libFuzzer hands a target a buffer that is not NUL-terminated; the text decoders of
 * wmisim take C strings, so fuzz_strdup() makes one. Declares LLVMFuzzerTestOneInput
 * so that -Wmissing-prototypes holds for the targets and the replay driver alike.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/**
 * LLVMFuzzerTestOneInput:
 * @data: the input, @size bytes; not NUL-terminated, not to be modified
 * Runs one decoder on one input. Returns: 0 (libFuzzer reserves other values).
 */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/**
 * fuzz_strdup:
 * Returns: (transfer full) @data as a NUL-terminated string (an embedded NUL ends it
 *   early, as it would for any C caller); free with g_free().
 */
static inline char *
fuzz_strdup (const uint8_t *data, size_t size)
{
  return g_strndup ((const char *) data, size);
}
