/**
 * SECTION:wsim-client
 * @title: wsim-client.h
 * @short_description: the client library: connect to a server, open a namespace, make async calls
 *   whose results arrive at a WsimSink
 *
 * A client has two sides. Its requests to the server (OpenNamespace, the *Async calls,
 * CancelAsyncCall) travel on a connection driven by a private main context, so the short
 * wait for an *Async call's immediate return never runs the caller's sinks re-entrantly.
 * Its sink host serves the server's callbacks on the caller's context: sinks run when the
 * caller iterates that context.
 *
 * The *Async functions return the HRESULT of the immediate return, as WMI does: on an error
 * the sink is never called; on WBEM_S_NO_ERROR it receives zero or more Indicate calls and
 * then exactly one final SetStatus.
 *
 * Security: a client authenticates as its blanket says (wsim-security.h): the process
 * default unless wsim_client_connect_full() gives one; a WsimServices proxy uses its
 * client's connection until wsim_services_set_blanket() gives it its own. When a server
 * forgets a context (evicted, expired), the next call makes a new one by itself.
 *
 * Callbacks reach the client's sink host, which listens where the server already reaches
 * the client: the local address of the client's connection to the server, on a free port
 * (or a Unix socket of its own when the server is reached by one), unless
 * WsimClientOptions.callback_listen says otherwise; requests name that endpoint, and the
 * server calls back exactly what they name. Stubs of an unsecured apartment are served by
 * its helper on the same address.
 *
 * No silent hang: every call whose *Async returned WBEM_S_NO_ERROR ends with exactly one
 * final SetStatus, whatever the server does or fails to do. The client watches its open
 * calls; when a sink has heard nothing of a call for a while (a second at first, then
 * WsimClientOptions.call_timeout_ms after the last callback), or the connection of its own
 * it keeps to the server for this is lost, it asks the server there how the call stands,
 * and ends the call itself if the server ended it without reaching the sink (its status:
 * WBEM_E_ACCESS_DENIED when no callback level was taken, WBEM_E_TRANSPORT_FAILURE when a
 * callback failed), is gone or no longer knows it (RPC_E_DISCONNECTED), or does not answer
 * in time (RPC_S_SERVER_UNAVAILABLE). Each such end is a WSIM_TRACE_CLIENT_FINAL event in
 * wsim_client_get_trace() (for a stub, WSIM_TRACE_STUB_FINAL in its apartment's trace).
 * docs/architecture.md says why these statuses.
 *
 * Threading: a client and its services belong to the thread that created them.
 */
#pragma once

#include "wsim-export.h"

#include <gio/gio.h>

#include "wsim-context.h"
#include "wsim-hresult.h"
#include "wsim-security.h"
#include "wsim-sink-host.h"
#include "wsim-sink.h"
#include "wsim-trace.h"

G_BEGIN_DECLS

/**
 * WsimClient:
 *
 * A connection to a server and its sink host (wsim_client_new()).
 */
typedef struct _WsimClient WsimClient;
/**
 * WsimServices:
 *
 * A namespace opened on a client, the IWbemServices proxy.
 */
typedef struct _WsimServices WsimServices;

/**
 * WSIM_CLIENT_DEFAULT_CALL_TIMEOUT_MS:
 *
 * How long a call may go without a callback before its client asks the server about it.
 */
#define WSIM_CLIENT_DEFAULT_CALL_TIMEOUT_MS 30000
/**
 * WSIM_CLIENT_DEFAULT_ANSWER_TIMEOUT_MS:
 *
 * How long the server has to answer that question.
 */
#define WSIM_CLIENT_DEFAULT_ANSWER_TIMEOUT_MS 10000

/**
 * WsimClientOptions:
 * @blanket: (nullable) how to authenticate; NULL for the process default
 *   (wsim_security_initialize())
 * @callback_listen: (nullable) where the sink host listens for the server's callbacks:
 *   "tcp:ADDR:PORT", "tcp:[V6]:PORT" or "unix:PATH"; "tcp:0.0.0.0:0" listens on every IPv4
 *   interface, and requests then name the local address of the connection to the server.
 *   NULL: that local address, port 0 (a free one), and nothing else
 * @call_timeout_ms: how long a call may go without a callback before the client asks the
 *   server how it stands; 0 for WSIM_CLIENT_DEFAULT_CALL_TIMEOUT_MS. A slow provider costs
 *   nothing but that question: the call goes on while the server says it is open
 * @answer_timeout_ms: how long the server has to answer; without an answer the call ends
 *   with RPC_S_SERVER_UNAVAILABLE. 0 for WSIM_CLIENT_DEFAULT_ANSWER_TIMEOUT_MS
 *
 * How wsim_client_new() connects. Zero-initialise, then set what you need.
 */
typedef struct {
  const WsimBlanket *blanket;
  const char        *callback_listen;
  guint              call_timeout_ms;
  guint              answer_timeout_ms;
} WsimClientOptions;

/**
 * wsim_client_new:
 * @context: (nullable) where sinks are called; NULL for the thread default
 * @address: the server: "tcp:HOST:PORT" or "unix:PATH"
 * @options: (nullable) NULL for the defaults
 * @error: return location for a #GError, or %NULL
 *
 * Connects and authenticates (DEFAULT negotiated with the server, never NONE), then starts
 * the sink host.
 *
 * Returns: (transfer full) (nullable) the client, or NULL with @error:
 *   E_ACCESSDENIED when authentication failed (the message gives the mechanism's reason),
 *   G_IO_ERROR_INVALID_ARGUMENT for a bad blanket or address, or a transport error (the sink
 *   host's address in use among them).
 */
WSIM_EXPORT
WsimClient *wsim_client_new (GMainContext *context, const char *address,
                             const WsimClientOptions *options, GError **error);

/**
 * wsim_client_connect:
 * @context: as for wsim_client_new()
 * @address: as for wsim_client_new()
 * @error: return location for a #GError, or %NULL
 *
 * wsim_client_new() with the default options.
 *
 * Returns: as for wsim_client_new().
 */
WSIM_EXPORT
WsimClient *wsim_client_connect (GMainContext *context, const char *address, GError **error);

/**
 * wsim_client_connect_full:
 * @context: as for wsim_client_new()
 * @address: as for wsim_client_new()
 * @blanket: (nullable) how to authenticate; NULL for the process default
 * @error: return location for a #GError, or %NULL
 *
 * wsim_client_new() with @blanket (nullable: the process default) and the other options'
 * defaults.
 *
 * Returns: as for wsim_client_new().
 */
WSIM_EXPORT
WsimClient *wsim_client_connect_full (GMainContext *context, const char *address,
                                      const WsimBlanket *blanket, GError **error);

/**
 * wsim_client_get_authn_level:
 * @client: a #WsimClient
 *
 * Returns the level the client's requests travel at (DEFAULT resolved, CALL raised to PKT).
 *
 * Returns: the level the client's requests travel at (DEFAULT resolved, CALL raised to PKT).
 */
WSIM_EXPORT
WsimAuthnLevel wsim_client_get_authn_level (WsimClient *client);

/**
 * wsim_client_ref:
 * @client: a #WsimClient
 *
 * Returns @client, with one more reference.
 *
 * Returns: (transfer full) @client, with one more reference.
 */
WSIM_EXPORT
WsimClient *wsim_client_ref (WsimClient *client);

/**
 * wsim_client_unref:
 * @client: a #WsimClient
 *
 * Drops one reference to @client; the last frees it. NULL is fine.
 */
WSIM_EXPORT
void        wsim_client_unref (WsimClient *client);

/**
 * wsim_client_open_namespace:
 * @client: a #WsimClient
 * @ns: "root\\cimv2" ("/" works too)
 * @error: return location for a #GError, or %NULL
 *
 * Returns the namespace's services, or NULL with WBEM_E_INVALID_NAMESPACE or a transport error.
 *
 * Returns: (transfer full) (nullable) the namespace's services, or NULL with
 *   WBEM_E_INVALID_NAMESPACE or a transport error.
 */
WSIM_EXPORT
WsimServices *wsim_client_open_namespace (WsimClient *client, const char *ns, GError **error);

/**
 * wsim_client_get_sink_host:
 * @client: a #WsimClient
 *
 * Returns the client's sink host (for leak reports).
 *
 * Returns: (transfer none) the client's sink host (for leak reports).
 */
WSIM_EXPORT
WsimSinkHost *wsim_client_get_sink_host (WsimClient *client);

/**
 * wsim_client_get_callback_endpoint:
 * @client: a #WsimClient
 *
 * Returns the endpoint the client's requests name for its sink host ("tcp:10.0.0.2:40123"):
 * where the server calls it back.
 *
 * Returns: (transfer none) the endpoint the client's requests name for its sink host
 *   ("tcp:10.0.0.2:40123"): where the server calls it back.
 */
WSIM_EXPORT
const char *wsim_client_get_callback_endpoint (WsimClient *client);

/**
 * wsim_client_get_trace:
 * @client: a #WsimClient
 *
 * Returns what the client decided on its own: the calls it ended itself *  
 * (WSIM_TRACE_CLIENT_FINAL, with the status and why).
 *
 * Returns: (transfer none) what the client decided on its own: the calls it ended itself
 *   (WSIM_TRACE_CLIENT_FINAL, with the status and why).
 */
WSIM_EXPORT
WsimTrace *wsim_client_get_trace (WsimClient *client);

/**
 * wsim_client_get_n_watched_calls:
 * @client: a #WsimClient
 *
 * Returns the calls the client watches (open, or ended and not yet forgotten).
 *
 * Returns: the calls the client watches (open, or ended and not yet forgotten).
 */
WSIM_EXPORT
guint wsim_client_get_n_watched_calls (WsimClient *client);

/**
 * wsim_services_set_blanket:
 * @services: a #WsimServices
 * @blanket: the blanket (copied)
 * @error: return location for a #GError, or %NULL
 *
 * Gives @services a blanket of its own, the CoSetProxyBlanket analogue: its requests then
 * travel on a connection of their own, authenticated as @blanket says. The namespace stays
 * open (its handle is the server's). On failure the proxy keeps its previous blanket.
 *
 * Returns: FALSE with @error as for wsim_client_connect_full().
 */
WSIM_EXPORT
gboolean wsim_services_set_blanket (WsimServices *services, const WsimBlanket *blanket,
                                    GError **error);

/**
 * wsim_services_get_blanket:
 * @services: a #WsimServices
 * @out: a blanket, overwritten
 *
 * Copies the blanket @services uses into @out, which must hold
 * a blanket (WSIM_BLANKET_INIT): its strings are freed first.
 */
WSIM_EXPORT
void wsim_services_get_blanket (WsimServices *services, WsimBlanket *out);

/**
 * wsim_services_get_authn_level:
 * @services: a #WsimServices
 *
 * Returns the level @services' requests travel at.
 *
 * Returns: the level @services' requests travel at.
 */
WSIM_EXPORT
WsimAuthnLevel wsim_services_get_authn_level (WsimServices *services);

/**
 * wsim_services_set_context:
 * @services: a #WsimServices
 * @context: (nullable) (transfer none) the context (IWbemContext) the *Async calls made
 *   through @services carry from now on, copied (later changes to @context change no call);
 *   NULL for none
 *
 * WMI takes a context per call (pCtx); here a proxy carries one until it is set again,
 * which is the same for every call made in between. A call with a context travels as
 * WSIM_SERVICE_V2 (the provider reads its values, wsim-provider.h); one without travels as
 * V1, so a server that serves V1 only still takes it. A call with a context to such a server
 * returns WBEM_E_NOT_SUPPORTED, the message saying why (PROG_MISMATCH), and reaches no sink.
 * A server refuses a context value of a type IWbemContext cannot carry (wsim-context.h)
 * with WBEM_E_INVALID_PARAMETER.
 */
WSIM_EXPORT
void wsim_services_set_context (WsimServices *services, WsimContext *context);

/**
 * wsim_services_ref:
 * @services: a #WsimServices
 *
 * Returns @services, with one more reference.
 *
 * Returns: (transfer full) @services, with one more reference.
 */
WSIM_EXPORT
WsimServices *wsim_services_ref (WsimServices *services);

/**
 * wsim_services_unref:
 * @services: a #WsimServices
 *
 * Drops one reference to @services; the last frees its channel and its reference to the
 * client. NULL is fine.
 */
WSIM_EXPORT
void          wsim_services_unref (WsimServices *services);

/**
 * wsim_services_create_instance_enum_async:
 * @services: a #WsimServices
 * @class_name: the class to enumerate (with its subclasses unless WBEM_FLAG_SHALLOW)
 * @flags: WBEM_FLAG_SHALLOW, WBEM_FLAG_SEND_STATUS, WBEM_FLAG_DIRECT_READ,
 *   WBEM_FLAG_USE_AMENDED_QUALIFIERS; anything else is WBEM_E_INVALID_PARAMETER
 * @sink: (nullable) the sink, or a stub of an unsecured apartment (wsim-unsecapp.h), which is
 *   told whom to expect callbacks from; NULL gets WBEM_E_INVALID_PARAMETER from the server
 * @error: (nullable) set, in WSIM_WBEM_ERROR, when the result is a failure: the server's
 *   explanation (or the transport's)
 *
 * Returns the immediate HRESULT; WBEM_E_INVALID_CLASS, without a request, for a class name *  
 * longer than the wire carries (WSIM_MAX_NAME bytes).
 *
 * Returns: the immediate HRESULT; WBEM_E_INVALID_CLASS, without a request, for a class name
 *   longer than the wire carries (WSIM_MAX_NAME bytes).
 */
WSIM_EXPORT
WsimHResult wsim_services_create_instance_enum_async (WsimServices *services,
                                                      const char *class_name, gint32 flags,
                                                      WsimSink *sink, GError **error);

/**
 * wsim_services_create_class_enum_async:
 * @services: a #WsimServices
 * @superclass: (nullable) the class whose subclasses are wanted; NULL or "" for the namespace's
 *   root classes (WBEM_FLAG_SHALLOW) or every class (DEEP)
 * @flags: WBEM_FLAG_SHALLOW (immediate subclasses only; DEEP, 0, gives every descendant, never
 *   @superclass itself), WBEM_FLAG_SEND_STATUS, WBEM_FLAG_USE_AMENDED_QUALIFIERS
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::CreateClassEnumAsync. The sink receives class objects through its
 * class ops (wsim_sink_set_class_ops(); the recorder keeps them in its classes array), then the
 * final SetStatus. Shaped like wsim_services_create_instance_enum_async().
 *
 * Returns: the immediate HRESULT: WBEM_E_INVALID_CLASS for an unknown superclass (or, without a
 *   request, one longer than WSIM_MAX_NAME bytes), WBEM_E_INVALID_PARAMETER for other flags.
 */
WSIM_EXPORT
WsimHResult wsim_services_create_class_enum_async (WsimServices *services,
                                                   const char *superclass, gint32 flags,
                                                   WsimSink *sink, GError **error);

/**
 * wsim_services_put_class_async:
 * @services: a #WsimServices
 * @class_object: the class (wsim-class-decl.h): name, superclass, qualifiers, its own
 *   properties and methods (inherited members, those whose class_origin names another class,
 *   are ignored: a class object read with GetObjectAsync may be changed and sent back)
 * @flags: WBEM_FLAG_CREATE_OR_UPDATE (0), WBEM_FLAG_UPDATE_ONLY, WBEM_FLAG_CREATE_ONLY,
 *   WBEM_FLAG_SEND_STATUS, WBEM_FLAG_USE_AMENDED_QUALIFIERS
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::PutClassAsync of a repository class (docs/schema.md). The sink receives the
 * final SetStatus only.
 *
 * Returns: the immediate HRESULT: WBEM_E_ALREADY_EXISTS, WBEM_E_NOT_FOUND,
 *   WBEM_E_INVALID_SUPERCLASS, WBEM_E_PROVIDER_NOT_CAPABLE, WBEM_E_CLASS_HAS_CHILDREN,
 *   WBEM_E_CLASS_HAS_INSTANCES, WBEM_E_INVALID_PARAMETER, … (wsim_repository_put_class()).
 */
WSIM_EXPORT
WsimHResult wsim_services_put_class_async (WsimServices *services, WsimClassDecl *class_object,
                                           gint32 flags, WsimSink *sink, GError **error);

/**
 * wsim_services_delete_class_async:
 * @services: a #WsimServices
 * @class_name: the class to delete
 * @flags: WBEM_FLAG_SEND_STATUS
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * IWbemServices::DeleteClassAsync of a repository class. The sink receives the final
 * SetStatus only.
 *
 * Returns: the immediate HRESULT: WBEM_E_INVALID_CLASS (no such class), WBEM_E_INVALID_OPERATION
 *   (a system class), WBEM_E_PROVIDER_NOT_CAPABLE (a provider's class),
 *   WBEM_E_CLASS_HAS_CHILDREN, WBEM_E_CLASS_HAS_INSTANCES.
 */
WSIM_EXPORT
WsimHResult wsim_services_delete_class_async (WsimServices *services, const char *class_name,
                                              gint32 flags, WsimSink *sink, GError **error);

/**
 * wsim_services_get_object_async:
 * @services: a #WsimServices
 * @object_path: Class.Key="value"[,…] or Class=@; may name a namespace
 * @flags: WBEM_FLAG_SEND_STATUS, WBEM_FLAG_DIRECT_READ, WBEM_FLAG_USE_AMENDED_QUALIFIERS
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * The sink receives the instance and SetStatus(WBEM_S_NO_ERROR), or SetStatus(WBEM_E_NOT_FOUND).
 * A class path (Class, no keys) gives the class object (the sink's indicate_classes), then
 * SetStatus(WBEM_S_NO_ERROR).
 *
 * Returns: the immediate HRESULT: WBEM_E_INVALID_OBJECT_PATH (the message gives the
 *   position; without a request for a path over WSIM_MAX_STRING bytes), WBEM_E_INVALID_CLASS, …
 */
WSIM_EXPORT
WsimHResult wsim_services_get_object_async (WsimServices *services, const char *object_path,
                                            gint32 flags, WsimSink *sink, GError **error);

/**
 * wsim_services_exec_query_async:
 * @services: a #WsimServices
 * @language: "WQL" (anything else is WBEM_E_INVALID_QUERY_TYPE)
 * @query: SELECT * | p1, p2 FROM Class [WHERE …], ASSOCIATORS OF {path} [WHERE …],
 *   REFERENCES OF {path} [WHERE …] (docs/wql.md)
 * @flags: WBEM_FLAG_SEND_STATUS, WBEM_FLAG_ENSURE_LOCATABLE, WBEM_FLAG_PROTOTYPE,
 *   WBEM_FLAG_DIRECT_READ, WBEM_FLAG_USE_AMENDED_QUALIFIERS
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * The sink receives the matching instances (of the class and its subclasses; the class alone
 * with WBEM_FLAG_DIRECT_READ), with only the selected properties set, and the keys too with
 * WBEM_FLAG_ENSURE_LOCATABLE.
 *
 * Returns: the immediate HRESULT: WBEM_E_INVALID_QUERY (the message names the position),
 *   WBEM_E_INVALID_CLASS, …; without a request, WBEM_E_INVALID_QUERY_TYPE for a language over
 *   WSIM_MAX_NAME bytes and WBEM_E_INVALID_QUERY for a query over WSIM_MAX_STRING.
 */
WSIM_EXPORT
WsimHResult wsim_services_exec_query_async (WsimServices *services, const char *language,
                                            const char *query, gint32 flags, WsimSink *sink,
                                            GError **error);

/**
 * wsim_services_exec_method_async:
 * @services: a #WsimServices
 * @object_path: Class (a static method) or Class.Key="value"[,…] (an instance method)
 * @method: the method's name
 * @in_params: (nullable) (transfer none) the [in] parameters as the properties of an object
 *   (conventionally of a class "__PARAMETERS"); NULL when the method takes none. Values may
 *   be of another type than declared (a string "42" for a uint32): the server converts them
 *   as WMI coerces a VARIANT
 * @flags: WBEM_FLAG_SEND_STATUS or 0
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * The sink receives one object of class __PARAMETERS with the [out] parameters (ReturnValue
 * among them), then SetStatus with the method's status.
 *
 * Returns: the immediate HRESULT: WBEM_E_INVALID_PARAMETER (flags), WBEM_E_INVALID_CLASS,
 *   WBEM_E_INVALID_METHOD, WBEM_E_INVALID_METHOD_PARAMETERS (a missing or undeclared [in]
 *   parameter), WBEM_E_TYPE_MISMATCH (a value its type cannot take),
 *   WBEM_E_INVALID_OBJECT_PATH (also: an instance method on a class path),
 *   WBEM_E_PROVIDER_NOT_CAPABLE (the provider cannot run methods), …
 */
WSIM_EXPORT
WsimHResult wsim_services_exec_method_async (WsimServices *services, const char *object_path,
                                             const char *method, WsimObject *in_params,
                                             gint32 flags, WsimSink *sink, GError **error);

/**
 * wsim_services_put_instance_async:
 * @services: a #WsimServices
 * @inst: (transfer none) the instance: its class names the class to write, its properties
 *   (all of them, null ones included) are the instance as it is to be stored (a full-instance
 *   update, as WMI's with no context). Values may be of another type than declared: the
 *   server converts them as ExecMethodAsync's in-parameters
 * @flags: WBEM_FLAG_CREATE_OR_UPDATE (0), WBEM_FLAG_UPDATE_ONLY or WBEM_FLAG_CREATE_ONLY, with
 *   WBEM_FLAG_SEND_STATUS
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * The sink receives no object, only SetStatus: on success its strParam is the instance's
 * relative path (Class.Key="v"); WBEM_E_ALREADY_EXISTS (CREATE_ONLY) or WBEM_E_NOT_FOUND
 * (UPDATE_ONLY) otherwise. A repository instance's success comes once it is on disk.
 *
 * Returns: the immediate HRESULT: WBEM_E_INVALID_PARAMETER (flags, a property the class
 *   lacks), WBEM_E_INVALID_CLASS, WBEM_E_TYPE_MISMATCH, WBEM_E_ILLEGAL_NULL (a key without a
 *   value), WBEM_E_PROVIDER_NOT_CAPABLE (the class's provider cannot write), ...
 *   docs/writes.md lists them with their sources.
 */
WSIM_EXPORT
WsimHResult wsim_services_put_instance_async (WsimServices *services, WsimObject *inst,
                                              gint32 flags, WsimSink *sink, GError **error);

/**
 * wsim_services_delete_instance_async:
 * @services: a #WsimServices
 * @object_path: Class.Key="value"[,…], every key given
 * @flags: WBEM_FLAG_SEND_STATUS or 0
 * @sink: (nullable) as for wsim_services_create_instance_enum_async()
 * @error: return location for a #GError, or %NULL
 *
 * The sink receives only SetStatus: WBEM_S_NO_ERROR, or WBEM_E_NOT_FOUND for no such
 * instance.
 *
 * Returns: the immediate HRESULT: WBEM_E_INVALID_PARAMETER (flags), WBEM_E_INVALID_CLASS,
 *   WBEM_E_INVALID_OBJECT_PATH (also: a class path, a missing key),
 *   WBEM_E_PROVIDER_NOT_CAPABLE, ...
 */
WSIM_EXPORT
WsimHResult wsim_services_delete_instance_async (WsimServices *services, const char *object_path,
                                                 gint32 flags, WsimSink *sink, GError **error);

/**
 * wsim_services_cancel_async_call:
 * @services: a #WsimServices
 * @sink: the sink, or the stub, the calls were made with
 *
 * Cancels every pending call made with @sink: each gets SetStatus(WBEM_E_CALL_CANCELLED)
 * and nothing after. Pass the stub a call was made with, not the sink it holds (the seed's
 * rule).
 *
 * Returns: WBEM_S_NO_ERROR, or WBEM_E_INVALID_PARAMETER for a NULL sink or one with
 *   no pending call.
 */
WSIM_EXPORT
WsimHResult wsim_services_cancel_async_call (WsimServices *services, WsimSink *sink);

/**
 * wsim_services_get_client:
 * @services: a #WsimServices
 *
 * Returns the client @services belongs to (its sink host's context is where the calls' sinks
 * run; the semisynchronous and synchronous calls wait there).
 *
 * Returns: (transfer none) the client @services belongs to (its sink host's context is
 *   where the calls' sinks run; the semisynchronous and synchronous calls wait there).
 */
WSIM_EXPORT
WsimClient *wsim_services_get_client (WsimServices *services);

/**
 * wsim_services_get_last_call_id:
 * @services: a #WsimServices
 *
 * Returns the call id the last *Async call used (to find it in a trace).
 *
 * Returns: the call id the last *Async call used (to find it in a trace).
 */
WSIM_EXPORT
guint64 wsim_services_get_last_call_id (WsimServices *services);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimClient, wsim_client_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimServices, wsim_services_unref)

G_END_DECLS
