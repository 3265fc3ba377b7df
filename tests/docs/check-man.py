#!/usr/bin/env python3
"""check-man.py: the man pages and the bash completion against the programs.

  check-man.py --render GROFF PAGE...
      each PAGE renders with `GROFF -man -Tutf8 -ww -z`: exit 0 and nothing on stderr.
  check-man.py --drift WMISIM WMISIMD MANDIR COMPLETION
      every command in `wmisim --help`'s Commands list is a command in wmisim.1's COMMANDS
      and in COMPLETION's command list (and no other); every long option of `wmisim --help`,
      `wmisim reg --help` and `wmisim trace --help` is in wmisim.1's OPTIONS and in
      COMPLETION's option lists (and no other); every long option of `wmisimd --help` is in
      wmisimd.8's OPTIONS.
  check-man.py --planted WMISIM WMISIMD MANDIR COMPLETION
      the drift check reports a command and an option removed from the pages and the script.
Exits 1 on any problem, naming it.
"""
import os
import re
import subprocess
import sys

LONG_OPT = re.compile(r'(?<![\w-])--([a-z][a-z-]*)')


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def help_commands(text):
    """The command names of the `Commands:` block of wmisim --help."""
    m = re.search(r'^Commands:\n(.*?)\n\n', text, re.S | re.M)
    if m is None:
        sys.exit('check-man.py: no Commands: list in wmisim --help')
    return {line.split()[0] for line in m.group(1).splitlines() if line.strip()}


def help_options(text):
    """The long options of a --help text (its option lines only, not the descriptions)."""
    opts = set()
    for line in text.splitlines():
        m = re.match(r'^\s+(?:-\w, )?--([a-z][a-z-]*)', line)
        if m:
            opts.add(m.group(1))
    return opts


def man_text(page):
    """The page's source with troff's escapes for '-' and fonts undone."""
    with open(page, encoding='utf-8') as f:
        src = f.read()
    src = re.sub(r'\\f[BIRP]', '', src).replace('\\-', '-').replace('\\&', '')
    return src


def section(src, name):
    m = re.search(r'^\.SH "?%s"?\n(.*?)(?=^\.SH )' % re.escape(name), src, re.S | re.M)
    return m.group(1) if m else ''


def man_commands(src):
    """The first word of each .TP tag in COMMANDS."""
    cmds = set()
    lines = section(src, 'COMMANDS').splitlines()
    for i, line in enumerate(lines):
        if line == '.TP' and i + 1 < len(lines):
            words = re.sub(r'^\.\w+\s*', '', lines[i + 1]).split()
            if words:
                cmds.add(words[0].strip('"'))
    return cmds


def man_options(src):
    """The long options a .TP tag in OPTIONS names."""
    opts = set()
    lines = section(src, 'OPTIONS').splitlines()
    for i, line in enumerate(lines):
        if line == '.TP' and i + 1 < len(lines):
            opts.update(LONG_OPT.findall(lines[i + 1]))
    return opts


def completion_words(script, var):
    with open(script, encoding='utf-8') as f:
        m = re.search(r'^%s="(.*?)"' % var, f.read(), re.S | re.M)
    if m is None:
        sys.exit('check-man.py: no %s in %s' % (var, script))
    return set(m.group(1).split())


def compare(what, want, have, problems):
    for name in sorted(want - have):
        problems.append('%s lacks %s' % (what, name))
    for name in sorted(have - want):
        problems.append('%s has %s, which --help does not' % (what, name))


def drift(wmisim, wmisimd, mandir, completion, drop_command=None, drop_option=None):
    top = run([wmisim, '--help'])
    commands = help_commands(top)
    # COMMAND --help is a form of every command, not a command of its own.
    options = help_options(top) | help_options(run([wmisim, 'reg', '--help'])) \
        | help_options(run([wmisim, 'trace', '--help']))
    d_options = help_options(run([wmisimd, '--help']))

    src = man_text(os.path.join(mandir, 'wmisim.1'))
    d_src = man_text(os.path.join(mandir, 'wmisimd.8'))
    man_cmds = man_commands(src) - {'COMMAND'}
    man_opts = man_options(src)
    comp_cmds = completion_words(completion, '_wmisim_commands')
    comp_opts = {o[2:] for o in completion_words(completion, '_wmisim_options')
                 | completion_words(completion, '_wmisim_reg_options')
                 | completion_words(completion, '_wmisim_trace_options')}
    if drop_command is not None:
        man_cmds.discard(drop_command)
        comp_cmds.discard(drop_command)
    if drop_option is not None:
        man_opts.discard(drop_option)
        comp_opts.discard(drop_option)

    problems = []
    compare('wmisim.1 COMMANDS', commands, man_cmds, problems)
    compare('the completion\'s commands', commands, comp_cmds, problems)
    compare('wmisim.1 OPTIONS', options, man_opts, problems)
    compare('the completion\'s options', options, comp_opts, problems)
    compare('wmisimd.8 OPTIONS', d_options, man_options(d_src), problems)
    return commands, options, d_options, problems


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    mode = sys.argv[1]
    if mode == '--render':
        groff, pages = sys.argv[2], sys.argv[3:]
        bad = 0
        for page in pages:
            r = subprocess.run([groff, '-man', '-Tutf8', '-ww', '-z', page],
                               capture_output=True, text=True)
            if r.returncode != 0 or r.stderr:
                print('%s: groff exit %d:\n%s' % (page, r.returncode, r.stderr))
                bad += 1
            else:
                print('%s: renders without warnings' % os.path.basename(page))
        sys.exit(1 if bad else 0)
    if len(sys.argv) != 6 or mode not in ('--drift', '--planted'):
        sys.exit(__doc__)
    args = sys.argv[2:]
    if mode == '--drift':
        commands, options, d_options, problems = drift(*args)
        for p in problems:
            print(p)
        if problems:
            sys.exit(1)
        print('wmisim: %d commands, %d long options; wmisimd: %d long options: all in the pages'
              ' and the completion' % (len(commands), len(options), len(d_options)))
        return
    *_, problems = drift(*args, drop_command='classes', drop_option='call-timeout')
    want = {'wmisim.1 COMMANDS lacks classes', 'the completion\'s commands lacks classes',
            'wmisim.1 OPTIONS lacks call-timeout', 'the completion\'s options lacks call-timeout'}
    if set(problems) != want:
        sys.exit('planted: expected %s, got %s' % (sorted(want), problems))
    print('planted: reported %s' % problems)


if __name__ == '__main__':
    main()
