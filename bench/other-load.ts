import { readMachineBusy } from './process-sampler.ts';

/**
 * Runs a synchronous measurement and reports how many CPU cores the rest of the machine used
 * meanwhile: on a shared box, the context a figure needs to be read.
 */
export function withOtherLoad<T>(measure: () => T): { result: T; otherCpuCores: number } {
  const cpuBefore = process.cpuUsage();
  const machineBefore = readMachineBusy();
  const result = measure();
  const machineAfter = readMachineBusy();
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (machineAfter.atMs - machineBefore.atMs) / 1000;
  const own = (cpu.user + cpu.system) / 1e6 / seconds;
  return { result, otherCpuCores: Math.max(0, (machineAfter.busySeconds - machineBefore.busySeconds) / seconds - own) };
}
