import exifr from 'exifr';

export interface ExifInfo {
  takenAt: number | null;
  camera: string | null;
  gps: [number, number] | null;
}

const NONE: ExifInfo = { takenAt: null, camera: null, gps: null };

/** Date taken, camera and GPS; missing or broken EXIF is not an error. */
export async function readExif(blob: Blob): Promise<ExifInfo> {
  try {
    const tags = await exifr.parse(blob, {
      tiff: true, exif: true, gps: true, ifd1: false, xmp: false, icc: false, iptc: false, jfif: false,
      pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model', 'GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef'],
    });
    if (!tags) return NONE;
    const date: unknown = tags.DateTimeOriginal ?? tags.CreateDate;
    const takenAt = date instanceof Date && !Number.isNaN(date.getTime()) ? date.getTime() : null;
    const make = typeof tags.Make === 'string' ? tags.Make.trim() : '';
    const model = typeof tags.Model === 'string' ? tags.Model.trim() : '';
    // Many models already start with the make ("Canon EOS 5D"), so avoid "Canon Canon EOS 5D".
    const camera = (model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`).trim() || null;
    const gps = Number.isFinite(tags.latitude) && Number.isFinite(tags.longitude) ? ([tags.latitude, tags.longitude] as [number, number]) : null;
    return { takenAt, camera, gps };
  } catch {
    return NONE;
  }
}
