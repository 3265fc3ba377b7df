/* wsim-sink-rows.h: what a sink host makes of an INDICATE's (or a final SetStatus's)
 * decoded arguments: the classes the message introduces, added to the call's class table,
 * and each row turned into an object of its class.
 *
 * Internal: the sink host (wsim-sink-host.c) and the fuzz target of its decoding
 * (fuzzing/fuzz-indicate.c) share it, so the fuzzer runs the host's own steps.
 * Threading: none of its own; the caller's.
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim_cim.h"

G_BEGIN_DECLS

/**
 * wsim_sink_rows_learn_classes:
 * @classes: (element-type WsimClass) the call's class table, in wire order
 * @defs: the classes the message introduces, @n of them
 * Appends each to @classes.
 * Returns: FALSE when one is not a valid class (the host answers WBEM_E_INVALID_PARAMETER);
 *   the ones before it stay added.
 */
gboolean wsim_sink_rows_learn_classes (GPtrArray *classes, const wsim_class_def *defs, guint n);

/**
 * wsim_sink_rows_to_object:
 * @classes: (element-type WsimClass) the call's class table
 * @row: a decoded row; its values are taken (the row is left empty) when it fits
 * Returns: (transfer full) (nullable) the object, or NULL if the row names no class of
 *   @classes or does not have its number of values.
 */
WsimObject *wsim_sink_rows_to_object (GPtrArray *classes, wsim_instance *row);

G_END_DECLS
