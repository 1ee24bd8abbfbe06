/**
 * The managed block: present, markers intact and single, before any table,
 * no owned tables outside it or foreign ones inside it, and no drift from
 * what `migrate` would write from the current Hermes config.
 */
import * as path from 'node:path';
import { scanToml } from '../../config/toml-scan.js';
import { HermesCodexError } from '../../errors.js';
import { entryId, locateBlock } from '../../migrate/block.js';
import { unifiedDiff } from '../../migrate/diff.js';
import { prepareMigration } from '../../migrate/migrate.js';
import { planMigration, type MigrationPlan } from '../../migrate/plan.js';
import { digestOf, entryValue, type OwnershipState } from '../../migrate/state.js';
import { parseCodexToml, type TomlTable } from '../../config/codex-toml.js';
import type { CheckDefinition, CheckOutcome } from '../types.js';


/** The block's state, as `facts.block` of this check: what `runtime status` and `profile list` show. */
export type BlockState = 'current' | 'drift' | 'missing' | 'damaged' | 'unknown';
const blockFacts = (block: BlockState) => ({ block });

export const migrationBlock: CheckDefinition = {
  id: 'migration.block',
  category: 'migration',
  title: 'managed block',
  async run(ctx) {
    const MIGRATE = `Run \`${await ctx.migrateCommand()}\` (or add --fix to this doctor run).`;
    const cfg = await ctx.configToml();
    if (!cfg) return { status: 'warn', summary: 'no CODEX_HOME, so no managed block yet', remediation: MIGRATE, fix: 'migrate', facts: blockFacts('missing') };
    if (cfg.text === null && !cfg.error) return { status: 'warn', summary: 'no config.toml, so no managed block yet', remediation: MIGRATE, fix: 'migrate', facts: blockFacts('missing') };
    if (cfg.text === null) return { status: 'skip', summary: 'config.toml cannot be read (see codex.config)', facts: blockFacts('unknown') };
    const text = cfg.text.replace(/^\uFEFF/, '');
    const lines = scanToml(text);
    let located;
    try {
      // Structure first: two blocks usually also make the TOML invalid, and this names the cause.
      located = locateBlock(lines, cfg.path);
    } catch (err) {
      return { status: 'fail', summary: (err as Error).message, remediation: (err as HermesCodexError).remediation ?? 'Remove all but one block.', facts: blockFacts('damaged') };
    }
    if (cfg.error || !cfg.doc) return { status: 'skip', summary: 'config.toml does not parse (see codex.config)', facts: blockFacts('unknown') };
    const { block, orphanEnds } = located;
    if (!block) {
      return orphanEnds.length
        ? { status: 'warn', summary: `the block's start marker is gone (stray end marker at line ${orphanEnds[0]! + 1})`, remediation: MIGRATE, fix: 'migrate', facts: blockFacts('damaged') }
        : { status: 'warn', summary: `no managed block in ${cfg.path}`, remediation: MIGRATE, fix: 'migrate', facts: blockFacts('missing') };
    }

    const findings: { status: 'warn' | 'fail'; text: string }[] = [];
    let drift = false;
    if (block.legacy) findings.push({ status: 'warn', text: `the end marker is missing (start marker at line ${block.start + 1}); codex edits such as \`codex plugin marketplace remove\` can delete it` });
    if (orphanEnds.length) findings.push({ status: 'warn', text: `stray end marker at line ${orphanEnds.map((i) => i + 1).join(', ')}` });
    const firstHeader = lines.find((l) => l.kind === 'header');
    if (firstHeader && firstHeader.index < block.start) {
      findings.push({ status: 'warn', text: `the block starts at line ${block.start + 1}, after the table [${firstHeader.headerPath!.join('.')}] at line ${firstHeader.index + 1}: its root keys (default_permissions) belong to a table there` });
    }

    const state = await ctx.state();
    // What migrate would do now, with the options the last run used: drift, and what it would move.
    const details: string[] = [];
    const hermes = await ctx.hermes();
    if (hermes.ok && hermes.value.config) {
      try {
        const o = state?.options;
        const prepared = await prepareMigration({
          ...(ctx.opts.hermesConfig ? { hermesConfig: ctx.opts.hermesConfig } : {}),
          ...(ctx.opts.profile ? { profile: ctx.opts.profile } : {}),
          ...(ctx.opts.hermesRoot ? { hermesRoot: ctx.opts.hermesRoot } : {}),
          codexHome: path.dirname(cfg.path),
          ...(ctx.opts.codexBin ? { codexBin: ctx.opts.codexBin } : {}),
          ...(o ? { hermesTools: o.hermesTools, permissions: o.permissions ?? false, ...(o.hermesPython ? { hermesPython: o.hermesPython } : {}) } : {}),
          env: ctx.env,
          home: ctx.e.home,
          cwd: ctx.e.cwd,
          fs: ctx.fs,
        });
        const plan = planMigration({
          hermes: prepared.hermes,
          configPath: prepared.configPath,
          existingText: cfg.text,
          state,
          hermesTools: prepared.hermesTools,
          permissions: prepared.permissions,
          plugins: { status: 'skipped', reason: 'doctor' },
          now: ctx.now(),
        });
        if (plan.recoveredTables.length) findings.push({ status: 'warn', text: `tables hermes-codex wrote stand outside the block: ${plan.recoveredTables.join(', ')}` });
        // Tables Codex (or you) put inside the markers are yours: migrate moves them out unchanged. Not damage.
        for (const k of plan.keptFromBlock) {
          if (k.removeWith) findings.push({ status: 'warn', text: `${k.entry} inside the block may be left over from Hermes' migration (${k.reason}); if it is not yours: \`${k.removeWith}\`` });
          else details.push(`inside the block but yours (migrate moves it out unchanged): ${k.entry}: ${k.reason}`);
        }
        for (const k of plan.keptCodexEdits) details.push(`Codex's edits kept on ${k.entry}: ${k.keys.join(', ')}`);
        if (ownedContentDiffers(cfg.doc, plan, state)) {
          drift = true;
          findings.push({ status: 'warn', text: 'the block no longer matches what `hermes-codex migrate` would write from the current Hermes config' });
          details.push(...unifiedDiff(cfg.text, plan.newText, 'config.toml').split('\n').slice(0, 40));
        }
      } catch (err) {
        details.push(`drift not checked: ${(err as Error).message}`);
      }
    } else details.push('drift not checked: no Hermes config');

    if (!findings.length) return { status: 'ok', summary: `present (lines ${block.start + 1}–${block.end + 1}) and current`, details, facts: blockFacts('current') };
    const status = findings.some((f) => f.status === 'fail') ? 'fail' : 'warn';
    // Drift alone is "drift"; anything structural makes the block "damaged".
    const facts = blockFacts(drift && findings.length === 1 ? 'drift' : 'damaged');
    const out: CheckOutcome = { status, summary: findings[0]!.text, details: [...findings.slice(1).map((f) => f.text), ...details], remediation: MIGRATE, fix: 'migrate', facts };
    return out;
  },
};

/**
 * Whether the entries the block owns (before or after) would change: drift
 * in what migrate writes, leaving aside tables it would only move out.
 */
function ownedContentDiffers(doc: TomlTable, plan: MigrationPlan, state: OwnershipState | null): boolean {
  const next = parseCodexToml(plan.newText, 'config.toml');
  const refs = new Map([...(state?.entries ?? []), ...plan.newState.entries].map((e) => [entryId(e.ref), e.ref]));
  for (const ref of refs.values()) if (digestOf(entryValue(doc, ref)) !== digestOf(entryValue(next, ref))) return true;
  return false;
}

export const migrationChecks = [migrationBlock];
