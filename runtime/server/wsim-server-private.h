/* wsim-server-private.h: what the server's files share (wsim-server.c: the service
 * program, the call table, callback connections; wsim-call.c: one call's life). */
#pragma once

#include "wsim-provider.h"
#include "wsim-rpc-client.h"
#include "wsim-rpc-server.h"
#include "wsim-server.h"
#include "wsim_service.h"
#include "wsim_sink.h"

typedef struct _WsimCall WsimCall;

struct _WsimServer {
  gatomicrefcount   ref_count;      /* atomic */
  GMainContext     *context;        /* (owned) */
  WsimRepository   *repo;           /* (owned) */
  WsimRpcServer    *rpc;            /* (owned) serves the service program */
  WsimTrace        *trace;          /* (owned) */
  WsimServerLimits  limits;
  GPtrArray        *ns_handles;     /* (owned) char* canonical namespace; handle = index + 1 */
  /* The call tables and next_seq are written by wsim-server.c only (wsim_server_add_call(),
   * wsim_server_forget_call()); the other files read them. */
  GHashTable       *calls;          /* (owned) &call->seq -> (owned ref) WsimCall*: calls not
                                     * yet ended */
  GHashTable       *sinks;          /* "endpoint#sink_id" -> (owned) GPtrArray of WsimCall* (unowned) */
  GHashTable       *client_calls;   /* client key (owned; wsim_server_client_key()) -> its open
                                     * calls (guint), for limits.max_calls_per_client */
  GHashTable       *callbacks;      /* "level|mech|self|target|endpoint" -> (owned) connection
                                     * to a sink host (wsim-server-callback.c) */
  GSource          *callbacks_sweep; /* (owned) (nullable) drops idle ones (wsim-server-callback.c) */
  gboolean          callbacks_sweep_soon; /* that source is the idle one call_ended() armed */
  WsimCallbackPolicy callback_policy;
  char             *callback_user;  /* (owned) (nullable) */
  char             *callback_keytab; /* (owned) (nullable) */
  GHashTable       *ended;          /* "endpoint#sink_id#call_id" -> (owned) EndedCall*: calls
                                     * that ended without their final reaching the sink */
  GQueue            ended_order;    /* their keys (unowned), oldest first, to bound the table */
  guint64           next_seq;      /* the last seq given (wsim_server_add_call()) */
  gboolean          shutting_down;
  WsimServerSecurity security;
  /* While a V2 request's handler runs (wsim-server-v2.c): the request, its context and, for a
   * context the server refuses, why. All NULL otherwise. */
  WsimRpcRequest   *v2_req;         /* (unowned) */
  struct _WsimContext *v2_context;  /* (unowned) (nullable) */
  const GError     *v2_error;       /* (unowned) (nullable) */
};

/* ---- wsim-server-v2.c ---- */

/** How many V1 procedures the generic V2 table can twin. */
#define WSIM_SERVER_V2_SLOTS 32

/**
 * wsim_server_add_v2:
 * @procs: (transfer none) the V1 table (static: the same one for every server)
 * Serves WSIM_SERVICE_V2 on @server: each of @procs with a context before its arguments.
 */
void wsim_server_add_v2 (WsimServer *server, const WsimRpcProcedure *procs, gsize n_procs);

/**
 * wsim_server_v2_program:
 * @procs: (transfer none) the V1 table, as for wsim_server_add_v2()
 * Returns: (transfer none) the WSIM_SERVICE_V2 program that twins @procs (static, made on
 *   the first call; its handlers take a WsimServer as their data).
 */
const WsimRpcProgram *wsim_server_v2_program (const WsimRpcProcedure *procs, gsize n_procs);

/**
 * wsim_server_get_programs:
 * @v1: (out) (transfer none) the WSIM_SERVICE_V1 program every WsimServer serves
 * @v2: (out) (transfer none) its WSIM_SERVICE_V2 twin
 * For fuzzing/fuzz-request.c, which decodes every procedure's arguments as the server does.
 */
void wsim_server_get_programs (const WsimRpcProgram **v1, const WsimRpcProgram **v2);

/**
 * wsim_server_request_context:
 * @error: (out) (transfer none) why the request's context is refused, or NULL
 * Returns: (transfer none) (nullable) the context @req carries (a V2 request whose handler
 *   runs now), or NULL for none.
 */
struct _WsimContext *wsim_server_request_context (WsimServer *server, WsimRpcRequest *req,
                                                  const GError **error);

/**
 * wsim_server_principal_local_user:
 * @mech: (nullable) "kerberos", "ntlm", or NULL (no GSS: no user)
 * @acceptor: (nullable) the service principal that accepted a Kerberos caller
 * Returns: (transfer full) (nullable) the local account a proved principal names: a
 *   one-component Kerberos principal of @acceptor's realm, or the user part of NTLMSSP's
 *   DOMAIN\user; NULL for any other.
 */
char *wsim_server_principal_local_user (const char *mech, const char *principal,
                                        const char *acceptor);

/**
 * wsim_server_caller_uid:
 * Returns: the local user who made @req: a Unix-socket peer's uid (SO_PEERCRED), else the
 *   local account an authenticated (GSS) principal names
 *   (wsim_server_principal_local_user()); -1 if unknown.
 */
gint64 wsim_server_caller_uid (WsimRpcRequest *req);

/* ---- wsim-server-security.c ---- */

/** Sets the default security and lets RPCSEC_GSS in (at creation). */
void wsim_server_security_init (WsimServer *server);

/**
 * wsim_server_check_caller:
 * Hardening and the minimum level (WsimServerSecurity) for @req, before anything else about
 * the request is looked at. Returns: FALSE with the refusal's HRESULT in WSIM_WBEM_ERROR,
 * traced with the caller.
 */
gboolean wsim_server_check_caller (WsimServer *server, WsimRpcRequest *req, guint64 call_id,
                                   const char *what, GError **error);

/** wsim_server_check_namespace: RequiresEncryption of @ns for @req; as above. */
gboolean wsim_server_check_namespace (WsimServer *server, WsimRpcRequest *req, const char *ns,
                                      guint64 call_id, const char *what, GError **error);

/** Fills @out with who made @req (its principal points into the request). */
void wsim_server_request_auth (WsimRpcRequest *req, WsimTraceAuth *out);

/** The NEGOTIATE_SECURITY procedure. */
void wsim_server_handle_negotiate (WsimRpcRequest *req, void *args, gpointer data);

/**
 * WsimCallSpec: what an accepted async call is to do.
 * @classes: the classes to enumerate, in order (references are taken)
 * @query: (nullable) (transfer full) ExecQueryAsync: keep only matching instances, and only
 *   the selected properties (and keys)
 * @path: (nullable) (transfer full) GetObjectAsync: the one instance with these keys
 * @what: a line for the trace; its first word is the IWbemServices method ("ExecQueryAsync"),
 *   which a failed call's error object gives as its Operation
 * @caller: who made the request (for the trace, and whom the callbacks go to)
 * @acceptor: (nullable) whom the caller authenticated to (the server's callback identity)
 * @local: the sink host and the caller are on this machine (decided when the request came)
 */
typedef struct {
  guint64               call_id;
  const char           *ns;
  GPtrArray            *classes;
  gint32                flags;
  const char           *endpoint;
  guint64               sink_id;
  struct _WsimWqlQuery *query;
  struct _WsimObjectPath *path;
  const char           *what;
  const WsimTraceAuth  *caller;
  const char           *acceptor;
  gboolean              local;
  /* ExecMethodAsync (wsim-server-method.c); all NULL for the other calls. */
  const char           *method;          /* the method's name */
  struct _WsimObjectPath *method_path;   /* (transfer full) the class or instance path */
  struct _WsimObject   *in_params;       /* (transfer full) of their declared types */
  struct _WsimClass    *out_class;       /* (transfer none) __PARAMETERS: the [out] ones */
  /* ASSOCIATORS OF / REFERENCES OF (wsim-server-assoc.c): the steps; NULL otherwise. */
  struct _WsimAssocWalk *assoc;          /* (transfer full) */
  /* PutInstanceAsync, DeleteInstanceAsync (wsim-server-write.c); NULL for the other calls. */
  struct _WsimObject   *put_inst;        /* (transfer full) the instance to write */
  struct _WsimObjectPath *delete_path;   /* (transfer full) the instance to delete */
  /* Filled by wsim_server_accept_call(). */
  struct _WsimContext  *context;         /* (transfer none) (nullable) the call's IWbemContext */
  gint64                caller_uid;      /* wsim_server_caller_uid(); -1 unknown */
  const char           *client_key;      /* wsim_server_client_key(): whose quota it counts in */
  /* Schema calls (wsim-server-schema.c): results known when the call is accepted, delivered
   * without a provider: the class objects (INDICATE_CLASSES), then the instances (INDICATE),
   * then the final SetStatus. NULL for the other calls; @classes is then empty. */
  GPtrArray            *decls;           /* (transfer full) (nullable) WsimClassDecl* */
  GPtrArray            *objects;         /* (transfer full) (nullable) WsimObject* */
  gboolean              durable;         /* PutClass, DeleteClass: the final's success waits
                                          * until the repository's store has the change */
} WsimCallSpec;

/**
 * wsim_call_start:
 * Creates the call, has the server add it to its tables (wsim_server_add_call(), which
 * holds it until it ends) and schedules its start (the *Async request has already been
 * answered).
 */
void wsim_call_start (WsimServer *server, const WsimCallSpec *spec);

/* ---- wsim-server.c, for the other request handlers ---- */

/**
 * wsim_server_begin_async:
 * What every *Async request carries (caller, flags against @allowed, sink, namespace handle).
 * Returns: (transfer none) the namespace, or NULL with @req answered with the refusal.
 */
const char *wsim_server_begin_async (WsimServer *server, WsimRpcRequest *req, const char *method,
                                     guint64 ns_handle, gint32 flags, gint32 allowed,
                                     const wsim_sink_locator *sink, guint64 call_id);

/**
 * wsim_server_client_key:
 * Returns: (transfer full) whom @req counts for in the quota of open calls
 *   (WsimServerLimits.max_calls_per_client): "PRINCIPAL|PEER", the principal its caller
 *   authenticated as (empty for none) and the connection's peer (an IP address, whatever
 *   the port, or a Unix socket's uid): a client that reconnects, or opens more
 *   connections, is the same client.
 */
char *wsim_server_client_key (WsimRpcRequest *req);

/** For tests and monitoring: the clients with calls open now (entries of the quota's table:
 *  one that has none left leaves it). */
guint wsim_server_get_n_quota_clients (WsimServer *server);

/**
 * wsim_server_accept_call:
 * Accepts the call @spec describes, with its callbacks to @sink: fills in who asked and
 * where the sink is (caller, endpoint, sink_id, acceptor, local), answers @req with
 * WBEM_S_NO_ERROR, then starts the call (wsim_call_start()).
 */
void wsim_server_accept_call (WsimServer *server, WsimRpcRequest *req,
                              const wsim_sink_locator *sink, WsimCallSpec *spec);

/** Answers @req with the immediate HRESULT @hr and @message (nullable; the status named). */
void wsim_server_reply_hresult_msg (WsimRpcRequest *req, WsimHResult hr, const char *message);

/**
 * wsim_server_path_keys:
 * Returns: (transfer container) the keys of @path as a provider takes them (names and text
 *   point into @path; at least one element, so a path of none is not NULL).
 */
WsimProvKey *wsim_server_path_keys (struct _WsimObjectPath *path);

/**
 * wsim_server_resolve_path:
 * Parses @object_path and finds its class in @ns: the path must name this server, no other
 * namespace, and only keys of its class.
 * Returns: (transfer none) the class and (transfer full) *@out_path; or NULL, @req answered
 *   with the refusal.
 */
struct _WsimClass *wsim_server_resolve_path (WsimServer *server, WsimRpcRequest *req,
                                             const char *ns, const char *object_path,
                                             struct _WsimObjectPath **out_path);

/* ---- wsim-server-assoc.c ---- */

/**
 * wsim_server_exec_assoc_query:
 * @query: (transfer full) a parsed ASSOCIATORS OF or REFERENCES OF
 * ExecQueryAsync of an association query: checked (the source path, SchemaOnly and
 * ClassDefsOnly against it, the classes named), then accepted as a walk (wsim-call-assoc.h)
 * or, for a class as the source, with the schema query's class objects; or @req answered
 * with the refusal.
 */
void wsim_server_exec_assoc_query (WsimServer *server, WsimRpcRequest *req, const char *ns,
                                   const wsim_exec_query_async_args *a, struct _WsimWqlQuery *query);

/* ---- wsim-server-schema.c ---- */

/** The PUT_CLASS_ASYNC and DELETE_CLASS_ASYNC procedures (@data is the server). */
void wsim_server_handle_put_class (WsimRpcRequest *req, void *args, gpointer data);
void wsim_server_handle_delete_class (WsimRpcRequest *req, void *args, gpointer data);

/** The CREATE_CLASS_ENUM_ASYNC procedure (@data is the server). */
void wsim_server_handle_create_class_enum (WsimRpcRequest *req, void *args, gpointer data);

/**
 * wsim_server_get_class_object:
 * GetObjectAsync of a class path (@path names a class, no keys): accepts the call, whose
 * result is the class object, then the final SetStatus; @req is answered.
 */
void wsim_server_get_class_object (WsimServer *server, WsimRpcRequest *req, const char *ns,
                                   const char *class_name, gint32 flags,
                                   const wsim_sink_locator *sink, guint64 call_id);

/**
 * wsim_server_enum_namespaces:
 * CreateInstanceEnumAsync of __NAMESPACE: when @class_name is __NAMESPACE, accepts the call
 * (its results the child namespaces of @ns, one __NAMESPACE instance each) and returns TRUE;
 * otherwise returns FALSE and leaves @req alone.
 */
gboolean wsim_server_enum_namespaces (WsimServer *server, WsimRpcRequest *req, const char *ns,
                                      const char *class_name, gint32 flags,
                                      const wsim_sink_locator *sink, guint64 call_id);

/**
 * wsim_server_get_namespace:
 * GetObjectAsync of a __NAMESPACE instance path (__NAMESPACE.Name="child", on this server and
 * namespace): accepts the call (its result the child's __NAMESPACE instance), or answers @req
 * with WBEM_E_NOT_FOUND (no such child) or WBEM_E_INVALID_OBJECT_PATH (keys other than Name),
 * and returns TRUE; returns FALSE, @req left alone, for any other path.
 */
gboolean wsim_server_get_namespace (WsimServer *server, WsimRpcRequest *req, const char *ns,
                                    const char *object_path, gint32 flags,
                                    const wsim_sink_locator *sink, guint64 call_id);

/**
 * wsim_server_query_schema:
 * ExecQueryAsync of `SELECT … FROM meta_class [WHERE …]` (every class of @ns whose system
 * properties match, as class objects) or with WBEM_FLAG_PROTOTYPE (the query's prototype
 * result object, one class object). Returns: TRUE when @query is one of those (@req then
 * answered: accepted, or refused with WBEM_E_INVALID_CLASS / WBEM_E_INVALID_QUERY); FALSE,
 * @req untouched, for any other query.
 */
gboolean wsim_server_query_schema (WsimServer *server, WsimRpcRequest *req, const char *ns,
                                   struct _WsimWqlQuery *query, gint32 flags,
                                   const wsim_sink_locator *sink, guint64 call_id);

/* ---- wsim-server-method.c ---- */

/** The EXEC_METHOD_ASYNC procedure (@data is the server). */
void wsim_server_handle_exec_method (WsimRpcRequest *req, void *args, gpointer data);

/* ---- wsim-server-write.c ---- */

/**
 * wsim_server_row_object:
 * @row: (nullable) one row of class definition @def (NULL: no values)
 * @what: the row, for a message ("the [in] parameters")
 * @owner, @noun: for an unknown property's message: "@owner has no @noun NAME"
 * @unknown_hr: the refusal of a property @cls does not have
 * @duplicate_hr: the refusal of a property given twice ("@owner: the @noun NAME is given twice")
 * The values of @row as an object of @cls, matched by name and converted to @cls's types
 * (WMI's VARIANT coercion, wsim_value_convert()); the properties not given are null.
 * Returns: (transfer full) the object; or NULL with *@hr and *@why (transfer full): a row that
 *   does not fit @def (WBEM_E_INVALID_PARAMETER), an unknown property (@unknown_hr), one given
 *   twice (@duplicate_hr), a value its type cannot take (WBEM_E_TYPE_MISMATCH).
 */
struct _WsimObject *wsim_server_row_object (const wsim_class_def *def, const wsim_instance *row,
                                            struct _WsimClass *cls, const char *what,
                                            const char *owner, const char *noun,
                                            WsimHResult unknown_hr, WsimHResult duplicate_hr,
                                            WsimHResult *hr, char **why);

/** The PUT_INSTANCE_ASYNC procedure (@data is the server). */
void wsim_server_handle_put_instance (WsimRpcRequest *req, void *args, gpointer data);

/** The DELETE_INSTANCE_ASYNC procedure (@data is the server). */
void wsim_server_handle_delete_instance (WsimRpcRequest *req, void *args, gpointer data);

/** Cancels @call: SetStatus(WBEM_E_CALL_CANCELLED) follows, nothing else. */
void wsim_call_cancel (WsimCall *call);

/** Ends @call with @hr (shutdown). */
void wsim_call_abort (WsimCall *call, WsimHResult hr, const char *reason);

/* ---- wsim-server-callback.c ---- */

/** Sets up the callback connections' table and the default (Windows') ladder policy. */
void wsim_server_callbacks_init (WsimServer *server);

/** A call ended: its callback connection may be idle now (a sweep runs soon, once for
 *  however many calls end meanwhile). */
void wsim_server_callbacks_call_ended (WsimServer *server);

/** Stops dropping idle callback connections (the server shuts down; the table empties). */
void wsim_server_callbacks_shutdown (WsimServer *server);

/**
 * wsim_server_get_n_callback_conns:
 * For tests and monitoring: the callback connections the server keeps now, those of live
 * calls and the idle ones (at most WSIM_SERVER_CALLBACK_IDLE_MAX of those, each dropped
 * WSIM_SERVER_CALLBACK_IDLE_MS or a little more after its last use).
 */
guint wsim_server_get_n_callback_conns (WsimServer *server);

/** Idle callback connections kept for the next calls to the same sink host, at most. */
#define WSIM_SERVER_CALLBACK_IDLE_MAX 16
/** How long one is kept idle (ms); the sweep runs every half of it. */
#define WSIM_SERVER_CALLBACK_IDLE_MS 30000

/**
 * WsimLadderSpec: whom a call's callbacks go to.
 * @mech: (nullable) the call's mechanism ("kerberos", "ntlm"); NULL for an unauthenticated call
 * @principal: (nullable) the caller (the callback's target)
 * @acceptor: (nullable) whom the caller authenticated to (the Kerberos callback identity)
 * @local: the sink host and the caller are on this machine (wsim_server_callback_is_local())
 */
typedef struct {
  const char *endpoint;
  guint64     sink_id;
  guint64     call_id;
  const char *ns;
  const char *mech;
  const char *principal;
  const char *acceptor;
  gboolean    local;
} WsimLadderSpec;

/**
 * WsimLadderDone:
 * @client: (transfer none) (nullable) the sink host's connection at the level taken, or NULL
 *   when every rung was refused (or the server is shutting down)
 * @hr: with no client, the call's status: WBEM_E_ACCESS_DENIED when a rung was refused,
 *   WBEM_E_TRANSPORT_FAILURE when no rung reached the sink host, WBEM_E_SHUTTING_DOWN
 * @why: (nullable) why there is no client
 */
typedef void (*WsimLadderDone) (WsimRpcClient *client, guint32 level, WsimHResult hr,
                                const char *why, gpointer data);

/**
 * wsim_server_run_ladder:
 * Finds the level the call's callbacks travel at, rung by rung, each attempt traced; calls
 * @done once (possibly before returning, e.g. for an unreachable endpoint); @destroy frees
 * @data afterwards.
 */
void wsim_server_run_ladder (WsimServer *server, const WsimLadderSpec *spec, WsimLadderDone done,
                             gpointer data, GDestroyNotify destroy);

/** Returns: TRUE when sink host @endpoint and the @caller's address (nullable) are both on
 *  this machine (Windows' "within the local system"). */
gboolean wsim_server_callback_is_local (const char *endpoint, GSocketAddress *caller);

/**
 * wsim_server_remember_ended:
 * Remembers that @call ended without its final SetStatus reaching the sink: @state
 * WSIM_CALL_REFUSED (no callback level was taken) or WSIM_CALL_ENDED (a callback failed, or
 * the final went unacknowledged), with the status its client should give the sink, for
 * QUERY_CALLS. The oldest records go first (a bounded table).
 */
void wsim_server_remember_ended (WsimServer *server, WsimCall *call, guint32 state,
                                 WsimHResult hr, const char *why);

/**
 * wsim_server_sink_lost:
 * The callback connection @cb closed: every open call calling back on it is torn down (its
 * provider stopped, the end remembered for QUERY_CALLS), with @why.
 */
void wsim_server_sink_lost (WsimServer *server, WsimRpcClient *cb, const char *why);

/** Returns: (transfer none) (nullable) the connection @call's callbacks travel on, once its
 *  ladder found one. */
WsimRpcClient *wsim_call_get_callback_client (WsimCall *call);

/** wsim_call_sink_lost: tears @call down if its callbacks travel on @cb. */
void wsim_call_sink_lost (WsimCall *call, WsimRpcClient *cb, const char *why);

/**
 * wsim_server_add_call:
 * @seq: the call's own seq field: set to a seq unique in this server, and the calls table's
 *   key (so it must live in @call)
 * Adds @call to the server's tables (by seq, and by its sink for CancelAsyncCall); the
 * table takes a reference until wsim_server_forget_call().
 */
void wsim_server_add_call (WsimServer *server, WsimCall *call, guint64 *seq);

/** Drops @call from the server's tables (the call is over) and the tables' reference. */
void wsim_server_forget_call (WsimServer *server, WsimCall *call);

WsimCall *wsim_call_ref (WsimCall *call);
void      wsim_call_unref (WsimCall *call);
guint64   wsim_call_get_seq (WsimCall *call);
const char *wsim_call_get_sink_key (WsimCall *call);
/** Returns: (transfer none) the client whose quota the call counts in (WsimCallSpec). */
const char *wsim_call_get_client_key (WsimCall *call);
/** Returns: (transfer none) the call's canonical namespace. */
const char *wsim_call_get_ns (WsimCall *call);
guint64   wsim_call_get_call_id (WsimCall *call);


