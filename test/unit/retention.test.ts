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

/** Types `count` characters into the first action of the largest policy's middle, one version at a time. */
function scenario(count: number, where: string): string {
  return `
    const { analyze, StatementCache } = require(${JSON.stringify(path.join(ENGINE, 'analyze.js'))});
    const { policyGrants, GrantCache } = require(${JSON.stringify(path.join(ENGINE, 'grants.js'))});
    const { createCatalogNow } = require(${JSON.stringify(CATALOG)});
    const { largestPolicy } = require(${JSON.stringify(DOCUMENTS)});
    const catalog = createCatalogNow();
    const statements = new StatementCache();
    const grants = new GrantCache();
    let text = largestPolicy();
    const check = () => {
      const analysis = analyze(text, { catalog, statementCache: statements, kind: 'identity' });
      policyGrants(text, analysis.policy, catalog, 'identity', grants);
    };
    check();
    let at = text.indexOf(${JSON.stringify(where)}, text.length / 2) + ${where.length} + 4;
    // Warm: the memos and caches of the unchanged statements are filled once.
    for (let i = 0; i < 20; i++) { text = text.slice(0, at) + 'x' + text.slice(at); at++; check(); }
    global.gc(); global.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ${count}; i++) { text = text.slice(0, at) + 'abcdefghij'[i % 10] + text.slice(at); at++; check(); }
    text = text.slice(0, 10) + text.slice(10);
    global.gc(); global.gc();
    process.stdout.write(String((process.memoryUsage().heapUsed - before) / 1048576));
  `;
}

/** The same in a YAML template of 200 resources, typed into an action of one of its policies. */
function templateScenario(count: number): string {
  return `
    const { analyzeTemplateDocument } = require(${JSON.stringify(path.join(ENGINE, 'cfn', 'document.js'))});
    const { TemplateCache } = require(${JSON.stringify(path.join(ENGINE, 'cfn', 'analyzeTemplate.js'))});
    const { createCatalogNow } = require(${JSON.stringify(CATALOG)});
    const { largeYamlTemplate } = require(${JSON.stringify(TEMPLATES)});
    const catalog = createCatalogNow();
    const cache = new TemplateCache();
    let text = largeYamlTemplate(200);
    const check = () => analyzeTemplateDocument(text, { catalog, cache, fileName: 'stack.yaml' });
    check();
    let at = text.indexOf('s3:GetObject', text.length / 2) + 5;
    for (let i = 0; i < 20; i++) { text = text.slice(0, at) + 'x' + text.slice(at); at++; check(); }
    global.gc(); global.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < ${count}; i++) { text = text.slice(0, at) + 'abcdefghij'[i % 10] + text.slice(at); at++; check(); }
    global.gc(); global.gc();
    process.stdout.write(String((process.memoryUsage().heapUsed - before) / 1048576));
  `;
}

function growthMb(script: string): number {
  const run = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout);
}

describe('what the engine keeps across versions of a document', () => {
  // 300 versions of a 131,072-character policy would hold 38 MB if each were kept.
  for (const [what, where] of [
    ['an action', '"Action": [\n                "s3:'],
    ['an ARN', '"Resource": [\n                "arn:aws:'],
  ] as const) {
    it(`keeps no old version alive while ${what} is typed into, 300 keystrokes`, () => {
      const growth = growthMb(scenario(300, where));
      assert.ok(growth < 12, `the heap grew by ${growth.toFixed(1)} MB over 300 versions`);
    });
  }

  // 300 versions of the 155,000-character template would hold 46 MB if each were kept; what its
  // cache keeps of each edited resource (about 30 KB) is bounded by the cache's size.
  it('keeps no old version of a template alive while a policy in it is typed into, 300 keystrokes', () => {
    const growth = growthMb(templateScenario(300));
    assert.ok(growth < 25, `the heap grew by ${growth.toFixed(1)} MB over 300 versions`);
  });
});
