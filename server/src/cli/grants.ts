/**
 * `iam-policy-lint diff OLD NEW` and `iam-policy-lint simulate FILE`: what a change to a policy
 * grants (the offline counterpart of Access Analyzer's CheckNoNewAccess) and whether a policy
 * allows one request (the counterpart of the IAM policy simulator), from the engine, offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { changeAccepted, diffGrants, parseJson, policyGrantsFully, simulate, viewPolicy, type Catalog, type SimulationResult } from 'iam-policy-engine';
import { createCatalog } from '../catalogFiles';
import { describeFsError } from '../config';
import type { CliEnvironment } from './cli';
import { diffJson, diffMarkdown, diffText, type DiffReport } from './format/grants';
import { displayPath } from './lint';
import { COLOURS, PLAIN, sanitize } from './format/human';
import { EXIT_CLEAN, EXIT_ERROR, TOOL_NAME } from './report';

const EXIT_FAILED = 1;

export const DIFF_HELP = `Usage: ${TOOL_NAME} diff [options] OLD NEW

Compares what two versions of a policy grant, offline, from the service catalog: the actions
NEW grants that OLD does not (with their resources and conditions), and those it stops
granting, by access level, permissions management first. Either file may be - (standard
input), as in: git show main:policy.json | ${TOOL_NAME} diff - policy.json

Options:
  -f, --format <text|json|markdown>  output format (default: text); markdown suits a
                                     pull request's comment
      --allow-new <ACTION[=RESOURCE]>
                                     accept an addition: actions matching ACTION (with * and
                                     ?), on resources RESOURCE covers (any without =RESOURCE);
                                     may be given several times
      --color, --no-color            force or forbid colour (default: on a terminal)
  -h, --help                         show this help

Exit status: 0 NEW grants nothing OLD does not (or only what --allow-new accepts); 1 it
does; 2 usage error, or a file that cannot be read or is not valid JSON.
`;

export const SIMULATE_HELP = `Usage: ${TOOL_NAME} simulate FILE --action ACTION --resource ARN [--context KEY=VALUE]...

Whether the policy in FILE allows one request, offline, in IAM's documented order: an
explicit Deny, then an Allow, else denied implicitly; naming the statements that decide.
The policy alone: other policies, boundaries and SCPs are not taken into account.

Options:
  -a, --action <service:Action>  the action, as in s3:GetObject
  -r, --resource <ARN>           the resource's ARN, or * for an action without resources
  -c, --context <KEY=VALUE>      a context key of the request (aws:SourceIp=203.0.113.7,
                                 aws:PrincipalTag/team=dev); repeat a key for several
                                 values (aws:TagKeys=a --context aws:TagKeys=b)
  -f, --format <text|json>       output format (default: text)
  -h, --help                     show this help

Exit status: 0 allowed; 1 denied (explicitly or implicitly); 2 usage error, or a file that
cannot be read or is not valid JSON.
`;

class UsageError extends Error {}

function usage(io: CliEnvironment, message: string, subcommand: string): number {
  io.stderr.write(`${TOOL_NAME} ${subcommand}: ${message}\nRun ${TOOL_NAME} ${subcommand} --help for usage.\n`);
  return EXIT_ERROR;
}

/** A policy file's text (or standard input's), refused when it is not JSON at all. */
async function readPolicy(io: CliEnvironment, operand: string): Promise<{ text: string; display: string }> {
  const display = operand === '-' ? '<stdin>' : displayPath(path.resolve(io.cwd, operand), io.cwd);
  let text: string;
  try {
    text = operand === '-' ? (await io.readStdin()).toString('utf8') : fs.readFileSync(path.resolve(io.cwd, operand), 'utf8');
  } catch (error) {
    throw new Error(`${display} cannot be read: ${describeFsError(error)}.`, { cause: error });
  }
  const syntax = parseJson(text).problems.find((problem) => problem.kind === 'syntax');
  if (syntax !== undefined) throw new Error(`${display} is not valid JSON: ${syntax.message}`);
  return { text, display };
}

async function catalogOrFail(io: CliEnvironment): Promise<Catalog | undefined> {
  try {
    return await createCatalog();
  } catch (error) {
    io.stderr.write(`${TOOL_NAME}: the service catalog could not be loaded (${error instanceof Error ? error.message : String(error)}).\n`);
    return undefined;
  }
}

function decideColour(io: CliEnvironment, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  const env = io.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return io.stdout.isTTY === true && env.TERM !== 'dumb';
}

export async function runDiff(io: CliEnvironment, argv: readonly string[]): Promise<number> {
  let values: { format?: string; 'allow-new'?: string[]; help?: boolean; color?: boolean; 'no-color'?: boolean };
  let operands: string[];
  let color: boolean | undefined;
  try {
    const parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        format: { type: 'string', short: 'f' },
        'allow-new': { type: 'string', multiple: true },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values;
    operands = parsed.positionals;
    for (const token of parsed.tokens ?? [])
      if (token.kind === 'option' && (token.name === 'color' || token.name === 'no-color')) color = token.name === 'color';
    if (values.help === true) {
      io.stdout.write(DIFF_HELP);
      return EXIT_CLEAN;
    }
    if (values.format !== undefined && !['text', 'json', 'markdown'].includes(values.format))
      throw new UsageError(`--format must be text, json or markdown, not ${JSON.stringify(values.format)}.`);
    if (operands.length !== 2) throw new UsageError(`give two policy files, OLD and NEW (got ${operands.length}).`);
    if (operands[0] === '-' && operands[1] === '-') throw new UsageError('- (standard input) may be given only once.');
    for (const accepted of values['allow-new'] ?? []) {
      const actionPart = accepted.split('=')[0];
      if (!/^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9_*?-]+)$/.test(actionPart))
        throw new UsageError(
          `--allow-new ${JSON.stringify(accepted)}: ${JSON.stringify(actionPart)} is not an action pattern such as s3:Get* (then optionally =RESOURCE).`,
        );
    }
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error), 'diff');
  }
  let before: { text: string; display: string };
  let after: { text: string; display: string };
  try {
    before = await readPolicy(io, operands[0]);
    after = await readPolicy(io, operands[1]);
  } catch (error) {
    io.stderr.write(`${TOOL_NAME} diff: ${sanitize(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_ERROR;
  }
  const catalog = await catalogOrFail(io);
  if (catalog === undefined) return EXIT_ERROR;
  const diff = diffGrants(await policyGrantsFully(before.text, catalog), await policyGrantsFully(after.text, catalog));
  const acceptedPatterns = values['allow-new'] ?? [];
  const accepted = diff.added.filter((change) => acceptedPatterns.some((pattern) => changeAccepted(change, pattern)));
  const report: DiffReport = {
    before: before.display,
    after: after.display,
    diff,
    accepted,
    newAccess: diff.added.filter((change) => !accepted.includes(change)),
  };
  switch (values.format ?? 'text') {
    case 'json':
      io.stdout.write(diffJson(report));
      break;
    case 'markdown':
      io.stdout.write(diffMarkdown(report));
      break;
    default:
      io.stdout.write(diffText(report, decideColour(io, color) ? COLOURS : PLAIN));
  }
  return report.newAccess.length > 0 ? EXIT_FAILED : EXIT_CLEAN;
}

export async function runSimulate(io: CliEnvironment, argv: readonly string[]): Promise<number> {
  let values: { action?: string; resource?: string; context?: string[]; format?: string; help?: boolean };
  let operands: string[];
  const context: Record<string, string[]> = {};
  try {
    const parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        action: { type: 'string', short: 'a' },
        resource: { type: 'string', short: 'r' },
        context: { type: 'string', short: 'c', multiple: true },
        format: { type: 'string', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values;
    operands = parsed.positionals;
    if (values.help === true) {
      io.stdout.write(SIMULATE_HELP);
      return EXIT_CLEAN;
    }
    if (operands.length !== 1) throw new UsageError(`give one policy file (got ${operands.length}).`);
    if (values.action === undefined || !/^[A-Za-z0-9-]+:[A-Za-z0-9_-]+$/.test(values.action)) {
      throw new UsageError(
        `--action must be one action such as s3:GetObject, without wildcards${values.action === undefined ? '' : `, not ${JSON.stringify(values.action)}`}.`,
      );
    }
    if (values.resource === undefined || values.resource === '')
      throw new UsageError('--resource must name the resource: its ARN, or * for an action without resources.');
    if (values.format !== undefined && !['text', 'json'].includes(values.format))
      throw new UsageError(`--format must be text or json, not ${JSON.stringify(values.format)}.`);
    for (const entry of values.context ?? []) {
      const equals = entry.indexOf('=');
      if (equals <= 0) throw new UsageError(`--context ${JSON.stringify(entry)} must be KEY=VALUE, as in aws:SourceIp=203.0.113.7.`);
      const key = entry.slice(0, equals);
      (context[key] ??= []).push(entry.slice(equals + 1));
    }
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error), 'simulate');
  }
  let policy: { text: string; display: string };
  try {
    policy = await readPolicy(io, operands[0]);
  } catch (error) {
    io.stderr.write(`${TOOL_NAME} simulate: ${sanitize(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_ERROR;
  }
  const result = simulate(viewPolicy(parseJson(policy.text).root), { action: values.action, resource: values.resource, context });
  const catalog = await catalogOrFail(io);
  if (catalog !== undefined) {
    const [prefix, name] = values.action.split(':');
    await catalog.load([prefix]);
    if (!catalog.hasService(prefix)) result.notes.unshift(`No AWS service has the prefix ${JSON.stringify(prefix)}: check the action's spelling.`);
    else if (catalog.service(prefix)?.actions.has(name.toLowerCase()) === false)
      result.notes.unshift(`${values.action} is not an action of the service catalog: check its spelling.`);
  }
  io.stdout.write(values.format === 'json' ? `${JSON.stringify({ file: policy.display, ...result }, null, 2)}\n` : simulationText(policy.display, result));
  return result.decision === 'allowed' ? EXIT_CLEAN : EXIT_FAILED;
}

function simulationText(file: string, result: SimulationResult): string {
  const lines = [`${sanitize(file)}: ${sanitize(result.summary)}`];
  for (const verdict of result.statements) {
    const name = `statement ${verdict.index + 1}${verdict.sid !== undefined ? ` (${verdict.sid})` : ''}`;
    lines.push(`  ${sanitize(name)}, ${verdict.effect ?? 'no Effect'}: ${verdict.applies ? 'applies' : 'does not apply'}. ${sanitize(verdict.reason)}`);
  }
  for (const note of result.notes) lines.push(`Note: ${sanitize(note)}`);
  return `${lines.join('\n')}\n`;
}
