#!/usr/bin/env node
// iam-policy-lint: checks AWS IAM policy documents from the command line (CI, pre-commit).
// `iam-policy-lint --help` for usage.
'use strict';
// The linter's V8 flags, set before the bundle is compiled: V8 takes the code cache only under
// the flags it was made with (the build makes it through this file).
//
// --no-turbo-inlining: V8's optimizing compiler compiles each hot function alone, without
// copying the functions it calls into it. A run is mostly V8 warming up (over the 1,594 AWS
// managed policies, the first pass of the checks takes about three times a warm one), and on
// two cores the compiler's thread competes with the checks: with inlining it spent 2.0 s
// compiling during a 1.4 s run. Measured with farm-bench, wall time against V8's default on
// the same bundle: the managed corpus 0.89x (16 pairs; CPU time 0.83x), the 7 sample policies
// 0.99x (12 pairs), the corpus 10 times (15,940 files, warm code matters more) 1.05x (3
// pairs). Smaller inlining budgets gave less (--max-inlined-bytecode-size-cumulative=100:
// 0.92x), and turning off loop peeling, escape analysis or load elimination as well nothing
// more. The language server keeps the default: it runs warm code for hours.
const V8_FLAGS = ['--no-turbo-inlining'];
require('./load-bundle.js').loadBundle(require('node:path').join(__dirname, '..', 'dist', 'cli', 'main.js'), V8_FLAGS);
