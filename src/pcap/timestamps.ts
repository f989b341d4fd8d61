// pcapng timestamps (draft-ietf-opsawg-pcapng 4.2, if_tsresol and if_tsoffset): a 64-bit count of units since
// the epoch, a unit being 10^-n or 2^-n seconds (default 10^-6), plus a whole-second offset per interface.

export interface TsResolution {
  /** 10 or 2 */
  base: 10 | 2;
  exponent: number;
}

export const MICROSECONDS: TsResolution = { base: 10, exponent: 6 };

/** Decodes the if_tsresol byte: most significant bit clear = negative power of 10, set = negative power of 2. */
export function tsResolution(byte: number): TsResolution {
  return (byte & 0x80) === 0 ? { base: 10, exponent: byte } : { base: 2, exponent: byte & 0x7f };
}

export function describeResolution(res: TsResolution): string {
  return `${res.base}^-${res.exponent} s`;
}

/** Seconds and nanoseconds (rounded down) for `units` of `res` since the epoch, plus `offsetSeconds`. */
export function unitsToTime(units: bigint, res: TsResolution, offsetSeconds: bigint): { sec: number; nsec: number } {
  const perSecond = res.base === 10 ? 10n ** BigInt(res.exponent) : 1n << BigInt(res.exponent);
  const whole = units / perSecond;
  const nsec = ((units % perSecond) * 1_000_000_000n) / perSecond;
  return { sec: Number(whole + offsetSeconds), nsec: Number(nsec) };
}
