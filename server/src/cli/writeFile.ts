/**
 * Writing a fixed policy back so that the file is always either the old text or the new one,
 * never a part: a write that fails midway (disk full, a file size limit, a signal) must not
 * leave a truncated policy behind. The new text goes to a temporary file in the same folder
 * (the same file system, so the rename is atomic), with the original's mode, and is renamed
 * over the original only once it is all written and flushed.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomically(file: string, text: string): void {
  // A symbolic link stays a link: the file it points to gets the new text.
  const target = fs.realpathSync(file);
  const stat = fs.statSync(target);
  // Renaming would replace a read-only file all the same: refuse what writing in place would.
  fs.accessSync(target, fs.constants.W_OK);
  const mode = stat.mode & 0o7777;
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = fs.openSync(temporary, 'wx', mode);
  try {
    try {
      fs.writeFileSync(descriptor, text);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
    // openSync's mode is narrowed by the umask: set the original's exactly.
    fs.chmodSync(temporary, mode);
    // Run as root on someone else's file: it stays theirs.
    if (process.getuid?.() === 0) fs.chownSync(temporary, stat.uid, stat.gid);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
