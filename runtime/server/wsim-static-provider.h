/* wsim-static-provider.h: the built-in provider that serves classes no provider computes.
 *
 * Internal. Classes loaded from MOF have their instances in the file; the repository
 * registers them with this table, whose state is the list of those instances, and the
 * server reaches them through the normal provider ABI (enumerate, then the runtime's own
 * filtering for GetObject and WQL), so nothing else in the server knows about them.
 *
 * Threading: the server's main-loop thread only (as every provider).
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-provider.h"

G_BEGIN_DECLS

/** wsim_static_provider: the table; its state comes from wsim_static_provider_state_new(). */
extern const WsimProvider wsim_static_provider;

/**
 * wsim_static_provider_state_new:
 * @instances: (element-type WsimObject) the instances to serve; each is served when its own
 *   class is enumerated (a subclass's instances come with the subclass's call)
 * Returns: (transfer full) the state to register the table with; the table's unload() frees it.
 */
gpointer wsim_static_provider_state_new (GPtrArray *instances);

G_END_DECLS
