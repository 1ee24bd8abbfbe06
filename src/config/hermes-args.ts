/**
 * A stdio server's `args` given as one string, read as Hermes reads it
 * (NousResearch/hermes-agent, `tools/mcp_tool.py`, `_coerce_mcp_stdio_args`):
 * text that starts with `[` or `{` must decode to a list (JSON, else a Python
 * literal); any other text is split like a shell command line by Python's
 * `shlex.split` (POSIX rules, no comments); blank text is no arguments. YAML
 * leaves such strings behind when a list was saved as text
 * (`args: '["-y", "pkg"]'`) or written the legacy way (`args: -y pkg`).
 * Items of a list that are not text are passed as Python's `str()` spells
 * them ({@link pythonStr}). Pure.
 */

export type ArgsFromString =
  | { ok: true; args: string[]; read: 'json' | 'python' | 'shell' }
  | { ok: false; reason: string };

/**
 * The argv Hermes would start the server with, or why it cannot be read
 * exactly. A decoded list must hold strings only (Hermes would `str()` other
 * items, whose Python spelling this does not reproduce); Python literals are
 * read for lists of quoted strings.
 */
export function argsFromString(text: string): ArgsFromString {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, args: [], read: 'shell' };
  if (trimmed[0] === '[' || trimmed[0] === '{') {
    let parsed: unknown;
    let read: 'json' | 'python' = 'json';
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      const py = pythonStringList(trimmed);
      if (!py) return { ok: false, reason: 'it looks like a list but is neither JSON nor a Python list of quoted strings' };
      parsed = py;
      read = 'python';
    }
    if (!Array.isArray(parsed)) return { ok: false, reason: 'it decodes to something other than a list' };
    const bad = parsed.findIndex((item) => typeof item !== 'string');
    if (bad !== -1) return { ok: false, reason: `item ${bad} of the list it decodes to is not a string` };
    return { ok: true, args: parsed as string[], read };
  }
  const split = shlexSplit(text);
  return 'error' in split ? { ok: false, reason: `as a shell command line: ${split.error}` } : { ok: true, args: split.words, read: 'shell' };
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/**
 * Python's `shlex.split(text)` (posix mode, no comments): words split on
 * whitespace; `'…'` literal; `"…"` where a backslash escapes only `"` and
 * `\`; outside quotes a backslash escapes any character; quoted parts join
 * the word around them, and `''` is an empty word. Errors as Python words
 * them ("No closing quotation", "No escaped character").
 */
export function shlexSplit(text: string): { words: string[] } | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\') {
        if (i + 1 >= text.length) return { error: 'No escaped character' };
        const next = text[++i]!;
        word += next === '"' || next === '\\' ? next : `\\${next}`;
      } else word += c;
      continue;
    }
    if (WHITESPACE.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { error: 'No escaped character' };
      word += text[++i]!;
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { error: 'No closing quotation' };
  if (inWord) words.push(word);
  return { words };
}

/** A Python list literal of quoted strings (`['-y', "pkg"]`, a trailing comma allowed), or null for anything else. */
function pythonStringList(text: string): string[] | null {
  let i = 0;
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };
  const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '\n': '' };
  const str = (): string | null => {
    const q = text[i];
    if (q !== "'" && q !== '"') return null;
    let out = '';
    for (i++; i < text.length; i++) {
      const c = text[i]!;
      if (c === q) {
        i++;
        return out;
      }
      if (c === '\n') return null;
      if (c === '\\') {
        const e = ESCAPES[text[i + 1] ?? ''];
        if (e === undefined) return null; // \x, \u, \N{…}, octal: not read here
        out += e;
        i++;
      } else out += c;
    }
    return null;
  };
  skip();
  if (text[i] !== '[') return null;
  i++;
  const items: string[] = [];
  for (;;) {
    skip();
    if (text[i] === ']') break;
    const s = str();
    if (s === null) return null;
    items.push(s);
    skip();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === ']') break;
    return null;
  }
  i++;
  skip();
  return i === text.length ? items : null;
}

/** Python's `str()` of a YAML scalar that is not text: `True`/`False`, `None`, an int's digits, a float's `repr` (`source`: the scalar as typed, which tells a float `1.0` from an int `1`). */
export function pythonStr(v: unknown, source?: string): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    const float = !Number.isInteger(v) || (source !== undefined && /[.]|^[-+]?\.?(inf|nan)$/i.test(source.replace(/_/g, '')));
    return float ? pythonFloatRepr(v) : String(v);
  }
  return String(v);
}

/** Python's `repr(float)`: the shortest round-trip digits, fixed notation from 1e-4 up to 1e16, else `d.ddde±XX`; `inf`, `-inf`, `nan`. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  let out: string;
  if (e >= -4 && e < 16) {
    if (e < 0) out = `0.${'0'.repeat(-e - 1)}${digits}`;
    else {
      const int = digits.slice(0, e + 1).padEnd(e + 1, '0');
      const frac = digits.slice(e + 1);
      out = `${int}.${frac || '0'}`;
    }
  } else out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return negative ? `-${out}` : out;
}
