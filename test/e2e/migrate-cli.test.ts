/**
 * End to end: the built CLI (`dist/`, built by `npm test`) with the real
 * pinned codex, in temporary HOME / HERMES_HOME / CODEX_HOME.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HERMES_FORWARDED_ENV } from '../../src/config/hermes-behaviour.js';
import { chmodSync, chownSync, closeSync, openSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import iarna from '@iarna/toml';
import { START_MARKER } from '../../src/migrate/block-render.js';
import { spawnSync } from 'node:child_process';
import { cliBin, codexAccepts, fixture, runCli, runCodex, sandbox, type Sandbox } from '../helpers/codex.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const configToml = () => path.join(sb.codexHome, 'config.toml');
const read = (p: string) => readFileSync(p, 'utf8');
const count = (s: string, sub: string) => s.split(sub).length - 1;

async function migrateJson(extra: string[] = [], env = sb.env) {
  const r = await runCli(['migrate', '--json', '--hermes-python', '/usr/bin/python3', ...extra], env);
  return { ...r, report: r.stdout ? JSON.parse(String(r.stdout)) : null };
}

describe('hermes-codex migrate (built CLI, real codex)', () => {
  it('migrates the bundled example into a fresh CODEX_HOME that codex accepts; a second run changes nothing', async () => {
    copyFileSync(fixture('hermes/config.yaml'), path.join(sb.hermesHome, 'config.yaml'));
    const first = await migrateJson();
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toBe('');
    const r = first.report;
    expect(r).toMatchObject({
      schemaVersion: 1,
      changed: true,
      target: configToml(),
      servers: { migrated: ['filesystem', 'github', 'sqlite', 'linear', 'docs-search', 'team.wiki', 'browser'], failed: [], userDeclared: [] },
      permissions: { written: true, profile: ':workspace' },
      hermesTools: { written: true, command: '/usr/bin/python3', pythonSource: 'flag' },
      validation: { codex: 'accepted', strictFindings: [] },
    });
    expect(r.warnings.map((w: { server: string; key: string }) => `${w.server}:${w.key}`)).toEqual([
      'sqlite:sampling', 'linear:auth', 'docs-search:transport', 'docs-search:ssl_verify', 'docs-search:keepalive_interval', 'team.wiki:null', 'browser:url',
    ]);
    const text = read(configToml());
    expect(text).not.toMatch(/\$\{/); // no placeholder written literally
    expect(text).not.toMatch(/^(type|transport)\s*=/m);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(iarna.parse(text))));
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
    // No temporary file of ours left behind; no backup for a file that did not exist. (Codex
    // itself creates its state files, sqlite logs and the like, when discovery starts it.)
    const ours = readdirSync(sb.codexHome).filter((n) => n.startsWith('config.toml') || n.startsWith('.hermes-codex'));
    expect(ours.sort()).toEqual(['.hermes-codex-state.json', 'config.toml']);
    expect(statSync(configToml()).mode & 0o777).toBe(0o600);

    const second = await migrateJson();
    expect(second.exitCode).toBe(0);
    expect(second.report.changed).toBe(false);
    expect(read(configToml())).toBe(text);
  });

  it('answers a re-run with nothing changed from its memo, printing what --no-memo prints, until an input changes', async () => {
    copyFileSync(fixture('hermes/config.yaml'), path.join(sb.hermesHome, 'config.yaml'));
    const args = ['--no-plugins'];
    expect((await migrateJson(args)).report.changed).toBe(true);
    expect((await migrateJson(args)).report.changed).toBe(false); // keeps the memo
    const memo = path.join(sb.codexHome, '.hermes-codex-memo.json');
    expect(statSync(memo).mode & 0o777).toBe(0o600);
    // Which phases the CLI ran, from the spans bench/phases.cjs records.
    const phasesOf = (extra: string[]) => {
      const out = path.join(sb.root, `phases-${Math.random().toString(16).slice(2)}.jsonl`);
      const r = spawnSync(process.execPath, ['--require', path.join(__dirname, '../../bench/phases.cjs'), cliBin, 'migrate', '--json', '--hermes-python', '/usr/bin/python3', ...args, ...extra], {
        env: { ...sb.env, BENCH_PHASES: 'plan,memo', BENCH_PHASES_OUT: out },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      return { report: JSON.parse(r.stdout), phases: Object.keys((JSON.parse(read(out)) as { own: object }).own).sort() };
    };
    const recalled = phasesOf([]);
    expect(recalled.phases).toEqual(['memo']);
    const planned = phasesOf(['--no-memo']);
    expect(planned.phases).toEqual(['plan']);
    expect(recalled.report).toEqual(planned.report);
    expect(recalled.report.validation).toMatchObject({ codex: 'skipped', reason: 'nothing to change' });
    // A user's edit of config.toml is an input: planned again, and kept.
    writeFileSync(configToml(), `model = "gpt-5.1"\n${read(configToml())}`);
    const edited = phasesOf([]);
    expect(edited.phases).toEqual(['memo', 'plan']);
    expect(edited.report.changed).toBe(false);
    expect(read(configToml())).toMatch(/^model = "gpt-5.1"\n/);
  });

  it('with discovery on, a re-run with nothing changed still asks codex for its plugins and skips the planning', async () => {
    copyFileSync(fixture('hermes/config.yaml'), path.join(sb.hermesHome, 'config.yaml'));
    writeFileSync(configToml(), 'model = "gpt-5.1"\n');
    for (let i = 0; i < 3; i++) expect((await migrateJson()).exitCode).toBe(0);
    expect(existsSync(path.join(sb.codexHome, '.hermes-codex-memo.json'))).toBe(true);
    const phasesOf = (extra: string[]) => {
      const out = path.join(sb.root, `phases-${Math.random().toString(16).slice(2)}.jsonl`);
      const r = spawnSync(process.execPath, ['--require', path.join(__dirname, '../../bench/phases.cjs'), cliBin, 'migrate', '--json', '--hermes-python', '/usr/bin/python3', ...extra], {
        env: { ...sb.env, BENCH_PHASES: 'plan,memo,plugins', BENCH_PHASES_OUT: out },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      return { report: JSON.parse(r.stdout), phases: Object.keys((JSON.parse(read(out)) as { own: object }).own).sort() };
    };
    const recalled = phasesOf([]);
    expect(recalled.phases).toEqual(['memo', 'plugins']);
    const planned = phasesOf(['--no-memo']);
    expect(planned.phases).toEqual(['plan', 'plugins']);
    expect(recalled.report).toEqual(planned.report);
    expect(recalled.report).toMatchObject({ changed: false, plugins: { status: 'discovered' }, validation: { codex: 'skipped', reason: 'nothing to change' } });
  });

  /** The bundled example over an existing config.toml, migrated with TMPDIR private to the sandbox. */
  async function migrateOver(configText: string) {
    copyFileSync(fixture('hermes/config.yaml'), path.join(sb.hermesHome, 'config.yaml'));
    writeFileSync(configToml(), configText);
    const tmp = path.join(sb.root, 'tmp');
    mkdirSync(tmp);
    const r = await migrateJson([], { ...sb.env, TMPDIR: tmp });
    // What is left in TMPDIR besides bin.cjs's code cache (which stays there by design).
    return { ...r, tmp, leftInTmp: () => readdirSync(tmp).filter((n) => !n.startsWith('hermes-codex-compile-cache')) };
  }

  it('migrates into an existing CODEX_HOME with discovery and validation on, and leaves no private CODEX_HOME or codex process behind', async () => {
    const r = await migrateOver('model = "gpt-5.1"\n');
    expect(r.exitCode).toBe(0);
    // Discovery ran (CODEX_HOME existed) and the loader's verdict is the one for the written file.
    expect(r.report.plugins.status).toBe('discovered');
    expect(r.report.validation).toMatchObject({ codex: 'accepted', check: 'print-startup-config' });
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
    // Both private CODEX_HOMEs (discovery's copy, the loader's check) were removed before the CLI exited.
    expect(r.leftInTmp()).toEqual([]);
    const stray = spawnSync('pgrep', ['-f', `${sb.codexHome}|${r.tmp}`], { encoding: 'utf8' });
    expect(stray.stdout.trim()).toBe('');
  });

  it('refuses a config.toml it cannot parse with the file and line, writing nothing and leaving no private CODEX_HOME', async () => {
    const r = await migrateOver('model = "gpt-5.1"\n[features\n');
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain(`${configToml()}:2`);
    expect(read(configToml())).toBe('model = "gpt-5.1"\n[features\n');
    expect(r.leftInTmp()).toEqual([]);
  });

  it('keeps a server added with `codex mcp add` after a migration when migrating again', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  gh:\n    command: npx\n    args: [-y, gh]\n    env: {A: b}\n');
    writeFileSync(configToml(), '# my config\nmodel = "gpt-5"\n\n[features]\nweb_search_request = true\n');
    expect((await migrateJson()).exitCode).toBe(0);

    const add = await runCodex(['mcp', 'add', 'userserver', '--env', 'K=V', '--', 'node', 'server.js'], sb.env);
    expect(add.exitCode).toBe(0);
    // Codex placed its table inside the markers (shared/codex-field-notes.md).
    const afterAdd = read(configToml());
    expect(afterAdd.indexOf('[mcp_servers.userserver]')).toBeLessThan(afterAdd.indexOf('# end hermes-agent managed section'));

    const again = await migrateJson();
    expect(again.exitCode).toBe(0);
    expect(again.report.preservedUserTables).toEqual(['mcp_servers.userserver']);
    const text = read(configToml());
    const doc = parse(text) as { mcp_servers: Record<string, unknown>; model: string; features: object };
    expect(doc.mcp_servers['userserver']).toEqual({ command: 'node', args: ['server.js'], env: { K: 'V' } });
    expect(doc.mcp_servers['gh']).toEqual({ command: 'npx', args: ['-y', 'gh'], env: { A: 'b' }, env_vars: [...HERMES_FORWARDED_ENV], startup_timeout_sec: 60, tool_timeout_sec: 300 });
    expect(doc.model).toBe('gpt-5');
    expect(text.startsWith('# my config\nmodel = "gpt-5"\n')).toBe(true);
    expect(text.indexOf('[mcp_servers.userserver]')).toBeGreaterThan(text.indexOf('# end hermes-agent managed section'));
    expect(count(text, START_MARKER)).toBe(1);
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);

    const list = await runCodex(['mcp', 'list', '--json'], sb.env);
    const names = (JSON.parse(String(list.stdout)) as { name: string }[]).map((s) => s.name).sort();
    expect(names).toEqual(['gh', 'hermes-tools', 'userserver']);

    const third = await migrateJson();
    expect(third.report.changed).toBe(false);
  });

  it('exits 1 when some servers fail, still migrating the others, and codex loads the result', async () => {
    const r = await migrateJson(['--hermes-config', fixture('hermes/bad-values.yaml')]);
    expect(r.exitCode).toBe(1);
    expect(r.report.servers.migrated).toEqual(['good', 'enabled-as-text']);
    expect(r.report.servers.failed.map((f: { name: string }) => f.name).sort()).toEqual(
      ['args-open-quote', 'bad-timeout', 'bad-url', 'no-transport', 'not-a-mapping', 'secret-in-args'],
    );
    expect(readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).toMatch(/\[mcp_servers\.enabled-as-text\]\ncommand = "echo"\nenv_vars = \[.*\]\nstartup_timeout_sec = 60\.0\ntool_timeout_sec = 300\.0\nenabled = false\n/);
    for (const f of r.report.servers.failed) expect(f.reason).toMatch(/bad-values\.yaml:\d+/);
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
  });

  it('exits 2 with file, line and column for malformed YAML, writing nothing', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: "unterminated\n');
    const r = await runCli(['migrate'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/error: .*config\.yaml:\d+:\d+: YAML error/);
    expect(String(r.stderr)).toMatch(/fix:/);
    expect(readdirSync(sb.codexHome)).toEqual([]);
  });

  it('exits 2 for a malformed config.toml and leaves it byte for byte', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers: {}\n');
    const bad = 'model = "x"\n[features\n';
    writeFileSync(configToml(), bad);
    const r = await runCli(['migrate', '--json'], sb.env);
    expect(r.exitCode).toBe(2);
    const out = JSON.parse(String(r.stdout));
    expect(out.error).toMatchObject({ type: 'ConfigSyntaxError', file: configToml(), line: 2 });
    expect(read(configToml())).toBe(bad);
    expect(readdirSync(sb.codexHome)).toEqual(['config.toml']);
  });

  it('refuses an explicit CODEX_HOME that does not exist', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers: {}\n');
    const r = await runCli(['migrate'], { ...sb.env, CODEX_HOME: path.join(sb.root, 'nope') });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/CODEX_HOME points to .*nope, which does not exist/);
    expect(existsSync(path.join(sb.root, 'nope'))).toBe(false);
  });

  it('creates the default ~/.codex (0700) when CODEX_HOME is unset, leaving HOME alone', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers: {}\n');
    const env = { ...sb.env };
    delete (env as Record<string, string | undefined>)['CODEX_HOME'];
    const r = await runCli(['migrate', '--hermes-python', '/usr/bin/python3'], env);
    expect(r.exitCode).toBe(0);
    const dot = path.join(sb.home, '.codex');
    expect(statSync(dot).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dot, 'config.toml')).mode & 0o777).toBe(0o600);
    expect((await codexAccepts(dot, env)).ok).toBe(true);
  });

  it('dry run prints a redacted diff and writes nothing', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  s:\n    command: x\n    env:\n      API_KEY: sk-live-123\n');
    const r = await runCli(['migrate', '--dry-run', '--hermes-python', '/usr/bin/python3'], sb.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toContain('+[mcp_servers.s]');
    expect(String(r.stdout)).toContain('API_KEY = "***"');
    expect(String(r.stdout)).not.toContain('sk-live-123');
    expect(String(r.stdout)).toContain('dry run, nothing written');
    expect(String(r.stdout)).not.toMatch(/\x1b\[/); // no color when not a TTY
    // Nothing of ours was written (codex, started read-only for plugin discovery, keeps its own state files).
    expect(readdirSync(sb.codexHome).filter((n) => n.startsWith('config.toml') || n.startsWith('.hermes-codex'))).toEqual([]);
  });

  it('writes through a symlinked config.toml and keeps the link', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers: {}\n');
    const target = path.join(sb.root, 'dotfiles', 'codex.toml');
    mkdirSync(path.dirname(target));
    writeFileSync(target, 'model = "o3"\n');
    symlinkSync(target, configToml());
    const r = await migrateJson();
    expect(r.exitCode).toBe(0);
    expect(read(target)).toContain(START_MARKER);
    expect(read(target).startsWith('model = "o3"\n')).toBe(true);
    expect(r.report.backup).toBe(configToml() + '.hermes-codex.bak');
    expect(read(r.report.backup)).toBe('model = "o3"\n');
  });

  it('migrates a profile with --no-hermes-tools and --no-permissions', async () => {
    const profileDir = path.join(sb.hermesHome, 'profiles', 'work');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(path.join(profileDir, 'config.yaml'), 'mcp_servers:\n  w:\n    url: https://w.example/mcp\n');
    const r = await migrateJson(['--profile', 'work', '--no-hermes-tools', '--no-permissions']);
    expect(r.exitCode).toBe(0);
    expect(r.report).toMatchObject({ profile: 'work', source: path.join(profileDir, 'config.yaml'), hermesTools: { written: false }, permissions: { written: false } });
    expect(parse(read(configToml()))).toEqual({ mcp_servers: { w: { url: 'https://w.example/mcp', startup_timeout_sec: 60, tool_timeout_sec: 300 } } });

    const missing = await runCli(['migrate', '--profile', 'nope'], sb.env);
    expect(missing.exitCode).toBe(2);
    expect(String(missing.stderr)).toMatch(/profile "nope" does not exist[\s\S]*Existing profiles: work/);
  });

  it('refuses --permissions without its colon, as the real codex does, and says which profile was meant', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  w:\n    url: https://w.example/mcp\n');
    const r = await migrateJson(['--permissions', 'workspace', '--no-plugins']);
    expect(r.exitCode).toBe(2);
    expect(r.report.error).toMatchObject({ type: 'ValidationRefusedError', remediation: expect.stringMatching(/^`workspace` \(from --permissions\) is not one of codex's built-in profiles[\s\S]*pass `--permissions :workspace` for the built-in one/) });
    expect(existsSync(configToml())).toBe(false);
    expect((await migrateJson(['--permissions', ':workspace', '--no-plugins'])).exitCode).toBe(0);
  });

  it('keeps an existing config.toml\'s mode and owner; new files are 0600 in a 0700 CODEX_HOME', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  gh:\n    command: npx\n');
    writeFileSync(configToml(), 'model = "o3"\n');
    chmodSync(configToml(), 0o640);
    const root = process.getuid?.() === 0;
    if (root) chownSync(configToml(), 1234, 1234);
    expect((await migrateJson()).exitCode).toBe(0);
    const st = statSync(configToml());
    expect(st.mode & 0o777).toBe(0o640);
    if (root) expect([st.uid, st.gid]).toEqual([1234, 1234]);
    expect(statSync(configToml() + '.hermes-codex.bak').mode & 0o777).toBe(0o600);
    expect(statSync(path.join(sb.codexHome, '.hermes-codex-state.json')).mode & 0o777).toBe(0o600);
  });

  it('--remove returns the file to what it was; --restore puts the migrated one back', async () => {
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  gh:\n    command: npx\n');
    const original = '# mine\r\nmodel = "o3"\r\n\r\n[features]\r\nweb_search_request = true\r\n';
    writeFileSync(configToml(), original);
    expect((await migrateJson()).exitCode).toBe(0);
    const migrated = read(configToml());
    const removed = await runCli(['migrate', '--remove', '--json'], sb.env);
    expect(removed.exitCode).toBe(0);
    expect(JSON.parse(String(removed.stdout))).toMatchObject({ action: 'remove', changed: true });
    expect(read(configToml())).toBe(original);
    expect((await codexAccepts(sb.codexHome, sb.env)).ok).toBe(true);
    const restored = await runCli(['migrate', '--restore'], sb.env);
    expect(restored.exitCode).toBe(0);
    expect(String(restored.stdout)).toMatch(/run --restore again to undo/);
    expect(read(configToml())).toBe(migrated);
    expect((await runCli(['migrate', '--remove', '--restore'], sb.env)).exitCode).toBe(2);
  });

  it('prints a usage error with exit 2 for unknown flags', async () => {
    const r = await runCli(['migrate', '--bogus'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/unknown option: --bogus/);
  });

  it('answers --version with the package version', async () => {
    const r = await runCli(['--version'], sb.env);
    expect(String(r.stdout).trim()).toBe(JSON.parse(read(path.join(__dirname, '../../package.json'))).version);
  });

  it.runIf(existsSync('/dev/full'))('says so, exit 1, when the version cannot be written (a full disk)', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [cliBin, '--version'], { env: sb.env, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('hermes-codex: cannot write the version to stdout (ENOSPC)\n');
    } finally {
      closeSync(full);
    }
  });
});
