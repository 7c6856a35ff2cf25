import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { IncrementalCharacters, IncrementalParser, type TextChange } from 'iam-policy-engine/incremental';
import { checkCharacters } from 'iam-policy-engine/checks/characters';
import { minifiedLength, parseJson, propertyValue, type Node, type ParsedJson } from 'iam-policy-engine/json';
import { FIXTURES } from '../support/paths';
import { Random } from '../support/random';

/** The tree as plain data, without parent links, for comparison. */
function shape(parsed: ParsedJson): unknown {
  const plain = (root: Node | undefined): unknown => {
    if (root === undefined) return undefined;
    const out: Record<string, unknown> = {};
    const pending: Array<[Node, Record<string, unknown>]> = [[root, out]];
    while (pending.length > 0) {
      const [node, target] = pending.pop()!;
      target.type = node.type;
      target.offset = node.offset;
      target.length = node.length;
      if (node.value !== undefined) target.value = node.value;
      if (node.colonOffset !== undefined) target.colonOffset = node.colonOffset;
      if (node.children !== undefined) {
        const children = node.children.map(() => ({}));
        target.children = children;
        node.children.forEach((child, index) => pending.push([child, children[index]]));
      }
    }
    return out;
  };
  return { root: plain(parsed.root), problems: parsed.problems, depth: parsed.depth };
}

function apply(text: string, change: TextChange): string {
  return text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
}

/** Offsets strictly inside string tokens (between the quotes), from a fresh parse. */
function stringInsides(text: string): number[] {
  const offsets: number[] = [];
  const pending: Node[] = [];
  const root = parseJson(text).root;
  if (root) pending.push(root);
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'string') offsets.push(node.offset + 1 + Math.floor((node.length - 2) / 2));
    node.children?.forEach((child) => pending.push(child));
  }
  return offsets;
}

function randomChange(random: Random, text: string): TextChange {
  const insides = stringInsides(text);
  switch (random.int(6)) {
    case 0: // type a character inside a string
      if (insides.length > 0) return { offset: random.pick(insides), length: 0, text: random.pick(['a', 'Z', '9', '*', ':', ' ', 'é', '"', '\\', '\u201c']) };
      break;
    case 1: // delete a character inside a string
      if (insides.length > 0) return { offset: random.pick(insides), length: 1, text: '' };
      break;
    case 2: {
      // white space somewhere
      const offset = random.int(text.length + 1);
      return { offset, length: 0, text: random.pick([' ', '\n', '\n    ', '\t']) };
    }
    case 3: {
      // delete a white space character if one is there
      const offset = text.indexOf(' ', random.int(text.length));
      if (offset >= 0) return { offset, length: 1, text: '' };
      break;
    }
    case 4: // paste a longer string into a string
      if (insides.length > 0) return { offset: random.pick(insides), length: 0, text: 'arn:aws:s3:::bucket/*' };
      break;
    default:
      break;
  }
  // Anything at all: structure changes, breakage, repair.
  const offset = random.int(text.length + 1);
  return { offset, length: random.int(Math.min(3, text.length - offset + 1)), text: random.pick(['', ',', '{', '}', '[', ']', '"', ':', 'x']) };
}

describe('incremental parsing', () => {
  const managed = path.join(FIXTURES, 'corpus', 'managed');
  const samples = ['AmazonS3ReadOnlyAccess.json', 'AWSLambda_FullAccess.json', 'IAMUserChangePassword.json', 'AdministratorAccess.json'];

  for (const [index, name] of samples.entries()) {
    it(`patches the tree of ${name} to exactly what a full parse gives, over 400 random edits`, () => {
      const random = new Random(1000 + index);
      const parser = new IncrementalParser();
      let text = fs.readFileSync(path.join(managed, name), 'utf8');
      parser.parse('doc', text, 'full');
      let lastValid = text;
      for (let step = 0; step < 400; step++) {
        // Broken documents are reparsed in full; go back to the last valid text most of the
        // time so the walk keeps exercising patches.
        const broken = parseJson(text).problems.length > 0;
        const changes = broken && random.int(4) > 0 ? [{ offset: 0, length: text.length, text: lastValid }] : [randomChange(random, text)];
        if (random.int(5) === 0) {
          // Several changes in one notification, each relative to the text before it.
          const next = apply(text, changes[0]);
          changes.push(randomChange(random, next));
        }
        for (const change of changes) text = apply(text, change);
        const patched = parser.parse('doc', text, changes);
        const fresh = parseJson(text);
        assert.deepEqual(shape(patched), shape(fresh), `step ${step}: ${JSON.stringify(changes)}`);
        // Remembered for the patched tree and moved along with its patches.
        assert.equal(minifiedLength(patched), minifiedLength(fresh), `step ${step}: ${JSON.stringify(changes)}`);
        if (fresh.problems.length === 0) lastValid = text;
      }
      assert.ok(parser.patched > 100, `only ${parser.patched} edits were patched, ${parser.full} reparsed`);
    });
  }

  /** Edits that make and unmake every kind of token the scanner knows, broken ones included. */
  function tokenSoupChange(random: Random, text: string): TextChange {
    const offset = random.int(text.length + 1);
    const pieces = [
      '',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      "'",
      '\u201c',
      '\u00a0',
      '\\',
      '\\u12',
      '/*',
      '*/',
      '//',
      '\n',
      'tru',
      'e',
      'null',
      '-1',
      '2.5e',
      'x',
      ' ',
    ];
    return { offset, length: random.int(Math.min(4, text.length - offset + 1)), text: random.pick(pieces) + random.pick(pieces) };
  }

  const odd = `{"Version": "2012-10-17", // a comment
  "Statement": [{'Sid': 'single', "Effect":\u00a0"Allow", "Action": ["s3:\\x", \u201cs3:Get\u201d, tru, -0.5e3, null],
  /* block */ "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": false}}},,],
  "Extra": [1, 2, {"a": "\\u00e9"}]} trailing`;

  for (const [index, start] of [...samples.map((name) => fs.readFileSync(path.join(managed, name), 'utf8')), odd].entries()) {
    it(`reads back the tokens an edit did not reach and gives exactly a fresh parse (text ${index + 1}, 600 edits)`, () => {
      const random = new Random(2000 + index);
      // Tokens kept for every document, however small, so that each full parse reads some back.
      const parser = new IncrementalParser({ recordTokensFrom: 0 });
      let text = start;
      parser.parse('doc', text, 'full');
      for (let step = 0; step < 600; step++) {
        const changes: TextChange[] = [];
        for (let n = 0; n < 1 + (random.int(4) === 0 ? random.int(3) : 0); n++) {
          const change = random.int(3) === 0 ? randomChange(random, text) : tokenSoupChange(random, text);
          text = apply(text, change);
          changes.push(change);
        }
        // Now and then back to where it started, in one change.
        if (random.int(40) === 0) {
          changes.push({ offset: 0, length: text.length, text: start });
          text = start;
        }
        const parsed = parser.parse('doc', text, changes);
        assert.deepEqual(shape(parsed), shape(parseJson(text)), `step ${step}: ${JSON.stringify(changes)}`);
      }
      assert.ok(parser.replayed > 300, `only ${parser.replayed} of ${parser.full} full parses read tokens back`);
    });
  }

  it('keeps tokens for a document being edited, not for one just opened or sent whole', () => {
    const parser = new IncrementalParser({ recordTokensFrom: 0 });
    let text = '{"Statement": [{"Action": "s3:GetObject", "Resource": "*"}, {"Action": "s3:PutObject", "Resource": "*"}]}';
    parser.parse('d', text, 'full');
    const breakAt = (at: number): void => {
      const change: TextChange = { offset: at, length: 1, text: '' };
      text = apply(text, change);
      assert.deepEqual(shape(parser.parse('d', text, [change])), shape(parseJson(text)));
    };
    // Opened: nothing recorded, so the first edit that breaks the JSON scans the whole text…
    breakAt(text.indexOf('{"Action": "s3:Put'));
    assert.equal(parser.replayed, 0);
    // …and records it: the next one reads back what it did not reach.
    breakAt(text.indexOf('{"Action": "s3:Get'));
    assert.equal(parser.replayed, 1);
    // A client that sends the whole text each time never gets a replay, so nothing is kept for it.
    parser.parse('d', text.replace('s3:', 's3 :'), 'full');
    text = text.replace('s3:', 's3 :');
    breakAt(text.indexOf('"Resource"'));
    assert.equal(parser.replayed, 1);
  });

  it('takes typing inside a string and white space edits as patches', () => {
    const parser = new IncrementalParser();
    let text = '{\n  "Statement": [\n    {"Action": "s3:Get"}\n  ]\n}';
    parser.parse('d', text, 'full');
    const typed: TextChange = { offset: text.indexOf('Get') + 3, length: 0, text: 'Object' };
    text = apply(text, typed);
    assert.equal(parser.parse('d', text, [typed]), parser.parse('d', text, []));
    const newline: TextChange = { offset: text.indexOf('{"Action"'), length: 0, text: '\n    ' };
    text = apply(text, newline);
    parser.parse('d', text, [newline]);
    assert.equal(parser.patched, 2);
    assert.equal(parser.full, 1);
  });

  it('gives a broken document its last valid tree back when the edit is undone or a string is finished', () => {
    for (const recordTokensFrom of [0, Infinity]) {
      const parser = new IncrementalParser({ recordTokensFrom });
      let text = '{\n  "Statement": [\n    {"Action": "s3:GetObject", "Resource": "*"}\n  ]\n}';
      const before = parser.parse('d', text, 'full');
      const edit = (change: TextChange): ParsedJson => {
        text = apply(text, change);
        const parsed = parser.parse('d', text, [change]);
        assert.deepEqual(shape(parsed), shape(parseJson(text)), JSON.stringify(change));
        return parsed;
      };
      // A brace deleted and typed back: the same tree, not a new parse.
      const brace = text.indexOf('{"Action"');
      assert.ok(edit({ offset: brace, length: 1, text: '' }).problems.length > 0);
      assert.equal(edit({ offset: brace, length: 0, text: '{' }), before);
      // A quote typed inside a string breaks it; typing on and deleting the quote mends it, patched.
      const inside = text.indexOf('GetObject') + 3;
      assert.ok(edit({ offset: inside, length: 0, text: '"' }).problems.length > 0);
      edit({ offset: inside + 1, length: 0, text: 'x' });
      const mended = edit({ offset: inside, length: 1, text: '' });
      assert.equal(mended, before);
      assert.equal(propertyValue(mended.root!.children![0].children![1].children![0].children![0])!.value, 's3:GetxObject');
      assert.equal(parser.restored, 2, `tokens kept from ${recordTokensFrom}`);
      // An edit elsewhere while broken that patchOne cannot take: parsed in full.
      assert.ok(edit({ offset: brace, length: 1, text: '' }).problems.length > 0);
      edit({ offset: text.indexOf('"Resource"'), length: 0, text: '"Sid": "x", ' });
      const full = parser.full;
      edit({ offset: brace, length: 0, text: '{' });
      assert.equal(parser.full, full + 1);
    }
  });

  it('reparses when a key is renamed into a duplicate', () => {
    const parser = new IncrementalParser();
    let text = '{"Statement": [], "Statemen": 1}';
    parser.parse('d', text, 'full');
    const change: TextChange = { offset: text.indexOf('Statemen"') + 8, length: 0, text: 't' };
    text = apply(text, change);
    const parsed = parser.parse('d', text, [change]);
    assert.deepEqual(
      parsed.problems.map((problem) => problem.kind),
      ['duplicate-key'],
    );
    assert.equal(parser.full, 2);
  });
});

describe('incremental character check', () => {
  it('gives exactly what a full scan gives, over 3,000 random edits', () => {
    const random = new Random(5);
    const scanner = new IncrementalCharacters();
    const pieces = ['a', ' ', '\u201c', '\u201d', '\u200b', '\u{1F600}', '\u00e9', '\u2028', 'xy\u2013z', ''];
    let text = 'plain \u201cquoted\u201d text\u200b\u200b with \u{1F600} and more';
    scanner.scan('d', text, 'full');
    for (let step = 0; step < 3000; step++) {
      const changes: TextChange[] = [];
      for (let n = 0; n < 1 + random.int(2); n++) {
        const offset = random.int(text.length + 1);
        const change = { offset, length: random.int(Math.min(3, text.length - offset) + 1), text: random.pick(pieces) + random.pick(pieces) };
        text = apply(text, change);
        changes.push(change);
      }
      assert.deepEqual(scanner.scan('d', text, changes), checkCharacters(text), `step ${step}: ${JSON.stringify(changes)}`);
    }
  });
});
