/**
 * skipHelpCaching (src/cli/main.ts): yargs no longer renders a command's help
 * after its handler starts; checked against the installed yargs, unpatched
 * as the control, so a yargs whose internals moved fails here.
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type yargsType from 'yargs';
import { skipHelpCaching } from '../../src/cli/main.js';

const yargs = createRequire(import.meta.url)('yargs') as typeof yargsType;
type Internals = { getInternalMethods(): { getUsageInstance(): { hasCachedHelpMessage(): boolean } } };
const cached = (p: unknown) => (p as Internals).getInternalMethods().getUsageInstance().hasCachedHelpMessage();

describe('skipHelpCaching', () => {
  it('stops yargs rendering the help of the command it ran', async () => {
    const run = async (patch: boolean) => {
      let ran = false;
      const base = yargs(['go', '--n', '2']).exitProcess(false);
      const p = (patch ? skipHelpCaching(base) : base).command('go', 'run', (y) => y.option('n', { type: 'number' }), () => {
        ran = true;
      });
      await p.parseAsync();
      expect(ran).toBe(true);
      return cached(p);
    };
    expect(await run(false)).toBe(true); // what yargs does by itself
    expect(await run(true)).toBe(false);
  });

  it('leaves an object without yargs internals alone', () => {
    const plain = { a: 1 };
    expect(skipHelpCaching(plain)).toBe(plain);
  });
});
