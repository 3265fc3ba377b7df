/* wsim-krb5-realm.h: a private Kerberos realm for tests, and an NTLM credentials file.
 *
 * Everything lives in a temporary directory: krb5.conf, kdc.conf, the KDC database, a
 * service keytab (wbem/localhost, and alice's key, the same as in the client keytab: the
 * acceptor of a call back to the user, which the server makes as wbem/localhost from the
 * service keytab) and a client keytab (alice). The KDC listens on 127.0.0.1
 * on a free port and is stopped by its pid. The process environment is pointed at the realm
 * (KRB5_CONFIG, KRB5_KDC_PROFILE, KRB5_KTNAME, KRB5_CLIENT_KTNAME, KRB5CCNAME,
 * KRB5RCACHETYPE=none) so that GSS-API in this process and in the children it starts uses
 * it; start the realm before the first GSS-API call. Nothing system-wide is touched.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WSIM_TEST_REALM "WSIM.TEST"

typedef struct {
  char   *dir;            /* (owned) the temporary directory */
  guint16 port;           /* the KDC's port on 127.0.0.1 (UDP and TCP) */
  GPid    kdc_pid;
  char   *service_keytab; /* (owned) wbem/localhost and alice */
  char   *client_keytab;  /* (owned) alice */
  char   *ntlm_file;      /* (owned) NTLM_USER_FILE: "WSIM:alice:…" and "WSIM:wbem:…" */
} WsimKrb5Realm;

/** Creates the realm and starts its KDC; FALSE with @error if a step failed. */
gboolean wsim_krb5_realm_start (WsimKrb5Realm *realm, GError **error);

/** Stops the KDC by its pid and removes the directory. */
void wsim_krb5_realm_stop (WsimKrb5Realm *realm);

/**
 * wsim_ntlm_creds_setup:
 * Writes an NTLM credentials file into @dir and points NTLM_USER_FILE at it.
 * Returns: (transfer full) its path.
 */
char *wsim_ntlm_creds_setup (const char *dir);

G_END_DECLS
