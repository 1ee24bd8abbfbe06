/**
 * Parsing Codex's `config.toml` with smol-toml, turning syntax errors into
 * a {@link ConfigSyntaxError} with file, line and column.
 */
import { parse, TomlError } from 'smol-toml';
import { ConfigSyntaxError } from '../errors.js';

export type TomlTable = Record<string, unknown>;

/**
 * Parse TOML text (a leading BOM is allowed).
 * @throws ConfigSyntaxError with `file:line:col` when the text is not valid TOML.
 */
export function parseCodexToml(text: string, path: string, remediation?: string): TomlTable {
  try {
    return parse(text.replace(/^\uFEFF/, '')) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const detail = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
      // smol-toml counts the BOM we removed as nothing, so line/column already match the file.
      throw new ConfigSyntaxError(`${path}:${err.line}:${err.column}: TOML error: ${detail}`, {
        location: { file: path, line: err.line, column: err.column },
        remediation: remediation ?? 'Fix the TOML at that line; nothing was written.',
      });
    }
    throw err;
  }
}

/**
 * A canonical JSON text of a parsed TOML value (object keys sorted), used to
 * compare values and to fingerprint the entries hermes-codex writes.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return { $date: value.toISOString() };
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  return value;
}
