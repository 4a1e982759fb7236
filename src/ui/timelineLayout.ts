import { clampAspect, justifyRows, type JustifiedRow } from './justify';

/** What the layout reads of a photo. */
export interface LaidOutPhoto {
  width: number;
  height: number;
  takenAt: number | null;
  lastModified: number;
}

/** A month's photos: indices [start, end) of the grid's list, which is newest first. */
export interface MonthGroup {
  key: string;
  label: string;
  year: number;
  start: number;
  end: number;
}

/** The grid's photos as the layout needs them, whatever the width: aspect ratios and, when grouped, months. */
export interface TimelineGroups {
  aspects: Float32Array;
  months: MonthGroup[];
}

export type TimelineRow =
  | { kind: 'month'; key: string; label: string; count: number }
  | { kind: 'photos'; key: number; from: number; to: number; height: number; full: boolean };

export interface TimelineLayout {
  rows: TimelineRow[];
  /** The row of each month's heading, in `months` order. */
  monthRows: number[];
}

/**
 * Reads each photo once (one pass over 100k photos at a cold open): its aspect ratio, and the month it was taken
 * in. A photo without an EXIF date sits at its file's date, as in the ungrouped grid and the year: filter.
 */
export function groupPhotos(
  ids: readonly number[],
  metaOf: (id: number) => LaidOutPhoto | undefined,
  grouped: boolean,
  monthLabel: (date: Date) => string,
): TimelineGroups {
  const aspects = new Float32Array(ids.length);
  const months: MonthGroup[] = [];
  let month = null as MonthGroup | null;
  // The current month's span in ms: a Date per photo costs more than the rest of the pass.
  let from = Infinity;
  let to = -Infinity;
  for (let i = 0; i < ids.length; i++) {
    const m = metaOf(ids[i]);
    aspects[i] = m ? clampAspect(m.width, m.height) : 1;
    if (!grouped) continue;
    const t = m ? (m.takenAt ?? m.lastModified) : 0;
    if (month && t >= from && t < to) continue;
    const d = new Date(t);
    from = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
    to = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
    const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
    if (key === month?.key) continue;
    if (month) month.end = i;
    month = { key, label: monthLabel(d), year: d.getFullYear(), start: i, end: ids.length };
    months.push(month);
  }
  return { aspects, months };
}

/** Justified rows at one width: a heading row before each month's photos, or one run of rows when ungrouped. */
export function layoutRows(groups: TimelineGroups, width: number, target: number, gap: number): TimelineLayout {
  const { aspects, months } = groups;
  const aspect = (i: number) => aspects[i];
  const rows: TimelineRow[] = [];
  const monthRows: number[] = [];
  const justified: JustifiedRow[] = [];
  const push = (from: number, to: number) => {
    justified.length = 0;
    justifyRows(aspect, from, to, width, target, gap, justified);
    // A row's first photo is unique in the list, so it is the row's key.
    for (const r of justified) rows.push({ kind: 'photos', key: r.from, from: r.from, to: r.to, height: r.height, full: r.full });
  };
  if (!months.length) {
    push(0, aspects.length);
    return { rows, monthRows };
  }
  for (const m of months) {
    monthRows.push(rows.length);
    rows.push({ kind: 'month', key: m.key, label: m.label, count: m.end - m.start });
    push(m.start, m.end);
  }
  return { rows, monthRows };
}
