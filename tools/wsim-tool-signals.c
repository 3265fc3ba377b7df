/* wsim-tool-signals.c: SIGTERM and SIGINT end a program's wait (see wsim-tool-signals.h). */
#include "wsim-tool-signals.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static GSource *sources[2];   /* (owned) SIGTERM's and SIGINT's, while watched */
static int caught;

static gboolean
on_signal (gpointer data)
{
  caught = GPOINTER_TO_INT (data);
  return G_SOURCE_CONTINUE;
}

void
wsim_tool_signals_watch (GMainContext *context)
{
  static const int signals[] = { SIGTERM, SIGINT };

  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      sources[i] = g_unix_signal_source_new (signals[i]);
      g_source_set_callback (sources[i], on_signal, GINT_TO_POINTER (signals[i]), NULL);
      g_source_attach (sources[i], context);
    }
}

void
wsim_tool_signals_unwatch (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != NULL)
      {
        g_source_destroy (sources[i]);
        g_clear_pointer (&sources[i], g_source_unref);
      }
}

int
wsim_tool_signals_caught (void)
{
  return caught;
}

/* Registered first, so it runs after every other exit handler. */
static void
die_of_signal (void)
{
  if (caught == 0)
    return;
  fflush (NULL);   /* exit() would flush after its handlers: this one does not return */
  signal (caught, SIG_DFL);
  raise (caught);
}

void
wsim_tool_signals_init (void)
{
  atexit (die_of_signal);
}
