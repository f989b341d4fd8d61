// What a scenario runner prints on stdout (the runner contract), read back into records:
//   CALL {"t":µs,"made"?:µs,"host":..,"program":..,"call":..,"socket":..,"result":"ok"|errno,"value"?:n}
//   PROGRAM {"host":..,"program":..,"status":"done"|"failed"|"blocked","detail":..}
//   MARK <name>
// Any other line is an error: a runner that prints something else has broken the contract.

export interface CallLine {
  /** Microseconds after the runner's t0, when the call completed. */
  t: number;
  /** Microseconds after t0, when the program made the call (the harness counts the kernel's packets from it). */
  made?: number;
  host: string;
  program: string;
  call: string;
  socket: string;
  /** "ok" or the errno name. */
  result: string;
  /** Bytes received (recv, recvall, recv_message, recvfrom) or sent (send, sendto). */
  value?: number;
}

export interface ProgramLine {
  host: string;
  program: string;
  status: 'done' | 'failed' | 'blocked';
  detail: string;
}

export interface RunnerOutput {
  calls: CallLine[];
  programs: ProgramLine[];
  /** Mark names in the order printed, "end" last. */
  marks: string[];
}

const STATUSES = new Set(['done', 'failed', 'blocked']);

export function parseRunnerOutput(stdout: string): RunnerOutput {
  const out: RunnerOutput = { calls: [], programs: [], marks: [] };
  stdout.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const bad = (why: string): Error => new Error(`runner output line ${i + 1}: ${why}: ${line.slice(0, 200)}`);
    const space = line.indexOf(' ');
    const kind = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space + 1);
    if (kind === 'MARK') {
      if (!/^\S+$/.test(rest)) throw bad('expected "MARK <name>"');
      out.marks.push(rest);
      return;
    }
    if (kind !== 'CALL' && kind !== 'PROGRAM') throw bad('expected a CALL, PROGRAM or MARK line');
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(rest) as Record<string, unknown>;
    } catch {
      throw bad(`expected JSON after ${kind}`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw bad(`expected a JSON object after ${kind}`);
    const text = (k: string): string => {
      if (typeof record[k] !== 'string') throw bad(`"${k}" must be text`);
      return record[k];
    };
    if (kind === 'CALL') {
      if (!Number.isInteger(record.t) || (record.t as number) < 0) throw bad('"t" must be a whole number of microseconds');
      if (record.value !== undefined && !Number.isInteger(record.value)) throw bad('"value" must be a whole number');
      if (record.made !== undefined && (!Number.isInteger(record.made) || (record.made as number) < 0 || (record.made as number) > (record.t as number))) {
        throw bad('"made" must be a whole number of microseconds, not after "t"');
      }
      out.calls.push({
        t: record.t as number,
        ...(record.made !== undefined ? { made: record.made as number } : {}),
        host: text('host'),
        program: text('program'),
        call: text('call'),
        socket: text('socket'),
        result: text('result'),
        ...(record.value !== undefined ? { value: record.value as number } : {}),
      });
    } else {
      const status = text('status');
      if (!STATUSES.has(status)) throw bad('"status" must be done, failed or blocked');
      out.programs.push({ host: text('host'), program: text('program'), status: status as ProgramLine['status'], detail: text('detail') });
    }
  });
  return out;
}
