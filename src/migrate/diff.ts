/**
 * Unified diffs of config.toml with secret values redacted: string values of
 * `env` and `http_headers` (inline, dotted or as sub-tables) become `"***"`,
 * except the fixed switches migrate writes itself (`HERMES_TOOLS_FIXED_ENV`
 * with exactly those values), which are no secret and are shown.
 * The diff is computed on the real texts; only the printed lines are
 * redacted, so a changed secret still shows as a changed line.
 */
import { structuredPatch } from 'diff';
import { scanToml } from '../config/toml-scan.js';
import { HERMES_TOOLS_FIXED_ENV } from './hermes-tools.js';

const SECRET_TABLES = new Set(['env', 'http_headers']);
const STRING_AFTER_EQUALS = /(=\s*)("(?:[^"\\]|\\.)*"|'[^']*'|"""|''')/g;
/** A bare key just before `= <string>` (the last segment of a dotted key). */
const KEY_BEFORE = /([A-Za-z0-9_-]+)\s*$/;

/** A keyval's text with its secret string values as `"***"`, the fixed switches kept. */
function redactValues(text: string): string {
  return text.replace(STRING_AFTER_EQUALS, (whole, eq: string, value: string, offset: number) => {
    const key = KEY_BEFORE.exec(text.slice(0, offset))?.[1];
    const fixed = key !== undefined && Object.hasOwn(HERMES_TOOLS_FIXED_ENV, key) ? HERMES_TOOLS_FIXED_ENV[key] : undefined;
    return fixed !== undefined && value === JSON.stringify(fixed) ? whole : `${eq}"***"`;
  });
}

/** Each line of `text` (same count as scanToml), with secret values replaced. */
export function redactTomlLines(text: string): string[] {
  const lines = scanToml(text.replace(/^\uFEFF/, ''));
  let tablePath: string[] = [];
  let continuationIsSecret = false;
  return lines.map((l) => {
    if (l.kind === 'header') {
      tablePath = l.headerPath ?? [];
      continuationIsSecret = false;
      return l.text;
    }
    if (l.kind === 'continuation') return continuationIsSecret ? '***' : l.text;
    if (l.kind !== 'keyval') {
      continuationIsSecret = false;
      return l.text;
    }
    const inSecretTable = SECRET_TABLES.has(tablePath[tablePath.length - 1] ?? '');
    const key = l.keyPath ?? [];
    if (inSecretTable || key.some((k) => SECRET_TABLES.has(k))) {
      continuationIsSecret = true;
      return redactValues(l.text);
    }
    continuationIsSecret = false;
    return l.text;
  });
}

/**
 * A unified diff (`--- a/…`, `+++ b/…`, hunks with 3 lines of context).
 * @returns '' when the texts are equal
 */
export function unifiedDiff(oldText: string, newText: string, label: string, opts: { showSecrets?: boolean } = {}): string {
  if (oldText === newText) return '';
  const patch = structuredPatch(`a/${label}`, `b/${label}`, oldText, newText, '', '', { context: 3 });
  const oldLines = opts.showSecrets ? null : redactTomlLines(oldText);
  const newLines = opts.showSecrets ? null : redactTomlLines(newText);
  const out = [`--- ${patch.oldFileName}`, `+++ ${patch.newFileName}`];
  for (const h of patch.hunks) {
    // Like jsdiff's own formatPatch: an empty side starts one line earlier (`-0,0`).
    out.push(`@@ -${h.oldLines === 0 ? h.oldStart - 1 : h.oldStart},${h.oldLines} +${h.newLines === 0 ? h.newStart - 1 : h.newStart},${h.newLines} @@`);
    let o = h.oldStart - 1;
    let n = h.newStart - 1;
    for (const line of h.lines) {
      const sign = line[0];
      if (sign === '\\') {
        out.push(line);
        continue;
      }
      const raw = line.slice(1).replace(/\r$/, '');
      if (sign === ' ') {
        out.push(' ' + (oldLines?.[o] ?? raw));
        o++;
        n++;
      } else if (sign === '-') {
        out.push('-' + (oldLines?.[o] ?? raw));
        o++;
      } else {
        out.push('+' + (newLines?.[n] ?? raw));
        n++;
      }
    }
  }
  return out.join('\n') + '\n';
}
