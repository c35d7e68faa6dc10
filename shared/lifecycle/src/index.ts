export { createLifecycle, type Lifecycle, type StopPhase } from './lifecycle.ts';
