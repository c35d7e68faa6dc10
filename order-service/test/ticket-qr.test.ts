import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { issueTicketCode } from '../src/domain/ticket-code.ts';
import { DEVELOPMENT_TICKET_SIGNING_KEYS, parseTicketSigningKeys } from '../src/tickets/signing-keys.ts';
import { ticketQrPng, ticketQrSvg } from '../src/tickets/ticket-qr.ts';

const keys = parseTicketSigningKeys(DEVELOPMENT_TICKET_SIGNING_KEYS);
const newCode = () => issueTicketCode({ ticketId: randomUUID(), eventId: randomUUID() }, keys.active);

/** Tags in order, checked for balance: enough to know the document is well formed. */
function elements(svg: string): string[] {
  const body = svg.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const opened: string[] = [];
  for (const [, close, name, selfClosing] of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)(?:\s[^<>]*?)?(\/?)>/g)) {
    if (close) expect(stack.pop()).toBe(name);
    else {
      opened.push(name!);
      if (!selfClosing) stack.push(name!);
    }
  }
  expect(stack).toEqual([]);
  expect(body.replace(/<[^<>]*>/g, '').replace(/Ticket QR code|[^<>&]*/g, '')).toBe(''); // no stray markup characters
  return opened;
}

/** The chunks of a PNG, with their CRCs checked by zlib's own crc32. */
async function pngChunks(png: Buffer): Promise<Array<{ type: string; data: Buffer }>> {
  const { crc32 } = await import('node:zlib');
  const chunks: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

describe('ticket QR codes', () => {
  it('a ticket code fits a version 9 symbol (53×53) at error correction M, even with the longest kid', () => {
    const code = newCode();
    expect(code).toHaveLength(159); // kid "dev"
    const longest = issueTicketCode({ ticketId: randomUUID(), eventId: randomUUID() }, { ...keys.active, kid: 'k'.repeat(16) });
    expect(longest).toHaveLength(172);
    for (const c of [code, longest]) expect(QRCode.create(c, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(9);
  });

  it('SVG: a standalone, well-formed document with a title, black on white with a quiet zone', async () => {
    const svg = await ticketQrSvg(newCode());
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    const tags = elements(svg);
    expect(tags[0]).toBe('svg');
    expect(tags[1]).toBe('title'); // the first child: what assistive technology reads
    expect(tags.filter((t) => t === 'svg')).toHaveLength(1);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title>Ticket QR code</title>');
    const size = QRCode.create(newCode(), { errorCorrectionLevel: 'M' }).modules.size;
    expect(svg).toContain(`viewBox="0 0 ${size + 8} ${size + 8}"`); // 4 modules of margin each side
    expect(svg).toMatch(/fill="#ffffff"/);
    expect(svg).toMatch(/stroke="#000000"/);
  });

  it('SVG: the title is escaped', async () => {
    const svg = await ticketQrSvg(newCode(), 'Pat\'s <ticket> & "more"');
    expect(svg).toContain('<title>Pat&apos;s &lt;ticket&gt; &amp; &quot;more&quot;</title>');
  });

  it('PNG: a valid 1-bit image whose every module is a whole 6×6 pixels of its colour, with a 4-module white quiet zone', async () => {
    const code = newCode();
    const png = await ticketQrPng(code);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const chunks = await pngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    const width = ihdr.readUInt32BE(0);
    const height = ihdr.readUInt32BE(4);
    const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
    expect(width).toBe((modules.size + 8) * 6);
    expect(height).toBe(width);
    expect([...ihdr.subarray(8)]).toEqual([1, 0, 0, 0, 0]); // bit depth 1, greyscale, no interlace

    // Decode: one filter byte (none) then ⌈width / 8⌉ bytes per row; a set bit is white.
    const rowBytes = Math.ceil(width / 8);
    const pixels = inflateSync(chunks[1]!.data);
    expect(pixels.length).toBe(height * (1 + rowBytes));
    const black = (x: number, y: number) => {
      const row = y * (1 + rowBytes);
      expect(pixels[row]).toBe(0);
      return (pixels[row + 1 + (x >> 3)]! & (0x80 >> (x & 7))) === 0;
    };
    // Same symbol as the reference encoder (its own segmenting may differ, so compare the matrix the PNG carries by size and darkness per pixel).
    const reference = QRCode.create([{ data: Buffer.from(code), mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules;
    let mismatches = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const mx = Math.floor(x / 6) - 4;
        const my = Math.floor(y / 6) - 4;
        const inSymbol = mx >= 0 && my >= 0 && mx < reference.size && my < reference.size;
        if (black(x, y) !== (inSymbol && Boolean(reference.get(my, mx)))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('PNG and SVG carry the same symbol', async () => {
    const code = newCode();
    const reference = QRCode.create([{ data: Buffer.from(code), mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules;
    const svg = await ticketQrSvg(code);
    expect(svg).toContain(`viewBox="0 0 ${reference.size + 8} ${reference.size + 8}"`);
    // qrcode's SVG draws each dark run of a row as a horizontal stroke (`h<run>`) of the one stroked path: count the modules they cover.
    const strokes = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    const darkInSvg = [...strokes.matchAll(/h(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    let dark = 0;
    for (let i = 0; i < reference.data.length; i++) dark += reference.data[i]!;
    expect(darkInSvg).toBe(dark);
  });

  it('differs per code, and is the same for the same code', async () => {
    const a = newCode();
    const b = newCode();
    expect(await ticketQrSvg(a)).not.toBe(await ticketQrSvg(b));
    expect((await ticketQrPng(a)).equals(await ticketQrPng(b))).toBe(false);
    expect(await ticketQrSvg(a)).toBe(await ticketQrSvg(a));
    expect((await ticketQrPng(a)).equals(await ticketQrPng(a))).toBe(true);
  });
});
