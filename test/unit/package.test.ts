/**
 * The package a user installs runs no install-time script: npm (11) warns about any
 * `preinstall`, `install`, `postinstall` or `prepare` of a package not listed in
 * `allowScripts`, so the build runs in `prepack` (`npm pack`), never on the user's machine.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/codex.js';

describe('package.json', () => {
  it('has no install-time script, and builds in prepack', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts, s).not.toHaveProperty(s);
    expect(pkg.scripts['prepack']).toMatch(/npm run build/);
  });
});
