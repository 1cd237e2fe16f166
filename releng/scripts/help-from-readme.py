#!/usr/bin/env python3
"""Writes the Eclipse help pages of org.trajlab.ui (bundles/org.trajlab.ui/help/*.html) from README.md sections.

Run it after changing those README sections: python3 releng/scripts/help-from-readme.py
HelpTest checks that every page still has the headings of its README section.
The converter handles the Markdown README.md uses: headings, paragraphs, lists, code blocks, tables, inline code,
bold, italics and links (links to other README sections become links to the page that holds them, or plain text).
"""
import html
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bundles" / "org.trajlab.ui" / "help"

# page file, title, first README heading (inclusive), heading it stops before
PAGES = [
    ("workbench.html", "The workbench", "## The workbench", "## Layout and design"),
    ("spec.html", "Run specs: the fields", "## Run specs", "## A run folder"),
    ("metrics.html", "A run folder and the metrics format", "## A run folder", "### The noise probe (paper 004)"),
    ("instruments.html", "The instruments", "### The noise probe (paper 004)", "## The workbench"),
    ("commands.html", "The headless command", "## The headless command", "## Run specs"),
]


def section(lines, start, stop):
    i = lines.index(start)
    j = lines.index(stop, i + 1)
    return lines[i:j]


def anchor(title):
    a = re.sub(r"[^\w\- ]", "", title.lower()).strip().replace(" ", "-")
    return a


IMAGES = set()


def inline(text, anchors):
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for p in parts:
        if p.startswith("`") and p.endswith("`") and len(p) >= 2:
            out.append("<code>" + html.escape(p[1:-1]) + "</code>")
            continue
        s = html.escape(p, quote=False)
        s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
        s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", s)

        def link(m):
            label, target = m.group(1), m.group(2)
            if target.startswith("#") and target[1:] in anchors:
                return '<a href="%s#%s">%s</a>' % (anchors[target[1:]], target[1:], label)
            return label

        def image(m):  # a README screenshot (docs/images/x.png) is copied beside the pages (help/images/x.png)
            alt, target = m.group(1), m.group(2)
            IMAGES.add(target)
            return '<img src="images/%s" alt="%s" width="640"/>' % (Path(target).name, alt)

        s = re.sub(r"!\[([^\]]*)\]\(([^)]+)\)", image, s)
        s = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", link, s)
        out.append(s)
    return "".join(out)


def convert(lines, anchors):
    out = []
    i = 0
    para = []

    def flush():
        if para:
            out.append("<p>" + inline(" ".join(para), anchors) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append("<pre>" + html.escape("\n".join(lines[i + 1:j])) + "</pre>")
            i = j + 1
            continue
        m = re.match(r"^(#{2,4}) (.*)$", line)
        if m:
            flush()
            level = len(m.group(1)) - 1  # ## -> h1 on its page
            out.append('<h%d id="%s">%s</h%d>' % (level, anchor(m.group(2)), inline(m.group(2), anchors), level))
            i += 1
            continue
        if line.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            out.append("<table>")
            for k, r in enumerate(rows):
                if k == 1 and re.match(r"^\|[\s\-:|]+\|$", r):
                    continue
                cells = [c.strip() for c in re.split(r"(?<!\\)\|", r.strip()[1:-1])]
                tag = "th" if k == 0 else "td"
                out.append("<tr>" + "".join("<%s>%s</%s>" % (tag, inline(c.replace("\\|", "|"), anchors), tag)
                                            for c in cells) + "</tr>")
            out.append("</table>")
            continue
        if re.match(r"^\s*[-*] ", line):
            flush()
            out.append("<ul>")
            while i < len(lines) and (re.match(r"^\s*[-*] ", lines[i]) or (lines[i].startswith("  ") and lines[i].strip())):
                item = [re.sub(r"^\s*[-*] ", "", lines[i])]
                i += 1
                while i < len(lines) and lines[i].startswith("  ") and lines[i].strip() and not re.match(r"^\s*[-*] ", lines[i]):
                    item.append(lines[i].strip())
                    i += 1
                out.append("<li>" + inline(" ".join(item), anchors) + "</li>")
            out.append("</ul>")
            continue
        if not line.strip():
            flush()
        else:
            para.append(line.strip())
        i += 1
    flush()
    return "\n".join(out)


STYLE = ("body{font-family:sans-serif;max-width:60em;margin:1em auto;line-height:1.4}"
         "code,pre{font-family:monospace;background:#f4f4f4}pre{padding:.5em;overflow:auto}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .4em;vertical-align:top}")


def main():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").split("\n")
    anchors = {}
    sections = {}
    for page, title, start, stop in PAGES:
        sec = section(lines, start, stop)
        sections[page] = sec
        for l in sec:
            m = re.match(r"^#{2,4} (.*)$", l)
            if m:
                anchors[anchor(m.group(1))] = page
    OUT.mkdir(parents=True, exist_ok=True)
    for page, title, start, stop in PAGES:
        body = convert(sections[page], anchors)
        text = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="UTF-8"/><title>%s</title><style>%s</style>'
                '</head>\n<body>\n<!-- generated from README.md by releng/scripts/help-from-readme.py -->\n%s\n</body></html>\n'
                % (html.escape(title), STYLE, body))
        (OUT / page).write_text(text, encoding="utf-8")
        print("wrote", OUT / page, file=sys.stderr)
    for target in sorted(IMAGES):
        src = ROOT / target
        if not src.is_file():
            sys.exit("README.md shows %s, which is not in the repository" % target)
        (OUT / "images").mkdir(exist_ok=True)
        shutil.copyfile(src, OUT / "images" / src.name)
        print("copied", src, "to", OUT / "images", file=sys.stderr)


if __name__ == "__main__":
    main()
