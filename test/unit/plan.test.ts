import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { planMigration, type PlanInput } from '../../src/migrate/plan.js';
import { END_MARKER, START_MARKER } from '../../src/migrate/block-render.js';
import { stripBlock } from '../../src/migrate/block.js';
import { BlockStructureError, ConfigSyntaxError, ValidationRefusedError } from '../../src/core/errors.js';
import { Fingerprints, digestOf, recordedPrints, type OwnershipState } from '../../src/migrate/state.js';
import { hermesFrom, hermesYaml } from '../helpers/hermes.js';

const NOW = new Date('2026-11-21T00:00:00Z');
const python = { command: '/venv/bin/python', source: 'venv' as const };
const servers = { github: { command: 'npx', args: ['-y', 'gh'] }, docs: { url: 'https://docs.example/mcp' } };

function plan(existingText: string | null, over: Partial<PlanInput> = {}, data: unknown = { mcp_servers: servers }) {
  return planMigration({
    hermes: hermesFrom(data),
    configPath: '/c/config.toml',
    existingText,
    state: null,
    hermesTools: { python },
    permissions: ':workspace',
    now: NOW,
    ...over,
  });
}

/** Run twice the way the CLI does: the second run sees the first run's text and state. */
function rerun(first: ReturnType<typeof plan>, over: Partial<PlanInput> = {}, data: unknown = { mcp_servers: servers }) {
  return plan(first.newText, { state: first.newState, ...over }, data);
}

const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('managed block placement', () => {
  it('writes only the block into an empty or missing file', () => {
    const p = plan(null);
    expect(p.newText.startsWith(START_MARKER + '\n')).toBe(true);
    expect(p.newText.endsWith(END_MARKER + '\n')).toBe(true);
    expect(p.changed).toBe(true);
    expect(parse(p.newText)).toMatchObject({
      default_permissions: ':workspace',
      mcp_servers: {
        github: { command: 'npx', args: ['-y', 'gh'] },
        docs: { url: 'https://docs.example/mcp' },
        'hermes-tools': {
          command: '/venv/bin/python',
          args: ['-m', 'agent.transports.hermes_tools_mcp_server'],
          env: { HERMES_QUIET: '1' },
          env_vars: ['HERMES_HOME', 'HERMES_KANBAN_TASK'],
          startup_timeout_sec: 30,
          tool_timeout_sec: 600,
        },
      },
    });
  });

  it('puts the block before the first table so its root keys stay root keys, keeping comments above that table attached', () => {
    const user = 'model = "gpt-5"\n\n# my features\n[features]\nweb_search = true\n';
    const p = plan(user);
    const doc = parse(p.newText) as Record<string, unknown>;
    expect(doc['default_permissions']).toBe(':workspace');
    expect(doc['features']).toEqual({ web_search: true });
    expect(p.newText.indexOf(START_MARKER)).toBeLessThan(p.newText.indexOf('# my features'));
    expect(p.newText).toContain('# my features\n[features]\n');
  });

  it('appends after root keys when the file has no table, adding a final newline if missing', () => {
    const p = plan('model = "gpt-5"');
    expect(p.newText.startsWith('model = "gpt-5"\n\n' + START_MARKER)).toBe(true);
  });

  it('moves a block that sits after a table to before the first table', () => {
    const first = plan(null);
    const misplaced = '[features]\nx = true\n\n' + first.newText;
    const p = plan(misplaced, { state: first.newState });
    const doc = parse(p.newText) as Record<string, Record<string, unknown>>;
    expect(doc['default_permissions']).toBe(':workspace');
    expect(doc['features']).toEqual({ x: true });
    expect(count(p.newText, START_MARKER)).toBe(1);
  });
});

describe('preserving everything outside the block', () => {
  const user = [
    '\uFEFF# top comment\r\n',
    'model = "o3"   # trailing comment\r\n',
    'notes = """\r\n',
    '[not.a.table]\r\n',
    START_MARKER + '\r\n',
    '"""\r\n',
    '\r\n',
    '[projects."/home/me/x"]\r\n',
    'trust_level = "trusted"\r\n',
    '\r\n',
    '[[profiles.list]]\r\n',
    'name = "a"\r\n',
    'inline = { a = 1, b = [1, 2,\r\n',
    '  3] }\r\n',
  ].join('');

  it('keeps BOM, CRLF, comments, multi-line strings and key order byte for byte, and ignores a marker inside a string', () => {
    const p = plan(user);
    expect(p.newText.startsWith('\uFEFF# top comment\r\n')).toBe(true);
    expect(count(p.newText, START_MARKER)).toBe(2); // the one in the string, and the block
    expect(p.newText).toContain(`${END_MARKER}\r\n`);
    // Everything except the inserted block (and the blank line around it) is unchanged.
    const stripped = stripBlock(p.newText, '/c/config.toml');
    expect(stripped.replace('\r\n\r\n\r\n', '\r\n\r\n')).toBe(user);
    const again = rerun(p);
    expect(again.changed).toBe(false);
    expect(again.newText).toBe(p.newText);
  });

  it('replaces the block in place on re-runs with everything around it unchanged', () => {
    const first = plan('a = 1\n\n[x]\ny = 2\n');
    const second = rerun(first, {}, { mcp_servers: { github: servers.github } });
    expect(stripBlock(second.newText, 'f')).toBe(stripBlock(first.newText, 'f'));
    expect((parse(second.newText) as { mcp_servers: object }).mcp_servers).not.toHaveProperty('docs');
    expect(second.servers.migrated).toEqual(['github']);
  });
});

describe('ownership', () => {
  it('moves tables that codex wrote inside the markers out of the block, unchanged, and reports them', () => {
    const first = plan('[features]\nx = true\n');
    // What `codex mcp add mine` was seen doing: its table lands inside the markers.
    const codexEdited = first.newText.replace(
      END_MARKER,
      '[mcp_servers.mine]\ncommand = "node"\nargs = ["s.js"]\n\n[mcp_servers.mine.env]\nK = "V"\n\n[plugins."demo@local"]\nenabled = true\n' + END_MARKER,
    );
    const p = plan(codexEdited, { state: first.newState });
    expect(p.preservedUserTables).toEqual(['mcp_servers.mine', 'plugins.demo@local']);
    const doc = parse(p.newText) as { mcp_servers: Record<string, unknown>; plugins: Record<string, unknown> };
    expect(doc.mcp_servers['mine']).toEqual({ command: 'node', args: ['s.js'], env: { K: 'V' } });
    expect(doc.plugins).toEqual({ 'demo@local': { enabled: true } });
    const afterEnd = p.newText.slice(p.newText.indexOf(END_MARKER));
    expect(afterEnd).toContain('[mcp_servers.mine]');
    // And the next run leaves it alone.
    const third = rerun(p);
    expect(third.changed).toBe(false);
    expect(third.preservedUserTables).toEqual([]);
  });

  it('recognises its own tables when another writer removed the markers, and never duplicates them', () => {
    const first = plan('[features]\nx = true\n');
    const unmarked = first.newText.replace(START_MARKER + '\n', '').replace(END_MARKER + '\n', '');
    const p = plan(unmarked, { state: first.newState });
    expect(p.recoveredTables.sort()).toEqual(['default_permissions', 'mcp_servers.docs', 'mcp_servers.github', 'mcp_servers.hermes-tools']);
    expect(count(p.newText, '[mcp_servers.github]')).toBe(1);
    expect(count(p.newText, 'default_permissions')).toBe(1);
    expect(count(p.newText, START_MARKER)).toBe(1);
    expect(parse(p.newText)).toHaveProperty('features', { x: true });
  });

  it('keeps a table the user edited after the markers were removed, as the user\'s (it wins)', () => {
    const first = plan(null);
    const unmarked = first.newText
      .replace(START_MARKER + '\n', '')
      .replace(END_MARKER + '\n', '')
      .replace('args = ["-y", "gh"]', 'args = ["-y", "gh", "--mine"]');
    const p = plan(unmarked, { state: first.newState });
    expect(p.recoveredTables).not.toContain('mcp_servers.github');
    expect(p.servers.migrated).not.toContain('github');
    expect(count(p.newText, '[mcp_servers.github]')).toBe(1);
    expect((parse(p.newText) as { mcp_servers: { github: { args: string[] } } }).mcp_servers.github.args).toContain('--mine');
  });

  it('lets a server the user declares outside the block win, in any TOML form', () => {
    for (const user of [
      '[mcp_servers.github]\ncommand = "my-gh"\n',
      '[mcp_servers.github.env]\nA = "1"\n',
      '[mcp_servers]\ngithub = { command = "my-gh" }\n',
    ]) {
      const p = plan(user);
      expect(p.servers.migrated).toEqual(['docs']);
      expect(p.servers.userDeclared).toEqual(['github']);
      expect(p.warnings.some((w) => w.server === 'github' && /your table wins/.test(w.message))).toBe(true);
      expect(parse(p.newText)).toHaveProperty('mcp_servers.docs');
    }
  });

  it('without a record, treats a Hermes-written block (Hermes\' Python migration) as its own', () => {
    const legacy = `${START_MARKER}\ndefault_permissions = ":workspace"\n\n[mcp_servers.github]\ncommand = "old"\n\n[mcp_servers.hermes-tools]\ncommand = "python3"\n${END_MARKER}\n\n[features]\nx = 1\n`;
    const p = plan(legacy);
    expect(p.preservedUserTables).toEqual([]);
    expect((parse(p.newText) as { mcp_servers: { github: { command: string } } }).mcp_servers.github.command).toBe('npx');
    expect(count(p.newText, START_MARKER)).toBe(1);
  });

  it('drops a server removed from Hermes on the next run', () => {
    const first = plan(null);
    const p = rerun(first, {}, { mcp_servers: { docs: servers.docs } });
    expect(p.newText).not.toContain('[mcp_servers.github]');
    expect(p.servers.migrated).toEqual(['docs']);
  });
});

describe('legacy and damaged markers', () => {
  it('ends a block with no end marker at the next unrelated table', () => {
    const text = `${START_MARKER}\ndefault_permissions = ":workspace"\n[mcp_servers.github]\ncommand = "old"\n\n# user comment\n[features]\nx = true\n`;
    const p = plan(text);
    expect(p.block.legacy).toBe(true);
    expect(count(p.newText, START_MARKER)).toBe(1);
    expect(count(p.newText, END_MARKER)).toBe(1);
    expect(p.newText).toContain('# user comment\n[features]\nx = true\n');
    expect(parse(p.newText)).toHaveProperty('mcp_servers.github.command', 'npx');
  });

  it('removes an orphan end marker', () => {
    const p = plan(`a = 1\n${END_MARKER}\n[x]\n`);
    expect(p.block.orphanEndMarkerLines).toEqual([2]);
    expect(count(p.newText, END_MARKER)).toBe(1);
    expect(p.newText.indexOf(START_MARKER)).toBeLessThan(p.newText.indexOf(END_MARKER));
  });

  it('handles a config ending in a table without a final newline', () => {
    const p = plan('[x]\ny = 1');
    expect(parse(p.newText)).toHaveProperty('x', { y: 1 });
    expect(p.newText.endsWith('[x]\ny = 1')).toBe(true);
  });

  it('recognises marker lines with trailing spaces', () => {
    const first = plan(null);
    const spaced = first.newText.replace(START_MARKER, START_MARKER + '  ').replace(END_MARKER, END_MARKER + '\t');
    const p = plan(spaced, { state: first.newState });
    expect(count(p.newText, START_MARKER)).toBe(1);
  });

  it('refuses key lines right after the end marker, which TOML files under the block\'s last table', () => {
    const b = plan(null).newText;
    expect(() => plan(b + 'model = "o3"\n\n[features]\nx = 1\n')).toThrow(BlockStructureError);
    const lines = b.split('\n').length;
    expect(() => plan(b + '# comment\nmodel = "o3"\n')).toThrow(new RegExp(`config\\.toml:${lines + 1}: \`model\` follows the managed block's end marker`));
    // A table header right after the block is fine.
    expect(() => plan(b + '[features]\nx = 1\n')).not.toThrow();
  });

  it('refuses two managed blocks, naming the lines', () => {
    const b = plan(null).newText;
    expect(() => plan(b + '\n' + b)).toThrow(BlockStructureError);
    expect(() => plan(b + '\n' + b)).toThrow(/start markers at lines 1, \d+/);
  });
});

describe('permissions', () => {
  it('does not write default_permissions when the user sets it or sandbox_mode outside the block', () => {
    for (const user of ['default_permissions = ":read-only"\n', 'sandbox_mode = "read-only"\n']) {
      const p = plan(user);
      expect(p.permissions.written).toBe(false);
      expect(p.permissions.reason).toMatch(/outside the managed block/);
      expect(count(p.newText, 'default_permissions = ":workspace"')).toBe(0);
    }
  });

  it('writes the chosen profile, or none with --no-permissions', () => {
    expect(parse(plan(null, { permissions: ':read-only' }).newText)).toHaveProperty('default_permissions', ':read-only');
    const none = plan(null, { permissions: null });
    expect(none.permissions).toMatchObject({ written: false });
    expect(parse(none.newText)).not.toHaveProperty('default_permissions');
  });
});

describe('hermes-tools', () => {
  it('can be turned off, and is not written over a user-declared entry', () => {
    expect(parse(plan(null, { hermesTools: null }).newText)).not.toHaveProperty('mcp_servers.hermes-tools');
    const p = plan('[mcp_servers.hermes-tools]\ncommand = "mine"\n');
    expect(p.hermesTools.written).toBe(false);
    expect(parse(p.newText)).toHaveProperty('mcp_servers.hermes-tools.command', 'mine');
  });

  it('writes HERMES_HOME literally only when asked (a profile-owned CODEX_HOME)', () => {
    const p = plan(null, { hermesTools: { python, literalHermesHome: '/home/me/.hermes/profiles/work' } });
    expect(parse(p.newText)).toMatchObject({
      mcp_servers: { 'hermes-tools': { env: { HERMES_QUIET: '1', HERMES_HOME: '/home/me/.hermes/profiles/work' }, env_vars: ['HERMES_KANBAN_TASK'] } },
    });
  });

  it('fails a Hermes server that takes the reserved name', () => {
    const p = plan(null, {}, { mcp_servers: { 'hermes-tools': { command: 'x' } } });
    expect(p.servers.failed[0]).toMatchObject({ name: 'hermes-tools' });
  });
});

describe('bad input', () => {
  it('reports a TOML syntax error with file, line and column', () => {
    expect(() => plan('a = 1\nb = \n')).toThrow(ConfigSyntaxError);
    expect(() => plan('a = 1\nb = \n')).toThrow(/\/c\/config\.toml:2:\d+/);
  });

  it('refuses to write over an inline mcp_servers table that tables cannot extend', () => {
    expect(() => plan('mcp_servers = { x = { command = "a" } }\n')).toThrow(ValidationRefusedError);
  });

  it("reads Hermes' mcp.client switch from the whole config: off writes every server disabled", () => {
    const p = plan(null, {}, { mcp: { client: false }, mcp_servers: { a: { command: 'x' } } });
    expect(p.newText).toMatch(/\[mcp_servers\.a\]\ncommand = "x"\nenv_vars = \[[^\]]*\]\nstartup_timeout_sec = 60\.0\ntool_timeout_sec = 300\.0\nenabled = false\n/);
    expect(p.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^written disabled: Hermes' mcp\.client is off/));
  });

  it('keeps other servers when some fail', () => {
    const p = plan(null, {}, { mcp_servers: { good: { command: 'x' }, bad: { command: 'x', args: "a 'b" } } });
    expect(p.servers.migrated).toEqual(['good']);
    expect(p.servers.failed.map((f) => f.name)).toEqual(['bad']);
  });
});

describe('server names that are Object.prototype properties', () => {
  it('treats __proto__, constructor and toString as plain names, on first and later runs', () => {
    const hermes = hermesFrom({});
    // yaml's stringify would drop a literal __proto__ key; parse the YAML text instead.
    const yamlText = 'mcp_servers:\n  __proto__:\n    command: a\n  constructor:\n    command: b\n  toString:\n    url: https://t.example\n';
    const first = plan(null, { hermes: { ...hermes, data: hermesYaml(yamlText).data } });
    expect(first.servers.migrated).toEqual(['__proto__', 'constructor', 'toString']);
    const doc = parse(first.newText) as { mcp_servers: Record<string, unknown> };
    expect(Object.keys(doc.mcp_servers)).toEqual(['__proto__', 'constructor', 'toString', 'hermes-tools']);
    const second = plan(first.newText, { hermes: { ...hermes, data: hermesYaml(yamlText).data }, state: first.newState });
    expect(second.changed).toBe(false);
  });
});

describe('state', () => {
  it('records what it wrote, with fingerprints that a later parse reproduces', () => {
    const p = plan(null);
    expect(p.newState.entries.map((e) => `${e.ref.kind}:${e.ref.name}`)).toEqual([
      'mcp_servers:github', 'mcp_servers:docs', 'mcp_servers:hermes-tools', 'root:default_permissions',
    ]);
    expect(p.newState.updatedAt).toBe(NOW.toISOString());
    const s: OwnershipState = JSON.parse(JSON.stringify(p.newState));
    expect(rerun(p, { state: s }).changed).toBe(false);
  });
});

describe('crash windows between config.toml and the ownership record', () => {
  const withVars = { mcp_servers: { gh: { command: 'npx', env: { TOKEN: '${TOKEN}' } }, docs: { url: 'https://docs.example/mcp' } } };
  const changed = { mcp_servers: { gh: { command: 'uvx', env: { TOKEN: '${TOKEN}' } }, docs: { url: 'https://docs.example/mcp' } } };

  it('recognises its own output when the record was never written (killed right after the rename)', () => {
    const first = plan('model = "o3"\n', {}, withVars);
    const again = plan(first.newText, {}, withVars);
    expect(again.keptFromBlock).toEqual([]);
    expect(again.newText).toBe(first.newText);
  });

  it('recognises its own output when the record is the previous run\'s (Hermes changed a server meanwhile)', () => {
    const first = plan(null, {}, withVars);
    const second = plan(first.newText, { state: first.newState }, changed);
    expect(parse(second.newText)).toHaveProperty('mcp_servers.gh.command', 'uvx');
    const recovered = plan(second.newText, { state: first.newState }, changed);
    expect(recovered.keptFromBlock).toEqual([]);
    expect(recovered.newText).toBe(second.newText);
  });
});

describe("Hermes' behaviour in a block written before it was kept", () => {
  it('shows the change once, with a line that says why, and the re-run after it is a no-op', () => {
    const first = plan(null);
    // The block as an earlier migrate wrote it: no start-up timeout, no forwarded variables.
    const older = first.newText.replace(/^env_vars = \["XDG_CONFIG_HOME".*\]\n/m, '').replace(/^startup_timeout_sec = 60\.0\ntool_timeout_sec = 300\.0\n/gm, '');
    expect(older).not.toMatch(/XDG_CONFIG_HOME/);
    const again = plan(older, { state: first.newState });
    expect(again.changed).toBe(true);
    expect(again.newText).toBe(first.newText);
    const notes = again.warnings.filter((w) => w.server === null && /behave under codex as under Hermes/.test(w.message));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(/^2 servers already in config\.toml \(github, docs\) now get env_vars \(variables Hermes hands its stdio servers that codex does not: XDG_\*, HERMES_KANBAN_\*\), startup_timeout_sec \(Hermes waits longer.*\), tool_timeout_sec \(the time Hermes lets a tool call run/);
    const third = rerun(again);
    expect(third.changed).toBe(false);
    expect(third.warnings.filter((w) => /behave under codex/.test(w.message))).toEqual([]);
    // A first migration has nothing to explain.
    expect(first.warnings.filter((w) => /behave under codex/.test(w.message))).toEqual([]);
  });

  it('warns about a timeouts.mcp.tool_call Hermes ignores, with its line, and writes the global one Hermes uses', () => {
    const ignored = planMigration({ hermes: hermesYaml('timeouts:\n  mcp:\n    tool_call: soon\nmcp_servers:\n  a:\n    command: x\n'), configPath: '/c/config.toml', existingText: null, state: null, hermesTools: null, permissions: null, now: NOW });
    expect(ignored.warnings).toContainEqual(expect.objectContaining({ key: 'timeouts.mcp.tool_call', message: expect.stringMatching(/"soon", not a number of seconds, which Hermes ignores \(\/h\/config\.yaml:3\); servers without their own timeout get 300 s/) }));
    const used = planMigration({ hermes: hermesYaml('timeouts:\n  mcp:\n    tool_call: 900\nmcp_servers:\n  a:\n    command: x\n  b:\n    url: https://b.example/mcp\n    timeout: 20\n'), configPath: '/c/config.toml', existingText: null, state: null, hermesTools: null, permissions: null, now: NOW });
    const doc = parse(used.newText) as { mcp_servers: Record<string, Record<string, unknown>> };
    expect(doc.mcp_servers['a']).toMatchObject({ startup_timeout_sec: 60, tool_timeout_sec: 900 });
    expect(doc.mcp_servers['b']).toMatchObject({ startup_timeout_sec: 60, tool_timeout_sec: 20 });
  });
});

describe('the record of the server tables written', () => {
  const entryOf = (state: OwnershipState, name: string) => state.entries.find((e) => e.ref.kind === 'mcp_servers' && e.ref.name === name)!;
  /** The record as version 2 wrote it: every entry by fingerprint, made the way version 2 made them. */
  const asVersion2 = (state: OwnershipState): OwnershipState => {
    const fp = new Fingerprints();
    return { ...state, schemaVersion: 2, entries: state.entries.map((e) => ({ ref: e.ref, ...recordedPrints(e, fp) })) };
  };
  /** Codex's settings turning a server off: `enabled = false` under its header. */
  const disable = (text: string, name: string) => text.replace(`[mcp_servers.${name}]\n`, `[mcp_servers.${name}]\nenabled = false\n`);

  it('holds each table by its value, with no fingerprint; fingerprints made from it are what version 2 recorded', () => {
    const first = plan(null);
    const doc = parse(first.newText) as { mcp_servers: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.mcp_servers)).toEqual(['github', 'docs', 'hermes-tools']);
    for (const [name, table] of Object.entries(doc.mcp_servers)) {
      const e = entryOf(first.newState, name);
      expect(e).toEqual({ ref: { kind: 'mcp_servers', name }, value: table });
      const prints = recordedPrints(e, new Fingerprints());
      expect(prints.digest).toBe(digestOf(table));
      expect(prints.keys).toEqual(Object.fromEntries(Object.keys(table).map((k) => [k, digestOf(table[k])])));
    }
    // Everything else keeps its fingerprint.
    expect(first.newState.entries.find((e) => e.ref.kind === 'root')).toEqual({ ref: { kind: 'root', name: 'default_permissions' }, digest: digestOf(':workspace') });
  });

  it('is judged as a version 2 record of the same tables: unchanged, edited by Codex, with keys reordered', () => {
    const first = plan(null);
    const edited = disable(first.newText, 'github');
    // The docs table with its two keys swapped: plain JSON differs, the value does not.
    const reordered = first.newText.replace(/(\[mcp_servers\.docs\]\n)(url = .*\n)(startup_timeout_sec = .*\n)/, '$1$3$2');
    expect(reordered).not.toBe(first.newText);
    for (const text of [first.newText, edited, reordered]) {
      const byValue = plan(text, { state: first.newState });
      const byPrints = plan(text, { state: asVersion2(first.newState) });
      expect(byValue.newText).toBe(byPrints.newText);
      expect(byValue.keptCodexEdits).toEqual(byPrints.keptCodexEdits);
      expect(byValue.keptFromBlock).toEqual([]);
      expect(byValue.newState).toEqual(byPrints.newState);
    }
    expect(plan(edited, { state: first.newState }).keptCodexEdits).toEqual([{ entry: 'mcp_servers.github', keys: ['enabled'] }]);
    expect(plan(reordered, { state: first.newState }).changed).toBe(true); // regenerated in migrate's own order
  });

  it("names the keys carried from Codex's edits, which are not this tool's", () => {
    const first = plan(null);
    const second = plan(disable(first.newText, 'github'), { state: first.newState });
    const github = entryOf(second.newState, 'github');
    expect(github.carried).toEqual(['enabled']);
    expect(Object.keys(recordedPrints(github, new Fingerprints()).keys!)).not.toContain('enabled');
    // The next run still carries it, and changes nothing.
    const third = rerun(second);
    expect(third.keptCodexEdits).toEqual([{ entry: 'mcp_servers.github', keys: ['enabled'] }]);
    expect(third.changed).toBe(false);
  });

  it('holds a table plain JSON would change (a date Codex added) by its fingerprints', () => {
    const first = plan(null);
    const dated = first.newText.replace('[mcp_servers.github]\n', '[mcp_servers.github]\nsince = 1979-05-27\n');
    const second = plan(dated, { state: first.newState });
    expect(second.keptCodexEdits).toEqual([{ entry: 'mcp_servers.github', keys: ['since'] }]);
    const github = entryOf(second.newState, 'github');
    expect(github.value).toBeUndefined();
    const table = (parse(second.newText) as { mcp_servers: Record<string, Record<string, unknown>> }).mcp_servers['github']!;
    expect(github.digest).toBe(digestOf(table));
    expect(Object.keys(github.keys!)).toEqual(Object.keys(table).filter((k) => k !== 'since'));
    const third = rerun(second);
    expect(third.keptCodexEdits).toEqual([{ entry: 'mcp_servers.github', keys: ['since'] }]);
    expect(third.changed).toBe(false);
  });
});
