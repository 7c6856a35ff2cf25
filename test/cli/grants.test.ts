/** `iam-policy-lint diff` and `iam-policy-lint simulate`, run as the real binary. */
import * as assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { lint, removeTrees, tree } from './support';

after(removeTrees);

function policy(...statements: object[]): string {
  return `${JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2)}\n`;
}

const OLD = policy({ Sid: 'Logs', Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::logs/*' });
const NEW = policy(
  { Sid: 'Logs', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::logs/*' },
  {
    Sid: 'Deploy',
    Effect: 'Allow',
    Action: ['iam:PassRole', 'iam:AttachRolePolicy'],
    Resource: '*',
    Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
  },
);

describe('iam-policy-lint diff', () => {
  it('says what NEW adds and removes, permissions management first, and exits 1 on new access', () => {
    const root = tree({ 'old.json': OLD, 'new.json': NEW });
    const run = lint(['diff', 'old.json', 'new.json'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(
      run.stdout,
      [
        'new.json grants access old.json does not.',
        'Adds 2 actions (1 Permissions management, 1 Write); removes 1 action (1 Write).',
        '',
        'Adds',
        '  Permissions management',
        '    iam:AttachRolePolicy on * when StringEquals iam:PassedToService ec2.amazonaws.com',
        '  Write',
        '    iam:PassRole on * when StringEquals iam:PassedToService ec2.amazonaws.com',
        '',
        'Removes',
        '  Write',
        '    s3:DeleteObject on arn:aws:s3:::logs/*',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when NEW grants nothing more, even when it grants less', () => {
    const root = tree({ 'old.json': OLD, 'new.json': policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/2026/*' }) });
    const run = lint(['diff', 'old.json', 'new.json'], { cwd: root });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^new\.json grants nothing old\.json does not\.\nRemoves 2 actions \(1 Write, 1 Read\)\./);
  });

  it('--allow-new accepts expected additions, by action and optionally resource', () => {
    const root = tree({ 'old.json': OLD, 'new.json': NEW });
    const accepted = lint(['diff', '--allow-new', 'iam:PassRole', '--allow-new', 'iam:Attach*=*', 'old.json', 'new.json'], { cwd: root });
    assert.equal(accepted.code, 0, accepted.stdout);
    assert.match(accepted.stdout, /^new\.json grants nothing new beyond what --allow-new accepts\./);
    assert.match(accepted.stdout, /\nAdds, accepted by --allow-new\n/);
    const narrower = lint(['diff', '--allow-new', 'iam:*=arn:aws:iam::111122223333:role/app-*', 'old.json', 'new.json'], { cwd: root });
    assert.equal(narrower.code, 1, 'a resource pattern narrower than the grant does not accept it');
  });

  it('--format json and markdown', () => {
    const root = tree({ 'old.json': OLD, 'new.json': NEW });
    const json = lint(['diff', '--format', 'json', 'old.json', 'new.json'], { cwd: root });
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as {
      newAccess: boolean;
      added: Array<{ action: string; accessLevel: string; resources: string[]; conditions: string[] }>;
      removed: Array<{ action: string }>;
    };
    assert.equal(report.newAccess, true);
    assert.deepEqual(report.added[0], {
      action: 'iam:AttachRolePolicy',
      accessLevel: 'Permissions management',
      resource: '*',
      resources: ['*'],
      conditions: ['StringEquals iam:PassedToService ec2.amazonaws.com'],
    });
    assert.deepEqual(
      report.removed.map((change) => change.action),
      ['s3:DeleteObject'],
    );

    const markdown = lint(['diff', '-f', 'markdown', 'old.json', 'new.json'], { cwd: root });
    assert.equal(markdown.code, 1);
    assert.match(markdown.stdout, /^### What `new\.json` grants compared with `old\.json`\n\n\*\*New access\.\*\* Adds 2 actions/);
    assert.match(
      markdown.stdout,
      /\n\| added \| Permissions management \| `iam:AttachRolePolicy` \| `\*` \| StringEquals iam:PassedToService ec2\.amazonaws\.com \|\n/,
    );
    assert.match(markdown.stdout, /\n\| removed \| Write \| `s3:DeleteObject` \| `arn:aws:s3:::logs\/\*` \| {2}\|\n$/);
  });

  it('reads OLD from standard input', () => {
    const root = tree({ 'new.json': NEW });
    const run = lint(['diff', '-', 'new.json'], { cwd: root, input: OLD });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^new\.json grants access <stdin> does not\./);
  });

  it('exits 2 on usage errors and on files that cannot be read or are not JSON', () => {
    const root = tree({ 'old.json': OLD, 'broken.json': '{"Statement": [' });
    const missing = lint(['diff', 'old.json'], { cwd: root });
    assert.deepEqual(
      [missing.code, missing.stderr],
      [2, 'iam-policy-lint diff: give two policy files, OLD and NEW (got 1).\nRun iam-policy-lint diff --help for usage.\n'],
    );
    assert.equal(lint(['diff', '--allow-new', 'PassRole', 'old.json', 'old.json'], { cwd: root }).code, 2);
    const unreadable = lint(['diff', 'old.json', 'nope.json'], { cwd: root });
    assert.equal(unreadable.code, 2);
    assert.match(unreadable.stderr, /^iam-policy-lint diff: nope\.json cannot be read: no such file or directory \(ENOENT\)\.\n$/);
    const broken = lint(['diff', 'old.json', 'broken.json'], { cwd: root });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json is not valid JSON/);
    assert.match(lint(['diff', '--help']).stdout, /^Usage: iam-policy-lint diff \[options\] OLD NEW/);
  });
});

describe('iam-policy-lint simulate', () => {
  const POLICY = policy(
    { Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' },
    { Sid: 'OfficeOnly', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
  );

  it('allowed: exit 0, naming the deciding statement and why each applies or not', () => {
    const root = tree({ 'p.iam.json': POLICY });
    const run = lint(
      ['simulate', 'p.iam.json', '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::reports/q1.csv', '--context', 'aws:SourceIp=203.0.113.9'],
      { cwd: root },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'p.iam.json: Allowed: statement 1 (ReadReports) allows s3:GetObject on arn:aws:s3:::reports/q1.csv.',
        '  statement 1 (ReadReports), Allow: applies. It allows s3:GetObject on arn:aws:s3:::reports/q1.csv.',
        '  statement 2 (OfficeOnly), Deny: does not apply. Its condition NotIpAddress aws:SourceIp "203.0.113.0/24" does not hold for this request.',
        'Note: This policy alone: other policies, permissions boundaries, SCPs, RCPs and session policies are not taken into account.',
        '',
      ].join('\n'),
    );
  });

  it('denied explicitly or implicitly: exit 1; JSON on request', () => {
    const root = tree({ 'p.iam.json': POLICY });
    const outside = lint(['simulate', 'p.iam.json', '-a', 's3:GetObject', '-r', 'arn:aws:s3:::reports/q1.csv', '-c', 'aws:SourceIp=198.51.100.1'], {
      cwd: root,
    });
    assert.equal(outside.code, 1);
    assert.match(outside.stdout, /^p\.iam\.json: Denied explicitly: statement 2 \(OfficeOnly\) denies s3:GetObject/);
    const json = lint(
      ['simulate', 'p.iam.json', '-a', 's3:PutObject', '-r', 'arn:aws:s3:::reports/q1.csv', '-c', 'aws:SourceIp=203.0.113.9', '--format', 'json'],
      { cwd: root },
    );
    assert.equal(json.code, 1);
    const result = JSON.parse(json.stdout) as { file: string; decision: string; deciding: number[] };
    assert.deepEqual([result.file, result.decision, result.deciding], ['p.iam.json', 'implicit-deny', []]);
  });

  it('notes an action the catalog does not know', () => {
    const root = tree({ 'p.iam.json': POLICY });
    const run = lint(['simulate', 'p.iam.json', '-a', 's3:GetObjekt', '-r', '*'], { cwd: root });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /\nNote: s3:GetObjekt is not an action of the service catalog: check its spelling\.\n/);
  });

  it('exits 2 on usage errors', () => {
    const root = tree({ 'p.iam.json': POLICY });
    assert.match(
      lint(['simulate', 'p.iam.json', '-a', 's3:Get*', '-r', '*'], { cwd: root }).stderr,
      /--action must be one action such as s3:GetObject, without wildcards, not "s3:Get\*"\./,
    );
    assert.equal(lint(['simulate', 'p.iam.json', '-a', 's3:GetObject'], { cwd: root }).code, 2);
    assert.match(
      lint(['simulate', 'p.iam.json', '-a', 's3:GetObject', '-r', '*', '-c', 'novalue'], { cwd: root }).stderr,
      /--context "novalue" must be KEY=VALUE/,
    );
    assert.match(lint(['simulate', '--help']).stdout, /^Usage: iam-policy-lint simulate FILE --action ACTION --resource ARN/);
  });
});
