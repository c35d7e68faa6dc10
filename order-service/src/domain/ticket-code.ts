import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ticket codes: what a ticket's QR code carries. A door app checks one offline
 * with the public keys from `publicKeySet` (tickets/signing-keys.ts); the
 * server checks it the same way before it looks the ticket up.
 *
 *   TW1.<kid>.<payload>.<signature>
 *
 * - `TW1`: format and version. A new layout is `TW2`, never a change to this one.
 * - `kid`: which key signed, 1–16 of `A–Z a–z 0–9 _ -`. Keys rotate: the active key
 *   signs, older ones keep verifying while they stay listed.
 * - `payload`: base64url (no padding) of 48 bytes: ticket id (16, the uuid's
 *   bytes), event id (16), then 16 random bytes (128 bits), so a code cannot be
 *   guessed even by someone who knows both ids, and two codes for the same
 *   ticket always differ.
 * - `signature`: base64url (no padding) of the 64-byte Ed25519 signature over
 *   the ASCII text `TW1.<kid>.<payload>`, i.e. everything before the last dot.
 *   Signing the prefix and kid too means neither can be swapped.
 *
 * With a two-character kid a code is 158 characters (prefix and dots 6,
 * payload 64, signature 86), 172 at most with the longest kid: a version 9 QR
 * code (53×53 modules) at error correction M.
 */

export interface TicketSigningKey {
  readonly kid: string;
  /** Ed25519 private key. */
  readonly privateKey: KeyObject;
}

/** What verifying needs: the Ed25519 public keys, by kid. */
export interface TicketVerificationKeys {
  readonly verifying: ReadonlyMap<string, KeyObject>;
}

/** The configured keys: one signs, all of them (the signer included) verify. */
export interface TicketKeySet extends TicketVerificationKeys {
  readonly active: TicketSigningKey;
}

export type TicketCodeFailure =
  /** Nothing, or only whitespace. */
  | 'empty'
  /** Longer than any code can be: rejected before any work. */
  | 'too-long'
  /** Not a `TW1.` code: another kind of QR, or a future format. */
  | 'not-a-ticket-code'
  /** A `TW1.` code whose parts do not have the right characters or lengths. */
  | 'malformed'
  /** Signed by a key that is not (or no longer) in the key set. */
  | 'unknown-key'
  /** Tampered with, or not made by us. */
  | 'bad-signature';

export type TicketCodeVerification =
  | { ok: true; ticketId: string; eventId: string; kid: string }
  | { ok: false; reason: TicketCodeFailure };

export const TICKET_CODE_PREFIX = 'TW1';
export const TICKET_KID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

const ID_BYTES = 16;
const NONCE_BYTES = 16;
const PAYLOAD_BYTES = ID_BYTES * 2 + NONCE_BYTES;
const SIGNATURE_BYTES = 64;
const PAYLOAD_CHARS = Math.ceil((PAYLOAD_BYTES * 4) / 3); // 64
const SIGNATURE_CHARS = Math.ceil((SIGNATURE_BYTES * 4) / 3); // 86
/** The longest code there can be (longest kid). */
export const TICKET_CODE_MAX_LENGTH = TICKET_CODE_PREFIX.length + 1 + 16 + 1 + PAYLOAD_CHARS + 1 + SIGNATURE_CHARS;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const CODE = new RegExp(`^${TICKET_CODE_PREFIX}\\.([A-Za-z0-9_-]{1,16})\\.([A-Za-z0-9_-]{${PAYLOAD_CHARS}})\\.([A-Za-z0-9_-]{${SIGNATURE_CHARS}})$`);

/** A fresh signed code for one ticket. Throws only on a programming error (ids that are not uuids, a bad key). */
export function issueTicketCode(ids: { ticketId: string; eventId: string }, signingKey: TicketSigningKey): string {
  if (!TICKET_KID_PATTERN.test(signingKey.kid)) throw new Error(`ticket signing key id must match ${TICKET_KID_PATTERN}`);
  const payload = Buffer.concat([uuidBytes(ids.ticketId, 'ticketId'), uuidBytes(ids.eventId, 'eventId'), randomBytes(NONCE_BYTES)]);
  const signed = `${TICKET_CODE_PREFIX}.${signingKey.kid}.${payload.toString('base64url')}`;
  const signature = sign(null, Buffer.from(signed, 'ascii'), signingKey.privateKey);
  return `${signed}.${signature.toString('base64url')}`;
}

/**
 * Checks a code as scanned (surrounding whitespace, as scanners add, is
 * ignored). Never throws, whatever `code` is: every problem is a `reason`.
 */
export function verifyTicketCode(code: unknown, keys: TicketVerificationKeys): TicketCodeVerification {
  try {
    if (typeof code !== 'string') return fail('malformed');
    // Bounded before any other work, so a megabyte of input costs nothing.
    if (code.length > TICKET_CODE_MAX_LENGTH + 64) return fail('too-long');
    const text = code.trim();
    if (text === '') return fail('empty');
    if (text.length > TICKET_CODE_MAX_LENGTH) return fail('too-long');
    if (!text.startsWith(`${TICKET_CODE_PREFIX}.`)) return fail('not-a-ticket-code');
    const match = CODE.exec(text);
    if (!match) return fail('malformed');
    const [, kid, payloadText, signatureText] = match as unknown as [string, string, string, string];
    const payload = strictBase64url(payloadText, PAYLOAD_BYTES);
    const signature = strictBase64url(signatureText, SIGNATURE_BYTES);
    if (!payload || !signature) return fail('malformed');
    const publicKey = keys.verifying.get(kid);
    if (!publicKey) return fail('unknown-key');
    const signed = text.slice(0, text.length - SIGNATURE_CHARS - 1);
    if (!verify(null, Buffer.from(signed, 'ascii'), publicKey, signature)) return fail('bad-signature');
    return {
      ok: true,
      ticketId: uuidText(payload.subarray(0, ID_BYTES)),
      eventId: uuidText(payload.subarray(ID_BYTES, ID_BYTES * 2)),
      kid,
    };
  } catch {
    // A key of the wrong type in the set, or anything else unforeseen: still a
    // rejected code, never an exception at the door.
    return fail('bad-signature');
  }
}

function fail(reason: TicketCodeFailure): TicketCodeVerification {
  return { ok: false, reason };
}

/**
 * Decodes base64url only in its canonical form: Buffer.from is lenient (skips
 * stray characters, ignores trailing bits), so one value could be spelt several
 * ways; re-encoding must give back the same text.
 */
function strictBase64url(text: string, bytes: number): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64url');
  if (decoded.length !== bytes || decoded.toString('base64url') !== text) return undefined;
  return decoded;
}

function uuidBytes(id: string, name: string): Buffer {
  if (!UUID.test(id)) throw new Error(`${name} must be a uuid`);
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
