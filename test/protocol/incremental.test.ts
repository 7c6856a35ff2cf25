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
});
