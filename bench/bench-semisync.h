/* bench-semisync.h: the semisynchronous enumeration rate next to the async one (bench-runtime). */
#pragma once

#include <glib.h>

/**
 * bench_semisync_vs_async:
 * @address: a wmisimd whose Sim_Sequence has @count instances
 * On one client and connection, in turn: CreateInstanceEnumAsync into a counting sink, then
 * CreateInstanceEnum with RETURN_IMMEDIATELY | FORWARD_ONLY read with Next(WBEM_INFINITE,
 * 100), each @rounds times, alternating; prints each one's best rate and the ratio. Aborts
 * (g_error) when a call fails or misses an instance.
 */
void bench_semisync_vs_async (const char *address, guint count, guint rounds);
