/* wsim-gss.c: GSS-API contexts over Kerberos and NTLMSSP (see wsim-gss.h). */
#include "wsim-gss.h"

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>
#include <string.h>
#include <unistd.h>

#include "wsim-code-table.h"

G_DEFINE_QUARK (wsim-gss-error-quark, wsim_gss_error)

static const WsimCodeInfo gss_error_table[] = {
  WSIM_GSS_ERROR_TABLE (WSIM_CODE_ROW)
};

const char *
wsim_gss_error_name (WsimGssErrorCode code)
{
  const WsimCodeInfo *i = WSIM_CODE_TABLE_LOOKUP (gss_error_table, code);

  return i != NULL ? i->name : NULL;
}

const char *
wsim_gss_error_message (WsimGssErrorCode code)
{
  const WsimCodeInfo *i = WSIM_CODE_TABLE_LOOKUP (gss_error_table, code);

  return i != NULL ? i->message : "unknown GSS-API error";
}

struct _WsimGssMech {
  const char    *name;
  gss_OID_desc   oid;
  /* The name type of a target given as a principal (WsimGssInitiatorOptions); it points at
   * the GSS library's own OID variable. */
  const gss_OID *principal_type;
  /* An initiator may take its key from a keytab the caller names. */
  gboolean       client_keytab;
  /* gss_inquire_context() names an acceptor (see wsim_gss_context_get_self()). */
  gboolean       acceptor_has_name;
};

static const WsimGssMech mech_kerberos = {
  .name = "kerberos",
  .oid = { 9, (void *) "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" },
  .principal_type = &GSS_KRB5_NT_PRINCIPAL_NAME,
  .client_keytab = TRUE,
  .acceptor_has_name = TRUE,
};

static const WsimGssMech mech_ntlmssp = {
  .name = "ntlm",
  .oid = { 10, (void *) "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" },
  /* gss-ntlmssp refuses a target that is not host-based (GSS_S_BAD_NAMETYPE), and NTLMSSP
   * authenticates no target: a user name goes in as the service part of a host-based name
   * (on this host), which nothing checks. */
  .principal_type = &GSS_C_NT_HOSTBASED_SERVICE,
};

struct _WsimGssContext {
  const WsimGssMech *mech;       /* (unowned) static */
  gboolean           initiator;
  gss_cred_id_t      cred;       /* (owned) */
  gss_name_t         target;     /* (owned) initiator only */
  gss_ctx_id_t       ctx;        /* (owned) */
  gboolean           established;
  char              *peer;       /* (owned) (nullable) */
  char              *self;       /* (owned) (nullable) */
  char              *ccache;     /* (owned) (nullable) the private cache of a keytab initiator */
};

const WsimGssMech *
wsim_gss_mech_kerberos (void)
{
  return &mech_kerberos;
}

const WsimGssMech *
wsim_gss_mech_ntlmssp (void)
{
  return &mech_ntlmssp;
}

const char *
wsim_gss_mech_get_name (const WsimGssMech *mech)
{
  /* NULL: an acceptor whose peer used a mechanism without a table here. */
  return mech != NULL ? mech->name : "gss";
}

const WsimGssMech *
wsim_gss_mech_lookup (const char *name)
{
  if (g_ascii_strcasecmp (name, "kerberos") == 0)
    return &mech_kerberos;
  if (g_ascii_strcasecmp (name, "ntlm") == 0 || g_ascii_strcasecmp (name, "ntlmssp") == 0)
    return &mech_ntlmssp;
  return NULL;
}

/* GSS-API's own words for a major/minor status pair. */
static char *
status_text (OM_uint32 major, OM_uint32 minor, const gss_OID mech)
{
  GString *s = g_string_new (NULL);
  int kinds[2] = { GSS_C_GSS_CODE, GSS_C_MECH_CODE };
  OM_uint32 codes[2] = { major, minor };

  for (int k = 0; k < 2; k++)
    {
      OM_uint32 ctx = 0, maj, min;

      if (codes[k] == 0)
        continue;
      do
        {
          gss_buffer_desc msg = GSS_C_EMPTY_BUFFER;

          maj = gss_display_status (&min, codes[k], kinds[k], mech, &ctx, &msg);
          if (GSS_ERROR (maj))
            break;
          if (s->len > 0)
            g_string_append (s, "; ");
          g_string_append_len (s, msg.value, (gssize) msg.length);
          gss_release_buffer (&min, &msg);
        }
      while (ctx != 0);
    }
  return g_string_free (s, FALSE);
}

static void
set_gss_error (GError **error, WsimGssErrorCode code, const char *what, OM_uint32 major,
               OM_uint32 minor, const WsimGssMech *mech)
{
  g_autofree char *text = status_text (major, minor, mech != NULL ? (gss_OID) &mech->oid : GSS_C_NO_OID);

  g_set_error (error, WSIM_GSS_ERROR, code, "%s (%s): %s", what, mech != NULL ? mech->name : "gss", text);
}

static const WsimGssMech *
mech_from_oid (gss_OID oid)
{
  const WsimGssMech *all[] = { &mech_kerberos, &mech_ntlmssp };

  for (gsize i = 0; oid != GSS_C_NO_OID && i < G_N_ELEMENTS (all); i++)
    if (oid->length == all[i]->oid.length && memcmp (oid->elements, all[i]->oid.elements, oid->length) == 0)
      return all[i];
  return NULL;
}

static gss_name_t
import_name (const char *text, gss_OID type, OM_uint32 *major, OM_uint32 *minor)
{
  gss_buffer_desc buf = { strlen (text), (void *) text };
  gss_name_t name = GSS_C_NO_NAME;

  *major = gss_import_name (minor, &buf, type, &name);
  return name;
}

/* gss-ntlmssp's accounts are the file NTLM_USER_FILE names; its own status text ("No such
 * file or directory") names neither the variable nor the file, so a missing one is said
 * here, before the mechanism's words. */
static void
ntlm_user_file_hint (GError **error)
{
  static const char wants[] = "gss-ntlmssp's account file, lines of DOMAIN:user:password";
  const char *file = g_getenv ("NTLM_USER_FILE");

  if (file == NULL || *file == '\0')
    g_prefix_error (error, "NTLMSSP has no accounts: NTLM_USER_FILE is not set (it names %s): ", wants);
  else if (!g_file_test (file, G_FILE_TEST_EXISTS))
    g_prefix_error (error, "NTLMSSP has no accounts: NTLM_USER_FILE names %s, which does not "
                    "exist (it must name %s): ", file, wants);
}

/* @store: (nullable) where the credentials come from; NULL for the defaults. */
static gboolean
acquire (WsimGssContext *c, const char *name, gss_OID name_type, gss_cred_usage_t usage,
         gss_const_key_value_set_t store, GError **error)
{
  gss_OID_set_desc mechs = { 1, (gss_OID) &c->mech->oid };
  gss_name_t gname = GSS_C_NO_NAME;
  OM_uint32 major, minor;

  if (name != NULL)
    {
      gname = import_name (name, name_type, &major, &minor);
      if (GSS_ERROR (major))
        {
          set_gss_error (error, WSIM_GSS_ERROR_NO_CREDENTIALS, "importing a name", major, minor, c->mech);
          return FALSE;
        }
    }
  major = gss_acquire_cred_from (&minor, gname, GSS_C_INDEFINITE, &mechs, usage,
                                 store != NULL ? store : GSS_C_NO_CRED_STORE, &c->cred, NULL, NULL);
  if (gname != GSS_C_NO_NAME)
    gss_release_name (&minor, &gname);
  if (GSS_ERROR (major))
    {
      set_gss_error (error, WSIM_GSS_ERROR_NO_CREDENTIALS, "acquiring credentials", major, minor, c->mech);
      if (c->mech == &mech_ntlmssp)
        ntlm_user_file_hint (error);
      return FALSE;
    }
  return TRUE;
}

WsimGssContext *
wsim_gss_context_new_initiator_full (const WsimGssMech *mech, const char *target,
                                     const WsimGssInitiatorOptions *opts, GError **error)
{
  static const WsimGssInitiatorOptions defaults = { 0 };
  static gint n_caches;
  g_autoptr(WsimGssContext) c = g_new0 (WsimGssContext, 1);
  gss_key_value_element_desc elements[2];
  gss_key_value_set_desc store = { 0, elements };
  OM_uint32 major, minor;

  if (opts == NULL)
    opts = &defaults;
  c->mech = mech;
  c->initiator = TRUE;
  c->ctx = GSS_C_NO_CONTEXT;
  if (opts->keytab != NULL && mech->client_keytab)
    {
      /* Named before acquiring: MIT makes a MEMORY cache as soon as it resolves the name, so
       * the context destroys it even if acquiring fails. Memory caches are per process, so
       * a counter makes the name unique. */
      c->ccache = g_strdup_printf ("MEMORY:wsim-gss-%d-%d", (int) getpid (),
                                   g_atomic_int_add (&n_caches, 1));
      elements[0] = (gss_key_value_element_desc) { "client_keytab", opts->keytab };
      elements[1] = (gss_key_value_element_desc) { "ccache", c->ccache };
      store.count = 2;
    }
  if (!acquire (c, opts->user, GSS_C_NT_USER_NAME, GSS_C_INITIATE, store.count > 0 ? &store : NULL,
                error))
    return NULL;
  c->target = import_name (target, opts->target_is_principal ? *mech->principal_type
                                                             : GSS_C_NT_HOSTBASED_SERVICE,
                           &major, &minor);
  if (GSS_ERROR (major))
    {
      set_gss_error (error, WSIM_GSS_ERROR_CONTEXT, "importing the target name", major, minor, mech);
      return NULL;
    }
  return g_steal_pointer (&c);
}

WsimGssContext *
wsim_gss_context_new_initiator (const WsimGssMech *mech, const char *target, const char *user,
                                GError **error)
{
  WsimGssInitiatorOptions opts = { .user = user };

  return wsim_gss_context_new_initiator_full (mech, target, &opts, error);
}

WsimGssContext *
wsim_gss_context_new_acceptor (const WsimGssMech *mech, const char *service, GError **error)
{
  g_autoptr(WsimGssContext) c = g_new0 (WsimGssContext, 1);

  c->mech = mech;
  c->ctx = GSS_C_NO_CONTEXT;
  c->cred = GSS_C_NO_CREDENTIAL;
  /* No mechanism: the default acceptor credentials of every mechanism; the initiator's
   * first token chooses (a server serving Kerberos and NTLM clients alike). */
  if (mech != NULL && !acquire (c, service, GSS_C_NT_HOSTBASED_SERVICE, GSS_C_ACCEPT, NULL, error))
    return NULL;
  return g_steal_pointer (&c);
}

const WsimGssMech *
wsim_gss_context_get_mech (WsimGssContext *c)
{
  return c->mech;
}

/* MIT keeps a MEMORY cache, with its tickets, until it is destroyed: releasing the
 * credentials only closes it. GSS-API has no call for that, so libkrb5's. Called after the
 * credentials are released, so nothing refers to the cache any more. */
static void
destroy_ccache (const char *name)
{
  krb5_context k;
  krb5_ccache cc;

  if (krb5_init_context (&k) != 0)
    return;
  if (krb5_cc_resolve (k, name, &cc) == 0)
    krb5_cc_destroy (k, cc);
  krb5_free_context (k);
}

void
wsim_gss_context_free (WsimGssContext *c)
{
  OM_uint32 minor;

  if (c == NULL)
    return;
  if (c->ctx != GSS_C_NO_CONTEXT)
    gss_delete_sec_context (&minor, &c->ctx, GSS_C_NO_BUFFER);
  if (c->cred != GSS_C_NO_CREDENTIAL)
    gss_release_cred (&minor, &c->cred);
  if (c->target != GSS_C_NO_NAME)
    gss_release_name (&minor, &c->target);
  if (c->ccache != NULL)
    destroy_ccache (c->ccache);
  g_free (c->ccache);
  g_free (c->peer);
  g_free (c->self);
  g_free (c);
}

/* Returns: (transfer full) (nullable) @name as GSS-API displays it. */
static char *
name_text (gss_name_t name)
{
  gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
  OM_uint32 minor;
  char *s;

  if (name == GSS_C_NO_NAME || GSS_ERROR (gss_display_name (&minor, name, &text, NULL)))
    return NULL;
  /* gss-ntlmssp counts the terminating NUL in the length; strndup stops before it. */
  s = g_strndup (text.value, text.length);
  gss_release_buffer (&minor, &text);
  return s;
}

/* The context's own name (see wsim_gss_context_get_self()). */
static char *
self_name (WsimGssContext *c)
{
  gss_name_t name = GSS_C_NO_NAME;
  OM_uint32 minor;
  char *s;

  /* Only the name asked for is made: asking an NTLMSSP acceptor for its own would crash. */
  if (!c->initiator && (c->mech == NULL || !c->mech->acceptor_has_name))
    return NULL;
  if (GSS_ERROR (gss_inquire_context (&minor, c->ctx, c->initiator ? &name : NULL,
                                      c->initiator ? NULL : &name, NULL, NULL, NULL, NULL, NULL)))
    return NULL;
  s = name_text (name);
  gss_release_name (&minor, &name);
  return s;
}

static gboolean
finish_establishment (WsimGssContext *c, OM_uint32 ret_flags, gss_name_t peer, GError **error)
{
  /* Both are asked for; a mechanism that did not grant them gives signatures that prove
   * nothing (NTLMSSP's all-zero MICs), so such a context is refused. */
  if ((ret_flags & (GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG)) != (GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG))
    {
      g_set_error (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_FLAGS,
                   "the %s context lacks integrity or confidentiality (flags 0x%x)", c->mech->name,
                   (guint) ret_flags);
      return FALSE;
    }
  c->peer = name_text (peer);
  c->self = self_name (c);
  c->established = TRUE;
  return TRUE;
}

gboolean
wsim_gss_context_step (WsimGssContext *c, GBytes *in, GBytes **out, GError **error)
{
  gss_buffer_desc in_buf = GSS_C_EMPTY_BUFFER, out_buf = GSS_C_EMPTY_BUFFER;
  OM_uint32 major, minor, ret_flags = 0;
  gss_name_t peer = GSS_C_NO_NAME;
  gboolean ok = TRUE;
  gsize len = 0;

  *out = NULL;
  if (in != NULL)
    {
      in_buf.value = (void *) g_bytes_get_data (in, &len);
      in_buf.length = len;
    }
  if (c->initiator)
    major = gss_init_sec_context (&minor, c->cred, &c->ctx, c->target, (gss_OID) &c->mech->oid,
                                  GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG, 0,
                                  GSS_C_NO_CHANNEL_BINDINGS, in != NULL ? &in_buf : GSS_C_NO_BUFFER,
                                  NULL, &out_buf, &ret_flags, NULL);
  else
    {
      gss_OID actual = GSS_C_NO_OID;

      major = gss_accept_sec_context (&minor, &c->ctx, c->cred, &in_buf, GSS_C_NO_CHANNEL_BINDINGS,
                                      &peer, &actual, &out_buf, &ret_flags, NULL, NULL);
      if (c->mech == NULL)
        c->mech = mech_from_oid (actual);
    }
  if (out_buf.length > 0)
    *out = g_bytes_new (out_buf.value, out_buf.length);
  gss_release_buffer (&minor, &out_buf);
  if (GSS_ERROR (major))
    {
      set_gss_error (error, WSIM_GSS_ERROR_CONTEXT, "establishing the context", major, minor, c->mech);
      g_clear_pointer (out, g_bytes_unref);
      ok = FALSE;
    }
  else if (!(major & GSS_S_CONTINUE_NEEDED))
    ok = finish_establishment (c, ret_flags, peer, error);
  if (peer != GSS_C_NO_NAME)
    gss_release_name (&minor, &peer);
  if (!ok)
    g_clear_pointer (out, g_bytes_unref);
  return ok;
}

gboolean
wsim_gss_context_is_established (WsimGssContext *c)
{
  return c->established;
}

const char *
wsim_gss_context_get_peer (WsimGssContext *c)
{
  return c->peer;
}

const char *
wsim_gss_context_get_self (WsimGssContext *c)
{
  return c->self;
}

const char *
wsim_gss_context_get_ccache (WsimGssContext *c)
{
  return c->ccache;
}

static gboolean
check_ready (WsimGssContext *c, GError **error)
{
  if (!c->established)
    g_set_error_literal (error, WSIM_GSS_ERROR, WSIM_GSS_ERROR_NOT_READY,
                         "the security context is not established");
  return c->established;
}

static gss_buffer_desc
as_buffer (GBytes *b)
{
  gsize len = 0;
  gss_buffer_desc buf;

  buf.value = (void *) g_bytes_get_data (b, &len);
  buf.length = len;
  return buf;
}

static GBytes *
take_buffer (gss_buffer_desc *buf)
{
  OM_uint32 minor;
  GBytes *b = g_bytes_new (buf->value, buf->length);

  gss_release_buffer (&minor, buf);
  return b;
}

GBytes *
wsim_gss_get_mic (WsimGssContext *c, GBytes *msg, GError **error)
{
  gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
  OM_uint32 major, minor;

  if (!check_ready (c, error))
    return NULL;
  in = as_buffer (msg);
  major = gss_get_mic (&minor, c->ctx, GSS_C_QOP_DEFAULT, &in, &out);
  if (GSS_ERROR (major))
    {
      set_gss_error (error, WSIM_GSS_ERROR_INTEGRITY, "signing", major, minor, c->mech);
      return NULL;
    }
  return take_buffer (&out);
}

gboolean
wsim_gss_verify_mic (WsimGssContext *c, GBytes *msg, GBytes *mic, GError **error)
{
  gss_buffer_desc m, t;
  OM_uint32 major, minor;

  if (!check_ready (c, error))
    return FALSE;
  m = as_buffer (msg);
  t = as_buffer (mic);
  major = gss_verify_mic (&minor, c->ctx, &m, &t, NULL);
  if (GSS_ERROR (major))
    {
      set_gss_error (error, WSIM_GSS_ERROR_INTEGRITY, "verifying a MIC", major, minor, c->mech);
      return FALSE;
    }
  return TRUE;
}

GBytes *
wsim_gss_wrap (WsimGssContext *c, GBytes *msg, gboolean encrypt, GError **error)
{
  gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
  OM_uint32 major, minor;
  int conf = 0;

  if (!check_ready (c, error))
    return NULL;
  in = as_buffer (msg);
  major = gss_wrap (&minor, c->ctx, encrypt, GSS_C_QOP_DEFAULT, &in, &conf, &out);
  if (GSS_ERROR (major) || (encrypt && !conf))
    {
      set_gss_error (error, WSIM_GSS_ERROR_INTEGRITY, "wrapping", major, minor, c->mech);
      gss_release_buffer (&minor, &out);
      return NULL;
    }
  return take_buffer (&out);
}

GBytes *
wsim_gss_unwrap (WsimGssContext *c, GBytes *token, gboolean *encrypted, GError **error)
{
  gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
  OM_uint32 major, minor;
  int conf = 0;

  if (!check_ready (c, error))
    return NULL;
  in = as_buffer (token);
  major = gss_unwrap (&minor, c->ctx, &in, &out, &conf, NULL);
  if (GSS_ERROR (major))
    {
      set_gss_error (error, WSIM_GSS_ERROR_INTEGRITY, "unwrapping", major, minor, c->mech);
      return NULL;
    }
  if (encrypted != NULL)
    *encrypted = conf != 0;
  return take_buffer (&out);
}
