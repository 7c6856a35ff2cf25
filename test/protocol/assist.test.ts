/** Completion, hover and the grammar's quick fixes, through the built server over stdio. */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InsertTextFormat, type CompletionItem, type CompletionList, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../support/lspClient';

let counter = 0;
const nextUri = (): string => `file:///assist/${++counter}.iam.json`;
const labels = (items: CompletionItem[]): string[] => items.map((item) => item.label);
const markdown = (contents: unknown): string => (contents as MarkupContent).value;

describe('completion', () => {
  let client: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
    await client.settled();
  });
  after(() => client.stop());

  it('offers the statement elements not yet present', async () => {
    const uri = nextUri();
    await client.open(uri, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", ""}]}');
    const list = await client.completion(uri, client.positionAfter(uri, '"Allow", "'));
    assert.deepEqual(labels(list.items), ['Sid', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
  });

  it('offers the top-level elements, with a snippet outside quotes', async () => {
    const uri = nextUri();
    await client.open(uri, '{\n  \n}');
    const list = await client.completion(uri, { line: 1, character: 2 });
    assert.deepEqual(labels(list.items), ['Version', 'Id', 'Statement']);
    assert.equal(list.items[0].textEdit && 'newText' in list.items[0].textEdit ? list.items[0].textEdit.newText : '', '"Version": "2012-10-17"');
  });

  it('offers Allow and Deny for Effect, and the two versions', async () => {
    const uri = nextUri();
    await client.open(uri, '{"Version": "", "Statement": [{"Effect": "A"}]}');
    assert.deepEqual(labels((await client.completion(uri, client.positionAfter(uri, '"Effect": "A'))).items), ['Allow', 'Deny']);
    assert.deepEqual(labels((await client.completion(uri, client.positionAfter(uri, '"Version": "'))).items), ['2012-10-17', '2008-10-17']);
  });

  it("offers service prefixes, then the service's actions with description and access level", async () => {
    const uri = nextUri();
    await client.open(uri, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3", "s3:Get"], "Resource": "*"}]}');
    const services = await client.completion(uri, client.positionAfter(uri, '["s3'));
    const s3 = services.items.find((item) => item.label === 's3')!;
    assert.equal(s3.detail, 'Amazon S3');
    assert.ok(services.items.length > 400, `${services.items.length} services`);
    const actions = await client.completion(uri, client.positionAfter(uri, '"s3:Get'));
    const getObject = actions.items.find((item) => item.label === 's3:GetObject')!;
    assert.equal(getObject.detail, 'Read');
    assert.match(markdown(getObject.documentation), /Grants permission to retrieve objects from Amazon S3/);
    assert.match(markdown(getObject.documentation), /list_amazons3\.html/);
    assert.ok(actions.items.some((item) => item.label === 's3:*'));
  });

  it("offers condition operators and the keys of the statement's actions", async () => {
    const uri = nextUri();
    await client.open(
      uri,
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"": {}, "StringLike": {"": ""}}}]}',
    );
    const operators = await client.completion(uri, client.positionAfter(uri, '"Condition": {"'));
    for (const name of ['StringEquals', 'StringLikeIfExists', 'ForAnyValue:StringEquals', 'ArnLike', 'Null'])
      assert.ok(labels(operators.items).includes(name), name);
    assert.ok(!labels(operators.items).includes('NullIfExists'));
    const keys = await client.completion(uri, client.positionAfter(uri, '"StringLike": {"'));
    const prefix = keys.items.find((item) => item.label === 's3:prefix')!;
    assert.match(prefix.detail ?? '', /^String \(Amazon S3\)$/);
    assert.ok(labels(keys.items).includes('aws:SourceIp'));
  });

  it("offers ARN templates for the statement's actions", async () => {
    const uri = nextUri();
    await client.open(uri, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ""}]}');
    const list = await client.completion(uri, client.positionAfter(uri, '"Resource": "'));
    assert.ok(labels(list.items).includes('*'));
    assert.ok(labels(list.items).includes('arn:${Partition}:s3:::${BucketName}/${ObjectName}'), JSON.stringify(labels(list.items)));
  });
});

describe('completion with documentation on resolve (as VS Code asks for it)', () => {
  let client: LspTestClient;
  let inline: LspTestClient;
  let resolveProvider: Array<boolean | undefined>;
  before(async () => {
    const deferring = await LspTestClient.start({ settings: {}, completionResolve: true });
    const plain = await LspTestClient.start({ settings: {} });
    ({ client } = deferring);
    ({ client: inline } = plain);
    resolveProvider = [deferring, plain].map((started) => started.initialize.capabilities.completionProvider?.resolveProvider);
    await Promise.all([client.settled(), inline.settled()]);
  });
  after(() => Promise.all([client.stop(), inline.stop()]));

  it("sends the actions without their documentation, and each one's on resolve, as it would inline", async () => {
    const uri = nextUri();
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get"], "Resource": "*"}]}';
    await client.open(uri, text);
    await inline.open(uri, text);
    const deferred = await client.completion(uri, client.positionAfter(uri, '"s3:Get'));
    const full = await inline.completion(uri, inline.positionAfter(uri, '"s3:Get'));
    assert.deepEqual(resolveProvider, [true, false], 'resolve only for the client that asks for it');
    assert.deepEqual(labels(deferred.items), labels(full.items));
    assert.ok(
      deferred.items.every((item) => item.documentation === undefined),
      'no documentation in the list',
    );
    assert.ok(JSON.stringify(deferred).length * 2 < JSON.stringify(full).length, 'the list is less than half the size');
    for (const label of ['s3:GetObject', 's3:GetBucketPolicy']) {
      const item = deferred.items.find((candidate) => candidate.label === label)!;
      const resolved = await client.connection.sendRequest<CompletionItem>('completionItem/resolve', item);
      assert.match(markdown(resolved.documentation), /\*\*Resource types\*\*/);
      assert.deepEqual(resolved.documentation, full.items.find((candidate) => candidate.label === label)!.documentation);
    }
  });

  it('resolves an item of an older list to itself, without documentation', async () => {
    const uri = nextUri();
    await client.open(uri, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get", "ec2:Desc"], "Resource": "*"}]}');
    const older = await client.completion(uri, client.positionAfter(uri, '"s3:Get'));
    await client.completion(uri, client.positionAfter(uri, '"ec2:Desc'));
    const item = older.items.find((candidate) => candidate.label === 's3:GetObject')!;
    const resolved = await client.connection.sendRequest<CompletionItem>('completionItem/resolve', item);
    assert.equal(resolved.label, 's3:GetObject');
    assert.equal(resolved.documentation, undefined);
  });
});

describe("completion with the list's edit range given once (as VS Code takes it)", () => {
  let client: LspTestClient;
  let plain: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {}, completionResolve: true, completionItemDefaults: true }));
    ({ client: plain } = await LspTestClient.start({ settings: {}, completionResolve: true }));
    await Promise.all([client.settled(), plain.settled()]);
  });
  after(() => Promise.all([client.stop(), plain.stop()]));

  /** What accepting each item does: the range it replaces, the text and its format. */
  const applied = (list: CompletionList) =>
    list.items.map((item) => ({
      label: item.label,
      range: item.textEdit !== undefined && 'range' in item.textEdit ? item.textEdit.range : list.itemDefaults?.editRange,
      text: item.textEditText ?? item.textEdit?.newText ?? item.label,
      format: item.insertTextFormat ?? list.itemDefaults?.insertTextFormat ?? InsertTextFormat.PlainText,
      filter: item.filterText ?? item.label,
    }));

  it('edits exactly as the list with a range in every item, at little more than half the size', async () => {
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get", "ec2"], "Resource": "*", \n}]}';
    const spots = ['"s3:Get', '"ec2', '"Resource": "*", \n'];
    for (const spot of spots) {
      const uri = nextUri();
      await client.open(uri, text);
      await plain.open(uri, text);
      const shared = await client.completion(uri, client.positionAfter(uri, spot));
      const full = await plain.completion(uri, plain.positionAfter(uri, spot));
      assert.ok(shared.items.length > 0, spot);
      assert.deepEqual(applied(shared), applied(full), spot);
      assert.ok(
        shared.items.every((item) => item.textEdit === undefined),
        'no item repeats the range',
      );
      // s3's actions: 26 KB instead of 49 KB.
      if (spot === '"s3:Get') assert.ok(JSON.stringify(shared).length < 0.6 * JSON.stringify(full).length, 'the list is little more than half the size');
    }
  });
});

describe('hover', () => {
  let client: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
  });
  after(() => client.stop());

  const text =
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:TerminateInstances", "ec2:Describe*"], "Resource": "*", "Condition": {"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}}]}';

  it('describes an action: access level, resource types, condition keys, documentation', async () => {
    const uri = nextUri();
    await client.open(uri, text);
    const result = await client.hover(uri, client.positionAfter(uri, '"ec2:Termin'));
    const value = markdown(result?.contents);
    assert.match(value, /^\*\*ec2:TerminateInstances\*\* \(Write\)/);
    assert.match(value, /instance \(required\): `arn:\$\{Partition\}:ec2:\$\{Region\}:\$\{Account\}:instance\/\$\{InstanceId\}`/);
    assert.match(value, /list_amazonec2\.html/);
  });

  it('says how many actions a wildcard matches', async () => {
    const uri = nextUri();
    await client.open(uri, text);
    const value = markdown((await client.hover(uri, client.positionAfter(uri, '"ec2:Desc')))?.contents);
    assert.match(value, /^\*\*ec2:Describe\*\*\* matches \d{3} Amazon EC2 actions/);
    assert.match(value, /- ec2:DescribeAccountAttributes \(List\)/);
  });

  it('describes an operator and a condition key', async () => {
    const uri = nextUri();
    await client.open(uri, text);
    assert.match(
      markdown((await client.hover(uri, client.positionAfter(uri, '"IpAddress')))?.contents),
      /IP address is in the range[\s\S]*IfExists: also true when the key is not in the request/,
    );
    assert.match(markdown((await client.hover(uri, client.positionAfter(uri, '"aws:Source')))?.contents), /^\*\*aws:SourceIp\*\*: IPAddress/);
  });
});

describe('grammar quick fixes', () => {
  let client: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
  });
  after(() => client.stop());

  async function fix(text: string, code: string, title: RegExp): Promise<string> {
    const uri = nextUri();
    await client.open(uri, text);
    const diagnostic = (await client.settled(uri)).find((d) => d.code === code);
    assert.ok(diagnostic, `no ${code} in ${text}`);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const action = actions.find((candidate) => title.test(candidate.title));
    assert.ok(action, `no fix like ${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
    await client.applyEdit(action.edit!);
    return client.text(uri);
  }

  const policy = (statement: string, version = '"Version": "2012-10-17", '): string => `{${version}"Statement": [{${statement}}]}`;

  it('corrects the case of an action, an Effect, an element and an operator', async () => {
    assert.equal(
      await fix(policy('"Effect": "Allow", "Action": "s3:getobject", "Resource": "*"'), 'action-case', /^Change to s3:GetObject$/),
      policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'),
    );
    assert.equal(
      await fix(policy('"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"'), 'invalid-effect', /^Change to "Allow"$/),
      policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'),
    );
    assert.equal(
      await fix(policy('"effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'), 'unknown-element', /^Change to Effect$/),
      policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'),
    );
    assert.equal(
      await fix(
        policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"stringequals": {"aws:username": "a"}}'),
        'unknown-operator',
        /^Change to StringEquals$/,
      ),
      policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "a"}}'),
    );
  });

  it('suggests the closest action and service for a misspelling', async () => {
    assert.equal(
      await fix(policy('"Effect": "Allow", "Action": "s3:GetObjet", "Resource": "*"'), 'unknown-action', /^Change to s3:GetObject$/),
      policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'),
    );
    assert.equal(
      await fix(policy('"Effect": "Allow", "Action": "cldoufront:CreateDistribution", "Resource": "*"'), 'unknown-service', /cloudfront$/),
      policy('"Effect": "Allow", "Action": "cloudfront:CreateDistribution", "Resource": "*"'),
    );
  });

  it('adds a missing Version in the layout of the document', async () => {
    const text = '{\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}';
    assert.equal(
      await fix(text, 'missing-version', /^Add "Version"/),
      '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}',
    );
  });

  it('removes a Principal from an identity policy', async () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Principal": {"AWS": "*"},\n      "Action": "s3:GetObject",\n      "Resource": "*"\n    },\n    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}\n  ]\n}';
    assert.equal(await fix(text, 'principal-in-identity-policy', /^Remove Principal/), text.replace('      "Principal": {"AWS": "*"},\n', ''));
  });
});
