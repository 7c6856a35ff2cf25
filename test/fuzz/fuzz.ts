/**
 * npm run fuzz -- [--docs N] [--seconds S] [--seed X] [--only I]
 *
 * Fuzzes the built language server (see fuzzer.ts): N documents (default 1,000) or S seconds,
 * whichever ends first. Prints the seed first, so any failure can be replayed (`--only I`
 * runs document I of that seed alone), and exits 1 when anything failed.
 */
import { fuzz } from './fuzzer';

function main(): Promise<number> {
  const args = process.argv.slice(2);
  const options = { docs: 1_000, seconds: Infinity, seed: Math.floor(Math.random() * 2 ** 31), only: undefined as number | undefined };
  for (let i = 0; i < args.length; i++) {
    const value = Number(args[i + 1]);
    const name = args[i];
    if (!['--docs', '--seconds', '--seed', '--only'].includes(name) || !Number.isFinite(value) || value < 0) {
      process.stderr.write(`usage: npm run fuzz -- [--docs N] [--seconds S] [--seed X] [--only I] (not understood: ${name} ${args[i + 1] ?? ''})\n`);
      return Promise.resolve(2);
    }
    if (name === '--docs') options.docs = Math.floor(value);
    else if (name === '--seconds') options.seconds = value;
    else if (name === '--seed') options.seed = Math.floor(value);
    else options.only = Math.floor(value);
    i++;
  }
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  print(
    `fuzz: seed ${options.seed}, ${options.only !== undefined ? `document ${options.only} only` : `${options.docs} documents`}${Number.isFinite(options.seconds) ? `, at most ${options.seconds} s` : ''}`,
  );
  return fuzz({ ...options, print }).then((report) => {
    print(
      `fuzz: ${report.docs} documents, ${report.edits} edits, ${report.requests} requests in ${(report.elapsedMs / 1000).toFixed(1)} s (seed ${report.seed}): ` +
        `${report.crashes} crashes, ${report.hangs} hangs, ${report.badRanges} bad ranges, ${report.mismatches} incremental mismatches`,
    );
    return report.failures.length === 0 ? 0 : 1;
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
