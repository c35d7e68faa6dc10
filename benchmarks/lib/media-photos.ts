/**
 * Photo-like 12-megapixel JPEGs for bench:media, made in the run (no files to
 * ship): smooth colour fields, hard-edged shapes and sensor-like grain, so that
 * they compress like photos (a few MB each) rather than like flat colour or pure
 * noise. Every third is a portrait from a phone (EXIF orientation 6). The pixel
 * loop is JavaScript: run as a worker thread, a share of the seeds each.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';

export async function photoLike(seed: number, width = 4000, height = 3000): Promise<Buffer> {
  let state = (Math.imul(seed + 1, 2654435761) >>> 0) || 1;
  const random = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const gridWidth = 17;
  const gridHeight = 13;
  const grid = Float32Array.from({ length: gridWidth * gridHeight * 3 }, () => random() * 255);
  const shapes = Array.from({ length: 30 }, () => ({ x: random() * width, y: random() * height, w: 50 + random() * 600, h: 50 + random() * 600, colour: [random() * 255, random() * 255, random() * 255] }));
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const gy = (y / height) * (gridHeight - 1);
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    const y1 = Math.min(gridHeight - 1, y0 + 1);
    const inRow = shapes.filter((s) => y >= s.y && y < s.y + s.h);
    for (let x = 0; x < width; x++) {
      const gx = (x / width) * (gridWidth - 1);
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const x1 = Math.min(gridWidth - 1, x0 + 1);
      let shape;
      for (const s of inRow) if (x >= s.x && x < s.x + s.w) shape = s;
      const grain = (random() - 0.5) * 24;
      const at = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const field = (grid[(y0 * gridWidth + x0) * 3 + c]! * (1 - fx) + grid[(y0 * gridWidth + x1) * 3 + c]! * fx) * (1 - fy) + (grid[(y1 * gridWidth + x0) * 3 + c]! * (1 - fx) + grid[(y1 * gridWidth + x1) * 3 + c]! * fx) * fy;
        pixels[at + c] = Math.max(0, Math.min(255, (shape ? shape.colour[c]! * 0.7 + field * 0.3 : field) + grain));
      }
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } });
  return (seed % 3 === 2 ? image.withMetadata({ orientation: 6 }) : image).jpeg({ quality: 88 }).toBuffer();
}

if (!isMainThread && parentPort && Array.isArray(workerData?.seeds)) {
  for (const seed of workerData.seeds as number[]) {
    const photo = await photoLike(seed);
    const copy = new Uint8Array(photo);
    parentPort.postMessage({ seed, photo: copy }, [copy.buffer]);
  }
}
