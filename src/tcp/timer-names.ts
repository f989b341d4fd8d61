// The protocol timers a connection keeps (RFC 9293 3.8, RFC 6298, Linux tcp_timer.c).
export type TimerName = 'retransmit' | 'delayedAck' | 'timeWait' | 'finWait2' | 'synAck' | 'persist';
