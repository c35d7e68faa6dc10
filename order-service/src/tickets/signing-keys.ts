import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { TICKET_KID_PATTERN, type TicketKeySet, type TicketSigningKey, type TicketVerificationKeys } from '../domain/ticket-code.ts';

/**
 * The keys that sign ticket codes, from the environment:
 *
 *   TICKET_SIGNING_KEYS=<kid>:<base64 PKCS#8 DER Ed25519 private key>[,<kid>:<key>...]
 *
 * The first entry signs new codes; every entry verifies. To rotate, put the new
 * key first and keep the old one after it until no code it signed is needed any
 * more (the event is over), then drop it: its codes stop verifying.
 *
 * Generate a key (pick a new kid each time, 1–16 of A–Z a–z 0–9 _ -; short ones
 * keep the QR code small):
 *
 *   node -e "const{generateKeyPairSync:g}=require('node:crypto');console.log('k2:'+g('ed25519').privateKey.export({type:'pkcs8',format:'der'}).toString('base64'))"
 *
 * Door apps get the public halves as JWKs (`publicKeySet`).
 */
export const TICKET_SIGNING_KEYS = 'TICKET_SIGNING_KEYS';

/**
 * DEVELOPMENT ONLY — this private key is public (it is right here, in the
 * source), so anyone can sign tickets with it. It is the default so that a local
 * run needs no configuration; the config refuses it when NODE_ENV=production
 * (see `isDevelopmentTicketKey`).
 */
export const DEVELOPMENT_TICKET_SIGNING_KEYS = 'dev:MC4CAQAwBQYDK2VwBCIEIBHO2zP2bNZJWy3blBa6gi34gjkBTaCKpw5qnFR6bZy9';

/** The message for the config's production check. */
export const DEVELOPMENT_TICKET_KEY_IN_PRODUCTION = `${TICKET_SIGNING_KEYS} holds the development key, whose private half is published in the source: set your own keys for production`;

const FORMAT_HINT = `${TICKET_SIGNING_KEYS} must be comma-separated kid:base64(PKCS#8 DER Ed25519 private key) entries, the signing key first`;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export class TicketSigningKeysError extends Error {
  constructor(problem: string) {
    super(`${problem}. ${FORMAT_HINT}`);
    this.name = 'TicketSigningKeysError';
  }
}

/** Parses the variable's value. Throws `TicketSigningKeysError`, whose message never contains key material. */
export function parseTicketSigningKeys(value: string): TicketKeySet {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) throw new TicketSigningKeysError(`${TICKET_SIGNING_KEYS} is empty`);
  const signing: TicketSigningKey[] = [];
  const verifying = new Map<string, KeyObject>();
  entries.forEach((entry, index) => {
    const where = `${TICKET_SIGNING_KEYS} entry ${index + 1}`;
    if (entry === '') throw new TicketSigningKeysError(`${where} is empty (a stray comma?)`);
    const colon = entry.indexOf(':');
    if (colon < 0) throw new TicketSigningKeysError(`${where} has no "kid:" in front of the key`);
    const kid = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!TICKET_KID_PATTERN.test(kid)) throw new TicketSigningKeysError(`${where}: the kid must be 1 to 16 of A-Z a-z 0-9 _ -`);
    if (verifying.has(kid)) throw new TicketSigningKeysError(`${where}: kid "${kid}" is listed twice`);
    if (!BASE64.test(encoded)) throw new TicketSigningKeysError(`${where} (kid "${kid}"): the key is not base64`);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: Buffer.from(encoded, 'base64'), format: 'der', type: 'pkcs8' });
    } catch {
      throw new TicketSigningKeysError(`${where} (kid "${kid}"): the key is not a PKCS#8 DER private key`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new TicketSigningKeysError(`${where} (kid "${kid}"): the key is ${privateKey.asymmetricKeyType ?? 'not asymmetric'}, not Ed25519`);
    }
    signing.push({ kid, privateKey });
    verifying.set(kid, createPublicKey(privateKey));
  });
  return { active: signing[0]!, verifying };
}

/**
 * The config field: a string (unset or empty: the development key) parsed into a
 * key set, or a validation issue naming the variable. Use it as
 * `TICKET_SIGNING_KEYS: ticketSigningKeysEnv`, and refuse the development key in
 * production with `isDevelopmentTicketKey` in a superRefine:
 *
 *   .superRefine((config, ctx) => {
 *     if (config.NODE_ENV === 'production' && isDevelopmentTicketKey(config.TICKET_SIGNING_KEYS))
 *       ctx.addIssue({ code: 'custom', path: ['TICKET_SIGNING_KEYS'], message: DEVELOPMENT_TICKET_KEY_IN_PRODUCTION });
 *   })
 */
export const ticketSigningKeysEnv = z
  .string()
  .optional()
  .transform((value, ctx): TicketKeySet => {
    try {
      return parseTicketSigningKeys(value === undefined || value.trim() === '' ? DEVELOPMENT_TICKET_SIGNING_KEYS : value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof TicketSigningKeysError ? error.message : FORMAT_HINT });
      return z.NEVER;
    }
  });

let developmentPublicKey: Buffer | undefined;

/**
 * Whether the development key is anywhere in the set, signing or only
 * verifying (whoever holds it could forge codes the set accepts). Compared by
 * key, not by kid.
 */
export function isDevelopmentTicketKey(keySet: TicketVerificationKeys): boolean {
  developmentPublicKey ??= rawPublicKey(parseTicketSigningKeys(DEVELOPMENT_TICKET_SIGNING_KEYS).active.privateKey);
  for (const publicKey of keySet.verifying.values()) if (rawPublicKey(publicKey).equals(developmentPublicKey)) return true;
  return false;
}

/** A public key as a JWK (RFC 8037 OKP; `alg` as in RFC 9864). */
export interface TicketPublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** base64url of the raw 32-byte public key. */
  x: string;
  kid: string;
  alg: 'Ed25519';
  use: 'sig';
}

/** The public halves, for door apps: the signing key first. Nothing secret. */
export function publicKeySet(keySet: TicketKeySet | TicketVerificationKeys): TicketPublicJwk[] {
  const kids = [...keySet.verifying.keys()];
  const active = 'active' in keySet ? keySet.active.kid : undefined;
  if (active) kids.sort((a, b) => Number(b === active) - Number(a === active));
  return kids.map((kid) => ({ kty: 'OKP', crv: 'Ed25519', x: rawPublicKey(keySet.verifying.get(kid)!).toString('base64url'), kid, alg: 'Ed25519', use: 'sig' }));
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}
