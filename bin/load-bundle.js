// Runs one of the bundles (dist/server/main.js, dist/cli/main.js) as `require` would, with the
// V8 code cache `npm run build` made for it beside it (main.js.cache): the bytecode of the
// functions a run of the bundle compiled, so a new process does not parse and compile the 1.3 MB
// of JavaScript again (the server's first diagnostics came 20-28 ms sooner, its service catalog's
// checks 20-50 ms sooner, on the machine the README names). What Node 22's module compile cache
// does, for Node 20.
//
// The cache starts with the SHA-1 of the bundle it was made from: V8 checks only its own version,
// its flags and the source's length, so a rebuilt bundle of the same length would otherwise run
// the old bytecode. A cache from another Node version, or damaged, V8 refuses, and the bundle is
// compiled as usual: the cache saves time, it never changes what runs.
//
// With IAM_POLICY_WRITE_CODE_CACHE=1 the process writes the cache as it exits (the build does
// this after a run of each bundle on the sample policies; see scripts/code-cache.mjs).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const HASH_LENGTH = 20;

/**
 * Runs the bundle at `file`, with the V8 flags `v8Flags` set before it is compiled (V8 takes a
 * code cache only under the flags it was made with); returns whether its code cache was used
 * ('accepted'), refused by V8 ('rejected'), made for other contents ('stale') or not there
 * ('none').
 */
function loadBundle(file, v8Flags = []) {
  // node:v8 only when there is a flag: loading it takes half a millisecond of the linter's start.
  for (const flag of v8Flags) require('node:v8').setFlagsFromString(flag);
  const bytes = fs.readFileSync(file);
  const hash = crypto.createHash('sha1').update(bytes).digest();
  const cacheFile = `${file}.cache`;
  let cachedData;
  let state = 'none';
  try {
    const stored = fs.readFileSync(cacheFile);
    if (stored.length > HASH_LENGTH && stored.subarray(0, HASH_LENGTH).equals(hash)) cachedData = stored.subarray(HASH_LENGTH);
    else state = 'stale';
  } catch {
    // No cache: compiled as usual.
  }
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
  if (cachedData !== undefined) state = script.cachedDataRejected ? 'rejected' : 'accepted';
  if (process.env.IAM_POLICY_WRITE_CODE_CACHE === '1') {
    process.once('exit', () => writeAtomically(cacheFile, Buffer.concat([hash, script.createCachedData()])));
  }
  const module = new Module(file, require.main);
  module.filename = file;
  module.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return state;
}

function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    process.stderr.write(`Could not write the code cache ${file}: ${error.message}\n`);
  }
}

module.exports = { loadBundle };
