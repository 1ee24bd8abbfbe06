/**
 * Doctor check `codex.version` (codex version), one of the codex checks:
 * Codex's own essentials: binary, version, CODEX_HOME, auth, config.
 */
import { TESTED_CODEX_VERSION } from '../../../runtime/version.js';
import type { CheckDefinition } from '../../types.js';
import { INSTALL } from './shared.js';

export const codexVersion: CheckDefinition = {
  id: 'codex.version',
  category: 'codex',
  title: 'codex version',
  async run(ctx) {
    const v = await ctx.codexVersion();
    if (!v) return { status: 'skip', summary: 'codex not found' };
    if (!v.ok) return { status: 'fail', summary: v.error.message, remediation: v.error.remediation ?? INSTALL };
    if (v.value.status === 'untested') return { status: 'warn', summary: v.value.warning!, remediation: `Pin @openai/codex@${TESTED_CODEX_VERSION} if something misbehaves.` };
    return { status: 'ok', summary: `codex ${v.value.version} (tested with ${TESTED_CODEX_VERSION})` };
  },
};
