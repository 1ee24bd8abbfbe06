/**
 * Doctor check `codex.binary` (codex binary), one of the codex checks:
 * Codex's own essentials: binary, version, CODEX_HOME, auth, config.
 */
import type { CheckDefinition } from '../../types.js';
import { INSTALL } from './shared.js';

export const codexBinary: CheckDefinition = {
  id: 'codex.binary',
  category: 'codex',
  title: 'codex binary',
  async run(ctx) {
    const bin = await ctx.codexBinary();
    if (!bin) return { status: 'fail', summary: 'codex not found on PATH', remediation: INSTALL };
    const onPath = await ctx.codexExecutable();
    if (!onPath) {
      return { status: 'fail', summary: bin.path.includes('/') ? `codex points to ${bin.path}, which does not exist` : `${bin.path} (from Hermes' model.codex_bin) is not on PATH`, remediation: INSTALL };
    }
    const real = await ctx.fs.realpath(onPath).catch(() => null);
    if (!real) return { status: 'fail', summary: `codex points to ${onPath}, which does not exist`, remediation: INSTALL };
    const via = { flag: '--codex-bin', 'hermes-config': "Hermes' model.codex_bin", PATH: 'PATH' }[bin.source];
    if (bin.npmWrapper) return { status: 'ok', summary: `${bin.npmWrapper} (from ${via})`, details: [`npm's wrapper; hermes-codex runs its native binary ${bin.path} directly`] };
    return { status: 'ok', summary: `${onPath} (from ${via})`, details: real !== onPath ? [`resolves to ${real}`] : [] };
  },
};
