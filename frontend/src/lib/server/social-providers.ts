import { AUTH_SOCIAL_PROVIDERS } from '$app/env/private';

const labels: Record<string, string> = { github: 'GitHub', google: 'Google' };

/** The social sign-in buttons to show: those auth-service has credentials for, as configured for the site. */
export function socialProviders(): { id: string; label: string }[] {
  return AUTH_SOCIAL_PROVIDERS.split(',')
    .map((id) => id.trim())
    .filter((id) => id in labels)
    .map((id) => ({ id, label: labels[id]! }));
}
