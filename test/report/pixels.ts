import { createCanvas, loadImage } from '@napi-rs/canvas';

/** Width and height from a PNG's IHDR chunk; throws unless the bytes start with the PNG signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature) || png.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Which pixels of a region are as dark as chart text (#333; the bars' blue is lighter), as a string of
 * 0/1 for comparing, plus their count.
 */
export async function darkPixels(
  png: Buffer,
  region: { x: number; y: number; width: number; height: number },
): Promise<{ count: number; mask: string }> {
  const image = await loadImage(png);
  const canvas = createCanvas(region.width, region.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, -region.x, -region.y);
  const data = ctx.getImageData(0, 0, region.width, region.height).data;
  let count = 0;
  let mask = '';
  for (let i = 0; i < data.length; i += 4) {
    const dark =
      (data[i] ?? 255) + (data[i + 1] ?? 255) + (data[i + 2] ?? 255) < 250 && (data[i + 3] ?? 0) > 128;
    if (dark) count += 1;
    mask += dark ? '1' : '0';
  }
  return { count, mask };
}

/** Draws `text` alone in a font and returns its dark-pixel mask: .notdef boxes all look the same. */
export function glyphMask(text: string, family: string): { count: number; mask: string } {
  const canvas = createCanvas(64, 64);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 64, 64);
  ctx.fillStyle = '#000000';
  ctx.font = `40px "${family}"`;
  ctx.textBaseline = 'top';
  ctx.fillText(text, 6, 6);
  const data = ctx.getImageData(0, 0, 64, 64).data;
  let count = 0;
  let mask = '';
  for (let i = 0; i < data.length; i += 4) {
    const dark = (data[i] ?? 255) < 128;
    if (dark) count += 1;
    mask += dark ? '1' : '0';
  }
  return { count, mask };
}

/** The RGBA value of one pixel. */
export async function rgbaAt(png: Buffer, x: number, y: number): Promise<number[]> {
  const image = await loadImage(png);
  const canvas = createCanvas(1, 1);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, -x, -y);
  return Array.from(ctx.getImageData(0, 0, 1, 1).data);
}
