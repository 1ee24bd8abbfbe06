/**
 * Uncolored output never loads chalk: plainStyle stands in for chalk at
 * level 0 and must give exactly what chalk gives there.
 */
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { plainStyle } from '../../src/cli/output.js';

describe('plainStyle', () => {
  const chalk = new Chalk({ level: 0 });
  const plain = plainStyle();
  it.each([
    [(c: typeof chalk) => c.red('x')],
    [(c: typeof chalk) => c.bold.red('error:')],
    [(c: typeof chalk) => c.dim.italic.underline('a', 'b', 3)],
    [(c: typeof chalk) => c.green.bold(`${1} done`)],
    [(c: typeof chalk) => c.yellow('')],
  ])('styles like chalk at level 0 (%#)', (style) => {
    expect(style(plain)).toBe(style(chalk));
  });

  it('reports level 0 and is not a thenable', async () => {
    expect(plain.level).toBe(0);
    expect(await Promise.resolve(plain)).toBe(plain);
  });
});
