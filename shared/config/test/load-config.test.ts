import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig, serviceEnv } from '../src/index.ts';

const schema = serviceEnv({ port: 4002, databaseRole: 'twenny_catalog' });

describe('loadConfig', () => {
  it('gives a local run working defaults with no configuration at all', () => {
    const config = loadConfig(schema, {});
    expect(config.PORT).toBe(4002);
    expect(config.DATABASE_URL).toBe('postgres://twenny_catalog:twenny_catalog@127.0.0.1:5432/twenny');
    expect(config.AMQP_URL).toBe('amqp://guest:guest@127.0.0.1:5672');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names the malformed variable and never echoes its value', () => {
    const secret = 'postgresx://user:hunter2@db/twenny';
    const error = (() => {
      try {
        loadConfig(schema, { DATABASE_URL: secret });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.variables).toEqual(['DATABASE_URL']);
    expect(error!.message).toContain('DATABASE_URL is invalid');
    expect(error!.message).not.toContain('hunter2');
  });

  it('reports every bad variable at once, and says when one is missing', () => {
    const required = z.object({ SECRET_KEY: z.string().min(32), PORT: env.port(1) });
    expect(() => loadConfig(required, { PORT: 'eighty' })).toThrow(/SECRET_KEY is required but not set; PORT is invalid/);
  });

  it('rejects ports, integers and prefixes out of range', () => {
    expect(() => loadConfig(schema, { PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig(schema, { DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX/);
    expect(() => loadConfig(schema, { AMQP_PREFIX: 'a b/../c' })).toThrow(/AMQP_PREFIX/);
    expect(() => loadConfig(schema, { AMQP_URL: 'http://broker' })).toThrow(/AMQP_URL is invalid: must be a URL starting with amqp:\/\/ or amqps:\/\//);
  });

  it('parses booleans and optional URLs strictly', () => {
    const flags = z.object({ ENABLED: env.bool(false), SMTP_URL: env.optionalUrl(['smtp:', 'smtps:']) });
    expect(loadConfig(flags, { ENABLED: 'true', SMTP_URL: '' })).toEqual({ ENABLED: true, SMTP_URL: undefined });
    expect(() => loadConfig(flags, { ENABLED: 'maybe' })).toThrow(/ENABLED/);
    expect(() => loadConfig(flags, { SMTP_URL: 'not a url' })).toThrow(/SMTP_URL/);
  });
});
