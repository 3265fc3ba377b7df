/* wsim-mof.h: a compiler for a subset of DMTF MOF as Microsoft's mofcomp accepts it.
 *
 * Internal. The subset is docs/mof.md: #pragma namespace, comments, class declarations with
 * qualifiers, typed (and array) properties with defaults, methods (parsed and kept, not bound
 * to classes), and `instance of` blocks with literal values checked against the declared
 * types. The result holds, per namespace, the classes in declaration order (built with
 * wsim_class_new, is_key from the `key` qualifier) and the instances (WsimObject).
 *
 * Errors are WSIM_WBEM_ERROR with a WBEMMOF_E_* code; the message begins "FILE:LINE:COLUMN: "
 * (1-based line and character column) and says what was expected.
 *
 * Threading: one thread at a time; a result is not shared.
 */
#pragma once

#include <glib.h>

#include "wsim-class.h"
#include "wsim-class-decl.h"

G_BEGIN_DECLS

/** WsimMofQualifier: a qualifier as written: @value is boolean TRUE for a bare flag;
 * @flavor the WBEM_FLAVOR_* bits of its flavors (wsim-class-decl.h). */
typedef struct {
  char      *name;        /* (owned) as spelt in the file */
  wsim_value value;       /* (owned) */
  guint      flavor;
} WsimMofQualifier;

/* MOF's default flavors, EnableOverride and ToSubclass ("Qualifier Flavors", Microsoft
 * Learn): WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS. */
#define WSIM_MOF_DEFAULT_FLAVOR 0x2u

/**
 * wsim_mof_flavor_apply:
 * Applies MOF flavor @word (ToSubclass, NotToSubclass, Restricted, ToInstance, NotToInstance,
 * EnableOverride, DisableOverride, Amended, Translatable; case-insensitive) to *@flavor.
 * Returns: FALSE (and *@flavor untouched) for an unknown word.
 */
gboolean wsim_mof_flavor_apply (const char *word, guint *flavor);


/** WsimMofParam: a method parameter; @in and @out come from the [in]/[out] qualifiers. */
typedef struct {
  char      *name;        /* (owned) */
  guint32    cimtype;     /* with CIM_FLAG_ARRAY for an array */
  char      *ref_class;   /* (owned) (nullable) the class of a `Class ref name` parameter */
  gboolean   in, out;
  GPtrArray *qualifiers;  /* (owned) WsimMofQualifier* */
} WsimMofParam;

/** WsimMofMethod: a method declaration (kept; nothing runs it). */
typedef struct {
  char      *name;        /* (owned) */
  guint32    return_type; /* CIM_EMPTY for void */
  gboolean   is_static;   /* the [static] qualifier */
  GPtrArray *params;      /* (owned) WsimMofParam*, in order */
  GPtrArray *qualifiers;  /* (owned) WsimMofQualifier* */
} WsimMofMethod;

/** WsimMofProperty: one of a class's own properties, with what wsim_property_def lacks. */
typedef struct {
  char      *name;        /* (owned) */
  guint32    cimtype;
  char      *ref_class;   /* (owned) (nullable) */
  GPtrArray *qualifiers;  /* (owned) WsimMofQualifier*, key included */
  gboolean   has_default;
  wsim_value default_value; /* (owned) meaningful when @has_default */
} WsimMofProperty;

/** WsimMofClass: a class declaration. */
typedef struct _WsimMofClass {
  WsimClass *cls;         /* (owned) the built class (inherited properties first) */
  gboolean   is_abstract; /* the [abstract] qualifier: instances refused */
  GPtrArray *qualifiers;  /* (owned) WsimMofQualifier* */
  GPtrArray *properties;  /* (owned) WsimMofProperty*, own ones, in order */
  GPtrArray *methods;     /* (owned) WsimMofMethod* */
} WsimMofClass;

/**
 * wsim_mof_class_decl:
 * @parent: (nullable) the superclass's class object (from this file or the repository)
 * @ns: the namespace
 * Returns: (transfer full) the class object of @mc: its qualifiers with their flavors, its
 *   properties with qualifiers and defaults, its methods with typed [in]/[out] parameters,
 *   after @parent's (wsim_class_decl_derive()).
 */
WsimClassDecl *wsim_mof_class_decl (const WsimMofClass *mc, WsimClassDecl *parent,
                                    const char *ns);

/** WsimMofNamespace: what one namespace receives. */
typedef struct {
  char      *name;        /* (owned) "root\test": the server part of \\.\root\test removed */
  GPtrArray *classes;     /* (owned) WsimMofClass*, in declaration order */
  GPtrArray *instances;   /* (owned) WsimObject*, in declaration order */
} WsimMofNamespace;

/** WsimMofResult: a compiled file. Free with wsim_mof_result_free(). */
typedef struct {
  GPtrArray *namespaces;  /* (owned) WsimMofNamespace*, in order of first use */
} WsimMofResult;

/**
 * WsimMofClassLookup:
 * Finds a superclass the file does not declare (a class of the repository the result will
 * be loaded into). Returns: (transfer none) (nullable) the class, NULL if there is none.
 */
typedef WsimClass *(*WsimMofClassLookup) (const char *ns, const char *class_name, gpointer data);

/**
 * wsim_mof_compile_string:
 * @text: the MOF source (UTF-8)
 * @file_name: what error messages call the source
 * @lookup: (nullable) where unknown superclasses are looked for; NULL: nowhere
 * @lookup_data: given to @lookup
 * Returns: (transfer full) (nullable) the result, NULL with a WBEMMOF_E_* @error.
 */
WsimMofResult *wsim_mof_compile_string (const char *text, const char *file_name,
                                        WsimMofClassLookup lookup, gpointer lookup_data,
                                        GError **error);

/**
 * wsim_mof_compile_file:
 * Reads @path and compiles it as wsim_mof_compile_string() does (messages name @path).
 * Returns: (transfer full) (nullable) the result, NULL with @error (WBEMMOF_E_INVALID_FILE
 *   when the file cannot be read or is not UTF-8).
 */
WsimMofResult *wsim_mof_compile_file (const char *path, WsimMofClassLookup lookup,
                                      gpointer lookup_data, GError **error);

/** wsim_mof_result_free: Frees @result and everything it holds; NULL is fine. */
void wsim_mof_result_free (WsimMofResult *result);

/**
 * wsim_mof_result_find_class:
 * Returns: (transfer none) (nullable) the class @name of namespace @ns (both
 *   case-insensitive), NULL if the result does not declare it.
 */
WsimMofClass *wsim_mof_result_find_class (WsimMofResult *result, const char *ns,
                                          const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsimMofResult, wsim_mof_result_free)

G_END_DECLS
