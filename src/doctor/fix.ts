/**
 * `doctor --fix`: only safe, reversible fixes. Create a missing default
 * CODEX_HOME (0700), `chmod 600` auth.json, re-run `migrate` to heal the
 * managed block (it keeps a backup of config.toml).
 */
import * as path from 'node:path';
import { migrate, optionsFromRecord } from '../migrate/migrate.js';
import { readState } from '../migrate/state.js';
import { resolveWorkspace, withLocations, type Workspace } from '../core/workspace.js';
import { readOnlyFile } from '../fs/filesystem.js';
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

/** The migrate run a fix makes: this doctor run's workspace aimed at the CODEX_HOME it checked, with the options the last migrate recorded. */
async function fixMigration(codexHomePath: string, ws: Workspace, dryRun: boolean) {
  const recorded = (await readState(ws.fs, codexHomePath)).state?.options;
  return migrate({
    workspace: withLocations(ws, { codexHome: codexHomePath }),
    ...(recorded ? optionsFromRecord(recorded) : {}),
    dryRun,
    ...(dryRun ? { validateWithCodex: false, plugins: false } : {}),
  });
}

/**
 * The planned fixes that will change something: a CODEX_HOME that is
 * missing, auth.json that exists, and a migrate that (with the options the
 * last run recorded, e.g. --no-hermes-tools) would change config.toml.
 * A fix that could not work is not offered (migrate on a read-only config.toml, which it refuses).
 */
export async function workableFixes(fixes: readonly PlannedFix[], codexHomePath: string, opts: DoctorOptions): Promise<PlannedFix[]> {
  const ws = resolveWorkspace(opts);
  const fs = ws.fs;
  const out: PlannedFix[] = [];
  const homeExists = (await fs.stat(codexHomePath).catch(() => null))?.isDirectory() ?? false;
  for (const f of fixes) {
    if (f.id === 'create-codex-home') {
      if (!homeExists) out.push(f);
    } else if (f.id === 'chmod-auth') {
      const st = await fs.stat(path.join(codexHomePath, 'auth.json')).catch(() => null);
      if (st && (st.mode & 0o777) !== 0o600) out.push(f);
    } else {
      // Migrate works on a CODEX_HOME that exists or that the create fix makes, and never on a read-only config.toml.
      if (!homeExists && !out.some((x) => x.id === 'create-codex-home')) continue;
      const configPath = path.join(codexHomePath, 'config.toml');
      if (homeExists && (await readOnlyFile(fs, configPath, await fs.realpath(configPath).catch(() => configPath)))) continue;
      const preview = homeExists ? await fixMigration(codexHomePath, ws, true).catch(() => null) : null;
      if (!homeExists || preview?.changed) out.push(f);
    }
  }
  return out;
}

export interface FixOutcome {
  id: FixId;
  ok: boolean;
  /** What happened, for people. */
  text: string;
}

/** Apply the fixes in order; one outcome per fix, failures included. */
export async function applyFixes(fixes: readonly PlannedFix[], codexHomePath: string, opts: DoctorOptions): Promise<FixOutcome[]> {
  const ws = resolveWorkspace(opts);
  const fs = ws.fs;
  const out: FixOutcome[] = [];
  for (const f of fixes) {
    try {
      if (f.id === 'create-codex-home') {
        await fs.mkdir(codexHomePath, { recursive: true, mode: 0o700 });
        out.push({ id: f.id, ok: true, text: `created ${codexHomePath} (0700)` });
      } else if (f.id === 'chmod-auth') {
        await fs.chmod(path.join(codexHomePath, 'auth.json'), 0o600);
        out.push({ id: f.id, ok: true, text: 'auth.json is now 0600' });
      } else {
        const r = await fixMigration(codexHomePath, ws, false);
        out.push({ id: f.id, ok: true, text: `migrate: ${r.changed ? `updated ${r.target}${r.backup ? ` (backup ${r.backup})` : ''}` : 'nothing to change'}` });
      }
    } catch (err) {
      out.push({ id: f.id, ok: false, text: `${f.id}: ${(err as Error).message}` });
    }
  }
  return out;
}
