/**
 * Doctor check `mcp.servers` on memfs with scripted process results.
 */
import { describe, expect, it } from 'vitest';
import { CODEX, HOME, setup } from '../../helpers/doctor.js';

describe('mcp.servers', () => {
  it('fails for a missing command or cwd or a bad URL; warns for unset variables and literal secrets', async () => {
    const check = (toml: string, env: Record<string, string> = {}) => setup({ [`${CODEX}/config.toml`]: toml }, {}, env).check('mcp.servers');
    expect(await check('[mcp_servers.a]\ncommand = "nope"\n')).toMatchObject({ status: 'fail', summary: 'a: command nope not found on PATH' });
    expect(await check('[mcp_servers.a]\ncommand = "npx"\ncwd = "/missing"\n')).toMatchObject({ status: 'fail', summary: 'a: cwd /missing does not exist' });
    expect(await check('[mcp_servers.a]\nurl = "ftp://x"\n')).toMatchObject({ status: 'fail' });
    expect(await check('[mcp_servers.a]\ncommand = "npx"\nenv_vars = ["GH_TOKEN"]\n')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/GH_TOKEN not set/) });
    expect(await check('[mcp_servers.a]\ncommand = "npx"\nenv_vars = ["GH_TOKEN"]\n', { GH_TOKEN: 'x' })).toMatchObject({ status: 'ok' });
    const secret = await check('[mcp_servers.a]\nurl = "https://x.example"\nhttp_headers = { Authorization = "Bearer abcdefghijkl" }\n');
    expect(secret).toMatchObject({ status: 'warn', summary: expect.stringMatching(/literal secret/) });
    expect(JSON.stringify(secret)).not.toContain('abcdefghijkl');
    expect(await check('[mcp_servers.a]\ncommand = "gone"\nenabled = false\n')).toMatchObject({ status: 'ok' });
  });

  it('fails for every HTTP server whose bearer token variable is unset (codex will not start it), naming each', async () => {
    const toml = '[mcp_servers.a]\nurl = "https://a.example/mcp"\nbearer_token_env_var = "A_TOKEN"\n\n[mcp_servers.b]\nurl = "https://b.example/mcp"\nbearer_token_env_var = "B_TOKEN"\n';
    const { check } = setup({ [`${CODEX}/config.toml`]: toml });
    const r = await check('mcp.servers');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^2 problems: a: bearer_token_env_var A_TOKEN is not set .*; b: bearer_token_env_var B_TOKEN/);
    expect((await check('mcp.servers', { env: { PATH: '/bin', A_TOKEN: 'x', B_TOKEN: 'y' } })).status).toBe('ok');
  });

  it('fails a server the codex in use never starts by its name: punctuation before 0.152, a space or a non-ASCII letter on any version', async () => {
    const toml = '[mcp_servers."team.wiki"]\ncommand = "npx"\n\n[mcp_servers."a b"]\ncommand = "npx"\n\n[mcp_servers.plain-name_1]\ncommand = "npx"\n';
    const at = (version: string) => setup({ [`${CODEX}/config.toml`]: toml }, { version }).check('mcp.servers');
    const pin = await at('0.169.0');
    expect(pin).toMatchObject({ status: 'fail', summary: 'a b: codex 0.169.0 never starts a server with this name (a name may hold letters, digits, _ and -, and from codex 0.152 also : @ / .)' });
    expect(pin.remediation).toMatch(/^Rename a b \(in Hermes' config\.yaml/);
    const old = await at('0.151.0');
    expect(old.summary).toMatch(/^2 problems: team\.wiki: codex 0\.151\.0 never starts a server with this name .*; a b: codex 0\.151\.0 never starts/);
    expect((await at('0.152.0')).summary).not.toMatch(/team\.wiki/);
  });

  it("names Hermes' own Node install when a bare npx is not on PATH but Hermes would find it there (codex does not look)", async () => {
    const toml = '[mcp_servers.gh]\ncommand = "npx"\nargs = ["-y", "pkg"]\n';
    const { fs, check } = setup({ [`${CODEX}/config.toml`]: toml, [`${HOME}/.hermes/node/bin/npx`]: '#!' });
    const findOnPath = async (name: string) => (name === 'codex' ? '/bin/codex' : null);
    expect(await check('mcp.servers', { findOnPath })).toMatchObject({ status: 'fail', summary: 'gh: command npx not found on PATH' }); // not executable: not Hermes' fallback
    await fs.chmod(`${HOME}/.hermes/node/bin/npx`, 0o755);
    const r = await check('mcp.servers', { findOnPath });
    expect(r).toMatchObject({
      status: 'fail',
      summary: `gh: command npx not found on PATH (Hermes falls back to ${HOME}/.hermes/node/bin/npx when it starts the server itself; codex does not)`,
      remediation: `Put ${HOME}/.hermes/node/bin on PATH where Hermes starts codex (export PATH="${HOME}/.hermes/node/bin:$PATH"); then re-run doctor.`,
    });
  });

  it('says what to do about the problems it found, and only those', async () => {
    const check = (toml: string) => setup({ [`${CODEX}/config.toml`]: toml }).check('mcp.servers');
    const bearer = await check('[mcp_servers.docs]\nurl = "https://d.example/mcp"\nbearer_token_env_var = "DOCS_TOKEN"\n');
    expect(bearer.remediation).toBe('Export DOCS_TOKEN in the environment that starts codex (Hermes); then re-run doctor.');
    const mixed = await check(
      '[mcp_servers.a]\ncommand = "nope"\nenv_vars = ["GH_TOKEN"]\n\n[mcp_servers.b]\nurl = "https://b.example/mcp"\nbearer_token_env_var = "B_TOKEN"\n\n[mcp_servers.c]\nurl = "ftp://c"\n',
    );
    // The summary names the warning whose fix the remediation gives; a server with nothing runnable found has no detail line.
    expect(mixed.summary).toMatch(/^3 problems: a: command nope not found on PATH; .*; also a: GH_TOKEN not set in this environment/);
    expect(mixed.details.filter((d: string) => d.startsWith('a: '))).toEqual([expect.stringMatching(/^a: GH_TOKEN not set/)]);
    expect(mixed.details).toContainEqual('b: url https://b.example');
    expect(mixed.remediation).toBe(
      "Install nope (or fix the server's command path in Hermes' config.yaml and migrate again); export GH_TOKEN, B_TOKEN in the environment that starts codex (Hermes); fix the url of c in Hermes' config.yaml and migrate again; then re-run doctor.",
    );
    const literal = await check('[mcp_servers.a]\nurl = "https://x.example"\nhttp_headers = { Authorization = "Bearer abcdefghijkl" }\n');
    expect(literal.remediation).toMatch(/^Move the literal secrets of a into environment variables/);
  });

});

describe('mcp.servers: a first start that downloads its package', () => {
  it('warns when an npx -y or uvx package is not cached yet, with its start-up timeout and the command that downloads it', async () => {
    const toml = '[mcp_servers.mem]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-memory"]\nstartup_timeout_sec = 60.0\n\n[mcp_servers.git]\ncommand = "uvx"\nargs = ["mcp-server-git", "--repository", "/r"]\n';
    const cold = await setup({ [`${CODEX}/config.toml`]: toml }).check('mcp.servers');
    expect(cold).toMatchObject({ status: 'warn' });
    expect(cold.summary).toMatch(/mem: @modelcontextprotocol\/server-memory is not in the npm cache yet, so its first start downloads it, which can take longer than its 60 s start-up timeout/);
    expect(cold.summary).toMatch(/git: mcp-server-git is not in the uv cache yet, .* its 30 s start-up timeout/);
    expect(cold.remediation).toMatch(/npm exec --yes --package=@modelcontextprotocol\/server-memory -- true, uv tool install mcp-server-git/);
    // Cached where npx and uvx look: npm's _npx (as Hermes' _npx_cached_bin reads it), uv's tools directory.
    const warm = await setup({
      [`${CODEX}/config.toml`]: toml,
      [`${HOME}/.npm/_npx/17faac598b938cd5/package.json`]: JSON.stringify({ dependencies: { '@modelcontextprotocol/server-memory': '^2026.8.31' } }),
      [`${HOME}/.local/share/uv/tools/mcp-server-git/pyvenv.cfg`]: '',
    }).check('mcp.servers');
    expect(warm).toMatchObject({ status: 'ok' });
  });

  it('reads the package a runner runs, as npx and uvx take their arguments', async () => {
    const { packageRunOf } = await import('../../../src/doctor/checks/mcp/first-start.js');
    expect(packageRunOf('npx', ['-y', '@scope/pkg@1.2.3', '--flag'])).toEqual({ runner: 'npx', spec: '@scope/pkg@1.2.3', name: '@scope/pkg' });
    expect(packageRunOf('/usr/bin/npx', ['--yes', '--package', 'a-pkg', 'a-bin'])).toEqual({ runner: 'npx', spec: 'a-pkg', name: 'a-pkg' });
    expect(packageRunOf('uvx', ['--from', 'mcp-server-git==1.0', 'mcp-server-git'])).toEqual({ runner: 'uvx', spec: 'mcp-server-git==1.0', name: 'mcp-server-git' });
    expect(packageRunOf('uvx', ['mcp-server-fetch'])).toMatchObject({ name: 'mcp-server-fetch' });
    expect(packageRunOf('node', ['server.js'])).toBeNull();
    expect(packageRunOf('npx', ['-y'])).toBeNull();
  });
});
