import { afterEach, describe, expect, it, vi } from 'vitest';
import { FolderPicker } from '../../src/ui/folderPicker.svelte';
import type { Library } from '../../src/ui/library.svelte';

/** The part of the library the picker drives, recording what it was asked. */
function fakeLibrary(state: { folderName?: string | null; photos?: number; indexing?: boolean; otherTab?: boolean } = {}) {
  const calls: string[] = [];
  const lib = {
    folderName: state.folderName ?? null,
    counts: { photos: state.photos ?? 0 },
    indexing: state.indexing ?? false,
    otherTab: state.otherTab ? { progress: null, folderName: null } : null,
    errors: [] as unknown[],
    report(err: unknown) {
      if ((err as Error)?.name !== 'AbortError') this.errors.push(err);
    },
    indexHandle: async (dir: FileSystemDirectoryHandle) => void calls.push(`handle ${dir.name}`),
    indexFileList: async (files: FileList) => void calls.push(`files ${files.length}`),
    indexSample: async () => void calls.push('sample'),
    reopen: async () => void calls.push('reopen'),
  };
  return { lib, calls, picker: new FolderPicker(lib as unknown as Library) };
}

function stubBrowser(picker?: () => Promise<{ name: string }>, answer = true) {
  const asked: string[] = [];
  vi.stubGlobal('window', picker ? { showDirectoryPicker: picker } : {});
  vi.stubGlobal('confirm', (q: string) => (asked.push(q), answer));
  return asked;
}

/** A webkitdirectory input holding files of one folder. */
function fileInput(folder: string, count: number) {
  const files = Array.from({ length: count }, (_, i) => ({ webkitRelativePath: `${folder}/${i}.jpg` }));
  const input = { files: Object.assign(files, { item: (i: number) => files[i] }), value: 'C:\\fakepath', clicked: 0, click() { this.clicked++; } };
  return input;
}

afterEach(() => vi.unstubAllGlobals());

describe('FolderPicker', () => {
  it('uses the directory picker where there is one, and indexes the folder picked', async () => {
    stubBrowser(async () => ({ name: 'Holidays' }));
    const { picker, calls } = fakeLibrary();
    await picker.open();
    expect(calls).toEqual(['handle Holidays']);
  });

  it('falls back to the hidden folder input, and indexes what it picked once', async () => {
    stubBrowser();
    const { picker, calls } = fakeLibrary();
    const input = fileInput('Pics', 3);
    picker.input = input as unknown as HTMLInputElement;
    await picker.open();
    expect(input.clicked).toBe(1);
    picker.picked();
    expect(calls).toEqual(['files 3']);
    // Cleared, so picking the same folder again fires a change.
    expect(input.value).toBe('');
  });

  it('asks before replacing another folder’s index, and does nothing when the answer is no', async () => {
    const asked = stubBrowser(async () => ({ name: 'Work' }), false);
    const { picker, calls } = fakeLibrary({ folderName: 'Holidays', photos: 12 });
    await picker.open();
    picker.sample();
    expect(asked).toEqual([
      'Shoebox keeps one folder indexed. Replace the index of "Holidays" with "Work"?',
      'Shoebox keeps one folder indexed. Replace the index of "Holidays" with "Sample photos"?',
    ]);
    expect(calls).toEqual([]);
  });

  it('does not ask for the same folder, an empty index or a first folder', () => {
    const asked = stubBrowser(undefined, false);
    expect(fakeLibrary({ folderName: 'Holidays', photos: 12 }).picker.confirmReplace('Holidays')).toBe(true);
    expect(fakeLibrary({ folderName: 'Holidays', photos: 0 }).picker.confirmReplace('Work')).toBe(true);
    expect(fakeLibrary().picker.confirmReplace('Work')).toBe(true);
    expect(asked).toEqual([]);
  });

  it('reports a failed pick but not a cancelled one', async () => {
    stubBrowser(async () => Promise.reject(new DOMException('The user aborted a request.', 'AbortError')));
    const { picker, lib } = fakeLibrary();
    await picker.open();
    expect(lib.errors).toEqual([]);
    stubBrowser(async () => Promise.reject(new Error('No access')));
    await picker.open();
    expect(lib.errors.map((e) => (e as Error).message)).toEqual(['No access']);
  });

  it('is busy while this tab or another indexes', () => {
    expect(fakeLibrary().picker.busy).toBe(false);
    expect(fakeLibrary({ indexing: true }).picker.busy).toBe(true);
    expect(fakeLibrary({ otherTab: true }).picker.busy).toBe(true);
  });

  it('the sample photos and a reopened folder go to the library', async () => {
    stubBrowser();
    const { picker, calls } = fakeLibrary();
    picker.sample();
    picker.reopen();
    await Promise.resolve();
    expect(calls).toEqual(['sample', 'reopen']);
  });
});
