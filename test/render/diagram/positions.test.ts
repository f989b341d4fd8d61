// Positions: arrows run from the sender at the send time to the receiver at the arrival time, so slopes show
// transit times and crossing segments cross; lost ones stop where they were lost.
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../../../src/render/diagram/model.js';
import { legendLayout } from '../../../src/render/diagram/legend.js';
import { diagramPositions, type ArrowPosition } from '../../../src/render/diagram/positions.js';
import { makeTrace, segment, state } from '../trace-builders.js';
import { builtinTrace } from './run-builtin.js';

const A = '10.0.0.1:40000';
const B = '10.0.0.2:80';

/** Do two arrows' shafts intersect (strictly inside both)? */
function cross(p: ArrowPosition, q: ArrowPosition): boolean {
  const d = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d1 = d(p.x1, p.y1, p.x2, p.y2, q.x1, q.y1);
  const d2 = d(p.x1, p.y1, p.x2, p.y2, q.x2, q.y2);
  const d3 = d(q.x1, q.y1, q.x2, q.y2, p.x1, p.y1);
  const d4 = d(q.x1, q.y1, q.x2, q.y2, p.x2, p.y2);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

describe('diagram positions', () => {
  it('an arrow ends on the receiver at the row of what its arrival caused', async () => {
    const model = diagramModel(await builtinTrace('three-way-handshake'));
    const pos = diagramPositions(model);
    const syn = pos.arrows.find((a) => a.item.flags === 'SYN')!;
    const server = model.lanes.findIndex((l) => l.title === 'server');
    expect(syn.x2).toBe(pos.lanes[server]!.x);
    const synReceived = model.items.findIndex((i) => i.kind === 'state' && i.to === 'SYN_RECEIVED');
    expect(model.items[synReceived]!.t).toBe(syn.item.arrival);
    expect(syn.y2).toBe(pos.rowY[synReceived]);
  });

  it('slope grows with transit time', () => {
    const trace = makeTrace([
      segment(0, A, B, ['ACK'], 1, 1, { arrival: 1000 }),
      segment(10_000, A, B, ['ACK'], 1, 1, { arrival: 13_000 }),
      segment(40_000, A, B, ['ACK'], 1, 1, { arrival: 41_000 }),
    ]);
    const pos = diagramPositions(diagramModel(trace));
    const [fast, slow] = pos.arrows;
    expect(slow!.y2 - slow!.y1).toBeCloseTo(3 * (fast!.y2 - fast!.y1), 5);
    expect(fast!.y2).toBeGreaterThan(fast!.y1);
  });

  it('simultaneous close: the two FINs cross', async () => {
    const pos = diagramPositions(diagramModel(await builtinTrace('simultaneous-close')));
    const fins = pos.arrows.filter((a) => a.item.flags.includes('FIN') && !a.lost);
    const crossing = fins.some((p) => fins.some((q) => p !== q && p.item.from !== q.item.from && cross(p, q)));
    expect(crossing).toBe(true);
  });

  it('a segment lost on the link ends halfway, marked lost; one refused by a full queue reaches the receiver', async () => {
    const lost = diagramPositions(diagramModel(await builtinTrace('lost-syn')));
    const dropped = lost.arrows.find((a) => a.item.loss?.where === 'link')!;
    expect(dropped.lost).toBe(true);
    expect(dropped.x2).toBeCloseTo((dropped.x1 + lost.lanes[dropped.item.to]!.x) / 2, 5);
    expect(dropped.y2).toBeGreaterThan(dropped.y1);

    const backlog = diagramPositions(diagramModel(await builtinTrace('backlog-overflow')));
    const refused = backlog.arrows.filter((a) => a.item.loss?.where === 'receiver');
    expect(refused.length).toBeGreaterThan(4);
    for (const a of refused) {
      expect(a.lost).toBe(true);
      expect(a.x2).toBe(backlog.lanes[a.item.to]!.x);
    }
  });

  it('a long idle stretch becomes a break, and the rows after it keep their order', async () => {
    const model = diagramModel(await builtinTrace('client-closes-first'));
    const pos = diagramPositions(model);
    const big = pos.breaks.find((b) => b.t1 - b.t0 > 59_000_000);
    expect(big?.text).toMatch(/^(59|60)\.\d\d s later$/);
    for (let i = 1; i < pos.rowY.length; i++) expect(pos.rowY[i]!).toBeGreaterThan(pos.rowY[i - 1]!);
    expect(pos.height).toBeLessThan(2000);
  });

  it("notes are written on the side of a lifeline away from its traffic: a client's left, a server's right", async () => {
    const model = diagramModel(await builtinTrace('three-way-handshake'));
    const pos = diagramPositions(model);
    const clientX = pos.lanes[0]!.x;
    const serverX = pos.lanes[1]!.x;
    for (const n of pos.notes) {
      const lane = n.item.lane;
      if (lane === 0) expect([n.anchor, n.x < clientX]).toEqual(['end', true]);
      else expect([n.anchor, n.x > serverX]).toEqual(['start', true]);
    }
    // And the client's notes fit between the time axis and its lifeline.
    const longest = Math.max(...pos.notes.filter((n) => n.item.lane === 0).map((n) => n.text.length));
    expect(clientX - 30 - longest * 6.63).toBeGreaterThanOrEqual(pos.axis);
  });

  it('labels carry flags, relative numbers, scaled windows, and a SYN’s options', async () => {
    const pos = diagramPositions(diagramModel(await builtinTrace('three-way-handshake')));
    const [syn, synAck, ack] = pos.arrows;
    expect(syn!.label.text).toBe('[SYN] seq=0 win=64240');
    expect(syn!.label.options).toBe('<mss=1460 sackOK TS wscale=10>');
    expect(synAck!.label.text).toBe('[SYN,ACK] seq=0 ack=1 win=65160');
    // Linux's third ACK carries win=63 with scale 10: 64512 as the server reads it (Wireshark shows the same).
    expect(ack!.label.text).toBe('[ACK] seq=1 ack=1 win=64512');
    expect(ack!.label.options).toBe('');
  });

  it('the key lists the states that appear, then the marks, wrapped inside the diagram', async () => {
    const pos = diagramPositions(diagramModel(await builtinTrace('three-way-handshake')));
    expect(pos.legend.filter((e) => e.kind === 'state').map((e) => e.key)).toEqual(['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED']);
    expect(pos.legend.filter((e) => e.kind === 'mark').map((e) => e.key)).toEqual(['arrow', 'rtx', 'lost', 'injected', 'timer']);
    for (const e of pos.legend) {
      expect(e.x + 18 + e.text.length * 6.63).toBeLessThanOrEqual(pos.width);
      expect(e.y).toBeGreaterThan(pos.bottom);
      expect(e.y).toBeLessThan(pos.height);
    }
    const narrow = legendLayout(['ESTABLISHED'], 300, 6.63);
    expect(Math.max(...narrow.map((e) => e.line))).toBeGreaterThanOrEqual(3);
    for (const e of narrow) expect(e.x === 0 || e.x + 18 + e.text.length * 6.63 <= 300).toBe(true);
  });

  it('lays out a state change with no segments at all', () => {
    const pos = diagramPositions(diagramModel(makeTrace([state(0, 'server', 1, '0.0.0.0:80', 'CLOSED', 'LISTEN')])));
    expect(pos.lanes).toHaveLength(1);
    expect(pos.notes).toHaveLength(1);
  });
});
