/**
 * Rendering of TOML keys and values for the managed block. Only the value
 * types the block needs: strings, floats, booleans, arrays of strings and
 * inline tables of strings. Output is TOML 1.0 (readable by Codex's Rust
 * `toml` crate, smol-toml and @iarna/toml alike).
 */

const BARE = /^[A-Za-z0-9_-]+$/;
/**
 * A code unit {@link formatString} may have to escape or refuse: backslash, quote, a control
 * character, or any surrogate (a code-unit regex, no `u`: a paired surrogate takes the careful
 * path too, which keeps it; only a lone one is refused there).
 */
const NEEDS_CARE = /[\\"\u0000-\u001f\u007f\ud800-\udfff]/;

/** True when the string can be encoded as UTF-8 without loss (no lone surrogate): ES2024's `String.prototype.isWellFormed`, native in Node 20. */
export function isWellFormedString(value: string): boolean {
  return value.isWellFormed();
}

/** True when `key` can be written bare (`[A-Za-z0-9_-]+`). */
export function isBareKey(key: string): boolean {
  return BARE.test(key);
}

/**
 * A TOML basic string literal for `value`: backslash, quote and every control
 * character (U+0000–U+001F, U+007F) escaped; other Unicode kept as is.
 * @throws RangeError on a lone UTF-16 surrogate, which UTF-8 cannot carry.
 */
export function formatString(value: string): string {
  // Most strings need nothing escaped: one regex test instead of a walk per character.
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  if (!isWellFormedString(value)) throw new RangeError('string contains a lone UTF-16 surrogate');
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\r':
        out += '\\r';
        break;
      default:
        out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0').toUpperCase()}` : ch;
    }
  }
  return out + '"';
}

/** A key, bare when possible, else a quoted basic string. */
export function formatKey(key: string): string {
  return isBareKey(key) ? key : formatString(key);
}

/** A dotted key path such as `mcp_servers."my.server"`. */
export function formatKeyPath(path: readonly string[]): string {
  return path.map(formatKey).join('.');
}

/** A TOML float (always with a fraction or exponent). @throws RangeError when not finite. */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const s = String(value);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** Values the managed block can hold. */
export type TomlValue = string | boolean | { float: number } | readonly string[] | Readonly<Record<string, string>>;

/**
 * `["a", "b"]`. An array none of whose strings needs care (the common case: the forwarded
 * `env_vars` names, plain `args`) is written after one test of its joined text; concatenation
 * cannot hide a code unit {@link NEEDS_CARE} matches, so the test is exact.
 */
function formatStrings(values: readonly string[]): string {
  if (values.length === 0) return '[]';
  if (!NEEDS_CARE.test(values.join(''))) return `["${values.join('", "')}"]`;
  return `[${values.map((v) => formatString(v)).join(', ')}]`;
}

/** Render one value (see {@link TomlValue}). */
export function formatValue(value: TomlValue): string {
  if (typeof value === 'string') return formatString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return formatStrings(value as readonly string[]);
  if (typeof value === 'object' && value !== null && 'float' in value && typeof value.float === 'number') {
    return formatFloat(value.float);
  }
  const entries = Object.entries(value as Record<string, string>);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${formatKey(k)} = ${formatString(v)}`).join(', ')} }`;
}
