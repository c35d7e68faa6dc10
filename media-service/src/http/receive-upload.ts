import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { HttpProblem } from '@twenny/http-kit';
import { createStructureCheck, type StructureCheck, type StructureVerdict } from '../domain/image-structure.ts';
import { describeOtherType, sniffImageType, sniffLength, type ImageType } from '../domain/image-types.ts';
import { uploadProblems } from './upload-problems.ts';

export interface SpooledFile {
  /** A local file holding the upload; the caller keeps or removes it. */
  path: string;
  type: ImageType;
  bytes: number;
  /** Whether the bytes hold a whole image (container structure, see domain/image-structure.ts). */
  structure: StructureVerdict;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: SpooledFile | undefined;
}

export interface ReceiveOptions {
  maxBytes: number;
  spoolPath: () => Promise<string>;
  /** Runs when the file part starts, with the fields sent before it: throw a problem to refuse before reading the file. */
  beforeFile?: (fields: Record<string, string>) => void;
}

// Multipart framing and the small fields around the file.
const formOverheadBytes = 64 * 1024;

/**
 * Streams a multipart upload to a spool file, never holding it in memory: the
 * real type is told from the first bytes (refused at once if it is not an
 * image we take), the size is counted against the limit as it arrives, and the
 * container structure is walked on the way. Resolves with the fields and the
 * spooled file; rejects with a problem, having removed anything it spooled.
 */
export function receiveUpload(req: Request, options: ReceiveOptions): Promise<ReceivedUpload> {
  const { maxBytes } = options;
  if (!req.is('multipart/form-data')) return Promise.reject(uploadProblems.notMultipart());
  if (Number(req.headers['content-length'] ?? 0) > maxBytes + formOverheadBytes) {
    // Declared too large: not one byte is read.
    return Promise.reject(refuseUnread(req, uploadProblems.tooLarge(maxBytes)));
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12, headerPairs: 50 } });
  } catch {
    return Promise.reject(uploadProblems.malformed('the multipart boundary is missing'));
  }

  return new Promise<ReceivedUpload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let spooling: Promise<SpooledFile | undefined> | undefined;
    let spoolPath: string | undefined;
    let fileStream: Readable | undefined;
    let failed = false;

    const fail = (problem: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      // Unpiped, the parser would never end the file part: end it here, so that the spooling
      // stops, its file closes and is removed (a client that goes away mid-upload leaves nothing).
      if (fileStream && !fileStream.destroyed) {
        // With an error: busboy's file stream emits no 'close' when destroyed without one. The
        // spooling's pipeline hears it; the listener here keeps a stream already done from throwing it.
        fileStream.on('error', () => undefined);
        fileStream.destroy(new Error('the upload was refused or abandoned'));
      }
      // The rest of the body is read and dropped, so the client gets the answer rather than a reset.
      req.resume();
      void (async () => {
        await spooling?.catch(() => undefined);
        if (spoolPath) await rm(spoolPath, { force: true });
        reject(problem);
      })();
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(HttpProblem.validation([{ name: `body.${name}`, reason: 'Too long.' }]));
      fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      if (failed) return void stream.resume();
      if (name !== 'file') {
        stream.resume();
        return fail(HttpProblem.validation([{ name: `body.${name.slice(0, 50)}`, reason: 'The image goes in a field named `file`.' }]));
      }
      try {
        options.beforeFile?.(fields);
      } catch (problem) {
        stream.resume();
        return fail(problem);
      }
      fileStream = stream;
      spooling = (async () => {
        spoolPath = await options.spoolPath();
        return spool(stream, spoolPath, maxBytes);
      })();
      spooling.catch(fail);
    });
    parser.on('filesLimit', () => fail(uploadProblems.malformed('it has more than one file; send one image per request')));
    parser.on('fieldsLimit', () => fail(uploadProblems.malformed('it has too many fields')));
    parser.on('partsLimit', () => fail(uploadProblems.malformed('it has too many parts')));
    parser.on('error', (error) => fail(uploadProblems.malformed((error as Error).message.replace(/\.$/, '').toLowerCase())));
    parser.on('close', () => {
      if (failed) return;
      void (async () => {
        const file = spooling ? await spooling.catch(() => undefined) : undefined;
        if (failed) return;
        resolve({ fields, file });
      })();
    });
    req.once('close', () => {
      if (!req.complete) fail(uploadProblems.malformed('the client stopped sending it'));
    });
    req.pipe(parser);
  });
}

/** Writes one file part to `path`, sniffing, counting and walking it on the way. */
async function spool(stream: Readable & { truncated?: boolean }, path: string, maxBytes: number): Promise<SpooledFile> {
  let head = Buffer.alloc(0);
  let type: ImageType | undefined;
  let check: StructureCheck | undefined;
  let bytes = 0;
  let overLimit = false;
  stream.once('limit', () => {
    overLimit = true;
    // Stops the pipeline at once: the rest of the file is not written.
    stream.destroy(uploadProblems.tooLarge(maxBytes));
  });

  const start = (chunk: Buffer) => {
    type = sniffImageType(chunk);
    if (!type) throw uploadProblems.notAnImage(describeOtherType(chunk) ? `${describeOtherType(chunk)}, which is not accepted` : undefined);
    check = createStructureCheck(type);
    check.push(chunk);
  };
  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      try {
        if (check) check.push(chunk);
        else {
          head = Buffer.concat([head, chunk]);
          if (head.length < sniffLength) return done();
          start(head);
          chunk = head;
        }
        done(null, chunk);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        if (!check) start(head);
        done(null, check && head.length > 0 && head.length < sniffLength ? head : undefined);
      } catch (error) {
        done(error as Error);
      }
    },
  });

  try {
    await pipeline(stream, inspect, createWriteStream(path));
  } catch (error) {
    if (overLimit) throw uploadProblems.tooLarge(maxBytes);
    throw error instanceof HttpProblem ? error : uploadProblems.malformed('the file part ended unexpectedly');
  }
  if (stream.truncated) throw uploadProblems.tooLarge(maxBytes);
  return { path, type: type!, bytes, structure: check!.end() };
}

/** Answers without reading the body; the connection closes after the answer (draining a huge body is pointless). */
function refuseUnread(req: Request, problem: HttpProblem): HttpProblem {
  req.res?.setHeader('connection', 'close');
  return problem;
}
