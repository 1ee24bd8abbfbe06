/**
 * discoverPlugins() against the fake app-server, for plugin/list replies the
 * real codex does not produce here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverPlugins } from '../../src/plugins/discover.js';
import { PluginDiscoveryError } from '../../src/plugins/decide.js';
import { repoRoot } from '../helpers/codex.js';

let dir: string;
let bin: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'plugins-fake-'));
  mkdirSync(path.join(dir, 'home'));
  bin = path.join(dir, 'codex');
  writeFileSync(bin, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "codex-cli 0.169.0"; exit 0; fi\nexec "${process.execPath}" "${path.join(repoRoot, 'fixtures/fake-app-server/server.mjs')}"\n`);
  chmodSync(bin, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const discover = (listReply: unknown, timeoutMs = 5000) =>
  discoverPlugins({ codexBin: bin, codexHome: path.join(dir, 'home'), env: { ...process.env, CODEX_FAKE_PLUGIN_LIST: typeof listReply === 'string' ? listReply : JSON.stringify(listReply) }, timeoutMs });

const p = (id: string, over: Record<string, unknown> = {}) => ({ id, name: id.split('@')[0], installed: true, enabled: true, ...over });

describe('discoverPlugins (fake app-server)', () => {
  it('decides for DISABLED_BY_ADMIN, no availability field, ENABLED and an unknown value', async () => {
    const r = await discover({
      marketplaces: [
        {
          name: 'openai-curated',
          plugins: [
            p('admin@openai-curated', { availability: 'DISABLED_BY_ADMIN' }),
            p('old@openai-curated'),
            p('svc@openai-curated', { availability: 'ENABLED' }),
            p('odd@openai-curated', { availability: 'COMING_SOON' }),
          ],
        },
      ],
      marketplaceLoadErrors: [],
    });
    expect(r.codexVersion).toBe('0.169.0');
    expect(r.plugins.map((x) => [x.key, x.decision])).toEqual([
      ['admin@openai-curated', 'skip'],
      ['old@openai-curated', 'migrate'],
      ['svc@openai-curated', 'migrate'],
      ['odd@openai-curated', 'skip'],
    ]);
    expect(r.plugins[3]!.reason).toContain('COMING_SOON');
  });

  it('fails with a typed error on an error reply, a malformed reply, and a hang past the timeout', async () => {
    await expect(discover('error')).rejects.toThrow(/plugin discovery failed: .*plugin manager unavailable/);
    await expect(discover('malformed')).rejects.toThrow(PluginDiscoveryError);
    await expect(discover('malformed')).rejects.toThrow(/malformed/);
    const t0 = Date.now();
    await expect(discover('hang', 400)).rejects.toThrow(/did not answer plugin\/list within/);
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('fails with the reason when codex is missing', async () => {
    await expect(discoverPlugins({ codexBin: path.join(dir, 'nope'), codexHome: dir, env: process.env })).rejects.toThrow(/codex not found/);
  });
  it('abandoned (its signal aborted), ends codex and rejects without running `codex --version` to explain it', async () => {
    const log = path.join(dir, 'calls.log');
    const logged = path.join(dir, 'codex-logged');
    writeFileSync(logged, `#!/bin/sh\necho "$*" >> "${log}"\nexec "${bin}" "$@"\n`);
    chmodSync(logged, 0o755);
    const start = (signal: AbortSignal) =>
      discoverPlugins({ codexBin: logged, codexHome: path.join(dir, 'home'), env: { ...process.env, CODEX_FAKE_PLUGIN_LIST: 'hang' }, timeoutMs: 20_000, signal });
    // Abandoned before codex is spawned: none is. (Discovery spawns codex within the call when its
    // private CODEX_HOME is ready at once, so the signal is aborted before the call.)
    const before = new AbortController();
    before.abort();
    const first = start(before.signal);
    await expect(first).rejects.toThrow(/abandoned before codex was started/);
    expect(existsSync(log)).toBe(false);
    // Abandoned once codex runs (the fake one answers plugin/list never): it exits, no --version follows.
    const later = new AbortController();
    const second = start(later.signal);
    while (!existsSync(log)) await new Promise((r) => setTimeout(r, 10));
    later.abort();
    const t0 = Date.now();
    await expect(second).rejects.toThrow(PluginDiscoveryError);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['app-server']);
  });
});
