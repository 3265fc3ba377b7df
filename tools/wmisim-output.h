/* wmisim-output.h: how `wmisim` prints the instances a call brings: table, list, value, csv
 * and json (docs/cli.md, "Output formats").
 *
 * The rules every format keeps: only the selected properties (a query's SELECT list, or
 * --property for enum and get), WMI's system properties first on request, NULL told apart
 * from an empty string, and names and values from the wire printed as data, never as the
 * format's syntax (control characters escaped in table, list and value; quotes doubled in
 * csv; json escaped by its writer).
 *
 * Threading: the thread that prints; one printer per call.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "wsim-class.h"

G_BEGIN_DECLS

typedef enum {
  WSIM_CLI_FORMAT_TABLE,   /* columns sized from the data, a block per class */
  WSIM_CLI_FORMAT_LIST,    /* Name=Value a line, a blank line between instances (wmic /format:list) */
  WSIM_CLI_FORMAT_VALUE,   /* the values only, a line each (for scripts) */
  WSIM_CLI_FORMAT_CSV,     /* RFC 4180; a header row per class */
  WSIM_CLI_FORMAT_JSON,    /* one object a line */
} WsimCliFormat;

/**
 * wsim_cli_format_parse:
 * @name: table, list, value, csv or json
 * Returns: FALSE for another name (*@out untouched).
 */
gboolean wsim_cli_format_parse (const char *name, WsimCliFormat *out);

/** What a printer shows; the strings are borrowed and must outlive the printer. */
typedef struct {
  gboolean           sysprops;  /* WMI's system properties (__GENUS … __PATH) first */
  const char        *ns;        /* for __NAMESPACE and __PATH */
  const char        *server;    /* for __SERVER and __PATH */
  const char *const *props;     /* (nullable) only these columns, in this order (a SELECT
                                 * list, --property); NULL: every property of the class */
  gboolean           locatable; /* with props: the keys come first (ENSURE_LOCATABLE) */
  guint              width;     /* table: the terminal's width, to fit by cutting cells
                                 * with "…"; 0: never cut (a pipe, a file) */
  gboolean           single_as_list; /* table: a call's only instance, if it has more than
                                      * WSIM_CLI_LIST_COLUMNS columns, is printed as a list
                                      * (PowerShell's rule for its default view) */
} WsimCliPrinterOptions;

typedef struct _WsimCliPrinter WsimCliPrinter;

/**
 * wsim_cli_printer_new:
 * @out: (transfer none) where to print; it must outlive the printer
 * Returns: (transfer full) a printer; free with wsim_cli_printer_free().
 */
WsimCliPrinter *wsim_cli_printer_new (WsimCliFormat format, const WsimCliPrinterOptions *options,
                                      FILE *out);

/**
 * wsim_cli_printer_add:
 * Prints @obj, or keeps it for its table block (a table's columns are sized from the rows
 * of the block: the instances of one class in a row, up to WSIM_CLI_TABLE_BLOCK of them).
 */
void wsim_cli_printer_add (WsimCliPrinter *pr, WsimObject *obj);

/** Above this many columns a lone instance is a list (single_as_list). */
#define WSIM_CLI_LIST_COLUMNS 4

/** The most rows a table block keeps before it is printed. */
#define WSIM_CLI_TABLE_BLOCK 1000

/** Prints what the printer still keeps (call before printing anything else to @out). */
void wsim_cli_printer_flush (WsimCliPrinter *pr);

/** Flushes and frees @pr (NULL: nothing). */
void wsim_cli_printer_free (WsimCliPrinter *pr);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimCliPrinter, wsim_cli_printer_free)

/**
 * wsim_cli_terminal_width:
 * Returns: the width of the terminal @out is, or 0 when it is none (a pipe, a file); a
 *   terminal whose width cannot be read counts as 80 columns.
 */
guint wsim_cli_terminal_width (FILE *out);

G_END_DECLS
