/**
 * Once per `vitest run`: plugin discovery's kept CODEX_HOMEs (src/codex/private-home.ts) go to a
 * directory of this run, removed at the end, instead of the machine's temporary directory. Test
 * sandboxes (helpers/codex.ts) set their own; this covers the tests that pass `process.env` on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hermes-codex-test-discovery-homes-'));
  process.env['HERMES_CODEX_DISCOVERY_HOME'] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
