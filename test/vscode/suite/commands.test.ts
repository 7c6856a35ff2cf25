/**
 * The push commands as VS Code sees them: contributed under one category, in the menus of
 * policy documents, with their settings; and, where no AWS is needed, what they answer
 * (the UI test pushes to moto for real).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXPECTED_COMMANDS, EXTENSION_ID, OFFLINE_COMMANDS, open } from './helpers';

interface MenuEntry {
  command?: string;
  submenu?: string;
  when?: string;
  group?: string;
}

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    submenus: Array<{ id: string; label: string }>;
    menus: Record<string, MenuEntry[]>;
  };
}

const POLICY_LANGUAGES = ['iam-policy', 'json', 'jsonc'];
const PUSH_COMMANDS = ['iamPolicy.push', 'iamPolicy.pushToUser', 'iamPolicy.pushToGroup', 'iamPolicy.pushToRole', 'iamPolicy.pushAgain'];

function manifest(): Manifest {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.packageJSON as Manifest;
}

/**
 * The languages a when clause of the form `isWorkspaceTrusted && (editorLangId == a || editorLangId == b)`
 * admits; fails on any other form, so every menu entry of a command that talks to AWS is off in Restricted Mode.
 */
function languagesOf(when: string | undefined): string[] {
  assert.ok(when !== undefined, 'a when clause');
  const gated = /^isWorkspaceTrusted && \((.*)\)$/.exec(when);
  assert.ok(gated, `"${when}" is not off in Restricted Mode (isWorkspaceTrusted && (...))`);
  return gated[1].split('||').map((part) => {
    const match = /^\s*editorLangId == ([\w-]+)\s*$/.exec(part);
    assert.ok(match, `"${part.trim()}" in "${when}" is not an editorLangId test`);
    return match[1];
  });
}

suite('Commands', () => {
  test('the manifest contributes exactly the registered commands, under the "IAM Policy" category', () => {
    const commands = manifest().contributes.commands;
    assert.deepEqual(commands.map((command) => command.command).sort(), [...EXPECTED_COMMANDS, ...OFFLINE_COMMANDS].sort());
    assert.deepEqual([...new Set(commands.map((command) => command.category))], ['IAM Policy']);
    assert.deepEqual(Object.fromEntries(commands.map((command) => [command.command, command.title])), {
      'iamPolicy.pushToUser': 'Push Policy to IAM User…',
      'iamPolicy.pushToGroup': 'Push Policy to IAM Group…',
      'iamPolicy.pushToRole': 'Push Policy to IAM Role…',
      'iamPolicy.push': 'Push Policy to IAM…',
      'iamPolicy.pushAgain': 'Push Policy Again',
      'iamPolicy.setUserPermissionsBoundary': 'Set Permissions Boundary of IAM User…',
      'iamPolicy.selectProfile': 'Select AWS Profile…',
      'iamPolicy.showPolicySummary': 'Show Policy Summary',
      'iamPolicy.simulate': 'Simulate a Request…',
      'iamPolicy.diffAnswerYes': 'Replace',
      'iamPolicy.diffAnswerNo': 'Cancel',
      'iamPolicy.explorer.refresh': 'Refresh',
      'iamPolicy.explorer.filter': 'Filter by Name…',
      'iamPolicy.explorer.clearFilter': 'Clear Filter',
      'iamPolicy.openPolicy': 'Open Policy',
      'iamPolicy.saveToFile': 'Save Policy to File…',
      'iamPolicy.deleteInlinePolicy': 'Delete Inline Policy…',
      'iamPolicy.detachPolicy': 'Detach Managed Policy…',
      'iamPolicy.attachPolicy': 'Attach Managed Policy…',
      'iamPolicy.createManagedPolicy': 'Create Managed Policy from Document…',
      'iamPolicy.pushPolicyVersion': 'Push Policy as New Version of Managed Policy…',
      'iamPolicy.updateTrustPolicy': 'Update Trust Policy of IAM Role…',
      'iamPolicy.setRolePermissionsBoundary': 'Set Permissions Boundary of IAM Role…',
      'iamPolicy.removePermissionsBoundary': 'Remove Permissions Boundary…',
    });
  });

  test("the answers to the question before replacing are in the diff's title bar, and in the palette, only while it waits", () => {
    const { menus } = manifest().contributes;
    for (const [id, group] of [
      ['iamPolicy.diffAnswerYes', 'navigation@1'],
      ['iamPolicy.diffAnswerNo', 'navigation@2'],
    ]) {
      // VS Code may reorder a when clause's terms, and quotes the scheme, when it reads the manifest back.
      const terms = (when: string | undefined): string[] =>
        (when ?? '')
          .split('&&')
          .map((term) => term.trim().replace(/'/g, ''))
          .sort();
      const title = menus['editor/title'].find((entry) => entry.command === id);
      assert.deepEqual(terms(title?.when), ['iamPolicy.diffQuestionPending', 'isWorkspaceTrusted', 'resourceScheme == iam-policy-view'], id);
      assert.equal(title?.group, group);
      assert.deepEqual(terms(menus.commandPalette.find((entry) => entry.command === id)?.when), ['iamPolicy.diffQuestionPending', 'isWorkspaceTrusted'], id);
    }
  });

  test('the push commands are in the editor title and context menus of iam-policy, json and jsonc documents, and in the palette of YAML', () => {
    const { menus, submenus } = manifest().contributes;
    for (const id of PUSH_COMMANDS) {
      const title = menus['editor/title'].find((entry) => entry.command === id && entry.group?.startsWith('9_iamPolicy'));
      assert.ok(title, `${id} is not in the editor title menu`);
      assert.deepEqual(languagesOf(title.when), POLICY_LANGUAGES, `${id} in the editor title`);
      const palette = menus.commandPalette.find((entry) => entry.command === id);
      // And in the palette for YAML too: a policy of a CloudFormation template can be pushed.
      assert.deepEqual(languagesOf(palette?.when), [...POLICY_LANGUAGES, 'yaml'], `${id} in the command palette`);
    }
    // The button: a policy document (the client decides, as the server does, by language and Statement key).
    const button = menus['editor/title'].find((entry) => entry.group?.startsWith('navigation') && entry.command?.startsWith('iamPolicy.push'));
    assert.equal(button?.command, 'iamPolicy.push');
    // VS Code may reorder the terms of a when clause it reads back: compare them as a set.
    const terms = (button?.when ?? '').split('&&').map((term) => term.trim());
    assert.ok(terms.includes('isWorkspaceTrusted') && terms.includes('iamPolicy.isPolicyDocument'), button?.when);

    const context = menus['editor/context'].find((entry) => entry.submenu !== undefined);
    assert.ok(context?.submenu, 'a submenu in the editor context menu');
    assert.deepEqual(languagesOf(context.when), POLICY_LANGUAGES);
    assert.equal(submenus.find((submenu) => submenu.id === context.submenu)?.label, 'IAM Policy');
    assert.deepEqual(
      menus[context.submenu].map((entry) => entry.command),
      [
        ...PUSH_COMMANDS,
        'iamPolicy.setUserPermissionsBoundary',
        'iamPolicy.selectProfile',
        'iamPolicy.createManagedPolicy',
        'iamPolicy.pushPolicyVersion',
        'iamPolicy.updateTrustPolicy',
        'iamPolicy.saveToFile',
        ...OFFLINE_COMMANDS,
      ],
    );
  });

  test('the IAM view: its own container, its title actions, what its items offer, and the commands that need an item hidden from the palette', () => {
    const contributes = manifest().contributes as Manifest['contributes'] & {
      viewsContainers: { activitybar: Array<{ id: string; title: string; icon: string }> };
      views: Record<string, Array<{ id: string; name: string; when?: string }>>;
    };
    const container = contributes.viewsContainers.activitybar.find((entry) => entry.id === 'iamPolicy');
    assert.equal(container?.title, 'IAM');
    assert.deepEqual(
      contributes.views.iamPolicy.map((view) => view.id),
      ['iamPolicy.explorer'],
    );
    const { menus } = contributes;
    assert.deepEqual(
      menus['view/title'].map((entry) => entry.command),
      ['iamPolicy.explorer.filter', 'iamPolicy.explorer.clearFilter', 'iamPolicy.explorer.refresh'],
    );
    // Compared as sets of terms: VS Code reorders a when clause when it reads the manifest back.
    const terms = (when: string | undefined): string[] => (when ?? '').split('&&').map((term) => term.trim());
    assert.deepEqual(
      contributes.views.iamPolicy.map((view) => terms(view.when)),
      [['isWorkspaceTrusted']],
      'the view is hidden in Restricted Mode',
    );
    for (const entry of [...menus['view/title'], ...menus['view/item/context']]) {
      const clause = terms(entry.when);
      assert.ok(clause.includes('isWorkspaceTrusted') && clause.includes('view == iamPolicy.explorer'), `${entry.command}: "${entry.when}"`);
    }
    const itemCommands = new Set(menus['view/item/context'].map((entry) => entry.command));
    for (const id of [
      'iamPolicy.openPolicy',
      'iamPolicy.deleteInlinePolicy',
      'iamPolicy.detachPolicy',
      'iamPolicy.attachPolicy',
      'iamPolicy.pushPolicyVersion',
      'iamPolicy.setRolePermissionsBoundary',
      'iamPolicy.removePermissionsBoundary',
    ]) {
      assert.ok(itemCommands.has(id), `${id} is not offered on the view's items`);
    }
    for (const id of ['iamPolicy.openPolicy', 'iamPolicy.deleteInlinePolicy', 'iamPolicy.detachPolicy']) {
      // Off in Restricted Mode like every command (the check below), and never in the palette.
      assert.deepEqual(
        terms(menus.commandPalette.find((entry) => entry.command === id)?.when).sort(),
        ['false', 'isWorkspaceTrusted'],
        `${id} needs an item of the view`,
      );
    }
  });

  test('the commands are off in Restricted Mode, the checks are not: limited support, the AWS settings restricted', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as Manifest & {
      capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } };
    };
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.deepEqual(untrusted?.restrictedConfigurations, ['iamPolicy.aws.profile', 'iamPolicy.aws.region', 'iamPolicy.aws.endpoint']);
    const palette = manifest.contributes.menus.commandPalette;
    for (const id of EXPECTED_COMMANDS) {
      assert.match(palette.find((entry) => entry.command === id)?.when ?? '', /^isWorkspaceTrusted\b/, `${id} in the command palette`);
    }
    assert.equal(vscode.workspace.isTrusted, true, 'this suite runs in a trusted workspace (test/vscode/restricted.test.ts runs one that is not)');
  });

  test('the AWS settings have their defaults: the default credentials, us-east-1, AWS itself', () => {
    const aws = vscode.workspace.getConfiguration('iamPolicy.aws');
    assert.equal(aws.get('profile'), '');
    assert.equal(aws.get('region'), 'us-east-1');
    assert.equal(aws.get('endpoint'), '');
  });

  test('Push Policy Again on a document never pushed says so, without asking AWS', async () => {
    const editor = await open('read-reports.iam.json');
    const outcome = await vscode.commands.executeCommand<{ status: string }>('iamPolicy.pushAgain', editor.document.uri);
    assert.deepEqual(outcome, { status: 'not-remembered' });
  });

  test('a document IAM would reject is not sent, and nothing is asked', async () => {
    await open('trailing-comma.iam.json');
    const outcome = await vscode.commands.executeCommand<{ status: string; message: string }>('iamPolicy.pushToUser');
    assert.equal(outcome.status, 'blocked');
    assert.match(outcome.message, /^Not sent: the document has a problem IAM would reject\. Line \d+, column \d+: /);
  });
});
