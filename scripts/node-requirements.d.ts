export const NODE_FOR_STACK: string;
export const NODE_FOR_PACKAGING: string;
export const PACKAGING_TOOLCHAIN: readonly string[];
export function atLeast(version: string, minimum: string): boolean;
