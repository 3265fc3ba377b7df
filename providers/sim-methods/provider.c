/* sim-methods/provider.c: Sim_Methods, a provider of methods for the tests (ABI version 2).
 *
 * Class Sim_Methods (key Name string, Value uint32) has two instances, "a" (Value 1) and "b"
 * (Value 2), and three methods:
 *   static   Add (uint32 A, uint32 B) -> uint32 ReturnValue = A + B (WBEM_E_INVALID_PARAMETER
 *            when the sum does not fit)
 *   instance Describe (string Prefix) -> string Text = Prefix + Name, uint32 ReturnValue 0
 *            (WBEM_E_NOT_FOUND for a Name it does not have)
 *   static   Frobnicate () -> uint32 ReturnValue: declared, never implemented: its calls end
 *            with WBEM_E_METHOD_NOT_IMPLEMENTED
 *   static   Forget () -> uint32 ReturnValue: succeeds without posting its out-parameters (a
 *            provider's mistake: the runtime must end the call with WBEM_E_PROVIDER_FAILURE)
 *   static   EchoContext (string Name) -> string Text, uint32 Type, uint32 ReturnValue: the
 *            call's context value Name (IWbemContext) read with the typed getter of its
 *            type, as text ("-5", "7", "2.5", "TRUE", the string), and its CIM type (0 for a
 *            null: Text null); ReturnValue 0, or 1 when the call has no such value
 *   static   WhoAmI () -> string Principal, uint32 Level, sint64 Uid, uint32 ReturnValue 0:
 *            the caller as get_caller() gives it (Uid -1 when unknown)
 * Keeps no state; everything is posted from exec_method() itself.
 */
#include "wsim-provider.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WSIM_PROVIDER_EXPORT __attribute__((visibility("default")))

#define CLASS_NAME "Sim_Methods"
#define WBEM_E_NOT_IMPLEMENTED_METHOD 0x80041055u   /* WBEM_E_METHOD_NOT_IMPLEMENTED */

enum { P_NAME, P_VALUE, N_PROPS };

static const WsimProvProperty methods_props[N_PROPS] = {
  [P_NAME]  = { "Name",  WSIM_PROV_STRING, 1 },
  [P_VALUE] = { "Value", WSIM_PROV_UINT32, 0 },
};

static const WsimProvClass methods_classes[] = {
  { CLASS_NAME, NULL, methods_props, N_PROPS },
};

static const WsimProvParam add_in[] = { { "A", WSIM_PROV_UINT32 }, { "B", WSIM_PROV_UINT32 } };
static const WsimProvParam add_out[] = { { "ReturnValue", WSIM_PROV_UINT32 } };
static const WsimProvParam describe_in[] = { { "Prefix", WSIM_PROV_STRING } };
static const WsimProvParam describe_out[] = {
  { "Text", WSIM_PROV_STRING }, { "ReturnValue", WSIM_PROV_UINT32 },
};
static const WsimProvParam frobnicate_out[] = { { "ReturnValue", WSIM_PROV_UINT32 } };

static const WsimProvParam echo_in[] = { { "Name", WSIM_PROV_STRING } };
static const WsimProvParam echo_out[] = {
  { "Text", WSIM_PROV_STRING }, { "Type", WSIM_PROV_UINT32 }, { "ReturnValue", WSIM_PROV_UINT32 },
};
static const WsimProvParam who_out[] = {
  { "Principal", WSIM_PROV_STRING }, { "Level", WSIM_PROV_UINT32 }, { "Uid", WSIM_PROV_SINT64 },
  { "ReturnValue", WSIM_PROV_UINT32 },
};

static const WsimProvMethod methods_methods[] = {
  { CLASS_NAME, "Add", 1, add_in, 2, add_out, 1 },
  { CLASS_NAME, "Describe", 0, describe_in, 1, describe_out, 2 },
  { CLASS_NAME, "Frobnicate", 1, NULL, 0, frobnicate_out, 1 },
  { CLASS_NAME, "Forget", 1, NULL, 0, frobnicate_out, 1 },
  { CLASS_NAME, "EchoContext", 1, echo_in, 1, echo_out, 3 },
  { CLASS_NAME, "WhoAmI", 1, NULL, 0, who_out, 4 },
};

static const struct { const char *name; uint32_t value; } methods_rows[] = {
  { "a", 1 }, { "b", 2 },
};

static void
methods_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  const WsimProvContextOps *ops = ctx->ops;

  for (size_t i = 0; i < sizeof methods_rows / sizeof methods_rows[0]; i++)
    {
      WsimProvInstance *inst = ops->new_instance (ctx, CLASS_NAME);

      if (inst == NULL)
        break;
      ops->set_string_at (inst, P_NAME, methods_rows[i].name);
      ops->set_uint64_at (inst, P_VALUE, methods_rows[i].value);
      if (ops->post_instance (ctx, inst) == WSIM_PROV_DROPPED)
        return;
    }
  ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

/* Posts @out and the success result, or drops it and fails when it could not be filled. */
static void
post_out (WsimProvContext *ctx, WsimProvInstance *out, int filled)
{
  if (!filled)
    {
      ctx->ops->free_instance (out);
      ctx->ops->post_result (ctx, WSIM_PROV_E_FAILED, "cannot fill the out-parameters");
      return;
    }
  ctx->ops->post_instance (ctx, out);
  ctx->ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
}

static void
exec_add (WsimProvContext *ctx, const WsimProvInstance *in)
{
  const WsimProvContextOps *ops = ctx->ops;
  uint64_t a = 0, b = 0;
  WsimProvInstance *out;

  if (ops->get_uint64 (in, "A", &a) < 0 || ops->get_uint64 (in, "B", &b) < 0)
    {
      ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "A and B are uint32");
      return;
    }
  if (a + b > UINT32_MAX)
    {
      ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "A + B does not fit a uint32");
      return;
    }
  out = ops->new_instance (ctx, "__PARAMETERS");
  if (out == NULL)
    {
      ops->post_result (ctx, WSIM_PROV_E_FAILED, "no __PARAMETERS class");
      return;
    }
  post_out (ctx, out, ops->set_uint64 (out, "ReturnValue", a + b) == 0);
}

static void
exec_describe (WsimProvContext *ctx, const WsimProvKey *keys, size_t n_keys,
               const WsimProvInstance *in)
{
  const WsimProvContextOps *ops = ctx->ops;
  const char *prefix = "";
  const char *name = NULL;
  char text[256];
  WsimProvInstance *out;

  for (size_t i = 0; i < sizeof methods_rows / sizeof methods_rows[0] && n_keys == 1; i++)
    if (strcasecmp (keys[0].name, "Name") == 0 && strcasecmp (keys[0].value, methods_rows[i].name) == 0)
      name = methods_rows[i].name;
  if (name == NULL)
    {
      ops->post_result (ctx, WSIM_PROV_E_NOT_FOUND, "no Sim_Methods has these keys");
      return;
    }
  if (ops->get_string (in, "Prefix", &prefix) < 0)
    prefix = "";
  snprintf (text, sizeof text, "%s%s", prefix, name);
  out = ops->new_instance (ctx, "__PARAMETERS");
  if (out == NULL)
    {
      ops->post_result (ctx, WSIM_PROV_E_FAILED, "no __PARAMETERS class");
      return;
    }
  post_out (ctx, out, ops->set_string (out, "Text", text) == 0
                      && ops->set_uint64 (out, "ReturnValue", 0) == 0);
}

/* The context value @name as text, with its typed getter; 0, 1 (null) or -1 (none). */
static int
context_text (WsimProvContext *ctx, const char *name, uint32_t type, char *buf, size_t size)
{
  const WsimProvContextOps *ops = ctx->ops;
  const char *str;
  int64_t i;
  uint64_t u;
  double d;
  int b, rc = -1;

  switch (type)
    {
    case WSIM_PROV_STRING:
      if ((rc = ops->get_context_string (ctx, name, &str)) == 0)
        snprintf (buf, size, "%s", str);
      break;
    case WSIM_PROV_SINT8: case WSIM_PROV_SINT16: case WSIM_PROV_SINT32:
      if ((rc = ops->get_context_sint64 (ctx, name, &i)) == 0)
        snprintf (buf, size, "%lld", (long long) i);
      break;
    case WSIM_PROV_UINT8: case WSIM_PROV_UINT16: case WSIM_PROV_UINT32:
      if ((rc = ops->get_context_uint64 (ctx, name, &u)) == 0)
        snprintf (buf, size, "%llu", (unsigned long long) u);
      break;
    case WSIM_PROV_REAL32: case WSIM_PROV_REAL64:
      if ((rc = ops->get_context_real64 (ctx, name, &d)) == 0)
        snprintf (buf, size, "%g", d);
      break;
    case WSIM_PROV_BOOLEAN:
      if ((rc = ops->get_context_boolean (ctx, name, &b)) == 0)
        snprintf (buf, size, "%s", b ? "TRUE" : "FALSE");
      break;
    default:
      rc = 1;   /* null, or an array: no text */
    }
  return rc;
}

static void
exec_echo_context (WsimProvContext *ctx, const WsimProvInstance *in)
{
  const WsimProvContextOps *ops = ctx->ops;
  const char *name = NULL;
  uint32_t type = 0;
  char text[1024];
  int found, filled;
  WsimProvInstance *out;

  if (ops->get_string (in, "Name", &name) != 0)
    {
      ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "Name is a string");
      return;
    }
  found = ops->get_context_type (ctx, name, &type) == 0;
  out = ops->new_instance (ctx, "__PARAMETERS");
  if (out == NULL)
    {
      ops->post_result (ctx, WSIM_PROV_E_FAILED, "no __PARAMETERS class");
      return;
    }
  filled = ops->set_uint64 (out, "ReturnValue", found ? 0 : 1) == 0;
  if (found)
    {
      filled = filled && ops->set_uint64 (out, "Type", type) == 0;
      if (context_text (ctx, name, type, text, sizeof text) == 0)
        filled = filled && ops->set_string (out, "Text", text) == 0;
    }
  post_out (ctx, out, filled);
}

static void
exec_who_am_i (WsimProvContext *ctx)
{
  const WsimProvContextOps *ops = ctx->ops;
  WsimProvCaller who;
  WsimProvInstance *out = ops->new_instance (ctx, "__PARAMETERS");
  int filled;

  if (out == NULL)
    {
      ops->post_result (ctx, WSIM_PROV_E_FAILED, "no __PARAMETERS class");
      return;
    }
  ops->get_caller (ctx, &who);
  filled = ops->set_uint64 (out, "Level", who.level) == 0
           && ops->set_sint64 (out, "Uid", who.has_uid ? (int64_t) who.uid : -1) == 0
           && ops->set_uint64 (out, "ReturnValue", 0) == 0
           && (who.principal == NULL || ops->set_string (out, "Principal", who.principal) == 0);
  post_out (ctx, out, filled);
}

static void
methods_exec_method (void *state, WsimProvContext *ctx, const char *class_name,
                     const char *method_name, const WsimProvKey *keys, size_t n_keys,
                     const WsimProvInstance *in_params)
{
  if (strcasecmp (method_name, "Add") == 0)
    exec_add (ctx, in_params);
  else if (strcasecmp (method_name, "Describe") == 0)
    exec_describe (ctx, keys, n_keys, in_params);
  else if (strcasecmp (method_name, "EchoContext") == 0)
    exec_echo_context (ctx, in_params);
  else if (strcasecmp (method_name, "WhoAmI") == 0)
    exec_who_am_i (ctx);
  else if (strcasecmp (method_name, "Forget") == 0)
    ctx->ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
  else
    ctx->ops->post_result (ctx, WBEM_E_NOT_IMPLEMENTED_METHOD, "Frobnicate is declared, not implemented");
}

static const WsimProvider methods_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "sim-methods",
  .classes = methods_classes,
  .n_classes = 1,
  .enumerate = methods_enumerate,
  .methods = methods_methods,
  .n_methods = sizeof methods_methods / sizeof methods_methods[0],
  .exec_method = methods_exec_method,
};

WSIM_PROVIDER_EXPORT const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

WSIM_PROVIDER_EXPORT const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  (void) runtime_abi_version;
  return &methods_provider;
}
