import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from 'src/common/paths';

/**
 * JavaScript that lets Node require the project's TypeScript as it is, compiling each file as it loads it: for the
 * threads and processes that the tests start from src/ without a build (`node -e`, an eval'd worker thread). Follow it
 * with the code to run. The build never takes this path, so production needs neither typescript nor tsconfig-paths.
 * What it compiles is kept, by content, under the system's temporary directory: a test that starts one worker
 * process after another compiles the app once.
 */
export function typeScriptLoader(): string {
  return `
    const { createHash, randomUUID } = require('node:crypto');
    const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
    const { createRequire } = require('node:module');
    const root = ${JSON.stringify(PROJECT_ROOT)};
    const cache = ${JSON.stringify(join(tmpdir(), 'fpm-typescript-loader'))};
    const projectRequire = createRequire(root + '/package.json');
    projectRequire('tsconfig-paths').register({ baseUrl: root, paths: { 'src/*': ['src/*'] } });
    // Loaded only to compile what the cache does not hold: it takes longer to load than the app does from the cache.
    const typescriptVersion = projectRequire('typescript/package.json').version;
    const compilerOptions = {
      module: 'commonjs',
      target: 'es2022',
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    };
    mkdirSync(cache, { recursive: true });
    require.extensions['.ts'] = (module, filename) => {
      const source = readFileSync(filename, 'utf8');
      const key = createHash('sha256')
        .update(typescriptVersion + JSON.stringify(compilerOptions) + filename + source)
        .digest('hex');
      const compiled = cache + '/' + key + '.js';
      let output;
      try {
        output = readFileSync(compiled, 'utf8');
      } catch {
        const ts = projectRequire('typescript');
        output = ts.transpileModule(source, { fileName: filename, compilerOptions }).outputText;
        const partial = compiled + '.' + randomUUID();
        writeFileSync(partial, output);
        renameSync(partial, compiled);
      }
      module._compile(output, filename);
    };
  `;
}
