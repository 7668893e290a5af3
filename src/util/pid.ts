// Whether a process of this host is still running: signal 0 checks without signalling
// (kill(2): ESRCH when there is no such process; EPERM when it exists but belongs to another user).

export function isPidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
