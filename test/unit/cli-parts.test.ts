/** Pieces of the command-line linter that are easier to test in-process. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as path from 'node:path';
import { sanitize } from '../../server/src/cli/format/human';
import { displayPath } from '../../server/src/cli/lint';
import { LineMap } from '../../server/src/cli/positions';
import { Progress } from '../../server/src/cli/progress';
import { exitCodeOf } from '../../server/src/cli/report';
import { Random } from '../support/random';

describe('LineMap', () => {
  it('counts \\n, \\r\\n and a lone \\r as line breaks, columns in UTF-16 code units', () => {
    const lines = new LineMap('ab\ncd\r\nef\rg\ud83d\ude00h');
    assert.deepEqual(lines.position(0), { line: 1, column: 1 });
    assert.deepEqual(lines.position(2), { line: 1, column: 3 });
    assert.deepEqual(lines.position(3), { line: 2, column: 1 });
    assert.deepEqual(lines.position(7), { line: 3, column: 1 });
    assert.deepEqual(lines.position(10), { line: 4, column: 1 });
    assert.deepEqual(lines.position(13), { line: 4, column: 4 }, 'after the surrogate pair');
    assert.deepEqual(lines.position(999), { line: 4, column: 5 }, 'clamped to the end');
    assert.deepEqual(new LineMap('').position(0), { line: 1, column: 1 });
  });
});

describe('displayPath', () => {
  const original = (filePath: string, cwd: string): string => {
    const relative = path.relative(cwd, filePath);
    const outside = relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    return outside ? filePath : relative;
  };
  it('names a file under the working directory by the rest of its path, as path.relative does, and others by their whole path', () => {
    assert.equal(displayPath('/work/p/a.json', '/work'), 'p/a.json');
    assert.equal(displayPath('/work/p/a.json', '/'), 'work/p/a.json');
    assert.equal(displayPath('/workshop/a.json', '/work'), '/workshop/a.json', 'a sibling sharing the prefix is outside');
    assert.equal(displayPath('/work', '/work'), '/work');
    assert.equal(displayPath('/elsewhere/a.json', '/work'), '/elsewhere/a.json');
    assert.equal(displayPath('/work/..x/a.json', '/work'), '..x/a.json', 'a folder whose name begins with two dots is inside');
    // Resolved paths, as the walk and the operands give: the same answer as path.relative's.
    const random = new Random(20261207);
    const segments = ['a', 'b', 'ab', 'a.json', '..x', 'x..', ' ', 'ü'];
    const resolved = (): string => path.resolve('/', ...Array.from({ length: random.int(5) }, () => random.pick(segments)));
    for (let i = 0; i < 5000; i++) {
      const [filePath, cwd] = [resolved(), resolved()];
      assert.equal(displayPath(filePath, cwd), original(filePath, cwd), `${filePath} from ${cwd}`);
    }
  });
});

describe('Progress', () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, isTTY, columns: 40, write: (chunk: string) => writes.push(chunk) };
  };
  it('shows nothing when standard error is not a terminal', () => {
    const out = stream(false);
    let now = 0;
    const progress = new Progress(out, 100, { now: () => now });
    for (let i = 0; i < 100; i++) {
      now += 50;
      progress.update(i, 'x.json');
    }
    progress.clear();
    assert.deepEqual(out.writes, []);
  });
  it('starts after the delay, redraws at most once per interval, fits the width, and clears', () => {
    const out = stream(true);
    let now = 0;
    const progress = new Progress(out, 200, { now: () => now, delay: 300, interval: 100 });
    progress.update(0, 'a.json');
    now = 299;
    progress.update(10, 'b.json');
    assert.equal(out.writes.length, 0, 'a short run shows nothing');
    now = 300;
    progress.update(20, 'policies/with/a/very/long/path/name.iam.json');
    now = 350;
    progress.update(30, 'd.json');
    assert.equal(out.writes.length, 1);
    assert.equal(out.writes[0], '\r\u001b[2KLinting 20/200 (10%) policies/with/a/v…');
    assert.ok(out.writes[0].length - '\r\u001b[2K'.length <= 39);
    progress.clear();
    assert.equal(out.writes[1], '\r\u001b[2K');
    progress.clear();
    assert.equal(out.writes.length, 2, 'clearing twice writes once');
  });
  it('takes 80 columns when the terminal does not say its width', () => {
    const out = {
      isTTY: true,
      columns: 0,
      writes: [] as string[],
      write(chunk: string) {
        this.writes.push(chunk);
      },
    };
    let now = 0;
    const progress = new Progress(out, 10, { now: () => now });
    now = 1000;
    progress.update(5, 'x'.repeat(200));
    assert.equal(out.writes[0].length, '\r\u001b[2K'.length + 79);
  });
  it('is off for a single file', () => {
    const out = stream(true);
    let now = 0;
    const progress = new Progress(out, 1, { now: () => now });
    now = 10_000;
    progress.update(0, 'a.json');
    assert.deepEqual(out.writes, []);
  });
});

describe('exit codes', () => {
  const place = { line: 1, column: 1 };
  const file = (severity: 'error' | 'warning' | 'info', error?: string) => ({
    path: 'p',
    fileName: 'p',
    isPolicy: true,
    linted: error === undefined,
    fixed: {},
    error,
    findings: [{ code: 'invalid-sid' as const, severity, message: 'm', offset: 0, length: 0, start: place, end: place }],
  });
  const counts = (warning: number) => ({ error: 0, warning, info: 0, hint: 0 });
  it('2 for any error, 1 at or above the threshold or over --max-warnings, else 0', () => {
    assert.equal(exitCodeOf({ files: [file('info')], errors: ['x'], threshold: 'error', maxWarnings: undefined, counts: counts(0) }).exitCode, 2);
    assert.equal(exitCodeOf({ files: [file('info', 'unreadable')], errors: [], threshold: 'error', maxWarnings: undefined, counts: counts(0) }).exitCode, 2);
    assert.equal(exitCodeOf({ files: [file('error')], errors: [], threshold: 'error', maxWarnings: undefined, counts: counts(0) }).exitCode, 1);
    assert.equal(exitCodeOf({ files: [file('warning')], errors: [], threshold: 'error', maxWarnings: undefined, counts: counts(1) }).exitCode, 0);
    assert.equal(exitCodeOf({ files: [file('warning')], errors: [], threshold: 'warning', maxWarnings: undefined, counts: counts(1) }).exitCode, 1);
    assert.equal(exitCodeOf({ files: [file('info')], errors: [], threshold: 'warning', maxWarnings: undefined, counts: counts(0) }).exitCode, 0);
    assert.equal(exitCodeOf({ files: [file('info')], errors: [], threshold: 'info', maxWarnings: undefined, counts: counts(0) }).exitCode, 1);
    assert.deepEqual(exitCodeOf({ files: [file('warning')], errors: [], threshold: 'error', maxWarnings: 0, counts: counts(1) }), {
      exitCode: 1,
      maxWarningsExceeded: { warnings: 1, max: 0 },
    });
  });
});

describe('sanitize', () => {
  it('shows control and bidirectional characters as code points, keeps the rest', () => {
    assert.equal(sanitize('a\u001b[31mb\u202ec\u0085d é☃'), 'a<U+001B>[31mb<U+202E>c<U+0085>d é☃');
  });
});
