/** The machine a benchmark ran on: CPU model from /proc/cpuinfo, cores, memory, Node and Chromium versions. */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';

export interface MachineInfo {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  chromium?: string;
  /** 1-minute load average at the start: > cores means other work competed for the CPU. */
  loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  if (existsSync('/proc/cpuinfo')) {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  }
  return {
    date: new Date().toISOString(),
    cpuModel,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
}
