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
    };

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
export function approvalHandler(policy: ApprovalPolicy | undefined, fileChanges: ReadonlyMap<string, { path: string; kind: string }[]>): ServerRequestHandler {
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
        const trusted = p['serverName'] === TRUSTED_ELICITATION_SERVER;
        return trusted
          ? { action: 'accept', content: p['mode'] === 'url' ? null : {}, _meta: null }
          : { action: 'decline', content: null, _meta: null };
      }
      default:
        throw methodNotFound(req.method);
    }
  };
}

/** The kinds and paths of a fileChange item's `changes` (as in `item/started`). */
export function summariseChanges(changes: unknown): { path: string; kind: string }[] {
  if (!Array.isArray(changes)) return [];
  return changes.map((c) => {
    const r = asRecord(c);
    return { path: str(r['path']), kind: str(asRecord(r['kind'])['type']) || 'update' };
  });
}
