/**
 * Which MCP server names codex starts, by version. codex loads a config.toml
 * with any quoted name (`[mcp_servers."a b"]`), but starts a server only when
 * its name matches a pattern, and otherwise reports "Invalid MCP server name
 * 'a b': must match pattern …" (0.155 and newer; before, such a server simply
 * has no tools). Measured with the real binaries, a server per name on the
 * MCP SDK echo fixture: 0.128, 0.150 and 0.151 start only `^[a-zA-Z0-9_-]+$`;
 * 0.152 through 0.169 also `:`, `@`, `/` and `.` (`^[a-zA-Z0-9_:@/.-]+$`);
 * none starts a name with a space or a non-ASCII letter. codex offers a
 * server's tools to the model as the namespace `mcp__<name>` with every
 * character outside `[A-Za-z0-9_]` read as `_` (0.169: `team.wiki` →
 * `mcp__team_wiki`). Pure.
 */
import { CAPABILITY_FACTS, capabilitiesOf } from './capabilities.js';

/** Names every supported codex starts (and `codex mcp add` accepts). */
const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;
/** Names codex starts from {@link PUNCTUATED_NAMES_SINCE} on. */
const PUNCTUATED_NAME = /^[A-Za-z0-9_:@/.-]+$/;
/** The first codex release that starts names with `:`, `@`, `/` or `.` (the capability table's `punctuatedServerNames`). */
export const PUNCTUATED_NAMES_SINCE = CAPABILITY_FACTS.find((f) => f.key === 'punctuatedServerNames')!.since;

/**
 * Whether codex starts an MCP server with this name:
 * `plain` on every supported version; `punctuated` from 0.152 on (before, it
 * loads and never starts); `never` on no version.
 */
export function serverNameKind(name: string): 'plain' | 'punctuated' | 'never' {
  return PLAIN_NAME.test(name) ? 'plain' : PUNCTUATED_NAME.test(name) ? 'punctuated' : 'never';
}

/** Whether codex `version` (`X.Y.Z`) starts a server with this name. */
export function codexStartsServerNamed(name: string, version: string): boolean {
  const kind = serverNameKind(name);
  return kind === 'plain' || (kind === 'punctuated' && capabilitiesOf(version).punctuatedServerNames);
}

/** The namespace codex offers the server's tools under: `mcp__` and the name, each character outside `[A-Za-z0-9_]` read as `_`. */
export function toolNamespace(name: string): string {
  return `mcp__${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** What a name may hold, for messages. */
export const SERVER_NAME_RULE = `letters, digits, _ and -, and from codex ${PUNCTUATED_NAMES_SINCE.replace(/\.0$/, '')} also : @ / .`;
