/* wsim-code-table.c: the lookup of a code table (a few dozen rows: a scan is enough). */
#include "wsim-code-table.h"

const WsimCodeInfo *
wsim_code_table_lookup (const WsimCodeInfo *table, gsize n_rows, gint64 code)
{
  for (gsize i = 0; i < n_rows; i++)
    if (table[i].code == code)
      return &table[i];
  return NULL;
}
