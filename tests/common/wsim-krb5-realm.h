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
 *
 * wsim_krb5_realm_start_full() places the KDC elsewhere: on another address, inside another
 * network namespace (the lan of wsim-test-net.h, whose hosts all read the same krb5.conf
 * from the shared filesystem), with more service principals in the service keytab (one
 * per host: a client names a non-loopback server wbem@ADDRESS). The realm owns its KDC
 * process in every case: wsim_krb5_realm_stop() stops it by pid.
 *
 * Threading: start and stop from one thread; the environment is changed with g_setenv(),
 * so start before other threads read it.
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
  char   *kdc_address;    /* (owned) the address the KDC listens on ("127.0.0.1") */
  char   *krb5_conf;      /* (owned) the KRB5_CONFIG file */
} WsimKrb5Realm;

/**
 * WsimKrb5RealmConfig: where the KDC runs and which services the realm has.
 * @kdc_address: (nullable) an IPv4 or IPv6 literal the KDC listens on (UDP and TCP);
 *   NULL: 127.0.0.1. It must exist in the KDC's network namespace.
 * @kdc_netns_fd: (transfer none) a network namespace to run the KDC in (and to find its
 *   free port and check that it answers from); -1: the caller's. The realm does not keep it.
 * @services: (nullable) (array zero-terminated=1) more service principals, "wbem/10.77.0.1",
 *   made with random keys and added to the service keytab (after wbem/localhost)
 */
typedef struct {
  const char        *kdc_address;
  int                kdc_netns_fd;
  const char *const *services;
} WsimKrb5RealmConfig;

#define WSIM_KRB5_REALM_CONFIG_INIT { NULL, -1, NULL }

/** Creates the realm and starts its KDC on 127.0.0.1; FALSE with @error if a step failed. */
gboolean wsim_krb5_realm_start (WsimKrb5Realm *realm, GError **error);

/**
 * wsim_krb5_realm_start_full:
 * @config: (nullable) NULL: as wsim_krb5_realm_start()
 * Like wsim_krb5_realm_start(), with the KDC where @config says. On failure, call
 * wsim_krb5_realm_stop() all the same (it stops a started KDC and removes the directory).
 */
gboolean wsim_krb5_realm_start_full (WsimKrb5Realm *realm, const WsimKrb5RealmConfig *config,
                                     GError **error);

/** Stops the KDC by its pid and removes the directory. */
void wsim_krb5_realm_stop (WsimKrb5Realm *realm);

/**
 * wsim_ntlm_creds_setup:
 * Writes an NTLM credentials file into @dir and points NTLM_USER_FILE at it.
 * Returns: (transfer full) its path.
 */
char *wsim_ntlm_creds_setup (const char *dir);

G_END_DECLS
