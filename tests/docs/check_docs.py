#!/usr/bin/python3
# gst-weather
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Keeps docs/elements/*.md in step with what gst-inspect-1.0 shows.

For every element of the weather plugin (as gst-inspect-1.0 weather lists
them) there must be a reference page, docs/elements/NAME.md (or a page whose
heading names the element), and that page must name:

- every property the element itself defines (its name as a word, `name`
  or plain; inherited base-class properties such as GstBaseSrc's
  num-buffers are reported, not required),
- every pad template (`src_%u` ...),
- an example launch line: a code block running gst-launch-1.0 with the
  element in it.

And the other way round: every property listed in the table of the page's
"Properties" section (a Markdown row starting with | `name` | or | name |) must exist
on the element, so a renamed or removed property cannot linger in the
docs.

Exit 0 = in step, 1 = not, 77 = skipped (no python3-gst-1.0).
"""

import os
import re
import subprocess
import sys

SRCDIR = os.environ.get("WEATHER_TEST_SRCDIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
DOCS = os.path.join(SRCDIR, "docs", "elements")

try:
    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import GObject, Gst
except (ImportError, ValueError) as e:
    print("SKIP: python3-gst-1.0 missing: %s" % e)
    sys.exit(77)


def plugin_elements():
    """The element names gst-inspect-1.0 lists for the plugin."""
    out = subprocess.run(["gst-inspect-1.0", "weather"], capture_output=True,
                         text=True, check=True).stdout
    names = []
    for line in out.splitlines():
        if re.match(r"^\s*\d+ features?:", line):
            break
        # "  demux: Long name" (the details above are capitalised)
        m = re.match(r"^  ([a-z0-9]+): ", line)
        if m:
            names.append(m.group(1))
    return names


def page_for(name, pages):
    direct = os.path.join(DOCS, name + ".md")
    if os.path.exists(direct):
        return direct
    for p, text in pages.items():
        if re.search(r"^#.*\b%s\b" % re.escape(name), text, re.M):
            return p
    return None


def mentions(text, word):
    """@word in @text as a word of its own (hyphens belong to words)."""
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(word),
                     text) is not None


def own_properties(element):
    gtype = element.__gtype__
    own, inherited = [], []
    for pspec in element.list_properties():
        if pspec.name in ("name", "parent"):
            continue
        (own if pspec.owner_type == gtype else inherited).append(pspec.name)
    return own, inherited


def main():
    Gst.init(None)
    names = plugin_elements()
    if not names:
        print("FAIL: gst-inspect-1.0 weather lists no elements")
        return 1
    pages = {}
    if os.path.isdir(DOCS):
        for f in sorted(os.listdir(DOCS)):
            if f.endswith(".md"):
                with open(os.path.join(DOCS, f), encoding="utf-8") as fh:
                    pages[os.path.join(DOCS, f)] = fh.read()

    problems = []
    notes = []
    for name in names:
        element = Gst.ElementFactory.make(name, None)
        if element is None:
            problems.append("%s: listed by gst-inspect-1.0 but cannot be "
                            "made" % name)
            continue
        page = page_for(name, pages)
        if page is None:
            problems.append("%s: no reference page docs/elements/%s.md" %
                            (name, name))
            continue
        text = pages[page]
        rel = os.path.relpath(page, SRCDIR)
        own, inherited = own_properties(element)
        for prop in own:
            if not mentions(text, prop):
                problems.append("%s: property %s (gst-inspect-1.0 %s) is "
                                "not in %s" % (name, prop, name, rel))
        for prop in inherited:
            if not mentions(text, prop):
                notes.append("%s: inherited property %s not mentioned in %s"
                             % (name, prop, rel))
        for tmpl in element.get_pad_template_list():
            if tmpl.name_template not in text:
                problems.append("%s: pad template %s is not in %s" %
                                (name, tmpl.name_template, rel))
        blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S)
        if not any("gst-launch-1.0" in b and re.search(r"\b%s\b" %
                                                       re.escape(name), b)
                   for b in blocks):
            problems.append("%s: %s has no example launch line (a code "
                            "block with gst-launch-1.0 ... %s ...)" %
                            (name, rel, name))
        # the page's own property table must not name what is not there
        props = re.search(r"^## Properties\s*$(.*?)(?=^## |\Z)", text,
                          re.M | re.S)
        if os.path.basename(page) == name + ".md" and props:
            known = set(p.name for p in element.list_properties())
            rows = props.group(1).splitlines()
            for i, row in enumerate(rows):
                m = re.match(r"^\|\s*`?([a-z][a-z0-9-]*)`?\s*\|", row)
                # a table's header row is followed by its |---| line
                if m is None or (i + 1 < len(rows) and
                                 rows[i + 1].startswith("|-")):
                    continue
                if m.group(1) not in known:
                    problems.append("%s: %s documents a property %s that "
                                    "gst-inspect-1.0 does not list" %
                                    (name, rel, m.group(1)))
    for n in notes:
        print("note: " + n)
    for p in problems:
        print("FAIL: " + p)
    print("%d elements checked against %d pages: %d problems" %
          (len(names), len(pages), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
