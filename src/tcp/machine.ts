// The TCP connection statechart: the single source of truth for which state changes exist.
// Flat states named as in states.ts; every edge of the RFC 9293 figure 5 diagram (section 3.3.2),
// plus the edges that only the text of section 3.10 (and RFC 9293 3.6.1 / Linux) gives.
//
// The chart carries no actions: the engine performs the effects (sending SYN, FIN, ACK, RST,
// arming timers) itself; the RFC's "snd ..." labels are recorded in comments and in `meta.label`.
// It carries no guards either: an event is only raised after segment processing has decided it
// applies (e.g. RCV_RST in SYN_SENT only for an RST with an acceptable ACK, 3.10.7.3), so the
// compiled table in transitions.ts can look transitions up by (state, event) alone. The compiler
// rejects a guarded transition rather than silently ignoring it.

import { setup } from 'xstate';
import type { ProfileName } from './profile.js';
import type { TcpEventType } from './states.js';

/** Where an edge comes from: drawn in figure 5, given only by RFC text, or a Linux extension. */
export type TransitionOrigin = 'figure' | 'text' | 'linux';

export const TRANSITION_ORIGINS: readonly TransitionOrigin[] = ['figure', 'text', 'linux'];

/** Metadata on every transition of the chart, used to generate docs/state-diagram.md. */
export interface TcpTransitionMeta {
  readonly origin: TransitionOrigin;
  /** RFC 9293 section (or other RFC / Linux kernel function) the edge comes from. */
  readonly section: string;
  /** The RFC's own "event / action" label, e.g. "rcv SYN / snd SYN,ACK". */
  readonly label: string;
  /**
   * The profiles whose engine takes this edge, when not all of them do; `why` says why the others never
   * do (transition coverage expects the edge only under these profiles). An origin 'linux' edge is
   * taken under the linux profile only, without saying so here.
   */
  readonly onlyUnder?: { readonly profiles: readonly ProfileName[]; readonly why: string };
}

const FIGURE_5 = '3.3.2 (figure 5)';

function figure(target: string, label: string) {
  return { target, meta: { origin: 'figure', section: FIGURE_5, label } satisfies TcpTransitionMeta };
}

function text(target: string, section: string, label: string) {
  return { target, meta: { origin: 'text', section, label } satisfies TcpTransitionMeta };
}

// RFC 9293 3.10.5: ABORT in any state but CLOSED deletes the TCB and enters CLOSED (sending a RST
// first in the synchronized states). Also how a TIME_WAIT socket is killed to reuse its 4-tuple.
const ABORT = text('CLOSED', '3.10.5', 'ABORT / delete TCB (snd RST if synchronized)');

// RFC 9293 3.10.7.4, "second, check the RST bit": an acceptable RST deletes the TCB.
const RCV_RST = text('CLOSED', '3.10.7.4', 'rcv RST / delete TCB');

// RFC 9293 3.10.8 (user timeout) and 3.8.3 (R2 retransmission threshold): give up, delete the TCB.
const RETRANSMIT_GIVE_UP = text('CLOSED', '3.10.8; 3.8.3 (R2)', 'user timeout or R2 exceeded / delete TCB');

export const tcpMachine = setup({
  types: {
    events: {} as { type: TcpEventType },
    transitionMeta: {} as TcpTransitionMeta,
  },
}).createMachine({
  id: 'tcp',
  initial: 'CLOSED',
  states: {
    CLOSED: {
      on: {
        // passive OPEN / create TCB
        PASSIVE_OPEN: figure('LISTEN', 'passive OPEN / create TCB'),
        // active OPEN / create TCB, snd SYN
        ACTIVE_OPEN: figure('SYN_SENT', 'active OPEN / create TCB, snd SYN'),
      },
    },

    LISTEN: {
      on: {
        // rcv SYN / snd SYN,ACK
        RCV_SYN: figure('SYN_RECEIVED', 'rcv SYN / snd SYN,ACK'),
        // SEND / snd SYN. Linux refuses connect() on a listener (checked on the kernel: docs/linux-vs-rfc.md).
        SEND: {
          target: 'SYN_SENT',
          meta: {
            origin: 'figure',
            section: FIGURE_5,
            label: 'SEND / snd SYN',
            onlyUnder: {
              profiles: ['rfc9293'],
              why: 'Linux answers connect() on a listening socket with EISCONN (inet_stream_connect) and the socket goes on listening',
            },
          } satisfies TcpTransitionMeta,
        },
        // CLOSE / delete TCB
        CLOSE: figure('CLOSED', 'CLOSE / delete TCB'),
        ABORT,
        // No RCV_RST: an RST arriving in LISTEN is ignored (3.10.7.2).
      },
    },

    SYN_SENT: {
      on: {
        // CLOSE / delete TCB
        CLOSE: figure('CLOSED', 'CLOSE / delete TCB'),
        // rcv SYN / snd ACK (simultaneous open; the text, 3.10.7.3, sends SYN,ACK)
        RCV_SYN: figure('SYN_RECEIVED', 'rcv SYN / snd ACK'),
        // rcv SYN,ACK / snd ACK
        RCV_SYN_ACK: figure('ESTABLISHED', 'rcv SYN,ACK / snd ACK'),
        // 3.10.7.3: an RST with an acceptable ACK means "connection reset"; drop it otherwise.
        RCV_RST: text('CLOSED', '3.10.7.3', 'rcv RST (acceptable ACK) / delete TCB'),
        ABORT,
        RETRANSMIT_GIVE_UP,
      },
    },

    SYN_RECEIVED: {
      on: {
        // rcv ACK of SYN / x
        RCV_ACK_OF_SYN: figure('ESTABLISHED', 'rcv ACK of SYN / x'),
        // CLOSE / snd FIN
        CLOSE: figure('FIN_WAIT_1', 'CLOSE / snd FIN'),
        // 3.10.7.4: the RFC returns a passively opened TCB to LISTEN; here, as in Linux, the
        // listener never left LISTEN and it is the embryonic connection that is deleted.
        RCV_RST,
        ABORT,
        RETRANSMIT_GIVE_UP,
      },
    },

    ESTABLISHED: {
      on: {
        // CLOSE / snd FIN
        CLOSE: figure('FIN_WAIT_1', 'CLOSE / snd FIN'),
        // rcv FIN / snd ACK
        RCV_FIN: figure('CLOSE_WAIT', 'rcv FIN / snd ACK'),
        RCV_RST,
        ABORT,
        RETRANSMIT_GIVE_UP,
      },
    },

    FIN_WAIT_1: {
      on: {
        // rcv ACK of FIN / x
        RCV_ACK_OF_FIN: figure('FIN_WAIT_2', 'rcv ACK of FIN / x'),
        // rcv FIN / snd ACK (simultaneous close). A FIN that also ACKs our FIN is raised as
        // RCV_ACK_OF_FIN then RCV_FIN, reaching TIME_WAIT through FIN_WAIT_2 (3.10.7.4).
        RCV_FIN: figure('CLOSING', 'rcv FIN / snd ACK'),
        RCV_RST,
        ABORT,
        RETRANSMIT_GIVE_UP,
      },
    },

    FIN_WAIT_2: {
      on: {
        // rcv FIN / snd ACK
        RCV_FIN: figure('TIME_WAIT', 'rcv FIN / snd ACK'),
        RCV_RST,
        ABORT,
        // Linux extension: an orphaned socket leaves FIN_WAIT_2 after tcp_fin_timeout
        // (tcp_keepalive_timer / tcp_time_wait); RFC 9293 may wait forever.
        FIN_WAIT_2_TIMEOUT: {
          target: 'CLOSED',
          meta: {
            origin: 'linux',
            section: 'Linux tcp_fin_timeout (tcp_keepalive_timer)',
            label: 'FIN_WAIT_2 timeout (orphaned socket) / delete TCB',
          } satisfies TcpTransitionMeta,
        },
      },
    },

    CLOSE_WAIT: {
      on: {
        // CLOSE / snd FIN
        CLOSE: figure('LAST_ACK', 'CLOSE / snd FIN'),
        RCV_RST,
        ABORT,
        RETRANSMIT_GIVE_UP,
      },
    },

    CLOSING: {
      on: {
        // rcv ACK of FIN / x
        RCV_ACK_OF_FIN: figure('TIME_WAIT', 'rcv ACK of FIN / x'),
        RCV_RST,
        ABORT,
        RETRANSMIT_GIVE_UP,
      },
    },

    LAST_ACK: {
      on: {
        // rcv ACK of FIN / x
        RCV_ACK_OF_FIN: figure('CLOSED', 'rcv ACK of FIN / x'),
        RCV_RST,
        ABORT,
        RETRANSMIT_GIVE_UP,
      },
    },

    TIME_WAIT: {
      on: {
        // Timeout=2MSL / delete TCB
        TIMEOUT_2MSL: figure('CLOSED', 'Timeout=2MSL / delete TCB'),
        // 3.10.7.4: a retransmitted FIN is ACKed again and the 2MSL timer restarts. A reentering
        // self-loop, so it is a real transition (not "event ignored") that exits and re-enters.
        RCV_FIN: {
          target: 'TIME_WAIT',
          reenter: true,
          meta: {
            origin: 'text',
            section: '3.10.7.4',
            label: 'rcv FIN / snd ACK, restart 2MSL timer',
          } satisfies TcpTransitionMeta,
        },
        // 3.6.1 (MAY-2), RFC 6191, Linux tcp_timewait_state_process: a new SYN on the 4-tuple
        // ends this incarnation; the listener then starts the new connection.
        RCV_SYN: text('CLOSED', '3.6.1 (MAY-2); RFC 6191; Linux tcp_timewait_state_process', 'rcv SYN (new incarnation) / delete TCB'),
        RCV_RST,
        ABORT,
      },
    },
  },
});

export type TcpMachine = typeof tcpMachine;
