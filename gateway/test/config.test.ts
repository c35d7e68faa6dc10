import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@twenny/config';
import { configSchema } from '../src/config.ts';
import { rateLimitsFrom } from '../src/gateway.ts';

describe('gateway configuration', () => {
  it('works with no configuration at all', () => {
    const config = loadConfig(configSchema, {});
    expect(config).toMatchObject({
      PORT: 8080,
      AUTH_SERVICE_URL: 'http://127.0.0.1:4001',
      AUTH_JWKS_URL: 'http://127.0.0.1:4001/api/auth/jwks',
      AUTH_JWT_AUDIENCE: 'twenny-api',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'twenny',
      TRUSTED_PROXIES: ['loopback'],
      UPSTREAM_TIMEOUT_MS: 10_000,
      SESSION_TOKEN_CACHE_TTL_MS: 60_000,
    });
    expect(rateLimitsFrom(config).classes['sign-in'].address).toBeLessThan(rateLimitsFrom(config).classes.default.address);
  });

  it('takes trusted proxies as addresses, ranges and names; empty trusts none', () => {
    expect(loadConfig(configSchema, { TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,2001:db8::/32 , 192.0.2.7' }).TRUSTED_PROXIES).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32', '192.0.2.7']);
    expect(loadConfig(configSchema, { TRUSTED_PROXIES: '' }).TRUSTED_PROXIES).toBe(false);
  });

  it.each([
    ['TRUSTED_PROXIES', 'everyone'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['UPSTREAM_TIMEOUT_MS', 'soon'],
    ['UPSTREAM_CONNECTIONS', '0'],
    ['RATE_LIMIT_PER_ADDRESS', '0'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['REDIS_PREFIX', 'has space'],
    ['AUTH_JWKS_URL', 'not a url'],
    ['SESSION_TOKEN_CACHE_TTL_MS', '-1'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig(configSchema, { [name]: value })).toThrow(ConfigError);
    try {
      loadConfig(configSchema, { [name]: value });
    } catch (error) {
      expect((error as ConfigError).variables).toEqual([name]);
    }
  });
});
