/**
 * Fixes through the language server over stdio, as an editor applies them on save: no
 * diagnostic points before the text (the phantom trailing comma at 0:0), and fix-all leaves a
 * document with no more JSON problems than it had, for documents that once came out worse.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../support/lspClient';

const KEY_WITHOUT_OPENING_QUOTE = '{\n    Version": "2012-10-17",\n    "Statement": []\n}\n';
const KEY_CLOSED_BY_CURLY_QUOTE =
  '{\n    "Version\u201d: "2012-10-17",\n    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}\n';

const syntaxErrors = (diagnostics: Diagnostic[]): number => diagnostics.filter((d) => String(d.code).startsWith('json-')).length;

describe('fixes over the protocol', () => {
  let client: LspTestClient;
  let counter = 0;
  const nextUri = (): string => `file:///fixes/${++counter}.iam.json`;

  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
  });
  after(async () => {
    assert.ok(!client.hasExited, 'the server died');
    await client.stop();
  });

  /** Asks for fix-on-save's action and applies it as the editor does; undefined when none is offered. */
  async function fixOnSave(uri: string): Promise<boolean> {
    const whole = { start: { line: 0, character: 0 }, end: client.document(uri).positionAt(client.text(uri).length) };
    const [action] = await client.codeActions(uri, whole, [], ['source.fixAll']);
    if (action === undefined) return false;
    await client.applyEdit(action.edit!);
    return true;
  }

  it('publishes no trailing comma at 0:0 for a key missing its opening quote, and offers no fix for one', async () => {
    const uri = nextUri();
    await client.open(uri, KEY_WITHOUT_OPENING_QUOTE);
    const diagnostics = await client.settled(uri);
    assert.deepEqual(
      diagnostics.filter((d) => d.code === 'json-trailing-comma'),
      [],
    );
    assert.equal(await fixOnSave(uri), false);
    assert.equal(client.text(uri), KEY_WITHOUT_OPENING_QUOTE);
  });

  it('mends a key closed by a curly quote on save: the document then parses', async () => {
    const uri = nextUri();
    await client.open(uri, KEY_CLOSED_BY_CURLY_QUOTE);
    assert.ok(syntaxErrors(await client.settled(uri)) > 0);
    assert.equal(await fixOnSave(uri), true);
    assert.equal(client.text(uri), KEY_CLOSED_BY_CURLY_QUOTE.replace('\u201d', '"'));
    assert.deepEqual(await client.settled(uri), []);
  });

  it('never leaves more JSON problems on save than there were', async () => {
    for (const text of [
      '{"Version": "2012-10-17", "Statement": [\u2014]}',
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"\u2014"Action": "s3:*", "Resource": "*"}]}',
      '{"Version": "2012-10-17", "Id": "x\u201d, ", "Statement": []}',
      '{"Version": "2012-10-17", "Statement": [], "a\u2013b": 1, "a-b": 2}',
    ]) {
      const uri = nextUri();
      await client.open(uri, text);
      const before = syntaxErrors(await client.settled(uri));
      await fixOnSave(uri);
      const after = syntaxErrors(await client.settled(uri));
      assert.ok(after <= before, `${JSON.stringify(text)} -> ${JSON.stringify(client.text(uri))}: ${after} JSON problems, ${before} before`);
      await client.close(uri);
    }
  });
});
