// Makes the V8 code caches bin/load-bundle.js starts the server and the linter with
// (dist/server/main.js.cache, dist/cli/main.js.cache): each bundle runs once on the sample
// policies with IAM_POLICY_WRITE_CODE_CACHE=1 and writes, as it exits, the bytecode of what that
// run compiled. Run by scripts/bundle.mjs after bundling. A cache is only a head start: if this
// fails, the bundles still run, compiled as usual, and the build says so.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = path.join(ROOT, 'samples');
const environment = { ...process.env, IAM_POLICY_WRITE_CODE_CACHE: '1' };

/** The sample policies, and one over 16,384 characters made of their statements (a large policy takes another path). */
function documents() {
  const samples = fs
    .readdirSync(SAMPLES)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, text: fs.readFileSync(path.join(SAMPLES, name), 'utf8') }));
  const statements = [];
  for (const { text } of samples) {
    try {
      const statement = JSON.parse(text).Statement;
      statements.push(...(Array.isArray(statement) ? statement : [statement]));
    } catch {
      // A sample that is not JSON (it shows a mistake): its own document is enough.
    }
  }
  const large = [];
  while (JSON.stringify(large).length < 20_000 && statements.length > 0) large.push(...statements);
  samples.push({ name: 'large.iam.json', text: JSON.stringify({ Version: '2012-10-17', Statement: large }, null, 2) });
  return samples;
}

async function serverCache() {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'iam-policy-language-server.js'), '--stdio'], {
    env: environment,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('textDocument/publishDiagnostics', () => undefined);
  connection.listen();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const capabilities = {
    workspace: { configuration: true },
    textDocument: {
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
      completion: {
        completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation'] } },
        completionList: { itemDefaults: ['editRange'] },
      },
      hover: { contentFormat: ['markdown'] },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
    },
  };
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities });
  await connection.sendNotification('initialized', {});
  for (const [index, { name, text }] of documents().entries()) {
    const uri = `file:///code-cache/${index}/${name}`;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iam-policy', version: 1, text } });
    const action = text.indexOf('"s3:');
    if (action >= 0) {
      const before = text.slice(0, action + 4).split('\n');
      const position = { line: before.length - 1, character: before[before.length - 1].length };
      await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
      await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { ...position, character: position.character + 1 } });
    }
    const end = { line: text.split('\n').length, character: 0 };
    await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end },
      context: { diagnostics: [] },
    });
    await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  }
  for (let i = 0; i < 400; i++) {
    const status = await connection.sendRequest('iamPolicy/status');
    if (status.catalog !== 'loading' && status.documentsWaitingForServices === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  let timer;
  const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), 10_000)))]);
  clearTimeout(timer);
  if (code === 'timeout') child.kill();
  connection.dispose();
}

function cliCache() {
  // One thread, so the checks run (and are compiled) where the cache is made.
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'iam-policy-lint.js'), '--jobs', '1', SAMPLES], { env: environment, stdio: 'ignore' });
}

export async function makeCodeCaches() {
  for (const bundle of ['server', 'cli']) fs.rmSync(path.join(ROOT, 'dist', bundle, 'main.js.cache'), { force: true });
  try {
    cliCache();
    await serverCache();
  } catch (error) {
    console.warn(`code cache: ${error.message}; the bundles start without it.`);
  }
  for (const bundle of ['server', 'cli']) {
    if (!fs.existsSync(path.join(ROOT, 'dist', bundle, 'main.js.cache')))
      console.warn(`code cache: dist/${bundle}/main.js.cache was not made; that bundle starts without it.`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await makeCodeCaches();
