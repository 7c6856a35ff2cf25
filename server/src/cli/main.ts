/**
 * Entry point of the command-line linter's bundle (dist/cli/main.js), started by
 * bin/iam-policy-lint.js. Runs on load, like the server's entry point.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';
import { runCli } from './cli';
import { serveLintThread } from './worker';

/** The version in the package.json above this file (dist/cli/ or out/server/src/cli/). */
function packageVersion(): string {
  for (let dir = __dirname; ;) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'iam-policy-language' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

function readStdin(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

if (!isMainThread && parentPort !== null) {
  // A lint thread of a run with --jobs (./pool.ts).
  serveLintThread(parentPort);
} else {
  main();
}

function main(): void {
  let exitCode = 2;
  // A reader that stops early (`| head`) is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(exitCode);
      throw error;
    });
  }

  runCli({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin,
    version: packageVersion(),
    threadScript: __filename,
  }).then(
    (code) => {
      exitCode = code;
      process.exitCode = code;
    },
    (error: unknown) => {
      // A bug of ours: say so without the documents, and exit 2.
      process.stderr.write(`iam-policy-lint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
