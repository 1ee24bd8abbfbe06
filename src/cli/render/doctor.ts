/**
 * Doctor reports for people (grouped, ✓ ⚠ ✗ ○ or ASCII), JUnit XML and
 * GitHub workflow annotations.
 */
import type { ChalkInstance } from 'chalk';
import type { CheckResult, DoctorReport } from '../../doctor/types.js';
import { visible } from './visible.js';

const CATEGORY_TITLES: Record<string, string> = { codex: 'Codex', migration: 'Managed block', hermes: 'Hermes', mcp: 'MCP servers', live: 'Live (codex running)' };

/**
 * Checks grouped by category with a status mark each (`ascii`: `ok`/`warn`/`FAIL`/`skip` words),
 * remediations, details with `verbose`, then the summary line. Summaries, details and remediations
 * quote codex, MCP servers and marketplaces: their control characters are shown as escapes.
 */
export function renderDoctorHuman(r: DoctorReport, c: ChalkInstance, opts: { ascii?: boolean; verbose?: boolean } = {}): string {
  const mark = (s: CheckResult['status']) =>
    opts.ascii
      ? { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' }[s]
      : { ok: c.green('✓'), warn: c.yellow('⚠'), fail: c.red('✗'), skip: c.dim('○') }[s];
  const lines: string[] = [];
  const categories = [...new Set(r.checks.map((x) => x.category))];
  for (const cat of categories) {
    lines.push(c.bold(CATEGORY_TITLES[cat] ?? cat));
    for (const x of r.checks.filter((y) => y.category === cat)) {
      const summary = visible(x.summary, { lines: true });
      lines.push(`  ${mark(x.status)} ${x.id}: ${x.status === 'skip' ? c.dim(summary) : summary}${opts.verbose ? c.dim(` (${x.durationMs} ms)`) : ''}`);
      if (opts.verbose) for (const d of x.details) lines.push(c.dim(`      ${visible(d, { lines: true })}`));
      if (x.remediation) lines.push(`      ${c.cyan(opts.ascii ? '->' : '→')} ${visible(x.remediation, { lines: true })}`);
    }
    lines.push('');
  }
  const n = (s: CheckResult['status']) => r.checks.filter((x) => x.status === s).length;
  const overall = { ok: c.green('healthy'), warn: c.yellow('usable, with warnings'), fail: c.red('not usable yet') }[r.overallStatus];
  lines.push(`${overall}: ${n('ok')} ok, ${n('warn')} warning(s), ${n('fail')} failed, ${n('skip')} skipped${r.codexVersion ? ` · codex ${r.codexVersion}` : ''} · hermes-codex ${r.toolVersion}`);
  const fixable = r.checks.filter((x) => x.fixable).map((x) => x.id);
  if (fixable.length) lines.push(c.dim(`--fix can repair: ${fixable.join(', ')}`));
  return lines.join('\n') + '\n';
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testcase per check; fail → <failure>, skip → <skipped>, warn → <failure> only with strict. */
export function renderDoctorJunit(r: DoctorReport, opts: { strict?: boolean } = {}): string {
  const failing = (x: CheckResult) => x.status === 'fail' || (opts.strict === true && x.status === 'warn');
  const cases = r.checks.map((x) => {
    const body =
      x.status === 'skip'
        ? `<skipped message="${xml(x.summary)}"/>`
        : failing(x)
          ? `<failure message="${xml(x.summary)}" type="${x.status}">${xml([x.summary, ...x.details, x.remediation ? `fix: ${x.remediation}` : ''].filter(Boolean).join('\n'))}</failure>`
          : x.status === 'warn'
            ? `<system-out>${xml(`WARNING: ${x.summary}${x.remediation ? `\nfix: ${x.remediation}` : ''}`)}</system-out>`
            : '';
    return `    <testcase classname="hermes-codex.doctor.${x.category}" name="${xml(x.id)}" time="${(x.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
  });
  const failures = r.checks.filter(failing).length;
  const skipped = r.checks.filter((x) => x.status === 'skip').length;
  const time = (r.checks.reduce((t, x) => Math.max(t, x.durationMs), 0) / 1000).toFixed(3);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hermes-codex doctor" tests="${r.checks.length}" failures="${failures}" skipped="${skipped}" time="${time}">\n  <testsuite name="hermes-codex doctor" tests="${r.checks.length}" failures="${failures}" skipped="${skipped}" errors="0" time="${time}" timestamp="${r.generatedAt}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

const ghEscape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProp = (s: string) => ghEscape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: ::error / ::warning per check, ::notice for the summary. */
export function renderDoctorGithub(r: DoctorReport): string {
  const lines = r.checks
    .filter((x) => x.status === 'fail' || x.status === 'warn')
    .map((x) => `::${x.status === 'fail' ? 'error' : 'warning'} title=${ghProp(`hermes-codex doctor: ${x.id}`)}::${ghEscape(`${x.summary}${x.remediation ? `\nfix: ${x.remediation}` : ''}`)}`);
  const n = (s: CheckResult['status']) => r.checks.filter((x) => x.status === s).length;
  lines.push(`::notice title=hermes-codex doctor::${ghEscape(`${r.overallStatus}: ${n('ok')} ok, ${n('warn')} warnings, ${n('fail')} failed, ${n('skip')} skipped`)}`);
  return lines.join('\n') + '\n';
}
