import { describe, expect, it } from 'vitest';
import { entriesFromDirectoryHandle, entriesFromFileList, isImagePath } from '../../src/library/indexing/folderSource';

describe('isImagePath', () => {
  it('accepts image extensions in any case and nothing else', () => {
    for (const p of ['a.jpg', 'b/C.JPEG', 'x.png', 'x.webp', 'x.gif', 'x.bmp', 'x.avif', 'x.HEIC', 'x.heif', 'x.tif', 'x.tiff', 'x.svg']) {
      expect(isImagePath(p), p).toBe(true);
    }
    for (const p of ['a.txt', 'jpg', 'b/.jpg', 'movie.mp4', 'a.jpg/readme', 'archive.jpg.zip']) {
      expect(isImagePath(p), p).toBe(false);
    }
  });
});

function file(relPath: string, body = 'xx', lastModified = 42): File {
  const f = new File([body], relPath.split('/').pop()!, { lastModified });
  Object.defineProperty(f, 'webkitRelativePath', { value: relPath });
  return f;
}

describe('entriesFromFileList', () => {
  it('strips the picked folder name and skips hidden and non-image files', async () => {
    const entries = entriesFromFileList([
      file('Pictures/a.jpg', 'abc', 7),
      file('Pictures/trips/2019/b.PNG'),
      file('Pictures/notes.txt'),
      file('Pictures/.thumbs/c.jpg'),
      file('Pictures/trips/.hidden.jpg'),
    ]);
    expect(entries.map((e) => e.path)).toEqual(['a.jpg', 'trips/2019/b.PNG']);
    expect(entries[0]).toMatchObject({ size: 3, lastModified: 7 });
    expect(await (await entries[0].getFile()).text()).toBe('abc');
  });

  it('uses the file name when there is no relative path (a plain multi-file pick)', () => {
    const f = new File(['x'], 'solo.jpg');
    expect(entriesFromFileList([f]).map((e) => e.path)).toEqual(['solo.jpg']);
  });
});

// Just enough of FileSystemDirectoryHandle for the walker.
type Tree = { [name: string]: Tree | File };
function dirHandle(name: string, tree: Tree): FileSystemDirectoryHandle {
  return {
    kind: 'directory',
    name,
    async *values() {
      for (const [childName, child] of Object.entries(tree)) {
        if (child instanceof File) yield { kind: 'file', name: childName, getFile: async () => child };
        else yield dirHandle(childName, child);
      }
    },
  } as unknown as FileSystemDirectoryHandle;
}

describe('entriesFromDirectoryHandle', () => {
  it('walks recursively with relative paths, skipping hidden entries and non-images', async () => {
    const root = dirHandle('Pictures', {
      'a.jpg': new File(['1234'], 'a.jpg', { lastModified: 9 }),
      'readme.md': new File(['x'], 'readme.md'),
      '.git': { 'x.jpg': new File(['x'], 'x.jpg') },
      trips: {
        '2019': { 'b.heic': new File(['x'], 'b.heic') },
        '.DS_Store': new File(['x'], '.DS_Store'),
        '.c.jpg': new File(['x'], '.c.jpg'),
      },
    });
    const out = [];
    for await (const e of entriesFromDirectoryHandle(root)) out.push(e);
    expect(out.map((e) => e.path)).toEqual(['a.jpg', 'trips/2019/b.heic']);
    expect(out[0]).toMatchObject({ size: 4, lastModified: 9 });
    expect((await out[0].getFile()).size).toBe(4);
  });
});
