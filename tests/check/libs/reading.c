/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The binary records of libgstweather: reading, group and prediction
 * layouts byte by byte, round trips and every validation failure; the
 * key of groups and predictions, version 1 records and the region
 * event.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#include "../weatherversion1.h"

/* A reading with every field set to something distinct. */
static void
make_reading (GstWeatherReading * r)
{
  gst_weather_reading_init (r);
  r->station_id = 0x01020304;
  r->flags = 0;
  r->created_at = G_GINT64_CONSTANT (1764197000123456789);
  r->received_at = G_GINT64_CONSTANT (1764197000223456789);
  r->sequence = G_GUINT64_CONSTANT (0x1122334455667788);
  r->temperature_c = -12.25;
  r->pressure_hpa = 1013.2;
  r->humidity_pct = 55.5;
  r->wind_speed_ms = 3.7;
  r->wind_direction_deg = 359.9;
  fail_unless (gst_weather_reading_set_station_name (r, "ws-attic", NULL));
}

static void
assert_double_same (gdouble a, gdouble b)
{
  if (isnan (a))
    fail_unless (isnan (b), "expected NaN, got %g", b);
  else
    fail_unless (memcmp (&a, &b, sizeof (a)) == 0, "%.17g != %.17g", a, b);
}

static void
assert_reading_equal (const GstWeatherReading * a, const GstWeatherReading * b)
{
  fail_unless_equals_int (a->station_id, b->station_id);
  fail_unless_equals_int (a->flags, b->flags);
  fail_unless_equals_int64 (a->created_at, b->created_at);
  fail_unless_equals_int64 (a->received_at, b->received_at);
  fail_unless_equals_uint64 (a->sequence, b->sequence);
  assert_double_same (a->temperature_c, b->temperature_c);
  assert_double_same (a->pressure_hpa, b->pressure_hpa);
  assert_double_same (a->humidity_pct, b->humidity_pct);
  assert_double_same (a->wind_speed_ms, b->wind_speed_ms);
  assert_double_same (a->wind_direction_deg, b->wind_direction_deg);
  fail_unless_equals_string (a->station_name, b->station_name);
}

static GstWeatherReading
round_trip (const GstWeatherReading * in)
{
  GstWeatherReading out;
  GstBuffer *buf;
  GError *err = NULL;

  buf = gst_weather_reading_to_buffer (in);
  fail_unless_equals_int (gst_buffer_get_size (buf), GST_WEATHER_READING_SIZE);
  memset (&out, 0xab, sizeof (out));
  if (!gst_weather_reading_from_buffer (buf, &out, &err))
    fail ("from_buffer failed: %s", err->message);
  gst_buffer_unref (buf);
  assert_reading_equal (in, &out);
  return out;
}

GST_START_TEST (test_reading_init)
{
  GstWeatherReading r;

  memset (&r, 0x5a, sizeof (r));
  gst_weather_reading_init (&r);
  fail_unless_equals_int (r.station_id, 0);
  fail_unless_equals_int (r.flags, 0);
  fail_unless_equals_int64 (r.created_at, 0);
  fail_unless_equals_int64 (r.received_at, GST_WEATHER_TIME_NONE);
  fail_unless (isnan (r.temperature_c) && isnan (r.pressure_hpa)
      && isnan (r.humidity_pct) && isnan (r.wind_speed_ms)
      && isnan (r.wind_direction_deg));
  fail_unless_equals_string (r.station_name, "");
  fail_unless (gst_weather_reading_validate (&r, NULL));
}

GST_END_TEST;

/* The documented layout, byte by byte (docs/schema.md). */
GST_START_TEST (test_reading_layout)
{
  GstWeatherReading r;
  guint8 data[GST_WEATHER_READING_SIZE];
  gdouble d;
  guint i;

  make_reading (&r);
  memset (data, 0xee, sizeof (data));
  gst_weather_reading_write (&r, data);

  fail_unless_equals_int (data[0], 0x04);
  fail_unless_equals_int (data[3], 0x01);
  fail_unless_equals_int (GST_READ_UINT32_LE (data + 4), 0);
  fail_unless_equals_int64 ((gint64) GST_READ_UINT64_LE (data + 8),
      r.created_at);
  fail_unless_equals_int64 ((gint64) GST_READ_UINT64_LE (data + 16),
      r.received_at);
  fail_unless_equals_int (data[24], 0x88);
  fail_unless_equals_int (data[31], 0x11);
  d = GST_READ_DOUBLE_LE (data + 32);
  fail_unless (d == -12.25);
  fail_unless (GST_READ_DOUBLE_LE (data + 40) == 1013.2);
  fail_unless (GST_READ_DOUBLE_LE (data + 48) == 55.5);
  fail_unless (GST_READ_DOUBLE_LE (data + 56) == 3.7);
  fail_unless (GST_READ_DOUBLE_LE (data + 64) == 359.9);
  fail_unless (memcmp (data + 72, "ws-attic", 9) == 0);
  /* the name is NUL padded to the end of the record */
  for (i = 72 + 8; i < GST_WEATHER_READING_SIZE; i++)
    fail_unless_equals_int (data[i], 0);
  /* -12.25 in IEEE 754 little-endian */
  fail_unless_equals_uint64 (GST_READ_UINT64_LE (data + 32),
      G_GUINT64_CONSTANT (0xc028800000000000));
}

GST_END_TEST;

GST_START_TEST (test_reading_round_trip)
{
  GstWeatherReading r;

  make_reading (&r);
  round_trip (&r);

  /* received_at unknown, every measurement missing */
  gst_weather_reading_init (&r);
  r.station_id = 7;
  round_trip (&r);
}

GST_END_TEST;

GST_START_TEST (test_reading_extremes)
{
  GstWeatherReading r;

  make_reading (&r);
  r.station_id = G_MAXUINT32;
  r.created_at = G_MAXINT64;
  r.received_at = G_MAXINT64;
  r.sequence = G_MAXINT64;
  r.temperature_c = -100.0;
  r.pressure_hpa = 1100.0;
  r.humidity_pct = 0.0;
  r.wind_speed_ms = 150.0;
  r.wind_direction_deg = 360.0;
  round_trip (&r);

  r.created_at = 0;
  r.received_at = 0;
  r.sequence = 0;
  r.temperature_c = 100.0;
  r.pressure_hpa = 800.0;
  r.humidity_pct = 100.0;
  r.wind_speed_ms = 0.0;
  r.wind_direction_deg = 0.0;
  round_trip (&r);

  /* denormals, negative zero and long mantissas survive bit for bit */
  r.temperature_c = 4.9406564584124654e-324;
  r.pressure_hpa = 1013.2500000000001;
  r.humidity_pct = -0.0;
  r.wind_speed_ms = 0.1 + 0.2;
  r.wind_direction_deg = 1.0 / 3.0;
  round_trip (&r);
}

GST_END_TEST;

static const gchar *names[] = {
  "",
  "KSEA",
  "quote \" back\\slash",
  "Zürich-Fluntern ☂ 東京",
  "tab\tnewline\ncr\rbell\x07esc\x1b del\x7f",
  "\x01",
  "exactly fifty-five bytes long name, the longest allowed",
};

GST_START_TEST (test_reading_names)
{
  GstWeatherReading r, out;
  const gchar *name = names[__i__];

  make_reading (&r);
  fail_unless (gst_weather_reading_set_station_name (&r, name, NULL));
  fail_unless_equals_string (r.station_name, name);
  out = round_trip (&r);
  fail_unless_equals_int (strlen (out.station_name), strlen (name));
}

GST_END_TEST;

GST_START_TEST (test_reading_name_rejected)
{
  GstWeatherReading r;
  GError *err = NULL;
  gchar long_name[GST_WEATHER_STATION_NAME_SIZE + 1];

  make_reading (&r);
  memset (long_name, 'x', GST_WEATHER_STATION_NAME_SIZE);
  long_name[GST_WEATHER_STATION_NAME_SIZE] = '\0';
  fail_if (gst_weather_reading_set_station_name (&r, long_name, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_RANGE));
  fail_unless (g_str_has_prefix (err->message, "station:"), "%s", err->message);
  g_clear_error (&err);
  /* the name is unchanged after a failure */
  fail_unless_equals_string (r.station_name, "ws-attic");

  fail_if (gst_weather_reading_set_station_name (&r, "bad \xff\xfe", &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_UTF8));
  fail_unless (g_str_has_prefix (err->message, "station:"));
  g_clear_error (&err);

  /* a multi-byte character cut by the limit is not valid UTF-8 */
  memset (long_name, 'x', GST_WEATHER_STATION_NAME_MAX_LEN - 1);
  strcpy (long_name + GST_WEATHER_STATION_NAME_MAX_LEN - 1, "\xc3");
  fail_if (gst_weather_reading_set_station_name (&r, long_name, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_UTF8));
  g_clear_error (&err);

  fail_unless (gst_weather_reading_set_station_name (&r, NULL, NULL));
  fail_unless_equals_string (r.station_name, "");
}

GST_END_TEST;

/* Every way a reading can be invalid, with the field the error names. */
typedef struct
{
  const gchar *field;
  gint code;
  void (*spoil) (GstWeatherReading * r);
} BadReading;

#define SPOIL(name, stmt) \
  static void spoil_##name (GstWeatherReading * r) { stmt; }

SPOIL (flags, r->flags = 0x8);
SPOIL (flags_high, r->flags = 0x80000001);
SPOIL (created_neg, r->created_at = -1);
SPOIL (received_neg, r->received_at = -2);
SPOIL (sequence, r->sequence = (guint64) G_MAXINT64 + 1);
SPOIL (temp_low, r->temperature_c = -100.5);
SPOIL (temp_high, r->temperature_c = 100.0001);
SPOIL (temp_inf, r->temperature_c = INFINITY);
SPOIL (pressure_low, r->pressure_hpa = 799.99);
SPOIL (pressure_high, r->pressure_hpa = 1100.01);
SPOIL (pressure_ninf, r->pressure_hpa = -INFINITY);
SPOIL (humidity_low, r->humidity_pct = -0.1);
SPOIL (humidity_high, r->humidity_pct = 120);
SPOIL (humidity_inf, r->humidity_pct = INFINITY);
SPOIL (speed_low, r->wind_speed_ms = -1);
SPOIL (speed_high, r->wind_speed_ms = 150.5);
SPOIL (speed_inf, r->wind_speed_ms = INFINITY);
SPOIL (dir_low, r->wind_direction_deg = -0.001);
SPOIL (dir_high, r->wind_direction_deg = 360.5);
SPOIL (dir_inf, r->wind_direction_deg = -INFINITY);
SPOIL (name_utf8, memcpy (r->station_name, "a\xc0\xafz", 5));
SPOIL (name_unterminated, memset (r->station_name, 'n',
        GST_WEATHER_STATION_NAME_SIZE));

static const BadReading bad_readings[] = {
  {"flags:", GST_WEATHER_ERROR_RANGE, spoil_flags},
  {"flags:", GST_WEATHER_ERROR_RANGE, spoil_flags_high},
  {"created_at:", GST_WEATHER_ERROR_RANGE, spoil_created_neg},
  {"received_at:", GST_WEATHER_ERROR_RANGE, spoil_received_neg},
  {"sequence:", GST_WEATHER_ERROR_RANGE, spoil_sequence},
  {"temperature_c:", GST_WEATHER_ERROR_RANGE, spoil_temp_low},
  {"temperature_c:", GST_WEATHER_ERROR_RANGE, spoil_temp_high},
  {"temperature_c:", GST_WEATHER_ERROR_RANGE, spoil_temp_inf},
  {"pressure_hpa:", GST_WEATHER_ERROR_RANGE, spoil_pressure_low},
  {"pressure_hpa:", GST_WEATHER_ERROR_RANGE, spoil_pressure_high},
  {"pressure_hpa:", GST_WEATHER_ERROR_RANGE, spoil_pressure_ninf},
  {"humidity_pct:", GST_WEATHER_ERROR_RANGE, spoil_humidity_low},
  {"humidity_pct:", GST_WEATHER_ERROR_RANGE, spoil_humidity_high},
  {"humidity_pct:", GST_WEATHER_ERROR_RANGE, spoil_humidity_inf},
  {"wind_speed_ms:", GST_WEATHER_ERROR_RANGE, spoil_speed_low},
  {"wind_speed_ms:", GST_WEATHER_ERROR_RANGE, spoil_speed_high},
  {"wind_speed_ms:", GST_WEATHER_ERROR_RANGE, spoil_speed_inf},
  {"wind_direction_deg:", GST_WEATHER_ERROR_RANGE, spoil_dir_low},
  {"wind_direction_deg:", GST_WEATHER_ERROR_RANGE, spoil_dir_high},
  {"wind_direction_deg:", GST_WEATHER_ERROR_RANGE, spoil_dir_inf},
  {"station:", GST_WEATHER_ERROR_UTF8, spoil_name_utf8},
  {"station:", GST_WEATHER_ERROR_RANGE, spoil_name_unterminated},
};

GST_START_TEST (test_reading_invalid)
{
  const BadReading *bad = &bad_readings[__i__];
  GstWeatherReading r, out;
  GstBuffer *buf;
  GstMapInfo map;
  GError *err = NULL;

  make_reading (&r);
  bad->spoil (&r);

  fail_if (gst_weather_reading_validate (&r, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR, bad->code),
      "%s: code %d", err->message, err->code);
  fail_unless (g_str_has_prefix (err->message, bad->field), "'%s' for %s",
      err->message, bad->field);
  g_clear_error (&err);

  /* the same record, written raw into a buffer, is refused on reading */
  buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_weather_reading_write (&r, map.data);
  if (bad->spoil == spoil_name_unterminated)
    memset (map.data + 72, 'n', GST_WEATHER_STATION_NAME_SIZE);
  gst_buffer_unmap (buf, &map);
  fail_if (gst_weather_reading_from_buffer (buf, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR, bad->code));
  fail_unless (g_str_has_prefix (err->message, bad->field), "%s", err->message);
  g_clear_error (&err);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_reading_missing_slot_valid)
{
  GstWeatherReading r;

  /* a MISSING slot carries only its station: other fields are not checked */
  gst_weather_reading_init (&r);
  r.flags = GST_WEATHER_READING_FLAG_MISSING;
  r.created_at = -5;
  fail_unless (gst_weather_reading_validate (&r, NULL));
}

GST_END_TEST;

/* A reading of a stream: an empty slot is no reading, nor is a PTS that
 * the time model's sums cannot hold; an invalid record is refused as by
 * the plain functions. */
GST_START_TEST (test_reading_stream)
{
  GstWeatherReading r, out;
  GstBuffer *buf;
  GstMapInfo map;
  guint8 data[GST_WEATHER_READING_SIZE];
  GError *err = NULL;

  make_reading (&r);
  gst_weather_reading_write (&r, data);
  fail_unless (gst_weather_reading_parse_stream (data, &out, NULL));
  fail_unless_equals_int (out.station_id, r.station_id);
  buf = gst_weather_reading_to_buffer (&r);
  fail_unless (gst_weather_reading_from_stream_buffer (buf, &out, NULL));
  GST_BUFFER_PTS (buf) = GST_WEATHER_CLOCK_TIME_MAX;
  fail_unless (gst_weather_reading_from_stream_buffer (buf, &out, NULL));
  GST_BUFFER_PTS (buf) = GST_WEATHER_CLOCK_TIME_MAX + 1;
  fail_if (gst_weather_reading_from_stream_buffer (buf, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_RANGE));
  fail_unless (g_str_has_prefix (err->message, "PTS:"), "%s", err->message);
  g_clear_error (&err);
  /* the plain function does not look at the PTS */
  fail_unless (gst_weather_reading_from_buffer (buf, &out, NULL));
  gst_buffer_unref (buf);

  /* an empty slot: valid in a group, not in a stream */
  r.flags = GST_WEATHER_READING_FLAG_MISSING;
  gst_weather_reading_write (&r, data);
  fail_unless (gst_weather_reading_parse (data, &out, NULL));
  fail_if (gst_weather_reading_parse_stream (data, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_RANGE));
  fail_unless (strstr (err->message, "empty group slot") != NULL, "%s",
      err->message);
  g_clear_error (&err);
  buf = gst_weather_reading_to_buffer (&r);
  fail_if (gst_weather_reading_from_stream_buffer (buf, &out, &err));
  fail_unless (strstr (err->message, "empty group slot") != NULL);
  g_clear_error (&err);
  gst_buffer_unref (buf);

  /* an invalid record and a wrong size, as the plain functions say */
  r.flags = 0;
  r.humidity_pct = 150;
  buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_weather_reading_write (&r, map.data);
  fail_if (gst_weather_reading_parse_stream (map.data, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "humidity_pct:"));
  g_clear_error (&err);
  gst_buffer_unmap (buf, &map);
  fail_if (gst_weather_reading_from_stream_buffer (buf, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "humidity_pct:"));
  g_clear_error (&err);
  gst_buffer_set_size (buf, GST_WEATHER_READING_SIZE - 1);
  fail_if (gst_weather_reading_from_stream_buffer (buf, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  g_clear_error (&err);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_reading_nan_allowed)
{
  GstWeatherReading r;

  make_reading (&r);
  r.temperature_c = NAN;
  r.wind_direction_deg = -NAN;
  fail_unless (gst_weather_reading_validate (&r, NULL));
  round_trip (&r);
}

GST_END_TEST;

static const gsize bad_sizes[] = { 0, 1, 127, 129, 256 };

GST_START_TEST (test_reading_wrong_size)
{
  GstBuffer *buf;
  GstWeatherReading r;
  GError *err = NULL;

  buf = gst_buffer_new_allocate (NULL, bad_sizes[__i__], NULL);
  gst_buffer_memset (buf, 0, 0, bad_sizes[__i__]);
  fail_if (gst_weather_reading_from_buffer (buf, &r, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  fail_unless (g_str_has_prefix (err->message, "payload:"));
  g_clear_error (&err);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_reading_name_padding)
{
  GstWeatherReading r, out;
  GstBuffer *buf;
  GError *err = NULL;

  make_reading (&r);
  /* garbage after the NUL in the struct is not written out */
  memcpy (r.station_name + 9, "garbage", 7);
  buf = gst_weather_reading_to_buffer (&r);
  fail_unless (gst_weather_reading_from_buffer (buf, &out, NULL));
  fail_unless_equals_int (out.station_name[9], 0);
  gst_buffer_unref (buf);

  /* but a record with garbage after the name's NUL is refused */
  make_reading (&r);
  buf = gst_weather_reading_to_buffer (&r);
  gst_buffer_memset (buf, 72 + 20, 'g', 1);
  fail_if (gst_weather_reading_from_buffer (buf, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_RANGE));
  fail_unless (g_str_has_prefix (err->message, "station:"));
  g_clear_error (&err);
  gst_buffer_unref (buf);

  /* the field's last byte is padding too */
  buf = gst_weather_reading_to_buffer (&r);
  gst_buffer_memset (buf, 72 + GST_WEATHER_STATION_NAME_SIZE - 1, 1, 1);
  fail_if (gst_weather_reading_from_buffer (buf, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "station:"));
  g_clear_error (&err);
  gst_buffer_unref (buf);
}

GST_END_TEST;

/* A record spread over several GstMemory blocks reads like a single one. */
GST_START_TEST (test_reading_multi_memory)
{
  GstWeatherReading r, out;
  GstBuffer *whole, *a, *b;

  make_reading (&r);
  whole = gst_weather_reading_to_buffer (&r);
  a = gst_buffer_copy_region (whole, GST_BUFFER_COPY_MEMORY, 0, 50);
  b = gst_buffer_copy_region (whole, GST_BUFFER_COPY_MEMORY, 50, 78);
  a = gst_buffer_append (a, b);
  fail_unless (gst_buffer_n_memory (a) == 2);
  fail_unless (gst_weather_reading_from_buffer (a, &out, NULL));
  assert_reading_equal (&r, &out);
  gst_buffer_unref (a);
  gst_buffer_unref (whole);
}

GST_END_TEST;

GST_START_TEST (test_station_id_from_name)
{
  /* FNV-1a 32-bit reference values */
  fail_unless_equals_int (gst_weather_station_id_from_name (""), 0x811c9dc5);
  fail_unless_equals_int (gst_weather_station_id_from_name ("a"), 0xe40c292c);
  fail_unless_equals_int (gst_weather_station_id_from_name ("foobar"),
      0xbf9cf968);
  fail_if (gst_weather_station_id_from_name ("KSEA") ==
      gst_weather_station_id_from_name ("KSEB"));
}

GST_END_TEST;

GST_START_TEST (test_error_quark)
{
  fail_unless_equals_string (g_quark_to_string (GST_WEATHER_ERROR),
      "gst-weather-error-quark");
}

GST_END_TEST;

/* A batch is records back to back: each one parses on its own, and a bad
 * one does not spoil its neighbours. */
GST_START_TEST (test_reading_parse_batch)
{
  GstWeatherReading in[3], out;
  guint8 data[3 * GST_WEATHER_READING_SIZE];
  GError *err = NULL;
  guint i;

  for (i = 0; i < 3; i++) {
    make_reading (&in[i]);
    in[i].station_id = i;
    gst_weather_reading_write (&in[i], data + i * GST_WEATHER_READING_SIZE);
  }
  /* the middle one is from before the epoch */
  in[1].created_at = -1;
  gst_weather_reading_write (&in[1], data + GST_WEATHER_READING_SIZE);

  fail_unless (gst_weather_reading_parse (data, &out, NULL));
  assert_reading_equal (&in[0], &out);
  fail_if (gst_weather_reading_parse (data + GST_WEATHER_READING_SIZE, &out,
          &err));
  fail_unless (g_str_has_prefix (err->message, "created_at:"), "%s",
      err->message);
  g_clear_error (&err);
  fail_unless (gst_weather_reading_parse (data + 2 * GST_WEATHER_READING_SIZE,
          &out, NULL));
  assert_reading_equal (&in[2], &out);

  /* garbage after the name's NUL */
  data[72 + 20] = 'x';
  fail_if (gst_weather_reading_parse (data, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "station:"), "%s", err->message);
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_caps)
{
  GstCaps *caps, *ref;

  caps = gst_weather_reading_caps_new ();
  ref = gst_caps_from_string (GST_WEATHER_READING_CAPS);
  fail_unless (gst_caps_is_equal (caps, ref));
  fail_unless (gst_caps_is_fixed (caps));
  gst_caps_unref (caps);
  gst_caps_unref (ref);

  /* batches are a media type of their own: a single-reading template
   * refuses them */
  caps = gst_weather_reading_caps_new ();
  ref = gst_caps_from_string (GST_WEATHER_READING_BATCH_CAPS);
  fail_unless (gst_caps_is_fixed (ref));
  fail_if (gst_caps_can_intersect (caps, ref));
  gst_caps_unref (caps);
  gst_caps_unref (ref);

  caps = gst_weather_group_caps_new ();
  ref = gst_caps_from_string (GST_WEATHER_GROUP_CAPS);
  fail_unless (gst_caps_is_equal (caps, ref));
  gst_caps_unref (caps);
  gst_caps_unref (ref);

  caps = gst_weather_prediction_caps_new ();
  ref = gst_caps_from_string (GST_WEATHER_PREDICTION_CAPS);
  fail_unless (gst_caps_is_equal (caps, ref));
  ref = gst_caps_make_writable (ref);
  gst_caps_set_simple (ref, "version", G_TYPE_INT, 1, NULL);
  fail_if (gst_caps_can_intersect (caps, ref));
  gst_caps_unref (caps);
  gst_caps_unref (ref);
}

GST_END_TEST;

/* Writers make version 2; readers take 1 and 2, nothing else. */
GST_START_TEST (test_caps_versions)
{
  static const struct
  {
    const gchar *any;
    const gchar *media;
  } kinds[] = {
    {GST_WEATHER_GROUP_CAPS_ANY_VERSION, GST_WEATHER_GROUP_MEDIA_TYPE},
    {GST_WEATHER_PREDICTION_CAPS_ANY_VERSION,
        GST_WEATHER_PREDICTION_MEDIA_TYPE},
  };
  guint k;
  gint v;

  for (k = 0; k < G_N_ELEMENTS (kinds); k++) {
    GstCaps *any = gst_caps_from_string (kinds[k].any);

    fail_unless (any != NULL);
    for (v = 0; v <= 3; v++) {
      GstCaps *caps = gst_caps_new_simple (kinds[k].media, "version",
          G_TYPE_INT, v, NULL);

      fail_unless_equals_int (gst_caps_can_intersect (any, caps),
          v == 1 || v == 2);
      gst_caps_unref (caps);
    }
    gst_caps_unref (any);
  }
  fail_unless_equals_int (GST_WEATHER_GROUP_VERSION, 2);
  fail_unless_equals_int (GST_WEATHER_PREDICTION_VERSION, 2);
}

GST_END_TEST;

/* Keys */

GST_START_TEST (test_key_init)
{
  GstWeatherKey k;
  GError *err = NULL;

  gst_weather_key_init_all (&k);
  fail_unless_equals_int (k.kind, GST_WEATHER_KEY_ALL);
  fail_unless_equals_int (k.id, 0);
  fail_unless_equals_string (k.name, "all");
  fail_unless (gst_weather_key_validate (&k, NULL));

  gst_weather_key_init_station (&k, 17, "ws-attic");
  fail_unless_equals_int (k.kind, GST_WEATHER_KEY_STATION);
  fail_unless_equals_int (k.id, 17);
  fail_unless_equals_string (k.name, "ws-attic");
  fail_unless (gst_weather_key_validate (&k, NULL));
  /* a station known only by its number is named by it */
  gst_weather_key_init_station (&k, 4294967295u, NULL);
  fail_unless_equals_string (k.name, "4294967295");
  gst_weather_key_init_station (&k, 3, "");
  fail_unless_equals_string (k.name, "3");
  fail_unless (gst_weather_key_validate (&k, NULL));

  fail_unless (gst_weather_key_init_region (&k, "Zürich Nord", NULL));
  fail_unless_equals_int (k.kind, GST_WEATHER_KEY_REGION);
  fail_unless_equals_int (k.id,
      gst_weather_station_id_from_name ("Zürich Nord"));
  fail_unless_equals_string (k.name, "Zürich Nord");
  fail_unless (gst_weather_key_validate (&k, NULL));

  /* bad region names: the key is left alone */
  fail_if (gst_weather_key_init_region (&k, "", &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_RANGE));
  fail_unless (g_str_has_prefix (err->message, "region:"), "%s", err->message);
  g_clear_error (&err);
  fail_if (gst_weather_key_init_region (&k,
          "0123456789012345678901234567890123456789012345678901234567", &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_RANGE));
  g_clear_error (&err);
  fail_if (gst_weather_key_init_region (&k, "\xff\xfe", &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_UTF8));
  g_clear_error (&err);
  fail_unless_equals_string (k.name, "Zürich Nord");
}

GST_END_TEST;

/* The one rule of docs/schema.md, "Keys". */
GST_START_TEST (test_key_for_station)
{
  GstWeatherKey k, expect;
  GError *err = NULL;

  fail_unless (gst_weather_key_for_station (&k, GST_WEATHER_KEY_ALL, 5,
          "ws-5", "north", NULL));
  gst_weather_key_init_all (&expect);
  fail_unless (gst_weather_key_equal (&k, &expect));

  fail_unless (gst_weather_key_for_station (&k, GST_WEATHER_KEY_STATION, 5,
          "ws-5", "north", NULL));
  gst_weather_key_init_station (&expect, 5, "ws-5");
  fail_unless (gst_weather_key_equal (&k, &expect));

  fail_unless (gst_weather_key_for_station (&k, GST_WEATHER_KEY_REGION, 5,
          "ws-5", "north", NULL));
  fail_unless (gst_weather_key_init_region (&expect, "north", NULL));
  fail_unless (gst_weather_key_equal (&k, &expect));

  /* no region: a region of its own, named like the station */
  fail_unless (gst_weather_key_for_station (&k, GST_WEATHER_KEY_REGION, 5,
          "ws-5", NULL, NULL));
  fail_unless (gst_weather_key_init_region (&expect, "ws-5", NULL));
  fail_unless (gst_weather_key_equal (&k, &expect));
  fail_unless (gst_weather_key_for_station (&k, GST_WEATHER_KEY_REGION, 5,
          NULL, "", NULL));
  fail_unless (gst_weather_key_init_region (&expect, "5", NULL));
  fail_unless (gst_weather_key_equal (&k, &expect));

  fail_if (gst_weather_key_for_station (&k, GST_WEATHER_KEY_REGION, 5, NULL,
          "\xc3", &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_UTF8));
  g_clear_error (&err);
  fail_if (gst_weather_key_for_station (&k, (GstWeatherKeyKind) 7, 5, NULL,
          NULL, &err));
  fail_unless (g_str_has_prefix (err->message, "key.kind:"));
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_key_order)
{
  GstWeatherKey all, s1, s2, r1, r1b;
  GHashTable *table;

  gst_weather_key_init_all (&all);
  gst_weather_key_init_station (&s1, 1, "b");
  gst_weather_key_init_station (&s2, 2, "a");
  fail_unless (gst_weather_key_init_region (&r1, "north", NULL));
  r1b = r1;

  fail_unless (gst_weather_key_compare (&all, &s1) < 0);
  fail_unless (gst_weather_key_compare (&s1, &s2) < 0);
  fail_unless (gst_weather_key_compare (&s2, &r1) < 0);
  fail_unless (gst_weather_key_compare (&r1, &r1b) == 0);
  fail_unless (gst_weather_key_equal (&r1, &r1b));
  fail_if (gst_weather_key_equal (&s1, &s2));
  /* the same id under another name (a hash collision) is another key */
  g_strlcpy (r1b.name, "other", sizeof (r1b.name));
  fail_if (gst_weather_key_equal (&r1, &r1b));
  fail_unless (gst_weather_key_compare (&r1, &r1b) != 0);

  table = g_hash_table_new ((GHashFunc) gst_weather_key_hash,
      (GEqualFunc) gst_weather_key_equal);
  g_hash_table_add (table, &all);
  g_hash_table_add (table, &s1);
  g_hash_table_add (table, &r1);
  fail_unless (g_hash_table_contains (table, &s1));
  fail_if (g_hash_table_contains (table, &s2));
  fail_if (g_hash_table_contains (table, &r1b));
  g_hash_table_destroy (table);
}

GST_END_TEST;

GST_START_TEST (test_key_kind_names)
{
  GEnumClass *klass;
  GstWeatherKeyKind kind;
  guint i;
  static const gchar *kinds[] = { "all", "station", "region" };

  klass = g_type_class_ref (GST_TYPE_WEATHER_KEY_KIND);
  for (i = 0; i < G_N_ELEMENTS (kinds); i++) {
    fail_unless_equals_string (gst_weather_key_kind_to_string (i), kinds[i]);
    fail_unless (gst_weather_key_kind_from_string (kinds[i], &kind));
    fail_unless_equals_int (kind, i);
    /* the property nicks are the same names */
    fail_unless_equals_string (g_enum_get_value (klass, i)->value_nick,
        kinds[i]);
  }
  g_type_class_unref (klass);
  fail_unless (gst_weather_key_kind_to_string ((GstWeatherKeyKind) 3) == NULL);
  fail_if (gst_weather_key_kind_from_string ("All", &kind));
  fail_if (gst_weather_key_kind_from_string ("", &kind));
}

GST_END_TEST;

typedef struct
{
  const gchar *field;
  gint code;
  void (*spoil) (GstWeatherKey * k);
} BadKey;

#define KSPOIL(name, stmt) \
  static void kspoil_##name (GstWeatherKey * k) { stmt; }

KSPOIL (kind, k->kind = (GstWeatherKeyKind) 3);
KSPOIL (all_id, gst_weather_key_init_all (k);
    k->id = 1);
KSPOIL (all_name, gst_weather_key_init_all (k);
    g_strlcpy (k->name, "All", sizeof (k->name)));
KSPOIL (region_id, k->id++);
KSPOIL (empty, k->name[0] = '\0');
KSPOIL (station_empty, gst_weather_key_init_station (k, 4, NULL);
    k->name[0] = '\0');
KSPOIL (utf8, memcpy (k->name, "\xe2\x98", 3));
KSPOIL (unterminated, memset (k->name, 'n', sizeof (k->name)));

static const BadKey bad_keys[] = {
  {"key.kind:", GST_WEATHER_ERROR_RANGE, kspoil_kind},
  {"key.id:", GST_WEATHER_ERROR_RANGE, kspoil_all_id},
  {"key.id:", GST_WEATHER_ERROR_RANGE, kspoil_all_name},
  {"key.id:", GST_WEATHER_ERROR_RANGE, kspoil_region_id},
  {"key.name:", GST_WEATHER_ERROR_RANGE, kspoil_empty},
  {"key.name:", GST_WEATHER_ERROR_RANGE, kspoil_station_empty},
  {"key.name:", GST_WEATHER_ERROR_UTF8, kspoil_utf8},
  {"key.name:", GST_WEATHER_ERROR_RANGE, kspoil_unterminated},
};

GST_START_TEST (test_key_invalid)
{
  const BadKey *bad = &bad_keys[__i__];
  GstWeatherKey k;
  GError *err = NULL;

  fail_unless (gst_weather_key_init_region (&k, "north", NULL));
  bad->spoil (&k);
  fail_if (gst_weather_key_validate (&k, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR, bad->code), "%s",
      err->message);
  fail_unless (g_str_has_prefix (err->message, bad->field), "'%s' for %s",
      err->message, bad->field);
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_region_event)
{
  GstEvent *ev;
  guint32 id = 0;
  const gchar *region = NULL;
  GstStructure *s;

  ev = gst_weather_region_event_new (42, "north");
  fail_unless (ev != NULL);
  fail_unless_equals_int (GST_EVENT_TYPE (ev), GST_EVENT_CUSTOM_DOWNSTREAM);
  fail_unless (GST_EVENT_IS_SERIALIZED (ev));
  fail_if (GST_EVENT_IS_STICKY (ev));
  fail_unless (gst_weather_region_event_parse (ev, &id, &region));
  fail_unless_equals_int (id, 42);
  fail_unless_equals_string (region, "north");
  /* demux routes events that name a station to its pad */
  fail_unless (gst_structure_get_uint (gst_event_get_structure (ev),
          "station-id", &id));
  gst_event_unref (ev);

  /* bad names make no event */
  fail_unless (gst_weather_region_event_new (1, "") == NULL);
  fail_unless (gst_weather_region_event_new (1, "\xc3") == NULL);
  fail_unless (gst_weather_region_event_new (1,
          "0123456789012345678901234567890123456789012345678901234567") ==
      NULL);

  /* other events, and region events with bad fields, are not region
   * events */
  ev = gst_event_new_eos ();
  fail_if (gst_weather_region_event_parse (ev, &id, &region));
  gst_event_unref (ev);
  ev = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new ("something-else", "station-id", G_TYPE_UINT, 1,
          "region", G_TYPE_STRING, "x", NULL));
  fail_if (gst_weather_region_event_parse (ev, &id, &region));
  gst_event_unref (ev);
  s = gst_structure_new (GST_WEATHER_REGION_EVENT_NAME, "station-id",
      G_TYPE_INT, 1, "region", G_TYPE_STRING, "x", NULL);
  ev = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM, s);
  fail_if (gst_weather_region_event_parse (ev, &id, &region));
  gst_event_unref (ev);
  s = gst_structure_new (GST_WEATHER_REGION_EVENT_NAME, "station-id",
      G_TYPE_UINT, 1, "region", G_TYPE_STRING, "", NULL);
  ev = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM, s);
  fail_if (gst_weather_region_event_parse (ev, &id, &region));
  gst_event_unref (ev);
  s = gst_structure_new (GST_WEATHER_REGION_EVENT_NAME, "station-id",
      G_TYPE_UINT, 1, "region", G_TYPE_INT, 5, NULL);
  ev = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM, s);
  fail_if (gst_weather_region_event_parse (ev, &id, &region));
  gst_event_unref (ev);
  /* out of band: not in order with the readings, so not one */
  s = gst_structure_new (GST_WEATHER_REGION_EVENT_NAME, "station-id",
      G_TYPE_UINT, 1, "region", G_TYPE_STRING, "x", NULL);
  ev = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM_OOB, s);
  fail_if (gst_weather_region_event_parse (ev, &id, &region));
  gst_event_unref (ev);
}

GST_END_TEST;

/* Groups */

static void
make_group (GstWeatherGroup * g)
{
  guint i;

  gst_weather_group_init (g, 3);
  g->window_start = G_GINT64_CONSTANT (1764197000000000000);
  g->window_end = g->window_start + GST_SECOND;
  for (i = 0; i < 3; i++) {
    g->slots[i].station_id = i * 10 + 1;
    gst_weather_reading_set_station_name (&g->slots[i],
        i == 1 ? "ws \"mid\"" : "", NULL);
  }
  make_reading (&g->slots[0]);
  g->slots[0].station_id = 1;
  g->slots[0].created_at = g->window_start;
  g->slots[2].flags = 0;
  g->slots[2].created_at = g->window_end - 1;
  g->slots[2].pressure_hpa = 990.5;
  g->n_present = 2;
  g->flags = GST_WEATHER_GROUP_FLAG_INCOMPLETE;
  fail_unless (gst_weather_key_init_region (&g->key, "north", NULL));
}

GST_START_TEST (test_group_init)
{
  GstWeatherGroup g;
  guint i;

  gst_weather_group_init (&g, 5);
  fail_unless_equals_int (g.n_slots, 5);
  fail_unless_equals_int (g.n_present, 0);
  fail_unless_equals_int (g.key.kind, GST_WEATHER_KEY_ALL);
  fail_unless_equals_string (g.key.name, "all");
  for (i = 0; i < 5; i++)
    fail_unless_equals_int (g.slots[i].flags, GST_WEATHER_READING_FLAG_MISSING);
  gst_weather_group_clear (&g);
  fail_unless (g.slots == NULL);
  fail_unless_equals_int (g.n_slots, 0);
  gst_weather_group_clear (&g);
}

GST_END_TEST;

typedef struct
{
  GArray *slots;
} ForeachSlots;

static void
collect_slot (const GstWeatherReading * slot, gpointer user_data)
{
  g_array_append_vals (((ForeachSlots *) user_data)->slots, slot, 1);
}

/* gst_weather_group_foreach_slot() reads @buf as
 * gst_weather_group_from_buffer_version() does: the same verdict, the same
 * error, the same header and slots. */
static void
assert_foreach_agrees (GstBuffer * buf, gint version)
{
  GstWeatherGroup full, header;
  ForeachSlots seen = { g_array_new (FALSE, FALSE,
        sizeof (GstWeatherReading))
  };
  GError *err_full = NULL, *err_each = NULL;
  gboolean ok_full, ok_each;
  guint i;

  ok_full = gst_weather_group_from_buffer_version (buf, version, &full,
      &err_full);
  ok_each = gst_weather_group_foreach_slot (buf, version, &header,
      collect_slot, &seen, &err_each);
  fail_unless_equals_int (ok_each, ok_full);
  fail_unless (header.slots == NULL);
  if (ok_full) {
    fail_unless_equals_int64 (header.window_start, full.window_start);
    fail_unless_equals_int64 (header.window_end, full.window_end);
    fail_unless_equals_int (header.flags, full.flags);
    fail_unless_equals_int (header.n_slots, full.n_slots);
    fail_unless_equals_int (header.n_present, full.n_present);
    fail_unless (gst_weather_key_equal (&header.key, &full.key));
    fail_unless_equals_int (seen.slots->len, full.n_slots);
    for (i = 0; i < full.n_slots; i++)
      assert_reading_equal (&full.slots[i],
          &g_array_index (seen.slots, GstWeatherReading, i));
  } else {
    fail_unless (err_each != NULL);
    fail_unless_equals_int (err_each->code, err_full->code);
    fail_unless_equals_string (err_each->message, err_full->message);
  }
  g_clear_error (&err_full);
  g_clear_error (&err_each);
  g_array_unref (seen.slots);
  gst_weather_group_clear (&full);
}

GST_START_TEST (test_group_round_trip)
{
  GstWeatherGroup g, out;
  GstBuffer *buf, *again;
  GstMapInfo map;
  GError *err = NULL;
  guint i;

  make_group (&g);
  fail_unless (gst_weather_group_validate (&g, NULL));
  buf = gst_weather_group_to_buffer (&g);
  fail_unless_equals_int (gst_buffer_get_size (buf),
      GST_WEATHER_GROUP_HEADER_SIZE + 3 * GST_WEATHER_READING_SIZE);

  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless_equals_int64 ((gint64) GST_READ_UINT64_LE (map.data),
      g.window_start);
  fail_unless_equals_int64 ((gint64) GST_READ_UINT64_LE (map.data + 8),
      g.window_end);
  fail_unless_equals_int (GST_READ_UINT32_LE (map.data + 16), 1);
  fail_unless_equals_int (GST_READ_UINT32_LE (map.data + 20), 3);
  fail_unless_equals_int (GST_READ_UINT32_LE (map.data + 24), 2);
  fail_unless_equals_int (GST_READ_UINT32_LE (map.data + 28),
      GST_WEATHER_KEY_REGION);
  fail_unless_equals_int (GST_READ_UINT32_LE (map.data + 32),
      gst_weather_station_id_from_name ("north"));
  fail_unless_equals_int (GST_READ_UINT32_LE (map.data + 36), 0);
  fail_unless (memcmp (map.data + 40, "north", 6) == 0);
  for (i = 46; i < 96; i++)
    fail_unless_equals_int (map.data[i], 0);
  fail_unless_equals_int (GST_READ_UINT32_LE (map.data + 96 + 128), 11);
  gst_buffer_unmap (buf, &map);

  if (!gst_weather_group_from_buffer (buf, &out, &err))
    fail ("%s", err->message);
  fail_unless_equals_int64 (out.window_start, g.window_start);
  fail_unless_equals_int64 (out.window_end, g.window_end);
  fail_unless_equals_int (out.flags, g.flags);
  fail_unless_equals_int (out.n_slots, 3);
  fail_unless_equals_int (out.n_present, 2);
  fail_unless (gst_weather_key_equal (&out.key, &g.key));
  for (i = 0; i < 3; i++)
    assert_reading_equal (&g.slots[i], &out.slots[i]);

  /* the header alone, as a writer of large groups writes it */
  {
    guint8 header[GST_WEATHER_GROUP_HEADER_SIZE];

    memset (header, 0xab, sizeof (header));
    gst_weather_group_write_header (&g, header);
    fail_unless (gst_buffer_memcmp (buf, 0, header, sizeof (header)) == 0);
    fail_unless_equals_int (GST_WEATHER_GROUP_RECORD_SIZE (3),
        gst_buffer_get_size (buf));
  }

  assert_foreach_agrees (buf, 2);
  again = gst_weather_group_to_buffer (&out);
  fail_unless (gst_buffer_memcmp (again, 0, map.data, 0) == 0);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless (gst_buffer_memcmp (again, 0, map.data, map.size) == 0);
  gst_buffer_unmap (buf, &map);

  gst_buffer_unref (again);
  gst_buffer_unref (buf);
  gst_weather_group_clear (&out);
  gst_weather_group_clear (&g);
}

GST_END_TEST;

GST_START_TEST (test_group_empty)
{
  GstWeatherGroup g, out;
  GstBuffer *buf;

  gst_weather_group_init (&g, 0);
  g.window_start = 0;
  g.window_end = 1;
  fail_unless (gst_weather_group_validate (&g, NULL));
  buf = gst_weather_group_to_buffer (&g);
  fail_unless_equals_int (gst_buffer_get_size (buf), 96);
  fail_unless (gst_weather_group_from_buffer (buf, &out, NULL));
  fail_unless_equals_int (out.n_slots, 0);
  fail_unless_equals_string (out.key.name, "all");
  gst_buffer_unref (buf);
  gst_weather_group_clear (&out);
  gst_weather_group_clear (&g);
}

GST_END_TEST;

typedef struct
{
  const gchar *field;
  gint code;
  void (*spoil) (GstWeatherGroup * g);
} BadGroup;

#define GSPOIL(name, stmt) \
  static void gspoil_##name (GstWeatherGroup * g) { stmt; }

GSPOIL (start_neg, g->window_start = -1);
GSPOIL (end_before, g->window_end = g->window_start);
GSPOIL (flags, g->flags = 0x4);
GSPOIL (unsorted, g->slots[1].station_id = 1);
GSPOIL (descending, g->slots[2].station_id = 5);
GSPOIL (present_high, g->n_present = 3);
GSPOIL (present_low, g->n_present = 1);
GSPOIL (slot_invalid, g->slots[2].humidity_pct = 101);
GSPOIL (slot_before, g->slots[0].created_at = g->window_start - 1);
GSPOIL (slot_after, g->slots[2].created_at = g->window_end);
GSPOIL (slot_flags, g->slots[1].flags = 0x9);
GSPOIL (key_kind, g->key.kind = (GstWeatherKeyKind) 3);
GSPOIL (key_id, g->key.id = 7);
GSPOIL (key_name, g->key.name[0] = '\0');
GSPOIL (key_all, gst_weather_key_init_all (&g->key);
    g->key.id = 2);

static const BadGroup bad_groups[] = {
  {"window_start:", GST_WEATHER_ERROR_RANGE, gspoil_start_neg},
  {"window_end:", GST_WEATHER_ERROR_RANGE, gspoil_end_before},
  {"flags:", GST_WEATHER_ERROR_RANGE, gspoil_flags},
  {"stations[1].station_id:", GST_WEATHER_ERROR_RANGE, gspoil_unsorted},
  {"stations[2].station_id:", GST_WEATHER_ERROR_RANGE, gspoil_descending},
  {"present:", GST_WEATHER_ERROR_RANGE, gspoil_present_high},
  {"present:", GST_WEATHER_ERROR_RANGE, gspoil_present_low},
  {"stations[2].humidity_pct:", GST_WEATHER_ERROR_RANGE, gspoil_slot_invalid},
  {"stations[0].created_at:", GST_WEATHER_ERROR_RANGE, gspoil_slot_before},
  {"stations[2].created_at:", GST_WEATHER_ERROR_RANGE, gspoil_slot_after},
  {"stations[1].flags:", GST_WEATHER_ERROR_RANGE, gspoil_slot_flags},
  {"key.kind:", GST_WEATHER_ERROR_RANGE, gspoil_key_kind},
  {"key.id:", GST_WEATHER_ERROR_RANGE, gspoil_key_id},
  {"key.name:", GST_WEATHER_ERROR_RANGE, gspoil_key_name},
  {"key.id:", GST_WEATHER_ERROR_RANGE, gspoil_key_all},
};

GST_START_TEST (test_group_invalid)
{
  const BadGroup *bad = &bad_groups[__i__];
  GstWeatherGroup g, out;
  GstBuffer *buf;
  GError *err = NULL;

  make_group (&g);
  bad->spoil (&g);
  fail_if (gst_weather_group_validate (&g, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR, bad->code));
  fail_unless (g_str_has_prefix (err->message, bad->field), "'%s' for %s",
      err->message, bad->field);
  g_clear_error (&err);

  buf = gst_weather_group_to_buffer (&g);
  fail_if (gst_weather_group_from_buffer (buf, &out, &err));
  fail_unless (g_str_has_prefix (err->message, bad->field), "%s", err->message);
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (buf, 2);
  gst_buffer_unref (buf);
  gst_weather_group_clear (&g);
}

GST_END_TEST;

GST_START_TEST (test_group_bad_buffers)
{
  GstWeatherGroup g, out;
  GstBuffer *buf, *cut;
  GError *err = NULL;
  guint8 header[GST_WEATHER_GROUP_HEADER_SIZE] = { 0 };

  make_group (&g);
  buf = gst_weather_group_to_buffer (&g);

  /* short header */
  cut = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL, 0, 95);
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  /* one slot short */
  cut = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL, 0,
      96 + 2 * GST_WEATHER_READING_SIZE);
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  fail_unless (g_str_has_prefix (err->message, "payload:"));
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  /* reserved header word set */
  cut = gst_buffer_copy_deep (buf);
  gst_buffer_memset (cut, 37, 1, 1);
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "reserved:"));
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  /* garbage after the key's name */
  cut = gst_buffer_copy_deep (buf);
  gst_buffer_memset (cut, 95, 'k', 1);
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "key.name:"), "%s",
      err->message);
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  /* a version 2 reader given a version 1 record (32-byte header) */
  cut = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL, 64,
      32 + 3 * GST_WEATHER_READING_SIZE);
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE), "%s", err->message);
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  /* a slot count beyond the limit is refused before any allocation */
  GST_WRITE_UINT32_LE (header + 20, GST_WEATHER_GROUP_MAX_SLOTS + 1);
  GST_WRITE_UINT64_LE (header + 8, 1);
  cut = gst_buffer_new_memdup (header, sizeof (header));
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_RANGE));
  fail_unless (g_str_has_prefix (err->message, "expected:"));
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  /* a huge slot count with a short buffer is a size error */
  GST_WRITE_UINT32_LE (header + 20, 1000);
  cut = gst_buffer_new_memdup (header, sizeof (header));
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  /* a slot with garbage after its name */
  cut = gst_buffer_copy_deep (buf);
  gst_buffer_memset (cut, 96 + 128 + 72 + 50, 'x', 1);
  fail_if (gst_weather_group_from_buffer (cut, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "stations[1].station:"), "%s",
      err->message);
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  assert_foreach_agrees (cut, 2);
  gst_buffer_unref (cut);

  gst_buffer_unref (buf);
  gst_weather_group_clear (&g);
}

GST_END_TEST;

/* A version 1 group record of @g, as a writer of version 1 made it. */
static GstBuffer *
group_v1_buffer (const GstWeatherGroup * g)
{
  GstBuffer *v2 = gst_weather_group_to_buffer (g);
  GstBuffer *v1 = weather_group_v1_from_v2 (v2);

  gst_buffer_unref (v2);
  return v1;
}

/* Version 1 is read with the key of all stations; versions other than 1
 * and 2 are refused, clearly. */
GST_START_TEST (test_group_version_1)
{
  GstWeatherGroup g, out;
  GstBuffer *buf, *v2;
  GError *err = NULL;
  guint i;

  make_group (&g);
  buf = group_v1_buffer (&g);
  assert_foreach_agrees (buf, 1);
  if (!gst_weather_group_from_buffer_version (buf, 1, &out, &err))
    fail ("%s", err->message);
  fail_unless_equals_int (out.key.kind, GST_WEATHER_KEY_ALL);
  fail_unless_equals_string (out.key.name, "all");
  fail_unless_equals_int64 (out.window_start, g.window_start);
  fail_unless_equals_int (out.n_slots, 3);
  fail_unless_equals_int (out.n_present, 2);
  for (i = 0; i < 3; i++)
    assert_reading_equal (&g.slots[i], &out.slots[i]);
  /* written again, it is version 2 with the key of all stations */
  g.key = out.key;
  v2 = gst_weather_group_to_buffer (&out);
  gst_weather_group_clear (&out);
  fail_unless (gst_weather_group_from_buffer (v2, &out, NULL));
  fail_unless_equals_int (out.key.kind, GST_WEATHER_KEY_ALL);
  gst_weather_group_clear (&out);
  gst_buffer_unref (v2);

  /* version 2 is not read as version 1 */
  v2 = gst_weather_group_to_buffer (&g);
  assert_foreach_agrees (v2, 1);
  fail_if (gst_weather_group_from_buffer_version (v2, 1, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE), "%s", err->message);
  g_clear_error (&err);
  gst_weather_group_clear (&out);
  gst_buffer_unref (v2);

  /* version 1's reserved word is zero */
  gst_buffer_memset (buf, 29, 1, 1);
  assert_foreach_agrees (buf, 1);
  fail_if (gst_weather_group_from_buffer_version (buf, 1, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "reserved:"));
  g_clear_error (&err);
  gst_weather_group_clear (&out);

  /* versions this library does not know */
  assert_foreach_agrees (buf, 3);
  assert_foreach_agrees (buf, 0);
  fail_if (gst_weather_group_from_buffer_version (buf, 3, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_VERSION));
  fail_unless (g_str_has_prefix (err->message, "version: 3 "), "%s",
      err->message);
  g_clear_error (&err);
  fail_if (gst_weather_group_from_buffer_version (buf, 0, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_VERSION));
  g_clear_error (&err);

  gst_buffer_unref (buf);
  gst_weather_group_clear (&g);
}

GST_END_TEST;

/* Predictions */

static void
make_prediction (GstWeatherPrediction * p)
{
  gst_weather_prediction_init (p);
  p->window_start = G_GINT64_CONSTANT (1764197000000000000);
  p->window_end = p->window_start + 60 * GST_SECOND;
  p->model = GST_WEATHER_MODEL_ZAMBRETTI;
  p->flags = GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED;
  p->chance_of_rain_pct = 35.5;
  p->mean_pressure_hpa = 1008.25;
  p->pressure_trend_hpa = -1.6;
  p->mean_temperature_c = 11.4;
  p->stations_used = 9;
  p->stations_missing = 1;
  p->letter = 'E';
  g_strlcpy (p->forecast, "Fine, becoming less settled", sizeof (p->forecast));
  gst_weather_key_init_station (&p->key, 7, "garden");
}

static void
assert_prediction_equal (const GstWeatherPrediction * a,
    const GstWeatherPrediction * b)
{
  fail_unless_equals_int64 (a->window_start, b->window_start);
  fail_unless_equals_int64 (a->window_end, b->window_end);
  fail_unless_equals_int (a->model, b->model);
  fail_unless_equals_int (a->flags, b->flags);
  assert_double_same (a->chance_of_rain_pct, b->chance_of_rain_pct);
  assert_double_same (a->mean_pressure_hpa, b->mean_pressure_hpa);
  assert_double_same (a->pressure_trend_hpa, b->pressure_trend_hpa);
  assert_double_same (a->mean_temperature_c, b->mean_temperature_c);
  fail_unless_equals_int (a->stations_used, b->stations_used);
  fail_unless_equals_int (a->stations_missing, b->stations_missing);
  fail_unless_equals_int (a->letter, b->letter);
  fail_unless_equals_string (a->forecast, b->forecast);
  fail_unless (gst_weather_key_equal (&a->key, &b->key));
}

GST_START_TEST (test_prediction_layout)
{
  GstWeatherPrediction p, out;
  guint8 data[GST_WEATHER_PREDICTION_SIZE];
  GstBuffer *buf;
  guint i;

  make_prediction (&p);
  memset (data, 0xee, sizeof (data));
  gst_weather_prediction_write (&p, data);
  fail_unless_equals_int64 ((gint64) GST_READ_UINT64_LE (data), p.window_start);
  fail_unless_equals_int64 ((gint64) GST_READ_UINT64_LE (data + 8),
      p.window_end);
  fail_unless_equals_int (GST_READ_UINT32_LE (data + 16), 0);
  fail_unless_equals_int (GST_READ_UINT32_LE (data + 20), 1);
  fail_unless (GST_READ_DOUBLE_LE (data + 24) == 35.5);
  fail_unless (GST_READ_DOUBLE_LE (data + 32) == 1008.25);
  fail_unless (GST_READ_DOUBLE_LE (data + 40) == -1.6);
  fail_unless (GST_READ_DOUBLE_LE (data + 48) == 11.4);
  fail_unless_equals_int (GST_READ_UINT32_LE (data + 56), 9);
  fail_unless_equals_int (GST_READ_UINT32_LE (data + 60), 1);
  fail_unless_equals_int (data[64], 'E');
  for (i = 65; i < 72; i++)
    fail_unless_equals_int (data[i], 0);
  fail_unless (memcmp (data + 72, "Fine, becoming less settled", 28) == 0);
  for (i = 72 + 28; i < 128; i++)
    fail_unless_equals_int (data[i], 0);
  fail_unless_equals_int (GST_WEATHER_PREDICTION_SIZE, 192);
  fail_unless_equals_int (GST_READ_UINT32_LE (data + 128),
      GST_WEATHER_KEY_STATION);
  fail_unless_equals_int (GST_READ_UINT32_LE (data + 132), 7);
  fail_unless (memcmp (data + 136, "garden", 7) == 0);
  for (i = 136 + 7; i < GST_WEATHER_PREDICTION_SIZE; i++)
    fail_unless_equals_int (data[i], 0);

  buf = gst_weather_prediction_to_buffer (&p);
  fail_unless (gst_buffer_memcmp (buf, 0, data, sizeof (data)) == 0);
  fail_unless (gst_weather_prediction_from_buffer (buf, &out, NULL));
  assert_prediction_equal (&p, &out);
  gst_buffer_unref (buf);

  /* no letter, unknown trend, seed model, every flag */
  p.letter = 0;
  p.pressure_trend_hpa = NAN;
  p.mean_pressure_hpa = NAN;
  p.model = GST_WEATHER_MODEL_SEED;
  p.flags = 7;
  p.forecast[0] = '\0';
  buf = gst_weather_prediction_to_buffer (&p);
  fail_unless (gst_weather_prediction_from_buffer (buf, &out, NULL));
  assert_prediction_equal (&p, &out);
  gst_buffer_unref (buf);
}

GST_END_TEST;

typedef struct
{
  const gchar *field;
  gint code;
  void (*spoil) (GstWeatherPrediction * p);
} BadPrediction;

#define PSPOIL(name, stmt) \
  static void pspoil_##name (GstWeatherPrediction * p) { stmt; }

PSPOIL (start_neg, p->window_start = -10);
PSPOIL (end_before, p->window_end = p->window_start - 1);
PSPOIL (model, p->model = 2);
PSPOIL (flags, p->flags = 8);
PSPOIL (chance_nan, p->chance_of_rain_pct = NAN);
PSPOIL (chance_high, p->chance_of_rain_pct = 100.5);
PSPOIL (chance_low, p->chance_of_rain_pct = -1);
PSPOIL (pressure, p->mean_pressure_hpa = 700);
PSPOIL (trend_inf, p->pressure_trend_hpa = INFINITY);
PSPOIL (trend_big, p->pressure_trend_hpa = 301);
PSPOIL (temp, p->mean_temperature_c = 200);
PSPOIL (letter, p->letter = 'a');
PSPOIL (letter_ctl, p->letter = '\n');
PSPOIL (forecast_utf8, memcpy (p->forecast, "\xe2\x98", 3));
PSPOIL (forecast_unterminated, memset (p->forecast, 'f',
        GST_WEATHER_FORECAST_SIZE));
PSPOIL (key_kind, p->key.kind = (GstWeatherKeyKind) 9);
PSPOIL (key_name, p->key.name[0] = '\0');
PSPOIL (key_region_id, gst_weather_key_init_region (&p->key, "x", NULL);
    p->key.id = 1);

static const BadPrediction bad_predictions[] = {
  {"window_start:", GST_WEATHER_ERROR_RANGE, pspoil_start_neg},
  {"window_end:", GST_WEATHER_ERROR_RANGE, pspoil_end_before},
  {"model:", GST_WEATHER_ERROR_RANGE, pspoil_model},
  {"flags:", GST_WEATHER_ERROR_RANGE, pspoil_flags},
  {"chance_of_rain_pct:", GST_WEATHER_ERROR_RANGE, pspoil_chance_nan},
  {"chance_of_rain_pct:", GST_WEATHER_ERROR_RANGE, pspoil_chance_high},
  {"chance_of_rain_pct:", GST_WEATHER_ERROR_RANGE, pspoil_chance_low},
  {"mean_pressure_hpa:", GST_WEATHER_ERROR_RANGE, pspoil_pressure},
  {"pressure_trend_hpa:", GST_WEATHER_ERROR_RANGE, pspoil_trend_inf},
  {"pressure_trend_hpa:", GST_WEATHER_ERROR_RANGE, pspoil_trend_big},
  {"mean_temperature_c:", GST_WEATHER_ERROR_RANGE, pspoil_temp},
  {"forecast_letter:", GST_WEATHER_ERROR_RANGE, pspoil_letter},
  {"forecast_letter:", GST_WEATHER_ERROR_RANGE, pspoil_letter_ctl},
  {"forecast:", GST_WEATHER_ERROR_UTF8, pspoil_forecast_utf8},
  {"forecast:", GST_WEATHER_ERROR_RANGE, pspoil_forecast_unterminated},
  {"key.kind:", GST_WEATHER_ERROR_RANGE, pspoil_key_kind},
  {"key.name:", GST_WEATHER_ERROR_RANGE, pspoil_key_name},
  {"key.id:", GST_WEATHER_ERROR_RANGE, pspoil_key_region_id},
};

GST_START_TEST (test_prediction_invalid)
{
  const BadPrediction *bad = &bad_predictions[__i__];
  GstWeatherPrediction p, out;
  GstBuffer *buf;
  GError *err = NULL;

  make_prediction (&p);
  bad->spoil (&p);
  fail_if (gst_weather_prediction_validate (&p, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR, bad->code));
  fail_unless (g_str_has_prefix (err->message, bad->field), "'%s' for %s",
      err->message, bad->field);
  g_clear_error (&err);

  buf = gst_weather_prediction_to_buffer (&p);
  if (bad->spoil == pspoil_forecast_unterminated)
    gst_buffer_memset (buf, 72, 'f', GST_WEATHER_FORECAST_SIZE);
  fail_if (gst_weather_prediction_from_buffer (buf, &out, &err));
  fail_unless (g_str_has_prefix (err->message, bad->field), "%s", err->message);
  g_clear_error (&err);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_prediction_bad_buffers)
{
  GstWeatherPrediction p, out;
  GstBuffer *buf, *cut;
  GError *err = NULL;

  make_prediction (&p);
  buf = gst_weather_prediction_to_buffer (&p);

  cut = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL, 0, 127);
  fail_if (gst_weather_prediction_from_buffer (cut, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  g_clear_error (&err);
  gst_buffer_unref (cut);

  cut = gst_buffer_copy_deep (buf);
  gst_buffer_memset (cut, 70, 1, 1);
  fail_if (gst_weather_prediction_from_buffer (cut, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "reserved:"));
  g_clear_error (&err);
  gst_buffer_unref (cut);

  cut = gst_buffer_copy_deep (buf);
  gst_buffer_memset (cut, 127, 'z', 1);
  fail_if (gst_weather_prediction_from_buffer (cut, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "forecast:"));
  g_clear_error (&err);
  gst_buffer_unref (cut);

  cut = gst_buffer_copy_deep (buf);
  gst_buffer_memset (cut, 191, 'z', 1);
  fail_if (gst_weather_prediction_from_buffer (cut, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "key.name:"), "%s",
      err->message);
  g_clear_error (&err);
  gst_buffer_unref (cut);

  gst_buffer_unref (buf);
}

GST_END_TEST;

/* Version 1 (128 bytes) is read with the key of all stations; a version 2
 * reader refuses it by its size, and unknown versions are refused. */
GST_START_TEST (test_prediction_version_1)
{
  GstWeatherPrediction p, out;
  GstBuffer *buf, *v1;
  GError *err = NULL;

  make_prediction (&p);
  buf = gst_weather_prediction_to_buffer (&p);
  v1 = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL, 0, 128);

  if (!gst_weather_prediction_from_buffer_version (v1, 1, &out, &err))
    fail ("%s", err->message);
  gst_weather_key_init_all (&p.key);
  assert_prediction_equal (&p, &out);

  fail_if (gst_weather_prediction_from_buffer (v1, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  fail_unless (g_str_has_prefix (err->message, "payload: 128 bytes"), "%s",
      err->message);
  g_clear_error (&err);
  fail_if (gst_weather_prediction_from_buffer_version (buf, 1, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_SIZE));
  g_clear_error (&err);
  fail_if (gst_weather_prediction_from_buffer_version (buf, 3, &out, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_VERSION));
  fail_unless (g_str_has_prefix (err->message, "version: 3 "), "%s",
      err->message);
  g_clear_error (&err);

  /* version 1's own checks still apply */
  gst_buffer_memset (v1, 66, 1, 1);
  fail_if (gst_weather_prediction_from_buffer_version (v1, 1, &out, &err));
  fail_unless (g_str_has_prefix (err->message, "reserved:"));
  g_clear_error (&err);

  gst_buffer_unref (v1);
  gst_buffer_unref (buf);
}

GST_END_TEST;

GST_START_TEST (test_prediction_structure)
{
  GstWeatherPrediction p;
  GstStructure *s;
  gint64 i64;
  guint u;
  gdouble d;
  gboolean b;

  make_prediction (&p);
  p.flags = GST_WEATHER_PREDICTION_FLAG_INCOMPLETE;
  s = gst_weather_prediction_to_structure (&p);
  fail_unless (gst_structure_has_name (s, "weather-prediction"));
  fail_unless (gst_structure_get_int64 (s, "window-start", &i64));
  fail_unless_equals_int64 (i64, p.window_start);
  fail_unless (gst_structure_get_int64 (s, "window-end", &i64));
  fail_unless_equals_int64 (i64, p.window_end);
  fail_unless_equals_string (gst_structure_get_string (s, "model"),
      "zambretti");
  fail_unless (gst_structure_get_double (s, "chance-of-rain", &d));
  fail_unless (d == 35.5);
  fail_unless_equals_string (gst_structure_get_string (s, "letter"), "E");
  fail_unless_equals_string (gst_structure_get_string (s, "forecast"),
      "Fine, becoming less settled");
  fail_unless (gst_structure_get_double (s, "mean-pressure", &d));
  fail_unless (d == 1008.25);
  fail_unless (gst_structure_get_double (s, "pressure-trend", &d));
  fail_unless (d == -1.6);
  fail_unless (gst_structure_get_double (s, "mean-temperature", &d));
  fail_unless (d == 11.4);
  fail_unless (gst_structure_get_uint (s, "stations-used", &u));
  fail_unless_equals_int (u, 9);
  fail_unless (gst_structure_get_uint (s, "stations-missing", &u));
  fail_unless_equals_int (u, 1);
  fail_unless (gst_structure_get_boolean (s, "trend-estimated", &b));
  fail_if (b);
  fail_unless (gst_structure_get_boolean (s, "incomplete", &b));
  fail_unless (b);
  fail_unless (gst_structure_get_boolean (s, "no-data", &b));
  fail_if (b);
  fail_unless_equals_string (gst_structure_get_string (s, "key-kind"),
      "station");
  fail_unless (gst_structure_get_uint (s, "key-id", &u));
  fail_unless_equals_int (u, 7);
  fail_unless_equals_string (gst_structure_get_string (s, "key-name"),
      "garden");
  gst_structure_free (s);

  p.letter = 0;
  p.model = GST_WEATHER_MODEL_SEED;
  s = gst_weather_prediction_to_structure (&p);
  fail_unless_equals_string (gst_structure_get_string (s, "letter"), "");
  fail_unless_equals_string (gst_structure_get_string (s, "model"), "seed");
  gst_structure_free (s);
}

GST_END_TEST;

GST_START_TEST (test_model_to_string)
{
  GEnumClass *klass;

  fail_unless_equals_string (gst_weather_model_to_string
      (GST_WEATHER_MODEL_ZAMBRETTI), "zambretti");
  fail_unless_equals_string (gst_weather_model_to_string
      (GST_WEATHER_MODEL_SEED), "seed");
  fail_unless (gst_weather_model_to_string ((GstWeatherModel) 42) == NULL);

  /* the nicks of the GType agree with the strings */
  klass = g_type_class_ref (GST_TYPE_WEATHER_MODEL);
  fail_unless_equals_string (g_enum_get_value (klass,
          GST_WEATHER_MODEL_SEED)->value_nick, "seed");
  g_type_class_unref (klass);
}

GST_END_TEST;

static Suite *
weather_reading_suite (void)
{
  Suite *s = suite_create ("weather-records");
  TCase *tc = tcase_create ("reading");
  TCase *tg = tcase_create ("group");
  TCase *tp = tcase_create ("prediction");
  TCase *tk = tcase_create ("key");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_reading_init);
  tcase_add_test (tc, test_reading_layout);
  tcase_add_test (tc, test_reading_round_trip);
  tcase_add_test (tc, test_reading_extremes);
  tcase_add_loop_test (tc, test_reading_names, 0, G_N_ELEMENTS (names));
  tcase_add_test (tc, test_reading_name_rejected);
  tcase_add_loop_test (tc, test_reading_invalid, 0,
      G_N_ELEMENTS (bad_readings));
  tcase_add_test (tc, test_reading_missing_slot_valid);
  tcase_add_test (tc, test_reading_stream);
  tcase_add_test (tc, test_reading_nan_allowed);
  tcase_add_loop_test (tc, test_reading_wrong_size, 0,
      G_N_ELEMENTS (bad_sizes));
  tcase_add_test (tc, test_reading_name_padding);
  tcase_add_test (tc, test_reading_multi_memory);
  tcase_add_test (tc, test_reading_parse_batch);
  tcase_add_test (tc, test_station_id_from_name);
  tcase_add_test (tc, test_caps);
  tcase_add_test (tc, test_caps_versions);
  tcase_add_test (tc, test_error_quark);

  suite_add_tcase (s, tk);
  tcase_add_test (tk, test_key_init);
  tcase_add_test (tk, test_key_for_station);
  tcase_add_test (tk, test_key_order);
  tcase_add_test (tk, test_key_kind_names);
  tcase_add_loop_test (tk, test_key_invalid, 0, G_N_ELEMENTS (bad_keys));
  tcase_add_test (tk, test_region_event);

  suite_add_tcase (s, tg);
  tcase_add_test (tg, test_group_init);
  tcase_add_test (tg, test_group_round_trip);
  tcase_add_test (tg, test_group_empty);
  tcase_add_loop_test (tg, test_group_invalid, 0, G_N_ELEMENTS (bad_groups));
  tcase_add_test (tg, test_group_bad_buffers);
  tcase_add_test (tg, test_group_version_1);

  suite_add_tcase (s, tp);
  tcase_add_test (tp, test_prediction_layout);
  tcase_add_loop_test (tp, test_prediction_invalid, 0,
      G_N_ELEMENTS (bad_predictions));
  tcase_add_test (tp, test_prediction_bad_buffers);
  tcase_add_test (tp, test_prediction_version_1);
  tcase_add_test (tp, test_prediction_structure);
  tcase_add_test (tp, test_model_to_string);

  return s;
}

GST_CHECK_MAIN (weather_reading);
