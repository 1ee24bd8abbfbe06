/**
 * `doctor --fix`: only safe, reversible fixes. Create a missing default
 * CODEX_HOME (0700), `chmod 600` auth.json, re-run `migrate` to heal the
 * managed block (it keeps a backup of config.toml).
 */
import * as path from 'node:path';
import { migrate } from '../migrate/migrate.js';
import { readState } from '../migrate/state.js';
import { nodeFileSystem } from '../fs/filesystem.js';
import type { DoctorOptions } from './context.js';
import type { CheckResult, FixId } from './types.js';

export interface PlannedFix {
  id: FixId;
  description: string;
  checks: string[];
}

/** The fixes the results call for, one per kind. */
export function plannedFixes(results: readonly CheckResult[], codexHomePath: string | null): PlannedFix[] {
  const byFix = new Map<FixId, string[]>();
  for (const r of results) if (r.fix) byFix.set(r.fix, [...(byFix.get(r.fix) ?? []), r.id]);
  const describe: Record<FixId, string> = {
    'create-codex-home': `create ${codexHomePath ?? 'CODEX_HOME'} with mode 0700`,
    'chmod-auth': `chmod 600 ${codexHomePath ? path.join(codexHomePath, 'auth.json') : 'auth.json'}`,
    migrate: 're-run `hermes-codex migrate` to heal the managed block (config.toml is backed up first)',
  };
  const order: FixId[] = ['create-codex-home', 'chmod-auth', 'migrate'];
  return order.filter((id) => byFix.has(id)).map((id) => ({ id, description: describe[id], checks: byFix.get(id)! }));
}

/** Apply the fixes in order; returns one line per fix saying what happened. */
export async function applyFixes(fixes: readonly PlannedFix[], codexHomePath: string, opts: DoctorOptions): Promise<string[]> {
  const fs = opts.fs ?? nodeFileSystem;
  const out: string[] = [];
  for (const f of fixes) {
    try {
      if (f.id === 'create-codex-home') {
        await fs.mkdir(codexHomePath, { recursive: true, mode: 0o700 });
        out.push(`created ${codexHomePath} (0700)`);
      } else if (f.id === 'chmod-auth') {
        await fs.chmod(path.join(codexHomePath, 'auth.json'), 0o600);
        out.push(`auth.json is now 0600`);
      } else {
        const recorded = (await readState(fs, codexHomePath)).state?.options;
        const r = await migrate({
          ...(opts.hermesConfig ? { hermesConfig: opts.hermesConfig } : {}),
          ...(opts.profile ? { profile: opts.profile } : {}),
          ...(opts.hermesRoot ? { hermesRoot: opts.hermesRoot } : {}),
          ...(opts.codexBin ? { codexBin: opts.codexBin } : {}),
          codexHome: codexHomePath,
          ...(recorded ? { hermesTools: recorded.hermesTools, permissions: recorded.permissions ?? false, plugins: recorded.plugins, ...(recorded.hermesPython ? { hermesPython: recorded.hermesPython } : {}) } : {}),
          ...(opts.env ? { env: opts.env } : {}),
          ...(opts.home ? { home: opts.home } : {}),
          ...(opts.cwd ? { cwd: opts.cwd } : {}),
          fs,
          ...(opts.run ? { run: opts.run } : {}),
        });
        out.push(`migrate: ${r.changed ? `updated ${r.target}${r.backup ? ` (backup ${r.backup})` : ''}` : 'nothing to change'}`);
      }
    } catch (err) {
      out.push(`${f.id} failed: ${(err as Error).message}`);
    }
  }
  return out;
}
