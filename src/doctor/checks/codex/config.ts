/**
 * Doctor check `codex.config` (config.toml), one of the codex checks:
 * Codex's own essentials: binary, version, CODEX_HOME, auth, config.
 */
import type { CheckDefinition } from '../../types.js';
import { whereOf } from '../../../core/errors.js';
import { readExistingConfig } from '../../../migrate/plan.js';
import { entryLabel } from '../../../migrate/block.js';

export const codexConfig: CheckDefinition = {
  id: 'codex.config',
  category: 'codex',
  title: 'config.toml',
  async run(ctx) {
    const cfg = await ctx.configToml();
    if (!cfg) return { status: 'skip', summary: 'CODEX_HOME does not exist' };
    if (cfg.error) {
      // A key both in the managed block and outside it (what Hermes' own migration leaves): migrate repairs that.
      const repairable = cfg.text === null ? [] : duplicatesMigrateRepairs(cfg.text, cfg.path);
      if (repairable.length) {
        return {
          status: 'fail',
          summary: cfg.error.message,
          details: [`${repairable.join(', ')} ${repairable.length === 1 ? 'stands' : 'stand'} both inside the managed block and outside it (Hermes' own migration writes its block without looking at the rest of the file)`],
          remediation: 'Run `hermes-codex migrate` (or add --fix to this doctor run): it removes the managed copy; yours stays.',
          fix: 'migrate',
        };
      }
      return { status: 'fail', summary: cfg.error.message, remediation: cfg.error.remediation ?? 'Fix config.toml.' };
    }
    if (cfg.text === null) return { status: 'ok', summary: `no ${cfg.path} (codex uses its defaults)` };
    const verdict = await ctx.loader();
    if (!verdict) return { status: 'ok', summary: `${cfg.path} parses`, details: ["codex's own loader was not run (codex unavailable)"] };
    if (verdict.status === 'unavailable') return { status: 'warn', summary: `${cfg.path} parses, but codex's loader could not be run`, details: [verdict.reason], remediation: 'Check the codex binary (see codex.binary).' };
    if (verdict.status === 'rejected') {
      const where = whereOf({ file: cfg.path, line: verdict.error.line, column: verdict.error.column })!;
      return { status: 'fail', summary: `codex rejects ${where}: ${verdict.error.message}`, details: [`checked with ${LOADER_CHECK_LABEL[verdict.check]}`], remediation: `Fix ${where}; codex will not start until then.` };
    }
    if (verdict.strictFindings.length) {
      const f = verdict.strictFindings[0]!;
      return {
        status: 'warn',
        summary: `codex loads it, but --strict-config reports: ${f.message}${f.line ? ` (${cfg.path}:${f.line}${f.column ? `:${f.column}` : ''})` : ''}`,
        remediation: 'Remove or correct that key; codex ignores it today and a stricter codex may refuse it.',
      };
    }
    return { status: 'ok', summary: `${cfg.path} accepted by codex's own loader`, details: [`checked with ${LOADER_CHECK_LABEL[verdict.check]}`] };
  },
};

/** The entries whose managed copy migrate would remove to make the text parse (see migrate's readExistingConfig); none when it cannot. */
function duplicatesMigrateRepairs(text: string, file: string): string[] {
  try {
    return readExistingConfig(text, file).repaired.map(entryLabel);
  } catch {
    return [];
  }
}

/** How each rung of the validation ladder is named to people (see docs/compatibility.md). */
const LOADER_CHECK_LABEL = {
  'print-startup-config': '`codex app-server --strict-config --print-startup-config`',
  'strict-app-server': '`codex app-server --strict-config` (this codex has no --print-startup-config, which needs 0.164)',
  'mcp-list': '`codex mcp list --json` (this codex has no strict check; unknown keys are not reported)',
} as const;
