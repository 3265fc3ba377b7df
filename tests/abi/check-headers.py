#!/usr/bin/env python3
"""check-headers.py: the installed headers stand alone, on GLib only.

    check-headers.py MESON BUILD_DIR CC [CC_ARGS…]

Installs the build into a temporary directory (meson install --destdir), then:
  - compiles each installed header alone, and all of them together, with CC and only
    GLib's and GIO's compile flags plus the installed include directory (no libtirpc or
    GSS-API include directory): an installed header that includes a private one, or
    <rpc/rpc.h> (libtirpc's, not on the default path), does not compile;
  - reads each header without its comments for what must not be there even where the
    default include path would find it: an #include of <rpc/…>, <tirpc/…>, <gssapi…> or
    <krb5…>, and libtirpc's and GSS-API's types (CLIENT, SVCXPRT, XDR, AUTH, bool_t,
    u_int, caddr_t, gss_*);
  - reads the installed wmisim.pc: libtirpc and krb5 may be in Requires.private (static
    linking), never in Requires.
Prints the installed headers; exits 1 on any problem.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

FORBIDDEN_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"](rpc/|tirpc/|gssapi|krb5)', re.M)
FORBIDDEN_TYPE = re.compile(r'\b(CLIENT|SVCXPRT|XDR|AUTH|bool_t|u_int|u_long|caddr_t|xdrproc_t'
                            r'|gss_[A-Za-z0-9_]+)\b')
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)


def find(root, name):
    for dirpath, _, files in os.walk(root):
        if name in files:
            return dirpath
    sys.exit('check-headers.py: no %s installed under %s' % (name, root))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    meson, build, cc = sys.argv[1], sys.argv[2], sys.argv[3:]
    glib = subprocess.run(['pkg-config', '--cflags', 'glib-2.0', 'gio-2.0'], check=True,
                          capture_output=True, text=True).stdout.split()
    tmp = tempfile.mkdtemp(prefix='wsim-headers.')
    try:
        subprocess.run([meson, 'install', '-C', build, '--destdir', tmp, '--no-rebuild',
                        '--quiet'], check=True, stdout=subprocess.DEVNULL)
        incdir = find(tmp, 'wsim-client.h')
        headers = sorted(h for h in os.listdir(incdir) if h.endswith('.h'))
        print('%d headers installed in %s:' % (len(headers), os.path.relpath(incdir, tmp)))
        print('  ' + ' '.join(headers))
        problems = []
        for h in headers:
            with open(os.path.join(incdir, h), encoding='utf-8') as f:
                code = COMMENT.sub(' ', f.read())
            for m in FORBIDDEN_INCLUDE.finditer(code):
                problems.append('%s: includes %s' % (h, m.group(0).strip()))
            for word in sorted(set(FORBIDDEN_TYPE.findall(code))):
                problems.append('%s: names %s (libtirpc or GSS-API)' % (h, word))
        for unit in [[h] for h in headers] + [headers]:
            src = ''.join('#include <%s>\n' % h for h in unit) + 'int wsim_header_check;\n'
            r = subprocess.run(cc + ['-std=c11', '-Wall', '-Wextra', '-Werror', '-fsyntax-only',
                                     '-x', 'c', '-I', incdir] + glib + ['-'],
                               input=src, capture_output=True, text=True)
            if r.returncode != 0:
                problems.append('%s does not compile alone on GLib:\n%s'
                                % (' + '.join(unit) if len(unit) < 3 else 'all headers together',
                                   r.stderr.strip()))
        pc = os.path.join(find(tmp, 'wmisim.pc'), 'wmisim.pc')
        with open(pc, encoding='utf-8') as f:
            for line in f:
                if line.startswith('Requires:') and re.search(r'tirpc|krb5|gss', line):
                    problems.append('wmisim.pc: %s' % line.strip())
        for p in problems:
            print(p)
        if problems:
            return 1
        print('each header compiles alone with GLib\'s flags only; no libtirpc or GSS-API '
              'in them or in wmisim.pc\'s Requires')
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
