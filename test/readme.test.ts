import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchemaOf } from './platform-config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });

  it('documents every configuration variable every process reads', () => {
    const table = readme.slice(readme.indexOf('## Configuration'));
    for (const [name, schema] of Object.entries(configSchemaOf)) {
      for (const variable of Object.keys(schema.shape)) expect(table, `${variable} (${name})`).toContain(`\`${variable}\``);
    }
  });
});
