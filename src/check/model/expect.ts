// The commands' assertion: a readable Error when the real system observed something the model forbids.
import type { Observation } from './system.js';

export function mismatch(what: string, expected: string, got: Observation): Error {
  const seen = got.bytes ? `${got.result}, ${got.bytes.length} bytes` : got.result;
  return new Error(`${what}: the application should observe ${expected}, but observed ${seen}`);
}
