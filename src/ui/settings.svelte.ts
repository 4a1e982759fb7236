import { getMeta, setMeta, type LibraryDb } from '../library/store/db';

export interface SettingsValues {
  /** Detect COCO objects while indexing (costs about as much as the labels). */
  objects: boolean;
  /** Read text in photos while indexing (detection on every photo, recognition where text was found). */
  text: boolean;
  /** Show the photo grid in month sections with a timeline. */
  groupByMonth: boolean;
  /** 'fast' finds faces with TinyFaceDetector: for big libraries, at a recall cost shown in Settings. */
  faceMode: 'accurate' | 'fast';
}

const DEFAULTS: SettingsValues = { objects: true, text: true, groupByMonth: true, faceMode: 'accurate' };
const KEY = 'settings.search';

/** User settings of search and indexing, kept in the library's meta store. */
export class Settings {
  objects = $state(DEFAULTS.objects);
  text = $state(DEFAULTS.text);
  groupByMonth = $state(DEFAULTS.groupByMonth);
  faceMode = $state(DEFAULTS.faceMode);
  private db: LibraryDb | null = null;

  async load(db: LibraryDb): Promise<void> {
    this.db = db;
    const saved = (await getMeta<Partial<SettingsValues>>(db, KEY)) ?? {};
    this.objects = saved.objects ?? DEFAULTS.objects;
    this.text = saved.text ?? DEFAULTS.text;
    this.groupByMonth = saved.groupByMonth ?? DEFAULTS.groupByMonth;
    this.faceMode = saved.faceMode ?? DEFAULTS.faceMode;
  }

  /** Month sections or one grid: shown at once, kept for the next visit. */
  setGroupByMonth(on: boolean): Promise<void> {
    this.groupByMonth = on;
    return this.save();
  }

  async save(): Promise<void> {
    if (this.db) await setMeta(this.db, KEY, { objects: this.objects, text: this.text, groupByMonth: this.groupByMonth, faceMode: this.faceMode } satisfies SettingsValues);
  }
}
