#!/usr/bin/env python3
"""The module map of docs/architecture.md, drawn from Package.swift.

    architecture.py write   rewrite the block between the markers in docs/architecture.md
    architecture.py check   fail if the block differs from what Package.swift says (make lint)

Targets, their kinds and dependencies come from `swift package dump-package`; the one-line
description of each target is the `//` comment right above it in Package.swift, and its group
the `// MARK:` line above that.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- modules:begin (tools/docs/architecture.py) -->", "<!-- modules:end -->"


def descriptions():
    """Target name -> (group, description) from the comments of Package.swift."""
    group, comment, out = "", [], {}
    opened = ""  # a `.target(` whose `name:` is on the next line
    for line in (ROOT / "Package.swift").read_text().splitlines():
        stripped, opened = opened + line.strip(), ""
        if re.fullmatch(r'\.(?:target|testTarget|executableTarget|systemLibrary)\(', stripped):
            opened = stripped
            continue
        if stripped.startswith("// MARK:"):
            group, comment = stripped[len("// MARK:"):].strip(), []
        elif stripped.startswith("//"):
            comment.append(stripped[2:].strip())
        else:
            match = re.match(r'\.(?:target|testTarget|executableTarget|systemLibrary)\(name: "([^"]+)"', stripped)
            if match:
                out[match.group(1)] = (group, " ".join(comment))
            if stripped:
                comment = []
    return out


def table():
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout)
    targets = {t["name"]: t for t in dump["targets"]}
    notes = descriptions()
    tests = {t["name"][:-len("Tests")]: t["name"] for t in dump["targets"] if t["type"] == "test"}

    def deps(t):
        names = []
        for dep in t["dependencies"]:
            if "byName" in dep or "target" in dep:
                names.append((dep.get("byName") or dep.get("target"))[0])
            elif "product" in dep:
                names.append(dep["product"][0] + " (package)")
        return ", ".join(names) or "—"

    rows, group = [], None
    for name, t in targets.items():
        if t["type"] == "test" or name == "TestSupport":
            continue
        g, what = notes.get(name, ("", ""))
        if g != group:
            rows.append(f"| **{g}** | | | |")
            group = g
        kind = {"system": "C library", "executable": "executable"}.get(t["type"], "library")
        folder = t.get("path") or ("Sources/" + name)
        tested = tests.get(name, "—")
        rows.append(f"| `{name}` ({kind}, `{folder}`) | {what} | {deps(t)} | {tested} |")
    header = ["| module | what it holds | depends on | tests |", "|---|---|---|---|"]
    return "\n".join([BEGIN] + header + rows + [END])


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    text = DOC.read_text()
    if BEGIN not in text or END not in text:
        sys.exit(f"{DOC}: the markers {BEGIN} … {END} are missing")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    fresh = table()
    if mode == "write":
        DOC.write_text(text[:start] + fresh + text[end:])
    elif text[start:end] != fresh:
        sys.exit(f"{DOC}: the module table differs from Package.swift; run `make docs` (tools/docs/architecture.py write)")


if __name__ == "__main__":
    main()
