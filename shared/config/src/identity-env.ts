import { z } from 'zod';
import { env } from './env-fields.ts';

/**
 * How a process checks identity tokens: auth-service's key set, and the issuer
 * and audience a token must name. auth-service issues with the same two values.
 */
export const identityEnv = {
  AUTH_JWKS_URL: env.url(['http:', 'https:'], 'http://127.0.0.1:4001/api/auth/jwks'),
  AUTH_JWT_ISSUER: z.string().min(1).default('http://localhost:3000'),
  AUTH_JWT_AUDIENCE: z.string().min(1).default('twenny-api'),
};
