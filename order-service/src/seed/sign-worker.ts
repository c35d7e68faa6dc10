/**
 * Worker thread of the seed's signing pool (signing-pool.ts): signs ticket
 * codes with the active key of the key set it is given, a batch per message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { issueTicketCode } from '../domain/ticket-code.ts';
import { parseTicketSigningKeys } from '../tickets/signing-keys.ts';
import type { SignRequest, SignResult } from './signing-pool.ts';

const { active } = parseTicketSigningKeys((workerData as { keys: string }).keys);

parentPort!.on('message', ({ id, ticketIds, eventIds }: SignRequest) => {
  const codes = new Array<string>(ticketIds.length);
  for (let i = 0; i < ticketIds.length; i++) codes[i] = issueTicketCode({ ticketId: ticketIds[i]!, eventId: eventIds[i]! }, active);
  // Bytes, handed over rather than copied, and kept outside the main thread's heap until used.
  const text = codes.join('\n');
  const bytes = Buffer.allocUnsafeSlow(text.length); // not from the shared pool: its memory can move to the other thread
  bytes.write(text, 'latin1');
  const result: SignResult = { id, codes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
  parentPort!.postMessage(result, [bytes.buffer]);
});
