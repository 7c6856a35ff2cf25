/** Paths as the linter shows them. */
import * as path from 'node:path';

/**
 * A file's path relative to a directory it is under, or undefined when it is not under it.
 * Both are resolved paths (path.resolve, path.join): a file under the directory is the rest of
 * its path, found without path.relative resolving both again for every file (1% of a run over
 * the managed corpus in a CPU profile).
 */
export function relativeInside(filePath: string, directory: string): string | undefined {
  const prefix = directory.endsWith(path.sep) ? directory : directory + path.sep;
  if (filePath.length > prefix.length && filePath.startsWith(prefix)) return filePath.slice(prefix.length);
  const relative = path.relative(directory, filePath);
  // Outside: up first (`..` or `../`), not a name that begins with two dots (`..x/a.json`).
  const up = relative === '..' || relative.startsWith(`..${path.sep}`);
  return relative !== '' && !up && !path.isAbsolute(relative) ? relative : undefined;
}
