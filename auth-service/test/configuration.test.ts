import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@twenny/config';
import { identityClaimsOf, organizationRoleOf, platformRoleOf } from '../src/auth/identity-claims.ts';
import { socialProviders } from '../src/auth/social-providers.ts';
import { configSchema } from '../src/config.ts';

describe('social sign-in configuration', () => {
  it('is off with nothing set', () => {
    expect(socialProviders({})).toEqual({});
  });

  it('switches on each provider whose id and secret are both set', () => {
    expect(socialProviders({ GITHUB_CLIENT_ID: 'gh-id', GITHUB_CLIENT_SECRET: 'gh-secret' })).toEqual({ github: { clientId: 'gh-id', clientSecret: 'gh-secret' } });
    expect(
      socialProviders({ GITHUB_CLIENT_ID: 'gh-id', GITHUB_CLIENT_SECRET: 'gh-secret', GOOGLE_CLIENT_ID: 'g-id', GOOGLE_CLIENT_SECRET: 'g-secret' }),
    ).toEqual({ github: { clientId: 'gh-id', clientSecret: 'gh-secret' }, google: { clientId: 'g-id', clientSecret: 'g-secret' } });
  });

  it('refuses half a provider, naming both variables', () => {
    expect(() => socialProviders({ GOOGLE_CLIENT_ID: 'g-id' })).toThrow(/GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/);
    expect(() => socialProviders({ GITHUB_CLIENT_SECRET: 's' })).toThrow(/GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET/);
  });

  it('reads empty variables as unset', () => {
    const config = loadConfig(configSchema, { GITHUB_CLIENT_ID: '', GITHUB_CLIENT_SECRET: '' });
    expect(socialProviders(config)).toEqual({});
  });
});

describe('auth-service configuration', () => {
  it('works locally with nothing set', () => {
    const config = loadConfig(configSchema, {});
    expect(config.AUTH_BASE_URL).toBe('http://localhost:3000');
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('in production demands a real secret and SMTP, naming both, never echoing values', () => {
    try {
      loadConfig(configSchema, { NODE_ENV: 'production' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables.sort()).toEqual(['BETTER_AUTH_SECRET', 'SMTP_URL']);
    }
    expect(() => loadConfig(configSchema, { NODE_ENV: 'production', BETTER_AUTH_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail:25' })).not.toThrow();
  });

  it('refuses a short secret and a non-SMTP mail URL', () => {
    expect(() => loadConfig(configSchema, { BETTER_AUTH_SECRET: 'short' })).toThrow(/BETTER_AUTH_SECRET/);
    expect(() => loadConfig(configSchema, { SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
  });
});

describe('identity claims', () => {
  it('carry the strongest of Better-Auth comma-separated roles', () => {
    expect(platformRoleOf('user,admin')).toBe('admin');
    expect(platformRoleOf(null)).toBe('user');
    expect(platformRoleOf('superuser')).toBe('user');
    expect(organizationRoleOf('member, owner')).toBe('owner');
    expect(organizationRoleOf('admin')).toBe('admin');
    expect(organizationRoleOf('custom')).toBe('member');
  });

  it('list every membership', () => {
    expect(
      identityClaimsOf({ email: 'a@b.c', role: 'admin' }, [
        { organizationId: 'o1', role: 'owner' },
        { organizationId: 'o2', role: 'member' },
      ]),
    ).toEqual({ email: 'a@b.c', role: 'admin', orgs: [{ id: 'o1', role: 'owner' }, { id: 'o2', role: 'member' }] });
  });
});
