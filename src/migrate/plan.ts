/**
 * The migration plan: from the Hermes config, the current config.toml text
 * and the ownership record to the new text and everything the report says
 * about it. Pure and deterministic (the clock is an input), so it is tested
 * in memory; reading, validating with codex and writing happen in
 * `migrate.ts`.
 */
import { ConfigShapeError, ValidationRefusedError } from '../core/errors.js';
import { canonicalJson, parseCodexToml, type TomlTable } from '../config/codex-toml.js';
import { isRecord, type HermesConfig } from '../config/hermes-config.js';
import { assemble, assertSingleBlock, dissect, serversOnlyExtendedOutside, entryId, entryLabel, freshPadding, hasBlock, headersInBlock, outsideText, refPath, repairDuplicateTables, type Dissection, type EntryRef } from './block.js';
import type { ScannedLine } from '../config/toml-scan.js';
import { Ownership } from './ownership.js';
import { MAX_CONFIG_BYTES } from '../fs/read-text.js';
import * as path from 'node:path';
import { codexCommandLine } from '../core/hints.js';
import { renderBlockLines } from './block-render.js';
import { buildHermesToolsEntry, HERMES_TOOLS_NAME, type ResolvedPython } from './hermes-tools.js';
import { Fingerprints, buildState, entryValue, type OwnershipState } from './state.js';
import { hermesMcpSwitches, translateServers } from './translate.js';
import { hermesToolCallTimeout } from '../config/hermes-behaviour.js';
import type { CodexServerEntry, MigrationWarning, ServerTranslation } from './types.js';
import type { PluginRow } from '../plugins/decide.js';
import { traced } from '../core/trace.js';

export const DEFAULT_PERMISSIONS_PROFILE = ':workspace';

export interface PlanInput {
  hermes: HermesConfig;
  /** Path of config.toml (for messages and the state record). */
  configPath: string;
  /** Current config.toml text, or null when the file does not exist. */
  existingText: string | null;
  /** The ownership record of the last run, or null. */
  state: OwnershipState | null;
  /** The hermes-tools entry to write, or null for `--no-hermes-tools`. */
  hermesTools: { python: ResolvedPython; literalHermesHome?: string } | null;
  /** `default_permissions` profile to write, or null for `--no-permissions`. */
  permissions: string | null;
  /**
   * Plugin discovery: its rows, or why there are none. Without discovery
   * (skipped or failed) every plugin table stays exactly as it was.
   * Default: skipped.
   */
  plugins?: PluginInput;
  now: Date;
  /** The home directory Hermes' `~` and `${userHome}` stand for (the user's, as Hermes expands them); without it they are not expanded. */
  homeDir?: string;
}

export type PluginInput =
  | { status: 'discovered'; rows: readonly PluginRow[] }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string };

export interface PluginsOutcome {
  status: 'discovered' | 'skipped' | 'failed';
  /** Keys written into the block. */
  migrated: string[];
  skipped: { id: string; reason: string }[];
  /** `[plugins.*]` tables another writer added (e.g. `codex plugin add`) that now live in the block. */
  consolidated: string[];
  /** Why discovery failed. */
  error?: string;
  /** Why discovery was skipped. */
  reason?: string;
}

export interface PermissionsOutcome {
  written: boolean;
  profile: string | null;
  reason?: string;
}

export interface HermesToolsOutcome {
  written: boolean;
  command?: string;
  pythonSource?: string;
  reason?: string;
}

/** What a migration did, as both the plan and the report state it. */
export interface MigrationOutcome {
  /**
   * Hermes' servers: written into the block, failed (with why), or not
   * written because config.toml declares the same name outside the block
   * (`userDeclared`: the user's table wins).
   */
  servers: { migrated: string[]; failed: { name: string; reason: string }[]; userDeclared: string[] };
  warnings: MigrationWarning[];
  /** Foreign tables found inside the block (e.g. written by `codex mcp add`), moved out unchanged. */
  preservedUserTables: string[];
  /** Tables this tool wrote that another writer left outside the block, taken back into it. */
  recoveredTables: string[];
  permissions: PermissionsOutcome;
  hermesTools: HermesToolsOutcome;
  plugins: PluginsOutcome;
  block: { existed: boolean; legacy: boolean; orphanEndMarkerLines: number[] };
  /**
   * Entries found inside the block that are kept as the user's (moved out
   * of it, unchanged), with why; `removeWith` is set when hermes-codex could
   * not tell whose it is, naming the command that removes it.
   */
  keptFromBlock: { entry: string; reason: string; removeWith?: string }[];
  /** Managed server tables where Codex's own edits (keys or sub-tables) were kept, with those keys. */
  keptCodexEdits: { entry: string; keys: string[] }[];
  /**
   * Damage an older Hermes migration left, repaired: the managed copy of a
   * table that also stands outside the block (which codex refuses) went;
   * the user's copy stays.
   */
  repaired: { entry: string; action: string }[];
}

export interface MigrationPlan extends MigrationOutcome {
  newText: string;
  changed: boolean;
  newState: OwnershipState;
}

/**
 * Compute the migration.
 * @throws ConfigShapeError when the Hermes config or `mcp_servers` has an unusable shape
 * @throws ConfigSyntaxError when config.toml does not parse
 * @throws BlockStructureError when config.toml holds more than one managed block
 * @throws ValidationRefusedError when the result would not parse or would change the user's data
 */
export function planMigration(input: PlanInput): MigrationPlan {
  return traced('plan', () => plan(input));
}

function plan(input: PlanInput): MigrationPlan {
  const { hermes, configPath } = input;
  if (!isRecord(hermes.data)) {
    throw new ConfigShapeError(`${hermes.path}: the Hermes config must be a mapping at the top level`, {
      location: { file: hermes.path, line: 1 },
      remediation: 'Check that this is Hermes\' config.yaml; nothing was written.',
    });
  }
  const data = hermes.data;
  const toolCallTimeout = hermesToolCallTimeout(data);
  const translations = traced('translate', () =>
    translateServers(data['mcp_servers'], { file: hermes.path, lineOf: hermes.lineOf, plainSourceOf: hermes.plainSourceOf, keySourceOf: hermes.keySourceOf, switches: hermesMcpSwitches(data), toolCallTimeout, ...(input.homeDir !== undefined ? { home: input.homeDir } : {}) }),
  );
  const warnings: MigrationWarning[] = translations.flatMap((t) => t.warnings);
  if (toolCallTimeout.ignored) {
    const line = hermes.lineOf(['timeouts', 'mcp', 'tool_call']);
    warnings.push({ server: null, key: 'timeouts.mcp.tool_call', message: `${toolCallTimeout.ignored} (${hermes.path}${line ? `:${line}` : ''}); servers without their own timeout get ${toolCallTimeout.seconds} s, as under Hermes` });
  }
  const { failed, candidates } = sortTranslations(translations, input.hermesTools !== null);

  const { text, doc: originalDoc, repaired: repairedRefs, scanned } = traced('parse', () => readExistingConfig(input.existingText ?? '', configPath));
  const byName = new Map(candidates.map((c) => [c.name, c]));
  const fingerprints = new Fingerprints();
  const ownership = new Ownership({
    state: input.state,
    doc: originalDoc,
    fingerprints,
    blockHeaders: () => headersInBlock(text, configPath),
    blockExists: hasBlock(text, scanned),
    hermesNames: new Set(translations.map((t) => t.name)),
    permissions: input.permissions,
    expected: (name) => {
      const entry = byName.get(name);
      if (!entry) return undefined;
      const rendered = parseCodexToml(renderBlockLines({ defaultPermissions: null, servers: [entry] }).join('\n') + '\n', configPath);
      return entryValue(rendered, { kind: 'mcp_servers', name });
    },
  });

  // Plugins: with discovery, the block manages every plugin to migrate; a plain
  // `[plugins."k"] enabled = …` table another writer added for such a key (what
  // `codex plugin add` writes, or what Hermes' own migration wrote) is
  // consolidated into the block and remembered, so --remove can put it back.
  // Without discovery, every plugin table stays as it is.
  const pluginInput: PluginInput = input.plugins ?? { status: 'skipped', reason: 'not requested' };
  const discovered = pluginInput.status === 'discovered';
  const migrateRows = discovered ? pluginInput.rows.filter((r) => r.decision === 'migrate') : [];
  const migrateKeys = new Set(migrateRows.map((r) => r.key));
  const plainPluginTable = (key: string): { enabled?: boolean } | null => {
    const v = entryValue(originalDoc, { kind: 'plugins', name: key });
    return isRecord(v) && Object.keys(v).every((k) => k === 'enabled') && (v['enabled'] === undefined || typeof v['enabled'] === 'boolean')
      ? (v as { enabled?: boolean })
      : null;
  };
  // Not for a table of ours that escaped the block (absorbed as such); one equal to ours standing outside a block is the user's.
  const consolidate = (ref: EntryRef) => discovered && ref.kind === 'plugins' && migrateKeys.has(ref.name) && !ownership.escaped(ref) && plainPluginTable(ref.name) !== null;

  const d = traced('dissect', () => dissect(text, {
    file: configPath,
    ...(scanned ? { scanned } : {}),
    ownedInBlock: (ref) => (ref.kind === 'plugins' ? discovered && ownership.owns(ref) : ownership.owns(ref)),
    keepInBlock: (ref) => ref.kind === 'plugins' && !discovered && ownership.owns(ref),
    absorb: (ref) => (ref.kind === 'plugins' ? discovered && (ownership.escaped(ref) || consolidate(ref)) : ownership.escaped(ref)),
    carry: (ref) => {
      const j = ownership.judge(ref);
      return j.verdict === 'edited' ? j.carry : undefined;
    },
  }));
  const userDoc = traced('parse-outside', () => parseOutside(d, configPath));

  // A server the text outside the block only extends with sub-tables (Codex's per-tool approvals) is still ours to write.
  const userServerNames = isRecord(userDoc['mcp_servers']) ? Object.keys(userDoc['mcp_servers']) : [];
  const extendedOnly = userServerNames.length ? serversOnlyExtendedOutside(d) : new Set<string>();
  const userServers = new Set(userServerNames.filter((n) => !extendedOnly.has(n)));
  const { servers, migrated, userDeclared } = serversToWrite(candidates, userServers, warnings);
  const hermesTools = addHermesTools(input.hermesTools, userServers, servers, warnings);
  const { keptCodexEdits, carried } = carryCodexEdits(servers, d, ownership, warnings);
  noteHermesBehaviour(servers, originalDoc, warnings);

  const permissions = decidePermissions(input.permissions, userDoc, d.movedOut, ownership);

  // Absorbed and not ours escaping (a record may name a table Hermes' migration dropped since): the user's, consolidated.
  const consolidated = d.absorbed.filter((r) => r.kind === 'plugins' && !ownership.escaped(r)).map((r) => r.name);
  const { tables: pluginTables, outcome: plugins } = pluginTablesFor(pluginInput, userDoc, consolidated, plainPluginTable);

  if (translations.length === 0) warnEverythingLeaves(d, hermes.path, warnings);
  const keptFromBlock = keptFromTheBlock(d, ownership, configPath, warnings);
  for (const r of repairedRefs) {
    warnings.push({ server: null, key: null, message: `repaired ${entryLabel(r)}: it stood both inside the managed block and outside it (Hermes' migration writes its copy without looking at the rest of the file; codex refuses that); the managed copy went, yours stays` });
  }

  const newText = traced('render', () =>
    assemble(d, renderBlockLines({ defaultPermissions: permissions.written ? permissions.profile : null, servers, plugins: pluginTables, carried: d.kept })),
  );

  const written: EntryRef[] = servers.map((s) => ({ kind: 'mcp_servers', name: s.name }));
  for (const p of pluginTables) written.push({ kind: 'plugins', name: p.key });
  if (permissions.written) written.push({ kind: 'root', name: 'default_permissions' });
  const newDoc = traced('check', () => {
    // A re-run that changes nothing gives back the text just parsed (the common case): its parse stands.
    const doc = newText === text ? (checkSize(newText, configPath), originalDoc) : parseNewText(newText, configPath);
    // Kept entries are the same before and after, so the invariant compares them too.
    checkUserDataKept(originalDoc, [...d.replacedPaths, ...d.absorbed.map(refPath)], doc, written.map(refPath), configPath);
    return doc;
  });

  return {
    newText,
    changed: input.existingText === null || newText !== input.existingText,
    servers: { migrated, failed, userDeclared },
    warnings,
    preservedUserTables: d.movedOut.map(entryLabel),
    recoveredTables: d.absorbed.filter((r) => ownership.escaped(r)).map(entryLabel),
    permissions,
    hermesTools,
    plugins,
    block: { existed: d.hadBlock, legacy: d.legacy, orphanEndMarkerLines: d.orphanEndLines },
    keptFromBlock,
    keptCodexEdits,
    repaired: repairedRefs.map((r) => ({ entry: entryLabel(r), action: "removed the managed copy; your copy outside the block stays (codex refuses a table defined twice)" })),
    newState: {
      ...traced('record', () => buildState(configPath, newDoc, [...written, ...d.keptRefs], input.now, carried, fingerprints)),
      ...(d.fresh ? { insertion: freshPadding(d) } : input.state?.insertion ? { insertion: input.state.insertion } : {}),
      ...consolidatedRecord(input.state, consolidated, pluginTables, plainPluginTable, d.keptRefs),
    },
  };
}

/**
 * One run-wide line when entries already in config.toml change only because migrate now
 * writes what Hermes does by default (its timeouts, the environment it passes; see
 * `fromHermesBehaviour`): the drift is explained once, and the next run is a no-op.
 */
function noteHermesBehaviour(servers: readonly CodexServerEntry[], doc: TomlTable, warnings: MigrationWarning[]): void {
  const changed = new Map<string, string[]>();
  for (const entry of servers) {
    if (!entry.fromHermesBehaviour) continue;
    const before = entryValue(doc, { kind: 'mcp_servers', name: entry.name });
    if (!isRecord(before)) continue;
    for (const key of entry.fromHermesBehaviour) {
      const value = entry.fields.find(([k]) => k === key)?.[1];
      const plain = isRecord(value) && 'float' in value ? value['float'] : value;
      if (canonicalJson(before[key]) === canonicalJson(plain)) continue;
      changed.set(key, [...(changed.get(key) ?? []), entry.name]);
    }
  }
  if (changed.size === 0) return;
  const what: Record<string, string> = {
    startup_timeout_sec: "startup_timeout_sec (Hermes waits longer for a server's first start than codex does by itself)",
    tool_timeout_sec: 'tool_timeout_sec (the time Hermes lets a tool call run; an older codex stops it after 120 s)',
    env_vars: 'env_vars (variables Hermes hands its stdio servers that codex does not: XDG_*, HERMES_KANBAN_*)',
  };
  const names = [...new Set([...changed.values()].flat())];
  warnings.push({
    server: null,
    key: null,
    message: `${names.length} server${names.length === 1 ? '' : 's'} already in config.toml (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}) now get${names.length === 1 ? 's' : ''} ${[...changed.keys()].map((k) => what[k] ?? k).join(', ')}, so they behave under codex as under Hermes (docs/migrate.md, "Behaviour kept from Hermes")`,
  });
}

/** Translations sorted into failures and entries to write (`hermes-tools` is reserved while the callback entry is on). */
function sortTranslations(translations: readonly ServerTranslation[], hermesToolsOn: boolean): { failed: { name: string; reason: string }[]; candidates: CodexServerEntry[] } {
  const failed: { name: string; reason: string }[] = [];
  const candidates: CodexServerEntry[] = [];
  for (const t of translations) {
    if (!t.ok) failed.push({ name: t.name, reason: t.reason });
    else if (hermesToolsOn && t.name === HERMES_TOOLS_NAME) {
      failed.push({ name: t.name, reason: `"${HERMES_TOOLS_NAME}" is reserved for Hermes' callback entry; rename this server, or pass --no-hermes-tools` });
    } else candidates.push(t.entry);
  }
  return { failed, candidates };
}

/**
 * The user's document: the text outside the block, parsed.
 * @throws ValidationRefusedError when it would not parse once the block is taken out
 */
function parseOutside(d: Dissection, configPath: string): TomlTable {
  try {
    return parseCodexToml(outsideText(d), configPath);
  } catch (err) {
    throw new ValidationRefusedError(
      `${configPath}: the text outside the managed block would not parse once the block is taken out (${(err as Error).message}); nothing was written`,
      { location: { file: configPath }, remediation: 'Move your own tables out of the managed block by hand, then run migrate again.', cause: err },
    );
  }
}

/** The Hermes servers to write: all but those the user declares outside the block (theirs win, with a warning). */
/** The warning for a Hermes server config.toml declares outside the block (also in `servers.userDeclared`). */
export function userDeclaredMessage(name: string): string {
  return `config.toml declares [mcp_servers.${name}] outside the managed block; your table wins and Hermes' entry was not written`;
}

function serversToWrite(candidates: readonly CodexServerEntry[], userServers: ReadonlySet<string>, warnings: MigrationWarning[]): { servers: CodexServerEntry[]; migrated: string[]; userDeclared: string[] } {
  const servers: CodexServerEntry[] = [];
  const migrated: string[] = [];
  const userDeclared: string[] = [];
  for (const entry of candidates) {
    if (userServers.has(entry.name)) {
      userDeclared.push(entry.name);
      warnings.push({ server: entry.name, key: null, message: userDeclaredMessage(entry.name) });
      continue;
    }
    servers.push(entry);
    migrated.push(entry.name);
  }
  return { servers, migrated, userDeclared };
}

/** Add the hermes-tools callback entry to `servers` unless it is off or the user declares their own. */
function addHermesTools(input: PlanInput['hermesTools'], userServers: ReadonlySet<string>, servers: CodexServerEntry[], warnings: MigrationWarning[]): HermesToolsOutcome {
  if (!input) return { written: false, reason: 'disabled (--no-hermes-tools)' };
  if (userServers.has(HERMES_TOOLS_NAME)) {
    return { written: false, reason: `config.toml declares [mcp_servers.${HERMES_TOOLS_NAME}] outside the managed block; yours is kept` };
  }
  const { python, literalHermesHome } = input;
  servers.push(buildHermesToolsEntry(python.command, literalHermesHome));
  if (python.warning) warnings.push({ server: HERMES_TOOLS_NAME, key: null, message: python.warning });
  return { written: true, command: python.command, pythonSource: python.source };
}

/**
 * Codex's edits to managed servers (keys and sub-tables it changed or added) ride along, as found:
 * those keys leave the entry's generated fields and its found lines are kept.
 * @returns what was kept, and per server entry id the carried keys (left out of the record's fingerprints)
 */
function carryCodexEdits(
  servers: CodexServerEntry[],
  d: Dissection,
  ownership: Ownership,
  warnings: MigrationWarning[],
): { keptCodexEdits: { entry: string; keys: string[] }[]; carried: Map<string, ReadonlySet<string>> } {
  const keptCodexEdits: { entry: string; keys: string[] }[] = [];
  const carried = new Map<string, ReadonlySet<string>>();
  for (const [i, entry] of servers.entries()) {
    const ref: EntryRef = { kind: 'mcp_servers', name: entry.name };
    const lines = d.carried.get(entryId(ref));
    if (!lines) continue;
    const j = ownership.judge(ref);
    if (j.verdict !== 'edited') continue;
    servers[i] = { ...entry, fields: entry.fields.filter(([k]) => !j.carry.has(k)), keptLines: lines };
    carried.set(entryId(ref), j.carry);
    keptCodexEdits.push({ entry: entryLabel(ref), keys: [...j.carry] });
    warnings.push({ server: entry.name, key: null, message: `kept ${[...j.carry].join(', ')} as set in config.toml (changed through Codex since migrate wrote this server)` });
  }
  return { keptCodexEdits, carried };
}

/** Hermes configures no servers (none, or an empty mcp_servers): say what the run takes out. */
function warnEverythingLeaves(d: Dissection, hermesPath: string, warnings: MigrationWarning[]): void {
  const going = d.replaced.filter((r) => r.kind === 'mcp_servers' && r.name !== HERMES_TOOLS_NAME).map((r) => r.name);
  if (!going.length) return;
  warnings.push({
    server: null,
    key: 'mcp_servers',
    message: `the Hermes config has no MCP servers, so this run removes every server from the managed block: ${going.join(', ')}; if that is not what you want, check ${hermesPath} (mcp_servers)`,
  });
}

/** The entries moved out of the block as someone else's, with why; a warning with the removal command for the unsure ones. */
function keptFromTheBlock(d: Dissection, ownership: Ownership, configPath: string, warnings: MigrationWarning[]): MigrationPlan['keptFromBlock'] {
  const kept = d.movedOut.map((ref) => {
    const j = ownership.judge(ref);
    const reason = j.verdict === 'user' || j.verdict === 'unsure' ? j.why : 'not written by a migration';
    return { entry: entryLabel(ref), reason, ...(j.verdict === 'unsure' ? { removeWith: codexCommandLine(path.dirname(configPath), j.removeWith) } : {}) };
  });
  for (const k of kept) {
    if (k.removeWith) warnings.push({ server: null, key: null, message: `kept ${k.entry} from the managed block: ${k.reason}; if it is not yours, remove it with \`${k.removeWith}\`` });
  }
  return kept;
}

/** @throws ValidationRefusedError when the new file's text is over the size hermes-codex reads */
function checkSize(newText: string, configPath: string): void {
  const size = Buffer.byteLength(newText, 'utf8');
  if (size > MAX_CONFIG_BYTES) {
    throw new ValidationRefusedError(
      `the migrated config.toml would be ${size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit hermes-codex reads config files up to; nothing was written`,
      { location: { file: configPath }, remediation: 'Check the Hermes config for runaway values (a huge env value, thousands of servers), then run again.' },
    );
  }
}

/**
 * The new file's text, checked: within the size hermes-codex reads, and valid TOML.
 * @throws ValidationRefusedError otherwise (nothing is written)
 */
function parseNewText(newText: string, configPath: string): TomlTable {
  checkSize(newText, configPath);
  try {
    return parseCodexToml(newText, configPath);
  } catch (err) {
    throw new ValidationRefusedError(`the migrated config.toml would not parse (${(err as Error).message}); nothing was written`, {
      location: { file: configPath },
      remediation: 'Check the lines named above in your config.toml (for example an inline `mcp_servers = { … }` that tables cannot extend), fix them, and run again.',
      cause: err,
    });
  }
}

/**
 * The `[plugins."k"]` tables the block writes, and the report's plugin
 * outcome: with discovery, every plugin to migrate that the user does not
 * declare with settings of their own, keeping a consolidated table's
 * `enabled = false`; without it, none (plugin tables stay as they are).
 */
function pluginTablesFor(
  input: PluginInput,
  userDoc: TomlTable,
  consolidated: readonly string[],
  plainTable: (key: string) => { enabled?: boolean } | null,
): { tables: { key: string; enabled: boolean }[]; outcome: PluginsOutcome } {
  const tables: { key: string; enabled: boolean }[] = [];
  const outcome: PluginsOutcome = { status: input.status, migrated: [], skipped: [], consolidated: [...consolidated] };
  if (input.status === 'failed') outcome.error = input.error;
  if (input.status === 'skipped') outcome.reason = input.reason;
  if (input.status !== 'discovered') return { tables, outcome };
  const userPlugins = isRecord(userDoc['plugins']) ? new Set(Object.keys(userDoc['plugins'])) : new Set<string>();
  for (const row of input.rows) {
    if (row.decision === 'skip') outcome.skipped.push({ id: row.key, reason: row.reason });
    else if (userPlugins.has(row.key)) {
      outcome.skipped.push({ id: row.key, reason: 'config.toml declares this plugin with its own settings outside the managed block; yours is kept' });
    } else {
      // A user's `enabled = false` (in a table consolidated into the block) is kept.
      const userChoice = consolidated.includes(row.key) ? plainTable(row.key)?.enabled : undefined;
      tables.push({ key: row.key, enabled: userChoice === false ? false : row.enabled });
      outcome.migrated.push(row.key);
    }
  }
  return { tables, outcome };
}

/**
 * config.toml as found, parsed; when it does not parse because a table or a
 * root key stands both inside the block and outside it (Hermes' migrations
 * write that), with the block's copies taken out (see block.repairDuplicateTables).
 * Used by migrate and --remove.
 * @returns the text (repaired or as found), its parse, the entries whose managed copy went, and the scan of the text as found when it was not repaired
 * @throws BlockStructureError for two blocks; ConfigSyntaxError when the text does not parse and cannot be repaired
 */
export function readExistingConfig(found: string, configPath: string): { text: string; doc: TomlTable; repaired: EntryRef[]; scanned?: readonly ScannedLine[] } {
  const scanned = assertSingleBlock(found, configPath);
  const remediation = `Fix ${configPath} at that line (or restore it from a backup); nothing was written.`;
  try {
    return { text: found, doc: parseCodexToml(found, configPath, remediation), repaired: [], scanned };
  } catch (err) {
    const repair = repairDuplicateTables(found, configPath, (t) => {
      try {
        parseCodexToml(t, configPath);
        return true;
      } catch {
        return false;
      }
    });
    if (!repair) throw err;
    return { text: repair.text, doc: parseCodexToml(repair.text, configPath, remediation), repaired: repair.removed };
  }
}

/**
 * Whether to write `default_permissions`: not with --no-permissions, not
 * when the user's own (kept from inside the block, or set outside it) or a
 * `sandbox_mode` is there — a choice is never loosened.
 */
function decidePermissions(wanted: string | null, userDoc: TomlTable, movedOut: readonly EntryRef[], ownership: Ownership): PermissionsOutcome {
  if (wanted === null) return { written: false, profile: null, reason: 'disabled (--no-permissions)' };
  const moved = movedOut.find((r) => r.kind === 'root' && r.name === 'default_permissions');
  if (moved) {
    const j = ownership.judge(moved);
    return { written: false, profile: null, reason: `your default_permissions is kept: ${j.verdict === 'user' || j.verdict === 'unsure' ? j.why : 'set by you'}` };
  }
  const userKey = ['default_permissions', 'sandbox_mode'].find((k) => k in userDoc);
  if (userKey) return { written: false, profile: null, reason: `config.toml sets ${userKey} outside the managed block; left as you set it` };
  return { written: true, profile: wanted };
}

/**
 * The consolidated plugin tables to remember: earlier ones still managed (or
 * kept verbatim), plus the ones consolidated now with the user's `enabled`.
 */
function consolidatedRecord(
  prev: OwnershipState | null,
  now: readonly string[],
  written: readonly { key: string }[],
  plainTable: (key: string) => { enabled?: boolean } | null,
  kept: readonly EntryRef[],
): { consolidated?: { key: string; enabled: boolean }[] } {
  const managed = new Set([...written.map((w) => w.key), ...kept.filter((r) => r.kind === 'plugins').map((r) => r.name)]);
  const out = (prev?.consolidated ?? []).filter((c) => managed.has(c.key) && !now.includes(c.key));
  for (const key of now) out.push({ key, enabled: plainTable(key)?.enabled !== false });
  return out.length ? { consolidated: out } : {};
}

/** An own property, or undefined (never one inherited from Object.prototype). */
function own(table: TomlTable, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * The document without the data at the given paths (emptied `mcp_servers`/`plugins` tables dropped).
 * Copies only the containers along those paths (own keys, so names like
 * `__proto__` or `constructor` stay plain data); `doc` is not changed.
 */
function userView(doc: TomlTable, ownedPaths: readonly string[][]): TomlTable {
  const view: TomlTable = { ...doc };
  const copies = new WeakSet<object>([view]);
  // Entries of a top-level table (`mcp_servers.x`, the usual case): each table filtered once.
  const byTable = new Map<string, Set<string>>();
  const deeper: (readonly string[])[] = [];
  for (const p of ownedPaths) {
    if (p.length === 2 && !p.includes('[]')) byTable.set(p[0]!, (byTable.get(p[0]!) ?? new Set()).add(p[1]!));
    else deeper.push(p);
  }
  for (const [name, drop] of byTable) {
    const table = Object.hasOwn(view, name) ? view[name] : undefined;
    if (!isRecord(table)) continue;
    const kept = Object.fromEntries(Object.entries(table).filter(([k]) => !drop.has(k)));
    copies.add(kept);
    view[name] = kept;
  }
  for (const p of deeper) deletePath(view, p, copies);
  for (const k of ['mcp_servers', 'plugins']) {
    const t = view[k];
    if (isRecord(t) && Object.keys(t).length === 0) delete view[k];
  }
  return view;
}

/**
 * Delete `path` from a view; `"[]"` steps into an array's last element.
 * Each container on the way is replaced by a shallow copy (once: `copies`).
 */
function deletePath(view: TomlTable, path: readonly string[], copies: WeakSet<object>): void {
  let node: unknown = view;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    if (Array.isArray(node)) {
      if (seg !== '[]' || node.length === 0) return;
      node = copied(node, node.length - 1, copies);
    } else if (isRecord(node) && seg !== '[]' && Object.hasOwn(node, seg)) {
      node = copied(node, seg, copies);
    } else return;
  }
  const last = path[path.length - 1];
  if (last !== undefined && isRecord(node) && Object.hasOwn(node, last)) delete node[last];
}

/** The container at `parent[key]`, replaced by a shallow copy the first time. */
function copied(parent: Record<string, unknown> | unknown[], key: string | number, copies: WeakSet<object>): unknown {
  const child = (parent as Record<string | number, unknown>)[key];
  if (typeof child !== 'object' || child === null || copies.has(child)) return child;
  const copy = Array.isArray(child) ? [...(child as unknown[])] : { ...(child as object) };
  copies.add(copy);
  (parent as Record<string | number, unknown>)[key] = copy;
  return copy;
}

/**
 * The outside-the-block invariant at the data level: apart from the
 * entries this tool owns, the new document holds exactly the data the old
 * one held.
 * @throws ValidationRefusedError naming the first key that would change
 */
function checkUserDataKept(
  before: TomlTable,
  ownedBefore: readonly string[][],
  after: TomlTable,
  ownedAfter: readonly string[][],
  file: string,
): void {
  const a = userView(before, ownedBefore);
  const b = userView(after, ownedAfter);
  if (canonicalJson(a) === canonicalJson(b)) return;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let culprit = '?';
  for (const k of keys) {
    if (canonicalJson(own(a, k)) !== canonicalJson(own(b, k))) {
      culprit = k;
      if (isRecord(a[k]) && isRecord(b[k])) {
        const inner = new Set([...Object.keys(a[k] as object), ...Object.keys(b[k] as object)]);
        for (const j of inner) {
          if (canonicalJson(own(a[k] as TomlTable, j)) !== canonicalJson(own(b[k] as TomlTable, j))) {
            culprit = `${k}.${j}`;
            break;
          }
        }
      }
      break;
    }
  }
  throw new ValidationRefusedError(
    `refusing to write ${file}: the migration would change your own setting \`${culprit}\` outside what hermes-codex manages; nothing was written`,
    {
      location: { file },
      remediation: 'Please report this with a copy of config.toml (secrets removed); as a workaround move that setting out of the managed block by hand.',
    },
  );
}
