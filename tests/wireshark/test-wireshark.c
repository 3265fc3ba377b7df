/* test-wireshark.c: the Wireshark dissector (tools/wireshark/wmisim.lua) through tshark.
 *
 * The golden vectors of tests/wire/golden are wrapped in real ONC RPC calls and replies
 * (RFC 5531 headers, record marking) over TCP, written to a pcap file, and tshark, with the
 * dissector loaded, must name each procedure, the namespace, the classes, the call ids,
 * the row counts, the HRESULTs and the RPCSEC_GSS service. The dissector's HRESULT names
 * must be cim/wsim-hresult.h's. A live call (wmisim against a wmisimd the test starts, at
 * PKT_INTEGRITY with NTLMSSP) is captured on loopback and dissected alike. */
#include <criterion/criterion.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wsim-hresult.h"
#include "wsim-test-capture.h"
#include "wsim-test-files.h"
#include "wsim-test-pcap.h"
#include "wsim-test-spawn.h"

#define SERVICE 0x20574D49u
#define SINK    0x20574D4Au

static char *dir;

static void
setup (void)
{
  dir = g_dir_make_tmp ("wsim-wireshark-XXXXXX", NULL);
  cr_assert_not_null (dir);
}

static void
teardown (void)
{
  if (g_getenv ("WSIM_KEEP_CAPTURES") == NULL)
    wsim_test_remove_dir (dir);
  g_free (dir);
}

TestSuite (wireshark, .init = setup, .fini = teardown, .timeout = 60);

static void
put32 (GByteArray *b, guint32 v)
{
  guint32 be = GUINT32_TO_BE (v);

  g_byte_array_append (b, (const guint8 *) &be, 4);
}

/* The XDR bytes of a golden vector: one 8-digit hex unit per line, "#" comments. */
static void
put_golden (GByteArray *b, const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.hex", WSIM_GOLDEN_DIR, name);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  cr_assert (g_file_get_contents (path, &text, NULL, NULL), "%s", path);
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      char *hash = strchr (*l, '#');

      if (hash != NULL)
        *hash = '\0';
      g_strstrip (*l);
      if (**l == '\0')
        continue;
      cr_assert_eq (strlen (*l), 8, "%s: a unit of 8 hex digits, not '%s'", name, *l);
      put32 (b, (guint32) g_ascii_strtoull (*l, NULL, 16));
    }
}

/* The RPCSEC_GSS service of a record: 0 for AUTH_NONE. */
typedef enum { PLAIN = 0, GSS_INTEGRITY = 2, GSS_PRIVACY = 3 } Protection;

static void
put_gss_cred (GByteArray *b, guint32 seq, Protection prot)
{
  put32 (b, 6);             /* RPCSEC_GSS */
  put32 (b, 24);
  put32 (b, 1);             /* version */
  put32 (b, 0);             /* RPCSEC_GSS_DATA */
  put32 (b, seq);
  put32 (b, prot);
  put32 (b, 4);             /* handle */
  put32 (b, 0x0000abcd);
}

/* @body (XDR) under @prot, as RFC 2203 5.3.2 lays it out: integrity is opaque(seq, body)
 * then a MIC; privacy is one opaque token (here bytes nobody can read). */
static void
put_body (GByteArray *b, guint32 seq, Protection prot, const GByteArray *body)
{
  if (prot == PLAIN)
    g_byte_array_append (b, body->data, body->len);
  else if (prot == GSS_INTEGRITY)
    {
      put32 (b, body->len + 4);
      put32 (b, seq);
      g_byte_array_append (b, body->data, body->len);
      put32 (b, 8);
      put32 (b, 0x11111111);
      put32 (b, 0x22222222);
    }
  else
    {
      put32 (b, body->len);
      for (guint i = 0; i < body->len; i++)
        g_byte_array_append (b, (const guint8 *) "\xa5", 1);
      for (guint i = body->len; i % 4 != 0; i++)
        g_byte_array_append (b, (const guint8 *) "", 1);
    }
}

/* Writes the record @b as one fragment, its mark first, and empties @b. */
static void
send_record (WsimTestPcap *p, WsimTestFlow *flow, GByteArray *b)
{
  guint32 mark = GUINT32_TO_BE (0x80000000u | b->len);

  g_byte_array_prepend (b, (const guint8 *) &mark, 4);
  wsim_test_pcap_segment (p, flow, b->data, b->len);
  g_byte_array_set_size (b, 0);
}

typedef struct {
  WsimTestPcap pcap;
  WsimTestFlow to_server, to_client;   /* the service connection */
  WsimTestFlow to_sink, from_sink;     /* the server's connection to the client's sink */
  guint32      xid;
} Capture;

/* One call of @prog/@vers/@proc whose arguments are the XDR bytes @args, answered by golden
 * vector @res (NULL: void), both under @prot. */
static void
exchange_bytes (Capture *c, guint32 prog, guint32 vers, guint32 proc, const GByteArray *args,
                const char *res, Protection prot)
{
  gboolean to_sink = prog == SINK;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint32 xid = ++c->xid;

  put32 (b, xid);
  put32 (b, 0);             /* CALL */
  put32 (b, 2);
  put32 (b, prog);
  put32 (b, vers);
  put32 (b, proc);
  if (prot == PLAIN)
    {
      put32 (b, 0);
      put32 (b, 0);
    }
  else
    put_gss_cred (b, xid, prot);
  put32 (b, 0);             /* verifier: AUTH_NONE (a real one is a MIC) */
  put32 (b, 0);
  g_byte_array_append (body, args->data, args->len);
  put_body (b, xid, prot, body);
  send_record (&c->pcap, to_sink ? &c->to_sink : &c->to_server, b);

  g_byte_array_set_size (body, 0);
  put32 (b, xid);
  put32 (b, 1);             /* REPLY */
  put32 (b, 0);             /* MSG_ACCEPTED */
  put32 (b, 0);
  put32 (b, 0);
  put32 (b, 0);             /* SUCCESS */
  if (res != NULL)
    put_golden (body, res);
  put_body (b, xid, prot, body);
  send_record (&c->pcap, to_sink ? &c->from_sink : &c->to_client, b);
}

/* As exchange_bytes(), the arguments being golden vector @args (NULL: void). */
static void
exchange (Capture *c, guint32 prog, guint32 vers, guint32 proc, const char *args, const char *res,
          Protection prot)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  if (args != NULL)
    put_golden (body, args);
  exchange_bytes (c, prog, vers, proc, body, res, prot);
}

/* tshark on @file with the dissector: the fields @fields of each wmisim frame, one line each
 * ("|" between fields, "," between occurrences). Returns: (transfer full) what it printed. */
static char *
tshark_fields (const char *file, const char *const *fields)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *lua = g_strdup_printf ("lua_script:%s", WSIM_DISSECTOR);
  static const char *const head[] = { "/usr/bin/tshark", "-n", "-r", NULL, "-X", NULL, "-o",
                                      "tcp.try_heuristic_first:TRUE", "-Y", "wmisim", "-T", "fields",
                                      "-E", "separator=|", "-E", "occurrence=a", NULL };
  char *out = NULL;
  g_autofree char *err = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (head) - 1; i++)
    g_ptr_array_add (argv, (gpointer) (i == 3 ? file : i == 5 ? lua : head[i]));
  for (const char *const *f = fields; *f != NULL; f++)
    {
      g_ptr_array_add (argv, (gpointer) "-e");
      g_ptr_array_add (argv, (gpointer) *f);
    }
  g_ptr_array_add (argv, NULL);
  cr_assert_eq (wsim_test_spawn ((const char *const *) argv->pdata, NULL, &out, &err), 0, "tshark: %s", err);
  cr_assert (strstr (err, "Lua") == NULL && strstr (err, "lua") == NULL, "tshark: %s", err);
  return out;
}

static const char *const summary[] = { "wmisim.procedure", "wmisim.namespace", "wmisim.class",
                                       "wmisim.call_id", "wmisim.rows", "wmisim.hresult.name",
                                       "wmisim.gss.service_name", NULL };

/* Asserts that the line of @out for frame @n (1-based, counting wmisim frames) is @want. */
static void
assert_line (char **lines, guint n, const char *want)
{
  cr_assert_lt (n - 1, g_strv_length (lines), "no frame %u", n);
  cr_assert_str_eq (lines[n - 1], want, "frame %u", n);
}

static Capture
capture_open (const char *file)
{
  Capture c = {
    .to_server = { 0x0a000001, 0x0a000002, 40001, 38111, 1000 },
    .to_client = { 0x0a000002, 0x0a000001, 38111, 40001, 5000 },
    .to_sink   = { 0x0a000002, 0x0a000001, 40002, 38112, 9000 },
    .from_sink = { 0x0a000001, 0x0a000002, 38112, 40002, 7000 },
  };

  cr_assert (wsim_test_pcap_open (&c.pcap, file), "%s", file);
  return c;
}

/* What tshark shows (the summary fields) of each frame of the golden capture; NULL: not
 * checked. Under privacy nothing of the body is readable. */
static const char *const golden_frames[] = {
  "OPEN_NAMESPACE|root\\cimv2|||||",
  "OPEN_NAMESPACE|root\\cimv2||||WBEM_S_NO_ERROR|",
  "NEGOTIATE_SECURITY||||||",
  NULL,
  "EXEC_QUERY_ASYNC|root\\cimv2|Win32_Service|44|||",
  "EXEC_QUERY_ASYNC|||||WBEM_S_NO_ERROR|",
  "GET_OBJECT_ASYNC|root\\cimv2|Win32_Service|42|||",
  "GET_OBJECT_ASYNC|||||WBEM_E_ACCESS_DENIED|",
  "GET_OBJECT_ASYNC|root\\cimv2|Win32_Service|42|||",          /* version 2 */
  NULL,
  "SINK_INDICATE||Win32_Service,Win32_Service,Win32_Service|43|2||",
  NULL,
  "SINK_INDICATE||Win32_Service|43|1||",                       /* batch 0's class names it */
  "SINK_INDICATE|||||WBEM_S_NO_ERROR|",
  "SINK_SET_STATUS||__ExtendedStatus,__ExtendedStatus|42||WBEM_E_NOT_FOUND|",
  NULL,
  "EXEC_QUERY_ASYNC|root\\cimv2|Win32_Service|44|||integrity",
  "EXEC_QUERY_ASYNC|||||WBEM_S_NO_ERROR|integrity",
  "EXEC_QUERY_ASYNC||||||privacy",
  "EXEC_QUERY_ASYNC||||||privacy",
};

Test (wireshark, names_what_the_golden_vectors_carry)
{
  g_autofree char *file = g_build_filename (dir, "golden.pcap", NULL);
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  Capture c = capture_open (file);

  exchange (&c, SERVICE, 1, 3, "open_namespace_args", "open_namespace_res", PLAIN);
  exchange (&c, SERVICE, 1, 64, NULL, "security_info", PLAIN);
  exchange (&c, SERVICE, 1, 21, "exec_query_async_args", "async_res", PLAIN);
  exchange (&c, SERVICE, 1, 7, "get_object_async_args", "async_res_error", PLAIN);
  exchange (&c, SERVICE, 2, 7, "v2_get_object_async_args", "async_res", PLAIN);
  exchange (&c, SINK, 1, 3, "indicate_args_first", "sink_res", PLAIN);
  exchange (&c, SINK, 1, 3, "indicate_args_next", "sink_res", PLAIN);
  exchange (&c, SINK, 1, 4, "set_status_args_error", "sink_res", PLAIN);
  exchange (&c, SERVICE, 1, 21, "exec_query_async_args", "async_res", GSS_INTEGRITY);
  exchange (&c, SERVICE, 1, 21, "exec_query_async_args", "async_res", GSS_PRIVACY);
  cr_assert (wsim_test_pcap_close (&c.pcap));

  out = tshark_fields (file, summary);
  if (g_getenv ("WSIM_SHOW") != NULL)
    fprintf (stderr, "%s", out);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; i < G_N_ELEMENTS (golden_frames); i++)
    if (golden_frames[i] != NULL)
      assert_line (lines, i + 1, golden_frames[i]);
  cr_assert_eq (g_strv_length (lines), 21, "20 frames and the last newline");
  {
    static const char *const enc[] = { "wmisim.gss.encrypted", "wmisim.context_value", NULL };
    g_autofree char *o = tshark_fields (file, enc);

    cr_assert (strstr (o, "|Server = \"db1\",Retries = -3,Verbose = TRUE\n") != NULL, "%s", o);
    cr_assert (strstr (o, "a5a5a5a5") != NULL, "the encrypted body: %s", o);
  }
}

/* INDICATE args of one row of class "A" (one CIM_OBJECT property "P") whose value nests
 * @depth objects, each level an "A" holding the next in P, the innermost empty. */
static void
put_nested_indicate (GByteArray *b, guint depth)
{
  put32 (b, 0);
  put32 (b, 7);             /* sink_id (hyper) */
  put32 (b, 0);
  put32 (b, 46);            /* call_id (hyper) */
  put32 (b, 0);             /* batch_seq */
  put32 (b, 1);             /* one new class: A { object P; } */
  put32 (b, 1);
  put32 (b, 0x41000000);
  put32 (b, 0);
  put32 (b, 1);
  put32 (b, 1);
  put32 (b, 0x50000000);
  put32 (b, 13);
  put32 (b, 0);
  put32 (b, 1);             /* one row of class 0, one value */
  put32 (b, 0);
  put32 (b, 1);
  for (guint level = 1; level <= depth; level++)
    {
      gboolean inner = level == depth;

      put32 (b, 13);        /* CIM_OBJECT, present, class "A", superclass "" */
      put32 (b, 1);
      put32 (b, 1);
      put32 (b, 0x41000000);
      put32 (b, 0);
      put32 (b, inner ? 0 : 1);
      if (!inner)
        {
          put32 (b, 1);
          put32 (b, 0x50000000);
          put32 (b, 13);
          put32 (b, 0);
        }
      put32 (b, inner ? 0 : 1);
    }
}

/* Embedded objects (CIM_OBJECT) read as the runtime prints them, nested ones included; an
 * object nested past WSIM_MAX_NESTING is marked malformed, not followed down. */
Test (wireshark, decodes_embedded_objects)
{
  static const char *const fields[] = { "wmisim.procedure", "wmisim.class", "wmisim.rows",
                                        "wmisim.value", "_ws.expert.message", NULL };
  g_autofree char *file = g_build_filename (dir, "embedded.pcap", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GByteArray) deep = g_byte_array_new ();
  g_autoptr(GByteArray) limit = g_byte_array_new ();
  g_auto (GStrv) lines = NULL;
  Capture c = capture_open (file);

  exchange (&c, SINK, 1, 3, "indicate_args_object", "sink_res", PLAIN);
  put_nested_indicate (limit, 32);
  exchange_bytes (&c, SINK, 1, 3, limit, "sink_res", PLAIN);
  put_nested_indicate (deep, 33);
  exchange_bytes (&c, SINK, 1, 3, deep, "sink_res", PLAIN);
  cr_assert (wsim_test_pcap_close (&c.pcap));

  out = tshark_fields (file, fields);
  if (g_getenv ("WSIM_SHOW") != NULL)
    fprintf (stderr, "%s", out);
  lines = g_strsplit (out, "\n", -1);
  assert_line (lines, 1, "SINK_INDICATE|Sim_Embedded,Sim_Embedded|1|7,instance of Sim_Target "
               "{ Name = \"alpha\"; Size = 1; }|");
  cr_assert (g_str_has_prefix (lines[2], "SINK_INDICATE|A,A|1|instance of A { P = instance of A {"),
             "32 levels: %s", lines[2]);
  cr_assert (strstr (lines[2], "malformed") == NULL && strstr (lines[2], "deeper") == NULL,
             "32 levels are within the bound: %s", lines[2]);
  cr_assert (strstr (lines[4], "embedded objects nested deeper than 32") != NULL,
             "33 levels: %s", lines[4]);
}

/* The dissector's HRESULT table is cim/wsim-hresult.h's. */
Test (wireshark, hresult_names_are_the_projects)
{
  g_autofree char *lua = NULL;

  cr_assert (g_file_get_contents (WSIM_DISSECTOR, &lua, NULL, NULL));
#define CHECK(name, value, text)                                                      \
  {                                                                                   \
    g_autofree char *entry = g_strdup_printf ("[0x%08X] = \"%s\",", value, #name);    \
    cr_assert (strstr (lua, entry) != NULL, "%s is not in the dissector", entry);     \
  }
  WSIM_HRESULT_TABLE (CHECK)
#undef CHECK
}

/* The live test's own loopback addresses (the server's, the client's sink's), so that the
 * capture holds only its traffic while other tests use 127.0.0.1. */
#define LIVE_SERVER "127.83.77.1"
#define LIVE_SINK   "127.83.77.2"

/* Runs wmisim against @server at PKT_INTEGRITY with @cmd @what; Returns: its exit status. */
static int
run_cli (const char *server, const char *cmd, const char *what)
{
  const char *argv[] = { WSIM_WMISIM, "--server", server, "-a", "pktIntegrity", "--callback-address",
                         "tcp:" LIVE_SINK ":0", cmd, what, "-f", "csv", NULL };
  g_autofree char *out = NULL, *err = NULL;

  return wsim_test_spawn (argv, NULL, &out, &err);
}

Test (wireshark, names_the_procedures_of_a_live_call)
{
  g_autofree char *file = g_build_filename (dir, "live.pcapng", NULL);
  g_autofree char *accounts = g_build_filename (dir, "ntlm-users", NULL);
  g_autofree char *line = g_strdup_printf ("WMISIM:%s:a-secret\n", g_get_user_name ());
  char *daemon_argv[] = { (char *) WSIM_WMISIMD, (char *) "--provider-dir", (char *) WSIM_TEST_PROVIDER_DIR,
                          (char *) "--param", (char *) "sim-sequence:count=3", (char *) "--listen",
                          (char *) "tcp:" LIVE_SERVER ":0", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *server, *colon;
  WsimTestChild daemon;
  WsimTestCapture capture;
  int enum_status, get_status;

  if (geteuid () != 0)
    cr_skip_test ("capturing on loopback needs root");
  cr_assert (g_file_set_contents_full (accounts, line, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_setenv ("NTLM_USER_FILE", accounts, TRUE);   /* the daemon's and the client's */
  cr_assert (wsim_test_child_spawn (&daemon, daemon_argv, 10000, &error), "wmisimd: %s",
             error ? error->message : "");
  cr_assert (g_str_has_prefix (daemon.first_line, "listening on tcp:" LIVE_SERVER ":"), "%s", daemon.first_line);
  server = daemon.first_line + strlen ("listening on ");
  colon = strrchr (server, ':');
  capture = wsim_test_capture_start (file, "tcp and (host " LIVE_SERVER " or host " LIVE_SINK ")", LIVE_SERVER,
                                     (guint16) atoi (colon + 1));
  enum_status = run_cli (server, "enum", "Sim_Sequence");
  get_status = run_cli (server, "get", "Sim_Sequence.Id=99");
  wsim_test_capture_stop (&capture);
  wsim_test_child_stop (&daemon);
  cr_assert_eq (enum_status, 0);
  cr_assert_eq (get_status, 1, "no such instance");

  out = tshark_fields (file, summary);
  if (g_getenv ("WSIM_SHOW") != NULL)
    fprintf (stderr, "%s", out);
  /* RPCSEC_GSS context establishment, then the calls at integrity. */
  cr_assert (strstr (out, "SERVICE_NULL||||||integrity\n") != NULL, "%s", out);
  cr_assert (strstr (out, "OPEN_NAMESPACE|root\\cimv2||||WBEM_S_NO_ERROR|integrity\n") != NULL, "%s", out);
  cr_assert (strstr (out, "CREATE_INSTANCE_ENUM_ASYNC|root\\cimv2|Sim_Sequence|") != NULL, "%s", out);
  cr_assert (strstr (out, "GET_OBJECT_ASYNC|root\\cimv2|Sim_Sequence|") != NULL, "%s", out);
  cr_assert (strstr (out, "SINK_QUERY|") != NULL, "%s", out);
  /* The callbacks: the three rows in INDICATE batches, each named by its class, and the
   * final statuses (the second call's with its __ExtendedStatus). */
  {
    g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
    guint64 rows = 0;

    for (char **l = lines; *l != NULL; l++)
      {
        g_auto (GStrv) f = g_strsplit (*l, "|", -1);
        g_auto (GStrv) counts = NULL;

        if (g_strv_length (f) != 7 || strstr (f[0], "SINK_INDICATE") == NULL || *f[4] == '\0')
          continue;
        cr_assert (strstr (f[2], "Sim_Sequence") != NULL, "%s", *l);
        counts = g_strsplit (f[4], ",", -1);
        for (char **c = counts; *c != NULL; c++)
          rows += g_ascii_strtoull (*c, NULL, 10);
      }
    cr_assert_eq (rows, 3, "rows in the INDICATE batches: %s", out);
  }
  cr_assert (strstr (out, "SINK_SET_STATUS") != NULL, "%s", out);
  cr_assert (strstr (out, "SINK_SET_STATUS||__ExtendedStatus,__ExtendedStatus|") != NULL, "%s", out);
  cr_assert (strstr (out, "|WBEM_E_NOT_FOUND|") != NULL, "%s", out);
}
