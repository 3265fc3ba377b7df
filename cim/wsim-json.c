/* wsim-json.c: the shared rules of the JSON texts wmisim writes (see wsim-json.h). */
#include "wsim-json.h"

#include <math.h>

JsonNode *
wsim_json_string_node (const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s != NULL ? s : "", -1);

  return json_node_init_string (json_node_alloc (), valid);
}

void
wsim_json_object_set (JsonObject *object, const char *name, JsonNode *node)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);

  json_object_set_member (object, valid, node);
}

void
wsim_json_object_set_string (JsonObject *object, const char *name, const char *s)
{
  wsim_json_object_set (object, name, wsim_json_string_node (s));
}

/* One token by json-glib's generator: @gen is reused across the tree, it is costly to make. */
static void
append_generated (GString *out, JsonGenerator *gen, JsonNode *node)
{
  json_generator_set_root (gen, node);
  json_generator_to_gstring (gen, out);
}

static void
append_node (GString *out, JsonGenerator *gen, JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            g_autoptr(JsonNode) name_node = json_node_init_string (json_node_alloc (), name);

            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_generated (out, gen, name_node);
            g_string_append_c (out, ':');
            append_node (out, gen, member);
          }
        g_string_append_c (out, '}');
        return;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0, n = json_array_get_length (array); i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, gen, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
        return;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          double d = json_node_get_double (node);

          if (!isfinite (d))
            g_string_append (out, "null");
          else
            {
              wsim_real_format (buf, sizeof buf, d, FALSE);
              g_string_append (out, buf);
            }
          return;
        }
      append_generated (out, gen, node);
      return;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      return;
    }
}

void
wsim_json_append (GString *out, JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  append_node (out, gen, node);
}
