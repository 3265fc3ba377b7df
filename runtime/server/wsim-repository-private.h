/* wsim-repository-private.h: what the server's own files ask of the repository beyond
 * its public header. Threading: as wsim-repository.h. */
#pragma once

#include "wsim-repository.h"

G_BEGIN_DECLS

/**
 * wsim_repository_list_all_classes:
 * Returns: (transfer container) (element-type WsimClass) every class of @ns, by name
 *   (case-insensitive); borrowed from the repository. Empty for an unknown namespace.
 */
GPtrArray *wsim_repository_list_all_classes (WsimRepository *repo, const char *ns);

G_END_DECLS
