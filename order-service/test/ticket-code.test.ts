import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@twenny/config';
import { z } from 'zod';
import { issueTicketCode, TICKET_CODE_MAX_LENGTH, verifyTicketCode, type TicketKeySet } from '../src/domain/ticket-code.ts';
import {
  DEVELOPMENT_TICKET_KEY_IN_PRODUCTION,
  DEVELOPMENT_TICKET_SIGNING_KEYS,
  isDevelopmentTicketKey,
  parseTicketSigningKeys,
  publicKeySet,
  ticketSigningKeysEnv,
} from '../src/tickets/signing-keys.ts';

function keyEntry(kid: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return `${kid}:${privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`;
}

const k1 = keyEntry('k1');
const k2 = keyEntry('k2');
const keys = parseTicketSigningKeys(k1);
const ids = { ticketId: randomUUID(), eventId: randomUUID() };

/** Replaces one character of `text` at `index` with another base64url character. */
function flip(text: string, index: number): string {
  const c = text[index]!;
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

describe('ticket codes', () => {
  it('round trip: the ids come back, with the kid that signed', () => {
    const code = issueTicketCode(ids, keys.active);
    expect(code).toMatch(/^TW1\.k1\.[A-Za-z0-9_-]{64}\.[A-Za-z0-9_-]{86}$/);
    expect(code).toHaveLength(158);
    expect(verifyTicketCode(code, keys)).toEqual({ ok: true, ...ids, kid: 'k1' });
  });

  it('upper-case uuids come back in canonical lower case', () => {
    const upper = { ticketId: ids.ticketId.toUpperCase(), eventId: ids.eventId.toUpperCase() };
    expect(verifyTicketCode(issueTicketCode(upper, keys.active), keys)).toMatchObject({ ok: true, ...ids });
  });

  it('two codes for the same ticket differ (128 random bits each)', () => {
    const codes = new Set(Array.from({ length: 200 }, () => issueTicketCode(ids, keys.active)));
    expect(codes.size).toBe(200);
    const nonces = [...codes].map((code) => Buffer.from(code.split('.')[2]!, 'base64url').subarray(32));
    expect(nonces.every((nonce) => nonce.length === 16)).toBe(true);
    expect(new Set(nonces.map((n) => n.toString('hex'))).size).toBe(200);
  });

  it('ignores the whitespace scanners add around a code', () => {
    expect(verifyTicketCode(`  ${issueTicketCode(ids, keys.active)}\r\n`, keys)).toMatchObject({ ok: true });
  });

  it('refuses ids that are not uuids when issuing', () => {
    expect(() => issueTicketCode({ ticketId: 'nope', eventId: ids.eventId }, keys.active)).toThrow(/ticketId/);
  });

  describe('rotation', () => {
    const old = parseTicketSigningKeys(k1);
    const rotated = parseTicketSigningKeys(`${k2},${k1}`);
    const retired = parseTicketSigningKeys(k2);

    it('the first key signs; a code from the old key verifies while the old key is listed', () => {
      const oldCode = issueTicketCode(ids, old.active);
      const newCode = issueTicketCode(ids, rotated.active);
      expect(rotated.active.kid).toBe('k2');
      expect(verifyTicketCode(oldCode, rotated)).toMatchObject({ ok: true, kid: 'k1' });
      expect(verifyTicketCode(newCode, rotated)).toMatchObject({ ok: true, kid: 'k2' });
    });

    it('fails once the old key is removed', () => {
      expect(verifyTicketCode(issueTicketCode(ids, old.active), retired)).toEqual({ ok: false, reason: 'unknown-key' });
    });

    it('a code relabelled with another listed kid does not verify', () => {
      const code = issueTicketCode(ids, old.active).replace('TW1.k1.', 'TW1.k2.');
      expect(verifyTicketCode(code, rotated)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('a key with the same kid but other bytes does not verify (kids are labels, not trust)', () => {
      const impostor = parseTicketSigningKeys(keyEntry('k1'));
      expect(verifyTicketCode(issueTicketCode(ids, impostor.active), keys)).toEqual({ ok: false, reason: 'bad-signature' });
    });
  });

  describe('tampering', () => {
    const code = issueTicketCode(ids, keys.active);
    const [, , payload, signature] = code.split('.') as [string, string, string, string];

    it('any changed character of the payload (ticket id, event id, nonce) breaks the signature', () => {
      for (let index = 0; index < payload.length; index++) {
        const forged = `TW1.k1.${flip(payload, index)}.${signature}`;
        expect(verifyTicketCode(forged, keys), `payload char ${index}`).toMatchObject({ ok: false });
      }
    });

    it('any changed character of the signature breaks it', () => {
      for (let index = 0; index < signature.length; index++) {
        expect(verifyTicketCode(`TW1.k1.${payload}.${flip(signature, index)}`, keys), `signature char ${index}`).toMatchObject({ ok: false });
      }
    });

    it('another ticket id with the original signature is refused', () => {
      const bytes = Buffer.from(payload, 'base64url');
      Buffer.from(randomUUID().replaceAll('-', ''), 'hex').copy(bytes, 0);
      expect(verifyTicketCode(`TW1.k1.${bytes.toString('base64url')}.${signature}`, keys)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('swapping the signatures of two codes is refused', () => {
      const other = issueTicketCode(ids, keys.active).split('.')[3]!;
      expect(verifyTicketCode(`TW1.k1.${payload}.${other}`, keys)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('a changed prefix is refused', () => {
      expect(verifyTicketCode(code.replace(/^TW1/, 'TW2'), keys)).toEqual({ ok: false, reason: 'not-a-ticket-code' });
      expect(verifyTicketCode(code.replace(/^TW1/, 'tw1'), keys)).toEqual({ ok: false, reason: 'not-a-ticket-code' });
    });

    it('a non-canonical spelling of the same signature (spare low bits set) is refused', () => {
      // 64 bytes in 86 characters leave 4 unused bits in the last one; Buffer.from ignores them.
      const last = signature.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
      const respelt = `${signature.slice(0, -1)}${sibling}`;
      expect(Buffer.from(respelt, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
      expect(verifyTicketCode(`TW1.k1.${payload}.${respelt}`, keys)).toEqual({ ok: false, reason: 'malformed' });
    });
  });

  describe('hostile input never throws', () => {
    const code = issueTicketCode(ids, keys.active);
    const [, , payload, signature] = code.split('.') as [string, string, string, string];
    const cases: Array<[string, unknown, string]> = [
      ['empty', '', 'empty'],
      ['whitespace', ' \t\n', 'empty'],
      ['huge', 'TW1.'.padEnd(5_000_000, 'A'), 'too-long'],
      ['just over the longest code', `TW1.${'k'.repeat(TICKET_CODE_MAX_LENGTH)}`, 'too-long'],
      ['a URL', 'https://example.com/?ticket=1', 'not-a-ticket-code'],
      ['wrong prefix', `XX1.k1.${payload}.${signature}`, 'not-a-ticket-code'],
      ['prefix only', 'TW1.', 'malformed'],
      ['too few parts', `TW1.k1.${payload}`, 'malformed'],
      ['too many parts', `${code}.AAAA`, 'malformed'],
      ['empty kid', `TW1..${payload}.${signature}`, 'malformed'],
      ['kid with odd characters', `TW1.k/1.${payload}.${signature}`, 'malformed'],
      ['kid too long', `TW1.${'k'.repeat(17)}.${payload}.${signature.slice(0, -2)}`, 'malformed'],
      ['bad base64 in payload', `TW1.k1.${payload.slice(0, -1)}!.${signature}`, 'malformed'],
      ['standard base64 alphabet', `TW1.k1.${payload.slice(0, -1)}+.${signature}`, 'malformed'],
      ['padding', `TW1.k1.${payload}.${signature.slice(0, -2)}==`, 'malformed'],
      ['payload too short', `TW1.k1.${payload.slice(0, -4)}.${signature}`, 'malformed'],
      ['payload too long', `TW1.k1.${payload}AAAA.${signature}`, 'malformed'],
      ['signature too short', `TW1.k1.${payload}.${signature.slice(0, -1)}`, 'malformed'],
      ['signature too long', `TW1.k1.${payload}.${signature}A`, 'malformed'],
      ['NUL inside', `TW1.k1.${payload.slice(0, 10)}\0${payload.slice(11)}.${signature}`, 'malformed'],
      ['NUL after', `${code}\0`, 'malformed'],
      ['non-ASCII look-alike', code.replace('k1', 'k１'), 'malformed'],
      ['lone surrogate', `TW1.\ud800.${payload}.${signature}`, 'malformed'],
      ['unknown kid', `TW1.zz.${payload}.${signature}`, 'unknown-key'],
      ['forged signature (zeros)', `TW1.k1.${payload}.${Buffer.alloc(64).toString('base64url')}`, 'bad-signature'],
      ['a number', 42, 'malformed'],
      ['null', null, 'malformed'],
      ['undefined', undefined, 'malformed'],
      ['an object', { toString: () => code }, 'malformed'],
    ];
    it.each(cases)('%s', (_name, input, reason) => {
      expect(verifyTicketCode(input, keys)).toEqual({ ok: false, reason });
    });

    it('a key set holding a key of the wrong kind rejects rather than throws', () => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const broken: TicketKeySet = { active: keys.active, verifying: new Map([['k1', publicKey]]) };
      expect(verifyTicketCode(code, broken)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('random strings of the right shape never verify', () => {
      for (let i = 0; i < 200; i++) {
        const random = `TW1.k1.${Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url')}.${Buffer.from(crypto.getRandomValues(new Uint8Array(64))).toString('base64url')}`;
        expect(verifyTicketCode(random, keys)).toEqual({ ok: false, reason: 'bad-signature' });
      }
    });
  });
});

describe('signing keys from TICKET_SIGNING_KEYS', () => {
  const schema = z.object({ NODE_ENV: z.enum(['development', 'test', 'production']).default('development'), TICKET_SIGNING_KEYS: ticketSigningKeysEnv }).superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && isDevelopmentTicketKey(config.TICKET_SIGNING_KEYS)) {
      ctx.addIssue({ code: 'custom', path: ['TICKET_SIGNING_KEYS'], message: DEVELOPMENT_TICKET_KEY_IN_PRODUCTION });
    }
  });

  it('unset or empty: the development key, which signs and verifies', () => {
    for (const source of [{}, { TICKET_SIGNING_KEYS: '' }, { TICKET_SIGNING_KEYS: '  ' }]) {
      const config = loadConfig(schema, source);
      expect(config.TICKET_SIGNING_KEYS.active.kid).toBe('dev');
      expect(isDevelopmentTicketKey(config.TICKET_SIGNING_KEYS)).toBe(true);
      expect(verifyTicketCode(issueTicketCode(ids, config.TICKET_SIGNING_KEYS.active), config.TICKET_SIGNING_KEYS)).toMatchObject({ ok: true, kid: 'dev' });
    }
  });

  it('the development key is refused in production, also when it is only a verifying key, also under another kid', () => {
    const devKey = DEVELOPMENT_TICKET_SIGNING_KEYS.split(':')[1]!;
    // Unset: loadConfig words it as a missing variable, which in production it is.
    expect(() => loadConfig(schema, { NODE_ENV: 'production' })).toThrow(/TICKET_SIGNING_KEYS is required but not set/);
    for (const value of ['', DEVELOPMENT_TICKET_SIGNING_KEYS, `${k1},${DEVELOPMENT_TICKET_SIGNING_KEYS}`, `prod:${devKey}`]) {
      expect(() => loadConfig(schema, { NODE_ENV: 'production', TICKET_SIGNING_KEYS: value })).toThrow(/TICKET_SIGNING_KEYS is invalid: .*development key/);
    }
    const config = loadConfig(schema, { NODE_ENV: 'production', TICKET_SIGNING_KEYS: `${k2}, ${k1}` });
    expect([...config.TICKET_SIGNING_KEYS.verifying.keys()]).toEqual(['k2', 'k1']);
    expect(isDevelopmentTicketKey(config.TICKET_SIGNING_KEYS)).toBe(false);
  });

  it('malformed values stop start-up with a message naming the variable, and never the key', () => {
    const secret = k1.split(':')[1]!;
    const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cases: Array<[string, RegExp]> = [
      [secret, /entry 1 has no "kid:"/],
      [`k1:${secret},`, /entry 2 is empty/],
      [`k1:${secret},k1:${secret}`, /kid "k1" is listed twice/],
      [`bad kid!:${secret}`, /kid must be/],
      [`k1:${secret.slice(0, -4)}`, /not a PKCS#8 DER private key/],
      ['k1:not base64!', /not base64/],
      [`k1:${rsa.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`, /rsa, not Ed25519/],
    ];
    for (const [value, message] of cases) {
      let error: Error | undefined;
      try {
        loadConfig(schema, { TICKET_SIGNING_KEYS: value });
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message, value.slice(0, 20)).toMatch(message);
      expect(error?.message).toMatch(/^invalid configuration: TICKET_SIGNING_KEYS is invalid: TICKET_SIGNING_KEYS/);
      expect(error?.message).toContain('kid:base64(PKCS#8 DER Ed25519 private key)');
      expect(error?.message).not.toContain(secret.slice(20, 40));
    }
  });

  it('the key set serialises to nothing secret (a logged config leaks no key)', () => {
    expect(JSON.stringify(parseTicketSigningKeys(k1))).not.toMatch(/[A-Za-z0-9+/]{40}/);
  });

  it('publicKeySet: one Ed25519 JWK per key, the signer first, verifiable by a door app', async () => {
    const set = parseTicketSigningKeys(`${k2},${k1}`);
    const jwks = publicKeySet(set);
    expect(jwks.map((jwk) => jwk.kid)).toEqual(['k2', 'k1']);
    for (const jwk of jwks) {
      expect(jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kid: jwk.kid, alg: 'Ed25519', use: 'sig' });
      expect(JSON.stringify(jwk)).not.toContain('"d"');
    }
    // A door app: WebCrypto, the JWK and the rule "signature over everything before the last dot".
    const code = issueTicketCode(ids, parseTicketSigningKeys(k1).active);
    const jwk = jwks.find((j) => j.kid === code.split('.')[1])!;
    const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    const dot = code.lastIndexOf('.');
    const valid = await crypto.subtle.verify({ name: 'Ed25519' }, key, Buffer.from(code.slice(dot + 1), 'base64url'), new TextEncoder().encode(code.slice(0, dot)));
    expect(valid).toBe(true);
  });
});
