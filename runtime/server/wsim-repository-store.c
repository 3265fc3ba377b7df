/* wsim-repository-store.c: the static instances on disk, crash-safe, with group commit
 * (see wsim-repository-store.h; the file format is docs/writes.md). */
#include "wsim-repository-store.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wsim-class.h"
#include "wsim-hresult.h"
#include "wsim-static-provider.h"
#include "wsim-value.h"
#include "wsim-wbem.h"
#include "wsim_cim.h"

#define STORE_FILE  "repository.dat"
#define STORE_TMP   "repository.dat.tmp"
#define STORE_MAGIC "WSIMREP2"        /* 8 bytes; the last is the format's version */
#define STORE_MAGIC_V1 "WSIMREP1"     /* read still: no class section */
#define STORE_SUM   32                /* SHA-256 of everything before it */

/* How to take back one change that is not durable yet (a failed save undoes them all,
 * newest first). An instance is found again by its object and its class's name, not by
 * where it was: taking back a class change gives the class a new registration, so the
 * instances of older changes go to whichever state serves their class then. */
typedef struct {
  guint64        gen;                 /* the change's generation */
  char          *ns;                  /* (owned) canonical */
  WsimObject    *old_obj;             /* (owned) (nullable) an instance change: what was there
                                       * (NULL: a create) */
  WsimObject    *new_obj;             /* (owned) (nullable) what is there (NULL: a delete) */
  char          *class_name;          /* (owned) (nullable) a class change: the class */
  WsimClassDecl *old_decl;            /* (owned) (nullable) the class before (NULL: a create) */
  gboolean       was_stored;          /* the store's class section held the class before (a
                                       * --mof or registered class is not stored: see
                                       * docs/schema.md; taking a change back keeps it so) */
} Undo;

typedef struct {
  guint64        gen;                 /* durable once durable_gen reaches it */
  GMainContext  *context;             /* (owned) (nullable) */
  WsimStoreDone  done;
  gpointer       data;
  GDestroyNotify destroy;
} Waiter;

struct _WsimRepoStore {
  WsimRepository *repo;               /* (unowned) it owns the store */
  char           *dir;                /* (owned) */
  guint64         gen;                /* changes counted */
  guint64         durable_gen;        /* changes on disk */
  guint64         writing_gen;        /* what the write in flight takes (0: none in flight) */
  GThread        *worker;             /* (owned) (nullable) the write in flight */
  GSource        *done_source;        /* (owned) (nullable) the worker attaches it when done */
  GMainContext   *context;            /* (owned) (nullable) where done_source runs */
  GBytes         *bytes;              /* (owned) what the worker writes */
  GError         *write_error;        /* (owned) (nullable) set by the worker */
  GList          *waiters;            /* (owned) Waiter*, in arrival order */
  GPtrArray      *classes;            /* (owned) StoredClass*: the put classes, parents first */
  GQueue          undo;               /* Undo* (owned), oldest first: the changes not durable */
  gboolean        undoing;            /* a failed save is taking its changes back */
};

/* A class PutClassAsync made or changed (the --mof ones are not stored: see docs/schema.md). */
typedef struct {
  char          *ns;                  /* (owned) canonical */
  WsimClassDecl *decl;                /* (owned) the class object as the repository holds it */
} StoredClass;

static void
stored_class_free (gpointer p)
{
  StoredClass *c = p;

  g_free (c->ns);
  wsim_class_decl_unref (c->decl);
  g_free (c);
}

static WsimRepoStore *
store_new (WsimRepository *repo, const char *dir)
{
  WsimRepoStore *store = g_new0 (WsimRepoStore, 1);

  store->repo = repo;
  store->dir = g_strdup (dir);
  store->classes = g_ptr_array_new_with_free_func (stored_class_free);
  return store;
}

/* @store's class @ns:@name becomes @decl (NULL: none). A changed class goes last: it has no
 * subclasses (the repository refuses to change one that has), and its superclass, which may
 * be a class put after it, is then before it, so a load can put the list in order. */
static void
store_set_class (WsimRepoStore *store, const char *ns, const char *name, WsimClassDecl *decl)
{
  for (guint i = 0; i < store->classes->len; i++)
    {
      StoredClass *c = store->classes->pdata[i];

      if (g_ascii_strcasecmp (c->ns, ns) == 0
          && g_ascii_strcasecmp (wsim_class_decl_get_name (c->decl), name) == 0)
        {
          g_ptr_array_remove_index (store->classes, i);
          break;
        }
    }
  if (decl != NULL)
    {
      StoredClass *c = g_new0 (StoredClass, 1);

      c->ns = g_strdup (ns);
      c->decl = wsim_class_decl_ref (decl);
      g_ptr_array_add (store->classes, c);
    }
}

static void
undo_free (Undo *u)
{
  g_clear_pointer (&u->old_obj, wsim_object_unref);
  g_clear_pointer (&u->new_obj, wsim_object_unref);
  g_free (u->ns);
  g_free (u->class_name);
  g_clear_pointer (&u->old_decl, wsim_class_decl_unref);
  g_free (u);
}

/* Does @store's class section hold @ns:@name? */
static gboolean
store_has_class (WsimRepoStore *store, const char *ns, const char *name)
{
  for (guint i = 0; i < store->classes->len; i++)
    {
      StoredClass *c = store->classes->pdata[i];

      if (g_ascii_strcasecmp (c->ns, ns) == 0
          && g_ascii_strcasecmp (wsim_class_decl_get_name (c->decl), name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
waiter_free (Waiter *w)
{
  if (w->destroy != NULL)
    w->destroy (w->data);
  if (w->context != NULL)
    g_main_context_unref (w->context);
  g_free (w);
}

/* ---- encoding -------------------------------------------------------------------- */

/* @obj's values as a row (a shallow view: the object keeps them). */
static wsim_instance
obj_row (WsimObject *obj)
{
  guint n = wsim_class_get_n_props (wsim_object_get_class (obj));
  wsim_instance row = { 0 };

  row.values.values_len = n;
  row.values.values_val = n > 0 ? wsim_object_get_value (obj, 0) : NULL;
  return row;
}

/* The put classes, then the namespaces and their instances, in the repository's order: one
 * XDR stream (class count; per class its namespace and class object; namespace count; per
 * namespace its name, instance count and per instance its class definition and row), then
 * the magic before it and the checksum after it. */
static GBytes *
store_encode (WsimRepository *repo, GPtrArray *classes)
{
  g_autoptr(GPtrArray) states = wsim_repository_static_states (repo);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();           /* char* (unowned), distinct */
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[STORE_SUM];
  gsize digest_len = sizeof digest;
  u_int size = 4 + 4;
  guint8 *buf;
  XDR xdr;

  for (guint i = 0; i < states->len; i++)
    {
      const char *ns = wsim_static_state_get_ns (states->pdata[i]);
      GPtrArray *insts = wsim_static_state_get_instances (states->pdata[i]);
      guint n;

      for (n = 0; n < names->len; n++)
        if (g_ascii_strcasecmp (names->pdata[n], ns) == 0)
          break;
      if (n == names->len)
        {
          g_ptr_array_add (names, (gpointer) ns);
          g_ptr_array_add (lists, g_ptr_array_new ());
        }
      for (guint k = 0; k < insts->len; k++)
        g_ptr_array_add (lists->pdata[n], insts->pdata[k]);
    }
  /* Two passes: sizes, then the bytes. The rows are shallow views of the objects. */
  for (guint i = 0; i < classes->len; i++)
    {
      StoredClass *c = classes->pdata[i];

      size += xdr_sizeof ((xdrproc_t) xdr_wsim_path, &c->ns);
      size += xdr_sizeof ((xdrproc_t) xdr_wsim_class_decl,
                          (void *) wsim_class_decl_get_wire (c->decl));
    }
  for (guint n = 0; n < names->len; n++)
    {
      GPtrArray *insts = lists->pdata[n];
      char *name = names->pdata[n];

      size += xdr_sizeof ((xdrproc_t) xdr_wsim_path, &name) + 4;
      for (guint k = 0; k < insts->len; k++)
        {
          WsimObject *obj = insts->pdata[k];
          WsimClass *cls = wsim_object_get_class (obj);
          wsim_instance row = obj_row (obj);

          size += xdr_sizeof ((xdrproc_t) xdr_wsim_class_def, (void *) wsim_class_get_def (cls));
          size += xdr_sizeof ((xdrproc_t) xdr_wsim_instance, &row);
        }
    }
  buf = g_malloc (8 + size + STORE_SUM);
  memcpy (buf, STORE_MAGIC, 8);
  xdrmem_create (&xdr, (char *) buf + 8, size, XDR_ENCODE);
  {
    u_int n_ns = names->len, n_classes = classes->len;
    gboolean ok = xdr_u_int (&xdr, &n_classes);

    for (guint i = 0; ok && i < classes->len; i++)
      {
        StoredClass *c = classes->pdata[i];

        ok = xdr_wsim_path (&xdr, &c->ns)
             && xdr_wsim_class_decl (&xdr, (wsim_class_decl *) wsim_class_decl_get_wire (c->decl));
      }
    ok = ok && xdr_u_int (&xdr, &n_ns);

    for (guint n = 0; ok && n < names->len; n++)
      {
        GPtrArray *insts = lists->pdata[n];
        char *name = names->pdata[n];
        u_int n_inst = insts->len;

        ok = xdr_wsim_path (&xdr, &name) && xdr_u_int (&xdr, &n_inst);
        for (guint k = 0; ok && k < insts->len; k++)
          {
            WsimObject *obj = insts->pdata[k];
            WsimClass *cls = wsim_object_get_class (obj);
            wsim_instance row = obj_row (obj);

            ok = xdr_wsim_class_def (&xdr, (wsim_class_def *) wsim_class_get_def (cls))
                 && xdr_wsim_instance (&xdr, &row);
          }
      }
    /* The sizes were computed from the same values: a failure here is a bug. */
    g_assert (ok && xdr_getpos (&xdr) == size);
  }
  xdr_destroy (&xdr);
  g_checksum_update (sum, buf, 8 + size);
  g_checksum_get_digest (sum, digest, &digest_len);
  memcpy (buf + 8 + size, digest, STORE_SUM);
  return g_bytes_new_take (buf, 8 + size + STORE_SUM);
}

/* ---- writing (the worker thread) ------------------------------------------------- */

static gboolean
set_errno_error (GError **error, const char *what, const char *path)
{
  int e = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s %s: %s", what, path,
               g_strerror (e));
  return FALSE;
}

/* New file, fsync, rename over the old one, fsync the directory: after a crash the name
 * holds the old content or the new one, whole. */
static gboolean
store_write_file (const char *dir, GBytes *bytes, GError **error)
{
  g_autofree char *tmp = g_build_filename (dir, STORE_TMP, NULL);
  g_autofree char *path = g_build_filename (dir, STORE_FILE, NULL);
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0)
    return set_errno_error (error, "cannot create", tmp);
  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, "cannot write", tmp);
          close (fd);
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
    }
  if (fsync (fd) != 0)
    {
      set_errno_error (error, "cannot fsync", tmp);
      close (fd);
      return FALSE;
    }
  if (close (fd) != 0)
    return set_errno_error (error, "cannot close", tmp);
  if (rename (tmp, path) != 0)
    return set_errno_error (error, "cannot rename over", path);
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return set_errno_error (error, "cannot open", dir);
  if (fsync (fd) != 0)
    {
      set_errno_error (error, "cannot fsync", dir);
      close (fd);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gpointer
store_worker (gpointer data)
{
  WsimRepoStore *store = data;

  store_write_file (store->dir, store->bytes, &store->write_error);
  /* The main context learns it from this source; the store joins the thread there. */
  g_source_attach (store->done_source, store->context);
  return NULL;
}

static void store_start_write (WsimRepoStore *store, GMainContext *context);

/* The instances of the static state serving @class_name in @ns now, or NULL. */
static GPtrArray *
serving_instances (WsimRepository *repo, const char *ns, const char *class_name)
{
  WsimClass *cls = wsim_repository_lookup_class (repo, ns, class_name, NULL);
  WsimProviderReg *reg = cls != NULL ? wsim_repository_get_provider (repo, ns, cls) : NULL;

  if (reg == NULL || wsim_provider_reg_get_provider (reg) != &wsim_static_provider)
    return NULL;
  return wsim_static_state_get_instances (wsim_provider_reg_get_state (reg));
}

/* Takes back one instance change: @u->new_obj leaves (it is where the change put it, or in
 * a state of its class made since), @u->old_obj comes back to the state serving its class. */
static void
undo_instance (WsimRepoStore *store, Undo *u)
{
  WsimObject *any = u->new_obj != NULL ? u->new_obj : u->old_obj;
  GPtrArray *insts = serving_instances (store->repo, u->ns,
                                        wsim_class_get_name (wsim_object_get_class (any)));
  guint at = insts != NULL ? insts->len : 0;

  if (insts == NULL)
    {
      g_warning ("the unsaved change to an instance of %s:%s cannot be taken back: no static "
                 "class serves it", u->ns, wsim_class_get_name (wsim_object_get_class (any)));
      return;
    }
  if (u->new_obj != NULL && g_ptr_array_find (insts, u->new_obj, &at))
    {
      if (u->old_obj != NULL)
        {
          wsim_object_unref (insts->pdata[at]);
          insts->pdata[at] = wsim_object_ref (u->old_obj);
          return;
        }
      g_ptr_array_remove_index (insts, at);
      return;
    }
  if (u->old_obj != NULL)
    g_ptr_array_insert (insts, (gint) MIN (at, insts->len), wsim_object_ref (u->old_obj));
}

/* Takes back one change. The repository refuses nothing here: a class created since the
 * last durable save has, by now, no instances and no subclasses that are not taken back
 * first (newer changes go first), and the class it replaced was one it could replace. */
static void
undo_apply (WsimRepoStore *store, Undo *u)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (u->class_name == NULL)
    {
      undo_instance (store, u);
      return;
    }
  ok = u->old_decl != NULL
       ? wsim_repository_put_class (store->repo, u->ns, wsim_class_decl_get_wire (u->old_decl),
                                    WBEM_FLAG_CREATE_OR_UPDATE, &error)
       : wsim_repository_delete_class (store->repo, u->ns, u->class_name, &error);
  if (!ok)
    g_warning ("the repository could not take back the unsaved change to class %s:%s: %s",
               u->ns, u->class_name, error->message);
  /* Putting the old class back went through the store's announcement, which keeps the
   * class: right for a class PutClass made, not for one loaded from --mof or registered. */
  if (!u->was_stored)
    store_set_class (store, u->ns, u->class_name, NULL);
}

/* A save failed: every change not yet durable is taken back, newest first, so what the
 * repository serves is again what the store holds, and every waiter is told the failure
 * (also those of changes made while the failed write ran: they were made on top of the
 * ones taken back). Nothing is then pending. */
static void
store_roll_back (WsimRepoStore *store)
{
  Undo *u;

  store->undoing = TRUE;
  while ((u = g_queue_pop_tail (&store->undo)) != NULL)
    {
      undo_apply (store, u);
      undo_free (u);
    }
  store->undoing = FALSE;
  store->durable_gen = store->gen;
}

/* Tells the waiters whose generation is durable, then starts the next write if anyone waits
 * for more. On failure (@error) every change not durable is taken back and every waiter is
 * told. */
static void
store_settle (WsimRepoStore *store, guint64 gen, const GError *error)
{
  GList *due = NULL;
  GMainContext *next_context = NULL;

  if (error == NULL)
    {
      store->durable_gen = MAX (store->durable_gen, gen);
      while (!g_queue_is_empty (&store->undo)
             && ((Undo *) g_queue_peek_head (&store->undo))->gen <= gen)
        undo_free (g_queue_pop_head (&store->undo));
    }
  else
    store_roll_back (store);
  for (GList *l = store->waiters; l != NULL;)
    {
      Waiter *w = l->data;
      GList *n = l->next;

      if (w->gen <= gen || error != NULL)
        {
          store->waiters = g_list_remove_link (store->waiters, l);
          due = g_list_concat (due, l);
        }
      else if (next_context == NULL)
        next_context = w->context != NULL ? w->context : g_main_context_default ();
      l = n;
    }
  if (next_context != NULL)
    store_start_write (store, next_context);
  for (GList *l = due; l != NULL; l = l->next)
    {
      Waiter *w = l->data;

      w->done (error == NULL, error != NULL ? error->message : NULL, w->data);
      waiter_free (w);
    }
  g_list_free (due);
}

static gboolean
on_write_done (gpointer data)
{
  WsimRepoStore *store = data;
  guint64 gen = store->writing_gen;
  g_autoptr(GError) error = g_steal_pointer (&store->write_error);

  g_thread_join (store->worker);
  store->worker = NULL;
  g_clear_pointer (&store->done_source, g_source_unref);
  g_clear_pointer (&store->context, g_main_context_unref);
  g_clear_pointer (&store->bytes, g_bytes_unref);
  store->writing_gen = 0;
  if (error != NULL)
    g_prefix_error (&error, "the repository's store was not saved: ");
  store_settle (store, gen, error);
  return G_SOURCE_REMOVE;
}

/* Snapshots every change so far and hands the bytes to a worker (none in flight). */
static void
store_start_write (WsimRepoStore *store, GMainContext *context)
{
  if (store->worker != NULL)
    return;
  store->writing_gen = store->gen;
  store->bytes = store_encode (store->repo, store->classes);
  store->context = context != NULL ? g_main_context_ref (context) : NULL;
  store->done_source = g_idle_source_new ();
  g_source_set_callback (store->done_source, on_write_done, store, NULL);
  store->worker = g_thread_new ("wsim-store", store_worker, store);
}

/* Waits for the write in flight, on this thread, and settles it. */
static void
store_drain (WsimRepoStore *store)
{
  if (store->worker == NULL)
    return;
  g_thread_join (store->worker);
  store->worker = NULL;
  /* The worker attached the source before returning: it must not run after this. */
  g_source_destroy (store->done_source);
  {
    guint64 gen = store->writing_gen;
    g_autoptr(GError) error = g_steal_pointer (&store->write_error);

    g_clear_pointer (&store->done_source, g_source_unref);
    g_clear_pointer (&store->context, g_main_context_unref);
    g_clear_pointer (&store->bytes, g_bytes_unref);
    store->writing_gen = 0;
    store_settle (store, gen, error);
  }
}

void
wsim_repo_store_free (WsimRepoStore *store)
{
  if (store == NULL)
    return;
  if (store->worker != NULL)
    {
      g_thread_join (store->worker);
      g_source_destroy (store->done_source);
      g_source_unref (store->done_source);
      g_clear_pointer (&store->context, g_main_context_unref);
      g_bytes_unref (store->bytes);
      g_clear_error (&store->write_error);
    }
  g_list_free_full (store->waiters, (GDestroyNotify) waiter_free);
  g_queue_clear_full (&store->undo, (GDestroyNotify) undo_free);
  g_ptr_array_unref (store->classes);
  g_free (store->dir);
  g_free (store);
}

void
wsim_repository_store_instance_changed (WsimRepository *repo, const char *ns,
                                        WsimObject *old_obj, WsimObject *new_obj)
{
  WsimRepoStore *store = wsim_repository_get_store (repo);
  Undo *u;

  if (store == NULL)
    return;
  u = g_new0 (Undo, 1);
  u->gen = ++store->gen;
  u->ns = g_strdup (ns);
  u->old_obj = old_obj != NULL ? wsim_object_ref (old_obj) : NULL;
  u->new_obj = new_obj != NULL ? wsim_object_ref (new_obj) : NULL;
  g_queue_push_tail (&store->undo, u);
}

void
wsim_repository_store_class_changed (WsimRepository *repo, const char *ns, const char *name,
                                     WsimClassDecl *old_decl, WsimClassDecl *decl)
{
  WsimRepoStore *store = wsim_repository_get_store (repo);
  gboolean was_stored;
  Undo *u;

  if (store == NULL)
    return;
  was_stored = store_has_class (store, ns, name);
  store_set_class (store, ns, name, decl);
  /* Taking a change back is no change: the store has the class as it was. */
  if (store->undoing)
    return;
  u = g_new0 (Undo, 1);
  u->was_stored = was_stored;
  u->gen = ++store->gen;
  u->ns = g_strdup (ns);
  u->class_name = g_strdup (name);
  u->old_decl = old_decl != NULL ? wsim_class_decl_ref (old_decl) : NULL;
  g_queue_push_tail (&store->undo, u);
}

static gboolean
on_durable_now (gpointer data)
{
  Waiter *w = data;

  w->done (TRUE, NULL, w->data);
  return G_SOURCE_REMOVE;
}

void
wsim_repository_store_when_durable (WsimRepository *repo, GMainContext *context,
                                    WsimStoreDone done, gpointer data, GDestroyNotify destroy)
{
  WsimRepoStore *store = wsim_repository_get_store (repo);
  Waiter *w = g_new0 (Waiter, 1);

  w->context = context != NULL ? g_main_context_ref (context) : NULL;
  w->done = done;
  w->data = data;
  w->destroy = destroy;
  if (store == NULL || store->durable_gen >= store->gen)
    {
      GSource *s = g_idle_source_new ();

      g_source_set_callback (s, on_durable_now, w, (GDestroyNotify) waiter_free);
      g_source_attach (s, context);
      g_source_unref (s);
      return;
    }
  w->gen = store->gen;
  store->waiters = g_list_append (store->waiters, w);
  /* A write in flight took less than this change: the next one starts when it ends. */
  store_start_write (store, context);
}

gboolean
wsim_repository_store_save (WsimRepository *repo, GError **error)
{
  WsimRepoStore *store = wsim_repository_get_store (repo);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  guint64 gen;

  if (store == NULL)
    return TRUE;
  /* A drain may start the next write for waiters of later changes; that one takes every
   * change so far, so the second drain leaves none in flight (this thread changes nothing
   * meanwhile). Only then is the file this thread's to write. */
  while (store->worker != NULL)
    store_drain (store);
  gen = store->gen;
  bytes = store_encode (repo, store->classes);
  if (!store_write_file (store->dir, bytes, &local))
    {
      g_prefix_error (&local, "the repository's store was not saved: ");
      /* The changes are taken back: the repository serves what the store holds. */
      store_settle (store, gen, local);
      wsim_set_error_hresult (error, WBEM_E_FAILED, "%s", local->message);
      return FALSE;
    }
  store_settle (store, gen, NULL);
  return TRUE;
}

/* ---- loading ----------------------------------------------------------------------- */

/* The class section: each class is put into the repository as it is read (parents come
 * first), and kept in @store's list. A class of the same name from a --mof file is replaced
 * (docs/schema.md); one the repository refuses (its superclass is gone, the --mof class has
 * subclasses or instances) fails the load, naming it. */
static gboolean
store_decode_classes (WsimRepository *repo, WsimRepoStore *store, XDR *xdr, GError **error)
{
  u_int n_classes = 0;

  if (!xdr_u_int (xdr, &n_classes))
    return FALSE;
  for (u_int i = 0; i < n_classes; i++)
    {
      char *ns = NULL;
      wsim_class_decl wire = { 0 };
      gboolean ok = xdr_wsim_path (xdr, &ns) && xdr_wsim_class_decl (xdr, &wire);

      if (ok && !wsim_repository_put_class (repo, ns, &wire, WBEM_FLAG_CREATE_OR_UPDATE, error))
        {
          g_prefix_error (error, "the stored class %s:%s: ", ns, wire.name);
          ok = FALSE;
        }
      if (ok)
        {
          g_autofree char *canon = wsim_repository_canonical_namespace (repo, ns, NULL);

          store_set_class (store, canon, wire.name,
                           wsim_repository_get_class_decl (repo, ns, wire.name, NULL));
        }
      xdr_free ((xdrproc_t) xdr_wsim_path, (char *) &ns);
      xdr_free ((xdrproc_t) xdr_wsim_class_decl, (char *) &wire);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* Decodes @data (checked: magic, checksum, the XDR stream to its last byte): the classes
 * go into the repository and @store, the instances into per namespace lists of objects of
 * the repository's classes. */
static gboolean
store_decode (WsimRepository *repo, WsimRepoStore *store, const guint8 *data, gsize len,
              GHashTable *by_ns, GError **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[STORE_SUM];
  gsize digest_len = sizeof digest;
  gboolean ok = TRUE;
  u_int n_ns = 0;
  XDR xdr;

  if (len < 8 + 4 + STORE_SUM
      || (memcmp (data, STORE_MAGIC, 8) != 0 && memcmp (data, STORE_MAGIC_V1, 8) != 0))
    {
      wsim_set_error_hresult (error, WBEM_E_FAILED, "not a wmisim store of format %s or %s",
                              STORE_MAGIC_V1, STORE_MAGIC);
      return FALSE;
    }
  g_checksum_update (sum, data, len - STORE_SUM);
  g_checksum_get_digest (sum, digest, &digest_len);
  if (memcmp (digest, data + len - STORE_SUM, STORE_SUM) != 0)
    {
      wsim_set_error_hresult (error, WBEM_E_FAILED, "the store's checksum does not match");
      return FALSE;
    }
  xdrmem_create (&xdr, (char *) data + 8, (u_int) (len - 8 - STORE_SUM), XDR_DECODE);
  /* Format 1 had no class section. */
  if (memcmp (data, STORE_MAGIC, 8) == 0)
    ok = store_decode_classes (repo, store, &xdr, error);
  ok = ok && xdr_u_int (&xdr, &n_ns);
  for (u_int n = 0; ok && n < n_ns; n++)
    {
      char *name = NULL;
      u_int n_inst = 0;
      GPtrArray *list;

      if (!xdr_wsim_path (&xdr, &name) || !xdr_u_int (&xdr, &n_inst))
        {
          xdr_free ((xdrproc_t) xdr_wsim_path, (char *) &name);
          ok = FALSE;
          break;
        }
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) wsim_object_unref);
      g_hash_table_replace (by_ns, g_strdup (name), list);
      for (u_int k = 0; ok && k < n_inst; k++)
        {
          wsim_class_def def = { 0 };
          wsim_instance row = { 0 };
          WsimClass *cls = NULL;

          ok = xdr_wsim_class_def (&xdr, &def) && xdr_wsim_instance (&xdr, &row)
               && row.values.values_len == def.props.props_len;
          if (ok)
            cls = wsim_repository_lookup_class (repo, name, def.name, NULL);
          if (ok && (cls == NULL || wsim_repository_get_provider (repo, name, cls) == NULL
                     || wsim_provider_reg_get_provider (wsim_repository_get_provider (repo, name, cls))
                        != &wsim_static_provider))
            {
              wsim_set_error_hresult (error, WBEM_E_INVALID_CLASS, "the store holds an instance "
                                      "of %s:%s, which is no static class of the repository",
                                      name, def.name);
              ok = FALSE;
            }
          if (ok)
            {
              WsimObject *obj = wsim_object_new (cls);

              /* By name, so the class may have gained or reordered properties meanwhile. */
              for (u_int i = 0; ok && i < def.props.props_len; i++)
                {
                  gint idx = wsim_class_find_prop (cls, def.props.props_val[i].name);

                  if (idx >= 0 && !wsim_value_convert (&row.values.values_val[i],
                                                       wsim_class_get_prop (cls, (guint) idx)->cimtype,
                                                       wsim_object_get_value (obj, (guint) idx)))
                    {
                      wsim_set_error_hresult (error, WBEM_E_INVALID_CLASS, "the store's %s.%s "
                                              "no longer fits the class's type", def.name,
                                              def.props.props_val[i].name);
                      ok = FALSE;
                    }
                }
              g_ptr_array_add (list, obj);
            }
          xdr_free ((xdrproc_t) xdr_wsim_class_def, (char *) &def);
          xdr_free ((xdrproc_t) xdr_wsim_instance, (char *) &row);
        }
      xdr_free ((xdrproc_t) xdr_wsim_path, (char *) &name);
    }
  if (ok && xdr_getpos (&xdr) != len - 8 - STORE_SUM)
    ok = FALSE;
  xdr_destroy (&xdr);
  if (!ok && (error == NULL || *error == NULL))
    wsim_set_error_hresult (error, WBEM_E_FAILED, "the store does not decode");
  return ok;
}

gboolean
wsim_repository_open_store (WsimRepository *repo, const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, STORE_FILE, NULL);
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;

      wsim_set_error_hresult (error, WBEM_E_FAILED, "cannot create %s: %s", dir, g_strerror (e));
      return FALSE;
    }
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          wsim_set_error_hresult (error, WBEM_E_FAILED, "%s", local->message);
          return FALSE;
        }
    }
  return wsim_repository_open_store_from_data (repo, dir, (const guint8 *) data, len, error);
}

gboolean
wsim_repository_open_store_from_data (WsimRepository *repo, const char *dir, const guint8 *data,
                                      gsize len, GError **error)
{
  g_autoptr(GHashTable) by_ns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  WsimRepoStore *store;

  /* The store is the repository's only once everything loaded; the classes it puts meanwhile
   * are recorded in it by the decoder, not through the repository's announcement. */
  store = store_new (repo, dir);
  if (data != NULL && !store_decode (repo, store, data, len, by_ns, error))
    {
      g_autofree char *path = g_build_filename (dir, STORE_FILE, NULL);

      wsim_repo_store_free (store);
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  /* Everything decoded: the namespaces the file names take its instances, state by state
   * (an instance goes to the state that serves its class). */
  {
    g_autoptr(GPtrArray) states = wsim_repository_static_states (repo);
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init (&it, by_ns);
    while (g_hash_table_iter_next (&it, &key, &value))
      {
        GPtrArray *list = value;

        for (guint i = 0; i < states->len; i++)
          if (g_ascii_strcasecmp (wsim_static_state_get_ns (states->pdata[i]), key) == 0)
            g_ptr_array_set_size (wsim_static_state_get_instances (states->pdata[i]), 0);
        for (guint k = 0; k < list->len; k++)
          {
            WsimObject *obj = list->pdata[k];
            WsimProviderReg *reg = wsim_repository_get_provider (repo, key,
                                                                 wsim_object_get_class (obj));

            g_ptr_array_add (wsim_static_state_get_instances (wsim_provider_reg_get_state (reg)),
                             wsim_object_ref (obj));
          }
      }
  }
  wsim_repository_set_store (repo, store);
  return TRUE;
}
