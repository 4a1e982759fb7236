import { FACE_MATCH_THRESHOLD, type FaceResult } from '../engine/types';
import type { Library } from './library.svelte';
import { cropFace } from './faceCrops';

export interface FaceChoice {
  face: FaceResult;
  /** Object URL of the face's crop. */
  crop: string;
}

const IMAGE_NAME = /\.(jpe?g|png|webp|gif|bmp|avif|heic|heif|tiff?)$/i;
const CHOICE_SIZE = 96;

/**
 * Search by a photo from outside the library: its faces are found in the engine worker, the chosen one is
 * matched against the people, and the grid shows the closest person's photos. The photo itself is never stored.
 */
export class PhotoSearch {
  busy = $state(false);
  message = $state<string | null>(null);
  /** Faces to choose from, when the photo has several. */
  choices = $state.raw<FaceChoice[]>([]);

  constructor(private readonly lib: Library) {}

  async search(file: File): Promise<void> {
    this.clear();
    if (!file.type.startsWith('image/') && !IMAGE_NAME.test(file.name)) {
      this.message = `“${file.name}” is not a photo: drop a JPEG, PNG, WebP… with a face in it.`;
      return;
    }
    this.busy = true;
    try {
      // Left to right, as the person sees them.
      const faces = (await this.lib.pool.facesOf(file)).sort((a, b) => a.box[0] - b.box[0]);
      if (!faces.length) this.message = `No face found in “${file.name}”.`;
      else if (faces.length === 1) this.pick(faces[0]);
      else {
        this.choices = await crops(file, faces);
        this.message = `“${file.name}” has ${faces.length} faces: pick the one to look for.`;
      }
    } catch (err) {
      this.message = `Could not read “${file.name}”: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.busy = false;
    }
  }

  pick(face: FaceResult): void {
    this.releaseChoices();
    const people = this.lib.people;
    const m = people?.match(face.descriptor, FACE_MATCH_THRESHOLD);
    if (!people || !m) {
      this.message = `No match: no face in your photos is close enough (distance under ${FACE_MATCH_THRESHOLD}).`;
      return;
    }
    this.message = null;
    const name = people.nameOf(m.personId);
    this.lib.showPerson(m.personId, `${name ?? 'Closest person'} · distance ${m.distance.toFixed(2)}`);
  }

  clear(): void {
    this.releaseChoices();
    this.message = null;
  }

  private releaseChoices(): void {
    for (const c of this.choices) URL.revokeObjectURL(c.crop);
    this.choices = [];
  }
}

async function crops(file: File, faces: FaceResult[]): Promise<FaceChoice[]> {
  const bmp = await createImageBitmap(file);
  try {
    return await Promise.all(
      faces.map(async (face) => {
        const crop = cropFace(bmp, bmp.width, face.box, CHOICE_SIZE);
        const c = new OffscreenCanvas(CHOICE_SIZE, CHOICE_SIZE);
        c.getContext('2d')!.drawImage(crop, 0, 0);
        crop.close();
        return { face, crop: URL.createObjectURL(await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 })) };
      }),
    );
  } finally {
    bmp.close();
  }
}
