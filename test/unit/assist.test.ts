/**
 * Completion and hover in the engine, in the style of vscode-json-languageservice's tests: the
 * policy text with a `|` where the cursor is, and the items or the hover expected. The protocol
 * suite (test/protocol/assist.test.ts) checks the same through the server; these pin the
 * engine's answers place by place, and run in milliseconds.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { complete, documentationOf, hover, servicesAt, type CompletionResult, type HoverResult } from 'iam-policy-engine/assist';
import type { Catalog } from 'iam-policy-engine/catalog';
import { parseJson } from 'iam-policy-engine/json';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;

before(async () => {
  catalog = await createCatalog();
});

/** The text without its `|`, and the cursor's offset. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, 'one | marks the cursor');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** Completion at the `|`, with the services the statement names loaded first (as the server does). */
async function completeAt(marked: string, withCatalog = true): Promise<CompletionResult & { text: string }> {
  const { text, offset } = cursor(marked);
  const parsed = parseJson(text);
  if (withCatalog) await catalog.load(servicesAt(text, parsed, offset));
  return { ...complete(text, parsed, offset, withCatalog ? catalog : undefined), text };
}

async function hoverAt(marked: string): Promise<(HoverResult & { covered: string }) | undefined> {
  const { text, offset } = cursor(marked);
  const parsed = parseJson(text);
  await catalog.load(servicesAt(text, parsed, offset));
  const result = hover(parsed, offset, catalog);
  return result === undefined ? undefined : { ...result, covered: text.slice(result.offset, result.offset + result.length) };
}

const labels = (result: CompletionResult): string[] => result.items.map((item) => item.label);
/** The text the items replace. */
const replaced = (result: CompletionResult & { text: string }): string => result.text.slice(result.offset, result.offset + result.length);

const statement = (members: string): string => `{"Version": "2012-10-17", "Statement": [{${members}}]}`;

describe('completion of keys', () => {
  it('top level: the elements not yet present, as snippets outside quotes', async () => {
    const result = await completeAt('{"Version": "2012-10-17", |}');
    assert.deepEqual(labels(result), ['Id', 'Statement']);
    assert.equal(result.items[1].insertText, '"Statement": [\n\t{\n\t\t$0\n\t}\n]');
    assert.equal(result.items[1].snippet, true);
  });

  it("inside a key's quotes: the name only, replacing what is typed up to the closing quote", async () => {
    const result = await completeAt('{"Ver|sion": "2012-10-17"}');
    assert.deepEqual(labels(result), ['Id', 'Statement']);
    assert.equal(replaced(result), 'Version');
    assert.equal(result.items[0].insertText, 'Id');
    assert.equal(result.items[0].snippet, false);
  });

  it("a statement: its elements not yet present, in the grammar's order", async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "s3:GetObject", |'));
    assert.deepEqual(labels(result), ['Sid', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
    assert.equal(result.items.find((item) => item.label === 'Resource')!.insertText, '"Resource": "${1:*}"');
  });

  it('principal types inside Principal', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Principal": {"|"}'));
    assert.deepEqual(labels(result), ['AWS', 'Service', 'Federated', 'CanonicalUser']);
  });

  it('operators inside Condition, with IfExists and set forms, but no NullIfExists', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"|"}'));
    const names = labels(result);
    for (const name of ['StringEquals', 'StringEqualsIfExists', 'ForAllValues:StringLike', 'ForAnyValue:ArnLike', 'Bool', 'Null'])
      assert.ok(names.includes(name), name);
    assert.ok(!names.includes('NullIfExists'));
    assert.ok(!names.includes('ForAnyValue:NumericEquals'), 'set prefixes only for string and ARN operators');
  });

  it("condition keys: the global keys and those of the statement's actions, with type and owner", async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringLike": {"|": ""}}'));
    const prefix = result.items.find((item) => item.label === 's3:prefix');
    assert.equal(prefix?.detail, 'String (Amazon S3)');
    assert.equal(result.items.find((item) => item.label === 'aws:SourceIp')?.detail, 'IPAddress (global)');
    assert.ok(labels(result).includes('aws:ResourceTag/tag-key'));
  });

  it('condition keys with a variable part are escaped for the snippet syntax', async () => {
    const result = await completeAt(
      statement('"Effect": "Allow", "Action": "s3:AssociateAccessGrantsIdentityCenter", "Resource": "*", "Condition": {"StringLike": {"|": ""}}'),
    );
    const variable = result.items.filter((item) => item.label.includes('${'));
    assert.ok(variable.length > 0, 'some key of s3:AssociateAccessGrantsIdentityCenter has a ${...} part');
    for (const item of variable) assert.equal(item.insertText, item.label.replace(/\$\{/g, '\\${'));
  });

  it('condition keys of the service typed so far', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"kms:|": ""}}'));
    assert.ok(labels(result).includes('kms:ViaService'), 'kms keys although no kms action is named');
  });

  it('nothing for keys in places without a grammar (inside a condition value)', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Sid": {"|": 1}'));
    assert.deepEqual(labels(result), []);
  });
});

describe('completion of values', () => {
  it('Version: the two versions, the current first', async () => {
    const result = await completeAt('{"Version": "|"}');
    assert.deepEqual(labels(result), ['2012-10-17', '2008-10-17']);
    assert.equal(result.items[0].insertText, '2012-10-17');
  });

  it('Version outside quotes: quoted values', async () => {
    const result = await completeAt('{"Version": |}');
    assert.equal(result.items[0].insertText, '"2012-10-17"');
    assert.equal(result.length, 0);
  });

  it('Effect: Allow and Deny', async () => {
    assert.deepEqual(labels(await completeAt(statement('"Effect": "D|"'))), ['Allow', 'Deny']);
  });

  it('Action without a colon yet: every service prefix, completing to "prefix:" and asking again', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "s3|"'));
    const s3 = result.items.find((item) => item.label === 's3');
    assert.equal(s3?.detail, 'Amazon S3');
    assert.equal(s3?.insertText, 's3:');
    assert.equal(s3?.retrigger, true);
    assert.ok(result.items.length > 400, `${result.items.length} services`);
  });

  it("Action after the colon: the service's actions with access level, and the whole service first", async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": ["s3:Get|"]'));
    assert.equal(result.items[0].label, 's3:*');
    const getObject = result.items.find((item) => item.label === 's3:GetObject');
    assert.equal(getObject?.detail, 'Read');
    assert.match(
      (getObject && documentationOf(getObject)) ?? '',
      /\*\*Resource types\*\*[\s\S]*- object: `arn:\$\{Partition\}:s3:::\$\{BucketName\}\/\$\{ObjectName\}`/,
    );
    assert.equal(replaced(result), 's3:Get');
  });

  it('Action of a service not in the catalog: nothing, and complete', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "nosuchservice:|"'));
    assert.deepEqual(labels(result), []);
    assert.equal(result.incomplete, false);
  });

  it('Action without the catalog: nothing yet, marked incomplete', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "s3:|"'), false);
    assert.deepEqual(labels(result), []);
    assert.equal(result.incomplete, true);
  });

  it('Resource: "*" and the ARN templates of the statement\'s actions, as snippets', async () => {
    const result = await completeAt(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "|"'));
    assert.equal(result.items[0].label, '*');
    const object = result.items.find((item) => item.label === 'arn:${Partition}:s3:::${BucketName}/${ObjectName}');
    assert.equal(object?.insertText, 'arn:aws:s3:::${1:BucketName}/${2:ObjectName}');
    assert.equal(object?.detail, 'Amazon S3 object');
  });

  it('nothing inside Sid or Condition values', async () => {
    assert.deepEqual(labels(await completeAt(statement('"Sid": "|"'))), []);
    assert.deepEqual(labels(await completeAt(statement('"Effect": "Allow", "Condition": {"Bool": {"aws:SecureTransport": "|"}}'))), []);
  });

  it('nothing just past a closing quote: the range would not hold the cursor, which LSP requires', async () => {
    assert.deepEqual(labels(await completeAt(statement('"Effect": "Allow"|'))), []);
    assert.deepEqual(labels(await completeAt(statement('"Effect": "Allow", "Action": ["s3:GetObject"|]'))), []);
    assert.deepEqual(labels(await completeAt(statement('"Effect": "Allow", "Condition": {"StringEquals"|}'))), []);
    // Before it, inside the string, as ever.
    assert.deepEqual(labels(await completeAt(statement('"Effect": "Allow|"'))), ['Allow', 'Deny']);
  });
});

describe('completion on broken text', () => {
  for (const marked of ['|', '[|', '[{}|', '[\u201c{}|', '{"Statement": [{"Effect": |', '{"Statement": "|', '\u201c|\u201d', '{"a": [1, |']) {
    it(`answers for ${JSON.stringify(marked)}`, async () => {
      const result = await completeAt(marked);
      assert.ok(Array.isArray(result.items));
    });
  }
});

describe('hover', () => {
  const text = (members: string): string => statement(`"Effect": "Allow", ${members}`);

  it('an action: access level, resource types and the reference page, over the whole string', async () => {
    const result = await hoverAt(text('"Action": "ec2:Termin|ateInstances", "Resource": "*"'));
    assert.match(result?.markdown ?? '', /^\*\*ec2:TerminateInstances\*\* \(Write\)/);
    assert.match(result?.markdown ?? '', /list_amazonec2\.html/);
    assert.equal(result?.covered, '"ec2:TerminateInstances"');
  });

  it('a wildcard: how many actions it matches, the first 25 listed', async () => {
    const result = await hoverAt(text('"Action": "ec2:Describe|*", "Resource": "*"'));
    assert.match(result?.markdown ?? '', /^\*\*ec2:Describe\*\*\* matches \d{3} Amazon EC2 actions/);
    assert.match(result?.markdown ?? '', /… and \d+ more$/);
  });

  it('"*" in Action: every action of every service', async () => {
    assert.equal((await hoverAt(text('"Action": "|*", "Resource": "*"')))?.markdown, '`*`: every action of every service.');
  });

  it('an operator, with what IfExists and a set prefix add', async () => {
    const result = await hoverAt(text('"Action": "s3:ListBucket", "Resource": "*", "Condition": {"ForAnyValue:StringLike|IfExists": {"aws:TagKeys": "a*"}}'));
    assert.match(result?.markdown ?? '', /Case-sensitive match with \* and \? wildcards/);
    assert.match(result?.markdown ?? '', /IfExists: also true when the key is not in the request/);
    assert.match(result?.markdown ?? '', /ForAnyValue: for multivalued keys: at least one value/);
  });

  it('a condition key: its type, and whether it is multivalued', async () => {
    const result = await hoverAt(text('"Action": "s3:ListBucket", "Resource": "*", "Condition": {"ForAnyValue:StringLike": {"aws:Tag|Keys": "a*"}}'));
    assert.match(result?.markdown ?? '', /^\*\*aws:TagKeys\*\*: ArrayOfString \(multivalued: use ForAnyValue: or ForAllValues:\)/);
  });

  it('nothing over unknown actions, unknown operators, Sids and top-level values', async () => {
    assert.equal(await hoverAt(text('"Action": "s3:NoSuch|Thing", "Resource": "*"')), undefined);
    assert.equal(await hoverAt(text('"Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEq|ualz": {}}')), undefined);
    assert.equal(await hoverAt(statement('"Sid": "A|b"')), undefined);
    assert.equal(await hoverAt('{"Version": "2012|-10-17"}'), undefined);
  });
});

describe('hover on extreme nesting', () => {
  it('answers (nothing) inside 10,000 nested arrays', async () => {
    const depth = 10_000;
    const marked = `${'['.repeat(depth)}"s3:Get|Object"${']'.repeat(depth)}`;
    assert.equal(await hoverAt(marked), undefined);
  });
});
