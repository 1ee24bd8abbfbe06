// What yargs uses of node:assert (strictEqual and notStrictEqual, for its own internal checks), for
// the CLI bundle: node:assert itself costs about 1.8 ms to load on the project's machine, and the CLI
// needs it for nothing else. Same comparisons (Object.is, as assert's strict mode), same error name and code.
'use strict';
function fail(actual, expected, operator, message) {
  const err = new Error(message ?? `Expected values to be ${operator === 'strictEqual' ? 'strictly equal' : 'strictly unequal'}: ${String(actual)} ${operator === 'strictEqual' ? '!==' : '==='} ${String(expected)}`);
  err.name = 'AssertionError';
  err.code = 'ERR_ASSERTION';
  Object.assign(err, { actual, expected, operator });
  throw err;
}
exports.strictEqual = (actual, expected, message) => {
  if (!Object.is(actual, expected)) fail(actual, expected, 'strictEqual', message);
};
exports.notStrictEqual = (actual, expected, message) => {
  if (Object.is(actual, expected)) fail(actual, expected, 'notStrictEqual', message);
};
