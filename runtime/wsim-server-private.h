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
  gint              ref_count;      /* atomic */
  GMainContext     *context;        /* (owned) */
  WsimRepository   *repo;           /* (owned) */
  WsimRpcServer    *rpc;            /* (owned) serves the service program */
  WsimTrace        *trace;          /* (owned) */
  WsimServerLimits  limits;
  GPtrArray        *ns_handles;     /* (owned) char* canonical namespace; handle = index + 1 */
  GHashTable       *calls;          /* seq -> (owned ref) WsimCall*: calls not yet ended */
  GHashTable       *sinks;          /* "endpoint#sink_id" -> (owned) GPtrArray of WsimCall* (unowned) */
  GHashTable       *callbacks;      /* endpoint -> (owned) WsimRpcClient*: sink hosts we call */
  guint64           next_seq;
  gboolean          shutting_down;
  WsimServerSecurity security;
};

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
 * @what: a line for the trace
 * @caller: who made the request (for the trace)
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
} WsimCallSpec;

/**
 * wsim_call_start:
 * Creates the call, registers it in the server's tables and schedules its start (the
 * *Async request has already been answered).
 */
WsimCall *wsim_call_start (WsimServer *server, const WsimCallSpec *spec);

/** Cancels @call: SetStatus(WBEM_E_CALL_CANCELLED) follows, nothing else. */
void wsim_call_cancel (WsimCall *call);

/** Ends @call with @hr (shutdown). */
void wsim_call_abort (WsimCall *call, WsimHResult hr, const char *reason);

/** Returns: TRUE once the final SetStatus was sent (or the call was torn down). */
gboolean wsim_call_is_final (WsimCall *call);

/** Returns: (transfer none) the sink host client for @endpoint, connecting if needed. */
WsimRpcClient *wsim_server_get_callback_client (WsimServer *server, const char *endpoint,
                                                GError **error);

/** Drops @call from the server's tables (the call is over). */
void wsim_server_forget_call (WsimServer *server, WsimCall *call);

WsimCall *wsim_call_ref (WsimCall *call);
void      wsim_call_unref (WsimCall *call);
guint64   wsim_call_get_seq (WsimCall *call);
const char *wsim_call_get_sink_key (WsimCall *call);
/** Returns: (transfer none) the call's canonical namespace. */
const char *wsim_call_get_ns (WsimCall *call);
