/**
 * SECTION:wsim-hresult
 * @title: wsim-hresult.h
 * @short_description: WMI's status codes (WBEMSTATUS and the COM codes WMI returns), with
 *   Microsoft's names and values, and their bridge to GError
 *
 * One X-macro table gives each code its name, value and message; everything else
 * (the enum, name and message lookups) is generated from it, so a code exists in one
 * place. HRESULTs travel on the wire as they are. In C the API returns them as
 * WsimHResult; where GLib conventions want a GError, the domain is WSIM_WBEM_ERROR and
 * the error code is the HRESULT (cast to gint).
 *
 * The values are WBEMSTATUS's (wbemcli.h; MS-WMI 2.2.11 "WBEMSTATUS Enumeration"), the
 * WBEMMOF_E_* ones the MOF compiler's codes and the WBEMESS_E_* ones the event subsystem's
 * from the same enumeration ("WMI Error Constants" spells them WBEM_E_REGISTRATION_*, with
 * the same values). A code is listed when
 * the runtime returns it; docs/wire.md names which call returns which.
 */
#pragma once

#include "wsim-export.h"

#include <glib.h>

G_BEGIN_DECLS

/**
 * WSIM_HRESULT_TABLE:
 * @X: the row macro, X (name, value, message)
 *
 * The status codes, one row each: the enum, wsim_hresult_name() and wsim_hresult_message() are
 * made from it.
 */
#define WSIM_HRESULT_TABLE(X)                                                            \
  X (WBEM_S_NO_ERROR,                       0x00000000u, "the call succeeded")            \
  X (WBEM_S_FALSE,                          0x00000001u, "the call succeeded (false)")    \
  X (WBEM_S_ALREADY_EXISTS,                 0x00040001u, "the object already exists")     \
  X (WBEM_S_TIMEDOUT,                       0x00040004u, "the call timed out")            \
  X (WBEM_S_NO_MORE_DATA,                   0x00040005u, "no more data")                  \
  X (WBEM_S_OPERATION_CANCELLED,            0x00040006u, "the operation was cancelled")   \
  X (WBEM_S_PARTIAL_RESULTS,                0x00040010u, "partial results")               \
  X (WBEM_E_FAILED,                         0x80041001u, "generic failure")               \
  X (WBEM_E_NOT_FOUND,                      0x80041002u, "object not found")              \
  X (WBEM_E_ACCESS_DENIED,                  0x80041003u, "access denied")                 \
  X (WBEM_E_PROVIDER_FAILURE,               0x80041004u, "provider failure")              \
  X (WBEM_E_TYPE_MISMATCH,                  0x80041005u, "type mismatch")                 \
  X (WBEM_E_OUT_OF_MEMORY,                  0x80041006u, "out of memory")                 \
  X (WBEM_E_INVALID_CONTEXT,                0x80041007u, "invalid context")               \
  X (WBEM_E_INVALID_PARAMETER,              0x80041008u, "invalid parameter")             \
  X (WBEM_E_NOT_SUPPORTED,                  0x8004100Cu, "not supported")                 \
  X (WBEM_E_INVALID_SUPERCLASS,             0x8004100Du, "invalid superclass")            \
  X (WBEM_E_INVALID_NAMESPACE,              0x8004100Eu, "invalid namespace")             \
  X (WBEM_E_INVALID_OBJECT,                 0x8004100Fu, "invalid object")                \
  X (WBEM_E_INVALID_CLASS,                  0x80041010u, "invalid class")                 \
  X (WBEM_E_PROVIDER_NOT_FOUND,             0x80041011u, "provider not found")            \
  X (WBEM_E_INVALID_PROVIDER_REGISTRATION,  0x80041012u, "invalid provider registration") \
  X (WBEM_E_PROVIDER_LOAD_FAILURE,          0x80041013u, "provider load failure")         \
  X (WBEM_E_TRANSPORT_FAILURE,              0x80041015u, "transport failure")             \
  X (WBEM_E_INVALID_OPERATION,              0x80041016u, "invalid operation")             \
  X (WBEM_E_INVALID_QUERY,                  0x80041017u, "invalid query")                 \
  X (WBEM_E_INVALID_QUERY_TYPE,             0x80041018u, "invalid query language")        \
  X (WBEM_E_ALREADY_EXISTS,                 0x80041019u, "the object already exists")     \
  X (WBEM_E_INVALID_SYNTAX,                 0x80041021u, "invalid syntax")                \
  X (WBEM_E_READ_ONLY,                      0x80041023u, "the property is read-only")     \
  X (WBEM_E_PROVIDER_NOT_CAPABLE,           0x80041024u, "the provider cannot do this operation") \
  X (WBEM_E_CLASS_HAS_CHILDREN,             0x80041025u, "the class has subclasses")      \
  X (WBEM_E_CLASS_HAS_INSTANCES,            0x80041026u, "the class has instances")       \
  X (WBEM_E_ILLEGAL_NULL,                   0x80041028u, "a value that may not be null is null") \
  X (WBEM_E_INVALID_QUALIFIER_TYPE,         0x80041029u, "invalid qualifier type")        \
  X (WBEM_E_INVALID_PROPERTY_TYPE,          0x8004102Au, "invalid property type")         \
  X (WBEM_E_VALUE_OUT_OF_RANGE,             0x8004102Bu, "value out of range")            \
  X (WBEM_E_INVALID_CIM_TYPE,               0x8004102Du, "invalid CIM type")              \
  X (WBEM_E_INVALID_METHOD,                 0x8004102Eu, "invalid method")                \
  X (WBEM_E_INVALID_METHOD_PARAMETERS,      0x8004102Fu, "invalid method parameters")     \
  X (WBEM_E_SYSTEM_PROPERTY,                0x80041030u, "system properties cannot be changed") \
  X (WBEM_E_INVALID_PROPERTY,               0x80041031u, "invalid property")              \
  X (WBEM_E_CALL_CANCELLED,                 0x80041032u, "call cancelled")                \
  X (WBEM_E_SHUTTING_DOWN,                  0x80041033u, "shutting down")                 \
  X (WBEM_E_INVALID_OBJECT_PATH,            0x8004103Au, "invalid object path")           \
  X (WBEM_E_INVALID_QUALIFIER,              0x80041042u, "invalid qualifier")             \
  X (WBEM_E_INVALID_DUPLICATE_PARAMETER,    0x80041043u, "a parameter was given twice")   \
  X (WBEM_E_SERVER_TOO_BUSY,                0x80041045u, "server too busy")               \
  X (WBEM_E_METHOD_NOT_IMPLEMENTED,         0x80041055u, "method not implemented")        \
  X (WBEM_E_METHOD_DISABLED,                0x80041056u, "method disabled")               \
  X (WBEM_E_NOT_EVENT_CLASS,                0x80041059u, "not an event class")            \
  X (WBEM_E_MISSING_GROUP_WITHIN,           0x8004105Au, "GROUP needs WITHIN")            \
  X (WBEM_E_MISSING_AGGREGATION_LIST,       0x8004105Bu, "GROUP BY needs a property list") \
  X (WBEM_E_AGGREGATING_BY_OBJECT,          0x8004105Du, "GROUP BY names an embedded object, not one of its properties") \
  X (WBEM_E_TIMED_OUT,                      0x80041069u, "timed out")                     \
  X (WBEM_E_INVALID_ASSOCIATION,            0x8004106Au, "invalid association")           \
  X (WBEM_E_ENCRYPTED_CONNECTION_REQUIRED,  0x80041087u, "encrypted connection required") \
  X (WBEM_E_NO_KEY,                         0x80041089u, "the instance has no key value") \
  X (WBEMESS_E_REGISTRATION_TOO_PRECISE,    0x80042002u, "a WITHIN clause was not used in this query") \
  X (WBEMMOF_E_EXPECTED_QUALIFIER_NAME,     0x80044001u, "MOF: expected a qualifier name") \
  X (WBEMMOF_E_EXPECTED_SEMI,               0x80044002u, "MOF: expected ';'")             \
  X (WBEMMOF_E_EXPECTED_OPEN_BRACE,         0x80044003u, "MOF: expected '{'")             \
  X (WBEMMOF_E_EXPECTED_CLOSE_BRACE,        0x80044004u, "MOF: expected '}'")             \
  X (WBEMMOF_E_EXPECTED_CLOSE_BRACKET,      0x80044005u, "MOF: expected ']'")             \
  X (WBEMMOF_E_EXPECTED_CLOSE_PAREN,        0x80044006u, "MOF: expected ')'")             \
  X (WBEMMOF_E_ILLEGAL_CONSTANT_VALUE,      0x80044007u, "MOF: illegal constant value")   \
  X (WBEMMOF_E_EXPECTED_TYPE_IDENTIFIER,    0x80044008u, "MOF: expected a type")          \
  X (WBEMMOF_E_EXPECTED_OPEN_PAREN,         0x80044009u, "MOF: expected '('")             \
  X (WBEMMOF_E_UNRECOGNIZED_TOKEN,          0x8004400Au, "MOF: unrecognized token")       \
  X (WBEMMOF_E_UNRECOGNIZED_TYPE,           0x8004400Bu, "MOF: unrecognized type")        \
  X (WBEMMOF_E_EXPECTED_PROPERTY_NAME,      0x8004400Cu, "MOF: expected a property name") \
  X (WBEMMOF_E_INVALID_PRAGMA,              0x80044012u, "MOF: invalid pragma")           \
  X (WBEMMOF_E_INVALID_NAMESPACE_SYNTAX,    0x80044013u, "MOF: invalid namespace")        \
  X (WBEMMOF_E_EXPECTED_CLASS_NAME,         0x80044014u, "MOF: expected a class name")    \
  X (WBEMMOF_E_TYPE_MISMATCH,               0x80044015u, "MOF: value does not match the type") \
  X (WBEMMOF_E_INVALID_CLASS_DECLARATION,   0x80044017u, "MOF: invalid class declaration") \
  X (WBEMMOF_E_INVALID_INSTANCE_DECLARATION, 0x80044018u, "MOF: invalid instance declaration") \
  X (WBEMMOF_E_DUPLICATE_PROPERTY,          0x8004401Bu, "MOF: property declared twice")  \
  X (WBEMMOF_E_OUT_OF_RANGE,                0x8004401Du, "MOF: value out of range")       \
  X (WBEMMOF_E_INVALID_FILE,                0x8004401Eu, "MOF: invalid file")             \
  X (WBEMMOF_E_DUPLICATE_QUALIFIER,         0x80044021u, "MOF: qualifier given twice")    \
  X (WBEMMOF_E_MUST_BE_IN_OR_OUT,           0x80044027u, "MOF: a parameter must be [in] or [out]") \
  X (E_ACCESSDENIED,                        0x80070005u, "general access denied")         \
  X (MK_E_SYNTAX,                           0x800401E4u, "invalid moniker syntax")        \
  X (RPC_E_DISCONNECTED,                    0x80010108u, "the object invoked has disconnected from its clients") \
  X (RPC_S_SERVER_UNAVAILABLE,              0x800706BAu, "the RPC server is unavailable") \
  X (RPC_E_TOO_LATE,                        0x80010119u, "security must be initialized before any interfaces are marshalled or unmarshalled")

/**
 * WsimHResult:
 *
 * An HRESULT. The WBEM_* and E_* names are WMI's, with WMI's values.
 */
typedef guint32 WsimHResult;

/**
 * WSIM_HRESULT_ENUM:
 * @name: the code's name
 * @value: its value
 * @msg: its message (unused here)
 *
 * The row of WSIM_HRESULT_TABLE that makes the enum of the codes (defined and undefined
 * around it).
 */
#define WSIM_HRESULT_ENUM(name, value, msg) name = value,
enum { WSIM_HRESULT_TABLE (WSIM_HRESULT_ENUM) };
#undef WSIM_HRESULT_ENUM

/**
 * WSIM_HRESULT_FAILED:
 * @hr: a #WsimHResult
 *
 * TRUE for a failure code (severity bit set).
 */
#define WSIM_HRESULT_FAILED(hr) (((guint32) (hr) & 0x80000000u) != 0)

/**
 * WSIM_WBEM_ERROR:
 *
 * The error domain whose codes are HRESULTs (wsim_wbem_error_quark()).
 */
#define WSIM_WBEM_ERROR (wsim_wbem_error_quark ())

/**
 * wsim_wbem_error_quark:
 *
 * Returns the domain whose codes are HRESULTs (cast to gint).
 *
 * Returns: the domain whose codes are HRESULTs (cast to gint).
 */
WSIM_EXPORT
GQuark wsim_wbem_error_quark (void);

/**
 * wsim_hresult_name:
 * @hr: an HRESULT
 *
 * Returns "WBEM_E_ACCESS_DENIED" etc., or NULL for a code not in the table.
 *
 * Returns: (transfer none) "WBEM_E_ACCESS_DENIED" etc., or NULL for a code not in the table.
 */
WSIM_EXPORT
const char *wsim_hresult_name (WsimHResult hr);

/**
 * wsim_hresult_message:
 * @hr: an HRESULT
 *
 * Returns a short description, or "unknown status".
 *
 * Returns: (transfer none) a short description, or "unknown status".
 */
WSIM_EXPORT
const char *wsim_hresult_message (WsimHResult hr);

/**
 * wsim_hresult_from_name:
 * @name: "WBEM_E_NOT_FOUND" (case-insensitive)
 * @out: (out) the value
 *
 * Returns TRUE if the name is in the table.
 *
 * Returns: TRUE if the name is in the table.
 */
WSIM_EXPORT
gboolean wsim_hresult_from_name (const char *name, WsimHResult *out);

/**
 * wsim_hresult_describe:
 * @hr: an HRESULT
 *
 * Returns "WBEM_E_ACCESS_DENIED (0x80041003): access denied".
 *
 * Returns: (transfer full) "WBEM_E_ACCESS_DENIED (0x80041003): access denied".
 */
WSIM_EXPORT
char *wsim_hresult_describe (WsimHResult hr);

/**
 * wsim_set_error_hresult:
 * @error: return location for a #GError, or %NULL
 * @hr: the HRESULT: the error's code
 * @format: a printf() format for the start of the message
 * @...: the arguments @format takes
 *
 * Sets @error in WSIM_WBEM_ERROR with @hr as its code; the message is @format's text
 * followed by the status name and value.
 */
WSIM_EXPORT
void wsim_set_error_hresult (GError **error, WsimHResult hr, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

/**
 * wsim_text_position:
 * @text: the UTF-8 text being parsed
 * @offset: a byte offset into @text
 *
 * Returns the 1-based character (not byte) position of byte @offset in the UTF-8 @text, as a
 * person reading the text counts; never reads past @offset.
 *
 * Returns: the 1-based character (not byte) position of byte @offset in the UTF-8 @text, as
 *   a person reading the text counts; never reads past @offset.
 */
WSIM_EXPORT
glong wsim_text_position (const char *text, gsize offset);

/**
 * wsim_set_error_at_valist:
 * @error: return location for a #GError, or %NULL
 * @hr: the HRESULT: the error's code
 * @subject: what was being parsed ("query", "object path"), the message's first word
 * @text: the UTF-8 text being parsed
 * @offset: a byte offset into @text
 * @format: a printf() format for the start of the message
 * @ap: the arguments @format takes
 *
 * For parsers: sets @error like wsim_set_error_hresult(), the message reading
 * "@subject at position N: …" where N is wsim_text_position (@text, @offset).
 */
WSIM_EXPORT
void wsim_set_error_at_valist (GError **error, WsimHResult hr, const char *subject,
                               const char *text, gsize offset, const char *format, va_list ap)
  G_GNUC_PRINTF (6, 0);

/**
 * wsim_hresult_from_error:
 * @error: return location for a #GError, or %NULL
 *
 * The HRESULT a GError stands for: its code in WSIM_WBEM_ERROR; WBEM_E_TIMED_OUT for
 * G_IO_ERROR_TIMED_OUT; WBEM_E_CALL_CANCELLED for G_IO_ERROR_CANCELLED; WBEM_E_ACCESS_DENIED
 * for an RPC authentication error; WBEM_E_TRANSPORT_FAILURE for other I/O and RPC errors;
 * WBEM_E_FAILED otherwise (a WSIM_GSS_ERROR among them). WBEM_S_NO_ERROR for NULL. One
 * table in wsim-hresult.c (WSIM_ERROR_HRESULT_TABLE) says it.
 *
 * Returns: the HRESULT @error stands for.
 */
WSIM_EXPORT
WsimHResult wsim_hresult_from_error (const GError *error);

G_END_DECLS
