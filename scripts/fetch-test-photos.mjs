#!/usr/bin/env node
// More real test photos from Debian packages (scikit-image's and darknet's sample data), unpacked into
// test/photos/debian/. `apt-get download` needs no root. Nothing here is committed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test/photos/debian');
const WANTED = {
  'python3-skimage': { dir: 'usr/lib/python3/dist-packages/skimage/data', files: ['chelsea.png', 'astronaut.png', 'coffee.png', 'motorcycle_left.png', 'rocket.jpg'] },
  darknet: { dir: 'usr/share/darknet/data', files: ['dog.jpg', 'horses.jpg', 'person.jpg', 'eagle.jpg', 'giraffe.jpg'] },
};

const need = Object.entries(WANTED).filter(([, w]) => w.files.some((f) => !existsSync(join(out, f))));
if (need.length) {
  const tmp = join(root, 'test/.tmp/deb');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  mkdirSync(out, { recursive: true });
  for (const [pkg, w] of need) {
    try {
      execFileSync('apt-get', ['download', pkg], { cwd: tmp, stdio: 'pipe' });
      const deb = execFileSync('sh', ['-c', `ls ${pkg}_*.deb`], { cwd: tmp }).toString().trim();
      execFileSync('dpkg-deb', ['-x', deb, 'x'], { cwd: tmp, stdio: 'pipe' });
      for (const f of w.files) copyFileSync(join(tmp, 'x', w.dir, f), join(out, f));
    } catch (err) {
      console.warn(`[test-photos] could not get ${pkg}'s sample photos (${String(err.message).split('\n')[0]}); run 'apt-get update' first`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}
// AVIF and HEIC copies of face.jpg, made with Debian's avifenc and heif-enc (Chromium decodes AVIF, not HEIC).
const formats = join(root, 'test/photos/formats');
const ENCODERS = [
  { pkg: 'libavif-bin', bin: 'usr/bin/avifenc', out: 'face.avif', args: (src, dst) => ['-s', '8', src, dst] },
  { pkg: 'libheif-examples', bin: 'usr/bin/heif-enc', out: 'face.heic', args: (src, dst) => ['-o', dst, src] },
];
const source = join(root, 'test/photos/shared/face.jpg');
const todo = ENCODERS.filter((e) => !existsSync(join(formats, e.out)));
if (todo.length && existsSync(source)) {
  const tmp = join(root, 'test/.tmp/enc');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  mkdirSync(formats, { recursive: true });
  for (const e of todo) {
    try {
      execFileSync('apt-get', ['download', e.pkg], { cwd: tmp, stdio: 'pipe' });
      const deb = execFileSync('sh', ['-c', `ls ${e.pkg}_*.deb`], { cwd: tmp }).toString().trim();
      execFileSync('dpkg-deb', ['-x', deb, 'x'], { cwd: tmp, stdio: 'pipe' });
      execFileSync(join(tmp, 'x', e.bin), e.args(source, join(formats, e.out)), { stdio: 'pipe' });
    } catch (err) {
      console.warn(`[test-photos] could not make ${e.out} with ${e.pkg} (${String(err.message).split('\n')[0]})`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}
for (const e of ENCODERS) if (!existsSync(join(formats, e.out))) console.log(`[test-photos] missing: formats/${e.out}`);

const missing = Object.values(WANTED).flatMap((w) => w.files).filter((f) => !existsSync(join(out, f)));
console.log(missing.length ? `[test-photos] missing: ${missing.join(', ')}` : `[test-photos] Debian sample photos ready`);
