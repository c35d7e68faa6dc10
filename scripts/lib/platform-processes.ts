/** Every process `npm start` runs, in start order. Ports are the platform defaults. */
export interface PlatformProcess {
  name: string;
  /** Workspace folder it runs in. */
  cwd: string;
  /** Node arguments after the telemetry preload. */
  args: string[];
  port: number;
  /** Traced processes get `--import @twenny/telemetry/register`. */
  traced: boolean;
  /** A worker's service (its PORT is that service's: the order worker sends payment webhooks there). */
  workerOf?: string;
}

const service = (name: string, cwd: string, port: number, entry = 'src/main.ts'): PlatformProcess => ({
  name,
  cwd,
  args: [entry],
  port,
  traced: true,
});

export const platformProcesses: PlatformProcess[] = [
  service('auth', 'auth-service', 4001),
  service('catalog', 'catalog-service', 4002),
  service('orders', 'order-service', 4003),
  { ...service('order-worker', 'order-service', 4013, 'src/worker.ts'), workerOf: 'orders' },
  service('media', 'media-service', 4004),
  { ...service('media-worker', 'media-service', 4014, 'src/worker.ts'), workerOf: 'media' },
  service('gateway', 'gateway', 8080),
  // The SvelteKit site, as built by `vite build` (adapter-node) and served by frontend/server.js; start.ts builds it when stale.
  { name: 'site', cwd: 'frontend', args: ['server.js'], port: 3000, traced: false },
];
