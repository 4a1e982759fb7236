import type { Library } from './library.svelte';

/** Opening a folder: the directory picker where the browser has one, else the hidden <input webkitdirectory>. */
export class FolderPicker {
  input = $state<HTMLInputElement | undefined>();

  constructor(private readonly lib: Library) {}

  private report = (err: unknown) => this.lib.report(err);

  async open(): Promise<void> {
    const w = window as unknown as { showDirectoryPicker?: (o: object) => Promise<FileSystemDirectoryHandle> };
    if (!w.showDirectoryPicker) return this.input?.click();
    try {
      const dir = await w.showDirectoryPicker({ id: 'shoebox', mode: 'read' });
      if (!this.confirmReplace(dir.name)) return;
      await this.lib.indexHandle(dir);
    } catch (err) {
      this.report(err);
    }
  }

  /** Shoebox indexes one folder; another folder's index is replaced, and that is worth a question. */
  confirmReplace(name: string): boolean {
    const lib = this.lib;
    if (!lib.folderName || lib.folderName === name || lib.counts.photos === 0) return true;
    return confirm(`Shoebox keeps one folder indexed. Replace the index of "${lib.folderName}" with "${name}"?`);
  }

  picked(): void {
    const input = this.input;
    const files = input?.files;
    if (!input || !files?.length) return;
    const name = files[0].webkitRelativePath.split('/')[0];
    if (this.confirmReplace(name)) this.lib.indexFileList(files).catch(this.report);
    input.value = '';
  }

  sample(): void {
    if (this.confirmReplace('Sample photos')) this.lib.indexSample().catch(this.report);
  }

  reopen(): void {
    this.lib.reopen().catch(this.report);
  }

  get busy(): boolean {
    return this.lib.indexing || !!this.lib.otherTab;
  }
}
