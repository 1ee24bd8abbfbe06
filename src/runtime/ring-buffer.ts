/**
 * A bounded buffer of the most recent text lines (codex stderr, stray
 * stdout), capped by line count and by total characters.
 */
export class LineRing {
  private lines: string[] = [];
  private chars = 0;
  constructor(
    private readonly maxLines = 200,
    private readonly maxChars = 64 * 1024,
  ) {}

  /** Add a line; a line longer than the character cap keeps its end. */
  push(line: string): void {
    const l = line.length > this.maxChars ? `…${line.slice(line.length - this.maxChars + 1)}` : line;
    this.lines.push(l);
    this.chars += l.length;
    while (this.lines.length > this.maxLines || this.chars > this.maxChars) {
      this.chars -= this.lines.shift()!.length;
    }
  }

  /** The last `n` lines (all by default), joined with newlines. */
  tail(n = this.maxLines): string {
    return this.lines.slice(-n).join('\n');
  }

  get size(): number {
    return this.lines.length;
  }
}
