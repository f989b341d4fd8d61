// One macrotask turn, carrying no virtual time: the run loop awaits it so that promise continuations
// settled by the last event (programs whose socket calls completed) run before virtual time moves on.
// Node has setImmediate (fast); a browser has none, so there a MessageChannel message is the turn (a
// posted message is a task, run after the microtask queue has drained: HTML "message port post
// message steps"). Not setTimeout(0): browsers clamp nested timeouts to >= 4 ms, and a run takes
// thousands of turns. Either way only the ORDER of continuations matters, never wall time, so the
// trace is the same on both paths (test/sim/macrotask.test.ts).

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

export function nextMacrotask(): Promise<void> {
  // Looked up on each call, not once: a test hides setImmediate to exercise the other path.
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (typeof immediate === 'function') return new Promise((resolve) => void immediate(resolve));
  const { sender, receiver } = openChannel();
  return new Promise((resolve) => {
    if (waiting.length === 0) receiver.ref?.();
    waiting.push(resolve);
    sender.postMessage(null);
  });
}
