import type { SourceEntry } from '../types';

/** Formats we try to decode, or at least list with a reason when the browser cannot (HEIC, TIFF…). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp', 'avif', 'heic', 'heif', 'tif', 'tiff', 'svg',
]);

export function isImagePath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  // ".jpg" alone is a hidden file, not an image.
  if (dot <= 0) return false;
  return IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

function isHidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.'));
}

/** Entries of an `<input webkitdirectory>` pick; paths are relative to the picked folder. */
export function entriesFromFileList(files: FileList | readonly File[]): SourceEntry[] {
  const out: SourceEntry[] = [];
  for (const file of Array.from(files)) {
    const rel = file.webkitRelativePath || file.name;
    // webkitRelativePath starts with the picked folder's own name, which the directory-handle source has not.
    const slash = rel.indexOf('/');
    const path = file.webkitRelativePath && slash >= 0 ? rel.slice(slash + 1) : rel;
    if (!path || isHidden(path) || !isImagePath(path)) continue;
    out.push({ path, size: file.size, lastModified: file.lastModified, getFile: () => Promise.resolve(file) });
  }
  return out;
}

// TS's DOM lib has no async iteration on directory handles yet.
type IterableDirectory = FileSystemDirectoryHandle & {
  values(): AsyncIterable<FileSystemDirectoryHandle | FileSystemFileHandle>;
};

/**
 * Walks a directory handle depth-first. getFile() is needed for size and mtime, but reads only metadata,
 * not the pixels.
 */
export async function* entriesFromDirectoryHandle(
  handle: FileSystemDirectoryHandle,
  prefix = '',
): AsyncGenerator<SourceEntry> {
  for await (const child of (handle as IterableDirectory).values()) {
    if (child.name.startsWith('.')) continue;
    const path = prefix + child.name;
    if (child.kind === 'directory') {
      yield* entriesFromDirectoryHandle(child as FileSystemDirectoryHandle, path + '/');
    } else if (isImagePath(path)) {
      const fileHandle = child as FileSystemFileHandle;
      const file = await fileHandle.getFile();
      yield { path, size: file.size, lastModified: file.lastModified, getFile: () => fileHandle.getFile() };
    }
  }
}
