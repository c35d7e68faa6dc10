import { defineEnvVars } from '@sveltejs/kit/env';
import { z } from 'zod';

/** The site's configuration, validated when the server starts (SvelteKit 3 explicit env). */
export const variables = defineEnvVars({
  GATEWAY_URL: {
    description: 'Where the site server reaches the API gateway.',
    schema: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
  },
  AUTH_SOCIAL_PROVIDERS: {
    description: 'Social sign-in buttons to show, comma-separated (github, google): those auth-service has client credentials for.',
    schema: z.string().max(200).default(''),
  },
});
