#!/usr/bin/env python3
"""check-installed.py MESON BUILD_DIR FILE...: `meson install --destdir` into a temporary
directory puts each FILE (an absolute installed path: the man pages, the bash completion)
there. Exits 1 naming a missing one."""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    meson, build, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    tmp = tempfile.mkdtemp(prefix='wsim-docs.')
    try:
        subprocess.run([meson, 'install', '-C', build, '--destdir', tmp, '--no-rebuild',
                        '--quiet'], check=True, stdout=subprocess.DEVNULL)
        missing = [f for f in files if not os.path.isfile(tmp + f)]
        for f in files:
            print('%s: %s' % (f, 'missing' if f in missing else 'installed'))
        sys.exit(1 if missing else 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
