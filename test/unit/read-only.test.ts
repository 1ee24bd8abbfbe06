/**
 * A config file nobody may write (no write bit: `chmod a-w`, or the Nix
 * store file home-manager links config.toml to) is not replaced by rename
 * behind the mode's back: migrate, --restore and `runtime on` refuse it,
 * naming the file, its mode and the link's target, and write nothing.
 */
import { describe, expect, it } from 'vitest';
import { migrate, type MigrateOptions } from '../../src/migrate/migrate.js';
import { restoreBackup } from '../../src/migrate/remove.js';
import { switchRuntime } from '../../src/hermes/runtime-switch.js';
import { FileAccessError } from '../../src/core/errors.js';
import { memFileSystem, type MemFs } from '../helpers/memfs.js';

const HOME = '/home/me';
const CODEX = `${HOME}/.codex`;
const YAML = 'model:\n  provider: openai\nmcp_servers:\n  gh:\n    command: npx\n';

function options(fs: MemFs): MigrateOptions {
  const run = async () => ({ exitCode: 0, stdout: 'codex-cli 0.169.0\n', stderr: '' });
  return { fs, run, env: { PATH: '/bin' }, home: HOME, cwd: HOME, codexBin: '/bin/codex', hermesPython: '/venv/bin/python', now: () => new Date('2026-11-30T00:00:00Z'), validateWithCodex: false, plugins: false };
}

function files(fs: MemFs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, v] of Object.entries(fs.vol.toJSON())) if (v !== null) out[p] = v;
  return out;
}

describe('read-only config files', () => {
  it('migrate refuses a config.toml with no write bit and writes nothing (no backup, no record, the lock released)', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: YAML, '/venv/bin/python': '', '/bin/codex': '', [`${CODEX}/config.toml`]: 'model = "o3"\n' });
    fs.vol.chmodSync(`${CODEX}/config.toml`, 0o444);
    const before = files(fs);
    const err = await migrate(options(fs)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileAccessError);
    expect((err as FileAccessError).message).toBe(`${CODEX}/config.toml is read-only (mode 0444), so hermes-codex will not replace it; nothing was written`);
    expect((err as FileAccessError).remediation).toMatch(/home-manager.*--codex-home.*chmod u\+w \/home\/me\/\.codex\/config\.toml/);
    expect(files(fs)).toEqual(before);
    // Made writable, the same run goes through (the lock was released).
    fs.vol.chmodSync(`${CODEX}/config.toml`, 0o644);
    expect((await migrate(options(fs))).changed).toBe(true);
  });

  it('names the link and its target for a config.toml linked to a read-only file (home-manager)', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: YAML, '/venv/bin/python': '', '/bin/codex': '', '/nix/store/abc-config.toml': 'model = "o3"\n', [`${CODEX}/.keep`]: '' });
    fs.vol.symlinkSync('/nix/store/abc-config.toml', `${CODEX}/config.toml`);
    fs.vol.chmodSync('/nix/store/abc-config.toml', 0o444);
    const err = await migrate(options(fs)).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${CODEX}/config.toml is read-only (mode 0444, a link to /nix/store/abc-config.toml), so hermes-codex will not replace it; nothing was written`);
    expect(String(fs.vol.readFileSync('/nix/store/abc-config.toml'))).toBe('model = "o3"\n');
  });

  it('a dry run says the real run will not replace it', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: YAML, '/venv/bin/python': '', '/bin/codex': '', [`${CODEX}/config.toml`]: 'model = "o3"\n' });
    fs.vol.chmodSync(`${CODEX}/config.toml`, 0o444);
    const r = await migrate({ ...options(fs), dryRun: true });
    expect(r.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^\/home\/me\/\.codex\/config\.toml is read-only \(mode 0444\): a real run will not replace it\. If another tool/));
    fs.vol.chmodSync(`${CODEX}/config.toml`, 0o644);
    expect((await migrate({ ...options(fs), dryRun: true })).warnings.some((w) => /read-only/.test(w.message))).toBe(false);
  });

  it('a config.toml with a write bit for anyone is written as before', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: YAML, '/venv/bin/python': '', '/bin/codex': '', [`${CODEX}/config.toml`]: 'model = "o3"\n' });
    fs.vol.chmodSync(`${CODEX}/config.toml`, 0o640);
    expect((await migrate(options(fs))).changed).toBe(true);
  });

  it('--restore refuses a read-only config.toml and keeps the backup as it was', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: YAML, '/venv/bin/python': '', '/bin/codex': '', [`${CODEX}/config.toml`]: 'model = "o3"\n' });
    await migrate(options(fs));
    fs.vol.chmodSync(`${CODEX}/config.toml`, 0o400);
    const before = files(fs);
    await expect(restoreBackup(options(fs))).rejects.toBeInstanceOf(FileAccessError);
    expect(files(fs)).toEqual(before);
  });

  it('runtime on refuses a read-only config.yaml before changing anything', async () => {
    const fs = memFileSystem({ [`${HOME}/.hermes/config.yaml`]: YAML, '/venv/bin/python': '', '/bin/codex': '', [`${CODEX}/.keep`]: '' });
    fs.vol.chmodSync(`${HOME}/.hermes/config.yaml`, 0o444);
    const before = files(fs);
    const err = await switchRuntime('codex_app_server', options(fs)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileAccessError);
    expect((err as FileAccessError).remediation).toMatch(/set `model\.openai_runtime: codex_app_server` there/);
    expect(files(fs)).toEqual(before);
  });
});
