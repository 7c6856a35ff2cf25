/**
 * Completion and hover answer at every place of any text, without an exception: the server
 * catches one at its edge, but an exception is a bug that leaves the user without an answer.
 * The seed is printed: IAM_POLICY_SEED=<seed> replays a failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { getLocation } from 'jsonc-parser';
import { complete, cursorLocation, hover, servicesAt, type CursorLocation } from 'iam-policy-engine/assist';
import { createCatalog } from '../../server/src/catalogFiles';
import type { Catalog } from 'iam-policy-engine/catalog';
import { parseJson } from 'iam-policy-engine/json';
import { randomDocument, seedFromEnvironment } from '../support/mutations';
import { Random } from '../support/random';
import { FIXTURES } from '../support/paths';

describe('completion and hover on any text', () => {
  let catalog: Catalog;
  before(async () => {
    catalog = await createCatalog();
    await catalog.loadAll();
  });

  /** Asks everything at `offset`; the answers must lie inside the text. */
  function ask(text: string, offset: number, withCatalog: Catalog | undefined): void {
    const parsed = parseJson(text);
    const where = `${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text)} at ${offset}`;
    const completion = complete(text, parsed, offset, withCatalog);
    assert.ok(completion.offset >= 0 && completion.length >= 0 && completion.offset + completion.length <= text.length, `completion range, ${where}`);
    const answer = hover(parsed, offset, withCatalog);
    if (answer !== undefined) assert.ok(answer.offset >= 0 && answer.offset + answer.length <= text.length, `hover range, ${where}`);
    servicesAt(text, parsed, offset);
  }

  it("completes a key in an object that is not a policy's ([{} at 3, [“{} at 4)", () => {
    for (const [text, offset] of [
      ['[{}', 3],
      ['[\u201c{}', 4],
      ['[{"a": 1}, {}', 12],
    ] as const) {
      assert.deepEqual(complete(text, parseJson(text), offset, catalog).items, []);
    }
  });

  it('hovers at 10,000-deep nesting', () => {
    const arrays = '['.repeat(10_000) + '"s3:GetObject"' + ']'.repeat(10_000);
    assert.equal(hover(parseJson(arrays), 10_003, catalog), undefined);
    const statement = '{"Statement": {"Action": ' + '['.repeat(10_000) + '"s3:GetObject"' + ']'.repeat(10_000) + '}}';
    assert.match(hover(parseJson(statement), statement.indexOf('s3:'), catalog)?.markdown ?? '', /^\*\*s3:GetObject\*\* \(Read\)/);
    const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    assert.equal(hover(parseJson(objects), 25_000, catalog), undefined);
  });

  it('answers at every offset of short texts and random offsets of long ones', (t) => {
    const seed = seedFromEnvironment(9_506);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    let asked = 0;
    for (let doc = 0; doc < 400; doc++) {
      const text = randomDocument(random, 3_000);
      const withCatalog = doc % 4 === 3 ? undefined : catalog;
      if (text.length <= 80) {
        for (let offset = 0; offset <= text.length; offset++) ask(text, offset, withCatalog);
        asked += text.length + 1;
      } else {
        for (let n = 0; n < 20; n++) ask(text, random.int(text.length + 1), withCatalog);
        asked += 20;
      }
    }
    t.diagnostic(`${asked} places asked`);
  });
});

describe("the cursor's place, read from its statement alone", () => {
  /** What completion reads of a location, with jsonc-parser's own previous node made plain. */
  const plain = (location: CursorLocation | undefined) =>
    location === undefined
      ? undefined
      : {
          path: location.path,
          isAtPropertyKey: location.isAtPropertyKey,
          previous:
            location.previousNode === undefined
              ? undefined
              : {
                  type: location.previousNode.type,
                  offset: location.previousNode.offset,
                  length: location.previousNode.length,
                  value: location.previousNode.value as unknown,
                  colonOffset: location.previousNode.colonOffset,
                },
        };

  it('is what jsonc-parser reads from the whole text, at every place of valid and broken policies', (t) => {
    const seed = seedFromEnvironment(9_507);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    const texts = [
      '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get", "Resource": "*"}}',
      '{"Statement": [ {"Effect":"Allow","Action":["s3:Get","ec2:"],"Resource":[]} ,\r\n {"Sid": "", "Condition": {"StringEquals": {"aws:": ""}}}, {} ]}',
      '{"Statement": [{"Effect": "Allow", "Action": ["s3:Get"', // broken: read whole
    ];
    for (const name of ['AmazonS3ReadOnlyAccess.json', 'AWSLambda_FullAccess.json', 'AdministratorAccess.json']) {
      const policy = fs.readFileSync(path.join(FIXTURES, 'corpus', 'managed', name), 'utf8');
      texts.push(policy, policy.replace(/\n/g, '\r\n'));
    }
    for (let i = 0; i < 40; i++) texts.push(randomDocument(random, 3_000));
    let compared = 0;
    for (const text of texts) {
      const parsed = parseJson(text);
      for (let offset = 0; offset <= text.length; offset += text.length > 400 ? 1 + random.int(7) : 1) {
        let whole: ReturnType<typeof getLocation> | undefined;
        try {
          whole = getLocation(text, offset);
        } catch {
          whole = undefined;
        }
        assert.deepEqual(plain(cursorLocation(text, parsed, offset)), plain(whole), `seed ${seed}, ${JSON.stringify(text.slice(0, 300))} at ${offset}`);
        compared++;
      }
    }
    t.diagnostic(`${compared} places`);
  });
});
