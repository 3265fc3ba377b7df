/* wsim-server-v2.c: WSIM_SERVICE_V2, every V1 procedure with a context (IWbemContext) before
 * its arguments (wsim_service.x), and who a caller is as a local user.
 *
 * The V2 table is made from the V1 table, not written: procedure N of V2 decodes a
 * wsim_context, then N's V1 arguments with N's V1 XDR routine, and runs N's V1 handler, with
 * the context where wsim_server_begin_async() and wsim_server_accept_call() find it. A
 * procedure added to V1 so gets its V2 twin without a line here. The engine's XDR routine
 * takes no closure, so each slot of the V2 table has a trampoline that knows its index
 * (V2_SLOTS of them; a static assertion in wsim-server.c keeps V1 within them).
 *
 * Threading: the server's main context (handlers run there, one at a time, which is what
 * lets the context live in the server for the duration of one handler).
 */
#include "wsim-server-private.h"

#include <errno.h>
#include <pwd.h>
#include <string.h>

#include "wsim-context-wire.h"

/* The V1 arguments sit after the context, aligned for any type. */
#define V2_ARGS_OFFSET ((sizeof (wsim_context) + 15) & ~(gsize) 15)

static const WsimRpcProcedure *v1_procs;   /* the V1 table (static, wsim-server.c) */
static gsize v1_n_procs;
static WsimRpcProcedure v2_procs[WSIM_SERVER_V2_SLOTS];
static WsimRpcProgram v2_program;

static bool_t
v2_xdr (gsize slot, XDR *xdrs, void *args)
{
  if (!xdr_wsim_context (xdrs, args))
    return FALSE;
  return v1_procs[slot].xargs (xdrs, (char *) args + V2_ARGS_OFFSET, 0);
}

#define SLOT(i) static bool_t v2_xdr_##i (XDR *x, void *a) { return v2_xdr (i, x, a); }
SLOT (0) SLOT (1) SLOT (2) SLOT (3) SLOT (4) SLOT (5) SLOT (6) SLOT (7)
SLOT (8) SLOT (9) SLOT (10) SLOT (11) SLOT (12) SLOT (13) SLOT (14) SLOT (15)
SLOT (16) SLOT (17) SLOT (18) SLOT (19) SLOT (20) SLOT (21) SLOT (22) SLOT (23)
SLOT (24) SLOT (25) SLOT (26) SLOT (27) SLOT (28) SLOT (29) SLOT (30) SLOT (31)
#undef SLOT

typedef bool_t (*V2Xdr) (XDR *, void *);
static const V2Xdr v2_xdrs[] = {
  v2_xdr_0, v2_xdr_1, v2_xdr_2, v2_xdr_3, v2_xdr_4, v2_xdr_5, v2_xdr_6, v2_xdr_7,
  v2_xdr_8, v2_xdr_9, v2_xdr_10, v2_xdr_11, v2_xdr_12, v2_xdr_13, v2_xdr_14, v2_xdr_15,
  v2_xdr_16, v2_xdr_17, v2_xdr_18, v2_xdr_19, v2_xdr_20, v2_xdr_21, v2_xdr_22, v2_xdr_23,
  v2_xdr_24, v2_xdr_25, v2_xdr_26, v2_xdr_27, v2_xdr_28, v2_xdr_29, v2_xdr_30, v2_xdr_31,
};
G_STATIC_ASSERT (G_N_ELEMENTS (v2_xdrs) == WSIM_SERVER_V2_SLOTS);

static void
v2_handle (WsimRpcRequest *req, void *args, gpointer data)
{
  WsimServer *server = data;
  guint32 proc = wsim_rpc_request_get_proc (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsimContext) ctx = wsim_context_from_wire (args, &error);

  for (gsize i = 0; i < v1_n_procs; i++)
    if (v1_procs[i].proc == proc)
      {
        /* A context the server refuses is the *Async call's immediate return
         * (wsim_server_begin_async()); the other procedures take no context. */
        server->v2_req = req;
        server->v2_context = ctx;
        server->v2_error = error;
        v1_procs[i].handler (req, (char *) args + V2_ARGS_OFFSET, data);
        server->v2_req = NULL;
        server->v2_context = NULL;
        server->v2_error = NULL;
        return;
      }
  wsim_rpc_request_reply_error (req, PROC_UNAVAIL);
}

const WsimRpcProgram *
wsim_server_v2_program (const WsimRpcProcedure *procs, gsize n_procs)
{
  static gsize made = 0;

  if (g_once_init_enter (&made))
    {
      v1_procs = procs;
      v1_n_procs = n_procs;
      for (gsize i = 0; i < n_procs; i++)
        v2_procs[i] = (WsimRpcProcedure) {
          .proc = procs[i].proc, .name = procs[i].name, .xargs = (xdrproc_t) v2_xdrs[i],
          .args_size = V2_ARGS_OFFSET + procs[i].args_size, .handler = v2_handle,
        };
      v2_program = (WsimRpcProgram) {
        .prog = WSIM_SERVICE_PROG, .vers = WSIM_SERVICE_V2, .name = "wsim-service-v2",
        .procs = v2_procs, .n_procs = n_procs,
      };
      g_once_init_leave (&made, 1);
    }
  g_return_val_if_fail (procs == v1_procs, NULL);
  return &v2_program;
}

void
wsim_server_add_v2 (WsimServer *server, const WsimRpcProcedure *procs, gsize n_procs)
{
  const WsimRpcProgram *v2 = wsim_server_v2_program (procs, n_procs);

  if (v2 != NULL)
    wsim_rpc_server_add_program (server->rpc, v2, server);
}

WsimContext *
wsim_server_request_context (WsimServer *server, WsimRpcRequest *req, const GError **error)
{
  if (server->v2_req != req)
    {
      *error = NULL;
      return NULL;
    }
  *error = server->v2_error;
  return server->v2_context;
}

char *
wsim_server_principal_local_user (const char *mech, const char *principal, const char *acceptor)
{
  if (mech == NULL || principal == NULL || principal[0] == '\0')
    return NULL;
  if (g_str_equal (mech, "kerberos"))
    {
      /* As krb5's default aname-to-localname rule: only a one-component principal of the
       * server's own realm (the realm of the service principal it accepted) names a local
       * account; "root/admin@R" or "root@OTHER.REALM" names none. */
      const char *at = strrchr (principal, '@');
      const char *own = acceptor != NULL ? strrchr (acceptor, '@') : NULL;

      if (at == NULL || at == principal || own == NULL || g_strcmp0 (at, own) != 0
          || memchr (principal, '/', (gsize) (at - principal)) != NULL)
        return NULL;
      return g_strndup (principal, (gsize) (at - principal));
    }
  else
    {
      /* NTLMSSP: DOMAIN\user, proved against the server's own account file
       * (NTLM_USER_FILE): the accounts are the ones its administrator wrote there, domain
       * included; the user part names the local account. */
      const char *slash = strchr (principal, '\\');
      const char *user = slash != NULL ? slash + 1 : principal;

      if (user[0] == '\0' || strpbrk (user, "/@\\") != NULL)
        return NULL;
      return g_strdup (user);
    }
}

gint64
wsim_server_caller_uid (WsimRpcRequest *req)
{
  const WsimRpcIdentity *id = wsim_rpc_request_get_identity (req);
  gint64 uid = wsim_rpc_request_get_peer_uid (req);
  g_autofree char *user = NULL;
  struct passwd pw, *found = NULL;
  char buf[4096];

  if (uid >= 0)
    return uid;
  /* A principal someone proved (GSS), never an AUTH_SYS claim (id->mech is NULL for it). */
  user = wsim_server_principal_local_user (id->mech, id->principal, id->acceptor);
  if (user == NULL || getpwnam_r (user, &pw, buf, sizeof buf, &found) != 0 || found == NULL)
    return -1;
  return found->pw_uid;
}
