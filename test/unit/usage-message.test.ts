/**
 * Usage messages from yargs' own (src/cli/usage-message.ts). The yargs
 * messages here are the ones yargs 17 gives for these argv under strict()
 * and recommendCommands(); test/e2e/first-hour.test.ts runs the real CLI.
 */
import { describe, expect, it } from 'vitest';
import { booleanValueProblem, emptyValueProblem, repeatedValueProblem, usageMessage } from '../../src/cli/usage-message.js';
import { editDistance, nearestWord } from '../../src/core/suggest.js';

const vocabulary = { commands: ['migrate', 'turn', 'doctor'], flags: ['dry-run', 'json', 'verbose', 'hermes-config'] };

describe('usageMessage', () => {
  it('names the typed command a suggestion is for, the nearest word when a subcommand was mistyped', () => {
    expect(usageMessage('Did you mean migrate?', ['migrat'], vocabulary)).toBe('unknown command `migrat`. Did you mean migrate?');
    expect(usageMessage('Invalid values:\n  Argument: format, Given: "jsn", Choices: "human", "json", "junit"', ['doctor', '--format=jsn'], vocabulary)).toBe(
      '--format "jsn" is not one of human, json, junit (did you mean json?)',
    );
    expect(usageMessage('Invalid values:\n  Argument: approve, Given: "x", Choices: "ask", "never"', ['turn', '--approve', 'x'], vocabulary)).toBe('--approve "x" is not one of ask, never');
    expect(usageMessage('Not enough arguments following: resume', ['turn', '--resume'], vocabulary)).toBe('--resume needs a value');
    expect(usageMessage('Not enough non-option arguments: got 0, need at least 1', ['--json', 'profile', 'setup'], vocabulary)).toBe(
      '`profile setup` is missing an argument (see `hermes-codex profile setup --help`)',
    );
    expect(usageMessage('Did you mean setup?', ['--json', 'profile', 'setp'], vocabulary)).toBe('unknown command `setp`. Did you mean setup?');
  });

  it('tells flags from extra words, keeps only the names that were typed, and suggests the nearest flag', () => {
    // yargs lists an unknown flag as typed and camelCased.
    expect(usageMessage('Unknown arguments: dry-rn, dryRn', ['migrate', '--dry-rn'], vocabulary)).toBe('unknown option: --dry-rn (did you mean --dry-run?)');
    expect(usageMessage('Unknown arguments: bogus, dry-rn, dryRn', ['migrate', '--bogus=1', '--dry-rn'], vocabulary)).toBe('unknown options: --bogus, --dry-rn (did you mean --dry-run?)');
    expect(usageMessage('Unknown argument: verbse', ['doctor', '--no-verbse'], vocabulary)).toBe('unknown option: --no-verbse (did you mean --no-verbose?)');
    expect(usageMessage('Unknown argument: x', ['migrate', '-qx'], vocabulary)).toBe('unknown option: -x');
    expect(usageMessage('Unknown argument: extra', ['migrate', 'extra'], vocabulary)).toMatch(/^unexpected argument `extra` /);
    expect(usageMessage('Unknown argument: frobnicate', ['frobnicate'], vocabulary)).toBe('unknown command `frobnicate` (commands: migrate, turn, doctor)');
    expect(usageMessage('Unknown argument: doctr', ['doctr', '--json'], vocabulary)).toBe('unknown command `doctr` (did you mean doctor?)');
    expect(usageMessage('Unknown arguments: json2, extra', ['migrate', '--json2', 'extra'], vocabulary)).toBe(
      'unknown option: --json2 (did you mean --json?); unexpected argument `extra` (this command takes no more words; quote a value that has spaces)',
    );
  });

  it("names another command's flag as such, and suggests from the typed command's own flags", () => {
    const v = { ...vocabulary, flagsByCommand: { migrate: ['dry-run', 'json', 'hermes-python'], turn: ['timeout', 'json', 'smoke'], plugins: ['json', 'plugin-timeout'], profile: ['hermes-python', 'json'] }, globalFlags: ['help', 'color'] };
    expect(usageMessage('Unknown argument: timeout', ['plugins', '--timeout', '0'], v)).toBe('unknown option: --timeout (not an option of plugins; turn takes it)');
    expect(usageMessage('Unknown argument: dry-run, dryRun', ['turn', 'x', '--dry-run'], v)).toBe('unknown option: --dry-run (not an option of turn; migrate takes it)');
    expect(usageMessage('Unknown argument: smok', ['turn', '--smok'], v)).toBe('unknown option: --smok (did you mean --smoke?)');
    // Another subcommand's flag of the same command (`profile setup` has it, `profile list` not): never "did you mean" itself.
    expect(usageMessage('Unknown argument: hermes-python, hermesPython', ['profile', 'list', '--hermes-python', 'x'], v)).toBe('unknown option: --hermes-python');
  });

  it('leaves other messages, and names it cannot place, as yargs wrote them', () => {
    expect(usageMessage('Invalid values:\n  Argument: approve, Given: "x"', ['turn', '--approve', 'x'], vocabulary)).toBe('Invalid values:\n  Argument: approve, Given: "x"');
    expect(usageMessage('Implications failed:\n  a -> b', ['migrate'], vocabulary)).toBe('Implications failed:\n  a -> b');
    expect(usageMessage('Unknown argument: later', ['migrate', '--', 'later'], vocabulary)).toBe('Unknown argument: later');
  });
});

describe('booleanValueProblem', () => {
  const booleans = new Set(['dry-run', 'json', 'yes', 'y']);
  it('refuses a switch given a value other than true or false, naming the flag as typed', () => {
    expect(booleanValueProblem(['migrate', '--dry-run=yes'], booleans)).toEqual({
      message: '--dry-run is a switch and takes no value: "yes" is not understood (only =true and =false are)',
      remediation: 'Give `--dry-run` alone, or `--no-dry-run` to turn it off.',
    });
    expect(booleanValueProblem(['doctor', '-y=1'], booleans)?.remediation).toBe('Give `-y` alone.');
    expect(booleanValueProblem(['migrate', '--no-dry-run=0'], booleans)?.message).toMatch(/^--no-dry-run is a switch/);
    expect(booleanValueProblem(['migrate', '--json='], booleans)?.message).toMatch(/"" is not understood/);
  });

  it('lets =true, =false, values of other flags and anything after -- through', () => {
    for (const argv of [['--dry-run=true'], ['--dry-run=false'], ['--hermes-config=a=b'], ['--dry-run'], ['turn', '--', '--dry-run=yes']]) {
      expect(booleanValueProblem(argv, booleans), argv.join(' ')).toBeNull();
    }
  });
});

describe('emptyValueProblem', () => {
  const valued = new Set(['codex-home', 'hermes-config', 'timeout']);
  it('refuses an empty value given with = or as the next argument', () => {
    expect(emptyValueProblem(['migrate', '--codex-home='], valued)).toEqual({
      message: '--codex-home was given an empty value',
      remediation: 'Give --codex-home a value, or leave the flag out to use its default (a variable that is not set expands to nothing: check it).',
    });
    expect(emptyValueProblem(['migrate', '--json', '--hermes-config', '', '--dry-run'], valued)?.message).toBe('--hermes-config was given an empty value');
  });

  it('lets values, other flags, a flag at the end and anything after -- through', () => {
    for (const argv of [['--codex-home=/x'], ['--codex-home', '/x'], ['--json', ''], ['--codex-home'], ['turn', '--', '--timeout=']]) {
      expect(emptyValueProblem(argv, valued), JSON.stringify(argv)).toBeNull();
    }
  });
});

describe('repeatedValueProblem', () => {
  const single = new Set(['codex-home', 'permissions', 'timeout']);
  it('refuses a one-value flag given twice, and a value with its negation', () => {
    expect(repeatedValueProblem({ 'codex-home': ['/a', '/b'], codexHome: ['/a', '/b'] }, single)).toEqual({
      message: '--codex-home was given 2 times ("/a", "/b"); it takes one value',
      remediation: 'Give --codex-home once.',
    });
    expect(repeatedValueProblem({ timeout: [5, 10] }, single)?.message).toBe('--timeout was given 2 times ("5", "10"); it takes one value');
    expect(repeatedValueProblem({ permissions: [false, ':read-only'] }, single)?.message).toBe('--permissions and --no-permissions cannot be combined');
  });

  it('lets one value, the negation alone and array flags through', () => {
    expect(repeatedValueProblem({ 'codex-home': '/a', permissions: false, 'pass-env': ['A', 'B'] }, single)).toBeNull();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('migrat', 'migrate')).toBe(1);
    expect(editDistance('setp', 'setup')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('nearestWord: the nearest within the limit, the first of equals, none beyond it', () => {
    expect(nearestWord('migrat', ['turn', 'migrate', 'doctor'])).toBe('migrate');
    expect(nearestWord('ab', ['ax', 'ay'])).toBe('ax');
    expect(nearestWord('frobnicate', ['migrate', 'turn'])).toBeUndefined();
    expect(nearestWord('codex.versio', ['codex.version'], 3)).toBe('codex.version');
  });
});
