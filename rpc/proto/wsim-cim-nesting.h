/* wsim-cim-nesting.h: the hand-written XDR filters of wsim_cim.x's embedded objects.
 *
 * Internal. rpcgen's routines call them by name (wsim_value's CIM_OBJECT and
 * WSIM_CIM_OBJECT_ARRAY arms); nothing else should: decode a whole wsim_value instead.
 */
#pragma once

#include "wsim_cim.h"

/**
 * xdr_wsim_embedded:
 * The XDR filter of one embedded object body (an element of WSIM_CIM_OBJECT_ARRAY).
 * Decoding or encoding an object nested more than WSIM_MAX_NESTING deep (the outermost is
 * depth 1) fails; XDR_FREE is never refused. The depth is counted per thread, so two
 * threads decoding at once do not see each other's.
 * Returns: TRUE on success.
 */
bool_t xdr_wsim_embedded (XDR *xdrs, wsim_embedded *objp);

/**
 * xdr_wsim_embedded_ref:
 * The filter of the CIM_OBJECT arm: XDR optional-data whose object must be present (a FALSE
 * presence word fails to decode, and a NULL pointer to encode), then xdr_wsim_embedded.
 * Returns: TRUE on success.
 */
bool_t xdr_wsim_embedded_ref (XDR *xdrs, wsim_embedded_ref *objp);
