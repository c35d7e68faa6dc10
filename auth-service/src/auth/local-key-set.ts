import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

const reloadAtMostEveryMs = 5_000;

/**
 * auth-service checks tokens against its own key set read in-process, not over
 * HTTP from itself. An unknown key id reloads the set (a rotation just made a
 * new key), at most every few seconds so random ids cannot hammer the database.
 */
export function localKeySet(readKeys: () => Promise<JSONWebKeySet>): JWTVerifyGetKey {
  let keys: JWTVerifyGetKey | undefined;
  let loadedAt = 0;
  const load = async () => {
    keys = createLocalJWKSet(await readKeys());
    loadedAt = Date.now();
    return keys;
  };
  return async (header, token) => {
    const current = keys ?? (await load());
    try {
      return await current(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - loadedAt < reloadAtMostEveryMs) throw error;
      return (await load())(header, token);
    }
  };
}
