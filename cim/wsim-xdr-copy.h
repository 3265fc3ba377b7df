/* wsim-xdr-copy.h: deep copies of wire structures through XDR itself.
 *
 * Internal. One routine that is right for every field of every wire type, present and
 * future: encode, then decode into a fresh struct.
 */
#pragma once

#include <glib.h>

#include "wsim_cim.h"

/**
 * wsim_xdr_copy:
 * @proc: the XDR filter of the type of @src and @dst
 * @src: (transfer none) the structure to copy
 * @dst: a zero-filled structure of the same type, filled with the copy
 * Returns: FALSE if @src does not encode (a NULL string, an object nested past
 *   WSIM_MAX_NESTING); @dst may then hold part of a copy: xdr_free it.
 */
gboolean wsim_xdr_copy (xdrproc_t proc, const void *src, void *dst);
