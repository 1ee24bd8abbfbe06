/**
 * Races with writers that do not take hermes-codex's lock (codex, Codex
 * Desktop): the file is re-read right before the atomic rename, and a change
 * made after planning makes migrate plan again from the new content.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { migrate, type MigrateOptions } from '../../src/migrate/migrate.js';
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
    const err = (await migrate({ ...base, fs: restless }).then(() => null, (e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/kept changing while migrate ran \(8 attempts\)/);
    expect(before()).not.toContain(START_MARKER);
    expect(parse(before())).toHaveProperty('t1');
  });

  it('serialises its own concurrent runs through the lock: one block, every run succeeds', async () => {
    const { fs, base } = setup();
    const runs = await Promise.all(Array.from({ length: 10 }, () => migrate(base)));
    expect(runs.every((r) => r.servers.migrated.includes('gh'))).toBe(true);
    const text = fs.text(CONFIG);
    expect(text.split(START_MARKER).length - 1).toBe(1);
    expect(runs.filter((r) => r.changed)).toHaveLength(1);
  });
});
