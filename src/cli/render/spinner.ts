/**
 * A one-line progress indicator on stderr, shown only on a TTY that is not
 * `TERM=dumb` (and never with --json); otherwise it prints nothing, so logs
 * stay clean.
 */
import type { Output } from '../output.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * `start(text)` then `stop()`; prints nothing where it would not animate (see above).
 * Ctrl+C while it spins clears its line first (the shell's prompt would
 * otherwise follow the half-drawn frame) and says "interrupted", then the process ends by SIGINT as
 * it would have without the spinner (exit 130), unless the command handles
 * SIGINT itself.
 */
export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private readonly onSigint = (): void => {
    this.stop();
    // Say why the output ends here, as turn does.
    this.output.err('interrupted\n');
    // Nobody else handles it: end as the default action would, so a shell loop sees an interrupted command.
    if (process.listenerCount('SIGINT') === 0) process.kill(process.pid, 'SIGINT');
  };
  constructor(
    private readonly output: Output,
    private readonly enabled: boolean,
  ) {
    this.enabled = enabled && process.env['TERM'] !== 'dumb';
  }

  /**
   * For `migrate()`'s onProgress: a step starts on `done === false` and ends on `done === true`;
   * steps may overlap (plugin discovery and codex's loader run at once), and the line names the
   * running ones until the last has ended.
   */
  readonly progress = (step: string, done: boolean): void => {
    if (done) this.running.delete(step);
    else this.running.add(step);
    if (this.running.size === 0) this.stop();
    else this.start([...this.running].join(' and '));
  };

  private readonly running = new Set<string>();

  private text = '';

  /** Show `text`; while already spinning, only the text changes (the elapsed time keeps counting). */
  start(text: string): void {
    if (!this.enabled) return;
    this.text = text;
    if (this.timer) return;
    const t0 = Date.now();
    const draw = () => {
      const secs = ((Date.now() - t0) / 1000).toFixed(0);
      this.output.err(`\r\x1b[2K${this.output.errColor.cyan(FRAMES[this.frame++ % FRAMES.length]!)} ${this.text}… ${secs}s`);
    };
    draw();
    this.timer = setInterval(draw, 100);
    this.timer.unref();
    process.once('SIGINT', this.onSigint);
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    process.off('SIGINT', this.onSigint);
    this.output.err('\r\x1b[2K');
  }
}
