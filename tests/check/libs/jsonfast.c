/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The JSON parser's fast path (simdjson) against its strict path (the
 * RFC 8259 scanner and json-glib), tests/fuzz/jsondiff.h: on the fuzz
 * corpora, the regression inputs and the project's JSON lines, and on
 * variants made from them (duplicate keys at any depth, numbers at the
 * edges, invalid UTF-8, deep nesting, size and value limits, escapes,
 * trailing data, every prefix and single-byte change). Wherever the fast
 * path decides, the strict path must accept the same members; and the
 * fast path must decide the everyday payloads, or it would be dead code.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "tests/fuzz/jsondiff.h"

typedef struct
{
  GstWeatherJsonReader *reader;
  guint checked;
  guint decided;
} Diff;

static void
diff_one (Diff * d, const gchar * data, gsize len, gsize max_size)
{
  gboolean decided;
  gchar *why = json_diff_check (d->reader, data, len, max_size, &decided);

  fail_unless (why == NULL, "limit %" G_GSIZE_FORMAT ": %s\ninput (%"
      G_GSIZE_FORMAT " bytes): %.*s", max_size, why, len, (int) len, data);
  d->checked++;
  if (decided)
    d->decided++;
}

static void
diff_all_limits (Diff * d, const gchar * data, gsize len)
{
  diff_one (d, data, len, GST_WEATHER_JSON_MAX_SIZE);
  diff_one (d, data, len, 1024);
  diff_one (d, data, len, 256);
}

static void
diff_text (Diff * d, const gchar * text)
{
  diff_all_limits (d, text, strlen (text));
}

/* Every line of every file of @dir (the whole file too). */
static void
diff_dir (Diff * d, const gchar * dir_path, GPtrArray * lines)
{
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const gchar *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename (dir_path, name, NULL);
    gchar *contents;
    gsize len;

    if (g_file_test (path, G_FILE_TEST_IS_REGULAR)
        && g_file_get_contents (path, &contents, &len, NULL)) {
      const gchar *p = contents, *end = contents + len;

      diff_all_limits (d, contents, len);
      while (p < end) {
        const gchar *nl = memchr (p, '\n', end - p);
        gsize n = nl ? (gsize) (nl - p) : (gsize) (end - p);

        diff_all_limits (d, p, n);
        if (lines && n > 0 && n < 1024)
          g_ptr_array_add (lines, g_strndup (p, n));
        p += n + 1;
      }
      g_free (contents);
    }
    g_free (path);
  }
  g_dir_close (dir);
}

static const gchar *corpus_dirs[] = {
  "tests/fuzz/corpus/fuzz-reading-json",
  "tests/fuzz/corpus/fuzz-group-json",
  "tests/fuzz/corpus/fuzz-prediction-json",
  "tests/fuzz/corpus/fuzz-weatherparse",
  "tests/fuzz/corpus/fuzz-rtl_433",
  "tests/fuzz/corpus/fuzz-weewx",
  "tests/fuzz/corpus/fuzz-pywws",
  "tests/fuzz/corpus/fuzz-ecowitt",
  "tests/fuzz/corpus/fuzz-auto",
  "tests/fuzz/regressions/fuzz-rtl_433",
  "tests/fuzz/regressions/fuzz-weewx",
  "tests/fuzz/regressions/fuzz-pywws",
  "tests/fuzz/regressions/fuzz-ecowitt",
  "tests/fuzz/regressions/fuzz-auto",
  "tests/data",
  "tests/data/feeds",
};

static GPtrArray *
collect_lines (Diff * d)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (corpus_dirs); i++) {
    gchar *dir = g_build_filename (TEST_SRCDIR, corpus_dirs[i], NULL);

    fail_unless (g_file_test (dir, G_FILE_TEST_IS_DIR), "%s is missing", dir);
    diff_dir (d, dir, lines);
    g_free (dir);
  }
  return lines;
}

static const gchar *canonical =
    "{\"version\":1,\"station_id\":30,\"station\":\"sim-30\","
    "\"created_at\":\"2024-01-01T00:00:00.000000000Z\","
    "\"received_at\":\"2024-01-01T00:00:00.003164689Z\",\"sequence\":0,"
    "\"temperature_c\":0.74,\"pressure_hpa\":1001.98,\"humidity_pct\":91.8,"
    "\"wind_speed_ms\":4.91,\"wind_direction_deg\":227.1}";

GST_START_TEST (test_fast_path_decides_everyday_payloads)
{
  Diff d = { gst_weather_priv_json_reader_new (), 0, 0 };
  GArray *members = g_array_new (FALSE, FALSE, sizeof (GstWeatherJsonMember));
  gchar *path;
  gchar *contents;
  gchar **lines;
  guint i, n = 0;

  /* the encoder's output and the feeds' samples: flat objects */
  fail_unless (gst_weather_priv_json_reader_read (d.reader, canonical,
          strlen (canonical), GST_WEATHER_JSON_MAX_SIZE, members));
  fail_unless_equals_int (members->len, 11);
  fail_unless_equals_string (g_array_index (members, GstWeatherJsonMember,
          2).text, "sim-30");
  fail_unless_equals_int (g_array_index (members, GstWeatherJsonMember,
          1).integer, 30);
  fail_unless (g_array_index (members, GstWeatherJsonMember, 6).number == 0.74);
  g_array_set_size (members, 0);

  path = g_build_filename (TEST_SRCDIR, "tests", "data", "readings.jsonl",
      NULL);
  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    if (lines[i][0] == '\0')
      continue;
    d.checked = d.decided = 0;
    diff_one (&d, lines[i], strlen (lines[i]), GST_WEATHER_JSON_MAX_SIZE);
    /* escaped strings are left to the strict path */
    if (strchr (lines[i], '\\') == NULL) {
      fail_unless_equals_int (d.decided, 1);
      n++;
    }
  }
  fail_unless (n > 0);
  g_strfreev (lines);
  g_free (contents);
  g_free (path);

  /* undecided: the strict path's business */
  fail_if (gst_weather_priv_json_reader_read (d.reader, "{\"a\":{\"b\":1}}",
          13, GST_WEATHER_JSON_MAX_SIZE, members));
  fail_if (gst_weather_priv_json_reader_read (d.reader, "{\"a\":1,\"a\":2}",
          13, GST_WEATHER_JSON_MAX_SIZE, members));
  fail_if (gst_weather_priv_json_reader_read (d.reader, "{\"a\":\"\\n\"}", 10,
          GST_WEATHER_JSON_MAX_SIZE, members));
  fail_unless_equals_int (members->len, 0);

  g_array_unref (members);
  gst_weather_priv_json_reader_free (d.reader);
}

GST_END_TEST;

GST_START_TEST (test_corpora_agree)
{
  Diff d = { gst_weather_priv_json_reader_new (), 0, 0 };
  GPtrArray *lines = collect_lines (&d);

  GST_INFO ("%u inputs, %u decided by the fast path", d.checked, d.decided);
  fail_unless (d.decided > 0);
  fail_unless (d.decided < d.checked);
  g_ptr_array_unref (lines);
  gst_weather_priv_json_reader_free (d.reader);
}

GST_END_TEST;

/* Replaces the value of "temperature_c" in the canonical reading. */
static gchar *
with_temperature (const gchar * value)
{
  const gchar *at = strstr (canonical, "0.74");

  return g_strdup_printf ("%.*s%s%s", (int) (at - canonical), canonical,
      value, at + 4);
}

/* Inserts @member before the canonical reading's closing brace. */
static gchar *
with_member (const gchar * member)
{
  gsize n = strlen (canonical);

  return g_strdup_printf ("%.*s,%s}", (int) (n - 1), canonical, member);
}

GST_START_TEST (test_variants_agree)
{
  static const gchar *numbers[] = {
    "0", "-0", "0.0", "-0.0", "0e0", "-0e-0", "1E2", "1e+2", "1e-2",
    "01", "-01", "1.", ".5", "-", "--1", "+1", "1e", "1e+", "1.e3", "0x10",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "123456789012345678901234567890", "1e308", "1e309", "-1e309",
    "1.7976931348623157e308", "1.7976931348623158e308",
    "1.7976931348623159e308", "4.9e-324", "2.4e-324", "2.5e-324",
    "1e-400", "-1e-400", "2.2250738585072014e-308",
    "2.2250738585072011e-308", "0.30000000000000004", "0.1", "21.3",
    "9007199254740993", "9007199254740993.0", "1000000000000000000000.5",
    "3.14159265358979323846264338327950288419716939937510",
    "0.00000000000000000000000000000000000000000000001",
    "100.000000000000000000000000001",
    "0.444444444444444444444444444440444444444444444000007039476560217360162",
    "1234567890123456789", "12345678901234567890", "0.1234567890123456789",
    "0.12345678901234567890", "1234567890.123456789e-10", "Infinity", "NaN",
        "-Infinity",
    "true", "false", "null", "tru", "nul", "nulll", "True", "\"1\"", "[]",
    "{}", "[1,2]", "{\"a\":1}",
  };
  static const gchar *members[] = {
    "\"temperature_c\":1", "\"version\":1", "\"x\":{\"a\":1,\"a\":2}",
    "\"x\":[{\"a\":1,\"a\":2}]", "\"x\":{\"a\":{\"b\":1,\"b\":1}}",
    "\"x\":{\"a\":1,\"b\":2}", "\"temperature\\u005fc\":1",
    "\"temperature_c\\u0000\":1", "\"\":1", "\"\":1,\"\":2", "\"a\\\"\":1",
    "\"x\":\"\\u0000\"", "\"x\":\"\\ud800\"", "\"x\":\"\\udc00\"",
    "\"x\":\"\\ud800\\udc00\"", "\"x\":\"\\ud800\\u0041\"",
    "\"x\":\"\\q\"", "\"x\":\"\\/\"", "\"x\":\"a\tb\"", "\"x\":\"\x7f\"",
    "\"x\":\"\xc3\xa9\"", "\"x\":\"\xff\"", "\"x\":\"\xc0\x80\"",
    "\"x\":\"\xed\xa0\x80\"", "\"x\":\"\xf4\x90\x80\x80\"",
    "\"x\":\"\xe2\x82\"", "\"x\xff\":1", "\"x\":\"\xf0\x9f\x8c\xa7\"",
    "\"x\" :\t1 \r\n", "\"x\":\f1", "\"x\":1,", "\"x\"", "\"x\":",
    "x:1", "'x':1", "\"x\":1 /* c */", "\"x\":[1,]", "\"x\":[,1]",
  };
#define W(text) { text, sizeof (text) - 1 }
  static const struct
  {
    const gchar *data;
    gsize len;
  } wholes[] = {
    W (""), W (" "), W ("{"), W ("}"), W ("{}"), W (" {} "), W ("{}x"),
    W ("{} {}"), W ("{}}"), W ("{}]"), W ("[]"), W ("[{}]"), W ("\"{}\""),
    W ("1"), W ("null"), W ("{\"a\":1}\n"), W ("{\"a\":1}\r\n"),
    W ("\xef\xbb\xbf{\"a\":1}"), W ("{\"a\":1}\xef\xbb\xbf"),
    W ("{\"a\" 1}"), W ("{\"a\":1 \"b\":2}"), W ("{,\"a\":1}"),
    W ("{\"a\":1,,\"b\":2}"), W ("{\"a\"::1}"), W ("{1:2}"),
    W ("{\"a\":1}\x00"), W ("\x00{\"a\":1}"), W ("{\"a\":1\x00}"),
    W ("{\"a\":\"b\x00\"}"), W ("{\"a\x00\":1}"), W ("{\"a\":1}\x00 "),
    W ("\f{\"a\":1}"), W ("{\"a\":1}\f"), W ("\v{}"), W ("{\"a\":1}//"),
    W ("{\"a\":1}#"), W ("{\"a\":1} \x00"),
  };
#undef W
  Diff d = { gst_weather_priv_json_reader_new (), 0, 0 };
  GPtrArray *lines = collect_lines (&d);
  GString *s = g_string_new (NULL);
  guint i, depth, n;

  g_ptr_array_add (lines, g_strdup (canonical));

  for (i = 0; i < G_N_ELEMENTS (numbers); i++) {
    gchar *t = with_temperature (numbers[i]);
    gchar *v = g_strdup_printf ("{\"created_at\":%s,\"station_id\":%s}",
        numbers[i], numbers[i]);

    diff_text (&d, t);
    diff_text (&d, v);
    g_free (t);
    g_free (v);
  }
  for (i = 0; i < G_N_ELEMENTS (members); i++) {
    gchar *t = with_member (members[i]);
    gchar *v = g_strdup_printf ("{%s}", members[i]);

    diff_text (&d, t);
    diff_text (&d, v);
    g_free (t);
    g_free (v);
  }
  for (i = 0; i < G_N_ELEMENTS (wholes); i++)
    diff_all_limits (&d, wholes[i].data, wholes[i].len);

  /* nesting around the strict limit of 32 levels */
  for (depth = 28; depth <= 36; depth++) {
    g_string_assign (s, "{\"station_id\":1,\"x\":");
    for (n = 1; n < depth; n++)
      g_string_append (s, n % 2 ? "[" : "{\"k\":");
    g_string_append (s, "1");
    for (n = depth - 1; n >= 1; n--)
      g_string_append (s, n % 2 ? "]" : "}");
    g_string_append (s, "}");
    diff_text (&d, s->str);
  }

  /* the value budget (one value per 16 bytes of the limit) and the
   * fast path's own member limit */
  for (n = 10; n <= 70; n++) {
    guint k;

    g_string_assign (s, "{");
    for (k = 0; k < n; k++)
      g_string_append_printf (s, "%s\"k%u\":%u", k ? "," : "", k, k);
    g_string_append (s, "}");
    diff_text (&d, s->str);
    /* a duplicate as the last member */
    g_string_truncate (s, s->len - 1);
    g_string_append (s, ",\"k0\":0}");
    diff_text (&d, s->str);
  }

  /* sizes around each limit */
  for (n = 0; n < 3; n++) {
    static const gsize limits[] = { 256, 1024, GST_WEATHER_JSON_MAX_SIZE };
    gssize pad;

    for (pad = -2; pad <= 2; pad++) {
      gsize target = limits[n] + pad;
      gsize base = strlen ("{\"station\":\"\"}");

      g_string_assign (s, "{\"station\":\"");
      while (s->len < target - base + strlen ("{\"station\":\""))
        g_string_append_c (s, 'a');
      g_string_append (s, "\"}");
      fail_unless_equals_int (s->len, target);
      diff_text (&d, s->str);
    }
  }

  /* every prefix and single-byte change of every line */
  for (i = 0; i < lines->len; i++) {
    static const gchar bytes[] = { ',', '}', '{', '"', '\\', ':', ' ', '0',
      '-', '.', 'e', '\0', '\x1f', '\xff', '\x80', '[',
    };
    const gchar *line = g_ptr_array_index (lines, i);
    gsize len = strlen (line), at;
    guint b;

    for (at = 0; at <= len; at++)
      diff_one (&d, line, at, GST_WEATHER_JSON_MAX_SIZE);
    g_string_assign (s, line);
    for (at = 0; at < len; at++) {
      for (b = 0; b < G_N_ELEMENTS (bytes); b++) {
        s->str[at] = bytes[b];
        diff_one (&d, s->str, len, GST_WEATHER_JSON_MAX_SIZE);
      }
      s->str[at] = line[at];
    }
  }

  GST_INFO ("%u inputs, %u decided by the fast path", d.checked, d.decided);
  fail_unless (d.decided > 0);

  g_string_free (s, TRUE);
  g_ptr_array_unref (lines);
  gst_weather_priv_json_reader_free (d.reader);
}

GST_END_TEST;

static Suite *
jsonfast_suite (void)
{
  Suite *s = suite_create ("jsonfast");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 600);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_fast_path_decides_everyday_payloads);
  tcase_add_test (tc, test_corpora_agree);
  tcase_add_test (tc, test_variants_agree);
  return s;
}

GST_CHECK_MAIN (jsonfast);
