import { labelName, objectName, termsForClass, termsForObject, type WeightedTerm } from '../../engine/labels';
import { OBJECT_CLASS_BASE } from './searchIndex';

/** Search terms of an index class: an ImageNet label, or a detected COCO object (OBJECT_CLASS_BASE + class). */
export function termsForSearchClass(classIndex: number): WeightedTerm[] {
  return classIndex >= OBJECT_CLASS_BASE ? termsForObject(classIndex - OBJECT_CLASS_BASE) : termsForClass(classIndex);
}

/** Display name of an index class, as a user reads it in "why it matched". */
export function searchClassName(classIndex: number): string {
  return classIndex >= OBJECT_CLASS_BASE ? objectName(classIndex - OBJECT_CLASS_BASE) : labelName(classIndex);
}

/** True for a detected object, whose score is the detector's (shown as "dog (object) 76%"). */
export function isObjectClass(classIndex: number): boolean {
  return classIndex >= OBJECT_CLASS_BASE;
}
