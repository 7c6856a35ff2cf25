import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CONFIG_FILE_NAME, ConfigCache, parseConfig, readConfigFile } from '../../server/src/config';

/** The file that applies in a directory, found afresh. */
const findConfigFile = (directory: string): string | undefined => new ConfigCache().forDirectory(directory).file;

const roots: string[] = [];
after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-config-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe('parseConfig', () => {
  it('reads rules and maxNumberOfProblems', () => {
    const { config, errors } = parseConfig(
      '{"rules": {"json-trailing-comma": "warning", "invalid-policy-file-name": "off"}, "maxNumberOfProblems": 5}',
      'x.json',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(config, { rules: { 'json-trailing-comma': 'warning', 'invalid-policy-file-name': 'off' }, maxNumberOfProblems: 5 });
  });
  it('accepts an empty object, a $schema key and a byte order mark', () => {
    assert.deepEqual(parseConfig('{}', 'x').errors, []);
    assert.deepEqual(parseConfig('\ufeff{"$schema": "./schema.json"}', 'x').errors, []);
  });
  it('names an unknown rule code and suggests the nearest', () => {
    const { config, errors } = parseConfig('{"rules": {"json-coment": "off", "json-comment": "warning"}}', '/r/.iam-policy.json');
    assert.deepEqual(errors, ['/r/.iam-policy.json: rules: unknown rule code "json-coment" (did you mean "json-comment"?).']);
    assert.deepEqual(config.rules, { 'json-comment': 'warning' });
  });
  it('rejects severities other than off, error, warning and info', () => {
    const { errors } = parseConfig('{"rules": {"json-comment": "warn", "json-syntax": 2, "empty-document": "hint"}}', 'c');
    assert.equal(errors.length, 3);
    assert.match(errors[0], /^c: rules\.json-comment: "warn" is not a severity \(did you mean "warning"\?\); use "off", "error", "warning" or "info"\.$/);
    assert.match(errors[1], /rules\.json-syntax: 2 is not a severity/);
    assert.match(errors[2], /rules\.empty-document: "hint" is not a severity/);
  });
  it('rejects unknown keys, bad shapes and bad numbers', () => {
    assert.match(
      parseConfig('{"rulez": {}}', 'c').errors[0],
      /unknown key "rulez" \(did you mean "rules"\?\); the keys are "rules", "maxNumberOfProblems", "kinds", "overrides" and "neverGrant"\./,
    );
    assert.match(parseConfig('{"rules": []}', 'c').errors[0], /"rules" must be an object/);
    assert.match(parseConfig('[]', 'c').errors[0], /must hold a JSON object/);
    assert.match(parseConfig('{"rules": {},}', 'c').errors[0], /^c: not valid JSON \(/);
    for (const bad of ['0', '1.5', '"10"', 'null']) {
      assert.match(parseConfig(`{"maxNumberOfProblems": ${bad}}`, 'c').errors[0], /"maxNumberOfProblems" must be a whole number of at least 1/);
    }
  });
});

describe('finding the configuration file', () => {
  it('takes the nearest file walking up, and none above the root', () => {
    const root = tree({
      [CONFIG_FILE_NAME]: '{"rules": {"json-comment": "warning"}}',
      [`team/${CONFIG_FILE_NAME}`]: '{"rules": {"json-comment": "off"}}',
      'team/deep/er/p.iam.json': '{}',
      'other/p.iam.json': '{}',
    });
    assert.equal(findConfigFile(path.join(root, 'team', 'deep', 'er')), path.join(root, 'team', CONFIG_FILE_NAME));
    assert.equal(findConfigFile(path.join(root, 'other')), path.join(root, CONFIG_FILE_NAME));
    const cache = new ConfigCache();
    assert.deepEqual(cache.forFile(path.join(root, 'team/deep/er/p.iam.json')).config.rules, { 'json-comment': 'off' });
    assert.deepEqual(cache.forFile(path.join(root, 'other/p.iam.json')).config.rules, { 'json-comment': 'warning' });
    assert.equal(cache.forDirectory(root).file, path.join(root, CONFIG_FILE_NAME));
  });
  it('caches by directory until cleared', () => {
    const root = tree({ 'a/p.iam.json': '{}' });
    const cache = new ConfigCache();
    // Whatever is above the temporary directory (normally nothing) is what applies first.
    const before = cache.forDirectory(path.join(root, 'a'));
    fs.writeFileSync(path.join(root, CONFIG_FILE_NAME), '{"rules": {"json-comment": "info"}}');
    assert.equal(cache.forDirectory(path.join(root, 'a')), before, 'cached');
    cache.clear();
    assert.deepEqual(cache.forDirectory(path.join(root, 'a')).config.rules, { 'json-comment': 'info' });
  });
  it('reports a file that cannot be read', () => {
    const root = tree({});
    const loaded = readConfigFile(path.join(root, 'missing.json'));
    assert.equal(loaded.errors.length, 1);
    assert.match(loaded.errors[0], /missing\.json: cannot be read: no such file or directory \(ENOENT\)\.$/);
  });
});
