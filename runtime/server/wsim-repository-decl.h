/* wsim-repository-decl.h: the class object the repository keeps for a class it registers.
 *
 * Internal. A provider's class gets what its table says (its properties with types and
 * keys, the methods the table declares for it, [dynamic, provider("NAME")]); a class
 * registered as static (MOF, tests) first gets its layout, and the MOF loader then replaces
 * it with everything the file gave (wsim_repository_set_class_decl()).
 *
 * Threading: the server's main-loop thread only.
 */
#pragma once

#include <glib.h>

#include "wsim-class-decl.h"
#include "wsim-provider.h"

G_BEGIN_DECLS

/**
 * wsim_repository_decl_for:
 * @provider: (nullable) the provider serving @cls; NULL or the static provider for a
 *   repository class (no provider qualifiers, no methods)
 * @parent: (nullable) the class object of @cls's superclass
 * Returns: (transfer full) the class object of @cls in namespace @ns.
 */
WsimClassDecl *wsim_repository_decl_for (const WsimProvider *provider, gboolean is_static,
                                         WsimClass *cls, WsimClassDecl *parent, const char *ns);

G_END_DECLS
