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
  const svg = await QRCode.toString(code, { type: 'svg', errorCorrectionLevel, margin, width: svgWidth, color: { dark: '#000000ff', light: '#ffffffff' } });
  const open = /^<svg\b[^>]*>/.exec(svg.trimStart());
  if (!open) throw new Error('qrcode returned no <svg> element');
  const tag = open[0].replace(/^<svg\b/, '<svg role="img"');
  const body = svg.trimStart().slice(open[0].length).trimEnd();
  return `<?xml version="1.0" encoding="UTF-8"?>\n${tag}<title>${escapeXml(title)}</title>${body}\n`;
}

/** A PNG for mail (inline by cid): black on white, 6 pixels per module. */
export async function ticketQrPng(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel, margin, scale: pngScale, color: { dark: '#000000ff', light: '#ffffffff' } });
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
