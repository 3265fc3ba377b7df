/* fuzz-trace-json.c: the trace's JSON lines reader (tools/wsim-trace-diagram.c, json-glib
 * underneath) on arbitrary bytes, and the three renderers on whatever it accepts. */
#include "fuzz-common.h"
#include "wsim-trace-diagram.h"

static void
check_string (const char *s, gboolean required)
{
  g_assert (s != NULL || !required);
  /* The reader promises UTF-8 (json-glib 1.6 alone does not: a lone surrogate). */
  g_assert (s == NULL || g_utf8_validate (s, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  /* The exact buffer, not a NUL-terminated copy: the reader takes a length. */
  if (!wsim_trace_diagram_parse ((const char *) data, size, &events, &error))
    {
      g_assert (error != NULL && events == NULL);
      return 0;
    }
  g_assert (error == NULL);
  for (guint i = 0; i < events->len; i++)
    {
      const WsimTraceDiagramEvent *e = events->pdata[i];

      check_string (e->kind, TRUE);
      g_assert (e->kind[0] != '\0');
      check_string (e->status, FALSE);
      check_string (e->level, FALSE);
      check_string (e->mech, FALSE);
      check_string (e->principal, FALSE);
      check_string (e->detail, FALSE);
    }
  wsim_trace_diagram_render_text (events, 0, out);
  wsim_trace_diagram_render_svg (events, 0, out);
  wsim_trace_diagram_render_mermaid (events, 0, out);
  g_assert (g_utf8_validate (out->str, (gssize) out->len, NULL));
  return 0;
}
