/**
 * How the CLI leaves once its command is done (src/cli/bin.cts): at once when
 * nothing is left to wait for, and only after output still queued on a stream
 * has gone out. The queued case is made real: stdout is a non-blocking FIFO
 * whose reader waits, so the CLI's direct writes meet EAGAIN and hand the rest
 * to Node's stream (src/cli/output.ts, fdWriter). The quick exit itself is
 * measured in the bench (docs/performance.md), not timed here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cliBin } from '../helpers/codex.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hermes-codex-exit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A Hermes config of `n` stdio servers. */
function hermesConfig(n: number): string {
  let s = 'mcp_servers:\n';
  for (let i = 0; i < n; i++) s += `  srv${i}:\n    command: npx\n    args: ["-y", "pkg-${i}"]\n`;
  const file = path.join(dir, 'config.yaml');
  writeFileSync(file, s);
  return file;
}

const env = (() => {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete e['NODE_EXTRA_CA_CERTS'];
  return e;
})();

describe('leaving when the command is done', () => {
  it('delivers every byte of output queued on a stream before it exits (a non-blocking pipe read late)', async () => {
    mkdirSync(path.join(dir, 'home'));
    const args = ['migrate', '--dry-run', '--diff', '--no-validate', '--no-plugins', '--hermes-python', '/usr/bin/python3', '--hermes-config', hermesConfig(1500), '--codex-home', path.join(dir, 'home')];
    // The same command with stdout on a file: what a complete output is.
    const file = path.join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    const direct = await new Promise<number | null>((resolve) => spawn(process.execPath, [cliBin, ...args], { env, stdio: ['ignore', fd, 'ignore'] }).on('close', resolve));
    closeSync(fd);
    expect(direct).toBe(0);
    const expected = readFileSync(file);
    expect(expected.length).toBeGreaterThan(256 * 1024); // far more than a pipe holds (64 KiB)

    // A non-blocking pipe, read only after a while. Python makes it: Node's spawn (libuv) turns a
    // child's stdio back to blocking, and Python's subprocess leaves the mode alone.
    const got = path.join(dir, 'got.bin');
    const launcher = [
      'import os, subprocess, sys, time',
      'r, w = os.pipe()',
      'os.set_blocking(w, False)',
      'p = subprocess.Popen(sys.argv[2:], stdout=w, stderr=subprocess.DEVNULL)',
      'os.close(w)',
      'time.sleep(0.4)',
      'data = b""',
      'while True:',
      '    chunk = os.read(r, 65536)',
      '    if not chunk: break',
      '    data += chunk',
      'code = p.wait()',
      'open(sys.argv[1], "wb").write(data)',
      'sys.exit(code)',
    ].join('\n');
    const queued = await new Promise<number | null>((resolve) => spawn('python3', ['-c', launcher, got, process.execPath, cliBin, ...args], { env, stdio: 'ignore' }).on('close', resolve));
    expect(queued).toBe(0);
    // Leaving before the stream drained would cut it at what the pipe held (64 KiB).
    expect(readFileSync(got).equals(expected)).toBe(true);
  });
});
