import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envelopeSchema, messageContracts, subscriptions, contractFor } from '../src/index.ts';

const messageFiles = readdirSync(new URL('../src/messages', import.meta.url)).filter((f) => f.endsWith('.ts'));

describe('message contracts', () => {
  it('has one file per type and version, each registered, named after its type', () => {
    expect(messageFiles.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(messageContracts.map((c) => c.type).sort());
  });

  it.each(messageContracts.map((c) => [c.type, c] as const))('%s: its fixture is valid and survives a JSON round trip', (_type, contract) => {
    const parsed = contract.data.parse(JSON.parse(JSON.stringify(contract.fixture)));
    expect(parsed).toEqual(contract.fixture);
    expect(envelopeSchema.safeParse({ id: '0b6f1f3e-3f57-4a35-9d3e-4c1b8f1f6a11', type: contract.type, source: 'test', time: new Date().toISOString(), subject: 's', version: 1, data: parsed }).success).toBe(true);
  });

  it.each(messageContracts.map((c) => [c.type, c] as const))('%s: consumers ignore fields they do not know', (_type, contract) => {
    const withExtra = { ...(contract.fixture as object), addedInALaterMinor: 'x' };
    expect(contract.data.safeParse(withExtra).success).toBe(true);
  });

  it('subscribes only to known message types', () => {
    for (const types of Object.values(subscriptions)) for (const type of types) expect(contractFor(type), type).toBeDefined();
  });

  it('refuses envelopes that are not one', () => {
    const bad = [{}, { id: 'not-a-uuid' }, { id: '0b6f1f3e-3f57-4a35-9d3e-4c1b8f1f6a11', type: 'Order Paid', source: 's', time: 'yesterday', subject: 's', version: -1, data: {} }];
    for (const value of bad) expect(envelopeSchema.safeParse(value).success).toBe(false);
  });
});
