/* wsim-cim-nesting.c: the XDR filters of embedded objects, bounded in depth (see
 * wsim-cim-nesting.h and wsim_cim.x). */
#include "wsim-cim-nesting.h"

/* How deep the embedded object this thread is coding sits; 0 outside one. A thread-local
 * rather than a field of the XDR stream: libtirpc's XDR has no room of its own for it. */
static _Thread_local unsigned int nesting;

bool_t
xdr_wsim_embedded (XDR *xdrs, wsim_embedded *objp)
{
  bool_t ok;

  /* Freeing walks only what was decoded or built, already bounded; it must never stop
   * half way (that would leak). */
  if (xdrs->x_op != XDR_FREE && nesting >= WSIM_MAX_NESTING)
    return FALSE;
  nesting++;
  ok = xdr_wsim_embedded_body (xdrs, objp);
  nesting--;
  return ok;
}

bool_t
xdr_wsim_embedded_ref (XDR *xdrs, wsim_embedded_ref *objp)
{
  bool_t present = *objp != NULL;

  if (!xdr_bool (xdrs, &present))
    return FALSE;
  if (!present)
    /* Freeing a value whose object is absent is fine; coding one is not (null is CIM_EMPTY). */
    return xdrs->x_op == XDR_FREE;
  return xdr_reference (xdrs, (char **) objp, sizeof (wsim_embedded), (xdrproc_t) xdr_wsim_embedded);
}
