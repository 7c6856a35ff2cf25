#!/usr/bin/env node
// Starts the IAM policy language server. Editors other than VS Code run
// `iam-policy-language-server --stdio`; with no transport flag, stdio is used.
'use strict';
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'Usage: iam-policy-language-server [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]\n\n' +
      'Checks AWS IAM policy documents over the Language Server Protocol.\n' +
      'With no transport flag it talks LSP on standard input and output.\n',
  );
  process.exit(0);
}
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(require('../package.json').version + '\n');
  process.exit(0);
}
if (!args.some((arg) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(arg))) {
  process.argv.push('--stdio');
}
// The server's V8 flags (server/src/heap.ts says why; the bundle sets them too), set here before
// the bundle is compiled: V8 takes the code cache only under the flags it was made with.
const V8_FLAGS = ['--heap-growing-percent=25'];
require('./load-bundle.js').loadBundle(require('node:path').join(__dirname, '..', 'dist', 'server', 'main.js'), V8_FLAGS);
