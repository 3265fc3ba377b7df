/* sim-sequence/provider.c: Sim_Sequence, a synthetic provider for scale tests and
 * benchmarks. It owns nothing but one small SeqCall per call.
 *
 * Parameters (get_param, decimal): count (instances, default 10), props (string
 * properties set, 0..32, default 10), size (bytes per string value, 0..1 MiB, default 16),
 * delay_ms (wait this long before posting anything, default 0: holds many calls open at
 * the cost of a timer and a SeqCall each), batch (post at most this many instances per
 * step, then yield with call_later(0) even when the sink is not BUSY; default 0: post until
 * BUSY), progress (report_progress (Ids posted, count) after every this many instances;
 * default 0: never; a count above 2^32-1 reports UINT32_MAX as its total). A bad value ends
 * the call with WBEM_E_INVALID_PARAMETER.
 *
 * Instance i (Id = i, 0 <= i < count) has Pk (1 <= k <= props) set to the decimal number
 * i*100 + k zero-padded on the left to exactly `size` characters (its last `size` digits
 * if it has more), and P(props+1)..P32 NULL, as a new instance's properties are.
 */
#include "wsim-provider.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WSIM_PROVIDER_EXPORT __attribute__((visibility("default")))

#define CLASS_NAME "Sim_Sequence"
#define MAX_PROPS 32
#define MAX_SIZE (1u << 20)
#define MAX_DELAY_MS 86400000u
/* Values up to this size are built on the stack. */
#define STACK_VALUE 256

#define P(k) { "P" #k, WSIM_PROV_STRING, 0 }
static const WsimProvProperty sequence_props[1 + MAX_PROPS] = {
  { "Id", WSIM_PROV_UINT64, 1 },
  P(1),  P(2),  P(3),  P(4),  P(5),  P(6),  P(7),  P(8),
  P(9),  P(10), P(11), P(12), P(13), P(14), P(15), P(16),
  P(17), P(18), P(19), P(20), P(21), P(22), P(23), P(24),
  P(25), P(26), P(27), P(28), P(29), P(30), P(31), P(32),
};
#undef P

static const WsimProvClass sequence_classes[] = {
  { CLASS_NAME, NULL, sequence_props, sizeof sequence_props / sizeof sequence_props[0] },
};

typedef enum {
  SEQ_RUNNING,      /* in a step */
  SEQ_TIMER,        /* a call_later() (delay or batch yield) is pending */
  SEQ_WAIT_RESUME,  /* the sink said BUSY */
  SEQ_DONE,         /* result posted, or the call dropped us */
} SeqPhase;

/* One call (ctx->provider_data, freed in finish()). Kept to 32 bytes: 10,000 waiting
 * calls cost 320 KB here. */
typedef struct {
  uint64_t next;        /* the next Id to post */
  uint64_t end;         /* one past the last Id */
  uint32_t size;        /* bytes per string value */
  uint32_t batch;       /* instances per step; 0: until BUSY */
  uint32_t progress;    /* report progress every this many instances; 0: never */
  uint8_t  props;       /* P1..Pprops are set */
  uint8_t  phase;       /* SeqPhase */
  uint8_t  not_found;   /* a get() of an Id out of range */
} SeqCall;

_Static_assert (sizeof (SeqCall) <= 32, "SeqCall must stay tiny");

/* Reads parameter @name as a decimal in [0, @max], @def when absent. */
static int
param_u64 (WsimProvContext *ctx, const char *name, uint64_t def, uint64_t max, uint64_t *out)
{
  const char *text = ctx->ops->get_param (ctx, name);
  if (text == NULL || *text == '\0')
    {
      *out = def;
      return 0;
    }
  if (*text < '0' || *text > '9')
    return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return -1;
  *out = v;
  return 0;
}

/* Writes the value of property @k of instance @id into @buf (@size bytes + NUL). The
 * buffer's first size - 20 bytes are '0' already (see seq_step), so only the tail is
 * written: at most 20 digits, the width of a uint64. */
static void
fill_value (char *buf, uint32_t size, uint64_t id, unsigned k)
{
  uint64_t v = id * 100u + k;
  uint32_t width = size < 20 ? size : 20;
  char *p = buf + size;
  for (uint32_t i = 0; i < width; i++)
    {
      *--p = (char) ('0' + v % 10);
      v /= 10;
    }
}

static void seq_step (WsimProvContext *ctx);

static void
seq_timer_fired (WsimProvContext *ctx, void *data)
{
  SeqCall *c = ctx->provider_data;
  if (c == NULL || c->phase != SEQ_TIMER)
    return;
  c->phase = SEQ_RUNNING;
  seq_step (ctx);
}

/* Posts instances until BUSY, the batch limit (then yields with a timer), the end (then
 * the result, the last thing done: the runtime may finish the call inside it) or the
 * call's end. */
static void
seq_step (WsimProvContext *ctx)
{
  const WsimProvContextOps *ops = ctx->ops;
  SeqCall *c = ctx->provider_data;

  if (ops->is_cancelled (ctx))
    {
      c->phase = SEQ_DONE;
      return;
    }

  char stack_buf[STACK_VALUE + 1];
  char *buf = stack_buf;
  if (c->props > 0 && c->size > STACK_VALUE)
    {
      buf = malloc ((size_t) c->size + 1);
      if (buf == NULL)
        {
          c->phase = SEQ_DONE;
          ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "Sim_Sequence: out of memory");
          return;
        }
    }
  if (c->props > 0)
    {
      memset (buf, '0', c->size);
      buf[c->size] = '\0';
    }

  uint32_t posted = 0;
  while (c->next < c->end)
    {
      if (c->batch != 0 && posted == c->batch)
        {
          c->phase = SEQ_TIMER;
          ops->call_later (ctx, 0, seq_timer_fired, NULL);
          goto out;
        }
      WsimProvInstance *inst = ops->new_instance (ctx, CLASS_NAME);
      if (inst == NULL)
        {
          if (buf != stack_buf)
            free (buf);
          c->phase = SEQ_DONE;
          ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "Sim_Sequence: cannot create an instance");
          return;
        }
      int bad = ops->set_uint64_at (inst, 0, c->next);
      for (unsigned k = 1; k <= c->props; k++)
        {
          fill_value (buf, c->size, c->next, k);
          bad |= ops->set_string_at (inst, k, buf);
        }
      if (bad != 0)
        {
          ops->free_instance (inst);
          if (buf != stack_buf)
            free (buf);
          c->phase = SEQ_DONE;
          ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "Sim_Sequence: cannot set a property");
          return;
        }
      c->next++;
      posted++;
      WsimProvStatus st = ops->post_instance (ctx, inst);
      if (st == WSIM_PROV_DROPPED)
        {
          c->phase = SEQ_DONE;
          goto out;
        }
      if (c->progress != 0 && c->next % c->progress == 0)
        ops->report_progress (ctx, c->next > UINT32_MAX ? UINT32_MAX : (uint32_t) c->next,
                              c->end > UINT32_MAX ? UINT32_MAX : (uint32_t) c->end);
      if (st == WSIM_PROV_BUSY)
        {
          c->phase = SEQ_WAIT_RESUME;
          goto out;
        }
    }

  if (buf != stack_buf)
    free (buf);
  c->phase = SEQ_DONE;
  if (c->not_found)
    ops->post_result (ctx, WSIM_PROV_E_NOT_FOUND, "no Sim_Sequence has that Id");
  else
    ops->post_result (ctx, WSIM_PROV_S_NO_ERROR, NULL);
  return;

out:
  if (buf != stack_buf)
    free (buf);
}

/* Reads the parameters into a new SeqCall for Ids [0, count), or posts the error. */
static SeqCall *
seq_call_new (WsimProvContext *ctx, uint64_t *delay_ms)
{
  uint64_t count, props, size, batch, progress;
  const char *bad = NULL;

  if (param_u64 (ctx, "count", 10, UINT64_MAX, &count) < 0)
    bad = "Sim_Sequence: count must be a decimal number";
  else if (param_u64 (ctx, "props", 10, MAX_PROPS, &props) < 0)
    bad = "Sim_Sequence: props must be 0..32";
  else if (param_u64 (ctx, "size", 16, MAX_SIZE, &size) < 0)
    bad = "Sim_Sequence: size must be 0..1048576";
  else if (param_u64 (ctx, "delay_ms", 0, MAX_DELAY_MS, delay_ms) < 0)
    bad = "Sim_Sequence: delay_ms must be 0..86400000";
  else if (param_u64 (ctx, "batch", 0, UINT32_MAX, &batch) < 0)
    bad = "Sim_Sequence: batch must be 0..4294967295";
  else if (param_u64 (ctx, "progress", 0, UINT32_MAX, &progress) < 0)
    bad = "Sim_Sequence: progress must be 0..4294967295";
  if (bad != NULL)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, bad);
      return NULL;
    }

  SeqCall *c = calloc (1, sizeof *c);
  if (c == NULL)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_PROVIDER_FAILURE, "Sim_Sequence: out of memory");
      return NULL;
    }
  c->end = count;
  c->size = (uint32_t) size;
  c->batch = (uint32_t) batch;
  c->progress = (uint32_t) progress;
  c->props = (uint8_t) props;
  c->phase = SEQ_RUNNING;
  return c;
}

/* Starts @c: after the delay, or now. */
static void
seq_start (WsimProvContext *ctx, SeqCall *c, uint64_t delay_ms)
{
  ctx->provider_data = c;
  if (delay_ms > 0)
    {
      c->phase = SEQ_TIMER;
      ctx->ops->call_later (ctx, (unsigned) delay_ms, seq_timer_fired, NULL);
      return;
    }
  seq_step (ctx);
}

static void
seq_enumerate (void *state, WsimProvContext *ctx, const char *class_name)
{
  uint64_t delay_ms;
  SeqCall *c = seq_call_new (ctx, &delay_ms);
  if (c != NULL)
    seq_start (ctx, c, delay_ms);
}

static void
seq_resume (void *state, WsimProvContext *ctx)
{
  SeqCall *c = ctx->provider_data;
  if (c == NULL || c->phase != SEQ_WAIT_RESUME)
    return;
  c->phase = SEQ_RUNNING;
  seq_step (ctx);
}

static void
seq_get (void *state, WsimProvContext *ctx, const char *class_name,
         const WsimProvKey *keys, size_t n_keys)
{
  const char *id_text = NULL;
  for (size_t i = 0; i < n_keys; i++)
    if (keys[i].name != NULL && strcasecmp (keys[i].name, "Id") == 0)
      id_text = keys[i].value;
  if (id_text == NULL)
    {
      ctx->ops->post_result (ctx, WSIM_PROV_E_INVALID_PARAMETER, "Sim_Sequence is keyed by Id");
      return;
    }

  uint64_t delay_ms;
  SeqCall *c = seq_call_new (ctx, &delay_ms);
  if (c == NULL)
    return;

  char *end;
  errno = 0;
  unsigned long long id = strtoull (id_text, &end, 10);
  if (id_text[0] >= '0' && id_text[0] <= '9' && errno == 0 && *end == '\0' && id < c->end)
    {
      c->next = id;
      c->end = id + 1;
    }
  else
    {
      c->next = c->end = 0;
      c->not_found = 1;
    }
  seq_start (ctx, c, delay_ms);
}

static void
seq_finish (void *state, WsimProvContext *ctx)
{
  free (ctx->provider_data);
  ctx->provider_data = NULL;
}

static const WsimProvider sequence_provider = {
  .abi_version = WSIM_PROVIDER_ABI_VERSION,
  .name = "sim-sequence",
  .classes = sequence_classes,
  .n_classes = sizeof sequence_classes / sizeof sequence_classes[0],
  .enumerate = seq_enumerate,
  .resume = seq_resume,
  .get = seq_get,
  .finish = seq_finish,
};

WSIM_PROVIDER_EXPORT const WsimProvider *wsim_provider_entry (uint32_t runtime_abi_version);

WSIM_PROVIDER_EXPORT const WsimProvider *
wsim_provider_entry (uint32_t runtime_abi_version)
{
  return &sequence_provider;
}
