import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** One vitest project per workspace that has tests: `npm test` runs them all. */
const workspaces = [
  ...readdirSync('shared').map((dir) => `shared/${dir}`),
  'auth-service',
  'catalog-service',
  'order-service',
  'media-service',
  'gateway',
  'test',
].filter((dir) => existsSync(`${dir}/test`) || dir === 'test');

export default defineConfig({
  test: {
    // Two cores: two files at a time. Each file gets its own database, broker
    // prefix and Redis prefix, so files never see each other's data.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The browser tests' global teardown stops a whole platform.
    teardownTimeout: 60_000,
    projects: [
      ...workspaces.map((dir) => ({
        extends: true,
        test: {
          name: dir.replace(/^shared\//, ''),
          root: dir,
          include: dir === 'test' ? ['**/*.test.ts'] : ['test/**/*.test.ts'],
        },
      })),
      {
        extends: true,
        test: { name: 'frontend', root: 'frontend', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // The site in a real browser, against the whole platform (started once, by
        // the global setup). One file at a time: the platform is one machine's worth.
        extends: true,
        test: {
          name: 'browser',
          root: 'frontend',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/support/platform.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
