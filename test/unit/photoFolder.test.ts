import { describe, expect, it } from 'vitest';
import { PhotoFolder } from '../../src/ui/photoFolder.svelte';
import { getMeta, type LibraryDb } from '../../src/library/store/db';

/**
 * The meta store in memory: browsers store a directory handle in IndexedDB as it is, but fake-indexeddb cannot
 * clone this test's fake handle.
 */
function freshDb(): Promise<LibraryDb> {
  const meta = new Map<string, unknown>();
  return Promise.resolve({ get: async (_: 'meta', key: string) => meta.get(key), put: async (_: 'meta', value: unknown, key: string) => void meta.set(key, value) } as unknown as LibraryDb);
}

/** A directory handle in memory: files by path, and the permission the browser would answer. */
function fakeDir(name: string, files: Record<string, string>, permission: { query: PermissionState; request: PermissionState }) {
  const dir = (prefix: string): FileSystemDirectoryHandle =>
    ({
      kind: 'directory',
      name: prefix ? prefix.split('/').at(-2)! : name,
      async getDirectoryHandle(p: string) {
        if (!Object.keys(files).some((f) => f.startsWith(`${prefix}${p}/`))) throw new DOMException('missing', 'NotFoundError');
        return dir(`${prefix}${p}/`);
      },
      async getFileHandle(p: string) {
        const text = files[`${prefix}${p}`];
        if (text === undefined) throw new DOMException('missing', 'NotFoundError');
        return { getFile: async () => new File([text], p) };
      },
      queryPermission: async () => permission.query,
      requestPermission: async () => permission.request,
    }) as unknown as FileSystemDirectoryHandle;
  return dir('');
}

describe('PhotoFolder', () => {
  it('reads originals from picked files, then from a directory handle (also in subfolders), and forgets them', async () => {
    const folder = new PhotoFolder();
    expect(await folder.file('a.jpg')).toBeNull();
    folder.use({ kind: 'files', files: new Map([['a.jpg', new File(['A'], 'a.jpg')]]) });
    expect(await (await folder.file('a.jpg'))!.text()).toBe('A');
    expect(await folder.file('b.jpg')).toBeNull();

    folder.use({ kind: 'handle', dir: fakeDir('Pics', { 'b.jpg': 'B', 'trip/c.jpg': 'C' }, { query: 'granted', request: 'granted' }) });
    expect(await folder.file('a.jpg')).toBeNull();
    expect(await (await folder.file('trip/c.jpg'))!.text()).toBe('C');
    expect(await folder.file('trip/none.jpg')).toBeNull();
    expect(await folder.file('nowhere/c.jpg')).toBeNull();

    folder.forget();
    expect(await folder.file('b.jpg')).toBeNull();
  });

  it('keeps a picked folder for the next visit, which finds it waiting for permission', async () => {
    const db = await freshDb();
    const dir = fakeDir('Pics', {}, { query: 'prompt', request: 'granted' });
    const first = new PhotoFolder();
    await first.keep(db, dir);
    expect(first.permission).toBe('granted');
    expect(first.reopenHandle).toBeNull();
    expect(await getMeta(db, 'folderHandle')).toBe(dir);

    const next = new PhotoFolder();
    await next.restore(db);
    expect(next.reopenHandle).toBe(dir);
    expect(next.permission).toBe('prompt');
    expect(await next.requestPermission()).toBe(dir);
    expect(next.permission).toBe('granted');
  });

  it('a refused permission returns no folder and says so; nothing kept, nothing to ask', async () => {
    const db = await freshDb();
    const folder = new PhotoFolder();
    await folder.restore(db);
    expect(folder.reopenHandle).toBeNull();
    expect(await folder.requestPermission()).toBeNull();
    expect(folder.permission).toBeNull();

    await folder.keep(db, fakeDir('Pics', {}, { query: 'prompt', request: 'denied' }));
    const next = new PhotoFolder();
    await next.restore(db);
    expect(await next.requestPermission()).toBeNull();
    expect(next.permission).toBe('denied');
    next.forget();
    expect([next.reopenHandle, next.permission]).toEqual([null, null]);
  });
});
