/**
 * migrate() orchestration on an in-memory file system with a scripted
 * process runner: locations, writes, backups, refusals. The real codex
 * binary is exercised in test/e2e.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { HERMES_FORWARDED_ENV } from '../../src/config/hermes-behaviour.js';
import { parse } from 'smol-toml';
import { migrate, BACKUP_SUFFIX, type MigrateOptions } from '../../src/migrate/migrate.js';
import { ConfigSyntaxError, FileAccessError, LocationError, ValidationRefusedError } from '../../src/core/errors.js';
import type { RunCommand, RunResult } from '../../src/core/process.js';
import { STATE_FILE_NAME } from '../../src/migrate/state.js';
import { memFileSystem, type MemFs } from '../helpers/memfs.js';

const HOME = '/home/me';
const HERMES = `${HOME}/.hermes`;
const CODEX = `${HOME}/.codex`;
const YAML = 'mcp_servers:\n  gh:\n    command: npx\n    env:\n      TOKEN: "${TOKEN}"\n';

const accepted: RunResult = { exitCode: 0, stdout: '{"appServerVersion":"0.169.0"}\n', stderr: '' };

/** A runner that answers every codex call with `result`, recording calls. */
function fakeCodex(result: RunResult | ((args: readonly string[]) => RunResult) = accepted, version = '0.169.0') {
  const calls: { file: string; args: readonly string[]; env: Record<string, string | undefined> }[] = [];
  const run: RunCommand = async (file, args, opts) => {
    // Like the real one, this codex tells its version (the loader picks its check by version).
    if (args[0] === '--version') return { exitCode: 0, stdout: `codex-cli ${version}\n`, stderr: '' };
    calls.push({ file, args, env: opts.env });
    return typeof result === 'function' ? result(args) : result;
  };
  return { run, calls };
}

function setup(files: Record<string, string | null> = {}, env: Record<string, string> = {}) {
  const fs = memFileSystem({ [`${HERMES}/config.yaml`]: YAML, '/venv/bin/python': '', ...files });
  const codex = fakeCodex();
  const base: MigrateOptions = {
    fs,
    run: codex.run,
    env: { PATH: '/nowhere', ...env },
    home: HOME,
    cwd: HOME,
    codexBin: '/opt/codex',
    hermesPython: '/venv/bin/python',
    now: () => new Date('2026-11-21T00:00:00Z'),
    tmpRoots: ['/tmp'],
    discover: async () => ({ plugins: [], warnings: [] }),
  };
  return { fs, codex, base };
}

describe('where migrate reads and writes', () => {
  it('defaults to ~/.hermes/config.yaml and creates ~/.codex (0700) with config.toml (0600)', async () => {
    const { fs, base } = setup();
    const r = await migrate(base);
    expect(r.source).toBe(`${HERMES}/config.yaml`);
    expect(r.target).toBe(`${CODEX}/config.toml`);
    expect(r.codexHome).toEqual({ path: CODEX, source: 'default', created: true });
    expect(fs.modeOf(CODEX)).toBe(0o700);
    expect(fs.modeOf(`${CODEX}/config.toml`)).toBe(0o600);
    expect(fs.modeOf(`${CODEX}/${STATE_FILE_NAME}`)).toBe(0o600);
    expect(parse(fs.text(`${CODEX}/config.toml`))).toHaveProperty('mcp_servers.gh.env_vars', ['TOKEN', ...HERMES_FORWARDED_ENV]);
    expect(r.backup).toBeNull();
  });

  it('writes its own files 0600 even over a looser one (the record, the backups), and keeps config.toml\'s own mode', async () => {
    const { fs, base } = setup();
    await migrate(base);
    await fs.chmod(`${CODEX}/${STATE_FILE_NAME}`, 0o644);
    await fs.chmod(`${CODEX}/config.toml`, 0o640);
    await fs.writeFileAtomic(`${HERMES}/config.yaml`, `${YAML}  more:\n    command: uvx\n`);
    const r = await migrate(base);
    expect(r.changed).toBe(true);
    expect(fs.modeOf(`${CODEX}/${STATE_FILE_NAME}`)).toBe(0o600);
    expect(fs.modeOf(`${CODEX}/config.toml${BACKUP_SUFFIX}`)).toBe(0o600);
    expect(fs.modeOf(`${CODEX}/config.toml`)).toBe(0o640);
  });

  it('reads $HERMES_HOME/config.yaml and writes $CODEX_HOME', async () => {
    const { fs, base } = setup({ '/alt/hermes/config.yaml': 'mcp_servers:\n  x:\n    command: a\n', '/alt/codex': null }, {
      HERMES_HOME: '/alt/hermes',
      CODEX_HOME: '/alt/codex',
    });
    const r = await migrate(base);
    expect(r.source).toBe('/alt/hermes/config.yaml');
    expect(r.codexHome.source).toBe('CODEX_HOME');
    expect(parse(fs.text('/alt/codex/config.toml'))).toHaveProperty('mcp_servers.x');
  });

  it('reads a profile\'s config, and lists the existing profiles when one is missing', async () => {
    const { base } = setup({
      [`${HERMES}/profiles/work/config.yaml`]: 'mcp_servers:\n  w:\n    command: a\n',
      [`${HERMES}/profiles/play`]: null,
    });
    const r = await migrate({ ...base, profile: 'work', dryRun: true });
    expect(r.source).toBe(`${HERMES}/profiles/work/config.yaml`);
    expect(r.profile).toBe('work');
    await expect(migrate({ ...base, profile: 'nope' })).rejects.toThrow(LocationError);
    await expect(migrate({ ...base, profile: 'nope' })).rejects.toMatchObject({ remediation: expect.stringContaining('play, work') });
  });

  it('writes HERMES_HOME literally only into a profile\'s own CODEX_HOME, never under a temporary directory', async () => {
    const { fs, base } = setup({ [`${HERMES}/profiles/work/config.yaml`]: '{}\n', [`${HERMES}/profiles/work/codex`]: null });
    await migrate({ ...base, profile: 'work', codexHome: `${HERMES}/profiles/work/codex` });
    const doc = parse(fs.text(`${HERMES}/profiles/work/codex/config.toml`)) as { mcp_servers: Record<string, { env: object; env_vars: string[] }> };
    expect(doc.mcp_servers['hermes-tools']!.env).toEqual({ HERMES_QUIET: '1', HERMES_REDACT_SECRETS: 'true', HERMES_HOME: `${HERMES}/profiles/work` });

    const tmp = setup({ [`${HERMES}/profiles/work/config.yaml`]: '{}\n', [`${HERMES}/profiles/work/codex`]: null });
    await migrate({ ...tmp.base, profile: 'work', codexHome: `${HERMES}/profiles/work/codex`, tmpRoots: [HOME] });
    const doc2 = parse(tmp.fs.text(`${HERMES}/profiles/work/codex/config.toml`)) as { mcp_servers: Record<string, { env: object; env_vars: string[] }> };
    expect(doc2.mcp_servers['hermes-tools']!.env_vars).toEqual(['HERMES_HOME', 'HERMES_KANBAN_TASK']);
  });

  it('refuses an explicit CODEX_HOME that is missing or not a directory', async () => {
    const { fs, base } = setup({ '/file': 'x' });
    await expect(migrate({ ...base, codexHome: '/missing' })).rejects.toThrow(/does not exist/);
    await expect(migrate({ ...base, env: { CODEX_HOME: '/file' } })).rejects.toThrow(/not a directory/);
    expect(fs.exists('/missing')).toBe(false);
  });

  it('finds a Hermes virtualenv under the Hermes root', async () => {
    const { fs, base } = setup({ [`${HERMES}/hermes-agent/venv/bin/python`]: '' });
    const r = await migrate({ ...base, hermesPython: undefined });
    expect(r.hermesTools).toMatchObject({ written: true, command: `${HERMES}/hermes-agent/venv/bin/python`, pythonSource: 'venv' });
    expect(fs.text(`${CODEX}/config.toml`)).toContain(`command = "${HERMES}/hermes-agent/venv/bin/python"`);
  });

  it('writes a --hermes-python or HERMES_PYTHON that is not there as given, with a warning; none for one that is', async () => {
    const { base } = setup();
    const pythonWarnings = (r: { warnings: { server: string | null; message: string }[] }) => r.warnings.filter((w) => w.server === 'hermes-tools').map((w) => w.message);
    const flag = await migrate({ ...base, hermesPython: '/nope/python', dryRun: true });
    expect(flag.hermesTools).toMatchObject({ command: '/nope/python', pythonSource: 'flag' });
    expect(pythonWarnings(flag)).toEqual(['--hermes-python /nope/python is not an executable file, so codex cannot start the callback with it until it is: point --hermes-python at the interpreter Hermes runs under']);
    const env = await migrate({ ...base, hermesPython: undefined, env: { PATH: '/nowhere', HERMES_PYTHON: 'python9' }, dryRun: true });
    expect(pythonWarnings(env)).toEqual([expect.stringMatching(/^HERMES_PYTHON python9 is not an executable file on PATH/)]);
    expect(pythonWarnings(await migrate({ ...base, dryRun: true }))).toEqual([]);
  });
});

describe('writing', () => {
  const existing = '# mine\nmodel = "o3"\n\n[features]\nx = true\n';

  it('keeps a backup of the previous file, keeps its mode, and writes nothing when nothing changed', async () => {
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: existing });
    await fs.vol.promises.chmod(`${CODEX}/config.toml`, 0o640);
    const r = await migrate(base);
    expect(r.changed).toBe(true);
    expect(r.backup).toBe(`${CODEX}/config.toml${BACKUP_SUFFIX}`);
    expect(fs.text(r.backup!)).toBe(existing);
    expect(fs.modeOf(`${CODEX}/config.toml`)).toBe(0o640);
    expect(fs.modeOf(r.backup!)).toBe(0o600);

    const written = fs.text(`${CODEX}/config.toml`);
    const again = await migrate(base);
    expect(again.changed).toBe(false);
    expect(again.backup).toBeNull();
    expect(fs.text(`${CODEX}/config.toml`)).toBe(written);
    expect(fs.text(r.backup!)).toBe(existing);
  });

  it('writes through a symlinked config.toml to its target', async () => {
    const { fs, base } = setup({ '/dotfiles/codex.toml': existing, [CODEX]: null });
    await fs.vol.promises.symlink('/dotfiles/codex.toml', `${CODEX}/config.toml`);
    await migrate(base);
    expect((await fs.lstat(`${CODEX}/config.toml`)).isSymbolicLink()).toBe(true);
    expect(parse(fs.text('/dotfiles/codex.toml'))).toHaveProperty('mcp_servers.gh');
  });

  it('writes nothing on a dry run and returns a redacted diff', async () => {
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: existing, [`${HERMES}/config.yaml`]: 'mcp_servers:\n  gh:\n    command: npx\n    env:\n      SECRET: hunter2\n' });
    const r = await migrate({ ...base, dryRun: true });
    expect(r.changed).toBe(true);
    expect(r.diff).toContain('+[mcp_servers.gh]');
    expect(r.diff).not.toContain('hunter2');
    expect(fs.text(`${CODEX}/config.toml`)).toBe(existing);
    expect(fs.exists(`${CODEX}/${STATE_FILE_NAME}`)).toBe(false);
    expect(fs.exists(`${CODEX}/config.toml${BACKUP_SUFFIX}`)).toBe(false);
  });

  it('never prints env or header values anywhere in the report unless showSecrets', async () => {
    const yaml = 'mcp_servers:\n  a:\n    command: npx\n    env:\n      API_KEY: sk-live-SECRET1\n      MIXED: "pre-${X}"\n  b:\n    url: https://x.example/mcp\n    headers:\n      Authorization: Bearer tok-SECRET2\n      X-Other: val-SECRET3\n';
    const { base } = setup({ [`${HERMES}/config.yaml`]: yaml, [CODEX]: null });
    const r = await migrate({ ...base, dryRun: true });
    expect(JSON.stringify(r)).not.toMatch(/SECRET\d/);
    expect(r.diff).toContain('API_KEY = "***"');
    const shown = await migrate({ ...base, dryRun: true, showSecrets: true });
    expect(shown.diff).toMatch(/sk-live-SECRET1[\s\S]*Bearer tok-SECRET2/);
  });

  it('does not create the default CODEX_HOME on a dry run', async () => {
    const { fs, base } = setup();
    const r = await migrate({ ...base, dryRun: true });
    expect(r.codexHome.created).toBe(false);
    expect(fs.exists(CODEX)).toBe(false);
  });
});

describe('validation with codex\'s loader', () => {
  it('checks a private copy, with CODEX_HOME pointing away from the real one and HOME untouched', async () => {
    const { base, codex } = setup();
    const r = await migrate({ ...base, env: { PATH: '/nowhere', HOME: HOME } });
    expect(r.validation).toMatchObject({ codex: 'accepted', bin: '/opt/codex' });
    // Strict first; when it accepts, the plain run is not needed.
    expect(codex.calls.map((c) => c.args.join(' '))).toEqual(['app-server --strict-config --print-startup-config']);
    expect(codex.calls[0]!.env['CODEX_HOME']).not.toBe(CODEX);
    expect(codex.calls[0]!.env['HOME']).toBe(HOME);
    expect(codex.calls[0]!.env['RUST_LOG']).toBe('warn');
  });

  it('asks codex for its version only when it does not answer the newest check (older than 0.164)', async () => {
    const asked = (version: string, answer: (args: readonly string[]) => RunResult) => {
      const seen: string[] = [];
      const run: RunCommand = async (_file, args) => {
        seen.push(args.join(' '));
        return args[0] === '--version' ? { exitCode: 0, stdout: `codex-cli ${version}\n`, stderr: '' } : answer(args);
      };
      return { run, seen };
    };
    // No discovery here (a new CODEX_HOME), so no version is known before the loader runs.
    const recent = asked('0.169.0', () => accepted);
    expect((await migrate({ ...setup().base, run: recent.run })).validation).toMatchObject({ codex: 'accepted', check: 'print-startup-config', codexVersion: '0.169.0' });
    expect(recent.seen).toEqual(['app-server --strict-config --print-startup-config']);
    // 0.150 refuses the flag (clap, exit 2), then answers --version and the strict app-server check.
    const older = asked('0.150.0', (args) =>
      args.includes('--print-startup-config') ? { exitCode: 2, stdout: '', stderr: "error: unexpected argument '--print-startup-config' found\n" } : { exitCode: 0, stdout: '', stderr: '' },
    );
    expect((await migrate({ ...setup().base, run: older.run })).validation).toMatchObject({ codex: 'accepted', check: 'strict-app-server', codexVersion: '0.150.0' });
    expect(older.seen).toEqual(['app-server --strict-config --print-startup-config', '--version', 'app-server --strict-config']);
  });

  it('refuses to write when codex rejects the result, and says why', async () => {
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' });
    const rejecting = fakeCodex({
      exitCode: 1,
      stdout: '{"error":{"code":-32600,"data":{"reason":"configLoad","filePath":"/tmp/x/config.toml","line":3,"column":1,"detail":"/tmp/x/config.toml:3:1: url is not supported for stdio"},"message":"failed"}}\n',
      stderr: 'backtrace',
    });
    const err = await migrate({ ...base, run: rejecting.run }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationRefusedError);
    expect(err.message).toMatch(/url is not supported for stdio \(line 3, column 1 of the new file, inside the managed block: see --dry-run\)/);
    expect(fs.text(`${CODEX}/config.toml`)).toBe('model = "x"\n');
    expect(fs.exists(`${CODEX}/${STATE_FILE_NAME}`)).toBe(false);
  });

  it('says which permissions problem it is: an old codex without built-in profiles (naming its version and the floor), or a profile name without its colon', async () => {
    const refusal = {
      exitCode: 1,
      stdout: '{"error":{"code":-32600,"data":{"reason":"configLoad","filePath":"/tmp/x/config.toml","detail":"default_permissions requires a `[permissions]` table"},"message":"failed"}}\n',
      stderr: '',
    };
    // The loader tells the version of the codex it ran; 0.125 is below the floor (no built-in profiles).
    // (Below 0.131 the loader's verdict is `codex mcp list`'s, whose error is on stderr.)
    const old = fakeCodex({ exitCode: 1, stdout: '', stderr: 'Error: default_permissions requires a `[permissions]` table\n' }, '0.125.0');
    const { base } = setup();
    const builtin = await migrate({ ...base, run: old.run }).catch((e) => e);
    expect(builtin).toBeInstanceOf(ValidationRefusedError);
    expect(builtin.remediation).toMatch(/^This codex is 0\.125\.0, older than 0\.128\.0, the first release with built-in `:workspace` profile \(hermes-codex supports codex 0\.128\.0 and newer\): upgrade it with `npm i -g @openai\/codex@/);
    const named = await migrate({ ...base, run: old.run, permissions: 'workspace' }).catch((e) => e);
    expect(named.remediation).toMatch(/^`workspace` \(from --permissions\) is not one of codex's built-in profiles, whose names start with a colon \(`:workspace`, `:read-only`, `:danger-full-access`\), and config\.toml has no `\[permissions\.workspace\]` table: pass `--permissions :workspace` for the built-in one, define that table, or use --no-permissions\.$/);
    const own = await migrate({ ...base, run: old.run, permissions: 'strict' }).catch((e) => e);
    expect(own.remediation).toMatch(/no `\[permissions\.strict\]` table: define that table, or use --no-permissions\.$/);
    // A codex known to be new enough has the built-in profiles: its refusal is about something else.
    const recent = fakeCodex(refusal, '0.169.0');
    const knownNew = await migrate({ ...base, run: recent.run }).catch((e) => e);
    expect(knownNew).toBeInstanceOf(ValidationRefusedError);
    expect(knownNew.remediation).toMatch(/^Run with --dry-run to see the new file/);
    expect(knownNew.remediation).not.toMatch(/upgrade/);
  });

  it('reports --strict-config findings as warnings', async () => {
    const { base } = setup();
    const strict = fakeCodex((args) =>
      args.includes('--strict-config')
        ? { exitCode: 1, stdout: '{"error":{"data":{"line":7,"column":1,"detail":"/tmp/hermes-codex-check-1/config.toml:7:1: unknown configuration field `foo`"}}}', stderr: '' }
        : accepted,
    );
    const r = await migrate({ ...base, run: strict.run });
    expect(r.warnings).toContainEqual({ server: null, key: null, message: 'codex --strict-config: unknown configuration field `foo` (line 7)' });
  });

  it('skips validation with a reason when codex cannot be found or run', async () => {
    const { base } = setup();
    const r = await migrate({ ...base, codexBin: undefined });
    expect(r.validation).toMatchObject({ codex: 'skipped', reason: expect.stringMatching(/codex not found/) });
    const broken = fakeCodex({ exitCode: null, stdout: '', stderr: '', failure: { kind: 'not-found', message: 'ENOENT' } });
    const r2 = await migrate({ ...setup().base, run: broken.run });
    expect(r2.validation).toMatchObject({ codex: 'skipped', reason: expect.stringMatching(/could not run/) });
  });

  it('uses Hermes\' model.codex_bin when no flag is given', async () => {
    const { base, codex } = setup({ [`${HERMES}/config.yaml`]: 'model:\n  codex_bin: /usr/local/bin/codex\n' });
    await migrate({ ...base, codexBin: undefined });
    expect(codex.calls[0]!.file).toBe('/usr/local/bin/codex');
  });
});

describe('plugin discovery', () => {
  const demo = { key: 'demo@local', name: 'demo', marketplace: 'local', installed: true, enabled: true, availability: 'AVAILABLE', decision: 'migrate' as const, reason: 'installed and available' };

  it('is never fatal: servers still migrate, plugin tables stay, the report says why', async () => {
    const existing = '[plugins."mine@x"]\nenabled = true\n';
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: existing });
    const r = await migrate({ ...base, discover: async () => Promise.reject(new Error('plugin discovery failed: codex timed out')) });
    expect(r.servers.migrated).toEqual(['gh']);
    expect(r.plugins).toMatchObject({ status: 'failed', error: 'plugin discovery failed: codex timed out', migrated: [] });
    expect(r.warnings.some((w) => w.key === 'plugins' && /left as they were/.test(w.message))).toBe(true);
    expect(fs.text(`${CODEX}/config.toml`)).toContain('[plugins."mine@x"]\nenabled = true\n');
  });

  it('queries on a dry run too (read-only), so the report matches a real run', async () => {
    const { fs, base } = setup({ [CODEX]: null });
    let calls = 0;
    const r = await migrate({ ...base, dryRun: true, discover: async () => (calls++, { plugins: [demo], warnings: ['a marketplace failed'] }) });
    expect(calls).toBe(1);
    expect(r.plugins.migrated).toEqual(['demo@local']);
    expect(r.diff).toContain('+[plugins."demo@local"]');
    expect(r.warnings).toContainEqual({ server: null, key: 'plugins', message: 'a marketplace failed' });
    expect(fs.exists(`${CODEX}/config.toml`)).toBe(false);
  });

  it('--no-plugins does not query codex and leaves plugin tables alone', async () => {
    const { base } = setup({ [CODEX]: null });
    let calls = 0;
    const r = await migrate({ ...base, plugins: false, discover: async () => (calls++, { plugins: [demo], warnings: [] }) });
    expect(calls).toBe(0);
    expect(r.plugins).toMatchObject({ status: 'skipped', reason: 'disabled (--no-plugins)' });
  });

  it("runs codex's loader on the likely result while discovery runs, and takes that verdict when discovery changes no plugin table", async () => {
    const { base } = setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' });
    const order: string[] = [];
    let loaderStarted!: () => void;
    const started = new Promise<void>((resolve) => (loaderStarted = resolve));
    const codex = fakeCodex();
    const run: RunCommand = async (file, args, opts) => {
      order.push(`loader ${args.join(' ')}`);
      loaderStarted();
      return codex.run(file, args, opts);
    };
    // Discovery answers only once the loader has started: the run would hang if they queued.
    const discover = async (o: { onSpawned?: () => void }) => {
      o.onSpawned?.();
      order.push('discovery started');
      await started;
      order.push('discovery answered');
      return { plugins: [], warnings: [], codexVersion: '0.169.0' };
    };
    const r = await migrate({ ...base, run, discover });
    expect(r.validation).toMatchObject({ codex: 'accepted', check: 'print-startup-config' });
    expect(order).toEqual(['discovery started', 'loader app-server --strict-config --print-startup-config', 'discovery answered']);
  });

  it('validates the final text again when discovery changes the plugin tables; an early rejection of the other text does not count', async () => {
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' });
    const checked: string[] = [];
    // This codex refuses any file without the plugin's table (the early text), and accepts the final one.
    const run: RunCommand = async (_file, args, opts) => {
      if (args[0] === '--version') return { exitCode: 0, stdout: 'codex-cli 0.169.0\n', stderr: '' };
      const text = await import('node:fs/promises').then((f) => f.readFile(`${opts.env['CODEX_HOME']}/config.toml`, 'utf8'));
      checked.push(text.includes('[plugins."demo@local"]') ? 'with plugin' : 'without');
      return text.includes('[plugins."demo@local"]')
        ? accepted
        : { exitCode: 1, stdout: '{"error":{"data":{"line":1,"column":1,"detail":"config.toml:1:1: wrong"}}}\n', stderr: '' };
    };
    const r = await migrate({ ...base, run, discover: async () => ({ plugins: [demo], warnings: [], codexVersion: '0.169.0' }) });
    expect(r.validation).toMatchObject({ codex: 'accepted' });
    expect(fs.text(`${CODEX}/config.toml`)).toContain('[plugins."demo@local"]');
    // The early text (strict, then plain) and the final one, which codex was asked about once.
    expect(checked.filter((c) => c === 'with plugin')).toHaveLength(1);
    expect(checked.filter((c) => c === 'without').length).toBeGreaterThan(0);
  });

  it('a rejection of the text discovery leaves unchanged is the run\'s refusal, after discovery, with nothing written', async () => {
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' });
    let discoveryDone = false;
    const rejecting = fakeCodex({ exitCode: 1, stdout: '{"error":{"data":{"line":1,"column":1,"detail":"config.toml:1:1: wrong"}}}\n', stderr: '' });
    const err = await migrate({ ...base, run: rejecting.run, discover: async () => ((discoveryDone = true), { plugins: [], warnings: [] }) }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationRefusedError);
    expect(discoveryDone).toBe(true);
    expect(fs.text(`${CODEX}/config.toml`)).toBe('model = "x"\n');
  });

  it("returns only once discovery's clean-up (codex's exit, its private CODEX_HOME) has finished", async () => {
    const { base } = setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' });
    let cleanedUp = false;
    const discover = async (o: { onSpawned?: () => void; afterwards?: (p: Promise<void>) => void }) => {
      o.onSpawned?.();
      o.afterwards?.(new Promise<void>((resolve) => setTimeout(() => ((cleanedUp = true), resolve()), 50)));
      return { plugins: [], warnings: [], codexVersion: '0.169.0' };
    };
    const r = await migrate({ ...base, discover });
    expect(r.plugins.status).toBe('discovered');
    expect(cleanedUp).toBe(true);
  });

  it('abandons discovery when the input is unusable: the input error is the outcome, codex is told to exit', async () => {
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: 'model = \n' });
    let signal: AbortSignal | undefined;
    // A codex that answers only when told to go away (the real one exits when its stdin ends).
    const discover = (o: { signal?: AbortSignal; onSpawned?: () => void }) =>
      new Promise<never>((_, reject) => {
        signal = o.signal;
        o.onSpawned?.();
        o.signal?.addEventListener('abort', () => reject(new Error('plugin discovery failed: codex exited')));
      });
    const err = await migrate({ ...base, discover }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigSyntaxError);
    expect(signal?.aborted).toBe(true);
    expect(fs.text(`${CODEX}/config.toml`)).toBe('model = \n');
  });

  it('passes the codex binary, CODEX_HOME and timeout to discovery', async () => {
    const { base } = setup({ [CODEX]: null });
    let seen: unknown;
    await migrate({ ...base, pluginTimeoutMs: 1234, discover: async (o) => ((seen = o), { plugins: [], warnings: [] }) });
    expect(seen).toMatchObject({ codexBin: '/opt/codex', codexHome: CODEX, timeoutMs: 1234 });
  });
});

describe('unusable input: clear error, nothing written', () => {
  async function expectNoWrite(fs: MemFs, promise: Promise<unknown>, error: new (...a: never[]) => Error, message: RegExp) {
    const snapshot = () => JSON.stringify(fs.vol.toJSON());
    const before = snapshot();
    const err = (await promise.then(() => null, (e: unknown) => e)) as Error & { exitCode: number };
    expect(err).toBeInstanceOf(error);
    expect(err.message).toMatch(message);
    expect(err.exitCode).toBe(2);
    expect(snapshot()).toBe(before);
  }

  it('YAML syntax error: file, line and column', async () => {
    const { fs, base } = setup({ [`${HERMES}/config.yaml`]: 'mcp_servers:\n  a:\n    command: [unclosed\n' });
    await expectNoWrite(fs, migrate(base), ConfigSyntaxError, /config\.yaml:\d+:\d+: YAML error/);
  });

  it('duplicate YAML keys', async () => {
    const { fs, base } = setup({ [`${HERMES}/config.yaml`]: 'mcp_servers:\n  a:\n    command: x\n  a:\n    command: y\n' });
    await expectNoWrite(fs, migrate(base), ConfigSyntaxError, /config\.yaml:4:\d+/);
  });

  it('mcp_servers that is not a mapping', async () => {
    const { fs, base } = setup({ [`${HERMES}/config.yaml`]: 'mcp_servers:\n  - a\n' });
    await expectNoWrite(fs, migrate(base), Error, /config\.yaml:2: mcp_servers must be a mapping/);
  });

  it('a missing Hermes config', async () => {
    const fs = memFileSystem({});
    await expectNoWrite(fs, migrate({ ...setup().base, fs }), FileAccessError, /Hermes config .*config\.yaml does not exist/);
  });

  it('a config.toml that does not parse, with NUL bytes, or that is a directory', async () => {
    for (const [content, err, msg] of [
      ['a = 1\n[x\n', ConfigSyntaxError, /config\.toml:2:\d+: TOML error/],
      ['a = "\u0000\u0000"\n', ConfigSyntaxError, /NUL byte \(line 1\)/],
    ] as const) {
      const { fs, base } = setup({ [`${CODEX}/config.toml`]: content });
      await expectNoWrite(fs, migrate(base), err, msg);
    }
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: null });
    await expectNoWrite(fs, migrate(base), FileAccessError, /is a directory/);
    // Saved as "Unicode" by a Windows editor: named as UTF-16, not as binary data.
    for (const encoding of ['utf16le', 'utf16be'] as const) {
      const u = setup({ [`${CODEX}/config.toml`]: "" });
      const bytes = Buffer.from('\ufeffmodel = "x"\n', 'utf16le');
      if (encoding === 'utf16be') bytes.swap16();
      await u.fs.writeFileAtomic(`${CODEX}/config.toml`, bytes);
      await expectNoWrite(u.fs, migrate(u.base), ConfigSyntaxError, /config\.toml is encoded as UTF-16; it must be UTF-8/);
    }
  });

  it('an unreadable config.toml, and a read-only CODEX_HOME', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const { fs, base } = setup({ [`${CODEX}/config.toml`]: 'model = "x"\n' });
    const unreadable = { ...fs, readFile: async (p: string) => (p.endsWith('config.toml') ? Promise.reject(denied) : fs.readFile(p)) } as MemFs;
    await expectNoWrite(fs, migrate({ ...base, fs: unreadable }), FileAccessError, /config\.toml is not readable \(permission denied\)/);

    const rofs = Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    const readOnly = { ...fs, writeFileAtomic: async () => Promise.reject(rofs), replaceIfUnchanged: async () => Promise.reject(rofs), mkdir: async () => Promise.reject(rofs) } as MemFs;
    await expectNoWrite(fs, migrate({ ...base, fs: readOnly }), FileAccessError, /cannot write config\.toml .*: the file system is read-only/);
  });

  it('a dangling symlink as config.toml', async () => {
    const { fs, base } = setup({ [CODEX]: null });
    await fs.vol.promises.symlink('/gone/config.toml', `${CODEX}/config.toml`);
    const err = await migrate(base).catch((e) => e);
    expect(err).toBeInstanceOf(FileAccessError);
    expect(err.message).toMatch(/symlink to \/gone\/config\.toml, which does not exist/);
  });
});

describe('lineOnDisk', () => {
  it('maps a line outside the block to its unique line on disk, and says when a line is inside the block', async () => {
    const { lineOnDisk } = await import('../../src/migrate/migrate.js');
    const { START_MARKER, END_MARKER } = await import('../../src/migrate/block-render.js');
    const old = 'a = 1\n[t]\nx = 2\n';
    const now = `a = 1\n${START_MARKER}\ndefault_permissions = ":workspace"\n${END_MARKER}\n\n[t]\nx = 2\n`;
    expect(lineOnDisk(now, 7, old)).toEqual({ onDisk: 3, inBlock: false });
    expect(lineOnDisk(now, 3, old)).toEqual({ inBlock: true });
    expect(lineOnDisk(now, undefined, old)).toEqual({ inBlock: false });
  });
});

describe('the hermes-tools interpreter guessed from PATH', () => {
  it("is asked whether it imports the callback module, so migrate and doctor give one verdict in doctor's words", async () => {
    const fs = memFileSystem({ [`${HERMES}/config.yaml`]: YAML });
    // PATH lookups are real: a directory of our own with a python3 in it.
    const { mkdtempSync, writeFileSync: write, rmSync } = await import('node:fs');
    const bin = mkdtempSync(`${(await import('node:os')).tmpdir()}/hc-py-`);
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    write(`${bin}/python3`, '#!/bin/sh\n', { mode: 0o755 });
    const base: MigrateOptions = { fs, env: { PATH: bin }, home: HOME, cwd: HOME, now: () => new Date('2026-12-06T00:00:00Z'), validateWithCodex: false, plugins: false, dryRun: true, tmpRoots: ['/tmp'] };
    const asked: string[] = [];
    const cannot: RunCommand = async (file, args) => {
      asked.push(`${file} ${args.join(' ')}`);
      return { exitCode: 1, stdout: '', stderr: "ModuleNotFoundError: No module named 'agent'\n" };
    };
    const bad = await migrate({ ...base, run: cannot });
    expect(asked).toEqual([`${bin}/python3 -c import agent.transports.hermes_tools_mcp_server`]);
    expect(bad.warnings.filter((w) => w.server === 'hermes-tools').map((w) => w.message)).toEqual([
      `no Hermes virtualenv under ${HERMES}, and ${bin}/python3 cannot import agent.transports.hermes_tools_mcp_server: the callback tools will silently vanish from codex turns (ModuleNotFoundError: No module named 'agent'): pass --hermes-python (or set HERMES_PYTHON) to the interpreter Hermes runs under`,
    ]);
    // One that imports it is no guess any more: no warning.
    const good = await migrate({ ...base, run: async () => ({ exitCode: 0, stdout: '', stderr: '' }) });
    expect(good.warnings.filter((w) => w.server === 'hermes-tools')).toEqual([]);
    expect(good.hermesTools).toMatchObject({ written: true, command: `${bin}/python3`, pythonSource: 'path' });
  });
});
