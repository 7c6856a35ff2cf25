/**
 * The server must never crash, whatever the text: random bytes, truncations, mutations,
 * extreme nesting, a megabyte, bursts of incremental edits. Every document gets an answer
 * whose ranges lie inside it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../support/lspClient';
import { lspOffset } from '../support/mutations';
import { FIXTURES } from '../support/paths';
import { Random } from '../support/random';

const SAMPLE = fs.readFileSync(path.join(FIXTURES, 'corpus', 'managed', 'AWSLambda_FullAccess.json'), 'utf8');

function assertInside(client: LspTestClient, uri: string, diagnostics: Diagnostic[]): void {
  const document = client.document(uri);
  const end = document.positionAt(document.getText().length);
  for (const diagnostic of diagnostics) {
    for (const position of [diagnostic.range.start, diagnostic.range.end]) {
      assert.ok(position.line >= 0 && position.character >= 0, JSON.stringify(diagnostic.range));
      assert.ok(
        position.line < end.line || (position.line === end.line && position.character <= end.character),
        `${JSON.stringify(diagnostic.range)} past ${JSON.stringify(end)}`,
      );
      // Round-tripping through offsets must give the same position (not past a line's end).
      assert.deepEqual(document.positionAt(document.offsetAt(position)), position);
    }
    assert.ok((typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value).length > 0);
  }
}

const randomText = (random: Random, length: number): string => {
  const alphabet = '{}[]:,"\\ \n\t/*tfn0123456789-.eE\'abcxyz\u201c\u201d\u2028\u200b\u00e9\u0000\u001f\ud83d\ude00\ud800';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[random.int(alphabet.length)];
  return text;
};

describe('robustness', () => {
  let client: LspTestClient;
  let counter = 0;
  const uri = () => `file:///robust/${++counter}.iam.json`;

  before(async () => {
    ({ client } = await LspTestClient.start({ settings: { maxNumberOfProblems: 100000 } }));
  });
  after(async () => {
    assert.ok(!client.hasExited, 'the server died');
    await client.stop();
    assert.equal(client.stderr, '');
  });

  it('answers random texts of every length', async () => {
    const random = new Random(42);
    for (let i = 0; i < 300; i++) {
      const target = uri();
      await client.open(target, randomText(random, random.int(i < 100 ? 20 : 400)));
      assertInside(client, target, await client.diagnostics(target));
      await client.close(target);
    }
  });

  it('answers every truncation and many mutations of a real policy', async () => {
    const random = new Random(7);
    for (let cut = 0; cut <= SAMPLE.length; cut += 37) {
      const target = uri();
      await client.open(target, SAMPLE.slice(0, cut));
      assertInside(client, target, await client.diagnostics(target));
      await client.close(target);
    }
    for (let i = 0; i < 300; i++) {
      const chars = Array.from(SAMPLE);
      for (let n = 0; n < 1 + random.int(5); n++) {
        const at = random.int(chars.length);
        const kind = random.int(3);
        if (kind === 0) chars.splice(at, 1);
        else if (kind === 1) chars.splice(at, 0, randomText(random, 1));
        else chars[at] = randomText(random, 1);
      }
      const target = uri();
      await client.open(target, chars.join(''));
      assertInside(client, target, await client.diagnostics(target));
      await client.close(target);
    }
  });

  it('answers 10,000-deep nesting, open and unbalanced', async () => {
    for (const text of ['['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(10_000), '{"Statement":' + '['.repeat(10_000)]) {
      const target = uri();
      await client.open(target, text);
      assertInside(client, target, await client.diagnostics(target));
    }
  });

  it('answers a 1 MB document', async () => {
    const statements = Array.from(
      { length: 4000 },
      (_, i) => `{"Sid": "S${i}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket-${i}/*"}`,
    );
    const text = `{"Version": "2012-10-17", "Statement": [${statements.join(',\n')}]}`.padEnd(1_048_576, ' ');
    const target = uri();
    await client.open(target, text);
    const diagnostics = await client.diagnostics(target);
    assertInside(client, target, diagnostics);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['document-too-large'],
    );
  });

  it('keeps up with bursts of incremental edits and ends with the right answer', async () => {
    const random = new Random(99);
    const target = uri();
    await client.open(target, SAMPLE);
    for (let i = 0; i < 500; i++) {
      const text = client.text(target);
      const at = random.int(text.length + 1);
      const removed = random.int(3) === 0 ? random.int(Math.min(4, text.length - at) + 1) : 0;
      // Send without waiting, as fast typing does.
      void client.edit(target, at, at + removed, random.pick(['a', ' ', '"', '{', '\u201c', '', '\n', ':']));
    }
    await client.edit(target, 0, client.text(target).length, SAMPLE);
    const reference = 'file:///robust/reference.iam.json';
    await client.open(reference, SAMPLE);
    const expected = await client.settled(reference);
    assert.deepEqual(await client.settled(target), expected);
    await client.edit(target, 1, 1, '\u00a0');
    const last = await client.settled(target);
    assertInside(client, target, last);
    assert.deepEqual(
      last.filter((d) => d.severity === 1).map((d) => d.code),
      ['json-syntax'],
    );
  });

  it('takes a change whose range lies far past the end (line 2^31-10) as one at the end, and stays right', async () => {
    const target = uri();
    const text = '{\r\n  "Version": "2012-10-17",\r\n  "Statement": []\r\n}';
    await client.open(target, text);
    await client.diagnostics(target);
    // A line break inserted across two lines far past the end: the text store wrote its line
    // table at index 2^31 and spent every later edit walking it.
    const range = { start: { line: 2 ** 31 - 10, character: 5 }, end: { line: 2 ** 31 - 9, character: 0 } };
    await client.changeRaw(target, [{ range, text: '\n\u201c' }], text + '\n\u201c');
    // Then any edit: the one that took the server down once its line table had grown.
    await client.edit(target, 1, 1, '\r\n');
    const { incremental, fresh } = await client.againstFresh(target);
    assert.deepEqual(incremental, fresh);
    assertInside(client, target, incremental);
    assert.ok(
      incremental.some((d) => d.code === 'disallowed-character' && d.range.start.line === 5),
      JSON.stringify(incremental),
    );
    assert.ok(!client.hasExited);
  });

  it("reads ranges just past the end, past a line's end, reversed or not numbers as LSP says", async () => {
    const text = '{\r\n  "Version": "2012-10-17",\n  "Statement": []\r}';
    const lines = 4;
    const cases: Array<{ name: string; range: unknown; at: [{ line: number; character: number }, { line: number; character: number }] }> = [
      {
        name: 'the line after the last',
        range: { start: { line: lines, character: 0 }, end: { line: lines, character: 3 } },
        at: [
          { line: lines, character: 0 },
          { line: lines, character: 3 },
        ],
      },
      {
        name: "past the last line's end",
        range: { start: { line: 3, character: 50 }, end: { line: 3, character: 60 } },
        at: [
          { line: 3, character: 50 },
          { line: 3, character: 60 },
        ],
      },
      {
        name: "past a CRLF line's end",
        range: { start: { line: 0, character: 7 }, end: { line: 0, character: 9 } },
        at: [
          { line: 0, character: 7 },
          { line: 0, character: 9 },
        ],
      },
      {
        name: "past a CR line's end, to the middle of the next",
        range: { start: { line: 2, character: 99 }, end: { line: 3, character: 0 } },
        at: [
          { line: 2, character: 99 },
          { line: 3, character: 0 },
        ],
      },
      {
        name: 'reversed',
        range: { start: { line: 1, character: 9 }, end: { line: 1, character: 3 } },
        at: [
          { line: 1, character: 3 },
          { line: 1, character: 9 },
        ],
      },
    ];
    for (const { name, range, at } of cases) {
      const target = uri();
      await client.open(target, text);
      await client.diagnostics(target);
      const start = lspOffset(text, at[0]);
      const end = lspOffset(text, at[1]);
      const expected = text.slice(0, start) + '\u2014' + text.slice(end);
      await client.changeRaw(target, [{ range, text: '\u2014' }], expected);
      const { incremental, fresh } = await client.againstFresh(target);
      assert.deepEqual(incremental, fresh, name);
      assertInside(client, target, incremental);
      // A second edit, in range: the document is still in step with the editor's.
      await client.edit(target, 0, 0, ' ');
      const again = await client.againstFresh(target);
      assert.deepEqual(again.incremental, again.fresh, `${name}, then an edit`);
      await client.close(target);
    }
    // Numbers that are not: null, negative, fractional, strings count as 0 (the start).
    const target = uri();
    await client.open(target, text);
    await client.diagnostics(target);
    await client.changeRaw(target, [{ range: { start: { line: null, character: -4 }, end: { line: '1', character: 0.5 } }, text: '\u2014' }], '\u2014' + text);
    const { incremental, fresh } = await client.againstFresh(target);
    assert.deepEqual(incremental, fresh);
    assertInside(client, target, incremental);
  });

  it('answers completion, hover and code actions where they used to throw, without an internal error', async () => {
    const cases: Array<[string, number]> = [
      ['[{}', 3],
      ['[\u201c{}', 4],
      ['['.repeat(10_000) + '"s3:GetObject"' + ']'.repeat(10_000), 10_003],
    ];
    for (const [text, offset] of cases) {
      const target = uri();
      await client.open(target, text);
      await client.diagnostics(target);
      const position = client.document(target).positionAt(offset);
      assert.deepEqual((await client.completion(target, position)).items, []);
      assert.equal(await client.hover(target, position), null);
      assert.ok(Array.isArray(await client.codeActions(target, { start: position, end: position })));
      await client.close(target);
    }
    assert.deepEqual(
      client.logMessages.filter((message) => message.startsWith('Internal error')),
      [],
    );
  });
});
