/**
 * `hermes-codex runtime` and `hermes-codex profile` end to end: a temporary
 * Hermes root with a default config and two profiles (one commented
 * everywhere), the built CLI, the real pinned codex.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TESTED_CODEX_VERSION } from '../../src/codex/capabilities.js';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { parse as parseShell } from 'shell-quote';
import { codexAccepts, fixture, runCli, sandbox, type Sandbox } from '../helpers/codex.js';

let sb: Sandbox;
let env: Record<string, string>;
const COMMENTED = [
  '# Work profile — comments everywhere',
  'model:   # the model block',
  '  provider: "openai-codex"   # quoted on purpose',
  '  default: gpt-5.5',
  '  openai_runtime: auto # off for now',
  '',
  '# servers',
  'mcp_servers:',
  '  gh:   # github',
  '    command: npx',
  "    args: ['-y', '@modelcontextprotocol/server-github']",
  '    env:',
  '      GITHUB_TOKEN: "${GITHUB_TOKEN}"  # forwarded, never written',
  '',
].join('\n');

beforeEach(() => {
  sb = sandbox();
  // The default ~/.codex (CODEX_HOME unset), with a login that must never be copied into a profile.
  env = { ...sb.env };
  delete (env as Record<string, string | undefined>)['CODEX_HOME'];
  mkdirSync(path.join(sb.home, '.codex'), { mode: 0o700 });
  // A Python that imports the hermes-tools module (the stand-in Hermes install), as Hermes' own would: `runtime on` checks it.
  const hermesPython = path.join(sb.root, 'hermes-python');
  writeFileSync(hermesPython, `#!/bin/sh\nPYTHONDONTWRITEBYTECODE=1 PYTHONPATH="${fixture('hermes-install')}" exec python3 "$@"\n`, { mode: 0o755 });
  env['HERMES_PYTHON'] = hermesPython;
  writeFileSync(path.join(sb.home, '.codex', 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-default-login' }), { mode: 0o600 });
  writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'model:\n  provider: openai-codex\nmcp_servers:\n  fs:\n    command: npx\n');
  for (const p of ['work', 'play']) mkdirSync(path.join(sb.hermesHome, 'profiles', p), { recursive: true });
  writeFileSync(path.join(sb.hermesHome, 'profiles', 'work', 'config.yaml'), COMMENTED);
  writeFileSync(path.join(sb.hermesHome, 'profiles', 'play', 'config.yaml'), 'model:\n  provider: openai\n');
});
afterEach(() => sb.cleanup());

const workYaml = () => path.join(sb.hermesHome, 'profiles', 'work', 'config.yaml');
const cli = async (args: string[], e = env) => {
  const r = await runCli([...args, '--json'], e);
  return { exitCode: r.exitCode, stderr: String(r.stderr), json: r.stdout ? JSON.parse(String(r.stdout)) : null };
};

describe('hermes-codex runtime', () => {
  it('on / off / status round trips leave the file byte-identical apart from the one value', async () => {
    const on = await cli(['runtime', 'on', '--profile', 'work', '--no-plugins']);
    expect(on.exitCode, on.stderr).toBe(0);
    expect(on.json).toMatchObject({ previous: 'auto', runtime: 'codex_app_server', changed: true, codexVersion: TESTED_CODEX_VERSION, migration: { ok: true } });
    expect(on.json.note).toMatch(/new Hermes sessions/);
    expect(readFileSync(workYaml(), 'utf8')).toBe(COMMENTED.replace('openai_runtime: auto', 'openai_runtime: codex_app_server'));

    const status = await cli(['runtime', 'status', '--profile', 'work']);
    expect(status.json).toMatchObject({ runtime: 'codex_app_server', codexVersion: TESTED_CODEX_VERSION, codexHome: path.join(sb.home, '.codex'), block: 'current' });

    const again = await cli(['runtime', 'on', '--profile', 'work', '--no-plugins']);
    expect(again.json).toMatchObject({ changed: false, migration: { ok: true, changed: false } });

    const codexBefore = readdirSync(path.join(sb.home, '.codex')).sort();
    const tomlBefore = readFileSync(path.join(sb.home, '.codex', 'config.toml'), 'utf8');
    const off = await cli(['runtime', 'off', '--profile', 'work']);
    expect(off.json).toMatchObject({ previous: 'codex_app_server', runtime: 'auto', changed: true });
    expect(off.json.migration).toBeUndefined();
    expect(readFileSync(workYaml(), 'utf8')).toBe(COMMENTED);
    // off never touches CODEX_HOME.
    expect(readdirSync(path.join(sb.home, '.codex')).sort()).toEqual(codexBefore);
    expect(readFileSync(path.join(sb.home, '.codex', 'config.toml'), 'utf8')).toBe(tomlBefore);
    expect((await cli(['runtime', 'off', '--profile', 'work'])).json.changed).toBe(false);
  });

  it('on with codex missing changes nothing', async () => {
    const noCodex = { ...env, PATH: '/usr/bin:/bin' };
    const before = readFileSync(workYaml(), 'utf8');
    const r = await runCli(['runtime', 'on', '--profile', 'work'], noCodex);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/codex is not installed/);
    expect(String(r.stderr)).toMatch(new RegExp(`npm i -g @openai/codex@${TESTED_CODEX_VERSION.replace(/\./g, '\\.')}`));
    expect(readFileSync(workYaml(), 'utf8')).toBe(before);
    expect(existsSync(path.join(sb.home, '.codex', 'config.toml'))).toBe(false);
  });

  it('on says when the profile\'s provider is not one the codex runtime takes over, and when it shares CODEX_HOME', async () => {
    writeFileSync(path.join(sb.hermesHome, 'profiles', 'play', 'config.yaml'), 'model:\n  provider: openrouter\nmcp_servers:\n  a:\n    command: x\n');
    const r = await cli(['runtime', 'on', '--profile', 'play', '--no-plugins']);
    expect(r.json.notes).toEqual([
      expect.stringMatching(/model\.provider is openrouter: the codex runtime only takes over openai and openai-codex/),
      expect.stringMatching(/profile play has no CODEX_HOME of its own: it shares .* with the default profile.*hermes-codex profile setup play/),
    ]);
    const human = await runCli(['runtime', 'on', '--profile', 'play', '--no-plugins'], env);
    expect(String(human.stdout)).toMatch(/⚠ model\.provider is openrouter/);
  });

  it("on refuses when codex has no login for the CODEX_HOME it migrated (Hermes' codex turns would fail), config.yaml untouched; --force switches and says so", async () => {
    const loggedIn = await cli(['runtime', 'on', '--no-plugins']);
    expect(loggedIn.exitCode, loggedIn.stderr).toBe(0);
    expect(loggedIn.json.notes.join('\n')).not.toMatch(/no login/);
    await cli(['runtime', 'off']);
    const yaml = readFileSync(path.join(sb.hermesHome, 'config.yaml'), 'utf8');
    rmSync(path.join(sb.home, '.codex', 'auth.json'));
    const codexHome = path.join(sb.home, '.codex');
    const refused = await runCli(['runtime', 'on', '--no-plugins'], env);
    expect(refused.exitCode).toBe(1);
    expect(String(refused.stderr)).toContain(`codex has no login for CODEX_HOME ${codexHome}, so Hermes' codex turns fail until it has one. Run \`CODEX_HOME=${codexHome} codex login\` once (or \`printenv OPENAI_API_KEY | CODEX_HOME=${codexHome} codex login --with-api-key\` for an API key).`);
    expect(String(refused.stderr)).toMatch(/--force/);
    expect(readFileSync(path.join(sb.hermesHome, 'config.yaml'), 'utf8')).toBe(yaml);
    const r = await cli(['runtime', 'on', '--no-plugins', '--force']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ changed: true, runtime: 'codex_app_server', backup: `${path.join(sb.hermesHome, 'config.yaml')}.hermes-codex.bak` });
    expect(r.json.notes).toContain(`codex has no login for CODEX_HOME ${codexHome}, so Hermes' codex turns fail until it has one. Run \`CODEX_HOME=${codexHome} codex login\` once (or \`printenv OPENAI_API_KEY | CODEX_HOME=${codexHome} codex login --with-api-key\` for an API key).`);
    expect(readFileSync(`${path.join(sb.hermesHome, 'config.yaml')}.hermes-codex.bak`, 'utf8')).toBe(yaml);
    // An API key in the environment is no login for codex app-server: still refused, with the command that stores the key.
    const withKey = await runCli(['runtime', 'on', '--no-plugins'], { ...env, OPENAI_API_KEY: 'sk-env' });
    expect(String(withKey.stderr)).toContain(`Run \`printenv OPENAI_API_KEY | CODEX_HOME=${codexHome} codex login --with-api-key\` once: codex app-server does not read $OPENAI_API_KEY itself, it reads the key codex login stores in auth.json.`);
  });

  it("on refuses a hermes-tools Python that cannot import its module, in doctor's words", async () => {
    const r = await runCli(['runtime', 'on', '--no-plugins', '--hermes-python', '/usr/bin/python3'], env);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/\/usr\/bin\/python3 cannot import agent\.transports\.hermes_tools_mcp_server: the callback tools will silently vanish from codex turns/);
    const doctor = await runCli(['doctor', '--only', 'hermes.tools-callback', '--json'], env);
    expect(JSON.parse(String(doctor.stdout)).checks[0].summary).toMatch(/cannot import agent\.transports\.hermes_tools_mcp_server: the callback tools will silently vanish from codex turns/);
  });

  it('has status, on and off as subcommands, with Hermes\' synonyms as aliases and any casing read as Hermes reads it', async () => {
    const help = String((await runCli(['runtime', '--help'], env)).stdout);
    expect(help).toMatch(/hermes-codex runtime status/);
    expect(help).toMatch(/hermes-codex runtime on .*\n.*\n.*\[aliases: codex, enable, codex_app_server\]/);
    expect(help).toMatch(/hermes-codex runtime off .*\n.*\n.*\[aliases: auto, default, disable, hermes\]/);
    const upper = await runCli(['runtime', 'DISABLE', '--profile', 'play', '--json'], env);
    expect(upper.exitCode, String(upper.stderr)).toBe(0);
    expect(JSON.parse(String(upper.stdout))).toMatchObject({ runtime: 'auto' });
    const alias = await runCli(['runtime', 'hermes', '--profile', 'play', '--json'], env);
    expect(JSON.parse(String(alias.stdout))).toMatchObject({ runtime: 'auto', changed: false });
  });

  it('rejects an unknown word, listing the accepted ones', async () => {
    const r = await runCli(['runtime', 'maybe'], env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/use status, on, codex, enable, codex_app_server \(on\) or off, auto, default, disable, hermes \(off\)/);
  });
});

describe('hermes-codex profile', () => {
  it('setup gives a profile its own CODEX_HOME (0700) with a valid block and no copied login; re-running is safe', async () => {
    const r = await cli(['profile', 'setup', 'work', '--hermes-python', '/usr/bin/python3', '--no-plugins']);
    expect(r.exitCode, r.stderr).toBe(0);
    const own = path.join(sb.hermesHome, 'profiles', 'work', 'codex');
    expect(r.json).toMatchObject({
      profile: 'work',
      codexHome: own,
      created: true,
      login: 'none',
      exportLine: `export CODEX_HOME=${own}`,
      loginCommand: `CODEX_HOME=${own} codex login`,
      apiKeyLoginCommand: `printenv OPENAI_API_KEY | CODEX_HOME=${own} codex login --with-api-key`,
    });
    expect(statSync(own).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(own, 'auth.json'))).toBe(false);
    expect(r.json.migration.servers.migrated).toEqual(['gh']);
    expect(readFileSync(path.join(own, 'config.toml'), 'utf8')).toContain('env_vars = ["GITHUB_TOKEN", "XDG_CONFIG_HOME",');
    expect((await codexAccepts(own, env)).ok).toBe(true);
    const again = await cli(['profile', 'setup', 'work', '--hermes-python', '/usr/bin/python3', '--no-plugins']);
    expect(again.json).toMatchObject({ created: false, migration: { changed: false } });
    // The API-key line, run as printed with the real codex, logs the profile's CODEX_HOME in.
    const login = await execa('sh', ['-c', r.json.apiKeyLoginCommand], { env: { ...env, OPENAI_API_KEY: 'sk-profile-key' }, extendEnv: false, reject: false });
    expect(login.exitCode, String(login.stderr)).toBe(0);
    const listed = await cli(['profile', 'list']);
    expect(listed.json.profiles).toContainEqual(expect.objectContaining({ name: 'work', login: 'api-key' }));
  });

  it("migrate --profile (and --remove, --restore) works on the profile's own CODEX_HOME once it has one, never the shared one", async () => {
    const shared = path.join(sb.home, '.codex', 'config.toml');
    expect((await cli(['migrate', '--no-plugins', '--no-validate', '--hermes-python', '/usr/bin/python3'])).exitCode).toBe(0);
    const sharedBefore = readFileSync(shared, 'utf8');
    await cli(['profile', 'setup', 'work', '--hermes-python', '/usr/bin/python3', '--no-plugins']);
    const own = path.join(sb.hermesHome, 'profiles', 'work', 'codex', 'config.toml');
    writeFileSync(path.join(sb.hermesHome, 'profiles', 'work', 'config.yaml'), `${COMMENTED}  db:\n    command: sqlite-mcp\n`);
    const r = await cli(['migrate', '--profile', 'work', '--no-plugins', '--no-validate', '--hermes-python', '/usr/bin/python3']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json.target).toBe(own);
    expect(readFileSync(own, 'utf8')).toContain('[mcp_servers.db]');
    expect(readFileSync(shared, 'utf8')).toBe(sharedBefore); // the default profile's block is untouched
    expect((await cli(['migrate', '--profile', 'work', '--remove'])).json.target).toBe(own);
    expect(readFileSync(own, 'utf8')).not.toContain('[mcp_servers.db]');
    expect((await cli(['migrate', '--profile', 'work', '--restore'])).json.target).toBe(own);
    expect(readFileSync(own, 'utf8')).toContain('[mcp_servers.db]');
    expect(readFileSync(shared, 'utf8')).toBe(sharedBefore);
    // A profile without its own CODEX_HOME shares the default, as before.
    writeFileSync(path.join(sb.hermesHome, 'profiles', 'play', 'config.yaml'), 'mcp_servers:\n  p:\n    command: play-mcp\n');
    expect((await cli(['migrate', '--profile', 'play', '--no-plugins', '--no-validate'])).json.target).toBe(shared);
  });

  it("with HERMES_HOME at a profile (as Hermes runs one) and no --profile, every command works on that profile: migrate writes its own CODEX_HOME and says so; a disagreeing --profile is a usage error", async () => {
    const shared = path.join(sb.home, '.codex', 'config.toml');
    await cli(['profile', 'setup', 'work', '--hermes-python', '/usr/bin/python3', '--no-plugins']);
    const own = path.join(sb.hermesHome, 'profiles', 'work', 'codex', 'config.toml');
    writeFileSync(path.join(sb.hermesHome, 'profiles', 'work', 'config.yaml'), `${COMMENTED}  db:\n    command: sqlite-mcp\n`);
    const inWork = { ...env, HERMES_HOME: path.join(sb.hermesHome, 'profiles', 'work') };
    const r = await cli(['migrate', '--no-plugins', '--no-validate', '--hermes-python', '/usr/bin/python3'], inWork);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ target: own, profile: 'work', profileFromHermesHome: true });
    expect(readFileSync(own, 'utf8')).toContain('[mcp_servers.db]');
    expect(existsSync(shared) ? readFileSync(shared, 'utf8') : '').not.toContain('[mcp_servers.db]');
    const human = await runCli(['migrate', '--dry-run', '--no-plugins', '--no-validate', '--hermes-python', '/usr/bin/python3'], inWork);
    expect(String(human.stdout)).toMatch(/profile work, the one HERMES_HOME points at: its CODEX_HOME too/);
    // turn and doctor read the same CODEX_HOME.
    const doctor = await cli(['doctor', '--only', 'codex.home'], inWork);
    expect(JSON.stringify(doctor.json)).toContain(path.join(sb.hermesHome, 'profiles', 'work', 'codex'));
    const other = await runCli(['migrate', '--profile', 'play', '--no-plugins', '--no-validate'], inWork);
    expect(other.exitCode).toBe(2);
    expect(String(other.stderr)).toMatch(/--profile play disagrees with HERMES_HOME, which is Hermes profile "work"/);
  });

  it('list reports isolation and login per profile; doctor warns about an isolated profile without a login', async () => {
    await cli(['profile', 'setup', 'work', '--hermes-python', '/usr/bin/python3', '--no-plugins']);
    const list = await cli(['profile', 'list']);
    expect(list.json.profiles).toEqual([
      expect.objectContaining({ name: 'play', isolated: false, codexHome: path.join(sb.home, '.codex'), login: 'api-key' }),
      expect.objectContaining({ name: 'work', isolated: true, codexHome: path.join(sb.hermesHome, 'profiles', 'work', 'codex'), login: 'none', block: 'current' }),
    ]);
    const doctor = await runCli(['doctor', '--only', 'hermes.profiles', '--json'], env);
    const check = JSON.parse(String(doctor.stdout)).checks[0];
    expect(check).toMatchObject({ status: 'warn', summary: 'profile(s) work have their own CODEX_HOME but are not logged in' });
    expect(check.remediation).toContain(`CODEX_HOME=${path.join(sb.hermesHome, 'profiles', 'work', 'codex')} codex login`);
  });

  it("a failed migration after `on` names the command that targets the profile's own CODEX_HOME, and that command works", async () => {
    await cli(['profile', 'setup', 'work', '--hermes-python', '/usr/bin/python3', '--no-plugins']);
    const own = path.join(sb.hermesHome, 'profiles', 'work', 'codex');
    writeFileSync(path.join(own, 'config.toml'), 'model = "unterminated\n');
    // Refused (the migration failed), naming the command; with --force, switched, and the report has it.
    const refused = await runCli(['runtime', 'on', '--profile', 'work', '--no-plugins'], env);
    expect(refused.exitCode).toBe(1);
    expect(String(refused.stderr)).toContain(`the migration failed: `);
    expect(String(refused.stderr)).toContain(`hermes-codex migrate --profile work --codex-home ${own} --no-plugins`);
    const on = await cli(['runtime', 'on', '--profile', 'work', '--no-plugins', '--force']);
    expect(on.exitCode).toBe(1);
    expect(on.json.migration).toMatchObject({ ok: false, next: `hermes-codex migrate --profile work --codex-home ${own} --no-plugins` });
    writeFileSync(path.join(own, 'config.toml'), 'model = "gpt-5.5"\n');
    const [bin, ...args] = parseShell(on.json.migration.next) as string[];
    expect(bin).toBe('hermes-codex');
    const r = await runCli(args, env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(readFileSync(path.join(own, 'config.toml'), 'utf8')).toMatch(/model = "gpt-5\.5"[\s\S]*\[mcp_servers\.gh\]/);
    expect(existsSync(path.join(sb.home, '.codex', 'config.toml'))).toBe(false);
  });

  it('setup of a missing profile lists the existing ones', async () => {
    const r = await runCli(['profile', 'setup', 'nope'], env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/Existing profiles: play, work/);
  });

  it('the real codex accepts each profile\'s CODEX_HOME', async () => {
    await cli(['profile', 'setup', 'work', '--hermes-python', '/usr/bin/python3', '--no-plugins']);
    await cli(['runtime', 'on', '--profile', 'play', '--no-plugins']);
    for (const home of [path.join(sb.hermesHome, 'profiles', 'work', 'codex'), path.join(sb.home, '.codex')]) {
      expect((await codexAccepts(home, env)).ok, home).toBe(true);
    }
  });
});
