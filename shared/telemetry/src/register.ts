/**
 * Loaded with `node --import @twenny/telemetry/register` so it runs before any
 * module it instruments. Importing it starts tracing; see start-telemetry.ts.
 */
import { startTelemetry } from './start-telemetry.ts';

startTelemetry();
