import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

/**
 * QR codes for ticket codes. Error correction M (15 % of the symbol can be
 * lost: a scuffed print or a cracked phone screen still scans) and the
 * standard's 4-module quiet zone. A ticket code (≈160 characters) makes a
 * version 9 symbol: 53 modules, 61 with the quiet zone.
 */
const errorCorrectionLevel = 'M';
const margin = 4;
/** PNG: whole pixels per module (blurred modules scan worse): 61 × 6 = 366 px. */
const pngScale = 6;
/** SVG: the size it opens at; it scales without loss. */
const svgWidth = 244;

/**
 * A standalone SVG document (XML declaration, namespace, `<title>`, role="img")
 * for `GET /api/tickets/{id}/qr.svg`. `title` is what assistive technology reads.
 */
export async function ticketQrSvg(code: string, title = 'Ticket QR code'): Promise<string> {
  const svg = await QRCode.toString([{ data: Buffer.from(code), mode: 'byte' }], { type: 'svg', errorCorrectionLevel, margin, width: svgWidth, color: { dark: '#000000ff', light: '#ffffffff' } });
  const open = /^<svg\b[^>]*>/.exec(svg.trimStart());
  if (!open) throw new Error('qrcode returned no <svg> element');
  const tag = open[0].replace(/^<svg\b/, '<svg role="img"');
  const body = svg.trimStart().slice(open[0].length).trimEnd();
  return `<?xml version="1.0" encoding="UTF-8"?>\n${tag}<title>${escapeXml(title)}</title>${body}\n`;
}

/**
 * A PNG for mail (inline by cid): black on white, 6 pixels per module, one bit
 * per pixel. Written here rather than by qrcode's PNG renderer: that one paints
 * an RGBA bitmap and has pngjs try five filters on every row — about 10 ms of
 * CPU per ticket, which on sale day the worker takes from the holds (this is
 * about 1.5 ms, nearly all of it finding the symbol's best mask).
 */
export async function ticketQrPng(code: string): Promise<Buffer> {
  const modules = qrModules(code);
  return bilevelPng(modules.size + 2 * margin, (x, y) => modules.dark(x - margin, y - margin), pngScale);
}

/** The symbol's modules. Byte mode throughout: a ticket code is one alphabet, so the segment search would only cost time. */
function qrModules(code: string): { size: number; dark(x: number, y: number): boolean } {
  const { modules } = QRCode.create([{ data: Buffer.from(code), mode: 'byte' }], { errorCorrectionLevel });
  const size = modules.size;
  return { size, dark: (x, y) => x >= 0 && y >= 0 && x < size && y < size && Boolean(modules.get(y, x)) };
}

/** A square greyscale PNG of bit depth 1 (0 = black), `cells` × `cells` cells of `scale` pixels each. */
function bilevelPng(cells: number, dark: (x: number, y: number) => boolean, scale: number): Buffer {
  const width = cells * scale;
  const rowBytes = Math.ceil(width / 8);
  const raw = Buffer.alloc((1 + rowBytes) * width); // filter byte 0 (none) before each row
  for (let cy = 0; cy < cells; cy++) {
    const row = Buffer.alloc(rowBytes, 0xff);
    for (let cx = 0; cx < cells; cx++) {
      if (!dark(cx, cy)) continue;
      for (let px = cx * scale; px < (cx + 1) * scale; px++) row[px >> 3]! &= ~(0x80 >> (px & 7));
    }
    for (let py = cy * scale; py < (cy + 1) * scale; py++) row.copy(raw, py * (1 + rowBytes) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([pngSignature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'ascii');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
