/**
 * How the server's process asks V8 to manage its heap.
 *
 * `--heap-growing-percent=25`: after a full collection, V8 lets the old generation grow by 25%
 * of what survived before it collects again (by default it picks a factor of up to 4x from how
 * fast collections run). The server's live heap is small (about 20 MB on the largest policy,
 * 43 MB with all 1,594 AWS managed policies open) but what it leaves behind between keystrokes
 * is not, so by default V8 let the old generation grow to about twice the live heap. In quick
 * runs of `npm run bench` (2026-12-07, alternating) the server's peak was 173 to 186 MB with
 * V8's default and 134 to 140 MB with this flag. In probes of the cases where it could cost
 * time (three servers taking turns, 150 rounds each): opening the 131,072-character policy, p50
 * 2.97 ms with it against 2.99 to 3.05 ms without; a keystroke and its policy summary, p95
 * 17.2 ms with and without (--heap-growing-percent=50 gave 3.28 to 3.37 ms and 15.1 to 20.0 ms).
 * (The linter keeps V8's default: there the flag made a run over the corpus 3% slower and its
 * peak no lower.)
 *
 * The flag only bounds when V8 collects: it never limits what the server may hold.
 *
 * Not taken: a smaller young generation (`--max-semi-space-size=4`, or 2) took the peak under
 * 120 MB but made the open of a 131,072-character policy 1.5x to 1.8x the floor (1.1x to 1.3x
 * before) and the policy summary's p95 over its 20 ms, since more of a large check's objects
 * are copied and promoted; it can only be set on Node's command line, too.
 *
 * bin/iam-policy-language-server.js sets the same flags before it compiles the bundle, since V8
 * takes a code cache only under the flags it was made with (test/unit/loadBundle.test.ts holds
 * the two lists equal); `applyServerHeapFlags` sets them for every other way of starting the
 * bundle (VS Code forks dist/server/main.js).
 */
import * as v8 from 'node:v8';

export const SERVER_V8_FLAGS: readonly string[] = ['--heap-growing-percent=25'];

export function applyServerHeapFlags(): void {
  for (const flag of SERVER_V8_FLAGS) v8.setFlagsFromString(flag);
}
