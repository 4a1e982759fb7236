/**
 * The search language: text → small AST (syntax.ts) → set of photo ids (evaluation.ts), ranked (ranking.ts),
 * with people's names resolved by names.ts. This module is their one entry point.
 */
export * from './syntax';
export * from './names';
export * from './evaluation';
