#!/usr/bin/python3
# gst-weather
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Validate JSON lines against the schemas of docs/schema/.

Usage: validate-schemas.py SCHEMA FILE...  (SCHEMA: reading, group or
prediction; FILE "-" reads stdin). With no arguments it checks the sample
files of tests/data/ and that a few invalid records are refused.
Needs python3-jsonschema (4.x, draft 2020-12). Exit status 0 when
everything is as expected, 1 otherwise, 77 when jsonschema is missing.
"""
import json
import pathlib
import sys

try:
    from jsonschema import Draft202012Validator, RefResolver
except ImportError:
    print('python3-jsonschema is not installed', file=sys.stderr)
    sys.exit(77)

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SCHEMAS = {n: json.loads((ROOT / 'docs' / 'schema' / f'{n}.schema.json')
                         .read_text()) for n in ('reading', 'group',
                                                  'prediction')}
STORE = {s['$id']: s for s in SCHEMAS.values()}

# Version 1 records (no key) are still valid.
VALID = {
    'group': [
        '{"version":1,"window_start":0,"window_end":1,"stations":[]}',
        '{"key":{"kind":"station","id":4},"window_start":0,"window_end":1,'
        '"stations":[]}',
    ],
    'prediction': [
        '{"version":1,"window_start":0,"window_end":1,"model":"seed",'
        '"chance_of_rain_pct":1}',
        '{"key":{"kind":"region","name":"north"},"window_start":0,'
        '"window_end":1,"model":"seed","chance_of_rain_pct":1}',
    ],
}

INVALID = {
    'reading': [
        '{"created_at":0}',
        '{"station_id":1,"created_at":0,"humidity_pct":120}',
        '{"station_id":1,"created_at":"2024-01-01T00:00:00"}',
        '{"version":2,"station_id":1,"created_at":0}',
        '{"station_id":1,"created_at":0,"missing":true}',
    ],
    'group': [
        '{"window_start":0,"window_end":1,"stations":[{"station_id":1}]}',
        '{"window_start":0,"window_end":1}',
        '{"version":3,"window_start":0,"window_end":1,"stations":[]}',
        '{"version":1,"key":{"kind":"all"},"window_start":0,"window_end":1,'
        '"stations":[]}',
        '{"key":{"kind":"city","name":"x"},"window_start":0,"window_end":1,'
        '"stations":[]}',
        '{"key":{"kind":"all","name":"everything"},"window_start":0,'
        '"window_end":1,"stations":[]}',
        '{"key":{"kind":"station","name":"x"},"window_start":0,'
        '"window_end":1,"stations":[]}',
        '{"key":{"kind":"region","id":1},"window_start":0,"window_end":1,'
        '"stations":[]}',
        '{"key":{"kind":"region","name":""},"window_start":0,"window_end":1,'
        '"stations":[]}',
        '{"key":"north","window_start":0,"window_end":1,"stations":[]}',
    ],
    'prediction': [
        '{"window_start":0,"window_end":1,"model":"fog",'
        '"chance_of_rain_pct":1}',
        '{"window_start":0,"window_end":1,"model":"seed",'
        '"chance_of_rain_pct":1,"forecast_letter":"ab"}',
        '{"version":1,"key":{"kind":"station","id":1},"window_start":0,'
        '"window_end":1,"model":"seed","chance_of_rain_pct":1}',
        '{"key":{"kind":"station","id":-1},"window_start":0,"window_end":1,'
        '"model":"seed","chance_of_rain_pct":1}',
    ],
}


def validator(name):
    schema = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(
        schema, resolver=RefResolver.from_schema(schema, store=STORE),
        format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_lines(name, lines, where):
    v = validator(name)
    bad = 0
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        for e in v.iter_errors(json.loads(line)):
            print(f'{where}:{n}: {e.message}')
            bad += 1
    return bad


def main(argv):
    bad = 0
    if argv:
        name = argv[0]
        for f in argv[1:]:
            text = sys.stdin.read() if f == '-' else pathlib.Path(f).read_text()
            bad += check_lines(name, text.splitlines(), f)
        return 1 if bad else 0
    for name in SCHEMAS:
        path = ROOT / 'tests' / 'data' / f'{name}s.jsonl'
        bad += check_lines(name, path.read_text().splitlines(), str(path))
        v = validator(name)
        for text in INVALID[name]:
            if v.is_valid(json.loads(text)):
                print(f'{name}: accepted invalid {text}')
                bad += 1
        for text in VALID.get(name, []):
            for e in v.iter_errors(json.loads(text)):
                print(f'{name}: refused valid {text}: {e.message}')
                bad += 1
    print('schemas: ok' if not bad else f'schemas: {bad} problems')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
