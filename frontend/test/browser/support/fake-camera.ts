/**
 * A camera for Chromium that films one picture: Chromium's fake capture device
 * plays a Y4M file in a loop. The picture (a ticket's QR code on white) is
 * turned into one 4:2:0 frame: luma from the grey image, neutral chroma.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

const width = 640;
const height = 480;

export async function fakeCameraFilming(svg: string): Promise<string> {
  const code = await sharp(Buffer.from(svg)).resize(360, 360, { fit: 'contain', background: '#ffffff' }).flatten({ background: '#ffffff' }).png().toBuffer();
  const luma = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([{ input: code, gravity: 'center' }])
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const y = luma.info.channels === 1 ? luma.data : Buffer.from(luma.data.filter((_, i) => i % luma.info.channels === 0));
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const path = join(mkdtempSync(join(tmpdir(), 'twenny-camera-')), 'ticket.y4m');
  writeFileSync(path, Buffer.concat([header, frame]));
  return path;
}
