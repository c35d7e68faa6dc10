import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { configSchema as authConfig } from '../auth-service/src/config.ts';
import { configSchema as catalogConfig } from '../catalog-service/src/config.ts';
import { configSchema as gatewayConfig } from '../gateway/src/config.ts';
import { configSchema as mediaConfig } from '../media-service/src/config.ts';
import { configSchema as orderConfig, workerConfigSchema } from '../order-service/src/config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });

  it('documents every configuration variable every process reads', () => {
    const table = readme.slice(readme.indexOf('## Configuration'));
    const schemas: Record<string, z.ZodObject> = { authConfig, catalogConfig, orderConfig, workerConfigSchema, mediaConfig, gatewayConfig };
    for (const [name, schema] of Object.entries(schemas)) {
      for (const variable of Object.keys(schema.shape)) expect(table, `${variable} (${name})`).toContain(`\`${variable}\``);
    }
  });
});
