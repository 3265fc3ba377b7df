#!/usr/bin/env python3
"""run-example.py: builds examples/ against an installed wmisim and runs its test.

    run-example.py MESON BUILD_DIR EXAMPLES_DIR MEMCHECK B_SANITIZE

What a user does, in a temporary directory:
  1. meson install -C BUILD_DIR --destdir ROOT: headers, libwmisim.so, wmisim.pc;
  2. wmisim.pc as installed, its prefix= line pointed into ROOT (as a relocated install
     would have it; PKG_CONFIG_SYSROOT_DIR would move GLib's flags too), on PKG_CONFIG_PATH;
  3. meson setup of EXAMPLES_DIR (a project of its own: dependency('wmisim') through
     pkg-config), then meson test there, with LD_LIBRARY_PATH on ROOT's libdir; checks
     that the test binary did load ROOT's libwmisim.so.

Under the test setups the example's test runs wrapped as the tree's own tests are:
through MEMCHECK valgrind when WSIM_UNDER_VALGRIND is set (the valgrind setup sets it),
and, in a build with B_SANITIZE (e.g. address,undefined), the example is built with the
same sanitizers (the installed library is instrumented) and run through MEMCHECK sanitize.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile


def run(cmd, env, what):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print('%s failed (%d): %s\n%s%s' % (what, r.returncode, shlex.join(cmd), r.stdout, r.stderr))
        sys.exit(1)
    return r.stdout


def find(root, name):
    for dirpath, _, files in os.walk(root):
        if name in files:
            return dirpath
    print('no %s installed under %s' % (name, root))
    sys.exit(1)


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    meson, build, examples, memcheck, sanitize = sys.argv[1:]
    tmp = tempfile.mkdtemp(prefix='wsim-example.')
    try:
        root = os.path.join(tmp, 'root')
        env = dict(os.environ)
        run([meson, 'install', '-C', build, '--destdir', root, '--no-rebuild', '--quiet'],
            env, 'meson install')

        pcdir = find(root, 'wmisim.pc')
        libdir = find(root, 'libwmisim.so')
        mypc = os.path.join(tmp, 'pkgconfig')
        os.mkdir(mypc)
        with open(os.path.join(pcdir, 'wmisim.pc'), encoding='utf-8') as f:
            pc = f.read()
        pc, n = re.subn(r'^prefix=(.*)$', lambda m: 'prefix=' + root + m.group(1), pc, count=1,
                        flags=re.M)
        if n != 1:
            print('wmisim.pc has no prefix= line:\n' + pc)
            return 1
        with open(os.path.join(mypc, 'wmisim.pc'), 'w', encoding='utf-8') as f:
            f.write(pc)

        env['PKG_CONFIG_PATH'] = os.pathsep.join(
            [mypc] + [p for p in env.get('PKG_CONFIG_PATH', '').split(os.pathsep) if p])
        env['LD_LIBRARY_PATH'] = os.pathsep.join(
            [libdir] + [p for p in env.get('LD_LIBRARY_PATH', '').split(os.pathsep) if p])
        print('installed into %s; wmisim.pc: %s'
              % (root, run(['pkg-config', '--modversion', 'wmisim'], env, 'pkg-config').strip()))

        setup = [meson, 'setup', os.path.join(tmp, 'build'), examples]
        wrapper = None
        if sanitize not in ('', 'none'):
            setup += ['-Db_sanitize=' + sanitize, '-Db_lundef=false']
            wrapper = [memcheck, 'sanitize']
        if os.environ.get('WSIM_UNDER_VALGRIND'):
            wrapper = [memcheck, 'valgrind']
        run(setup, env, 'meson setup of the example')
        run([meson, 'compile', '-C', os.path.join(tmp, 'build')], env, 'building the example')

        exe = os.path.join(tmp, 'build', 'test-enumerate')
        ldd = run(['ldd', exe], env, 'ldd')
        loaded = [l.strip() for l in ldd.splitlines() if 'libwmisim' in l]
        print('the example loads: %s' % '; '.join(loaded))
        if not loaded or root not in loaded[0]:
            print('the example does not load the libwmisim.so just installed')
            return 1

        test = [meson, 'test', '-C', os.path.join(tmp, 'build'), '--print-errorlogs']
        if wrapper is not None:
            test += ['--wrapper', shlex.join(wrapper), '-t', '10']
        r = subprocess.run(test, env=env, capture_output=True, text=True)
        print(r.stdout.strip())
        if r.returncode != 0 or not re.search(r'^Ok:\s+1\s*$', r.stdout, re.M):
            print(r.stderr)
            log = os.path.join(tmp, 'build', 'meson-logs', 'testlog.txt')
            if os.path.exists(log):
                with open(log, encoding='utf-8', errors='replace') as f:
                    print(f.read()[-6000:])
            return 1
        print('the example built against the installed wmisim and its test passed%s'
              % (' under ' + wrapper[1] if wrapper else ''))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
