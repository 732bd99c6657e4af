/** A short human reason for a filesystem error, keeping the code for searchability. */
const WORDS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent path is not a directory',
  EEXIST: 'a parent path is not a directory',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on the device',
};

export function ioReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && WORDS[code]) return `${WORDS[code]}, ${code === 'EEXIST' ? 'ENOTDIR' : code}`;
  if (code) return code;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
