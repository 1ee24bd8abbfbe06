/**
 * A stdio server's `args` given as one string, read as Hermes reads it
 * (NousResearch/hermes-agent, `tools/mcp_tool.py`, `_coerce_mcp_stdio_args`):
 * text that starts with `[` or `{` must decode to a list (JSON, else a Python
 * literal); any other text is split like a shell command line by Python's
 * `shlex.split` (POSIX rules, no comments); blank text is no arguments. YAML
 * leaves such strings behind when a list was saved as text
 * (`args: '["-y", "pkg"]'`) or written the legacy way (`args: -y pkg`).
 * Pure.
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
