/**
 * nodeFileSystem's removal (`removeSync`: unlink first, Node's `rmSync` for
 * whatever unlink does not settle) and its temporary files' names, on a real
 * directory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isOurTempFile, nodeFileSystem, removeSync } from '../../src/fs/filesystem.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hermes-codex-rm-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What `fs.rmSync` throws for the same call: the error's code, or null when it succeeds. */
function rmSyncOutcome(p: string, opts: { force?: boolean; recursive?: boolean }): string | null {
  try {
    fs.rmSync(p, opts);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'no code';
  }
}

function outcome(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'no code';
  }
}

describe('removeSync', () => {
  it('removes a file and a symlink (not its target)', () => {
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'x');
    const link = path.join(dir, 'l');
    fs.symlinkSync(file, link);
    removeSync(link, false);
    expect(fs.existsSync(link)).toBe(false);
    expect(fs.existsSync(file)).toBe(true);
    removeSync(file, true);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('fails or succeeds as fs.rmSync does: a missing file with and without force, a directory', () => {
    const missing = path.join(dir, 'missing');
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    for (const [p, force] of [[missing, true], [missing, false], [sub, true], [sub, false]] as const) {
      expect(outcome(() => removeSync(p, force))).toBe(rmSyncOutcome(p, { force }));
    }
    expect(outcome(() => removeSync(missing, false))).toBe('ENOENT');
    expect(outcome(() => removeSync(sub, true))).toBe('ERR_FS_EISDIR');
    expect(fs.existsSync(sub)).toBe(true);
  });

  it('nodeFileSystem.rm removes a directory only when asked to recurse', async () => {
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'f'), 'x');
    await expect(nodeFileSystem.rm(sub, { force: true })).rejects.toMatchObject({ code: 'ERR_FS_EISDIR' });
    await nodeFileSystem.rm(sub, { recursive: true, force: true });
    expect(fs.existsSync(sub)).toBe(false);
    await nodeFileSystem.rm(path.join(dir, 'missing'), { force: true });
  });
});

describe('temporary files', () => {
  it('a replacement names its temporary file as the sweep recognises it, a new name each time, and leaves none', async () => {
    const target = path.join(dir, 'config.toml');
    fs.writeFileSync(target, 'a = 0\n');
    const seen: string[] = [];
    for (const n of [1, 2]) {
      const replaced = await nodeFileSystem.replaceIfUnchanged(target, `a = ${n}\n`, {}, async () => {
        seen.push(...fs.readdirSync(dir).filter((f) => f !== 'config.toml'));
        return true;
      });
      expect(replaced).toBe(true);
    }
    expect(fs.readFileSync(target, 'utf8')).toBe('a = 2\n');
    expect(fs.readdirSync(dir)).toEqual(['config.toml']);
    expect(seen).toHaveLength(2);
    expect(new Set(seen).size).toBe(2);
    for (const name of seen) {
      expect(name).toMatch(new RegExp(`^\\.config\\.toml\\.hermes-codex-${process.pid}-[0-9a-f]{16}\\.tmp$`));
      expect(isOurTempFile(name)).toBe(true);
    }
  });
});
