/**
 * Answering codex's server-initiated requests during a turn.
 *
 * Shapes (generated protocol types of codex 0.169; field notes):
 * `item/commandExecution/requestApproval {threadId, turnId, itemId, reason,
 * command, cwd, …}` and `item/fileChange/requestApproval {threadId, turnId,
 * itemId, reason, grantRoot}` are answered `{decision}` with `accept`,
 * `acceptForSession`, `decline` or `cancel`; `item/permissions/requestApproval`
 * with `{permissions, scope}`; `mcpServer/elicitation/request` with
 * `{action, content, _meta}`. Everything else gets -32601 so codex never
 * waits for an answer that will not come.
 */
import { methodNotFound, type ServerRequest, type ServerRequestHandler } from './client.js';

export type ApprovalDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

/** What the model wants to do, for an approval prompt. */
export type ApprovalRequest =
  | { kind: 'command'; threadId: string; turnId: string; itemId: string; command: string; cwd: string; reason: string | null }
  | {
      kind: 'fileChange';
      threadId: string;
      turnId: string;
      itemId: string;
      reason: string | null;
      grantRoot: string | null;
      /** The changes, from the item's `item/started` (empty when codex did not announce them). */
      changes: { path: string; kind: string }[];
    }
  | {
      kind: 'mcpToolCall';
      threadId: string;
      turnId: string | null;
      /** The MCP server's name in config.toml. */
      server: string;
      tool: string;
      /** The tool's arguments as the model gave them. */
      arguments: unknown;
      /** The tool's MCP annotations (`destructiveHint`, `readOnlyHint`, …). */
      annotations: Record<string, unknown>;
      /** Codex's question, e.g. `Allow the memory MCP server to run tool "delete_entities"?`. */
      message: string;
    };

/** A server asking the person for input (an MCP elicitation that is not a tool approval). */
export interface ElicitationRequest {
  threadId: string;
  turnId: string | null;
  server: string;
  mode: string;
  message: string;
  /** The JSON schema of the form (form modes). */
  requestedSchema?: unknown;
  /** The page to open (url mode). */
  url?: string;
}

/** What the consent callback answers: accept with the form's content, decline, or cancel. */
export type ElicitationAnswer = { action: 'accept'; content: Record<string, unknown> } | { action: 'decline' | 'cancel' };

/**
 * Consent for real elicitations from third-party servers. Fail closed:
 * url mode is always declined (nothing here can open a page for the person),
 * and an accepted form missing a required field is declined.
 */
export type ElicitationPolicy = (req: ElicitationRequest) => ElicitationAnswer | Promise<ElicitationAnswer>;

/** `never` declines, `once` accepts, `session` accepts for the session; or a callback decides. */
export type ApprovalPolicy = 'never' | 'once' | 'session' | ((req: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>);

/** The one MCP server whose elicitations are accepted: Hermes' own callback. */
export const TRUSTED_ELICITATION_SERVER = 'hermes-tools';

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Build the server-request handler for a session.
 * @param policy how to decide approvals; undefined declines everything (fail closed)
 * @param fileChanges changes announced by `item/started` of fileChange items, by item id
 */
export function approvalHandler(
  policy: ApprovalPolicy | undefined,
  fileChanges: ReadonlyMap<string, { path: string; kind: string }[]>,
  elicitation?: ElicitationPolicy,
): ServerRequestHandler {
  const decide = async (req: ApprovalRequest): Promise<ApprovalDecision> => {
    if (policy === undefined || policy === 'never') return 'decline';
    if (policy === 'once') return 'accept';
    if (policy === 'session') return 'acceptForSession';
    try {
      return await policy(req);
    } catch {
      return 'decline';
    }
  };
  return async (req: ServerRequest) => {
    const p = asRecord(req.params);
    switch (req.method) {
      case 'item/commandExecution/requestApproval':
        return {
          decision: await decide({
            kind: 'command',
            threadId: str(p['threadId']),
            turnId: str(p['turnId']),
            itemId: str(p['itemId']),
            command: str(p['command']),
            cwd: str(p['cwd']),
            reason: strOrNull(p['reason']),
          }),
        };
      case 'item/fileChange/requestApproval':
        return {
          decision: await decide({
            kind: 'fileChange',
            threadId: str(p['threadId']),
            turnId: str(p['turnId']),
            itemId: str(p['itemId']),
            reason: strOrNull(p['reason']),
            grantRoot: strOrNull(p['grantRoot']),
            changes: fileChanges.get(str(p['itemId'])) ?? [],
          }),
        };
      case 'item/permissions/requestApproval':
        // Grant nothing: additional permissions are never handed out silently.
        return { permissions: {}, scope: 'turn' };
      case 'mcpServer/elicitation/request': {
        const meta = asRecord(p['_meta']);
        if (p['serverName'] === TRUSTED_ELICITATION_SERVER) return { action: 'accept', content: p['mode'] === 'url' ? null : {}, _meta: null };
        if (meta['codex_approval_kind'] === 'mcp_tool_call') {
          const decision = await decide({
            kind: 'mcpToolCall',
            threadId: str(p['threadId']),
            turnId: strOrNull(p['turnId']),
            server: str(p['serverName']),
            tool: str(meta['tool_name']),
            arguments: meta['tool_params'] ?? {},
            annotations: asRecord(meta['tool_annotations']),
            message: str(p['message']),
          });
          return mcpApprovalAnswer(decision, meta['persist']);
        }
        return answerElicitation(p, elicitation);
      }
      default:
        throw methodNotFound(req.method);
    }
  };
}

/** The elicitation answer for an MCP tool approval decision. */
function mcpApprovalAnswer(decision: ApprovalDecision, persist: unknown): { action: string; content: unknown; _meta: unknown } {
  if (decision === 'accept') return { action: 'accept', content: {}, _meta: null };
  if (decision === 'acceptForSession') {
    // Remembered for the session only when codex offers that; otherwise an approval for this call.
    const offered = Array.isArray(persist) ? persist.includes('session') : persist === 'session';
    return { action: 'accept', content: {}, _meta: offered ? { persist: 'session' } : null };
  }
  return { action: decision === 'cancel' ? 'cancel' : 'decline', content: null, _meta: null };
}

/** A real elicitation: the consent callback decides, failing closed (see {@link ElicitationPolicy}). */
async function answerElicitation(p: Record<string, unknown>, policy: ElicitationPolicy | undefined): Promise<{ action: string; content: unknown; _meta: null }> {
  const decline = { action: 'decline', content: null, _meta: null };
  const mode = str(p['mode']);
  if (!policy || mode === 'url') return decline;
  let answer: ElicitationAnswer;
  try {
    answer = await policy({
      threadId: str(p['threadId']),
      turnId: strOrNull(p['turnId']),
      server: str(p['serverName']),
      mode,
      message: str(p['message']),
      ...(p['requestedSchema'] !== undefined ? { requestedSchema: p['requestedSchema'] } : {}),
    });
  } catch {
    return decline;
  }
  if (answer.action !== 'accept') return { action: answer.action === 'cancel' ? 'cancel' : 'decline', content: null, _meta: null };
  const required = asRecord(p['requestedSchema'])['required'];
  const content = asRecord(answer.content);
  if (Array.isArray(required) && required.some((k) => typeof k !== 'string' || content[k] === undefined || content[k] === null)) return decline;
  return { action: 'accept', content, _meta: null };
}

/** The kinds and paths of a fileChange item's `changes` (as in `item/started`). */
export function summariseChanges(changes: unknown): { path: string; kind: string }[] {
  if (!Array.isArray(changes)) return [];
  return changes.map((c) => {
    const r = asRecord(c);
    return { path: str(r['path']), kind: str(asRecord(r['kind'])['type']) || 'update' };
  });
}
