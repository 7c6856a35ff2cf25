/**
 * The pure parts of the VS Code commands: what the pick lists offer and accept as typed, the
 * memory of push targets, how failures are shown and logged, which documents are policies.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IamEntity, IamProblem, ManagedPolicySummary } from '../../client/src/aws';
import {
  entityChoices,
  managedPolicySections,
  profileSections,
  typedBoundaryArnChoice,
  typedBoundaryUserChoice,
  typedProfileChoice,
  typedTargetChoice,
} from '../../client/src/commands/choices';
import { actionsForProblem, forNotification, loggableProblem } from '../../client/src/commands/problems';
import { PushMemory } from '../../client/src/commands/pushMemory';
import { inAccount, withIamSession } from '../../client/src/commands/session';
import {
  USE_WORKSPACE_SETTINGS,
  WorkspaceSettingsApprovals,
  approveOwnChoice,
  confirmWorkspaceAwsSettings,
  workspaceAwsSettings,
} from '../../client/src/commands/workspaceSettings';
import { statusView } from '../../client/src/statusView';
import { isPolicyDocument } from '../../client/src/policyDocument';
import { MapStore, ScriptedUi, testEnv } from '../support/scriptedUi';

const user = (name: string, path = '/'): IamEntity => ({ kind: 'user', name, path, arn: `arn:aws:iam::123456789012:user${path}${name}`, id: `AIDA${name}` });

describe('target pick list', () => {
  const listed = entityChoices([user('zoe'), user('Bob', '/engineering/'), user('alice')]);

  it('lists names in order, each with its path', () => {
    assert.deepEqual(
      listed.map((choice) => `${choice.label} ${choice.description}`),
      ['alice /', 'Bob /engineering/', 'zoe /'],
    );
  });

  it('offers nothing more for an empty or listed name', () => {
    assert.equal(typedTargetChoice('user', '', listed), undefined);
    assert.equal(typedTargetChoice('user', 'alice', listed), undefined);
  });

  it('offers a valid unlisted name as a choice of its own', () => {
    const typed = typedTargetChoice('role', 'deploy-role', listed);
    assert.equal(typed?.value, 'deploy-role');
    assert.match(typed?.label ?? '', /Use "deploy-role"/);
  });

  it('explains an invalid name and does not let it be accepted, by the rule of each API', () => {
    const space = typedTargetChoice('user', 'john smith', listed);
    assert.equal(space?.value, undefined);
    assert.match(space?.detail ?? '', /U\+0020 SPACE at position 5/);
    // PutUserPolicy takes a UserName of up to 128, PutGroupPolicy 128, PutRolePolicy 64.
    assert.equal(typedTargetChoice('user', 'u'.repeat(128), listed)?.value, 'u'.repeat(128));
    assert.equal(typedTargetChoice('group', 'g'.repeat(128), listed)?.value, 'g'.repeat(128));
    assert.equal(typedTargetChoice('role', 'r'.repeat(65), listed)?.value, undefined);
    assert.match(typedTargetChoice('role', 'r'.repeat(65), listed)?.detail ?? '', /65 characters long, 1 over/);
    // PutUserPermissionsBoundary: 64.
    assert.equal(typedBoundaryUserChoice('u'.repeat(64), listed)?.value, 'u'.repeat(64));
    assert.equal(typedBoundaryUserChoice('u'.repeat(65), listed)?.value, undefined);
  });
});

describe('permissions boundary pick list', () => {
  const policy = (name: string, scope: 'Local' | 'AWS', path = '/'): ManagedPolicySummary => ({
    name,
    scope,
    path,
    arn: scope === 'AWS' ? `arn:aws:iam::aws:policy${path}${name}` : `arn:aws:iam::123456789012:policy${path}${name}`,
    isAttachable: true,
  });
  const policies = [
    policy('ReadOnlyAccess', 'AWS'),
    policy('AWSSupportServiceRolePolicy', 'AWS', '/aws-service-role/'),
    policy('PowerUserAccess', 'AWS'),
    policy('TeamBoundary', 'Local', '/boundaries/'),
    policy('DeveloperBoundary', 'Local'),
  ];

  it("lists the account's policies first, then AWS's, leaving out service-role policies", () => {
    const sections = managedPolicySections(policies, undefined);
    assert.deepEqual(
      sections.map((section) => [section.heading, section.choices.map((choice) => choice.label)]),
      [
        ['This account', ['DeveloperBoundary', 'TeamBoundary']],
        ['AWS managed', ['PowerUserAccess', 'ReadOnlyAccess']],
      ],
    );
    assert.equal(sections[0].choices[1].description, '/boundaries/');
  });

  it('marks the current boundary and lists it first', () => {
    const sections = managedPolicySections(policies, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    assert.deepEqual(sections[1].choices[0], {
      label: 'ReadOnlyAccess',
      description: 'current boundary',
      value: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      current: true,
    });
  });

  it('offers a typed ARN only when it looks like one, and checks it', () => {
    const listed = managedPolicySections(policies, undefined).flatMap((section) => section.choices);
    assert.equal(typedBoundaryArnChoice('Power', listed), undefined, 'text that is not an ARN only filters');
    assert.equal(typedBoundaryArnChoice('arn:aws:iam::aws:policy/PowerUserAccess', listed), undefined, 'listed already');
    assert.equal(typedBoundaryArnChoice('arn:aws:iam::123456789012:policy/Other', listed)?.value, 'arn:aws:iam::123456789012:policy/Other');
    const wrong = typedBoundaryArnChoice('arn:aws:iam::123456789012:role/Admin', listed);
    assert.equal(wrong?.value, undefined);
    assert.match(wrong?.detail ?? '', /names a role, not a managed policy/);
  });
});

describe('profile pick list', () => {
  const profiles = [
    { name: 'default', files: ['credentials'] as const, kind: 'keys' as const },
    { name: 'dev', files: ['config'] as const, kind: 'sso' as const },
  ];

  it('offers the default chain first, then the profiles, marking the one in effect', () => {
    const sections = profileSections(profiles, 'dev', undefined);
    assert.deepEqual(
      sections.map((section) => section.choices.map((choice) => [choice.value, choice.current === true])),
      [
        [['', false]],
        [
          ['default', false],
          ['dev', true],
        ],
      ],
    );
    assert.match(sections[1].choices[1].description ?? '', /^current · config · IAM Identity Center/);
    assert.match(profileSections(profiles, '', 'ops')[0].choices[0].description ?? '', /current · AWS_PROFILE is "ops"/);
  });

  it('keeps a profile set by hand that the files do not have, so it is visible', () => {
    const sections = profileSections(profiles, 'gone', undefined);
    assert.equal(sections[1].choices[0].value, 'gone');
    assert.match(sections[1].choices[0].description ?? '', /not in the config or credentials file/);
  });

  it('accepts a typed profile name without spaces', () => {
    assert.equal(typedProfileChoice('other', [])?.value, 'other');
    assert.equal(typedProfileChoice('two words', [])?.value, undefined);
    assert.equal(typedProfileChoice('', []), undefined);
  });
});

describe('push memory (per document URI)', () => {
  const a = 'file:///work/a.iam.json';
  const b = 'file:///work/b.iam.json';

  it('remembers the last target per document, and forgets', async () => {
    const memory = new PushMemory(new MapStore());
    assert.equal(memory.get(a), undefined);
    await memory.remember(a, { kind: 'user', name: 'alice', policyName: 'Read', account: '123456789012' });
    await memory.remember(b, { kind: 'role', name: 'app', policyName: 'B' });
    await memory.remember(a, { kind: 'group', name: 'devs', policyName: 'Read' });
    assert.deepEqual(memory.get(a), { kind: 'group', name: 'devs', policyName: 'Read' });
    assert.deepEqual(memory.get(b), { kind: 'role', name: 'app', policyName: 'B' });
    await memory.forget(a);
    assert.equal(memory.get(a), undefined);
  });

  it('keeps the newest entries up to its limit', async () => {
    const memory = new PushMemory(new MapStore(), 3);
    for (let index = 1; index <= 5; index++) await memory.remember(`file:///w/${index}.json`, { kind: 'user', name: `u${index}`, policyName: 'P' });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((index) => memory.get(`file:///w/${index}.json`)?.name),
      [undefined, undefined, 'u3', 'u4', 'u5'],
    );
  });

  it('ignores what it cannot read (state written by another version, or by hand)', async () => {
    const store = new MapStore();
    store.values.set(
      PushMemory.KEY,
      JSON.stringify([[a, { kind: 'computer', name: 'x', policyName: 'P' }], [b, { kind: 'user', name: '', policyName: 'P' }], 'junk']),
    );
    const memory = new PushMemory(store);
    assert.equal(memory.get(a), undefined);
    assert.equal(memory.get(b), undefined);
    store.values.set(PushMemory.KEY, '{"not":"a list"}');
    assert.equal(memory.get(a), undefined);
    await memory.remember(a, { kind: 'user', name: 'alice', policyName: 'P' });
    assert.equal(memory.get(a)?.name, 'alice');
  });

  it('follows a renamed file, and the files of a renamed folder', async () => {
    const memory = new PushMemory(new MapStore());
    await memory.remember('file:///w/p/a.json', { kind: 'user', name: 'one', policyName: 'P' });
    await memory.remember('file:///w/p2/b.json', { kind: 'user', name: 'two', policyName: 'P' });
    await memory.rename('file:///w/p/a.json', 'file:///w/p/renamed.json');
    assert.equal(memory.get('file:///w/p/a.json'), undefined);
    assert.equal(memory.get('file:///w/p/renamed.json')?.name, 'one');
    await memory.rename('file:///w/p', 'file:///w/q');
    assert.equal(memory.get('file:///w/q/renamed.json')?.name, 'one');
    assert.equal(memory.get('file:///w/p2/b.json')?.name, 'two', 'a folder whose name starts the same is not moved');
  });

  it('lets a file renamed onto another take its place', async () => {
    const memory = new PushMemory(new MapStore());
    await memory.remember(a, { kind: 'user', name: 'from-a', policyName: 'P' });
    await memory.remember(b, { kind: 'user', name: 'from-b', policyName: 'P' });
    await memory.rename(a, b);
    assert.equal(memory.get(b)?.name, 'from-a');
    assert.equal(memory.get(a), undefined);
  });

  it('stores names only', async () => {
    const store = new MapStore();
    await new PushMemory(store).remember(a, { kind: 'user', name: 'alice', policyName: 'P', document: '{"Statement":[]}' } as never);
    assert.doesNotMatch(store.values.get(PushMemory.KEY) ?? '', /Statement/);
  });
});

describe('failures shown and logged', () => {
  const problem = (kind: IamProblem['kind'], message: string, extra: Partial<IamProblem> = {}): IamProblem => ({ kind, message, ...extra });

  it('offers the profile and the settings for credential and connection problems, the output always', () => {
    assert.deepEqual(actionsForProblem(problem('credentials-missing', 'x')), ['select-profile', 'open-aws-settings', 'show-output']);
    assert.deepEqual(actionsForProblem(problem('access-denied', 'x')), ['select-profile', 'show-output']);
    assert.deepEqual(actionsForProblem(problem('unreachable', 'x')), ['open-aws-settings', 'show-output']);
    assert.deepEqual(actionsForProblem(problem('credential-process', 'x')), ['select-profile', 'open-aws-settings', 'show-output']);
    assert.deepEqual(actionsForProblem(problem('not-iam-answer', 'x')), ['open-aws-settings', 'show-output']);
    assert.deepEqual(actionsForProblem(problem('no-such-entity', 'x')), ['show-output']);
  });

  it('keeps a message that may quote the policy out of the log once a policy was sent', () => {
    const echo = problem(
      'validation',
      "IAM rejected a parameter of PutUserPolicy: Value '{\"Statement\":[]}' at 'policyDocument' failed to satisfy constraint.",
      {
        code: 'ValidationError',
        requestId: 'req-1',
      },
    );
    const line = loggableProblem(echo, true);
    assert.doesNotMatch(line, /Statement/);
    assert.match(line, /^validation \(ValidationError, request req-1\): the message is not logged/);
    assert.match(loggableProblem(problem('malformed-policy', 'Resource x must be in ARN format'), true), /not logged/);
    assert.match(loggableProblem(echo, false), /Statement/, 'a list or read carried no policy');
  });

  it('logs other failures with their message and the SDK detail', () => {
    assert.equal(
      loggableProblem(
        problem('credentials-missing', 'No AWS credentials found.', {
          code: 'CredentialsProviderError',
          detail: 'Could not load credentials from any providers',
        }),
        true,
      ),
      'credentials-missing (CredentialsProviderError): No AWS credentials found. [Could not load credentials from any providers]',
    );
  });

  it('cuts very long notifications', () => {
    assert.equal(forNotification('short'), 'short');
    const long = forNotification('x'.repeat(5_000));
    assert.equal(long.length, 600);
    assert.ok(long.endsWith('…'));
  });

  it('names the account in a success message', () => {
    assert.equal(
      inAccount('Created the inline policy "P" of the user "u".', '123456789012'),
      'Created the inline policy "P" of the user "u" in account 123456789012.',
    );
    assert.equal(inAccount('Done.', undefined), 'Done.');
  });
});

describe('which documents are policies (status bar, editor title)', () => {
  it('takes every iam-policy document, JSON only with a top-level Statement, nothing else', () => {
    assert.equal(isPolicyDocument('iam-policy', ''), true);
    assert.equal(isPolicyDocument('json', '{"Version": "2012-10-17", "Statement": []}'), true);
    assert.equal(isPolicyDocument('jsonc', '// c\n{"Statement": {}}'), true);
    assert.equal(isPolicyDocument('json', '{"name": "app", "nested": {"Statement": []}}'), false);
    assert.equal(isPolicyDocument('json', '{"Statement": [1,'), true, 'a policy being typed is still one');
    assert.equal(isPolicyDocument('markdown', '{"Statement": []}'), false);
  });
});

describe("AWS settings from the workspace's settings", () => {
  it('are the non-empty endpoint and profile a workspace or folder sets; user values are not', () => {
    assert.equal(workspaceAwsSettings({}, {}), undefined);
    assert.equal(workspaceAwsSettings({ workspaceValue: '' }, { workspaceValue: '  ' }), undefined, 'empty means AWS and the default credentials');
    assert.deepEqual(workspaceAwsSettings({ workspaceValue: 'http://evil.example:8080' }, undefined), { endpoint: 'http://evil.example:8080' });
    assert.deepEqual(workspaceAwsSettings({ workspaceValue: 'http://a', workspaceFolderValue: 'http://b' }, { workspaceValue: 'prod' }), {
      endpoint: 'http://b',
      profile: 'prod',
    });
  });

  it('are asked about once per workspace and value, before anything is sent', async () => {
    const store = new MapStore();
    const approvals = new WorkspaceSettingsApprovals(store);
    const ui = new ScriptedUi().answerConfirms(false, true);
    const values = { endpoint: 'http://deploy:pa55@proxy.example:8080', profile: 'prod' };
    assert.equal(await confirmWorkspaceAwsSettings(ui, approvals, values), false, 'declined');
    assert.equal(await confirmWorkspaceAwsSettings(ui, approvals, values), true, 'asked again, allowed');
    assert.equal(await confirmWorkspaceAwsSettings(ui, approvals, values), true, 'not asked a third time');
    assert.equal(ui.confirms.length, 2);
    assert.equal(
      ui.confirms[0].message,
      `This workspace's settings choose the endpoint http://deploy:***@proxy.example:8080 and the AWS profile "prod" for the IAM Policy commands. Use them?`,
    );
    assert.match(ui.confirms[0].detail ?? '', /That endpoint will receive your AWS access key id, your session token and the policies you push\./);
    assert.equal(ui.confirms[0].button, USE_WORKSPACE_SETTINGS);
    // Another value: asked again.
    const changed = new ScriptedUi().answerConfirms(true);
    assert.equal(await confirmWorkspaceAwsSettings(changed, approvals, { ...values, endpoint: 'http://other.example' }), true);
    assert.equal(changed.confirms.length, 1);
    // What is kept holds no password of the endpoint URL.
    assert.doesNotMatch(store.values.get(WorkspaceSettingsApprovals.KEY) ?? '', /pa55/);
    // Nothing from the workspace: nothing to ask.
    assert.equal(await confirmWorkspaceAwsSettings(new ScriptedUi(), approvals, undefined), true);
  });

  it('a profile the person picked with Select AWS Profile is not asked about; an endpoint from the workspace still is', async () => {
    const approvals = new WorkspaceSettingsApprovals(new MapStore());
    // Only the profile comes from the workspace: the person's own pick is allowed at once.
    await approveOwnChoice(approvals, { profile: 'old' }, { profile: 'picked' });
    assert.equal(approvals.isApproved({ profile: 'picked' }), true);
    // With an endpoint from the workspace that was never allowed: still asked about.
    const endpoint = 'http://proxy.example:8080';
    await approveOwnChoice(approvals, { endpoint, profile: 'old' }, { endpoint, profile: 'picked' });
    assert.equal(approvals.isApproved({ endpoint, profile: 'picked' }), false);
    // Once that endpoint was allowed (with the old profile), picking another profile keeps it allowed.
    await approvals.approve({ endpoint, profile: 'old' });
    await approveOwnChoice(approvals, { endpoint, profile: 'old' }, { endpoint, profile: 'picked' });
    assert.equal(approvals.isApproved({ endpoint, profile: 'picked' }), true);
    const ui = new ScriptedUi();
    assert.equal(await confirmWorkspaceAwsSettings(ui, approvals, { endpoint, profile: 'picked' }), true);
    assert.equal(ui.confirms.length, 0, 'not asked');
  });

  it('declined: the command makes no connection', async () => {
    const env = { ...testEnv({ endpoint: 'http://127.0.0.1:9' }), confirmSettings: async () => false };
    let ran = false;
    const outcome = await withIamSession(env, 'Push p.iam.json', async () => {
      ran = true;
      return { status: 'cancelled' };
    });
    assert.deepEqual(outcome, { status: 'declined' });
    assert.equal(ran, false);
    assert.equal(env.connections, 0);
    assert.deepEqual(env.lines, ['Push p.iam.json: nothing sent, the AWS settings of the workspace were not confirmed']);
  });
});

describe('the AWS status bar item', () => {
  const facts = { region: 'us-east-1', endpoint: 'http://deploy:pa55@127.0.0.1:5000', profile: 'dev' };
  it('shows profile, account and host; the endpoint without its password', () => {
    const view = statusView({
      facts,
      state: { status: 'known', identity: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/a', userId: 'A' } },
      restricted: false,
      workspaceConfirmed: false,
    });
    assert.equal(view.text, '$(cloud) dev · 123456789012 · 127.0.0.1:5000');
    assert.ok(view.tooltip.includes('Endpoint: `http://deploy:***@127.0.0.1:5000` (not AWS)'), view.tooltip.join('\n'));
    assert.ok(view.tooltip.every((line) => !line.includes('pa55')));
    assert.equal(view.warning, false);
  });

  it('says when the endpoint or profile comes from the workspace, and warns until it is allowed', () => {
    const fromWorkspace = { endpoint: facts.endpoint };
    const waiting = statusView({ facts, restricted: false, fromWorkspace, workspaceConfirmed: false });
    assert.equal(waiting.text, '$(warning) dev · 127.0.0.1:5000 (workspace)');
    assert.equal(waiting.warning, true);
    assert.ok(
      waiting.tooltip.some(
        (line) =>
          line ===
          "$(warning) The endpoint http://deploy:***@127.0.0.1:5000 comes from this workspace's settings, not yours. Nothing is sent until you allow them: the first command asks.",
      ),
      waiting.tooltip.join('\n'),
    );
    const allowed = statusView({ facts, restricted: false, fromWorkspace: { ...fromWorkspace, profile: 'dev' }, workspaceConfirmed: true });
    assert.equal(allowed.text, '$(cloud) dev · 127.0.0.1:5000 (workspace)');
    assert.ok(
      allowed.tooltip.some((line) =>
        line.startsWith(`The endpoint http://deploy:***@127.0.0.1:5000 and the AWS profile "dev" come from this workspace's settings, not yours (allowed).`),
      ),
    );
  });

  it('in Restricted Mode says the push commands are off, and a click manages trust', () => {
    const view = statusView({ facts, restricted: true, workspaceConfirmed: false });
    assert.equal(view.text, '$(workspace-untrusted) AWS: Restricted Mode');
    assert.equal(view.command, 'workbench.trust.manage');
  });
});
