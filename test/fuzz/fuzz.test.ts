/**
 * A short, bounded run of the fuzzer (npm run fuzz) in every test run: 60 documents from a
 * fixed seed, so it fails the same way each time; IAM_POLICY_SEED=<seed> tries another.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedFromEnvironment } from '../support/mutations';
import { fuzz } from './fuzzer';

describe('fuzzing the server', () => {
  it('finds no crash, hang, bad range or incremental mismatch', { timeout: 60_000 }, async (t) => {
    const seed = seedFromEnvironment(9_507);
    t.diagnostic(`seed ${seed}`);
    // A number of documents, not a time: the same run on a fast machine and a slow one.
    const report = await fuzz({ docs: 60, seconds: Infinity, seed, print: (line) => t.diagnostic(line) });
    t.diagnostic(`${report.docs} documents, ${report.edits} edits, ${report.requests} requests in ${report.elapsedMs} ms`);
    assert.equal(report.docs, 60);
    assert.ok(report.edits > 400 && report.requests > 100, `${report.edits} edits, ${report.requests} requests`);
    assert.deepEqual(report.failures, []);
  });
});
