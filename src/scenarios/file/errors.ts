// A scenario file that cannot be used: every problem with its file, line and column, one per line.

export interface Problem {
  /** 1-based; 0 when the problem is with the file as a whole (it cannot be opened). */
  line: number;
  col: number;
  message: string;
}

export class ScenarioFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => (p.line > 0 ? `${file}:${p.line}:${p.col}: ${p.message}` : `${file}: ${p.message}`)).join('\n'));
    this.name = 'ScenarioFileError';
  }
}
