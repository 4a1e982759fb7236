import type { Page } from 'playwright-core';

export const BAD_DIR: string;
export const NESTED_DIR: string;
export const ORIENTATION_SOURCE: string;
export function makeBadFixtures(page: Page, outDir?: string): Promise<{ orientationSize: { width: number; height: number }; collageSourceFaces: number }>;
export function storedTransform(n: number, W: number, H: number): { w: number; h: number; t: number[] };
export function writePng(rgba: Uint8Array, width: number, height: number, bitDepth?: 8 | 16): Buffer;
export function breakPngCrc(png: Uint8Array): Buffer;
export function exifSegment(o: { orientation?: number; make?: string; model?: string }): Buffer;
export function insertSegment(jpeg: Buffer, segment: Buffer): Buffer;
export function writeCmykJpeg(rgba: Uint8Array, width: number, height: number, quality?: number): Buffer;
export function writeGreyGif(frames: Uint8Array[], width: number, height: number): Buffer;
export function withAppPage<T>(fn: (page: Page) => Promise<T>, port?: number): Promise<T>;
