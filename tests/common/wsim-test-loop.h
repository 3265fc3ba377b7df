/* wsim-test-loop.h: waiting in a test, by iterating a main context until a condition holds,
 * with a deadline, never by sleeping. Needs GLib only, so that tests of the internal static
 * libraries (which must not also link libwmisim) can use it too (the wsim-test-base library,
 * with wsim-test-files.h); wsim-test-util.h includes it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*WsimTestCond) (gpointer data);

/**
 * wsim_test_run_until:
 * Iterates @context (NULL: the thread default) until @cond returns TRUE or @timeout_ms
 * passes. Returns: TRUE if the condition held.
 */
gboolean wsim_test_run_until (GMainContext *context, WsimTestCond cond, gpointer data,
                              guint timeout_ms);

/** wsim_test_flag_is_set: a WsimTestCond for a gboolean*. */
gboolean wsim_test_flag_is_set (gpointer flag);

G_END_DECLS
