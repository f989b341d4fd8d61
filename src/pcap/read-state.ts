// What a reader reports besides frames: warnings and whether the result is partial.

export interface ReadState {
  warnings: string[];
  truncated: boolean;
  /** Keys of warnings given once per file (e.g. one "caplen > snaplen" however many records do it). */
  warnedOnce: Set<string>;
}

export function newReadState(): ReadState {
  return { warnings: [], truncated: false, warnedOnce: new Set() };
}

/** The file cannot be read past this point: warn and mark the result partial. */
export function stopWith(state: ReadState, warning: string): void {
  state.warnings.push(warning);
  state.truncated = true;
}

/** Adds `warning` the first time `key` comes up. */
export function warnOnce(state: ReadState, key: string, warning: string): void {
  if (state.warnedOnce.has(key)) return;
  state.warnedOnce.add(key);
  state.warnings.push(warning);
}
