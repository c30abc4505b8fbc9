import { useState } from 'react';
import type { ProcessRef } from '../../../../shared/contract';

/** 'all', 'self' (this panel's own stack) or an attached process's id. */
export type ProcessFilterValue = string;

/** The key a primitive's sparkline history is kept under: its process and its name, so two processes' "fan-out" stay apart. */
export function primitiveKey(kind: string, item: { name: string; process?: ProcessRef | undefined }): string {
  return `${kind}:${item.process?.id ?? 'self'}:${item.name}`;
}

export function matchesProcess(filter: ProcessFilterValue, item: { process?: ProcessRef | undefined }): boolean {
  if (filter === 'all') return true;
  if (filter === 'self') return item.process === undefined;
  return item.process?.id === filter;
}

/** A page's process filter and the function that applies it. */
export function useProcessFilter() {
  const [filter, setFilter] = useState<ProcessFilterValue>('all');
  return {
    filter,
    setFilter,
    apply: <T extends { process?: ProcessRef | undefined }>(items: readonly T[]): T[] => items.filter((item) => matchesProcess(filter, item)),
  };
}
