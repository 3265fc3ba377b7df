/* wsim-code-table.h: the lookup behind every code table made by an X-macro (the error
 * domains' WSIM_RPC_ERROR_TABLE and WSIM_GSS_ERROR_TABLE, cim/'s WSIM_HRESULT_TABLE): a row
 * is a code, its name and its message. Internal (not installed). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** WsimCodeInfo: one row of a code table; the strings are static. */
typedef struct {
  gint64      code;
  const char *name;
  const char *message;
} WsimCodeInfo;

/** Makes a WsimCodeInfo row of an X-macro row (code, value, message). */
#define WSIM_CODE_ROW(code, value, message) { value, #code, message },

/**
 * wsim_code_table_lookup:
 * @table: (array length=n_rows) the rows
 * Returns: (transfer none) (nullable) the row of @code, NULL if no row has it.
 */
const WsimCodeInfo *wsim_code_table_lookup (const WsimCodeInfo *table, gsize n_rows, gint64 code);

/** wsim_code_table_lookup() of a static array @table. */
#define WSIM_CODE_TABLE_LOOKUP(table, code) \
  wsim_code_table_lookup ((table), G_N_ELEMENTS (table), (code))

G_END_DECLS
