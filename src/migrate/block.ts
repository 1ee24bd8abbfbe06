/**
 * Managed-block surgery on config.toml text. Pure: strings in, strings out.
 *
 * `dissect()` takes the current text apart: the lines outside the block
 * (kept byte for byte), the entries inside the block this tool owns (to be
 * regenerated), the foreign entries inside it (Codex's `codex mcp add` and
 * `codex plugin add` were seen writing there; they are moved out, unchanged),
 * and owned entries that escaped the block when another writer removed the
 * markers (recognised and taken back, never duplicated).
 * `assemble()` puts a freshly rendered block back in.
 */
import { BlockStructureError } from '../core/errors.js';
import { detectEol, scanToml, type ScannedLine } from '../config/toml-scan.js';
import { END_MARKER, START_MARKER } from './block-render.js';

/** What a TOML line or table belongs to, as far as ownership goes. */
export type EntryRef =
  | { kind: 'mcp_servers' | 'plugins'; name: string }
  | { kind: 'root'; name: string }
  | { kind: 'other'; name: string };

/** A stable string key for an entry. */
export function entryId(ref: EntryRef): string {
  return JSON.stringify([ref.kind, ref.name]);
}

/** Human label: `mcp_servers.x`, `plugins."a@b"`, `default_permissions`, `features`. */
export function entryLabel(ref: EntryRef): string {
  return ref.kind === 'root' || ref.kind === 'other' ? ref.name : `${ref.kind}.${ref.name}`;
}

/** The entry a header or dotted root key path belongs to. */
export function entryOfPath(path: readonly string[], isHeader: boolean): EntryRef {
  const [first, second] = path;
  if ((first === 'mcp_servers' || first === 'plugins') && second !== undefined) return { kind: first, name: second };
  if (!isHeader && path.length >= 1) return { kind: 'root', name: first! };
  return { kind: 'other', name: path.join('.') };
}

interface Line {
  text: string;
  eol: string;
}

/** A run of lines that belongs to one entry (a table with its body, or a root key with its continuation). */
interface Segment {
  ref: EntryRef;
  lines: ScannedLine[];
  /** First and last line index (inclusive) in the scanned document. */
  from: number;
  to: number;
}

export interface LocatedBlock {
  start: number;
  /** Inclusive; for a legacy block without end marker, its last line. */
  end: number;
  legacy: boolean;
}

/** Marker lines are compared after trimming surrounding white space (and CR). */
function isMarker(line: ScannedLine, marker: string): boolean {
  return line.kind === 'comment' && line.text.trim() === marker;
}

/** The data path of an entry (`["mcp_servers", "x"]`, `["default_permissions"]`). */
export function refPath(ref: EntryRef): string[] {
  return ref.kind === 'root' || ref.kind === 'other' ? [ref.name] : [ref.kind, ref.name];
}

/** The table in effect at line `at`: the last top-level header above it (`"[]"` after an array table's path). */
function scopeBefore(lines: readonly ScannedLine[], at: number): string[] {
  for (let i = at - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.kind === 'header') return l.isArrayTable ? [...l.headerPath!, '[]'] : [...l.headerPath!];
  }
  return [];
}

/**
 * Throw when the text holds more than one managed block (checked before
 * parsing, because two blocks usually also make the TOML invalid).
 * @returns the scan of the text (without a byte-order mark), for {@link DissectOptions.scanned}
 * @throws BlockStructureError
 */
export function assertSingleBlock(text: string, file: string): readonly ScannedLine[] {
  const lines = scanToml(text.replace(/^\uFEFF/, ''));
  locateBlock(lines, file);
  return lines;
}

/**
 * Find the managed block.
 * @throws BlockStructureError when the file holds more than one start marker.
 */
export function locateBlock(lines: readonly ScannedLine[], file: string): { block: LocatedBlock | null; orphanEnds: number[] } {
  const starts = lines.filter((l) => isMarker(l, START_MARKER)).map((l) => l.index);
  const ends = lines.filter((l) => isMarker(l, END_MARKER)).map((l) => l.index);
  if (starts.length > 1) {
    throw new BlockStructureError(
      `${file} holds ${starts.length} managed blocks (start markers at lines ${starts.map((s) => s + 1).join(', ')})`,
      {
        location: { file, line: starts[1]! + 1 },
        remediation: 'Delete all but one managed block by hand (each runs from the "# managed by hermes-agent" line to "# end hermes-agent managed section"), then run migrate again; nothing was written.',
      },
    );
  }
  const start = starts[0];
  if (start === undefined) return { block: null, orphanEnds: ends };
  const end = ends.find((e) => e > start);
  const orphanEnds = ends.filter((e) => e !== end);
  if (end !== undefined) return { block: { start, end, legacy: false }, orphanEnds };
  return { block: { start, end: legacyEnd(lines, start), legacy: true }, orphanEnds };
}

/**
 * A start marker without an end marker (older Hermes versions): the block
 * runs through root keys and `[mcp_servers.*]`, `[plugins.*]`, `[permissions*]`
 * tables and ends before the next unrelated table (and the comments directly
 * above it), or at the end of the file.
 */
function legacyEnd(lines: readonly ScannedLine[], start: number): number {
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.kind !== 'header') continue;
    const first = l.headerPath![0];
    if (first === 'mcp_servers' || first === 'plugins' || first === 'permissions') continue;
    let end = i - 1;
    while (end > start && lines[end]!.kind === 'comment') end--;
    return end;
  }
  return lines.length - 1;
}

/**
 * Split lines [from, to] into segments: root items (a key line with its
 * continuation lines) and tables (a header with its body). Comment lines
 * directly above a header travel with that table; other comments and blank
 * lines before the first segment are returned as `loose`.
 */
function segment(lines: readonly ScannedLine[], from: number, to: number): { segments: Segment[]; loose: ScannedLine[] } {
  const segments: Segment[] = [];
  const loose: ScannedLine[] = [];
  let current: Segment | null = null;
  let pendingComments: ScannedLine[] = [];
  for (let i = from; i <= to; i++) {
    const l = lines[i]!;
    if (l.kind === 'header') {
      // Comments directly above a header belong to it.
      if (current && current.ref.kind !== 'root') {
        let k = current.lines.length;
        while (k > 0 && current.lines[k - 1]!.kind === 'comment') k--;
        const moved = current.lines.splice(k);
        current.to -= moved.length;
        pendingComments = moved;
      }
      if (current) segments.push(current);
      current = { ref: entryOfPath(l.headerPath!, true), lines: [...pendingComments, l], from: pendingComments[0]?.index ?? i, to: i };
      pendingComments = [];
      continue;
    }
    if (current && current.ref.kind !== 'root') {
      current.lines.push(l);
      current.to = i;
      continue;
    }
    // Root part (before any header).
    if (l.kind === 'keyval') {
      if (current) segments.push(current);
      current = { ref: entryOfPath(l.keyPath ?? [l.text.split('=')[0]!.trim()], false), lines: [...pendingComments, l], from: pendingComments[0]?.index ?? i, to: i };
      pendingComments = [];
    } else if (l.kind === 'continuation' && current) {
      current.lines.push(l);
      current.to = i;
    } else if (l.kind === 'comment') {
      if (current) segments.push(current);
      current = null;
      pendingComments.push(l);
    } else {
      if (current) segments.push(current);
      current = null;
      loose.push(...pendingComments, l);
      pendingComments = [];
    }
  }
  if (current) segments.push(current);
  loose.push(...pendingComments);
  return { segments, loose };
}

export interface DissectOptions {
  /** Path of config.toml, for messages. */
  file: string;
  /** An entry inside the block that this tool owns (it will be regenerated). */
  ownedInBlock(ref: EntryRef): boolean;
  /**
   * An entry to take into the block from wherever it stands (inside the
   * markers or outside them): a table this tool wrote that escaped the block,
   * or a table another writer added that the block now manages.
   */
  absorb(ref: EntryRef): boolean;
  /** An owned entry inside the block to keep verbatim (its source was not consulted this run). */
  keepInBlock?(ref: EntryRef): boolean;
  /**
   * For an owned `[mcp_servers.*]` entry: the keys another writer (Codex's
   * config writer) changed or added, whose lines are carried into the new
   * block as found: key lines of the table itself and whole sub-tables
   * (`[mcp_servers.x.tools.t]`) under those keys.
   */
  carry?(ref: EntryRef): ReadonlySet<string> | undefined;
  /** The scan of the same text (without its byte-order mark), when the caller has one (from {@link assertSingleBlock}); dissect never changes it. */
  scanned?: readonly ScannedLine[];
}

export interface Dissection {
  bom: string;
  eol: '\n' | '\r\n';
  /** Outside lines, in order, with foreign content from the block already placed. */
  outside: Line[];
  /** Index in `outside` where the new block goes. */
  blockAt: number;
  /** Whether blank lines are needed around a freshly inserted block. */
  fresh: boolean;
  /** The block existed (markers found). */
  hadBlock: boolean;
  /** It had a start marker but no end marker. */
  legacy: boolean;
  /** Foreign entries found inside the block and moved out, unchanged. */
  movedOut: EntryRef[];
  /** Entries taken into the block from outside it or from among the foreign tables inside it. */
  absorbed: EntryRef[];
  /** Lines of owned entries kept verbatim inside the block (see DissectOptions.keepInBlock). */
  kept: string[];
  /** The entries those lines belong to. */
  keptRefs: EntryRef[];
  /** Owned entries removed from inside the old block. */
  replaced: EntryRef[];
  /**
   * The data paths those entries occupied in the old document. Equal to the
   * entry's own path, except for root keys of a block that sat after a table:
   * TOML scoped them under that table (`["features", "default_permissions"]`);
   * `"[]"` stands for the last element of an array of tables.
   */
  replacedPaths: string[][];
  /** Line numbers (1-based) of end markers without a start, dropped. */
  orphanEndLines: number[];
  /** The file's last line had no terminator and got one because the block now follows it. */
  addedFinalEol: boolean;
  /** Per owned entry id: the lines carried over as found (see DissectOptions.carry), key lines before sub-tables. */
  carried: Map<string, { keyLines: string[]; tables: string[] }>;
}

/**
 * Take config.toml text apart around the managed block (see module doc), in
 * four steps: refuse key lines stranded after the end marker, sort the
 * block's own entries, take in entries from outside it, and place the
 * block among the remaining lines.
 * @throws BlockStructureError for two managed blocks, or key lines right after the end marker
 */
export function dissect(text: string, opts: DissectOptions): Dissection {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const eol = detectEol(body);
  const lines = opts.scanned ?? scanToml(body);
  const { block, orphanEnds } = locateBlock(lines, opts.file);
  if (block && !block.legacy) refuseKeysAfterEnd(lines, block, opts.file);

  const drop = new Set<number>(orphanEnds);
  const found = new EntryLists();
  const foreign = block ? sortBlockEntries(lines, block, opts, found) : { root: [], tables: [] };
  if (block) for (let i = block.start; i <= block.end; i++) drop.add(i);
  absorbFromOutside(lines, block, opts, found, drop);
  const placed = placeBlock(lines, block, drop, foreign, eol);

  return {
    bom,
    eol,
    outside: placed.outside,
    blockAt: placed.blockAt,
    fresh: placed.fresh,
    hadBlock: block !== null,
    legacy: block?.legacy ?? false,
    movedOut: found.movedOut,
    absorbed: found.absorbed,
    kept: found.kept,
    keptRefs: found.keptRefs,
    replaced: found.replaced,
    replacedPaths: found.replacedPaths,
    orphanEndLines: orphanEnds.map((i) => i + 1),
    carried: found.carried,
    addedFinalEol: placed.addedFinalEol,
  };
}

/**
 * Key lines right after the end marker, before any header, belong (in TOML) to whatever table
 * the block ends in, or to the scope before it: regenerating or moving the block would change
 * what they mean, so refuse and say so.
 * @throws BlockStructureError naming the line
 */
function refuseKeysAfterEnd(lines: readonly ScannedLine[], block: LocatedBlock, file: string): void {
  const next = lines.slice(block.end + 1).find((l) => l.kind !== 'blank' && l.kind !== 'comment');
  if (!next || (next.kind !== 'keyval' && next.kind !== 'continuation')) return;
  const key = next.keyPath?.join('.') ?? next.text.trim().slice(0, 40);
  throw new BlockStructureError(
    `${file}:${next.index + 1}: \`${key}\` follows the managed block's end marker with no [table] header before it, so TOML files it under the block's last table, not at the top level`,
    {
      location: { file, line: next.index + 1 },
      remediation: 'Move that line above the managed block (for a top-level setting) or under a [table] header of its own, then run again; nothing was written.',
    },
  );
}

/** The entry lists a dissection collects, each entry once per list. */
class EntryLists {
  readonly replaced: EntryRef[] = [];
  readonly replacedPaths: string[][] = [];
  readonly movedOut: EntryRef[] = [];
  readonly absorbed: EntryRef[] = [];
  readonly kept: string[] = [];
  readonly keptRefs: EntryRef[] = [];
  readonly carried = new Map<string, { keyLines: string[]; tables: string[] }>();
  private readonly seen = new Map<EntryRef[], Set<string>>();

  /** Add `ref` to `list` unless it is there already; true when added. */
  once(list: EntryRef[], ref: EntryRef): boolean {
    const ids = this.seen.get(list) ?? new Set<string>();
    this.seen.set(list, ids);
    const id = entryId(ref);
    if (ids.has(id)) return false;
    ids.add(id);
    list.push(ref);
    return true;
  }
}

/**
 * Sort the entries inside the block: owned ones are replaced (their carried
 * keys collected), kept ones stay verbatim, absorbed ones are taken in, and
 * foreign ones move out unchanged.
 * @returns the foreign lines that move out: root keys and tables
 */
function sortBlockEntries(lines: readonly ScannedLine[], block: LocatedBlock, opts: DissectOptions, found: EntryLists): { root: ScannedLine[]; tables: ScannedLine[] } {
  const foreign: { root: ScannedLine[]; tables: ScannedLine[] } = { root: [], tables: [] };
  const { segments } = segment(lines, block.start + 1, block.legacy ? block.end : block.end - 1);
  const scope = scopeBefore(lines, block.start);
  for (const seg of segments) {
    if (opts.ownedInBlock(seg.ref)) {
      if (found.once(found.replaced, seg.ref)) {
        found.replacedPaths.push(seg.ref.kind === 'root' ? [...scope, seg.ref.name] : refPath(seg.ref));
      }
      const keys = seg.ref.kind === 'mcp_servers' ? opts.carry?.(seg.ref) : undefined;
      if (keys?.size) collectCarried(seg, keys, found.carried);
      continue;
    }
    if (opts.keepInBlock?.(seg.ref)) {
      found.once(found.keptRefs, seg.ref);
      for (const l of seg.lines) found.kept.push(l.text);
      continue;
    }
    if (opts.absorb(seg.ref)) {
      found.once(found.absorbed, seg.ref);
      continue;
    }
    found.once(found.movedOut, seg.ref);
    if (seg.ref.kind === 'root') foreign.root = foreign.root.concat(seg.lines);
    else foreign.tables = foreign.tables.concat(seg.lines);
  }
  return foreign;
}

/** Entries to take into the block from outside it: whole segments, dropped from where they stand. */
function absorbFromOutside(lines: readonly ScannedLine[], block: LocatedBlock | null, opts: DissectOptions, found: EntryLists, drop: Set<number>): void {
  const outsideRanges: [number, number][] = block
    ? [
        [0, block.start - 1],
        [block.end + 1, lines.length - 1],
      ]
    : [[0, lines.length - 1]];
  for (const [from, to] of outsideRanges) {
    if (from > to) continue;
    for (const seg of segment(lines, from, to).segments) {
      if (seg.ref.kind === 'other' || !opts.absorb(seg.ref)) continue;
      // The header/key line and its body; comments directly above it stay (they are the user's).
      const firstReal = seg.lines.findIndex((x) => x.kind !== 'comment');
      for (const l of seg.lines.slice(firstReal)) drop.add(l.index);
      found.once(found.absorbed, seg.ref);
    }
  }
}

/**
 * The lines left outside the block, with the foreign content from the old
 * block put back, and where the new block goes: in place when the old block
 * sat before any table, else before the first table (foreign content stays
 * where the old block was, in the same scope).
 */
function placeBlock(
  lines: readonly ScannedLine[],
  block: LocatedBlock | null,
  drop: ReadonlySet<number>,
  foreign: { root: ScannedLine[]; tables: ScannedLine[] },
  eol: '\n' | '\r\n',
): { outside: Line[]; blockAt: number; fresh: boolean; addedFinalEol: boolean } {
  const outside: Line[] = [];
  let oldBlockAt = -1;
  for (const l of lines) {
    if (block && l.index === block.start) oldBlockAt = outside.length;
    if (drop.has(l.index)) continue;
    outside.push({ text: l.text, eol: l.eol });
  }

  const firstHeaderAt = (upTo: number): number => {
    // Index in `outside` of the first top-level header, moved up over comments directly above it.
    const rescanned = scanToml(outside.map((l) => l.text + (l.eol || eol)).join(''));
    for (let i = 0; i < Math.min(upTo, rescanned.length); i++) {
      if (rescanned[i]!.kind === 'header') {
        let k = i;
        while (k > 0 && rescanned[k - 1]!.kind === 'comment') k--;
        return k;
      }
    }
    return -1;
  };

  let blockAt: number;
  let fresh: boolean;
  if (block && oldBlockAt !== -1 && firstHeaderAt(oldBlockAt) === -1) {
    // The old block sits before any table: replace it in place.
    const rootLines = foreign.root.map((l) => ({ text: l.text, eol: l.eol || eol }));
    const tableLines = foreign.tables.map((l) => ({ text: l.text, eol: l.eol || eol }));
    if (oldBlockAt > 0 && (rootLines.length > 0 || tableLines.length > 0)) outside[oldBlockAt - 1]!.eol ||= eol;
    outside.splice(oldBlockAt, 0, ...rootLines, ...tableLines);
    blockAt = oldBlockAt + rootLines.length;
    fresh = false;
  } else {
    if (block && oldBlockAt !== -1) {
      // The old block sat after a table: its foreign content stays where it was (same scope).
      const moved = [...foreign.root, ...foreign.tables].map((l) => ({ text: l.text, eol: l.eol || eol }));
      if (oldBlockAt > 0 && moved.length > 0) outside[oldBlockAt - 1]!.eol ||= eol;
      outside.splice(oldBlockAt, 0, ...moved);
    }
    const at = firstHeaderAt(outside.length);
    blockAt = at === -1 ? outside.length : at;
    fresh = true;
  }
  // A last line without a terminator gets one if the block now follows it.
  let addedFinalEol = false;
  const last = outside[outside.length - 1];
  if (blockAt === outside.length && last && last.eol === '') {
    last.eol = eol;
    addedFinalEol = true;
  }
  return { outside, blockAt, fresh, addedFinalEol };
}

/** Add a table segment's lines for the carried keys to `into` (see DissectOptions.carry). */
function collectCarried(seg: Segment, keys: ReadonlySet<string>, into: Map<string, { keyLines: string[]; tables: string[] }>): void {
  const id = entryId(seg.ref);
  const slot = into.get(id) ?? { keyLines: [], tables: [] };
  into.set(id, slot);
  const header = seg.lines.find((l) => l.kind === 'header');
  const sub = header?.headerPath?.[2];
  if (sub !== undefined) {
    if (keys.has(sub)) slot.tables.push(...seg.lines.map((l) => l.text));
    return;
  }
  let taking = false;
  for (const l of seg.lines) {
    if (l.kind === 'keyval') taking = keys.has(l.keyPath?.[0] ?? '');
    else if (l.kind !== 'continuation') taking = false;
    if (taking) slot.keyLines.push(l.text);
  }
}

/**
 * Server names that the text outside the block only extends with sub-tables
 * (`[mcp_servers.x.tools.t]`, as Codex writes per-tool approvals) without
 * declaring the server itself (`[mcp_servers.x]`, or any other sub-table
 * such as `[mcp_servers.x.env]`): such a server is still the block's to write.
 */
export function serversOnlyExtendedOutside(d: Dissection): Set<string> {
  const declared = new Set<string>();
  const extended = new Set<string>();
  for (const l of scanToml(outsideText(d).replace(/^\uFEFF/, ''))) {
    if (l.kind !== 'header' || l.headerPath![0] !== 'mcp_servers' || l.headerPath!.length < 2) continue;
    // Only `tools` sub-tables extend a server without declaring it (the block never writes `tools`).
    (l.headerPath!.length > 2 && l.headerPath![2] === 'tools' ? extended : declared).add(l.headerPath![1]!);
  }
  for (const n of declared) extended.delete(n);
  return extended;
}

/**
 * The text without the tables under `[mcp_servers.<name>.…]` (sub-tables
 * only; for a server whose own table is gone, so codex would refuse them).
 * @returns the text and the header paths removed
 */
export function dropServerSubTables(text: string, name: string): { text: string; removed: string[][] } {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = scanToml(bom ? text.slice(1) : text);
  const drop = new Set<number>();
  const removed: string[][] = [];
  for (const seg of segment(lines, 0, lines.length - 1).segments) {
    const header = seg.lines.find((l) => l.kind === 'header');
    const p = header?.headerPath;
    if (!p || p[0] !== 'mcp_servers' || p[1] !== name || p.length < 3) continue;
    removed.push(p);
    for (const l of seg.lines) drop.add(l.index);
  }
  return { text: bom + lines.filter((l) => !drop.has(l.index)).map((l) => l.text + l.eol).join(''), removed };
}

/**
 * The table paths of the headers inside the managed block (empty without a
 * block), e.g. `["mcp_servers", "x", "env"]`.
 * @throws BlockStructureError for two managed blocks
 */
export function headersInBlock(text: string, file: string): string[][] {
  const lines = scanToml(text.replace(/^\uFEFF/, ''));
  const { block } = locateBlock(lines, file);
  if (!block) return [];
  return lines.filter((l) => l.kind === 'header' && l.index > block.start && l.index <= block.end).map((l) => l.headerPath!);
}

/**
 * Whether a text has a managed block (a start marker line, as
 * {@link locateBlock} finds it).
 * @param scanned the text's scan, when the caller has one
 */
export function hasBlock(text: string, scanned?: readonly ScannedLine[]): boolean {
  const lines = scanned ?? scanToml(text.replace(/^\uFEFF/, ''));
  return lines.some((l) => isMarker(l, START_MARKER));
}

/**
 * Repair what Hermes migrations leave behind (NousResearch/hermes-agent
 * #26089, #26250): an `[mcp_servers.X]` or `[plugins."k"]` table both inside
 * the managed block and outside it, or a root key such as `default_permissions`
 * set in both (Hermes' own migration writes its block without looking at the
 * rest of the file), which TOML (and so codex) refuses. When the text does not
 * parse and taking the block's copies out makes it parse, those copies go
 * (the user's copy outside stays). Root keys count only for a block that
 * stands before every table (after one, its keys belong to that table).
 * @param parses whether a text parses (the caller's TOML parser)
 * @returns the repaired text and the entries whose managed copy went, or null when there is nothing to repair this way
 * @throws BlockStructureError for two managed blocks
 */
export function repairDuplicateTables(text: string, file: string, parses: (text: string) => boolean): { text: string; removed: EntryRef[] } | null {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = scanToml(bom ? text.slice(1) : text);
  const { block } = locateBlock(lines, file);
  if (!block) return null;
  const inside = (i: number) => i >= block.start && i <= block.end;
  const outsideIds = new Set<string>();
  for (const l of lines) {
    if (l.kind !== 'header' || inside(l.index)) continue;
    const ref = entryOfPath(l.headerPath!, true);
    if (ref.kind === 'mcp_servers' || ref.kind === 'plugins') outsideIds.add(entryId(ref));
  }
  // Root keys outside the block: before it, and after it up to the first table (single keys, not dotted ones).
  if (!lines.some((l) => l.kind === 'header' && l.index < block.start)) {
    for (const l of lines) {
      if (inside(l.index)) continue;
      if (l.kind === 'header') {
        if (l.index > block.end) break;
        continue;
      }
      if (l.kind === 'keyval' && l.keyPath?.length === 1) outsideIds.add(entryId({ kind: 'root', name: l.keyPath[0]! }));
    }
  }
  const drop = new Set<number>();
  const removed: EntryRef[] = [];
  const { segments } = segment(lines, block.start + 1, block.legacy ? block.end : block.end - 1);
  for (const seg of segments) {
    if (seg.ref.kind !== 'mcp_servers' && seg.ref.kind !== 'plugins' && seg.ref.kind !== 'root') continue;
    if (!outsideIds.has(entryId(seg.ref))) continue;
    for (const l of seg.lines) if (l.kind !== 'comment') drop.add(l.index);
    if (!removed.some((r) => entryId(r) === entryId(seg.ref))) removed.push(seg.ref);
  }
  if (removed.length === 0) return null;
  const repaired = bom + lines.filter((l) => !drop.has(l.index)).map((l) => l.text + l.eol).join('');
  return parses(repaired) ? { text: repaired, removed } : null;
}

/** The outside text alone (no block), as TOML to parse for the user's own settings. */
export function outsideText(d: Dissection): string {
  return d.bom + d.outside.map((l) => l.text + l.eol).join('');
}

/** The blank lines a fresh insertion adds around the block (none when the block is replaced in place). */
export function freshPadding(d: Dissection): { before: boolean; after: boolean; finalEol?: true } {
  const before = d.outside.slice(0, d.blockAt);
  const after = d.outside.slice(d.blockAt);
  return {
    before: d.fresh && before.length > 0 && before[before.length - 1]!.text.trim() !== '',
    after: d.fresh && after.length > 0 && after[0]!.text.trim() !== '',
    ...(d.fresh && d.addedFinalEol ? { finalEol: true as const } : {}),
  };
}

/** Put the rendered block lines (no terminators) into the dissected text. */
export function assemble(d: Dissection, blockLines: readonly string[]): string {
  const before = d.outside.slice(0, d.blockAt);
  const after = d.outside.slice(d.blockAt);
  const pad = freshPadding(d);
  const out: string[] = [d.bom];
  for (const l of before) out.push(l.text + l.eol);
  if (pad.before) out.push(d.eol);
  for (const l of blockLines) out.push(l + d.eol);
  if (pad.after) out.push(d.eol);
  for (const l of after) out.push(l.text + l.eol);
  return out.join('');
}

/**
 * The text with the managed block (markers included) removed, as found;
 * used to check that everything outside the block is unchanged.
 */
export function stripBlock(text: string, file: string): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = scanToml(bom ? text.slice(1) : text);
  const { block } = locateBlock(lines, file);
  if (!block) return text;
  return bom + lines.filter((l) => l.index < block.start || l.index > block.end).map((l) => l.text + l.eol).join('');
}
