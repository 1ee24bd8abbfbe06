import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import fc from 'fast-check';
import { setNestedScalar } from '../../src/hermes/yaml-edit.js';
import { parseRuntimeWord, readRuntime } from '../../src/hermes/runtime-switch.js';
import { UsageError, ConfigSyntaxError } from '../../src/core/errors.js';

const set = (text: string, value = 'codex_app_server') => setNestedScalar(text, '/h/config.yaml', 'model', 'openai_runtime', value);

describe('parseRuntimeWord / readRuntime', () => {
  it('accepts the on and off words case-insensitively and lists them otherwise', () => {
    for (const w of ['on', 'CODEX', 'Enable', 'codex_app_server']) expect(parseRuntimeWord(w)).toBe('codex_app_server');
    for (const w of ['off', 'AUTO', 'default', 'Disable', 'hermes']) expect(parseRuntimeWord(w)).toBe('auto');
    expect(() => parseRuntimeWord('maybe')).toThrow(UsageError);
    expect(() => parseRuntimeWord('maybe')).toThrow(/on, codex, enable, codex_app_server .*off, auto, default, disable, hermes/);
  });

  it('reads unknown and missing values as auto, as Hermes does', () => {
    expect(readRuntime({ model: { openai_runtime: 'CODEX_APP_SERVER' } }).value).toBe('codex_app_server');
    expect(readRuntime({ model: { openai_runtime: 'turbo' } })).toEqual({ value: 'auto', raw: 'turbo' });
    expect(readRuntime({}).value).toBe('auto');
    expect(readRuntime(null).value).toBe('auto');
  });
});

describe('setNestedScalar', () => {
  it('replaces an existing value in place, keeping comments, quoting and everything else', () => {
    const text = '# top\nmodel:   # m\n  provider: "openai-codex"  # p\n  openai_runtime: auto # keep\n  default: gpt\nother: [1, 2]\n';
    const r = set(text);
    expect(r).toMatchObject({ changed: true, method: 'surgical', previous: 'auto' });
    expect(r.text).toBe(text.replace('openai_runtime: auto', 'openai_runtime: codex_app_server'));
    expect(set(r.text, 'auto').text).toBe(text);
  });

  it('keeps the quote style of the old value', () => {
    expect(set("model:\n  openai_runtime: 'auto'\n").text).toBe("model:\n  openai_runtime: 'codex_app_server'\n");
    expect(set('model:\n  openai_runtime: "auto"\n').text).toBe('model:\n  openai_runtime: "codex_app_server"\n');
  });

  it('inserts a missing key after the mapping\'s last content line, with the siblings\' indentation and line ends', () => {
    expect(set('model:\n    provider: x\n    nested:\n      a: 1\n# about other\nother: 1\n').text).toBe(
      'model:\n    provider: x\n    nested:\n      a: 1\n    openai_runtime: codex_app_server\n# about other\nother: 1\n',
    );
    expect(set('model:\r\n  provider: x\r\n').text).toBe('model:\r\n  provider: x\r\n  openai_runtime: codex_app_server\r\n');
    expect(set('model:\n  provider: x').text).toBe('model:\n  provider: x\n  openai_runtime: codex_app_server\n');
  });

  it('adds the model mapping when there is none, keeps a BOM, and writes nothing when the value is already set', () => {
    expect(set('\uFEFF# c\nterminal:\n  backend: local\n').text).toBe('\uFEFF# c\nterminal:\n  backend: local\nmodel:\n  openai_runtime: codex_app_server\n');
    expect(set('')).toMatchObject({ text: 'model:\n  openai_runtime: codex_app_server\n', changed: true });
    const same = 'model:\n  openai_runtime: codex_app_server\n';
    expect(set(same)).toEqual({ text: same, previous: 'codex_app_server', changed: false, method: 'none' });
  });

  it('fills an empty `model:`, and refuses a `model: <name>` string rather than lose it', () => {
    expect(set('model:  # m\nx: 1\n').text).toBe('model:  # m\n  openai_runtime: codex_app_server\nx: 1\n');
    expect(() => set('x: 1\nmodel: gpt-5\n')).toThrow(/config\.yaml:2: model is a single value, not a mapping/);
  });

  it('falls back to the document API for flow mappings, still producing the value', () => {
    const r = set('model: {provider: x}\n');
    expect(r.method).toBe('document');
    expect(parse(r.text)).toEqual({ model: { provider: 'x', openai_runtime: 'codex_app_server' } });
  });

  it('reports YAML errors with file, line and column', () => {
    expect(() => set('model:\n  a: [1\n')).toThrow(ConfigSyntaxError);
    expect(() => set('model:\n  a: [1\n')).toThrow(/\/h\/config\.yaml:\d+:\d+/);
  });

  it('property: on then off restores arbitrary block-style configs byte for byte, and the value parses as set', () => {
    const key = fc.stringMatching(/^[a-z][a-z_]{0,8}$/).filter((k) => k !== 'openai_runtime' && k !== 'model');
    const scalar = fc.oneof(fc.integer().map(String), fc.stringMatching(/^[a-z][a-z0-9 ._-]{0,12}$/).map((s) => s.trim() || 'x'), fc.constantFrom('"quoted"', "'single'", 'true'));
    const comment = fc.option(fc.stringMatching(/^[a-z ]{0,10}$/).map((s) => `  # ${s}`), { nil: '' });
    const config = fc
      .record({
        before: fc.array(fc.tuple(key, scalar, comment), { maxLength: 3 }),
        model: fc.array(fc.tuple(key, scalar, comment), { maxLength: 4 }),
        runtime: fc.option(fc.constantFrom('auto', '"auto"', 'turbo'), { nil: undefined }),
        after: fc.array(fc.tuple(key, scalar, comment), { maxLength: 3 }),
        crlf: fc.boolean(),
      })
      .map(({ before, model, runtime, after, crlf }) => {
        const uniq = (xs: [string, string, string][]) => xs.filter(([k], i) => xs.findIndex(([k2]) => k2 === k) === i);
        const top = uniq([...before, ...after]);
        const lines = [
          ...top.slice(0, before.length).map(([k, v, c]) => `${k}: ${v}${c}`),
          'model:  # the model',
          ...uniq(model).map(([k, v, c]) => `  ${k}: ${v}${c}`),
          ...(runtime ? [`  openai_runtime: ${runtime}`] : []),
          ...top.slice(before.length).map(([k, v, c]) => `${k}: ${v}${c}`),
        ];
        const t = lines.join('\n') + '\n';
        return crlf ? t.replace(/\n/g, '\r\n') : t;
      });
    fc.assert(
      fc.property(config, (text) => {
        const on = set(text);
        expect(parse(on.text).model.openai_runtime).toBe('codex_app_server');
        const off = set(on.text, 'auto');
        expect(parse(off.text).model.openai_runtime).toBe('auto');
        // Where the file already had the key, on→off restores it exactly (modulo "turbo"/quotes → auto).
        if (/openai_runtime: auto\r?\n/.test(text)) expect(off.text).toBe(text);
        // Every line other than the runtime line is unchanged.
        const strip = (s: string) => s.split(/\r?\n/).filter((l) => !l.includes('openai_runtime'));
        expect(strip(on.text)).toEqual(strip(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe("runtime on refuses a setup Hermes' next codex turn cannot use (unless --force)", () => {
  const HOME = '/home/me';
  const YAML = 'model:\n  provider: openai\n  openai_runtime: auto\nmcp_servers:\n  gh:\n    command: npx\n';
  const setup = async (opts: { login?: boolean; imports?: boolean } = {}) => {
    const { memFileSystem } = await import('../helpers/memfs.js');
    const { resolveWorkspace } = await import('../../src/core/workspace.js');
    const fs = memFileSystem({
      '/bin/codex': '#!',
      '/venv/bin/python': '#!',
      [`${HOME}/.hermes/config.yaml`]: YAML,
      [`${HOME}/.codex/.keep`]: '',
      ...(opts.login !== false ? { [`${HOME}/.codex/auth.json`]: '{"OPENAI_API_KEY":"sk-test"}' } : {}),
    });
    // codex --version answers; the callback's Python imports its module unless `imports` is false.
    const run = async (file: string, args: readonly string[]) =>
      file === '/venv/bin/python' && opts.imports === false
        ? { exitCode: 1, stdout: '', stderr: "Traceback…\nModuleNotFoundError: No module named 'agent'\n" }
        : { exitCode: 0, stdout: args[0] === '--version' ? 'codex-cli 0.171.0\n' : '', stderr: '' };
    const ws = resolveWorkspace({ fs, run, env: { PATH: '/bin', HERMES_PYTHON: '/venv/bin/python' }, home: HOME, cwd: HOME, codexBin: '/bin/codex', now: () => new Date('2026-12-06T00:00:00Z') });
    return { fs, ws, yaml: () => String(fs.vol.readFileSync(`${HOME}/.hermes/config.yaml`, 'utf8')) };
  };
  const migrate = { plugins: false, validateWithCodex: false };

  it('switches a working setup, keeping the previous config.yaml beside it', async () => {
    const { switchRuntime } = await import('../../src/hermes/runtime-switch.js');
    const { fs, ws, yaml } = await setup();
    const r = await switchRuntime('codex_app_server', { workspace: ws, migrate });
    expect(r).toMatchObject({ changed: true, backup: `${HOME}/.hermes/config.yaml.hermes-codex.bak` });
    expect(yaml()).toMatch(/openai_runtime: codex_app_server/);
    expect(String(fs.vol.readFileSync(`${HOME}/.hermes/config.yaml.hermes-codex.bak`, 'utf8'))).toBe(YAML);
  });

  it('refuses without a codex login or with a callback Python that cannot import its module, in doctor\'s words, config.yaml untouched (exit 1)', async () => {
    const { switchRuntime, RuntimeSwitchRefusedError } = await import('../../src/hermes/runtime-switch.js');
    for (const [opts, words] of [
      [{ login: false }, /codex has no login for CODEX_HOME \/home\/me\/\.codex, so Hermes' codex turns fail until it has one/],
      [{ imports: false }, /\/venv\/bin\/python cannot import agent\.transports\.hermes_tools_mcp_server: the callback tools will silently vanish from codex turns \(ModuleNotFoundError: No module named 'agent'\)/],
    ] as const) {
      const { ws, yaml, fs } = await setup(opts);
      const err = await switchRuntime('codex_app_server', { workspace: ws, migrate }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RuntimeSwitchRefusedError);
      expect((err as Error).message).toMatch(words);
      expect((err as InstanceType<typeof RuntimeSwitchRefusedError>).exitCode).toBe(1);
      expect((err as InstanceType<typeof RuntimeSwitchRefusedError>).remediation).toMatch(/--force/);
      expect(yaml()).toBe(YAML);
      expect(fs.vol.existsSync(`${HOME}/.hermes/config.yaml.hermes-codex.bak`)).toBe(false);
      // --force switches anyway, and says what will not work.
      const forced = await switchRuntime('codex_app_server', { workspace: ws, migrate, force: true });
      expect(forced.changed).toBe(true);
      expect(forced.notes.join('\n')).toMatch(words);
      expect(yaml()).toMatch(/openai_runtime: codex_app_server/);
    }
  });
});
