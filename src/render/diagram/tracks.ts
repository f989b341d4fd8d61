// Socket tracks: the sockets of one lane whose lives overlap (a listener and the connections it accepted) are drawn
// side by side beside the lifeline, each shaded by its own state; sockets one after another reuse a track.
import type { Trace } from '../../sim/trace.js';
import { socketKey } from './sockets.js';

export interface SocketLife {
  socket: string;
  lane: number;
  from: number;
  to: number;
  track: number;
}

/** Each socket that changed state: its lane, its life (first state change to CLOSED or the run's end), its track. */
export function socketTracks(trace: Trace, laneOf: (host: string, socket: number) => number, end: number): Map<string, SocketLife> {
  const lives = new Map<string, SocketLife>();
  for (const ev of trace.events) {
    if (ev.kind !== 'state') continue;
    const key = socketKey(ev.host, ev.socket);
    let life = lives.get(key);
    if (life === undefined) {
      life = { socket: key, lane: laneOf(ev.host, ev.socket), from: ev.t, to: end, track: 0 };
      lives.set(key, life);
    }
    life.to = ev.to === 'CLOSED' ? ev.t : end;
  }
  // Interval partitioning per lane, earliest first: the lowest track free by the time the socket appears.
  const freeAt = new Map<number, number[]>();
  for (const life of [...lives.values()].sort((a, b) => a.from - b.from)) {
    const tracks = freeAt.get(life.lane) ?? [];
    let track = tracks.findIndex((t) => t <= life.from);
    if (track < 0) track = tracks.length;
    tracks[track] = life.to;
    freeAt.set(life.lane, tracks);
    life.track = track;
  }
  return lives;
}
