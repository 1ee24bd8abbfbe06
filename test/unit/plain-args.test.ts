/**
 * The plain reading of a `migrate` line (src/cli/plain-args.ts) against
 * yargs on the same line: whenever the plain reading answers, yargs accepts
 * the line and hands the handler the same arguments; whenever the line
 * needs yargs' judgement (help, an unknown or repeated flag, a missing
 * value), the plain reading declines.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CommandModule } from 'yargs';
import { plainCommandArgs } from '../../src/cli/plain-args.js';
import { cliParser } from '../../src/cli/main.js';
import { migrateCommand, migrateOptions } from '../../src/cli/commands/migrate.js';
import { plainStyle, type Output } from '../../src/cli/output.js';

const output: Output = { out: () => undefined, err: () => undefined, color: plainStyle(), errColor: plainStyle() };

/** What yargs hands migrate's handler for `args`, or the error it refuses the line with. */
async function viaYargs(args: readonly string[]): Promise<{ args: Record<string, unknown> } | { error: Error }> {
  let seen: Record<string, unknown> | undefined;
  const migrate: CommandModule = { ...migrateCommand(output, () => undefined), handler: (a) => void (seen = { ...a }) };
  try {
    await cliParser(args, [migrate], { commands: ['migrate', 'completion'], flags: Object.keys(migrateOptions), flagsByCommand: { migrate: Object.keys(migrateOptions) }, globalFlags: ['help', 'version', 'color'] }).parseAsync();
  } catch (error) {
    return { error: error as Error };
  }
  if (!seen) return { error: new Error('the handler did not run') };
  return { args: seen };
}

const plain = (args: readonly string[]) => plainCommandArgs(args, 'migrate', migrateOptions, ['color'], 'hermes-codex');

const names = Object.keys(migrateOptions);
const values = ['x', '~/h', '~', '', '-x', '5', '0.5', '12', 'abc', '1e3', '0x10', '-1', '007', ':workspace', 'a=b'];
const token = fc.oneof(
  fc.constantFrom(...names).map((n) => `--${n}`),
  fc.constantFrom(...names).map((n) => `--no-${n}`),
  fc.tuple(fc.constantFrom(...names), fc.constantFrom(...values)).map(([n, v]) => `--${n}=${v}`),
  fc.constantFrom(...values),
  fc.constantFrom('--color', '--no-color', '--help', '-h', '--version', '-V', '--', 'extra', '--unknown', '--no-unknown', '--dry-run=true', '-x'),
);

describe('plainCommandArgs', () => {
  it('reads the bench line and a real run without yargs, as yargs does', async () => {
    for (const line of [
      ['migrate', '--hermes-config', 'h.yaml', '--codex-home', '/tmp/c', '--no-validate', '--no-plugins', '--hermes-python', '/usr/bin/python3', '--json'],
      ['migrate'],
      ['migrate', '--dry-run', '--profile', 'work', '--codex-home=~/c', '--plugin-timeout', '2.5', '--no-permissions'],
    ]) {
      const fast = plain(line);
      expect(fast).not.toBeNull();
      expect(await viaYargs(line)).toEqual({ args: fast });
    }
  });

  it('leaves to yargs what needs its judgement', () => {
    for (const line of [
      ['migrate', '--help'],
      ['migrate', '-h'],
      ['migrate', '--dry-run', '--dry-run'],
      ['migrate', '--codex-home'],
      ['migrate', '--codex-home', '--json'],
      ['migrate', '--codex-home='],
      ['migrate', '--plugin-timeout', 'soon'],
      ['migrate', '--frobnicate'],
      ['migrate', 'extra'],
      ['migrate', '--', 'x'],
      ['migrate', '--validate=false'],
      ['doctor'],
    ]) {
      expect(plain(line), line.join(' ')).toBeNull();
    }
  });

  it('answers only lines yargs accepts, with the arguments yargs gives the handler (generated lines)', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (tokens) => {
        const line = ['migrate', ...tokens];
        const fast = plain(line);
        if (fast === null) return;
        answered++;
        expect(await viaYargs(line)).toEqual({ args: fast });
      }),
      { numRuns: 400 },
    );
    // Not vacuous: a good share of the generated lines were plain.
    expect(answered).toBeGreaterThan(40);
  });
});
