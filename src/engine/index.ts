// What commands outside the run flow need from the engine (loaded lazily by the commands that use it).
export { withRun, asFailure, outcomeOf, type ActiveRun, type RunStart, type FinishOptions } from './with-run.js';
export { runEvents, runEventSchema, type RunEvent, type RunEvents } from './events.js';
