/* wsim-call-error.h: the __ExtendedStatus a failed call's final SetStatus carries. Internal. */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-hresult.h"
#include "wsim-object-path.h"
#include "wsim-provider.h"
#include "wsim-wql.h"

/**
 * WsimCallAbout: what a call was about, for its error object.
 * @operation: the IWbemServices method ("ExecQueryAsync", ...)
 * @query: (nullable) ExecQueryAsync's query
 * @path: (nullable) GetObjectAsync's path
 * @path_text: (nullable) a path already as text: PutInstanceAsync's instance (its keys)
 * @cls: (nullable) the class the call was made on
 * @provider: (nullable) the provider serving the current class; NULL when none was found
 */
typedef struct {
  const char           *operation;
  const WsimWqlQuery   *query;
  const WsimObjectPath *path;
  const char           *path_text;
  WsimClass            *cls;
  const WsimProvider   *provider;
} WsimCallAbout;

/**
 * wsim_call_error_wanted:
 * Returns: TRUE when a final SetStatus with @hr carries an error object: a failure the
 *   server or a provider produced; not a success, nor WBEM_E_CALL_CANCELLED (the client
 *   asked for that end; nothing went wrong to describe).
 */
gboolean wsim_call_error_wanted (WsimHResult hr);

/**
 * wsim_call_error_new:
 * @why: the provider's message or the runtime's reason (Description)
 * Returns: (transfer full) the __ExtendedStatus: StatusCode @hr, Operation, ParameterInfo
 *   (the query's text, the path, or the class name), ProviderName (the provider's name, or
 *   "Windows Management" when no provider was involved, as WMI names itself).
 */
WsimObject *wsim_call_error_new (WsimHResult hr, const char *why, const WsimCallAbout *about);

/**
 * wsim_call_error_cut:
 * @text: UTF-8
 * Returns: (transfer full) @text cut to the wire's string bound (WSIM_MAX_STRING bytes), at a
 *   character boundary: what a final SetStatus carries must always encode, or the call would
 *   end with no final at all.
 */
char *wsim_call_error_cut (const char *text);
