/**
 * commandFirst: flags typed before the command word move after it, so yargs
 * reads them with the command's options (src/cli/argv-order.ts).
 */
import { describe, expect, it } from 'vitest';
import { commandFirst } from '../../src/cli/argv-order.js';

const valued = new Set(['codex-home', 'format', 'timeout']);

describe('commandFirst', () => {
  it.each([
    [['--json', 'doctor'], ['doctor', '--json']],
    [['--json', 'profile', 'setup', 'work'], ['profile', 'setup', 'work', '--json']],
    [['--codex-home', '/x', '--dry-run', 'migrate', '--no-plugins'], ['migrate', '--no-plugins', '--codex-home', '/x', '--dry-run']],
    [['--codex-home=/x', 'migrate'], ['migrate', '--codex-home=/x']],
    [['--no-color', '-h', 'turn', 'a prompt', '--', '--not-a-flag'], ['turn', 'a prompt', '--no-color', '-h', '--', '--not-a-flag']],
    // An undeclared flag moves as one word: after the command, strict parsing names it as unknown.
    [['--bogus', 'migrate'], ['migrate', '--bogus']],
    // A valued flag takes the next word even when it looks like a flag or a command.
    [['--timeout', '-5', 'turn'], ['turn', '--timeout', '-5']],
    [['--format', 'doctor', 'doctor'], ['doctor', '--format', 'doctor']],
  ])('%j → %j', (argv, want) => {
    expect(commandFirst(argv, valued)).toEqual(want);
  });

  it.each([[[]], [['migrate', '--json']], [['--json']], [['--version']], [['--codex-home', '/x']], [['--json', '--', 'doctor']]])('leaves %j as it is', (argv) => {
    expect(commandFirst(argv, valued)).toBe(argv);
  });
});
