/**
 * A small builder for one check's row (after codex's own doctor, which
 * builds its rows the same way): details accumulate; the status only gets
 * worse (ok → warn → fail); each finding brings the remediation people read,
 * replacing the one before it, and may bring a `--fix` (a warning keeps an
 * earlier fix; a failure offers only its own).
 */
import type { CheckOutcome, CheckStatus, FixId } from './types.js';

const RANK: Record<CheckStatus, number> = { skip: 0, ok: 1, warn: 2, fail: 3 };

/** One check's row under construction: `detail()`, `warn()`, `fail()`, then the finished outcome. */
export class Row {
  private status: CheckStatus = 'ok';
  private readonly details: string[] = [];
  private remediation: string | undefined;
  private fix: FixId | undefined;

  /** True while nothing was found (the status is still ok). */
  get ok(): boolean {
    return this.status === 'ok';
  }

  /** Add lines for `--verbose` (never secrets). */
  detail(...lines: string[]): this {
    this.details.push(...lines);
    return this;
  }

  /** A finding worth a warning: what to do about it, and the `--fix` that does it, if any (an earlier fix stays otherwise). */
  warn(remediation: string, fix?: FixId): this {
    return this.finding('warn', remediation, fix);
  }

  /** A finding that makes the check fail; only its own fix, if any, is offered (an earlier one no longer applies). */
  fail(remediation: string, fix?: FixId): this {
    this.fix = undefined;
    return this.finding('fail', remediation, fix);
  }

  /** The finished row with its one-line summary. */
  done(summary: string): CheckOutcome {
    return {
      status: this.status,
      summary,
      details: [...this.details],
      ...(this.remediation ? { remediation: this.remediation } : {}),
      ...(this.fix ? { fix: this.fix } : {}),
    };
  }

  private finding(status: CheckStatus, remediation: string, fix: FixId | undefined): this {
    if (RANK[status] > RANK[this.status]) this.status = status;
    this.remediation = remediation;
    if (fix) this.fix = fix;
    return this;
  }
}
