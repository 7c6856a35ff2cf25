/** The README documents every diagnostic code, so the links diagnostics carry always land. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { CODES } from '../../server/src/policy/findings';
import { REPO_ROOT } from '../support/paths';

it('has a section and a table row for every diagnostic code', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const missing = CODES.filter((code) => !readme.includes(`\n### ${code}\n`) || !readme.includes(`[\`${code}\`](#${code})`));
  assert.deepEqual(missing, []);
});
