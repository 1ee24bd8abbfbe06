/**
 * A one-line progress indicator on stderr, shown only on a TTY (and never
 * with --json); off a TTY it prints nothing, so logs stay clean.
 */
import type { Output } from '../output.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  constructor(
    private readonly output: Output,
    private readonly enabled: boolean,
  ) {}

  /** For `migrate()`'s onProgress: start on `done === false`, stop on `done === true`. */
  readonly progress = (step: string, done: boolean): void => (done ? this.stop() : this.start(step));

  start(text: string): void {
    if (!this.enabled) return;
    this.stop();
    const t0 = Date.now();
    const draw = () => {
      const secs = ((Date.now() - t0) / 1000).toFixed(0);
      this.output.err(`\r\x1b[2K${this.output.errColor.cyan(FRAMES[this.frame++ % FRAMES.length]!)} ${text}… ${secs}s`);
    };
    draw();
    this.timer = setInterval(draw, 100);
    this.timer.unref();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.output.err('\r\x1b[2K');
  }
}
