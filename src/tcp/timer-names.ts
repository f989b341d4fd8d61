// The protocol timers a connection keeps (RFC 9293 3.8, RFC 6298, Linux tcp_timer.c).
export type TimerName = 'retransmit' | 'delayedAck' | 'timeWait' | 'finWait2' | 'synAck' | 'persist';

export const TIMER_NAMES: readonly TimerName[] = ['retransmit', 'delayedAck', 'timeWait', 'finWait2', 'synAck', 'persist'];

/** Each timer's deadline (microseconds), undefined when it is not armed. */
export type TimerDeadlines = Record<TimerName, number | undefined>;
