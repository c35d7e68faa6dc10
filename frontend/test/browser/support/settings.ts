import { fileURLToPath } from 'node:url';

/** The platform the browser tests run against: beside a developer's own, never on top of it. */
export const browserPlatform = {
  portOffset: 100,
  siteUrl: 'http://127.0.0.1:3100',
  gatewayUrl: 'http://127.0.0.1:8180',
  databaseName: 'twenny_browser',
  redisPrefix: 'twenny-browser',
  amqpPrefix: 'browser',
  /** Long enough to check out by hand, short enough for a test to watch a hold expire. */
  holdSeconds: 30,
};

/** Screenshots, the platform's log and the bundle report (ignored by git). */
export const outputDir = fileURLToPath(new URL('../../../../test-results/browser/', import.meta.url));
