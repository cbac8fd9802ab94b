import { Token } from 'aws-cdk-lib';
import { ProblemList } from './validation';

/** Memory (MiB) that each Fargate CPU size accepts: from, to, in steps of. */
const FARGATE_MEMORY: ReadonlyArray<{ cpu: number; from: number; to: number; step: number; list?: number[] }> = [
  { cpu: 256, from: 512, to: 2048, step: 512, list: [512, 1024, 2048] },
  { cpu: 512, from: 1024, to: 4096, step: 1024 },
  { cpu: 1024, from: 2048, to: 8192, step: 1024 },
  { cpu: 2048, from: 4096, to: 16384, step: 1024 },
  { cpu: 4096, from: 8192, to: 30720, step: 1024 },
  { cpu: 8192, from: 16384, to: 61440, step: 4096 },
  { cpu: 16384, from: 32768, to: 122880, step: 8192 },
];

function memoryChoices(entry: (typeof FARGATE_MEMORY)[number]): number[] {
  if (entry.list) {
    return entry.list;
  }
  const choices: number[] = [];
  for (let m = entry.from; m <= entry.to; m += entry.step) {
    choices.push(m);
  }
  return choices;
}

/**
 * Checks a task's CPU units and memory against the Fargate table
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 */
export function checkFargateSize(problems: ProblemList, prop: string, cpu: number, memoryLimitMiB: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memoryLimitMiB)) {
    return;
  }
  const entry = FARGATE_MEMORY.find((e) => e.cpu === cpu);
  if (!entry) {
    problems.add(`${prop}.cpu`, `Fargate takes ${FARGATE_MEMORY.map((e) => e.cpu).join(', ')} CPU units, got ${cpu}`);
    if (!FARGATE_MEMORY.some((e) => memoryChoices(e).includes(memoryLimitMiB))) {
      // No CPU size would take it either: worth saying in the same pass.
      problems.add(`${prop}.memoryLimitMiB`, `Fargate takes 512 to 122880 MiB of memory in the steps its CPU sizes allow (512, 1024, 2048, then whole GiB up to 30720, and larger steps above), got ${memoryLimitMiB}`);
    }
    return;
  }
  const choices = memoryChoices(entry);
  if (!choices.includes(memoryLimitMiB)) {
    const described = entry.list
      ? entry.list.join(', ')
      : `${entry.from} to ${entry.to} in steps of ${entry.step}`;
    problems.add(`${prop}.memoryLimitMiB`, `Fargate CPU ${cpu} takes ${described} MiB of memory, got ${memoryLimitMiB}`);
  }
}
