#!/usr/bin/env python3
"""check-docs.py: every public function has its doc comment.

    check-docs.py SYMBOLS HEADER…
    check-docs.py --installed MESON BUILD_DIR SYMBOLS
    check-docs.py --planted

--installed checks the headers `meson install` puts in the include directory (into a
temporary --destdir), so that a new public header is checked without being listed here.

For each symbol SYMBOLS lists (the library's exported symbols, wmisim.symbols), finds its
declaration in the installed HEADERs and checks that the comment right before it (only
WSIM_EXPORT, G_GNUC_* attributes and blank lines between) is a doc comment, "/**", that
names the symbol (or no other symbol: a "/** Returns: … */" summary): the forms the headers use
(docs/embedding.md). A symbol no header declares is reported too: an export without a
public declaration. Exits 1 and prints each problem.

--planted checks the checker: a header with one documented and one undocumented function
must report the second, and only it.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

COMMENT = re.compile(r'/\*.*?\*/', re.S)
BETWEEN_OK = re.compile(r'^(\s|WSIM_EXPORT|G_GNUC_[A-Z_]+(\([^)]*\))?)*$')


def declarations(text, name):
    """Offsets of @name's declarations in @text: `name (` outside comments, not a call."""
    masked = COMMENT.sub(lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text)
    for m in re.finditer(r'\b%s\s*\(' % re.escape(name), masked):
        line_start = masked.rfind('\n', 0, m.start()) + 1
        before = masked[line_start:m.start()]
        # A declaration: the name starts its line or follows a type, never "= f (" or "f (".
        if '=' in before or 'return' in before or before.lstrip().startswith('#'):
            continue
        yield m.start(), line_start
    for m in re.finditer(r'\bextern\b[^;]*\b%s\b\s*;' % re.escape(name), masked):
        yield m.start(), masked.rfind('\n', 0, m.start()) + 1


def documented(text, line_start, name):
    """Is the comment just before @line_start (a declaration's first line) a doc comment?"""
    # The declaration may begin on an earlier line (the return type alone on a line).
    head = text[:line_start]
    end = head.rfind('*/')
    if end < 0:
        return False
    start = head.rfind('/*', 0, end)
    between = head[end + 2:]
    # Lines of the declaration's return type or attributes come between: allow one line of
    # type words (e.g. "const char *") above the name's line.
    between_lines = [l for l in between.split('\n') if l.strip()]
    if len(between_lines) > 2 or not all(
            BETWEEN_OK.match(l) or re.match(r'^[A-Za-z_][\w\s\*]*$', l) for l in between_lines):
        return False
    comment = head[start:end + 2]
    if not comment.startswith('/**'):
        return False
    # A gtk-doc block names its symbol first ("/**\n * wsim_x:"); one that names another is
    # that one's, not this one's. A summary ("/** Returns: …") is the next declaration's.
    # A symbol's name has an underscore ("wsim_x:"), gtk-doc's keywords none ("Returns:").
    named = re.match(r'/\*\*\s*(?:\n\s*\*\s*)?([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*):', comment)
    return named is None or named.group(1) == name


def check(symbols, headers):
    texts = {h: open(h, encoding='utf-8').read() for h in headers}
    problems = []
    for name in symbols:
        found = False
        for h, text in texts.items():
            for _, line_start in declarations(text, name):
                found = True
                if not documented(text, line_start, name):
                    problems.append('%s: %s has no doc comment' % (os.path.basename(h), name))
                break
            if found:
                break
        if not found:
            problems.append('%s is exported but no public header declares it' % name)
    return problems


def planted():
    with tempfile.TemporaryDirectory() as d:
        h = os.path.join(d, 'planted.h')
        with open(h, 'w') as f:
            f.write('/**\n * wsim_good:\n * Does good.\n */\nWSIM_EXPORT\nvoid wsim_good (void);\n\n'
                    '/** Returns: one. */\nint wsim_short (void);\n\n'
                    '/* not a doc comment */\nWSIM_EXPORT\nvoid wsim_bad (void);\n\n'
                    '/** wsim_other: Another one\'s. */\nvoid wsim_borrowed (void);\n')
        got = check(['wsim_good', 'wsim_short', 'wsim_bad', 'wsim_borrowed', 'wsim_missing'], [h])
        want = ['planted.h: wsim_bad has no doc comment',
                'planted.h: wsim_borrowed has no doc comment',
                'wsim_missing is exported but no public header declares it']
        if got != want:
            print('check-docs.py --planted: got %r, want %r' % (got, want))
            return 1
        print('check-docs.py --planted: the undocumented and the undeclared symbol are reported')
        return 0


def installed_headers(meson, build, tmp):
    subprocess.run([meson, 'install', '-C', build, '--destdir', tmp, '--no-rebuild', '--quiet'],
                   check=True, stdout=subprocess.DEVNULL)
    for dirpath, _, names in os.walk(tmp):
        if 'wsim-client.h' in names:
            return sorted(os.path.join(dirpath, n) for n in names if n.endswith('.h'))
    sys.exit('check-docs.py: no wsim-client.h installed under %s' % tmp)


def main():
    if sys.argv[1:] == ['--planted']:
        return planted()
    tmp = None
    if len(sys.argv) == 5 and sys.argv[1] == '--installed':
        tmp = tempfile.mkdtemp(prefix='wsim-docs.')
        symbols_file = sys.argv[4]
        headers = installed_headers(sys.argv[2], sys.argv[3], tmp)
    elif len(sys.argv) >= 3 and not sys.argv[1].startswith('--'):
        symbols_file, headers = sys.argv[1], sys.argv[2:]
    else:
        sys.exit(__doc__)
    symbols = [l.strip() for l in open(symbols_file) if l.strip() and not l.startswith('#')]
    try:
        problems = check(symbols, headers)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp)
    for p in problems:
        print(p)
    print('check-docs.py: %d exported symbols in %d headers, %d undocumented or undeclared'
          % (len(symbols), len(headers), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
