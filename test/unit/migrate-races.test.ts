/**
 * Races with writers that do not take hermes-codex's lock (codex, Codex
 * Desktop): the file is re-read right before the atomic rename, and a change
 * made after planning makes migrate plan again from the new content.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { migrate, type MigrateOptions } from '../../src/migrate/migrate.js';
import { removeManagedBlock } from '../../src/migrate/remove.js';
import { ConfigKeptChangingError } from '../../src/migrate/retry.js';
import { START_MARKER } from '../../src/migrate/block-render.js';
import { memFileSystem, type MemFs } from '../helpers/memfs.js';

const HOME = '/home/me';
const CODEX = `${HOME}/.codex`;
const CONFIG = `${CODEX}/config.toml`;

function setup() {
  const fs = memFileSystem({
    [`${HOME}/.hermes/config.yaml`]: 'mcp_servers:\n  gh:\n    command: npx\n',
    [CONFIG]: 'model = "o3"\n\n[features]\nx = true\n',
  });
  const base: MigrateOptions = { fs, env: { PATH: '/nowhere' }, home: HOME, cwd: HOME, hermesPython: '/py', validateWithCodex: false, plugins: false };
  return { fs, base };
}

/** Wrap readFile so `onRead(n)` runs before the n-th read of config.toml (1-based). */
function interceptReads(fs: MemFs, onRead: (n: number) => void): MemFs {
  let n = 0;
  const readFile = fs.readFile.bind(fs);
  return Object.assign(Object.create(Object.getPrototypeOf(fs)), fs, {
    readFile: async (p: string) => {
      if (p === CONFIG) onRead(++n);
      return readFile(p);
    },
  }) as MemFs;
}

const appendTable = (fs: MemFs, name: string) => fs.vol.appendFileSync(CONFIG, `\n[${name}]\nwritten_by = "another program"\n`);

describe('writers that do not take the lock', () => {
  it('keeps a table another program added after migrate planned, by planning again', async () => {
    const { fs, base } = setup();
    // Read 1: prepare; read 2: under the lock (unchanged); read 3: the re-check right before the rename.
    const racing = interceptReads(fs, (n) => n === 3 && appendTable(fs, 'codex_added_this'));
    const r = await migrate({ ...base, fs: racing });
    expect(r.changed).toBe(true);
    const text = fs.text(CONFIG);
    expect(parse(text)).toMatchObject({ model: 'o3', features: { x: true }, codex_added_this: { written_by: 'another program' }, mcp_servers: { gh: { command: 'npx' } } });
    expect(text.split(START_MARKER).length - 1).toBe(1);
  });

  it('gives up without writing when the file keeps changing', async () => {
    const { fs, base } = setup();
    let k = 0;
    const restless = interceptReads(fs, (n) => n > 1 && appendTable(fs, `t${++k}`));
    const before = () => fs.text(CONFIG);
    const err = (await migrate({ ...base, fs: restless, writeRetry: { attempts: 6 } }).then(() => null, (e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/kept changing while migrate ran \(6 attempts over \d+\.\d s\)/);
    expect(before()).not.toContain(START_MARKER);
    expect(parse(before())).toHaveProperty('t1');
  });

  it('gives up when the time budget runs out before the attempts do', async () => {
    const { fs, base } = setup();
    let k = 0;
    const restless = interceptReads(fs, (n) => n > 1 && appendTable(fs, `t${++k}`));
    const t0 = Date.now();
    const err = (await migrate({ ...base, fs: restless, writeRetry: { attempts: 1000, budgetMs: 300 } }).then(() => null, (e: unknown) => e)) as Error;
    expect(err.message).toMatch(/kept changing while migrate ran \((\d+) attempts/);
    const attempts = Number(/\((\d+) attempts/.exec(err.message)![1]);
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(1000);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(fs.text(CONFIG)).not.toContain(START_MARKER);
  });

  it('waits out a burst of writes longer than a handful of retries, and keeps every table of it', async () => {
    const { fs, base } = setup();
    // Another program writes on each of the next 12 reads (more than the old fixed 8 attempts), then stops.
    let k = 0;
    const bursty = interceptReads(fs, (n) => n > 1 && k < 12 && appendTable(fs, `t${++k}`));
    const r = await migrate({ ...base, fs: bursty });
    expect(r.changed).toBe(true);
    const doc = parse(fs.text(CONFIG)) as Record<string, unknown>;
    for (let i = 1; i <= 12; i++) expect(doc[`t${i}`], `t${i}`).toEqual({ written_by: 'another program' });
    expect(doc).toMatchObject({ mcp_servers: { gh: { command: 'npx' } } });
  });

  it('serialises its own concurrent runs through the lock: one block, every run succeeds', async () => {
    const { fs, base } = setup();
    const runs = await Promise.all(Array.from({ length: 10 }, () => migrate(base)));
    expect(runs.every((r) => r.servers.migrated.includes('gh'))).toBe(true);
    const text = fs.text(CONFIG);
    expect(text.split(START_MARKER).length - 1).toBe(1);
    expect(runs.filter((r) => r.changed)).toHaveLength(1);
  });

  it('--remove waits out a burst of writes too, and keeps what the other program added', async () => {
    const { fs, base } = setup();
    await migrate(base);
    let k = 0;
    const bursty = interceptReads(fs, (n) => n > 1 && k < 12 && appendTable(fs, `t${++k}`));
    const r = await removeManagedBlock({ fs: bursty, env: base.env!, home: HOME, cwd: HOME });
    expect(r.changed).toBe(true);
    const text = fs.text(CONFIG);
    expect(text).not.toContain(START_MARKER);
    const doc = parse(text) as Record<string, unknown>;
    for (let i = 1; i <= 12; i++) expect(doc[`t${i}`], `t${i}`).toEqual({ written_by: 'another program' });
    expect(doc).not.toHaveProperty('mcp_servers');
  });

  it('--remove gives up with the same typed error when the file never settles', async () => {
    const { fs, base } = setup();
    await migrate(base);
    const before = fs.text(CONFIG);
    let k = 0;
    const restless = interceptReads(fs, (n) => n > 1 && appendTable(fs, `t${++k}`));
    const err = await removeManagedBlock({ fs: restless, env: base.env!, home: HOME, cwd: HOME, writeRetry: { attempts: 4 } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigKeptChangingError);
    expect((err as ConfigKeptChangingError).attempts).toBe(4);
    expect((err as Error).message).toMatch(/kept changing while --remove ran \(4 attempts/);
    expect(fs.text(CONFIG)).toContain(START_MARKER);
    expect(fs.text(CONFIG).startsWith(before)).toBe(true);
  });
});
