import { describe, expect, it } from 'vitest';
import { fetchSamplePhotos, SAMPLE_DATE } from '../../src/ui/samplePhotos';

/** A fetch that serves a few files from memory and 404s the rest. */
function serve(files: Record<string, string>): typeof fetch {
  return (async (url: string) => {
    const body = files[url];
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
  }) as typeof fetch;
}

describe('fetchSamplePhotos', () => {
  it('fetches every listed photo (names URL-encoded) as files and indexer entries with a fixed date', async () => {
    const get = serve({
      '/app/sample/sample.json': JSON.stringify(['dog.jpg', 'a cat.jpg']),
      '/app/sample/dog.jpg': 'DOG',
      '/app/sample/a%20cat.jpg': 'CAT!',
    });
    const { files, entries } = await fetchSamplePhotos('/app/', get);
    expect([...files.keys()]).toEqual(['dog.jpg', 'a cat.jpg']);
    expect(entries.map((e) => [e.path, e.size, e.lastModified])).toEqual([
      ['dog.jpg', 3, SAMPLE_DATE],
      ['a cat.jpg', 4, SAMPLE_DATE],
    ]);
    expect(await (await entries[1].getFile()).text()).toBe('CAT!');
  });

  it('says how to install them when the list or a photo is missing', async () => {
    await expect(fetchSamplePhotos('/', serve({}))).rejects.toThrow('The sample photos are not installed (run npm run models)');
    await expect(fetchSamplePhotos('/', serve({ '/sample/sample.json': '["gone.jpg"]' }))).rejects.toThrow('"gone.jpg" is missing');
  });
});
