import { test, expect, type Page } from '@playwright/test';
import { putBlob } from './photos';
import { analyzeBlob, configureEngine, startEngine } from './testApi';

// The object detector and the image embedder in the real worker (WASM), through the app's pool.
type Result = { width: number; height: number; objects?: { classIndex: number; score: number; box: number[] }[]; embedding: number[] | null; stages: Record<string, number> };

async function analyze(page: Page, rel: string): Promise<Result> {
  await putBlob(page, rel);
  const a = await analyzeBlob(page, rel);
  return { width: a.width, height: a.height, objects: a.objects, embedding: a.embedding, stages: a.stages };
}

const PERSON = 0;
const DOG = 16;
const cosine = (a: number[], b: number[]) => {
  let dot = 0, na = 0, nb = 0;
  a.forEach((v, i) => ((dot += v * b[i]), (na += v * v), (nb += b[i] * b[i])));
  return dot / Math.sqrt(na * nb);
};

test('objects with boxes and an embedding for every photo', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=wasm');
  const info = await startEngine(page);
  expect(info.objectsError).toBeNull();
  expect(info.similarError).toBeNull();

  const pets = await analyze(page, 'shared/pets.jpg');
  const dogs = pets.objects!.filter((o) => o.classIndex === DOG);
  expect(dogs).toHaveLength(2);
  expect(pets.objects!.some((o) => o.classIndex === PERSON)).toBe(false);
  // One dog on each half of the photo; boxes are fractions of the photo.
  const centres = dogs.map((d) => d.box[0] + d.box[2] / 2).sort();
  expect(centres[0]).toBeLessThan(0.5);
  expect(centres[1]).toBeGreaterThan(0.5);
  for (const o of pets.objects!) for (const v of o.box) expect(v >= 0 && v <= 1).toBe(true);
  expect(pets.stages.objects).toBeGreaterThan(0);
  expect(pets.stages.embed).toBeGreaterThan(0);

  const farm = await analyze(page, 'debian/person.jpg');
  expect(farm.objects!.some((o) => o.classIndex === PERSON)).toBe(true);
  expect(farm.objects!.some((o) => o.classIndex === DOG)).toBe(true);
  expect((await analyze(page, 'shared/sunflower.bmp')).objects).toEqual([]);

  const a = await analyze(page, 'shared/cat_720p.jpg');
  const b = await analyze(page, 'shared/cat_1080p.jpg');
  expect(a.embedding).toHaveLength(1024);
  expect(cosine(a.embedding!, b.embedding!)).toBeGreaterThan(0.95);
  expect(cosine(a.embedding!, pets.embedding!)).toBeLessThan(0.8);

  // Switched off, the detector is skipped.
  await configureEngine(page, { objects: false });
  const off = await analyze(page, 'shared/pets.jpg');
  expect(off.objects).toBeUndefined();
  expect(off.stages.objects).toBeUndefined();
  expect(off.embedding).toHaveLength(1024);
});
