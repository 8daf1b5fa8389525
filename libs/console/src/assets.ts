import { join } from 'node:path';

/**
 * The built console (index.html, scripts, styles): what the control API serves at /console. Relative to the
 * package root, so it is the same whether this file runs from dist/ or from src/ (tests load sources).
 */
export const CONSOLE_ASSETS_DIR = join(__dirname, '..', 'dist', 'public');
