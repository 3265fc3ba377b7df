#!/usr/bin/env python3
"""check-symbols.py: fails when libwmisim.so exports a different set of symbols than the list.

    check-symbols.py LIBRARY SYMBOLS_FILE            compare (the test)
    check-symbols.py --update LIBRARY SYMBOLS_FILE   rewrite the list from the library
    check-symbols.py --planted LIBRARY SYMBOLS_FILE  check the checker

The list (wmisim.symbols at the top of the tree) holds one exported symbol a line, sorted:
what `nm -D --defined-only` finds in the library. The library is built with hidden
visibility and exports only what the installed headers declare WSIM_EXPORT
(rpc/wsim-export.h), so a change to the public edge shows here, and must be made on
purpose: print every added and removed symbol, exit 1 on any difference.

Symbols a sanitizer or coverage build adds (__asan_*, __ubsan_*, __odr_asan*, __gcov_*)
are not the library's and are left out. --planted compares against a copy of the list with
one symbol taken out and one made up put in, and succeeds only if both are reported.
"""
import os
import subprocess
import sys
import tempfile

TOOLING = ('__asan', '__ubsan', '__odr_asan', '__sanitizer', '__lsan', '__gcov', '__llvm')


def exported(library):
    out = subprocess.run(['nm', '-D', '--defined-only', library], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        name = fields[2].split('@')[0]   # no versioned symbols today, but be plain
        if not name.startswith(TOOLING):
            names.add(name)
    return names


def listed(path):
    with open(path, encoding='utf-8') as f:
        return {line.strip() for line in f if line.strip() and not line.startswith('#')}


def compare(have, want, what):
    added = sorted(have - want)
    removed = sorted(want - have)
    for name in added:
        print('added:   %s (exported by %s, not in the list)' % (name, what))
    for name in removed:
        print('removed: %s (in the list, not exported by %s)' % (name, what))
    return added, removed


def main():
    args = sys.argv[1:]
    mode = None
    if args and args[0] in ('--update', '--planted'):
        mode = args.pop(0)
    if len(args) != 2:
        sys.exit(__doc__)
    library, symbols = args
    have = exported(library)
    lib = os.path.basename(library)
    if mode == '--update':
        with open(symbols, 'w', encoding='utf-8') as f:
            f.writelines(name + '\n' for name in sorted(have))
        print('%s: %d symbols written' % (symbols, len(have)))
        return 0
    want = listed(symbols)
    if mode == '--planted':
        if have != want:
            print('planted: the untouched list already differs')
            return 1
        gone = sorted(want)[len(want) // 2]
        fake = 'wsim_planted_internal_function'
        with tempfile.NamedTemporaryFile('w', suffix='.symbols', delete=False) as f:
            f.writelines(n + '\n' for n in sorted((want - {gone}) | {fake}))
        try:
            added, removed = compare(have, listed(f.name), lib)
        finally:
            os.unlink(f.name)
        ok = added == [gone] and removed == [fake]
        print('planted: %s' % ('both reported' if ok else 'NOT reported as expected'))
        return 0 if ok else 1
    added, removed = compare(have, want, lib)
    if added or removed:
        print('%s exports %d symbols, %s lists %d: %d added, %d removed. If the change to the '
              'public API is meant, update the list:\n  %s --update %s %s'
              % (lib, len(have), os.path.basename(symbols), len(want), len(added), len(removed),
                 sys.argv[0], library, symbols))
        return 1
    print('%s exports the %d symbols %s lists' % (lib, len(have), os.path.basename(symbols)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
