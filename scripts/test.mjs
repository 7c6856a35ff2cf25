// Runs the compiled tests (out/test/**/*.test.js) with node's built-in test runner.
// Node 20's runner, given a folder, would also run every other .js file under a "test"
// folder (helpers, the benchmark), so the files are listed explicitly.
// Usage: node scripts/test.mjs [folder or file under out/test ...]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const roots = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));

function collect(entry, files) {
  const stat = fs.statSync(entry);
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(entry).sort()) collect(path.join(entry, name), files);
  } else if (entry.endsWith('.test.js')) {
    files.push(entry);
  }
  return files;
}

const files = (roots.length > 0 ? roots : ['out/test']).flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error('No test files found: run `npm run build` first.');
  process.exit(1);
}
// The AWS SDK's notice that its releases after January 2027 need Node 22 is about releases this
// repository does not use (test/unit/nodeSupport.test.ts checks the locked ones support Node 20):
// its own switch turns off that one warning; every other warning still shows.
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const result = spawnSync(process.execPath, ['--test', ...flags, ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
