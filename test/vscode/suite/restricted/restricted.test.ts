/**
 * In Restricted Mode (a workspace not trusted): the extension runs and checks policies, the
 * commands that talk to AWS refuse without a request, and VS Code ignores the workspace's AWS
 * settings because the manifest lists them as restricted. The workspace's
 * .vscode/settings.json points the endpoint at a closed port and names a profile; in a
 * trusted workspace those would apply.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXPECTED_COMMANDS, EXTENSION_ID, hasCodes, open, waitForDiagnostics, workspaceFolder } from '../helpers';

export const WORKSPACE_ENDPOINT = 'http://127.0.0.1:9/from-the-workspace';

suite('Restricted Mode', () => {
  test('the workspace is not trusted, and the extension is active in it', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await open('read-reports.iam.json');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('policies are checked as in a trusted workspace', async () => {
    const editor = await open('curly-quotes.iam.json');
    const diagnostics = await waitForDiagnostics(
      editor.document.uri,
      'the two curly quotes reported',
      hasCodes('disallowed-character', 'disallowed-character'),
    );
    assert.match(diagnostics[0].message, /^Disallowed character U\+201[CD] /);
  });

  test("VS Code ignores the workspace's AWS settings: the user's (the defaults) apply", async () => {
    const file = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), '.vscode', 'settings.json'));
    assert.equal(
      (JSON.parse(Buffer.from(file).toString('utf8')) as Record<string, string>)['iamPolicy.aws.endpoint'],
      WORKSPACE_ENDPOINT,
      'the workspace does set it',
    );
    const aws = vscode.workspace.getConfiguration('iamPolicy.aws');
    assert.equal(aws.inspect<string>('endpoint')?.workspaceValue, undefined, 'a restricted setting: VS Code does not even show the value');
    assert.equal(aws.get('endpoint'), '');
    assert.equal(aws.get('profile'), '');
    assert.equal(aws.get('region'), 'us-east-1');
  });

  test('every AWS command refuses, saying why, and sends nothing', async () => {
    const editor = await open('read-reports.iam.json');
    for (const id of EXPECTED_COMMANDS) {
      const outcome = await vscode.commands.executeCommand<{ status: string; message?: string }>(id, editor.document.uri);
      assert.equal(outcome?.status, 'restricted', id);
      assert.match(outcome?.message ?? '', /off in Restricted Mode/, id);
    }
  });

  test('what a policy grants needs no AWS: the summary and the simulator work', async () => {
    const editor = await open('read-reports.iam.json');
    const summary = await vscode.commands.executeCommand<{ totals: { actions: number } }>('iamPolicy.showPolicySummary', editor.document.uri);
    assert.equal(summary?.totals.actions, 2);
    const result = await vscode.commands.executeCommand<{ decision: string }>('iamPolicy.simulate', {
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::example-reports',
    });
    assert.equal(result?.decision, 'allowed');
  });
});
