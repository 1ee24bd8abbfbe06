/**
 * The node:assert shim the CLI bundle gives yargs (scripts/bundle-shims/assert.cjs)
 * agrees with node:assert on what passes and what throws.
 */
import { describe, expect, it } from 'vitest';
import assert from 'node:assert';
import { createRequire } from 'node:module';

const shim = createRequire(import.meta.url)('../../scripts/bundle-shims/assert.cjs') as Pick<typeof assert, 'strictEqual' | 'notStrictEqual'>;
const outcome = (fn: () => void) => {
  try {
    fn();
    return 'passes';
  } catch (e) {
    return `${(e as Error).name} ${(e as { code?: string }).code}`;
  }
};

describe('the bundle\u2019s assert shim for yargs', () => {
  it('passes and throws where node:assert does', () => {
    const o = {};
    const pairs: [unknown, unknown][] = [[1, 1], [1, '1'], ['a', 'a'], [NaN, NaN], [0, -0], [o, o], [o, {}], [undefined, undefined], [undefined, null]];
    for (const [a, b] of pairs) {
      expect(outcome(() => shim.strictEqual(a, b)), `strictEqual(${String(a)}, ${String(b)})`).toBe(outcome(() => assert.strictEqual(a, b)));
      expect(outcome(() => shim.notStrictEqual(a, b)), `notStrictEqual(${String(a)}, ${String(b)})`).toBe(outcome(() => assert.notStrictEqual(a, b)));
    }
    expect(() => shim.notStrictEqual(undefined, undefined, 'frozen state missing')).toThrow('frozen state missing');
  });
});
