import { execFileSync } from 'node:child_process';

/**
 * Builds the package once before any test file runs, so that the tests of the built ESM and CJS
 * output (and the `bin`) see the current source, and no two test files build at the same time.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js', '--silent'], { stdio: 'inherit' });
}
