/**
 * The package as a user installs it: `npm pack` of the build, then
 * `npm install -g` of the tarball into an empty prefix with a fresh HOME and
 * npm cache (no devDependencies, no network: the package has no
 * dependencies), and the installed CLI and library used from there. The file
 * list must be the one docs/ci.md gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codexBin, fixture, OFFLINE_ENV, repoRoot } from '../helpers/codex.js';
import { START_MARKER } from '../../src/migrate/block-render.js';
import { startMockResponses, mockProviderConfig, type MockResponses } from '../../fixtures/mock-responses/server.mjs';

let root: string;
let installed: string;
let bin: string;
let env: Record<string, string>;
let packed: { files: string[]; size: number; unpackedSize: number };

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'hermes-codex-pack-'));
  const home = path.join(root, 'home');
  const prefix = path.join(root, 'prefix');
  const codexDir = path.join(root, 'codex-bin');
  for (const d of [home, prefix, codexDir]) mkdirSync(d, { recursive: true });
  // The user's codex, installed on its own; nothing else of the clone is on PATH.
  symlinkSync(codexBin, path.join(codexDir, 'codex'));
  env = {
    PATH: [path.join(prefix, 'bin'), codexDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
    HOME: home,
    npm_config_cache: path.join(root, 'npm-cache'),
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    RUST_LOG: 'warn',
    ...OFFLINE_ENV,
  };
  // `npm test` built dist/ already; --ignore-scripts packs that build instead of building again (prepack).
  const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], { cwd: repoRoot, env: { ...env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[]; size: number; unpackedSize: number }[];
  packed = { files: info!.files.map((f) => f.path).sort(), size: info!.size, unpackedSize: info!.unpackedSize };
  await execa('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(root, info!.filename)], { env, extendEnv: false, cwd: root });
  installed = path.join(prefix, 'lib/node_modules/hermes-codex');
  bin = path.join(prefix, 'bin/hermes-codex');
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const cli = (args: string[], extra: Record<string, string> = {}) => execa(bin, args, { env: { ...env, ...extra }, extendEnv: false, reject: false, cwd: root });

describe('the package a user installs', () => {
  it('holds the files docs/ci.md lists, and nothing else', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/ci.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## What the package holds'));
    const listed = [...section.slice(0, section.indexOf('\n## ', 5) === -1 ? undefined : section.indexOf('\n## ', 5)).matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThan(5);
    const expanded = listed.flatMap((p) => (p.endsWith('/*.md') ? packed.files.filter((f) => f.startsWith(p.slice(0, -'*.md'.length)) && f.endsWith('.md')) : [p]));
    expect(packed.files).toEqual([...new Set(expanded)].sort());
    expect(packed.files.length).toBeLessThan(100);
    // What the docs say of the directory pattern really covers the docs folder.
    expect(packed.files.filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(5);
  });

  it('installs with no dependencies: the only module copies are its two bundles', () => {
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['dependencies']).toBeUndefined();
    expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
    for (const f of ['cli.cjs', 'yaml.cjs', 'execa.cjs', 'yargs.cjs']) expect(existsSync(path.join(installed, 'dist/cli-bundle', f)), f).toBe(true);
  });

  it("every command's --help works from the install", async () => {
    const top = await cli(['--help']);
    expect(top.exitCode).toBe(0);
    const words = [...top.stdout.matchAll(/^ {2}hermes-codex (\w+)/gm)].map((m) => m[1]!);
    expect(words).toEqual(expect.arrayContaining(['migrate', 'doctor', 'plugins', 'turn', 'runtime', 'profile', 'completion']));
    for (const w of words) {
      const r = await cli([w, '--help']);
      expect(r.exitCode, `${w} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout, w).toMatch(new RegExp(`hermes-codex ${w}`));
    }
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });

  it('migrate --dry-run on the bundled example, then doctor, work from the install', async () => {
    const codexHome = path.join(root, 'codex-home');
    mkdirSync(codexHome, { recursive: true });
    const example = fixture('hermes/config.yaml');
    const dry = await cli(['migrate', '--dry-run', '--hermes-config', example, '--codex-home', codexHome, '--no-plugins']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`+${START_MARKER}`);
    expect(existsSync(path.join(codexHome, 'config.toml'))).toBe(false);
    const doctor = await cli(['doctor', '--json', '--hermes-config', example, '--codex-home', codexHome]);
    const report = JSON.parse(doctor.stdout) as { schemaVersion: number; checks: { id: string; status: string }[] };
    expect(report.schemaVersion).toBe(1);
    // The codex on PATH is found and its version read; the empty CODEX_HOME has no block yet.
    expect(report.checks.find((c) => c.id === 'codex.version')?.status).toBe('ok');
    expect(report.checks.find((c) => c.id === 'codex.binary')?.status).toBe('ok');
  });

  it('turn --smoke runs a real turn against the mock model from the install', async () => {
    const mock: MockResponses = await startMockResponses({ script: [{ message: 'PONG' }] });
    try {
      const codexHome = path.join(root, 'turn-home');
      const cwd = path.join(root, 'work');
      for (const d of [codexHome, cwd]) mkdirSync(d, { recursive: true });
      writeFileSync(path.join(codexHome, 'config.toml'), mockProviderConfig(mock.baseUrl));
      const r = await cli(['turn', '--smoke', '--codex-home', codexHome, '--cwd', cwd], { MOCK_API_KEY: 'test' });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('PONG');
      expect(mock.requests.length).toBe(1);
    } finally {
      await mock.close();
    }
  });

  it('the library loads from the install, and its declarations type-check a user program', async () => {
    const app = path.join(root, 'app');
    mkdirSync(path.join(app, 'node_modules'), { recursive: true });
    symlinkSync(installed, path.join(app, 'node_modules/hermes-codex'));
    writeFileSync(path.join(app, 'package.json'), '{"type":"module"}\n');
    writeFileSync(
      path.join(app, 'main.ts'),
      [
        "import { parseHermesConfig, translateServers, toolVersion, HermesCodexError, type MigrationReport } from 'hermes-codex';",
        "const config = parseHermesConfig('mcp_servers:\\n  docs:\\n    command: npx\\n', 'config.yaml');",
        'const report: MigrationReport | undefined = undefined;',
        'const version: string = toolVersion();',
        'export { config, report, version, translateServers, HermesCodexError };',
        '',
      ].join('\n'),
    );
    const tsc = await execa(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', path.join(repoRoot, 'node_modules/@types'), 'main.ts'], { cwd: app, reject: false });
    expect(tsc.exitCode, tsc.stdout).toBe(0);
    const run = await execa(process.execPath, ['--input-type=module', '-e', "const m = await import('hermes-codex'); const c = m.parseHermesConfig('mcp_servers:\\n  docs:\\n    command: npx\\n', 'config.yaml'); console.log(JSON.stringify({ version: m.toolVersion(), servers: Object.keys(c.data.mcp_servers) }));"], { cwd: app, env, extendEnv: false });
    expect(JSON.parse(run.stdout)).toEqual({ version: JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version, servers: ['docs'] });
  });
});
