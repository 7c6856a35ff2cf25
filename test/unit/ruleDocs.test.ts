/**
 * The documentation a diagnostic's code leads to in VS Code (client/src/ruleDocsText.ts): which
 * links are the README's sections, the command link that replaces them, and the README's text
 * as the preview shows it. The real editor's side is in test/vscode (suite and UI test).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { documentationText, ruleOfDocumentationLink, showRuleDocumentationLink } from '../../client/src/ruleDocsText';
import { REPO_ROOT } from '../support/paths';

const link = (uri: string): { scheme: string; path: string; fragment: string } => {
  const url = new URL(uri);
  return { scheme: url.protocol.replace(/:$/, ''), path: decodeURIComponent(url.pathname), fragment: url.hash.replace(/^#/, '') };
};

describe("a diagnostic's documentation in VS Code", () => {
  it("takes the server's README links, as packaged (readme.md) or not, and no other link", () => {
    assert.equal(ruleOfDocumentationLink(link('file:///home/u/.vscode/extensions/x/readme.md#json-comment')), 'json-comment');
    assert.equal(ruleOfDocumentationLink(link('file:///work/repo/README.md#resource-star')), 'resource-star');
    assert.equal(ruleOfDocumentationLink(link('file:///work/repo/README.md')), undefined, 'no section');
    assert.equal(ruleOfDocumentationLink(link('https://example.com/README.md#json-comment')), undefined, 'not the packaged file');
    assert.equal(ruleOfDocumentationLink(link('file:///work/repo/NOTES.md#json-comment')), undefined);
    assert.equal(ruleOfDocumentationLink(link('file:///work/repo/README.md#a%22b')), undefined, 'not a code');
  });

  it('links a code to the command, with the code as its argument', () => {
    const uri = new URL(showRuleDocumentationLink('json-trailing-comma'));
    assert.equal(uri.protocol, 'command:');
    assert.equal(uri.pathname, 'iamPolicy.showRuleDocumentation');
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.search.slice(1))), ['json-trailing-comma']);
  });

  it('shows the README without its images (their relative paths lead nowhere there), every rule section kept', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const text = documentationText(readme);
    assert.doesNotMatch(text, /!\[[^\]]*\]\([^)]*\)/);
    assert.match(text, /^\*A curly quote pasted into a policy: .*\*$/m, 'an image becomes its description');
    const headings = (markdown: string): string[] => markdown.split('\n').filter((line) => /^#{1,6} /.test(line));
    assert.deepEqual(headings(text), headings(readme));
    assert.equal(documentationText('a ![inline](x.png) image\n'), 'a ![inline](x.png) image\n', 'only images alone on their line');
  });
});
