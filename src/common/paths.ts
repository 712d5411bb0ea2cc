import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`No package.json above ${start}`);
    directory = parent;
  }
  return directory;
}

/** The checkout's root, the same whether running from src/ (tests) or dist/src/ (build): views/ and templates/ live here. */
export const PROJECT_ROOT = findProjectRoot(__dirname);
