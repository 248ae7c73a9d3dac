/**
 * The whole op registry: op name (builtin name, or custom code for custom ops) → kernel. One line per op;
 * kernels are grouped below only to keep concurrent additions apart.
 */
import type { AnyKernel } from "../runtime/kernel.js";
import { reshape } from "./reshape.js";

const entries: [string, AnyKernel][] = [
  ["RESHAPE", reshape],
  // <conv-family>
  // <pool-softmax-family>
  // <elementwise-family>
  // <data-family>
  // <recurrent-family>
  // <signal-family>
];

export const KERNELS: ReadonlyMap<string, AnyKernel> = new Map(entries);

export function supportedOps(): string[] {
  return [...KERNELS.keys()].sort();
}
