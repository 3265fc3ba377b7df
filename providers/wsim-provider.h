/**
 * SECTION:wsim-provider
 * @title: wsim-provider.h
 * @short_description: the provider ABI, version 2 (version 1 tables still load). A provider
 *   includes this header and nothing else of wmisim, and links against nothing of it
 *
 * A provider is a shared module (loaded with GModule from a directory) or a table
 * registered in-process by test code. It exports one function, wsim_provider_entry(),
 * that returns a static WsimProvider table: the ABI version it was built for, the
 * classes it serves (their schema) and its operations. For each call the runtime hands
 * the provider a WsimProvContext whose function table lets it build instances, post
 * them, and post exactly one result; poll or be told of cancellation; and ask for a
 * timer (so a provider can work in steps without a main loop of its own).
 *
 * The contract (WMI's IWbemObjectSink contract seen from the provider side):
 * - post_instance() zero or more times, then post_result() once. The runtime turns a
 *    second result, or instances posted after the result, into a provider failure that
 *    it traces, never into a second SetStatus; a call whose provider never posts a
 *    result before it is torn down ends with WBEM_E_PROVIDER_FAILURE.
 * - post_instance() returns WSIM_PROV_BUSY when the sink is slower than the provider:
 *    the instance was taken, but the provider should stop posting and return; the
 *    runtime calls resume() when there is room again. This is how a slow sink slows
 *    the provider instead of growing memory.
 * - After cancellation is_cancelled() returns 1, cancel() is called once (if set), and
 *    further posts are dropped. finish() is called once when the call is over, whatever
 *    happened: free per-call state there.
 *
 * Threading: every operation is called on the runtime's main-loop thread and must
 * return quickly; long work is split with post_instance()'s BUSY or with call_later().
 * Property and class names are compared case-insensitively, as WMI does.
 */
#ifndef WSIM_PROVIDER_H
#define WSIM_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * WSIM_PROVIDER_ABI_VERSION:
 *
 * The provider ABI's version, as a provider built with this header states it in its table.
 */
#define WSIM_PROVIDER_ABI_VERSION 2u

/* ABI version 1: a table of that version ends at the field v1_end marks (exec_method and
 * the method table came with version 2). The runtime reads no further into such a table. */
/**
 * WSIM_PROVIDER_ABI_VERSION_1:
 *
 * ABI version 1: a table of that version ends at the field v1_end marks (exec_method and
 * the method table came with version 2). The runtime reads no further into such a table.
 */
#define WSIM_PROVIDER_ABI_VERSION_1 1u

/**
 * WSIM_PROVIDER_ENTRY_SYMBOL:
 *
 * The symbol a provider module exports, of type WsimProviderEntryFunc.
 */
#define WSIM_PROVIDER_ENTRY_SYMBOL "wsim_provider_entry"

/* CIM types, Microsoft's CIMTYPE values (named here so a provider needs no other header). */
enum {
  WSIM_PROV_SINT8 = 16, WSIM_PROV_UINT8 = 17, WSIM_PROV_SINT16 = 2, WSIM_PROV_UINT16 = 18,
  WSIM_PROV_SINT32 = 3, WSIM_PROV_UINT32 = 19, WSIM_PROV_SINT64 = 20, WSIM_PROV_UINT64 = 21,
  WSIM_PROV_REAL32 = 4, WSIM_PROV_REAL64 = 5, WSIM_PROV_BOOLEAN = 11, WSIM_PROV_STRING = 8,
  WSIM_PROV_DATETIME = 101, WSIM_PROV_REFERENCE = 102, WSIM_PROV_CHAR16 = 103,
  WSIM_PROV_OBJECT = 13,    /* an embedded object (ABI version 2, set_object()) */
};

/**
 * WsimProvStatus:
 * @WSIM_PROV_OK: taken; go on
 * @WSIM_PROV_BUSY: taken; stop posting and return, resume() follows
 * @WSIM_PROV_DROPPED: not delivered (call cancelled or result already posted): the runtime
 *   has freed the instance; stop posting
 *
 * What post_instance() says.
 */
typedef enum {
  WSIM_PROV_OK = 0,         /* taken; go on */
  WSIM_PROV_BUSY = 1,       /* taken; stop posting and return, resume() follows */
  WSIM_PROV_DROPPED = 2,    /* not delivered (call cancelled or result already posted): the
                             * runtime has freed the instance; stop posting */
} WsimProvStatus;

typedef struct WsimProvContext WsimProvContext;
/**
 * WsimProvInstance:
 *
 * An instance a provider builds (new_instance()) and posts; opaque to the provider.
 */
typedef struct WsimProvInstance WsimProvInstance;

/**
 * WsimProvProperty:
 * @name: the property's name
 * @cimtype: its CIM type (WSIM_PROV_*)
 * @is_key: 1 for a key
 *
 * One property of a class: name, CIM type, whether it is a key.
 */
typedef struct {
  const char *name;
  uint32_t    cimtype;
  int         is_key;
} WsimProvProperty;

/**
 * WsimProvClass:
 * @name: the class's name
 * @superclass: (nullable) its superclass
 * @props: (array length=n_props) its own properties
 * @n_props: the number of @props
 *
 * A class the provider serves. @superclass may be NULL or a class served by anyone.
 */
typedef struct {
  const char             *name;
  const char             *superclass;
  const WsimProvProperty *props;
  size_t                  n_props;
} WsimProvClass;

/**
 * WsimProvParam:
 * @name: the parameter's name
 * @cimtype: its CIM type (WSIM_PROV_*)
 *
 * One parameter of a method: its name and CIM type (ABI version 2).
 */
typedef struct {
  const char *name;
  uint32_t    cimtype;
} WsimProvParam;

/**
 * WsimProvMethod:
 * @class_name: the class that declares it (one of the provider's classes)
 * @is_static: 1 for a static method (called on the class path), 0 for an instance method
 *   (called on an instance path; the runtime refuses a class path for it)
 * @in_params: the [in] parameters; a call must give every one of them and no other
 * @out_params: the [out] parameters, ReturnValue among them with its type; the provider
 *   builds them as an instance of class "__PARAMETERS" (new_instance ("__PARAMETERS"))
 * @name: the method's name
 * @n_in_params: the number of @in_params
 * @n_out_params: the number of @out_params
 *
 * A method of a class the provider serves (ABI version 2).
 */
typedef struct {
  const char          *class_name;
  const char          *name;
  int                  is_static;
  const WsimProvParam *in_params;
  size_t               n_in_params;
  const WsimProvParam *out_params;
  size_t               n_out_params;
} WsimProvMethod;

/**
 * WsimProvKey:
 * @name: the key's name
 * @value: its value, as text
 *
 * A key of an object path, as text: Handle="42" gives { "Handle", "42" }.
 */
typedef struct {
  const char *name;
  const char *value;
} WsimProvKey;

/**
 * WsimProvTimerFunc:
 * @ctx: the call
 * @data: call_later()'s data
 *
 * What call_later() calls.
 */
typedef void (*WsimProvTimerFunc) (WsimProvContext *ctx, void *data);

/**
 * WsimProvCaller:
 * @principal: (nullable) the authenticated principal ("alice@WSIM.TEST"), or what the flavor
 *   names the caller by ("uid:gid@machine" for an AUTH_SYS claim); NULL for AUTH_NONE
 * @mech: (nullable) the GSS mechanism ("kerberos", "ntlm"), NULL without one
 * @level: the RPC_C_AUTHN_LEVEL_* the request came at (1 NONE ... 6 PKT_PRIVACY)
 * @has_uid: 1 when @uid is known, 0 otherwise
 * @uid: the caller's local user: the uid of a Unix-socket peer as the kernel gave it
 *   (SO_PEERCRED), else the local account an authenticated principal names (its first
 *   component, "alice" of "alice@REALM" or "alice/host@REALM", when getpwnam() knows it).
 *   An AUTH_SYS claim is never taken for a uid. Unknown (0) for anything else.
 *
 * Who made the call, as the server saw it (ABI version 2, get_caller()).
 * Strings are valid until finish().
 */
typedef struct {
  const char *principal;
  const char *mech;
  uint32_t    level;
  int         has_uid;
  uint32_t    uid;
} WsimProvCaller;

/**
 * WsimProvContextOps:
 * @new_instance: a new instance of @class_name, every property null
 * @free_instance: drops an instance that will not be posted
 * @set_string: sets a string property
 * @set_sint64: sets an integer property from a signed value
 * @set_uint64: sets an integer property from an unsigned value
 * @set_real64: sets a real property
 * @set_boolean: sets a boolean property
 * @set_datetime: sets a datetime property (DMTF)
 * @set_null: makes a property null
 * @set_string_at: set_string() by property position (the order of the class's props;
 *   inherited first)
 * @set_uint64_at: set_uint64() by property position
 * @post_instance: posts an instance; always takes it, whatever it answers
 * @post_result: posts the call's result (@message may be NULL); once per call
 * @is_cancelled: 1 once the call was cancelled
 * @call_later: calls @fn once after @ms milliseconds, unless the call ends first (then never)
 * @get_param: a parameter of this provider's registration ("count" for count=100), or NULL
 * @get_string: (ABI version 2) reads a string, datetime or reference property
 * @get_sint64: (ABI version 2) reads an integer property into a signed value
 * @get_uint64: (ABI version 2) reads an integer property into an unsigned value
 * @get_real64: (ABI version 2) reads a real property
 * @get_boolean: (ABI version 2) reads a boolean property
 * @report_progress: (ABI version 2) how far the call is, @done of @total steps
 * @get_context_type: (ABI version 2) the CIM type of the call's context value @name
 * @get_context_string: (ABI version 2) reads a string context value
 * @get_context_sint64: (ABI version 2) reads an integer context value into a signed value
 * @get_context_uint64: (ABI version 2) reads an integer context value into an unsigned value
 * @get_context_real64: (ABI version 2) reads a real context value
 * @get_context_boolean: (ABI version 2) reads a boolean context value
 * @get_caller: (ABI version 2) who made the call
 * @watch_child: (ABI version 2) the runtime reaps child @pid when it exits
 * @set_object: (ABI version 2) embeds a copy of an instance in an object property
 *
 * What the runtime offers a provider during one call.
 * Setters return 0, or -1 for an unknown property or a value its type cannot hold.
 * Instances belong to the provider until posted; post_instance() always takes ownership
 * (whatever it answers), free_instance() drops one that will not be posted. A new instance
 * has every property null.
 */
typedef struct {
  WsimProvInstance *(*new_instance) (WsimProvContext *ctx, const char *class_name);
  void (*free_instance) (WsimProvInstance *inst);
  int  (*set_string)    (WsimProvInstance *inst, const char *prop, const char *value);
  int  (*set_sint64)    (WsimProvInstance *inst, const char *prop, int64_t value);
  int  (*set_uint64)    (WsimProvInstance *inst, const char *prop, uint64_t value);
  int  (*set_real64)    (WsimProvInstance *inst, const char *prop, double value);
  int  (*set_boolean)   (WsimProvInstance *inst, const char *prop, int value);
  int  (*set_datetime)  (WsimProvInstance *inst, const char *prop, const char *dmtf);
  int  (*set_null)      (WsimProvInstance *inst, const char *prop);
  /* Fast setters by property position (the order of the class's props; inherited first). */
  int  (*set_string_at) (WsimProvInstance *inst, unsigned idx, const char *value);
  int  (*set_uint64_at) (WsimProvInstance *inst, unsigned idx, uint64_t value);

  WsimProvStatus (*post_instance) (WsimProvContext *ctx, WsimProvInstance *inst);
  /* @message may be NULL. Once per call; see the contract above. */
  void (*post_result)   (WsimProvContext *ctx, uint32_t hresult, const char *message);
  int  (*is_cancelled)  (WsimProvContext *ctx);
  /* Calls @fn once after @ms milliseconds, unless the call ends first (then never). */
  void (*call_later)    (WsimProvContext *ctx, unsigned ms, WsimProvTimerFunc fn, void *data);
  /* A parameter of this provider's registration ("count" for count=100), or NULL. */
  const char *(*get_param) (WsimProvContext *ctx, const char *name);

  /* ABI version 2 (appended: the runtime owns this table, so it may grow). Getters read a
   * property of an instance, e.g. exec_method()'s in-parameters. They return 0 and set *out,
   * 1 when the property is null (*out untouched), or -1 for an unknown property or one whose
   * type is not the getter's (get_sint64/get_uint64 take any integer type the value fits,
   * get_string takes strings, datetimes and references). A string stays valid while @inst
   * lives. */
  int  (*get_string)    (const WsimProvInstance *inst, const char *prop, const char **out);
  int  (*get_sint64)    (const WsimProvInstance *inst, const char *prop, int64_t *out);
  int  (*get_uint64)    (const WsimProvInstance *inst, const char *prop, uint64_t *out);
  int  (*get_real64)    (const WsimProvInstance *inst, const char *prop, double *out);
  int  (*get_boolean)   (const WsimProvInstance *inst, const char *prop, int *out);
  /* ABI version 2, last: how far the call is, @done of @total steps (instances, say; @total
   * 0 if unknown). A call made with WBEM_FLAG_SEND_STATUS turns it into
   * SetStatus(WBEM_STATUS_PROGRESS, MAKELONG(done, total)) at the sink; without the flag,
   * after the result, or once the call is cancelled or final, it is ignored. LOWORD and HIWORD
   * hold 16 bits: a @total above 0xFFFF scales both to a total of 0xFFFF (the proportion
   * stays), @done is clamped to @total (to 0xFFFF when @total is 0). Cheap to call on every
   * instance: at most one progress callback per call is in flight, and a report made while
   * one is replaces any report still waiting (the sink sees the newest, never a flood). */
  void (*report_progress) (WsimProvContext *ctx, uint32_t done, uint32_t total);
  /* ABI version 2, appended after report_progress: the call's context (IWbemContext, the
   * named values the client passed with the call; docs/providers.md). get_context_type sets
   * *cimtype to the value's CIM type (0, CIM_EMPTY, for a null; a CIM_FLAG_ARRAY type for an
   * array, which no getter below reads) and returns 0, or -1 when the call has no value of
   * that name. The getters return 0 and set *out, 1 when the value is null (*out untouched),
   * or -1 when there is no such value or its type is not the getter's: get_context_sint64 and
   * get_context_uint64 take any integer type the value fits, get_context_real64 reals,
   * get_context_boolean booleans, get_context_string strings. Names compare
   * case-insensitively. A string stays valid until finish(). */
  int  (*get_context_type)    (WsimProvContext *ctx, const char *name, uint32_t *cimtype);
  int  (*get_context_string)  (WsimProvContext *ctx, const char *name, const char **out);
  int  (*get_context_sint64)  (WsimProvContext *ctx, const char *name, int64_t *out);
  int  (*get_context_uint64)  (WsimProvContext *ctx, const char *name, uint64_t *out);
  int  (*get_context_real64)  (WsimProvContext *ctx, const char *name, double *out);
  int  (*get_context_boolean) (WsimProvContext *ctx, const char *name, int *out);
  /* ABI version 2: who made the call (WsimProvCaller); fills *out, always. */
  void (*get_caller)          (WsimProvContext *ctx, WsimProvCaller *out);
  /* ABI version 2: @pid is a child the provider started in the server's process; the runtime
   * reaps it when it exits (a child watch on its main loop), so a process that ends by itself
   * does not linger as a zombie. The watch outlives the call. The provider must not wait for
   * @pid itself afterwards. */
  void (*watch_child)         (WsimProvContext *ctx, int pid);
  /* ABI version 2, appended after watch_child: embedded objects. set_object stores a copy
   * of @value (an instance from new_instance(), of any class the runtime knows) in the
   * WSIM_PROV_OBJECT property @prop; @value stays the provider's (post it, or free it with
   * free_instance()). NULL @value sets null. Returns 0, or -1 for an unknown property, one
   * not declared WSIM_PROV_OBJECT, or @value == @inst. */
  int  (*set_object)          (WsimProvInstance *inst, const char *prop,
                               const WsimProvInstance *value);
} WsimProvContextOps;

/**
 * WsimProvContext:
 * @ops: the runtime's functions.
 * @provider_data: the provider's own per-call state (a cursor); NULL at first.
 *
 * One call, as the provider sees it.
 */
struct WsimProvContext {
  const WsimProvContextOps *ops;
  void                     *provider_data;
};

/**
 * WsimProvider:
 * @abi_version: WSIM_PROVIDER_ABI_VERSION as the provider was built.
 * @load: (optional) sets *@state; @params is "key=value;key=value" or "". Returns 0, or -1
 *   and may set *@error_message (malloc'ed, freed by the runtime).
 * @unload: (optional) frees @state.
 * @enumerate: starts producing the instances of exactly @class_name (the runtime walks
 *   the class hierarchy for DEEP enumerations).
 * @resume: (optional) continues after WSIM_PROV_BUSY; a provider without it must not
 *   stop on BUSY.
 * @get: (optional) posts the one instance with these keys, or a WBEM_E_NOT_FOUND result;
 *   without it the runtime enumerates and matches the keys itself.
 * @query: (optional) serves a WQL query; without it the runtime enumerates and filters.
 * @cancel: (optional) the call was cancelled.
 * @finish: (optional) the call is over; free ctx->provider_data.
 * @exec_method: (optional) runs method @method_name of @class_name: @keys are the
 *   instance's (NULL and 0 for a static method called on the class path), @in_params
 *   (never NULL) holds the [in] parameters already converted to their declared types (read
 *   them with the ops' getters; it belongs to the runtime and lives until finish()). The
 *   provider posts one instance of "__PARAMETERS" (the [out] parameters, ReturnValue set),
 *   then its result. Without it a declared method is refused with
 *   WBEM_E_PROVIDER_NOT_CAPABLE.
 * @put_instance: (optional) creates or updates the instance @inst of @class_name (the
 *   runtime checked the class, that every key is set, and converted the values to their
 *   declared types; @inst belongs to the runtime and lives until finish()). @flags is
 *   WBEM_FLAG_CREATE_OR_UPDATE (0), WBEM_FLAG_UPDATE_ONLY (1) or WBEM_FLAG_CREATE_ONLY (2).
 *   The provider posts no instance, only its result: WBEM_S_NO_ERROR,
 *   WSIM_PROV_E_ALREADY_EXISTS (CREATE_ONLY, the keys are taken), WSIM_PROV_E_NOT_FOUND
 *   (UPDATE_ONLY, no such instance), WSIM_PROV_E_PROVIDER_NOT_CAPABLE (a flag it does not
 *   support), ... The runtime gives the sink the instance's path on success. Without it (a
 *   version 1 table included) a put is refused with WBEM_E_PROVIDER_NOT_CAPABLE.
 * @delete_instance: (optional) deletes the instance of @class_name with these @keys (never
 *   empty: the runtime refuses a class path), posting WBEM_S_NO_ERROR or
 *   WSIM_PROV_E_NOT_FOUND. Without it a delete is refused with WBEM_E_PROVIDER_NOT_CAPABLE.
 * @name: the provider's name
 * @classes: (array length=n_classes) the classes it serves
 * @n_classes: the number of @classes
 * @methods: (array length=n_methods) (ABI version 2) the methods its classes declare
 * @n_methods: the number of @methods
 *
 * The provider's table. Optional operations may be NULL.
 *
 * ABI version 2 appends (a version 1 table ends before them; the runtime copies such a table
 * into a full one with these NULL, reading none of them):
 * @methods, @n_methods: the methods the provider's classes declare
 *
 * ABI version 2, writes (appended after exec_method; see docs/writes.md):
 */
typedef struct {
  uint32_t             abi_version;
  const char          *name;
  const WsimProvClass *classes;
  size_t               n_classes;
  int  (*load)      (void **state, const char *params, char **error_message);
  void (*unload)    (void *state);
  void (*enumerate) (void *state, WsimProvContext *ctx, const char *class_name);
  void (*resume)    (void *state, WsimProvContext *ctx);
  void (*get)       (void *state, WsimProvContext *ctx, const char *class_name,
                     const WsimProvKey *keys, size_t n_keys);
  void (*query)     (void *state, WsimProvContext *ctx, const char *class_name, const char *wql);
  void (*cancel)    (void *state, WsimProvContext *ctx);
  void (*finish)    (void *state, WsimProvContext *ctx);
  /* ABI version 2 */
  const WsimProvMethod *methods;
  size_t                n_methods;
  void (*exec_method) (void *state, WsimProvContext *ctx, const char *class_name,
                       const char *method_name, const WsimProvKey *keys, size_t n_keys,
                       const WsimProvInstance *in_params);
  /* ABI version 2, writes (appended) */
  void (*put_instance)    (void *state, WsimProvContext *ctx, const char *class_name,
                           const WsimProvInstance *inst, uint32_t flags);
  void (*delete_instance) (void *state, WsimProvContext *ctx, const char *class_name,
                           const WsimProvKey *keys, size_t n_keys);
} WsimProvider;

/**
 * WSIM_PROVIDER_V1_SIZE:
 *
 * The size of a version 1 table: the runtime reads no more of one.
 */
#define WSIM_PROVIDER_V1_SIZE offsetof (WsimProvider, methods)

/**
 * WsimProviderEntryFunc:
 * @runtime_abi_version: the runtime's WSIM_PROVIDER_ABI_VERSION
 *
 * The entry point: returns the provider's table for a runtime of @runtime_abi_version.
 */
typedef const WsimProvider *(*WsimProviderEntryFunc) (uint32_t runtime_abi_version);

/* HRESULTs a provider commonly posts (Microsoft's values). */
/**
 * WSIM_PROV_S_NO_ERROR:
 *
 * WBEM_S_NO_ERROR, for a provider that includes no other header.
 */
#define WSIM_PROV_S_NO_ERROR          0x00000000u
/**
 * WSIM_PROV_E_FAILED:
 *
 * WBEM_E_FAILED, for a provider that includes no other header.
 */
#define WSIM_PROV_E_FAILED            0x80041001u
/**
 * WSIM_PROV_E_NOT_FOUND:
 *
 * WBEM_E_NOT_FOUND, for a provider that includes no other header.
 */
#define WSIM_PROV_E_NOT_FOUND         0x80041002u
/**
 * WSIM_PROV_E_ACCESS_DENIED:
 *
 * WBEM_E_ACCESS_DENIED, for a provider that includes no other header.
 */
#define WSIM_PROV_E_ACCESS_DENIED     0x80041003u
/**
 * WSIM_PROV_E_PROVIDER_FAILURE:
 *
 * WBEM_E_PROVIDER_FAILURE, for a provider that includes no other header.
 */
#define WSIM_PROV_E_PROVIDER_FAILURE  0x80041004u
/**
 * WSIM_PROV_E_INVALID_PARAMETER:
 *
 * WBEM_E_INVALID_PARAMETER, for a provider that includes no other header.
 */
#define WSIM_PROV_E_INVALID_PARAMETER 0x80041008u
/**
 * WSIM_PROV_E_NOT_SUPPORTED:
 *
 * WBEM_E_NOT_SUPPORTED, for a provider that includes no other header.
 */
#define WSIM_PROV_E_NOT_SUPPORTED     0x8004100Cu
/**
 * WSIM_PROV_E_ALREADY_EXISTS:
 *
 * WBEM_E_ALREADY_EXISTS, for a provider that includes no other header.
 */
#define WSIM_PROV_E_ALREADY_EXISTS    0x80041019u
/**
 * WSIM_PROV_E_PROVIDER_NOT_CAPABLE:
 *
 * WBEM_E_PROVIDER_NOT_CAPABLE, for a provider that includes no other header.
 */
#define WSIM_PROV_E_PROVIDER_NOT_CAPABLE 0x80041024u

#ifdef __cplusplus
}
#endif

#endif /* WSIM_PROVIDER_H */
