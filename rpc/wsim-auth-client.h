/* wsim-auth-client.h: RPC authentication flavors as plug-in ops tables, the client side.
 *
 * A flavor is two static const tables: WsimAuthOps (here) for the side that makes calls and
 * WsimSvcAuthOps (wsim-auth-server.h) for the side that serves them. The engine never looks
 * inside a flavor; it asks the flavor to write the credential and verifier of a call, to
 * wrap the arguments, to check the reply verifier and to unwrap the results. Each flavor's
 * sides live in wsim-auth-<flavor>-client.c and wsim-auth-<flavor>-server.c (none, sys,
 * gss); RPCSEC_GSS plugs into the same tables.
 *
 * Threading: a WsimAuth is used by one client on that client's main context; the ops
 * are called on that thread only. Its refcount is atomic so it may be shared by
 * clients on different threads only if the flavor says its data is immutable
 * (AUTH_NONE and AUTH_SYS are).
 */
#pragma once

#include <glib.h>
#include <rpc/rpc.h>

#include "wsim-xdrbuf.h"

G_BEGIN_DECLS

typedef struct _WsimAuth WsimAuth;

/**
 * WsimAuthOps: the client side of a flavor.
 * @flavor: the ONC RPC flavor number written in the credential.
 * @name: a short name for traces ("none", "sys").
 * @marshal: appends the credential and verifier of a call to @out. The call header
 *   starts at @header_start in @out (for flavors that sign it). Sets *@seq to a
 *   per-call value the flavor wants back in validate/unwrap (0 if unused).
 * @wrap: appends the arguments; NULL means plain XDR encoding of @args with @xargs.
 * @validate: checks the reply verifier; NULL accepts any verifier (AUTH_NONE, AUTH_SYS).
 * @unwrap: decodes the results from @xdrs; NULL means plain XDR decoding.
 * @free_data: frees the flavor's data when the last reference goes; may be NULL.
 */
typedef struct {
  guint32     flavor;
  const char *name;
  gboolean  (*marshal)   (WsimAuth *auth, WsimXdrBuf *out, gsize header_start, guint32 *seq,
                          GError **error);
  gboolean  (*wrap)      (WsimAuth *auth, WsimXdrBuf *out, guint32 seq, xdrproc_t xargs,
                          const void *args, GError **error);
  gboolean  (*validate)  (WsimAuth *auth, const struct opaque_auth *verf, guint32 seq,
                          GError **error);
  gboolean  (*unwrap)    (WsimAuth *auth, XDR *xdrs, guint32 seq, xdrproc_t xres, void *res,
                          GError **error);
  void      (*free_data) (gpointer data);
} WsimAuthOps;

/**
 * wsim_auth_new:
 * @ops: (not nullable) a static table that outlives the auth.
 * @data: (transfer full) flavor data, freed with @ops->free_data.
 * Returns: (transfer full) a new auth handle with one reference.
 */
WsimAuth *wsim_auth_new (const WsimAuthOps *ops, gpointer data);

/** wsim_auth_ref: adds a reference; returns @auth. */
WsimAuth *wsim_auth_ref (WsimAuth *auth);

/** wsim_auth_unref: drops a reference; NULL is fine. */
void wsim_auth_unref (WsimAuth *auth);

/** wsim_auth_get_ops: Returns: (transfer none) the flavor's ops table. */
const WsimAuthOps *wsim_auth_get_ops (WsimAuth *auth);

/** wsim_auth_get_data: Returns: (transfer none) the flavor's data. */
gpointer wsim_auth_get_data (WsimAuth *auth);

/**
 * WsimAuthReadyFunc:
 * @auth: (transfer full) (nullable) the flavor, NULL when @error is set
 * @error: (nullable) why there is none: a WSIM_GSS_ERROR for the mechanism (credentials, a
 *   token refused by either side, the server's proof that does not verify), a WSIM_RPC_ERROR
 *   or G_IO_ERROR for the exchange (G_IO_ERROR_TIMED_OUT for a server that does not answer,
 *   G_IO_ERROR_CLOSED for a client closed or released meanwhile), G_IO_ERROR_INVALID_ARGUMENT
 *   for a level with no wire form
 * @user_data: the data given with the function
 * What an asynchronous establishment hands over, exactly once.
 */
typedef void (*WsimAuthReadyFunc) (WsimAuth *auth, const GError *error, gpointer user_data);

/**
 * wsim_auth_ready_later:
 * @context: the main context @done is to run on (the client's)
 * @auth: (transfer full) (nullable) the flavor
 * @error: (transfer full) (nullable) why there is none
 * Hands @auth or @error to @done from an idle source on @context: for results known inside
 * an *_async call, which must not call back from inside itself.
 */
void wsim_auth_ready_later (GMainContext *context, WsimAuth *auth, GError *error,
                            WsimAuthReadyFunc done, gpointer user_data);

/**
 * WsimAuthWait:
 * What wsim_auth_wait_ready() keeps for wsim_auth_wait(): the synchronous forms of the
 * *_async calls pass it as the user data. Zero-initialise it.
 */
typedef struct {
  gboolean  done;
  WsimAuth *auth;    /* (owned) (nullable) */
  GError   *error;   /* (owned) (nullable) */
} WsimAuthWait;

/** wsim_auth_wait_ready: a WsimAuthReadyFunc that stores its result in the WsimAuthWait
 *  @user_data. */
void wsim_auth_wait_ready (WsimAuth *auth, const GError *error, gpointer user_data);

/**
 * wsim_auth_wait:
 * Iterates @context (the client's, on its thread) until @w has a result.
 * Returns: (transfer full) (nullable) the flavor, or NULL with @error.
 */
WsimAuth *wsim_auth_wait (GMainContext *context, WsimAuthWait *w, GError **error);

/** wsim_auth_none_new: Returns: (transfer full) an AUTH_NONE handle. */
WsimAuth *wsim_auth_none_new (void);

/**
 * wsim_auth_sys_new:
 * @machine: the machine name to send (at most 255 bytes, RFC 5531)
 * @uid, @gid: the ids to send
 * @n_gids: number of supplementary groups in @gids (at most 16, more are dropped)
 * Returns: (transfer full) an AUTH_SYS handle with a precomputed credential.
 */
WsimAuth *wsim_auth_sys_new (const char *machine, guint32 uid, guint32 gid, guint n_gids,
                             const guint32 *gids);

/**
 * wsim_auth_sys_new_default:
 * Returns: (transfer full) an AUTH_SYS handle for this process: host name, real uid/gid
 *   and supplementary groups, like libtirpc's authunix_create_default().
 */
WsimAuth *wsim_auth_sys_new_default (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimAuth, wsim_auth_unref)

G_END_DECLS
