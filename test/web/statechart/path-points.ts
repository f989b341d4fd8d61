// Reads an SVG path of absolute M/L/Q/C commands (what web/src/statechart/layout.ts writes) into
// points sampled along it, so tests can check geometry without trusting the layout's own helpers.
export type Point = [number, number];

export function pathEnds(d: string): { start: Point; end: Point } {
  const nums = (d.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  if (nums.length < 4) throw new Error(`path too short: ${d}`);
  return { start: [nums[0]!, nums[1]!], end: [nums[nums.length - 2]!, nums[nums.length - 1]!] };
}

/** Points along the path, `per` samples per segment (curves evaluated as Bezier curves). */
export function samplePath(d: string, per = 20): Point[] {
  const out: Point[] = [];
  let at: Point = [0, 0];
  for (const m of d.matchAll(/([MLQC])([^MLQC]*)/g)) {
    const n = (m[2]!.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    const cmd = m[1]!;
    if (cmd === 'M') {
      at = [n[0]!, n[1]!];
      out.push(at);
      continue;
    }
    const p0 = at;
    for (let i = 1; i <= per; i++) {
      const t = i / per;
      const u = 1 - t;
      if (cmd === 'L') out.push([p0[0] + (n[0]! - p0[0]) * t, p0[1] + (n[1]! - p0[1]) * t]);
      if (cmd === 'Q') {
        out.push([u * u * p0[0] + 2 * u * t * n[0]! + t * t * n[2]!, u * u * p0[1] + 2 * u * t * n[1]! + t * t * n[3]!]);
      }
      if (cmd === 'C') {
        out.push([
          u * u * u * p0[0] + 3 * u * u * t * n[0]! + 3 * u * t * t * n[2]! + t * t * t * n[4]!,
          u * u * u * p0[1] + 3 * u * u * t * n[1]! + 3 * u * t * t * n[3]! + t * t * t * n[5]!,
        ]);
      }
    }
    at = [n[n.length - 2]!, n[n.length - 1]!];
  }
  return out;
}
