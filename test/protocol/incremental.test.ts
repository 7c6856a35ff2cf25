/**
 * Through the real server over stdio: after any sequence of edits, what it publishes for a
 * document equals what it publishes for a fresh open of the same text. Random and mutated
 * corpus documents with LF, CRLF, mixed and lone CR line ends and astral characters; edits at
 * both ends, several to a notification, sent without waiting as fast typing does. The seed is
 * printed: IAM_POLICY_SEED=<seed> replays a failure.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient } from '../support/lspClient';
import { randomDocument, randomEdit, seedFromEnvironment, withLineEnds } from '../support/mutations';
import { Random } from '../support/random';
import { WARM_DOCUMENTS } from '../../server/src/documents';

describe('incremental edits publish what a fresh open does', () => {
  let client: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: { maxNumberOfProblems: 100000 } }));
  });
  after(async () => {
    assert.ok(!client.hasExited, 'the server died');
    await client.stop();
    assert.equal(client.stderr, '');
  });

  it('after random edit sequences over random and mutated documents', async (t) => {
    const seed = seedFromEnvironment(9_505);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    let edits = 0;
    for (let doc = 0; doc < 60; doc++) {
      const uri = `file:///incremental/${doc}/policy.iam.json`;
      await client.open(uri, withLineEnds(random, randomDocument(random, 8_000)));
      for (let step = 0; step < 12; step++) {
        // One to three changes in one notification, each in the text the one before left.
        const scratch = TextDocument.create(uri, 'iam-policy', 0, client.text(uri));
        const changes = [];
        for (let n = 0; n < 1 + random.int(3); n++) {
          const edit = randomEdit(random, scratch.getText());
          const change = { range: { start: scratch.positionAt(edit.offset), end: scratch.positionAt(edit.offset + edit.length) }, text: edit.text };
          TextDocument.update(scratch, [change], n + 1);
          changes.push(change);
        }
        edits += changes.length;
        void client.change(uri, changes);
      }
      const { incremental, fresh } = await client.againstFresh(uri);
      assert.deepEqual(incremental, fresh, `seed ${seed}, document ${doc}: ${JSON.stringify(client.text(uri))}`);
      await client.close(uri);
    }
    t.diagnostic(`${edits} edits`);
  });

  it('on documents long enough that the server reads back tokens and last valid trees across edits that break them', async (t) => {
    const seed = seedFromEnvironment(9_507);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    let documents = 0;
    while (documents < 10) {
      const text = randomDocument(random, 60_000);
      if (text.length < 16_384) continue;
      const uri = `file:///incremental/long/${documents++}/policy.iam.json`;
      await client.open(uri, text);
      for (let step = 0; step < 16; step++) {
        const current = client.text(uri);
        const edit = randomEdit(random, current);
        // Half of the steps: a structural character deleted, then typed back (an undo).
        const brace = current.indexOf(random.pick(['{', '[', '"', ':', ',']), random.int(current.length));
        if (step % 2 === 0 && brace >= 0) {
          void client.edit(uri, brace, brace + 1, '');
          void client.edit(uri, brace, brace, current[brace]);
        } else {
          void client.edit(uri, edit.offset, edit.offset + edit.length, edit.text);
        }
      }
      const { incremental, fresh } = await client.againstFresh(uri);
      assert.deepEqual(incremental, fresh, `seed ${seed}, document ${documents}: ${JSON.stringify(client.text(uri))}`);
      await client.close(uri);
    }
  });

  it('for more documents than the server keeps warm, edited in turn', async (t) => {
    const seed = seedFromEnvironment(9_506);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    // The server keeps the engine state of the WARM_DOCUMENTS checked last: editing these in
    // turn makes every edit land on a document whose state was let go since its last one.
    const uris = Array.from({ length: WARM_DOCUMENTS + 6 }, (_, i) => `file:///warm/${i}/policy.iam.json`);
    const known = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}';
    await client.open(uris[0], known);
    for (const uri of uris.slice(1)) await client.open(uri, withLineEnds(random, randomDocument(random, 4_000)));
    for (let round = 0; round < 3; round++) {
      for (const uri of uris.slice(1)) {
        const edit = randomEdit(random, client.text(uri));
        void client.edit(uri, edit.offset, edit.offset + edit.length, edit.text);
      }
    }
    for (const uri of uris.slice(1)) {
      const { incremental, fresh } = await client.againstFresh(uri);
      assert.deepEqual(incremental, fresh, `seed ${seed}, ${uri}: ${JSON.stringify(client.text(uri))}`);
    }
    // Asked about after its state was let go, a document is checked again: hover answers as
    // for a fresh copy of it.
    const position = client.positionAfter(uris[0], 's3:Get');
    const hover = await client.hover(uris[0], position);
    assert.match(JSON.stringify(hover), /GetObject/);
    await client.open('file:///warm/copy/policy.iam.json', known);
    await client.settled('file:///warm/copy/policy.iam.json');
    assert.deepEqual(hover, await client.hover('file:///warm/copy/policy.iam.json', position));
    await client.close('file:///warm/copy/policy.iam.json');
    await client.edit(uris[0], known.indexOf('*'), known.indexOf('*') + 1, 'arn:aws:s3:::bucket/*');
    const { incremental, fresh } = await client.againstFresh(uris[0]);
    assert.deepEqual(incremental, fresh);
    for (const uri of uris) await client.close(uri);
  });
});
