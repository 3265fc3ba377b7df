/* wsim-test-payload.h: the kill test's Payload for a Counter value: a letter repeated, its
 * length and letter both from the Counter, so a Payload from another state shows. */
#pragma once

#include <glib.h>

static inline char *
payload_for (guint counter)
{
  gsize len = 200000 + (counter * 7919u) % 400000;
  char *p = g_malloc (len + 1);

  memset (p, 'a' + (int) (counter % 26), len);
  p[len] = '\0';
  return p;
}
