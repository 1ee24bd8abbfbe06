/**
 * A new user's first hour with the built CLI: flags, usage errors, help,
 * first runs on an empty HOME, and runs that must not write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliBin, runCli, sandbox, type Sandbox } from '../helpers/codex.js';
import { spawn } from 'node:child_process';
import { execa } from 'execa';

const boxes: Sandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.cleanup();
});
function box() {
  const b = sandbox();
  boxes.push(b);
  return b;
}

/** Each command line is a usage error (exit 2) whose message on stderr matches. */
async function expectUsageErrors(sb: Sandbox, cases: readonly [string[], RegExp][]): Promise<void> {
  for (const [args, message] of cases) {
    const r = await runCli(args, sb.env);
    expect(r.exitCode, args.join(' ')).toBe(2);
    expect(String(r.stderr), args.join(' ')).toMatch(message);
  }
}

describe('usage errors', () => {
  it('a flag without its value is exit 2 with one line and the usage hint, JSON with --json, never an internal error', async () => {
    const sb = box();
    const human = await runCli(['migrate', '--hermes-config'], sb.env);
    expect(human.exitCode).toBe(2);
    expect(String(human.stderr)).toMatch(/^error: --hermes-config needs a value\n  fix: Run `hermes-codex --help`/);
    expect(String(human.stderr)).not.toMatch(/internal error|YError|\n\s+at /);
    const json = await runCli(['migrate', '--hermes-config', '--json'], sb.env);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(String(json.stdout))).toMatchObject({ schemaVersion: 1, error: { type: 'UsageError', exitCode: 2 } });
    const format = await runCli(['doctor', '--codex-home', '--format', 'json'], sb.env);
    expect(format.exitCode).toBe(2);
    expect(JSON.parse(String(format.stdout)).error.type).toBe('UsageError');
  });

  it('suggests the command or flag that was meant', async () => {
    const sb = box();
    expect(String((await runCli(['migrat'], sb.env)).stderr)).toMatch(/unknown command `migrat`\. Did you mean migrate\?/);
    const r = await runCli(['migrate', '--dry-rn'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/unknown option: --dry-rn \(did you mean --dry-run\?\)/);
  });

  it('names the word that was wrong: an unknown command, a subcommand typo, an extra word, a negated flag', async () => {
    const sb = box();
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /^error: unknown command `frobnicate` \(commands: migrate, turn, plugins, doctor, runtime, profile, completion\)\n/],
      [['profile', 'setp'], /^error: unknown command `setp`\. Did you mean setup\?\n/],
      [['migrate', 'extra'], /^error: unexpected argument `extra` \(this command takes no more words; quote a value that has spaces\)\n/],
      [['turn', 'Summarise', 'README.md'], /^error: unexpected argument `README\.md`/],
      [['doctor', '--no-verbse'], /^error: unknown option: --no-verbse \(did you mean --no-verbose\?\)\n/],
      [['migrate', '-x'], /^error: unknown option: -x\n/],
      [['plugins', '--', 'extra'], /^error: unexpected argument `extra` after --\n/],
      [['doctor', '--only'], /^error: --only was given no check ids or categories\n/],
      [['doctor', '--skip', ','], /^error: --skip was given no check ids or categories\n/],
      [['doctor', '--only', 'codex', '--skip', 'codex'], /^error: --only codex with --skip codex leaves no check to run\n/],
    ];
    await expectUsageErrors(sb, cases);
  });

  it('reads flags typed before the command as that command\'s (`--json doctor` is doctor in JSON, not `--json=doctor`)', async () => {
    const sb = box();
    const doctor = await runCli(['--json', 'doctor', '--only', 'codex.binary'], sb.env);
    expect(JSON.parse(String(doctor.stdout))).toMatchObject({ schemaVersion: 1, checks: [{ id: 'codex.binary' }] });
    const profile = await runCli(['--json', 'profile', 'list'], sb.env);
    expect(profile.exitCode).toBe(0);
    expect(JSON.parse(String(profile.stdout))).toMatchObject({ schemaVersion: 1, profiles: [] });
    // For people, an empty list says where it looked.
    expect(String((await runCli(['profile', 'list'], sb.env)).stdout)).toBe(`no Hermes profiles under ${sb.hermesHome}/profiles (Hermes creates one with \`hermes profile create NAME\`)`);
    const unknown = await runCli(['--bogus', 'migrate'], sb.env);
    expect(unknown.exitCode).toBe(2);
    expect(String(unknown.stderr)).toMatch(/^error: unknown option: --bogus\n/);
  });

  it('no arguments print the help (exit 0); a missing subcommand or argument is named', async () => {
    const sb = box();
    const none = await runCli([], sb.env);
    expect(none.exitCode).toBe(0);
    expect(String(none.stdout)).toMatch(/^hermes-codex <command> \[options\]\n[\s\S]*hermes-codex migrate/);
    const cases: [string[], RegExp][] = [
      [['--json'], /^error: name a command: migrate, turn, plugins, doctor, runtime, profile, completion\n/],
      [['profile'], /^error: name a profile command: setup or list\n/],
      [['profile', 'setup'], /^error: `profile setup` is missing an argument \(see `hermes-codex profile setup --help`\)\n/],
      [['turn', '--resume'], /^error: --resume needs a value\n/],
    ];
    await expectUsageErrors(sb, cases);
  });

  it('leaves a config.toml linked to a read-only file (home-manager) as it is: exit 2, the link and its target named', async () => {
    const sb = box();
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  gh:\n    command: npx\n');
    const store = path.join(sb.root, 'store-config.toml');
    writeFileSync(store, 'model = "o3"\n', { mode: 0o444 });
    symlinkSync(store, path.join(sb.codexHome, 'config.toml'));
    const r = await runCli(['migrate', '--no-plugins', '--no-validate', '--hermes-python', '/usr/bin/python3'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toContain(`error: ${path.join(sb.codexHome, 'config.toml')} is read-only (mode 0444, a link to ${store}), so hermes-codex will not replace it; nothing was written`);
    expect(readFileSync(store, 'utf8')).toBe('model = "o3"\n');
    expect(lstatSync(path.join(sb.codexHome, 'config.toml')).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(sb.codexHome, 'config.toml.hermes-codex.bak'))).toBe(false);
  });

  it('refuses an empty location instead of falling back to the default (`--codex-home "$UNSET"` must not write ~/.codex)', async () => {
    const sb = box();
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    const { CODEX_HOME: _, ...env } = sb.env;
    for (const args of [['migrate', '--codex-home', '', '--no-plugins', '--no-validate'], ['migrate', '--codex-home=', '--no-plugins', '--no-validate']]) {
      const r = await runCli(args, env);
      expect(r.exitCode, JSON.stringify(args)).toBe(2);
      expect(String(r.stderr)).toMatch(/^error: --codex-home was given an empty value\n/);
    }
    expect(existsSync(path.join(sb.home, '.codex'))).toBe(false);
    // The control: without the flag, the default is used.
    expect((await runCli(['migrate', '--no-plugins', '--no-validate'], env)).exitCode).toBe(0);
    expect(existsSync(path.join(sb.home, '.codex', 'config.toml'))).toBe(true);
  });

  it('refuses a one-value flag given twice instead of falling back to the default (`--codex-home A --codex-home B` must not write ~/.codex)', async () => {
    const sb = box();
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    const { CODEX_HOME: _, ...env } = sb.env;
    const [a, b] = [path.join(sb.root, 'a'), path.join(sb.root, 'b')];
    const r = await runCli(['migrate', '--codex-home', a, '--no-plugins', '--codexHome', b, '--no-validate'], env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toBe(`error: --codex-home was given 2 times (${JSON.stringify(a)}, ${JSON.stringify(b)}); it takes one value\n  fix: Give --codex-home once.`);
    for (const dir of [path.join(sb.home, '.codex'), a, b]) expect(existsSync(dir), dir).toBe(false);
    const both = await runCli(['migrate', '--permissions', ':read-only', '--no-permissions', '--no-plugins', '--no-validate'], env);
    expect(both.exitCode).toBe(2);
    expect(String(both.stderr)).toMatch(/^error: --permissions and --no-permissions cannot be combined\n/);
    expect(existsSync(path.join(sb.home, '.codex'))).toBe(false);
  });

  it('refuses a value on a switch instead of reading it as false (`--dry-run=yes` must not write)', async () => {
    const sb = box();
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    for (const args of [['migrate', '--dry-run=yes', '--no-plugins', '--no-validate'], ['migrate', '--dry-run=1', '--no-plugins', '--no-validate', '--json']]) {
      const r = await runCli(args, sb.env);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(existsSync(path.join(sb.codexHome, 'config.toml')), args.join(' ')).toBe(false);
      if (args.includes('--json')) expect(JSON.parse(String(r.stdout)).error).toMatchObject({ type: 'UsageError', message: expect.stringMatching(/^--dry-run is a switch and takes no value/) });
      else expect(String(r.stderr)).toMatch(/^error: --dry-run is a switch and takes no value: "yes" is not understood \(only =true and =false are\)\n  fix: Give `--dry-run` alone, or `--no-dry-run` to turn it off\./);
    }
    // =true and =false keep yargs' meaning.
    const dry = await runCli(['migrate', '--dry-run=true', '--no-plugins', '--no-validate'], sb.env);
    expect(dry.exitCode).toBe(0);
    expect(existsSync(path.join(sb.codexHome, 'config.toml'))).toBe(false);
  });

  it('doctor refuses --json with another --format instead of picking one', async () => {
    const sb = box();
    const r = await runCli(['doctor', '--json', '--format', 'junit'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(String(r.stdout)).error).toMatchObject({ type: 'UsageError', message: '--json and --format junit ask for two formats' });
    expect((await runCli(['doctor', '--json', '--format', 'json', '--only', 'codex.version'], sb.env)).exitCode).toBe(0);
  });

  it('turn --pass-env takes variable names, not assignments', async () => {
    const sb = box();
    const r = await runCli(['turn', 'x', '--pass-env', 'GITHUB_TOKEN=abc'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/^error: --pass-env takes the name of a variable to pass on, not "GITHUB_TOKEN=abc"\n  fix: Set it in the environment and name it: `GITHUB_TOKEN=abc hermes-codex turn … --pass-env GITHUB_TOKEN`\./);
    expect((await runCli(['turn', 'x', '--pass-env', 'OK', '--pass-env', '1X'], sb.env)).exitCode).toBe(2);
  });

  it('validates numeric flags as usage errors (range, finite)', async () => {
    const sb = box();
    for (const args of [['turn', 'x', '--timeout', '1e10'], ['turn', 'x', '--timeout', '-1'], ['turn', 'x', '--mcp-wait', 'NaN'], ['migrate', '--plugin-timeout', '0']]) {
      const r = await runCli(args, sb.env);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(String(r.stderr)).toMatch(/must be a number of seconds/);
    }
    // A word that is not a number is named as such (yargs makes it NaN, which JSON prints as null).
    expect(String((await runCli(['turn', 'x', '--timeout', 'abc'], sb.env)).stderr)).toMatch(/^error: --timeout must be a number of seconds above 0 up to 86400 \(what was given is not a number\)\n/);
  });

  it('refuses --restore --dry-run instead of restoring', async () => {
    const sb = box();
    writeFileSync(path.join(sb.codexHome, 'config.toml'), 'model = "a"\n');
    writeFileSync(path.join(sb.codexHome, 'config.toml.hermes-codex.bak'), 'model = "b"\n');
    const r = await runCli(['migrate', '--restore', '--dry-run'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).toBe('model = "a"\n');
    // --diff has nothing to show for a swap either; --show-secrets with no diff to show would be ignored.
    expect(String((await runCli(['migrate', '--restore', '--diff'], sb.env)).stderr)).toMatch(/^error: --restore cannot be combined with --diff\n/);
    const secrets = await runCli(['migrate', '--show-secrets', '--no-plugins', '--no-validate'], sb.env);
    expect(secrets.exitCode).toBe(2);
    expect(String(secrets.stderr)).toMatch(/^error: --show-secrets shows env and header values in a diff, and this run prints none\n  fix: Add --dry-run/);
    expect(readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).toBe('model = "a"\n');
  });

  it('migrate --remove --diff prints the diff of the removal it made', async () => {
    const sb = box();
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    expect((await runCli(['migrate', '--no-plugins', '--no-validate'], sb.env)).exitCode).toBe(0);
    const r = await runCli(['migrate', '--remove', '--diff'], sb.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/^--- a\/config\.toml\n\+\+\+ b\/config\.toml\n/);
    expect(String(r.stdout)).toMatch(/^-\[mcp_servers\.a\]$/m);
    expect(String(r.stdout)).toMatch(/Removed the managed block/);
    expect(readFileSync(path.join(sb.codexHome, 'config.toml'), 'utf8')).not.toContain('[mcp_servers.a]');
  });

  it('stops writing quietly when the reader has gone (`… | head -1`), keeping the exit code, instead of an EPIPE stack trace', async () => {
    const sb = box();
    // The reading end is closed before the CLI has started, so its first write meets a pipe nobody reads.
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cliBin, ...args], { env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const list = await run(['doctor', '--list-checks']);
    expect(list).toEqual({ code: 0, stderr: '' });
    const json = await run(['doctor', '--json', '--only', 'codex.home']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
  });

  it('accepts --no-color and --color', async () => {
    const sb = box();
    for (const flag of ['--no-color', '--color']) {
      const r = await runCli(['runtime', 'status', flag], sb.env);
      expect(r.exitCode, String(r.stderr)).toBe(0);
    }
    const forced = await runCli(['runtime', 'status', '--color'], { ...sb.env, NO_COLOR: '' });
    expect(String(forced.stdout)).toContain('\u001b[');
    expect(String((await runCli(['runtime', 'status', '--no-color'], { ...sb.env, FORCE_COLOR: '1' })).stdout)).not.toContain('\u001b[');
  });
});

describe('help', () => {
  it('renders at 80 columns without splitting words, with examples and every command', async () => {
    const sb = box();
    const top = String((await runCli(['--help'], sb.env)).stdout);
    const migrate = String((await runCli(['migrate', '--help'], sb.env)).stdout);
    for (const text of [top, migrate]) for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(top).toMatch(/Examples:/);
    for (const c of ['migrate', 'turn', 'plugins', 'doctor', 'runtime', 'profile', 'completion']) expect(top).toContain(`hermes-codex ${c}`);
    // Words stay whole (the ESM build of yargs broke them: "ro\not").
    expect(migrate.replace(/\s+/g, ' ')).toContain('a venv under the Hermes root, python3 on PATH');
  });

  it('prints a shell completion script', async () => {
    const sb = box();
    const r = await runCli(['completion'], sb.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/hermes-codex/);
    expect(String(r.stdout)).toMatch(/complete/);
  });

  it('the completion script, sourced in bash, completes commands, each command\'s flags, subcommands and choices', async () => {
    const sb = box();
    const script = String((await runCli(['completion'], sb.env)).stdout);
    // `hermes-codex` on PATH, as after `npm install -g`.
    const bin = path.join(sb.root, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'hermes-codex'), `#!/bin/sh\nexec node ${JSON.stringify(cliBin)} "$@"\n`, { mode: 0o755 });
    writeFileSync(path.join(sb.root, 'completion.bash'), script);
    /** COMPREPLY for a command line typed so far (the last word is the one being completed). */
    const complete = async (words: string[]) => {
      const line = ['hermes-codex', ...words].map((w) => `'${w}'`).join(' ');
      const r = await execa('bash', ['-c', `source completion.bash; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _hermes-codex_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        cwd: sb.root,
        env: { ...sb.env, PATH: `${bin}:${sb.env['PATH']}` },
        extendEnv: false,
        reject: false,
      });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      return String(r.stdout).split('\n').filter(Boolean);
    };
    expect(await complete(['mig'])).toEqual(['migrate']);
    expect(await complete(['migrate', '--dry'])).toEqual(['--dry-run']);
    expect(await complete(['--json', 'migrate', '--plu'])).toEqual(expect.arrayContaining(['--plugins', '--plugin-timeout']));
    expect(await complete(['runtime', ''])).toEqual(['status', 'on', 'off']);
    expect(await complete(['doctor', '--format', ''])).toEqual(['human', 'json', 'junit', 'github']);
    expect(await complete(['turn', 'hi', '--approve', 's'])).toEqual(['session']);
  });
});

describe('first runs', () => {
  it('turn --smoke with no CODEX_HOME yet: exit 2, one message, the login command, no backtrace', async () => {
    const sb = box();
    const env = { ...sb.env, CODEX_HOME: path.join(sb.root, 'nowhere') };
    delete (env as Record<string, string | undefined>)['CODEX_HOME'];
    const r = await runCli(['turn', '--smoke'], env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/CODEX_HOME .*\.codex does not exist yet/);
    expect(String(r.stderr)).toMatch(/codex login/);
    expect(String(r.stderr)).not.toMatch(/backtrace|panicked|\n\s+\d+: /);
    expect(existsSync(path.join(sb.home, '.codex'))).toBe(false);
  });

  it('--cwd naming a missing directory says so', async () => {
    const sb = box();
    const r = await runCli(['turn', 'hi', '--cwd', '/nonexistent/dir'], sb.env);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr)).toMatch(/the working directory \/nonexistent\/dir does not exist/);
    expect(String(r.stderr)).not.toMatch(/ENOENT/);
  });

  it('expands a leading ~ in path flags (the shell does not after =)', async () => {
    const sb = box();
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n');
    mkdirSync(path.join(sb.home, 'my-codex'), { recursive: true, mode: 0o700 });
    const r = await runCli(['migrate', '--codex-home=~/my-codex', '--hermes-config=~/.hermes/config.yaml', '--no-plugins', '--no-validate', '--json'], sb.env);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(JSON.parse(String(r.stdout)).target).toBe(path.join(sb.home, 'my-codex', 'config.toml'));
    expect(existsSync(path.join(sb.home, 'my-codex', 'config.toml'))).toBe(true);
  });

  it('run from a Hermes profile (HERMES_HOME=<root>/profiles/NAME, as `hermes -p NAME` sets it) finds the root, its profiles and its install', async () => {
    const sb = box();
    const profileDir = path.join(sb.hermesHome, 'profiles', 'work');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(path.join(profileDir, 'config.yaml'), 'mcp_servers:\n  w:\n    command: x\n');
    const python = path.join(sb.hermesHome, 'hermes-agent', 'venv', 'bin', 'python');
    mkdirSync(path.dirname(python), { recursive: true });
    writeFileSync(python, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const env = { ...sb.env, HOME: path.dirname(sb.hermesHome), HERMES_HOME: profileDir };
    // The profile's own config, and Hermes' install under the root (not under the profile).
    const own = await runCli(['migrate', '--json', '--dry-run', '--no-plugins', '--no-validate'], env);
    expect(own.exitCode, String(own.stderr)).toBe(0);
    expect(JSON.parse(String(own.stdout))).toMatchObject({ source: path.join(profileDir, 'config.yaml'), hermesTools: { command: python } });
    // --profile NAME and profile list look under the root's profiles/, not under the profile.
    expect((await runCli(['migrate', '--profile', 'work', '--dry-run', '--no-plugins', '--no-validate'], env)).exitCode).toBe(0);
    expect(String((await runCli(['profile', 'list'], env)).stdout)).toMatch(/^work\s/m);
    // Names as Hermes reads them: any casing; `default` is the root, which profile setup leaves to migrate.
    expect((await runCli(['migrate', '--profile', 'Work', '--dry-run', '--no-plugins', '--no-validate'], env)).exitCode).toBe(0);
    const setupDefault = await runCli(['profile', 'setup', 'DEFAULT', '--no-plugins'], env);
    expect(setupDefault.exitCode).toBe(2);
    expect(String(setupDefault.stderr)).toMatch(/^error: the default profile \(the Hermes root itself\) uses the shared CODEX_HOME/);
  });

  it('runtime status says there is no Hermes config rather than "off"', async () => {
    const sb = box();
    const r = await runCli(['runtime', 'status'], sb.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/no Hermes config at .*config\.yaml/);
    expect(JSON.parse(String((await runCli(['runtime', 'status', '--json'], sb.env)).stdout))).toMatchObject({ hermesConfigExists: false });
    // Its advice matches what `runtime on` does without a config: it refuses and points to `hermes setup`.
    expect(String(r.stdout)).toMatch(/`hermes setup` creates the config, then `hermes-codex runtime on` switches it on/);
    const on = await runCli(['runtime', 'on'], sb.env);
    expect(on.exitCode).toBe(2);
    expect(String(on.stderr)).toMatch(/Run `hermes setup` first/);
  });

  it('warns on stderr, JSON or not, when an empty mcp_servers takes every server out of the block', async () => {
    const sb = box();
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers:\n  a:\n    command: x\n  b:\n    command: z\n');
    const first = await runCli(['migrate', '--no-plugins', '--no-validate'], sb.env);
    expect(first.exitCode, String(first.stdout) + String(first.stderr)).toBe(0);
    writeFileSync(path.join(sb.hermesHome, 'config.yaml'), 'mcp_servers: {}\n');
    const r = await runCli(['migrate', '--no-plugins', '--no-validate', '--json'], sb.env);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr)).toMatch(/^warning: the Hermes config has no MCP servers, so this run removes every server from the managed block: a, b/);
    expect(JSON.parse(String(r.stdout)).warnings).toContainEqual(expect.objectContaining({ key: 'mcp_servers' }));
  });
});

describe('doctor on a first run', () => {
  it('leaves a missing ~/.codex missing (codex --version runs on a scratch CODEX_HOME) and says it does not exist yet', async () => {
    const sb = box();
    const env = { ...sb.env, TMPDIR: path.join(sb.root, 'tmp') } as Record<string, string>;
    mkdirSync(env['TMPDIR']!);
    delete env['CODEX_HOME'];
    const r = await runCli(['doctor', '--json', '--only', 'codex'], env);
    const home = JSON.parse(String(r.stdout)).checks.find((c: { id: string }) => c.id === 'codex.home');
    expect(home.summary).toMatch(/does not exist/);
    expect(existsSync(path.join(sb.home, '.codex'))).toBe(false);
  });
});
