// synack/check: properties for your own tests. Invariants over a trace (each with its RFC section),
// fast-check arbitraries for network conditions, socket programs and whole scenario files, runScenario,
// and the model-based commands. docs/api.md shows a 10-line property built on it.
export type { CheckContext, Invariant, Violation } from './violation.js';
export {
  INVARIANTS,
  checkTrace,
  type CheckOptions,
  backlogLimit,
  bytesDelivered,
  chartEdges,
  connectOutcome,
  isnAgreement,
  timeWaitLength,
  timeWaitSide,
  windowRespected,
} from './invariants/index.js';
export type { ScenarioText, LinkText, ProgramText, StepText } from './scenario-text.js';
export { runScenario, parseScenario, contextOf, type RunScenarioOptions, type RunScenarioResult } from './run.js';
export { arbitraryLink, arbitraryFault, arbitraryFaults, arbitraryNetwork, type NetworkOptions } from './arbitraries/network.js';
export { arbitraryCall, arbitraryCalls, arbitraryServer, arbitraryClient, arbitraryPrograms, type ProgramOptions } from './arbitraries/programs.js';
export { arbitraryScenario, type ScenarioOptions } from './arbitraries/scenario.js';
export {
  appCommands,
  runAppCommands,
  AppSystem,
  initialModel,
  ListenCommand,
  ConnectCommand,
  AcceptCommand,
  SendCommand,
  RecvCommand,
  ShutdownCommand,
  FaultCommand,
  type AppModel,
  type Side,
  type StreamModel,
  type Action,
  type Observation,
} from './model/index.js';
