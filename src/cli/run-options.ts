// Checking `synack run` flag values; each bad value is a one-line UsageError.
import { PROFILES, type ProfileName } from '../tcp/profile.js';
import { UsageError } from './errors.js';

const MAX_SEED = 2 ** 32 - 1;
export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1000;

export function parseProfile(text: string | undefined): ProfileName {
  if (text === undefined) return 'linux';
  if (Object.hasOwn(PROFILES, text)) return text as ProfileName;
  throw new UsageError(`unknown profile "${text}"; the profiles are: ${Object.keys(PROFILES).join(', ')}`);
}

/** A decimal integer without sign, point or exponent; NaN for anything else. */
function decimal(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

export function parseSeed(text: string | undefined): number {
  if (text === undefined) return 1;
  const seed = decimal(text);
  if (!(seed <= MAX_SEED)) throw new UsageError(`bad seed "${text}": expected an integer from 0 to ${MAX_SEED}`);
  return seed;
}

export function parseWidth(text: string | undefined): number {
  if (text === undefined) return 80;
  const width = decimal(text);
  if (!(width >= MIN_WIDTH && width <= MAX_WIDTH)) {
    throw new UsageError(`bad width "${text}": expected an integer from ${MIN_WIDTH} to ${MAX_WIDTH}`);
  }
  return width;
}
