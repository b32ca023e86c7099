/** Images made for tests: real encodings from sharp, and a decompression bomb by hand. */
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

/** A `width`×`height` image of one colour, in `format`, carrying EXIF with GPS when asked. */
export async function solidImage(
  width: number,
  height: number,
  format: "png" | "jpeg" | "webp" | "gif",
  options: { gps?: boolean } = {},
): Promise<Buffer> {
  let image = sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } },
  });
  if (options.gps) {
    image = image.withExif({
      IFD0: { Make: "TestCam", Model: "Secret Model" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "40/1 26/1 46/1" },
    });
  }
  return image.toFormat(format).toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A PNG of a few hundred bytes whose header claims `side`×`side` pixels (50,000² by default:
 * 10 GB of RGBA once decoded). Its pixel data is a little compressed zero data.
 */
export function pngBomb(side = 50_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.alloc(64 * 1024))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);
