/**
 * @module Running a TypeScript file of the benchmarks in its own Node process (through tsx), so
 * a peer trains on the other core, or a server is measured apart from its load generator.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** Options for `forkTs`. */
export interface ForkOptions {
  env?: Record<string, string>;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Forward the child's stdout/stderr to ours (default: dropped, stderr kept for errors). */
  inheritOutput?: boolean;
}

/** Starts `file` with tsx and an IPC channel; the child's stderr is collected for error messages. */
export function forkTs(file: string, options: ForkOptions = {}): { child: ChildProcess; stderr: () => string } {
  return forkNode(file, { ...options, nodeFlags: ['--import', 'tsx', ...(options.nodeFlags ?? [])] });
}

/** Starts a JavaScript `file` with plain Node and an IPC channel (see `forkTs`). */
export function forkNode(file: string, options: ForkOptions = {}): { child: ChildProcess; stderr: () => string } {
  const child = fork(file, [], {
    execArgv: options.nodeFlags ?? [],
    env: { ...process.env, ...options.env },
    stdio: options.inheritOutput ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  return { child, stderr: () => stderr };
}

/** The first IPC message of `child`, or an error if it exits first or `timeoutMs` passes. */
export function firstMessage<T>(child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`child process sent nothing within ${timeoutMs} ms\n${stderr()}`)), timeoutMs);
    const onMessage = (message: unknown) => finish(undefined, message as T);
    const onExit = (code: number | null) => finish(new Error(`child process exited with ${String(code)} before answering\n${stderr()}`));
    function finish(error: Error | undefined, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Stops a child we started and waits until it is gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
