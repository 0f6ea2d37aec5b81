import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

// Every process the bench starts (the servers, each run of the load generator) is listed here,
// so that none outlives the bench: stopped at the end, on an error, on Ctrl-C, and killed
// outright if the bench exits without having stopped them.

const running = new Set<ChildProcess>();

/** Starts a process the bench owns: it is stopped by stopAll() or when the bench exits. */
export function spawnOwned(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  return child;
}

/** SIGTERM to one process, SIGKILL if it has not exited after `graceMs`; resolves on its exit. */
export function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

// A last resort: 'exit' handlers cannot wait, so whatever still runs is killed at once.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

// Ctrl-C or a SIGTERM to the bench stops the servers cleanly before it exits.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and the load generator …`);
    void stopAll().finally(() => process.exit(130));
  });
}
