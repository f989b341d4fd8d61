// The package's main entry point, `import { ... } from 'synack'` (docs/api.md): the simulated world, the
// socket API, the behaviour profiles, scenario files, and the trace types. Whatever is not exported from
// here or from the other entry points (synack/check, synack/replay, synack/pcap, synack/render, synack/diff)
// is internal and may change without notice.

// The simulated network: hosts, links, scripted faults.
export { World, RunBudgetError, type WorldOptions, type HostOptions, type ProgramOutcome, type ScheduledCall } from './sim/world.js';
export { DEFAULT_LINK, type LinkConfig } from './sim/link.js';
export { describeFault, type Fault, type FaultAction, type FaultMatch } from './sim/faults.js';
export { parseFault } from './sim/fault-parse.js';
export type { TraceMode, TraceCounts } from './sim/recorder.js';

// The BSD-style socket API that programs run on the simulated hosts.
export { Net, program, type SocketType, TcpSocketHandle, SHUT_RD, SHUT_WR, SHUT_RDWR, type SocketOption, UdpSocketHandle, type Address, SocketError, type Errno } from './socket/index.js';

// Behaviour profiles (docs/profiles.md) and the TCP states.
export { LINUX, RFC9293, PROFILES, withKnobs, type Profile, type ProfileName } from './tcp/profile.js';
export { TCP_STATES, type TcpState } from './tcp/states.js';

// Scenarios: the built-in ones, and scenario files (docs/scenario-format.md).
export { SCENARIOS, findScenario } from './scenarios/index.js';
export type { Scenario, RunOptions, ScenarioResult } from './scenarios/types.js';
export { parseScenarioText } from './scenarios/file/parse.js';
export { scenarioFromFile, type FileScenario } from './scenarios/file/build.js';
export { loadScenarioFile } from './scenarios/file/load.js';
export { ScenarioFileError, type Problem } from './scenarios/file/errors.js';
export type { ScenarioFile } from './scenarios/file/schema.js';

// What a run yields (docs/trace-format.md).
export type {
  Trace,
  TraceEvent,
  TraceHost,
  TraceOption,
  SegmentEvent,
  DatagramEvent,
  StateEvent,
  CallEvent,
  TimerEvent,
  TimerName,
  Fate,
  Micros,
} from './sim/trace.js';
