#!/usr/bin/env node
// Draws the extension's icon, images/icon.png (128x128): an orange shield with a white check
// mark on a dark rounded square, the colours of AWS's console. Plain Node (zlib), so the icon
// can be redrawn anywhere: `node scripts/make-icon.mjs`. The PNG is committed; rerun only to
// change it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // 4x4 samples a pixel, for smooth edges
const BACKGROUND = [0x23, 0x2f, 0x3e];
const SHIELD = [0xff, 0x99, 0x00];
const CHECK = [0xff, 0xff, 0xff];

/** Inside a square with rounded corners. */
function inRoundedSquare(x, y, min, max, radius) {
  const cx = Math.min(Math.max(x, min + radius), max - radius);
  const cy = Math.min(Math.max(y, min + radius), max - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** A shield: straight sides from the top, then curving in to a point at the bottom. */
function inShield(x, y) {
  const centre = 64;
  const top = 20;
  const shoulder = 62;
  const bottom = 112;
  const halfWidth = 40;
  if (y < top || y > bottom) return false;
  // A shallow dip in the middle of the top edge.
  const dip = 6 * Math.cos(((x - centre) / halfWidth) * (Math.PI / 2));
  if (y < top + dip) return false;
  if (y <= shoulder) return Math.abs(x - centre) <= halfWidth;
  const t = (y - shoulder) / (bottom - shoulder);
  return Math.abs(x - centre) <= halfWidth * Math.sqrt(1 - t ** 1.6);
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function inCheck(x, y) {
  const a = [44, 64];
  const b = [58, 78];
  const c = [86, 46];
  return Math.min(distanceToSegment(x, y, a, b), distanceToSegment(x, y, b, c)) <= 6;
}

/** RGBA of one pixel: the share of samples in each shape, layered. */
function pixel(px, py) {
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = px + (sx + 0.5) / SAMPLES;
      const y = py + (sy + 0.5) / SAMPLES;
      let colour;
      if (inCheck(x, y) && inShield(x, y)) colour = CHECK;
      else if (inShield(x, y)) colour = SHIELD;
      else if (inRoundedSquare(x, y, 0, SIZE, 22)) colour = BACKGROUND;
      else continue;
      r += colour[0];
      g += colour[1];
      b += colour[2];
      a += 1;
    }
  }
  if (a === 0) return [0, 0, 0, 0];
  return [Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((255 * a) / SAMPLES ** 2)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 4);
    rows[row] = 0; // no filter
    for (let x = 0; x < SIZE; x++) rows.set(pixel(x, y), row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'images', 'icon.png');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, png());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
