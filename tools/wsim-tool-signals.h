/* wsim-tool-signals.h: SIGTERM and SIGINT end a program's wait, so that its cleanup runs.
 *
 * The library installs no signal handler (wsim-private-dir.h); a program that holds private
 * directories (the local NTLM account, the unsecured apartment) and wants them gone when it
 * is asked to stop turns those signals into the end of its wait: it frees what it holds as
 * on any other exit and then dies of the same signal, as its parent expects. A signal that
 * comes while nothing is watched keeps its default action (the watchdogs remove the
 * directories then).
 */
#pragma once

#include <glib.h>

/**
 * wsim_tool_signals_init:
 * Call first in main(), before anything registers an exit handler: when a signal was taken,
 * the process dies of it (its default action) once exit()'s other handlers (the local
 * account's removal among them) have run and stdio is flushed. Nothing changes otherwise.
 */
void wsim_tool_signals_init (void);

/**
 * wsim_tool_signals_watch:
 * @context: the context the program iterates while it waits
 * From now until wsim_tool_signals_unwatch(), SIGTERM and SIGINT are taken on @context:
 * wsim_tool_signals_caught() says which came, and @context is woken. One context at a time.
 */
void wsim_tool_signals_watch (GMainContext *context);

/** Stops taking the signals (their default action again); NULL-safe to call unwatched. */
void wsim_tool_signals_unwatch (void);

/** Returns: the signal taken (SIGTERM or SIGINT), or 0. */
int wsim_tool_signals_caught (void);
