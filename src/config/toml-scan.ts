/**
 * A line-level lexical scan of TOML text: which physical lines stand at the
 * top level of the document (not inside a multi-line string or a multi-line
 * array), and for those, whether they are a table header, a key/value line,
 * a comment or blank. It never changes text; block surgery uses it to move
 * whole lines, so everything it does not touch stays byte for byte.
 *
 * The scan assumes the text is valid TOML (callers parse it with smol-toml
 * first); on invalid text it still terminates and returns a best effort.
 */

export type LineKind = 'blank' | 'comment' | 'header' | 'keyval' | 'continuation';

export interface ScannedLine {
  /** 0-based index of the line. */
  index: number;
  /** The line's text without its terminator (a trailing `\r` of CRLF is removed too). */
  text: string;
  /** The line's terminator as found: `\n`, `\r\n`, or `` for a last line without one. */
  eol: string;
  /** `continuation` when the line starts inside a multi-line string or array. */
  kind: LineKind;
  /** For `header`: the table path, e.g. `["mcp_servers", "x", "env"]`. */
  headerPath?: string[];
  /** For `header`: true for `[[array.of.tables]]`. */
  isArrayTable?: boolean;
  /** For `keyval`: the (dotted) key path before `=`. */
  keyPath?: string[];
}

interface LexState {
  /** Inside a multi-line basic (`"""`) or literal (`'''`) string. */
  mlString: '"""' | "'''" | null;
  /** Open `[` / `{` count outside strings. */
  depth: number;
}

/** Split text into lines keeping each terminator. A final empty segment is dropped. */
export function splitLines(text: string): { text: string; eol: string }[] {
  const out: { text: string; eol: string }[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      out.push({ text: text.slice(start), eol: '' });
      break;
    }
    const crlf = nl > start && text[nl - 1] === '\r';
    out.push({ text: text.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return out;
}

/**
 * Advance the lexical state over one line. Returns the new state.
 * Handles basic/literal strings (single- and multi-line), escapes in basic
 * strings, comments and bracket depth.
 */
function advance(line: string, state: LexState): LexState {
  let { mlString, depth } = state;
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (mlString) {
      const q = mlString[0]!;
      const ch = line[i]!;
      if (mlString === '"""' && ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === q && line.startsWith(mlString, i)) {
        // A run of 3 to 5 quotes closes the string; up to two belong to the content.
        let run = 3;
        while (run < 5 && line[i + run] === q) run++;
        i += run;
        mlString = null;
        continue;
      }
      i++;
      continue;
    }
    const ch = line[i]!;
    if (ch === '#') break;
    if (ch === '"' || ch === "'") {
      const triple = ch.repeat(3);
      if (line.startsWith(triple, i)) {
        mlString = triple as '"""' | "'''";
        i += 3;
        continue;
      }
      // Single-line string: find its end on this line.
      i++;
      while (i < n) {
        const c = line[i]!;
        if (ch === '"' && c === '\\') {
          i += 2;
          continue;
        }
        i++;
        if (c === ch) break;
      }
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if ((ch === ']' || ch === '}') && depth > 0) depth--;
    i++;
  }
  return { mlString, depth };
}

const BARE_KEY = /[A-Za-z0-9_-]+/y;

/**
 * Parse a dotted key starting at `pos` in `s`. Returns the segments and the
 * position after the key, or null when `s` does not start with a key there.
 */
export function parseDottedKey(s: string, pos: number): { path: string[]; end: number } | null {
  const path: string[] = [];
  let i = pos;
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    const ch = s[i];
    if (ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\') {
          const esc = s[j + 1];
          const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };
          if (esc !== undefined && esc in simple) {
            value += simple[esc];
            j += 2;
          } else if (esc === 'u' || esc === 'U' || esc === 'x') {
            const len = esc === 'u' ? 4 : esc === 'U' ? 8 : 2;
            const hex = s.slice(j + 2, j + 2 + len);
            if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) return null;
            value += String.fromCodePoint(parseInt(hex, 16));
            j += 2 + len;
          } else return null;
        } else {
          value += s[j];
          j++;
        }
      }
      if (s[j] !== '"') return null;
      path.push(value);
      i = j + 1;
    } else if (ch === "'") {
      const j = s.indexOf("'", i + 1);
      if (j === -1) return null;
      path.push(s.slice(i + 1, j));
      i = j + 1;
    } else {
      BARE_KEY.lastIndex = i;
      const m = BARE_KEY.exec(s);
      if (!m) return null;
      path.push(m[0]);
      i += m[0].length;
    }
    let k = i;
    while (s[k] === ' ' || s[k] === '\t') k++;
    if (s[k] === '.') {
      i = k + 1;
      continue;
    }
    return { path, end: i };
  }
}

/** Parse a table header line (`[a.b]` or `[[a.b]]`), or null if it is not one. */
export function parseHeader(text: string): { path: string[]; isArrayTable: boolean } | null {
  const trimmed = text.replace(/^[ \t]+/, '');
  if (!trimmed.startsWith('[')) return null;
  const isArrayTable = trimmed.startsWith('[[');
  const key = parseDottedKey(trimmed, isArrayTable ? 2 : 1);
  if (!key) return null;
  let i = key.end;
  while (trimmed[i] === ' ' || trimmed[i] === '\t') i++;
  const close = isArrayTable ? ']]' : ']';
  if (!trimmed.startsWith(close, i)) return null;
  i += close.length;
  const rest = trimmed.slice(i).trim();
  if (rest !== '' && !rest.startsWith('#')) return null;
  return { path: key.path, isArrayTable };
}

/** A line that can change the lexical state: it holds a quote or a bracket. */
const LEXICAL = /["'[\]{}]/;

/** Scan TOML text into classified lines (see {@link ScannedLine}). */
export function scanToml(text: string): ScannedLine[] {
  const raw = splitLines(text);
  const out: ScannedLine[] = new Array(raw.length);
  let state: LexState = { mlString: null, depth: 0 };
  for (let index = 0; index < raw.length; index++) {
    const { text: line, eol } = raw[index]!;
    if (state.mlString !== null || state.depth !== 0) {
      out[index] = { index, text: line, eol, kind: 'continuation' };
    } else {
      const t = line.trim();
      if (t === '') out[index] = { index, text: line, eol, kind: 'blank' };
      else if (t[0] === '#') out[index] = { index, text: line, eol, kind: 'comment' };
      else {
        const header = t[0] === '[' ? parseHeader(line) : null;
        if (header) out[index] = { index, text: line, eol, kind: 'header', headerPath: header.path, isArrayTable: header.isArrayTable };
        else {
          const key = parseDottedKey(line, 0);
          out[index] = key ? { index, text: line, eol, kind: 'keyval', keyPath: key.path } : { index, text: line, eol, kind: 'keyval' };
        }
      }
    }
    // Only quotes and brackets change the state (a comment or escape alone cannot).
    if (LEXICAL.test(line)) state = advance(line, state);
  }
  return out;
}

/** The dominant line terminator of a text: CRLF when its first line break is CRLF, else LF. */
export function detectEol(text: string): '\n' | '\r\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

