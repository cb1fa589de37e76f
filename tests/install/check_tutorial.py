#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_tutorial.py TUTORIAL.md SAMPLE_DIR

Every fenced ```cpp and ```cmake block of the tutorial must appear verbatim in a file of the
sample directory, so the tutorial cannot drift from the code that is compiled and tested. A block
preceded by a line `<!-- file: NAME -->` must be the whole of SAMPLE_DIR/NAME."""
import pathlib
import re
import sys


def main() -> int:
    tutorial = pathlib.Path(sys.argv[1])
    sample_dir = pathlib.Path(sys.argv[2])
    sources = {p.name: p.read_text(encoding="utf-8") for p in sample_dir.iterdir() if p.is_file()}
    text = tutorial.read_text(encoding="utf-8")
    pattern = re.compile(r"(?:<!-- file: (?P<file>[^ ]+) -->\n)?```(?P<lang>cpp|cmake)\n(?P<body>.*?)```",
                         re.S)
    failures = 0
    blocks = 0
    for match in pattern.finditer(text):
        blocks += 1
        body = match.group("body")
        line = text.count("\n", 0, match.start()) + 1
        whole = match.group("file")
        if whole:
            if sources.get(whole) != body:
                print(f"{tutorial}:{line}: block is not the whole of {sample_dir / whole}")
                failures += 1
        elif not any(body in source for source in sources.values()):
            print(f"{tutorial}:{line}: block does not appear verbatim in {sample_dir}")
            failures += 1
    if blocks == 0:
        print(f"{tutorial}: no code blocks found")
        return 1
    print(f"{blocks} code blocks checked, {failures} out of step")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
