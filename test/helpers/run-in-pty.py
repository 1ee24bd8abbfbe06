# Run a command in a pseudo-terminal, as a person at a terminal would: wait for
# text on the screen, then type. Usage: run-in-pty.py STEPS_JSON -- argv...
# (Named run-in-pty.py, not pty.py, which would shadow the module it imports.)
# STEPS_JSON: [{"wait": "regex", "send": "text"}]; "\u0003" is Ctrl+C.
# Prints the screen output, then a last line "EXIT <code>" (128+N for signal N).
import json, os, pty, re, select, sys, time

steps = json.loads(sys.argv[1])
argv = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''
deadline = time.time() + 60
def read_some(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        out += data
    return True
for step in steps:
    while not re.search(step['wait'], out.decode('utf8', 'replace')):
        if time.time() > deadline or not read_some(0.2):
            sys.stdout.write(out.decode('utf8', 'replace'))
            sys.stdout.write('\nSTEP TIMEOUT waiting for %r\n' % step['wait'])
            os.kill(pid, 9)
            sys.exit(3)
    time.sleep(0.2)
    os.write(fd, step['send'].encode())
while time.time() < deadline and read_some(0.5):
    pass
_, status = os.waitpid(pid, 0)
code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
sys.stdout.write(out.decode('utf8', 'replace'))
sys.stdout.write('\nEXIT %d\n' % code)
