/* wsim-test-ladder.h: the callback ladder as the matrix tests read and predict it.
 *
 * A ladder is written "level:ok" or "level:refused" per rung, space-separated, in the order
 * tried ("pktPrivacy:refused pktIntegrity:ok"): what the server's trace shows
 * (wsim_test_ladder_attempts()) and what docs/security.md's rules predict
 * (wsim_test_expected_ladder()), so a test compares two strings.
 */
#pragma once

#include <glib.h>

#include "wsim-authn-level.h"
#include "wsim-hresult.h"
#include "wsim-trace.h"

G_BEGIN_DECLS

/**
 * wsim_test_ladder_attempts:
 * Returns: (transfer full) the WSIM_TRACE_CALLBACK attempts of @call_id in @trace.
 */
char *wsim_test_ladder_attempts (WsimTrace *trace, guint64 call_id);

/**
 * wsim_test_expected_ladder:
 * @local_none: Windows' shortcut applies (a local, non-Kerberos call): NONE is the only rung
 * @host_max: the highest level the sink host takes
 * @check: the stub checks who calls (a rung needs an identity: CONNECT or above)
 * @final_hr: (out) WBEM_S_NO_ERROR if a rung is taken, else WBEM_E_ACCESS_DENIED
 * Returns: (transfer full) the ladder docs/security.md predicts, from PKT_PRIVACY down.
 */
char *wsim_test_expected_ladder (gboolean local_none, WsimAuthnLevel host_max, gboolean check,
                                 WsimHResult *final_hr);

G_END_DECLS
