/**
 * What each codex version can do, from probing published releases (19
 * versions from 0.125.0 to 0.169.0, installed from npm and run offline; see
 * shared/codex-field-notes.md, "Across codex versions", and
 * `npm run test:compat`, which re-checks the facts the matrix covers).
 * Everything version-dependent in hermes-codex reads from here; docs/compatibility.md
 * is generated from {@link CAPABILITY_FACTS} (a test keeps it current).
 */

/** The oldest codex hermes-codex supports: the first release that loads what `migrate` writes (`default_permissions = ":workspace"` without a `[permissions]` table). */
export const SUPPORTED_FLOOR = '0.128.0';
/** The version the test suite pins (the `@openai/codex` devDependency; a test keeps them equal). */
export const TESTED_CODEX_VERSION = '0.171.0';

/** -1, 0 or 1, comparing `X.Y.Z` versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export type Semver = [number, number, number];

/** Parse `codex-cli 0.169.0` (or a bare `0.169.0`); null when there is no version. */
export function parseCodexVersion(output: string): { version: string; parts: Semver } | null {
  const m = /(?:^|\s)(?:codex-cli\s+)?v?(\d+)\.(\d+)\.(\d+)(?:[-+][\w.]+)?\s*$/m.exec(output.trim());
  if (!m) return null;
  const parts: Semver = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { version: parts.join('.'), parts };
}

export interface CapabilityFact {
  key: keyof Omit<CodexCapabilities, 'version'>;
  /** First published version that has it. */
  since: string;
  what: string;
}

/**
 * Releases after the floor that `npm run probe:codex` measured every fact on, with what
 * changed in them (the protocol per `codex app-server generate-ts`), newest last. The
 * facts of a release newer than the last one here are assumed as on it.
 */
export const PROBED_RELEASES: readonly { version: string; found: string }[] = [
  { version: '0.169.0', found: 'every fact as listed (the previous pin)' },
  { version: '0.169.1', found: 'every fact as on 0.169.0; protocol identical to 0.169.0' },
  { version: '0.170.0', found: 'every fact as on 0.169.0; `AgentMessageDisplay` (an answer\'s `moderation.display`) became a union keyed on `mode` (`show`, `hide`, `block`); projection keeps the answer\'s text either way' },
  { version: '0.171.0', found: 'every fact as on 0.169.0 (the slow ones too: 30 s start-up; a 125 s tool call completes); new request `modelProvider/default/set`, notification `thread/search/partial`; `environmentId` on `mcpServer/startupStatus/updated` and the `mcpToolCall` item (start-up states are kept per server and environment), `reason` on `account/updated`, `bioPolicy` in `CodexErrorInfo`; nothing the runtime uses renamed or removed' },
];

/** The probed facts, oldest first. */
export const CAPABILITY_FACTS: readonly CapabilityFact[] = [
  { key: 'builtinPermissionProfiles', since: '0.128.0', what: 'loads `default_permissions = ":workspace"` without a `[permissions]` table (0.125 has no built-in `:` profiles; 0.126 and 0.127 were never published)' },
  { key: 'strictAppServer', since: '0.131.0', what: '`codex app-server --strict-config` (with stdin closed) loads the whole config strictly and exits 1 on a broken one; it starts a server, so it only ever runs on a private copy' },
  { key: 'pluginAddCommand', since: '0.131.0', what: '`codex plugin add NAME@MARKETPLACE` exists' },
  { key: 'permissionProfileList', since: '0.134.0', what: 'app-server method `permissionProfile/list`' },
  { key: 'longToolCallDefault', since: '0.141.0', what: 'an MCP tool call without `tool_timeout_sec` may run 300 s (before: 120 s, "timed out awaiting tools/call after 120s"); migrate always writes the timeout Hermes applies' },
  { key: 'punctuatedServerNames', since: '0.152.0', what: 'starts MCP servers whose names hold `:`, `@`, `/` or `.` (`^[a-zA-Z0-9_:@/.-]+$`; before, `^[a-zA-Z0-9_-]+$`); a server with any other name loads but never starts, on every version (codex/server-names.ts)' },
  { key: 'threadReadMethodNotFound', since: '0.153.0', what: '`thread/read` with turns before the first turn answers -32601 (before: -32600 "not materialized yet")' },
  { key: 'mcpStartupErrors', since: '0.155.0', what: '`mcpServerStatus/list` reports MCP start-up failures (`toolsError`); before, a server that could not start looks like one with no tools' },
  { key: 'printStartupConfig', since: '0.164.0', what: '`codex app-server --strict-config --print-startup-config` loads the config and exits with a JSON verdict' },
];

/**
 * Seconds codex waits for an MCP server's start-up (\`initialize\` and the first tool list)
 * when its table sets no \`startup_timeout_sec\`: measured with a server that answers late
 * (12 s starts, 35 s fails "timed out after 30 seconds") on 0.128, 0.150, 0.169 and 0.171.
 */
export const CODEX_DEFAULT_STARTUP_TIMEOUT_SEC = 30;
/**
 * Seconds codex lets an MCP tool call run when the table sets no \`tool_timeout_sec\`, by version:
 * 120 before 0.141.0 (the `longToolCallDefault` fact, bisected on published releases), 300 from it (openai/codex
 * \`codex-rs/codex-mcp/src/rmcp_client.rs\` \`DEFAULT_TOOL_TIMEOUT\`). Measured with a tool that
 * sleeps: 0.128, 0.135 and 0.140 "timed out awaiting tools/call after 120s"; 0.141, 0.142,
 * 0.143, 0.144, 0.145 and 0.150 complete a 130 s call; 0.169 "after 300s" on a 310 s call.
 */
export function codexDefaultToolTimeoutSec(version: string): number {
  return capabilitiesOf(version).longToolCallDefault ? 300 : 120;
}

/** Facts that hold on every supported version (no gate needed). */
export const ALWAYS: readonly string[] = [
  '`codex mcp list --json` loads the whole config and exits 1 on a broken one (unknown keys pass, as in the plain loader)',
  'every `[mcp_servers.*]` key hermes-codex writes and `[plugins."x@y"] enabled` load',
  '`enabled_tools` / `disabled_tools` (Hermes\' `tools.include` / `exclude`) leave the model only the tools they allow; a server\'s tools are offered as the namespace `mcp__<name>` (`mcp__<name>__` in 0.128)',
  'the app-server protocol a turn uses (initialize, thread/start|resume|read, turn/start|steer|interrupt, command/exec, the approval requests)',
  `an MCP server without \`startup_timeout_sec\` gets ${CODEX_DEFAULT_STARTUP_TIMEOUT_SEC} s to start`,
  'a stdio MCP server gets HOME, PATH, USER, LOGNAME, LANG, LC_ALL, TERM, SHELL, TMPDIR and TZ from codex\'s environment, plus its `env` and the names in `env_vars` (no `XDG_*`; a name in `env_vars` that is unset is skipped)',
  'plain `codex app-server` runs on a broken config without the user\'s file ("Invalid configuration; using defaults"), so a config must be checked before codex runs it',
];

export interface CodexCapabilities {
  version: string;
  builtinPermissionProfiles: boolean;
  strictAppServer: boolean;
  pluginAddCommand: boolean;
  permissionProfileList: boolean;
  longToolCallDefault: boolean;
  punctuatedServerNames: boolean;
  threadReadMethodNotFound: boolean;
  mcpStartupErrors: boolean;
  printStartupConfig: boolean;
}

/**
 * What a codex newer than the tested one means: it should work, but the version facts
 * hermes-codex relies on (codex/capabilities.ts, docs/compatibility.md) were not probed on it;
 * they are assumed as on the newest probed release.
 */
export function untestedNote(version: string): string {
  const last = PROBED_RELEASES[PROBED_RELEASES.length - 1]?.version ?? TESTED_CODEX_VERSION;
  const facts = CAPABILITY_FACTS.length;
  return `codex ${version} is newer than the tested ${TESTED_CODEX_VERSION}; it should work, but is untested: the ${facts} version facts hermes-codex relies on (validation commands, built-in permission profiles, MCP start-up errors and names, timeouts, protocol; docs/compatibility.md) were not probed on it and are assumed as on ${last} (\`npm run probe:codex -- ${version}\` in a hermes-codex clone measures them)`;
}

/** The capabilities of a codex version (`X.Y.Z`). Versions newer than the tested one are taken to have everything. */
export function capabilitiesOf(version: string): CodexCapabilities {
  const caps = { version } as CodexCapabilities;
  for (const f of CAPABILITY_FACTS) caps[f.key] = compareVersions(version, f.since) >= 0;
  return caps;
}

/** The Markdown compatibility table (docs/compatibility.md). */
export function compatibilityMarkdown(): string {
  const rows = CAPABILITY_FACTS.map((f) => `| ${f.since} | ${f.what} |`);
  return [
    '# Compatibility with codex versions',
    '',
    `hermes-codex supports codex ${SUPPORTED_FLOOR} and newer and is tested against ${TESTED_CODEX_VERSION} (the pinned devDependency). A codex below ${SUPPORTED_FLOOR} is refused with the version found and the command that upgrades it; one newer than ${TESTED_CODEX_VERSION} works, with a note that it is untested.`,
    '',
    'What changes between versions, from probing published releases (`src/codex/capabilities.ts`; this page is generated from it):',
    '',
    '| since | fact |',
    '|---|---|',
    ...rows,
    '',
    'On every supported version:',
    '',
    ...ALWAYS.map((a) => `- ${a}`),
    '',
    'How hermes-codex uses this:',
    '',
    '- **Validation ladder** (migrate before writing, `doctor`\'s `codex.config`): `--strict-config --print-startup-config` from 0.164; before that `app-server --strict-config` on a private copy (0.131–0.163), with `codex mcp list --json` as the plain loader\'s verdict when strict complains; `codex mcp list --json` alone on 0.128–0.130. The report names the check used (`validation.check`). A config the user\'s codex rejects is never written.',
    '- **doctor --live**: below 0.155 a server that failed to start cannot be told from one without tools, so `mcp.live` says "unknown" (a warning), never "started"; `permissions.live` is skipped below 0.134.',
    '- **MCP server names**: `migrate` fails a Hermes server whose name no codex starts (a space, a non-ASCII letter) and warns about one only 0.152 and newer start; doctor\'s `mcp.servers` fails a name the codex in use does not start.',
    '- **Runtime**: `thread/read` before the first turn falls back on -32600 "not materialized yet" as on -32601. Hints name `codex plugin add` only from 0.131.',
    '',
    '`npm run test:compat` installs the floor, a middle version, the previous pin and the pin from npm into a cache outside the repository and runs migrate, codex\'s loader on the result, a config each version rejects, doctor (static and `--live`) and `turn --smoke` against the mock model on each, and which server names start on those and on 0.151 and 0.152 (the names boundary); `npm test` runs it. `npm run test:compat -- VERSION …` (or `HERMES_CODEX_VERSIONS=V1,V2`) runs the per-version suite on exactly the versions named, one newer than the pin too.',
    '',
    '## Releases probed',
    '',
    '| release | what `npm run probe:codex` found |',
    '|---|---|',
    ...PROBED_RELEASES.map((r) => `| ${r.version} | ${r.found} |`),
    '',
    '## Adding a release',
    '',
    '1. `npm run probe:codex -- VERSION --slow` installs it from npm into the cache and measures every fact above on it (offline, in throwaway homes): each line says whether the fact holds as `src/codex/capabilities.ts` predicts, and the protocol section lists the methods and notifications only one side has, and any the runtime uses that the release lacks. Exit 1 when something differs.',
    '2. A fact that moved: change its `since` (or add a fact, with a probe in `scripts/probe-codex.mjs`); a protocol change the runtime meets: handle it in `src/runtime`.',
    '3. `npm run test:compat -- VERSION` runs the whole matrix on it.',
    '4. To make it the pin: `npm install -D @openai/codex@VERSION`, set `TESTED_CODEX_VERSION`, `npm run gen:protocol`, add it to `PROBED_RELEASES`, `npm run gen:compat-doc`, `npm test`.',
    '',
  ].join('\n');
}
