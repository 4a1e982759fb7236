import { getMeta, setMeta, type LibraryDb } from '../library/store/db';

type PermissionedHandle = FileSystemDirectoryHandle & {
  queryPermission?(d: { mode: string }): Promise<PermissionState>;
  requestPermission?(d: { mode: string }): Promise<PermissionState>;
};

/** Where this visit reads originals from: picked files (a FileList, the sample photos) or a directory handle. */
export type Original = { kind: 'files'; files: Map<string, File> } | { kind: 'handle'; dir: FileSystemDirectoryHandle };

const HANDLE_KEY = 'folderHandle';

/**
 * The photo folder: the directory handle kept for the next visit and its read permission, and the originals this
 * visit can read (for the photo view, and thumbnails of an index imported without them).
 */
export class PhotoFolder {
  /** A folder handle from an earlier visit, waiting for the user's click to ask for permission again. */
  reopenHandle = $state<FileSystemDirectoryHandle | null>(null);
  /** Whether this visit may read the kept folder; browsers usually forget the grant between visits. */
  permission = $state<PermissionState | null>(null);
  private original: Original | null = null;

  /** On open: the handle an earlier visit kept, and whether the browser still lets this visit read it. */
  async restore(db: LibraryDb): Promise<void> {
    const handle = await getMeta<FileSystemDirectoryHandle>(db, HANDLE_KEY);
    if (!handle) return;
    this.reopenHandle = handle;
    const h = handle as PermissionedHandle;
    this.permission = h.queryPermission ? await h.queryPermission({ mode: 'read' }).catch(() => 'prompt' as const) : 'granted';
  }

  /** A folder the user picked (so permitted): kept for later visits. */
  async keep(db: LibraryDb, dir: FileSystemDirectoryHandle): Promise<void> {
    await setMeta(db, HANDLE_KEY, dir);
    this.reopenHandle = null;
    this.permission = 'granted';
  }

  /**
   * Asks the browser again for the kept folder (must follow a click). Returns it when granted; otherwise null and
   * `permission` says why.
   */
  async requestPermission(): Promise<FileSystemDirectoryHandle | null> {
    const dir = this.reopenHandle;
    if (!dir) return null;
    const h = dir as PermissionedHandle;
    this.permission = h.requestPermission ? await h.requestPermission({ mode: 'read' }) : 'granted';
    return this.permission === 'granted' ? dir : null;
  }

  /** The originals of the folder being indexed now. */
  use(original: Original | null): void {
    this.original = original;
  }

  /** A replaced library: its folder and originals belong to the old index. */
  forget(): void {
    this.reopenHandle = null;
    this.permission = null;
    this.original = null;
  }

  /** The original file, when this visit can still read it (picked files, or a permitted handle). */
  async file(path: string): Promise<File | null> {
    const o = this.original;
    if (o?.kind === 'files') return o.files.get(path) ?? null;
    if (o?.kind === 'handle') {
      try {
        let dir = o.dir;
        const parts = path.split('/');
        for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
        return await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
      } catch {
        return null;
      }
    }
    return null;
  }
}
