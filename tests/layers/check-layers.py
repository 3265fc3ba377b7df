#!/usr/bin/env python3
"""check-layers.py: fails when an #include "..." crosses a layer the wrong way.

    check-layers.py SOURCE_ROOT
    check-layers.py --planted SOURCE_ROOT

--planted checks the checker: it copies the library's folders to a temporary tree, plants
one wrong-way include in each of a few layers (the server including the client, the
object model including a sink, a provider including the object model, the provider host
including the server) and one allowed include, and succeeds only if each wrong one is
reported, the allowed one is not, and the untouched copy passes.

The layers and what each may use are the table below, the same as docs/architecture.md
("Layers") and the include directories each layer's static library is built with. A
quoted include is resolved by file name to the folder that holds it (a generated
wsim_*.h to rpc/proto, where its .x lives); an include of a file in the including
file's own folder is always allowed. Angle-bracket includes are not checked here.
Prints one line per violation and exits 1 if there is any.
"""
import os
import re
import shutil
import sys
import tempfile

# folder -> the folders it may include from (besides itself). Bottom up.
LAYERS = {
    'rpc': ['rpc/proto'],
    'rpc/proto': [],
    'cim': ['rpc', 'rpc/proto'],
    'sinks': ['cim', 'rpc', 'rpc/proto'],
    'runtime/provider-host': ['cim', 'rpc/proto', 'providers'],
    'runtime/server': ['runtime/provider-host', 'cim', 'rpc', 'rpc/proto', 'providers'],
    'runtime/client': ['sinks', 'cim', 'rpc', 'rpc/proto'],
    'runtime/harness': ['runtime/client', 'runtime/server', 'runtime/provider-host', 'sinks', 'cim',
                        'rpc', 'rpc/proto'],
}
# Providers see the provider ABI header and their own folder's files, nothing else.
PROVIDER_ABI = 'wsim-provider.h'
LIBRARY = list(LAYERS)
# The programs and the test and bench trees sit on top: they may use every layer.
TOP = {'tools': LIBRARY, 'tests': None, 'bench': None}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def sources(root, folder):
    """The .c and .h files directly in folder (not in its sub-folders)."""
    path = os.path.join(root, folder)
    for name in sorted(os.listdir(path)):
        if name.endswith(('.c', '.h')) and os.path.isfile(os.path.join(path, name)):
            yield name


def index_headers(root):
    """header file name -> the folder of the library that holds it."""
    where = {}
    for folder in LIBRARY + ['providers']:
        for name in sources(root, folder):
            if name.endswith('.h'):
                where[name] = folder
        if folder == 'rpc/proto':
            for name in os.listdir(os.path.join(root, folder)):
                if name.endswith('.x'):
                    where[name[:-2] + '.h'] = folder
    return where


def includes(path):
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield number, m.group(1)


def check(root):
    where = index_headers(root)
    problems = []

    def check_file(folder, name, allowed):
        for number, header in includes(os.path.join(root, folder, name)):
            if os.path.exists(os.path.join(root, folder, header)):
                continue                     # a file of its own folder
            owner = where.get(os.path.basename(header))
            if owner is None:
                continue                     # not a library header (test helpers, tools)
            if owner == folder:
                continue                     # generated in its own folder (rpc/proto's wsim_*.h)
            if allowed is not None and owner not in allowed:
                problems.append('%s/%s:%d: includes %s (%s/), but %s/ may use only %s'
                                % (folder, name, number, header, owner, folder,
                                   ', '.join(x + '/' for x in allowed) or 'itself'))

    for folder, allowed in LAYERS.items():
        for name in sources(root, folder):
            check_file(folder, name, allowed)
    for dirpath, _, files in os.walk(os.path.join(root, 'providers')):
        folder = os.path.relpath(dirpath, root)
        for name in sorted(files):
            if not name.endswith(('.c', '.h')) or name == PROVIDER_ABI:
                continue
            for number, header in includes(os.path.join(dirpath, name)):
                if os.path.exists(os.path.join(dirpath, header)) or header == PROVIDER_ABI:
                    continue
                if os.path.basename(header) in where:
                    problems.append('%s/%s:%d: includes %s, but a provider may use only %s'
                                    % (folder, name, number, header, PROVIDER_ABI))
    for top, allowed in TOP.items():
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            folder = os.path.relpath(dirpath, root)
            for name in sorted(files):
                if name.endswith(('.c', '.h')):
                    check_file(folder, name, allowed)
    return problems


PLANTS = [  # (file, include planted at its end)
    ('runtime/server/wsim-server.c', 'wsim-client.h'),
    ('cim/wsim-value.c', 'wsim-sink.h'),
    ('providers/sim-sequence/provider.c', 'wsim-value.h'),
    ('runtime/provider-host/wsim-provider-host.c', 'wsim-server.h'),
    ('rpc/wsim-conn.c', 'wsim_service.h'),  # allowed: the wire is part of rpc/
]


def planted(root):
    with tempfile.TemporaryDirectory(prefix='wsim-layers.') as tmp:
        for folder in ['rpc', 'cim', 'sinks', 'runtime', 'providers']:
            shutil.copytree(os.path.join(root, folder), os.path.join(tmp, folder))
        if check(tmp):
            print('planted: the untouched copy already fails')
            return 1
        ok = True
        for path, header in PLANTS:
            with open(os.path.join(tmp, path), 'a', encoding='utf-8') as f:
                f.write('#include "%s"\n' % header)
            found = [p for p in check(tmp) if p.startswith(path + ':')]
            expect = header != 'wsim_service.h'
            print('planted %s in %s: %s' % (header, path, found[0] if found else
                                             'not reported' + ('' if expect else ' (allowed)')))
            if bool(found) != expect:
                ok = False
        return 0 if ok else 1


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--planted':
        return planted(sys.argv[2])
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    if problems:
        print('%d include(s) cross a layer the wrong way (docs/architecture.md, "Layers")'
              % len(problems))
        return 1
    print('layers: every #include goes down (%d layers checked)' % len(LAYERS))
    return 0


if __name__ == '__main__':
    sys.exit(main())
