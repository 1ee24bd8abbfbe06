/**
 * Uncolored output never loads chalk: plainStyle stands in for chalk at
 * level 0 and must give exactly what chalk gives there. Output that is not
 * a terminal goes straight to its fd (fdWriter), byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { fdWriter, plainStyle } from '../../src/cli/output.js';

describe('plainStyle', () => {
  const chalk = new Chalk({ level: 0 });
  const plain = plainStyle();
  it.each([
    [(c: typeof chalk) => c.red('x')],
    [(c: typeof chalk) => c.bold.red('error:')],
    [(c: typeof chalk) => c.dim.italic.underline('a', 'b', 3)],
    [(c: typeof chalk) => c.green.bold(`${1} done`)],
    [(c: typeof chalk) => c.yellow('')],
  ])('styles like chalk at level 0 (%#)', (style) => {
    expect(style(plain)).toBe(style(chalk));
  });

  it('reports level 0 and is not a thenable', async () => {
    expect(plain.level).toBe(0);
    expect(await Promise.resolve(plain)).toBe(plain);
  });
});

describe('fdWriter', () => {
  /** A stream standing in for process.stdout, collecting what it is given. */
  function fakeStream() {
    const s = new PassThrough();
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    return { stream: () => s as unknown as NodeJS.WriteStream, text: () => Buffer.concat(got).toString('utf8') };
  }

  it('writes every byte to a file fd, multi-byte text included, without creating the stream', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hermes-codex-out-'));
    try {
      const fd = openSync(path.join(dir, 'out'), 'w');
      const created: string[] = [];
      const out = fdWriter(fd, () => (created.push('stream'), process.stdout));
      out('{"ok": "ü → ✓"}\n');
      out('x'.repeat(200_000));
      closeSync(fd);
      expect(readFileSync(path.join(dir, 'out'), 'utf8')).toBe('{"ok": "ü → ✓"}\n' + 'x'.repeat(200_000));
      expect(created).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands the rest to the stream when the fd would block (EAGAIN), and keeps using it', () => {
    const f = fakeStream();
    let calls = 0;
    const onFd: Buffer[] = [];
    const write = (_fd: number, bytes: Buffer, offset: number) => {
      if (++calls > 1) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      onFd.push(bytes.subarray(offset, offset + 3)); // a partial write: the first 3 bytes
      return 3;
    };
    const out = fdWriter(9, f.stream, { isTerminal: () => false, write });
    out('ünïcode');
    out(' more');
    expect(calls).toBe(2);
    expect(Buffer.concat([...onFd, Buffer.from(f.text(), 'utf8')]).toString('utf8')).toBe('ünïcode more');
  });

  it('stops quietly at EPIPE and throws anything else', () => {
    const f = fakeStream();
    const epipe = fdWriter(9, f.stream, { isTerminal: () => false, write: () => { throw Object.assign(new Error('EPIPE'), { code: 'EPIPE' }); } });
    expect(() => { epipe('a'); epipe('b'); }).not.toThrow();
    expect(f.text()).toBe('');
    const eio = fdWriter(9, f.stream, { isTerminal: () => false, write: () => { throw Object.assign(new Error('EIO'), { code: 'EIO' }); } });
    expect(() => eio('a')).toThrow('EIO');
  });

  it('writes to a terminal through its stream', () => {
    const f = fakeStream();
    const out = fdWriter(9, f.stream, { isTerminal: () => true, write: () => { throw new Error('not the fd'); } });
    out('on a tty');
    expect(f.text()).toBe('on a tty');
  });
});

describe('terminal detection', () => {
  /** Runs processOutput() in a child (from dist: `npm test` builds first) and reports stdout's color level and whether node:tty was loaded, on stderr. */
  const probe = `import { processOutput } from ${JSON.stringify(new URL('../../dist/cli/output.js', import.meta.url).href)};
const o = await processOutput({ TERM: 'xterm-256color' });
process.stderr.write(JSON.stringify({ level: o.color.level, tty: process.moduleLoadList.includes('NativeModule tty') }) + '\\n');`;

  it.skipIf(process.platform === 'win32')('tells /dev/null from a terminal without loading node:tty', () => {
    const devNull = openSync('/dev/null', 'w');
    try {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8', env: { PATH: process.env['PATH'] } });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stderr)).toEqual({ level: 0, tty: false });
    } finally {
      closeSync(devNull);
    }
  });

  it.skipIf(process.platform === 'win32')('still colors a real terminal (a pseudo-terminal)', () => {
    const pty = new URL('../helpers/run-in-pty.py', import.meta.url).pathname;
    // The pty is stdout and stderr both: the report is the screen's last JSON line.
    const r = spawnSync('python3', [pty, '[]', '--', process.execPath, '--input-type=module', '-e', probe], { encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    const line = r.stdout.split(/\r?\n/).find((l) => l.startsWith('{'));
    expect(line, r.stdout + r.stderr).toBeDefined();
    expect(JSON.parse(line!)).toEqual({ level: 2, tty: true });
  });
});
