import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jpegIsCutShort, sniffFormat } from '../../src/engine/image';
import { exifSegment, insertSegment } from '../../scripts/make-bad-fixtures.mjs';

const cat = readFileSync(join(import.meta.dirname, '../photos/shared/cat_720p.jpg'));

describe('jpegIsCutShort', () => {
  it('is false for a whole JPEG, also with trailing bytes or an EXIF block before the picture', () => {
    expect(jpegIsCutShort(cat)).toBe(false);
    expect(jpegIsCutShort(Buffer.concat([cat, Buffer.alloc(300)]))).toBe(false);
    expect(jpegIsCutShort(insertSegment(cat, exifSegment({ orientation: 6, make: 'Canon' })))).toBe(false);
  });

  it('is true for any cut inside the header or the picture data', () => {
    for (const at of [3, 20, 600, Math.floor(cat.length / 2), cat.length - 2]) expect(jpegIsCutShort(cat.subarray(0, at)), `cut at ${at}`).toBe(true);
  });

  it('the fixtures helpers make what the sniffer expects', () => {
    expect(sniffFormat(cat)).toBe('jpeg');
    expect(sniffFormat(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'))).toBe('heic');
  });
});
