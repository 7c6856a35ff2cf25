/**
 * Every family of findings reaches VS Code through the language client, as
 * vscode.languages.getDiagnostics shows them: characters, size, names, JSON, the file name.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, fileUri, hasCodes, open, waitForDiagnostics } from './helpers';

/** A policy of 600 statements, pretty-printed past IAM's limit; minified it is well under. */
export function largePolicy(): string {
  const statements = Array.from({ length: 600 }, (_, i) => ({
    Sid: `ReadPrefix${i}`,
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:GetObjectVersion'],
    Resource: `arn:aws:s3:::example-reports/prefix-${i}/*`,
  }));
  return `${JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 4)}\n`;
}

async function diagnosticsOf(name: string, ...codes: string[]): Promise<vscode.Diagnostic[]> {
  const editor = await open(name);
  return waitForDiagnostics(editor.document.uri, codes.join(' + '), hasCodes(...codes));
}

function only(diagnostics: vscode.Diagnostic[], code: string): vscode.Diagnostic {
  const found = diagnostics.filter((d) => codeOf(d) === code);
  assert.equal(found.length, 1, `one ${code}`);
  return found[0];
}

function at(diagnostic: vscode.Diagnostic, line: number, character: number, endCharacter: number): void {
  const { start, end } = diagnostic.range;
  assert.deepEqual([start.line, start.character, end.line, end.character], [line, character, line, endCharacter], `range of ${codeOf(diagnostic)}`);
}

suite('Diagnostics of every family', () => {
  test('characters: a curly quote is a disallowed character, named by its code point', async () => {
    // “Allow” is read as a string in the wrong quotes: two character errors, no JSON cascade.
    const diagnostics = await diagnosticsOf('curly-quotes.iam.json', 'disallowed-character', 'disallowed-character');
    const [left, right] = diagnostics.filter((d) => codeOf(d) === 'disallowed-character').sort((a, b) => a.range.start.compareTo(b.range.start));
    at(left, 5, 16, 17);
    at(right, 5, 22, 23);
    assert.match(left.message, /^Disallowed character U\+201C LEFT DOUBLE QUOTATION MARK: /);
    assert.match(right.message, /U\+201D RIGHT DOUBLE QUOTATION MARK/);
    assert.equal(left.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(left.source, 'iam-policy');
  });

  test('size: a document over 131,072 characters is too large, and the message says minifying is enough', async () => {
    const uri = fileUri('generated/too-large.iam.json');
    const text = largePolicy();
    assert.ok(text.length > 131_072);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const [diagnostic] = await waitForDiagnostics(uri, 'document-too-large', hasCodes('document-too-large'));
    assert.equal(editor.document.offsetAt(diagnostic.range.start), 131_072);
    assert.match(diagnostic.message, new RegExp(`is ${text.length.toLocaleString('en-US')} characters, .* over IAM's limit of 131,072`));
    assert.match(diagnostic.message, /minify it/);
  });

  test('size: an empty document', async () => {
    await diagnosticsOf('empty.iam.json', 'empty-document');
  });

  test('names: a Sid with a space, a duplicate Sid, and a user name IAM would reject in an ARN', async () => {
    const diagnostics = await diagnosticsOf('sids.iam.json', 'invalid-sid', 'duplicate-sid', 'invalid-arn-entity-name');
    const invalid = only(diagnostics, 'invalid-sid');
    at(invalid, 4, 14, 22);
    assert.match(invalid.message, /Sid "Allow S3" has U\+0020 SPACE at position 6/);
    const duplicate = only(diagnostics, 'duplicate-sid');
    at(duplicate, 16, 13, 19);
    assert.match(duplicate.message, /statement 3 uses the Sid of statement 2/);
    const related = duplicate.relatedInformation ?? [];
    assert.equal(related.length, 1, 'the first use is related information');
    assert.equal(related[0].location.range.start.line, 10);
    assert.match(only(diagnostics, 'invalid-arn-entity-name').message, /User name "jane doe"/);
  });

  test('JSON: a syntax error', async () => {
    const [diagnostic] = await diagnosticsOf('json-syntax.iam.json', 'json-syntax');
    assert.match(diagnostic.message, /Comma expected/);
    assert.equal(diagnostic.range.start.line, 2, 'at "Statement", where the comma is missing');
  });

  test('JSON: a comment', async () => {
    const [diagnostic] = await diagnosticsOf('json-comment.iam.json', 'json-comment');
    at(diagnostic, 4, 6, 47);
  });

  test('JSON: a trailing comma', async () => {
    const [diagnostic] = await diagnosticsOf('trailing-comma.iam.json', 'json-trailing-comma');
    at(diagnostic, 6, 50, 51);
  });

  test('JSON: a duplicate key, with the first use as related information', async () => {
    const [diagnostic] = await diagnosticsOf('duplicate-key.iam.json', 'json-duplicate-key');
    assert.match(diagnostic.message, /Duplicate key "Effect"/);
    assert.equal(diagnostic.range.start.line, 6);
    assert.equal(diagnostic.relatedInformation?.[0]?.location.range.start.line, 4);
  });

  test('grammar and catalog: the service data ships with the extension and is used', async () => {
    const diagnostics = await diagnosticsOf('catalog.iam.json', 'unknown-action', 'action-case', 'unknown-operator');
    const unknown = only(diagnostics, 'unknown-action');
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(unknown.message, /Amazon S3 has no action "GetObjekt" \(did you mean "s3:GetObject"\?\)/);
    assert.equal(only(diagnostics, 'action-case').severity, vscode.DiagnosticSeverity.Hint);
    assert.equal(only(diagnostics, 'unknown-operator').severity, vscode.DiagnosticSeverity.Error);
  });

  test('file name: "bad name.iam.json" would be rejected as a policy name (information)', async () => {
    const [diagnostic] = await diagnosticsOf('bad name.iam.json', 'invalid-policy-file-name');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostic.message, /file name "bad name"/);
  });
});
