// Where the time goes: a V8 .cpuprofile (node --cpu-prof) summed by self time per function.
// Self time of a node is the sum of the sample intervals (timeDeltas) that landed in it.

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  /** "name (file:line)", the file relative to `root` when under it. */
  where: string;
  ms: number;
  /** Share of all sampled time, 0..1. */
  share: number;
}

/** The `top` functions by self time. Functions are told apart by name, file and line; V8's pseudo-nodes keep their names. */
export function selfTimes(profile: CpuProfile, root: string, top = 12): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const micros = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample: the interval that ended in sample i.
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    total += dt;
    const key = label(node.callFrame, root);
    micros.set(key, (micros.get(key) ?? 0) + dt);
  }
  return [...micros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({ where, ms: us / 1000, share: total > 0 ? us / total : 0 }));
}

function label(frame: CpuProfile['nodes'][number]['callFrame'], root: string): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  let file = frame.url.replace(/^file:\/\//, '');
  if (file.startsWith(root + '/')) file = file.slice(root.length + 1);
  // lineNumber is 0-based in the profile.
  return `${name} (${file}:${frame.lineNumber + 1})`;
}
