// One turn that runs after every pending promise continuation, carrying no virtual time: the run loop
// awaits it so that continuations settled by the last event (programs whose socket calls completed) run
// before virtual time moves on. Three ways, by what the host has:
// - Node: process.nextTick, queued from a microtask. Node runs the ticks a microtask queues only once the
//   microtask queue is empty (its processTicksAndRejections: runMicrotasks() to the end, then the ticks
//   queued meanwhile), so the turn comes after every continuation, however long its chain of awaits.
//   About 4 times cheaper than a setImmediate (0.37 against 1.5 us here), which goes through the event
//   loop (an epoll_wait) each time. Every TICKS_PER_MACROTASK turns one is a setImmediate instead, so a
//   long run still lets the process's I/O and timers in (progress lines, a time cap). The one difference
//   from a setImmediate: a program whose own continuation waits on a process.nextTick callback (Node only,
//   never in a browser) is not waited for (docs/socket-api.md: programs wait on socket calls, sleep() and
//   promises).
// - A browser: a MessageChannel message (a posted message is a task, run after the microtask queue has
//   drained: HTML "message port post message steps"). Not setTimeout(0): browsers clamp nested
//   timeouts to >= 4 ms, and a run takes thousands of turns.
// Whichever way, only the ORDER of continuations matters, never wall time, so the trace is the same on
// every path (test/sim/macrotask.test.ts), whether run() is called from a microtask, a timer or an I/O
// callback. The Node functions are read from globalThis, never imported.

type Immediate = (callback: () => void) => unknown;
/** Node's ports also have ref/unref (worker_threads.MessagePort); a browser's do not. */
type Port = InstanceType<typeof MessageChannel>['port1'] & { ref?: () => void; unref?: () => void };

let channel: { sender: Port; receiver: Port } | undefined;
const waiting: Array<() => void> = [];

/** Made on first use, only where setImmediate is missing. */
function openChannel(): { sender: Port; receiver: Port } {
  if (channel) return channel;
  const { port1, port2 } = new MessageChannel();
  const receiver = port1 as Port;
  // onmessage (not addEventListener) also starts the port, in browsers and Node alike.
  (receiver as { onmessage: (() => void) | null }).onmessage = () => {
    waiting.shift()?.();
    // An idle port must not keep a Node process alive after World.run() returns.
    if (waiting.length === 0) receiver.unref?.();
  };
  channel = { sender: port2 as Port, receiver };
  return channel;
}

/** Node's process.nextTick, read without naming `process` (absent in a browser). */
type NextTick = (callback: () => void) => void;

/** Turns taken through nextTick since the last setImmediate. */
let ticks = 0;
/** Every this many turns one is a setImmediate, so the event loop runs (I/O, timers) during a long run. */
export const TICKS_PER_MACROTASK = 512;

export function nextMacrotask(): Promise<void> {
  // Looked up on each call, not once: a test hides setImmediate (or nextTick) to exercise the other paths.
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (typeof immediate === 'function') {
    const nextTick = (globalThis as { process?: { nextTick?: NextTick } }).process?.nextTick;
    // Queued from a microtask (the then), never from the caller's own stack: Node runs the ticks queued by a
    // microtask only once the microtask queue is empty, while a tick queued from a macrotask (a timer or I/O
    // callback that called run()) would run before the continuations already queued.
    if (typeof nextTick === 'function' && ++ticks < TICKS_PER_MACROTASK) return Promise.resolve().then(() => new Promise<void>((resolve) => nextTick(resolve)));
    ticks = 0;
    return new Promise((resolve) => void immediate(resolve));
  }
  const { sender, receiver } = openChannel();
  return new Promise((resolve) => {
    if (waiting.length === 0) receiver.ref?.();
    waiting.push(resolve);
    sender.postMessage(null);
  });
}
