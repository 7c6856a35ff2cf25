/** The documents the benchmark measures, built from the managed-policy fixtures. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { POLICY_DOCUMENT_MAX_LENGTH } from 'iam-policy-engine/limits';
import { FIXTURES } from '../support/paths';

const MANAGED = path.join(FIXTURES, 'corpus', 'managed');

/** The managed policies' statements, in file order, without their Sids. */
function managedStatements(): unknown[] {
  const statements: unknown[] = [];
  for (const name of fs.readdirSync(MANAGED).sort()) {
    const document = JSON.parse(fs.readFileSync(path.join(MANAGED, name), 'utf8'));
    for (const statement of Array.isArray(document.Statement) ? document.Statement : [document.Statement]) {
      delete statement.Sid;
      statements.push(statement);
    }
  }
  return statements;
}

/**
 * A valid policy of exactly `length` characters made of real managed-policy statements (the
 * first ones that fit), filled up to the length by a last statement's bucket name.
 */
export function policyOfLength(length: number): string {
  const statements = managedStatements();
  const render = (count: number, filler: string) =>
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [...statements.slice(0, count), { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bench/${filler}` }],
      },
      null,
      4,
    );
  let count = 0;
  while (render(count + 1, '').length <= length) count++;
  const room = length - render(count, '').length;
  const text = render(count, 'x'.repeat(room));
  if (text.length !== length) throw new Error(`built ${text.length} characters`);
  return text;
}

/** A valid policy of exactly 131,072 characters, IAM's limit. */
export function largestPolicy(): string {
  return policyOfLength(POLICY_DOCUMENT_MAX_LENGTH);
}

/** The same policy with 1,000 letters inside string values replaced by disallowed characters. */
export function withDisallowed(text: string): string {
  const letters: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"' && text[i - 1] !== '\\') inString = !inString;
    else if (inString && /[a-z]/.test(text[i])) letters.push(i);
  }
  const chars = text.split('');
  const replacements = ['\u2019', '\u2013', '\u200b', '\u2003', '\u201c'];
  for (let n = 0; n < 1000; n++) chars[letters[Math.floor((n * letters.length) / 1000)]] = replacements[n % replacements.length];
  return chars.join('');
}
