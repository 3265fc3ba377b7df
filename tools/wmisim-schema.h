/* wmisim-schema.h: how `wmisim classes`, `wmisim get CLASS` and `wmisim query --prototype`
 * print class objects (docs/cli.md, "Schema"). */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "wsim-class-decl.h"

/**
 * WsimCliClassStyle: how class objects are printed.
 * @WSIM_CLI_CLASS_LIST: one line per class, its name and superclass (`wmisim classes`,
 *   as Get-CimClass lists them); csv: a Name,Superclass table
 * @WSIM_CLI_CLASS_DEFINITION: the whole definition as MOF (`wmisim get CLASS`, as
 *   `wmic class X get /format:mof` shows one)
 * Either as one JSON object per line with json.
 */
typedef enum {
  WSIM_CLI_CLASS_LIST,
  WSIM_CLI_CLASS_DEFINITION,
} WsimCliClassStyle;

/**
 * wsim_cli_print_classes:
 * @classes: (element-type WsimClassDecl) what the call delivered
 * @json: JSON lines (wsim_class_decl_to_json()) instead of @style's text
 * @csv: with WSIM_CLI_CLASS_LIST, comma-separated
 * Prints @classes to @out.
 */
void wsim_cli_print_classes (GPtrArray *classes, WsimCliClassStyle style, gboolean json,
                             gboolean csv, FILE *out);
