// The one source of randomness the pure TCP layer sees: passed in, seeded by the simulator.
export interface Rng {
  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number;
}
