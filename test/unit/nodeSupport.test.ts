/**
 * The Node.js policy (README, "Node.js versions"): the command line, the language server, the
 * repository's scripts and tests run on Node.js 20 or later; the extension runs on VS Code's own
 * Node, which is 20 in VS Code 1.100, the oldest it supports. The AWS SDK's releases after the
 * first week of January 2027 require Node 22: the SDK locked here must be older, or the extension
 * would bundle an SDK that VS Code 1.100 cannot run, and the SDK's notice about it, switched off
 * in the bundle and the test runner, would have become true. This test fails on such an upgrade.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

/** The oldest Node.js every part supports. */
const MINIMUM_NODE = 20;

interface Manifest {
  engines?: Record<string, string>;
}

const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Manifest & { dev?: boolean }> };

/** The lowest Node.js major an `engines.node` range admits, for the forms packages use (`>=20.0.0`, `>= 18`, `^20.19.0 || >=22`). */
function lowestMajor(range: string): number {
  const majors = range.split('||').map((part) => {
    const match = /^\s*(?:>=|\^|~)?\s*v?(\d+)/.exec(part);
    if (match === null) throw new Error(`an engines.node range this test does not read: ${range}`);
    return Number(match[1]);
  });
  return Math.min(...majors);
}

describe('Node.js versions', () => {
  it(`the repository and the npm package say Node.js >=${MINIMUM_NODE}`, () => {
    assert.equal(root.engines?.node, `>=${MINIMUM_NODE}`);
    // scripts/pack-npm.mjs copies it into the npm package; scripts/bundle.mjs targets it.
    assert.match(fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'bundle.mjs'), 'utf8'), new RegExp(`target: 'node${MINIMUM_NODE}'`));
    assert.match(fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'pack-npm.mjs'), 'utf8'), /engines: \{ node: root\.engines\.node \}/);
  });

  it(`every AWS SDK package the extension bundles runs on Node.js ${MINIMUM_NODE} (VS Code 1.100's)`, () => {
    const sdk = Object.entries(lock.packages).filter(([where]) => /(^|\/)node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(where));
    assert.ok(
      sdk.some(([where]) => where === 'node_modules/@aws-sdk/client-iam'),
      'the lock has the SDK',
    );
    const tooNew = sdk.filter(([, manifest]) => manifest.engines?.node !== undefined && lowestMajor(manifest.engines.node) > MINIMUM_NODE);
    assert.deepEqual(
      tooNew.map(([where, manifest]) => `${where} ${manifest.engines?.node}`),
      [],
      `these need a newer Node than VS Code 1.100 has: raise engines.vscode to a VS Code on Node 22 and engines.node to >=22, or keep the older SDK`,
    );
  });

  it('reads the ranges packages write', () => {
    assert.equal(lowestMajor('>=20.0.0'), 20);
    assert.equal(lowestMajor('>= 18'), 18);
    assert.equal(lowestMajor('^20.19.0 || >=22.12.0'), 20);
    assert.equal(lowestMajor('>=22'), 22);
  });
});
