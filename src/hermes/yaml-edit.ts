/**
 * Setting one scalar in a YAML mapping (e.g. `model.openai_runtime`) while
 * keeping every other byte of the file: comments, key order, quoting,
 * indentation and line endings. Pure: text in, text out.
 *
 * The edit is made on the source text at the positions the `yaml` parser
 * reports: an existing scalar's range is replaced (keeping its quote style),
 * a missing key is inserted as a new line after the mapping's last entry
 * with its siblings' indentation, a missing parent mapping is appended at
 * the end. Shapes where a text edit cannot be made safely (flow mappings,
 * aliases, a non-mapping parent) fall back to the yaml document API.
 */
import { isAlias, isMap, isScalar, parseDocument, LineCounter, Scalar, type YAMLMap } from 'yaml';
import { ConfigShapeError, ConfigSyntaxError } from '../core/errors.js';

export interface YamlSetResult {
  text: string;
  /** The previous value, when the key existed. */
  previous: unknown;
  changed: boolean;
  /** `surgical` text edit, or `document` when the yaml document API had to re-render. */
  method: 'surgical' | 'document' | 'none';
}

function parse(text: string, file: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { version: '1.1', merge: true, lineCounter, keepSourceTokens: true });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    throw new ConfigSyntaxError(`${file}:${pos.line}:${pos.col}: YAML error: ${err.message.split('\n')[0]}`, {
      location: { file, line: pos.line, column: pos.col },
      remediation: 'Fix the YAML at that line; nothing was written.',
    });
  }
  return { doc, lineCounter };
}

function quoteLike(original: Scalar | null, value: string): string {
  const type = original?.type;
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  return /^[A-Za-z0-9_.-]+$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Set `parent.key` to a string value.
 * @param text the YAML file's text (a BOM is kept)
 * @throws ConfigSyntaxError for invalid YAML; ConfigShapeError when the top level is not a mapping
 */
export function setNestedScalar(text: string, file: string, parent: string, key: string, value: string): YamlSetResult {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const { doc } = parse(body, file);
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const root = doc.contents;
  if (root !== null && root !== undefined && !isMap(root)) {
    throw new ConfigShapeError(`${file}: the top level is not a mapping`, { location: { file, line: 1 }, remediation: "Check that this is Hermes' config.yaml; nothing was written." });
  }
  const parentPair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === parent) : undefined;
  const parentNode = parentPair?.value;

  // 1. The key exists as a plain scalar in a block mapping: replace its text.
  if (isMap(parentNode) && !parentNode.flow) {
    const pair = parentNode.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.value) && pair.value.range && !isAlias(pair.value)) {
      const previous = pair.value.value;
      if (previous === value) return { text, previous, changed: false, method: 'none' };
      if (pair.value.type === Scalar.BLOCK_FOLDED || pair.value.type === Scalar.BLOCK_LITERAL) return viaDocument();
      const [start, end] = pair.value.range;
      const out = body.slice(0, start) + quoteLike(pair.value, value) + body.slice(end);
      return { text: bom + out, previous, changed: true, method: 'surgical' };
    }
    if (pair && pair.value === null && isScalar(pair.key) && pair.key.range) {
      // `key:` with no value: write it after the colon.
      const colon = body.indexOf(':', pair.key.range[1]);
      if (colon !== -1) return { text: bom + body.slice(0, colon + 1) + ' ' + quoteLike(null, value) + body.slice(colon + 1), previous: null, changed: true, method: 'surgical' };
    }
    if (!pair && parentNode.items.length > 0) {
      // 2. Insert a line after the mapping's last entry, with the siblings' indentation.
      const first = parentNode.items[0]!;
      const last = parentNode.items[parentNode.items.length - 1]!;
      const keyStart = (first.key as { range?: [number, number, number] }).range?.[0];
      const lastEnd = ((last.value ?? last.key) as { range?: [number, number, number] }).range?.[1];
      if (keyStart !== undefined && lastEnd !== undefined) {
        const indent = keyStart - (body.lastIndexOf('\n', keyStart - 1) + 1);
        // After the last line with content: trailing comments and blank lines belong to what follows.
        let contentEnd = lastEnd;
        for (;;) {
          const lineStart = body.lastIndexOf('\n', contentEnd - 1) + 1;
          const line = body.slice(lineStart, contentEnd).trim();
          if (lineStart <= keyStart || (line !== '' && !line.startsWith('#'))) break;
          contentEnd = lineStart - 1;
        }
        let at = body.indexOf('\n', contentEnd);
        at = at === -1 ? body.length : at + 1;
        const prefix = at === body.length && !body.endsWith('\n') ? eol : '';
        const line = `${' '.repeat(indent)}${key}: ${quoteLike(null, value)}${eol}`;
        return { text: bom + body.slice(0, at) + prefix + line + body.slice(at), previous: undefined, changed: true, method: 'surgical' };
      }
    }
  }
  // An empty parent (`model:` with nothing after it): add the key on the next line.
  if (parentPair && isScalar(parentNode) && parentNode.value === null && isScalar(parentPair.key) && parentPair.key.range) {
    let at = body.indexOf('\n', parentPair.key.range[1]);
    at = at === -1 ? body.length : at + 1;
    const prefix = at === body.length && !body.endsWith('\n') ? eol : '';
    return { text: bom + body.slice(0, at) + prefix + `  ${key}: ${quoteLike(null, value)}${eol}` + body.slice(at), previous: undefined, changed: true, method: 'surgical' };
  }
  // A scalar parent (older Hermes configs wrote `model: <name>`): never guess a conversion.
  if (parentPair && (isScalar(parentNode) || isAlias(parentNode))) {
    const line = parentPair.key && isScalar(parentPair.key) && parentPair.key.range ? body.slice(0, parentPair.key.range[0]).split('\n').length : undefined;
    throw new ConfigShapeError(`${file}${line ? `:${line}` : ''}: ${parent} is a single value, not a mapping, so ${parent}.${key} cannot be set`, {
      location: { file, ...(line ? { line } : {}) },
      remediation: `Rewrite it as a mapping, e.g.\n  ${parent}:\n    default: <the value it has now>\n    ${key}: ${value}\nthen run again; nothing was written.`,
    });
  }
  // 3. No parent mapping at all: append one at the end of a block-style top level.
  if (parentPair === undefined && (root === null || root === undefined || (isMap(root) && !(root as YAMLMap).flow))) {
    const sep = body.length && !body.endsWith('\n') ? eol : '';
    return { text: bom + body + sep + `${parent}:${eol}  ${key}: ${quoteLike(null, value)}${eol}`, previous: undefined, changed: true, method: 'surgical' };
  }
  return viaDocument();

  function viaDocument(): YamlSetResult {
    const d = parse(body, file).doc;
    const previous = d.getIn([parent, key]);
    if (previous === value) return { text, previous, changed: false, method: 'none' };
    d.setIn([parent, key], value);
    return { text: bom + d.toString(), previous, changed: true, method: 'document' };
  }
}
