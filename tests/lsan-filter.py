#!/usr/bin/env python3
"""lsan-filter.py REPORT: exit 0 if the sanitizer report REPORT holds a real finding.

A LeakSanitizer block whose stack, above the allocator's own frame, lies entirely in
libcriterion (and libc's start-up code below its main) is the test runner's bookkeeping
and does not count. Anything else counts:
a leak with any other frame, or any non-leak report (ASan errors, UBSan)."""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
if "ERROR: LeakSanitizer" not in text:
    sys.exit(0 if text.strip() else 1)

real = False
for block in re.split(r"\n\s*\n", text):
    if not re.search(r"(Direct|Indirect) leak of", block):
        continue
    frames = re.findall(r"^\s*#(\d+) 0x[0-9a-f]+ (.*)$", block, re.M)
    above = [f for n, f in frames if int(n) > 0]
    # The runner's own frames: libcriterion, then libc's start-up code below main.
    runner = [f for f in above if "libc_start" not in f and " _start" not in f]
    if not runner or not all("libcriterion" in f for f in runner):
        real = True
sys.exit(0 if real else 1)
