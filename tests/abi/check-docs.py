#!/usr/bin/env python3
"""check-docs.py: every public function has its gtk-doc comment.

    check-docs.py SYMBOLS HEADER…
    check-docs.py --installed MESON BUILD_DIR SYMBOLS
    check-docs.py --planted

--installed checks the headers `meson install` puts in the include directory (into a
temporary --destdir), so that a new public header is checked without being listed here.

For each symbol SYMBOLS lists (the library's exported symbols, wmisim.symbols), finds its
declaration in the installed HEADERs and checks that the comment right before it (only
WSIM_EXPORT, G_GNUC_* attributes and blank lines between) is the gtk-doc block gtk-doc
attaches to it (docs/api-reference.md): "/**", then a line naming the symbol, then an
"@name:" line for each parameter (in any order, before the first blank line), a description
(gtk-doc counts a symbol without one as undocumented), and "Returns:" unless it returns void.
A symbol no header declares is reported too: an export without a public declaration. Exits 1
and prints each problem. It needs no gtk-doc; the docs suite's gtkdoc-check test (with
-Dgtk_doc=true) reads gtk-doc's own report.

--planted checks the checker: a header with one symbol of each kind of problem and two
documented ones must report each problem, and only them.
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


def comment_before(text, line_start):
    """The comment just before @line_start (a declaration's first line), or None."""
    # The declaration may begin on an earlier line (the return type alone on a line).
    head = text[:line_start]
    end = head.rfind('*/')
    if end < 0:
        return None
    start = head.rfind('/*', 0, end)
    between = head[end + 2:]
    # Lines of the declaration's return type or attributes come between: allow one line of
    # type words (e.g. "const char *") above the name's line.
    between_lines = [l for l in between.split('\n') if l.strip()]
    if len(between_lines) > 2 or not all(
            BETWEEN_OK.match(l) or re.match(r'^[A-Za-z_][\w\s\*]*$', l) for l in between_lines):
        return None
    return head[start:end + 2]


def split_params(inner):
    """The parameter declarations of a prototype's parameter list, split at top-level commas."""
    parts, depth, cur = [], 0, ''
    for c in inner:
        depth += (c == '(') - (c == ')')
        if c == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += c
    return [' '.join(p.split()) for p in parts + [cur]]


def prototype(text, pos):
    """(returns void?, parameter names) of the prototype whose name is at @pos, right after
    its doc comment."""
    masked = COMMENT.sub(lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text)
    open_paren = masked.index('(', pos)
    depth, i = 0, open_paren
    while True:
        depth += (masked[i] == '(') - (masked[i] == ')')
        if depth == 0:
            break
        i += 1
    names = []
    for p in split_params(masked[open_paren + 1:i]):
        if p in ('', 'void'):
            continue
        fn = re.search(r'\(\s*\*\s*(\w+)\s*\)', p)   # a function pointer: void (*fn) (…)
        names.append('...' if p == '...' else fn.group(1) if fn else
                     re.search(r'(\w+)\s*(\[[^\]]*\])?$', p).group(1))
    ret = masked[text.rfind('*/', 0, pos) + 2:pos]
    ret = re.sub(r'\bWSIM_EXPORT\b|\bextern\b', ' ', ret).split()
    return ret == ['void'], names


def problem(text, pos, line_start, name):
    """What is wrong with @name's doc comment, or None."""
    comment = comment_before(text, line_start)
    if comment is None or not comment.startswith('/**'):
        return 'has no doc comment'
    lines = [re.sub(r'^\s*\*( |$)', '', l).rstrip() for l in comment[3:-2].split('\n')]
    if lines[0].strip() or len(lines) < 2 or not re.match(
            r'^%s:(\s*\([^)]*\))*$' % re.escape(name), lines[1].strip()):
        return 'has a doc comment that is not a gtk-doc block naming it ("/**", " * %s:")' % name
    params, body, in_params, in_returns, has_returns = set(), [], True, False, False
    for l in lines[2:]:
        if in_params and not l.strip():
            in_params = False
        tag = re.match(r'^@(\w+|\.\.\.):', l)
        if in_params and tag:
            params.add(tag.group(1))
        elif in_params and l.startswith(' '):
            pass                 # a parameter's continuation line
        elif re.match(r'^Returns:', l):
            has_returns = in_returns = True
        elif in_returns and l.strip():
            pass
        else:
            in_returns = False
            if not in_params and l.strip():
                body.append(l)
    returns_void, names = prototype(text, pos)
    missing = [n for n in names if n not in params]
    if missing:
        return 'has no @%s: line before its description' % ':, @'.join(missing)
    if not body:
        return 'has no description (gtk-doc counts it undocumented)'
    if not returns_void and not has_returns:
        return 'has no "Returns:"'
    return None


def check(symbols, headers):
    texts = {h: open(h, encoding='utf-8').read() for h in headers}
    problems = []
    for name in symbols:
        found = False
        for h, text in texts.items():
            for pos, line_start in declarations(text, name):
                found = True
                why = problem(text, pos, line_start, name)
                if why:
                    problems.append('%s: %s %s' % (os.path.basename(h), name, why))
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
            f.write('/**\n * wsim_good:\n * @a: one\n * @b: (nullable) two,\n *   on two lines\n'
                    ' * @...: the rest\n *\n * Does good.\n *\n * Returns: (transfer full) one.\n */\n'
                    'WSIM_EXPORT\nchar *wsim_good (int a, const char *b, ...) G_GNUC_PRINTF (2, 3);\n\n'
                    '/**\n * wsim_void:\n * @fn: called\n *\n * Returns nothing.\n */\n'
                    'void\nwsim_void (void (*fn) (int x));\n\n'
                    '/* not a doc comment */\nWSIM_EXPORT\nvoid wsim_bad (void);\n\n'
                    '/** Returns: one. */\nint wsim_short (void);\n\n'
                    '/** wsim_other: Another one\'s. */\nvoid wsim_borrowed (void);\n\n'
                    '/**\n * wsim_no_param:\n * @a: one\n *\n * @b: too late: after the blank line\n'
                    ' * Text.\n */\nvoid wsim_no_param (int a, int b);\n\n'
                    '/**\n * wsim_no_desc:\n * @a: one\n *\n * Returns: @a.\n */\n'
                    'int wsim_no_desc (int a);\n\n'
                    '/**\n * wsim_no_returns:\n *\n * Gives one.\n */\nint wsim_no_returns (void);\n')
        got = check(['wsim_good', 'wsim_void', 'wsim_bad', 'wsim_short', 'wsim_borrowed',
                     'wsim_no_param', 'wsim_no_desc', 'wsim_no_returns', 'wsim_missing'], [h])
        not_block = 'has a doc comment that is not a gtk-doc block naming it ("/**", " * %s:")'
        want = ['planted.h: wsim_bad has no doc comment',
                'planted.h: wsim_short ' + not_block % 'wsim_short',
                'planted.h: wsim_borrowed ' + not_block % 'wsim_borrowed',
                'planted.h: wsim_no_param has no @b: line before its description',
                'planted.h: wsim_no_desc has no description (gtk-doc counts it undocumented)',
                'planted.h: wsim_no_returns has no "Returns:"',
                'wsim_missing is exported but no public header declares it']
        if got != want:
            print('check-docs.py --planted: got %r, want %r' % (got, want))
            return 1
        print('check-docs.py --planted: each planted problem is reported, and only them')
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
