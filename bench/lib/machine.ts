import { availableParallelism, cpus, totalmem } from 'node:os';

/** What the numbers were measured on, stored with every result file. */
export interface MachineInfo {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

/** The current machine and time. */
export function machineInfo(now: Date = new Date()): MachineInfo {
  return {
    date: now.toISOString(),
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** One line naming the machine, printed under every table. */
export function describeMachine(machine: MachineInfo): string {
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.date}`;
}
