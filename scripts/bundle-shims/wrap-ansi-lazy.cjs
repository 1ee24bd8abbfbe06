// wrap-ansi for cliui (yargs' help and usage layout), for the CLI bundle: loaded on the first
// call instead of when yargs loads. Requiring it builds ansi-styles' tables, about 2–4 ms of
// every yargs command's start-up (measured), while cliui calls it only to lay out help, usage
// and error text. The same function, with the same arguments and result.
'use strict';
let wrapAnsi;
module.exports = function wrap(text, columns, options) {
  wrapAnsi ??= require('wrap-ansi');
  return wrapAnsi(text, columns, options);
};
