import type { AuthConfig } from '../config.ts';

type ProviderCredentials = { clientId: string; clientSecret: string };

/**
 * GitHub and Google sign-in, each switched on only when both its client id and
 * secret are configured. A half-configured provider is a mistake worth stopping
 * for, not one to skip silently.
 */
export function socialProviders(
  config: Partial<Pick<AuthConfig, 'GITHUB_CLIENT_ID' | 'GITHUB_CLIENT_SECRET' | 'GOOGLE_CLIENT_ID' | 'GOOGLE_CLIENT_SECRET'>>,
): { github?: ProviderCredentials; google?: ProviderCredentials } {
  const providers: { github?: ProviderCredentials; google?: ProviderCredentials } = {};
  const pairs = [
    ['github', 'GITHUB', config.GITHUB_CLIENT_ID, config.GITHUB_CLIENT_SECRET],
    ['google', 'GOOGLE', config.GOOGLE_CLIENT_ID, config.GOOGLE_CLIENT_SECRET],
  ] as const;
  for (const [name, prefix, clientId, clientSecret] of pairs) {
    if (!clientId && !clientSecret) continue;
    if (!clientId || !clientSecret) {
      throw new Error(`${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET must be set together to enable ${name} sign-in`);
    }
    providers[name] = { clientId, clientSecret };
  }
  return providers;
}
