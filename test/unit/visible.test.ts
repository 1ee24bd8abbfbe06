/**
 * visible(): text from the model shown on a terminal with its control
 * characters as escapes (an approval prompt must show what will run).
 */
import { describe, expect, it } from 'vitest';
import { visible } from '../../src/cli/render/visible.js';

describe('visible', () => {
  it('shows escape sequences, carriage returns, DEL and C1 controls as \\u escapes', () => {
    expect(visible('rm -rf ~ \x1b[2K\rls')).toBe('rm -rf ~ \\u001b[2K\\u000dls');
    expect(visible('a\x7fb\x9bc\x00')).toBe('a\\u007fb\\u009bc\\u0000');
  });

  it('keeps line breaks and tabs where lines are allowed, and makes one line otherwise', () => {
    expect(visible('cat <<EOF\nhi\tthere\nEOF', { lines: true })).toBe('cat <<EOF\nhi\tthere\nEOF');
    expect(visible('cat <<EOF\nhi\tthere\nEOF')).toBe('cat <<EOF ⏎ hi there ⏎ EOF');
  });

  it('leaves printable text, Unicode included, as it is', () => {
    expect(visible('echo "héllo — ✓" | grep -v x')).toBe('echo "héllo — ✓" | grep -v x');
  });
});
