/* wsim-tool-locale.h: the character set the programs write in. */
#pragma once

/**
 * wsim_tool_use_utf8:
 * Makes the process's character type UTF-8 (the user's locale if it is, else C.UTF-8), and
 * leaves every other locale category alone (numbers keep their C form, which the JSON and
 * CSV output need). Everything the programs print is UTF-8 — names and values from the
 * wire, GLib's option help — and with no locale set (LANG unset, as in a root shell on a
 * fresh machine) GLib would turn each non-ASCII character into "?". Call first in main().
 */
void wsim_tool_use_utf8 (void);
