/**
 * What the engine keeps across a document's versions: its statement cache, its grant cache and
 * the memos of ARNs and patterns. A parsed string of 13 characters or more is, in V8, a view
 * into the whole text, so keeping one as a key would keep every version of the document alive,
 * one per keystroke: 128 KB each at 131,072 characters, measured in the language server before
 * the keys were copied. The heap is read after full collections, which the test runner does not
 * expose: the scenario runs in a child process started with --expose-gc.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ENGINE = path.dirname(require.resolve('iam-policy-engine/analyze'));
const CATALOG = require.resolve('../../server/src/catalogFiles');
const DOCUMENTS = require.resolve('../bench/documents');
const TEMPLATES = require.resolve('../support/templates');

/**
 * A script that types `count` characters at `at` in `text`, one version at a time, checking each
 * with `check()` (all three defined by `setup`), and prints how much the heap grew, in MB.
 */
function typing(setup: string, count: number): string {
  return `
    ${setup}
    check();
    // Warm: the memos and caches of what does not change are filled once.
    for (let i = 0; i < 20; i++) { text = text.slice(0, at) + 'x' + text.slice(at); at++; check(); }
    global.gc(); global.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ${count}; i++) { text = text.slice(0, at) + 'abcdefghij'[i % 10] + text.slice(at); at++; check(); }
    global.gc(); global.gc();
    process.stdout.write(String((process.memoryUsage().heapUsed - before) / 1048576));
  `;
}

/** The largest policy, checked with its statement and grant caches as the server keeps them; typed into `offset` characters after `where`. */
function policySetup(where: string, offset: number): string {
  return `
    const { analyze, StatementCache } = require(${JSON.stringify(path.join(ENGINE, 'analyze.js'))});
    const { policyGrants, GrantCache } = require(${JSON.stringify(path.join(ENGINE, 'grants.js'))});
    const { createCatalogNow } = require(${JSON.stringify(CATALOG)});
    const { largestPolicy } = require(${JSON.stringify(DOCUMENTS)});
    const catalog = createCatalogNow();
    const statements = new StatementCache();
    const grants = new GrantCache();
    let text = largestPolicy();
    let at = text.indexOf(${JSON.stringify(where)}, text.length / 2) + ${where.length} + ${offset};
    const check = () => {
      const analysis = analyze(text, { catalog, statementCache: statements, kind: 'identity' });
      policyGrants(text, analysis.policy, catalog, 'identity', grants);
    };
  `;
}

/** A YAML template of 200 resources with its cache, typed into an action of one of its policies. */
const TEMPLATE_SETUP = `
  const { analyzeTemplateDocument } = require(${JSON.stringify(path.join(ENGINE, 'cfn', 'document.js'))});
  const { TemplateCache } = require(${JSON.stringify(path.join(ENGINE, 'cfn', 'analyzeTemplate.js'))});
  const { createCatalogNow } = require(${JSON.stringify(CATALOG)});
  const { largeYamlTemplate } = require(${JSON.stringify(TEMPLATES)});
  const catalog = createCatalogNow();
  const cache = new TemplateCache();
  let text = largeYamlTemplate(200);
  let at = text.indexOf('s3:GetObject', text.length / 2) + 5;
  const check = () => analyzeTemplateDocument(text, { catalog, cache, fileName: 'stack.yaml' });
`;

function growthMb(script: string): number {
  const run = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout);
}

describe('what the engine keeps across versions of a document', () => {
  // 300 versions of a 131,072-character policy would hold 38 MB if each were kept.
  // A wildcard action is typed into before its star (List*, Listx*, ...): each version is a
  // pattern not met before, which the memo of wildcard expansions keeps.
  for (const [what, where, offset] of [
    ['an action', '"Action": [\n                "s3:', 4],
    ['a wildcard action', ':List*"', -2],
    ['an ARN', '"Resource": [\n                "arn:aws:', 4],
  ] as const) {
    it(`keeps no old version alive while ${what} is typed into, 300 keystrokes`, () => {
      const growth = growthMb(typing(policySetup(where, offset), 300));
      assert.ok(growth < 12, `the heap grew by ${growth.toFixed(1)} MB over 300 versions`);
    });
  }

  // Documents opened, checked and closed, as in a server through a session: nothing of one may
  // outlive it. Each names values no document had before, of every kind the engine's memos are
  // keyed by (a wildcard action, an unknown action, ARNs, a condition value), which the memos
  // keep by copies, never by views into the document's text. A memo that kept a view keeps
  // every document: 38.6 MB when the wildcard expansions did.
  it('keeps no document alive once checked, when it names new actions, ARNs and values, 300 documents', () => {
    const script = `
      const { analyze } = require(${JSON.stringify(path.join(ENGINE, 'analyze.js'))});
      const { createCatalogNow } = require(${JSON.stringify(CATALOG)});
      const { largestPolicy } = require(${JSON.stringify(DOCUMENTS)});
      const catalog = createCatalogNow();
      const base = largestPolicy();
      // Where each document's own values go: just before these, in the second half.
      const places = [':List*"', '"s3:GetObjectVersion"', 'arn:aws:s3:::amplify"', 'application/*"', '.amazonaws.com"']
        .map((at) => base.indexOf(at, base.length / 2) + at.length - 1)
        .sort((a, b) => b - a);
      for (const place of places) if (place < base.length / 2) throw new Error('a place was not found');
      // Parsed afresh from a flat string, as a server receives a document.
      const documentNumber = (i) => {
        let text = base;
        for (const place of places) text = text.slice(0, place - (text[place - 1] === '*' ? 1 : 0)) + 'Unique' + String(i).padStart(5, '0') + text.slice(place - (text[place - 1] === '*' ? 1 : 0));
        return JSON.parse(JSON.stringify(text));
      };
      for (let i = 0; i < 20; i++) analyze(documentNumber(i), { catalog, kind: 'identity' });
      global.gc(); global.gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 20; i < 320; i++) analyze(documentNumber(i), { catalog, kind: 'identity' });
      global.gc(); global.gc();
      process.stdout.write(String((process.memoryUsage().heapUsed - before) / 1048576));
    `;
    const growth = growthMb(script);
    assert.ok(growth < 12, `the heap grew by ${growth.toFixed(1)} MB over 300 documents`);
  });

  // 300 versions of the 155,000-character template would hold 46 MB if each were kept; what its
  // cache keeps of each edited resource (about 30 KB) is bounded by the cache's size.
  it('keeps no old version of a template alive while a policy in it is typed into, 300 keystrokes', () => {
    const growth = growthMb(typing(TEMPLATE_SETUP, 300));
    assert.ok(growth < 25, `the heap grew by ${growth.toFixed(1)} MB over 300 versions`);
  });
});
