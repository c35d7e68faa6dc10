export { probePostgres, probeRedis, probeRabbitmq, type ProbeResult } from './probes.ts';
export { localDefaults, startHints } from './local-defaults.ts';
