/** The command line of iam-policy-lint. */
import { parseArgs } from 'node:util';
import { isPolicyKind, POLICY_KINDS, type PolicyKind } from 'iam-policy-engine';
import type { Threshold } from './report';

export type Format = 'human' | 'json' | 'sarif';

export interface CliOptions {
  operands: string[];
  format: Format;
  fix: boolean;
  threshold: Threshold;
  /** undefined: no limit. */
  maxWarnings: number | undefined;
  quiet: boolean;
  /** Show hints (spelling of actions, resources that could be named instead of "*"). */
  hints: boolean;
  config: string | undefined;
  /** Check every policy as this kind instead of the one its name, the configuration or its content gives. */
  kind: PolicyKind | undefined;
  stdinFileName: string | undefined;
  /** undefined: decide from the terminal and the environment. */
  color: boolean | undefined;
  /** Threads that lint files at once; undefined: one per core. */
  jobs: number | undefined;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const HELP = `Usage: iam-policy-lint [options] <file | directory | glob | ->...
       iam-policy-lint diff [options] OLD NEW
       iam-policy-lint simulate FILE --action ACTION --resource ARN [--context KEY=VALUE]...

Checks AWS IAM policy documents with the same engine as the IAM policy language server.
diff: what NEW grants that OLD does not, and what it stops granting (exit 1 on new access).
simulate: whether the policy allows one request. Run either with --help for its options.

Operands:
  file        linted as a policy, whatever its name
  directory   searched for *.iam.json, *.policy.json, and *.json files whose top-level
              object has a "Statement" key (node_modules and .git are skipped)
  glob        quoted pattern with * ? ** [abc] {a,b}; matches are filtered like directories
  -           standard input

Options:
  -f, --format <human|json|sarif>  output format (default: human)
                                   human: file:line:col severity code message
                                   json:  one JSON document; sarif: SARIF 2.1.0
      --fix                        apply the safe fixes (characters with an ASCII
                                   equivalent, trailing commas; none for a rule the
                                   configuration turns off) in place, say what
                                   changed, then lint the fixed text. With - the fixed
                                   document goes to standard output and the report to
                                   standard error
      --severity <error|warning|info>
                                   findings at or above this fail the run (default: error)
      --max-warnings <N>           also fail when there are more than N warnings
      --hints                      also report hints (the documented spelling of actions,
                                   resources that could be named instead of "*"); left
                                   out by default, as the editor leaves them out of its list
  -q, --quiet                      report errors only (other findings are dropped and
                                   do not count)
  -c, --config <file>              use this configuration file for every policy instead
                                   of the nearest .iam-policy.json above each one
  -k, --kind <kind>                check every policy as this kind: identity, trust,
                                   resource, s3-bucket, sqs-queue, sns-topic, kms-key,
                                   ecr-repository, lambda-function, secretsmanager-secret,
                                   scp or rcp (default: the file's suffix, such as
                                   .scp.json, then "kinds" in .iam-policy.json, then what
                                   the document looks like)
      --stdin-filename <name>      the file name of standard input: for its name check,
                                   its configuration file and the output
      --color, --no-color          force or forbid colour (default: on a terminal, unless
                                   NO_COLOR is set)
  -j, --jobs <N>                   lint files on N threads at once (default: the number
                                   of cores); the output keeps the order of the files
  -h, --help                       show this help
  -v, --version                    show the version

Configuration: .iam-policy.json, the nearest one walking up from each policy's directory:
  { "rules": { "<code>": "off" | "error" | "warning" | "info" }, "maxNumberOfProblems": 100,
    "kinds": { "<glob>": "<kind>" },
    "overrides": [{ "files": ["<glob>"], "sids": ["<Sid>"], "rules": { "<code>": "off" } }],
    "neverGrant": ["<action>", { "actions": ["<action>"], "resources": ["<arn>"] }] }

Exit status: 0 no failing findings; 1 findings at or above --severity, or more warnings
than --max-warnings; 2 usage error, configuration error, or a file that could not be read
(the other files are still linted and reported).

Nothing is printed of the policies themselves, except the fixed document with --fix and -.
`;

const FORMATS: readonly Format[] = ['human', 'json', 'sarif'];
const THRESHOLDS: readonly Threshold[] = ['error', 'warning', 'info'];

export function parseCommandLine(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals, tokens } = parsed;

  const format = values.format ?? 'human';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be human, json or sarif, not ${JSON.stringify(format)}.`);
  }
  const threshold = values.severity ?? 'error';
  if (!(THRESHOLDS as readonly string[]).includes(threshold)) {
    throw new UsageError(`--severity must be error, warning or info, not ${JSON.stringify(threshold)}.`);
  }
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    const text = values['max-warnings'];
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new UsageError(`--max-warnings must be a whole number of 0 or more, not ${JSON.stringify(text)}.`);
    }
    maxWarnings = Number(text);
  }
  // --color and --no-color: the last one given wins.
  let color: boolean | undefined;
  for (const token of tokens ?? []) {
    if (token.kind === 'option' && token.name === 'color') color = true;
    if (token.kind === 'option' && token.name === 'no-color') color = false;
  }
  const kind = values.kind;
  if (kind !== undefined && !isPolicyKind(kind)) {
    throw new UsageError(`--kind must be one of ${POLICY_KINDS.join(', ')}, not ${JSON.stringify(kind)}.`);
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    const text = values.jobs;
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 256) {
      throw new UsageError(`--jobs must be a whole number from 1 to 256, not ${JSON.stringify(text)}.`);
    }
    jobs = Number(text);
  }
  const options: CliOptions = {
    operands: positionals,
    format: format as Format,
    fix: values.fix ?? false,
    threshold: threshold as Threshold,
    maxWarnings,
    quiet: values.quiet ?? false,
    hints: values.hints ?? false,
    config: values.config,
    kind,
    stdinFileName: values['stdin-filename'],
    color,
    jobs,
    help: values.help ?? false,
    version: values.version ?? false,
  };
  if (options.help || options.version) return options;
  if (options.operands.length === 0) throw new UsageError('no files given: name files, directories, glob patterns, or - for standard input.');
  if (options.operands.filter((operand) => operand === '-').length > 1) throw new UsageError('- (standard input) may be given only once.');
  if (options.config === '') throw new UsageError('--config needs a file name.');
  if (options.stdinFileName !== undefined && !options.operands.includes('-')) {
    throw new UsageError('--stdin-filename names standard input: give - as well.');
  }
  return options;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    tokens: true,
    options: {
      format: { type: 'string', short: 'f' },
      fix: { type: 'boolean' },
      severity: { type: 'string' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      hints: { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      kind: { type: 'string', short: 'k' },
      'stdin-filename': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
