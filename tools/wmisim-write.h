/* wmisim-write.h: `wmisim put CLASS NAME=VALUE… [--create-only|--update-only]` and
 * `wmisim delete PATH`: what they print (docs/cli.md). */
#pragma once

#include "wsim-sink.h"

/**
 * wsim_cli_write_flags:
 * @create_only, @update_only: --create-only, --update-only
 * Returns: the change flag (WBEM_FLAG_CREATE_OR_UPDATE when neither), or -1 after saying
 *   both were given (a usage error).
 */
gint32 wsim_cli_write_flags (gboolean create_only, gboolean update_only);

/**
 * wsim_cli_write_report:
 * @is_delete: the call was a DeleteInstanceAsync (else a PutInstanceAsync)
 * @target: what the command named: the class (put) or the path (delete)
 * @rec: the ended call's recorder (a success)
 * Prints, as wmic's create and delete do, that the write succeeded, and for a put the
 * instance's path the final SetStatus gave (its strParam), alone on its own line so a
 * script can take it.
 */
void wsim_cli_write_report (gboolean is_delete, const char *target, const WsimSinkRecorder *rec);
