/**
 * Doctor check `migration.block` (managed block), one of the migration checks:
 * The managed block (doctor's row for it): the state and findings come from
 * migrate/inspect.ts, which `runtime status` and `profile list` use too.
 */
import * as path from 'node:path';
import { inspectBlock, planWithRecordedOptions } from '../../../migrate/inspect.js';
import type { CheckDefinition } from '../../types.js';

export const migrationBlock: CheckDefinition = {
  id: 'migration.block',
  category: 'migration',
  title: 'managed block',
  async run(ctx) {
    const MIGRATE = `Run \`${await ctx.migrateCommand()}\` (or add --fix to this doctor run).`;
    const cfg = await ctx.configToml();
    const state = cfg ? await ctx.state() : null;
    const hermes = await ctx.hermes();
    // A Hermes config that cannot be read leaves the block uncompared (said so), never "current".
    const plan = !hermes.ok
      ? { error: `it cannot be read (${hermes.error.message.split('\n')[0]})` }
      : cfg?.text != null && cfg.doc && hermes.value.config
        ? await planWithRecordedOptions(path.dirname(cfg.path), cfg.text, state, { workspace: ctx.ws })
        : null;
    const i = inspectBlock({
      file: cfg?.path ?? '',
      homeExists: cfg !== null,
      text: cfg?.text ?? null,
      readError: Boolean(cfg?.error) && cfg?.text === null,
      doc: cfg?.doc ?? null,
      state,
      plan,
    });
    const remediation = i.remediation ?? (i.migrateHeals ? MIGRATE : undefined);
    return {
      status: i.status,
      summary: i.summary,
      details: i.details,
      ...(remediation && i.status !== 'ok' ? { remediation } : {}),
      ...(i.migrateHeals && i.status !== 'ok' && !i.remediation ? { fix: 'migrate' as const } : {}),
      facts: { block: i.state },
    };
  },
};
