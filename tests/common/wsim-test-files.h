/* wsim-test-files.h: the temporary directories tests make, removed again. GLib only, as
 * wsim-test-loop.h; wsim-test-util.h includes it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * wsim_test_remove_dir:
 * @path: (nullable) a directory a test made; NULL does nothing
 * Removes the files in @path and the empty directories directly in it (a failed-save test
 * leaves one at a file's name), then @path itself. What cannot be removed stays, silently:
 * a teardown must not fail the test it follows.
 */
void wsim_test_remove_dir (const char *path);

G_END_DECLS
