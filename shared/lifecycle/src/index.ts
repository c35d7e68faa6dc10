export { createLifecycle, type Lifecycle, type StopPhase } from './lifecycle.ts';
export { within } from './within.ts';
