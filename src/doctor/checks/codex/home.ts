/**
 * Doctor check `codex.home` (CODEX_HOME), one of the codex checks:
 * Codex's own essentials: binary, version, CODEX_HOME, auth, config.
 */
import * as path from 'node:path';
import type { CheckDefinition } from '../../types.js';
import { Row } from '../../row.js';
import { hermesRoot } from '../../../core/paths.js';

export const codexHome: CheckDefinition = {
  id: 'codex.home',
  category: 'codex',
  title: 'CODEX_HOME',
  async run(ctx) {
    const home = await ctx.codexHome();
    if (!home.ok) return { status: 'fail', summary: home.error.message, remediation: home.error.remediation ?? 'Fix CODEX_HOME.' };
    const loc = home.value;
    const row = new Row().detail(`source: ${loc.source === 'flag' ? '--codex-home' : loc.source === 'CODEX_HOME' ? '$CODEX_HOME' : 'default ~/.codex'}`);
    if (!loc.exists) {
      row.warn(`Create it (mkdir -m 700 ${loc.path}) or run \`${await ctx.migrateCommand()}\`; --fix on this doctor run can create it.`, 'create-codex-home');
    } else {
      const lst = await ctx.fs.lstat(loc.path);
      if (lst.isSymbolicLink()) row.detail(`symlink to ${await ctx.fs.realpath(loc.path)}`);
      const st = await ctx.fs.stat(loc.path);
      const mode = st.mode & 0o777;
      row.detail(`mode ${mode.toString(8).padStart(4, '0')}`);
      if (mode & 0o022) row.warn(`Others can write to CODEX_HOME; run \`chmod 700 ${loc.path}\`.`);
    }
    // HOME must stay real: Codex state is isolated through CODEX_HOME. A HOME pointed into
    // Hermes' or Codex's own directories (an old isolation trick) hides git's and gh's config.
    const under = (p: string, root: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
    const homeDir = path.resolve(ctx.e.home);
    const hermesRootDir = path.resolve(hermesRoot(ctx.e, ctx.ws.locations.hermesRoot));
    if (under(homeDir, path.resolve(loc.path)) || under(homeDir, hermesRootDir)) {
      row.detail(`HOME is ${ctx.e.home}`);
      row.warn(`HOME points into ${under(homeDir, path.resolve(loc.path)) ? 'CODEX_HOME' : "Hermes' directory"}; keep HOME real and isolate Codex with CODEX_HOME, so git, gh and other tools find their own config.`);
    }
    const sharing = (await ctx.profiles()).filter((p) => path.resolve(p.codexHome) === path.resolve(loc.path)).map((p) => p.name);
    if (sharing.length) row.detail(`used by Hermes profiles: ${sharing.join(', ')}`);
    const summary = `${loc.path}${loc.exists ? '' : ' (does not exist yet)'}${sharing.length > 1 ? `; shared by ${sharing.length} profiles` : ''}`;
    return row.done(summary);
  },
};
