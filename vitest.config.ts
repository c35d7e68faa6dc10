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
    projects: workspaces.map((dir) => ({
      extends: true,
      test: {
        name: dir.replace(/^shared\//, ''),
        root: dir,
        include: dir === 'test' ? ['**/*.test.ts'] : ['test/**/*.test.ts'],
      },
    })),
  },
});
