import type { ImageType } from './image-types.ts';

/**
 * Whether an upload holds a whole image, checked from its container structure as
 * it streams in: the bytes are walked (segments, chunks, blocks, boxes) without
 * decoding a pixel, so a truncated file is refused at upload for almost no CPU.
 * Decoding, and what can only be found by decoding, is the worker's business.
 *
 * Each format's walk is a generator that asks for bytes (`read`), passes over
 * them (`skip`), or, in a JPEG's entropy-coded data, for the next marker.
 */
type Request = { read: number; endOk?: boolean } | { skip: number } | { jpegMarker: true };
type Walk = Generator<Request, void, Buffer | number | undefined>;

export class MalformedImageError extends Error {}

function* jpeg(): Walk {
  const soi = (yield { read: 2 }) as Buffer;
  if (soi[0] !== 0xff || soi[1] !== 0xd8) throw new MalformedImageError('it does not start like a JPEG');
  let inScan = false;
  for (;;) {
    let marker: number;
    if (inScan) {
      marker = (yield { jpegMarker: true }) as number;
    } else {
      if (((yield { read: 1 }) as Buffer)[0] !== 0xff) throw new MalformedImageError('a JPEG segment does not start with a marker');
      do marker = ((yield { read: 1 }) as Buffer)[0]!;
      while (marker === 0xff);
    }
    if (marker === 0xd9) return; // EOI: the image is whole (anything after it is ignored).
    // Markers without a length: SOI, TEM and the restart markers.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    const length = ((yield { read: 2 }) as Buffer).readUInt16BE(0);
    if (length < 2) throw new MalformedImageError('a JPEG segment has an impossible length');
    // Skipped by its length: an EXIF thumbnail inside APP1 is a JPEG of its own, EOI included.
    yield { skip: length - 2 };
    // After the first start of scan, markers are found by scanning the entropy-coded data.
    if (marker === 0xda) inScan = true;
  }
}

function* png(): Walk {
  yield { skip: 8 };
  for (;;) {
    const header = (yield { read: 8 }) as Buffer;
    const length = header.readUInt32BE(0);
    if (length > 0x7fffffff) throw new MalformedImageError('a PNG chunk has an impossible length');
    yield { skip: length + 4 }; // data and CRC
    if (header.toString('latin1', 4, 8) === 'IEND') return;
  }
}

function* gif(): Walk {
  const header = (yield { read: 13 }) as Buffer;
  const flags = header[10]!;
  if (flags & 0x80) yield { skip: 3 * 2 ** ((flags & 7) + 1) }; // global colour table
  const subBlocks = function* (): Walk {
    for (let size; (size = ((yield { read: 1 }) as Buffer)[0]!) !== 0; ) yield { skip: size };
  };
  // Only the first frame is used: once it is whole, a missing trailer (some encoders omit it) is forgiven.
  let sawImage = false;
  for (;;) {
    const introducer = ((yield { read: 1, endOk: sawImage }) as Buffer)[0];
    if (introducer === 0x3b) return; // trailer
    if (introducer === 0x21) {
      yield { skip: 1 }; // extension label
      yield* subBlocks();
    } else if (introducer === 0x2c) {
      const descriptor = (yield { read: 9 }) as Buffer;
      if (descriptor[8]! & 0x80) yield { skip: 3 * 2 ** ((descriptor[8]! & 7) + 1) }; // local colour table
      yield { skip: 1 }; // LZW minimum code size
      yield* subBlocks();
      sawImage = true;
    } else {
      throw new MalformedImageError('a GIF block has an unknown introducer');
    }
  }
}

function* webp(): Walk {
  const header = (yield { read: 12 }) as Buffer;
  const size = header.readUInt32LE(4);
  if (size < 4) throw new MalformedImageError('the WebP RIFF header has an impossible size');
  yield { skip: size - 4 };
}

/** ISO-BMFF (AVIF): top-level boxes end to end, the last one ending with the file, media data included. */
function* isoBmff(): Walk {
  let sawMediaData = false;
  for (;;) {
    const header = (yield { read: 8, endOk: sawMediaData }) as Buffer;
    let size = header.readUInt32BE(0);
    let headerSize = 8;
    if (size === 1) {
      const large = ((yield { read: 8 }) as Buffer).readBigUInt64BE(0);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedImageError('an AVIF box is impossibly large');
      size = Number(large);
      headerSize = 16;
    }
    if (header.toString('latin1', 4, 8) === 'mdat') sawMediaData = true;
    if (size === 0) return; // the last box runs to the end of the file: nothing more to check.
    if (size < headerSize) throw new MalformedImageError('an AVIF box has an impossible size');
    yield { skip: size - headerSize };
  }
}

const walks: Record<ImageType, () => Walk> = { jpeg, png, gif, webp, avif: isoBmff };

export type StructureVerdict = { whole: true } | { whole: false; reason: string };

export interface StructureCheck {
  push(chunk: Buffer): void;
  /** The verdict once every byte has been pushed. */
  end(): StructureVerdict;
}

export function createStructureCheck(type: ImageType): StructureCheck {
  const walk = walks[type]();
  let pending: Buffer = Buffer.alloc(0);
  let request: Request | undefined;
  let done = false;
  let malformed: string | undefined;

  function advance(value?: Buffer | number) {
    try {
      const step = walk.next(value);
      if (step.done) done = true;
      else request = step.value;
    } catch (error) {
      if (!(error instanceof MalformedImageError)) throw error;
      malformed = error.message;
    }
  }

  /** Next marker after entropy-coded data: FF followed by anything but a stuffed 00, a restart marker or fill. */
  function findJpegMarker(): number | undefined {
    for (let at = pending.indexOf(0xff); at !== -1 && at + 1 < pending.length; at = pending.indexOf(0xff, at + 1)) {
      const next = pending[at + 1]!;
      if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) continue;
      pending = pending.subarray(at + 2);
      return next;
    }
    // Keep a trailing FF: its marker byte is in the next chunk.
    pending = pending.length > 0 && pending[pending.length - 1] === 0xff ? pending.subarray(pending.length - 1) : Buffer.alloc(0);
    return undefined;
  }

  function run() {
    while (!done && !malformed && request) {
      if ('skip' in request) {
        const skipped = Math.min(request.skip, pending.length);
        pending = pending.subarray(skipped);
        request = request.skip > skipped ? { skip: request.skip - skipped } : undefined;
        if (request) return;
        advance();
      } else if ('read' in request) {
        if (pending.length < request.read) return;
        const bytes = Buffer.from(pending.subarray(0, request.read));
        pending = pending.subarray(request.read);
        advance(bytes);
      } else {
        const marker = findJpegMarker();
        if (marker === undefined) return;
        advance(marker);
      }
    }
  }

  advance();
  return {
    push(chunk) {
      if (done || malformed) return;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      run();
    },
    end() {
      if (malformed) return { whole: false, reason: `it is damaged (${malformed})` };
      if (done) return { whole: true };
      if (request && 'read' in request && request.endOk && pending.length === 0) return { whole: true };
      return { whole: false, reason: 'it ends before the image does (truncated)' };
    },
  };
}
