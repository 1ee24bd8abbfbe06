/**
 * Progress and prompts for `hermes-codex turn`. On a TTY: one live status
 * line on stderr (current item, command, elapsed time); otherwise plain
 * lines. The answer goes to stdout.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { choicePrompt } from '../prompt.js';
import type { Output } from '../output.js';
import type { ApprovalDecision, ApprovalRequest } from '../../runtime/approvals.js';
import type { TurnEvent } from '../../runtime/session.js';
import type { OneTurnResult } from '../../runtime/one-turn.js';
import { visible } from './visible.js';

/** Whether `dir` or a parent holds `.git`. */
function inGitRepository(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** Renders one turn as it runs (`started`, `mcpWait`, `event`, `note`), keeps prompts readable (`paused`), and prints the outcome (`result`; `done` clears the live line). */
export class TurnProgress {
  private readonly t0 = Date.now();
  private current = 'waiting for the model';
  private timer: NodeJS.Timeout | undefined;
  private live = false;

  /** Warnings already printed (the codex version's, when the turn started). */
  private readonly shown = new Set<string>();

  constructor(
    private readonly output: Output,
    private readonly tty: boolean,
  ) {}

  started(info: { codexVersion: { version: string; warning?: string }; codexHome: string; threadId: string; cwd?: string }): void {
    const c = this.output.errColor;
    this.line(c.dim(`codex ${info.codexVersion.version} · CODEX_HOME ${info.codexHome} · thread ${info.threadId}`));
    // codex marks a git repository it works in as trusted, in config.toml: say so, it is not hermes-codex's write.
    if (info.cwd && inGitRepository(info.cwd)) this.line(c.dim(`note: codex may record trust for ${info.cwd} in ${info.codexHome}/config.toml ([projects."…"] trust_level); that setting is codex's own`));
    if (info.codexVersion.warning) {
      this.line(c.yellow(`⚠ ${info.codexVersion.warning}`));
      this.shown.add(info.codexVersion.warning);
    }
    if (this.tty) {
      this.live = true;
      this.timer = setInterval(() => this.render(), 250);
      this.timer.unref();
    }
  }

  event(e: TurnEvent): void {
    if (e.type === 'delta') return;
    if (e.type === 'itemStarted') {
      // One line, and nothing in it acting on the terminal: a command may span lines or carry escapes.
      this.current = e.item.command ? `running: ${visible(e.item.command)}` : `${e.item.type}…`;
      if (!this.tty && e.item.type !== 'userMessage') this.line(`… ${this.current}`);
    } else if (e.type === 'itemCompleted' && e.item.type !== 'userMessage') {
      if (!this.tty) this.line(`✓ ${e.item.type}${e.item.status ? ` (${e.item.status})` : ''}`);
      this.current = 'waiting for the model';
    }
    this.render();
  }

  /** Run a prompt with the live line paused, so the question stays visible. */
  async paused<T>(fn: () => Promise<T>): Promise<T> {
    const wasLive = this.live;
    if (wasLive) this.output.err('\r\x1b[2K');
    this.live = false;
    try {
      return await fn();
    } finally {
      this.live = wasLive && this.timer !== undefined;
    }
  }

  /** While codex starts the configured MCP servers (before the turn). */
  mcpWait(done: boolean): void {
    this.current = done ? 'waiting for the model' : 'starting MCP servers';
    if (!done && !this.tty) this.line('… starting MCP servers');
    this.render();
  }

  note(text: string): void {
    this.line(this.output.errColor.yellow(text));
  }

  /** Stop the live line. Idempotent. */
  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) this.output.err('\r\x1b[2K');
    this.live = false;
  }

  result(r: OneTurnResult, smokeOk?: boolean): void {
    const c = this.output.errColor;
    // The result repeats the version warning for --json readers; people saw it when the turn started.
    for (const w of r.warnings) if (!this.shown.has(w)) this.line(c.yellow(`⚠ ${w}`));
    if (r.finalText) this.output.out(r.finalText.endsWith('\n') ? r.finalText : r.finalText + '\n');
    const secs = ((Date.now() - this.t0) / 1000).toFixed(1);
    const usage = r.usage ? ` · ${r.usage.totalTokens} tokens` : '';
    if (r.error) this.line(c.red(`✗ turn ${r.status}: ${r.error}`));
    else this.line(c.dim(`turn ${r.status} in ${secs} s · ${r.toolIterations} tool call(s)${usage}`));
    if (smokeOk !== undefined) this.line(smokeOk ? c.green('✓ smoke turn answered PONG') : c.red(`✗ smoke turn answered ${JSON.stringify(r.finalText.slice(0, 80))}, not PONG`));
  }

  private render(): void {
    if (!this.live) return;
    const secs = ((Date.now() - this.t0) / 1000).toFixed(0);
    const cols = process.stderr.columns ?? 80;
    const text = `⠿ ${this.current} · ${secs}s`;
    this.output.err(`\r\x1b[2K${this.output.errColor.cyan(text.slice(0, cols - 1))}`);
  }

  private line(text: string): void {
    if (this.live) this.output.err('\r\x1b[2K');
    this.output.err(text + '\n');
    this.render();
  }
}

/**
 * Ask on the terminal whether to allow a command, a file change or an MCP tool call (Enter declines).
 * @throws PromptInterrupted on Ctrl+C
 */
export async function askApproval(req: ApprovalRequest, output: Output): Promise<ApprovalDecision> {
  const c = output.errColor;
  let what: string;
  let reason: string | null = null;
  // What the user is asked to allow is shown as it is: no control character in it may act on the terminal
  // (an escape sequence could hide part of a command); a multi-line command keeps its lines.
  if (req.kind === 'command') {
    what = `run ${c.bold(visible(req.command, { lines: true }))}\n  in ${visible(req.cwd)}`;
    reason = req.reason;
  } else if (req.kind === 'fileChange') {
    what = `change ${req.changes.length ? req.changes.map((ch) => `${ch.kind} ${visible(ch.path)}`).join(', ') : 'files'}${req.grantRoot ? `\n  (and write under ${visible(req.grantRoot)})` : ''}`;
    reason = req.reason;
  } else {
    const args = JSON.stringify(req.arguments ?? {});
    const hints = Object.entries(req.annotations).filter(([, v]) => v === true).map(([k]) => k);
    what = `call the MCP tool ${c.bold(visible(req.tool))} of server ${c.bold(visible(req.server))}${hints.length ? ` (${hints.join(', ')})` : ''}\n  arguments: ${visible(args.length > 400 ? `${args.slice(0, 400)}…` : args)}`;
  }
  output.err(`\r\x1b[2K${c.yellow('?')} codex wants to ${what}${reason ? `\n  reason: ${visible(reason, { lines: true })}` : ''}\n`);
  return choicePrompt<ApprovalDecision>(
    'allow?',
    [
      { key: 'y', name: 'yes, once', value: 'accept' },
      { key: 's', name: 'yes, for this session', value: 'acceptForSession' },
      { key: 'n', name: 'no', value: 'decline' },
    ],
    'n',
  );
}
