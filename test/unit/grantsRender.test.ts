/**
 * The HTML of the policy summary and of the grant changes (client/src/grants/render.ts): what
 * the webviews show, escaped, with sensitive access marked and statement links.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Catalog } from 'iam-policy-engine/catalog';
import { policyGrantsFully } from 'iam-policy-engine/grants';
import { diffGrants } from 'iam-policy-engine/grantsDiff';
import { summarize } from 'iam-policy-engine/summary';
import type { SummaryResult } from 'iam-policy-engine/protocol';
import { escapeHtml, renderChanges, renderSummary, webviewPage } from '../../client/src/grants/render';
import { parseContext, checkActionInput, checkResourceInput } from '../../client/src/grants/inputs';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::<reports>/*' },
    { Sid: 'Admin', Effect: 'Allow', Action: ['iam:AttachRolePolicy', 'iam:PassRole'], Resource: '*' },
    { Sid: 'NoAttach', Effect: 'Deny', Action: 'iam:AttachRolePolicy', Resource: '*' },
  ],
});

async function summary(options: Parameters<typeof summarize>[1] = {}): Promise<SummaryResult> {
  return { ...summarize(await policyGrantsFully(POLICY, catalog), options), uri: 'file:///p.iam.json', version: 3 };
}

describe("the summary's HTML", () => {
  it('has the totals, a row per service with links to its statements, and escapes what the policy holds', async () => {
    const html = renderSummary(await summary(), { expanded: new Set() });
    assert.match(
      html,
      /<div class="totals">Allows 2 actions in 2 services <span class="badge level-write">1 Write<\/span> <span class="badge level-read">1 Read<\/span> <span class="denial denial-all">1 action denied<\/span><\/div>/,
    );
    assert.match(html, /<details class="service" data-service="iam"><summary><span class="service-name">AWS Identity and Access Management \(IAM\)<\/span>/);
    assert.match(html, /data-statement="1" title="Allows 2 actions in 1 service: 1 Write, 1 Permissions management">#2 Admin<\/a>/);
    assert.ok(html.includes('on arn:aws:s3:::&#60;reports&#62;/*'), 'the resource is escaped');
    assert.ok(!html.includes('<reports>'));
    assert.ok(!html.includes('class="action'), 'no action rows until a service is opened');
  });

  it('an opened service lists its actions by level, marks a denied one, and links the Deny', async () => {
    const html = renderSummary(await summary({ expand: ['iam'] }), { expanded: new Set(['iam']) });
    assert.match(html, /<span class="badge level-pm">Permissions management<\/span>/);
    assert.match(
      html,
      /<li class="action removed" title="[^"]*"><span class="action-name">iam:AttachRolePolicy<\/span> <span class="muted">allowed by<\/span> <a [^>]*data-statement="1"[^>]*>#2 Admin<\/a> <span class="denial denial-all">denied by <a [^>]*data-statement="2"[^>]*>#3 NoAttach<\/a><\/span><\/li>/,
    );
  });

  it('brings the focused statement into view, and a search says what it found', async () => {
    const focused = renderSummary(await summary(), { expanded: new Set(), focus: 1 });
    assert.match(focused, /<details class="statements" data-service="#statements" open>/);
    assert.match(focused, /<li id="statement-1" class="statement effect-allow focus">/);
    const searched = renderSummary(await summary({ filter: 'passrole' }), { expanded: new Set() });
    assert.match(searched, /1 action matches “passrole”\./);
    assert.equal((searched.match(/<details class="service"/g) ?? []).length, 1);
  });

  it('the grant changes, additions first (the Deny of AttachRolePolicy leaves only PassRole new)', async () => {
    const before = await policyGrantsFully(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
      catalog,
    );
    const html = renderChanges(diffGrants(before, await policyGrantsFully(POLICY, catalog)), "IAM's Read.iam.json", 'read.iam.json');
    assert.match(html, /^<header><div class="totals">Adds 1 action \(1 Write\); removes 1 action \(1 Read\)\.<\/div>/);
    assert.match(
      html,
      /<h3 class="added">Adds<\/h3><ul class="changes"><li><span class="badge level-write">Write<\/span> <span class="action-name">iam:PassRole<\/span> on <code>\*<\/code><\/li>/,
    );
  });

  it('the page allows only its own style and script (a nonce), and nothing from outside', () => {
    const page = webviewPage({ nonce: 'abc123', cspSource: 'vscode-webview://x', title: 'T<', body: '<b>x</b>', search: true, script: 'void 0;' });
    assert.match(page, /content="default-src 'none'; style-src 'nonce-abc123'; script-src 'nonce-abc123'; img-src vscode-webview:\/\/x;"/);
    assert.match(page, /<title>T&#60;<\/title>/);
    assert.match(page, /<input class="search" id="search" type="search"/);
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});

describe('Simulate a Request…: what the input boxes accept', () => {
  it('one action without wildcards; an ARN or *; context as key=value, a key twice for two values', () => {
    assert.equal(checkActionInput('s3:GetObject'), undefined);
    assert.equal(checkActionInput('s3:Get*'), 'One action, without wildcards: s3:GetObject.');
    assert.equal(checkActionInput('GetObject'), 'An action is service:Name, as in s3:GetObject.');
    assert.equal(checkResourceInput('*'), undefined);
    assert.equal(checkResourceInput('arn:aws:s3:::b/k'), undefined);
    assert.notEqual(checkResourceInput('b/k'), undefined);
    assert.deepEqual(parseContext(' aws:SourceIp=203.0.113.7  aws:TagKeys=a aws:TagKeys=b '), { 'aws:SourceIp': ['203.0.113.7'], 'aws:TagKeys': ['a', 'b'] });
    assert.deepEqual(parseContext(''), {});
    assert.equal(parseContext('aws:SourceIp'), undefined);
  });
});
