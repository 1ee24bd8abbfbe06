/**
 * The progress line migrate's steps drive: steps may overlap (plugin
 * discovery and codex's loader run at once), and the line stays until the
 * last running step has ended.
 */
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { Spinner } from '../../src/cli/render/spinner.js';
import { plainStyle, type Output } from '../../src/cli/output.js';

function recorder(): { output: Output; frames: string[] } {
  const frames: string[] = [];
  return { frames, output: { out: () => undefined, err: (t) => void frames.push(t), color: plainStyle(), errColor: plainStyle() } };
}

describe('Spinner.progress', () => {
  const term = process.env['TERM'];
  afterEach(() => {
    if (term === undefined) delete process.env['TERM'];
    else process.env['TERM'] = term;
  });

  it('names every running step and clears the line only when the last one ends', () => {
    process.env['TERM'] = 'xterm';
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const { output, frames } = recorder();
    const s = new Spinner(output, true);
    const plugins = 'querying codex for installed plugins';
    const loader = "checking the result with codex's own config loader";
    s.progress(plugins, false);
    s.progress(loader, false);
    vi.advanceTimersByTime(100);
    expect(frames.at(-1)).toMatch(/ querying codex for installed plugins and checking the result with codex's own config loader… 0s$/);
    s.progress(plugins, true);
    vi.advanceTimersByTime(100);
    // Still spinning, naming the step that is still running.
    expect(frames.at(-1)).toMatch(/ checking the result with codex's own config loader… 0s$/);
    s.progress(loader, true);
    expect(frames.at(-1)).toBe('\r\x1b[2K');
    const drawn = frames.length;
    vi.advanceTimersByTime(500);
    expect(frames.length).toBe(drawn);
  });
});
