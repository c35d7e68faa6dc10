export { startTelemetry, shutdownTelemetry } from './start-telemetry.ts';
