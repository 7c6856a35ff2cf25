/**
 * iam-policy-lint on CloudFormation templates: named on the command line or found in a walk,
 * YAML and JSON, with lines, columns and SARIF regions in the template; YAML that is not a
 * template is skipped in a walk and reported when named; --fix writes into the template.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { FIXTURES } from '../support/paths';
import { lint, removeTrees, tree } from './support';

after(removeTrees);

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::reports\u2019/*
`;

interface SarifResult {
  ruleId: string;
  level: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }>;
}

describe('iam-policy-lint on CloudFormation templates', () => {
  it("reports a template's findings at their line and column in the template", () => {
    const root = tree({ 'stack.yaml': TEMPLATE });
    const run = lint(['stack.yaml'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(
      run.stdout
        .trim()
        .split('\n')
        .slice(0, 2)
        .map((line) => line.split(' ').slice(0, 3).join(' ')),
      ['stack.yaml:6:17 error invalid-resource-name', 'stack.yaml:20:47 error disallowed-character'],
    );
  });

  it('gives SARIF regions in the template, YAML and JSON', () => {
    const root = tree({
      'stack.yaml': TEMPLATE,
      'stack.json': fs.readFileSync(path.join(FIXTURES, 'templates', 'app.template.json'), 'utf8'),
    });
    const run = lint(['--format', 'sarif', 'stack.yaml', 'stack.json'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    const results = (JSON.parse(run.stdout) as { runs: Array<{ results: SarifResult[] }> }).runs[0].results;
    assert.deepEqual(
      results.map((result) => [
        result.ruleId,
        result.level,
        result.locations[0].physicalLocation.artifactLocation.uri,
        result.locations[0].physicalLocation.region,
      ]),
      [
        ['invalid-resource-name', 'error', 'stack.yaml', { startLine: 6, startColumn: 17, endLine: 6, endColumn: 25 }],
        ['disallowed-character', 'error', 'stack.yaml', { startLine: 20, startColumn: 47, endLine: 20, endColumn: 48 }],
        // The KMS key policy's Sid with spaces (KMS's own default Sid): Information, a SARIF note.
        ['sid-characters', 'note', 'stack.json', { startLine: 232, startColumn: 23, endLine: 232, endColumn: 50 }],
      ],
    );
  });

  it('finds templates in a walk and skips YAML and JSON that are not', () => {
    const root = tree({
      'infra/stack.yml': TEMPLATE,
      'infra/app.template': TEMPLATE,
      '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \u201cok\u201d\n',
      'config/settings.json': '{"Resources": "AWS::\u2019"}',
      'docker-compose.yaml': 'services:\n  web:\n    image: nginx\n',
    });
    const run = lint(['.'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    const files = [
      ...new Set(
        run.stdout
          .trim()
          .split('\n')
          .filter((line) => line.includes(':'))
          .map((line) => line.split(':')[0]),
      ),
    ];
    assert.deepEqual(files.filter((file) => !file.includes(' ')).sort(), ['infra/app.template', 'infra/stack.yml']);
    assert.match(run.stdout, /in 2 of 2 policy files/);
  });

  it('says a YAML file named on the command line is not a template, and lints the others', () => {
    const root = tree({ 'values.yaml': 'replicas: 3\n', 'stack.yaml': TEMPLATE });
    const run = lint(['values.yaml', 'stack.yaml'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /values\.yaml: is not a CloudFormation template/);
    assert.match(run.stdout, /stack\.yaml:6:17 error invalid-resource-name/);
  });

  it("--fix mends a template in place, in the scalar's own quoting, and lints the result", () => {
    const root = tree({ 'stack.yaml': TEMPLATE });
    const run = lint(['--fix', 'stack.yaml'], { cwd: root });
    const fixed = fs.readFileSync(path.join(root, 'stack.yaml'), 'utf8');
    assert.equal(fixed, TEMPLATE.replace('reports\u2019', "reports'"));
    assert.equal(run.code, 1, 'the role name is left for the user');
    assert.doesNotMatch(run.stdout, /error disallowed-character/);
  });
});
