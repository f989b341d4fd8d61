// "Did you mean …?": candidates close to a mistyped name.

/** Edit distance with adjacent transpositions (optimal string alignment): "teh" -> "the" is 1. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => (rows[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Up to `max` candidates close to `name`, closest first: within an edit distance of a third of the
 * name's length (at least 2), or containing it (names of 3 characters or more).
 */
export function closeMatches(name: string, candidates: readonly string[], max = 3): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate.toLowerCase()) }))
    .filter(
      ({ candidate, distance }) =>
        distance <= limit || (wanted.length >= 3 && candidate.toLowerCase().includes(wanted)),
    )
    .sort((x, y) => x.distance - y.distance)
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

/** " did you mean run?" / " did you mean one of: a, b?" / "" when nothing is close. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const close = closeMatches(name, candidates);
  if (close.length === 0) return '';
  return close.length === 1 ? `did you mean ${close[0]}?` : `did you mean one of: ${close.join(', ')}?`;
}
