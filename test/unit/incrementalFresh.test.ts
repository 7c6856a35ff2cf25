/**
 * After any sequence of edits, the engine's incremental path (the patched parse tree, the
 * rescanned characters, the remembered statements) must give exactly what a fresh analysis of
 * the same text gives; and positions from the line map must be the editor's. Random edit
 * sequences over random and mutated corpus documents, with LF, CRLF, mixed and lone CR line
 * ends, astral characters and edits at both ends. The seed is printed: IAM_POLICY_SEED=<seed>
 * replays a failure.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, StatementCache } from 'iam-policy-engine/analyze';
import { createCatalog } from '../../server/src/catalogFiles';
import type { Catalog } from 'iam-policy-engine/catalog';
import { IncrementalCharacters, IncrementalParser, type TextChange } from 'iam-policy-engine/incremental';
import { LineMap } from 'iam-policy-engine/lines';
import { applyEdit, randomDocument, randomEdit, randomPieces, seedFromEnvironment, withLineEnds } from '../support/mutations';
import { Random } from '../support/random';

describe('the line map', () => {
  it("places every offset where the editor's document does, whatever the line ends", (t) => {
    const seed = seedFromEnvironment(9_501);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    const texts = ['', '\r', '\n', '\r\n', 'a\r\nb', '\r\r\n\n\r', 'x\r\n'];
    for (let i = 0; i < 400; i++) texts.push(withLineEnds(random, randomPieces(random, random.int(40))));
    for (const text of texts) {
      const lines = new LineMap(text);
      const document = TextDocument.create('file:///x', 'json', 1, text);
      for (let offset = -1; offset <= text.length + 1; offset++) {
        assert.deepEqual(lines.positionAt(offset), document.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
      }
    }
  });

  it('puts an offset between \\r and \\n at the end of the line', () => {
    assert.deepEqual(new LineMap('ab\r\ncd').positionAt(3), { line: 0, character: 2 });
  });
});

describe('incremental analysis equals a fresh one', () => {
  let catalog: Catalog;
  before(async () => {
    catalog = await createCatalog();
    await catalog.loadAll();
  });

  it('after random edit sequences, with and without the catalog', (t) => {
    const seed = seedFromEnvironment(9_502);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    let edits = 0;
    for (let doc = 0; doc < 120; doc++) {
      const parser = new IncrementalParser();
      const characters = new IncrementalCharacters();
      // As the server keeps it per document: 25 checks, so it forgets what it did not use (every 16).
      const statementCache = new StatementCache();
      const withCatalog = doc % 2 === 0 ? catalog : undefined;
      let text = randomDocument(random, 6_000);
      parser.parse('d', text, 'full');
      characters.scan('d', text, 'full');
      for (let step = 0; step < 25; step++) {
        const changes: TextChange[] = [];
        for (let n = 0; n < 1 + random.int(3); n++) {
          const change = randomEdit(random, text);
          text = applyEdit(text, change);
          changes.push(change);
        }
        edits += changes.length;
        const parsed = parser.parse('d', text, changes);
        const incremental = analyze(text, { parsed, characters: characters.scan('d', text, changes), catalog: withCatalog, statementCache });
        const fresh = analyze(text, { catalog: withCatalog });
        assert.deepEqual(incremental.findings, fresh.findings, `seed ${seed}, document ${doc}, step ${step}: ${JSON.stringify(text)}`);
      }
    }
    t.diagnostic(`${edits} edits`);
  });
});
