/* wsim-xdr-copy.c: deep copies through XDR (see wsim-xdr-copy.h). */
#include "wsim-xdr-copy.h"

gboolean
wsim_xdr_copy (xdrproc_t proc, const void *src, void *dst)
{
  XDR enc, dec;
  u_int len = 0;
  gboolean ok;
  g_autofree char *buf = NULL;

  len = (u_int) xdr_sizeof (proc, (void *) src);
  buf = g_malloc (MAX (len, 4));
  xdrmem_create (&enc, buf, len, XDR_ENCODE);
  ok = proc (&enc, (void *) src);
  xdr_destroy (&enc);
  if (!ok)
    return FALSE;
  xdrmem_create (&dec, buf, len, XDR_DECODE);
  ok = proc (&dec, dst);
  xdr_destroy (&dec);
  return ok;
}
