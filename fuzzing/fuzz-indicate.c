/* fuzz-indicate.c: the sink host's callback decoding (sinks/wsim-sink-host.c) without a
 * socket: the XDR arguments of INDICATE (new class schemas, then rows of values of every
 * CIM type) and INDICATE_CLASSES (class declarations), and the objects built from them.
 *
 * Byte 0 picks the procedure (even: INDICATE, odd: INDICATE_CLASSES); the rest is the
 * argument body as the engine hands it to the decoder after the call header. The INDICATE
 * half runs the host's own steps (wsim-sink-rows.h: the classes, then each row as an
 * object), then prints every value, so a decoded value its type does not match shows up
 * here, and reads each embedded object back as an instance (wsim_value_dup_object(), what
 * a client does with an event's TargetInstance).
 */
#include "fuzz-common.h"
#include "wsim-class.h"
#include "wsim-class-decl.h"
#include "wsim-sink-rows.h"
#include "wsim-value.h"
#include "wsim_sink.h"

#include <rpc/rpc.h>
#include <string.h>

static void
fuzz_indicate (wsim_indicate_args *a)
{
  g_autoptr (GPtrArray) classes = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_class_unref);

  if (!wsim_sink_rows_learn_classes (classes, a->new_classes.new_classes_val,
                                     a->new_classes.new_classes_len))
    return;   /* the host answers WBEM_E_INVALID_PARAMETER */
  for (guint i = 0; i < a->rows.rows_len; i++)
    {
      g_autoptr (WsimObject) obj = wsim_sink_rows_to_object (classes, &a->rows.rows_val[i]);

      if (obj == NULL)
        return;
      for (guint p = 0; p < wsim_class_get_n_props (wsim_object_get_class (obj)); p++)
        {
          const wsim_value *v = wsim_object_get_value (obj, p);

          g_free (wsim_value_to_string (v));
          if (v->type == CIM_OBJECT)
            wsim_object_unref (wsim_value_dup_object (v, NULL));
        }
    }
}

static void
fuzz_indicate_classes (wsim_indicate_classes_args *a)
{
  for (guint i = 0; i < a->classes.classes_len; i++)
    wsim_class_decl_unref (wsim_class_decl_new_take (&a->classes.classes_val[i]));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1 || size - 1 > G_MAXUINT)
    return 0;
  gboolean classes = data[0] & 1;
  XDR xdr;
  union {
    wsim_indicate_args indicate;
    wsim_indicate_classes_args classes;
  } args;
  xdrproc_t proc = classes ? (xdrproc_t) xdr_wsim_indicate_classes_args
                           : (xdrproc_t) xdr_wsim_indicate_args;

  memset (&args, 0, sizeof args);
  xdrmem_create (&xdr, (char *) data + 1, (u_int) (size - 1), XDR_DECODE);
  if (proc (&xdr, &args))
    {
      if (classes)
        fuzz_indicate_classes (&args.classes);
      else
        fuzz_indicate (&args.indicate);
    }
  /* A failed decode leaves what it had allocated; xdr_free releases both cases. */
  xdr_destroy (&xdr);
  xdr_free (proc, (char *) &args);
  return 0;
}
