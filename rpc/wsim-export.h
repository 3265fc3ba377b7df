/**
 * SECTION:wsim-export
 * @title: wsim-export.h
 * @short_description: what libwmisim.so exports
 *
 * The library is built with hidden symbol visibility (gnu_symbol_visibility: 'hidden'):
 * only a function declared with WSIM_EXPORT, in an installed header, is in its dynamic
 * symbol table (GLib's GLIB_AVAILABLE_IN_ALL, kept simple). The list of exported
 * symbols is kept in the tree (wmisim.symbols) and tests/abi fails when the library's
 * differs from it. The layers' static libraries, which the tools and tests link, keep
 * every symbol visible to the linker, hidden or not.
 */
#pragma once

#if defined(__GNUC__) || defined(__clang__)
/**
 * WSIM_EXPORT:
 *
 * Exports the function whose declaration it is on from libwmisim.so.
 */
#define WSIM_EXPORT __attribute__ ((visibility ("default")))
#else
#define WSIM_EXPORT
#endif
