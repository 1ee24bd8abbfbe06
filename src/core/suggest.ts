/**
 * "Did you mean …?": the nearest known word to one that was mistyped.
 * Pure; shared by the CLI's usage errors and doctor's check ids.
 */

/** Levenshtein edit distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

/** The word of `among` nearest to `word` within `maxEdits` (default 2), the first of equals; undefined when none is that near. */
export function nearestWord(word: string, among: readonly string[], maxEdits = 2): string | undefined {
  let best: string | undefined;
  let bestD = maxEdits + 1;
  for (const k of among) {
    const d = editDistance(word, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}
