/** The language server's per-document memory: what it keeps, and for how many documents; the file paths it remembers. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DocumentStore, WARM_DOCUMENTS } from '../../server/src/documents';
import { analyze } from 'iam-policy-engine';
import { fileURLToPath } from 'node:url';
import { filePathOf } from '../../server/src/configuration';

describe('DocumentStore', () => {
  const stateOf = (version: number) => ({ version, analysis: analyze('{}'), findings: [], rules: {} });

  it('keeps the engine state and last check of the documents checked last, and lets the others go', () => {
    const store = new DocumentStore();
    const uris = Array.from({ length: WARM_DOCUMENTS + 3 }, (_, i) => `file:///d/${i}.json`);
    const engines = uris.map((uri, i) => {
      const engine = store.engine(uri);
      store.setState(uri, stateOf(i));
      return engine;
    });
    for (let i = 0; i < uris.length; i++) {
      const warm = i >= 3;
      assert.equal(store.state(uris[i]) !== undefined, warm, `${uris[i]} state`);
    }
    // The first three were let go: asked for again, they start afresh.
    assert.notEqual(store.engine(uris[0]), engines[0]);
    assert.equal(store.engine(uris[uris.length - 1]), engines[uris.length - 1]);
  });

  it('counts a document as used when it is checked, so the one being edited stays', () => {
    const store = new DocumentStore();
    const first = store.engine('file:///first.json');
    for (let i = 0; i < WARM_DOCUMENTS * 2; i++) {
      store.engine(`file:///other/${i}.json`);
      assert.equal(store.engine('file:///first.json'), first);
    }
  });

  it('forgets a closed document at once', () => {
    const store = new DocumentStore();
    store.engine('file:///a.json');
    store.setState('file:///a.json', stateOf(1));
    store.forget('file:///a.json');
    assert.equal(store.state('file:///a.json'), undefined);
  });
});

describe('filePathOf', () => {
  it('gives what fileURLToPath gives, asked once or again, past the 256 it remembers', () => {
    const uris = Array.from({ length: 600 }, (_, i) => `file:///work/space%20${i % 300}/p%C3%A9${i}.iam.json`);
    for (const uri of [...uris, ...uris.slice(0, 50)]) assert.equal(filePathOf(uri), fileURLToPath(uri));
    assert.equal(filePathOf('untitled:Untitled-1'), undefined);
    assert.equal(filePathOf('file://server/share/p.json'), undefined, 'a host: not a local path on Linux');
    assert.equal(filePathOf('file://server/share/p.json'), undefined, 'and again, remembered');
  });
});
