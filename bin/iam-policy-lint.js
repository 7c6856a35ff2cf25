#!/usr/bin/env node
// iam-policy-lint: checks AWS IAM policy documents from the command line (CI, pre-commit).
// `iam-policy-lint --help` for usage.
'use strict';
require('./load-bundle.js').loadBundle(require('node:path').join(__dirname, '..', 'dist', 'cli', 'main.js'));
