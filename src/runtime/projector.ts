/**
 * Projection of codex's completed thread items into Hermes' message shape
 * (`{role, content, tool_calls, tool_call_id}`, the OpenAI chat shape Hermes
 * keeps its transcripts in). Item shapes: the generated `ThreadItem` of
 * codex 0.169. Pure and deterministic: tool-call ids derive from codex item
 * ids, argument JSON has sorted keys, so replaying the same items gives the
 * same messages. Streaming deltas are not items and never make messages.
 */
import { canonicalJson } from '../config/codex-toml.js';
import { createHash } from 'node:crypto';

export interface HermesToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface HermesMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  tool_calls?: HermesToolCall[];
  tool_call_id?: string;
  /** Reasoning summary that preceded this assistant message. */
  reasoning?: string;
}

/** Longest tool output kept in a message, in characters. */
export const MAX_TOOL_OUTPUT_CHARS = 16_000;

const TOOL_ITEM_TYPES = new Set(['commandExecution', 'fileChange', 'mcpToolCall', 'dynamicToolCall']);

type Item = Record<string, unknown> & { type?: unknown; id?: unknown };

/** Keep the head and the tail of a long text with a marker in between. */
export function truncateOutput(text: string, max = MAX_TOOL_OUTPUT_CHARS): string {
  if (text.length <= max) return text;
  const keep = max - 64;
  const head = Math.ceil(keep * 0.6);
  const tail = keep - head;
  return `${text.slice(0, head)}\n…[truncated ${text.length - head - tail} characters]…\n${text.slice(text.length - tail)}`;
}

/** JSON with object keys sorted at every level (the one canonical JSON of the project). */
export const sortedJson: (value: unknown) => string = canonicalJson;

/** A tool-call id derived from the codex item id (`call_<id>`; hashed when unsafe or long). */
export function toolCallId(itemId: string): string {
  if (/^[A-Za-z0-9_-]{1,56}$/.test(itemId)) return itemId.startsWith('call_') ? itemId : `call_${itemId}`;
  return `call_${createHash('sha256').update(itemId).digest('hex').slice(0, 32)}`;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Builds one turn's Hermes messages from its completed items, in order:
 * `add()` each `item/completed` item, then `messages()` (user, assistant
 * with `tool_calls`, one `tool` message per call), `finalText` (the last
 * agent message) and `toolIterations` (tool calls seen). Pure: no I/O.
 */
export class TurnProjector {
  private readonly out: HermesMessage[] = [];
  private pendingReasoning: string[] = [];
  private lastAgentText: string | null = null;
  private tools = 0;

  /** Add one completed item (from `item/completed`). Unknown types become an opaque note. */
  add(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const item = raw as Item;
    const type = s(item.type);
    const id = s(item.id);
    switch (type) {
      case 'userMessage': {
        const parts = Array.isArray(item['content']) ? (item['content'] as Item[]) : [];
        const text = parts.map((p) => (p.type === 'text' ? s(p['text']) : `[${s(p.type)}]`)).join('\n');
        this.out.push({ role: 'user', content: text });
        return;
      }
      case 'agentMessage': {
        const text = s(item['text']);
        this.lastAgentText = text;
        this.assistant({ role: 'assistant', content: text });
        return;
      }
      case 'reasoning': {
        const summary = Array.isArray(item['summary']) ? (item['summary'] as unknown[]).map(s) : [];
        const content = Array.isArray(item['content']) ? (item['content'] as unknown[]).map(s) : [];
        const text = (summary.length ? summary : content).join('\n').trim();
        if (text) this.pendingReasoning.push(text);
        return;
      }
      case 'commandExecution': {
        const status = s(item['status']);
        const exit = typeof item['exitCode'] === 'number' ? (item['exitCode'] as number) : null;
        let result = s(item['aggregatedOutput']);
        if (status === 'declined') result = 'declined: the user did not approve this command';
        else if (exit !== null && exit !== 0) result = `[exit ${exit}] ${result}`;
        this.toolCall(id, 'exec_command', { command: s(item['command']), cwd: s(item['cwd']) }, result);
        return;
      }
      case 'fileChange': {
        const changes = Array.isArray(item['changes']) ? (item['changes'] as Item[]) : [];
        const summary = changes.map((c) => ({ kind: s((c['kind'] as Item | undefined)?.type) || 'update', path: s(c['path']) }));
        const status = s(item['status']);
        const result = status === 'completed' ? `applied ${changes.length} change(s)` : status === 'declined' ? 'declined: the user did not approve this change' : status;
        this.toolCall(id, 'apply_patch', { changes: summary }, result);
        return;
      }
      case 'mcpToolCall': {
        const err = item['error'] as Item | null | undefined;
        const res = item['result'] as Item | null | undefined;
        const content = Array.isArray(res?.['content'])
          ? (res!['content'] as Item[]).map((c) => (c && c.type === 'text' ? s(c['text']) : sortedJson(c))).join('\n')
          : '';
        // A failure is marked as one: codex's error, a failed status, or an MCP result with isError.
        const failed = Boolean(err) || s(item['status']) === 'failed' || res?.['isError'] === true;
        const text = err ? `error: ${s(err['message'])}${content ? `\n${content}` : ''}` : failed ? `error: ${content || 'the tool call failed'}` : content;
        this.toolCall(id, `mcp.${s(item['server'])}.${s(item['tool'])}`, item['arguments'] ?? {}, text);
        return;
      }
      case 'webSearch': {
        const action = item['action'] as Item | null | undefined;
        const results = Array.isArray(item['results']) ? sortedJson(item['results']) : '';
        const args: Record<string, unknown> = { query: s(item['query']) };
        if (action && s(action.type) !== 'search' && s(action.type) !== 'other') args['action'] = action;
        this.toolCall(id, 'web_search', args, results || (s(item['status']) === 'failed' ? 'error: the search failed' : ''));
        return;
      }
      case 'plan':
        // The model's plan is its own text: kept, without taking the reasoning meant for the reply.
        this.note(s(item['text']));
        return;
      case 'contextCompaction':
        // Codex compacted the thread's context: no content, and nothing for the transcript.
        return;
      case 'dynamicToolCall': {
        const ns = s(item['namespace']);
        const items = Array.isArray(item['contentItems']) ? (item['contentItems'] as Item[]) : [];
        const text = items.map((c) => (c.type === 'inputText' ? s(c['text']) : `[${s(c.type)}]`)).join('\n');
        const name = ns ? `${ns}.${s(item['tool'])}` : s(item['tool']);
        this.toolCall(id, name, item['arguments'] ?? {}, item['success'] === false && !text ? 'failed' : text);
        return;
      }
      default: {
        // No fabricated tool calls for items Hermes has no shape for; their content is kept in a note.
        const { type: _t, id: _i, ...rest } = item;
        const body = Object.keys(rest).length ? ` ${truncateOutput(sortedJson(rest), 4000)}` : '';
        this.note(`[codex ${type || 'unknown'} item${id ? ` ${id}` : ''}]${body}`);
      }
    }
  }

  /** An assistant note that is not the model's reply: it never takes the pending reasoning. */
  private note(content: string): void {
    this.out.push({ role: 'assistant', content });
  }

  private assistant(msg: HermesMessage): void {
    if (this.pendingReasoning.length) {
      msg.reasoning = this.pendingReasoning.join('\n\n');
      this.pendingReasoning = [];
    }
    this.out.push(msg);
  }

  private toolCall(itemId: string, name: string, args: unknown, result: string): void {
    this.tools++;
    const id = toolCallId(itemId);
    this.assistant({ role: 'assistant', content: '', tool_calls: [{ id, type: 'function', function: { name, arguments: sortedJson(args) } }] });
    this.out.push({ role: 'tool', tool_call_id: id, content: truncateOutput(result) });
  }

  /** The projected messages so far. */
  messages(): HermesMessage[] {
    return this.out;
  }

  /** Text of the last agentMessage, or '' when there was none. */
  get finalText(): string {
    return this.lastAgentText ?? '';
  }

  /** Number of tool-shaped items seen. */
  get toolIterations(): number {
    return this.tools;
  }
}

/** True for item types that project to a tool call. */
export function isToolItem(type: string): boolean {
  return TOOL_ITEM_TYPES.has(type);
}
